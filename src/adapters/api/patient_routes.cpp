// Patients (demographics under ETag/If-Match), weights, vital signs and assessments. Recorded vitals and scores, and
// the alerts they raise, are published to the live channel once committed.

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/live_events.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/json/view_json.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/scales.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

std::string PatientLocation(app::PatientId id) {
    return "/api/v1/patients/" + std::to_string(id.value);
}

HttpResponse PatientResponse(int status, const app::Patient& patient) {
    return VersionedResponse(status, json::ToJson(patient), patient.version, PatientLocation(patient.id));
}

// The demographics of a registration or an update: every field required, so an update replaces them whole.
Result<app::NewPatient> ReadDemographics(const HttpRequest& request) {
    ObjectReader body(request.body);
    app::NewPatient patient;
    patient.mrn = body.String("mrn");
    patient.given_name = body.String("given_name");
    patient.family_name = body.String("family_name");
    patient.birth_date = body.Date("birth_date");
    const std::string sex = body.String("sex");
    patient.clinician = body.OptionalString("clinician").value_or("");
    patient.address = body.OptionalString("address").value_or("");
    RETURN_IF_ERROR(body.Finish());
    Result<clinical::Sex> parsed = clinical::ParseSex(sex);
    if (!parsed.ok()) {
        return WithField(parsed.error(), "sex");
    }
    patient.sex = *parsed;
    return patient;
}

void AddPatientsCollection(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients", Permission::kPatientList, Subject::kNone, Paged({"mrn", "name", "q"}),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                if (const std::optional<std::string_view> q = call.request.QueryParameter("q")) {
                    // The quick search answers summaries (age, current course) for a list to pick from.
                    if (call.request.QueryParameter("mrn") || call.request.QueryParameter("name")) {
                        return InvalidArgument("q", "search by q, mrn or name, one of them");
                    }
                    ASSIGN_OR_RETURN(std::vector<app::PatientSummary> found,
                                     services.use_cases.patients.QuickSearch(call.actor, *q, app::PatientId{page.after},
                                                                             page.limit));
                    return KeysetPage(
                        found, page, [](const app::PatientSummary& s) { return s.patient.id.value; },
                        [](const app::PatientSummary& s) { return json::ToJson(s); });
                }
                app::PatientSearch search;
                if (const std::optional<std::string_view> mrn = call.request.QueryParameter("mrn")) {
                    search.mrn = std::string(*mrn);
                }
                if (const std::optional<std::string_view> name = call.request.QueryParameter("name")) {
                    search.name = std::string(*name);
                }
                const app::PatientId after{page.after};
                ASSIGN_OR_RETURN(std::vector<app::Patient> patients,
                                 search.mrn || search.name
                                     ? services.use_cases.patients.SearchPatients(call.actor, search, after, page.limit)
                                     : services.use_cases.patients.ListPatients(call.actor, after, page.limit));
                return KeysetPage(
                    patients, page, [](const app::Patient& p) { return p.id.value; },
                    [](const app::Patient& p) { return json::ToJson(p); });
            });

    api.Add(Method::kPost, "/api/v1/patients", Permission::kPatientRegister, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::NewPatient patient, ReadDemographics(call.request));
                ASSIGN_OR_RETURN(app::Patient registered,
                                 services.use_cases.patients.RegisterPatient(call.actor, patient));
                return PatientResponse(201, registered);
            });

    api.Add(Method::kGet, "/api/v1/patients/{id}", Permission::kPatientRead, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::Patient patient,
                                 services.use_cases.patients.GetPatient(call.actor, app::PatientId{call.id}));
                return PatientResponse(200, patient);
            });

    api.Add(Method::kPut, "/api/v1/patients/{id}", Permission::kPatientUpdate, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t version, RequiredIfMatch(call.request));
                ASSIGN_OR_RETURN(app::NewPatient demographics, ReadDemographics(call.request));
                app::Patient changed;
                changed.id = app::PatientId{call.id};
                changed.version = version;
                changed.mrn = demographics.mrn;
                changed.given_name = demographics.given_name;
                changed.family_name = demographics.family_name;
                changed.birth_date = demographics.birth_date;
                changed.sex = demographics.sex;
                changed.clinician = demographics.clinician;
                changed.address = demographics.address;
                ASSIGN_OR_RETURN(app::Patient updated, services.use_cases.patients.UpdatePatient(call.actor, changed));
                return PatientResponse(200, updated);
            });
}

void AddWeights(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/weights", Permission::kPatientRead, Subject::kPathPatient, Paged(),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::WeightMeasurement> weights,
                                 services.use_cases.patients.ListWeights(call.actor, app::PatientId{call.id}));
                // The cursor is the position in the history, so pages follow its clinical order (oldest first).
                std::vector<std::pair<std::int64_t, const app::WeightMeasurement*>> numbered;
                for (std::size_t i = 0; i < weights.size(); ++i) {
                    numbered.emplace_back(static_cast<std::int64_t>(i + 1), &weights[i]);
                }
                return PageOf(
                    numbered, page, [](const auto& item) { return item.first; },
                    [](const auto& item) { return json::ToJson(*item.second); });
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/weights", Permission::kWeightRecord, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const double weight_kg = body.Number("weight_kg");
                const std::optional<app::TimePoint> measured_at = body.OptionalTime("measured_at");
                const bool confirmed = body.OptionalBoolean("confirmed").value_or(false);
                RETURN_IF_ERROR(body.Finish());
                const app::PatientId patient{call.id};
                const app::TimePoint at = measured_at.value_or(call.now);
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(
                    app::WeightMeasurement recorded,
                    services.use_cases.patients.RecordWeight(call.actor, patient, at, weight_kg, confirmed, settings));
                return JsonResponse(201, json::ToJson(recorded));
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/weights/{weight_id}/entered-in-error", Permission::kWeightRecord,
            Subject::kPathPatient,
            MarkEnteredInErrorHandler("weight_id", [&services](const app::Actor& actor, app::PatientId patient,
                                                               std::int64_t id, std::string_view reason) {
                return services.use_cases.patients.MarkWeightEnteredInError(actor, patient, app::WeightId{id}, reason);
            }));
}

void AddVitals(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/vitals", Permission::kVitalRead, Subject::kPathPatient,
            QueryParameters{"limit", "session"}, [&services](ApiCall& call) -> Result<HttpResponse> {
                // The most recent vitals, oldest first: a chart reads the latest `limit` (default 100), of one
                // session with ?session=ID.
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::optional<std::int64_t> session, QueryId(call.request, "session"));
                std::optional<app::SessionId> in_session;
                if (session) {
                    in_session = app::SessionId{*session};
                }
                ASSIGN_OR_RETURN(std::vector<app::VitalSign> vitals,
                                 services.use_cases.patients.ListVitalSigns(call.actor, app::PatientId{call.id},
                                                                            in_session, page.limit));
                Json items = Json::array();
                for (const app::VitalSign& vital : vitals) {
                    items.push_back(json::ToJson(vital));
                }
                return JsonResponse(200, Json{{"items", std::move(items)}});
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/vitals", Permission::kVitalRecord, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::NewVitalSign vital;
                vital.patient = app::PatientId{call.id};
                vital.loinc = body.String("loinc");
                if (vital.loinc == clinical::kBloodPressurePanelLoinc) {
                    // One reading, one request: its systolic and diastolic (and mean) by name.
                    vital.value = body.Number("systolic");
                    vital.diastolic = body.Number("diastolic");
                    vital.mean_arterial = body.OptionalNumber("mean_arterial");
                } else {
                    vital.value = body.Number("value");
                }
                vital.unit = body.String("unit");
                vital.observed_at = body.OptionalTime("observed_at").value_or(call.now);
                const std::optional<std::int64_t> session = body.OptionalInteger("session_id");
                RETURN_IF_ERROR(body.Finish());
                if (session) {
                    vital.session = app::SessionId{*session};
                }
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::RecordedVitalSign recorded,
                                 services.use_cases.patients.RecordVitalSign(call.actor, vital, settings));
                json::PublishRecorded(services.events, recorded.vital, recorded.alerts);
                return JsonResponse(201, RecordedJson(json::ToJson(recorded.vital), recorded.alerts));
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/vitals/{vital_id}/entered-in-error", Permission::kVitalRecord,
            Subject::kPathPatient,
            MarkEnteredInErrorHandler("vital_id", [&services](const app::Actor& actor, app::PatientId patient,
                                                              std::int64_t id, std::string_view reason) {
                return services.use_cases.patients.MarkVitalSignEnteredInError(actor, patient, app::VitalSignId{id},
                                                                               reason);
            }));
}

// A staff member's rating (RecordAssessment) or a patient's own answers (RecordSelfReport): the same body and answer,
// the use case deciding what each may record.
using RecordAssessmentUseCase = Result<app::RecordedAssessment> (app::PatientRecords::*)(
    const app::Actor&, app::PatientId, clinical::Instrument, std::span<const int>, app::TimePoint,
    const clinical::ClinicSettings&);

ApiHandler RecordAssessmentHandler(ApiServices& services, RecordAssessmentUseCase record) {
    return [&services, record](ApiCall& call) -> Result<HttpResponse> {
        ObjectReader body(call.request.body);
        const std::string instrument_name = body.String("instrument");
        const std::vector<int> answers = body.IntArray("answers");
        const app::TimePoint assessed_at = body.OptionalTime("assessed_at").value_or(call.now);
        RETURN_IF_ERROR(body.Finish());
        ASSIGN_OR_RETURN(clinical::Instrument instrument, clinical::ParseInstrument(instrument_name));
        ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
        ASSIGN_OR_RETURN(app::RecordedAssessment recorded,
                         (services.use_cases.patients.*record)(call.actor, app::PatientId{call.id}, instrument, answers,
                                                               assessed_at, settings));
        json::PublishRecorded(services.events, recorded.assessment, recorded.alerts);
        return JsonResponse(201, RecordedJson(json::ToJson(recorded.assessment), recorded.alerts));
    };
}

void AddAssessments(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/assessments", Permission::kAssessmentRead, Subject::kPathPatient,
            Paged(), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::Assessment> assessments,
                                 services.use_cases.patients.ListAssessments(call.actor, app::PatientId{call.id}));
                return PageOf(
                    assessments, page, [](const app::Assessment& a) { return a.id.value; },
                    [](const app::Assessment& a) { return json::ToJson(a); });
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/assessments", Permission::kAssessmentRecord, Subject::kPathPatient,
            RecordAssessmentHandler(services, &app::PatientRecords::RecordAssessment));
    api.Add(Method::kPost, "/api/v1/patients/{id}/portal/assessments", Permission::kSelfReportRecord,
            Subject::kPathPatient, RecordAssessmentHandler(services, &app::PatientRecords::RecordSelfReport));
    api.Add(Method::kPost, "/api/v1/patients/{id}/assessments/{assessment_id}/entered-in-error",
            Permission::kAssessmentRecord, Subject::kPathPatient,
            MarkEnteredInErrorHandler("assessment_id", [&services](const app::Actor& actor, app::PatientId patient,
                                                                   std::int64_t id, std::string_view reason) {
                return services.use_cases.patients.MarkAssessmentEnteredInError(actor, patient, app::AssessmentId{id},
                                                                                reason);
            }));
}

}  // namespace

void AddPatientRoutes(ApiRouter& api, ApiServices& services) {
    AddPatientsCollection(api, services);
    AddWeights(api, services);
    AddVitals(api, services);
    AddAssessments(api, services);
}

}  // namespace kclinic::adapters::api
