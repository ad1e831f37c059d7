// The storage contract for the patient portal (app/portal.hpp): one audited read of the patient's upcoming sessions,
// self-report scores, preparation instructions and, after a suicidality flag, crisis resources; against a real SQLite
// file and a real PostgreSQL server, as in store_contract_test.cpp.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/test_stores.hpp"
#include "app/course_records.hpp"
#include "app/dose_records.hpp"
#include "app/patient_records.hpp"
#include "app/portal.hpp"
#include "app/session_steps.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::PatientId;
using app::PortalView;
using clinical::Instrument;
using std::chrono::sys_days;
using std::chrono::year;

// At(0) is 2026-09-21T14:13:20Z: today for the portal.
constexpr sys_days kToday{year{2026} / 9 / 21};

class PortalContractTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        Result<std::unique_ptr<TestStore>> opened = OpenTestStore(GetParam());
        ASSERT_TRUE(opened.ok()) << opened.error().ToString();
        test_store_ = std::move(opened).value();
        patients_ = std::make_unique<app::PatientRecords>(test_store_->store(), clock_);
        courses_ = std::make_unique<app::CourseRecords>(test_store_->store(), clock_);
        sessions_ = std::make_unique<app::SessionSteps>(test_store_->store(), clock_);
        doses_ = std::make_unique<app::DoseRecords>(test_store_->store(), clock_);
        portal_ = std::make_unique<app::PortalRecords>(test_store_->store(), clock_);
        Result<app::Patient> created = patients_->RegisterPatient(
            nurse_, app::NewPatient{"MRN-P", "Ada", "Example", sys_days{year{1980} / 3 / 14}, clinical::Sex::kFemale});
        ASSERT_TRUE(created.ok()) << created.error().ToString();
        patient_ = created->id;
    }

    void Score(Instrument instrument, const std::vector<int>& answers, int at_seconds) {
        Result<app::RecordedAssessment> recorded =
            patients_->RecordAssessment(nurse_, patient_, instrument, answers, At(at_seconds), settings_);
        ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    }

    Result<PortalView> Read(clinical::Region region = clinical::Region::kUs) {
        return portal_->Read(patient_user_, patient_, region);
    }

    FixedClock clock_;
    clinical::ClinicSettings settings_;
    const Actor nurse_{"nurse@clinic.example", "10.0.0.7"};
    const Actor prescriber_{"doctor@clinic.example", "10.0.0.8"};
    const Actor patient_user_{"ada@example.org", "10.0.0.20"};
    std::unique_ptr<TestStore> test_store_;
    std::unique_ptr<app::PatientRecords> patients_;
    std::unique_ptr<app::CourseRecords> courses_;
    std::unique_ptr<app::SessionSteps> sessions_;
    std::unique_ptr<app::DoseRecords> doses_;
    std::unique_ptr<app::PortalRecords> portal_;
    PatientId patient_;
};

TEST_P(PortalContractTest, ShowsUpcomingSessionsOwnScoresAndTheRoutesInstructions) {
    Result<app::CourseRecord> course = courses_->StartCourse(
        prescriber_, patient_,
        app::NewCourse{"treatment-resistant depression (F33.2)", clinical::Protocol::kEsketamineTrd,
                       clinical::Route::kEsketamineNasal, kToday - std::chrono::days{7}},
        settings_);
    ASSERT_TRUE(course.ok()) << course.error().ToString();
    // The first session on or after today is cancelled: it is no longer upcoming.
    app::SessionId cancelled;
    for (const app::TreatmentSession& session : course->sessions) {
        if (session.planned_date >= kToday) {
            cancelled = session.id;
            break;
        }
    }
    ASSERT_NE(cancelled.value, 0);
    ASSERT_TRUE(sessions_->Cancel(nurse_, cancelled, "patient unwell").ok());
    Score(Instrument::kPhq9, {1, 2, 1, 0, 3, 1, 0, 2, 0}, -300);
    Score(Instrument::kMadrs, {3, 3, 3, 3, 3, 3, 3, 3, 3, 0}, -200);
    Score(Instrument::kGad7, {1, 1, 1, 1, 1, 1, 1}, -100);

    Result<PortalView> view = Read();
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    EXPECT_EQ(view->patient, patient_);
    EXPECT_EQ(view->given_name, "Ada");

    ASSERT_FALSE(view->upcoming_sessions.empty());
    EXPECT_LE(view->upcoming_sessions.size(), app::kPortalUpcomingSessions);
    for (std::size_t i = 0; i < view->upcoming_sessions.size(); ++i) {
        const app::PortalSession& session = view->upcoming_sessions[i];
        EXPECT_GE(session.planned_date, kToday);
        EXPECT_NE(session.id, cancelled);
        EXPECT_EQ(session.state, clinical::SessionState::kScheduled);
        EXPECT_EQ(session.route, clinical::Route::kEsketamineNasal);
        if (i > 0) {
            EXPECT_LE(view->upcoming_sessions[i - 1].planned_date, session.planned_date);
        }
    }

    // The PHQ-9 and GAD-7 the patient filled in, not the clinician's MADRS.
    ASSERT_EQ(view->recent_scores.size(), 2U);
    EXPECT_EQ(view->recent_scores[0].instrument, Instrument::kPhq9);
    EXPECT_EQ(view->recent_scores[0].total, 10);
    EXPECT_EQ(view->recent_scores[0].band, "moderate");
    EXPECT_EQ(view->recent_scores[0].assessed_at, At(-300));
    EXPECT_EQ(view->recent_scores[1].instrument, Instrument::kGad7);

    ASSERT_EQ(view->preparation.size(), 1U);
    EXPECT_EQ(view->preparation[0].route, clinical::Route::kEsketamineNasal);
    EXPECT_EQ(view->preparation[0].instructions.text,
              clinical::PreparationInstructions(clinical::Route::kEsketamineNasal).text);
    EXPECT_FALSE(view->suicidality_flagged);
    EXPECT_TRUE(view->crisis_resources.empty());

    const std::vector<app::AuditEntry> audit = ReadAudit(test_store_->store());
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "portal.read");
    EXPECT_EQ(audit.back().actor, "ada@example.org");
    EXPECT_EQ(audit.back().patient_id, patient_.value);
}

TEST_P(PortalContractTest, WithoutACourseThereIsNothingToPrepareFor) {
    Result<PortalView> view = Read();
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    EXPECT_TRUE(view->upcoming_sessions.empty());
    EXPECT_TRUE(view->recent_scores.empty());
    EXPECT_TRUE(view->preparation.empty());
    EXPECT_FALSE(view->suicidality_flagged);
}

TEST_P(PortalContractTest, CrisisResourcesFollowTheLatestSuicidalityScreen) {
    Score(Instrument::kPhq9, {1, 1, 0, 0, 0, 0, 0, 0, 2}, -300);
    // A later GAD-7 asks nothing about suicidal thoughts: the flagged PHQ-9 still counts.
    Score(Instrument::kGad7, {0, 0, 0, 0, 0, 0, 0}, -200);

    Result<PortalView> us = Read(clinical::Region::kUs);
    ASSERT_TRUE(us.ok()) << us.error().ToString();
    EXPECT_TRUE(us->suicidality_flagged);
    ASSERT_EQ(us->crisis_resources.size(), clinical::CrisisResources(clinical::Region::kUs).size());
    EXPECT_EQ(us->crisis_resources[1].contact, clinical::CrisisResources(clinical::Region::kUs)[1].contact);

    Result<PortalView> eu = Read(clinical::Region::kEu);
    ASSERT_TRUE(eu.ok()) << eu.error().ToString();
    ASSERT_EQ(eu->crisis_resources.size(), 1U);
    EXPECT_EQ(eu->crisis_resources[0].contact, clinical::CrisisResources(clinical::Region::kEu)[0].contact);

    // A later PHQ-9 without item 9 supersedes it.
    Score(Instrument::kPhq9, {1, 1, 0, 0, 0, 0, 0, 0, 0}, -100);
    Result<PortalView> later = Read();
    ASSERT_TRUE(later.ok()) << later.error().ToString();
    EXPECT_FALSE(later->suicidality_flagged);
    EXPECT_TRUE(later->crisis_resources.empty());
}

TEST_P(PortalContractTest, AnUnknownPatientIsNotFoundAndNothingIsAudited) {
    const std::size_t audit_before = ReadAuditActions(test_store_->store()).size();
    Result<PortalView> view = portal_->Read(patient_user_, PatientId{patient_.value + 100}, clinical::Region::kUs);
    ASSERT_FALSE(view.ok());
    EXPECT_EQ(view.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(ReadAuditActions(test_store_->store()).size(), audit_before);
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
