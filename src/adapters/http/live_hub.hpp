#pragma once

// The live channel's hub: the in-process EventBus (app/ports/event_bus.hpp) that the WebSocket sessions of
// `/api/v1/live` subscribe to. No Beast here: a subscriber is an abstract LiveSink, so the hub and its tests never
// touch a socket.
//
// Publish serialises an event once into the message every subscriber receives,
//   {"type":"vital_sign","patient_id":3,"session_id":12,"record":{...}}   ("session_id" only when the event names one)
// and appends it to the queue of each subscriber whose topic matches. A queue holds at most `queue_limit` messages;
// a subscriber whose queue is full when an event arrives is dropped (unsubscribed, told why through its sink), so a
// client that stops reading costs a bounded amount of memory and never slows the publisher or the other clients.
//
// Thread-safety: every member function may be called from any thread. One mutex guards the subscriptions; it is
// held only to look up and append or pop queue entries. A sink is called after the mutex is released, and never
// writes to a socket from there (it posts to its own connection's strand).
//
// Metrics (registered in the given registry): kclinic_live_subscribers, kclinic_live_events_published_total,
// kclinic_live_messages_delivered_total (messages taken from a queue by their connection for writing),
// kclinic_live_clients_dropped_total.

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "adapters/http/metrics.hpp"
#include "app/ports/event_bus.hpp"
#include "app/records.hpp"

namespace kclinic::adapters::http {

// What a subscriber watches: the clinic board (every event), or one treatment session.
struct LiveTopic {
    // Empty: the board.
    std::optional<app::SessionId> session;
    app::PatientId patient;  // the session's patient; unused for the board
    std::string user;        // the subscriber's email: the board receives the events addressed to them

    [[nodiscard]] static LiveTopic Board() { return {}; }
    [[nodiscard]] static LiveTopic ForSession(app::SessionId session, app::PatientId patient) {
        return LiveTopic{session, patient, {}};
    }

    // The board matches every event of the clinic at large, and the events addressed to its user (an event with
    // recipients, such as a count discrepancy, matches only a board whose user is one of them). A session matches
    // the events that name it, and the events that name no session but its patient: vital signs, scores and alerts
    // name only the patient (app::LiveEvent).
    [[nodiscard]] bool Matches(const app::LiveEvent& event) const;
};

// Why a subscriber was dropped, as its WebSocket close frame says.
inline constexpr std::string_view kSlowClientReason = "client too slow";

// One message taken from a subscriber's queue, with the patient whose record it carries (its audit names them).
struct LiveDelivery {
    std::shared_ptr<const std::string> message;
    app::PatientId patient;
};

// A subscriber of the hub: the live WebSocket session implements it. Both calls come from a publishing thread with
// no lock of the hub held, must return at once and must not call back into the hub synchronously (post instead).
class LiveSink {
public:
    virtual ~LiveSink() = default;
    // The sink's queue went from empty to holding a message: take messages with LiveHub::Take until it gives none.
    virtual void OnMessages() = 0;
    // The hub dropped this subscriber (its queue was full): it is no longer subscribed and its queue is gone.
    virtual void OnDropped(std::string_view reason) = 0;
};

class LiveHub final : public app::EventBus {
public:
    static constexpr std::size_t kDefaultQueueLimit = 256;

    // `metrics` must outlive the hub. REQUIRES: queue_limit > 0.
    explicit LiveHub(MetricsRegistry& metrics, std::size_t queue_limit = kDefaultQueueLimit);
    LiveHub(const LiveHub&) = delete;
    LiveHub& operator=(const LiveHub&) = delete;

    // Subscribes `sink` to `topic`, or moves it to `topic` when it is subscribed already (messages already queued
    // stay). The hub keeps only a weak reference: a sink that is destroyed must Unsubscribe first or be skipped.
    void Subscribe(const std::shared_ptr<LiveSink>& sink, LiveTopic topic);
    // Ends the subscription of `sink` and discards its queue; nothing when it is not subscribed.
    void Unsubscribe(const LiveSink& sink);
    // The oldest message queued for `sink`, removed from its queue; nullopt when none or not subscribed.
    [[nodiscard]] std::optional<LiveDelivery> Take(const LiveSink& sink);

    // Offers the event to every subscriber whose topic matches, without blocking on any (see the file comment).
    void Publish(const app::LiveEvent& event) override;

    [[nodiscard]] std::size_t SubscriberCount() const;
    [[nodiscard]] std::size_t queue_limit() const { return queue_limit_; }

private:
    struct Subscription {
        std::weak_ptr<LiveSink> sink;
        LiveTopic topic;
        std::deque<LiveDelivery> queue;
    };

    const std::size_t queue_limit_;
    Gauge& subscribers_;
    CounterFamily& published_;  // by event kind
    Counter& delivered_;
    Counter& dropped_;

    mutable std::mutex mutex_;
    std::unordered_map<const LiveSink*, Subscription> subscriptions_;  // GUARDED_BY(mutex_)
};

// The message Publish sends for `event` (see the file comment). `record_json` is spliced in as it is: it is JSON
// already (adapters/json/record_json); an empty one reads as null.
[[nodiscard]] std::string LiveEventMessage(const app::LiveEvent& event);

}  // namespace kclinic::adapters::http
