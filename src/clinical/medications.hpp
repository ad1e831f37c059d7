#pragma once

// Current medications as the screening sees them: one table of generic names -> drug class, and one table of
// classes with the interaction to monitor and its source. A name may belong to several classes (phenelzine is
// an MAOI and an oral antidepressant).

#include <span>
#include <string>
#include <string_view>
#include <vector>

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
    kOralAntidepressant,  // not an interaction: recognises the esketamine "with an oral antidepressant" indication
};

// Stable lower_snake_case name ("mao_inhibitor").
[[nodiscard]] std::string_view DrugClassName(DrugClass drug_class);

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

// Lower case (ASCII), leading and trailing spaces removed. Used to compare drug names, e.g. to tell whether two
// antidepressant trials were of the same drug.
[[nodiscard]] std::string NormalizeDrugName(std::string_view name);

// The classes of `generic_name` (compared after NormalizeDrugName), in enum order; empty for an unknown name.
[[nodiscard]] std::vector<DrugClass> DrugClassesOf(std::string_view generic_name);

// Whether `generic_name` is an oral antidepressant in the table.
[[nodiscard]] bool IsOralAntidepressant(std::string_view generic_name);

}  // namespace kclinic::clinical
