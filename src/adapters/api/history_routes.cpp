// A patient's history (diagnoses, conditions, allergies, current medications, antidepressant trials) and
// eligibility screening on it, with the prescriber's sign-off (app/history_records.hpp).

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/record_json.hpp"
#include "app/record_names.hpp"
#include "clinical/eligibility.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

std::string ScreeningLocation(app::ScreeningId id) {
    return "/api/v1/screenings/" + std::to_string(id.value);
}

// The use case names the checked value by what it is ("code", "substance", "generic_name"); the request sends it
// as the record's "value", so the error names that field.
Error AsValueField(Error error) {
    if (error.field == "code" || error.field == "substance" || error.field == "generic_name") {
        error.field = "value";
    }
    return error;
}

void AddHistory(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/history", Permission::kHistoryRead, Subject::kPathPatient,
            Paged({"kind"}), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                std::optional<app::HistoryKind> kind;
                if (const std::optional<std::string_view> name = call.request.QueryParameter("kind")) {
                    Result<app::HistoryKind> parsed = app::ParseHistoryKind(*name);
                    if (!parsed.ok()) {
                        return WithField(parsed.error(), "kind");
                    }
                    kind = *parsed;
                }
                ASSIGN_OR_RETURN(app::PatientHistory history,
                                 services.use_cases.history.History(call.actor, app::PatientId{call.id}));
                // One list of every kind in the order noted (ids increase), so a client pages through it once.
                std::vector<const app::HistoryEntry*> entries;
                for (const std::vector<app::HistoryEntry>* list :
                     {&history.diagnoses, &history.conditions, &history.allergies, &history.medications}) {
                    for (const app::HistoryEntry& entry : *list) {
                        if (!kind || entry.kind == *kind) {
                            entries.push_back(&entry);
                        }
                    }
                }
                std::sort(entries.begin(), entries.end(),
                          [](const app::HistoryEntry* a, const app::HistoryEntry* b) { return a->id < b->id; });
                return PageOf(
                    entries, page, [](const app::HistoryEntry* entry) { return entry->id.value; },
                    [](const app::HistoryEntry* entry) { return json::ToJson(*entry); });
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/history", Permission::kHistoryRecord, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string kind_name = body.String("kind");
                const std::string value = body.String("value");
                RETURN_IF_ERROR(body.Finish());
                Result<app::HistoryKind> kind = app::ParseHistoryKind(kind_name);
                if (!kind.ok()) {
                    return WithField(kind.error(), "kind");
                }
                const app::PatientId patient{call.id};
                const auto add = [&]() -> Result<app::HistoryEntry> {
                    switch (*kind) {
                        case app::HistoryKind::kDiagnosis:
                            return services.use_cases.history.AddDiagnosis(call.actor, patient, value);
                        case app::HistoryKind::kCondition:
                            return services.use_cases.history.AddCondition(call.actor, patient, value);
                        case app::HistoryKind::kAllergy:
                            return services.use_cases.history.AddAllergy(call.actor, patient, value);
                        case app::HistoryKind::kMedication:
                            return services.use_cases.history.AddMedication(call.actor, patient, value);
                    }
                    return InvalidArgument("kind", "unknown history kind");  // unreachable: every kind is above
                };
                Result<app::HistoryEntry> added = add();
                if (!added.ok()) {
                    return AsValueField(added.error());
                }
                return JsonResponse(201, json::ToJson(*added));
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/history/{entry_id}/entered-in-error", Permission::kHistoryRecord,
            Subject::kPathPatient,
            MarkEnteredInErrorHandler("entry_id", [&services](const app::Actor& actor, app::PatientId patient,
                                                              std::int64_t id, std::string_view reason) {
                return services.use_cases.history.MarkHistoryEntryEnteredInError(actor, patient,
                                                                                 app::HistoryEntryId{id}, reason);
            }));

    api.Add(Method::kPost, "/api/v1/patients/{id}/history/{entry_id}/stop", Permission::kHistoryRecord,
            Subject::kPathPatient, [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::int64_t entry, PathId(call, "entry_id"));
                ObjectReader body(call.request.body);
                const std::optional<std::chrono::sys_days> stopped_on = body.OptionalDate("stopped_on");
                const std::string reason = body.OptionalString("reason").value_or("");
                RETURN_IF_ERROR(body.Finish());
                if (!stopped_on) {
                    return InvalidArgument("stopped_on", "is required (YYYY-MM-DD)");
                }
                ASSIGN_OR_RETURN(app::HistoryEntry stopped, services.use_cases.history.StopMedication(
                                                                call.actor, app::PatientId{call.id},
                                                                app::HistoryEntryId{entry}, *stopped_on, reason));
                return JsonResponse(200, json::ToJson(stopped));
            });

    api.Add(Method::kGet, "/api/v1/patients/{id}/trials", Permission::kHistoryRead, Subject::kPathPatient, Paged(),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(app::PatientHistory history,
                                 services.use_cases.history.History(call.actor, app::PatientId{call.id}));
                return PageOf(
                    history.antidepressant_trials, page, [](const app::TrialRecord& t) { return t.id.value; },
                    [](const app::TrialRecord& t) { return json::ToJson(t); });
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/trials", Permission::kHistoryRecord, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const clinical::AntidepressantTrial trial = json::ReadAntidepressantTrial(body);
                const std::optional<std::chrono::sys_days> started_on = body.OptionalDate("started_on");
                const std::optional<std::chrono::sys_days> ended_on = body.OptionalDate("ended_on");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::TrialRecord added,
                                 services.use_cases.history.AddAntidepressantTrial(call.actor, app::PatientId{call.id},
                                                                                   trial, started_on, ended_on));
                return JsonResponse(201, json::ToJson(added));
            });

    api.Add(Method::kPost, "/api/v1/patients/{id}/trials/{trial_id}/entered-in-error", Permission::kHistoryRecord,
            Subject::kPathPatient,
            MarkEnteredInErrorHandler("trial_id", [&services](const app::Actor& actor, app::PatientId patient,
                                                              std::int64_t id, std::string_view reason) {
                return services.use_cases.history.MarkTrialEnteredInError(actor, patient, app::TrialId{id}, reason);
            }));
}

// The visit-time parts of a screening intake, under the intake's own field names (docs/cli.md `screen`).
app::IntakeExtras ReadIntakeExtras(ObjectReader& body) {
    app::IntakeExtras extras;
    extras.pregnant = body.OptionalBoolean("pregnant");
    extras.breastfeeding = body.OptionalBoolean("breastfeeding").value_or(false);
    if (ObjectReader* pressure = body.OptionalObject("blood_pressure")) {
        extras.blood_pressure = clinical::BloodPressure{pressure->Int("systolic"), pressure->Int("diastolic")};
    }
    extras.heart_rate_per_min = body.OptionalInt("heart_rate");
    extras.acute_suicidal_ideation = body.OptionalBoolean("acute_suicidal_ideation").value_or(false);
    extras.weight_kg = body.OptionalNumber("weight_kg");
    const std::optional<std::string> child_pugh = body.OptionalString("child_pugh");
    extras.japanese_ancestry = body.OptionalBoolean("japanese_ancestry").value_or(false);
    extras.hypertensive_encephalopathy_history =
        body.OptionalBoolean("hypertensive_encephalopathy_history").value_or(false);
    extras.ketamine_misuse_history = body.OptionalBoolean("ketamine_misuse_history").value_or(false);
    if (child_pugh) {
        Result<clinical::ChildPugh> parsed = clinical::ParseChildPugh(*child_pugh);
        if (parsed.ok()) {
            extras.child_pugh = *parsed;
        } else {
            body.Fail(WithField(parsed.error(), "child_pugh"));
        }
    }
    return extras;
}

void AddScreenings(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kPost, "/api/v1/patients/{id}/screenings", Permission::kScreeningRun, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string product_name = body.String("product");
                const app::IntakeExtras extras = ReadIntakeExtras(body);
                RETURN_IF_ERROR(body.Finish());
                Result<clinical::Product> product = clinical::ParseProduct(product_name);
                if (!product.ok()) {
                    return WithField(product.error(), "product");
                }
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::ScreeningRecord screened,
                                 services.use_cases.history.ScreenPatient(call.actor, app::PatientId{call.id}, *product,
                                                                          extras, settings));
                return Created(ScreeningLocation(screened.id), json::ToJson(screened));
            });

    api.Add(Method::kGet, "/api/v1/patients/{id}/screenings", Permission::kScreeningRead, Subject::kPathPatient,
            Paged(), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::ScreeningRecord> screenings,
                                 services.use_cases.history.ListScreenings(call.actor, app::PatientId{call.id}));
                return PageOf(
                    screenings, page, [](const app::ScreeningRecord& s) { return s.id.value; },
                    [](const app::ScreeningRecord& s) { return json::ToJson(s); });
            });

    api.Add(Method::kGet, "/api/v1/screenings/{id}", Permission::kScreeningRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::ScreeningRecord screening,
                                 services.use_cases.history.GetScreening(call.actor, app::ScreeningId{call.id}));
                return JsonResponse(200, json::ToJson(screening));
            });

    api.Add(Method::kPost, "/api/v1/screenings/{id}/sign", Permission::kScreeningSign, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string sign_off_name = body.String("sign_off");
                const std::string reason = body.OptionalString("reason").value_or("");
                RETURN_IF_ERROR(body.Finish());
                Result<app::SignOff> sign_off = app::ParseSignOff(sign_off_name);
                if (!sign_off.ok()) {
                    return WithField(sign_off.error(), "sign_off");
                }
                ASSIGN_OR_RETURN(
                    app::ScreeningRecord signed_screening,
                    services.use_cases.history.SignScreening(call.actor, app::ScreeningId{call.id}, *sign_off, reason));
                return JsonResponse(200, json::ToJson(signed_screening));
            });
}

}  // namespace

void AddHistoryRoutes(ApiRouter& api, ApiServices& services) {
    AddHistory(api, services);
    AddScreenings(api, services);
}

}  // namespace kclinic::adapters::api
