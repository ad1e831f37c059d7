#include "app/adverse_event_records.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "app/audit.hpp"
#include "app/free_text.hpp"

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
    if (Status valid = clinical::CheckAdverseEvent(Report(event), now); !valid.ok()) {
        return valid;
    }
    return CheckFreeText("detail", event.detail, kMaxAdverseEventDetailLength);
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
    if (Status valid = CheckEvent(record, now); !valid.ok()) {
        return valid.error();
    }
    Normalize(record);
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        if (record.session) {
            Result<TreatmentSession> session = tx.GetSession(*record.session);
            if (!session.ok()) {
                return session.error();
            }
            if (session->patient != patient) {
                return InvalidArgument("session_id", "treatment session " + std::to_string(record.session->value) +
                                                         " is another patient's");
            }
        }
        Result<AdverseEventId> id = tx.InsertAdverseEvent(record);
        if (!id.ok()) {
            return id.error();
        }
        record.id = *id;
        return RecordAudit(tx, actor, now, "adverse_event.create", "adverse_event", id->value, patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return record;
}

Result<AdverseEvent> AdverseEventRecords::Update(const Actor& actor, AdverseEventId event,
                                                 const AdverseEventFollowUp& follow_up) {
    const TimePoint now = clock_.Now();
    std::optional<AdverseEvent> updated;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<AdverseEvent> current = tx.GetAdverseEvent(event);
        if (!current.ok()) {
            return current.error();
        }
        if (current->version != follow_up.version) {
            return Error{ErrorCode::kConflict, "version",
                         "adverse event " + std::to_string(event.value) + " is at version " +
                             std::to_string(current->version) + ", not " + std::to_string(follow_up.version) +
                             "; it was followed up meanwhile"};
        }
        AdverseEvent changed = std::move(current).value();
        changed.detail = follow_up.detail;
        changed.grade = follow_up.grade;
        changed.resolved_at = follow_up.resolved_at;
        changed.outcome = follow_up.outcome;
        changed.actions = follow_up.actions;
        changed.relatedness = follow_up.relatedness;
        changed.serious_criteria = follow_up.serious_criteria;
        changed.updated_at = now;
        changed.updated_by = actor.user;
        if (Status valid = CheckEvent(changed, now); !valid.ok()) {
            return valid;
        }
        Normalize(changed);
        if (Status stored = tx.UpdateAdverseEvent(changed); !stored.ok()) {
            return stored;
        }
        ++changed.version;
        updated = std::move(changed);
        return RecordAudit(tx, actor, now, "adverse_event.update", "adverse_event", event.value,
                           updated->patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*updated);
}

Result<AdverseEvent> AdverseEventRecords::Get(const Actor& actor, AdverseEventId event) {
    std::optional<AdverseEvent> found;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<AdverseEvent> stored = tx.GetAdverseEvent(event);
        if (!stored.ok()) {
            return stored.error();
        }
        found = std::move(stored).value();
        return RecordAudit(tx, actor, clock_.Now(), "adverse_event.read", "adverse_event", event.value,
                           found->patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*found);
}

Result<std::vector<AdverseEvent>> AdverseEventRecords::ListForPatient(const Actor& actor, PatientId patient) {
    std::vector<AdverseEvent> events;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        Result<std::vector<AdverseEvent>> listed = tx.ListAdverseEvents(patient);
        if (!listed.ok()) {
            return listed.error();
        }
        events = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "adverse_event.list", "patient", patient.value, patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return events;
}

Result<std::vector<AdverseEvent>> AdverseEventRecords::ListForSession(const Actor& actor, SessionId session) {
    std::vector<AdverseEvent> events;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<TreatmentSession> stored = tx.GetSession(session);
        if (!stored.ok()) {
            return stored.error();
        }
        Result<std::vector<AdverseEvent>> listed = tx.ListSessionAdverseEvents(session);
        if (!listed.ok()) {
            return listed.error();
        }
        events = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "adverse_event.list", "treatment_session", session.value,
                           stored->patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return events;
}

}  // namespace kclinic::app
