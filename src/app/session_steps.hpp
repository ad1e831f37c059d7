#pragma once

// Use cases of treatment sessions: the session state machine of shared/design.md §3 with its preconditions
// (clinical/session_state), and the reads of a session and of the clinic's day. Courses plan the sessions
// (course_records.hpp); dose orders and administrations are dose_records.hpp. Like HistoryRecords, each takes the
// acting user, checks its input, does all its work in one Store transaction and appends an audit entry for every
// read or write of patient data in that same transaction; a refusal writes nothing.

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/session_state.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// A session with its dose order (once signed), its administrations in the order they started, every step it
// took through the state machine, oldest first, and the other medications given during it in the order given.
struct SessionRecord {
    TreatmentSession session;
    std::optional<DoseOrderRecord> dose_order;
    std::vector<Administration> administrations;
    std::vector<SessionTransition> transitions;
    std::vector<SessionMedication> medications;
};

// Adds to `facts` what one session's administrations (in ListAdministrations order) and transitions (in the order
// appended) tell CheckTransition, leaving out the administrations marked entered in error:
// first_esketamine_device_at (the earliest esketamine device), administration_ended_at (the latest stop, only when
// every administration has stopped) and dosing_started_at (the step to dosing). The session steps and the clinic
// board (ClinicViews) read a session's dosing alike through it.
void AddDosingFacts(std::span<const Administration> administrations, std::span<const SessionTransition> transitions,
                    clinical::SessionFacts& facts);

// Whether `session` was in progress at `at`: checked in at or before it and not yet discharged, cancelled or aborted
// by then. A final state has no way out (clinical::AllowedTargets), so a final session's state_changed_at is when it
// ended. What a vital sign is recorded in (PatientRecords) and which ratings the session screen shows (ClinicViews).
[[nodiscard]] bool InProgressAt(const TreatmentSession& session, TimePoint at);

class SessionSteps {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    SessionSteps(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // kNotFound when no such session.
    Result<SessionRecord> GetSession(const Actor& actor, SessionId session);
    // Every session planned for `date` across the clinic or checked in on that day (a session run late is on the day
    // it ran as well as the day it was planned), in any state, in id order: the front desk's day and the clinic
    // board. `date` is a day in the clinic's zone (clinic.time_zone). One audit entry for the listing, as for a list
    // of patients. Errors: LoadClinicZone's.
    Result<std::vector<TreatmentSession>> ListSessionsOn(const Actor& actor, std::chrono::sys_days date);

    // Session transitions. Each gathers the facts from the store (the session's stored confirmations, the
    // latest blood-pressure reading (85354-9) observed since check-in and not entered in error, the dose order, the
    // administrations), calls clinical::CheckTransition and stores the new state with the actor and the time,
    // appending the step to the session's transition history. A step to a final state also opens the session's REMS
    // monitoring form when one is owed (OpenRemsFormIfOwed, rems_forms.hpp), in the same transaction. Errors: its
    // kFailedPrecondition naming the precondition that failed; kFailedPrecondition "course_id" to check in while
    // the course is not active; kConflict when the session changed meanwhile; kNotFound for the session.
    //
    // scheduled -> checked_in, recording both confirmations (both must be true).
    Result<TreatmentSession> CheckIn(const Actor& actor, SessionId session, bool consent_confirmed,
                                     bool escort_confirmed);
    // checked_in | held -> pre_dose_ok. The gate is the intake caution gate for the patient's age today
    // (clinical::BpCautionSystolic: 140/90, with region eu at 65 or over 150/90).
    // With `override_reason`, the actor overrides a BP above the gate as the prescriber (stored on the session).
    Result<TreatmentSession> ConfirmPreDose(const Actor& actor, SessionId session,
                                            const clinical::ClinicSettings& settings,
                                            std::optional<std::string> override_reason = std::nullopt);
    // checked_in -> held, with a reason.
    Result<TreatmentSession> Hold(const Actor& actor, SessionId session, std::string_view reason);
    // pre_dose_ok -> dosing: needs the signed dose order.
    Result<TreatmentSession> StartDosing(const Actor& actor, SessionId session);
    // dosing -> monitoring: esketamine needs a device administration; other routes every administration stopped.
    Result<TreatmentSession> StartMonitoring(const Actor& actor, SessionId session);
    // monitoring -> ready_for_discharge: esketamine 120 min after the first device, counted from no earlier than
    // this session's step to dosing (Spravato REMS; clinical::MonitoringClockStart).
    Result<TreatmentSession> ReadyForDischarge(const Actor& actor, SessionId session);
    // ready_for_discharge -> discharged: the actor confirms the discharge criteria.
    Result<TreatmentSession> Discharge(const Actor& actor, SessionId session, bool discharge_criteria_confirmed);
    // Any state before discharged -> cancelled / aborted, with a reason.
    Result<TreatmentSession> Cancel(const Actor& actor, SessionId session, std::string_view reason);
    Result<TreatmentSession> Abort(const Actor& actor, SessionId session, std::string_view reason);

private:
    // Moves `session` to `to`. `step` adds what this step contributes (its confirmations, its reason) to the
    // session and to the facts gathered from the store, inside the transaction and before CheckTransition decides.
    using Step = std::function<Status(StoreTransaction& tx, TreatmentSession& session, clinical::SessionFacts& facts)>;
    Result<TreatmentSession> Transition(const Actor& actor, SessionId session, clinical::SessionState to,
                                        const Step& step);

    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
