#pragma once

// Live events across server processes: several `kclinic serve` processes on one PostgreSQL database (a clinic
// network behind a load balancer) each hand their watchers the events written through any of them. PgEventRelay
// decorates the process's local EventBus: Publish gives the event to the local bus at once and queues it for
// `SELECT pg_notify('kclinic_live', payload)`; a listener thread LISTENs on that channel and hands the events of
// every other process to the local bus. The payload is adapters/json/relay_payload's compact JSON, which carries a
// random id of the relay that sent it, so a process skips its own notifications (its watchers already had them).
//
// Best effort and at most once, as the EventBus port promises (the record, not the bus, is the truth):
// - an event whose payload is 8000 bytes or more (PostgreSQL's NOTIFY limit in a default build) is not relayed;
//   it is counted under too_large and logged, and still reaches this process's watchers;
// - when the outgoing queue is full (the database is slow or away) the event is dropped and counted;
// - while the listener's connection is down, the other processes' events of that time never arrive: NOTIFY
//   reaches only sessions that are listening when it commits. Both connections reconnect by themselves, with a
//   backoff from reconnect_initial doubling up to reconnect_max, and the listener LISTENs again.
//
// libpq-fe.h stays in the .cpp; this header names no libpq type.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "app/ports/event_bus.hpp"

namespace kclinic::adapters::storage::postgres {

// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (NOTIFY_PAYLOAD_MAX_LENGTH with the default 8 kB
// block size; https://www.postgresql.org/docs/current/sql-notify.html).
inline constexpr std::size_t kMaxNotifyPayloadBytes = 7999;

// What the relay counts; `counted` (in PgEventRelayOptions) hears each one as it happens.
enum class RelayCount {
    kSent,       // an event of this process NOTIFYed to the others
    kReceived,   // an event of another process handed to the local bus
    kDropped,    // an event not relayed: the queue was full, or sending it failed
    kTooLarge,   // an event not relayed: its payload is over kMaxNotifyPayloadBytes
    kMalformed,  // a notification on the channel that is not a relay payload, skipped
    kReconnect,  // a connection (listener or sender) established again after it was lost
};

// "sent", "received", "dropped", "too_large", "malformed", "reconnect".
[[nodiscard]] constexpr std::string_view RelayCountName(RelayCount count) {
    switch (count) {
        case RelayCount::kSent:
            return "sent";
        case RelayCount::kReceived:
            return "received";
        case RelayCount::kDropped:
            return "dropped";
        case RelayCount::kTooLarge:
            return "too_large";
        case RelayCount::kMalformed:
            return "malformed";
        case RelayCount::kReconnect:
            return "reconnect";
    }
    return "unknown";
}

struct PgEventRelayStats {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;
    std::uint64_t too_large = 0;
    std::uint64_t malformed = 0;
    std::uint64_t reconnects = 0;
    bool listening = false;  // the listener's LISTEN is in effect now: events other processes send now arrive
};

struct PgEventRelayOptions {
    std::string channel = "kclinic_live";
    std::size_t queue_capacity = 1024;  // events waiting to be sent, beyond which Publish drops
    // How often a waiting thread looks at whether the relay is stopping: Stop() returns within about this long,
    // or within io_timeout while a statement is in flight.
    std::chrono::milliseconds poll_interval{100};
    // Connecting, or one statement's round trip, longer than this counts as a lost connection.
    std::chrono::milliseconds io_timeout{10'000};
    std::chrono::milliseconds reconnect_initial{100};
    std::chrono::milliseconds reconnect_max{5'000};
    // One line per event worth an operator's attention (a connection lost or back, an event too large). Called
    // from the relay's threads. Empty: the line goes to stderr.
    std::function<void(std::string_view line)> log;
    // Called from the relay's threads (and from Publish for kDropped) once per count, for metrics. Must not block.
    std::function<void(RelayCount count)> counted;
};

class PgEventRelay final : public app::EventBus {
public:
    // Starts the sender and the listener threads, which connect to `dsn` (a libpq URI or key=value text, as
    // PgConnection takes) on their own and keep trying while the database is away: construction never waits on the
    // database. `local` must outlive the relay; its Publish is called from the caller's thread and from the
    // listener thread.
    PgEventRelay(std::string dsn, app::EventBus& local, PgEventRelayOptions options = {});
    // Stop().
    ~PgEventRelay() override;
    PgEventRelay(const PgEventRelay&) = delete;
    PgEventRelay& operator=(const PgEventRelay&) = delete;

    // Hands `event` to the local bus, then queues it for the other processes without waiting on the database (a
    // full queue drops it). Thread-safe. After Stop(), only the local bus receives it.
    void Publish(const app::LiveEvent& event) override;

    // Ends the listener at once and the sender after it has sent what was already queued, as long as its connection
    // works (it does not reconnect any more); what it could not send is counted as dropped. Idempotent; the relay
    // then delivers locally only.
    void Stop();

    // The counts so far. Thread-safe.
    [[nodiscard]] PgEventRelayStats Stats() const;

    // This relay's id in the payloads it sends (32 hex digits, random per instance).
    [[nodiscard]] const std::string& origin() const { return origin_; }

private:
    void RunSender();
    void RunListener();
    // Handles one notification's payload from the channel.
    void Receive(std::string_view payload);
    void Count(RelayCount count);
    void Log(std::string_view line) const;
    [[nodiscard]] bool Stopping() const;
    // Waits `delay`, or less when Stop() is called; true when the relay is stopping.
    bool SleepUnlessStopping(std::chrono::milliseconds delay);

    const std::string dsn_;
    app::EventBus& local_;
    const PgEventRelayOptions options_;
    const std::string origin_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;  // the queue has an event, or the relay is stopping
    std::deque<app::LiveEvent> queue_;
    bool stopping_ = false;

    std::atomic<std::uint64_t> sent_{0};
    std::atomic<std::uint64_t> received_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> too_large_{0};
    std::atomic<std::uint64_t> malformed_{0};
    std::atomic<std::uint64_t> reconnects_{0};
    std::atomic<bool> listening_{false};

    std::thread sender_;
    std::thread listener_;
};

}  // namespace kclinic::adapters::storage::postgres
