#pragma once

// The routes every kclinic server answers besides the API and the web front end (web_front_end.hpp): `/healthz`
// (liveness and readiness) and `/metrics` (Prometheus text). docs/api.md documents their responses.

#include <functional>
#include <string>

#include "adapters/http/metrics.hpp"
#include "adapters/http/router.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::http {

// What runs, as the metric kclinic_build_info{version,backend} names it.
struct ServiceInfo {
    std::string version;  // "0.1.0"
    std::string backend;  // "sqlite" or "postgres"
};

// Whether the server can do its work; for kclinic, whether the database answers a trivial query. Called on a
// worker thread for every GET /healthz, so it must be cheap; it may block briefly. An error (or an exception) is
// reported as not ready with its message.
using ReadinessProbe = std::function<Status()>;

// GET /healthz -> 200 {"status":"ok","database":"ok"} when `ready` succeeds, else 503
// {"status":"unavailable","database":"unavailable","reason":"..."}; GET /metrics -> 200 `metrics` rendered.
// Any query parameter is refused 400 naming it. Registers kclinic_build_info in `metrics` (REQUIRES: not registered
// yet), which must outlive the router.
void AddOperationalRoutes(Router& router, MetricsRegistry& metrics, const ServiceInfo& info, ReadinessProbe ready);

}  // namespace kclinic::adapters::http
