#include "adapters/http/operational_routes.hpp"

#include <exception>

#include "adapters/http/http_error.hpp"
#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

HttpResponse Health(const ReadinessProbe& ready) {
    std::string reason;
    try {
        if (Status status = ready(); !status.ok()) {
            reason = status.error().ToString();
        }
    } catch (const std::exception& error) {
        reason = error.what();
    }
    json::Json body{{"status", reason.empty() ? "ok" : "unavailable"},
                    {"database", reason.empty() ? "ok" : "unavailable"}};
    if (!reason.empty()) {
        body["reason"] = reason;
    }
    return HttpResponse{reason.empty() ? 200 : 503,
                        std::string(kJsonContentType),
                        {},
                        body.dump(-1, ' ', false, json::Json::error_handler_t::replace)};
}

// These routes take no query parameter: one sent is refused naming it, as on every API route (docs/api.md).
Handler WithoutQuery(Handler handler) {
    return [handler = std::move(handler)](const HttpRequest& request, const PathParams& params) {
        if (Status none = CheckQueryParameters(request, {}); !none.ok()) {
            return ErrorResponse(none.error());
        }
        return handler(request, params);
    };
}

}  // namespace

void AddOperationalRoutes(Router& router, MetricsRegistry& metrics, const ServiceInfo& info, ReadinessProbe ready) {
    // The Prometheus convention for what runs: a gauge fixed at 1 whose labels say it.
    metrics
        .AddGauge("kclinic_build_info", "The kclinic version serving and its database backend (always 1)",
                  {"version", "backend"})
        .Labels({info.version, info.backend})
        .Set(1);
    router.Add(Method::kGet, "/healthz",
               WithoutQuery([ready = std::move(ready)](const HttpRequest&, const PathParams&) {
                   HttpResponse response = Health(ready);
                   response.headers.Set("Cache-Control", "no-store");
                   return response;
               }));
    router.Add(Method::kGet, "/metrics", WithoutQuery([&metrics](const HttpRequest&, const PathParams&) {
                   return HttpResponse{200, std::string(kMetricsContentType), {}, metrics.Render()};
               }));
}

}  // namespace kclinic::adapters::http
