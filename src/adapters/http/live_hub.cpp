#include "adapters/http/live_hub.hpp"

#include <algorithm>
#include <cassert>
#include <utility>
#include <vector>

namespace kclinic::adapters::http {

bool LiveTopic::Matches(const app::LiveEvent& event) const {
    if (!event.recipients.empty()) {
        return !session && std::find(event.recipients.begin(), event.recipients.end(), user) != event.recipients.end();
    }
    if (!session) {
        return true;
    }
    if (event.session) {
        return *event.session == *session;
    }
    return event.patient == patient;
}

std::string LiveEventMessage(const app::LiveEvent& event) {
    // Spliced rather than built with a JSON library: the record is JSON text already, and parsing it again for
    // every event would only cost time. The kind names and the ids need no escaping.
    std::string message = R"({"type":")";
    message += app::LiveEventKindName(event.kind);
    message += R"(","patient_id":)";
    message += std::to_string(event.patient.value);
    if (event.session) {
        message += R"(,"session_id":)";
        message += std::to_string(event.session->value);
    }
    message += R"(,"record":)";
    message += event.record_json.empty() ? std::string_view("null") : std::string_view(event.record_json);
    message += '}';
    return message;
}

LiveHub::LiveHub(MetricsRegistry& metrics, std::size_t queue_limit)
    : queue_limit_(queue_limit),
      subscribers_(
          metrics.AddGauge("kclinic_live_subscribers", "Live channel clients subscribed to a topic now").Labels({})),
      published_(metrics.AddCounter("kclinic_live_events_published_total",
                                    "Live events published to the hub, by kind (kind=\"alert\": alerts raised)",
                                    {"kind"})),
      delivered_(metrics
                     .AddCounter("kclinic_live_messages_delivered_total",
                                 "Live event messages taken from a subscriber's queue by its connection for writing")
                     .Labels({})),
      dropped_(metrics
                   .AddCounter("kclinic_live_clients_dropped_total",
                               "Live channel clients dropped because their queue was full")
                   .Labels({})) {
    assert(queue_limit_ > 0 && "a live subscriber's queue must hold at least one message");
}

void LiveHub::Subscribe(const std::shared_ptr<LiveSink>& sink, LiveTopic topic) {
    std::lock_guard lock(mutex_);
    auto [it, added] = subscriptions_.try_emplace(sink.get());
    it->second.sink = sink;
    it->second.topic = std::move(topic);
    if (added) {
        subscribers_.Add(1);
    }
}

void LiveHub::Unsubscribe(const LiveSink& sink) {
    std::lock_guard lock(mutex_);
    if (subscriptions_.erase(&sink) > 0) {
        subscribers_.Add(-1);
    }
}

std::optional<LiveDelivery> LiveHub::Take(const LiveSink& sink) {
    std::optional<LiveDelivery> message;
    {
        std::lock_guard lock(mutex_);
        auto it = subscriptions_.find(&sink);
        if (it == subscriptions_.end() || it->second.queue.empty()) {
            return std::nullopt;
        }
        message = std::move(it->second.queue.front());
        it->second.queue.pop_front();
    }
    delivered_.Increment();
    return message;
}

void LiveHub::Publish(const app::LiveEvent& event) {
    published_.Labels({app::LiveEventKindName(event.kind)}).Increment();
    // Serialised once, before the lock, and shared by every queue it enters.
    auto message = std::make_shared<const std::string>(LiveEventMessage(event));
    std::vector<std::shared_ptr<LiveSink>> woken;
    std::vector<std::shared_ptr<LiveSink>> dropped;
    {
        std::lock_guard lock(mutex_);
        for (auto it = subscriptions_.begin(); it != subscriptions_.end();) {
            Subscription& subscription = it->second;
            if (!subscription.topic.Matches(event)) {
                ++it;
                continue;
            }
            std::shared_ptr<LiveSink> sink = subscription.sink.lock();
            if (!sink || subscription.queue.size() >= queue_limit_) {
                if (sink) {
                    dropped.push_back(std::move(sink));
                }
                it = subscriptions_.erase(it);
                subscribers_.Add(-1);
                continue;
            }
            if (subscription.queue.empty()) {
                woken.push_back(std::move(sink));
            }
            subscription.queue.push_back(LiveDelivery{message, event.patient});
            ++it;
        }
    }
    dropped_.Increment(dropped.size());
    for (const std::shared_ptr<LiveSink>& sink : dropped) {
        sink->OnDropped(kSlowClientReason);
    }
    for (const std::shared_ptr<LiveSink>& sink : woken) {
        sink->OnMessages();
    }
}

std::size_t LiveHub::SubscriberCount() const {
    std::lock_guard lock(mutex_);
    return subscriptions_.size();
}

}  // namespace kclinic::adapters::http
