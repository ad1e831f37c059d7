#pragma once

// The drug dictionary: the names a clinic writes for a medication that are not the generic ingredient itself (US
// and EU/UK brand names, other national spellings) with the generic ingredient(s) each stands for; the ingredients
// that are known although no screening rule uses them; and the RxNorm ingredient codes (RXCUI) verified from a
// cited source. medications.hpp reads every name through it, so "Zoloft", "sertraline" and "sertraline
// hydrochloride 50 mg" are one drug. The data and its sources are in drug_dictionary.cpp and docs/clinical-rules.md
// ("Drug dictionary"); a clinic pharmacist extends the data, never the rules.

#include <optional>
#include <span>
#include <string_view>

namespace kclinic::clinical {

// One name that stands for generic ingredient(s).
struct DrugAlias {
    std::string_view name;         // lower case, as written on a prescription: "zoloft", "co-codamol", "paracetamol"
    std::string_view ingredients;  // generic ingredient(s), '/' between those of a combination: "codeine/acetaminophen"
    std::string_view markets;      // where the name is used: "US", "EU/UK", "US, EU/UK", or "INN" for a spelling
};

// An RxNorm ingredient (IN) code and where it was verified.
struct RxNormCode {
    std::string_view ingredient;  // generic name, as in the drug table
    std::string_view rxcui;
    std::string_view source;
};

// Every alias, each name once.
[[nodiscard]] std::span<const DrugAlias> DrugAliases();

// Generic ingredients a clinic's patients often take that no screening rule concerns (acetaminophen, statins, ...):
// recognised, so that they raise no "not recognised" finding, and in no drug class.
[[nodiscard]] std::span<const std::string_view> IngredientsWithoutScreeningRule();

// The verified codes only: an ingredient without one has no code here rather than a guessed one.
[[nodiscard]] std::span<const RxNormCode> VerifiedRxNormCodes();

// The alias named exactly `name` (already lower case and trimmed, see NormalizeDrugName); nullptr when none.
[[nodiscard]] const DrugAlias* FindDrugAlias(std::string_view name);

// The verified RXCUI of generic ingredient `ingredient`; nullopt when none is verified.
[[nodiscard]] std::optional<std::string_view> VerifiedRxcuiOf(std::string_view ingredient);

}  // namespace kclinic::clinical
