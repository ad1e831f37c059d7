// The storage contract for issue 10's "time cannot be bent": on a real SQLite file and a real PostgreSQL server,
// through the use cases, every clinical time is checked against the server's clock (clinical::CheckEntryTime) and an
// administration's against the session's own transition history; late entries are kept and flagged; the esketamine
// monitoring gate counts from the session's step to dosing at the earliest; and the REMS form is honest about the
// readings it lacks and gains its confirmation reference once, later. Every refusal is checked to write nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using app::TimePoint;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kSetting = "Example Clinic, 1 Main St (REMS-certified outpatient setting)";

class TimeContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        settings_.rems.healthcare_setting = std::string(kSetting);  // the clinic's REMS certification
        patient_ = Register("MRN-T1");
        const app::CourseRecord course =
            StartCourse(patient_, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
        ASSERT_FALSE(course.sessions.empty());
        session_ = course.sessions[0].id;
    }

    Result<app::RecordedVitalSign> RecordVital(const std::string& loinc, double value, const std::string& unit,
                                               TimePoint observed_at) {
        return clinic().patients.RecordVitalSign(
            nurse_, app::NewVitalSign{patient_, loinc, value, unit, observed_at, app::VitalSource::kManual, ""},
            settings_);
    }

    // Check-in, a pre-dose BP of 128/82, the pre-dose step (returned: its time), a signed 56-mg first dose; then,
    // `until_dosing` later, the step to dosing.
    TimePoint ReadyToDose(minutes until_dosing = minutes{0}) {
        EXPECT_TRUE(clinic().sessions.CheckIn(nurse_, session_, true, true).ok());
        clock_.Advance(minutes{5});
        RecordBp(patient_, 128, 82);
        clock_.Advance(minutes{1});
        const TimePoint pre_dose_ok_at = clock_.Now();
        Result<app::TreatmentSession> pre_dose = clinic().sessions.ConfirmPreDose(nurse_, session_, settings_);
        EXPECT_TRUE(pre_dose.ok()) << pre_dose.error().ToString();
        clinical::DoseRequest request;
        request.route = clinical::Route::kEsketamineNasal;
        request.weight_kg = 70;
        request.dose_mg = 56;
        request.first_dose = true;
        request.age_years = 46;
        Weigh(patient_);
        Result<app::DoseOrderRecord> order = clinic().doses.SignDoseOrder(prescriber_, session_, request, settings_);
        EXPECT_TRUE(order.ok()) << order.error().ToString();
        clock_.Advance(until_dosing);
        EXPECT_TRUE(clinic().sessions.StartDosing(nurse_, session_).ok());
        return pre_dose_ok_at;
    }

    Result<app::Administration> GiveDevices(int devices, TimePoint started_at,
                                            std::optional<TimePoint> stopped_at = std::nullopt) {
        const app::NewAdministration given{
            "esketamine", clinical::Route::kEsketamineNasal, 28.0 * devices, std::nullopt, devices, "LOT-T",
            started_at,   stopped_at.value_or(started_at)};
        return clinic().doses.RecordAdministration(nurse_, session_, given, settings_);
    }

    std::vector<app::Administration> Administrations() {
        Result<app::SessionRecord> record = clinic().sessions.GetSession(nurse_, session_);
        EXPECT_TRUE(record.ok());
        return record.ok() ? record->administrations : std::vector<app::Administration>{};
    }

    // Runs `refused`, expects kInvalidArgument (or `code`) on `field`, and checks that it wrote nothing.
    template <typename T>
    void ExpectRefusedWritingNothing(const std::function<Result<T>()>& refused, const std::string& field,
                                     ErrorCode code = ErrorCode::kInvalidArgument) {
        const std::size_t audit_before = AuditActions().size();
        Result<T> result = refused();
        ASSERT_TRUE(IsRefusal(result, code, field));
        EXPECT_EQ(AuditActions().size(), audit_before) << field;
    }

    // A whole esketamine session: devices at +0, BP at +`bp_recheck_minutes` (none when absent) and at +120, ready
    // for discharge at +125 and discharged at +130.
    void MonitoredSession(std::optional<int> bp_recheck_minutes) {
        ReadyToDose();
        const TimePoint first = clock_.Now();
        ASSERT_TRUE(GiveDevices(2, first).ok());
        ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session_).ok());
        if (bp_recheck_minutes) {
            clock_.Set(first + minutes{*bp_recheck_minutes});
            RecordBp(patient_, 146, 92);
        }
        clock_.Set(first + minutes{120});
        RecordBp(patient_, 132, 84);
        clock_.Set(first + minutes{125});
        ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, session_).ok());
        clock_.Set(first + minutes{130});
        ASSERT_TRUE(clinic().sessions.Discharge(nurse_, session_, true).ok());
    }

    std::optional<app::RemsFormRecord> StoredForm() {
        std::optional<app::RemsFormRecord> form;
        EXPECT_TRUE(store()
                        .Read([&](app::StoreTransaction& tx) -> Status {
                            ASSIGN_OR_RETURN(form, tx.FindRemsForm(session_));
                            return Status::Ok();
                        })
                        .ok());
        return form;
    }

    PatientId patient_;
    SessionId session_;
};

// The demo's hole: an esketamine device back-dated 130 min was accepted, ready-for-discharge succeeded a second
// after dosing, and the REMS form reported 130 min of monitoring that never happened.
TEST_P(TimeContractTest, ADeviceBackDatedBeforeThePreDoseStepIsRefused) {
    const TimePoint pre_dose_ok_at = ReadyToDose();
    clock_.Advance(minutes{1});
    ExpectRefusedWritingNothing<app::Administration>([&] { return GiveDevices(2, clock_.Now() - minutes{130}); },
                                                     "started_at");
    ExpectRefusedWritingNothing<app::Administration>([&] { return GiveDevices(2, pre_dose_ok_at - seconds{1}); },
                                                     "started_at");
    EXPECT_TRUE(Administrations().empty());

    ASSERT_TRUE(GiveDevices(2, clock_.Now()).ok());
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session_).ok());
    clock_.Advance(seconds{1});
    Result<app::TreatmentSession> ready = clinic().sessions.ReadyForDischarge(nurse_, session_);
    ASSERT_FALSE(ready.ok());
    EXPECT_EQ(ready.error().field, "first_esketamine_device_at");
}

// A device typed as given right after the pre-dose step, but recorded after a dosing step 20 min later: the
// two hours count from the step to dosing, the server's own record, not from the time typed.
TEST_P(TimeContractTest, TheTwoHoursCountFromTheStepToDosingAtTheEarliest) {
    const TimePoint pre_dose_ok_at = ReadyToDose(minutes{20});
    const TimePoint dosing_at = clock_.Now();
    clock_.Advance(minutes{1});
    Result<app::Administration> device = GiveDevices(2, pre_dose_ok_at + minutes{1});
    ASSERT_TRUE(device.ok()) << device.error().ToString();
    EXPECT_EQ(device->started_at, pre_dose_ok_at + minutes{1});
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session_).ok());

    clock_.Set(pre_dose_ok_at + minutes{1} + minutes{121});
    Result<app::TreatmentSession> early = clinic().sessions.ReadyForDischarge(nurse_, session_);
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(early.error().field, "first_esketamine_device_at");
    clock_.Set(dosing_at + minutes{120});
    Result<app::TreatmentSession> ready = clinic().sessions.ReadyForDischarge(nurse_, session_);
    EXPECT_TRUE(ready.ok()) << ready.error().ToString();
}

TEST_P(TimeContractTest, ClinicalTimesInTheFutureOrPastTheLateEntryLimitAreRefused) {
    const TimePoint future = clock_.Now() + minutes{6};
    const TimePoint stale = clock_.Now() - hours{24} - seconds{1};
    for (const TimePoint at : {future, stale}) {
        ExpectRefusedWritingNothing<app::RecordedVitalSign>([&] { return RecordVital("8867-4", 72, "/min", at); },
                                                            "observed_at");
        ExpectRefusedWritingNothing<app::RecordedAssessment>(
            [&] {
                return clinic().patients.RecordAssessment(nurse_, patient_, clinical::Instrument::kMoaas,
                                                          std::vector<int>{5}, at, settings_);
            },
            "assessed_at");
        ExpectRefusedWritingNothing<app::WeightMeasurement>(
            [&] { return clinic().patients.RecordWeight(nurse_, patient_, at, 70, false, settings_); }, "measured_at");
    }
    // Within the clock-skew allowance (records.clock_skew_minutes, 5 by default) a clock a little ahead is accepted.
    EXPECT_TRUE(RecordVital("8867-4", 72, "/min", clock_.Now() + minutes{5}).ok());

    ReadyToDose();
    ExpectRefusedWritingNothing<app::Administration>([&] { return GiveDevices(2, clock_.Now() + minutes{6}); },
                                                     "started_at");
    ExpectRefusedWritingNothing<app::Administration>(
        [&] { return GiveDevices(2, clock_.Now(), clock_.Now() + minutes{6}); }, "stopped_at");
    EXPECT_TRUE(Administrations().empty());
}

// Documentation after the fact is kept, flagged as a late entry where the record is read, and moves no gate.
TEST_P(TimeContractTest, LateEntriesAreKeptAndFlagged) {
    const TimePoint now = clock_.Now();
    Result<app::RecordedVitalSign> late_vital = RecordVital("8867-4", 72, "/min", now - minutes{31});
    ASSERT_TRUE(late_vital.ok()) << late_vital.error().ToString();
    EXPECT_TRUE(late_vital->vital.late_entry);
    ASSERT_TRUE(RecordVital("8867-4", 74, "/min", now - minutes{30}).ok());
    Result<std::vector<app::VitalSign>> vitals = clinic().patients.ListVitalSigns(nurse_, patient_, std::nullopt, 10);
    ASSERT_TRUE(vitals.ok());
    ASSERT_EQ(vitals->size(), 2U);
    EXPECT_TRUE((*vitals)[0].late_entry);
    EXPECT_FALSE((*vitals)[1].late_entry);
    EXPECT_EQ((*vitals)[0].recorded_at, now);

    Result<app::RecordedAssessment> late_rating = clinic().patients.RecordAssessment(
        nurse_, patient_, clinical::Instrument::kMoaas, std::vector<int>{5}, now - hours{23}, settings_);
    ASSERT_TRUE(late_rating.ok()) << late_rating.error().ToString();
    Result<std::vector<app::Assessment>> ratings = clinic().patients.ListAssessments(nurse_, patient_);
    ASSERT_TRUE(ratings.ok());
    ASSERT_EQ(ratings->size(), 1U);
    EXPECT_TRUE(ratings->front().late_entry);

    ASSERT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, now - hours{2}, 70, false, settings_).ok());
    ASSERT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, now, 71, false, settings_).ok());
    Result<std::vector<app::WeightMeasurement>> weights = clinic().patients.ListWeights(nurse_, patient_);
    ASSERT_TRUE(weights.ok());
    ASSERT_EQ(weights->size(), 2U);
    EXPECT_TRUE((*weights)[0].late_entry);
    EXPECT_EQ((*weights)[0].recorded_at, now);
    EXPECT_FALSE((*weights)[1].late_entry);

    // A device documented 40 min after it was given: kept, flagged, and the gate still counts from dosing.
    const TimePoint pre_dose_ok_at = ReadyToDose();
    clock_.Advance(minutes{40});
    Result<app::Administration> device = GiveDevices(2, pre_dose_ok_at + seconds{30});
    ASSERT_TRUE(device.ok()) << device.error().ToString();
    EXPECT_TRUE(device->late_entry);
    const std::vector<app::Administration> given = Administrations();
    ASSERT_EQ(given.size(), 1U);
    EXPECT_TRUE(given.front().late_entry);
}

TEST_P(TimeContractTest, AFormLackingAReadingIsSubmittedOnlyWithAPrescribersReason) {
    MonitoredSession(/*bp_recheck_minutes=*/std::nullopt);
    Result<app::RemsFormView> form = clinic().rems.GetForm(nurse_, session_, settings_);
    ASSERT_TRUE(form.ok()) << form.error().ToString();
    EXPECT_TRUE(form->form.monitoring.bp_before_administration.has_value());
    EXPECT_TRUE(form->form.monitoring.vitals_acceptable_before_administration);
    EXPECT_FALSE(form->form.monitoring.bp_40_minutes_after.has_value());

    ExpectRefusedWritingNothing<app::RemsFormView>(
        [&] { return clinic().rems.Submit(nurse_, session_, 90, "", settings_); }, "missing_readings_reason",
        ErrorCode::kFailedPrecondition);
    ExpectRefusedWritingNothing<app::RemsFormView>(
        [&] { return clinic().rems.Submit(prescriber_, session_, 90, "", settings_, " "); }, "missing_readings_reason");
    EXPECT_EQ(StoredForm()->status, app::RemsFormStatus::kDue);

    const std::string reason = "BP cuff failed at 40 min; patient stable on continuous observation, SpO2 97 %";
    Result<app::RemsFormView> submitted = clinic().rems.Submit(prescriber_, session_, 90, "", settings_, reason);
    ASSERT_TRUE(submitted.ok()) << submitted.error().ToString();
    EXPECT_EQ(AuditActions().back(), "rems_form.submit_missing_readings");
    const std::optional<app::RemsFormRecord> stored = StoredForm();
    ASSERT_TRUE(stored && stored->submission);
    EXPECT_EQ(stored->submission->missing_readings_reason, reason);
    EXPECT_EQ(stored->submission->submitted_by, prescriber_.user);
    Result<app::RemsFormView> read = clinic().rems.GetForm(nurse_, session_, settings_);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->notes.back(),
              "submitted without every reading the REMS asks for; the prescriber's reason: " + reason);
}

TEST_P(TimeContractTest, AReasonIsRefusedForAFormWithEveryReading) {
    MonitoredSession(/*bp_recheck_minutes=*/40);
    ExpectRefusedWritingNothing<app::RemsFormView>(
        [&] { return clinic().rems.Submit(prescriber_, session_, 90, "", settings_, "cuff failed"); },
        "missing_readings_reason");
    Result<app::RemsFormView> submitted = clinic().rems.Submit(nurse_, session_, 90, "", settings_);
    ASSERT_TRUE(submitted.ok()) << submitted.error().ToString();
    EXPECT_EQ(AuditActions().back(), "rems_form.submit");
    EXPECT_EQ(submitted->record.submission->missing_readings_reason, "");
}

TEST_P(TimeContractTest, ASubmittedFormGainsItsConfirmationReferenceOnce) {
    MonitoredSession(/*bp_recheck_minutes=*/40);
    ExpectRefusedWritingNothing<app::RemsFormView>(
        [&] { return clinic().rems.AddConfirmationReference(nurse_, session_, "PMF-1"); }, "session_id",
        ErrorCode::kFailedPrecondition);
    ExpectRefusedWritingNothing<app::RemsFormView>(
        [&] { return clinic().rems.AddConfirmationReference(nurse_, SessionId{9999}, "PMF-1"); }, "session_id",
        ErrorCode::kNotFound);
    ASSERT_TRUE(clinic().rems.Submit(nurse_, session_, 90, "", settings_).ok());
    ExpectRefusedWritingNothing<app::RemsFormView>(
        [&] { return clinic().rems.AddConfirmationReference(nurse_, session_, " "); }, "confirmation_reference");

    clock_.Advance(hours{26});
    Result<app::RemsFormView> confirmed = clinic().rems.AddConfirmationReference(nurse_, session_, "PMF-2026-0077");
    ASSERT_TRUE(confirmed.ok()) << confirmed.error().ToString();
    EXPECT_EQ(confirmed->record.submission->confirmation_reference, "PMF-2026-0077");
    EXPECT_EQ(AuditActions().back(), "rems_form.confirm");
    const std::optional<app::RemsFormRecord> stored = StoredForm();
    ASSERT_TRUE(stored && stored->submission);
    EXPECT_EQ(stored->submission->confirmation_reference, "PMF-2026-0077");
    EXPECT_EQ(stored->submission->submitted_at, confirmed->record.submission->submitted_at);
    EXPECT_EQ(stored->submission->form.healthcare_setting, kSetting);

    ExpectRefusedWritingNothing<app::RemsFormView>(
        [&] { return clinic().rems.AddConfirmationReference(nurse_, session_, "PMF-again"); }, "confirmation_reference",
        ErrorCode::kFailedPrecondition);

    // The database itself allows nothing more: not a second reference, not another column alongside one.
    const std::string form_id = std::to_string(stored->id.value);
    for (const std::string& statement :
         {"UPDATE rems_forms SET confirmation_reference = 'PMF-X' WHERE id = " + form_id,
          "UPDATE rems_forms SET healthcare_setting = 'elsewhere' WHERE id = " + form_id}) {
        Status refused = ExecuteDirectly(statement);
        ASSERT_FALSE(refused.ok()) << statement;
        EXPECT_NE(refused.error().message.find("a submitted REMS form is never edited"), std::string::npos)
            << refused.error().ToString();
    }
}

// A second form submitted without a reference: the database lets the reference alone be added, not with another
// column changed in the same statement.
TEST_P(TimeContractTest, TheDatabaseAddsAReferenceOnlyAlone) {
    MonitoredSession(/*bp_recheck_minutes=*/40);
    ASSERT_TRUE(clinic().rems.Submit(nurse_, session_, 90, "", settings_).ok());
    const std::string form_id = std::to_string(StoredForm()->id.value);
    Status refused =
        ExecuteDirectly("UPDATE rems_forms SET confirmation_reference = 'PMF-Y', dose_mg = 84 WHERE id = " + form_id);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("a submitted REMS form is never edited"), std::string::npos)
        << refused.error().ToString();
    EXPECT_TRUE(ExecuteDirectly("UPDATE rems_forms SET confirmation_reference = 'PMF-Y' WHERE id = " + form_id).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, TimeContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
