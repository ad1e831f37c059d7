// Alerts: listed (by patient, by session, by whom they notify, open only) and acknowledged by a person, which the live
// channel announces once committed.

#include <optional>
#include <string>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/live_events.hpp"
#include "adapters/json/record_json.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

}  // namespace

void AddAlertRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/alerts", Permission::kAlertRead, Subject::kNone,
            Paged({"patient_id", "session", "notify", "open"}), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::optional<std::int64_t> patient, QueryId(call.request, "patient_id"));
                ASSIGN_OR_RETURN(std::optional<std::int64_t> session, QueryId(call.request, "session"));
                ASSIGN_OR_RETURN(bool open, QueryBoolean(call.request, "open"));
                app::AlertFilter filter;
                if (patient) {
                    filter.patient = app::PatientId{*patient};
                }
                if (session) {
                    filter.session = app::SessionId{*session};
                }
                if (const auto notify = call.request.QueryParameter("notify")) {
                    filter.notify = std::string(*notify);
                }
                filter.open_only = open;
                filter.after_id = page.after;
                filter.limit = page.limit;
                ASSIGN_OR_RETURN(std::vector<app::Alert> alerts,
                                 services.use_cases.alerts.ListAlerts(call.actor, filter));
                return KeysetPage(
                    alerts, page, [](const app::Alert& a) { return a.id.value; },
                    [](const app::Alert& a) { return json::ToJson(a); });
            });

    api.Add(Method::kPost, "/api/v1/alerts/{id}/acknowledge", Permission::kAlertAcknowledge, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string note = body.OptionalString("note").value_or("");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::Alert acknowledged,
                                 services.use_cases.alerts.Acknowledge(call.actor, app::AlertId{call.id}, note));
                services.events.Publish(json::AlertAcknowledgedEvent(acknowledged));
                return JsonResponse(200, json::ToJson(acknowledged));
            });
}

}  // namespace kclinic::adapters::api
