#include "clinical/medications.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>

namespace kclinic::clinical {

namespace {

// Interactions from clinical-reference §3.6 (Spravato USPI §7) and §4.2 (Ketalar USPI, EU SmPC, trials).
constexpr std::array<DrugClassInfo, 15> kClasses = {{
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
    {DrugClass::kKetamine, "ketamine or esketamine", "interaction.ketamine",
     "duplicate therapy with additive sedation, dissociation and BP rise, and a possible abuse or misuse signal; "
     "confirm who prescribes it and reconcile before starting a course",
     "Spravato USPI boxed warning, abuse and misuse [LABEL-US]; APA consensus (monitor misuse) [GUIDE]; "
     "duplicate-therapy check [PRACTICE]"},
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
    {"bromazepam", DrugClass::kBenzodiazepine},
    {"flunitrazepam", DrugClass::kBenzodiazepine},
    {"flurazepam", DrugClass::kBenzodiazepine},
    {"lorazepam", DrugClass::kBenzodiazepine},
    {"lormetazepam", DrugClass::kBenzodiazepine},
    {"midazolam", DrugClass::kBenzodiazepine},
    {"nitrazepam", DrugClass::kBenzodiazepine},
    {"oxazepam", DrugClass::kBenzodiazepine},
    {"prazepam", DrugClass::kBenzodiazepine},
    {"quazepam", DrugClass::kBenzodiazepine},
    {"remimazolam", DrugClass::kBenzodiazepine},
    {"temazepam", DrugClass::kBenzodiazepine},
    {"triazolam", DrugClass::kBenzodiazepine},
    {"eszopiclone", DrugClass::kZDrug},
    {"zaleplon", DrugClass::kZDrug},
    {"zolpidem", DrugClass::kZDrug},
    {"zopiclone", DrugClass::kZDrug},
    {"buprenorphine", DrugClass::kOpioid},
    {"butorphanol", DrugClass::kOpioid},
    {"codeine", DrugClass::kOpioid},
    {"dihydrocodeine", DrugClass::kOpioid},
    {"fentanyl", DrugClass::kOpioid},
    {"hydrocodone", DrugClass::kOpioid},
    {"hydromorphone", DrugClass::kOpioid},
    {"levorphanol", DrugClass::kOpioid},
    {"meperidine", DrugClass::kOpioid},
    {"methadone", DrugClass::kOpioid},
    {"morphine", DrugClass::kOpioid},
    {"nalbuphine", DrugClass::kOpioid},
    {"oxycodone", DrugClass::kOpioid},
    {"oxymorphone", DrugClass::kOpioid},
    {"pentazocine", DrugClass::kOpioid},
    {"pethidine", DrugClass::kOpioid},
    {"sufentanil", DrugClass::kOpioid},
    {"tapentadol", DrugClass::kOpioid},
    {"tilidine", DrugClass::kOpioid},
    {"tramadol", DrugClass::kOpioid},
    {"baclofen", DrugClass::kOtherCnsDepressant},
    {"butalbital", DrugClass::kOtherCnsDepressant},
    {"carisoprodol", DrugClass::kOtherCnsDepressant},
    {"cyclobenzaprine", DrugClass::kOtherCnsDepressant},
    {"daridorexant", DrugClass::kOtherCnsDepressant},
    {"dexmedetomidine", DrugClass::kOtherCnsDepressant},
    {"diphenhydramine", DrugClass::kOtherCnsDepressant},
    {"doxylamine", DrugClass::kOtherCnsDepressant},
    {"gabapentin", DrugClass::kOtherCnsDepressant},
    {"hydroxyzine", DrugClass::kOtherCnsDepressant},
    {"lemborexant", DrugClass::kOtherCnsDepressant},
    {"meprobamate", DrugClass::kOtherCnsDepressant},
    {"methocarbamol", DrugClass::kOtherCnsDepressant},
    {"phenobarbital", DrugClass::kOtherCnsDepressant},
    {"pregabalin", DrugClass::kOtherCnsDepressant},
    {"promethazine", DrugClass::kOtherCnsDepressant},
    {"sodium oxybate", DrugClass::kOtherCnsDepressant},
    {"suvorexant", DrugClass::kOtherCnsDepressant},
    {"tizanidine", DrugClass::kOtherCnsDepressant},
    {"zuranolone", DrugClass::kOtherCnsDepressant},
    // Non-psychiatric MAO inhibitors too: rasagiline and safinamide (Parkinson's disease), linezolid and
    // methylene blue (methylthioninium), which carry the MAOI interaction warnings of their own labels.
    {"isocarboxazid", DrugClass::kMaoInhibitor},
    {"linezolid", DrugClass::kMaoInhibitor},
    {"methylene blue", DrugClass::kMaoInhibitor},
    {"methylthioninium", DrugClass::kMaoInhibitor},
    {"moclobemide", DrugClass::kMaoInhibitor},
    {"phenelzine", DrugClass::kMaoInhibitor},
    {"rasagiline", DrugClass::kMaoInhibitor},
    {"safinamide", DrugClass::kMaoInhibitor},
    {"selegiline", DrugClass::kMaoInhibitor},
    {"tranylcypromine", DrugClass::kMaoInhibitor},
    // Amphetamine-type anorectics and solriamfetol raise BP like the stimulants the label names.
    {"amphetamine", DrugClass::kPsychostimulant},
    {"armodafinil", DrugClass::kPsychostimulant},
    {"benzphetamine", DrugClass::kPsychostimulant},
    {"dexmethylphenidate", DrugClass::kPsychostimulant},
    {"dextroamphetamine", DrugClass::kPsychostimulant},
    {"diethylpropion", DrugClass::kPsychostimulant},
    {"lisdexamfetamine", DrugClass::kPsychostimulant},
    {"methamphetamine", DrugClass::kPsychostimulant},
    {"methylphenidate", DrugClass::kPsychostimulant},
    {"modafinil", DrugClass::kPsychostimulant},
    {"phendimetrazine", DrugClass::kPsychostimulant},
    {"phentermine", DrugClass::kPsychostimulant},
    {"solriamfetol", DrugClass::kPsychostimulant},
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
    {"terlipressin", DrugClass::kVasopressin},
    {"vasopressin", DrugClass::kVasopressin},
    {"ergometrine", DrugClass::kErgometrine},
    {"ergonovine", DrugClass::kErgometrine},
    {"methylergometrine", DrugClass::kErgometrine},
    {"methylergonovine", DrugClass::kErgometrine},
    {"levothyroxine", DrugClass::kThyroidHormone},
    {"liothyronine", DrugClass::kThyroidHormone},
    {"liotrix", DrugClass::kThyroidHormone},
    {"thyroid", DrugClass::kThyroidHormone},  // desiccated thyroid
    {"esketamine", DrugClass::kKetamine},
    {"ketamine", DrugClass::kKetamine},
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
    {"milnacipran", DrugClass::kOralAntidepressant},
    {"venlafaxine", DrugClass::kOralAntidepressant},
    {"amitriptyline", DrugClass::kOralAntidepressant},
    {"amoxapine", DrugClass::kOralAntidepressant},
    {"clomipramine", DrugClass::kOralAntidepressant},
    {"desipramine", DrugClass::kOralAntidepressant},
    {"dosulepin", DrugClass::kOralAntidepressant},
    {"dothiepin", DrugClass::kOralAntidepressant},
    {"doxepin", DrugClass::kOralAntidepressant},
    {"imipramine", DrugClass::kOralAntidepressant},
    {"lofepramine", DrugClass::kOralAntidepressant},
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
    {"gepirone", DrugClass::kOralAntidepressant},
    {"mianserin", DrugClass::kOralAntidepressant},
    {"mirtazapine", DrugClass::kOralAntidepressant},
    {"nefazodone", DrugClass::kOralAntidepressant},
    {"reboxetine", DrugClass::kOralAntidepressant},
    {"tianeptine", DrugClass::kOralAntidepressant},
    {"trazodone", DrugClass::kOralAntidepressant},
    {"vilazodone", DrugClass::kOralAntidepressant},
    {"vortioxetine", DrugClass::kOralAntidepressant},
};

bool IsSpace(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool IsTableName(std::string_view name) {
    return std::ranges::any_of(kDrugs, [name](const DrugEntry& entry) { return entry.generic_name == name; });
}

}  // namespace

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
    while (!name.empty() && IsSpace(name.front())) {
        name.remove_prefix(1);
    }
    while (!name.empty() && IsSpace(name.back())) {
        name.remove_suffix(1);
    }
    std::string out(name);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::vector<std::string> DrugComponents(std::string_view name) {
    std::string text = NormalizeDrugName(name);
    // Separators become one mark so that a single split handles them all; words are matched whole.
    for (char& c : text) {
        if (c == '/' || c == '+' || c == ',' || c == ';' || c == '-') {
            c = '|';
        }
    }
    for (std::string_view word : {" and ", " with "}) {
        for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at)) {
            text.replace(at, word.size(), "|");
        }
    }
    std::vector<std::string> components;
    std::string_view rest = text;
    while (true) {
        const std::size_t bar = rest.find('|');
        std::string component = NormalizeDrugName(rest.substr(0, bar));
        if (!component.empty()) {
            std::string_view first_word = std::string_view(component).substr(0, component.find_first_of(" \t"));
            if (!IsTableName(component) && IsTableName(first_word)) {
                component = std::string(first_word);
            }
            components.push_back(std::move(component));
        }
        if (bar == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(bar + 1);
    }
    std::ranges::sort(components);
    components.erase(std::unique(components.begin(), components.end()), components.end());
    return components;
}

std::vector<DrugClass> DrugClassesOf(std::string_view name) {
    const std::vector<std::string> components = DrugComponents(name);
    std::vector<DrugClass> classes;
    for (const DrugClassInfo& info : kClasses) {
        const bool member = std::ranges::any_of(kDrugs, [&](const DrugEntry& entry) {
            return entry.drug_class == info.drug_class &&
                   std::ranges::find(components, entry.generic_name) != components.end();
        });
        if (member) {
            classes.push_back(info.drug_class);
        }
    }
    return classes;
}

bool IsOralAntidepressant(std::string_view name) {
    const std::vector<DrugClass> classes = DrugClassesOf(name);
    return std::ranges::find(classes, DrugClass::kOralAntidepressant) != classes.end();
}

}  // namespace kclinic::clinical
