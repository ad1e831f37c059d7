#include "clinical/drug_dictionary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "clinical/medications.hpp"

namespace kclinic::clinical {

// Failure output names the classes instead of printing their bytes (found by argument-dependent lookup).
static void PrintTo(DrugClass drug_class, std::ostream* out) {
    *out << DrugClassName(drug_class);
}

namespace {

using D = DrugClass;

struct NameCase {
    std::string name;                     // as a clinic writes it
    std::vector<std::string> components;  // the generic ingredients (or the unknown text as written)
    std::vector<DrugClass> classes;
    std::vector<std::string> unrecognised;
};

// Brand names, salts, strengths and release forms reach the generic ingredient and its classes.
TEST(DrugDictionaryTest, BrandNamesSaltsAndStrengthsReachTheGenericIngredient) {
    const std::vector<NameCase> cases = {
        {"Zoloft", {"sertraline"}, {D::kOralAntidepressant}, {}},
        {"sertraline hydrochloride 50 mg", {"sertraline"}, {D::kOralAntidepressant}, {}},
        {"50 mg sertraline", {"sertraline"}, {D::kOralAntidepressant}, {}},
        {"Lustral 100mg", {"sertraline"}, {D::kOralAntidepressant}, {}},
        {"Lexapro", {"escitalopram"}, {D::kOralAntidepressant}, {}},
        {"Cipralex", {"escitalopram"}, {D::kOralAntidepressant}, {}},
        {"Wellbutrin XL 300 mg", {"bupropion"}, {D::kOralAntidepressant}, {}},
        {"Adderall XR 20 mg", {"amphetamine", "dextroamphetamine"}, {D::kPsychostimulant}, {}},
        {"dexamfetamine", {"dextroamphetamine"}, {D::kPsychostimulant}, {}},
        {"Elvanse", {"lisdexamfetamine"}, {D::kPsychostimulant}, {}},
        {"Xanax 0.5 mg", {"alprazolam"}, {D::kBenzodiazepine}, {}},
        {"Norco 10/325", {"acetaminophen", "hydrocodone"}, {D::kOpioid}, {}},
        {"co-codamol 30/500", {"acetaminophen", "codeine"}, {D::kOpioid}, {}},
        {"Percocet 5/325 mg", {"acetaminophen", "oxycodone"}, {D::kOpioid}, {}},
        {"Suboxone", {"buprenorphine", "naloxone"}, {D::kOpioid}, {}},
        {"Nardil", {"phenelzine"}, {D::kMaoInhibitor, D::kOralAntidepressant}, {}},
        {"Contrave", {"bupropion", "naltrexone"}, {D::kNaltrexone, D::kOralAntidepressant}, {}},
        {"theo-24 300 mg", {"theophylline"}, {D::kXanthine}, {}},
        {"Armour Thyroid 60 mg", {"thyroid"}, {D::kThyroidHormone}, {}},
        {"Cytomel", {"liothyronine"}, {D::kThyroidHormone, D::kAugmentationAgent}, {}},
        {"Seroquel XR", {"quetiapine"}, {D::kAugmentationAgent}, {}},
        {"lithium carbonate", {"lithium"}, {D::kAugmentationAgent}, {}},
        {"Zestoretic", {"hydrochlorothiazide", "lisinopril"}, {D::kAntihypertensive}, {}},
        {"clonidine 0.1 mg", {"clonidine"}, {D::kOtherCnsDepressant, D::kAntihypertensive}, {}},
        {"Spravato", {"esketamine"}, {D::kKetamine}, {}},
        {"paracetamol 1 g", {"acetaminophen"}, {}, {}},
        {"xanax and zoloft", {"alprazolam", "sertraline"}, {D::kBenzodiazepine, D::kOralAntidepressant}, {}},
        {"naltrexone extended-release", {"naltrexone"}, {D::kNaltrexone}, {}},
    };
    for (const NameCase& c : cases) {
        EXPECT_EQ(DrugComponents(c.name), c.components) << "\"" << c.name << "\"";
        EXPECT_EQ(DrugClassesOf(c.name), c.classes) << "\"" << c.name << "\"";
        EXPECT_EQ(UnrecognisedComponents(c.name), c.unrecognised) << "\"" << c.name << "\"";
    }
}

// Whole words only: a misspelling, a fragment or a longer word is not recognised (and so raises a review), never
// read as the drug it resembles.
TEST(DrugDictionaryTest, MatchingIsNeverFuzzy) {
    const std::vector<NameCase> cases = {
        {"zolof", {"zolof"}, {}, {"zolof"}},
        {"sertralin", {"sertralin"}, {}, {"sertralin"}},
        {"xanaxx", {"xanaxx"}, {}, {"xanaxx"}},
        {"norcodeine", {"norcodeine"}, {}, {"norcodeine"}},
        {"methylphenidat 10 mg", {"methylphenidat 10 mg"}, {}, {"methylphenidat 10 mg"}},
        {"thyroidectomy", {"thyroidectomy"}, {}, {"thyroidectomy"}},
        {"sertraline/kratom", {"kratom", "sertraline"}, {D::kOralAntidepressant}, {"kratom"}},
        {"st john's wort", {"st john's wort"}, {}, {"st john's wort"}},
        {"325", {}, {}, {}},
    };
    for (const NameCase& c : cases) {
        EXPECT_EQ(DrugComponents(c.name), c.components) << "\"" << c.name << "\"";
        EXPECT_EQ(DrugClassesOf(c.name), c.classes) << "\"" << c.name << "\"";
        EXPECT_EQ(UnrecognisedComponents(c.name), c.unrecognised) << "\"" << c.name << "\"";
    }
}

TEST(DrugDictionaryTest, AliasesAreNormalisedUniqueAndNameKnownIngredients) {
    std::set<std::string_view> names;
    for (const DrugAlias& alias : DrugAliases()) {
        EXPECT_EQ(NormalizeDrugName(alias.name), alias.name) << alias.name;
        EXPECT_TRUE(names.insert(alias.name).second) << "duplicate alias " << alias.name;
        // An alias that were also a generic name would give one word two meanings.
        EXPECT_FALSE(IsKnownIngredient(alias.name)) << alias.name;
        EXPECT_FALSE(alias.markets.empty()) << alias.name;
        EXPECT_EQ(FindDrugAlias(alias.name), &alias) << alias.name;
        std::string_view rest = alias.ingredients;
        for (std::size_t slash = rest.find('/');; slash = rest.find('/')) {
            EXPECT_TRUE(IsKnownIngredient(rest.substr(0, slash))) << alias.name << ": " << rest.substr(0, slash);
            if (slash == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(slash + 1);
        }
    }
    EXPECT_EQ(FindDrugAlias("sertraline"), nullptr);
}

TEST(DrugDictionaryTest, IngredientsWithoutARuleAreInNoClass) {
    std::set<std::string_view> seen;
    for (std::string_view ingredient : IngredientsWithoutScreeningRule()) {
        EXPECT_EQ(NormalizeDrugName(ingredient), ingredient) << ingredient;
        EXPECT_TRUE(seen.insert(ingredient).second) << "duplicate " << ingredient;
        EXPECT_TRUE(DrugClassesOf(ingredient).empty()) << ingredient << " is also in the drug table";
        EXPECT_TRUE(IsKnownIngredient(ingredient)) << ingredient;
    }
}

TEST(DrugDictionaryTest, OnlyVerifiedRxNormCodes) {
    for (const RxNormCode& code : VerifiedRxNormCodes()) {
        EXPECT_TRUE(IsKnownIngredient(code.ingredient)) << code.ingredient;
        EXPECT_FALSE(code.rxcui.empty()) << code.ingredient;
        EXPECT_TRUE(std::ranges::all_of(code.rxcui, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
            << code.ingredient;
        EXPECT_FALSE(code.source.empty()) << code.ingredient;
    }
    EXPECT_EQ(VerifiedRxcuiOf("lamotrigine"), std::optional<std::string_view>("28439"));
    EXPECT_EQ(VerifiedRxcuiOf("methylphenidate"), std::optional<std::string_view>("6901"));
    // Unverified in the reference (ketamine's 6130) or not looked up: no code rather than a guess.
    EXPECT_EQ(VerifiedRxcuiOf("ketamine"), std::nullopt);
    EXPECT_EQ(VerifiedRxcuiOf("sertraline"), std::nullopt);
}

}  // namespace
}  // namespace kclinic::clinical
