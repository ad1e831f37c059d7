// The storage contract for the patient portal (app/portal.hpp): one audited read of the patient's upcoming sessions,
// self-report scores, preparation instructions and, after a suicidality flag, crisis resources; against a real SQLite
// file and a real PostgreSQL server, as in store_contract_test.cpp.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::PatientId;
using app::PortalView;
using clinical::Instrument;
using std::chrono::sys_days;

// The clock stays at kStart: today for the portal.
const sys_days kToday = kCourseStart;

class PortalContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-P");
    }

    void Score(Instrument instrument, const std::vector<int>& answers, int at_seconds) {
        Result<app::RecordedAssessment> recorded =
            clinic().patients.RecordAssessment(nurse_, patient_, instrument, answers, At(at_seconds), settings_);
        ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    }

    Result<PortalView> Read(clinical::Region region = clinical::Region::kUs) {
        clinical::ClinicSettings settings = settings_;
        settings.region = region;
        return clinic().portal.Read(patient_user_, patient_, settings);
    }

    const Actor patient_user_{"ada@example.org", "10.0.0.20"};
    PatientId patient_;
};

TEST_P(PortalContractTest, ShowsUpcomingSessionsOwnScoresAndTheRoutesInstructions) {
    SignedScreening(patient_, clinical::Product::kEsketamineNasal);
    Result<app::CourseRecord> course = clinic().courses.StartCourse(
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
    ASSERT_TRUE(clinic().sessions.Cancel(nurse_, cancelled, "patient unwell").ok());
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

    const std::vector<app::AuditEntry> audit = ReadAudit(store());
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
    const std::size_t audit_before = ReadAuditActions(store()).size();
    Result<PortalView> view = clinic().portal.Read(patient_user_, PatientId{patient_.value + 100}, settings_);
    ASSERT_FALSE(view.ok());
    EXPECT_EQ(view.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(ReadAuditActions(store()).size(), audit_before);
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
