// The storage contract for alerts, the patient's named clinician and demographic updates: every case runs against a
// real SQLite file and a real PostgreSQL server, through the app layer's use cases, as in store_contract_test.cpp.
// Every refusal is checked to write nothing.

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
using app::AlertId;
using app::PatientId;
using clinical::AlertSeverity;
using std::chrono::sys_days;
using std::chrono::year;

constexpr std::string_view kClinician = "dr.grey@clinic.example";

app::NewVitalSign Vital(PatientId patient, const std::string& loinc, double value, const std::string& unit) {
    return app::NewVitalSign{patient, loinc, value, unit, At(-60), app::VitalSource::kManual, ""};
}

// A blood-pressure reading whose diastolic (80) raises nothing.
app::NewVitalSign Systolic(PatientId patient, double value) {
    return BloodPressure(patient, value, 80, At(-60));
}

class AlertContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        // A named clinician is an active user with a clinical role.
        AddUser(std::string(kClinician), app::Role::kPrescriber);
        AddUser("dr.house@clinic.example", app::Role::kTherapist);
        patient_ = Register("MRN-1", std::string(kClinician));
    }

    // A patient whose alerts go to `clinician` (none when empty).
    static app::NewPatient WithClinician(const std::string& mrn, const std::string& clinician) {
        app::NewPatient patient = NewPatient(mrn);
        patient.clinician = clinician;
        return patient;
    }

    using UseCaseTest::Register;
    PatientId Register(const std::string& mrn, const std::string& clinician) {
        return Register(WithClinician(mrn, clinician));
    }

    // Every stored alert in id order, read without an audit entry.
    std::vector<app::Alert> StoredAlerts() {
        app::AlertFilter filter;
        filter.limit = app::kMaxPageSize;
        std::vector<app::Alert> alerts;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<std::vector<app::Alert>> listed = tx.ListAlerts(filter);
            if (!listed.ok()) {
                return listed.error();
            }
            alerts = std::move(listed).value();
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return alerts;
    }

    // The stored patient, read without an audit entry.
    app::Patient StoredPatient(PatientId id) {
        app::Patient patient;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<app::Patient> stored = tx.GetPatient(id);
            if (!stored.ok()) {
                return stored.error();
            }
            patient = *stored;
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return patient;
    }

    // One alert raised over a high systolic BP for `patient`.
    app::Alert RaiseOne(PatientId patient) {
        Result<app::RecordedVitalSign> recorded =
            clinic().patients.RecordVitalSign(nurse_, Systolic(patient, 190), settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        EXPECT_EQ(recorded.ok() ? recorded->alerts.size() : 0u, 1u);
        return recorded.ok() && !recorded->alerts.empty() ? recorded->alerts.front() : app::Alert{};
    }

    // Runs `refused`, expects `code` on `field`, and checks that no alert, patient change or audit entry was
    // written.
    template <typename T>
    void ExpectRefusedWritingNothing(const std::function<Result<T>()>& refused, ErrorCode code,
                                     const std::string& field) {
        const std::vector<app::Alert> alerts_before = StoredAlerts();
        const app::Patient patient_before = StoredPatient(patient_);
        const std::size_t audit_before = Audit().size();
        Result<T> result = refused();
        ASSERT_TRUE(IsRefusal(result, code, field));
        const std::vector<app::Alert> alerts_after = StoredAlerts();
        ASSERT_EQ(alerts_after.size(), alerts_before.size());
        for (std::size_t i = 0; i < alerts_after.size(); ++i) {
            EXPECT_EQ(alerts_after[i].acknowledged_at, alerts_before[i].acknowledged_at);
            EXPECT_EQ(alerts_after[i].acknowledged_by, alerts_before[i].acknowledged_by);
            EXPECT_EQ(alerts_after[i].acknowledgement_note, alerts_before[i].acknowledgement_note);
        }
        const app::Patient patient_after = StoredPatient(patient_);
        EXPECT_EQ(patient_after.version, patient_before.version);
        EXPECT_EQ(patient_after.mrn, patient_before.mrn);
        EXPECT_EQ(patient_after.given_name, patient_before.given_name);
        EXPECT_EQ(patient_after.clinician, patient_before.clinician);
        EXPECT_EQ(Audit().size(), audit_before);
    }

    const Actor clinician_{std::string(kClinician), "10.0.0.9"};
    PatientId patient_;
};

TEST_P(AlertContractTest, HighSystolicRaisesAWarningForTheNamedClinician) {
    Result<app::RecordedVitalSign> recorded =
        clinic().patients.RecordVitalSign(nurse_, Systolic(patient_, 186), settings_);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    ASSERT_EQ(recorded->alerts.size(), 1u);
    const app::Alert& alert = recorded->alerts.front();
    EXPECT_GT(alert.id.value, 0);
    EXPECT_EQ(alert.patient, patient_);
    EXPECT_EQ(alert.rule, "systolic_high");
    EXPECT_EQ(alert.severity, AlertSeverity::kWarning);
    EXPECT_EQ(alert.message,
              "Blood pressure 186/80 mm[Hg]: Systolic BP 186 mm[Hg] is at or above the alert threshold of 180");
    EXPECT_NE(alert.source.find("monitoring.systolic_alert_at_or_above"), std::string::npos) << alert.source;
    EXPECT_EQ(alert.record_type, "vital_sign");
    EXPECT_EQ(alert.record_id, recorded->vital.id.value);
    EXPECT_EQ(alert.notify, kClinician);
    EXPECT_EQ(alert.raised_at, At(0));
    EXPECT_FALSE(alert.acknowledged_at.has_value());
    EXPECT_TRUE(alert.acknowledged_by.empty());

    const std::vector<app::Alert> stored = StoredAlerts();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].id, alert.id);
    EXPECT_EQ(stored[0].rule, alert.rule);
    EXPECT_EQ(stored[0].severity, alert.severity);
    EXPECT_EQ(stored[0].message, alert.message);
    EXPECT_EQ(stored[0].source, alert.source);
    EXPECT_EQ(stored[0].record_type, "vital_sign");
    EXPECT_EQ(stored[0].record_id, alert.record_id);
    EXPECT_EQ(stored[0].notify, kClinician);
    EXPECT_EQ(stored[0].raised_at, At(0));
    EXPECT_FALSE(stored[0].acknowledged_at.has_value());

    const std::vector<app::AuditEntry> audit = Audit();
    ASSERT_GE(audit.size(), 2u);
    EXPECT_EQ(audit[audit.size() - 2].action, "vital_sign.create");
    const app::AuditEntry& created = audit.back();
    EXPECT_EQ(created.action, "alert.create");
    EXPECT_EQ(created.record_type, "alert");
    EXPECT_EQ(created.record_id, alert.id.value);
    EXPECT_EQ(created.patient_id, patient_.value);
    EXPECT_EQ(created.actor, "nurse@clinic.example");
}

TEST_P(AlertContractTest, NormalVitalSignsRaiseNone) {
    for (const app::NewVitalSign& vital :
         {BloodPressure(patient_, 179, 109, At(-60)), Vital(patient_, "8867-4", 110, "/min"),
          Vital(patient_, "59408-5", 93, "%"), Vital(patient_, "9279-1", 10, "/min"),
          Vital(patient_, "8310-5", 39.5, "Cel")}) {
        Result<app::RecordedVitalSign> recorded = clinic().patients.RecordVitalSign(nurse_, vital, settings_);
        ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
        EXPECT_TRUE(recorded->alerts.empty()) << vital.loinc;
    }
    EXPECT_TRUE(StoredAlerts().empty());
    for (const std::string& action : AuditActions()) {
        EXPECT_NE(action, "alert.create");
    }
}

TEST_P(AlertContractTest, Phq9SuicidalityRaisesACriticalAlertForTheClinician) {
    const std::vector<int> answers = {1, 1, 0, 0, 0, 0, 0, 0, 2};
    Result<app::RecordedAssessment> recorded =
        clinic().patients.RecordAssessment(nurse_, patient_, clinical::Instrument::kPhq9, answers, At(-30), settings_);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    ASSERT_EQ(recorded->alerts.size(), 1u);
    const app::Alert& alert = recorded->alerts.front();
    EXPECT_EQ(alert.rule, "suicidality");
    EXPECT_EQ(alert.severity, AlertSeverity::kCritical);
    EXPECT_EQ(alert.message, "Suicidality: PHQ-9 item 9 is 2; a clinician must assess suicide risk");
    EXPECT_EQ(alert.record_type, "assessment");
    EXPECT_EQ(alert.record_id, recorded->assessment.id.value);
    EXPECT_EQ(alert.notify, kClinician);

    const std::vector<app::Alert> stored = StoredAlerts();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].severity, AlertSeverity::kCritical);
    EXPECT_EQ(stored[0].record_type, "assessment");
    const std::vector<std::string> actions = AuditActions();
    ASSERT_GE(actions.size(), 2u);
    EXPECT_EQ(actions[actions.size() - 2], "assessment.create");
    EXPECT_EQ(actions.back(), "alert.create");

    const std::vector<int> item9_zero = {3, 3, 3, 3, 3, 3, 3, 3, 0};
    Result<app::RecordedAssessment> quiet = clinic().patients.RecordAssessment(
        nurse_, patient_, clinical::Instrument::kPhq9, item9_zero, At(-20), settings_);
    ASSERT_TRUE(quiet.ok()) << quiet.error().ToString();
    EXPECT_TRUE(quiet->alerts.empty());
}

TEST_P(AlertContractTest, MoaasZeroIsCriticalAndAPatientWithoutAClinicianStillGetsTheAlert) {
    const PatientId unassigned = Register("MRN-2", "");
    const std::vector<int> unresponsive = {0};
    Result<app::RecordedAssessment> recorded = clinic().patients.RecordAssessment(
        nurse_, unassigned, clinical::Instrument::kMoaas, unresponsive, At(-10), settings_);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    ASSERT_EQ(recorded->alerts.size(), 1u);
    EXPECT_EQ(recorded->alerts[0].rule, "loss_of_consciousness");
    EXPECT_EQ(recorded->alerts[0].severity, AlertSeverity::kCritical);
    EXPECT_EQ(recorded->alerts[0].notify, "");
    ASSERT_EQ(StoredAlerts().size(), 1u);
    EXPECT_EQ(StoredAlerts()[0].notify, "");
}

TEST_P(AlertContractTest, ClinicSettingsMoveTheThresholds) {
    Result<app::RecordedVitalSign> at_default =
        clinic().patients.RecordVitalSign(nurse_, Systolic(patient_, 170), settings_);
    ASSERT_TRUE(at_default.ok());
    EXPECT_TRUE(at_default->alerts.empty());
    const std::vector<int> moaas_4 = {4};
    Result<app::RecordedAssessment> mild =
        clinic().patients.RecordAssessment(nurse_, patient_, clinical::Instrument::kMoaas, moaas_4, At(-5), settings_);
    ASSERT_TRUE(mild.ok());
    EXPECT_TRUE(mild->alerts.empty());

    const Actor admin{"admin@clinic.example", "10.0.0.1"};
    ASSERT_TRUE(clinic().settings.ChangeSetting(admin, "monitoring.systolic_alert_at_or_above", "160").ok());
    ASSERT_TRUE(clinic().settings.ChangeSetting(admin, "monitoring.moaas_sedation_at_or_below", "4").ok());
    Result<clinical::ClinicSettings> cautious = clinic().settings.LoadClinicSettings();
    ASSERT_TRUE(cautious.ok()) << cautious.error().ToString();

    Result<app::RecordedVitalSign> lowered =
        clinic().patients.RecordVitalSign(nurse_, Systolic(patient_, 170), *cautious);
    ASSERT_TRUE(lowered.ok());
    ASSERT_EQ(lowered->alerts.size(), 1u);
    EXPECT_EQ(lowered->alerts[0].message,
              "Blood pressure 170/80 mm[Hg]: Systolic BP 170 mm[Hg] is at or above the alert threshold of 160");
    Result<app::RecordedAssessment> sedated =
        clinic().patients.RecordAssessment(nurse_, patient_, clinical::Instrument::kMoaas, moaas_4, At(-4), *cautious);
    ASSERT_TRUE(sedated.ok());
    ASSERT_EQ(sedated->alerts.size(), 1u);
    EXPECT_EQ(sedated->alerts[0].rule, "sedation");
    EXPECT_EQ(sedated->alerts[0].severity, AlertSeverity::kWarning);
    EXPECT_EQ(StoredAlerts().size(), 2u);

    // Outside the safety bounds: refused, nothing stored.
    EXPECT_EQ(clinic().settings.ChangeSetting(admin, "monitoring.systolic_alert_at_or_above", "190").error().field,
              "monitoring.systolic_alert_at_or_above");
}

TEST_P(AlertContractTest, RefusedRecordingsRaiseNothing) {
    ExpectRefusedWritingNothing<app::RecordedVitalSign>(
        [&] { return clinic().patients.RecordVitalSign(nurse_, Systolic(patient_, 301), settings_); },
        ErrorCode::kOutOfRange, "systolic");
    ExpectRefusedWritingNothing<app::RecordedVitalSign>(
        [&] { return clinic().patients.RecordVitalSign(nurse_, Systolic(PatientId{999999}, 200), settings_); },
        ErrorCode::kNotFound, "patient_id");
    const std::vector<int> orphan_answers = {0, 0, 0, 0, 0, 0, 0, 0, 3};
    ExpectRefusedWritingNothing<app::RecordedAssessment>(
        [&] {
            return clinic().patients.RecordAssessment(nurse_, PatientId{999999}, clinical::Instrument::kPhq9,
                                                      orphan_answers, At(0), settings_);
        },
        ErrorCode::kNotFound, "patient_id");
}

TEST_P(AlertContractTest, APersonAcknowledgesOnce) {
    const app::Alert raised = RaiseOne(patient_);
    Result<app::Alert> acknowledged =
        clinic().alerts.Acknowledge(clinician_, raised.id, "Rechecked at 150/90.\nStable.");
    ASSERT_TRUE(acknowledged.ok()) << acknowledged.error().ToString();
    EXPECT_EQ(acknowledged->id, raised.id);
    EXPECT_EQ(acknowledged->acknowledged_at, At(0));
    EXPECT_EQ(acknowledged->acknowledged_by, kClinician);
    EXPECT_EQ(acknowledged->acknowledgement_note, "Rechecked at 150/90.\nStable.");
    EXPECT_EQ(acknowledged->message, raised.message);
    const std::vector<app::Alert> stored = StoredAlerts();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].acknowledged_at, At(0));
    EXPECT_EQ(stored[0].acknowledged_by, kClinician);
    EXPECT_EQ(stored[0].acknowledgement_note, "Rechecked at 150/90.\nStable.");
    const std::vector<app::AuditEntry> audit = Audit();
    EXPECT_EQ(audit.back().action, "alert.acknowledge");
    EXPECT_EQ(audit.back().actor, kClinician);
    EXPECT_EQ(audit.back().record_type, "alert");
    EXPECT_EQ(audit.back().record_id, raised.id.value);
    EXPECT_EQ(audit.back().patient_id, patient_.value);

    ExpectRefusedWritingNothing<app::Alert>([&] { return clinic().alerts.Acknowledge(nurse_, raised.id, "again"); },
                                            ErrorCode::kFailedPrecondition, "alert_id");
    EXPECT_EQ(clinic().alerts.Acknowledge(nurse_, raised.id, "").error().message,
              "alert " + std::to_string(raised.id.value) + " is already acknowledged by " + std::string(kClinician) +
                  "; an acknowledged alert never changes");
}

TEST_P(AlertContractTest, AcknowledgementRefusalsWriteNothing) {
    const app::Alert raised = RaiseOne(patient_);
    ExpectRefusedWritingNothing<app::Alert>(
        [&] {
            return clinic().alerts.Acknowledge(Actor{"system:monitor-3", "mllp:monitor-3"}, raised.id, "");
        },
        ErrorCode::kPermissionDenied, "actor");
    ExpectRefusedWritingNothing<app::Alert>(
        [&] {
            return clinic().alerts.Acknowledge(Actor{"", "cli"}, raised.id, "");
        },
        ErrorCode::kPermissionDenied, "actor");
    ExpectRefusedWritingNothing<app::Alert>(
        [&] { return clinic().alerts.Acknowledge(clinician_, raised.id, std::string(2001, 'x')); },
        ErrorCode::kInvalidArgument, "note");
    ExpectRefusedWritingNothing<app::Alert>(
        [&] { return clinic().alerts.Acknowledge(clinician_, raised.id, std::string("bell\a")); },
        ErrorCode::kInvalidArgument, "note");
    ExpectRefusedWritingNothing<app::Alert>(
        [&] { return clinic().alerts.Acknowledge(clinician_, AlertId{999999}, ""); }, ErrorCode::kNotFound, "alert_id");
    // The longest note is accepted, and an empty one too.
    EXPECT_TRUE(clinic().alerts.Acknowledge(clinician_, raised.id, std::string(2000, 'x')).ok());
    EXPECT_TRUE(clinic().alerts.Acknowledge(clinician_, RaiseOne(patient_).id, "").ok());
}

TEST_P(AlertContractTest, ListFiltersByPatientClinicianAndOpenStateInPages) {
    const std::string other_clinician = "dr.house@clinic.example";
    const PatientId other = Register("MRN-2", other_clinician);
    const app::Alert first = RaiseOne(patient_);
    const app::Alert second = RaiseOne(patient_);
    const app::Alert third = RaiseOne(other);
    ASSERT_TRUE(clinic().alerts.Acknowledge(clinician_, first.id, "").ok());

    app::AlertFilter by_patient;
    by_patient.patient = patient_;
    Result<std::vector<app::Alert>> mine = clinic().alerts.ListAlerts(clinician_, by_patient);
    ASSERT_TRUE(mine.ok()) << mine.error().ToString();
    ASSERT_EQ(mine->size(), 2u);
    EXPECT_EQ((*mine)[0].id, first.id);
    EXPECT_EQ((*mine)[1].id, second.id);

    app::AlertFilter by_clinician;
    by_clinician.notify = other_clinician;
    Result<std::vector<app::Alert>> theirs = clinic().alerts.ListAlerts(clinician_, by_clinician);
    ASSERT_TRUE(theirs.ok());
    ASSERT_EQ(theirs->size(), 1u);
    EXPECT_EQ((*theirs)[0].id, third.id);
    EXPECT_EQ((*theirs)[0].patient, other);

    app::AlertFilter open;
    open.open_only = true;
    Result<std::vector<app::Alert>> unacknowledged = clinic().alerts.ListAlerts(clinician_, open);
    ASSERT_TRUE(unacknowledged.ok());
    ASSERT_EQ(unacknowledged->size(), 2u);
    EXPECT_EQ((*unacknowledged)[0].id, second.id);
    EXPECT_EQ((*unacknowledged)[1].id, third.id);

    app::AlertFilter mine_open;
    mine_open.notify = std::string(kClinician);
    mine_open.open_only = true;
    Result<std::vector<app::Alert>> to_do = clinic().alerts.ListAlerts(clinician_, mine_open);
    ASSERT_TRUE(to_do.ok());
    ASSERT_EQ(to_do->size(), 1u);
    EXPECT_EQ((*to_do)[0].id, second.id);

    app::AlertFilter page;
    page.limit = 2;
    Result<std::vector<app::Alert>> page_one = clinic().alerts.ListAlerts(clinician_, page);
    ASSERT_TRUE(page_one.ok());
    ASSERT_EQ(page_one->size(), 2u);
    page.after_id = page_one->back().id.value;
    Result<std::vector<app::Alert>> page_two = clinic().alerts.ListAlerts(clinician_, page);
    ASSERT_TRUE(page_two.ok());
    ASSERT_EQ(page_two->size(), 1u);
    EXPECT_EQ((*page_two)[0].id, third.id);
    page.after_id = third.id.value;
    Result<std::vector<app::Alert>> past_the_end = clinic().alerts.ListAlerts(clinician_, page);
    ASSERT_TRUE(past_the_end.ok());
    EXPECT_TRUE(past_the_end->empty());

    const std::vector<app::AuditEntry> audit = Audit();
    EXPECT_EQ(audit.back().action, "alert.list");
    EXPECT_EQ(audit.back().actor, kClinician);

    app::AlertFilter too_big;
    too_big.limit = app::kMaxPageSize + 1;
    ExpectRefusedWritingNothing<std::vector<app::Alert>>(
        [&] { return clinic().alerts.ListAlerts(clinician_, too_big); }, ErrorCode::kOutOfRange, "limit");
    app::AlertFilter none;
    none.limit = 0;
    ExpectRefusedWritingNothing<std::vector<app::Alert>>([&] { return clinic().alerts.ListAlerts(clinician_, none); },
                                                         ErrorCode::kOutOfRange, "limit");
    app::AlertFilter unknown;
    unknown.patient = PatientId{999999};
    ExpectRefusedWritingNothing<std::vector<app::Alert>>(
        [&] { return clinic().alerts.ListAlerts(clinician_, unknown); }, ErrorCode::kNotFound, "patient_id");
}

TEST_P(AlertContractTest, UpdatePatientChangesDemographicsAndTheClinicianNotified) {
    const app::Alert before = RaiseOne(patient_);
    app::Patient changed = StoredPatient(patient_);
    changed.mrn = "MRN-1B";
    changed.given_name = "Augusta";
    changed.family_name = "King";
    changed.birth_date = sys_days{year{1981} / 12 / 10};
    changed.sex = clinical::Sex::kOther;
    changed.clinician = "dr.house@clinic.example";
    Result<app::Patient> updated = clinic().patients.UpdatePatient(nurse_, changed);
    ASSERT_TRUE(updated.ok()) << updated.error().ToString();
    EXPECT_EQ(updated->version, 2);
    EXPECT_EQ(updated->mrn, "MRN-1B");
    EXPECT_EQ(updated->created_by, "nurse@clinic.example");

    const app::Patient stored = StoredPatient(patient_);
    EXPECT_EQ(stored.version, 2);
    EXPECT_EQ(stored.mrn, "MRN-1B");
    EXPECT_EQ(stored.given_name, "Augusta");
    EXPECT_EQ(stored.family_name, "King");
    EXPECT_EQ(stored.birth_date, (sys_days{year{1981} / 12 / 10}));
    EXPECT_EQ(stored.sex, clinical::Sex::kOther);
    EXPECT_EQ(stored.clinician, "dr.house@clinic.example");
    const std::vector<app::AuditEntry> audit = Audit();
    EXPECT_EQ(audit.back().action, "patient.update");
    EXPECT_EQ(audit.back().record_id, patient_.value);
    EXPECT_EQ(audit.back().patient_id, patient_.value);

    // New alerts go to the clinician named now; one raised before keeps the clinician it was raised for.
    const app::Alert after = RaiseOne(patient_);
    EXPECT_EQ(after.notify, "dr.house@clinic.example");
    const std::vector<app::Alert> alerts = StoredAlerts();
    ASSERT_EQ(alerts.size(), 2u);
    EXPECT_EQ(alerts[0].id, before.id);
    EXPECT_EQ(alerts[0].notify, kClinician);

    // The clinician may be cleared.
    app::Patient unassigned = stored;
    unassigned.clinician.clear();
    Result<app::Patient> cleared = clinic().patients.UpdatePatient(nurse_, unassigned);
    ASSERT_TRUE(cleared.ok()) << cleared.error().ToString();
    EXPECT_EQ(StoredPatient(patient_).clinician, "");
}

TEST_P(AlertContractTest, UpdatePatientRefusalsWriteNothing) {
    const PatientId other = Register("MRN-2", "");
    const app::Patient current = StoredPatient(patient_);

    app::Patient stale = current;
    stale.version = current.version + 1;
    stale.given_name = "Stale";
    ExpectRefusedWritingNothing<app::Patient>([&] { return clinic().patients.UpdatePatient(nurse_, stale); },
                                              ErrorCode::kConflict, "version");
    app::Patient edited = current;
    edited.family_name = "First";
    ASSERT_TRUE(clinic().patients.UpdatePatient(nurse_, edited).ok());
    ExpectRefusedWritingNothing<app::Patient>([&] { return clinic().patients.UpdatePatient(nurse_, edited); },
                                              ErrorCode::kConflict, "version");

    app::Patient clash = StoredPatient(patient_);
    clash.mrn = "MRN-2";
    ExpectRefusedWritingNothing<app::Patient>([&] { return clinic().patients.UpdatePatient(nurse_, clash); },
                                              ErrorCode::kConflict, "mrn");
    EXPECT_EQ(StoredPatient(other).mrn, "MRN-2");

    const app::Patient fresh = StoredPatient(patient_);
    const std::vector<std::pair<std::function<void(app::Patient&)>, std::string>> invalid = {
        {[](app::Patient& p) { p.given_name.clear(); }, "given_name"},
        {[](app::Patient& p) { p.mrn = std::string(65, 'M'); }, "mrn"},
        {[](app::Patient& p) { p.family_name = "Tab\there"; }, "family_name"},
        {[](app::Patient& p) { p.birth_date = sys_days{year{2030} / 1 / 1}; }, "birth_date"},
        {[](app::Patient& p) { p.clinician = "not-an-email"; }, "clinician"},
        {[](app::Patient& p) { p.clinician = "dr grey@clinic.example"; }, "clinician"},
        {[](app::Patient& p) { p.clinician = "@clinic.example"; }, "clinician"},
    };
    for (const auto& [change, field] : invalid) {
        app::Patient bad = fresh;
        change(bad);
        ExpectRefusedWritingNothing<app::Patient>([&] { return clinic().patients.UpdatePatient(nurse_, bad); },
                                                  ErrorCode::kInvalidArgument, field);
    }
    app::Patient missing = fresh;
    missing.id = PatientId{999999};
    ExpectRefusedWritingNothing<app::Patient>([&] { return clinic().patients.UpdatePatient(nurse_, missing); },
                                              ErrorCode::kNotFound, "patient_id");
}

TEST_P(AlertContractTest, RegisterRefusesAClinicianThatIsNotAnEmail) {
    Result<app::Patient> refused = clinic().patients.RegisterPatient(nurse_, WithClinician("MRN-3", "Dr Grey"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().ToString(), "clinician: must be a user's email address, or empty when none is named");
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::optional<app::Patient>> found = tx.FindPatientByMrn("MRN-3");
        EXPECT_TRUE(found.ok() && !found->has_value());
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
    const app::Patient registered = StoredPatient(patient_);
    EXPECT_EQ(registered.clinician, kClinician);
}

TEST_P(AlertContractTest, WeightHistoryIsReadOldestFirstAndAudited) {
    ASSERT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, At(-100), 70.5, false, settings_).ok());
    ASSERT_TRUE(clinic().patients.RecordWeight(nurse_, patient_, At(-200), 71.0, false, settings_).ok());
    Result<std::vector<app::WeightMeasurement>> weights = clinic().patients.ListWeights(clinician_, patient_);
    ASSERT_TRUE(weights.ok()) << weights.error().ToString();
    ASSERT_EQ(weights->size(), 2u);
    EXPECT_EQ((*weights)[0].weight_kg, 71.0);
    EXPECT_EQ((*weights)[0].measured_at, At(-200));
    EXPECT_EQ((*weights)[1].weight_kg, 70.5);
    EXPECT_EQ((*weights)[1].recorded_by, "nurse@clinic.example");
    const std::vector<app::AuditEntry> audit = Audit();
    EXPECT_EQ(audit.back().action, "weight.list");
    EXPECT_EQ(audit.back().actor, kClinician);
    EXPECT_EQ(audit.back().patient_id, patient_.value);
    ExpectRefusedWritingNothing<std::vector<app::WeightMeasurement>>(
        [&] { return clinic().patients.ListWeights(clinician_, PatientId{999999}); }, ErrorCode::kNotFound,
        "patient_id");
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
