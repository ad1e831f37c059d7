#include "app/questionnaires.hpp"

#include <algorithm>
#include <string>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "clinical/questionnaire_schedule.hpp"
#include "clinical/scales.hpp"

namespace kclinic::app {
namespace {

// The patient's valid answers and the clinic's zone and date, as every use case here reads them.
struct PatientAnswers {
    std::vector<Assessment> assessments;
    clinical::ClinicZone zone;
    std::chrono::sys_days today;
};

Result<PatientAnswers> ReadAnswers(StoreTransaction& tx, const TimeZones& zones, PatientId patient, TimePoint now) {
    ASSIGN_OR_RETURN(clinical::ClinicZone zone, LoadClinicZone(tx, zones));
    ASSIGN_OR_RETURN(std::vector<Assessment> assessments, tx.ListAssessments(patient));
    const std::chrono::sys_days today = zone.LocalDate(now);
    return PatientAnswers{WithoutEnteredInError(std::move(assessments)), std::move(zone), today};
}

AssignedQuestionnaire WithDueDate(const QuestionnaireAssignment& assignment, const PatientAnswers& answers) {
    return WithDueDates(std::span(&assignment, 1), answers.assessments, answers.zone, answers.today).front();
}

}  // namespace

std::vector<AssignedQuestionnaire> WithDueDates(std::span<const QuestionnaireAssignment> assignments,
                                                std::span<const Assessment> assessments,
                                                const clinical::ClinicZone& zone, std::chrono::sys_days today) {
    std::vector<AssignedQuestionnaire> states;
    for (const QuestionnaireAssignment& assignment : assignments) {
        AssignedQuestionnaire state{assignment, std::nullopt, std::nullopt, false};
        for (const Assessment& answer : assessments) {
            if (answer.instrument == assignment.instrument && answer.assessed_at >= assignment.assigned_at &&
                (!state.last_answered_at || answer.assessed_at > *state.last_answered_at)) {
                state.last_answered_at = answer.assessed_at;
            }
        }
        if (!assignment.ended_at) {
            const std::optional<std::chrono::sys_days> answered =
                state.last_answered_at ? std::optional(zone.LocalDate(*state.last_answered_at)) : std::nullopt;
            state.next_due = clinical::NextDue({assignment.first_due, assignment.every_days}, answered);
            state.due = state.next_due && *state.next_due <= today;
        }
        states.push_back(std::move(state));
    }
    return states;
}

Result<AssignedQuestionnaire> Questionnaires::Assign(const Actor& actor, PatientId patient,
                                                     const NewQuestionnaireAssignment& request,
                                                     const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<AssignedQuestionnaire> {
        ASSIGN_OR_RETURN(const Patient found, tx.GetPatient(patient));
        const std::string_view name = clinical::InstrumentName(request.instrument);
        if (!clinical::PatientMayAnswer(request.instrument, settings.scales)) {
            return InvalidArgument(
                "instrument", std::string(name) +
                                  " is not a questionnaire a patient answers in the portal (a clinician-rated scale, "
                                  "or the C-SSRS screener while scales.cssrs_screen_self_report is clinician_only)");
        }
        ASSIGN_OR_RETURN(PatientAnswers answers, ReadAnswers(tx, zones_, found.id, now));
        const clinical::QuestionnaireCadence cadence{request.first_due.value_or(answers.today), request.every_days};
        RETURN_IF_ERROR(clinical::CheckCadence(cadence, answers.today));
        ASSIGN_OR_RETURN(const std::vector<QuestionnaireAssignment> existing,
                         tx.ListQuestionnaireAssignments(found.id));
        const auto in_force = std::find_if(existing.begin(), existing.end(), [&](const QuestionnaireAssignment& a) {
            return a.instrument == request.instrument && !a.ended_at;
        });
        if (in_force != existing.end()) {
            return Error{ErrorCode::kConflict, "instrument",
                         std::string(name) + " is assigned to this patient already (assignment " +
                             std::to_string(in_force->id.value) + "); end that one first"};
        }
        QuestionnaireAssignment assignment{QuestionnaireAssignmentId{},
                                           found.id,
                                           request.instrument,
                                           cadence.first_due,
                                           cadence.every_days,
                                           now,
                                           actor.user,
                                           std::nullopt,
                                           ""};
        ASSIGN_OR_RETURN(assignment.id, tx.InsertQuestionnaireAssignment(assignment));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "questionnaire.assign", "questionnaire_assignment",
                                    assignment.id.value, found.id.value, name));
        return WithDueDate(assignment, answers);
    });
}

Result<std::vector<AssignedQuestionnaire>> Questionnaires::List(const Actor& actor, PatientId patient) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<AssignedQuestionnaire>> {
        ASSIGN_OR_RETURN(const Patient found, tx.GetPatient(patient));
        ASSIGN_OR_RETURN(const PatientAnswers answers, ReadAnswers(tx, zones_, found.id, now));
        ASSIGN_OR_RETURN(const std::vector<QuestionnaireAssignment> assignments,
                         tx.ListQuestionnaireAssignments(found.id));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "questionnaire.list", "patient", found.id.value, found.id.value));
        return WithDueDates(assignments, answers.assessments, answers.zone, answers.today);
    });
}

Result<AssignedQuestionnaire> Questionnaires::End(const Actor& actor, PatientId patient, QuestionnaireAssignmentId id) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<AssignedQuestionnaire> {
        ASSIGN_OR_RETURN(const Patient found, tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<QuestionnaireAssignment> assignments, tx.ListQuestionnaireAssignments(found.id));
        const auto ended = std::find_if(assignments.begin(), assignments.end(),
                                        [id](const QuestionnaireAssignment& a) { return a.id == id && !a.ended_at; });
        if (ended == assignments.end()) {
            return Error{ErrorCode::kNotFound, "assignment_id",
                         "this patient has no questionnaire assignment in force with id " + std::to_string(id.value)};
        }
        RETURN_IF_ERROR(tx.EndQuestionnaireAssignment(id, now, actor.user));
        ended->ended_at = now;
        ended->ended_by = actor.user;
        ASSIGN_OR_RETURN(const PatientAnswers answers, ReadAnswers(tx, zones_, found.id, now));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "questionnaire.end", "questionnaire_assignment", id.value,
                                    found.id.value, clinical::InstrumentName(ended->instrument)));
        return WithDueDate(*ended, answers);
    });
}

}  // namespace kclinic::app
