// The patient portal: what a patient sees of their own record in one call (app/portal.hpp). Patients answer their
// questionnaires through POST /api/v1/patients/{id}/portal/assessments (patient_routes.cpp).

#include <string>

#include "adapters/api/routes.hpp"
#include "adapters/json/clinical_json.hpp"
#include "base/text.hpp"
#include "clinical/dose.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::adapters::api {
namespace {

Json PortalJson(const app::PortalView& view) {
    Json sessions = Json::array();
    for (const app::PortalSession& session : view.upcoming_sessions) {
        sessions.push_back({{"session_id", session.id.value},
                            {"planned_date", FormatDate(session.planned_date)},
                            {"state", clinical::SessionStateName(session.state)},
                            {"route", clinical::RouteName(session.route)}});
    }
    Json scores = Json::array();
    for (const app::PortalScore& score : view.recent_scores) {
        scores.push_back({{"assessment_id", score.id.value},
                          {"instrument", clinical::InstrumentName(score.instrument)},
                          {"total", score.total},
                          {"band", score.band},
                          {"assessed_at", json::FormatTime(score.assessed_at)}});
    }
    Json preparation = Json::array();
    for (const app::PortalPreparation& item : view.preparation) {
        preparation.push_back({{"route", clinical::RouteName(item.route)},
                               {"instructions", item.instructions.text},
                               {"source", item.instructions.source}});
    }
    Json crisis = Json::array();
    for (const clinical::CrisisResource& resource : view.crisis_resources) {
        crisis.push_back({{"name", resource.name}, {"contact", resource.contact}, {"source", resource.source}});
    }
    return Json{{"patient_id", view.patient.value},         {"given_name", view.given_name},
                {"upcoming_sessions", std::move(sessions)}, {"recent_scores", std::move(scores)},
                {"preparation", std::move(preparation)},    {"suicidality_flagged", view.suicidality_flagged},
                {"crisis_resources", std::move(crisis)}};
}

}  // namespace

void AddPortalRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/portal", app::Permission::kPortalRead, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::PortalView view,
                                 services.use_cases.portal.Read(call.actor, app::PatientId{call.id}, settings.region));
                return JsonResponse(200, PortalJson(view));
            });
}

}  // namespace kclinic::adapters::api
