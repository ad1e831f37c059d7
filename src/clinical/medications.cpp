#include "base/text.hpp"
#include "clinical/medications.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clinical/drug_dictionary.hpp"

namespace kclinic::clinical {

namespace {

// Interactions from clinical-reference §3.6 (Spravato USPI §7) and §4.2 (Ketalar USPI, EU SmPC, trials).
constexpr std::array<DrugClassInfo, 17> kClasses = {{
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
    {DrugClass::kAugmentationAgent, "augmentation agent", "", "",
     "adjunctive MDD indications of aripiprazole, brexpiprazole, cariprazine and quetiapine XR (US labels) "
     "[LABEL-US] [UNVERIFIED: not in the reference]; quetiapine XR as the augmentation comparator of ESCAPE-TRD "
     "[TRIAL]; lithium, liothyronine, olanzapine, risperidone as augmentation [PRACTICE]"},
    {DrugClass::kAntihypertensive, "antihypertensive", "", "",
     "no interaction in the labels; recognised so that treated hypertension shows [PRACTICE]"},
}};

// Generic names (INN or USAN, lower case). A name neither here nor in the drug dictionary raises the screening's
// "not recognised" review, so a clinic pharmacist extends this list (or the dictionary) rather than the rules.
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
    {"clonidine", DrugClass::kOtherCnsDepressant},  // sedating alpha-2 agonist, like dexmedetomidine
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
    // Augmentation agents: added to an antidepressant in TRD, not antidepressants themselves. Liothyronine is also a
    // thyroid hormone above.
    {"aripiprazole", DrugClass::kAugmentationAgent},
    {"brexpiprazole", DrugClass::kAugmentationAgent},
    {"cariprazine", DrugClass::kAugmentationAgent},
    {"liothyronine", DrugClass::kAugmentationAgent},
    {"lithium", DrugClass::kAugmentationAgent},
    {"olanzapine", DrugClass::kAugmentationAgent},
    {"quetiapine", DrugClass::kAugmentationAgent},
    {"risperidone", DrugClass::kAugmentationAgent},
    {"amlodipine", DrugClass::kAntihypertensive},
    {"atenolol", DrugClass::kAntihypertensive},
    {"bisoprolol", DrugClass::kAntihypertensive},
    {"candesartan", DrugClass::kAntihypertensive},
    {"carvedilol", DrugClass::kAntihypertensive},
    {"chlorthalidone", DrugClass::kAntihypertensive},
    {"clonidine", DrugClass::kAntihypertensive},
    {"diltiazem", DrugClass::kAntihypertensive},
    {"doxazosin", DrugClass::kAntihypertensive},
    {"enalapril", DrugClass::kAntihypertensive},
    {"hydralazine", DrugClass::kAntihypertensive},
    {"hydrochlorothiazide", DrugClass::kAntihypertensive},
    {"indapamide", DrugClass::kAntihypertensive},
    {"irbesartan", DrugClass::kAntihypertensive},
    {"labetalol", DrugClass::kAntihypertensive},
    {"lisinopril", DrugClass::kAntihypertensive},
    {"losartan", DrugClass::kAntihypertensive},
    {"metoprolol", DrugClass::kAntihypertensive},
    {"nifedipine", DrugClass::kAntihypertensive},
    {"olmesartan", DrugClass::kAntihypertensive},
    {"prazosin", DrugClass::kAntihypertensive},
    {"propranolol", DrugClass::kAntihypertensive},
    {"ramipril", DrugClass::kAntihypertensive},
    {"spironolactone", DrugClass::kAntihypertensive},
    {"valsartan", DrugClass::kAntihypertensive},
    {"verapamil", DrugClass::kAntihypertensive},
};

bool IsSpace(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool IsTableName(std::string_view name) {
    return std::ranges::any_of(kDrugs, [name](const DrugEntry& entry) { return entry.generic_name == name; });
}

std::vector<std::string_view> Words(std::string_view text) {
    std::vector<std::string_view> words;
    while (true) {
        while (!text.empty() && IsSpace(text.front())) {
            text.remove_prefix(1);
        }
        if (text.empty()) {
            return words;
        }
        std::size_t end = 0;
        while (end < text.size() && !IsSpace(text[end])) {
            ++end;
        }
        words.push_back(text.substr(0, end));
        text.remove_prefix(end);
    }
}

std::string JoinWords(std::span<const std::string_view> words) {
    std::string out;
    for (std::string_view word : words) {
        if (!out.empty()) {
            out += ' ';
        }
        out += word;
    }
    return out;
}

// A word that says how much or in what form, never which drug: a strength ("50", "0.5mg"), a unit, a dosage form
// or a release form. A drug name never consists of these alone.
bool IsStrengthOrFormWord(std::string_view word) {
    static constexpr std::string_view kFormWords[] = {
        "mg",        "mcg",  "g",        "ml",          "%",        "tablet",  "tablets",   "capsule",
        "capsules",  "oral", "solution", "release",     "extended", "delayed", "sustained", "modified",
        "immediate", "er",   "xr",       "xl",          "sr",       "cr",      "la",        "ir",
        "dr",        "odt",  "patch",    "transdermal", "daily",    "prn"};
    return std::isdigit(static_cast<unsigned char>(word.front())) != 0 || word.front() == '.' ||
           std::ranges::find(kFormWords, word) != std::ranges::end(kFormWords);
}

// The longest run of leading words of `words` that is a known ingredient or a dictionary alias, as the generic
// ingredients it names ("sertraline hydrochloride" -> {"sertraline"}, "norco" -> {"hydrocodone",
// "acetaminophen"}), and how many words it took; nullopt when no leading run is known.
struct LeadingName {
    std::vector<std::string> ingredients;
    std::size_t words = 0;
};

std::optional<LeadingName> FindLeadingName(std::span<const std::string_view> words) {
    for (std::size_t count = words.size(); count > 0; --count) {
        const std::string prefix = JoinWords(words.first(count));
        if (IsKnownIngredient(prefix)) {
            return LeadingName{{prefix}, count};
        }
        if (const DrugAlias* alias = FindDrugAlias(prefix)) {
            LeadingName name{{}, count};
            std::string_view rest = alias->ingredients;
            for (std::size_t slash = rest.find('/');; slash = rest.find('/')) {
                name.ingredients.emplace_back(rest.substr(0, slash));
                if (slash == std::string_view::npos) {
                    break;
                }
                rest.remove_prefix(slash + 1);
            }
            return name;
        }
    }
    return std::nullopt;
}

// One ingredient of a split name, as the tables know it (see DrugComponents), appended to `components`.
void AddComponent(std::string_view text, std::vector<std::string>& components) {
    std::vector<std::string_view> words = Words(text);
    const auto drug_word = std::ranges::find_if_not(words, IsStrengthOrFormWord);
    if (drug_word == words.end()) {
        return;  // strength and form only
    }
    const std::span<const std::string_view> named(drug_word, words.end());
    if (std::optional<LeadingName> known = FindLeadingName(named)) {
        for (std::string& ingredient : known->ingredients) {
            components.push_back(std::move(ingredient));
        }
        return;
    }
    components.push_back(JoinWords(named));
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
    return FoldAsciiCase(name);
}

std::vector<std::string> DrugComponents(std::string_view name) {
    std::string text = NormalizeDrugName(name);
    // A leading alias spelt with a separator ("co-codamol", "theo-24") or naming a combination ("norco 10/325") is
    // read as its ingredients before the split, so that it is not cut apart and its strengths fall away with them.
    const std::vector<std::string_view> words = Words(text);
    if (std::optional<LeadingName> leading = FindLeadingName(words)) {
        std::string ingredients;
        for (const std::string& ingredient : leading->ingredients) {
            ingredients += (ingredients.empty() ? "" : "/") + ingredient;
        }
        const std::string rest = JoinWords(std::span(words).subspan(leading->words));
        text = rest.empty() ? ingredients : ingredients + " " + rest;
    }
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
        AddComponent(rest.substr(0, bar), components);
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
    return DrugClassesOfComponents(DrugComponents(name));
}

std::vector<DrugClass> DrugClassesOfComponents(std::span<const std::string> components) {
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

bool IsKnownIngredient(std::string_view ingredient) {
    return IsTableName(ingredient) ||
           std::ranges::find(IngredientsWithoutScreeningRule(), ingredient) != IngredientsWithoutScreeningRule().end();
}

std::vector<std::string> UnrecognisedComponents(std::string_view name) {
    std::vector<std::string> components = DrugComponents(name);
    std::erase_if(components, [](const std::string& component) { return IsKnownIngredient(component); });
    return components;
}

}  // namespace kclinic::clinical
