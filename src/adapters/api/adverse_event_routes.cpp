// Adverse events: logged against a patient (and a session, when one was under way), then followed up under
// ETag/If-Match (app/adverse_event_records.hpp).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/record_json.hpp"
#include "clinical/adverse_events.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

// Every item of `names` parsed by `parse`; the first failure names its index.
template <typename Enum, typename Parse>
Result<std::vector<Enum>> ParseAll(const std::vector<std::string>& names, std::string_view field, Parse parse) {
    std::vector<Enum> parsed;
    for (std::size_t i = 0; i < names.size(); ++i) {
        Result<Enum> one = parse(names[i]);
        if (!one.ok()) {
            return WithField(one.error(), std::string(field) + "[" + std::to_string(i) + "]");
        }
        parsed.push_back(*one);
    }
    return parsed;
}

HttpResponse AdverseEventResponse(int status, const app::AdverseEvent& event) {
    return VersionedResponse(status, json::ToJson(event), event.version,
                             "/api/v1/adverse-events/" + std::to_string(event.id.value));
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

// Copies `scales` into a new event or a follow-up, which name them alike.
template <typename Record>
void SetScales(Record& record, const AdverseEventScales& scales) {
    record.outcome = scales.outcome;
    record.actions = scales.actions;
    record.relatedness = scales.relatedness;
    record.serious_criteria = scales.serious_criteria;
}

Result<AdverseEventScales> ReadScales(ObjectReader& body, bool required) {
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
    const std::vector<std::string> actions = body.OptionalStringArray("actions");
    const std::vector<std::string> criteria = body.OptionalStringArray("serious_criteria");
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
    ASSIGN_OR_RETURN(scales.actions,
                     ParseAll<clinical::AdverseEventAction>(actions, "actions", clinical::ParseAdverseEventAction));
    ASSIGN_OR_RETURN(scales.serious_criteria, ParseAll<clinical::SeriousCriterion>(criteria, "serious_criteria",
                                                                                   clinical::ParseSeriousCriterion));
    return scales;
}

HttpResponse AdverseEventList(const std::vector<app::AdverseEvent>& events, const PageRequest& page) {
    return PageOf(
        ById(events, [](const app::AdverseEvent& e) { return e.id.value; }), page,
        [](const app::AdverseEvent& e) { return e.id.value; },
        [](const app::AdverseEvent& e) { return json::ToJson(e); });
}

}  // namespace

void AddAdverseEventRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kPost, "/api/v1/patients/{id}/adverse-events", Permission::kAdverseEventRecord,
            Subject::kPathPatient, [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::NewAdverseEvent event;
                if (const std::optional<std::int64_t> session = body.OptionalInteger("session_id")) {
                    event.session = app::SessionId{*session};
                }
                event.term = body.String("term");
                event.detail = body.OptionalString("detail").value_or("");
                event.grade = body.Int("grade");
                event.onset_at = body.Time("onset_at");
                event.resolved_at = body.OptionalTime("resolved_at");
                ASSIGN_OR_RETURN(AdverseEventScales scales, ReadScales(body, false));
                SetScales(event, scales);
                ASSIGN_OR_RETURN(app::AdverseEvent recorded,
                                 services.use_cases.adverse_events.Record(call.actor, app::PatientId{call.id}, event));
                return AdverseEventResponse(201, recorded);
            });

    api.Add(Method::kGet, "/api/v1/patients/{id}/adverse-events", Permission::kAdverseEventRead, Subject::kPathPatient,
            Paged(), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::AdverseEvent> events,
                                 services.use_cases.adverse_events.ListForPatient(call.actor, app::PatientId{call.id}));
                return AdverseEventList(events, page);
            });

    api.Add(Method::kGet, "/api/v1/sessions/{id}/adverse-events", Permission::kAdverseEventRead, Subject::kNone,
            Paged(), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::AdverseEvent> events,
                                 services.use_cases.adverse_events.ListForSession(call.actor, app::SessionId{call.id}));
                return AdverseEventList(events, page);
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
                ObjectReader body(call.request.body);
                app::AdverseEventFollowUp follow_up;
                follow_up.version = version;
                follow_up.detail = body.OptionalString("detail").value_or("");
                follow_up.grade = body.Int("grade");
                follow_up.resolved_at = body.OptionalTime("resolved_at");
                ASSIGN_OR_RETURN(AdverseEventScales scales, ReadScales(body, true));
                SetScales(follow_up, scales);
                ASSIGN_OR_RETURN(app::AdverseEvent updated, services.use_cases.adverse_events.Update(
                                                                call.actor, app::AdverseEventId{call.id}, follow_up));
                return AdverseEventResponse(200, updated);
            });
}

}  // namespace kclinic::adapters::api
