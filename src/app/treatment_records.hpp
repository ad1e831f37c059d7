#pragma once

// Use cases of the clinic record's third slice: treatment courses (start with a planned schedule, pause, resume,
// end), the treatment session state machine of shared/design.md §3 with its preconditions (clinical/session_state),
// signed dose orders and administrations. Like HistoryRecords, each takes the acting user, checks its input, does
// all its work in one Store transaction and appends an audit entry for every read or write of patient data in that
// same transaction; a refusal writes nothing.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/schedule.hpp"
#include "clinical/session_state.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

struct NewCourse {
    std::string indication;  // free text, 1-200 characters
    clinical::Protocol protocol = clinical::Protocol::kIvInduction;
    clinical::Route route = clinical::Route::kIv;
    std::chrono::sys_days start_date;  // session 1's planned day
};

// A course and its sessions in number order.
struct CourseRecord {
    TreatmentCourse course;
    std::vector<TreatmentSession> sessions;
};

// A session with its dose order (once signed), its administrations in the order they started and every step it
// took through the state machine, oldest first.
struct SessionRecord {
    TreatmentSession session;
    std::optional<DoseOrderRecord> dose_order;
    std::vector<Administration> administrations;
    std::vector<SessionTransition> transitions;
};

struct NewAdministration {
    std::string drug;  // generic name, 1-200 characters
    clinical::Route route = clinical::Route::kIv;
    double dose_mg = 0;                   // > 0
    std::optional<double> rate_mg_per_h;  // infusions; > 0 when given
    std::optional<int> device_count;      // esketamine only, required: 1-3 devices of 28 mg, dose_mg = 28 x count
    std::string lot_number;               // 1-200 characters
    TimePoint started_at;                 // not after now
    std::optional<TimePoint> stopped_at;  // not before started_at, not after now
};

class TreatmentRecords {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    TreatmentRecords(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Starts an active course and stores every session clinical::PlanSchedule plans for it (settings.schedule) as
    // `scheduled`. Errors: kInvalidArgument "indication" (blank, over 200 characters, control characters);
    // kInvalidArgument "route" when it does not fit the protocol (esketamine protocols need esketamine-nasal, the
    // IV induction series a racemic ketamine route); PlanSchedule's errors; kNotFound for the patient.
    Result<CourseRecord> StartCourse(const Actor& actor, PatientId patient, const NewCourse& course,
                                     const clinical::ClinicSettings& settings);
    // active -> paused, with a reason (kInvalidArgument "reason" when blank). While paused no session can be
    // checked in. kFailedPrecondition "course_id" when the course is not active; kNotFound when no such course.
    Result<TreatmentCourse> PauseCourse(const Actor& actor, CourseId course, std::string_view reason);
    // paused -> active. kFailedPrecondition "course_id" when the course is not paused.
    Result<TreatmentCourse> ResumeCourse(const Actor& actor, CourseId course);
    // active or paused -> ended, with a reason; every session still `scheduled` is cancelled with that reason.
    // kFailedPrecondition "course_id" when already ended.
    Result<TreatmentCourse> EndCourse(const Actor& actor, CourseId course, std::string_view reason);
    // kNotFound when no such course.
    Result<CourseRecord> GetCourse(const Actor& actor, CourseId course);
    // Every course of the patient, oldest first, each with its sessions: the patient's schedule. kNotFound when the
    // patient does not exist.
    Result<std::vector<CourseRecord>> ListCourses(const Actor& actor, PatientId patient);
    // kNotFound when no such session.
    Result<SessionRecord> GetSession(const Actor& actor, SessionId session);
    // Every session planned for `date` across the clinic, in any state, in id order: the front desk's day and the
    // clinic board. One audit entry for the listing, as for a list of patients.
    Result<std::vector<TreatmentSession>> ListSessionsOn(const Actor& actor, std::chrono::sys_days date);

    // Session transitions. Each gathers the facts from the store (the session's stored confirmations, the
    // latest systolic 8480-6 and diastolic 8462-4 observed since check-in, the dose order, the administrations),
    // calls clinical::CheckTransition and stores the new state with the actor and the time, appending the step to
    // the session's transition history. A step to a final state also opens the session's REMS monitoring form when
    // one is owed (OpenRemsFormIfOwed, rems_forms.hpp), in the same transaction. Errors: its
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
    // monitoring -> ready_for_discharge: esketamine 120 min after the first device (Spravato REMS).
    Result<TreatmentSession> ReadyForDischarge(const Actor& actor, SessionId session);
    // ready_for_discharge -> discharged: the actor confirms the discharge criteria.
    Result<TreatmentSession> Discharge(const Actor& actor, SessionId session, bool discharge_criteria_confirmed);
    // Any state before discharged -> cancelled / aborted, with a reason.
    Result<TreatmentSession> Cancel(const Actor& actor, SessionId session, std::string_view reason);
    Result<TreatmentSession> Abort(const Actor& actor, SessionId session, std::string_view reason);

    // The actor signs, as prescriber, the dose `request` computes to with clinical::ComputeDose(request, settings);
    // the request and the order are stored. Errors: ComputeDose's (nothing stored); kInvalidArgument "route" when
    // the request's route is not the course's; kFailedPrecondition "session_id" when the session is not checked in,
    // held or pre_dose_ok, or already has a dose order (a signed order is never edited); kNotFound.
    Result<DoseOrderRecord> SignDoseOrder(const Actor& actor, SessionId session, const clinical::DoseRequest& request,
                                          const clinical::ClinicSettings& settings);
    // Records an administration during dosing. Errors: kInvalidArgument / kOutOfRange naming the field (see
    // NewAdministration); kInvalidArgument "route" when not the dose order's route; kFailedPrecondition
    // "session_id" when the session is not dosing, "dose_mg" when the session's administrations would exceed the
    // order's total_mg; kNotFound.
    Result<Administration> RecordAdministration(const Actor& actor, SessionId session,
                                                const NewAdministration& administration);

private:
    using Prepare =
        std::function<Status(StoreTransaction& tx, TreatmentSession& session, clinical::SessionFacts& facts)>;
    Result<TreatmentSession> Transition(const Actor& actor, SessionId session, clinical::SessionState to,
                                        const Prepare& prepare);
    Result<TreatmentCourse> ChangeCourse(const Actor& actor, CourseId course, CourseStatus to, std::string_view reason);

    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
