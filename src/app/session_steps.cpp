#include "app/session_steps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/record_names.hpp"
#include "app/rems_forms.hpp"
#include "app/treatment_text.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::app {
namespace {

using clinical::SessionState;

// The facts the store holds about a session, as CheckTransition reads them.
Result<clinical::SessionFacts> GatherFacts(StoreTransaction& tx, const TreatmentSession& session,
                                           const TreatmentCourse& course, TimePoint now) {
    clinical::SessionFacts facts;
    facts.now = now;
    facts.consent_confirmed = session.consent_confirmed;
    facts.escort_confirmed = session.escort_confirmed;
    facts.bp_override = session.bp_override;
    facts.course_route = course.route;
    if (session.checked_in_at) {
        // The pre-dose BP is this patient's latest blood-pressure reading observed since this session's check-in
        // and not marked entered in error: one reading, its systolic and diastolic measured together.
        ASSIGN_OR_RETURN(std::vector<VitalSign> vitals,
                         tx.ListVitalSignsBetween(session.patient, *session.checked_in_at, now));
        const auto reading = std::find_if(vitals.rbegin(), vitals.rend(), [](const VitalSign& vital) {
            return vital.loinc == clinical::kBloodPressurePanelLoinc && vital.diastolic && !vital.entered_in_error;
        });
        if (reading != vitals.rend()) {
            facts.pre_dose_bp = clinical::BloodPressure{static_cast<int>(std::lround(reading->value)),
                                                        static_cast<int>(std::lround(*reading->diastolic))};
            facts.pre_dose_bp_at = reading->observed_at;
        }
    }
    ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session.id));
    if (order) {
        // Only orders ComputeDose accepted are stored (DoseRecords::SignDoseOrder), so a stored order is inside the
        // limits.
        facts.dose_order_signed = !order->prescriber.empty();
        facts.dose_order_within_limits = true;
        facts.route = order->order.route;
    }
    ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session.id));
    ASSIGN_OR_RETURN(std::vector<SessionTransition> transitions, tx.ListSessionTransitions(session.id));
    AddDosingFacts(given, transitions, facts);
    return facts;
}

// Sessions are checked in only on an active course: a paused or ended course takes no one in.
Status CheckCourseTakesCheckIns(const TreatmentCourse& course) {
    if (course.status != CourseStatus::kActive) {
        return Error{ErrorCode::kFailedPrecondition, "course_id",
                     "treatment course " + std::to_string(course.id.value) + " is " +
                         std::string(CourseStatusName(course.status)) +
                         "; sessions are checked in only on an active course"};
    }
    return Status::Ok();
}

// A step that contributes only its reason.
auto WithReason(std::string_view reason) {
    return [reason](StoreTransaction&, TreatmentSession&, clinical::SessionFacts& facts) {
        facts.reason = std::string(reason);
        return Status::Ok();
    };
}

// A step that contributes nothing: the facts in the store decide alone.
Status NothingToAdd(StoreTransaction&, TreatmentSession&, clinical::SessionFacts&) {
    return Status::Ok();
}

}  // namespace

bool InProgressAt(const TreatmentSession& session, TimePoint at) {
    return session.checked_in_at && *session.checked_in_at <= at &&
           !(clinical::IsFinal(session.state) && session.state_changed_at <= at);
}

void AddDosingFacts(std::span<const Administration> administrations, std::span<const SessionTransition> transitions,
                    clinical::SessionFacts& facts) {
    // An administration marked entered in error was not given: it neither starts nor holds the monitoring clock.
    bool any_given = false;
    bool all_stopped = true;
    for (const Administration& administration : administrations) {
        if (administration.entered_in_error) {
            continue;
        }
        any_given = true;
        if (administration.route == clinical::Route::kEsketamineNasal &&
            (!facts.first_esketamine_device_at || administration.started_at < *facts.first_esketamine_device_at)) {
            facts.first_esketamine_device_at = administration.started_at;
        }
        if (!administration.stopped_at) {
            all_stopped = false;
        } else if (!facts.administration_ended_at || *administration.stopped_at > *facts.administration_ended_at) {
            facts.administration_ended_at = administration.stopped_at;
        }
    }
    if (!any_given || !all_stopped) {
        facts.administration_ended_at.reset();
    }
    // The monitoring clock never starts before the server's time of the step to dosing (MonitoringClockStart).
    for (const SessionTransition& transition : transitions) {
        if (transition.to_state == clinical::SessionState::kDosing) {
            facts.dosing_started_at = transition.at;
        }
    }
}

Result<SessionRecord> SessionSteps::GetSession(const Actor& actor, SessionId session) {
    return store_.Write([&](StoreTransaction& tx) -> Result<SessionRecord> {
        ASSIGN_OR_RETURN(TreatmentSession stored, tx.GetSession(session));
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session));
        ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session));
        ASSIGN_OR_RETURN(std::vector<SessionTransition> transitions, tx.ListSessionTransitions(session));
        ASSIGN_OR_RETURN(std::vector<SessionMedication> medications, tx.ListSessionMedications(session));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "session.read", "treatment_session", session.value,
                                    stored.patient.value));
        return SessionRecord{std::move(stored), std::move(order), std::move(given), std::move(transitions),
                             std::move(medications)};
    });
}

Result<std::vector<TreatmentSession>> SessionSteps::ListSessionsOn(const Actor& actor, std::chrono::sys_days date) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<TreatmentSession>> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        const clinical::LocalDay day_instants = zone.DayOf(date);
        ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions,
                         tx.ListSessionsOn(date, day_instants.start, day_instants.end));
        // The listing concerns many patients, so no single patient id (as ListPatients); the record is the day,
        // written YYYYMMDD so the audit log says which day was read.
        const std::chrono::year_month_day day{date};
        const std::int64_t day_number = std::int64_t{static_cast<int>(day.year())} * 10000 +
                                        std::int64_t{static_cast<unsigned>(day.month())} * 100 +
                                        std::int64_t{static_cast<unsigned>(day.day())};
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "session.list", "session_day", day_number, 0));
        return sessions;
    });
}

Result<TreatmentSession> SessionSteps::Transition(const Actor& actor, SessionId session, SessionState to,
                                                  const Step& step) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<TreatmentSession> {
        ASSIGN_OR_RETURN(TreatmentSession changed, tx.GetSession(session));
        const SessionState from = changed.state;
        ASSIGN_OR_RETURN(const TreatmentCourse course, tx.GetCourse(changed.course));
        if (to == SessionState::kCheckedIn) {
            RETURN_IF_ERROR(CheckCourseTakesCheckIns(course));
        }
        ASSIGN_OR_RETURN(clinical::SessionFacts facts, GatherFacts(tx, changed, course, now));
        RETURN_IF_ERROR(step(tx, changed, facts));
        RETURN_IF_ERROR(clinical::CheckTransition(from, to, facts));
        changed.state = to;
        changed.state_changed_at = now;
        changed.state_changed_by = actor.user;
        // The reason belongs to the state that needs one; the transition history keeps every earlier one.
        const bool needs_reason =
            to == SessionState::kHeld || to == SessionState::kCancelled || to == SessionState::kAborted;
        changed.state_reason = needs_reason ? facts.reason : "";
        RETURN_IF_ERROR(tx.UpdateSession(changed, from));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "session." + std::string(clinical::SessionStateName(to)),
                                    "treatment_session", session.value, changed.patient.value));
        // An outpatient esketamine session that ends owes the REMS a monitoring form; rems_forms decides.
        RETURN_IF_ERROR(OpenRemsFormIfOwed(tx, actor, changed, now, zones_));
        return changed;
    });
}

Result<TreatmentSession> SessionSteps::CheckIn(const Actor& actor, SessionId session, bool consent_confirmed,
                                               bool escort_confirmed) {
    const TimePoint now = clock_.Now();
    return Transition(actor, session, SessionState::kCheckedIn,
                      [&](StoreTransaction&, TreatmentSession& changed, clinical::SessionFacts& facts) -> Status {
                          facts.consent_confirmed = consent_confirmed;
                          facts.escort_confirmed = escort_confirmed;
                          changed.consent_confirmed = consent_confirmed;
                          changed.escort_confirmed = escort_confirmed;
                          changed.checked_in_at = now;
                          return Status::Ok();
                      });
}

Result<TreatmentSession> SessionSteps::ConfirmPreDose(const Actor& actor, SessionId session,
                                                      const clinical::ClinicSettings& settings,
                                                      std::optional<std::string> override_reason) {
    if (override_reason && override_reason->size() > treatment_text::kMaxReasonLength) {
        return InvalidArgument("reason",
                               "must be at most " + std::to_string(treatment_text::kMaxReasonLength) + " characters");
    }
    return Transition(actor, session, SessionState::kPreDoseOk,
                      [&](StoreTransaction& tx, TreatmentSession& changed, clinical::SessionFacts& facts) -> Status {
                          // The clinic's intake caution gate doubles as the pre-dose gate: the label's >140/90, or
                          // the EU SmPC's >150/90 at 65 or over, by the patient's age on the day of the dose.
                          ASSIGN_OR_RETURN(Patient patient, tx.GetPatient(changed.patient));
                          ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
                          const int age = clinical::AgeInYears(patient.birth_date, zone.LocalDate(clock_.Now()));
                          facts.bp_gate = clinical::BpGate{clinical::BpCautionSystolic(settings, age),
                                                           settings.screening.intake_bp_caution_diastolic};
                          if (override_reason) {
                              facts.bp_override = clinical::GateOverride{actor.user, *override_reason};
                              changed.bp_override = facts.bp_override;
                          }
                          return Status::Ok();
                      });
}

Result<TreatmentSession> SessionSteps::Hold(const Actor& actor, SessionId session, std::string_view reason) {
    return Transition(actor, session, SessionState::kHeld, WithReason(reason));
}

Result<TreatmentSession> SessionSteps::StartDosing(const Actor& actor, SessionId session) {
    return Transition(actor, session, SessionState::kDosing, NothingToAdd);
}

Result<TreatmentSession> SessionSteps::StartMonitoring(const Actor& actor, SessionId session) {
    return Transition(actor, session, SessionState::kMonitoring, NothingToAdd);
}

Result<TreatmentSession> SessionSteps::ReadyForDischarge(const Actor& actor, SessionId session) {
    return Transition(actor, session, SessionState::kReadyForDischarge, NothingToAdd);
}

Result<TreatmentSession> SessionSteps::Discharge(const Actor& actor, SessionId session,
                                                 bool discharge_criteria_confirmed) {
    return Transition(actor, session, SessionState::kDischarged,
                      [&](StoreTransaction&, TreatmentSession&, clinical::SessionFacts& facts) {
                          facts.discharge_criteria_confirmed = discharge_criteria_confirmed;
                          return Status::Ok();
                      });
}

Result<TreatmentSession> SessionSteps::Cancel(const Actor& actor, SessionId session, std::string_view reason) {
    return Transition(actor, session, SessionState::kCancelled, WithReason(reason));
}

Result<TreatmentSession> SessionSteps::Abort(const Actor& actor, SessionId session, std::string_view reason) {
    return Transition(actor, session, SessionState::kAborted, WithReason(reason));
}

}  // namespace kclinic::app
