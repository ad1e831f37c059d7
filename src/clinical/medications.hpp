#pragma once

// Current medications as the screening sees them: one table of generic names -> drug class, and one table of
// classes with the interaction to monitor and its source. A name may belong to several classes (phenelzine is
// an MAOI and an oral antidepressant). Names are read through the drug dictionary (drug_dictionary.hpp), so brand
// names and other spellings reach the same generic ingredients.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"

namespace kclinic::clinical {

enum class DrugClass {
    kBenzodiazepine,
    kZDrug,
    kOpioid,
    kOtherCnsDepressant,
    kMaoInhibitor,
    kPsychostimulant,
    kLamotrigine,
    kNaltrexone,
    kXanthine,
    kSympathomimetic,
    kVasopressin,
    kErgometrine,
    kThyroidHormone,
    kKetamine,            // ketamine or esketamine already taken: duplicate therapy
    kOralAntidepressant,  // not an interaction: recognises the esketamine "with an oral antidepressant" indication
    kAugmentationAgent,   // not an interaction: added to an antidepressant, not itself an antidepressant trial
    kAntihypertensive,    // not an interaction: recognised, so that treated hypertension is visible
};

// Stable lower_snake_case name ("mao_inhibitor").
inline constexpr auto kDrugClassNames =
    MakeEnumNames<DrugClass>({{DrugClass::kBenzodiazepine, "benzodiazepine"},
                              {DrugClass::kZDrug, "z_drug"},
                              {DrugClass::kOpioid, "opioid"},
                              {DrugClass::kOtherCnsDepressant, "cns_depressant"},
                              {DrugClass::kMaoInhibitor, "mao_inhibitor"},
                              {DrugClass::kPsychostimulant, "psychostimulant"},
                              {DrugClass::kLamotrigine, "lamotrigine"},
                              {DrugClass::kNaltrexone, "naltrexone"},
                              {DrugClass::kXanthine, "xanthine"},
                              {DrugClass::kSympathomimetic, "sympathomimetic"},
                              {DrugClass::kVasopressin, "vasopressin"},
                              {DrugClass::kErgometrine, "ergometrine"},
                              {DrugClass::kThyroidHormone, "thyroid_hormone"},
                              {DrugClass::kKetamine, "ketamine"},
                              {DrugClass::kOralAntidepressant, "oral_antidepressant"},
                              {DrugClass::kAugmentationAgent, "augmentation_agent"},
                              {DrugClass::kAntihypertensive, "antihypertensive"}});
[[nodiscard]] constexpr std::string_view DrugClassName(DrugClass drug_class) {
    return kDrugClassNames.Name(drug_class);
}

struct DrugClassInfo {
    DrugClass drug_class;
    std::string_view description;          // for messages ("MAO inhibitor")
    std::string_view interaction_rule_id;  // "interaction.mao_inhibitor"; empty when the class is no interaction
    std::string_view monitor;              // what to monitor and why, for the clinician
    std::string_view source;               // label / paper with its tag
};

struct DrugEntry {
    std::string_view generic_name;  // lower case
    DrugClass drug_class;
};

// One row per DrugClass, in the order of the enum.
[[nodiscard]] std::span<const DrugClassInfo> DrugClassTable();

// Every known generic name with its class; a name appears once per class it belongs to.
[[nodiscard]] std::span<const DrugEntry> DrugTable();

// The class row for `drug_class`.
[[nodiscard]] const DrugClassInfo& DrugClassInfoFor(DrugClass drug_class);

// Lower case (ASCII), leading and trailing whitespace removed.
[[nodiscard]] std::string NormalizeDrugName(std::string_view name);

// The components of `name` as the tables know them, sorted and without duplicates. The name is normalised and
// split into the ingredients of a combination product at '/', '+', ',', ';', '-' and the words "and" and "with"
// ("hydrocodone/acetaminophen", "naltrexone and bupropion"); a dictionary alias at the start of the whole name is
// read as its ingredients first, so that "Norco 10/325" and "co-codamol 30/500" split as their ingredients do. In
// each ingredient, leading strength and form words are skipped ("50 mg", "xr"); then the longest run of leading
// words that is a known ingredient becomes that ingredient and one that is a dictionary alias becomes the alias's
// ingredients, so salts, strengths and release forms are recognised ("sertraline hydrochloride 50 mg" ->
// "sertraline", "Zoloft" -> "sertraline", "Adderall XR" -> "amphetamine", "dextroamphetamine"). Matching is by whole
// words only, never by similarity. An ingredient of strength and form words only ("325", "release") names nothing
// and is dropped; any other ingredient is kept as written. Empty for a blank name.
[[nodiscard]] std::vector<std::string> DrugComponents(std::string_view name);

// Whether `ingredient` (a component, see DrugComponents) is a generic ingredient the drug table or the dictionary
// knows.
[[nodiscard]] bool IsKnownIngredient(std::string_view ingredient);

// The components of `name` that are no known ingredient, in DrugComponents order: what the screening cannot check.
[[nodiscard]] std::vector<std::string> UnrecognisedComponents(std::string_view name);

// The classes of any component of `name` (see DrugComponents), in enum order; empty when no component is known.
[[nodiscard]] std::vector<DrugClass> DrugClassesOf(std::string_view name);
// The same for components already read by DrugComponents, so that a caller reads a name once.
[[nodiscard]] std::vector<DrugClass> DrugClassesOfComponents(std::span<const std::string> components);

}  // namespace kclinic::clinical
