// The storage contract of the questionnaires clinicians assign (app/questionnaires.hpp) and what the portal shows of
// them, of a positive C-SSRS screen and of the clinic's own crisis services (app/portal.hpp); against a real SQLite
// file and a real PostgreSQL server, as in store_contract_test.cpp.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "clinical/questionnaire_schedule.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::AssignedQuestionnaire;
using app::NewQuestionnaireAssignment;
using app::PatientId;
using app::PortalView;
using clinical::Instrument;
using std::chrono::days;

// The clock starts at kStart, 14:13 UTC on kCourseStart: today for the clinic (clinic.time_zone UTC).
const std::chrono::sys_days kToday = kCourseStart;
constexpr std::string_view kClinician = "dr.grey@clinic.example";

class QuestionnaireContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        AddUser(std::string(kClinician), app::Role::kPrescriber);
        app::NewPatient patient = NewPatient("MRN-Q");
        patient.clinician = std::string(kClinician);
        patient_ = Register(patient);
    }

    Result<AssignedQuestionnaire> Assign(Instrument instrument, std::optional<std::chrono::sys_days> first_due = {},
                                         std::optional<int> every_days = {}) {
        return clinic().questionnaires.Assign(prescriber_, patient_,
                                              NewQuestionnaireAssignment{instrument, first_due, every_days}, settings_);
    }

    Result<app::RecordedAssessment> Answer(Instrument instrument, const std::vector<int>& answers) {
        return clinic().patients.RecordSelfReport(patient_user_, patient_, instrument, answers, clock_.Now(),
                                                  settings_);
    }

    Result<PortalView> Portal() { return clinic().portal.Read(patient_user_, patient_, settings_); }

    std::vector<AssignedQuestionnaire> List() {
        Result<std::vector<AssignedQuestionnaire>> listed = clinic().questionnaires.List(nurse_, patient_);
        EXPECT_TRUE(listed.ok()) << listed.error().ToString();
        return listed.ok() ? *listed : std::vector<AssignedQuestionnaire>{};
    }

    const app::Actor patient_user_{"ada@example.org", "10.0.0.20"};
    PatientId patient_;
};

TEST_P(QuestionnaireContractTest, AnAssignedQuestionnaireIsDueUntilThePatientAnswersIt) {
    Result<AssignedQuestionnaire> gad7 = Assign(Instrument::kGad7);
    ASSERT_TRUE(gad7.ok()) << gad7.error().ToString();
    EXPECT_EQ(gad7->assignment.first_due, kToday);  // today by default
    EXPECT_FALSE(gad7->assignment.every_days);
    EXPECT_EQ(gad7->assignment.assigned_by, prescriber_.user);
    EXPECT_TRUE(gad7->due);
    EXPECT_EQ(AuditActions(patient_.value).back(), "questionnaire.assign");

    Result<PortalView> before = Portal();
    ASSERT_TRUE(before.ok()) << before.error().ToString();
    ASSERT_EQ(before->questionnaires.size(), 1U);
    EXPECT_EQ(before->questionnaires[0].assignment.instrument, Instrument::kGad7);
    EXPECT_TRUE(before->questionnaires[0].due);
    EXPECT_EQ(before->time_zone, "UTC");

    // A PHQ-9 is no answer to a GAD-7; the GAD-7 is.
    clock_.Advance(std::chrono::minutes{1});
    ASSERT_TRUE(Answer(Instrument::kPhq9, {1, 1, 0, 0, 0, 0, 0, 0, 0}).ok());
    EXPECT_EQ(Portal()->questionnaires.size(), 1U);
    ASSERT_TRUE(Answer(Instrument::kGad7, {1, 1, 1, 1, 0, 0, 0}).ok());
    EXPECT_TRUE(Portal()->questionnaires.empty());

    const std::vector<AssignedQuestionnaire> listed = List();
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_FALSE(listed[0].due);
    EXPECT_FALSE(listed[0].next_due);  // once, and answered
    EXPECT_EQ(listed[0].last_answered_at, clock_.Now());
    EXPECT_EQ(AuditActions(patient_.value).back(), "questionnaire.list");
}

TEST_P(QuestionnaireContractTest, AnAnswerGivenBeforeTheAssignmentDoesNotCount) {
    ASSERT_TRUE(Answer(Instrument::kPhq9, {1, 1, 0, 0, 0, 0, 0, 0, 0}).ok());
    clock_.Advance(std::chrono::minutes{10});
    ASSERT_TRUE(Assign(Instrument::kPhq9).ok());
    const std::vector<AssignedQuestionnaire> listed = List();
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_TRUE(listed[0].due);
    EXPECT_FALSE(listed[0].last_answered_at);
}

TEST_P(QuestionnaireContractTest, AWeeklyAssignmentComesDueAgainAWeekLater) {
    ASSERT_TRUE(Assign(Instrument::kPhq9, kToday, 7).ok());
    clock_.Advance(std::chrono::hours{1});
    ASSERT_TRUE(Answer(Instrument::kPhq9, {1, 1, 0, 0, 0, 0, 0, 0, 0}).ok());
    std::vector<AssignedQuestionnaire> listed = List();
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_FALSE(listed[0].due);
    EXPECT_EQ(listed[0].next_due, kToday + days{7});

    clock_.Advance(days{7});
    Result<PortalView> week_later = Portal();
    ASSERT_TRUE(week_later.ok()) << week_later.error().ToString();
    ASSERT_EQ(week_later->questionnaires.size(), 1U);
    EXPECT_TRUE(week_later->questionnaires[0].due);
    EXPECT_EQ(week_later->questionnaires[0].next_due, kToday + days{7});
}

TEST_P(QuestionnaireContractTest, AFutureAssignmentIsListedButNotDue) {
    ASSERT_TRUE(Assign(Instrument::kPcl5, kToday + days{3}).ok());
    Result<PortalView> view = Portal();
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    ASSERT_EQ(view->questionnaires.size(), 1U);
    EXPECT_FALSE(view->questionnaires[0].due);
    EXPECT_EQ(view->questionnaires[0].next_due, kToday + days{3});
}

TEST_P(QuestionnaireContractTest, RefusalsWriteNothing) {
    const std::size_t audit = AuditActions().size();
    // Clinician-rated, or the C-SSRS screener while the clinic keeps it clinician-only.
    for (const Instrument instrument : {Instrument::kMadrs, Instrument::kCssrsScreen, Instrument::kMoaas}) {
        Result<AssignedQuestionnaire> refused = Assign(instrument);
        ASSERT_FALSE(refused.ok()) << clinical::InstrumentName(instrument);
        EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(refused.error().field, "instrument");
    }
    Result<AssignedQuestionnaire> past = Assign(Instrument::kPhq9, kToday - days{1});
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().field, "first_due");
    Result<AssignedQuestionnaire> every = Assign(Instrument::kPhq9, {}, clinical::kQuestionnaireMaxEveryDays + 1);
    ASSERT_FALSE(every.ok());
    EXPECT_EQ(every.error().field, "every_days");
    Result<AssignedQuestionnaire> nobody = clinic().questionnaires.Assign(
        prescriber_, PatientId{patient_.value + 100}, NewQuestionnaireAssignment{Instrument::kGad7, {}, {}}, settings_);
    ASSERT_FALSE(nobody.ok());
    EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(AuditActions().size(), audit);
    EXPECT_TRUE(List().empty());

    // One assignment of an instrument in force at a time.
    ASSERT_TRUE(Assign(Instrument::kGad7).ok());
    Result<AssignedQuestionnaire> twice = Assign(Instrument::kGad7, kToday + days{1}, 7);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
    EXPECT_EQ(List().size(), 1U);
}

TEST_P(QuestionnaireContractTest, AnEndedAssignmentIsNoLongerDueAndStaysOnRecord) {
    Result<AssignedQuestionnaire> gad7 = Assign(Instrument::kGad7);
    ASSERT_TRUE(gad7.ok()) << gad7.error().ToString();
    clock_.Advance(std::chrono::minutes{5});
    Result<AssignedQuestionnaire> ended = clinic().questionnaires.End(nurse_, patient_, gad7->assignment.id);
    ASSERT_TRUE(ended.ok()) << ended.error().ToString();
    EXPECT_EQ(ended->assignment.ended_at, clock_.Now());
    EXPECT_EQ(ended->assignment.ended_by, nurse_.user);
    EXPECT_FALSE(ended->due);
    EXPECT_EQ(AuditActions(patient_.value).back(), "questionnaire.end");
    EXPECT_TRUE(Portal()->questionnaires.empty());

    const std::vector<AssignedQuestionnaire> listed = List();
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_TRUE(listed[0].assignment.ended_at);

    const std::size_t audit = AuditActions().size();
    Result<AssignedQuestionnaire> again = clinic().questionnaires.End(nurse_, patient_, gad7->assignment.id);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(again.error().field, "assignment_id");
    EXPECT_EQ(AuditActions().size(), audit);
    // Once ended, the instrument may be assigned again.
    EXPECT_TRUE(Assign(Instrument::kGad7).ok());
}

TEST_P(QuestionnaireContractTest, TheSchemaKeepsAssignmentsEndedOnceAndNeverDeleted) {
    Result<AssignedQuestionnaire> gad7 = Assign(Instrument::kGad7);
    ASSERT_TRUE(gad7.ok()) << gad7.error().ToString();
    const std::string id = std::to_string(gad7->assignment.id.value);
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM questionnaire_assignments WHERE id = " + id).ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE questionnaire_assignments SET instrument = 'phq9' WHERE id = " + id).ok());
    ASSERT_TRUE(clinic().questionnaires.End(nurse_, patient_, gad7->assignment.id).ok());
    EXPECT_FALSE(
        ExecuteDirectly("UPDATE questionnaire_assignments SET ended_at = NULL, ended_by = '' WHERE id = " + id).ok());
}

TEST_P(QuestionnaireContractTest, APositiveCssrsScreenAlertsTheNamedClinicianAndShowsTheClinicsCrisisServices) {
    settings_.scales.cssrs_screen_self_report = clinical::CssrsSelfReport::kPatientAllowed;
    ASSERT_TRUE(clinical::SetSetting(settings_, "portal.crisis_text", "Our on-call team answers day and night.").ok());
    ASSERT_TRUE(clinical::SetSetting(settings_, "portal.crisis_resources",
                                     "Clinic on-call psychiatrist: call 555-0100; Emergency services: call 911")
                    .ok());
    ASSERT_TRUE(Assign(Instrument::kCssrsScreen).ok());
    ASSERT_EQ(Portal()->questionnaires.size(), 1U);

    clock_.Advance(std::chrono::minutes{1});
    // Q1 yes, Q2 no (Q3-Q5 skipped), Q6 no: wish to be dead only, triage "low", above none.
    Result<app::RecordedAssessment> screen = Answer(Instrument::kCssrsScreen, {1, 0, 0, 0, 0, 0, 0});
    ASSERT_TRUE(screen.ok()) << screen.error().ToString();
    EXPECT_EQ(screen->assessment.band, "low");
    ASSERT_EQ(screen->alerts.size(), 1U);
    EXPECT_EQ(screen->alerts[0].rule, "suicidality");
    EXPECT_EQ(screen->alerts[0].severity, clinical::AlertSeverity::kCritical);
    EXPECT_EQ(screen->alerts[0].notify, kClinician);

    Result<PortalView> view = Portal();
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    EXPECT_TRUE(view->questionnaires.empty());
    EXPECT_TRUE(view->suicidality_flagged);
    EXPECT_EQ(view->crisis_text, "Our on-call team answers day and night.");
    ASSERT_EQ(view->crisis_resources.size(), 2U);
    EXPECT_EQ(view->crisis_resources[0].name, "Clinic on-call psychiatrist");
    EXPECT_EQ(view->crisis_resources[0].contact, "call 555-0100");
    EXPECT_NE(view->crisis_resources[0].source.find("portal.crisis_resources"), std::string::npos);

    // A C-SSRS screen answered "no" throughout supersedes it: nothing to show.
    clock_.Advance(std::chrono::minutes{1});
    Result<app::RecordedAssessment> clear = Answer(Instrument::kCssrsScreen, std::vector<int>(7, 0));
    ASSERT_TRUE(clear.ok()) << clear.error().ToString();
    EXPECT_TRUE(clear->alerts.empty());
    EXPECT_FALSE(Portal()->suicidality_flagged);
}

TEST_P(QuestionnaireContractTest, AnAssignmentThePatientMayNoLongerAnswerLeavesThePortal) {
    settings_.scales.cssrs_screen_self_report = clinical::CssrsSelfReport::kPatientAllowed;
    ASSERT_TRUE(Assign(Instrument::kCssrsScreen).ok());
    ASSERT_EQ(Portal()->questionnaires.size(), 1U);
    settings_.scales.cssrs_screen_self_report = clinical::CssrsSelfReport::kClinicianOnly;
    EXPECT_TRUE(Portal()->questionnaires.empty());
    EXPECT_TRUE(List()[0].due);  // still on the clinician's list, to end or to ask in person
}

INSTANTIATE_TEST_SUITE_P(Backends, QuestionnaireContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
