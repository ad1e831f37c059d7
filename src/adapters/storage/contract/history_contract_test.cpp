// The storage contract for the clinic record's second slice (patient history, screenings, clinic settings): every
// case runs against a real SQLite file and a real PostgreSQL server, through the app layer's use cases, as in
// store_contract_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::PatientId;
using app::ScreeningId;
using std::chrono::sys_days;
using std::chrono::year;

clinical::AntidepressantTrial Trial(const std::string& drug, double improvement_percent) {
    return clinical::AntidepressantTrial{drug, 8, true, improvement_percent, true};
}

class HistoryContractTest : public UseCaseTest {
protected:
    using UseCaseTest::Register;
    PatientId Register(const std::string& mrn, sys_days birth_date) {
        app::NewPatient patient = NewPatient(mrn);
        patient.birth_date = birth_date;
        return Register(patient);
    }

    // A patient who qualifies as treatment resistant: MDD and two adequate failed trials in this episode.
    PatientId RegisterScreenablePatient() {
        const PatientId patient = Register("MRN-S");
        EXPECT_TRUE(clinic().history.AddDiagnosis(nurse_, patient, "F33.2").ok());
        EXPECT_TRUE(clinic().history.AddMedication(nurse_, patient, "sertraline").ok());
        EXPECT_TRUE(clinic().history.AddAntidepressantTrial(nurse_, patient, Trial("sertraline", 10), {}, {}).ok());
        EXPECT_TRUE(clinic().history.AddAntidepressantTrial(nurse_, patient, Trial("escitalopram", 5), {}, {}).ok());
        EXPECT_TRUE(clinic().patients.RecordWeight(nurse_, patient, At(-60), 70.5, false, settings_).ok());
        return patient;
    }

    app::IntakeExtras Extras() {
        app::IntakeExtras extras;
        extras.pregnant = false;
        extras.blood_pressure = clinical::BloodPressure{150, 95};  // above 140/90: a caution
        extras.heart_rate_per_min = 80;
        return extras;
    }

    const Actor therapist_{"therapist@clinic.example", "10.0.0.9"};
};

TEST_P(HistoryContractTest, RecordsEachKindOfHistoryAndReadsItBack) {
    const PatientId patient = Register("MRN-1");
    Result<app::HistoryEntry> diagnosis = clinic().history.AddDiagnosis(nurse_, patient, "f332");
    ASSERT_TRUE(diagnosis.ok()) << diagnosis.error().ToString();
    EXPECT_EQ(diagnosis->value, "F33.2");  // stored in canonical form
    EXPECT_EQ(diagnosis->noted_at, At(0));
    EXPECT_EQ(diagnosis->noted_by, "nurse@clinic.example");
    ASSERT_TRUE(clinic().history.AddCondition(nurse_, patient, "I10").ok());
    ASSERT_TRUE(clinic().history.AddAllergy(nurse_, patient, "latex").ok());
    ASSERT_TRUE(clinic().history.AddMedication(nurse_, patient, "olanzapine/fluoxetine").ok());
    const sys_days started{year{2025} / 1 / 6};
    const sys_days ended{year{2025} / 3 / 3};
    clinical::AntidepressantTrial sertraline{"sertraline", 8, true, -12.5, false};
    Result<app::TrialRecord> trial =
        clinic().history.AddAntidepressantTrial(nurse_, patient, sertraline, started, ended);
    ASSERT_TRUE(trial.ok()) << trial.error().ToString();
    ASSERT_TRUE(clinic().history.AddAntidepressantTrial(nurse_, patient, Trial("bupropion xl", 0), started, {}).ok());

    Result<app::PatientHistory> read = clinic().history.History(nurse_, patient);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    ASSERT_EQ(read->diagnoses.size(), 1u);
    EXPECT_EQ(read->diagnoses[0].id, diagnosis->id);
    EXPECT_EQ(read->diagnoses[0].value, "F33.2");
    EXPECT_EQ(read->diagnoses[0].noted_at, At(0));
    EXPECT_EQ(read->diagnoses[0].noted_by, "nurse@clinic.example");
    ASSERT_EQ(read->conditions.size(), 1u);
    EXPECT_EQ(read->conditions[0].value, "I10");
    ASSERT_EQ(read->allergies.size(), 1u);
    EXPECT_EQ(read->allergies[0].value, "latex");
    ASSERT_EQ(read->medications.size(), 1u);
    EXPECT_EQ(read->medications[0].value, "olanzapine/fluoxetine");
    ASSERT_EQ(read->antidepressant_trials.size(), 2u);
    const app::TrialRecord& first = read->antidepressant_trials[0];
    EXPECT_EQ(first.id, trial->id);
    EXPECT_EQ(first.trial.drug, "sertraline");
    EXPECT_EQ(first.trial.weeks, 8);
    EXPECT_TRUE(first.trial.adequate_dose);
    EXPECT_EQ(first.trial.improvement_percent, -12.5);
    EXPECT_FALSE(first.trial.current_episode);
    EXPECT_EQ(first.started_on, started);
    EXPECT_EQ(first.ended_on, ended);
    EXPECT_EQ(first.recorded_by, "nurse@clinic.example");
    EXPECT_EQ(read->antidepressant_trials[1].trial.drug, "bupropion xl");
    EXPECT_EQ(read->antidepressant_trials[1].trial.improvement_percent, 0.0);
    EXPECT_FALSE(read->antidepressant_trials[1].ended_on.has_value());

    const std::vector<std::string> expected = {"patient.create",
                                               "diagnosis.create",
                                               "condition.create",
                                               "allergy.create",
                                               "medication.create",
                                               "antidepressant_trial.create",
                                               "antidepressant_trial.create",
                                               "history.read"};
    EXPECT_EQ(AuditActions(patient.value), expected);
}

TEST_P(HistoryContractTest, RefusedHistoryInputWritesNothing) {
    const PatientId patient = Register("MRN-1");
    Result<app::HistoryEntry> bad_code = clinic().history.AddDiagnosis(nurse_, patient, "F3X!");
    ASSERT_FALSE(bad_code.ok());
    EXPECT_EQ(bad_code.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(bad_code.error().field, "code");
    EXPECT_EQ(clinic().history.AddCondition(nurse_, patient, "").error().field, "code");
    EXPECT_EQ(clinic().history.AddAllergy(nurse_, patient, " ").error().field, "substance");
    EXPECT_EQ(clinic().history.AddMedication(nurse_, patient, "/").error().field, "generic_name");
    EXPECT_EQ(clinic().history.AddMedication(nurse_, patient, "a\nb").error().field, "generic_name");
    clinical::AntidepressantTrial endless = Trial("sertraline", 0);
    endless.weeks = 521;
    Result<app::TrialRecord> too_long = clinic().history.AddAntidepressantTrial(nurse_, patient, endless, {}, {});
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.error().code, ErrorCode::kOutOfRange);
    EXPECT_EQ(too_long.error().field, "weeks");
    EXPECT_EQ(clinic().history.AddAntidepressantTrial(nurse_, patient, Trial("", 0), {}, {}).error().field, "drug");
    EXPECT_EQ(clinic()
                  .history
                  .AddAntidepressantTrial(nurse_, patient, Trial("sertraline", 0), sys_days{year{2025} / 3 / 1},
                                          sys_days{year{2025} / 2 / 1})
                  .error()
                  .field,
              "ended_on");
    EXPECT_EQ(
        clinic()
            .history.AddAntidepressantTrial(nurse_, patient, Trial("sertraline", 0), sys_days{year{2027} / 1 / 1}, {})
            .error()
            .field,
        "started_on");

    const PatientId unknown{999999};
    EXPECT_EQ(clinic().history.AddDiagnosis(nurse_, unknown, "F33.2").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(clinic().history.AddAllergy(nurse_, unknown, "latex").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(clinic().history.AddAntidepressantTrial(nurse_, unknown, Trial("sertraline", 0), {}, {}).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(clinic().history.History(nurse_, unknown).error().code, ErrorCode::kNotFound);

    EXPECT_EQ(AuditActions(std::nullopt), std::vector<std::string>{"patient.create"});
    Result<app::PatientHistory> read = clinic().history.History(nurse_, patient);
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->diagnoses.empty() && read->conditions.empty() && read->allergies.empty() &&
                read->medications.empty() && read->antidepressant_trials.empty());
}

TEST_P(HistoryContractTest, ScreensTheStoredHistoryAndRoundTripsSnapshotAndFindings) {
    const PatientId patient = RegisterScreenablePatient();
    ASSERT_TRUE(clinic().history.AddDiagnosis(nurse_, patient, "F332").ok());  // noted twice, screened once
    Result<app::ScreeningRecord> screened =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kEsketamineNasal, Extras(), {});
    ASSERT_TRUE(screened.ok()) << screened.error().ToString();
    EXPECT_GT(screened->id.value, 0);
    EXPECT_FALSE(screened->signature.has_value());
    const clinical::Intake& intake = screened->inputs;
    EXPECT_EQ(intake.age_years, 46);  // born 1980-03-14, screened 2026-09-21
    EXPECT_EQ(intake.sex, clinical::Sex::kFemale);
    EXPECT_EQ(intake.weight_kg, 70.5);  // the latest recorded weight
    EXPECT_EQ(intake.product, clinical::Product::kEsketamineNasal);
    EXPECT_EQ(intake.diagnoses, std::vector<std::string>{"F33.2"});
    EXPECT_EQ(intake.medications, std::vector<std::string>{"sertraline"});
    ASSERT_EQ(intake.antidepressant_trials.size(), 2u);
    EXPECT_TRUE(screened->result.treatment_resistant);
    EXPECT_EQ(screened->result.adequate_failed_trials, 2);
    ASSERT_FALSE(screened->result.findings.empty());
    EXPECT_NE(screened->result.decision, clinical::Decision::kEligible);  // the BP caution at least

    Result<app::ScreeningRecord> stored = clinic().history.GetScreening(nurse_, screened->id);
    ASSERT_TRUE(stored.ok()) << stored.error().ToString();
    EXPECT_EQ(stored->patient, patient);
    EXPECT_EQ(stored->screened_at, At(0));
    EXPECT_EQ(stored->screened_by, "nurse@clinic.example");
    EXPECT_FALSE(stored->signature.has_value());
    const clinical::Intake& back = stored->inputs;
    EXPECT_EQ(back.age_years, intake.age_years);
    EXPECT_EQ(back.sex, intake.sex);
    EXPECT_EQ(back.pregnant, std::optional<bool>{false});
    EXPECT_EQ(back.weight_kg, intake.weight_kg);
    EXPECT_EQ(back.product, intake.product);
    EXPECT_EQ(back.diagnoses, intake.diagnoses);
    EXPECT_EQ(back.medications, intake.medications);
    ASSERT_TRUE(back.blood_pressure.has_value());
    EXPECT_EQ(back.blood_pressure->systolic_mmhg, 150);
    EXPECT_EQ(back.blood_pressure->diastolic_mmhg, 95);
    EXPECT_EQ(back.heart_rate_per_min, 80);
    ASSERT_EQ(back.antidepressant_trials.size(), 2u);
    EXPECT_EQ(back.antidepressant_trials[1].drug, "escitalopram");
    EXPECT_EQ(back.antidepressant_trials[1].improvement_percent, 5.0);
    EXPECT_EQ(stored->result.decision, screened->result.decision);
    EXPECT_EQ(stored->result.adequate_failed_trials, 2);
    EXPECT_EQ(stored->result.counted_trial_drugs, screened->result.counted_trial_drugs);
    EXPECT_TRUE(stored->result.treatment_resistant);
    EXPECT_EQ(stored->result.indication_established, screened->result.indication_established);
    ASSERT_EQ(stored->result.findings.size(), screened->result.findings.size());
    for (std::size_t i = 0; i < stored->result.findings.size(); ++i) {
        const clinical::Finding& expected = screened->result.findings[i];
        const clinical::Finding& actual = stored->result.findings[i];
        EXPECT_EQ(actual.rule_id, expected.rule_id) << i;
        EXPECT_EQ(actual.severity, expected.severity) << i;
        EXPECT_EQ(actual.message, expected.message) << i;
        EXPECT_EQ(actual.source, expected.source) << i;
    }
    const std::vector<std::string> actions = AuditActions(patient.value);
    ASSERT_GE(actions.size(), 2u);
    EXPECT_EQ(actions[actions.size() - 2], "screening.create");
    EXPECT_EQ(actions.back(), "screening.read");

    // Age counts whole years: the day before the 46th birthday is still 45.
    const PatientId younger = Register("MRN-Y", sys_days{year{1980} / 9 / 22});
    Result<app::ScreeningRecord> young =
        clinic().history.ScreenPatient(nurse_, younger, clinical::Product::kKetamineIv, {}, {});
    ASSERT_TRUE(young.ok()) << young.error().ToString();
    EXPECT_EQ(young->inputs.age_years, 45);
    EXPECT_FALSE(young->inputs.weight_kg.has_value());  // none recorded, none given
}

std::vector<std::string> RuleIds(const std::vector<clinical::Finding>& findings) {
    std::vector<std::string> ids;
    for (const clinical::Finding& finding : findings) {
        ids.push_back(finding.rule_id);
    }
    return ids;
}

std::optional<std::string> SettingIn(const app::ScreeningRecord& screening, const std::string& name) {
    for (const clinical::SettingValue& setting : screening.settings) {
        if (setting.name == name) {
            return setting.value;
        }
    }
    return std::nullopt;
}

// Issue 15 §7: a screening keeps the thresholds it ran with, so reading it after the clinic moved one re-explains the
// same findings with the old thresholds.
TEST_P(HistoryContractTest, AScreeningKeepsTheSettingsItRanWithAfterAThresholdChanges) {
    const PatientId patient = RegisterScreenablePatient();
    Result<app::ScreeningRecord> screened =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kEsketamineNasal, Extras(), settings_);
    ASSERT_TRUE(screened.ok()) << screened.error().ToString();
    const std::vector<std::string> findings = RuleIds(screened->result.findings);
    ASSERT_NE(std::find(findings.begin(), findings.end(), "bp.elevated"), findings.end());  // 150/95 above 140/90
    EXPECT_EQ(screened->settings, clinical::ScreeningSettingsOf(settings_));

    // 150/95 is no caution once the clinic's caution gate is 160/100.
    ASSERT_TRUE(clinic().settings.ChangeSetting(admin_, "screening.intake_bp_caution_systolic", "160").ok());
    Result<clinical::ClinicSettings> changed =
        clinic().settings.ChangeSetting(admin_, "screening.intake_bp_caution_diastolic", "100");
    ASSERT_TRUE(changed.ok()) << changed.error().ToString();
    Result<app::ScreeningRecord> rescreened =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kEsketamineNasal, Extras(), *changed);
    ASSERT_TRUE(rescreened.ok()) << rescreened.error().ToString();
    const std::vector<std::string> now_findings = RuleIds(rescreened->result.findings);
    EXPECT_EQ(std::find(now_findings.begin(), now_findings.end(), "bp.elevated"), now_findings.end());
    EXPECT_EQ(SettingIn(*rescreened, "screening.intake_bp_caution_systolic"), "160");

    Result<app::ScreeningRecord> stored = clinic().history.GetScreening(nurse_, screened->id);
    ASSERT_TRUE(stored.ok()) << stored.error().ToString();
    EXPECT_EQ(RuleIds(stored->result.findings), findings);
    EXPECT_EQ(stored->result.decision, screened->result.decision);
    EXPECT_EQ(stored->settings, screened->settings);
    EXPECT_EQ(SettingIn(*stored, "screening.intake_bp_caution_systolic"), "140");
    EXPECT_EQ(SettingIn(*stored, "screening.intake_bp_caution_diastolic"), "90");
    EXPECT_EQ(SettingIn(*stored, "region"), "us");
    EXPECT_FALSE(SettingIn(*stored, "monitoring.spo2_alert_below").has_value());  // only what the screening read

    // A screening stored before the snapshot existed (migration 0030) reads back with none, not as corrupt.
    ASSERT_TRUE(
        ExecuteDirectly("UPDATE screenings SET settings = '' WHERE id = " + std::to_string(screened->id.value)).ok());
    Result<app::ScreeningRecord> older = clinic().history.GetScreening(nurse_, screened->id);
    ASSERT_TRUE(older.ok()) << older.error().ToString();
    EXPECT_TRUE(older->settings.empty());
}

TEST_P(HistoryContractTest, RefusedScreeningWritesNothing) {
    const PatientId patient = RegisterScreenablePatient();
    const std::size_t audited = AuditActions(std::nullopt).size();
    Result<app::ScreeningRecord> orphan =
        clinic().history.ScreenPatient(nurse_, PatientId{999999}, clinical::Product::kKetamineIv, Extras(), {});
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
    app::IntakeExtras racing = Extras();
    racing.heart_rate_per_min = 400;
    Result<app::ScreeningRecord> impossible =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kKetamineIv, racing, {});
    ASSERT_FALSE(impossible.ok());
    EXPECT_EQ(impossible.error().code, ErrorCode::kOutOfRange);
    EXPECT_EQ(AuditActions(std::nullopt).size(), audited);
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        EXPECT_EQ(tx.GetScreening(ScreeningId{1}).error().code, ErrorCode::kNotFound);
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
}

TEST_P(HistoryContractTest, ListsAPatientsScreeningsOldestFirstAndAuditsTheListing) {
    const PatientId patient = RegisterScreenablePatient();
    const PatientId other = Register("MRN-O");
    Result<app::ScreeningRecord> first =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kKetamineIv, Extras(), {});
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    ASSERT_TRUE(clinic().history.ScreenPatient(nurse_, other, clinical::Product::kKetamineIv, {}, {}).ok());
    Result<app::ScreeningRecord> second =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kEsketamineNasal, Extras(), {});
    ASSERT_TRUE(second.ok()) << second.error().ToString();
    ASSERT_TRUE(clinic().history.SignScreening(prescriber_, first->id, app::SignOff::kAccepted, "").ok());

    Result<std::vector<app::ScreeningRecord>> listed = clinic().history.ListScreenings(therapist_, patient);
    ASSERT_TRUE(listed.ok()) << listed.error().ToString();
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id, first->id);
    ASSERT_TRUE((*listed)[0].signature.has_value());
    EXPECT_EQ((*listed)[0].signature->signed_by, "doctor@clinic.example");
    EXPECT_EQ((*listed)[1].id, second->id);
    EXPECT_EQ((*listed)[1].inputs.product, clinical::Product::kEsketamineNasal);
    EXPECT_FALSE((*listed)[1].signature.has_value());
    const std::vector<app::AuditEntry> audit = ReadAudit(store(), patient.value);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "screening.list");
    EXPECT_EQ(audit.back().actor, "therapist@clinic.example");

    const std::size_t audited = AuditActions(std::nullopt).size();
    Result<std::vector<app::ScreeningRecord>> missing = clinic().history.ListScreenings(nurse_, PatientId{999999});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(AuditActions(std::nullopt).size(), audited);
}

TEST_P(HistoryContractTest, SignsOnceAndAnOverrideNeedsAReason) {
    const PatientId patient = RegisterScreenablePatient();
    Result<app::ScreeningRecord> screened =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kEsketamineNasal, Extras(), {});
    ASSERT_TRUE(screened.ok()) << screened.error().ToString();
    const std::size_t audited = AuditActions(std::nullopt).size();

    Result<app::ScreeningRecord> unexplained =
        clinic().history.SignScreening(prescriber_, screened->id, app::SignOff::kOverridden, "  ");
    ASSERT_FALSE(unexplained.ok());
    EXPECT_EQ(unexplained.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(unexplained.error().field, "reason");
    EXPECT_EQ(
        clinic().history.SignScreening(prescriber_, ScreeningId{999999}, app::SignOff::kAccepted, "").error().code,
        ErrorCode::kNotFound);
    EXPECT_EQ(AuditActions(std::nullopt).size(), audited);  // nothing written by either refusal

    Result<app::ScreeningRecord> overridden = clinic().history.SignScreening(
        prescriber_, screened->id, app::SignOff::kOverridden, "BP rechecked at 132/84 after rest");
    ASSERT_TRUE(overridden.ok()) << overridden.error().ToString();
    ASSERT_TRUE(overridden->signature.has_value());
    EXPECT_EQ(overridden->signature->signed_by, "doctor@clinic.example");

    Result<app::ScreeningRecord> again =
        clinic().history.SignScreening(nurse_, screened->id, app::SignOff::kAccepted, "");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(again.error().message,
              "screening " + std::to_string(screened->id.value) +
                  " is already signed by doctor@clinic.example; a signed screening is never edited");
    // The store itself refuses a second signature, whoever calls it.
    Status direct = store().Write([&](app::StoreTransaction& tx) {
        return tx.SignScreening(screened->id, app::ScreeningSignature{app::SignOff::kAccepted, "", At(5), "x"});
    });
    ASSERT_FALSE(direct.ok());
    EXPECT_EQ(direct.error().code, ErrorCode::kFailedPrecondition);

    Result<app::ScreeningRecord> stored = clinic().history.GetScreening(nurse_, screened->id);
    ASSERT_TRUE(stored.ok());
    ASSERT_TRUE(stored->signature.has_value());
    EXPECT_EQ(stored->signature->sign_off, app::SignOff::kOverridden);
    EXPECT_EQ(stored->signature->reason, "BP rechecked at 132/84 after rest");
    EXPECT_EQ(stored->signature->signed_at, At(0));
    EXPECT_EQ(stored->signature->signed_by, "doctor@clinic.example");
    EXPECT_EQ(stored->result.findings.size(), screened->result.findings.size());
    const std::vector<std::string> actions = AuditActions(patient.value);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "screening.sign"), 1);

    Result<app::ScreeningRecord> second =
        clinic().history.ScreenPatient(nurse_, patient, clinical::Product::kEsketamineNasal, Extras(), {});
    ASSERT_TRUE(second.ok());
    Result<app::ScreeningRecord> accepted =
        clinic().history.SignScreening(prescriber_, second->id, app::SignOff::kAccepted, "");
    ASSERT_TRUE(accepted.ok()) << accepted.error().ToString();
    EXPECT_EQ(accepted->signature->sign_off, app::SignOff::kAccepted);
}

TEST_P(HistoryContractTest, ChangesSettingsOnlyWithinTheirBounds) {
    Result<clinical::ClinicSettings> defaults = clinic().settings.LoadClinicSettings();
    ASSERT_TRUE(defaults.ok()) << defaults.error().ToString();
    EXPECT_EQ(defaults->screening.trd_min_trial_weeks, 6);

    Result<clinical::ClinicSettings> changed =
        clinic().settings.ChangeSetting(prescriber_, "screening.trd_min_trial_weeks", "8");
    ASSERT_TRUE(changed.ok()) << changed.error().ToString();
    EXPECT_EQ(changed->screening.trd_min_trial_weeks, 8);
    ASSERT_TRUE(clinic().settings.ChangeSetting(prescriber_, "dose.iv_max_mg_per_kg", "0.80").ok());

    Result<clinical::ClinicSettings> out_of_bounds =
        clinic().settings.ChangeSetting(prescriber_, "screening.trd_min_trial_weeks", "9");
    ASSERT_FALSE(out_of_bounds.ok());
    EXPECT_EQ(out_of_bounds.error().code, ErrorCode::kOutOfRange);
    EXPECT_EQ(out_of_bounds.error().field, "screening.trd_min_trial_weeks");
    EXPECT_EQ(clinic().settings.ChangeSetting(prescriber_, "screening.no_such_setting", "1").error().code,
              ErrorCode::kNotFound);
    ASSERT_TRUE(clinic().settings.ChangeSetting(prescriber_, "dose.im_max_mg_per_kg", "0.5").ok());
    // Within its own bounds but inconsistent with another setting: the IV ceiling may not go below the IM one.
    EXPECT_EQ(clinic().settings.ChangeSetting(prescriber_, "dose.iv_max_mg_per_kg", "0.4").error().field,
              "dose.im_max_mg_per_kg");

    Result<clinical::ClinicSettings> loaded = clinic().settings.LoadClinicSettings();
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    EXPECT_EQ(loaded->screening.trd_min_trial_weeks, 8);
    EXPECT_EQ(loaded->dose.iv_max_mg_per_kg, 0.8);
    EXPECT_EQ(loaded->dose.im_max_mg_per_kg, 0.5);
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::vector<std::pair<std::string, std::string>>> stored = tx.LoadSettings();
        EXPECT_TRUE(stored.ok());
        if (stored.ok()) {
            const std::vector<std::pair<std::string, std::string>> expected = {
                {"dose.im_max_mg_per_kg", "0.5"},
                {"dose.iv_max_mg_per_kg", "0.8"},  // canonical text, not the "0.80" typed
                {"screening.trd_min_trial_weeks", "8"}};
            EXPECT_EQ(*stored, expected);
        }
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
    EXPECT_EQ(AuditActions(std::nullopt),
              (std::vector<std::string>{"setting.change", "setting.change", "setting.change"}));
    // Each entry names the setting and its value before and after (the default when no override was stored),
    // in canonical text; the refused changes wrote none.
    std::vector<std::string> details;
    for (const app::AuditEntry& entry : ReadAudit(store())) {
        details.push_back(entry.detail);
    }
    EXPECT_EQ(details, (std::vector<std::string>{"name=screening.trd_min_trial_weeks from=6 to=8",
                                                 "name=dose.iv_max_mg_per_kg from=1 to=0.8",
                                                 "name=dose.im_max_mg_per_kg from=0.5 to=0.5"}));
}

TEST_P(HistoryContractTest, AStoredOverrideThatNoLongerValidatesIsNamedAndRepairable) {
    Status saved = store().Write([&](app::StoreTransaction& tx) {
        return tx.SaveSetting("screening.trd_min_trial_weeks", "99", At(0), "an older release");
    });
    ASSERT_TRUE(saved.ok()) << saved.error().ToString();
    Result<clinical::ClinicSettings> broken = clinic().settings.LoadClinicSettings();
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(broken.error().field, "screening.trd_min_trial_weeks");
    EXPECT_NE(broken.error().message.find("\"99\""), std::string::npos) << broken.error().message;
    // Another change cannot proceed on settings that do not load...
    EXPECT_EQ(clinic().settings.ChangeSetting(prescriber_, "screening.trd_failure_below_percent", "30").error().field,
              "screening.trd_min_trial_weeks");
    // ...but changing the broken one repairs it.
    ASSERT_TRUE(clinic().settings.ChangeSetting(prescriber_, "screening.trd_min_trial_weeks", "4").ok());
    Result<clinical::ClinicSettings> repaired = clinic().settings.LoadClinicSettings();
    ASSERT_TRUE(repaired.ok()) << repaired.error().ToString();
    EXPECT_EQ(repaired->screening.trd_min_trial_weeks, 4);
}

INSTANTIATE_TEST_SUITE_P(Backends, HistoryContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
