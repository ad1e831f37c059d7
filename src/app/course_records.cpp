#include "app/course_records.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/audit.hpp"
#include "app/record_names.hpp"
#include "app/treatment_text.hpp"
#include "base/text.hpp"
#include "clinical/course_gate.hpp"

namespace kclinic::app {
namespace {

using clinical::SessionState;

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

// The patient's latest screening for `product` (the list is oldest first), as the course gate reads it.
std::optional<clinical::ScreeningForCourse> LatestScreening(const std::vector<ScreeningRecord>& screenings,
                                                            clinical::Product product) {
    const auto latest = std::find_if(screenings.rbegin(), screenings.rend(),
                                     [product](const ScreeningRecord& s) { return s.inputs.product == product; });
    if (latest == screenings.rend()) {
        return std::nullopt;
    }
    return clinical::ScreeningForCourse{latest->id.value, latest->result.decision, latest->signature.has_value()};
}

// One open (active or paused) course per indication: a paused course resumes without a new start.
Status CheckNoOpenCourseFor(const std::vector<TreatmentCourse>& courses, std::string_view indication) {
    for (const TreatmentCourse& open : courses) {
        if (open.status != CourseStatus::kEnded && clinical::SameIndication(open.indication, indication)) {
            return Error{ErrorCode::kFailedPrecondition, "indication",
                         "treatment course " + std::to_string(open.id.value) + " for \"" + open.indication + "\" is " +
                             std::string(CourseStatusName(open.status)) +
                             ": a patient has one open course per indication; end it before starting another"};
        }
    }
    return Status::Ok();
}

}  // namespace

Result<CourseRecord> CourseRecords::StartCourse(const Actor& actor, PatientId patient, const NewCourse& course,
                                                const clinical::ClinicSettings& settings) {
    RETURN_IF_ERROR(CheckText("indication", course.indication, treatment_text::kLineRule));
    RETURN_IF_ERROR(CheckProtocolRoute(course.protocol, course.route));
    const bool overriding = !IsBlank(course.screening_override_reason);
    if (overriding) {
        RETURN_IF_ERROR(
            CheckText("screening_override_reason", course.screening_override_reason, treatment_text::kReasonRule));
    }
    const clinical::Product product = clinical::ProductOfRoute(course.route);
    ASSIGN_OR_RETURN(const std::vector<clinical::PlannedSession> plan,
                     clinical::PlanSchedule(course.protocol, course.start_date, settings.schedule));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CourseRecord> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(const std::vector<ScreeningRecord> screenings, tx.ListScreenings(patient));
        ASSIGN_OR_RETURN(const std::int64_t screening_id,
                         clinical::CheckScreeningAllowsCourse(product, LatestScreening(screenings, product),
                                                              course.screening_override_reason));
        ASSIGN_OR_RETURN(const std::vector<TreatmentCourse> courses, tx.ListCourses(patient));
        RETURN_IF_ERROR(CheckNoOpenCourseFor(courses, course.indication));
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
                                        actor.user,
                                        ScreeningId{screening_id},
                                        overriding ? course.screening_override_reason : ""};
        ASSIGN_OR_RETURN(record.course.id, tx.InsertCourse(record.course));
        for (const clinical::PlannedSession& planned : plan) {
            TreatmentSession session;
            session.course = record.course.id;
            session.patient = patient;
            session.number = planned.number;
            session.planned_date = planned.date;
            session.phase = planned.phase;
            session.week = planned.week;
            session.state_changed_at = now;
            session.state_changed_by = actor.user;
            ASSIGN_OR_RETURN(session.id, tx.InsertSession(session));
            record.sessions.push_back(std::move(session));
        }
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "course.create", "treatment_course", record.course.id.value, patient.value));
        if (overriding) {
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "course.screening_override", "treatment_course",
                                        record.course.id.value, patient.value));
        }
        return record;
    });
}

Result<TreatmentCourse> CourseRecords::ChangeCourse(const Actor& actor, CourseId course, CourseStatus to,
                                                    std::string_view reason) {
    if (to != CourseStatus::kActive) {
        RETURN_IF_ERROR(CheckText("reason", reason, treatment_text::kReasonRule));
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<TreatmentCourse> {
        ASSIGN_OR_RETURN(TreatmentCourse changed, tx.GetCourse(course));
        const CourseStatus from = changed.status;
        const bool allowed = (to == CourseStatus::kPaused && from == CourseStatus::kActive) ||
                             (to == CourseStatus::kActive && from == CourseStatus::kPaused) ||
                             (to == CourseStatus::kEnded && from != CourseStatus::kEnded);
        if (!allowed) {
            return Error{ErrorCode::kFailedPrecondition, "course_id",
                         "treatment course " + std::to_string(course.value) + " is " +
                             std::string(CourseStatusName(from)) + "; it cannot become " +
                             std::string(CourseStatusName(to))};
        }
        changed.status = to;
        changed.status_reason = std::string(reason);
        changed.status_changed_at = now;
        changed.status_changed_by = actor.user;
        RETURN_IF_ERROR(tx.UpdateCourseStatus(changed, from));
        const std::string action = to == CourseStatus::kPaused   ? "course.pause"
                                   : to == CourseStatus::kActive ? "course.resume"
                                                                 : "course.end";
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, action, "treatment_course", course.value, changed.patient.value));
        if (to != CourseStatus::kEnded) {
            return changed;
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
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "session.cancelled", "treatment_session", session.id.value,
                                        session.patient.value));
        }
        return changed;
    });
}

Result<TreatmentCourse> CourseRecords::PauseCourse(const Actor& actor, CourseId course, std::string_view reason) {
    return ChangeCourse(actor, course, CourseStatus::kPaused, reason);
}

Result<TreatmentCourse> CourseRecords::ResumeCourse(const Actor& actor, CourseId course) {
    return ChangeCourse(actor, course, CourseStatus::kActive, "");
}

Result<TreatmentCourse> CourseRecords::EndCourse(const Actor& actor, CourseId course, std::string_view reason) {
    return ChangeCourse(actor, course, CourseStatus::kEnded, reason);
}

Result<CourseRecord> CourseRecords::GetCourse(const Actor& actor, CourseId course) {
    return store_.Write([&](StoreTransaction& tx) -> Result<CourseRecord> {
        ASSIGN_OR_RETURN(TreatmentCourse stored, tx.GetCourse(course));
        ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessions(course));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "course.read", "treatment_course", course.value,
                                    stored.patient.value));
        return CourseRecord{std::move(stored), std::move(sessions)};
    });
}

Result<std::vector<CourseRecord>> CourseRecords::ListCourses(const Actor& actor, PatientId patient) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CourseRecord>> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<TreatmentCourse> courses, tx.ListCourses(patient));
        std::vector<CourseRecord> records;
        for (TreatmentCourse& course : courses) {
            ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessions(course.id));
            records.push_back(CourseRecord{std::move(course), std::move(sessions)});
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "course.list", "patient", patient.value, patient.value));
        return records;
    });
}

}  // namespace kclinic::app
