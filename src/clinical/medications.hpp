#pragma once

// Current medications as the screening sees them: one table of generic names -> drug class, and one table of
// classes with the interaction to monitor and its source. A name may belong to several classes (phenelzine is
// an MAOI and an oral antidepressant).

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
                              {DrugClass::kOralAntidepressant, "oral_antidepressant"}});
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
// ("hydrocodone/acetaminophen", "naltrexone and bupropion"). An ingredient whose whole text, or else whose first
// word, is a table name becomes that name, so salts and release forms are recognised ("sertraline hydrochloride",
// "bupropion xl" -> "bupropion"); any other ingredient is kept as written. Empty for a blank name.
[[nodiscard]] std::vector<std::string> DrugComponents(std::string_view name);

// The classes of any component of `name` (see DrugComponents), in enum order; empty when no component is known.
[[nodiscard]] std::vector<DrugClass> DrugClassesOf(std::string_view name);

// Whether any component of `name` is an oral antidepressant in the table.
[[nodiscard]] bool IsOralAntidepressant(std::string_view name);

}  // namespace kclinic::clinical
