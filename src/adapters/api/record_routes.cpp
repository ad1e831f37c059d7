// Alerts (listed and acknowledged by a person), adverse events (logged, then followed up under ETag/If-Match), clinical
// notes (drafts edited and signed by their author, then addenda) and the Spravato REMS Patient Monitoring Forms.
// Notes are written through two families of paths, therapy-notes (preparation, integration: note.write_therapy) and
// clinical-notes (dosing, progress: note.write_clinical), so that each route needs one permission; a note of the
// other family does not exist on a path (404).

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/live_events.hpp"
#include "adapters/json/record_json.hpp"
#include "app/record_names.hpp"
#include "clinical/adverse_events.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

// ---- Query parameters ---------------------------------------------------------------------------------------------

Result<std::optional<std::int64_t>> QueryId(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text) {
        return std::optional<std::int64_t>();
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size() || value <= 0) {
        return InvalidArgument(std::string(name), "must be a positive integer record id");
    }
    return std::optional<std::int64_t>(value);
}

Result<bool> QueryBoolean(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text || *text == "false") {
        return false;
    }
    if (*text == "true") {
        return true;
    }
    return InvalidArgument(std::string(name), "must be true or false");
}

// An integer field narrowed for a use case that checks its range: a value beyond int reads as the nearest int, which
// the range check refuses as it would the value sent.
int NarrowInteger(std::int64_t value) {
    return static_cast<int>(
        std::clamp<std::int64_t>(value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

// The parse error of an enum name read from a body, naming the field as the body does ("actions[2]").
template <typename T>
Result<T> Named(Result<T> parsed, const std::string& field) {
    if (!parsed.ok()) {
        Error error = parsed.error();
        error.field = field;
        return error;
    }
    return parsed;
}

// Every item of `names` parsed by `parse`; the first failure names its index.
template <typename Enum, typename Parse>
Result<std::vector<Enum>> ParseAll(const std::vector<std::string>& names, std::string_view field, Parse parse) {
    std::vector<Enum> parsed;
    for (std::size_t i = 0; i < names.size(); ++i) {
        ASSIGN_OR_RETURN(Enum one, Named(parse(names[i]), std::string(field) + "[" + std::to_string(i) + "]"));
        parsed.push_back(one);
    }
    return parsed;
}

// Lists a use case returns in clinical order (adverse events by onset) are paged in id order, the cursor's order.
template <typename Item, typename IdOf>
std::vector<Item> ById(std::vector<Item> items, IdOf id_of) {
    std::stable_sort(items.begin(), items.end(),
                     [&id_of](const Item& a, const Item& b) { return id_of(a) < id_of(b); });
    return items;
}

// ---- Alerts -------------------------------------------------------------------------------------------------------

void AddAlerts(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/alerts", Permission::kAlertRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::optional<std::int64_t> patient, QueryId(call.request, "patient_id"));
                ASSIGN_OR_RETURN(bool open, QueryBoolean(call.request, "open"));
                app::AlertFilter filter;
                if (patient) {
                    filter.patient = app::PatientId{*patient};
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
                BodyReader body(call.request.body);
                const std::string note = body.OptionalString("note").value_or("");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::Alert acknowledged,
                                 services.use_cases.alerts.Acknowledge(call.actor, app::AlertId{call.id}, note));
                services.events.Publish(json::AlertAcknowledgedEvent(acknowledged));
                return JsonResponse(200, json::ToJson(acknowledged));
            });
}

// ---- Adverse events -----------------------------------------------------------------------------------------------

HttpResponse AdverseEventResponse(int status, const app::AdverseEvent& event) {
    HttpResponse response = JsonResponse(status, json::ToJson(event));
    response.headers.Set("ETag", EntityTag(event.version));
    if (status == 201) {
        response.headers.Set("Location", "/api/v1/adverse-events/" + std::to_string(event.id.value));
    }
    return response;
}

// The scales every report and follow-up carries: outcome, actions, relatedness and serious criteria. A new event
// may leave them out (the defaults of app::NewAdverseEvent: outcome unknown, relatedness unassessable, not serious;
// clinical::CheckAdverseEvent wants at least one action); a follow-up replaces them whole, so it must send each.
struct AdverseEventScales {
    clinical::AdverseEventOutcome outcome = clinical::AdverseEventOutcome::kUnknown;
    std::vector<clinical::AdverseEventAction> actions;
    clinical::Relatedness relatedness = clinical::Relatedness::kUnassessable;
    std::vector<clinical::SeriousCriterion> serious_criteria;
};

Result<AdverseEventScales> ReadScales(BodyReader& body, bool required) {
    std::optional<std::string> outcome;
    std::optional<std::string> relatedness;
    if (required) {
        outcome = body.String("outcome");
        relatedness = body.String("relatedness");
        // A string array reads as empty when absent; a follow-up must still say "none" as [].
        for (const std::string_view name : {"actions", "serious_criteria"}) {
            if (!body.Has(name)) {
                body.Fail(InvalidArgument(std::string(name), "is required: an array of names, [] for none"));
            }
        }
    } else {
        outcome = body.OptionalString("outcome");
        relatedness = body.OptionalString("relatedness");
    }
    const std::vector<std::string> actions = body.StringArray("actions");
    const std::vector<std::string> criteria = body.StringArray("serious_criteria");
    RETURN_IF_ERROR(body.Finish());
    AdverseEventScales scales;
    if (outcome) {
        ASSIGN_OR_RETURN(clinical::AdverseEventOutcome parsed, clinical::ParseAdverseEventOutcome(*outcome));
        scales.outcome = parsed;
    }
    if (relatedness) {
        ASSIGN_OR_RETURN(clinical::Relatedness parsed, clinical::ParseRelatedness(*relatedness));
        scales.relatedness = parsed;
    }
    Result<std::vector<clinical::AdverseEventAction>> parsed_actions =
        ParseAll<clinical::AdverseEventAction>(actions, "actions", clinical::ParseAdverseEventAction);
    if (!parsed_actions.ok()) {
        return parsed_actions.error();
    }
    scales.actions = std::move(parsed_actions).value();
    Result<std::vector<clinical::SeriousCriterion>> parsed_criteria =
        ParseAll<clinical::SeriousCriterion>(criteria, "serious_criteria", clinical::ParseSeriousCriterion);
    if (!parsed_criteria.ok()) {
        return parsed_criteria.error();
    }
    scales.serious_criteria = std::move(parsed_criteria).value();
    return scales;
}

HttpResponse AdverseEventList(const std::vector<app::AdverseEvent>& events, const PageRequest& page) {
    return PageOf(
        ById(events, [](const app::AdverseEvent& e) { return e.id.value; }), page,
        [](const app::AdverseEvent& e) { return e.id.value; },
        [](const app::AdverseEvent& e) { return json::ToJson(e); });
}

void AddAdverseEvents(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kPost, "/api/v1/patients/{id}/adverse-events", Permission::kAdverseEventRecord,
            Subject::kPathPatient, [&services](ApiCall& call) -> Result<HttpResponse> {
                BodyReader body(call.request.body);
                app::NewAdverseEvent event;
                if (const std::optional<std::int64_t> session = body.OptionalInteger("session_id")) {
                    event.session = app::SessionId{*session};
                }
                event.term = body.String("term");
                event.detail = body.OptionalString("detail").value_or("");
                event.grade = NarrowInteger(body.Integer("grade"));
                event.onset_at = body.Time("onset_at");
                event.resolved_at = body.OptionalTime("resolved_at");
                ASSIGN_OR_RETURN(AdverseEventScales scales, ReadScales(body, false));
                event.outcome = scales.outcome;
                event.actions = scales.actions;
                event.relatedness = scales.relatedness;
                event.serious_criteria = scales.serious_criteria;
                Result<app::AdverseEvent> recorded =
                    services.use_cases.adverse_events.Record(call.actor, app::PatientId{call.id}, event);
                if (!recorded.ok()) {
                    return recorded.error();
                }
                return AdverseEventResponse(201, *recorded);
            });

    api.Add(Method::kGet, "/api/v1/patients/{id}/adverse-events", Permission::kAdverseEventRead, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                Result<std::vector<app::AdverseEvent>> events =
                    services.use_cases.adverse_events.ListForPatient(call.actor, app::PatientId{call.id});
                if (!events.ok()) {
                    return events.error();
                }
                return AdverseEventList(*events, page);
            });

    api.Add(Method::kGet, "/api/v1/sessions/{id}/adverse-events", Permission::kAdverseEventRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                Result<std::vector<app::AdverseEvent>> events =
                    services.use_cases.adverse_events.ListForSession(call.actor, app::SessionId{call.id});
                if (!events.ok()) {
                    return events.error();
                }
                return AdverseEventList(*events, page);
            });

    api.Add(Method::kGet, "/api/v1/adverse-events/{id}", Permission::kAdverseEventRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::AdverseEvent event,
                                 services.use_cases.adverse_events.Get(call.actor, app::AdverseEventId{call.id}));
                return AdverseEventResponse(200, event);
            });

    api.Add(Method::kPut, "/api/v1/adverse-events/{id}", Permission::kAdverseEventRecord, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t version, RequiredIfMatch(call.request));
                BodyReader body(call.request.body);
                app::AdverseEventFollowUp follow_up;
                follow_up.version = version;
                follow_up.detail = body.OptionalString("detail").value_or("");
                follow_up.grade = NarrowInteger(body.Integer("grade"));
                follow_up.resolved_at = body.OptionalTime("resolved_at");
                ASSIGN_OR_RETURN(AdverseEventScales scales, ReadScales(body, true));
                follow_up.outcome = scales.outcome;
                follow_up.actions = scales.actions;
                follow_up.relatedness = scales.relatedness;
                follow_up.serious_criteria = scales.serious_criteria;
                Result<app::AdverseEvent> updated =
                    services.use_cases.adverse_events.Update(call.actor, app::AdverseEventId{call.id}, follow_up);
                if (!updated.ok()) {
                    return updated.error();
                }
                return AdverseEventResponse(200, *updated);
            });
}

// ---- Notes --------------------------------------------------------------------------------------------------------

// One family of note kinds, written through its own paths with its own permission.
struct NoteFamily {
    std::string_view path;  // "therapy-notes"
    Permission permission;
    std::array<app::NoteKind, 2> kinds;
};

constexpr std::array<NoteFamily, 2> kNoteFamilies{{
    {"therapy-notes", Permission::kNoteWriteTherapy, {app::NoteKind::kPreparation, app::NoteKind::kIntegration}},
    {"clinical-notes", Permission::kNoteWriteClinical, {app::NoteKind::kDosing, app::NoteKind::kProgress}},
}};

HttpResponse NoteResponse(int status, const app::Note& note) {
    HttpResponse response = JsonResponse(status, json::ToJson(note));
    response.headers.Set("ETag", EntityTag(note.version));
    if (status == 201) {
        response.headers.Set("Location", "/api/v1/notes/" + std::to_string(note.id.value));
    }
    return response;
}

// The body of an edit or an addendum: {"body": "..."}.
Result<std::string> ReadNoteBody(const HttpRequest& request) {
    BodyReader body(request.body);
    std::string text = body.String("body");
    RETURN_IF_ERROR(body.Finish());
    return text;
}

void AddNoteFamily(ApiRouter& api, ApiServices& services, const NoteFamily& family) {
    const std::string collection = "/api/v1/patients/{id}/" + std::string(family.path);
    const std::string one_note = "/api/v1/" + std::string(family.path) + "/{id}";
    const std::span<const app::NoteKind> kinds(family.kinds);

    api.Add(Method::kPost, collection, family.permission, Subject::kPathPatient,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                BodyReader body(call.request.body);
                const std::string kind_name = body.String("kind");
                app::NewNote note;
                if (const std::optional<std::int64_t> course = body.OptionalInteger("course_id")) {
                    note.course = app::CourseId{*course};
                }
                if (const std::optional<std::int64_t> session = body.OptionalInteger("session_id")) {
                    note.session = app::SessionId{*session};
                }
                note.body = body.String("body");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::NoteKind kind, app::ParseNoteKind(kind_name));
                if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
                    return InvalidArgument("kind", "must be " + std::string(app::NoteKindName(kinds[0])) + " or " +
                                                       std::string(app::NoteKindName(kinds[1])) + " on this path");
                }
                note.kind = kind;
                ASSIGN_OR_RETURN(app::Note written,
                                 services.use_cases.notes.Write(call.actor, app::PatientId{call.id}, note));
                return NoteResponse(201, written);
            });

    api.Add(Method::kPut, one_note, family.permission, Subject::kNone,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t version, RequiredIfMatch(call.request));
                ASSIGN_OR_RETURN(std::string text, ReadNoteBody(call.request));
                Result<app::Note> edited =
                    services.use_cases.notes.Edit(call.actor, app::NoteId{call.id}, version, text, kinds);
                if (!edited.ok()) {
                    return edited.error();
                }
                return NoteResponse(200, *edited);
            });

    api.Add(Method::kPost, one_note + "/sign", family.permission, Subject::kNone,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t version, RequiredIfMatch(call.request));
                BodyReader body(call.request.body);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::Note signed_note,
                                 services.use_cases.notes.Sign(call.actor, app::NoteId{call.id}, version, kinds));
                return NoteResponse(200, signed_note);
            });

    api.Add(Method::kPost, one_note + "/addenda", family.permission, Subject::kNone,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::string text, ReadNoteBody(call.request));
                Result<app::NoteAddendum> added =
                    services.use_cases.notes.AddAddendum(call.actor, app::NoteId{call.id}, text, kinds);
                if (!added.ok()) {
                    return added.error();
                }
                return Created("/api/v1/notes/" + std::to_string(call.id), json::ToJson(*added));
            });
}

void AddNotes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/notes", Permission::kNoteRead, Subject::kPathPatient,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                std::optional<app::NoteKind> kind;
                if (const auto name = call.request.QueryParameter("kind")) {
                    ASSIGN_OR_RETURN(app::NoteKind parsed, app::ParseNoteKind(*name));
                    kind = parsed;
                }
                Result<std::vector<app::Note>> notes =
                    services.use_cases.notes.ListForPatient(call.actor, app::PatientId{call.id}, kind);
                if (!notes.ok()) {
                    return notes.error();
                }
                return PageOf(
                    ById(std::move(notes).value(), [](const app::Note& n) { return n.id.value; }), page,
                    [](const app::Note& n) { return n.id.value; }, [](const app::Note& n) { return json::ToJson(n); });
            });

    api.Add(Method::kGet, "/api/v1/notes/{id}", Permission::kNoteRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::Note note, services.use_cases.notes.Get(call.actor, app::NoteId{call.id}));
                return NoteResponse(200, note);
            });

    for (const NoteFamily& family : kNoteFamilies) {
        AddNoteFamily(api, services, family);
    }
}

// ---- REMS forms ---------------------------------------------------------------------------------------------------

Json RemsFormJson(const app::RemsFormView& view) {
    Json json = json::ToJson(view.record);
    json["form"] = json::ToJson(view.form);
    json["notes"] = view.notes;
    return json;
}

// The use cases name the clinic's REMS-certified setting "setting_name"; the API calls it what the form does.
Error AsHealthcareSetting(Error error) {
    if (error.field == "setting_name") {
        error.field = "healthcare_setting";
    }
    return error;
}

void AddRemsForms(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/rems-forms/due", Permission::kRemsRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                Result<std::vector<app::DueRemsForm>> due =
                    services.use_cases.rems.ListDue(call.actor, std::chrono::floor<std::chrono::days>(call.now));
                if (!due.ok()) {
                    return due.error();
                }
                // Paged by id; within the page the earliest due date first, as the use case lists them.
                std::vector<app::DueRemsForm> by_id =
                    ById(std::move(due).value(), [](const app::DueRemsForm& f) { return f.record.id.value; });
                return PageOf(
                    by_id, page, [](const app::DueRemsForm& f) { return f.record.id.value; },
                    [](const app::DueRemsForm& f) {
                        Json json = json::ToJson(f.record);
                        json["overdue"] = f.overdue;
                        return json;
                    });
            });

    api.Add(Method::kGet, "/api/v1/sessions/{id}/rems-form", Permission::kRemsRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                const std::string setting(call.request.QueryParameter("healthcare_setting").value_or(""));
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                Result<app::RemsFormView> form =
                    services.use_cases.rems.GetForm(call.actor, app::SessionId{call.id}, setting, settings);
                if (!form.ok()) {
                    return AsHealthcareSetting(form.error());
                }
                return JsonResponse(200, RemsFormJson(*form));
            });

    api.Add(Method::kPost, "/api/v1/sessions/{id}/rems-form/submit", Permission::kRemsSubmit, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                BodyReader body(call.request.body);
                const std::string setting = body.String("healthcare_setting");
                const std::int64_t ready_to_leave = body.Integer("ready_to_leave_minutes");
                const std::string reference = body.OptionalString("confirmation_reference").value_or("");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                Result<app::RemsFormView> submitted = services.use_cases.rems.Submit(
                    call.actor, app::SessionId{call.id}, setting, NarrowInteger(ready_to_leave), reference, settings);
                if (!submitted.ok()) {
                    return AsHealthcareSetting(submitted.error());
                }
                return JsonResponse(200, RemsFormJson(*submitted));
            });
}

}  // namespace

void AddRecordRoutes(ApiRouter& api, ApiServices& services) {
    AddAlerts(api, services);
    AddAdverseEvents(api, services);
    AddNotes(api, services);
    AddRemsForms(api, services);
}

}  // namespace kclinic::adapters::api
