// Vital signs and weights as issue 10 (§5, §6) wants them, on both backends: a blood pressure is one reading of
// systolic and diastolic; vitals and their alerts belong to the session in progress when they were observed; a wrong
// vital sign or weight is marked entered in error, kept, and left out of every rule; a weight far from the latest
// valid one needs confirming.

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using app::TimePoint;
using std::chrono::minutes;

class VitalRecordContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-V");
    }

    Result<app::RecordedVitalSign> Record(const app::NewVitalSign& vital) {
        return clinic().patients.RecordVitalSign(nurse_, vital, settings_);
    }
    Result<app::RecordedVitalSign> RecordBp(double systolic, double diastolic) {
        return Record(BloodPressure(patient_, systolic, diastolic, clock_.Now()));
    }
    app::NewVitalSign HeartRate(double per_minute) {
        return app::NewVitalSign{patient_, "8867-4", per_minute, "/min", clock_.Now(), app::VitalSource::kManual, ""};
    }
    std::vector<app::VitalSign> Vitals(std::optional<SessionId> session = std::nullopt) {
        Result<std::vector<app::VitalSign>> vitals =
            clinic().patients.ListVitalSigns(nurse_, patient_, session, app::kMaxPageSize);
        EXPECT_TRUE(vitals.ok()) << vitals.error().ToString();
        return vitals.ok() ? *vitals : std::vector<app::VitalSign>{};
    }
    std::vector<app::WeightMeasurement> Weights() {
        Result<std::vector<app::WeightMeasurement>> weights = clinic().patients.ListWeights(nurse_, patient_);
        EXPECT_TRUE(weights.ok()) << weights.error().ToString();
        return weights.ok() ? *weights : std::vector<app::WeightMeasurement>{};
    }

    // An esketamine course's first session of patient_.
    SessionId EsketamineSession() {
        const app::CourseRecord course =
            StartCourse(patient_, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
        EXPECT_FALSE(course.sessions.empty());
        return course.sessions.empty() ? SessionId{} : course.sessions.front().id;
    }

    // A signed first 56-mg esketamine order for `session`, on the patient's recorded 70 kg.
    void SignOrder(SessionId session) {
        Weigh(patient_);
        clinical::DoseRequest request = EsketamineRequest(56);
        request.first_dose = true;
        Result<app::DoseOrderRecord> order = clinic().doses.SignDoseOrder(prescriber_, session, request, settings_);
        ASSERT_TRUE(order.ok()) << order.error().ToString();
    }

    PatientId patient_;
};

// One reading, one record: systolic, diastolic and the optional mean arrive in one request and are stored as one
// vital sign; a lone component or an incoherent reading is refused naming the field, and nothing is stored.
TEST_P(VitalRecordContractTest, ABloodPressureIsOneReading) {
    app::NewVitalSign reading = BloodPressure(patient_, 150, 95, clock_.Now());
    reading.mean_arterial = 113;
    Result<app::RecordedVitalSign> recorded = Record(reading);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    EXPECT_EQ(recorded->vital.loinc, "85354-9");
    EXPECT_EQ(recorded->vital.value, 150);
    EXPECT_EQ(recorded->vital.diastolic, 95);
    EXPECT_EQ(recorded->vital.mean_arterial, 113);

    app::NewVitalSign lone_systolic{patient_, "8480-6", 150, "mm[Hg]", clock_.Now(), app::VitalSource::kManual, ""};
    app::NewVitalSign lone_diastolic{patient_, "8462-4", 95, "mm[Hg]", clock_.Now(), app::VitalSource::kManual, ""};
    app::NewVitalSign no_diastolic{patient_, "85354-9", 150, "mm[Hg]", clock_.Now(), app::VitalSource::kManual, ""};
    const struct {
        app::NewVitalSign vital;
        std::string field;
    } refused[] = {
        {lone_systolic, "diastolic"},
        {lone_diastolic, "systolic"},
        {no_diastolic, "diastolic"},
        {BloodPressure(patient_, 95, 150, clock_.Now()), "diastolic"},  // swapped
    };
    for (const auto& c : refused) {
        Result<app::RecordedVitalSign> result = Record(c.vital);
        ASSERT_TRUE(IsRefusal(result, ErrorCode::kInvalidArgument, c.field)) << c.vital.loinc;
    }
    const std::vector<app::VitalSign> stored = Vitals();
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored[0].diastolic, 95);
    EXPECT_EQ(stored[0].mean_arterial, 113);
}

TEST_P(VitalRecordContractTest, OneReadingAboveBothThresholdsRaisesOneAlertNamingBoth) {
    Result<app::RecordedVitalSign> recorded = RecordBp(190, 115);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    ASSERT_EQ(recorded->alerts.size(), 1U);
    EXPECT_EQ(recorded->alerts[0].rule, "blood_pressure_high");
    EXPECT_NE(recorded->alerts[0].message.find("190/115"), std::string::npos) << recorded->alerts[0].message;
    EXPECT_NE(recorded->alerts[0].message.find("Systolic BP 190"), std::string::npos) << recorded->alerts[0].message;
    EXPECT_NE(recorded->alerts[0].message.find("Diastolic BP 115"), std::string::npos) << recorded->alerts[0].message;
    app::AlertFilter all;
    Result<std::vector<app::Alert>> alerts = clinic().alerts.ListAlerts(nurse_, all);
    ASSERT_TRUE(alerts.ok());
    EXPECT_EQ(alerts->size(), 1U);
}

// The session comes from the record (check-in to its end in the session's own history), never from the caller; the
// listings filter by it.
TEST_P(VitalRecordContractTest, VitalsAndTheirAlertsBelongToTheSessionInProgress) {
    const SessionId session = EsketamineSession();
    ASSERT_TRUE(Record(HeartRate(70)).ok());  // before check-in: no session
    clock_.Advance(minutes{5});
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
    clock_.Advance(minutes{1});
    Result<app::RecordedVitalSign> in_session = RecordBp(190, 90);
    ASSERT_TRUE(in_session.ok()) << in_session.error().ToString();
    EXPECT_EQ(in_session->vital.session, session);
    ASSERT_EQ(in_session->alerts.size(), 1U);
    EXPECT_EQ(in_session->alerts[0].session, session);

    // A caller may name the session only when it is the one in progress.
    app::NewVitalSign named = HeartRate(72);
    named.session = session;
    EXPECT_TRUE(Record(named).ok());
    named.session = SessionId{session.value + 1000};
    Result<app::RecordedVitalSign> wrong = Record(named);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().field, "session_id");
    // Late documentation of a reading taken before check-in stays outside the session.
    Result<app::RecordedVitalSign> before = Record(
        app::NewVitalSign{patient_, "8867-4", 68, "/min", clock_.Now() - minutes{3}, app::VitalSource::kManual, ""});
    ASSERT_TRUE(before.ok());
    EXPECT_EQ(before->vital.session, std::nullopt);

    clock_.Advance(minutes{1});
    ASSERT_TRUE(clinic().sessions.Cancel(nurse_, session, "patient unwell").ok());
    clock_.Advance(minutes{1});
    Result<app::RecordedVitalSign> after = Record(HeartRate(74));
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->vital.session, std::nullopt);

    const std::vector<app::VitalSign> of_session = Vitals(session);
    ASSERT_EQ(of_session.size(), 2U);
    EXPECT_EQ(of_session[0].id, in_session->vital.id);
    EXPECT_EQ(Vitals().size(), 5U);
    Result<std::vector<app::VitalSign>> unknown =
        clinic().patients.ListVitalSigns(nurse_, patient_, SessionId{session.value + 1000}, 10);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

    ASSERT_TRUE(RecordBp(185, 80).ok());  // outside the session: its alert has none
    app::AlertFilter by_session;
    by_session.session = session;
    Result<std::vector<app::Alert>> alerts = clinic().alerts.ListAlerts(nurse_, by_session);
    ASSERT_TRUE(alerts.ok()) << alerts.error().ToString();
    ASSERT_EQ(alerts->size(), 1U);
    EXPECT_EQ(alerts->front().id, in_session->alerts[0].id);
    app::AlertFilter all;
    EXPECT_EQ(clinic().alerts.ListAlerts(nurse_, all)->size(), 2U);
}

TEST_P(VitalRecordContractTest, AVitalSignIsMarkedEnteredInErrorOnceKeptAndAudited) {
    Result<app::RecordedVitalSign> wrong = RecordBp(128, 82);
    ASSERT_TRUE(wrong.ok());
    const app::VitalSignId id = wrong->vital.id;
    const PatientId other = Register("MRN-OTHER");

    const auto mark = [&](PatientId patient, app::VitalSignId vital, const std::string& reason) {
        return clinic().patients.MarkVitalSignEnteredInError(nurse_, patient, vital, reason);
    };
    EXPECT_EQ(mark(patient_, id, "  ").error().field, "reason");
    EXPECT_EQ(mark(other, id, "wrong patient").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(mark(patient_, app::VitalSignId{id.value + 1000}, "none").error().code, ErrorCode::kNotFound);

    clock_.Advance(minutes{2});
    Result<app::VitalSign> marked = mark(patient_, id, "charted on the wrong patient");
    ASSERT_TRUE(marked.ok()) << marked.error().ToString();
    ASSERT_TRUE(marked->entered_in_error.has_value());
    EXPECT_EQ(marked->entered_in_error->reason, "charted on the wrong patient");
    EXPECT_EQ(marked->entered_in_error->marked_at, clock_.Now());
    EXPECT_EQ(marked->entered_in_error->marked_by, nurse_.user);

    Result<app::VitalSign> again = mark(patient_, id, "twice");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(again.error().field, "entered_in_error");

    const std::vector<app::VitalSign> listed = Vitals();  // kept, with its mark
    ASSERT_EQ(listed.size(), 1U);
    ASSERT_TRUE(listed[0].entered_in_error.has_value());
    EXPECT_EQ(listed[0].entered_in_error->reason, "charted on the wrong patient");
    EXPECT_EQ(listed[0].diastolic, 82);

    const std::vector<app::AuditEntry> audit = Audit(patient_.value);
    const auto marked_entries = std::count_if(audit.begin(), audit.end(), [&](const app::AuditEntry& entry) {
        return entry.action == "vital_sign.entered_in_error" && entry.record_id == id.value;
    });
    EXPECT_EQ(marked_entries, 1);

    // The database itself keeps the row and its one mark.
    const std::string row = std::to_string(id.value);
    EXPECT_FALSE(ExecuteDirectly("UPDATE vital_signs SET value = 120 WHERE id = " + row).ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE vital_signs SET entered_in_error_reason = 'other' WHERE id = " + row).ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM vital_signs WHERE id = " + row).ok());
}

// The pre-dose gate reads the latest valid reading: a reading marked entered in error is no reading, and a
// mistyped one marked so no longer holds the patient back.
TEST_P(VitalRecordContractTest, TheBpGateLeavesOutReadingsEnteredInError) {
    const SessionId session = EsketamineSession();
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
    clock_.Advance(minutes{2});
    Result<app::RecordedVitalSign> only = RecordBp(126, 80);
    ASSERT_TRUE(only.ok());
    ASSERT_TRUE(
        clinic().patients.MarkVitalSignEnteredInError(nurse_, patient_, only->vital.id, "wrong cuff size").ok());
    clock_.Advance(minutes{1});
    Result<app::TreatmentSession> no_reading = clinic().sessions.ConfirmPreDose(nurse_, session, settings_);
    ASSERT_FALSE(no_reading.ok());
    EXPECT_EQ(no_reading.error().field, "pre_dose_bp");

    ASSERT_TRUE(RecordBp(128, 82).ok());
    clock_.Advance(minutes{1});
    Result<app::RecordedVitalSign> typo = RecordBp(182, 82);
    ASSERT_TRUE(typo.ok());
    clock_.Advance(minutes{1});
    Result<app::TreatmentSession> held_back = clinic().sessions.ConfirmPreDose(nurse_, session, settings_);
    ASSERT_FALSE(held_back.ok());
    EXPECT_EQ(held_back.error().field, "pre_dose_bp");
    ASSERT_TRUE(
        clinic().patients.MarkVitalSignEnteredInError(nurse_, patient_, typo->vital.id, "typed 182 for 128").ok());
    Result<app::TreatmentSession> confirmed = clinic().sessions.ConfirmPreDose(nurse_, session, settings_);
    EXPECT_TRUE(confirmed.ok()) << confirmed.error().ToString();
}

// The REMS form reports only valid readings: a blood pressure marked entered in error is not the reading before
// the first device.
TEST_P(VitalRecordContractTest, TheRemsFormLeavesOutReadingsEnteredInError) {
    const SessionId session = EsketamineSession();
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
    clock_.Advance(minutes{2});
    ASSERT_TRUE(RecordBp(128, 82).ok());
    clock_.Advance(minutes{1});
    ASSERT_TRUE(clinic().sessions.ConfirmPreDose(nurse_, session, settings_).ok());
    ASSERT_NO_FATAL_FAILURE(SignOrder(session));
    ASSERT_TRUE(clinic().sessions.StartDosing(nurse_, session).ok());
    clock_.Advance(minutes{1});
    Result<app::RecordedVitalSign> wrong = RecordBp(178, 101);  // another patient's reading, charted here
    ASSERT_TRUE(wrong.ok());
    ASSERT_TRUE(clinic().patients.MarkVitalSignEnteredInError(nurse_, patient_, wrong->vital.id, "other patient").ok());
    clock_.Advance(minutes{1});
    const TimePoint first = clock_.Now();
    for (const char* lot : {"LOT-A", "LOT-B"}) {
        const app::NewAdministration device{
            "esketamine", clinical::Route::kEsketamineNasal, 28.0, std::nullopt, 1, lot, clock_.Now(), clock_.Now()};
        Result<app::Administration> given = clinic().doses.RecordAdministration(nurse_, session, device, settings_);
        ASSERT_TRUE(given.ok()) << given.error().ToString();
    }
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());
    clock_.Set(first + minutes{121});
    ASSERT_TRUE(RecordBp(130, 84).ok());
    clock_.Set(first + minutes{125});
    ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, session).ok());
    ASSERT_TRUE(clinic().sessions.Discharge(nurse_, session, true).ok());

    settings_.rems.healthcare_setting = "Clinic";  // its REMS certification
    Result<app::RemsFormView> view = clinic().rems.GetForm(nurse_, session, settings_);
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    const clinical::RemsMonitoring& monitoring = view->form.monitoring;
    ASSERT_TRUE(monitoring.bp_before_administration.has_value());
    EXPECT_EQ(monitoring.bp_before_administration->value.systolic_mmhg, 128);
    EXPECT_EQ(monitoring.bp_before_administration->value.diastolic_mmhg, 82);
    ASSERT_TRUE(monitoring.bp_before_end.has_value());
    EXPECT_EQ(monitoring.bp_before_end->value.systolic_mmhg, 130);
    EXPECT_TRUE(monitoring.vitals_acceptable_before_administration);
}

// A weight more than records.weight_change_percent off the latest valid one within the window needs confirming;
// a weight marked entered in error is the latest valid one no longer.
TEST_P(VitalRecordContractTest, AWeightFarFromTheLatestNeedsConfirmingAndAMarkedOneIsLeftOut) {
    Result<app::WeightMeasurement> first =
        clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 70, false, settings_);
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    EXPECT_GT(first->id.value, 0);
    EXPECT_FALSE(first->confirmed);
    clock_.Advance(minutes{30});

    Result<app::WeightMeasurement> jump =
        clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 154, false, settings_);  // pounds?
    ASSERT_FALSE(jump.ok());
    EXPECT_EQ(jump.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(jump.error().field, "confirmed");
    EXPECT_EQ(Weights().size(), 1U);

    Result<app::WeightMeasurement> confirmed =
        clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 80, true, settings_);
    ASSERT_TRUE(confirmed.ok()) << confirmed.error().ToString();
    EXPECT_TRUE(confirmed->confirmed);
    // Measured again: 71 kg is 11 % off the confirmed 80 kg, so it needs confirming too...
    EXPECT_EQ(clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 71, false, settings_).error().field,
              "confirmed");
    // ... until the 80 kg is marked entered in error: then 70 kg is the latest valid weight.
    Result<app::WeightMeasurement> marked =
        clinic().patients.MarkWeightEnteredInError(nurse_, patient_, confirmed->id, "scale not zeroed");
    ASSERT_TRUE(marked.ok()) << marked.error().ToString();
    ASSERT_TRUE(marked->entered_in_error.has_value());
    EXPECT_EQ(marked->entered_in_error->reason, "scale not zeroed");
    EXPECT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 71, false, settings_).ok());

    const std::vector<app::WeightMeasurement> weights = Weights();
    ASSERT_EQ(weights.size(), 3U);
    EXPECT_TRUE(weights[1].confirmed);
    ASSERT_TRUE(weights[1].entered_in_error.has_value());
    EXPECT_EQ(weights[1].entered_in_error->marked_by, nurse_.user);
    EXPECT_EQ(app::LatestValidWeight(weights)->weight_kg, 71);

    Result<app::WeightMeasurement> again =
        clinic().patients.MarkWeightEnteredInError(nurse_, patient_, confirmed->id, "twice");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(again.error().field, "entered_in_error");
    EXPECT_EQ(clinic().patients.MarkWeightEnteredInError(nurse_, patient_, confirmed->id, "").error().field, "reason");
    EXPECT_EQ(clinic().patients.MarkWeightEnteredInError(nurse_, Register("MRN-W2"), first->id, "x").error().code,
              ErrorCode::kNotFound);
    const std::vector<std::string> actions = AuditActions(patient_.value);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "weight.entered_in_error"), 1);

    const std::string row = std::to_string(first->id.value);
    EXPECT_FALSE(ExecuteDirectly("UPDATE weights SET weight_kg = 72 WHERE id = " + row).ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM weights WHERE id = " + row).ok());
}

// Outside the window, a change is no longer implausible: 30 days by default.
TEST_P(VitalRecordContractTest, TheWeightWindowComesFromTheSettings) {
    ASSERT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 70, false, settings_).ok());
    clock_.Advance(std::chrono::days{31});
    EXPECT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 80, false, settings_).ok());
    ASSERT_TRUE(clinic().settings.ChangeSetting(admin_, "records.weight_change_percent", "5").ok());
    Result<clinical::ClinicSettings> strict = clinic().settings.LoadClinicSettings();
    ASSERT_TRUE(strict.ok());
    clock_.Advance(std::chrono::days{1});
    EXPECT_EQ(clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 84.5, false, *strict).error().field,
              "confirmed");
    EXPECT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, clock_.Now(), 84, false, *strict).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, VitalRecordContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& param_info) { return std::string(BackendName(param_info.param)); });

}  // namespace
}  // namespace kclinic::adapters::storage::contract
