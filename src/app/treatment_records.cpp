#include "app/treatment_records.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "app/audit.hpp"
#include "app/rems_forms.hpp"
#include "base/text.hpp"

namespace kclinic::app {
namespace {

using clinical::SessionState;

constexpr std::size_t kMaxTextLength = 200;
constexpr std::size_t kMaxReasonLength = 2000;
constexpr int kMaxDevicesPerAdministration = 3;  // 84 mg, the most per session (Spravato USPI)
constexpr std::string_view kSystolicLoinc = "8480-6";
constexpr std::string_view kDiastolicLoinc = "8462-4";

// Names, indications, drugs and lot numbers are one line; a reason may run over several.
constexpr TextRule kLineRule{.max_characters = kMaxTextLength};
constexpr TextRule kReasonRule{.max_characters = kMaxReasonLength, .multiline = true};

Status CheckReason(std::string_view reason) {
    return CheckText("reason", reason, kReasonRule);
}

// Esketamine protocols are given as the nasal spray only; the IV induction series is racemic ketamine, on the
// route the clinic gives it by (clinical-reference §2).
Status CheckProtocolRoute(clinical::Protocol protocol, clinical::Route route) {
    const bool esketamine_protocol = protocol != clinical::Protocol::kIvInduction;
    const bool esketamine_route = route == clinical::Route::kEsketamineNasal;
    if (esketamine_protocol != esketamine_route) {
        return InvalidArgument("route", "route " + std::string(clinical::RouteName(route)) + " does not fit protocol " +
                                            std::string(clinical::ProtocolName(protocol)));
    }
    return Status::Ok();
}

std::string_view CourseStatusText(CourseStatus status) {
    switch (status) {
        case CourseStatus::kActive:
            return "active";
        case CourseStatus::kPaused:
            return "paused";
        case CourseStatus::kEnded:
            return "ended";
    }
    return "active";  // unreachable: every enumerator is handled above
}

// The facts the store holds about a session, as CheckTransition reads them.
Status GatherFacts(StoreTransaction& tx, const TreatmentSession& session, TimePoint now,
                   clinical::SessionFacts& facts) {
    facts.now = now;
    facts.consent_confirmed = session.consent_confirmed;
    facts.escort_confirmed = session.escort_confirmed;
    facts.bp_override = session.bp_override;
    if (session.checked_in_at) {
        // Pre-dose vitals are those of this patient observed since this session's check-in; the latest of each.
        ASSIGN_OR_RETURN(std::vector<VitalSign> vitals,
                         tx.ListVitalSignsBetween(session.patient, *session.checked_in_at, now));
        std::optional<VitalSign> systolic;
        std::optional<VitalSign> diastolic;
        for (const VitalSign& vital : vitals) {
            if (vital.loinc == kSystolicLoinc) {
                systolic = vital;
            } else if (vital.loinc == kDiastolicLoinc) {
                diastolic = vital;
            }
        }
        if (systolic && diastolic) {
            facts.pre_dose_bp = clinical::BloodPressure{static_cast<int>(std::lround(systolic->value)),
                                                        static_cast<int>(std::lround(diastolic->value))};
            facts.pre_dose_bp_at = std::max(systolic->observed_at, diastolic->observed_at);
        }
    }
    ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session.id));
    if (order) {
        // Only orders ComputeDose accepted are stored (SignDoseOrder), so a stored order is inside the limits.
        facts.dose_order_signed = !order->prescriber.empty();
        facts.dose_order_within_limits = true;
        facts.route = order->order.route;
    }
    ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session.id));
    bool all_stopped = !given.empty();
    for (const Administration& administration : given) {
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
    if (!all_stopped) {
        facts.administration_ended_at.reset();
    }
    return Status::Ok();
}

}  // namespace

Result<CourseRecord> TreatmentRecords::StartCourse(const Actor& actor, PatientId patient, const NewCourse& course,
                                                   const clinical::ClinicSettings& settings) {
    for (const Status& status :
         {CheckText("indication", course.indication, kLineRule), CheckProtocolRoute(course.protocol, course.route)}) {
        if (!status.ok()) {
            return status.error();
        }
    }
    Result<std::vector<clinical::PlannedSession>> plan =
        clinical::PlanSchedule(course.protocol, course.start_date, settings.schedule);
    if (!plan.ok()) {
        return plan.error();
    }
    const TimePoint now = clock_.Now();
    CourseRecord record;
    record.course = TreatmentCourse{CourseId{},
                                    patient,
                                    course.indication,
                                    course.protocol,
                                    course.route,
                                    course.start_date,
                                    CourseStatus::kActive,
                                    "",
                                    now,
                                    actor.user,
                                    now,
                                    actor.user};
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        record.sessions.clear();
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(CourseId id, tx.InsertCourse(record.course));
        record.course.id = id;
        for (const clinical::PlannedSession& planned : *plan) {
            TreatmentSession session;
            session.course = id;
            session.patient = patient;
            session.number = planned.number;
            session.planned_date = planned.date;
            session.phase = planned.phase;
            session.week = planned.week;
            session.state_changed_at = now;
            session.state_changed_by = actor.user;
            ASSIGN_OR_RETURN(SessionId session_id, tx.InsertSession(session));
            session.id = session_id;
            record.sessions.push_back(std::move(session));
        }
        return RecordAudit(tx, actor, now, "course.create", "treatment_course", id.value, patient.value);
    }));
    return record;
}

Result<TreatmentCourse> TreatmentRecords::ChangeCourse(const Actor& actor, CourseId course, CourseStatus to,
                                                       std::string_view reason) {
    if (to != CourseStatus::kActive) {
        RETURN_IF_ERROR(CheckReason(reason));
    }
    const TimePoint now = clock_.Now();
    std::optional<TreatmentCourse> changed;
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(TreatmentCourse current, tx.GetCourse(course));
        const CourseStatus from = current.status;
        const bool allowed = (to == CourseStatus::kPaused && from == CourseStatus::kActive) ||
                             (to == CourseStatus::kActive && from == CourseStatus::kPaused) ||
                             (to == CourseStatus::kEnded && from != CourseStatus::kEnded);
        if (!allowed) {
            return Error{ErrorCode::kFailedPrecondition, "course_id",
                         "treatment course " + std::to_string(course.value) + " is " +
                             std::string(CourseStatusText(from)) + "; it cannot become " +
                             std::string(CourseStatusText(to))};
        }
        changed = std::move(current);
        changed->status = to;
        changed->status_reason = std::string(reason);
        changed->status_changed_at = now;
        changed->status_changed_by = actor.user;
        RETURN_IF_ERROR(tx.UpdateCourseStatus(*changed, from));
        const std::string action = to == CourseStatus::kPaused   ? "course.pause"
                                   : to == CourseStatus::kActive ? "course.resume"
                                                                 : "course.end";
        if (Status audited =
                RecordAudit(tx, actor, now, action, "treatment_course", course.value, changed->patient.value);
            !audited.ok()) {
            return audited;
        }
        if (to != CourseStatus::kEnded) {
            return Status::Ok();
        }
        // Ending a course cancels what was only planned; sessions under way keep their own state machine.
        ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessions(course));
        for (TreatmentSession session : sessions) {
            if (session.state != SessionState::kScheduled) {
                continue;
            }
            session.state = SessionState::kCancelled;
            session.state_reason = "course ended: " + std::string(reason);
            session.state_changed_at = now;
            session.state_changed_by = actor.user;
            RETURN_IF_ERROR(tx.UpdateSession(session, SessionState::kScheduled));
            if (Status audited = RecordAudit(tx, actor, now, "session.cancelled", "treatment_session", session.id.value,
                                             session.patient.value);
                !audited.ok()) {
                return audited;
            }
        }
        return Status::Ok();
    }));
    return std::move(*changed);
}

Result<TreatmentCourse> TreatmentRecords::PauseCourse(const Actor& actor, CourseId course, std::string_view reason) {
    return ChangeCourse(actor, course, CourseStatus::kPaused, reason);
}

Result<TreatmentCourse> TreatmentRecords::ResumeCourse(const Actor& actor, CourseId course) {
    return ChangeCourse(actor, course, CourseStatus::kActive, "");
}

Result<TreatmentCourse> TreatmentRecords::EndCourse(const Actor& actor, CourseId course, std::string_view reason) {
    return ChangeCourse(actor, course, CourseStatus::kEnded, reason);
}

Result<CourseRecord> TreatmentRecords::GetCourse(const Actor& actor, CourseId course) {
    CourseRecord record;
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(TreatmentCourse stored, tx.GetCourse(course));
        ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessions(course));
        record = CourseRecord{std::move(stored), std::move(sessions)};
        return RecordAudit(tx, actor, clock_.Now(), "course.read", "treatment_course", course.value,
                           record.course.patient.value);
    }));
    return record;
}

Result<std::vector<CourseRecord>> TreatmentRecords::ListCourses(const Actor& actor, PatientId patient) {
    std::vector<CourseRecord> records;
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<TreatmentCourse> courses, tx.ListCourses(patient));
        for (TreatmentCourse& course : std::move(courses)) {
            ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessions(course.id));
            records.push_back(CourseRecord{std::move(course), std::move(sessions)});
        }
        return RecordAudit(tx, actor, clock_.Now(), "course.list", "patient", patient.value, patient.value);
    }));
    return records;
}

Result<SessionRecord> TreatmentRecords::GetSession(const Actor& actor, SessionId session) {
    std::optional<SessionRecord> record;
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(TreatmentSession stored, tx.GetSession(session));
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session));
        ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session));
        ASSIGN_OR_RETURN(std::vector<SessionTransition> transitions, tx.ListSessionTransitions(session));
        record = SessionRecord{std::move(stored), order, std::move(given), std::move(transitions)};
        return RecordAudit(tx, actor, clock_.Now(), "session.read", "treatment_session", session.value,
                           record->session.patient.value);
    }));
    return std::move(*record);
}

Result<std::vector<TreatmentSession>> TreatmentRecords::ListSessionsOn(const Actor& actor, std::chrono::sys_days date) {
    std::vector<TreatmentSession> sessions;
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(std::vector<TreatmentSession> listed, tx.ListSessionsOn(date));
        sessions = std::move(listed);
        // The listing concerns many patients, so no single patient id (as ListPatients); the record is the day,
        // written YYYYMMDD so the audit log says which day was read.
        const std::chrono::year_month_day day{date};
        const std::int64_t day_number = std::int64_t{static_cast<int>(day.year())} * 10000 +
                                        std::int64_t{static_cast<unsigned>(day.month())} * 100 +
                                        std::int64_t{static_cast<unsigned>(day.day())};
        return RecordAudit(tx, actor, clock_.Now(), "session.list", "session_day", day_number, 0);
    }));
    return sessions;
}

Result<TreatmentSession> TreatmentRecords::Transition(const Actor& actor, SessionId session, SessionState to,
                                                      const Prepare& prepare) {
    const TimePoint now = clock_.Now();
    std::optional<TreatmentSession> changed;
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(session));
        const SessionState from = current.state;
        if (to == SessionState::kCheckedIn) {
            ASSIGN_OR_RETURN(TreatmentCourse course, tx.GetCourse(current.course));
            if (course.status != CourseStatus::kActive) {
                return Error{ErrorCode::kFailedPrecondition, "course_id",
                             "treatment course " + std::to_string(course.id.value) + " is " +
                                 std::string(CourseStatusText(course.status)) +
                                 "; sessions are checked in only on an "
                                 "active course"};
            }
        }
        changed = std::move(current);
        clinical::SessionFacts facts;
        RETURN_IF_ERROR(GatherFacts(tx, *changed, now, facts));
        RETURN_IF_ERROR(prepare(tx, *changed, facts));
        RETURN_IF_ERROR(clinical::CheckTransition(from, to, facts));
        changed->state = to;
        changed->state_changed_at = now;
        changed->state_changed_by = actor.user;
        if (to == SessionState::kHeld || to == SessionState::kCancelled || to == SessionState::kAborted) {
            changed->state_reason = facts.reason;
        }
        RETURN_IF_ERROR(tx.UpdateSession(*changed, from));
        if (Status audited = RecordAudit(tx, actor, now, "session." + std::string(clinical::SessionStateName(to)),
                                         "treatment_session", session.value, changed->patient.value);
            !audited.ok()) {
            return audited;
        }
        // An outpatient esketamine session that ends owes the REMS a monitoring form; rems_forms decides.
        return OpenRemsFormIfOwed(tx, actor, *changed, now);
    }));
    return std::move(*changed);
}

Result<TreatmentSession> TreatmentRecords::CheckIn(const Actor& actor, SessionId session, bool consent_confirmed,
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

Result<TreatmentSession> TreatmentRecords::ConfirmPreDose(const Actor& actor, SessionId session,
                                                          const clinical::ClinicSettings& settings,
                                                          std::optional<std::string> override_reason) {
    if (override_reason && override_reason->size() > kMaxReasonLength) {
        return InvalidArgument("reason", "must be at most " + std::to_string(kMaxReasonLength) + " characters");
    }
    return Transition(actor, session, SessionState::kPreDoseOk,
                      [&](StoreTransaction& tx, TreatmentSession& changed, clinical::SessionFacts& facts) -> Status {
                          // The clinic's intake caution gate doubles as the pre-dose gate: the label's >140/90, or
                          // the EU SmPC's >150/90 at 65 or over, by the patient's age on the day of the dose.
                          ASSIGN_OR_RETURN(Patient patient, tx.GetPatient(changed.patient));
                          const int age = clinical::AgeInYears(patient.birth_date,
                                                               std::chrono::floor<std::chrono::days>(clock_.Now()));
                          facts.bp_gate = clinical::BpGate{clinical::BpCautionSystolic(settings, age),
                                                           settings.screening.intake_bp_caution_diastolic};
                          if (override_reason) {
                              facts.bp_override = clinical::GateOverride{actor.user, *override_reason};
                              changed.bp_override = facts.bp_override;
                          }
                          return Status::Ok();
                      });
}

Result<TreatmentSession> TreatmentRecords::Hold(const Actor& actor, SessionId session, std::string_view reason) {
    return Transition(actor, session, SessionState::kHeld,
                      [&](StoreTransaction&, TreatmentSession&, clinical::SessionFacts& facts) {
                          facts.reason = std::string(reason);
                          return Status::Ok();
                      });
}

Result<TreatmentSession> TreatmentRecords::StartDosing(const Actor& actor, SessionId session) {
    return Transition(actor, session, SessionState::kDosing,
                      [](StoreTransaction&, TreatmentSession&, clinical::SessionFacts&) { return Status::Ok(); });
}

Result<TreatmentSession> TreatmentRecords::StartMonitoring(const Actor& actor, SessionId session) {
    return Transition(actor, session, SessionState::kMonitoring,
                      [](StoreTransaction&, TreatmentSession&, clinical::SessionFacts&) { return Status::Ok(); });
}

Result<TreatmentSession> TreatmentRecords::ReadyForDischarge(const Actor& actor, SessionId session) {
    return Transition(actor, session, SessionState::kReadyForDischarge,
                      [](StoreTransaction&, TreatmentSession&, clinical::SessionFacts&) { return Status::Ok(); });
}

Result<TreatmentSession> TreatmentRecords::Discharge(const Actor& actor, SessionId session,
                                                     bool discharge_criteria_confirmed) {
    return Transition(actor, session, SessionState::kDischarged,
                      [&](StoreTransaction&, TreatmentSession&, clinical::SessionFacts& facts) {
                          facts.discharge_criteria_confirmed = discharge_criteria_confirmed;
                          return Status::Ok();
                      });
}

Result<TreatmentSession> TreatmentRecords::Cancel(const Actor& actor, SessionId session, std::string_view reason) {
    return Transition(actor, session, SessionState::kCancelled,
                      [&](StoreTransaction&, TreatmentSession&, clinical::SessionFacts& facts) {
                          facts.reason = std::string(reason);
                          return Status::Ok();
                      });
}

Result<TreatmentSession> TreatmentRecords::Abort(const Actor& actor, SessionId session, std::string_view reason) {
    return Transition(actor, session, SessionState::kAborted,
                      [&](StoreTransaction&, TreatmentSession&, clinical::SessionFacts& facts) {
                          facts.reason = std::string(reason);
                          return Status::Ok();
                      });
}

Result<DoseOrderRecord> TreatmentRecords::SignDoseOrder(const Actor& actor, SessionId session,
                                                        const clinical::DoseRequest& request,
                                                        const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(clinical::DoseOrder order, clinical::ComputeDose(request, settings));
    const TimePoint now = clock_.Now();
    DoseOrderRecord record{DoseOrderId{}, session, PatientId{}, request, std::move(order), now, actor.user};
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(session));
        ASSIGN_OR_RETURN(TreatmentCourse course, tx.GetCourse(current.course));
        if (request.route != course.route) {
            return InvalidArgument("route", "the course is given by " + std::string(clinical::RouteName(course.route)) +
                                                ", not " + std::string(clinical::RouteName(request.route)));
        }
        const SessionState state = current.state;
        if (state != SessionState::kCheckedIn && state != SessionState::kHeld && state != SessionState::kPreDoseOk) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "a dose order is signed for a checked-in session before dosing; session " +
                             std::to_string(session.value) + " is " + std::string(clinical::SessionStateName(state))};
        }
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> existing, tx.FindDoseOrder(session));
        if (existing) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "session " + std::to_string(session.value) + " already has a dose order signed by " +
                             existing->prescriber + "; a signed order is never edited"};
        }
        record.patient = current.patient;
        ASSIGN_OR_RETURN(DoseOrderId id, tx.InsertDoseOrder(record));
        record.id = id;
        return RecordAudit(tx, actor, now, "dose_order.sign", "dose_order", id.value, record.patient.value);
    }));
    return record;
}

Result<Administration> TreatmentRecords::RecordAdministration(const Actor& actor, SessionId session,
                                                              const NewAdministration& administration) {
    for (const Status& status : {CheckText("drug", administration.drug, kLineRule),
                                 CheckText("lot_number", administration.lot_number, kLineRule)}) {
        if (!status.ok()) {
            return status.error();
        }
    }
    if (!(administration.dose_mg > 0)) {
        return InvalidArgument("dose_mg", "must be above 0 mg");
    }
    if (administration.rate_mg_per_h && !(*administration.rate_mg_per_h > 0)) {
        return InvalidArgument("rate_mg_per_h", "must be above 0 mg/h when given");
    }
    const bool esketamine = administration.route == clinical::Route::kEsketamineNasal;
    if (esketamine) {
        if (!administration.device_count) {
            return InvalidArgument("device_count", "is required for esketamine (28-mg devices)");
        }
        if (*administration.device_count < 1 || *administration.device_count > kMaxDevicesPerAdministration) {
            return OutOfRange("device_count", *administration.device_count, 1, kMaxDevicesPerAdministration, "devices");
        }
        if (std::abs(administration.dose_mg - clinical::kEsketamineDeviceMg * *administration.device_count) > 1e-9) {
            return InvalidArgument("dose_mg",
                                   "must be 28 mg per device: " +
                                       std::to_string(clinical::kEsketamineDeviceMg * *administration.device_count) +
                                       " mg for " + std::to_string(*administration.device_count) + " devices");
        }
    } else if (administration.device_count) {
        return InvalidArgument("device_count", "applies to esketamine nasal devices only");
    }
    const TimePoint now = clock_.Now();
    if (administration.started_at > now) {
        return InvalidArgument("started_at", "must not be after now");
    }
    if (administration.stopped_at && *administration.stopped_at < administration.started_at) {
        return InvalidArgument("stopped_at", "must not be before started_at");
    }
    if (administration.stopped_at && *administration.stopped_at > now) {
        return InvalidArgument("stopped_at", "must not be after now");
    }
    Administration record{AdministrationId{},
                          session,
                          PatientId{},
                          administration.drug,
                          administration.route,
                          administration.dose_mg,
                          administration.rate_mg_per_h,
                          administration.device_count,
                          administration.lot_number,
                          administration.started_at,
                          administration.stopped_at,
                          now,
                          actor.user};
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(session));
        if (current.state != SessionState::kDosing) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "administrations are recorded while dosing; session " + std::to_string(session.value) +
                             " is " + std::string(clinical::SessionStateName(current.state))};
        }
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session));
        // A session in dosing always has its order: StartDosing requires it.
        if (!order) {
            return Error{ErrorCode::kInternal, "session_id", "a dosing session has no dose order"};
        }
        if (order->order.route != administration.route) {
            return InvalidArgument("route", "the signed order is for " +
                                                std::string(clinical::RouteName(order->order.route)) + ", not " +
                                                std::string(clinical::RouteName(administration.route)));
        }
        ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session));
        double total_mg = administration.dose_mg;
        for (const Administration& earlier : given) {
            total_mg += earlier.dose_mg;
        }
        // A small tolerance: the order's total is rounded to 0.1 mg.
        if (total_mg > order->order.total_mg + 0.05) {
            return Error{ErrorCode::kFailedPrecondition, "dose_mg",
                         "this administration would bring the session to " + FormatNumber(total_mg) +
                             " mg; the signed order is " + FormatNumber(order->order.total_mg) + " mg"};
        }
        record.patient = current.patient;
        ASSIGN_OR_RETURN(AdministrationId id, tx.InsertAdministration(record));
        record.id = id;
        return RecordAudit(tx, actor, now, "administration.create", "administration", id.value, record.patient.value);
    }));
    return record;
}

}  // namespace kclinic::app
