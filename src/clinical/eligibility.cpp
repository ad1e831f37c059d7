#include "base/text.hpp"
#include "clinical/eligibility.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <utility>

#include "clinical/condition_codes.hpp"
#include "clinical/label_rules.hpp"
#include "clinical/medications.hpp"
#include "clinical/plausibility.hpp"

namespace kclinic::clinical {

namespace {

// Input plausibility bounds: values outside them are typing errors, not patients.
constexpr int kMaxTrialWeeks = 520;
constexpr double kMinImprovementPercent = -100.0;
constexpr double kMaxImprovementPercent = 100.0;

// "At least two different antidepressants" is the definition itself (Spravato USPI, EMA guideline, Sforzini
// Delphi), not a clinic preference, so it is not a setting.
constexpr int kTrdMinDifferentDrugs = 2;
// Ages at which a missing pregnancy status must be recorded before deciding [PRACTICE].
constexpr int kPregnancyCheckMinAgeYears = 12;
constexpr int kPregnancyCheckMaxAgeYears = 55;

// Screening's parsers have always answered in this form, which API clients and the CLI show.
template <typename Enum, std::size_t N>
Result<Enum> ParseByName(const EnumNames<Enum, N>& names, std::string field, std::string_view text) {
    if (std::optional<Enum> value = names.Parse(text)) {
        return *value;
    }
    return InvalidArgument(std::move(field),
                           "must be one of: " + names.List() + " (got \"" + std::string(text) + "\")");
}

// A condition the code table recognises, and what the screening does about it. Conditions without a row
// (pregnancy, the depressive disorders, PTSD, GAD) drive the pregnancy and indication rules instead.
struct ConditionRule {
    Condition condition;
    Severity severity;
    std::string_view rule_id;
    std::string_view action;
};

constexpr ConditionRule kConditionRules[] = {
    {Condition::kAneurysm, Severity::kContraindication, "contraindication.aneurysm",
     "contraindicated for every ketamine product (a blood-pressure rise may cause rupture)"},
    {Condition::kArteriovenousMalformation, Severity::kContraindication, "contraindication.arteriovenous_malformation",
     "contraindicated for every ketamine product"},
    {Condition::kIntracerebralHaemorrhage, Severity::kContraindication, "contraindication.intracerebral_haemorrhage",
     "contraindicated for every ketamine product"},
    {Condition::kPreEclampsia, Severity::kContraindication, "contraindication.pre_eclampsia",
     "contraindicated for every ketamine product"},
    {Condition::kPsychosis, Severity::kReview, "review.psychosis",
     "ketamine can worsen psychosis and trials excluded these patients; clinician review"},
    {Condition::kBipolarOrMania, Severity::kReview, "review.bipolar_mania",
     "risk of a switch to mania and excluded from the trials; clinician review"},
    {Condition::kSubstanceUseDisorder, Severity::kReview, "review.substance_use",
     "abuse and misuse risk (Schedule III); clinician review, urine drug screen where misuse is a concern"},
    {Condition::kSubstanceUseInRemission, Severity::kCaution, "caution.substance_use_in_remission",
     "the history raises the abuse and misuse risk; assess before and monitor during treatment"},
    {Condition::kAcuteCoronarySyndrome, Severity::kReview, "review.cardiac_unstable",
     "a BP and heart-rate rise may be dangerous; confirm the date (EU SmPC: within 6 weeks) and stability; clinician "
     "review, dose only where resuscitation equipment and CPR-trained staff are present"},
    {Condition::kPriorMyocardialInfarction, Severity::kCaution, "caution.prior_myocardial_infarction",
     "confirm the patient is stable and free of cardiac symptoms"},
    {Condition::kValvularHeartDisease, Severity::kCaution, "caution.valvular_disease",
     "assess whether it is haemodynamically significant"},
    {Condition::kHeartFailure, Severity::kReview, "review.heart_failure",
     "NYHA class III-IV needs particular attention; clinician review"},
    {Condition::kStrokeOrTia, Severity::kReview, "review.stroke_tia",
     "confirm the date (EU SmPC: within 6 months) and stability; clinician review"},
    {Condition::kRaisedIntracranialPressure, Severity::kReview, "review.intracranial_pressure",
     "do not give where a rise in intracranial pressure poses a serious risk; clinician review"},
    {Condition::kHypertensiveEncephalopathy, Severity::kReview, "review.hypertensive_encephalopathy",
     "needs closer BP and symptom monitoring; clinician review"},
    {Condition::kHeadInjury, Severity::kReview, "review.head_injury",
     "intracranial pressure may rise; clinician review"},
    {Condition::kHypertensiveCrisis, Severity::kReview, "review.hypertensive_crisis",
     "do not give while a BP rise poses a serious risk; clinician review"},
    {Condition::kRaisedIntraocularPressure, Severity::kReview, "review.intraocular_pressure",
     "ketamine raises intraocular pressure; clinician review"},
    {Condition::kHyperthyroidism, Severity::kReview, "review.hyperthyroidism",
     "contraindicated when untreated (Swiss SmPC); confirm it is treated; clinician review"},
    {Condition::kSevereHepaticImpairment, Severity::kReview, "review.hepatic_impairment",
     "Child-Pugh C is not recommended for esketamine and prolongs ketamine's effect; clinician review, baseline "
     "LFTs"},
    {Condition::kRespiratoryDisease, Severity::kReview, "review.respiratory",
     "higher risk of respiratory depression; clinician review, continuous SpO2 during monitoring"},
    {Condition::kCystitisOrUrinarySymptoms, Severity::kCaution, "caution.urinary",
     "ketamine can cause cystitis with repeated use; record baseline urinary symptoms and screen each course"},
    {Condition::kSuicidalIdeation, Severity::kReview, "review.acute_suicidal_ideation",
     "ketamine and esketamine do not replace hospitalization when it is clinically indicated and have not been "
     "shown to prevent suicide; assess risk and the level of care"},
};

// One decimal at most: "12", "24.5", "-10".
std::string FormatPercent(double value) {
    long long tenths = std::llround(value * 10.0);
    std::string sign = tenths < 0 ? "-" : "";
    tenths = std::llabs(tenths);
    std::string out = sign + std::to_string(tenths / 10);
    if (tenths % 10 != 0) {
        out += "." + std::to_string(tenths % 10);
    }
    return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) {
            out += separator;
        }
        out += item;
    }
    return out;
}

// The drug of an antidepressant trial as the count compares it. The label counts different oral
// antidepressants, so the name is the antidepressant ingredient(s): a brand, salt or release form is the same drug
// ("Zoloft" and "sertraline hydrochloride" are sertraline) and so is a combination built on it
// ("olanzapine/fluoxetine" is a fluoxetine trial). Anything else is not counted, with the reason: an augmentation
// agent (quetiapine, lithium) is added to an antidepressant and is no antidepressant trial of its own (Spravato
// USPI, EMA guideline: "different antidepressants"); another known drug (lorazepam, ketamine) is no antidepressant;
// and a name the dictionary does not know cannot be counted until a clinician has checked it.
struct TrialDrug {
    std::string name;
    std::string_view not_counted;  // empty when the trial is of an oral antidepressant
};

bool HasClass(const std::vector<DrugClass>& classes, DrugClass drug_class) {
    return std::ranges::find(classes, drug_class) != classes.end();
}

TrialDrug IdentifyTrialDrug(std::string_view drug) {
    const std::vector<std::string> components = DrugComponents(drug);
    std::vector<std::string> antidepressants;
    for (const std::string& component : components) {
        if (HasClass(DrugClassesOfComponents(std::span(&component, 1)), DrugClass::kOralAntidepressant)) {
            antidepressants.push_back(component);
        }
    }
    if (!antidepressants.empty()) {
        return {Join(antidepressants, "/"), ""};
    }
    const std::vector<DrugClass> classes = DrugClassesOfComponents(components);
    std::string_view reason = "not an oral antidepressant";
    if (!std::ranges::all_of(components, [](const std::string& component) { return IsKnownIngredient(component); })) {
        reason = "not recognised: count by hand";
    } else if (HasClass(classes, DrugClass::kAugmentationAgent)) {
        reason = "augmentation agent, not an antidepressant trial";
    }
    return {Join(components, "/"), reason};
}

std::string Capitalized(std::string_view text) {
    std::string out(text);
    if (!out.empty()) {
        out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    }
    return out;
}

void AddUnique(std::vector<std::string>& items, std::string item) {
    if (std::find(items.begin(), items.end(), item) == items.end()) {
        items.push_back(std::move(item));
    }
}

// A medication as the findings name it: as written, followed by its generic ingredients where the name does not
// spell them ("xanax 0.5 mg = alprazolam", "norco 10/325 = acetaminophen/hydrocodone"), so that a clinician sees
// which drug the rule read.
std::string WithIngredients(const std::string& name, const std::vector<std::string>& components) {
    const bool spelt = std::ranges::all_of(
        components, [&name](const std::string& component) { return name.find(component) != std::string::npos; });
    return spelt ? name : name + " = " + Join(components, "/");
}

bool MentionsKetamine(std::string_view allergy) {
    std::string name = NormalizeDrugName(allergy);
    // "ketamine" also covers esketamine, arketamine and salt names; the brands are Ketalar and Spravato.
    return name.find("ketamine") != std::string::npos || name == "ketalar" || name == "spravato";
}

Status ValidateCodes(const std::vector<std::string>& codes, std::string_view list_name) {
    for (std::size_t i = 0; i < codes.size(); ++i) {
        RETURN_IF_ERROR(NormalizeIcd10Cm(codes[i], std::string(list_name) + "[" + std::to_string(i) + "]"));
    }
    return Status::Ok();
}

Status ValidateNames(const std::vector<std::string>& names, std::string_view list_name, std::string_view what) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        // A name of separators only ("/", " - ") has no component to read.
        if (DrugComponents(names[i]).empty()) {
            return InvalidArgument(std::string(list_name) + "[" + std::to_string(i) + "]",
                                   "must be a non-empty " + std::string(what));
        }
    }
    return Status::Ok();
}

class Screener {
public:
    Screener(const Intake& intake, const ClinicSettings& settings) : intake_(intake), settings_(settings) {
        for (const auto* list : {&intake.diagnoses, &intake.conditions}) {
            for (const std::string& raw : *list) {
                // Validated before construction, so the code is well formed.
                std::string code = NormalizeIcd10Cm(raw, "").value();
                for (Condition condition : ConditionsOf(code)) {
                    AddUnique(codes_by_condition_[condition], code);
                }
            }
        }
        for (const std::string& raw : intake.medications) {
            const std::string name = NormalizeDrugName(raw);
            const std::vector<std::string> components = DrugComponents(name);
            for (DrugClass drug_class : DrugClassesOfComponents(components)) {
                AddUnique(drugs_by_class_[drug_class], WithIngredients(name, components));
            }
        }
    }

    Screening Run() && {
        CheckIndication();
        CheckHypersensitivity();
        CheckAge();
        CheckPregnancy();
        CheckConditions();
        CheckHepaticClass();
        CheckBloodPressure();
        CheckHeartRate();
        CheckInteractions();
        CheckUnrecognisedDrugs();
        CheckDosingNotes();
        std::stable_sort(screening_.findings.begin(), screening_.findings.end(),
                         [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
        screening_.decision = DecideFromFindings(screening_.findings);
        return std::move(screening_);
    }

private:
    void Add(std::string_view rule_id, Severity severity, std::string message, std::string_view source) {
        screening_.findings.push_back(Finding{std::string(rule_id), severity, std::move(message), std::string(source)});
    }

    [[nodiscard]] const std::vector<std::string>& Codes(Condition condition) const {
        static const std::vector<std::string> kNone;
        auto found = codes_by_condition_.find(condition);
        return found == codes_by_condition_.end() ? kNone : found->second;
    }
    [[nodiscard]] bool Has(Condition condition) const { return !Codes(condition).empty(); }
    [[nodiscard]] std::string CodesOf(Condition condition) const { return Join(Codes(condition)); }
    [[nodiscard]] bool Esketamine() const { return IsEsketamine(intake_.product); }

    [[nodiscard]] std::vector<std::string> OralAntidepressants() const {
        auto found = drugs_by_class_.find(DrugClass::kOralAntidepressant);
        return found == drugs_by_class_.end() ? std::vector<std::string>{} : found->second;
    }

    // Why a trial of an oral antidepressant is no adequate failed trial in the current episode; empty when it is.
    [[nodiscard]] std::string TrialShortfall(const AntidepressantTrial& trial) const {
        const ScreeningSettings& rules = settings_.screening;
        if (!trial.current_episode) {
            return "not in the current episode";
        }
        if (!trial.adequate_dose) {
            return "dose not adequate";
        }
        if (trial.weeks < rules.trd_min_trial_weeks) {
            return std::to_string(trial.weeks) + " weeks, below " + std::to_string(rules.trd_min_trial_weeks);
        }
        if (!(trial.improvement_percent < rules.trd_failure_below_percent)) {
            return FormatPercent(trial.improvement_percent) + " % improvement, not below " +
                   std::to_string(rules.trd_failure_below_percent) + " %";
        }
        return "";
    }

    // Counts the different drugs with an adequate failed trial in the current episode and reports them.
    void CountTrials() {
        const ScreeningSettings& rules = settings_.screening;
        std::vector<std::string> not_counted;
        for (const AntidepressantTrial& trial : intake_.antidepressant_trials) {
            const TrialDrug trial_drug = IdentifyTrialDrug(trial.drug);
            std::string drug = trial_drug.name;
            std::string reason =
                trial_drug.not_counted.empty() ? TrialShortfall(trial) : std::string(trial_drug.not_counted);
            if (reason.empty() &&
                std::find(screening_.counted_trial_drugs.begin(), screening_.counted_trial_drugs.end(), drug) !=
                    screening_.counted_trial_drugs.end()) {
                reason = "same drug, counted once";
            }
            if (reason.empty()) {
                screening_.counted_trial_drugs.push_back(drug);
            } else {
                drug.append(" (").append(reason).append(")");
                not_counted.push_back(std::move(drug));
            }
        }
        screening_.adequate_failed_trials = static_cast<int>(screening_.counted_trial_drugs.size());

        std::string message = std::to_string(screening_.adequate_failed_trials) +
                              " different drug(s) with an adequate failed trial in the current episode (" +
                              std::to_string(kTrdMinDifferentDrugs) + " needed)";
        if (!screening_.counted_trial_drugs.empty()) {
            message += ": " + Join(screening_.counted_trial_drugs);
        }
        message += ". A trial of an oral antidepressant counts at an adequate dose for at least " +
                   std::to_string(rules.trd_min_trial_weeks) + " weeks with improvement below " +
                   std::to_string(rules.trd_failure_below_percent) + " %.";
        if (!not_counted.empty()) {
            message += " Not counted: " + Join(not_counted, "; ") + ".";
        }
        Add("indication.adequate_failed_trials", Severity::kInfo, std::move(message),
            "Spravato USPI indication [LABEL-US]; EMA guideline [GUIDE]; weeks and % are clinic settings "
            "(⚠ CONFLICT 4 vs 6 weeks, 25 vs 50 %)");
    }

    void CheckIndication() {
        CountTrials();
        const bool mdd = Has(Condition::kMajorDepressiveDisorder);
        const bool bipolar = Has(Condition::kBipolarOrMania);
        const bool unipolar_mdd = mdd && !bipolar;
        const std::vector<std::string> oral_antidepressants = OralAntidepressants();
        screening_.treatment_resistant = unipolar_mdd && screening_.adequate_failed_trials >= kTrdMinDifferentDrugs;
        CheckMddRemission();
        const bool esketamine_suicidality_indication =
            Esketamine() && unipolar_mdd && intake_.acute_suicidal_ideation && !oral_antidepressants.empty();

        if (!Esketamine()) {
            Add("indication.off_label", Severity::kInfo,
                "Racemic ketamine (" + std::string(ProductName(intake_.product)) +
                    ") is off-label for psychiatric use: document informed consent on off-label use.",
                "APA consensus, Sanacora 2017 [GUIDE]; CANMAT 2021 [GUIDE]");
        }
        if (screening_.treatment_resistant) {
            screening_.indication_established = true;
            std::string message = "Treatment-resistant depression established: MDD (" +
                                  CodesOf(Condition::kMajorDepressiveDisorder) + ") with " +
                                  std::to_string(screening_.adequate_failed_trials) +
                                  " different drugs failed at adequate dose and duration in the current episode.";
            if (Esketamine()) {
                message +=
                    " Labelled esketamine indication: TRD in adults, as monotherapy or with an oral "
                    "antidepressant.";
            }
            Add("indication.trd_established", Severity::kInfo, std::move(message),
                "Spravato USPI indications (monotherapy since January 2025) [LABEL-US]; EMA guideline [GUIDE]");
            return;
        }
        if (esketamine_suicidality_indication) {
            screening_.indication_established = true;
            Add("indication.mdd_suicidal_ideation", Severity::kInfo,
                "Esketamine indication established: MDD (" + CodesOf(Condition::kMajorDepressiveDisorder) +
                    ") with acute suicidal ideation or behaviour, with an oral antidepressant (" +
                    Join(oral_antidepressants) +
                    "). Label dosing: 84 mg twice weekly for 4 weeks (may be lowered to 56 mg twice weekly for "
                    "tolerability); evaluate benefit after 4 weeks.",
                "Spravato USPI §1 and §2 (MDD with acute suicidal ideation or behaviour) [LABEL-US]");
            return;
        }

        std::string reason;
        if (!mdd && bipolar) {
            reason = "bipolar disorder (" + CodesOf(Condition::kBipolarOrMania) +
                     ") and no unipolar MDD diagnosis; treatment resistance is defined for unipolar MDD";
        } else if (!mdd) {
            reason = "no major depressive disorder code (F32.0-F32.5, F32.9, F33.x)";
            if (Has(Condition::kOtherDepressiveDisorder)) {
                reason += "; " + CodesOf(Condition::kOtherDepressiveDisorder) +
                          " codes depression other than MDD: if the diagnosis is MDD, record its MDD code";
            }
        } else if (bipolar) {
            reason = "bipolar disorder (" + CodesOf(Condition::kBipolarOrMania) +
                     ") is recorded with MDD; treatment resistance is defined for unipolar MDD";
        } else {
            reason = "only " + std::to_string(screening_.adequate_failed_trials) + " of " +
                     std::to_string(kTrdMinDifferentDrugs) +
                     " different drugs with an adequate failed trial in the current episode";
        }
        const bool ptsd = Has(Condition::kPtsd);
        const bool gad = Has(Condition::kGeneralizedAnxietyDisorder);

        if (Esketamine()) {
            if (unipolar_mdd && intake_.acute_suicidal_ideation) {
                reason +=
                    "; MDD with acute suicidal ideation qualifies only together with an oral antidepressant, "
                    "and none is recognised among the medications";
            }
            if (ptsd) {
                reason += "; PTSD (" + CodesOf(Condition::kPtsd) + ") is not a labelled indication";
            }
            if (gad) {
                reason +=
                    "; GAD (" + CodesOf(Condition::kGeneralizedAnxietyDisorder) + ") is not a labelled indication";
            }
            // Not a contraindication: the label restricts esketamine to its indications, so the finding carries
            // the severity that makes the decision not_eligible while the message says what it is.
            Add("indication.not_established", Severity::kContraindication,
                "Esketamine nasal spray is NOT INDICATED: " + reason +
                    ". Labelled indications: TRD (inadequate response to at least 2 different oral antidepressants "
                    "at adequate dose and duration in the current episode) or MDD with acute suicidal ideation or "
                    "behaviour together with an oral antidepressant.",
                "Spravato USPI §1 indications and limitations of use [LABEL-US]");
            return;
        }

        if (ptsd) {
            Add("indication.off_label_ptsd", Severity::kReview,
                "PTSD (" + CodesOf(Condition::kPtsd) +
                    ") without established TRD: racemic ketamine for PTSD is off-label with conflicting trials "
                    "(Feder 2021 positive, Abdallah 2022 no benefit); prescriber decision.",
                "Feder 2021, Abdallah 2022 [TRIAL] ⚠ CONFLICT; not approved for PTSD anywhere found");
        }
        if (gad) {
            Add("indication.off_label_gad", Severity::kReview,
                "GAD (" + CodesOf(Condition::kGeneralizedAnxietyDisorder) +
                    ") without established TRD: racemic ketamine for anxiety is off-label with small studies "
                    "only; prescriber decision.",
                "Glue et al. [TRIAL] [UNVERIFIED]; not approved for anxiety anywhere found");
        }
        if (mdd || Has(Condition::kOtherDepressiveDisorder) || (!ptsd && !gad)) {
            Add("indication.not_established", Severity::kReview,
                "Treatment resistance not established: " + reason +
                    ". Racemic ketamine is off-label; the prescriber may still decide.",
                "Spravato USPI / EMA TRD definition [LABEL-US] [GUIDE]; CANMAT 2021 (third line for TRD) [GUIDE]");
        }
    }

    // TRD and the suicidal-ideation indication both need a current episode; an MDD coded only in full remission
    // contradicts that, so the code or the episode must be confirmed.
    void CheckMddRemission() {
        const std::vector<std::string>& mdd_codes = Codes(Condition::kMajorDepressiveDisorder);
        const std::vector<std::string>& remission_codes = Codes(Condition::kMajorDepressionInRemission);
        // The remission codes are a subset of the MDD codes, so equal counts mean every MDD code is one.
        if (mdd_codes.empty() || mdd_codes.size() != remission_codes.size()) {
            return;
        }
        const ConditionCodes& row = ConditionCodesFor(Condition::kMajorDepressionInRemission);
        Add("review.mdd_in_remission", Severity::kReview,
            "Every MDD code records full or unspecified remission (" + Join(remission_codes) +
                "): ketamine is for a current depressive episode; confirm the episode and update the code.",
            row.source);
    }

    void CheckHypersensitivity() {
        std::vector<std::string> matches;
        for (const std::string& allergy : intake_.allergies) {
            if (MentionsKetamine(allergy)) {
                AddUnique(matches, NormalizeDrugName(allergy));
            }
        }
        if (matches.empty()) {
            return;
        }
        Add("contraindication.hypersensitivity", Severity::kContraindication,
            "Hypersensitivity to ketamine or esketamine recorded (allergies: " + Join(matches) +
                "): contraindicated for every ketamine product.",
            "Spravato USPI §4, Ketalar USPI [LABEL-US]");
    }

    void CheckAge() {
        if (intake_.age_years >= kAdultAgeYears) {
            return;
        }
        const std::string age = "Age " + std::to_string(intake_.age_years) + " years (under 18)";
        if (Esketamine()) {
            Add("age.under_18", Severity::kContraindication,
                age + ": esketamine safety and effectiveness are not established in patients under 18.",
                "Spravato USPI limitations of use [LABEL-US]");
            return;
        }
        const bool refuse = settings_.screening.racemic_minor == MinorPolicy::kNotEligible;
        Add("age.under_18", refuse ? Severity::kContraindication : Severity::kReview,
            age + ": racemic ketamine in minors; clinic policy (screening.racemic_minor) is " +
                (refuse ? "not eligible." : "clinician review."),
            "Reference §4.1 (configurable for racemic) [PRACTICE]; setting screening.racemic_minor");
    }

    void CheckPregnancy() {
        const std::string codes = CodesOf(Condition::kPregnancy);
        const std::string_view source =
            "Spravato USPI §8.1 embryo-fetal toxicity [LABEL-US]; Ketalar USPI neurotoxicity warning [LABEL-US]; "
            "setting screening.pregnancy";
        const bool recorded_pregnant = intake_.pregnant.value_or(false);
        const bool coded_pregnant = !codes.empty() && !intake_.pregnant.has_value();
        if (recorded_pregnant || coded_pregnant) {
            const bool refuse = settings_.screening.pregnancy == PregnancyPolicy::kNotEligible;
            std::string evidence = recorded_pregnant ? "recorded on intake" : "pregnancy code " + codes;
            Add("pregnancy.pregnant", refuse ? Severity::kContraindication : Severity::kReview,
                "Pregnant (" + evidence +
                    "): not recommended (fetal neurotoxicity in animal data); clinic policy (screening.pregnancy) "
                    "is " +
                    (refuse ? "not eligible." : "clinician review."),
                source);
        } else if (!codes.empty()) {
            Add("pregnancy.record_conflict", Severity::kReview,
                "Intake records not pregnant, but pregnancy or puerperium code(s) " + codes +
                    " are present: confirm pregnancy status.",
                source);
        } else if (!intake_.pregnant.has_value() && intake_.sex != Sex::kMale &&
                   intake_.age_years >= kPregnancyCheckMinAgeYears && intake_.age_years <= kPregnancyCheckMaxAgeYears) {
            Add("pregnancy.status_not_recorded", Severity::kReview,
                "Pregnancy status not recorded (sex " + std::string(SexName(intake_.sex)) + ", age " +
                    std::to_string(intake_.age_years) + "): record it before deciding.",
                source);
        }
        if (intake_.breastfeeding) {
            Add("caution.breastfeeding", Severity::kCaution,
                "Breastfeeding: esketamine is present in human milk and breastfeeding is not recommended during "
                "treatment" +
                    std::string(Esketamine() ? "." : "; the same caution is applied to racemic ketamine."),
                "Spravato USPI §8.2 lactation [LABEL-US]; racemic: same caution by extension [PRACTICE]");
        }
    }

    void CheckConditions() {
        for (const ConditionRule& rule : kConditionRules) {
            std::vector<std::string> evidence = Codes(rule.condition);
            if (rule.condition == Condition::kHypertensiveEncephalopathy &&
                intake_.hypertensive_encephalopathy_history) {
                evidence.insert(evidence.begin(), "history recorded on intake");
            }
            if (rule.condition == Condition::kSuicidalIdeation && intake_.acute_suicidal_ideation) {
                evidence.insert(evidence.begin(), "acute, recorded on intake");
            }
            if (rule.condition == Condition::kSevereHepaticImpairment && intake_.child_pugh == ChildPugh::kC) {
                evidence.insert(evidence.begin(), "Child-Pugh C");
            }
            if (evidence.empty()) {
                continue;
            }
            const ConditionCodes& row = ConditionCodesFor(rule.condition);
            Add(rule.rule_id, rule.severity,
                Capitalized(row.description) + " (" + Join(evidence) + "): " + std::string(rule.action) + ".",
                row.source);
        }
        if (intake_.ketamine_misuse_history) {
            Add("review.ketamine_misuse", Severity::kReview,
                "Prior ketamine or PCP misuse recorded on intake: abuse and misuse risk; clinician review, urine "
                "drug screen.",
                "Spravato USPI boxed warning, abuse and misuse [LABEL-US]; reference §4.1 [PRACTICE]");
        }
    }

    void CheckHepaticClass() {
        if (intake_.child_pugh != ChildPugh::kB) {
            return;
        }
        Add("caution.hepatic_child_pugh_b", Severity::kCaution,
            "Child-Pugh B hepatic impairment: higher exposure and longer half-life; plan longer monitoring after "
            "each dose (EU SmPC: use the 84 mg esketamine dose with caution).",
            "Spravato USPI §8.6 [LABEL-US]; EU Spravato SmPC [LABEL-EU]");
    }

    void CheckBloodPressure() {
        const ScreeningSettings& rules = settings_.screening;
        if (!intake_.blood_pressure.has_value()) {
            Add("bp.not_recorded", Severity::kReview, "Intake blood pressure not recorded: measure it before deciding.",
                "Spravato USPI §5 (measure BP before dosing) [LABEL-US]; APA consensus (baseline BP) [GUIDE]");
            return;
        }
        const BloodPressure& bp = *intake_.blood_pressure;
        const std::string reading =
            "Intake BP " + std::to_string(bp.systolic_mmhg) + "/" + std::to_string(bp.diastolic_mmhg) + " mmHg";
        if (bp.systolic_mmhg >= rules.intake_bp_review_systolic ||
            bp.diastolic_mmhg >= rules.intake_bp_review_diastolic) {
            Add("bp.severely_elevated", Severity::kReview,
                reading + " is at or above " + std::to_string(rules.intake_bp_review_systolic) + "/" +
                    std::to_string(rules.intake_bp_review_diastolic) +
                    " mmHg: clinician review; do not give while a BP rise would pose a serious risk.",
                "Spravato USPI §5 [LABEL-US]; trial outlier definitions >=180/>=110 [LABEL-US]; ACC/AHA 2017 "
                "[GUIDE]; settings screening.intake_bp_review_*");
            return;
        }
        const bool eu_older = settings_.region == Region::kEu && intake_.age_years >= kEuOlderAdultAgeYears;
        const int systolic_gate = BpCautionSystolic(settings_, intake_.age_years);
        if (bp.systolic_mmhg > systolic_gate || bp.diastolic_mmhg > rules.intake_bp_caution_diastolic) {
            Add("bp.elevated", Severity::kCaution,
                reading + " is above " + std::to_string(systolic_gate) + "/" +
                    std::to_string(rules.intake_bp_caution_diastolic) + " mmHg" +
                    (eu_older ? " (EU gate for patients aged 65 or over)" : "") +
                    ": evaluate and weigh a short-term BP rise against benefit; consider lowering BP first.",
                eu_older ? "EU Spravato SmPC (>150/90 mmHg at 65 or over) [LABEL-EU]; setting "
                           "screening.intake_bp_caution_systolic_eu_65_plus"
                         : "Spravato USPI §5 (>140/90 mmHg) [LABEL-US]; EU Spravato SmPC [LABEL-EU]; settings "
                           "screening.intake_bp_caution_*");
        }
    }

    void CheckHeartRate() {
        if (!intake_.heart_rate_per_min.has_value()) {
            return;
        }
        const int limit = settings_.screening.intake_heart_rate_caution;
        if (*intake_.heart_rate_per_min <= limit) {
            return;
        }
        Add("heart_rate.elevated", Severity::kCaution,
            "Intake heart rate " + std::to_string(*intake_.heart_rate_per_min) + "/min is above " +
                std::to_string(limit) + "/min: evaluate before dosing (ketamine raises heart rate).",
            "Commonly attributed to APA consensus [UNVERIFIED]; setting screening.intake_heart_rate_caution");
    }

    void CheckInteractions() {
        for (const DrugClassInfo& info : DrugClassTable()) {
            if (info.interaction_rule_id.empty()) {
                continue;
            }
            auto found = drugs_by_class_.find(info.drug_class);
            if (found == drugs_by_class_.end()) {
                continue;
            }
            std::string drugs = Join(found->second);
            // Single-drug classes (lamotrigine, naltrexone) would otherwise read "naltrexone (naltrexone)".
            if (drugs != info.description) {
                drugs += " (" + std::string(info.description) + ")";
            }
            Add(info.interaction_rule_id, Severity::kInteraction,
                "Taking " + drugs + ": " + std::string(info.monitor) + ".", info.source);
        }
    }

    // A drug the dictionary does not know could belong to any class, interacting or counting as a trial: it is
    // never passed over in silence.
    void CheckUnrecognisedDrugs() {
        std::vector<std::string> medications;
        for (const std::string& name : intake_.medications) {
            if (!UnrecognisedComponents(name).empty()) {
                AddUnique(medications, NormalizeDrugName(name));
            }
        }
        std::vector<std::string> trial_drugs;
        for (const AntidepressantTrial& trial : intake_.antidepressant_trials) {
            if (!UnrecognisedComponents(trial.drug).empty()) {
                AddUnique(trial_drugs, NormalizeDrugName(trial.drug));
            }
        }
        std::vector<std::string> lists;
        if (!medications.empty()) {
            lists.push_back("medications: " + Join(medications));
        }
        if (!trial_drugs.empty()) {
            lists.push_back("antidepressant trials: " + Join(trial_drugs));
        }
        if (lists.empty()) {
            return;
        }
        Add("review.drug_not_recognised", Severity::kReview,
            "Not recognised by the drug dictionary (" + Join(lists, "; ") +
                "): check interactions and trial counting by hand; unrecognised trials are not counted.",
            "Clinic policy [PRACTICE]: no drug is passed over in silence; drug dictionary in docs/clinical-rules.md");
    }

    void CheckDosingNotes() {
        const bool weight_based = intake_.product == Product::kKetamineIv || intake_.product == Product::kKetamineIm;
        if (weight_based && !intake_.weight_kg.has_value()) {
            Add("intake.weight_not_recorded", Severity::kInfo,
                "Weight not recorded: " + std::string(ProductName(intake_.product)) +
                    " doses are computed per kg; record weight before the first dose.",
                "APA consensus 0.5 mg/kg [GUIDE]; IM 0.25-0.5 mg/kg [TRIAL]");
        }
        if (intake_.product != Product::kKetamineIv && !Esketamine()) {
            Add("route.limited_evidence", Severity::kInfo,
                "Non-IV racemic ketamine (" + std::string(ProductName(intake_.product)) +
                    "): Level 3-4 evidence; CANMAT does not recommend it outside specialist or research settings.",
                "CANMAT 2021 [GUIDE]");
        }
        // The 28 mg start belongs to the TRD schedule; the suicidal-ideation schedule is 84 mg from the start.
        if (Esketamine() && screening_.treatment_resistant && settings_.region == Region::kEu &&
            (intake_.age_years >= kEuOlderAdultAgeYears || intake_.japanese_ancestry)) {
            std::string why = intake_.age_years >= kEuOlderAdultAgeYears ? "age " + std::to_string(intake_.age_years)
                                                                         : std::string("Japanese ancestry");
            Add("dosing.eu_start_28mg", Severity::kInfo,
                "EU SmPC (" + why +
                    "): start esketamine at 28 mg on day 1; later doses 28, 56 or 84 mg in 28 mg "
                    "steps.",
                "EU Spravato SmPC [LABEL-EU]");
        }
    }

    const Intake& intake_;
    const ClinicSettings& settings_;
    std::map<Condition, std::vector<std::string>> codes_by_condition_;
    std::map<DrugClass, std::vector<std::string>> drugs_by_class_;
    Screening screening_;
};

}  // namespace

Result<Sex> ParseSex(std::string_view name) {
    return ParseByName(kSexNames, "sex", name);
}

Result<Product> ParseProduct(std::string_view name) {
    return ParseByName(kProductNames, "product", name);
}

Result<ChildPugh> ParseChildPugh(std::string_view name) {
    // Clinicians write the class in upper case ("Child-Pugh C"); the stored name is lower case.
    if (std::optional<ChildPugh> child_pugh = kChildPughNames.Parse(FoldAsciiCase(name))) {
        return *child_pugh;
    }
    return ParseByName(kChildPughNames, "child_pugh", name);
}

Result<Severity> ParseSeverity(std::string_view name) {
    return ParseByName(kSeverityNames, "severity", name);
}

Result<Decision> ParseDecision(std::string_view name) {
    return ParseByName(kDecisionNames, "decision", name);
}

bool IsEsketamine(Product product) {
    return product == Product::kEsketamineNasal;
}

Decision DecideFromFindings(std::span<const Finding> findings) {
    bool review = false;
    bool caution = false;
    for (const Finding& finding : findings) {
        switch (finding.severity) {
            case Severity::kContraindication:
                return Decision::kNotEligible;
            case Severity::kReview:
                review = true;
                break;
            case Severity::kCaution:
            case Severity::kInteraction:
                caution = true;
                break;
            case Severity::kInfo:
                break;
        }
    }
    if (review) {
        return Decision::kNeedsReview;
    }
    return caution ? Decision::kEligibleWithCautions : Decision::kEligible;
}

Status ValidateIntake(const Intake& intake) {
    if (intake.age_years < kMinAgeYears || intake.age_years > kMaxAgeYears) {
        return OutOfRange("age_years", intake.age_years, kMinAgeYears, kMaxAgeYears, "years");
    }
    if (intake.weight_kg.has_value()) {
        const double weight_kg = *intake.weight_kg;
        // Written as a negation so NaN is refused too.
        if (!(weight_kg >= kMinWeightKg && weight_kg <= kMaxWeightKg)) {
            return OutOfRange("weight_kg", weight_kg, kMinWeightKg, kMaxWeightKg, "kg");
        }
    }
    RETURN_IF_ERROR(ValidateCodes(intake.diagnoses, "diagnoses"));
    RETURN_IF_ERROR(ValidateCodes(intake.conditions, "conditions"));
    RETURN_IF_ERROR(ValidateNames(intake.allergies, "allergies", "substance name"));
    RETURN_IF_ERROR(ValidateNames(intake.medications, "medications", "generic drug name"));
    for (std::size_t i = 0; i < intake.antidepressant_trials.size(); ++i) {
        const AntidepressantTrial& trial = intake.antidepressant_trials[i];
        const std::string field = "antidepressant_trials[" + std::to_string(i) + "]";
        if (DrugComponents(trial.drug).empty()) {
            return InvalidArgument(field + ".drug", "must be a non-empty generic drug name");
        }
        if (trial.weeks < 0 || trial.weeks > kMaxTrialWeeks) {
            return OutOfRange(field + ".weeks", trial.weeks, 0, kMaxTrialWeeks, "weeks");
        }
        if (!(trial.improvement_percent >= kMinImprovementPercent &&
              trial.improvement_percent <= kMaxImprovementPercent)) {
            return OutOfRange(field + ".improvement_percent", trial.improvement_percent, kMinImprovementPercent,
                              kMaxImprovementPercent, "%");
        }
    }
    if (intake.blood_pressure.has_value()) {
        const BloodPressure& bp = *intake.blood_pressure;
        if (bp.systolic_mmhg < kMinSystolicMmhg || bp.systolic_mmhg > kMaxSystolicMmhg) {
            return OutOfRange("blood_pressure.systolic", bp.systolic_mmhg, kMinSystolicMmhg, kMaxSystolicMmhg, "mmHg");
        }
        if (bp.diastolic_mmhg < kMinDiastolicMmhg || bp.diastolic_mmhg > kMaxDiastolicMmhg) {
            return OutOfRange("blood_pressure.diastolic", bp.diastolic_mmhg, kMinDiastolicMmhg, kMaxDiastolicMmhg,
                              "mmHg");
        }
        if (bp.systolic_mmhg <= bp.diastolic_mmhg) {
            return InvalidArgument("blood_pressure", "systolic (" + std::to_string(bp.systolic_mmhg) +
                                                         " mmHg) must be above diastolic (" +
                                                         std::to_string(bp.diastolic_mmhg) + " mmHg)");
        }
    }
    if (intake.heart_rate_per_min.has_value()) {
        const int rate = *intake.heart_rate_per_min;
        if (rate < kMinHeartRatePerMin || rate > kMaxHeartRatePerMin) {
            return OutOfRange("heart_rate", rate, kMinHeartRatePerMin, kMaxHeartRatePerMin, "/min");
        }
    }
    return Status::Ok();
}

Result<Screening> Screen(const Intake& intake, const ClinicSettings& settings) {
    RETURN_IF_ERROR(ValidateIntake(intake));
    return Screener(intake, settings).Run();
}

int AgeInYears(std::chrono::sys_days born, std::chrono::sys_days on) {
    const std::chrono::year_month_day birth{born};
    const std::chrono::year_month_day today{on};
    int age = static_cast<int>(today.year()) - static_cast<int>(birth.year());
    if (today.month() < birth.month() || (today.month() == birth.month() && today.day() < birth.day())) {
        --age;
    }
    return age;
}

std::vector<SettingValue> ScreeningSettingsOf(const ClinicSettings& settings) {
    std::vector<SettingValue> used;
    for (SettingSpec& spec : AllSettings(settings)) {
        if (spec.name == "region" || spec.name.starts_with("screening.")) {
            used.push_back(SettingValue{std::move(spec.name), std::move(spec.value)});
        }
    }
    return used;
}

int BpCautionSystolic(const ClinicSettings& settings, int age_years) {
    return settings.region == Region::kEu && age_years >= kEuOlderAdultAgeYears
               ? settings.screening.intake_bp_caution_systolic_eu_65_plus
               : settings.screening.intake_bp_caution_systolic;
}

}  // namespace kclinic::clinical
