#include "clinical/eligibility.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using IntakeSetup = std::function<void(Intake&, ClinicSettings&)>;

// A 40-year-old man with recurrent severe MDD and two adequate failed trials of different drugs, normal vitals:
// eligible for esketamine with info findings only. Each vignette changes one thing.
Intake TrdIntake(Product product = Product::kEsketamineNasal) {
    Intake intake;
    intake.age_years = 40;
    intake.sex = Sex::kMale;
    intake.weight_kg = 80.0;
    intake.product = product;
    intake.diagnoses = {"F33.2"};
    intake.antidepressant_trials = {{"sertraline", 8, true, 10.0, true}, {"venlafaxine", 8, true, 0.0, true}};
    intake.blood_pressure = BloodPressure{120, 80};
    intake.heart_rate_per_min = 70;
    return intake;
}

const Finding* FindRule(const Screening& screening, std::string_view rule_id) {
    for (const Finding& finding : screening.findings) {
        if (finding.rule_id == rule_id)
            return &finding;
    }
    return nullptr;
}

std::vector<std::string> RuleIds(const Screening& screening, bool include_info) {
    std::vector<std::string> ids;
    for (const Finding& finding : screening.findings) {
        if (include_info || finding.severity != Severity::kInfo)
            ids.push_back(finding.rule_id);
    }
    return ids;
}

Screening MustScreen(const Intake& intake, const ClinicSettings& settings) {
    Result<Screening> result = Screen(intake, settings);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().ToString());
    return result.ok() ? *result : Screening{};
}

TEST(EligibilityTest, BaselineVignettesAreEligibleWithInfoOnly) {
    ClinicSettings settings;
    Screening esketamine = MustScreen(TrdIntake(), settings);
    EXPECT_EQ(esketamine.decision, Decision::kEligible);
    EXPECT_EQ(RuleIds(esketamine, true),
              (std::vector<std::string>{"indication.adequate_failed_trials", "indication.trd_established"}));
    EXPECT_EQ(esketamine.adequate_failed_trials, 2);
    EXPECT_EQ(esketamine.counted_trial_drugs, (std::vector<std::string>{"sertraline", "venlafaxine"}));
    EXPECT_TRUE(esketamine.treatment_resistant);
    EXPECT_TRUE(esketamine.indication_established);
    for (const Finding& finding : esketamine.findings)
        EXPECT_FALSE(finding.source.empty()) << finding.rule_id;

    Screening iv = MustScreen(TrdIntake(Product::kKetamineIv), settings);
    EXPECT_EQ(iv.decision, Decision::kEligible);
    EXPECT_EQ(RuleIds(iv, true), (std::vector<std::string>{"indication.adequate_failed_trials", "indication.off_label",
                                                           "indication.trd_established"}));

    Intake oral_intake = TrdIntake(Product::kKetamineOral);
    oral_intake.weight_kg.reset();
    Screening oral = MustScreen(oral_intake, settings);
    EXPECT_EQ(oral.decision, Decision::kEligible);
    EXPECT_EQ(RuleIds(oral, true),
              (std::vector<std::string>{"indication.adequate_failed_trials", "indication.off_label",
                                        "indication.trd_established", "route.limited_evidence"}));
}

struct RuleCase {
    std::string name;
    IntakeSetup setup;
    std::string rule_id;
    Severity severity;
    Decision decision;
    std::string message_part;                      // must appear in the finding's message
    std::vector<std::string> other_non_info = {};  // other non-info rule ids the vignette is expected to raise
};

void AddCodes(std::vector<std::string>& codes, std::initializer_list<const char*> more) {
    codes.insert(codes.end(), more.begin(), more.end());
}

TEST(EligibilityTest, EachRuleFiresOnItsVignette) {
    using S = Severity;
    using D = Decision;
    const std::vector<RuleCase> cases = {
        // Hard stops.
        {"aortic aneurysm", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I71.4"}); },
         "contraindication.aneurysm", S::kContraindication, D::kNotEligible, "(I71.4)"},
        {"cerebral aneurysm, code without dot", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"i671"}); },
         "contraindication.aneurysm", S::kContraindication, D::kNotEligible, "(I67.1)"},
        {"subarachnoid haemorrhage from a ruptured aneurysm, racemic too",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             AddCodes(i.conditions, {"I60.7"});
         },
         "contraindication.aneurysm", S::kContraindication, D::kNotEligible, "Aneurysmal vascular disease (I60.7)"},
        {"coronary artery aneurysm", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I25.41"}); },
         "contraindication.aneurysm", S::kContraindication, D::kNotEligible, "(I25.41)"},
        {"cerebral AVM", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"Q28.2"}); },
         "contraindication.arteriovenous_malformation", S::kContraindication, D::kNotEligible, "(Q28.2)"},
        {"peripheral AVM", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"Q27.30"}); },
         "contraindication.arteriovenous_malformation", S::kContraindication, D::kNotEligible, "(Q27.30)"},
        {"pulmonary AVM", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"Q25.72"}); },
         "contraindication.arteriovenous_malformation", S::kContraindication, D::kNotEligible, "(Q25.72)"},
        {"intracerebral haemorrhage, racemic too",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineOral;
             AddCodes(i.conditions, {"I61.9"});
         },
         "contraindication.intracerebral_haemorrhage", S::kContraindication, D::kNotEligible, "(I61.9)"},
        {"sequelae of intracerebral haemorrhage",
         [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I69.10"}); },
         "contraindication.intracerebral_haemorrhage", S::kContraindication, D::kNotEligible, "(I69.10)"},
        {"hypersensitivity by substance",
         [](Intake& i, ClinicSettings&) { i.allergies = {"penicillin", " Esketamine "}; },
         "contraindication.hypersensitivity", S::kContraindication, D::kNotEligible, "(allergies: esketamine)"},
        {"hypersensitivity by brand", [](Intake& i, ClinicSettings&) { i.allergies = {"Ketalar"}; },
         "contraindication.hypersensitivity", S::kContraindication, D::kNotEligible, "(allergies: ketalar)"},
        {"pre-eclampsia",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             i.pregnant = false;
             AddCodes(i.conditions, {"O14.13"});
         },
         "contraindication.pre_eclampsia", S::kContraindication, D::kNotEligible, "(O14.13)",
         {"pregnancy.record_conflict"}},
        {"esketamine under 18", [](Intake& i, ClinicSettings&) { i.age_years = 17; }, "age.under_18",
         S::kContraindication, D::kNotEligible, "Age 17 years"},
        {"racemic under 18, default policy review",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.age_years = 17;
         },
         "age.under_18", S::kReview, D::kNeedsReview, "clinician review"},
        {"racemic under 18, policy not eligible",
         [](Intake& i, ClinicSettings& s) {
             i.product = Product::kKetamineIv;
             i.age_years = 0;
             s.screening.racemic_minor = MinorPolicy::kNotEligible;
         },
         "age.under_18", S::kContraindication, D::kNotEligible, "not eligible"},
        // Pregnancy and lactation.
        {"pregnant, default policy",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             i.pregnant = true;
         },
         "pregnancy.pregnant", S::kContraindication, D::kNotEligible, "recorded on intake"},
        {"pregnant, policy review",
         [](Intake& i, ClinicSettings& s) {
             i.sex = Sex::kFemale;
             i.pregnant = true;
             s.screening.pregnancy = PregnancyPolicy::kReview;
         },
         "pregnancy.pregnant", S::kReview, D::kNeedsReview, "clinician review"},
        {"pregnancy code, status not recorded",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             AddCodes(i.conditions, {"Z33.1"});
         },
         "pregnancy.pregnant", S::kContraindication, D::kNotEligible, "pregnancy code Z33.1"},
        {"pregnancy code contradicts intake",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             i.pregnant = false;
             AddCodes(i.conditions, {"O09.91"});
         },
         "pregnancy.record_conflict", S::kReview, D::kNeedsReview, "O09.91"},
        {"puerperal code does not say pregnant: status still to record",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             AddCodes(i.conditions, {"O90.89"});
         },
         "pregnancy.status_not_recorded", S::kReview, D::kNeedsReview, "sex female, age 40"},
        {"pregnancy status missing, female 12",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.sex = Sex::kFemale;
             i.age_years = 12;
         },
         "pregnancy.status_not_recorded", S::kReview, D::kNeedsReview, "sex female, age 12", {"age.under_18"}},
        {"pregnancy status missing, female 55",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             i.age_years = 55;
         },
         "pregnancy.status_not_recorded", S::kReview, D::kNeedsReview, "age 55"},
        {"pregnancy status missing, sex unknown",
         [](Intake& i, ClinicSettings&) { i.sex = Sex::kUnknown; },
         "pregnancy.status_not_recorded", S::kReview, D::kNeedsReview, "sex unknown"},
        {"breastfeeding", [](Intake& i, ClinicSettings&) { i.breastfeeding = true; }, "caution.breastfeeding",
         S::kCaution, D::kEligibleWithCautions, "not recommended during treatment."},
        {"breastfeeding, racemic",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIm;
             i.breastfeeding = true;
         },
         "caution.breastfeeding", S::kCaution, D::kEligibleWithCautions, "same caution is applied to racemic"},
        // Clinician review conditions.
        {"schizophrenia", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F20.9"}); }, "review.psychosis",
         S::kReview, D::kNeedsReview, "(F20.9)"},
        {"puerperal psychosis", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F53.1"}); },
         "review.psychosis", S::kReview, D::kNeedsReview, "(F53.1)"},
        {"MDD with psychotic features still counts as MDD",
         [](Intake& i, ClinicSettings&) { i.diagnoses = {"F33.3"}; }, "review.psychosis", S::kReview,
         D::kNeedsReview, "(F33.3)"},
        {"bipolar I, racemic",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             AddCodes(i.diagnoses, {"F31.4"});
         },
         "review.bipolar_mania", S::kReview, D::kNeedsReview, "(F31.4)", {"indication.not_established"}},
        {"active cannabis dependence", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F12.20"}); },
         "review.substance_use", S::kReview, D::kNeedsReview, "(F12.20)"},
        {"alcohol dependence in remission", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F10.21"}); },
         "caution.substance_use_in_remission", S::kCaution, D::kEligibleWithCautions, "(F10.21)"},
        {"ketamine misuse history", [](Intake& i, ClinicSettings&) { i.ketamine_misuse_history = true; },
         "review.ketamine_misuse", S::kReview, D::kNeedsReview, "urine drug screen"},
        {"acute myocardial infarction", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I21.4"}); },
         "review.cardiac_unstable", S::kReview, D::kNeedsReview, "(I21.4)"},
        {"unstable angina", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I20.0"}); },
         "review.cardiac_unstable", S::kReview, D::kNeedsReview, "(I20.0)"},
        {"coronary atherosclerosis with unstable angina",
         [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I25.110"}); }, "review.cardiac_unstable",
         S::kReview, D::kNeedsReview, "(I25.110)"},
        {"old myocardial infarction", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I25.2"}); },
         "caution.prior_myocardial_infarction", S::kCaution, D::kEligibleWithCautions, "(I25.2)"},
        {"aortic stenosis", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I35.0"}); },
         "caution.valvular_disease", S::kCaution, D::kEligibleWithCautions, "(I35.0)"},
        {"heart failure", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I50.9"}); },
         "review.heart_failure", S::kReview, D::kNeedsReview, "(I50.9)"},
        {"ischaemic stroke", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I63.9"}); },
         "review.stroke_tia", S::kReview, D::kNeedsReview, "(I63.9)"},
        {"history of TIA", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"Z86.73"}); },
         "review.stroke_tia", S::kReview, D::kNeedsReview, "(Z86.73)"},
        {"idiopathic intracranial hypertension", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"G93.2"}); },
         "review.intracranial_pressure", S::kReview, D::kNeedsReview, "(G93.2)"},
        {"meningioma", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"D32.0"}); },
         "review.intracranial_pressure", S::kReview, D::kNeedsReview, "(D32.0)"},
        {"brain tumour", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"C71.9", "D33.0"}); },
         "review.intracranial_pressure", S::kReview, D::kNeedsReview, "(C71.9, D33.0)"},
        {"hypertensive encephalopathy code", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I67.4"}); },
         "review.hypertensive_encephalopathy", S::kReview, D::kNeedsReview, "(I67.4)"},
        {"hypertensive encephalopathy history",
         [](Intake& i, ClinicSettings&) { i.hypertensive_encephalopathy_history = true; },
         "review.hypertensive_encephalopathy", S::kReview, D::kNeedsReview, "(history recorded on intake)"},
        {"head injury", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"S06.0X0A"}); },
         "review.head_injury", S::kReview, D::kNeedsReview, "(S06.0X0A)"},
        {"hypertensive crisis", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"I16.1"}); },
         "review.hypertensive_crisis", S::kReview, D::kNeedsReview, "(I16.1)"},
        {"glaucoma", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"H40.9"}); },
         "review.intraocular_pressure", S::kReview, D::kNeedsReview, "(H40.9)"},
        {"open globe", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"S05.21XA"}); },
         "review.intraocular_pressure", S::kReview, D::kNeedsReview, "(S05.21XA)"},
        {"hyperthyroidism", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"E05.90"}); },
         "review.hyperthyroidism", S::kReview, D::kNeedsReview, "(E05.90)"},
        {"primary biliary cirrhosis", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"K74.3"}); },
         "review.hepatic_impairment", S::kReview, D::kNeedsReview, "(K74.3)"},
        {"cirrhosis", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"K74.60"}); },
         "review.hepatic_impairment", S::kReview, D::kNeedsReview, "(K74.60)"},
        {"Child-Pugh C", [](Intake& i, ClinicSettings&) { i.child_pugh = ChildPugh::kC; }, "review.hepatic_impairment",
         S::kReview, D::kNeedsReview, "(Child-Pugh C)"},
        {"Child-Pugh B", [](Intake& i, ClinicSettings&) { i.child_pugh = ChildPugh::kB; },
         "caution.hepatic_child_pugh_b", S::kCaution, D::kEligibleWithCautions, "longer monitoring"},
        {"COPD", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"J44.9"}); }, "review.respiratory",
         S::kReview, D::kNeedsReview, "(J44.9)"},
        {"obstructive sleep apnoea", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"G47.33"}); },
         "review.respiratory", S::kReview, D::kNeedsReview, "(G47.33)"},
        {"sleep apnoea, unspecified", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"G47.30"}); },
         "review.respiratory", S::kReview, D::kNeedsReview, "(G47.30)"},
        {"home oxygen", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"Z99.81"}); }, "review.respiratory",
         S::kReview, D::kNeedsReview, "(Z99.81)"},
        {"interstitial cystitis", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"N30.10"}); },
         "caution.urinary", S::kCaution, D::kEligibleWithCautions, "(N30.10)"},
        {"acute suicidal ideation, racemic TRD",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.acute_suicidal_ideation = true;
         },
         "review.acute_suicidal_ideation", S::kReview, D::kNeedsReview, "do not replace hospitalization"},
        {"suicidal ideation code", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"R45.851"}); },
         "review.acute_suicidal_ideation", S::kReview, D::kNeedsReview, "(R45.851)"},
        {"suicide attempt code", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"T14.91XA"}); },
         "review.acute_suicidal_ideation", S::kReview, D::kNeedsReview, "Suicidal ideation or suicide "
         "attempt (T14.91XA)"},
        // Blood pressure and heart rate gates (defaults 140/90 caution, 180/110 review, HR 110).
        {"BP not recorded", [](Intake& i, ClinicSettings&) { i.blood_pressure.reset(); }, "bp.not_recorded",
         S::kReview, D::kNeedsReview, "measure it"},
        {"systolic 141", [](Intake& i, ClinicSettings&) { i.blood_pressure = BloodPressure{141, 80}; },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "141/80 mmHg is above 140/90"},
        {"diastolic 91", [](Intake& i, ClinicSettings&) { i.blood_pressure = BloodPressure{120, 91}; },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "120/91 mmHg is above 140/90"},
        {"179/109 is still a caution", [](Intake& i, ClinicSettings&) { i.blood_pressure = BloodPressure{179, 109}; },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "179/109"},
        {"systolic 180", [](Intake& i, ClinicSettings&) { i.blood_pressure = BloodPressure{180, 80}; },
         "bp.severely_elevated", S::kReview, D::kNeedsReview, "at or above 180/110"},
        {"diastolic 110", [](Intake& i, ClinicSettings&) { i.blood_pressure = BloodPressure{150, 110}; },
         "bp.severely_elevated", S::kReview, D::kNeedsReview, "150/110"},
        {"US, age 70, systolic 145", [](Intake& i, ClinicSettings&) {
             i.age_years = 70;
             i.blood_pressure = BloodPressure{145, 80};
         },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "above 140/90"},
        {"EU, age 65, systolic 151",
         [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.age_years = 65;
             i.blood_pressure = BloodPressure{151, 80};
         },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "above 150/90 mmHg (EU gate"},
        {"EU, age 64, systolic 145",
         [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.age_years = 64;
             i.blood_pressure = BloodPressure{145, 80};
         },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "above 140/90 mmHg:"},
        {"EU, age 70, diastolic 91",
         [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.age_years = 70;
             i.blood_pressure = BloodPressure{130, 91};
         },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "above 150/90"},
        {"clinic lowers the caution gate",
         [](Intake& i, ClinicSettings& s) {
             s.screening.intake_bp_caution_systolic = 130;
             i.blood_pressure = BloodPressure{131, 80};
         },
         "bp.elevated", S::kCaution, D::kEligibleWithCautions, "above 130/90"},
        {"heart rate 111", [](Intake& i, ClinicSettings&) { i.heart_rate_per_min = 111; }, "heart_rate.elevated",
         S::kCaution, D::kEligibleWithCautions, "111/min is above 110/min"},
        // Interactions, one per class.
        {"benzodiazepine", [](Intake& i, ClinicSettings&) { i.medications = {"Lorazepam"}; },
         "interaction.benzodiazepine", S::kInteraction, D::kEligibleWithCautions, "Taking lorazepam (benzodiazepine)"},
        {"Z-drug", [](Intake& i, ClinicSettings&) { i.medications = {"zolpidem"}; }, "interaction.z_drug",
         S::kInteraction, D::kEligibleWithCautions, "respiratory depression"},
        {"opioid", [](Intake& i, ClinicSettings&) { i.medications = {"oxycodone", "morphine"}; },
         "interaction.opioid", S::kInteraction, D::kEligibleWithCautions, "Taking oxycodone, morphine (opioid)"},
        {"other CNS depressant", [](Intake& i, ClinicSettings&) { i.medications = {"pregabalin"}; },
         "interaction.cns_depressant", S::kInteraction, D::kEligibleWithCautions, "sedation"},
        {"MAOI", [](Intake& i, ClinicSettings&) { i.medications = {"tranylcypromine"}; },
         "interaction.mao_inhibitor", S::kInteraction, D::kEligibleWithCautions, "monitor BP"},
        {"psychostimulant", [](Intake& i, ClinicSettings&) { i.medications = {"methylphenidate"}; },
         "interaction.psychostimulant", S::kInteraction, D::kEligibleWithCautions, "monitor BP"},
        {"lamotrigine", [](Intake& i, ClinicSettings&) { i.medications = {"lamotrigine"}; },
         "interaction.lamotrigine", S::kInteraction, D::kEligibleWithCautions, "inform only"},
        {"naltrexone", [](Intake& i, ClinicSettings&) { i.medications = {"naltrexone"}; }, "interaction.naltrexone",
         S::kInteraction, D::kEligibleWithCautions, "Taking naltrexone: may block the antidepressant effect"},
        {"theophylline", [](Intake& i, ClinicSettings&) { i.medications = {"theophylline"}; },
         "interaction.xanthine", S::kInteraction, D::kEligibleWithCautions, "seizure"},
        {"sympathomimetic", [](Intake& i, ClinicSettings&) { i.medications = {"pseudoephedrine"}; },
         "interaction.sympathomimetic", S::kInteraction, D::kEligibleWithCautions, "monitor BP"},
        {"vasopressin", [](Intake& i, ClinicSettings&) { i.medications = {"vasopressin"}; },
         "interaction.vasopressin", S::kInteraction, D::kEligibleWithCautions, "monitor BP"},
        {"ergometrine", [](Intake& i, ClinicSettings&) { i.medications = {"methylergonovine"}; },
         "interaction.ergometrine", S::kInteraction, D::kEligibleWithCautions, "monitor BP"},
        {"thyroid hormone", [](Intake& i, ClinicSettings&) { i.medications = {"levothyroxine"}; },
         "interaction.thyroid_hormone", S::kInteraction, D::kEligibleWithCautions, "heart rate"},
        {"already on ketamine", [](Intake& i, ClinicSettings&) { i.medications = {"Ketamine"}; },
         "interaction.ketamine", S::kInteraction, D::kEligibleWithCautions,
         "Taking ketamine (ketamine or esketamine): duplicate therapy"},
        {"opioid in a combination product",
         [](Intake& i, ClinicSettings&) { i.medications = {"Hydrocodone/Acetaminophen"}; }, "interaction.opioid",
         S::kInteraction, D::kEligibleWithCautions, "Taking hydrocodone/acetaminophen (opioid)"},
        {"stimulant salt form", [](Intake& i, ClinicSettings&) { i.medications = {"lisdexamfetamine dimesylate"}; },
         "interaction.psychostimulant", S::kInteraction, D::kEligibleWithCautions,
         "Taking lisdexamfetamine dimesylate (psychostimulant)"},
        // Brand names reach their generic ingredient's class, and the message names the ingredient.
        {"brand benzodiazepine", [](Intake& i, ClinicSettings&) { i.medications = {"Xanax 0.5 mg"}; },
         "interaction.benzodiazepine", S::kInteraction, D::kEligibleWithCautions,
         "Taking xanax 0.5 mg = alprazolam (benzodiazepine)"},
        {"brand stimulant of two salts", [](Intake& i, ClinicSettings&) { i.medications = {"Adderall XR"}; },
         "interaction.psychostimulant", S::kInteraction, D::kEligibleWithCautions,
         "Taking adderall xr = amphetamine/dextroamphetamine (psychostimulant)"},
        {"brand opioid combination", [](Intake& i, ClinicSettings&) { i.medications = {"Norco 10/325"}; },
         "interaction.opioid", S::kInteraction, D::kEligibleWithCautions,
         "Taking norco 10/325 = acetaminophen/hydrocodone (opioid)"},
        {"UK brand names",
         [](Intake& i, ClinicSettings&) { i.medications = {"Cipralex", "Rivotril"}; }, "interaction.benzodiazepine",
         S::kInteraction, D::kEligibleWithCautions, "Taking rivotril = clonazepam (benzodiazepine)"},
        // A drug the dictionary does not know is flagged, never passed over.
        {"unknown medication", [](Intake& i, ClinicSettings&) { i.medications = {"sertraline", "Kratom"}; },
         "review.drug_not_recognised", S::kReview, D::kNeedsReview,
         "Not recognised by the drug dictionary (medications: kratom): check interactions and trial counting by "
         "hand"},
        {"misspelt medication", [](Intake& i, ClinicSettings&) { i.medications = {"zolof 50 mg"}; },
         "review.drug_not_recognised", S::kReview, D::kNeedsReview, "(medications: zolof 50 mg)"},
        {"unknown trial drug",
         [](Intake& i, ClinicSettings&) { i.antidepressant_trials.push_back({"Study Drug", 8, true, 0, true}); },
         "review.drug_not_recognised", S::kReview, D::kNeedsReview, "(antidepressant trials: study drug)"},
        // Indication.
        {"esketamine, one adequate trial",
         [](Intake& i, ClinicSettings&) { i.antidepressant_trials.pop_back(); }, "indication.not_established",
         S::kContraindication, D::kNotEligible, "NOT INDICATED: only 1 of 2 different drugs"},
        {"racemic, one adequate trial",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.antidepressant_trials.pop_back();
         },
         "indication.not_established", S::kReview, D::kNeedsReview, "prescriber may still decide"},
        {"esketamine, depression unspecified is not an MDD code",
         [](Intake& i, ClinicSettings&) { i.diagnoses = {"F32.A"}; }, "indication.not_established",
         S::kContraindication, D::kNotEligible,
         "no major depressive disorder code (F32.0-F32.5, F32.9, F33.x); F32.A codes depression other than MDD: if "
         "the diagnosis is MDD, record its MDD code"},
        {"esketamine, no depression code at all",
         [](Intake& i, ClinicSettings&) { i.diagnoses = {"F41.0"}; }, "indication.not_established",
         S::kContraindication, D::kNotEligible, "NOT INDICATED: no major depressive disorder code "
         "(F32.0-F32.5, F32.9, F33.x). Labelled"},
        {"racemic, dysthymia with PTSD still explains the depression code",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.diagnoses = {"F34.1", "F43.10"};
         },
         "indication.not_established", S::kReview, D::kNeedsReview, "F34.1 codes depression other than MDD",
         {"indication.off_label_ptsd"}},
        {"MDD coded in full remission",
         [](Intake& i, ClinicSettings&) { i.diagnoses = {"F33.42"}; }, "review.mdd_in_remission", S::kReview,
         D::kNeedsReview, "Every MDD code records full or unspecified remission (F33.42)"},
        {"esketamine, MDD with bipolar",
         [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F31.81"}); }, "indication.not_established",
         S::kContraindication, D::kNotEligible, "bipolar disorder (F31.81) is recorded with MDD",
         {"review.bipolar_mania"}},
        {"esketamine for PTSD", [](Intake& i, ClinicSettings&) { i.diagnoses = {"F43.10"}; },
         "indication.not_established", S::kContraindication, D::kNotEligible,
         "PTSD (F43.10) is not a labelled indication"},
        {"racemic for PTSD",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.diagnoses = {"F43.12"};
             i.antidepressant_trials.clear();
         },
         "indication.off_label_ptsd", S::kReview, D::kNeedsReview, "PTSD (F43.12)"},
        {"racemic for GAD",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineSublingual;
             i.diagnoses = {"F41.1"};
         },
         "indication.off_label_gad", S::kReview, D::kNeedsReview, "GAD (F41.1)"},
        {"esketamine, MDD with acute suicidal ideation and an oral antidepressant",
         [](Intake& i, ClinicSettings&) {
             i.antidepressant_trials.clear();
             i.acute_suicidal_ideation = true;
             i.medications = {"Sertraline"};
         },
         "indication.mdd_suicidal_ideation", S::kInfo, D::kNeedsReview, "84 mg twice weekly for 4 weeks",
         {"review.acute_suicidal_ideation"}},
        {"esketamine, MDD with acute suicidal ideation, antidepressant in a combination product",
         [](Intake& i, ClinicSettings&) {
             i.antidepressant_trials.clear();
             i.acute_suicidal_ideation = true;
             i.medications = {"naltrexone and bupropion"};
         },
         "indication.mdd_suicidal_ideation", S::kInfo, D::kNeedsReview,
         "with an oral antidepressant (naltrexone and bupropion)",
         {"review.acute_suicidal_ideation", "interaction.naltrexone"}},
        {"esketamine, MDD with acute suicidal ideation, no oral antidepressant",
         [](Intake& i, ClinicSettings&) {
             i.antidepressant_trials.clear();
             i.acute_suicidal_ideation = true;
             i.medications = {"selegiline"};
         },
         "indication.not_established", S::kContraindication, D::kNotEligible, "none is recognised",
         {"review.acute_suicidal_ideation", "interaction.mao_inhibitor"}},
        // Other information.
        {"IV without weight", [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.weight_kg.reset();
         },
         "intake.weight_not_recorded", S::kInfo, D::kEligible, "ketamine-iv doses are computed per kg"},
        {"EU esketamine at 65", [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.age_years = 65;
         },
         "dosing.eu_start_28mg", S::kInfo, D::kEligible, "(age 65): start esketamine at 28 mg"},
        {"EU esketamine, Japanese ancestry", [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.japanese_ancestry = true;
         },
         "dosing.eu_start_28mg", S::kInfo, D::kEligible, "(Japanese ancestry)"},
    };
    for (const RuleCase& c : cases) {
        Intake intake = TrdIntake();
        ClinicSettings settings;
        c.setup(intake, settings);
        Screening screening = MustScreen(intake, settings);
        const Finding* finding = FindRule(screening, c.rule_id);
        ASSERT_NE(finding, nullptr) << c.name << ": no " << c.rule_id;
        EXPECT_EQ(finding->severity, c.severity) << c.name;
        EXPECT_EQ(screening.decision, c.decision) << c.name;
        EXPECT_NE(finding->message.find(c.message_part), std::string::npos)
            << c.name << ": message \"" << finding->message << "\" lacks \"" << c.message_part << "\"";
        EXPECT_FALSE(finding->source.empty()) << c.name;
        std::set<std::string> expected(c.other_non_info.begin(), c.other_non_info.end());
        if (c.severity != Severity::kInfo)
            expected.insert(c.rule_id);
        std::vector<std::string> non_info = RuleIds(screening, false);
        EXPECT_EQ(std::set<std::string>(non_info.begin(), non_info.end()), expected) << c.name;
        EXPECT_EQ(non_info.size(), expected.size()) << c.name << ": a rule fired twice";
    }
}

struct AbsentCase {
    std::string name;
    IntakeSetup setup;
    std::string rule_id;  // must not fire
    Decision decision;
};

TEST(EligibilityTest, RulesStayQuietJustOutsideTheirEdges) {
    const std::vector<AbsentCase> cases = {
        {"nicotine dependence is not a substance use disorder",
         [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F17.210"}); }, "review.substance_use",
         Decision::kEligible},
        {"remission is not an active disorder", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F10.21"}); },
         "review.substance_use", Decision::kEligibleWithCautions},
        {"F20 is not a substance use disorder", [](Intake& i, ClinicSettings&) { AddCodes(i.diagnoses, {"F20"}); },
         "review.substance_use", Decision::kNeedsReview},
        {"MDD in partial remission is a current episode", [](Intake& i, ClinicSettings&) { i.diagnoses = {"F33.41"}; },
         "review.mdd_in_remission", Decision::kEligible},
        {"one active MDD code beside a remission code",
         [](Intake& i, ClinicSettings&) {
             i.diagnoses = {"F33.42", "F33.2"};
         },
         "review.mdd_in_remission", Decision::kEligible},
        {"puerperal code, pregnancy status unknown: not called pregnant",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             AddCodes(i.conditions, {"O90.89"});
         },
         "pregnancy.pregnant", Decision::kNeedsReview},
        {"puerperal code, recorded not pregnant: no conflict",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             i.pregnant = false;
             AddCodes(i.conditions, {"O86.4"});
         },
         "pregnancy.record_conflict", Decision::kEligible},
        {"transient global amnesia is no TIA", [](Intake& i, ClinicSettings&) { AddCodes(i.conditions, {"G45.4"}); },
         "review.stroke_tia", Decision::kEligible},
        {"BP exactly 140/90",
         [](Intake& i, ClinicSettings&) {
             i.blood_pressure = BloodPressure{140, 90};
         },
         "bp.elevated", Decision::kEligible},
        {"EU, age 70, systolic 150",
         [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.age_years = 70;
             i.blood_pressure = BloodPressure{150, 85};
         },
         "bp.elevated", Decision::kEligible},
        {"heart rate exactly 110", [](Intake& i, ClinicSettings&) { i.heart_rate_per_min = 110; },
         "heart_rate.elevated", Decision::kEligible},
        {"heart rate not recorded", [](Intake& i, ClinicSettings&) { i.heart_rate_per_min.reset(); },
         "heart_rate.elevated", Decision::kEligible},
        {"female 11, pregnancy status missing",
         [](Intake& i, ClinicSettings& s) {
             i.product = Product::kKetamineIv;
             i.sex = Sex::kFemale;
             i.age_years = 11;
             s.screening.racemic_minor = MinorPolicy::kReview;
         },
         "pregnancy.status_not_recorded", Decision::kNeedsReview},
        {"female 56, pregnancy status missing",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             i.age_years = 56;
         },
         "pregnancy.status_not_recorded", Decision::kEligible},
        {"female, recorded not pregnant",
         [](Intake& i, ClinicSettings&) {
             i.sex = Sex::kFemale;
             i.pregnant = false;
         },
         "pregnancy.status_not_recorded", Decision::kEligible},
        {"age 18 esketamine", [](Intake& i, ClinicSettings&) { i.age_years = 18; }, "age.under_18",
         Decision::kEligible},
        {"Child-Pugh A", [](Intake& i, ClinicSettings&) { i.child_pugh = ChildPugh::kA; },
         "caution.hepatic_child_pugh_b", Decision::kEligible},
        {"unrelated allergy", [](Intake& i, ClinicSettings&) { i.allergies = {"penicillin"}; },
         "contraindication.hypersensitivity", Decision::kEligible},
        {"medication without a screening rule", [](Intake& i, ClinicSettings&) { i.medications = {"atorvastatin"}; },
         "interaction.benzodiazepine", Decision::kEligible},
        {"oral antidepressant is no interaction", [](Intake& i, ClinicSettings&) { i.medications = {"sertraline"}; },
         "interaction.oral_antidepressant", Decision::kEligible},
        {"US esketamine at 70 starts as usual", [](Intake& i, ClinicSettings&) { i.age_years = 70; },
         "dosing.eu_start_28mg", Decision::kEligible},
        {"EU racemic at 70",
         [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.product = Product::kKetamineIv;
             i.age_years = 70;
         },
         "dosing.eu_start_28mg", Decision::kEligible},
        {"EU esketamine at 70 on the suicidal-ideation schedule",
         [](Intake& i, ClinicSettings& s) {
             s.region = Region::kEu;
             i.age_years = 70;
             i.antidepressant_trials.clear();
             i.acute_suicidal_ideation = true;
             i.medications = {"escitalopram"};
         },
         "dosing.eu_start_28mg", Decision::kNeedsReview},
        {"esketamine needs no weight", [](Intake& i, ClinicSettings&) { i.weight_kg.reset(); },
         "intake.weight_not_recorded", Decision::kEligible},
        {"racemic PTSD with MDD TRD is on the TRD indication",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             AddCodes(i.diagnoses, {"F43.10"});
         },
         "indication.off_label_ptsd", Decision::kEligible},
        {"racemic PTSD alone raises no TRD finding",
         [](Intake& i, ClinicSettings&) {
             i.product = Product::kKetamineIv;
             i.diagnoses = {"F43.10"};
         },
         "indication.not_established", Decision::kNeedsReview},
    };
    for (const AbsentCase& c : cases) {
        Intake intake = TrdIntake();
        ClinicSettings settings;
        c.setup(intake, settings);
        Screening screening = MustScreen(intake, settings);
        EXPECT_EQ(FindRule(screening, c.rule_id), nullptr) << c.name << ": " << c.rule_id << " fired";
        EXPECT_EQ(screening.decision, c.decision) << c.name;
    }
}

TEST(EligibilityTest, NotIndicatedSaysSoAndNeverCallsItAContraindication) {
    Intake intake = TrdIntake();
    intake.antidepressant_trials.clear();
    Screening screening = MustScreen(intake, ClinicSettings{});
    const Finding* finding = FindRule(screening, "indication.not_established");
    ASSERT_NE(finding, nullptr);
    EXPECT_EQ(finding->severity, Severity::kContraindication);
    EXPECT_EQ(finding->message.rfind("Esketamine nasal spray is NOT INDICATED: only 0 of 2", 0), 0u)
        << finding->message;
    EXPECT_EQ(finding->message.find("contraindicat"), std::string::npos) << finding->message;
    EXPECT_FALSE(screening.indication_established);
    EXPECT_FALSE(screening.treatment_resistant);
}

struct TrialCase {
    std::string name;
    std::vector<AntidepressantTrial> trials;
    std::function<void(ScreeningSettings&)> configure;
    int count;
    std::vector<std::string> drugs;
    std::string message_part;
};

TEST(EligibilityTest, CountsAdequateFailedTrialsOfDifferentDrugs) {
    auto defaults = [](ScreeningSettings&) {};
    const std::vector<TrialCase> cases = {
        {"two different drugs",
         {{"sertraline", 6, true, 24.9, true}, {"escitalopram", 10, true, -20, true}},
         defaults,
         2,
         {"sertraline", "escitalopram"},
         "2 different drug(s)"},
        {"same drug twice counts once",
         {{"sertraline", 8, true, 0, true}, {"Sertraline ", 12, true, 5, true}},
         defaults,
         1,
         {"sertraline"},
         "Not counted: sertraline (same drug, counted once)."},
        {"a salt form is the same drug",
         {{"sertraline", 8, true, 0, true}, {"Sertraline HCl", 12, true, 5, true}},
         defaults,
         1,
         {"sertraline"},
         "Not counted: sertraline (same drug, counted once)."},
        {"a combination built on the same antidepressant is the same drug",
         {{"fluoxetine", 8, true, 0, true}, {"olanzapine/fluoxetine", 8, true, 0, true}},
         defaults,
         1,
         {"fluoxetine"},
         "Not counted: fluoxetine (same drug, counted once)."},
        {"a benzodiazepine or ketamine is no antidepressant trial",
         {{"lorazepam", 8, true, 0, true}, {"ketamine", 8, true, 0, true}, {"sertraline", 8, true, 0, true}},
         defaults,
         1,
         {"sertraline"},
         "Not counted: lorazepam (not an oral antidepressant); ketamine (not an oral antidepressant)."},
        {"an unknown name is not counted until a clinician has checked it",
         {{"sertraline", 8, true, 0, true}, {"Study Drug", 8, true, 0, true}},
         defaults,
         1,
         {"sertraline"},
         "Not counted: study drug (not recognised: count by hand)."},
        {"a brand name is its generic drug",
         {{"Zoloft", 8, true, 0, true},
          {"sertraline hydrochloride 100 mg", 8, true, 0, true},
          {"Lexapro", 8, true, 0, true}},
         defaults,
         2,
         {"sertraline", "escitalopram"},
         "Not counted: sertraline (same drug, counted once)."},
        {"augmentation agents are no antidepressant trials",
         {{"sertraline", 8, true, 0, true},
          {"Seroquel XR", 8, true, 0, true},
          {"lithium", 8, true, 0, true},
          {"Abilify", 8, true, 0, true},
          {"liothyronine", 8, true, 0, true}},
         defaults,
         1,
         {"sertraline"},
         "Not counted: quetiapine (augmentation agent, not an antidepressant trial); lithium (augmentation agent, "
         "not an antidepressant trial); aripiprazole (augmentation agent, not an antidepressant trial); "
         "liothyronine (augmentation agent, not an antidepressant trial)."},
        {"an augmented antidepressant counts as the antidepressant",
         {{"sertraline + aripiprazole", 8, true, 0, true}, {"Symbyax", 8, true, 0, true}},
         defaults,
         2,
         {"sertraline", "fluoxetine"},
         "2 different drug(s)"},
        {"5 weeks fails the default 6",
         {{"sertraline", 5, true, 0, true}, {"bupropion", 5, true, 0, true}},
         defaults,
         0,
         {},
         "sertraline (5 weeks, below 6); bupropion (5 weeks, below 6)"},
        {"5 weeks passes a 4-week setting",
         {{"sertraline", 5, true, 0, true}, {"bupropion", 4, true, 0, true}},
         [](ScreeningSettings& s) { s.trd_min_trial_weeks = 4; },
         2,
         {"sertraline", "bupropion"},
         "at least 4 weeks"},
        {"3 weeks fails a 4-week setting",
         {{"sertraline", 3, true, 0, true}},
         [](ScreeningSettings& s) { s.trd_min_trial_weeks = 4; },
         0,
         {},
         "3 weeks, below 4"},
        {"30 % improvement is a response under 25",
         {{"sertraline", 8, true, 30, true}},
         defaults,
         0,
         {},
         "sertraline (30 % improvement, not below 25 %)"},
        {"exactly 25 % is not below 25",
         {{"sertraline", 8, true, 25, true}},
         defaults,
         0,
         {},
         "25 % improvement, not below 25 %"},
        {"30 % improvement fails under 50",
         {{"sertraline", 8, true, 30, true}},
         [](ScreeningSettings& s) { s.trd_failure_below_percent = 50; },
         1,
         {"sertraline"},
         "below 50 %"},
        {"49.5 % is below 50",
         {{"sertraline", 8, true, 49.5, true}},
         [](ScreeningSettings& s) { s.trd_failure_below_percent = 50; },
         1,
         {"sertraline"},
         "1 different drug(s)"},
        {"previous episode does not count",
         {{"sertraline", 8, true, 0, false}},
         defaults,
         0,
         {},
         "sertraline (not in the current episode)"},
        {"inadequate dose does not count",
         {{"sertraline", 8, false, 0, true}},
         defaults,
         0,
         {},
         "sertraline (dose not adequate)"},
        {"no trials", {}, defaults, 0, {}, "0 different drug(s) with an adequate failed trial in the current episode"},
    };
    for (const TrialCase& c : cases) {
        Intake intake = TrdIntake(Product::kKetamineIv);
        intake.antidepressant_trials = c.trials;
        ClinicSettings settings;
        c.configure(settings.screening);
        Screening screening = MustScreen(intake, settings);
        EXPECT_EQ(screening.adequate_failed_trials, c.count) << c.name;
        EXPECT_EQ(screening.counted_trial_drugs, c.drugs) << c.name;
        EXPECT_EQ(screening.treatment_resistant, c.count >= 2) << c.name;
        EXPECT_EQ(FindRule(screening, "indication.trd_established") != nullptr, c.count >= 2) << c.name;
        EXPECT_EQ(FindRule(screening, "indication.not_established") != nullptr, c.count < 2) << c.name;
        const Finding* info = FindRule(screening, "indication.adequate_failed_trials");
        ASSERT_NE(info, nullptr) << c.name;
        EXPECT_EQ(info->severity, Severity::kInfo) << c.name;
        EXPECT_NE(info->message.find(c.message_part), std::string::npos)
            << c.name << ": \"" << info->message << "\" lacks \"" << c.message_part << "\"";
    }
}

TEST(EligibilityTest, CombinationsFollowTheMostSevereFinding) {
    struct Case {
        std::string name;
        IntakeSetup setup;
        Decision decision;
    };
    const std::vector<Case> cases = {
        {"contraindication + review",
         [](Intake& i, ClinicSettings&) {
             AddCodes(i.conditions, {"I71.4", "F20.9"});
         },
         Decision::kNotEligible},
        {"two cautions",
         [](Intake& i, ClinicSettings&) {
             i.breastfeeding = true;
             AddCodes(i.conditions, {"N30.10"});
         },
         Decision::kEligibleWithCautions},
        {"review + caution + interaction",
         [](Intake& i, ClinicSettings&) {
             i.breastfeeding = true;
             i.medications = {"lorazepam"};
             AddCodes(i.conditions, {"J44.9"});
         },
         Decision::kNeedsReview},
        {"caution + interaction",
         [](Intake& i, ClinicSettings&) {
             i.heart_rate_per_min = 120;
             i.medications = {"modafinil"};
         },
         Decision::kEligibleWithCautions},
        {"pregnancy policy review + aneurysm",
         [](Intake& i, ClinicSettings& s) {
             s.screening.pregnancy = PregnancyPolicy::kReview;
             i.sex = Sex::kFemale;
             i.pregnant = true;
             AddCodes(i.conditions, {"I72.0"});
         },
         Decision::kNotEligible},
    };
    for (const Case& c : cases) {
        Intake intake = TrdIntake();
        ClinicSettings settings;
        c.setup(intake, settings);
        Screening screening = MustScreen(intake, settings);
        EXPECT_EQ(screening.decision, c.decision) << c.name;
        EXPECT_EQ(screening.decision, DecideFromFindings(screening.findings)) << c.name;
        for (std::size_t k = 1; k < screening.findings.size(); ++k) {
            EXPECT_LE(screening.findings[k - 1].severity, screening.findings[k].severity)
                << c.name << ": findings not sorted by severity at " << k;
        }
    }
}

TEST(EligibilityTest, DecideFromFindingsIsThePrecedenceRule) {
    using S = Severity;
    struct Case {
        std::string name;
        std::vector<Severity> severities;
        Decision decision;
    };
    const std::vector<Case> cases = {
        {"none", {}, Decision::kEligible},
        {"info only", {S::kInfo, S::kInfo}, Decision::kEligible},
        {"caution", {S::kInfo, S::kCaution}, Decision::kEligibleWithCautions},
        {"interaction", {S::kInteraction}, Decision::kEligibleWithCautions},
        {"review beats caution", {S::kCaution, S::kReview, S::kInteraction}, Decision::kNeedsReview},
        {"contraindication beats review", {S::kReview, S::kContraindication}, Decision::kNotEligible},
        {"contraindication with info", {S::kContraindication, S::kInfo}, Decision::kNotEligible},
    };
    for (const Case& c : cases) {
        std::vector<Finding> findings;
        for (Severity severity : c.severities)
            findings.push_back(Finding{"rule", severity, "message", "source"});
        EXPECT_EQ(DecideFromFindings(findings), c.decision) << c.name;
    }
}

struct InvalidCase {
    std::string name;
    std::function<void(Intake&)> setup;
    ErrorCode code;
    std::string field;
    std::string message_part;
};

TEST(EligibilityTest, RejectsInvalidInputNamingTheFieldAndRange) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<InvalidCase> cases = {
        {"age -1", [](Intake& i) { i.age_years = -1; }, ErrorCode::kOutOfRange, "age_years",
         "between 0 and 120 years (got -1 years)"},
        {"age 121", [](Intake& i) { i.age_years = 121; }, ErrorCode::kOutOfRange, "age_years", "(got 121 years)"},
        {"weight 29.9", [](Intake& i) { i.weight_kg = 29.9; }, ErrorCode::kOutOfRange, "weight_kg",
         "between 30 and 250 kg (got 29.9 kg)"},
        {"weight 250.5", [](Intake& i) { i.weight_kg = 250.5; }, ErrorCode::kOutOfRange, "weight_kg", "250.5 kg"},
        {"weight NaN", [nan](Intake& i) { i.weight_kg = nan; }, ErrorCode::kOutOfRange, "weight_kg",
         "between 30 and 250 kg"},
        {"malformed diagnosis",
         [](Intake& i) {
             i.diagnoses = {"F33.2", "33.2"};
         },
         ErrorCode::kInvalidArgument, "diagnoses[1]", "(got \"33.2\")"},
        {"malformed condition", [](Intake& i) { i.conditions = {"I71."}; }, ErrorCode::kInvalidArgument,
         "conditions[0]", "ICD-10-CM code"},
        {"empty allergy", [](Intake& i) { i.allergies = {""}; }, ErrorCode::kInvalidArgument, "allergies[0]",
         "non-empty substance name"},
        {"blank medication",
         [](Intake& i) {
             i.medications = {"sertraline", "  "};
         },
         ErrorCode::kInvalidArgument, "medications[1]", "non-empty generic drug name"},
        {"empty trial drug", [](Intake& i) { i.antidepressant_trials[1].drug = ""; }, ErrorCode::kInvalidArgument,
         "antidepressant_trials[1].drug", "non-empty"},
        {"trial drug of separators only", [](Intake& i) { i.antidepressant_trials[0].drug = " / - "; },
         ErrorCode::kInvalidArgument, "antidepressant_trials[0].drug", "must be a non-empty generic drug name"},
        {"medication of separators only", [](Intake& i) { i.medications = {"/"}; }, ErrorCode::kInvalidArgument,
         "medications[0]", "must be a non-empty generic drug name"},
        {"trial weeks -1", [](Intake& i) { i.antidepressant_trials[1].weeks = -1; }, ErrorCode::kOutOfRange,
         "antidepressant_trials[1].weeks", "between 0 and 520 weeks (got -1 weeks)"},
        {"trial weeks 521", [](Intake& i) { i.antidepressant_trials[0].weeks = 521; }, ErrorCode::kOutOfRange,
         "antidepressant_trials[0].weeks", "(got 521 weeks)"},
        {"improvement 100.5", [](Intake& i) { i.antidepressant_trials[0].improvement_percent = 100.5; },
         ErrorCode::kOutOfRange, "antidepressant_trials[0].improvement_percent", "between -100 and 100 %"},
        {"improvement -101", [](Intake& i) { i.antidepressant_trials[1].improvement_percent = -101; },
         ErrorCode::kOutOfRange, "antidepressant_trials[1].improvement_percent", "(got -101 %)"},
        {"improvement NaN", [nan](Intake& i) { i.antidepressant_trials[1].improvement_percent = nan; },
         ErrorCode::kOutOfRange, "antidepressant_trials[1].improvement_percent", "between -100 and 100 %"},
        {"systolic 39",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{39, 20};
         },
         ErrorCode::kOutOfRange, "blood_pressure.systolic", "between 40 and 300 mmHg (got 39 mmHg)"},
        {"systolic 301",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{301, 100};
         },
         ErrorCode::kOutOfRange, "blood_pressure.systolic", "(got 301 mmHg)"},
        {"diastolic 19",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{120, 19};
         },
         ErrorCode::kOutOfRange, "blood_pressure.diastolic", "between 20 and 200 mmHg (got 19 mmHg)"},
        {"diastolic 201",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{250, 201};
         },
         ErrorCode::kOutOfRange, "blood_pressure.diastolic", "(got 201 mmHg)"},
        {"systolic equal to diastolic",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{90, 90};
         },
         ErrorCode::kInvalidArgument, "blood_pressure", "systolic (90 mmHg) must be above diastolic (90 mmHg)"},
        {"systolic below diastolic",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{80, 120};
         },
         ErrorCode::kInvalidArgument, "blood_pressure", "must be above diastolic"},
        {"heart rate 19", [](Intake& i) { i.heart_rate_per_min = 19; }, ErrorCode::kOutOfRange, "heart_rate",
         "between 20 and 250 /min (got 19 /min)"},
        {"heart rate 251", [](Intake& i) { i.heart_rate_per_min = 251; }, ErrorCode::kOutOfRange, "heart_rate",
         "(got 251 /min)"},
    };
    for (const InvalidCase& c : cases) {
        Intake intake = TrdIntake();
        c.setup(intake);
        Result<Screening> result = Screen(intake, ClinicSettings{});
        ASSERT_FALSE(result.ok()) << c.name;
        EXPECT_EQ(result.error().code, c.code) << c.name;
        EXPECT_EQ(result.error().field, c.field) << c.name;
        EXPECT_NE(result.error().message.find(c.message_part), std::string::npos)
            << c.name << ": \"" << result.error().message << "\" lacks \"" << c.message_part << "\"";
        EXPECT_FALSE(ValidateIntake(intake).ok()) << c.name;
    }
}

TEST(EligibilityTest, AcceptsTheEdgesOfEveryRange) {
    const std::vector<std::pair<std::string, std::function<void(Intake&)>>> cases = {
        {"age 0", [](Intake& i) { i.age_years = 0; }},
        {"age 120", [](Intake& i) { i.age_years = 120; }},
        {"weight 30", [](Intake& i) { i.weight_kg = 30.0; }},
        {"weight 250", [](Intake& i) { i.weight_kg = 250.0; }},
        {"BP 40/20",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{40, 20};
         }},
        {"BP 300/200",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{300, 200};
         }},
        {"BP 91/90",
         [](Intake& i) {
             i.blood_pressure = BloodPressure{91, 90};
         }},
        {"heart rate 20", [](Intake& i) { i.heart_rate_per_min = 20; }},
        {"heart rate 250", [](Intake& i) { i.heart_rate_per_min = 250; }},
        {"trial weeks 0 and 520",
         [](Intake& i) {
             i.antidepressant_trials[0].weeks = 0;
             i.antidepressant_trials[1].weeks = 520;
         }},
        {"improvement -100 and 100",
         [](Intake& i) {
             i.antidepressant_trials[0].improvement_percent = -100;
             i.antidepressant_trials[1].improvement_percent = 100;
         }},
        {"empty lists",
         [](Intake& i) {
             i.diagnoses.clear();
             i.antidepressant_trials.clear();
         }},
    };
    for (const auto& [name, setup] : cases) {
        Intake intake = TrdIntake();
        setup(intake);
        EXPECT_TRUE(ValidateIntake(intake).ok()) << name;
        EXPECT_TRUE(Screen(intake, ClinicSettings{}).ok()) << name;
    }
}

TEST(EligibilityTest, NamesRoundTripAndParseErrorsListTheChoices) {
    for (Product product : {Product::kKetamineIv, Product::kEsketamineNasal, Product::kKetamineIm,
                            Product::kKetamineOral, Product::kKetamineSublingual}) {
        Result<Product> parsed = ParseProduct(ProductName(product));
        ASSERT_TRUE(parsed.ok()) << ProductName(product);
        EXPECT_EQ(*parsed, product);
    }
    EXPECT_EQ(ProductName(Product::kKetamineIv), "ketamine-iv");
    EXPECT_EQ(ProductName(Product::kEsketamineNasal), "esketamine-nasal");
    EXPECT_EQ(ProductName(Product::kKetamineIm), "ketamine-im");
    EXPECT_EQ(ProductName(Product::kKetamineOral), "ketamine-oral");
    EXPECT_EQ(ProductName(Product::kKetamineSublingual), "ketamine-sublingual");
    Result<Product> bad_product = ParseProduct("Ketamine-IV");
    ASSERT_FALSE(bad_product.ok());
    EXPECT_EQ(bad_product.error().field, "product");
    EXPECT_EQ(bad_product.error().message,
              "must be one of: ketamine-iv, esketamine-nasal, ketamine-im, ketamine-oral, ketamine-sublingual "
              "(got \"Ketamine-IV\")");

    for (Sex sex : {Sex::kFemale, Sex::kMale, Sex::kOther, Sex::kUnknown}) {
        Result<Sex> parsed = ParseSex(SexName(sex));
        ASSERT_TRUE(parsed.ok()) << SexName(sex);
        EXPECT_EQ(*parsed, sex);
    }
    EXPECT_EQ(SexName(Sex::kFemale), "female");
    EXPECT_FALSE(ParseSex("f").ok());

    const std::vector<std::pair<Severity, std::string>> severities = {{Severity::kContraindication, "contraindication"},
                                                                      {Severity::kReview, "review"},
                                                                      {Severity::kCaution, "caution"},
                                                                      {Severity::kInteraction, "interaction"},
                                                                      {Severity::kInfo, "info"}};
    for (const auto& [severity, name] : severities) {
        EXPECT_EQ(SeverityName(severity), name);
        Result<Severity> parsed = ParseSeverity(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(*parsed, severity);
    }
    const std::vector<std::pair<Decision, std::string>> decisions = {
        {Decision::kEligible, "eligible"},
        {Decision::kEligibleWithCautions, "eligible_with_cautions"},
        {Decision::kNeedsReview, "needs_review"},
        {Decision::kNotEligible, "not_eligible"}};
    for (const auto& [decision, name] : decisions) {
        EXPECT_EQ(DecisionName(decision), name);
        Result<Decision> parsed = ParseDecision(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(*parsed, decision);
    }
    EXPECT_EQ(ParseDecision("eligible-with-cautions").error().field, "decision");

    const std::vector<std::pair<std::string, ChildPugh>> classes = {
        {"a", ChildPugh::kA}, {"B", ChildPugh::kB}, {"c", ChildPugh::kC}, {"C", ChildPugh::kC}};
    for (const auto& [text, child_pugh] : classes) {
        Result<ChildPugh> parsed = ParseChildPugh(text);
        ASSERT_TRUE(parsed.ok()) << text;
        EXPECT_EQ(*parsed, child_pugh) << text;
    }
    EXPECT_EQ(ChildPughName(ChildPugh::kB), "b");
    Result<ChildPugh> bad_class = ParseChildPugh("D");
    ASSERT_FALSE(bad_class.ok());
    EXPECT_EQ(bad_class.error().message, "must be one of: a, b, c (got \"D\")");
    EXPECT_TRUE(IsEsketamine(Product::kEsketamineNasal));
    EXPECT_FALSE(IsEsketamine(Product::kKetamineSublingual));
}

TEST(EligibilityNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kSexNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kProductNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kChildPughNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kSeverityNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kDecisionNames), std::vector<int>{});
}

// Issue 15 §7: a screening keeps the settings it ran with: region and every screening.* setting, with their values.
TEST(ScreeningSettingsOfTest, NamesRegionAndEveryScreeningSettingWithItsValue) {
    ClinicSettings settings;
    settings.region = Region::kEu;
    settings.screening.intake_bp_caution_systolic = 130;
    std::set<std::string> expected = {"region"};
    for (const SettingSpec& spec : AllSettings(settings)) {
        if (spec.name.starts_with("screening.")) {
            expected.insert(spec.name);
        }
    }
    std::set<std::string> named;
    for (const SettingValue& setting : ScreeningSettingsOf(settings)) {
        named.insert(setting.name);
        if (setting.name == "region") {
            EXPECT_EQ(setting.value, "eu");
        }
        if (setting.name == "screening.intake_bp_caution_systolic") {
            EXPECT_EQ(setting.value, "130");
        }
    }
    EXPECT_EQ(named, expected);
    EXPECT_GT(expected.size(), 8U);
}

}  // namespace
}  // namespace kclinic::clinical
