#include "adapters/http/operational_routes.hpp"

#include <exception>

#include "adapters/http/http_error.hpp"
#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

std::string EscapeHtml(std::string_view text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
            case '&':
                escaped += "&amp;";
                break;
            case '<':
                escaped += "&lt;";
                break;
            case '>':
                escaped += "&gt;";
                break;
            case '"':
                escaped += "&quot;";
                break;
            default:
                escaped += c;
        }
    }
    return escaped;
}

std::string IndexPage(const ServiceInfo& info) {
    const std::string version = EscapeHtml(info.version);
    return "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>kclinic " + version +
           "</title></head>\n<body>\n<h1>kclinic " + version + "</h1>\n<p>The kclinic server is running on a " +
           EscapeHtml(info.backend) +
           " database. It is clinical decision support: every result it gives needs a clinician's judgement.</p>\n"
           "<ul>\n<li>The JSON API lives under <code>/api/v1</code>; <code>docs/api.md</code> in the kclinic "
           "source describes it.</li>\n<li><a href=\"/healthz\">/healthz</a>: liveness and database "
           "reachability.</li>\n<li><a href=\"/metrics\">/metrics</a>: Prometheus metrics.</li>\n</ul>\n"
           "</body>\n</html>\n";
}

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

void AddOperationalRoutes(Router& router, const MetricsRegistry& metrics, const ServiceInfo& info,
                          ReadinessProbe ready) {
    router.Add(Method::kGet, "/", WithoutQuery([page = IndexPage(info)](const HttpRequest&, const PathParams&) {
                   return HttpResponse{200, std::string(kHtmlContentType), {}, page};
               }));
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
