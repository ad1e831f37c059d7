#pragma once

// The bus `kclinic serve` publishes live events on, chosen by the database: several server processes may share a
// PostgreSQL database, and each must hand its watchers the events written through any of them.

#include <memory>
#include <string_view>

#include "adapters/http/metrics.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/ports/event_bus.hpp"
#include "base/result.hpp"

namespace kclinic::cli {

// For a PostgreSQL `url`, the relay around the process's own `local` bus (storage::OpenEventRelay), whose counts
// `metrics` shows as kclinic_live_relay_events_total{outcome} and kclinic_live_relay_reconnects_total: publish on
// it; its lines for an operator go to `log`. For a SQLite `url`, null: publish on `local`. `local` and `metrics` must
// outlive the relay.
// Errors: OpenEventRelay's (kInvalidArgument "--db" for a URL of neither form).
[[nodiscard]] Result<std::unique_ptr<app::EventBus>> OpenLiveRelay(std::string_view url, app::EventBus& local,
                                                                   adapters::http::MetricsRegistry& metrics,
                                                                   adapters::storage::EventRelayLog log);

}  // namespace kclinic::cli
