#pragma once

// Use cases for adverse events: logging one against a patient (and optionally the treatment session it happened
// in or after), following it up as it evolves, and reading them back. The term list and the scales are the clinical
// core's (clinical/adverse_events.hpp), checked by clinical::CheckAdverseEvent. Like the other record use cases,
// each takes the acting user, checks its input, does all its work in one Store transaction and appends an audit
// entry for every read or write of patient data in that same transaction; a refusal writes nothing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/adverse_events.hpp"

namespace kclinic::app {

// The most characters an adverse event's detail text may hold.
inline constexpr std::size_t kMaxAdverseEventDetailLength = 4000;

struct NewAdverseEvent {
    std::optional<SessionId> session;  // a session of the same patient, if the event belongs to one
    std::string term;                  // a code of clinical::AdverseEventTerms()
    std::string detail;                // free text (see CheckText); required for "other_serious"
    int grade = clinical::kMinAdverseEventGrade;
    TimePoint onset_at;  // not after now
    std::optional<TimePoint> resolved_at;
    clinical::AdverseEventOutcome outcome = clinical::AdverseEventOutcome::kUnknown;
    std::vector<clinical::AdverseEventAction> actions;
    clinical::Relatedness relatedness = clinical::Relatedness::kUnassessable;
    std::vector<clinical::SeriousCriterion> serious_criteria;
};

// A follow-up replaces everything that may change about an event; the patient, session, term and onset never do.
struct AdverseEventFollowUp {
    std::int64_t version = 0;  // the version the follow-up was written against
    std::string detail;
    int grade = clinical::kMinAdverseEventGrade;
    std::optional<TimePoint> resolved_at;
    clinical::AdverseEventOutcome outcome = clinical::AdverseEventOutcome::kUnknown;
    std::vector<clinical::AdverseEventAction> actions;
    clinical::Relatedness relatedness = clinical::Relatedness::kUnassessable;
    std::vector<clinical::SeriousCriterion> serious_criteria;
};

class AdverseEventRecords {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    AdverseEventRecords(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Logs an event, recorded now by the actor, at version 1. Actions and serious criteria are stored as sets and
    // come back in enum order. Errors: clinical::CheckAdverseEvent's, each naming its field (the clock's now is the
    // limit for onset_at and resolved_at); kInvalidArgument "detail" when it is not valid free text of at most
    // kMaxAdverseEventDetailLength characters; kNotFound for the patient or the session; kInvalidArgument
    // "session_id" when the session is another patient's.
    Result<AdverseEvent> Record(const Actor& actor, PatientId patient, const NewAdverseEvent& event);
    // Follows an event up: the whole of `follow_up` replaces the stored values, checked with the stored term and
    // onset as Record checks them, and the version is bumped. Errors: as Record; kConflict "version" when
    // follow_up.version is not the stored version (someone followed it up meanwhile); kNotFound for the event.
    Result<AdverseEvent> Update(const Actor& actor, AdverseEventId event, const AdverseEventFollowUp& follow_up);
    // kNotFound when no such event.
    Result<AdverseEvent> Get(const Actor& actor, AdverseEventId event);
    // A patient's events by onset. kNotFound when no such patient.
    Result<std::vector<AdverseEvent>> ListForPatient(const Actor& actor, PatientId patient);
    // The events linked to one session, by onset. kNotFound when no such session.
    Result<std::vector<AdverseEvent>> ListForSession(const Actor& actor, SessionId session);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
