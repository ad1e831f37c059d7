#pragma once

// Use cases of treatment courses, the clinic record's third slice with session_steps and dose_records: a course is
// started with its planned schedule, paused, resumed and ended, and read with its sessions. Like HistoryRecords, each
// takes the acting user, checks its input, does all its work in one Store transaction and appends an audit entry for
// every read or write of patient data in that same transaction; a refusal writes nothing.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/schedule.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

struct NewCourse {
    std::string indication;  // free text, 1-200 characters
    clinical::Protocol protocol = clinical::Protocol::kIvInduction;
    clinical::Route route = clinical::Route::kIv;
    std::chrono::sys_days start_date;  // session 1's planned day
    // The prescriber's reason to treat although the screening the course starts on needs review; empty otherwise.
    std::string screening_override_reason{};
};

// A course and its sessions in number order.
struct CourseRecord {
    TreatmentCourse course;
    std::vector<TreatmentSession> sessions;
};

class CourseRecords {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    CourseRecords(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Starts an active course and stores every session clinical::PlanSchedule plans for it (settings.schedule) as
    // `scheduled`, on the patient's latest screening for the route's product (kept on the course with any override
    // reason; an override is audited as "course.screening_override"). Errors: kInvalidArgument "indication" (blank,
    // over 200 characters, control characters); kInvalidArgument "route" when it does not fit the protocol
    // (esketamine protocols need esketamine-nasal, the IV induction series a racemic ketamine route);
    // kInvalidArgument "screening_override_reason" (over 2000 characters, control characters, or given where the
    // screening needs no override); kFailedPrecondition "screening" when clinical::CheckScreeningAllowsCourse
    // refuses (no screening for the product, unsigned, not_eligible, needs_review without a reason);
    // kFailedPrecondition "indication" when the patient has an active or paused course for the same indication
    // (clinical::SameIndication); PlanSchedule's errors; kNotFound for the patient.
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

private:
    Result<TreatmentCourse> ChangeCourse(const Actor& actor, CourseId course, CourseStatus to, std::string_view reason);

    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
