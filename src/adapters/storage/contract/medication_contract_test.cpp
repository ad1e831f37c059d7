// The drug dictionary through the screening use case (app::HistoryRecords::ScreenPatient), on a real SQLite file
// and a real PostgreSQL server: medications and trials noted under brand names screen as their generic
// ingredients, augmentation agents are no antidepressant trials, and a drug the dictionary does not know raises a
// review instead of passing in silence; the stored screening says the same as the one returned.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;

class MedicationContractTest : public UseCaseTest {
protected:
    // A patient with MDD, `medications` noted as written and an adequate failed 8-week trial of each `trials` drug.
    PatientId RegisterWithHistory(const std::string& mrn, const std::vector<std::string>& medications,
                                  const std::vector<std::string>& trials) {
        const PatientId patient = Register(mrn);
        EXPECT_TRUE(clinic().history.AddDiagnosis(nurse_, patient, "F33.2").ok());
        for (const std::string& medication : medications) {
            Result<app::HistoryEntry> noted = clinic().history.AddMedication(nurse_, patient, medication);
            EXPECT_TRUE(noted.ok()) << medication << ": " << noted.error().ToString();
        }
        for (const std::string& drug : trials) {
            const clinical::AntidepressantTrial trial{drug, 8, true, 10.0, true};
            Result<app::TrialRecord> noted = clinic().history.AddAntidepressantTrial(nurse_, patient, trial, {}, {});
            EXPECT_TRUE(noted.ok()) << drug << ": " << noted.error().ToString();
        }
        EXPECT_TRUE(clinic().patients.RecordWeight(nurse_, patient, At(-60), 70.0, false, settings_).ok());
        return patient;
    }

    // Screens for IV ketamine with an unremarkable intake, and reads the stored screening back.
    app::ScreeningRecord ScreenAndReadBack(PatientId patient) {
        app::IntakeExtras extras;
        extras.pregnant = false;
        extras.blood_pressure = clinical::BloodPressure{122, 78};
        extras.heart_rate_per_min = 72;
        Result<app::ScreeningRecord> screened =
            clinic().history.ScreenPatient(prescriber_, patient, clinical::Product::kKetamineIv, extras, settings_);
        EXPECT_TRUE(screened.ok()) << screened.error().ToString();
        if (!screened.ok()) {
            return {};
        }
        Result<app::ScreeningRecord> stored = clinic().history.GetScreening(prescriber_, screened->id);
        EXPECT_TRUE(stored.ok()) << stored.error().ToString();
        if (!stored.ok()) {
            return {};
        }
        EXPECT_EQ(stored->result.decision, screened->result.decision);
        EXPECT_EQ(stored->result.counted_trial_drugs, screened->result.counted_trial_drugs);
        EXPECT_EQ(RuleIds(*stored), RuleIds(*screened));
        return *stored;
    }

    static std::vector<std::string> RuleIds(const app::ScreeningRecord& screening) {
        std::vector<std::string> rules;
        for (const clinical::Finding& finding : screening.result.findings) {
            rules.push_back(finding.rule_id);
        }
        return rules;
    }

    static const clinical::Finding* Find(const app::ScreeningRecord& screening, const std::string& rule) {
        const auto& findings = screening.result.findings;
        const auto found = std::ranges::find(findings, rule, &clinical::Finding::rule_id);
        return found == findings.end() ? nullptr : &*found;
    }
};

// The intake of issue 10 that answered "eligible" with no interaction: Adderall, Xanax and Norco are a stimulant, a
// benzodiazepine and an opioid; trials of Zoloft and Lexapro are two different antidepressants.
TEST_P(MedicationContractTest, BrandNamesScreenAsTheirGenericIngredients) {
    const PatientId patient =
        RegisterWithHistory("MRN-BRANDS", {"Adderall XR 20 mg", "Xanax 0.5 mg", "Norco 10/325"}, {"Zoloft", "Lexapro"});
    const app::ScreeningRecord screening = ScreenAndReadBack(patient);

    for (const char* rule : {"interaction.psychostimulant", "interaction.benzodiazepine", "interaction.opioid"}) {
        const clinical::Finding* finding = Find(screening, rule);
        ASSERT_NE(finding, nullptr) << rule;
        EXPECT_EQ(finding->severity, clinical::Severity::kInteraction) << rule;
    }
    EXPECT_NE(Find(screening, "interaction.opioid")->message.find("norco 10/325 = acetaminophen/hydrocodone"),
              std::string::npos);
    EXPECT_EQ(Find(screening, "review.drug_not_recognised"), nullptr);
    EXPECT_EQ(screening.result.decision, clinical::Decision::kEligibleWithCautions);
    EXPECT_EQ(screening.result.counted_trial_drugs, (std::vector<std::string>{"sertraline", "escitalopram"}));
    EXPECT_TRUE(screening.result.treatment_resistant);
}

// A drug the dictionary does not know is a review, and an augmentation agent is no antidepressant trial: treatment
// resistance is not established on them.
TEST_P(MedicationContractTest, UnknownDrugsNeedReviewAndAugmentationIsNoTrial) {
    const PatientId patient = RegisterWithHistory("MRN-UNKNOWN", {"sertraline", "kratom"},
                                                  {"sertraline", "Seroquel XR", "an unlabelled trial drug"});
    const app::ScreeningRecord screening = ScreenAndReadBack(patient);

    const clinical::Finding* unknown = Find(screening, "review.drug_not_recognised");
    ASSERT_NE(unknown, nullptr);
    EXPECT_EQ(unknown->severity, clinical::Severity::kReview);
    EXPECT_NE(unknown->message.find("medications: kratom; antidepressant trials: an unlabelled trial drug"),
              std::string::npos)
        << unknown->message;
    EXPECT_NE(unknown->message.find("check interactions and trial counting by hand"), std::string::npos);
    EXPECT_EQ(screening.result.decision, clinical::Decision::kNeedsReview);
    EXPECT_EQ(screening.result.counted_trial_drugs, std::vector<std::string>{"sertraline"});
    EXPECT_FALSE(screening.result.treatment_resistant);
    const clinical::Finding* trials = Find(screening, "indication.adequate_failed_trials");
    ASSERT_NE(trials, nullptr);
    EXPECT_NE(trials->message.find("quetiapine (augmentation agent, not an antidepressant trial)"), std::string::npos)
        << trials->message;
}

INSTANTIATE_TEST_SUITE_P(Backends, MedicationContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
