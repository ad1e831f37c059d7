#pragma once

// The treatment session state machine (shared/design.md §3) and the preconditions of each transition. Pure: the
// caller gathers the facts (from the store) and passes the time in; nothing here reads a clock. Sources: Spravato
// USPI §2 and §5 and the Spravato REMS (BP before dosing, >140/90 weigh the risk; observe at least 2 hours after
// dosing; no driving until the next day), clinical-reference §3.5 and §5.5 (discharge criteria).
//
//   scheduled -> checked_in -> pre_dose_ok -> dosing -> monitoring -> ready_for_discharge -> discharged
//                     |  ^          ^
//                     v  |          |
//                     held ---------+          (held: the pre-dose BP is rechecked from there)
//   any state before discharged -> cancelled | aborted (with a reason); nothing follows the last three.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/label_rules.hpp"
#include "clinical/record_time.hpp"
#include "clinical/settings.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

enum class SessionState {
    kScheduled,
    kCheckedIn,
    kPreDoseOk,
    kHeld,
    kDosing,
    kMonitoring,
    kReadyForDischarge,
    kDischarged,
    kCancelled,
    kAborted,
};

inline constexpr auto kSessionStateNames = MakeEnumNames<SessionState>({
    {SessionState::kScheduled, "scheduled"},
    {SessionState::kCheckedIn, "checked_in"},
    {SessionState::kPreDoseOk, "pre_dose_ok"},
    {SessionState::kHeld, "held"},
    {SessionState::kDosing, "dosing"},
    {SessionState::kMonitoring, "monitoring"},
    {SessionState::kReadyForDischarge, "ready_for_discharge"},
    {SessionState::kDischarged, "discharged"},
    {SessionState::kCancelled, "cancelled"},
    {SessionState::kAborted, "aborted"},
});
[[nodiscard]] constexpr std::string_view SessionStateName(SessionState state) {
    return kSessionStateNames.Name(state);
}
// Inverse of SessionStateName (exact). Error kInvalidArgument on field "state" listing the names.
[[nodiscard]] Result<SessionState> ParseSessionState(std::string_view name);
// Every state, in the order above.
[[nodiscard]] std::vector<SessionState> AllSessionStates();
// discharged, cancelled and aborted: no transition leaves them.
[[nodiscard]] bool IsFinal(SessionState state);

// The pre-dose BP gate: a reading strictly above either value keeps the session from pre_dose_ok unless a
// prescriber overrides. Defaults are those of the clinic's screening.intake_bp_caution_systolic / _diastolic
// settings, the Spravato USPI example (>140 systolic or >90 diastolic: weigh the risk); the use cases pass the
// clinic's values.
struct BpGate {
    int max_systolic_mmhg = ScreeningSettings{}.intake_bp_caution_systolic;
    int max_diastolic_mmhg = ScreeningSettings{}.intake_bp_caution_diastolic;
};

// A prescriber's decision to dose despite a pre-dose BP above the gate.
struct GateOverride {
    std::string prescriber;  // who decided; required
    std::string reason;      // why; required
};

// What the preconditions need to know, gathered by the caller. Unset optionals mean "not recorded".
struct SessionFacts {
    bool consent_confirmed = false;  // informed consent for this course confirmed at check-in
    bool escort_confirmed = false;   // a responsible adult takes the patient home (no driving until next day)
    // The most recent pre-dose BP reading taken since check-in, and when.
    std::optional<BloodPressure> pre_dose_bp = std::nullopt;
    std::optional<TimePoint> pre_dose_bp_at = std::nullopt;
    BpGate bp_gate = {};
    std::optional<GateOverride> bp_override = std::nullopt;
    // The session's dose order: signed by a prescriber, and accepted by ComputeDose (inside the limits).
    bool dose_order_signed = false;
    bool dose_order_within_limits = false;
    std::optional<Route> route = std::nullopt;  // the dose order's route
    // The course's route: whose rules apply before there is an order (the escort rule at check-in).
    std::optional<Route> course_route = std::nullopt;
    // Esketamine: when the first nasal device was given. Other routes: when the infusion or administration ended.
    std::optional<TimePoint> first_esketamine_device_at = std::nullopt;
    // The server's time of the session's step to dosing (its transition history): the monitoring clock never starts
    // before it, whatever time was typed for the device.
    std::optional<TimePoint> dosing_started_at = std::nullopt;
    std::optional<TimePoint> administration_ended_at = std::nullopt;
    TimePoint now = {};
    bool discharge_criteria_confirmed = false;  // clinician confirms clinical-reference §5.5's criteria
    std::string reason = {};                    // required for held, cancelled and aborted
};

// The transitions design.md §3 allows out of `from`, in the order of the enum (none for the final states).
[[nodiscard]] std::vector<SessionState> AllowedTargets(SessionState from);

// OK when the session may move from `from` to `to` given `facts`. Every refusal is kFailedPrecondition naming
// exactly the precondition that failed; its field is the fact at fault ("consent_confirmed", "pre_dose_bp",
// "bp_override", "dose_order", "first_esketamine_device_at", "administration_ended_at",
// "discharge_criteria_confirmed", "reason") or "state" for a transition design.md §3 does not allow.
//
//   scheduled -> checked_in            consent and escort confirmed
//   checked_in | held -> pre_dose_ok   consent and escort confirmed; a pre-dose BP recorded (not after `now`);
//                                      inside the gate, or overridden by a named prescriber with a reason
//   checked_in -> held                 a reason
//   pre_dose_ok -> dosing              a dose order signed by a prescriber and inside the limits, with its route
//   dosing -> monitoring               esketamine: the first device's time recorded; other routes: the end of the
//                                      infusion / administration recorded
//   monitoring -> ready_for_discharge  esketamine: at least 120 min since the first device, or since the step to
//                                      dosing when that came later (Spravato REMS; see MonitoringClockStart); other
//                                      routes: the administration has ended (no fixed minimum: APA consensus is
//                                      "until back to baseline", judged at discharge)
//   ready_for_discharge -> discharged  discharge criteria confirmed
//   any but final -> cancelled | aborted   a reason
[[nodiscard]] Status CheckTransition(SessionState from, SessionState to, const SessionFacts& facts);

// The earliest time CheckTransition lets a session in monitoring move to ready_for_discharge, given `facts` (its
// `now`, `reason` and confirmations are not read), for a board to show: esketamine, kEsketamineMinMonitoringMinutes
// after MonitoringClockStart (the first device, never before the step to dosing); any other route, when the
// administration ended. nullopt while that is not known yet: no device recorded, or an administration still running.
// The route is facts.route (the dose order's), as CheckTransition reads it.
[[nodiscard]] std::optional<TimePoint> EarliestReadyForDischarge(const SessionFacts& facts);

// When the esketamine monitoring clock starts: the first device's time as typed, but never before the server's time
// of the step to dosing (`dosing_started_at`, absent only for records older than the transition history). A
// device back-dated before the dose could have been given cannot shorten the 2 hours (issue 10, "time cannot be
// bent"): the gate counts from what the session's own history proves.
[[nodiscard]] TimePoint MonitoringClockStart(TimePoint first_device_at, std::optional<TimePoint> dosing_started_at);

// The times of one administration, checked against the session's own history and the server's clock:
//   - started_at and stopped_at each pass CheckEntryTime (record_time.hpp): refused more than the clock-skew
//     allowance in the future or older than the late-entry limit;
//   - started_at is not before `pre_dose_ok_at`, the server's time of the session's latest step to pre_dose_ok: no
//     dose is given before the pre-dose check that allows it (Spravato USPI §5: BP before dosing) and, a fortiori,
//     before check-in;
//   - stopped_at is not before started_at.
// Returns kLate when either time is a late entry, else kContemporaneous. Errors: CheckEntryTime's for "started_at"
// and "stopped_at"; kInvalidArgument "started_at" when before the pre-dose step; kInvalidArgument "stopped_at" when
// before started_at.
[[nodiscard]] Result<EntryTiming> CheckAdministrationTime(TimePoint started_at, std::optional<TimePoint> stopped_at,
                                                          TimePoint pre_dose_ok_at, TimePoint now,
                                                          const RecordSettings& settings);

}  // namespace kclinic::clinical
