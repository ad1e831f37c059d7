// Treatment courses, the day's sessions, each step of the session state machine (shared/design.md §3), signed dose
// orders and administrations (app/course_records.hpp, session_steps.hpp and dose_records.hpp). Every session step
// and administration is published to the live channel once committed, so the clinic board and the session screen
// follow without polling.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/live_events.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/json/view_json.hpp"
#include "base/text.hpp"
#include "clinical/administration.hpp"
#include "clinical/dose.hpp"
#include "clinical/schedule.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

std::string CourseLocation(app::CourseId id) {
    return "/api/v1/courses/" + std::to_string(id.value);
}

// A session as schedule.read shows it (courses, the day's list): its plan and state without the clinical detail
// that session.read guards (docs/security.md): the BP override and the reason of a hold or abort. A cancellation's
// reason stays, since the front desk reschedules by it.
Json ScheduledSessionJson(const app::TreatmentSession& session) {
    Json json = json::ToJson(session);
    json.erase("bp_override");
    if (session.state != clinical::SessionState::kCancelled) {
        json.erase("state_reason");
    }
    return json;
}

// A course as answered: the course with its sessions in number order.
Json CourseJson(const app::CourseRecord& record) {
    Json json = json::ToJson(record.course);
    Json sessions = Json::array();
    for (const app::TreatmentSession& session : record.sessions) {
        sessions.push_back(ScheduledSessionJson(session));
    }
    json["sessions"] = std::move(sessions);
    return json;
}

// A body that must hold no field (an empty body, or {}): a step that takes nothing refuses what it would ignore.
Status NoFields(const HttpRequest& request) {
    ObjectReader body(request.body);
    return body.Finish();
}

// `{"reason": "..."}`, the only field.
Result<std::string> ReasonOnly(const HttpRequest& request) {
    ObjectReader body(request.body);
    std::string reason = body.String("reason");
    RETURN_IF_ERROR(body.Finish());
    return reason;
}

void AddCourses(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kPost, "/api/v1/patients/{id}/courses", Permission::kCourseManage, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::NewCourse course;
                course.indication = body.String("indication");
                const std::string protocol = body.String("protocol");
                const std::string route = body.String("route");
                course.start_date = body.Date("start_date");
                course.screening_override_reason = body.OptionalString("screening_override_reason").value_or("");
                RETURN_IF_ERROR(body.Finish());
                Result<clinical::Protocol> parsed_protocol = clinical::ParseProtocol(protocol);
                if (!parsed_protocol.ok()) {
                    return WithField(parsed_protocol.error(), "protocol");
                }
                Result<clinical::Route> parsed_route = clinical::ParseRoute(route);
                if (!parsed_route.ok()) {
                    return WithField(parsed_route.error(), "route");
                }
                course.protocol = *parsed_protocol;
                course.route = *parsed_route;
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::CourseRecord started, services.use_cases.courses.StartCourse(
                                                                call.actor, app::PatientId{call.id}, course, settings));
                return Created(CourseLocation(started.course.id), CourseJson(started));
            });

    api.Add(Method::kGet, "/api/v1/patients/{id}/courses", Permission::kScheduleRead, Subject::kPathPatient, Paged(),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::CourseRecord> courses,
                                 services.use_cases.courses.ListCourses(call.actor, app::PatientId{call.id}));
                return PageOf(
                    courses, page, [](const app::CourseRecord& c) { return c.course.id.value; }, CourseJson);
            });

    api.Add(Method::kGet, "/api/v1/courses/{id}", Permission::kScheduleRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::CourseRecord course,
                                 services.use_cases.courses.GetCourse(call.actor, app::CourseId{call.id}));
                return JsonResponse(200, CourseJson(course));
            });

    using Change = std::function<Result<app::TreatmentCourse>(ApiCall & call, app::CourseId course)>;
    const auto add_change = [&api](std::string_view pattern, Change change) {
        api.Add(Method::kPost, pattern, Permission::kCourseManage, Subject::kNone,
                [change = std::move(change)](ApiCall& call) -> Result<HttpResponse> {
                    ASSIGN_OR_RETURN(app::TreatmentCourse changed, change(call, app::CourseId{call.id}));
                    return JsonResponse(200, json::ToJson(changed));
                });
    };
    add_change("/api/v1/courses/{id}/pause",
               [&services](ApiCall& call, app::CourseId course) -> Result<app::TreatmentCourse> {
                   ASSIGN_OR_RETURN(const std::string reason, ReasonOnly(call.request));
                   return services.use_cases.courses.PauseCourse(call.actor, course, reason);
               });
    add_change("/api/v1/courses/{id}/resume",
               [&services](ApiCall& call, app::CourseId course) -> Result<app::TreatmentCourse> {
                   RETURN_IF_ERROR(NoFields(call.request));
                   return services.use_cases.courses.ResumeCourse(call.actor, course);
               });
    add_change("/api/v1/courses/{id}/end",
               [&services](ApiCall& call, app::CourseId course) -> Result<app::TreatmentCourse> {
                   ASSIGN_OR_RETURN(const std::string reason, ReasonOnly(call.request));
                   return services.use_cases.courses.EndCourse(call.actor, course, reason);
               });
}

void AddSessionReads(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/sessions", Permission::kScheduleRead, Subject::kNone, Paged({"date"}),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                const std::optional<std::string_view> text = call.request.QueryParameter("date");
                if (!text) {
                    return InvalidArgument("date", "is required: the day, YYYY-MM-DD");
                }
                const std::optional<std::chrono::sys_days> date = ParseDate(*text);
                if (!date) {
                    return InvalidArgument("date",
                                           "must be a calendar date YYYY-MM-DD (got \"" + std::string(*text) + "\")");
                }
                ASSIGN_OR_RETURN(std::vector<app::TreatmentSession> sessions,
                                 services.use_cases.sessions.ListSessionsOn(call.actor, *date));
                return PageOf(
                    sessions, page, [](const app::TreatmentSession& s) { return s.id.value; }, ScheduledSessionJson);
            });

    api.Add(Method::kGet, "/api/v1/sessions/{id}", Permission::kSessionRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::SessionRecord session,
                                 services.use_cases.sessions.GetSession(call.actor, app::SessionId{call.id}));
                return JsonResponse(200, json::ToJson(session));
            });
}

// One step of the state machine: the use case's refusal (kFailedPrecondition naming the precondition) answers 409
// with that field; a step taken is published and answered with the session.
using Step = std::function<Result<app::TreatmentSession>(ApiCall& call, app::SessionId session)>;

void AddStep(ApiRouter& api, ApiServices& services, std::string_view pattern, Permission permission, Step step) {
    api.Add(Method::kPost, pattern, permission, Subject::kNone,
            [&services, step = std::move(step)](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::TreatmentSession session, step(call, app::SessionId{call.id}));
                services.events.Publish(json::SessionStateEvent(session));
                return JsonResponse(200, json::ToJson(session));
            });
}

// A step that takes no field.
Step Bare(std::function<Result<app::TreatmentSession>(const app::Actor& actor, app::SessionId session)> run) {
    return [run = std::move(run)](ApiCall& call, app::SessionId session) -> Result<app::TreatmentSession> {
        RETURN_IF_ERROR(NoFields(call.request));
        return run(call.actor, session);
    };
}

// A step that takes only a reason (held, cancelled, aborted).
Step WithReason(
    std::function<Result<app::TreatmentSession>(const app::Actor& actor, app::SessionId session, std::string_view)>
        run) {
    return [run = std::move(run)](ApiCall& call, app::SessionId session) -> Result<app::TreatmentSession> {
        ASSIGN_OR_RETURN(std::string reason, ReasonOnly(call.request));
        return run(call.actor, session, reason);
    };
}

void AddSessionSteps(ApiRouter& api, ApiServices& services) {
    AddStep(api, services, "/api/v1/sessions/{id}/check-in", Permission::kSessionCheckIn,
            [&services](ApiCall& call, app::SessionId session) -> Result<app::TreatmentSession> {
                ObjectReader body(call.request.body);
                const bool consent = body.Boolean("consent_confirmed");
                const bool escort = body.Boolean("escort_confirmed");
                RETURN_IF_ERROR(body.Finish());
                return services.use_cases.sessions.CheckIn(call.actor, session, consent, escort);
            });
    AddStep(api, services, "/api/v1/sessions/{id}/pre-dose", Permission::kSessionAdvance,
            [&services](ApiCall& call, app::SessionId session) -> Result<app::TreatmentSession> {
                RETURN_IF_ERROR(NoFields(call.request));
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                return services.use_cases.sessions.ConfirmPreDose(call.actor, session, settings);
            });
    // The prescriber's override of a pre-dose BP above the gate: its own route, so it needs its own permission.
    AddStep(api, services, "/api/v1/sessions/{id}/pre-dose-override", Permission::kSessionOverrideBpGate,
            [&services](ApiCall& call, app::SessionId session) -> Result<app::TreatmentSession> {
                ObjectReader body(call.request.body);
                std::string reason = body.String("override_reason");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                return services.use_cases.sessions.ConfirmPreDose(call.actor, session, settings, std::move(reason));
            });
    AddStep(api, services, "/api/v1/sessions/{id}/hold", Permission::kSessionAdvance,
            WithReason([&services](const app::Actor& actor, app::SessionId session, std::string_view reason) {
                return services.use_cases.sessions.Hold(actor, session, reason);
            }));
    AddStep(api, services, "/api/v1/sessions/{id}/start-dosing", Permission::kSessionAdvance,
            Bare([&services](const app::Actor& actor, app::SessionId session) {
                return services.use_cases.sessions.StartDosing(actor, session);
            }));
    AddStep(api, services, "/api/v1/sessions/{id}/start-monitoring", Permission::kSessionAdvance,
            Bare([&services](const app::Actor& actor, app::SessionId session) {
                return services.use_cases.sessions.StartMonitoring(actor, session);
            }));
    AddStep(api, services, "/api/v1/sessions/{id}/ready-for-discharge", Permission::kSessionAdvance,
            Bare([&services](const app::Actor& actor, app::SessionId session) {
                return services.use_cases.sessions.ReadyForDischarge(actor, session);
            }));
    AddStep(api, services, "/api/v1/sessions/{id}/discharge", Permission::kSessionAdvance,
            [&services](ApiCall& call, app::SessionId session) -> Result<app::TreatmentSession> {
                ObjectReader body(call.request.body);
                const bool confirmed = body.Boolean("discharge_criteria_confirmed");
                RETURN_IF_ERROR(body.Finish());
                return services.use_cases.sessions.Discharge(call.actor, session, confirmed);
            });
    AddStep(api, services, "/api/v1/sessions/{id}/abort", Permission::kSessionAdvance,
            WithReason([&services](const app::Actor& actor, app::SessionId session, std::string_view reason) {
                return services.use_cases.sessions.Abort(actor, session, reason);
            }));
    AddStep(api, services, "/api/v1/sessions/{id}/cancel", Permission::kSessionCancel,
            WithReason([&services](const app::Actor& actor, app::SessionId session, std::string_view reason) {
                return services.use_cases.sessions.Cancel(actor, session, reason);
            }));
}

// A dose order as sent: the request, and the prescriber's reason to sign on a weight other than the patient's
// latest recorded one.
struct DoseOrderBody {
    clinical::DoseRequest request;
    std::optional<std::string> weight_reason;
};

// The prescriber's request under the names the stored order's "request" answers (record_json ToJson(DoseRequest)),
// but for first_dose: the record decides it (DoseRecords::SignDoseOrder), so the field is refused as unknown. Beside
// it the optional "weight_reason", as the stored order answers it.
Result<DoseOrderBody> ReadDoseOrderBody(const HttpRequest& http_request) {
    ObjectReader body(http_request.body);
    DoseOrderBody order;
    clinical::DoseRequest& request = order.request;
    order.weight_reason = body.OptionalString("weight_reason");
    const std::string route = body.String("route");
    request.weight_kg = body.Number("weight_kg");
    request.mg_per_kg = body.OptionalNumber("mg_per_kg");
    request.minutes = body.OptionalNumber("minutes");
    request.dose_mg = body.OptionalNumber("dose_mg");
    request.concentration_mg_per_ml = body.OptionalNumber("concentration_mg_per_ml");
    request.age_years = body.OptionalNumber("age_years");
    const std::optional<std::string> indication = body.OptionalString("indication");
    const std::string weight_basis = body.OptionalString("weight_basis").value_or("actual");
    request.height_cm = body.OptionalNumber("height_cm");
    request.sex = body.OptionalString("sex").value_or("");
    request.japanese_ancestry = body.OptionalBoolean("japanese_ancestry").value_or(false);
    RETURN_IF_ERROR(body.Finish());
    // Each Parse names its own field ("route", "weight_basis", "indication").
    ASSIGN_OR_RETURN(clinical::Route parsed_route, clinical::ParseRoute(route));
    request.route = parsed_route;
    ASSIGN_OR_RETURN(clinical::WeightBasis basis, clinical::ParseWeightBasis(weight_basis));
    request.weight_basis = basis;
    if (indication) {
        ASSIGN_OR_RETURN(clinical::EsketamineIndication parsed, clinical::ParseEsketamineIndication(*indication));
        request.indication = parsed;
    }
    return order;
}

void AddDosing(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kPost, "/api/v1/sessions/{id}/dose-order", Permission::kDoseOrderSign, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(DoseOrderBody body, ReadDoseOrderBody(call.request));
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::DoseOrderRecord order,
                                 services.use_cases.doses.SignDoseOrder(call.actor, app::SessionId{call.id},
                                                                        body.request, settings, body.weight_reason));
                return JsonResponse(201, json::ToJson(order));
            });

    api.Add(Method::kPost, "/api/v1/sessions/{id}/administrations", Permission::kAdministrationRecord, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::NewAdministration given;
                given.drug = body.String("drug");
                const std::string route = body.String("route");
                given.dose_mg = body.Number("dose_mg");
                given.rate_mg_per_h = body.OptionalNumber("rate_mg_per_h");
                given.device_count = body.OptionalInt("device_count");
                given.lot_number = body.String("lot_number");
                given.started_at = body.OptionalTime("started_at").value_or(call.now);
                given.stopped_at = body.OptionalTime("stopped_at");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(clinical::Route parsed_route, clinical::ParseRoute(route));
                given.route = parsed_route;
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::Administration recorded,
                                 services.use_cases.doses.RecordAdministration(call.actor, app::SessionId{call.id},
                                                                               given, settings));
                services.events.Publish(json::AdministrationEvent(recorded));
                return JsonResponse(201, json::ToJson(recorded));
            });

    // The end of an IV infusion: the nurse's stop, and the prescriber's stop accepting an infusion that ran faster
    // than twice the ordered rate (its own route, so it needs the prescriber's permission, as pre-dose-override).
    const auto add_stop = [&api, &services](std::string_view pattern, Permission permission, bool with_reason) {
        api.Add(Method::kPost, pattern, permission, Subject::kNone,
                [&services, with_reason](ApiCall& call) -> Result<HttpResponse> {
                    ObjectReader body(call.request.body);
                    app::NewInfusionStop stop;
                    stop.stopped_at = body.OptionalTime("stopped_at").value_or(call.now);
                    stop.given_mg = body.Number("given_mg");
                    if (with_reason) {
                        stop.fast_infusion_reason = body.String("fast_infusion_reason");
                    }
                    const std::optional<std::string> early = body.OptionalString("early_stop_reason");
                    RETURN_IF_ERROR(body.Finish());
                    if (early) {
                        ASSIGN_OR_RETURN(stop.early_stop_reason,
                                         clinical::kInfusionStopReasonNames.ParseField("early_stop_reason", *early));
                    }
                    ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                    ASSIGN_OR_RETURN(app::Administration stopped,
                                     services.use_cases.doses.StopInfusion(call.actor, app::AdministrationId{call.id},
                                                                           stop, settings));
                    services.events.Publish(json::AdministrationEvent(stopped));
                    return JsonResponse(200, json::ToJson(stopped));
                });
    };
    add_stop("/api/v1/administrations/{id}/stop", Permission::kAdministrationRecord, false);
    add_stop("/api/v1/administrations/{id}/stop-override", Permission::kDoseOrderSign, true);

    api.Add(Method::kPost, "/api/v1/patients/{id}/administrations/{administration_id}/entered-in-error",
            Permission::kAdministrationRecord, Subject::kPathPatient,
            MarkEnteredInErrorHandler("administration_id", [&services](const app::Actor& actor, app::PatientId patient,
                                                                       std::int64_t id, std::string_view reason) {
                return services.use_cases.doses.MarkAdministrationEnteredInError(actor, patient,
                                                                                 app::AdministrationId{id}, reason);
            }));

    api.Add(Method::kPost, "/api/v1/sessions/{id}/medications", Permission::kAdministrationRecord, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::NewSessionMedication given;
                given.drug = body.String("drug");
                given.dose = body.Number("dose");
                const std::string unit = body.String("unit");
                const std::string route = body.String("route");
                given.given_at = body.OptionalTime("given_at").value_or(call.now);
                given.indication = body.String("indication");
                const std::string order_kind = body.String("order_kind");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(given.unit, clinical::kMedicationUnitNames.ParseField("unit", unit));
                ASSIGN_OR_RETURN(given.route, clinical::kMedicationRouteNames.ParseField("route", route));
                ASSIGN_OR_RETURN(given.order_kind,
                                 clinical::kMedicationOrderKindNames.ParseField("order_kind", order_kind));
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::SessionMedication recorded,
                                 services.use_cases.doses.RecordSessionMedication(call.actor, app::SessionId{call.id},
                                                                                  given, settings));
                return JsonResponse(201, json::ToJson(recorded));
            });
}

}  // namespace

void AddTreatmentRoutes(ApiRouter& api, ApiServices& services) {
    AddCourses(api, services);
    AddSessionReads(api, services);
    AddSessionSteps(api, services);
    AddDosing(api, services);
}

}  // namespace kclinic::adapters::api
