#include "clinical/medications.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cstddef>

namespace kclinic::clinical {

namespace {

// Interactions from clinical-reference §3.6 (Spravato USPI §7) and §4.2 (Ketalar USPI, EU SmPC, trials).
constexpr std::array<DrugClassInfo, 14> kClasses = {{
    {DrugClass::kBenzodiazepine, "benzodiazepine", "interaction.benzodiazepine",
     "additive sedation and respiratory depression: monitor sedation and SpO2; higher doses may blunt the "
     "antidepressant effect (conflicting evidence, inform only)",
     "Spravato USPI §7, Ketalar USPI [LABEL-US]; efficacy: Andrashko 2020, Feeney 2023 vs ASPIRE [TRIAL] "
     "⚠ CONFLICT"},
    {DrugClass::kZDrug, "Z-drug hypnotic", "interaction.z_drug",
     "additive sedation and respiratory depression: monitor sedation and SpO2",
     "Spravato USPI §7 CNS depressants; REMS monitoring form (non-benzodiazepine sedative hypnotics) [LABEL-US]"},
    {DrugClass::kOpioid, "opioid", "interaction.opioid",
     "additive sedation and respiratory depression: monitor sedation and SpO2",
     "Spravato USPI §7 and boxed warning (respiratory depression), Ketalar USPI [LABEL-US]"},
    {DrugClass::kOtherCnsDepressant, "CNS depressant", "interaction.cns_depressant",
     "additive sedation and respiratory depression: monitor sedation and SpO2",
     "Spravato USPI §7 CNS depressants [LABEL-US]; class membership of each name [PRACTICE]"},
    {DrugClass::kMaoInhibitor, "MAO inhibitor", "interaction.mao_inhibitor",
     "blood pressure may rise: monitor BP before and after dosing", "Spravato USPI §7 [LABEL-US]"},
    {DrugClass::kPsychostimulant, "psychostimulant", "interaction.psychostimulant",
     "blood pressure may rise: monitor BP before and after dosing", "Spravato USPI §7 [LABEL-US]"},
    {DrugClass::kLamotrigine, "lamotrigine", "interaction.lamotrigine",
     "may blunt ketamine's perceptual effects; effect on antidepressant response unknown (conflicting, weak "
     "evidence: inform only; some clinics hold the dose on treatment days)",
     "Anand et al. 2000 [TRIAL]; Andrade 2017 [REVIEW]; dose holding [PRACTICE] ⚠ CONFLICT"},
    {DrugClass::kNaltrexone, "naltrexone", "interaction.naltrexone",
     "may block the antidepressant effect (Williams 2018) but later studies found no blockade (Yoon 2019, 2025): "
     "inform only, not a block",
     "Williams 2018, Yoon 2019, Yoon 2025 [TRIAL] ⚠ CONFLICT"},
    {DrugClass::kXanthine, "xanthine", "interaction.xanthine",
     "lower seizure threshold and blood pressure rise: monitor for seizures and BP",
     "Ketalar USPI (seizure threshold) [LABEL-US]; EU Spravato SmPC (BP) [LABEL-EU]"},
    {DrugClass::kSympathomimetic, "sympathomimetic", "interaction.sympathomimetic",
     "blood pressure may rise: monitor BP before and after dosing",
     "Ketalar USPI [LABEL-US]; EU Spravato SmPC [LABEL-EU]"},
    {DrugClass::kVasopressin, "vasopressin", "interaction.vasopressin",
     "blood pressure may rise: monitor BP before and after dosing",
     "EU Spravato SmPC [LABEL-EU]; Ketalar USPI [LABEL-US]"},
    {DrugClass::kErgometrine, "ergometrine", "interaction.ergometrine",
     "blood pressure may rise: monitor BP before and after dosing", "EU Spravato SmPC [LABEL-EU]"},
    {DrugClass::kThyroidHormone, "thyroid hormone", "interaction.thyroid_hormone",
     "blood pressure and heart rate may rise: monitor BP and heart rate",
     "Ketalar USPI [LABEL-US]; EU Spravato SmPC [LABEL-EU]"},
    {DrugClass::kOralAntidepressant, "oral antidepressant", "", "",
     "Spravato USPI indications (\"with an oral antidepressant\") [LABEL-US]; class membership [PRACTICE]"},
}};

// Generic names (INN or USAN, lower case). Unknown names are ignored by the screening, so a clinic pharmacist
// extends this list rather than the rules.
constexpr DrugEntry kDrugs[] = {
    {"alprazolam", DrugClass::kBenzodiazepine},
    {"chlordiazepoxide", DrugClass::kBenzodiazepine},
    {"clobazam", DrugClass::kBenzodiazepine},
    {"clonazepam", DrugClass::kBenzodiazepine},
    {"clorazepate", DrugClass::kBenzodiazepine},
    {"diazepam", DrugClass::kBenzodiazepine},
    {"estazolam", DrugClass::kBenzodiazepine},
    {"flurazepam", DrugClass::kBenzodiazepine},
    {"lorazepam", DrugClass::kBenzodiazepine},
    {"midazolam", DrugClass::kBenzodiazepine},
    {"oxazepam", DrugClass::kBenzodiazepine},
    {"quazepam", DrugClass::kBenzodiazepine},
    {"remimazolam", DrugClass::kBenzodiazepine},
    {"temazepam", DrugClass::kBenzodiazepine},
    {"triazolam", DrugClass::kBenzodiazepine},
    {"eszopiclone", DrugClass::kZDrug},
    {"zaleplon", DrugClass::kZDrug},
    {"zolpidem", DrugClass::kZDrug},
    {"zopiclone", DrugClass::kZDrug},
    {"buprenorphine", DrugClass::kOpioid},
    {"codeine", DrugClass::kOpioid},
    {"fentanyl", DrugClass::kOpioid},
    {"hydrocodone", DrugClass::kOpioid},
    {"hydromorphone", DrugClass::kOpioid},
    {"levorphanol", DrugClass::kOpioid},
    {"meperidine", DrugClass::kOpioid},
    {"methadone", DrugClass::kOpioid},
    {"morphine", DrugClass::kOpioid},
    {"oxycodone", DrugClass::kOpioid},
    {"oxymorphone", DrugClass::kOpioid},
    {"pethidine", DrugClass::kOpioid},
    {"tapentadol", DrugClass::kOpioid},
    {"tramadol", DrugClass::kOpioid},
    {"baclofen", DrugClass::kOtherCnsDepressant},
    {"butalbital", DrugClass::kOtherCnsDepressant},
    {"carisoprodol", DrugClass::kOtherCnsDepressant},
    {"diphenhydramine", DrugClass::kOtherCnsDepressant},
    {"doxylamine", DrugClass::kOtherCnsDepressant},
    {"gabapentin", DrugClass::kOtherCnsDepressant},
    {"hydroxyzine", DrugClass::kOtherCnsDepressant},
    {"phenobarbital", DrugClass::kOtherCnsDepressant},
    {"pregabalin", DrugClass::kOtherCnsDepressant},
    {"promethazine", DrugClass::kOtherCnsDepressant},
    {"sodium oxybate", DrugClass::kOtherCnsDepressant},
    {"isocarboxazid", DrugClass::kMaoInhibitor},
    {"moclobemide", DrugClass::kMaoInhibitor},
    {"phenelzine", DrugClass::kMaoInhibitor},
    {"selegiline", DrugClass::kMaoInhibitor},
    {"tranylcypromine", DrugClass::kMaoInhibitor},
    {"amphetamine", DrugClass::kPsychostimulant},
    {"armodafinil", DrugClass::kPsychostimulant},
    {"dexmethylphenidate", DrugClass::kPsychostimulant},
    {"dextroamphetamine", DrugClass::kPsychostimulant},
    {"lisdexamfetamine", DrugClass::kPsychostimulant},
    {"methamphetamine", DrugClass::kPsychostimulant},
    {"methylphenidate", DrugClass::kPsychostimulant},
    {"modafinil", DrugClass::kPsychostimulant},
    {"lamotrigine", DrugClass::kLamotrigine},
    {"naltrexone", DrugClass::kNaltrexone},
    {"aminophylline", DrugClass::kXanthine},
    {"theophylline", DrugClass::kXanthine},
    {"dobutamine", DrugClass::kSympathomimetic},
    {"dopamine", DrugClass::kSympathomimetic},
    {"ephedrine", DrugClass::kSympathomimetic},
    {"epinephrine", DrugClass::kSympathomimetic},
    {"midodrine", DrugClass::kSympathomimetic},
    {"norepinephrine", DrugClass::kSympathomimetic},
    {"phenylephrine", DrugClass::kSympathomimetic},
    {"pseudoephedrine", DrugClass::kSympathomimetic},
    {"vasopressin", DrugClass::kVasopressin},
    {"ergometrine", DrugClass::kErgometrine},
    {"ergonovine", DrugClass::kErgometrine},
    {"methylergometrine", DrugClass::kErgometrine},
    {"methylergonovine", DrugClass::kErgometrine},
    {"levothyroxine", DrugClass::kThyroidHormone},
    {"liothyronine", DrugClass::kThyroidHormone},
    {"liotrix", DrugClass::kThyroidHormone},
    // Oral antidepressants. Selegiline is left out: its antidepressant form is transdermal.
    {"citalopram", DrugClass::kOralAntidepressant},
    {"escitalopram", DrugClass::kOralAntidepressant},
    {"fluoxetine", DrugClass::kOralAntidepressant},
    {"fluvoxamine", DrugClass::kOralAntidepressant},
    {"paroxetine", DrugClass::kOralAntidepressant},
    {"sertraline", DrugClass::kOralAntidepressant},
    {"desvenlafaxine", DrugClass::kOralAntidepressant},
    {"duloxetine", DrugClass::kOralAntidepressant},
    {"levomilnacipran", DrugClass::kOralAntidepressant},
    {"venlafaxine", DrugClass::kOralAntidepressant},
    {"amitriptyline", DrugClass::kOralAntidepressant},
    {"amoxapine", DrugClass::kOralAntidepressant},
    {"clomipramine", DrugClass::kOralAntidepressant},
    {"desipramine", DrugClass::kOralAntidepressant},
    {"doxepin", DrugClass::kOralAntidepressant},
    {"imipramine", DrugClass::kOralAntidepressant},
    {"maprotiline", DrugClass::kOralAntidepressant},
    {"nortriptyline", DrugClass::kOralAntidepressant},
    {"protriptyline", DrugClass::kOralAntidepressant},
    {"trimipramine", DrugClass::kOralAntidepressant},
    {"isocarboxazid", DrugClass::kOralAntidepressant},
    {"moclobemide", DrugClass::kOralAntidepressant},
    {"phenelzine", DrugClass::kOralAntidepressant},
    {"tranylcypromine", DrugClass::kOralAntidepressant},
    {"agomelatine", DrugClass::kOralAntidepressant},
    {"bupropion", DrugClass::kOralAntidepressant},
    {"mirtazapine", DrugClass::kOralAntidepressant},
    {"nefazodone", DrugClass::kOralAntidepressant},
    {"reboxetine", DrugClass::kOralAntidepressant},
    {"trazodone", DrugClass::kOralAntidepressant},
    {"vilazodone", DrugClass::kOralAntidepressant},
    {"vortioxetine", DrugClass::kOralAntidepressant},
};

}  // namespace

std::string_view DrugClassName(DrugClass drug_class) {
    switch (drug_class) {
        case DrugClass::kBenzodiazepine:
            return "benzodiazepine";
        case DrugClass::kZDrug:
            return "z_drug";
        case DrugClass::kOpioid:
            return "opioid";
        case DrugClass::kOtherCnsDepressant:
            return "cns_depressant";
        case DrugClass::kMaoInhibitor:
            return "mao_inhibitor";
        case DrugClass::kPsychostimulant:
            return "psychostimulant";
        case DrugClass::kLamotrigine:
            return "lamotrigine";
        case DrugClass::kNaltrexone:
            return "naltrexone";
        case DrugClass::kXanthine:
            return "xanthine";
        case DrugClass::kSympathomimetic:
            return "sympathomimetic";
        case DrugClass::kVasopressin:
            return "vasopressin";
        case DrugClass::kErgometrine:
            return "ergometrine";
        case DrugClass::kThyroidHormone:
            return "thyroid_hormone";
        case DrugClass::kOralAntidepressant:
            return "oral_antidepressant";
    }
    return "unknown";
}

std::span<const DrugClassInfo> DrugClassTable() {
    return kClasses;
}

std::span<const DrugEntry> DrugTable() {
    return kDrugs;
}

const DrugClassInfo& DrugClassInfoFor(DrugClass drug_class) {
    const auto index = static_cast<std::size_t>(drug_class);
    assert(index < kClasses.size() && kClasses[index].drug_class == drug_class && "class table out of enum order");
    return kClasses[index];
}

std::string NormalizeDrugName(std::string_view name) {
    while (!name.empty() && name.front() == ' ') {
        name.remove_prefix(1);
    }
    while (!name.empty() && name.back() == ' ') {
        name.remove_suffix(1);
    }
    std::string out(name);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::vector<DrugClass> DrugClassesOf(std::string_view generic_name) {
    std::string name = NormalizeDrugName(generic_name);
    std::vector<DrugClass> classes;
    for (const DrugClassInfo& info : kClasses) {
        for (const DrugEntry& entry : kDrugs) {
            if (entry.drug_class == info.drug_class && entry.generic_name == name) {
                classes.push_back(info.drug_class);
                break;
            }
        }
    }
    return classes;
}

bool IsOralAntidepressant(std::string_view generic_name) {
    std::string name = NormalizeDrugName(generic_name);
    return std::ranges::any_of(kDrugs, [&name](const DrugEntry& entry) {
        return entry.drug_class == DrugClass::kOralAntidepressant && entry.generic_name == name;
    });
}

}  // namespace kclinic::clinical
