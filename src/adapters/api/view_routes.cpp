// The screens' read models (issue 12 §1: each screen loads in one or two requests): the clinic board of a day, a
// patient's chart, a treatment session's screen, and the staff directory.

#include <chrono>
#include <optional>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/view_json.hpp"

namespace kclinic::adapters::api {

void AddViewRoutes(ApiRouter& api, ApiServices& services) {
    using app::Permission;

    api.Add(Method::kGet, "/api/v1/board", Permission::kSessionRead, Subject::kNone, {"date"},
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::optional<std::chrono::sys_days> date, QueryDate(call.request, "date"));
                ASSIGN_OR_RETURN(const app::ClinicBoard board, services.use_cases.views.Board(call.actor, date));
                return JsonResponse(200, json::ToJson(board));
            });

    api.Add(Method::kGet, "/api/v1/patients/{id}/chart", Permission::kChartRead, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::PatientChart chart,
                                 services.use_cases.views.Chart(call.actor, app::PatientId{call.id}, settings));
                return JsonResponse(200, json::ToJson(chart));
            });

    api.Add(Method::kGet, "/api/v1/sessions/{id}/screen", Permission::kSessionRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::SessionScreen screen,
                                 services.use_cases.views.Session(call.actor, app::SessionId{call.id}, settings));
                return JsonResponse(200, json::ToJson(screen));
            });

    api.Add(Method::kGet, "/api/v1/staff", Permission::kStaffRead, Subject::kNone,
            [&services](ApiCall&) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::vector<app::StaffMember> staff, services.use_cases.views.Staff());
                Json items = Json::array();
                for (const app::StaffMember& member : staff) {
                    items.push_back(json::ToJson(member));
                }
                return JsonResponse(200, Json{{"items", std::move(items)}});
            });
}

}  // namespace kclinic::adapters::api
