#include "app/adverse_event_records.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "app/audit.hpp"
#include "base/text.hpp"

namespace kclinic::app {
namespace {

clinical::AdverseEventReport Report(const AdverseEvent& event) {
    return clinical::AdverseEventReport{event.term,     event.detail,      event.grade,
                                        event.onset_at, event.resolved_at, event.outcome,
                                        event.actions,  event.relatedness, event.serious_criteria};
}

// Actions and criteria are sets, stored one flag each, so they read back in enum order; keeping them in that order
// from the start makes a recorded event equal to the one read back.
void Normalize(AdverseEvent& event) {
    std::sort(event.actions.begin(), event.actions.end());
    std::sort(event.serious_criteria.begin(), event.serious_criteria.end());
}

Status CheckEvent(const AdverseEvent& event, TimePoint now) {
    RETURN_IF_ERROR(clinical::CheckAdverseEvent(Report(event), now));
    return CheckText("detail", event.detail,
                     {.max_characters = kMaxAdverseEventDetailLength, .multiline = true, .required = false});
}

}  // namespace

Result<AdverseEvent> AdverseEventRecords::Record(const Actor& actor, PatientId patient, const NewAdverseEvent& event) {
    const TimePoint now = clock_.Now();
    AdverseEvent record;
    record.patient = patient;
    record.session = event.session;
    record.term = event.term;
    record.detail = event.detail;
    record.grade = event.grade;
    record.onset_at = event.onset_at;
    record.resolved_at = event.resolved_at;
    record.outcome = event.outcome;
    record.actions = event.actions;
    record.relatedness = event.relatedness;
    record.serious_criteria = event.serious_criteria;
    record.version = 1;
    record.recorded_at = now;
    record.recorded_by = actor.user;
    record.updated_at = now;
    record.updated_by = actor.user;
    // Checked before sorting, so an index an error names ("actions[2]") is the caller's.
    RETURN_IF_ERROR(CheckEvent(record, now));
    Normalize(record);
    return store_.Write([&](StoreTransaction& tx) -> Result<AdverseEvent> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        if (record.session) {
            ASSIGN_OR_RETURN(TreatmentSession session, tx.GetSession(*record.session));
            if (session.patient != patient) {
                return InvalidArgument("session_id", "treatment session " + std::to_string(record.session->value) +
                                                         " is another patient's");
            }
        }
        ASSIGN_OR_RETURN(record.id, tx.InsertAdverseEvent(record));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "adverse_event.create", "adverse_event", record.id.value, patient.value));
        return record;
    });
}

Result<AdverseEvent> AdverseEventRecords::Update(const Actor& actor, AdverseEventId event,
                                                 const AdverseEventFollowUp& follow_up) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<AdverseEvent> {
        ASSIGN_OR_RETURN(AdverseEvent current, tx.GetAdverseEvent(event));
        if (current.version != follow_up.version) {
            return Error{ErrorCode::kConflict, "version",
                         "adverse event " + std::to_string(event.value) + " is at version " +
                             std::to_string(current.version) + ", not " + std::to_string(follow_up.version) +
                             "; it was followed up meanwhile"};
        }
        AdverseEvent changed = std::move(current);
        changed.detail = follow_up.detail;
        changed.grade = follow_up.grade;
        changed.resolved_at = follow_up.resolved_at;
        changed.outcome = follow_up.outcome;
        changed.actions = follow_up.actions;
        changed.relatedness = follow_up.relatedness;
        changed.serious_criteria = follow_up.serious_criteria;
        changed.updated_at = now;
        changed.updated_by = actor.user;
        RETURN_IF_ERROR(CheckEvent(changed, now));
        Normalize(changed);
        RETURN_IF_ERROR(tx.UpdateAdverseEvent(changed));
        ++changed.version;
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "adverse_event.update", "adverse_event", event.value, changed.patient.value));
        return changed;
    });
}

Result<AdverseEvent> AdverseEventRecords::Get(const Actor& actor, AdverseEventId event) {
    return store_.Write([&](StoreTransaction& tx) -> Result<AdverseEvent> {
        ASSIGN_OR_RETURN(AdverseEvent stored, tx.GetAdverseEvent(event));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "adverse_event.read", "adverse_event", event.value,
                                    stored.patient.value));
        return stored;
    });
}

Result<std::vector<AdverseEvent>> AdverseEventRecords::ListForPatient(const Actor& actor, PatientId patient) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<AdverseEvent>> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<AdverseEvent> events, tx.ListAdverseEvents(patient));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, clock_.Now(), "adverse_event.list", "patient", patient.value, patient.value));
        return events;
    });
}

Result<std::vector<AdverseEvent>> AdverseEventRecords::ListForSession(const Actor& actor, SessionId session) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<AdverseEvent>> {
        ASSIGN_OR_RETURN(TreatmentSession stored, tx.GetSession(session));
        ASSIGN_OR_RETURN(std::vector<AdverseEvent> events, tx.ListSessionAdverseEvents(session));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "adverse_event.list", "treatment_session", session.value,
                                    stored.patient.value));
        return events;
    });
}

}  // namespace kclinic::app
