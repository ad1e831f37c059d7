// The patient portal: what a patient sees of their own record in one call (app/portal.hpp), and the questionnaires
// clinicians assign for it (app/questionnaires.hpp). Patients answer their questionnaires through
// POST /api/v1/patients/{id}/portal/assessments (patient_routes.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/clinical_json.hpp"
#include "base/text.hpp"
#include "clinical/dose.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::adapters::api {
namespace {

Json OptionalTimeJson(const std::optional<app::TimePoint>& at) {
    return at ? Json(json::FormatTime(*at)) : Json(nullptr);
}

Json AssignedJson(const app::AssignedQuestionnaire& state) {
    Json json = json::ToJson(state.assignment);
    json.erase("patient_id");  // the route names the patient
    json["last_answered_at"] = OptionalTimeJson(state.last_answered_at);
    json["next_due"] = state.next_due ? Json(FormatDate(*state.next_due)) : Json(nullptr);
    json["due"] = state.due;
    return json;
}

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
    for (const app::PortalCrisisResource& resource : view.crisis_resources) {
        crisis.push_back({{"name", resource.name}, {"contact", resource.contact}, {"source", resource.source}});
    }
    Json questionnaires = Json::array();
    for (const app::AssignedQuestionnaire& assigned : view.questionnaires) {
        questionnaires.push_back(AssignedJson(assigned));
    }
    return Json{{"patient_id", view.patient.value},
                {"given_name", view.given_name},
                {"time_zone", view.time_zone},
                {"questionnaires", std::move(questionnaires)},
                {"upcoming_sessions", std::move(sessions)},
                {"recent_scores", std::move(scores)},
                {"preparation", std::move(preparation)},
                {"suicidality_flagged", view.suicidality_flagged},
                {"crisis_text", view.crisis_text},
                {"crisis_resources", std::move(crisis)}};
}

void AddQuestionnaireRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/questionnaires", app::Permission::kAssessmentRead,
            Subject::kPathPatient, [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::vector<app::AssignedQuestionnaire> assigned,
                                 services.use_cases.questionnaires.List(call.actor, app::PatientId{call.id}));
                Json items = Json::array();
                for (const app::AssignedQuestionnaire& state : assigned) {
                    items.push_back(AssignedJson(state));
                }
                return JsonResponse(200, Json{{"questionnaires", std::move(items)}});
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/questionnaires", app::Permission::kQuestionnaireAssign,
            Subject::kPathPatient, [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string instrument_name = body.String("instrument");
                app::NewQuestionnaireAssignment request;
                request.first_due = body.OptionalDate("first_due");
                request.every_days = body.OptionalInt("every_days");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(request.instrument, clinical::ParseInstrument(instrument_name));
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(
                    const app::AssignedQuestionnaire assigned,
                    services.use_cases.questionnaires.Assign(call.actor, app::PatientId{call.id}, request, settings));
                return JsonResponse(201, AssignedJson(assigned));
            });

    api.Add(Method::kDelete, "/api/v1/patients/{id}/questionnaires/{assignment_id}",
            app::Permission::kQuestionnaireAssign, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::int64_t id, PathId(call, "assignment_id"));
                ASSIGN_OR_RETURN(const app::AssignedQuestionnaire ended,
                                 services.use_cases.questionnaires.End(call.actor, app::PatientId{call.id},
                                                                       app::QuestionnaireAssignmentId{id}));
                return JsonResponse(200, AssignedJson(ended));
            });
}

}  // namespace

void AddPortalRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/portal", app::Permission::kPortalRead, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::PortalView view,
                                 services.use_cases.portal.Read(call.actor, app::PatientId{call.id}, settings));
                return JsonResponse(200, PortalJson(view));
            });
    AddQuestionnaireRoutes(api, services);
}

}  // namespace kclinic::adapters::api
