#include "app/portal.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"

namespace kclinic::app {
namespace {

bool FlagsSuicidality(const Assessment& assessment) {
    return std::find(assessment.flags.begin(), assessment.flags.end(), clinical::kFlagSuicidality) !=
           assessment.flags.end();
}

// Whether the latest assessment of any instrument that screens for suicidality flagged it. The latest of each
// instrument counts, not the latest of all: a GAD-7 answered after a flagged PHQ-9 asks nothing about suicidal
// thoughts and must not hide the crisis resources [PRACTICE: clinical-reference §6.2 item 9 handling].
bool LatestFlagsSuicidality(const std::vector<Assessment>& by_time) {
    for (const clinical::Instrument instrument : {clinical::Instrument::kPhq9, clinical::Instrument::kCssrsScreen}) {
        const auto latest = std::find_if(by_time.rbegin(), by_time.rend(),
                                         [instrument](const Assessment& a) { return a.instrument == instrument; });
        if (latest != by_time.rend() && FlagsSuicidality(*latest)) {
            return true;
        }
    }
    return false;
}

}  // namespace

Result<PortalView> PortalRecords::Read(const Actor& actor, PatientId patient,
                                       const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<PortalView> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        const std::chrono::sys_days today = zone.LocalDate(now);
        ASSIGN_OR_RETURN(Patient found, tx.GetPatient(patient));
        PortalView view;
        view.patient = found.id;
        view.given_name = found.given_name;
        view.time_zone = settings.time_zone;

        ASSIGN_OR_RETURN(std::vector<TreatmentCourse> courses, tx.ListCourses(patient));
        for (const TreatmentCourse& course : courses) {
            if (course.status != CourseStatus::kActive) {
                continue;
            }
            if (std::none_of(view.preparation.begin(), view.preparation.end(),
                             [&course](const PortalPreparation& p) { return p.route == course.route; })) {
                view.preparation.push_back({course.route, clinical::PreparationInstructions(course.route)});
            }
            ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessions(course.id));
            for (const TreatmentSession& session : sessions) {
                if (session.planned_date >= today && !clinical::IsFinal(session.state)) {
                    view.upcoming_sessions.push_back({session.id, session.planned_date, session.state, course.route});
                }
            }
        }
        std::stable_sort(
            view.upcoming_sessions.begin(), view.upcoming_sessions.end(),
            [](const PortalSession& a, const PortalSession& b) { return a.planned_date < b.planned_date; });
        if (view.upcoming_sessions.size() > kPortalUpcomingSessions) {
            view.upcoming_sessions.resize(kPortalUpcomingSessions);
        }

        // Oldest first, by assessed_at then id (the store's order); an answer marked entered in error is no score.
        ASSIGN_OR_RETURN(std::vector<Assessment> assessments, tx.ListAssessments(patient));
        assessments = WithoutEnteredInError(std::move(assessments));
        for (const Assessment& assessment : assessments) {
            if (clinical::IsSelfReport(assessment.instrument)) {
                view.recent_scores.push_back(
                    {assessment.id, assessment.instrument, assessment.total, assessment.band, assessment.assessed_at});
            }
        }
        if (view.recent_scores.size() > kPortalRecentScores) {
            view.recent_scores.erase(view.recent_scores.begin(),
                                     view.recent_scores.end() - static_cast<std::ptrdiff_t>(kPortalRecentScores));
        }
        view.suicidality_flagged = LatestFlagsSuicidality(assessments);
        if (view.suicidality_flagged) {
            view.crisis_text = settings.portal.crisis_text;
            for (const clinical::CrisisResource& resource : clinical::CrisisResourcesOf(settings)) {
                view.crisis_resources.push_back(
                    {std::string(resource.name), std::string(resource.contact), std::string(resource.source)});
            }
        }

        ASSIGN_OR_RETURN(const std::vector<QuestionnaireAssignment> assignments,
                         tx.ListQuestionnaireAssignments(patient));
        for (AssignedQuestionnaire& assigned : WithDueDates(assignments, assessments, zone, today)) {
            if (assigned.next_due && clinical::PatientMayAnswer(assigned.assignment.instrument, settings.scales)) {
                view.questionnaires.push_back(std::move(assigned));
            }
        }
        std::stable_sort(
            view.questionnaires.begin(), view.questionnaires.end(),
            [](const AssignedQuestionnaire& a, const AssignedQuestionnaire& b) { return *a.next_due < *b.next_due; });
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "portal.read", "patient", patient.value, patient.value));
        return view;
    });
}

}  // namespace kclinic::app
