// The storage contract for the Spravato REMS Patient Monitoring Forms and the sessions' transition history: every
// case runs against a real SQLite file and a real PostgreSQL server, through the app layer's use cases, as in
// treatment_contract_test.cpp. Every refusal is checked to write nothing, and the database's own triggers are checked
// to refuse edits around the Store.

#include <gtest/gtest.h>

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

using app::Actor;
using app::PatientId;
using app::SessionId;
using app::TimePoint;
using clinical::SessionState;
using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year;

constexpr std::string_view kSetting = "Example Clinic, 1 Main St (REMS-certified outpatient setting)";

class RemsContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        settings_.rems.healthcare_setting = std::string(kSetting);  // the clinic's REMS certification
        patient_ = Register("MRN-R1", "Ada", clinical::Sex::kFemale);
    }

    using UseCaseTest::Register;
    PatientId Register(const std::string& mrn, const std::string& given_name, clinical::Sex sex) {
        app::NewPatient patient = NewPatient(mrn);
        patient.given_name = given_name;
        patient.sex = sex;
        return Register(patient);
    }

    SessionId FirstEsketamineSession(PatientId patient) {
        const app::CourseRecord course =
            StartCourse(patient, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
        EXPECT_FALSE(course.sessions.empty());
        return course.sessions.empty() ? SessionId{} : course.sessions[0].id;
    }

    void RecordVital(PatientId patient, const std::string& loinc, double value, const std::string& unit,
                     TimePoint observed_at) {
        Result<app::RecordedVitalSign> recorded = clinic().patients.RecordVitalSign(
            nurse_, app::NewVitalSign{patient, loinc, value, unit, observed_at, app::VitalSource::kManual, ""},
            settings_);
        ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    }

    void RecordAssessment(PatientId patient, clinical::Instrument instrument, const std::vector<int>& answers) {
        Result<app::RecordedAssessment> recorded =
            clinic().patients.RecordAssessment(nurse_, patient, instrument, answers, clock_.Now(), settings_);
        ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    }

    clinical::DoseRequest EsketamineRequest(double dose_mg, bool first_dose) {
        clinical::DoseRequest request;
        request.route = clinical::Route::kEsketamineNasal;
        request.weight_kg = 70;
        request.dose_mg = dose_mg;
        request.first_dose = first_dose;
        request.age_years = 46;
        return request;
    }

    // Check-in, a pre-dose BP of 128/82, a signed 56-mg order and dosing: the session is dosing when it returns.
    void ReadyToDose(PatientId patient, SessionId session, bool first_dose = true) {
        ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
        clock_.Advance(minutes{5});
        RecordBp(patient, 128, 82);
        clock_.Advance(minutes{1});
        Result<app::TreatmentSession> pre_dose = clinic().sessions.ConfirmPreDose(nurse_, session, settings_);
        ASSERT_TRUE(pre_dose.ok()) << pre_dose.error().ToString();
        Weigh(patient);
        Result<app::DoseOrderRecord> order =
            clinic().doses.SignDoseOrder(prescriber_, session, EsketamineRequest(56, first_dose), settings_);
        ASSERT_TRUE(order.ok()) << order.error().ToString();
        ASSERT_TRUE(clinic().sessions.StartDosing(nurse_, session).ok());
    }

    void GiveDevice(SessionId session, const std::string& lot) {
        const app::NewAdministration device{
            "esketamine", clinical::Route::kEsketamineNasal, 28.0, std::nullopt, 1, lot, clock_.Now(), clock_.Now()};
        Result<app::Administration> given = clinic().doses.RecordAdministration(nurse_, session, device, settings_);
        ASSERT_TRUE(given.ok()) << given.error().ToString();
    }

    // The full session of the contract: devices at +0 (LOT-A) and +5 min (LOT-B), MOAA/S 4 at +20, BP 146/92 and
    // SpO2 96 % at +40, CADSS 12 at +40, SpO2 92 % and 91 % at +50 and +60, BP 132/84 at +120, ready for discharge
    // at +125 by the monitoring nurse, discharged at +130. Returns the first device's time.
    TimePoint FullSession(PatientId patient, SessionId session) {
        ReadyToDose(patient, session);
        clock_.Advance(minutes{4});
        const TimePoint first = clock_.Now();
        GiveDevice(session, "LOT-A");
        clock_.Advance(minutes{5});
        GiveDevice(session, "LOT-B");
        EXPECT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());
        clock_.Set(first + minutes{20});
        RecordAssessment(patient, clinical::Instrument::kMoaas, {4});
        clock_.Set(first + minutes{40});
        RecordBp(patient, 146, 92);
        RecordVital(patient, "59408-5", 96, "%", clock_.Now());
        RecordAssessment(patient, clinical::Instrument::kCadss, std::vector<int>(23, 0));
        RecordAssessment(patient, clinical::Instrument::kCadss,
                         {2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        clock_.Set(first + minutes{50});
        RecordVital(patient, "59408-5", 92, "%", clock_.Now());
        clock_.Set(first + minutes{60});
        RecordVital(patient, "59408-5", 91, "%", clock_.Now());
        clock_.Set(first + minutes{120});
        RecordBp(patient, 132, 84);
        clock_.Set(first + minutes{125});
        Result<app::TreatmentSession> ready = clinic().sessions.ReadyForDischarge(monitor_, session);
        EXPECT_TRUE(ready.ok()) << ready.error().ToString();
        clock_.Set(first + minutes{130});
        EXPECT_TRUE(clinic().sessions.Discharge(nurse_, session, true).ok());
        return first;
    }

    // The session's stored form record, read without an audit entry.
    std::optional<app::RemsFormRecord> StoredForm(SessionId session) {
        std::optional<app::RemsFormRecord> form;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<std::optional<app::RemsFormRecord>> found = tx.FindRemsForm(session);
            if (!found.ok()) {
                return found.error();
            }
            form = *found;
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return form;
    }

    // Runs `refused`, expects `code` on `field`, and checks that it wrote nothing: no audit entry, the form as it
    // was.
    void ExpectRefusedWritingNothing(SessionId session, const std::function<Result<app::RemsFormView>()>& refused,
                                     ErrorCode code, const std::string& field) {
        const std::optional<app::RemsFormRecord> before = StoredForm(session);
        const std::size_t audit_before = AuditActions().size();
        Result<app::RemsFormView> result = refused();
        ASSERT_TRUE(IsRefusal(result, code, field));
        const std::optional<app::RemsFormRecord> after = StoredForm(session);
        ASSERT_EQ(after.has_value(), before.has_value());
        if (after) {
            EXPECT_EQ(after->status, before->status);
            EXPECT_EQ(after->submission.has_value(), before->submission.has_value());
        }
        EXPECT_EQ(AuditActions().size(), audit_before);
    }

    // Runs `statement` around the Store and expects the database itself to refuse it with `because` in its message.
    void ExpectDatabaseRefuses(const std::string& statement, const std::string& because) {
        Status refused = database().ExecuteDirectly(statement);
        ASSERT_FALSE(refused.ok()) << statement;
        EXPECT_NE(refused.error().message.find(because), std::string::npos) << refused.error().ToString();
    }

    const Actor monitor_{"monitor@clinic.example", "10.0.0.9"};
    PatientId patient_;
};

TEST_P(RemsContractTest, AFullEsketamineSessionOpensADueFormWithEveryField) {
    for (const char* medication : {"alprazolam", "lisdexamfetamine", "sertraline"}) {
        ASSERT_TRUE(clinic().history.AddMedication(nurse_, patient_, medication).ok());
    }
    const SessionId session = FirstEsketamineSession(patient_);
    const TimePoint first = FullSession(patient_, session);
    const std::vector<std::string> tail = {"session.discharged", "rems_form.create"};
    const std::vector<std::string> actions = AuditActions();
    ASSERT_GE(actions.size(), 2U);
    EXPECT_EQ(std::vector<std::string>(actions.end() - 2, actions.end()), tail);

    Result<app::RemsFormView> view = clinic().rems.GetForm(nurse_, session, settings_);
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    EXPECT_EQ(AuditActions().back(), "rems_form.read");
    const app::RemsFormRecord& record = view->record;
    EXPECT_EQ(record.session, session);
    EXPECT_EQ(record.patient, patient_);
    EXPECT_EQ(record.status, app::RemsFormStatus::kDue);
    EXPECT_EQ(record.treatment_date, kCourseStart);
    EXPECT_EQ(record.due_date, kCourseStart + days{7});
    EXPECT_EQ(record.created_by, "nurse@clinic.example");
    EXPECT_EQ(record.created_at, first + minutes{130});
    EXPECT_FALSE(record.submission.has_value());

    const app::RemsMonitoringForm& form = view->form;
    EXPECT_EQ(form.patient_given_name, "Ada");
    EXPECT_EQ(form.patient_family_name, "Example");
    EXPECT_EQ(form.patient_birth_date, (sys_days{year{1980} / 3 / 14}));
    EXPECT_EQ(form.patient_sex, clinical::Sex::kFemale);
    EXPECT_TRUE(form.first_treatment);
    EXPECT_EQ(form.monitoring_provider, "monitor@clinic.example");
    EXPECT_EQ(form.healthcare_setting, kSetting);
    EXPECT_EQ(form.administered_on, kCourseStart);
    EXPECT_FALSE(form.ready_to_leave_minutes.has_value());
    const clinical::RemsMonitoring& monitoring = form.monitoring;
    EXPECT_EQ(monitoring.concomitant,
              (clinical::RemsConcomitantMedications{.benzodiazepine = true, .psychostimulant = true}));
    EXPECT_EQ(monitoring.dose_mg, 56);
    EXPECT_EQ(monitoring.dose, clinical::RemsDose::k56Mg);
    EXPECT_EQ(monitoring.lot_numbers, (std::vector<std::string>{"LOT-A", "LOT-B"}));
    EXPECT_EQ(monitoring.first_device_at, first);
    EXPECT_EQ(monitoring.monitoring_ended_at, first + minutes{125});
    EXPECT_EQ(monitoring.monitoring_minutes, 125);
    EXPECT_TRUE(monitoring.monitoring_minimum_met);
    ASSERT_TRUE(monitoring.bp_before_administration.has_value());
    EXPECT_EQ(monitoring.bp_before_administration->value.systolic_mmhg, 128);
    EXPECT_EQ(monitoring.bp_before_administration->value.diastolic_mmhg, 82);
    EXPECT_EQ(monitoring.bp_before_administration->observed_at, first - minutes{5});
    ASSERT_TRUE(monitoring.bp_40_minutes_after.has_value());
    EXPECT_EQ(monitoring.bp_40_minutes_after->value.systolic_mmhg, 146);
    EXPECT_EQ(monitoring.bp_40_minutes_after->value.diastolic_mmhg, 92);
    EXPECT_EQ(monitoring.bp_40_minutes_after->observed_at, first + minutes{40});
    ASSERT_TRUE(monitoring.bp_before_end.has_value());
    EXPECT_EQ(monitoring.bp_before_end->value.systolic_mmhg, 132);
    EXPECT_EQ(monitoring.bp_before_end->value.diastolic_mmhg, 84);
    EXPECT_TRUE(monitoring.vitals_acceptable_before_administration);
    EXPECT_TRUE(monitoring.vitals_acceptable_before_end);
    EXPECT_TRUE(monitoring.sedation);                // MOAA/S 4
    EXPECT_TRUE(monitoring.dissociation);            // CADSS 12 > 4
    EXPECT_TRUE(monitoring.respiratory_depression);  // 92 then 91
    EXPECT_EQ(monitoring.lowest_spo2_percent, 91);
    EXPECT_TRUE(view->notes.empty()) << view->notes.front();
}

TEST_P(RemsContractTest, TransitionHistoryListsEveryStepWithItsActorAndReason) {
    const SessionId session = FirstEsketamineSession(patient_);
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
    clock_.Advance(minutes{2});
    RecordBp(patient_, 150, 95);
    ASSERT_TRUE(clinic().sessions.Hold(nurse_, session, "BP 150/95: recheck in 15 min").ok());
    clock_.Advance(minutes{15});
    RecordBp(patient_, 132, 84);
    ASSERT_TRUE(clinic().sessions.ConfirmPreDose(nurse_, session, settings_).ok());
    clock_.Advance(minutes{1});
    ASSERT_TRUE(clinic().sessions.Abort(prescriber_, session, "patient asked to stop").ok());

    Result<app::SessionRecord> read = clinic().sessions.GetSession(nurse_, session);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    const std::vector<app::SessionTransition>& steps = read->transitions;
    ASSERT_EQ(steps.size(), 5U);
    struct Expected {
        std::optional<SessionState> from;
        SessionState to;
        TimePoint at;
        std::string by;
        std::string reason;
    };
    const std::vector<Expected> expected = {
        {std::nullopt, SessionState::kScheduled, kStart, "doctor@clinic.example", ""},
        {SessionState::kScheduled, SessionState::kCheckedIn, kStart, "nurse@clinic.example", ""},
        {SessionState::kCheckedIn, SessionState::kHeld, kStart + minutes{2}, "nurse@clinic.example",
         "BP 150/95: recheck in 15 min"},
        {SessionState::kHeld, SessionState::kPreDoseOk, kStart + minutes{17}, "nurse@clinic.example", ""},
        {SessionState::kPreDoseOk, SessionState::kAborted, kStart + minutes{18}, "doctor@clinic.example",
         "patient asked to stop"},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(steps[i].session, session) << i;
        EXPECT_EQ(steps[i].from_state, expected[i].from) << i;
        EXPECT_EQ(steps[i].to_state, expected[i].to) << i;
        EXPECT_EQ(steps[i].at, expected[i].at) << i;
        EXPECT_EQ(steps[i].by, expected[i].by) << i;
        EXPECT_EQ(steps[i].reason, expected[i].reason) << i;
    }
    // Aborted before any device: no form is owed.
    EXPECT_FALSE(StoredForm(session).has_value());

    // The history is append-only in the database itself.
    ExpectDatabaseRefuses("UPDATE session_transitions SET by = 'someone else'", "session_transitions is append-only");
    ExpectDatabaseRefuses("DELETE FROM session_transitions", "session_transitions is append-only");
    Result<app::SessionRecord> again = clinic().sessions.GetSession(nurse_, session);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->transitions.size(), 5U);
    EXPECT_EQ(again->transitions[4].by, "doctor@clinic.example");
}

TEST_P(RemsContractTest, AnAbortAfterADeviceUnder120MinutesOpensAFormThatSaysSo) {
    const SessionId session = FirstEsketamineSession(patient_);
    ReadyToDose(patient_, session);
    const TimePoint first = clock_.Now();
    GiveDevice(session, "LOT-C");
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());
    clock_.Set(first + minutes{40});
    RecordBp(patient_, 186, 104);
    clock_.Set(first + minutes{95});
    ASSERT_TRUE(clinic().sessions.Abort(prescriber_, session, "severe nausea, sent to the emergency department").ok());
    const std::vector<std::string> tail = {"session.aborted", "rems_form.create"};
    const std::vector<std::string> actions = AuditActions();
    EXPECT_EQ(std::vector<std::string>(actions.end() - 2, actions.end()), tail);

    Result<app::RemsFormView> view = clinic().rems.GetForm(nurse_, session, settings_);
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    const clinical::RemsMonitoring& monitoring = view->form.monitoring;
    EXPECT_EQ(view->form.monitoring_provider, "doctor@clinic.example");  // who stopped the session
    EXPECT_EQ(monitoring.dose_mg, 28);
    EXPECT_EQ(monitoring.dose, clinical::RemsDose::kOther);
    EXPECT_EQ(monitoring.monitoring_ended_at, first + minutes{95});
    EXPECT_EQ(monitoring.monitoring_minutes, 95);
    EXPECT_FALSE(monitoring.monitoring_minimum_met);
    ASSERT_TRUE(monitoring.bp_before_end.has_value());
    EXPECT_EQ(monitoring.bp_before_end->value.systolic_mmhg, 186);
    EXPECT_FALSE(monitoring.vitals_acceptable_before_end);  // 186 >= the review threshold 180
    EXPECT_FALSE(monitoring.lowest_spo2_percent.has_value());
    const std::vector<std::string> notes = {
        "monitoring lasted 95 min from the first device, under the REMS minimum of 120 min; the form reports it as "
        "it happened",
        "no pulse oximetry recorded between the first device and the end of monitoring"};
    EXPECT_EQ(view->notes, notes);

    clock_.Set(first + days{1});
    Result<app::RemsFormView> submitted = clinic().rems.Submit(nurse_, session, 60, "", settings_);
    ASSERT_TRUE(submitted.ok()) << submitted.error().ToString();
    EXPECT_EQ(submitted->record.status, app::RemsFormStatus::kSubmitted);
    EXPECT_EQ(submitted->notes, notes);
    EXPECT_EQ(submitted->form.monitoring.monitoring_minutes, 95);
    ASSERT_TRUE(submitted->record.submission.has_value());
    EXPECT_EQ(submitted->record.submission->confirmation_reference, "");
}

TEST_P(RemsContractTest, SubmitsOnceAndTheSnapshotSurvivesLaterRecords) {
    const SessionId session = FirstEsketamineSession(patient_);
    const TimePoint first = FullSession(patient_, session);

    // Each refusal writes nothing.
    ExpectRefusedWritingNothing(
        session, [&] { return clinic().rems.Submit(nurse_, session, 601, "PMF-1", settings_); }, ErrorCode::kOutOfRange,
        "ready_to_leave_minutes");
    ExpectRefusedWritingNothing(
        session, [&] { return clinic().rems.Submit(nurse_, session, -1, "PMF-1", settings_); }, ErrorCode::kOutOfRange,
        "ready_to_leave_minutes");
    // A clinic that has not configured its REMS-certified setting (rems.healthcare_setting) submits no form.
    clinical::ClinicSettings unconfigured = settings_;
    unconfigured.rems.healthcare_setting.clear();
    ExpectRefusedWritingNothing(
        session, [&] { return clinic().rems.Submit(nurse_, session, 60, "PMF-1", unconfigured); },
        ErrorCode::kFailedPrecondition, "rems.healthcare_setting");
    ExpectRefusedWritingNothing(
        session, [&] { return clinic().rems.Submit(nurse_, session, 60, "PMF\n1", settings_); },
        ErrorCode::kInvalidArgument, "confirmation_reference");
    ExpectRefusedWritingNothing(
        session, [&] { return clinic().rems.Submit(nurse_, session, 60, "  ", settings_); },
        ErrorCode::kInvalidArgument, "confirmation_reference");
    ExpectRefusedWritingNothing(
        session, [&] { return clinic().rems.Submit(nurse_, SessionId{9999}, 60, "PMF-1", settings_); },
        ErrorCode::kNotFound, "session_id");

    // Within the late-entry limit (24 h), so that the later records below can still be entered.
    clock_.Set(first + std::chrono::hours{20});
    Result<app::RemsFormView> submitted = clinic().rems.Submit(monitor_, session, 90, "PMF-2026-0042", settings_);
    ASSERT_TRUE(submitted.ok()) << submitted.error().ToString();
    EXPECT_EQ(AuditActions().back(), "rems_form.submit");
    EXPECT_EQ(submitted->record.status, app::RemsFormStatus::kSubmitted);
    EXPECT_EQ(submitted->form.ready_to_leave_minutes, 90);
    ASSERT_TRUE(submitted->record.submission.has_value());
    EXPECT_EQ(submitted->record.submission->submitted_by, "monitor@clinic.example");
    EXPECT_EQ(submitted->record.submission->submitted_at, first + std::chrono::hours{20});
    EXPECT_EQ(submitted->record.submission->confirmation_reference, "PMF-2026-0042");

    // Later records inside the monitoring window, and a new medication, do not change the submitted form.
    RecordBp(patient_, 178, 101, first + minutes{124});
    RecordVital(patient_, "59408-5", 85, "%", first + minutes{100});
    ASSERT_TRUE(clinic().history.AddMedication(nurse_, patient_, "oxycodone").ok());
    clinical::ClinicSettings renamed = settings_;  // the clinic renamed its setting since: the form keeps its name
    renamed.rems.healthcare_setting = "another setting name";
    Result<app::RemsFormView> read = clinic().rems.GetForm(nurse_, session, renamed);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    const app::RemsMonitoringForm& form = read->form;
    const app::RemsMonitoringForm& frozen = submitted->form;
    EXPECT_EQ(form.healthcare_setting, kSetting);
    EXPECT_EQ(form.patient_given_name, frozen.patient_given_name);
    EXPECT_EQ(form.patient_birth_date, frozen.patient_birth_date);
    EXPECT_EQ(form.patient_sex, frozen.patient_sex);
    EXPECT_EQ(form.first_treatment, frozen.first_treatment);
    EXPECT_EQ(form.monitoring_provider, "monitor@clinic.example");
    EXPECT_EQ(form.administered_on, kCourseStart);
    EXPECT_EQ(form.ready_to_leave_minutes, 90);
    const clinical::RemsMonitoring& monitoring = form.monitoring;
    EXPECT_EQ(monitoring.concomitant, frozen.monitoring.concomitant);
    EXPECT_FALSE(monitoring.concomitant.opioid);
    EXPECT_EQ(monitoring.dose_mg, 56);
    EXPECT_EQ(monitoring.dose, clinical::RemsDose::k56Mg);
    EXPECT_EQ(monitoring.lot_numbers, (std::vector<std::string>{"LOT-A", "LOT-B"}));
    EXPECT_EQ(monitoring.first_device_at, first);
    EXPECT_EQ(monitoring.monitoring_ended_at, first + minutes{125});
    EXPECT_EQ(monitoring.monitoring_minutes, 125);
    EXPECT_TRUE(monitoring.monitoring_minimum_met);
    ASSERT_TRUE(monitoring.bp_before_administration && monitoring.bp_40_minutes_after && monitoring.bp_before_end);
    EXPECT_EQ(monitoring.bp_before_administration->value.systolic_mmhg, 128);
    EXPECT_EQ(monitoring.bp_before_administration->observed_at, first - minutes{5});
    EXPECT_EQ(monitoring.bp_40_minutes_after->value.diastolic_mmhg, 92);
    EXPECT_EQ(monitoring.bp_40_minutes_after->observed_at, first + minutes{40});
    EXPECT_EQ(monitoring.bp_before_end->value.systolic_mmhg, 132);  // not the later-recorded 178
    EXPECT_EQ(monitoring.bp_before_end->observed_at, first + minutes{120});
    EXPECT_TRUE(monitoring.vitals_acceptable_before_administration);
    EXPECT_TRUE(monitoring.vitals_acceptable_before_end);
    EXPECT_TRUE(monitoring.sedation);
    EXPECT_TRUE(monitoring.dissociation);
    EXPECT_TRUE(monitoring.respiratory_depression);
    EXPECT_EQ(monitoring.lowest_spo2_percent, 91);  // not the later-recorded 85

    ExpectRefusedWritingNothing(
        session, [&] { return clinic().rems.Submit(nurse_, session, 30, "PMF-again", settings_); },
        ErrorCode::kFailedPrecondition, "session_id");
    Result<app::RemsFormView> still = clinic().rems.GetForm(nurse_, session, settings_);
    ASSERT_TRUE(still.ok());
    EXPECT_EQ(still->form.ready_to_leave_minutes, 90);
    EXPECT_EQ(still->record.submission->confirmation_reference, "PMF-2026-0042");

    // The database itself keeps a submitted form as it is, and every form.
    ExpectDatabaseRefuses("UPDATE rems_forms SET ready_to_leave_minutes = 10", "a submitted REMS form is never edited");
    ExpectDatabaseRefuses("DELETE FROM rems_forms", "a REMS form is never deleted");
    EXPECT_EQ(StoredForm(session)->submission->form.ready_to_leave_minutes, 90);
}

TEST_P(RemsContractTest, ADueFormChangesOnlyBySubmission) {
    const SessionId session = FirstEsketamineSession(patient_);
    FullSession(patient_, session);
    ExpectDatabaseRefuses("UPDATE rems_forms SET due_date = '2026-12-31'",
                          "a due REMS form changes only by being submitted");
    ExpectDatabaseRefuses("DELETE FROM rems_forms", "a REMS form is never deleted");
    EXPECT_EQ(StoredForm(session)->due_date, kCourseStart + days{7});
    // A submitted status without the submission's columns is refused by the table's checks.
    ExpectDatabaseRefuses("UPDATE rems_forms SET status = 'submitted', submitted_at = 1", "constraint");
    EXPECT_EQ(StoredForm(session)->status, app::RemsFormStatus::kDue);
}

TEST_P(RemsContractTest, ListsDueFormsOldestDueFirstWithOverdueMarked) {
    // Patient 1's session starts at 23:30 and ends after midnight; patient 2's starts after midnight and is aborted
    // first. Patient 2's form is opened first, but patient 1's is due a day earlier.
    const PatientId other = Register("MRN-R2", "Bea", clinical::Sex::kMale);
    const SessionId late_night = FirstEsketamineSession(patient_);
    const SessionId morning = FirstEsketamineSession(other);
    clock_.Set(TimePoint{sys_days{kCourseStart}} + std::chrono::hours{23} + minutes{20});
    ReadyToDose(patient_, late_night);
    GiveDevice(late_night, "LOT-N");  // 23:26 on day 0
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, late_night).ok());
    clock_.Set(TimePoint{kCourseStart + days{1}} + minutes{10});
    ReadyToDose(other, morning);
    GiveDevice(morning, "LOT-M");  // 00:16 on day 1
    clock_.Advance(minutes{30});
    ASSERT_TRUE(clinic().sessions.Abort(nurse_, morning, "panic, wished to stop").ok());
    clock_.Set(TimePoint{kCourseStart + days{1}} + std::chrono::hours{1} + minutes{30});
    ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, late_night).ok());
    ASSERT_TRUE(clinic().sessions.Discharge(nurse_, late_night, true).ok());
    ASSERT_LT(StoredForm(morning)->id, StoredForm(late_night)->id);

    // An IV session makes no form (a course for another indication: the esketamine course is still open).
    const app::CourseRecord iv =
        StartCourse(other, clinical::Protocol::kIvInduction, clinical::Route::kIv, "PTSD (F43.10)");
    ASSERT_FALSE(iv.sessions.empty());
    ASSERT_TRUE(clinic().sessions.Cancel(nurse_, iv.sessions[0].id, "patient unwell").ok());
    EXPECT_FALSE(StoredForm(iv.sessions[0].id).has_value());

    // "Today" is the clinic's (UTC by default): noon on day 7, then on day 8.
    clock_.Set(TimePoint{kCourseStart + days{7}} + std::chrono::hours{12});
    Result<std::vector<app::DueRemsForm>> on_day_7 = clinic().rems.ListDue(nurse_);
    ASSERT_TRUE(on_day_7.ok()) << on_day_7.error().ToString();
    EXPECT_EQ(AuditActions().back(), "rems_form.list");
    ASSERT_EQ(on_day_7->size(), 2U);
    EXPECT_EQ((*on_day_7)[0].record.session, late_night);
    EXPECT_EQ((*on_day_7)[0].record.due_date, kCourseStart + days{7});
    EXPECT_FALSE((*on_day_7)[0].overdue);  // due today: not yet overdue
    EXPECT_EQ((*on_day_7)[1].record.session, morning);
    EXPECT_EQ((*on_day_7)[1].record.due_date, kCourseStart + days{8});
    EXPECT_FALSE((*on_day_7)[1].overdue);

    clock_.Set(TimePoint{kCourseStart + days{8}} + std::chrono::hours{12});
    Result<std::vector<app::DueRemsForm>> on_day_8 = clinic().rems.ListDue(nurse_);
    ASSERT_TRUE(on_day_8.ok());
    ASSERT_EQ(on_day_8->size(), 2U);
    EXPECT_TRUE((*on_day_8)[0].overdue);
    EXPECT_FALSE((*on_day_8)[1].overdue);

    // The late-night form lacks the 40-min and end readings: a prescriber submits it with a reason (issue 10).
    ASSERT_TRUE(clinic()
                    .rems
                    .Submit(prescriber_, late_night, 120, "", settings_,
                            "BP taken on paper during the night shift; scanned into the chart")
                    .ok());
    Result<std::vector<app::DueRemsForm>> after = clinic().rems.ListDue(nurse_);
    ASSERT_TRUE(after.ok());
    ASSERT_EQ(after->size(), 1U);
    EXPECT_EQ(after->front().record.session, morning);
    EXPECT_EQ(after->front().record.patient, other);
}

TEST_P(RemsContractTest, ALaterSessionIsNotTheFirstTreatment) {
    const app::CourseRecord course =
        StartCourse(patient_, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
    ASSERT_GE(course.sessions.size(), 2U);
    FullSession(patient_, course.sessions[0].id);
    clock_.Advance(days{3});
    const SessionId second = course.sessions[1].id;
    ReadyToDose(patient_, second, false);
    GiveDevice(second, "LOT-D");
    clock_.Advance(minutes{10});
    ASSERT_TRUE(clinic().sessions.Abort(nurse_, second, "fire alarm, building evacuated").ok());
    Result<app::RemsFormView> view = clinic().rems.GetForm(nurse_, second, settings_);
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    EXPECT_FALSE(view->form.first_treatment);
    Result<app::RemsFormView> first_form = clinic().rems.GetForm(nurse_, course.sessions[0].id, settings_);
    ASSERT_TRUE(first_form.ok());
    EXPECT_TRUE(first_form->form.first_treatment);
}

TEST_P(RemsContractTest, GetFormRefusesASessionWithoutAFormWritingNothing) {
    const app::CourseRecord iv = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    ASSERT_FALSE(iv.sessions.empty());
    const std::size_t audit_before = AuditActions().size();
    for (SessionId session : {iv.sessions[0].id, SessionId{9999}}) {
        Result<app::RemsFormView> missing = clinic().rems.GetForm(nurse_, session, settings_);
        ASSERT_FALSE(missing.ok());
        EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
        EXPECT_EQ(missing.error().field, "session_id");
    }
    clinical::ClinicSettings unconfigured = settings_;
    unconfigured.rems.healthcare_setting.clear();
    Result<app::RemsFormView> blank = clinic().rems.GetForm(nurse_, iv.sessions[0].id, unconfigured);
    ASSERT_FALSE(blank.ok());
    EXPECT_EQ(blank.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(blank.error().field, "rems.healthcare_setting");
    EXPECT_EQ(AuditActions().size(), audit_before);
}

INSTANTIATE_TEST_SUITE_P(Backends, RemsContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
