#pragma once

// Eligibility screening for a ketamine or esketamine course: a structured intake goes in, a list of findings
// (each with a stable rule id, a severity, a message and its source) and a decision derived from them come out.
// The rules and their sources are listed in docs/clinical-rules.md ("Eligibility screening").

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"

namespace kclinic::clinical {

enum class Sex { kFemale, kMale, kOther, kUnknown };

// The product and route of the planned course. Esketamine nasal spray is the labelled product; the racemic
// ketamine routes are off-label for psychiatric use.
enum class Product { kKetamineIv, kEsketamineNasal, kKetamineIm, kKetamineOral, kKetamineSublingual };

enum class ChildPugh { kA, kB, kC };

enum class Severity { kContraindication, kReview, kCaution, kInteraction, kInfo };

enum class Decision { kEligible, kEligibleWithCautions, kNeedsReview, kNotEligible };

inline constexpr auto kSexNames = MakeEnumNames<Sex>(
    {{Sex::kFemale, "female"}, {Sex::kMale, "male"}, {Sex::kOther, "other"}, {Sex::kUnknown, "unknown"}});
[[nodiscard]] constexpr std::string_view SexName(Sex sex) {
    return kSexNames.Name(sex);
}
// Each Parse is the inverse of its Name. Error kInvalidArgument on the field ("sex", "product", "child_pugh",
// "severity", "decision"): `must be one of: <the names> (got "<name>")`.
[[nodiscard]] Result<Sex> ParseSex(std::string_view name);
inline constexpr auto kProductNames = MakeEnumNames<Product>({{Product::kKetamineIv, "ketamine-iv"},
                                                              {Product::kEsketamineNasal, "esketamine-nasal"},
                                                              {Product::kKetamineIm, "ketamine-im"},
                                                              {Product::kKetamineOral, "ketamine-oral"},
                                                              {Product::kKetamineSublingual, "ketamine-sublingual"}});
[[nodiscard]] constexpr std::string_view ProductName(Product product) {
    return kProductNames.Name(product);
}
[[nodiscard]] Result<Product> ParseProduct(std::string_view name);
inline constexpr auto kChildPughNames =
    MakeEnumNames<ChildPugh>({{ChildPugh::kA, "a"}, {ChildPugh::kB, "b"}, {ChildPugh::kC, "c"}});
[[nodiscard]] constexpr std::string_view ChildPughName(ChildPugh child_pugh) {
    return kChildPughNames.Name(child_pugh);
}
// Parsing also accepts upper case ("C").
[[nodiscard]] Result<ChildPugh> ParseChildPugh(std::string_view name);
inline constexpr auto kSeverityNames = MakeEnumNames<Severity>({{Severity::kContraindication, "contraindication"},
                                                                {Severity::kReview, "review"},
                                                                {Severity::kCaution, "caution"},
                                                                {Severity::kInteraction, "interaction"},
                                                                {Severity::kInfo, "info"}});
[[nodiscard]] constexpr std::string_view SeverityName(Severity severity) {
    return kSeverityNames.Name(severity);
}
[[nodiscard]] Result<Severity> ParseSeverity(std::string_view name);
inline constexpr auto kDecisionNames =
    MakeEnumNames<Decision>({{Decision::kEligible, "eligible"},
                             {Decision::kEligibleWithCautions, "eligible_with_cautions"},
                             {Decision::kNeedsReview, "needs_review"},
                             {Decision::kNotEligible, "not_eligible"}});
[[nodiscard]] constexpr std::string_view DecisionName(Decision decision) {
    return kDecisionNames.Name(decision);
}
[[nodiscard]] Result<Decision> ParseDecision(std::string_view name);

// True for esketamine nasal spray, false for every racemic ketamine route.
[[nodiscard]] bool IsEsketamine(Product product);

struct BloodPressure {
    int systolic_mmhg = 0;   // 40..300, above diastolic
    int diastolic_mmhg = 0;  // 20..200
};

// One prior antidepressant trial.
struct AntidepressantTrial {
    // Generic name. Trials are of one drug when their antidepressant ingredients match (case, salt and release
    // form ignored; "olanzapine/fluoxetine" is a fluoxetine trial, see DrugComponents); a drug the table knows as
    // no oral antidepressant (e.g. lorazepam) is no antidepressant trial.
    std::string drug;
    int weeks = 0;                     // weeks at the trial dose, 0..520
    bool adequate_dose = false;        // at least the minimum effective dose (clinician judgement)
    double improvement_percent = 0.0;  // symptom reduction from the trial's baseline, -100..100 (negative: worse)
    bool current_episode = false;      // given in the current depressive episode
};

struct Intake {
    int age_years = 0;  // 0..120
    Sex sex = Sex::kUnknown;
    std::optional<bool> pregnant;  // absent: not recorded
    bool breastfeeding = false;
    std::optional<double> weight_kg;  // 30..250 kg when present
    Product product = Product::kKetamineIv;
    std::vector<std::string> diagnoses;    // ICD-10-CM codes (psychiatric diagnoses)
    std::vector<std::string> conditions;   // ICD-10-CM codes (medical history); read exactly like diagnoses
    std::vector<std::string> allergies;    // substance names, non-empty
    std::vector<std::string> medications;  // current medications, generic names ("a/b" for combinations), non-empty
    std::vector<AntidepressantTrial> antidepressant_trials;
    std::optional<BloodPressure> blood_pressure;  // seated intake BP
    std::optional<int> heart_rate_per_min;        // 20..250 /min when present
    bool acute_suicidal_ideation = false;         // current (acute) suicidal ideation or behaviour
    // Fields beyond the minimum intake:
    std::optional<ChildPugh> child_pugh;  // hepatic impairment class, when assessed
    bool japanese_ancestry = false;       // EU SmPC esketamine start dose 28 mg
    bool hypertensive_encephalopathy_history = false;
    bool ketamine_misuse_history = false;  // prior ketamine or PCP misuse
};

struct Finding {
    std::string rule_id;  // stable, e.g. "contraindication.aneurysm", "interaction.mao_inhibitor"
    Severity severity = Severity::kInfo;
    std::string message;  // names the code, drug or value that triggered it, and what to do
    std::string source;   // label / guideline / paper with the reference's tag
};

struct Screening {
    Decision decision = Decision::kEligible;
    std::vector<Finding> findings;   // most severe first; within a severity, in rule order
    int adequate_failed_trials = 0;  // different drugs with an adequate failed trial in the current episode
    std::vector<std::string> counted_trial_drugs;  // those drugs (antidepressant ingredients), in intake order
    bool treatment_resistant = false;              // MDD (not bipolar) and adequate_failed_trials >= 2
    bool indication_established = false;  // TRD, or (esketamine) MDD with acute suicidal ideation and an oral AD
};

// The decision a list of findings implies: any contraindication -> not_eligible; otherwise any review ->
// needs_review; otherwise any caution or interaction -> eligible_with_cautions; otherwise (info only, or none)
// eligible.
[[nodiscard]] Decision DecideFromFindings(std::span<const Finding> findings);

// OK when every field is in range; otherwise the first offending field, in declaration order, with the allowed
// range: kOutOfRange for a number ("antidepressant_trials[1].weeks"), kInvalidArgument for a malformed ICD-10-CM
// code ("diagnoses[0]"), a name that is empty or only separators ("medications[2]") or a systolic BP not above
// the diastolic ("blood_pressure").
[[nodiscard]] Status ValidateIntake(const Intake& intake);

// Screens `intake` against the rules, with thresholds from `settings` (PRECONDITION: settings within the bounds
// the settings registry enforces). Errors: those of ValidateIntake.
[[nodiscard]] Result<Screening> Screen(const Intake& intake, const ClinicSettings& settings);

// The settings Screen reads (region and every screening.* setting) with their values in `settings`, in the
// registry's order: what a stored screening keeps so it can be re-explained after a clinic changes a threshold.
[[nodiscard]] std::vector<SettingValue> ScreeningSettingsOf(const ClinicSettings& settings);

// Whole years from `born` to `on`; the birthday itself counts.
[[nodiscard]] int AgeInYears(std::chrono::sys_days born, std::chrono::sys_days on);

// The systolic BP above which a patient of `age_years` needs evaluation before a dose: the label's 140 mmHg, or with
// region eu at 65 or over the EU SmPC's 150 mmHg (settings screening.intake_bp_caution_systolic[_eu_65_plus]). The
// intake screening and the pre-dose gate of every session use this one rule.
[[nodiscard]] int BpCautionSystolic(const ClinicSettings& settings, int age_years);

}  // namespace kclinic::clinical
