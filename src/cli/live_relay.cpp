#include "cli/live_relay.hpp"

#include "adapters/storage/open_store.hpp"

namespace kclinic::cli {

Result<std::unique_ptr<app::EventBus>> OpenLiveRelay(std::string_view url, app::EventBus& local,
                                                     adapters::http::MetricsRegistry& metrics,
                                                     adapters::storage::EventRelayLog log) {
    if (!adapters::storage::SqlitePath(url).empty()) {
        return std::unique_ptr<app::EventBus>();
    }
    adapters::http::CounterFamily& events = metrics.AddCounter(
        "kclinic_live_relay_events_total",
        "Live events relayed between server processes over PostgreSQL NOTIFY, by outcome: sent, received, "
        "dropped (queue full or sending failed), too_large (over the NOTIFY payload limit), malformed (skipped)",
        {"outcome"});
    adapters::http::Counter& reconnects =
        metrics
            .AddCounter("kclinic_live_relay_reconnects_total",
                        "Connections of the live event relay established again after PostgreSQL dropped them")
            .Labels({});
    // Every outcome from the start, at zero, so a dashboard's rate() has a series before the first event.
    for (std::string_view outcome : {"sent", "received", "dropped", "too_large", "malformed"}) {
        static_cast<void>(events.Labels({outcome}));
    }
    return adapters::storage::OpenEventRelay(
        url, local,
        [&events, &reconnects](std::string_view what) {
            if (what == "reconnect") {
                reconnects.Increment();
            } else {
                events.Labels({what}).Increment();
            }
        },
        std::move(log));
}

}  // namespace kclinic::cli
