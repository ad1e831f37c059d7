// The storage contract for adverse events: every case runs against a real SQLite file and a real PostgreSQL server,
// through the app layer's use cases, as in store_contract_test.cpp. Every refusal is checked to write nothing, and
// the database's own rules (triggers, CHECK constraints) are checked on a connection of their own.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::AdverseEvent;
using app::AdverseEventId;
using app::PatientId;
using app::SessionId;
using clinical::AdverseEventAction;
using clinical::AdverseEventOutcome;
using clinical::Relatedness;
using clinical::SeriousCriterion;

class AdverseEventContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-A");
        const app::CourseRecord course = StartCourse(patient_);
        ASSERT_FALSE(course.sessions.empty());
        session_ = course.sessions.front().id;
    }

    // Dissociation during the first infusion, resolved within the session.
    app::NewAdverseEvent Dissociation() {
        app::NewAdverseEvent event;
        event.session = session_;
        event.term = "dissociation";
        event.detail = "felt detached from the body;\n\tCADSS 18 at 40 min";
        event.grade = 2;
        event.onset_at = At(-3600);
        event.resolved_at = At(-1800);
        event.outcome = AdverseEventOutcome::kRecovered;
        event.actions = {AdverseEventAction::kExtendedObservation, AdverseEventAction::kInfusionPaused};
        event.relatedness = Relatedness::kProbable;
        return event;
    }

    app::AdverseEventFollowUp FollowUpOf(const AdverseEvent& event) {
        return app::AdverseEventFollowUp{event.version, event.detail,  event.grade,       event.resolved_at,
                                         event.outcome, event.actions, event.relatedness, event.serious_criteria};
    }

    // The audit actions about adverse events, oldest first.
    std::vector<std::string> EventAuditActions() {
        std::vector<std::string> actions;
        for (const std::string& action : AuditActions()) {
            if (action.starts_with("adverse_event.")) {
                actions.push_back(action);
            }
        }
        return actions;
    }

    // Every stored event of `patient`, read without an audit entry.
    std::vector<AdverseEvent> Stored(PatientId patient) {
        std::vector<AdverseEvent> events;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<std::vector<AdverseEvent>> listed = tx.ListAdverseEvents(patient);
            if (!listed.ok()) {
                return listed.error();
            }
            events = std::move(listed).value();
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return events;
    }

    // Runs `refused`, expects `code` on `field`, and checks that no event changed and no audit entry was written.
    void ExpectRefusedWritingNothing(const std::function<Status()>& refused, ErrorCode code, const std::string& field) {
        const std::vector<AdverseEvent> before = Stored(patient_);
        const std::size_t audit_before = AuditActions().size();
        Status status = refused();
        ASSERT_TRUE(IsRefusal(status, code, field));
        const std::vector<AdverseEvent> after = Stored(patient_);
        ASSERT_EQ(after.size(), before.size());
        for (std::size_t i = 0; i < after.size(); ++i) {
            ExpectSameEvent(after[i], before[i]);
        }
        EXPECT_EQ(AuditActions().size(), audit_before);
    }

    static void ExpectSameEvent(const AdverseEvent& actual, const AdverseEvent& expected) {
        EXPECT_EQ(actual.id, expected.id);
        EXPECT_EQ(actual.patient, expected.patient);
        EXPECT_EQ(actual.session, expected.session);
        EXPECT_EQ(actual.term, expected.term);
        EXPECT_EQ(actual.detail, expected.detail);
        EXPECT_EQ(actual.grade, expected.grade);
        EXPECT_EQ(actual.onset_at, expected.onset_at);
        EXPECT_EQ(actual.resolved_at, expected.resolved_at);
        EXPECT_EQ(actual.outcome, expected.outcome);
        EXPECT_EQ(actual.actions, expected.actions);
        EXPECT_EQ(actual.relatedness, expected.relatedness);
        EXPECT_EQ(actual.serious_criteria, expected.serious_criteria);
        EXPECT_EQ(actual.version, expected.version);
        EXPECT_EQ(actual.recorded_at, expected.recorded_at);
        EXPECT_EQ(actual.recorded_by, expected.recorded_by);
        EXPECT_EQ(actual.updated_at, expected.updated_at);
        EXPECT_EQ(actual.updated_by, expected.updated_by);
    }

    // Runs `statement` directly and expects the database to refuse it with a message holding `expected` (any case).
    void ExpectRefusedByDatabase(const std::string& statement, const std::string& expected) {
        Status refused = ExecuteDirectly(statement);
        ASSERT_FALSE(refused.ok()) << statement;
        EXPECT_NE(Lowercase(refused.error().message).find(expected), std::string::npos)
            << statement << ": " << refused.error().ToString();
    }

    PatientId patient_;
    SessionId session_;
};

TEST_P(AdverseEventContractTest, RecordsAnEventAndReadsItBackByIdPatientAndSession) {
    Result<AdverseEvent> recorded = clinic().adverse_events.Record(nurse_, patient_, Dissociation());
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    EXPECT_EQ(recorded->patient, patient_);
    EXPECT_EQ(recorded->session, session_);
    EXPECT_EQ(recorded->version, 1);
    EXPECT_EQ(recorded->recorded_at, At(0));
    EXPECT_EQ(recorded->recorded_by, "nurse@clinic.example");
    EXPECT_EQ(recorded->updated_at, At(0));
    EXPECT_EQ(recorded->updated_by, "nurse@clinic.example");
    // Actions are a set: stored and returned in enum order.
    const std::vector<AdverseEventAction> actions = {AdverseEventAction::kInfusionPaused,
                                                     AdverseEventAction::kExtendedObservation};
    EXPECT_EQ(recorded->actions, actions);
    EXPECT_TRUE(recorded->serious_criteria.empty());

    Result<AdverseEvent> read = clinic().adverse_events.Get(nurse_, recorded->id);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    ExpectSameEvent(*read, *recorded);
    EXPECT_EQ(read->detail, "felt detached from the body;\n\tCADSS 18 at 40 min");

    // An unlinked, ongoing event with an earlier onset comes first in the patient's list, and not in the session's.
    app::NewAdverseEvent craving;
    craving.term = "craving_escalating_use";
    craving.grade = 1;
    craving.onset_at = At(-86400);
    craving.outcome = AdverseEventOutcome::kNotRecovered;
    craving.actions = {AdverseEventAction::kNone};
    craving.relatedness = Relatedness::kPossible;
    Result<AdverseEvent> unlinked = clinic().adverse_events.Record(prescriber_, patient_, craving);
    ASSERT_TRUE(unlinked.ok()) << unlinked.error().ToString();
    EXPECT_FALSE(unlinked->session.has_value());
    EXPECT_FALSE(unlinked->resolved_at.has_value());

    Result<std::vector<AdverseEvent>> for_patient = clinic().adverse_events.ListForPatient(nurse_, patient_);
    ASSERT_TRUE(for_patient.ok()) << for_patient.error().ToString();
    ASSERT_EQ(for_patient->size(), 2U);
    ExpectSameEvent((*for_patient)[0], *unlinked);
    ExpectSameEvent((*for_patient)[1], *recorded);
    Result<std::vector<AdverseEvent>> for_session = clinic().adverse_events.ListForSession(nurse_, session_);
    ASSERT_TRUE(for_session.ok()) << for_session.error().ToString();
    ASSERT_EQ(for_session->size(), 1U);
    ExpectSameEvent(for_session->front(), *recorded);

    const std::vector<std::string> expected = {"adverse_event.create", "adverse_event.read", "adverse_event.create",
                                               "adverse_event.list", "adverse_event.list"};
    EXPECT_EQ(EventAuditActions(), expected);
}

TEST_P(AdverseEventContractTest, StoresEverySeriousCriterionAndAFatalEvent) {
    app::NewAdverseEvent seizure = Dissociation();
    seizure.term = "other_serious";
    seizure.detail = "generalised seizure 20 min into the infusion";
    seizure.grade = 3;
    seizure.resolved_at.reset();
    seizure.outcome = AdverseEventOutcome::kRecovering;
    seizure.actions = {AdverseEventAction::kEmsEdTransfer, AdverseEventAction::kInfusionStopped,
                       AdverseEventAction::kSupplementalOxygen, AdverseEventAction::kPrnDrugGiven,
                       AdverseEventAction::kCourseHeld};
    seizure.relatedness = Relatedness::kConditional;
    seizure.serious_criteria = {SeriousCriterion::kImportantMedicalEvent, SeriousCriterion::kHospitalization,
                                SeriousCriterion::kLifeThreatening, SeriousCriterion::kDisability,
                                SeriousCriterion::kCongenitalAnomaly};
    Result<AdverseEvent> serious = clinic().adverse_events.Record(prescriber_, patient_, seizure);
    ASSERT_TRUE(serious.ok()) << serious.error().ToString();
    const std::vector<SeriousCriterion> criteria = {
        SeriousCriterion::kLifeThreatening, SeriousCriterion::kHospitalization, SeriousCriterion::kDisability,
        SeriousCriterion::kCongenitalAnomaly, SeriousCriterion::kImportantMedicalEvent};
    EXPECT_EQ(serious->serious_criteria, criteria);

    app::NewAdverseEvent arrest = Dissociation();
    arrest.term = "respiratory_depression";
    arrest.grade = 5;
    arrest.resolved_at.reset();
    arrest.outcome = AdverseEventOutcome::kFatal;
    arrest.actions = {AdverseEventAction::kCourseStopped, AdverseEventAction::kEmsEdTransfer};
    arrest.relatedness = Relatedness::kCertain;
    arrest.serious_criteria = {SeriousCriterion::kDeath};
    Result<AdverseEvent> fatal = clinic().adverse_events.Record(prescriber_, patient_, arrest);
    ASSERT_TRUE(fatal.ok()) << fatal.error().ToString();

    const std::vector<AdverseEvent> stored = Stored(patient_);
    ASSERT_EQ(stored.size(), 2U);
    ExpectSameEvent(stored[0], *serious);
    ExpectSameEvent(stored[1], *fatal);
    EXPECT_EQ(stored[1].outcome, AdverseEventOutcome::kFatal);
    EXPECT_EQ(stored[1].serious_criteria, std::vector<SeriousCriterion>{SeriousCriterion::kDeath});
}

TEST_P(AdverseEventContractTest, FollowUpReplacesTheScalesAndBumpsTheVersion) {
    app::NewAdverseEvent ongoing = Dissociation();
    ongoing.resolved_at.reset();
    ongoing.outcome = AdverseEventOutcome::kRecovering;
    Result<AdverseEvent> recorded = clinic().adverse_events.Record(nurse_, patient_, ongoing);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();

    app::AdverseEventFollowUp follow_up = FollowUpOf(*recorded);
    follow_up.detail = "resolved after 40 min of observation";
    follow_up.grade = 3;
    follow_up.resolved_at = At(-60);
    follow_up.outcome = AdverseEventOutcome::kRecoveredWithSequelae;
    follow_up.actions = {AdverseEventAction::kInfusionStopped};
    follow_up.relatedness = Relatedness::kCertain;
    follow_up.serious_criteria = {SeriousCriterion::kImportantMedicalEvent};
    Result<AdverseEvent> updated = clinic().adverse_events.Update(prescriber_, recorded->id, follow_up);
    ASSERT_TRUE(updated.ok()) << updated.error().ToString();
    EXPECT_EQ(updated->version, 2);
    EXPECT_EQ(updated->grade, 3);
    EXPECT_EQ(updated->resolved_at, At(-60));
    EXPECT_EQ(updated->outcome, AdverseEventOutcome::kRecoveredWithSequelae);
    EXPECT_EQ(updated->actions, std::vector<AdverseEventAction>{AdverseEventAction::kInfusionStopped});
    EXPECT_EQ(updated->relatedness, Relatedness::kCertain);
    EXPECT_EQ(updated->updated_by, "doctor@clinic.example");
    // What identifies the event and who first recorded it stay.
    EXPECT_EQ(updated->term, "dissociation");
    EXPECT_EQ(updated->onset_at, recorded->onset_at);
    EXPECT_EQ(updated->session, session_);
    EXPECT_EQ(updated->recorded_by, "nurse@clinic.example");
    const std::vector<AdverseEvent> stored = Stored(patient_);
    ASSERT_EQ(stored.size(), 1U);
    ExpectSameEvent(stored.front(), *updated);

    // A second follow-up written against version 1 is stale.
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().adverse_events.Update(nurse_, recorded->id, follow_up)); }, ErrorCode::kConflict,
        "version");
    const std::vector<std::string> expected = {"adverse_event.create", "adverse_event.update"};
    EXPECT_EQ(EventAuditActions(), expected);
}

TEST_P(AdverseEventContractTest, RefusalsWriteNothing) {
    Result<AdverseEvent> recorded = clinic().adverse_events.Record(nurse_, patient_, Dissociation());
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    const PatientId other = Register("MRN-B");
    auto record = [&](const std::function<void(app::NewAdverseEvent&)>& change, PatientId patient) {
        return [&, change, patient] {
            app::NewAdverseEvent event = Dissociation();
            change(event);
            return StatusOf(clinic().adverse_events.Record(nurse_, patient, event));
        };
    };
    const ErrorCode invalid = ErrorCode::kInvalidArgument;
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.term = "itch"; }, patient_), invalid, "term");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.grade = 6; }, patient_), ErrorCode::kOutOfRange,
                                "grade");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.onset_at = At(60); }, patient_), invalid,
                                "onset_at");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.resolved_at = At(-7200); }, patient_), invalid,
                                "resolved_at");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.grade = 5; }, patient_), invalid, "outcome");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.actions.clear(); }, patient_), invalid,
                                "actions");
    ExpectRefusedWritingNothing(record(
                                    [](app::NewAdverseEvent& e) {
                                        e.term = "other_serious";
                                        e.serious_criteria = {SeriousCriterion::kHospitalization};
                                        e.detail = "";
                                    },
                                    patient_),
                                invalid, "detail");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.detail = "bell\x07"; }, patient_), invalid,
                                "detail");
    ExpectRefusedWritingNothing(
        record([](app::NewAdverseEvent& e) { e.detail = std::string(app::kMaxAdverseEventDetailLength + 1, 'x'); },
               patient_),
        invalid, "detail");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent&) {}, PatientId{999999}), ErrorCode::kNotFound,
                                "patient_id");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent& e) { e.session = SessionId{999999}; }, patient_),
                                ErrorCode::kNotFound, "session_id");
    ExpectRefusedWritingNothing(record([](app::NewAdverseEvent&) {}, other), invalid, "session_id");

    auto update = [&](const std::function<void(app::AdverseEventFollowUp&)>& change, AdverseEventId id) {
        return [&, change, id] {
            app::AdverseEventFollowUp follow_up = FollowUpOf(*recorded);
            change(follow_up);
            return StatusOf(clinic().adverse_events.Update(prescriber_, id, follow_up));
        };
    };
    ExpectRefusedWritingNothing(update([](app::AdverseEventFollowUp& f) { f.grade = 0; }, recorded->id),
                                ErrorCode::kOutOfRange, "grade");
    ExpectRefusedWritingNothing(
        update([](app::AdverseEventFollowUp& f) { f.serious_criteria = {SeriousCriterion::kDeath}; }, recorded->id),
        invalid, "serious_criteria");
    ExpectRefusedWritingNothing(update([](app::AdverseEventFollowUp& f) { f.resolved_at.reset(); }, recorded->id),
                                invalid, "resolved_at");
    ExpectRefusedWritingNothing(update([](app::AdverseEventFollowUp&) {}, AdverseEventId{999999}), ErrorCode::kNotFound,
                                "adverse_event_id");

    ExpectRefusedWritingNothing([&] { return StatusOf(clinic().adverse_events.Get(nurse_, AdverseEventId{999999})); },
                                ErrorCode::kNotFound, "adverse_event_id");
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().adverse_events.ListForPatient(nurse_, PatientId{999999})); },
        ErrorCode::kNotFound, "patient_id");
    ExpectRefusedWritingNothing(
        [&] { return StatusOf(clinic().adverse_events.ListForSession(nurse_, SessionId{999999})); },
        ErrorCode::kNotFound, "session_id");
    EXPECT_TRUE(Stored(other).empty());
    EXPECT_EQ(EventAuditActions(), std::vector<std::string>{"adverse_event.create"});
}

TEST_P(AdverseEventContractTest, DatabaseKeepsWhatIdentifiesAnEventAndNeverDeletesOne) {
    Result<AdverseEvent> recorded = clinic().adverse_events.Record(nurse_, patient_, Dissociation());
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    const std::string where = " WHERE id = " + std::to_string(recorded->id.value);
    for (const std::string& statement :
         {"UPDATE adverse_events SET term = 'fall'" + where, "UPDATE adverse_events SET patient_id = 999" + where,
          "UPDATE adverse_events SET session_id = NULL" + where, "UPDATE adverse_events SET onset_at = 0" + where,
          "UPDATE adverse_events SET recorded_by = 'someone'" + where}) {
        ExpectRefusedByDatabase(statement, "keeps its patient, session, term, onset and recorder");
    }
    ExpectRefusedByDatabase("DELETE FROM adverse_events" + where, "adverse events are never deleted");
    // The CHECK constraints mirror the clinical rules that need no clock.
    for (const std::string& statement :
         {"UPDATE adverse_events SET grade = 6" + where, "UPDATE adverse_events SET outcome = 'better'" + where,
          "UPDATE adverse_events SET relatedness = 'not_related'" + where,
          "UPDATE adverse_events SET grade = 5" + where, "UPDATE adverse_events SET resolved_at = NULL" + where,
          "UPDATE adverse_events SET action_none = 1" + where,
          "UPDATE adverse_events SET action_infusion_paused = 0, action_extended_observation = 0" + where,
          "UPDATE adverse_events SET action_dose_reduced = 2" + where}) {
        ExpectRefusedByDatabase(statement, "check constraint");
    }
    std::vector<AdverseEvent> stored = Stored(patient_);
    ASSERT_EQ(stored.size(), 1U);
    ExpectSameEvent(stored.front(), *recorded);

    // A follow-up column may change.
    Status allowed = ExecuteDirectly("UPDATE adverse_events SET detail = 'reviewed'" + where);
    EXPECT_TRUE(allowed.ok()) << allowed.error().ToString();
    stored = Stored(patient_);
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored.front().detail, "reviewed");
}

INSTANTIATE_TEST_SUITE_P(Backends, AdverseEventContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
