#include "clinical/session_state.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "base/text.hpp"

namespace kclinic::clinical {
namespace {

Error Refused(std::string field, std::string message) {
    return Error{ErrorCode::kFailedPrecondition, std::move(field), std::move(message)};
}

std::string Bp(const BloodPressure& bp) {
    return std::to_string(bp.systolic_mmhg) + "/" + std::to_string(bp.diastolic_mmhg) + " mmHg";
}

// Consent and a ride home are confirmed at check-in and still required before the pre-dose check. Each product
// has its own source: the esketamine label forbids driving until the next day after a restful sleep (Spravato USPI
// §2; clinical-reference §3.4); for racemic ketamine no label says so, and a responsible adult escort with no driving
// for the rest of the day is clinic practice (clinical-reference §5.5).
Status CheckConsentAndEscort(const SessionFacts& facts) {
    if (!facts.consent_confirmed) {
        return Refused("consent_confirmed", "informed consent for this treatment is not confirmed");
    }
    if (facts.escort_confirmed) {
        return Status::Ok();
    }
    const std::optional<Route> route = facts.route ? facts.route : facts.course_route;
    if (route == Route::kEsketamineNasal) {
        return Refused("escort_confirmed",
                       "no escort home is confirmed; the patient must not drive until the next day after a restful "
                       "sleep (Spravato USPI)");
    }
    return Refused("escort_confirmed",
                   "no escort home is confirmed; after racemic ketamine a responsible adult takes the patient home and "
                   "the patient does not drive for the rest of the day (clinical-reference §5.5 [PRACTICE])");
}

// Spravato USPI §5: measure BP before dosing; above 140/90 weigh the risk, so dosing needs a prescriber's decision.
Status CheckPreDoseBp(const SessionFacts& facts) {
    if (!facts.pre_dose_bp || !facts.pre_dose_bp_at) {
        return Refused("pre_dose_bp", "no pre-dose blood pressure (systolic and diastolic) recorded since check-in");
    }
    if (*facts.pre_dose_bp_at > facts.now) {
        return Refused("pre_dose_bp", "the pre-dose blood pressure is timed after now");
    }
    const BloodPressure& bp = *facts.pre_dose_bp;
    const bool inside =
        bp.systolic_mmhg <= facts.bp_gate.max_systolic_mmhg && bp.diastolic_mmhg <= facts.bp_gate.max_diastolic_mmhg;
    if (inside) {
        return Status::Ok();
    }
    const std::string above =
        "pre-dose BP " + Bp(bp) + " is above the gate " + std::to_string(facts.bp_gate.max_systolic_mmhg) + "/" +
        std::to_string(facts.bp_gate.max_diastolic_mmhg) + " mmHg (Spravato USPI: >140/90 weigh the risk)";
    if (!facts.bp_override) {
        return Refused("pre_dose_bp", above + " and no prescriber has overridden it");
    }
    if (IsBlank(facts.bp_override->prescriber)) {
        return Refused("bp_override", above + "; the override names no prescriber");
    }
    if (IsBlank(facts.bp_override->reason)) {
        return Refused("bp_override", above + "; the override gives no reason");
    }
    return Status::Ok();
}

Status CheckDoseOrder(const SessionFacts& facts) {
    if (!facts.dose_order_signed) {
        return Refused("dose_order", "no dose order signed by a prescriber for this session");
    }
    if (!facts.dose_order_within_limits || !facts.route) {
        return Refused("dose_order", "the session's dose order is not inside the dose limits (ComputeDose refused it)");
    }
    return Status::Ok();
}

bool IsEsketamine(const SessionFacts& facts) {
    return facts.route == Route::kEsketamineNasal;
}

Status CheckDosed(const SessionFacts& facts) {
    if (IsEsketamine(facts)) {
        if (!facts.first_esketamine_device_at) {
            return Refused("first_esketamine_device_at", "no esketamine device administration recorded");
        }
        return Status::Ok();
    }
    if (!facts.administration_ended_at) {
        return Refused("administration_ended_at", "the end of the " +
                                                      std::string(facts.route ? RouteName(*facts.route) : "") +
                                                      " administration is not recorded");
    }
    return Status::Ok();
}

Status CheckMonitoringTime(const SessionFacts& facts) {
    RETURN_IF_ERROR(CheckDosed(facts));
    if (IsEsketamine(facts)) {
        // Spravato REMS and USPI §2: observe at least 2 hours after dosing, counted from the first device, but
        // never from before the session's step to dosing.
        const TimePoint start = MonitoringClockStart(*facts.first_esketamine_device_at, facts.dosing_started_at);
        const auto minutes = std::chrono::floor<std::chrono::minutes>(facts.now - start).count();
        if (minutes < kEsketamineMinMonitoringMinutes) {
            const std::string since = start == *facts.first_esketamine_device_at
                                          ? "the first esketamine device"
                                          : "the step to dosing (the first device is timed before it)";
            return Refused("first_esketamine_device_at",
                           "monitoring for " + std::to_string(minutes) + " min since " + since + "; " +
                               std::to_string(kEsketamineMinMonitoringMinutes) + " min required (Spravato REMS)");
        }
        return Status::Ok();
    }
    if (*facts.administration_ended_at > facts.now) {
        return Refused("administration_ended_at", "the administration is recorded as ending after now");
    }
    return Status::Ok();
}

}  // namespace

std::optional<TimePoint> EarliestReadyForDischarge(const SessionFacts& facts) {
    if (IsEsketamine(facts)) {
        if (!facts.first_esketamine_device_at) {
            return std::nullopt;
        }
        return MonitoringClockStart(*facts.first_esketamine_device_at, facts.dosing_started_at) +
               std::chrono::minutes{kEsketamineMinMonitoringMinutes};
    }
    return facts.administration_ended_at;
}

namespace {

Status CheckReason(const SessionFacts& facts, SessionState to) {
    if (IsBlank(facts.reason)) {
        return Refused("reason", "a reason is required to move a session to " + std::string(SessionStateName(to)));
    }
    return Status::Ok();
}

}  // namespace

Result<SessionState> ParseSessionState(std::string_view name) {
    if (std::optional<SessionState> state = kSessionStateNames.Parse(name)) {
        return *state;
    }
    return InvalidArgument("state", "must be one of " + kSessionStateNames.List());
}

std::vector<SessionState> AllSessionStates() {
    const auto states = kSessionStateNames.Values();
    return {states.begin(), states.end()};
}

bool IsFinal(SessionState state) {
    return state == SessionState::kDischarged || state == SessionState::kCancelled || state == SessionState::kAborted;
}

std::vector<SessionState> AllowedTargets(SessionState from) {
    std::vector<SessionState> targets;
    switch (from) {
        case SessionState::kScheduled:
            targets = {SessionState::kCheckedIn};
            break;
        case SessionState::kCheckedIn:
            targets = {SessionState::kPreDoseOk, SessionState::kHeld};
            break;
        case SessionState::kHeld:
            targets = {SessionState::kPreDoseOk};
            break;
        case SessionState::kPreDoseOk:
            targets = {SessionState::kDosing};
            break;
        case SessionState::kDosing:
            targets = {SessionState::kMonitoring};
            break;
        case SessionState::kMonitoring:
            targets = {SessionState::kReadyForDischarge};
            break;
        case SessionState::kReadyForDischarge:
            targets = {SessionState::kDischarged};
            break;
        case SessionState::kDischarged:
        case SessionState::kCancelled:
        case SessionState::kAborted:
            return targets;
    }
    targets.push_back(SessionState::kCancelled);
    targets.push_back(SessionState::kAborted);
    return targets;
}

Status CheckTransition(SessionState from, SessionState to, const SessionFacts& facts) {
    const std::vector<SessionState> allowed = AllowedTargets(from);
    if (std::find(allowed.begin(), allowed.end(), to) == allowed.end()) {
        if (IsFinal(from)) {
            return Refused("state", "the session is " + std::string(SessionStateName(from)) +
                                        "; no transition leaves " + std::string(SessionStateName(from)));
        }
        std::string names;
        for (SessionState target : allowed) {
            names += (names.empty() ? "" : ", ") + std::string(SessionStateName(target));
        }
        return Refused("state", "no transition from " + std::string(SessionStateName(from)) + " to " +
                                    std::string(SessionStateName(to)) + "; allowed: " + names);
    }
    switch (to) {
        case SessionState::kCheckedIn:
            return CheckConsentAndEscort(facts);
        case SessionState::kPreDoseOk:
            RETURN_IF_ERROR(CheckConsentAndEscort(facts));
            return CheckPreDoseBp(facts);
        case SessionState::kHeld:
        case SessionState::kCancelled:
        case SessionState::kAborted:
            return CheckReason(facts, to);
        case SessionState::kDosing:
            return CheckDoseOrder(facts);
        case SessionState::kMonitoring:
            return CheckDosed(facts);
        case SessionState::kReadyForDischarge:
            return CheckMonitoringTime(facts);
        case SessionState::kDischarged:
            if (!facts.discharge_criteria_confirmed) {
                return Refused("discharge_criteria_confirmed",
                               "discharge criteria are not confirmed (clinically stable, back to baseline, escort "
                               "present)");
            }
            return Status::Ok();
        case SessionState::kScheduled:
            break;  // never a target: AllowedTargets does not list it
    }
    return Refused("state", "no transition to scheduled");
}

TimePoint MonitoringClockStart(TimePoint first_device_at, std::optional<TimePoint> dosing_started_at) {
    return dosing_started_at ? std::max(first_device_at, *dosing_started_at) : first_device_at;
}

Result<EntryTiming> CheckAdministrationTime(TimePoint started_at, std::optional<TimePoint> stopped_at,
                                            TimePoint pre_dose_ok_at, TimePoint now, const RecordSettings& settings) {
    ASSIGN_OR_RETURN(EntryTiming timing, CheckEntryTime("started_at", started_at, now, settings));
    if (started_at < pre_dose_ok_at) {
        return InvalidArgument("started_at",
                               "is before the session's pre-dose check (step to pre_dose_ok); no dose is given before "
                               "the pre-dose check that allows it");
    }
    if (stopped_at) {
        ASSIGN_OR_RETURN(EntryTiming stop_timing, CheckEntryTime("stopped_at", *stopped_at, now, settings));
        if (*stopped_at < started_at) {
            return InvalidArgument("stopped_at", "must not be before started_at");
        }
        if (stop_timing == EntryTiming::kLate) {
            timing = EntryTiming::kLate;
        }
    }
    return timing;
}

}  // namespace kclinic::clinical
