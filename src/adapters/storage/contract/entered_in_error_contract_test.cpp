// The contract of wrong entries (issue 10 §5), on a real SQLite file and a real PostgreSQL server through the app
// layer's use cases: an assessment, an administration, a history entry or an antidepressant trial is marked entered
// in error with a reason (kept, listed with its mark, audited, final, never edited or deleted, which the schema
// itself refuses) and from then on no rule reads it: no dose total, no first-dose rule, no screening. A medication is
// stopped with a date. A dose order on a weight that is not the patient's latest recorded one needs a reason.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using clinical::Route;
using std::chrono::days;
using std::chrono::minutes;

class EnteredInErrorContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-E");
        other_patient_ = Register("MRN-OTHER");
    }

    app::Administration Give(SessionId session, const app::NewAdministration& given) {
        Result<app::Administration> recorded = clinic().doses.RecordAdministration(nurse_, session, given, settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        return recorded.ok() ? *recorded : app::Administration{};
    }

    app::NewAdministration Infusion() const {
        return app::NewAdministration{"ketamine",   Route::kIv, 35.0,         52.5,
                                      std::nullopt, "LOT-K-1",  clock_.Now(), std::nullopt};
    }
    app::NewAdministration Devices(int count) const {
        return app::NewAdministration{
            "esketamine", Route::kEsketamineNasal, 28.0 * count, std::nullopt, count, "LOT-S-1", clock_.Now(),
            std::nullopt};
    }

    // `refusal` failed with `field` and `code`, and the audit log holds no more entries than before it.
    template <typename T>
    void ExpectRefused(const Result<T>& refusal, const std::string& field, ErrorCode code, std::size_t audit_before) {
        ASSERT_TRUE(IsRefusal(refusal, code, field));
        EXPECT_EQ(Audit().size(), audit_before);
    }

    PatientId patient_;
    PatientId other_patient_;
};

TEST_P(EnteredInErrorContractTest, AnAssessmentMarkedEnteredInErrorIsKeptListedAuditedAndFinal) {
    Result<app::RecordedAssessment> recorded = clinic().patients.RecordAssessment(
        nurse_, patient_, clinical::Instrument::kPhq9, std::vector<int>(9, 2), clock_.Now(), settings_);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    const app::AssessmentId id = recorded->assessment.id;
    clock_.Advance(minutes{5});

    std::size_t audit_before = Audit().size();
    ExpectRefused(clinic().patients.MarkAssessmentEnteredInError(nurse_, patient_, id, "  "), "reason",
                  ErrorCode::kInvalidArgument, audit_before);
    ExpectRefused(clinic().patients.MarkAssessmentEnteredInError(nurse_, other_patient_, id, "wrong patient"),
                  "assessment_id", ErrorCode::kNotFound, audit_before);

    Result<app::Assessment> marked =
        clinic().patients.MarkAssessmentEnteredInError(nurse_, patient_, id, "answers were for another patient");
    ASSERT_TRUE(marked.ok()) << marked.error().ToString();
    ASSERT_TRUE(marked->entered_in_error.has_value());
    EXPECT_EQ(marked->entered_in_error->reason, "answers were for another patient");
    EXPECT_EQ(marked->entered_in_error->marked_by, nurse_.user);
    EXPECT_EQ(marked->entered_in_error->marked_at, clock_.Now());
    EXPECT_EQ(AuditActions(patient_.value).back(), "assessment.entered_in_error");
    EXPECT_EQ(Audit(patient_.value).back().record_id, id.value);

    Result<std::vector<app::Assessment>> listed = clinic().patients.ListAssessments(nurse_, patient_);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1U);
    ASSERT_TRUE(listed->front().entered_in_error.has_value());
    EXPECT_EQ(listed->front().entered_in_error->reason, "answers were for another patient");
    EXPECT_EQ(listed->front().total, 18);

    audit_before = Audit().size();
    ExpectRefused(clinic().patients.MarkAssessmentEnteredInError(nurse_, patient_, id, "again"), "entered_in_error",
                  ErrorCode::kFailedPrecondition, audit_before);
    const std::string where = " WHERE id = " + std::to_string(id.value);
    EXPECT_FALSE(ExecuteDirectly("UPDATE assessments SET total = 3" + where).ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE assessments SET entered_in_error_reason = 'other'" + where).ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM assessments" + where).ok());
}

TEST_P(EnteredInErrorContractTest, TheSchemaKeepsAMarkWholeAndSetOnce) {
    Result<app::HistoryEntry> entry = clinic().history.AddDiagnosis(nurse_, patient_, "F33.2");
    ASSERT_TRUE(entry.ok());
    const std::string where = " WHERE id = " + std::to_string(entry->id.value);
    EXPECT_FALSE(ExecuteDirectly("UPDATE history_entries SET entered_in_error_reason = 'half a mark'" + where).ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE history_entries SET value = 'F32.0'" + where).ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM history_entries" + where).ok());
    ASSERT_TRUE(clinic().history.MarkHistoryEntryEnteredInError(nurse_, patient_, entry->id, "wrong code").ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE history_entries SET entered_in_error_by = 'someone else'" + where).ok());

    Result<app::TrialRecord> trial = clinic().history.AddAntidepressantTrial(
        nurse_, patient_, clinical::AntidepressantTrial{"sertraline", 8, true, 10.0, true}, std::nullopt, std::nullopt);
    ASSERT_TRUE(trial.ok());
    const std::string trial_where = " WHERE id = " + std::to_string(trial->id.value);
    EXPECT_FALSE(ExecuteDirectly("UPDATE antidepressant_trials SET weeks = 12" + trial_where).ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM antidepressant_trials" + trial_where).ok());
    // The mark alone, whole, once: what the use case does.
    EXPECT_TRUE(ExecuteDirectly("UPDATE antidepressant_trials SET entered_in_error_reason = 'duplicate', "
                                "entered_in_error_at = 1, entered_in_error_by = 'x'" +
                                trial_where)
                    .ok());
}

// A running infusion entered in error was not given: it leaves the order's total, is never stopped, and does not
// hold the session out of monitoring once the infusion actually given is stopped.
TEST_P(EnteredInErrorContractTest, AMarkedAdministrationLeavesTheSessionTotal) {
    Weigh(patient_);
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, IvRequest()));
    const app::Administration wrong = Give(session, Infusion());
    clock_.Advance(minutes{1});

    std::size_t audit_before = Audit().size();
    ExpectRefused(clinic().doses.RecordAdministration(nurse_, session, Infusion(), settings_), "dose_mg",
                  ErrorCode::kFailedPrecondition, audit_before);
    ExpectRefused(clinic().doses.MarkAdministrationEnteredInError(nurse_, other_patient_, wrong.id, "not theirs"),
                  "administration_id", ErrorCode::kNotFound, audit_before);
    Result<app::Administration> marked =
        clinic().doses.MarkAdministrationEnteredInError(nurse_, patient_, wrong.id, "recorded on the wrong pump");
    ASSERT_TRUE(marked.ok()) << marked.error().ToString();
    ASSERT_TRUE(marked->entered_in_error.has_value());
    EXPECT_EQ(AuditActions(patient_.value).back(), "administration.entered_in_error");

    audit_before = Audit().size();
    ExpectRefused(clinic().doses.StopInfusion(nurse_, wrong.id, app::NewInfusionStop{clock_.Now(), 35.0, std::nullopt},
                                              settings_),
                  "administration_id", ErrorCode::kFailedPrecondition, audit_before);
    const app::Administration given = Give(session, Infusion());
    clock_.Advance(minutes{40});
    ASSERT_TRUE(
        clinic()
            .doses.StopInfusion(nurse_, given.id, app::NewInfusionStop{clock_.Now(), 35.0, std::nullopt}, settings_)
            .ok());
    Result<app::TreatmentSession> monitoring = clinic().sessions.StartMonitoring(nurse_, session);
    ASSERT_TRUE(monitoring.ok()) << monitoring.error().ToString();

    Result<app::SessionRecord> read = clinic().sessions.GetSession(nurse_, session);
    ASSERT_TRUE(read.ok());
    ASSERT_EQ(read->administrations.size(), 2U);  // the marked one stays in the record, with its mark
    EXPECT_EQ(std::count_if(read->administrations.begin(), read->administrations.end(),
                            [](const app::Administration& a) { return a.entered_in_error.has_value(); }),
              1);
    EXPECT_FALSE(
        ExecuteDirectly("UPDATE administrations SET dose_mg = 1 WHERE id = " + std::to_string(wrong.id.value)).ok());
}

// Spravato USPI §2.2's first-dose rule reads whether an earlier session of the course was dosed: a device entered in
// error on the first session was not a dose, so the next session is still the first treatment.
TEST_P(EnteredInErrorContractTest, AMarkedDoseDoesNotEndTheFirstTreatment) {
    Weigh(patient_);
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const SessionId first = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, first, EsketamineRequest(56)));
    const app::Administration wrong = Give(first, Devices(2));
    ASSERT_TRUE(clinic()
                    .doses.MarkAdministrationEnteredInError(nurse_, patient_, wrong.id, "documented in the wrong chart")
                    .ok());
    ASSERT_TRUE(clinic().sessions.Abort(nurse_, first, "patient left before dosing").ok());

    clock_.Advance(std::chrono::hours{72});
    const SessionId second = course.sessions[1].id;
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, second));
    Result<app::DoseOrderRecord> order =
        clinic().doses.SignDoseOrder(prescriber_, second, EsketamineRequest(56), settings_);
    ASSERT_TRUE(order.ok()) << order.error().ToString();
    EXPECT_TRUE(order->request.first_dose);
}

// What was entered in error feeds no new screening, nor does a medication stopped by today; a screening signed
// before stays the snapshot it was.
TEST_P(EnteredInErrorContractTest, AMarkedOrStoppedHistoryFeedsNoNewScreening) {
    Result<app::HistoryEntry> diagnosis = clinic().history.AddDiagnosis(nurse_, patient_, "F33.2");
    Result<app::HistoryEntry> wrong_diagnosis = clinic().history.AddDiagnosis(nurse_, patient_, "F31.9");
    Result<app::HistoryEntry> phenelzine = clinic().history.AddMedication(nurse_, patient_, "phenelzine");
    Result<app::HistoryEntry> alprazolam = clinic().history.AddMedication(nurse_, patient_, "alprazolam");
    Result<app::TrialRecord> trial = clinic().history.AddAntidepressantTrial(
        nurse_, patient_, clinical::AntidepressantTrial{"sertraline", 8, true, 10.0, true}, std::nullopt, std::nullopt);
    ASSERT_TRUE(diagnosis.ok() && wrong_diagnosis.ok() && phenelzine.ok() && alprazolam.ok() && trial.ok());
    app::IntakeExtras extras;
    extras.pregnant = false;
    Result<app::ScreeningRecord> before =
        clinic().history.ScreenPatient(nurse_, patient_, clinical::Product::kEsketamineNasal, extras, settings_);
    ASSERT_TRUE(before.ok()) << before.error().ToString();
    ASSERT_EQ(before->inputs.medications.size(), 2U);

    clock_.Advance(minutes{10});
    ASSERT_TRUE(clinic()
                    .history
                    .MarkHistoryEntryEnteredInError(prescriber_, patient_, wrong_diagnosis->id,
                                                    "bipolar disorder was never diagnosed")
                    .ok());
    ASSERT_TRUE(clinic()
                    .history.MarkHistoryEntryEnteredInError(prescriber_, patient_, phenelzine->id, "another patient's")
                    .ok());
    ASSERT_TRUE(clinic().history.MarkTrialEnteredInError(prescriber_, patient_, trial->id, "duplicate entry").ok());
    const auto today = std::chrono::floor<days>(clock_.Now());
    ASSERT_TRUE(clinic().history.StopMedication(prescriber_, patient_, alprazolam->id, today, "tapered off").ok());
    EXPECT_EQ(AuditActions(patient_.value).back(), "medication.stop");

    Result<app::ScreeningRecord> after =
        clinic().history.ScreenPatient(nurse_, patient_, clinical::Product::kEsketamineNasal, extras, settings_);
    ASSERT_TRUE(after.ok()) << after.error().ToString();
    EXPECT_EQ(after->inputs.diagnoses, std::vector<std::string>{"F33.2"});
    EXPECT_TRUE(after->inputs.medications.empty());
    EXPECT_TRUE(after->inputs.antidepressant_trials.empty());

    Result<app::ScreeningRecord> kept = clinic().history.GetScreening(nurse_, before->id);
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(kept->inputs.medications.size(), 2U);
    EXPECT_EQ(kept->inputs.diagnoses.size(), 2U);

    Result<app::PatientHistory> history = clinic().history.History(nurse_, patient_);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->medications.size(), 2U);  // both stay in the history, with their mark or stop
    EXPECT_TRUE(history->medications[0].entered_in_error.has_value());
    ASSERT_TRUE(history->medications[1].stop.has_value());
    EXPECT_EQ(history->medications[1].stop->stopped_on, today);
    EXPECT_EQ(history->medications[1].stop->reason, "tapered off");
    ASSERT_EQ(history->antidepressant_trials.size(), 1U);
    EXPECT_TRUE(history->antidepressant_trials[0].entered_in_error.has_value());
}

TEST_P(EnteredInErrorContractTest, AMedicationIsStoppedOnceOnADateFromItsNotingToToday) {
    Result<app::HistoryEntry> medication = clinic().history.AddMedication(nurse_, patient_, "sertraline");
    Result<app::HistoryEntry> allergy = clinic().history.AddAllergy(nurse_, patient_, "penicillin");
    ASSERT_TRUE(medication.ok() && allergy.ok());
    const auto today = std::chrono::floor<days>(clock_.Now());
    clock_.Advance(minutes{1});

    std::size_t audit_before = Audit().size();
    ExpectRefused(clinic().history.StopMedication(prescriber_, patient_, medication->id, today + days{1}, ""),
                  "stopped_on", ErrorCode::kInvalidArgument, audit_before);
    ExpectRefused(clinic().history.StopMedication(prescriber_, patient_, medication->id, today - days{1}, ""),
                  "stopped_on", ErrorCode::kInvalidArgument, audit_before);
    ExpectRefused(clinic().history.StopMedication(prescriber_, patient_, allergy->id, today, ""), "entry_id",
                  ErrorCode::kFailedPrecondition, audit_before);
    ExpectRefused(clinic().history.StopMedication(prescriber_, other_patient_, medication->id, today, ""), "entry_id",
                  ErrorCode::kNotFound, audit_before);

    Result<app::HistoryEntry> stopped =
        clinic().history.StopMedication(prescriber_, patient_, medication->id, today, "");
    ASSERT_TRUE(stopped.ok()) << stopped.error().ToString();
    ASSERT_TRUE(stopped->stop.has_value());
    EXPECT_EQ(stopped->stop->stopped_on, today);
    EXPECT_EQ(stopped->stop->recorded_by, prescriber_.user);
    audit_before = Audit().size();
    ExpectRefused(clinic().history.StopMedication(prescriber_, patient_, medication->id, today, ""), "entry_id",
                  ErrorCode::kFailedPrecondition, audit_before);
    EXPECT_FALSE(ExecuteDirectly("UPDATE history_entries SET stopped_on = '2026-01-01' WHERE id = " +
                                 std::to_string(medication->id.value))
                     .ok());
}

// A dose order is computed on the patient's latest recorded weight: another weight, or none recorded, needs the
// prescriber's reason, which the order keeps and the audit log records.
TEST_P(EnteredInErrorContractTest, ADoseOrderOnAnotherWeightThanTheRecordedOneNeedsAReason) {
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, session));

    std::size_t audit_before = Audit().size();
    ExpectRefused(clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(0.5, 70), settings_), "weight_kg",
                  ErrorCode::kFailedPrecondition, audit_before);
    Weigh(patient_);
    audit_before = Audit().size();
    ExpectRefused(clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(0.5, 154), settings_), "weight_kg",
                  ErrorCode::kFailedPrecondition, audit_before);
    ExpectRefused(clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(0.5, 70), settings_, "weighed twice"),
                  "weight_reason", ErrorCode::kInvalidArgument, audit_before);
    ExpectRefused(clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(0.5, 72), settings_, " "),
                  "weight_reason", ErrorCode::kInvalidArgument, audit_before);

    Result<app::DoseOrderRecord> order =
        clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(0.5, 72), settings_,
                                     "weighed this morning at home after the clinic scale failed");
    ASSERT_TRUE(order.ok()) << order.error().ToString();
    EXPECT_EQ(order->weight_reason, "weighed this morning at home after the clinic scale failed");
    const std::vector<std::string> actions = AuditActions(patient_.value);
    ASSERT_GE(actions.size(), 2U);
    EXPECT_EQ(actions[actions.size() - 2], "dose_order.sign");
    EXPECT_EQ(actions.back(), "dose_order.weight_accepted");
    Result<app::SessionRecord> read = clinic().sessions.GetSession(nurse_, session);
    ASSERT_TRUE(read.ok());
    ASSERT_TRUE(read->dose_order.has_value());
    EXPECT_EQ(read->dose_order->weight_reason, "weighed this morning at home after the clinic scale failed");
    EXPECT_DOUBLE_EQ(read->dose_order->request.weight_kg, 72);
}

// A weight marked entered in error is no longer the latest recorded weight: an order on the weight before it needs
// no reason, and an order on the wrong one does.
TEST_P(EnteredInErrorContractTest, ADoseOrderIsCheckedAgainstTheLatestValidWeight) {
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    Weigh(patient_, 70);
    clock_.Advance(std::chrono::minutes{5});
    Result<app::WeightMeasurement> wrong =
        clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 82, true, settings_);
    ASSERT_TRUE(wrong.ok()) << wrong.error().ToString();
    ASSERT_TRUE(
        clinic().patients.MarkWeightEnteredInError(nurse_, patient_, wrong->id, "another patient's weight").ok());
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, session));

    const std::size_t audit_before = Audit().size();
    ExpectRefused(clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(0.5, 82), settings_), "weight_kg",
                  ErrorCode::kFailedPrecondition, audit_before);
    Result<app::DoseOrderRecord> order =
        clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(0.5, 70), settings_);
    ASSERT_TRUE(order.ok()) << order.error().ToString();
    EXPECT_EQ(order->weight_reason, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, EnteredInErrorContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
