#include "clinical/condition_codes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/enum_names_testing.hpp"
#include "clinical/medications.hpp"

namespace kclinic::clinical {

// Failure output names the enumerators instead of printing their bytes (found by argument-dependent lookup).
static void PrintTo(Condition condition, std::ostream* out) {
    *out << ConditionName(condition);
}
static void PrintTo(DrugClass drug_class, std::ostream* out) {
    *out << DrugClassName(drug_class);
}

namespace {

TEST(ConditionCodesTest, RecognisesTheShapeOfIcd10CmCodes) {
    struct Case {
        std::string code;
        bool valid;
    };
    const std::vector<Case> cases = {
        {"F33.2", true},
        {"f33.2", true},
        {"F332", true},
        {"F33", true},
        {"O9A.11", true},
        {"Z3A.08", true},
        {"S06.0X1A", true},
        {"F32.A", true},
        {"R45.851", true},
        {"F3321", true},
        {"S060X1A", true},
        {"", false},
        {"F3", false},
        {"33.2", false},
        {"FF3.2", false},
        {"F33.", false},
        {"F33.21234", false},
        {"F3321234", false},
        {"F33-2", false},
        {" F33.2", false},
        {"F33.2 ", false},
        {"F3.32", false},
        {"F33..2", false},
        {"F33.2.1", false},
        {"F33.2_", false},
        {"\xc3\x89"
         "33.2",
         false},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(IsIcd10CmCode(c.code), c.valid) << "code \"" << c.code << "\"";
    }
}

TEST(ConditionCodesTest, NormalisesToUpperCaseWithTheDotAfterTheCategory) {
    struct Case {
        std::string code;
        std::string normalised;
    };
    const std::vector<Case> cases = {
        {"f332", "F33.2"},       {"F33.2", "F33.2"},     {"F33", "F33"},     {"o9a11", "O9A.11"},
        {"s060x1a", "S06.0X1A"}, {"r45.851", "R45.851"}, {"f32.a", "F32.A"},
    };
    for (const Case& c : cases) {
        Result<std::string> normalised = NormalizeIcd10Cm(c.code, "diagnoses[0]");
        ASSERT_TRUE(normalised.ok()) << c.code;
        EXPECT_EQ(*normalised, c.normalised) << c.code;
    }
    Result<std::string> bad = NormalizeIcd10Cm("F33.", "conditions[3]");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(bad.error().field, "conditions[3]");
    EXPECT_NE(bad.error().message.find("e.g. \"F33.2\" (got \"F33.\")"), std::string::npos) << bad.error().message;
}

TEST(ConditionCodesTest, MatchesPrefixesRangesAndWildcards) {
    struct Case {
        std::string code;
        std::string patterns;
        bool matches;
    };
    const std::vector<Case> cases = {
        {"F25.0", "F20-F29", true},
        {"F20", "F20-F29", true},
        {"F29", "F20-F29", true},
        {"F19.9", "F20-F29", false},
        {"F30", "F20-F29", false},
        {"O9A.1", "O00-O9A", true},
        {"O99.8", "O00-O9A", true},
        {"O00.0", "O00-O9A", true},
        {"P00", "O00-O9A", false},
        {"N99", "O00-O9A", false},
        {"F10.21", "F1?.21", true},
        {"F19.21", "F1?.21", true},
        {"F10.2", "F1?.21", false},
        {"F20.21", "F1?.21", false},
        {"I67.1", "I67.1", true},
        {"I67.10", "I67.1", true},
        {"I67.2", "I67.1", false},
        {"I67", "I67.1", false},
        {"S06.35", "S06.34-S06.36", true},
        {"S06.360A", "S06.34-S06.36", true},
        {"S06.37", "S06.34-S06.36", false},
        {"S06.3", "S06.34-S06.36", false},
        {"i71.4", "I71-I72", true},
        {"I714", "I71-I72", true},
        {"I73.9", "I71-I72", false},
        {"I72.0", "I61, I71-I72", true},
        {"I61.9", "I71-I72 , I61", true},
        {"bad", "I71", false},
        {"F33.2", "", false},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(CodeMatchesPatterns(c.code, c.patterns), c.matches) << c.code << " vs \"" << c.patterns << "\"";
    }
}

TEST(ConditionCodesTest, MapsCodesToConditionsAtTheEdgesOfEachRange) {
    using C = Condition;
    struct Case {
        std::string code;
        std::set<Condition> conditions;
    };
    const std::vector<Case> cases = {
        // Substance use: F10-F19 except nicotine and the remission codes.
        {"F19.9", {C::kSubstanceUseDisorder}},
        {"F10.20", {C::kSubstanceUseDisorder}},
        {"F10.10", {C::kSubstanceUseDisorder}},
        {"F11.20", {C::kSubstanceUseDisorder}},
        {"F20", {C::kPsychosis}},
        {"F20.9", {C::kPsychosis}},
        {"F29", {C::kPsychosis}},
        {"F17.210", {}},
        {"F17.211", {}},
        {"F17.200", {}},
        {"F17.290", {}},
        {"F10.21", {C::kSubstanceUseInRemission}},
        {"F10.11", {C::kSubstanceUseInRemission}},
        {"F12.91", {C::kSubstanceUseInRemission}},
        {"F19.21", {C::kSubstanceUseInRemission}},
        {"F12.150", {C::kPsychosis, C::kSubstanceUseDisorder}},
        {"F10.959", {C::kPsychosis, C::kSubstanceUseDisorder}},
        {"F06.2", {C::kPsychosis}},
        {"F53.1", {C::kPsychosis}},
        // Mood and anxiety.
        {"F33.2", {C::kMajorDepressiveDisorder}},
        {"F32.9", {C::kMajorDepressiveDisorder}},
        {"F33.9", {C::kMajorDepressiveDisorder}},
        {"F33.3", {C::kPsychosis, C::kMajorDepressiveDisorder}},
        {"F32.3", {C::kPsychosis, C::kMajorDepressiveDisorder}},
        {"F32.A", {C::kOtherDepressiveDisorder}},
        {"F32.81", {C::kOtherDepressiveDisorder}},
        {"F32.89", {C::kOtherDepressiveDisorder}},
        {"F34.1", {C::kOtherDepressiveDisorder}},
        {"F34.81", {C::kOtherDepressiveDisorder}},
        {"F34.9", {C::kOtherDepressiveDisorder}},
        {"F39", {C::kOtherDepressiveDisorder}},
        {"F53.0", {C::kOtherDepressiveDisorder}},
        {"F06.31", {C::kOtherDepressiveDisorder}},
        {"F06.32", {C::kOtherDepressiveDisorder}},
        {"F06.30", {}},
        {"F06.33", {}},
        {"F34.0", {}},
        {"F32.4", {C::kMajorDepressiveDisorder}},
        {"F32.5", {C::kMajorDepressiveDisorder, C::kMajorDepressionInRemission}},
        {"F33.40", {C::kMajorDepressiveDisorder, C::kMajorDepressionInRemission}},
        {"F33.41", {C::kMajorDepressiveDisorder}},
        {"F33.42", {C::kMajorDepressiveDisorder, C::kMajorDepressionInRemission}},
        {"F31.4", {C::kBipolarOrMania}},
        {"F30.10", {C::kBipolarOrMania}},
        {"F43.10", {C::kPtsd}},
        {"F43.12", {C::kPtsd}},
        {"F43.2", {}},
        {"F41.1", {C::kGeneralizedAnxietyDisorder}},
        {"F41.0", {}},
        // Hard stops.
        {"I71.4", {C::kAneurysm}},
        {"I72.0", {C::kAneurysm}},
        {"I67.1", {C::kAneurysm}},
        {"I79.0", {C::kAneurysm}},
        {"I60.9", {C::kAneurysm}},
        {"I60.7", {C::kAneurysm}},
        {"I69.00", {C::kAneurysm}},
        {"I25.41", {C::kAneurysm}},
        {"I25.42", {}},
        {"I28.1", {C::kAneurysm}},
        {"I28.0", {}},
        {"Q25.43", {C::kAneurysm}},
        {"Q25.44", {}},
        {"I73.9", {}},
        {"Q28.2", {C::kArteriovenousMalformation}},
        {"Q28.3", {C::kArteriovenousMalformation}},
        {"Q28.8", {}},
        {"Q27.30", {C::kArteriovenousMalformation}},
        {"Q25.72", {C::kArteriovenousMalformation}},
        {"Q25.71", {}},
        {"I61.9", {C::kIntracerebralHaemorrhage}},
        {"I69.10", {C::kIntracerebralHaemorrhage}},
        {"I62.00", {}},
        {"I62.9", {}},
        {"S06.360A", {C::kIntracerebralHaemorrhage, C::kHeadInjury}},
        {"S06.0X0A", {C::kHeadInjury}},
        {"O14.13", {C::kPreEclampsia, C::kPregnancy}},
        {"O11.1", {C::kPreEclampsia, C::kPregnancy}},
        {"O15.2", {C::kPreEclampsia, C::kPregnancy}},
        {"O13.1", {C::kPregnancy}},
        {"O9A.111", {C::kPregnancy}},
        {"Z33.1", {C::kPregnancy}},
        {"Z33.2", {}},
        {"Z33.3", {C::kPregnancy}},
        {"Z34.00", {C::kPregnancy}},
        {"Z3A.20", {C::kPregnancy}},
        {"O00.10", {C::kPregnancy}},
        {"O07.4", {C::kPregnancy}},
        {"O09.91", {C::kPregnancy}},
        {"O88.13", {C::kPregnancy}},
        {"O99.891", {C::kPregnancy}},
        // Codes recorded after a pregnancy has ended: not pregnancy now.
        {"O03.9", {}},
        {"O04.5", {}},
        {"O08.0", {}},
        {"O80", {}},
        {"O82", {}},
        {"O85", {}},
        {"O86.4", {}},
        {"O87.1", {}},
        {"O89.1", {}},
        {"O90.89", {}},
        {"O94", {}},
        // Review and caution conditions.
        {"I20.0", {C::kAcuteCoronarySyndrome}},
        {"I20.9", {}},
        {"I21.4", {C::kAcuteCoronarySyndrome}},
        {"I24.9", {C::kAcuteCoronarySyndrome}},
        {"I25.110", {C::kAcuteCoronarySyndrome}},
        {"I25.111", {}},
        {"I25.700", {C::kAcuteCoronarySyndrome}},
        {"I25.790", {C::kAcuteCoronarySyndrome}},
        {"I25.701", {}},
        {"I25.2", {C::kPriorMyocardialInfarction}},
        {"I25.10", {}},
        {"I35.0", {C::kValvularHeartDisease}},
        {"I50.9", {C::kHeartFailure}},
        {"I63.9", {C::kStrokeOrTia}},
        {"G45.9", {C::kStrokeOrTia}},
        {"G45.3", {C::kStrokeOrTia}},
        {"G45.4", {}},
        {"I97.810", {C::kStrokeOrTia}},
        {"I97.821", {C::kStrokeOrTia}},
        {"I97.89", {}},
        {"I69.30", {C::kStrokeOrTia}},
        {"Z86.73", {C::kStrokeOrTia}},
        {"G93.2", {C::kRaisedIntracranialPressure}},
        {"G93.6", {C::kRaisedIntracranialPressure}},
        {"G91.9", {C::kRaisedIntracranialPressure}},
        {"C71.9", {C::kRaisedIntracranialPressure}},
        {"D33.0", {C::kRaisedIntracranialPressure}},
        {"D32.0", {C::kRaisedIntracranialPressure}},
        {"D32.1", {}},
        {"C70.0", {C::kRaisedIntracranialPressure}},
        {"C79.32", {C::kRaisedIntracranialPressure}},
        {"C79.40", {}},
        {"D42.9", {C::kRaisedIntracranialPressure}},
        {"D49.6", {C::kRaisedIntracranialPressure}},
        {"I67.4", {C::kHypertensiveEncephalopathy}},
        {"I16.1", {C::kHypertensiveCrisis}},
        {"I10", {}},
        {"H40.9", {C::kRaisedIntraocularPressure}},
        {"Q15.0", {C::kRaisedIntraocularPressure}},
        {"S05.21XA", {C::kRaisedIntraocularPressure}},
        {"S05.10XA", {}},
        {"E05.90", {C::kHyperthyroidism}},
        {"E03.9", {}},
        {"K72.10", {C::kSevereHepaticImpairment}},
        {"K74.60", {C::kSevereHepaticImpairment}},
        {"K70.30", {C::kSevereHepaticImpairment}},
        {"K70.40", {C::kSevereHepaticImpairment}},
        {"K74.3", {C::kSevereHepaticImpairment}},
        {"K74.5", {C::kSevereHepaticImpairment}},
        {"K74.69", {C::kSevereHepaticImpairment}},
        {"K76.7", {C::kSevereHepaticImpairment}},
        {"K76.6", {}},
        {"K70.0", {}},
        {"K74.0", {}},
        {"J44.9", {C::kRespiratoryDisease}},
        {"J96.01", {C::kRespiratoryDisease}},
        {"G47.33", {C::kRespiratoryDisease}},
        {"G47.30", {C::kRespiratoryDisease}},
        {"G47.31", {C::kRespiratoryDisease}},
        {"G47.39", {C::kRespiratoryDisease}},
        {"G47.32", {}},
        {"G47.4", {}},
        {"J45.50", {C::kRespiratoryDisease}},
        {"J45.40", {}},
        {"J84.10", {C::kRespiratoryDisease}},
        {"E84.0", {C::kRespiratoryDisease}},
        {"Z99.11", {C::kRespiratoryDisease}},
        {"Z99.81", {C::kRespiratoryDisease}},
        {"Z99.89", {}},
        {"J45.909", {}},
        {"N30.10", {C::kCystitisOrUrinarySymptoms}},
        {"R35.0", {C::kCystitisOrUrinarySymptoms}},
        {"R45.851", {C::kSuicidalIdeation}},
        {"T14.91XA", {C::kSuicidalIdeation}},
        {"T14.90XA", {}},
        // Case and dot do not matter.
        {"f1021", {C::kSubstanceUseInRemission}},
        {"i714", {C::kAneurysm}},
        // Not a code at all.
        {"F33.", {}},
    };
    for (const Case& c : cases) {
        std::vector<Condition> found = ConditionsOf(c.code);
        std::set<Condition> found_set(found.begin(), found.end());
        EXPECT_EQ(found.size(), found_set.size()) << c.code << ": a condition reported twice";
        EXPECT_EQ(found_set, c.conditions) << c.code;
        for (Condition condition : c.conditions) {
            EXPECT_TRUE(HasCondition(c.code, condition)) << c.code << " " << ConditionName(condition);
        }
    }
}

TEST(ConditionCodesTest, TableIsWellFormedAndInEnumOrder) {
    Status check = CheckConditionCodeTable();
    EXPECT_TRUE(check.ok()) << (check.ok() ? "" : check.error().ToString());
    ASSERT_EQ(ConditionCodeTable().size(), 29u);
    std::set<std::string_view> names;
    for (const ConditionCodes& row : ConditionCodeTable()) {
        EXPECT_EQ(&ConditionCodesFor(row.condition), &row) << ConditionName(row.condition);
        std::string_view name = ConditionName(row.condition);
        EXPECT_NE(name, "unknown");
        EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
        for (char c : name) {
            EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << "name " << name << " is not lower_snake_case";
        }
    }
}

TEST(MedicationsTest, ClassifiesGenericNames) {
    using D = DrugClass;
    struct Case {
        std::string name;
        std::vector<DrugClass> classes;
        bool oral_antidepressant;
    };
    const std::vector<Case> cases = {
        {"lorazepam", {D::kBenzodiazepine}, false},
        {" Lorazepam ", {D::kBenzodiazepine}, false},
        {"zolpidem", {D::kZDrug}, false},
        {"oxycodone", {D::kOpioid}, false},
        {"gabapentin", {D::kOtherCnsDepressant}, false},
        {"phenelzine", {D::kMaoInhibitor, D::kOralAntidepressant}, true},
        {"selegiline", {D::kMaoInhibitor}, false},
        {"methylphenidate", {D::kPsychostimulant}, false},
        {"lamotrigine", {D::kLamotrigine}, false},
        {"naltrexone", {D::kNaltrexone}, false},
        {"theophylline", {D::kXanthine}, false},
        {"aminophylline", {D::kXanthine}, false},
        {"pseudoephedrine", {D::kSympathomimetic}, false},
        {"vasopressin", {D::kVasopressin}, false},
        {"methylergonovine", {D::kErgometrine}, false},
        {"levothyroxine", {D::kThyroidHormone}, false},
        {"sertraline", {D::kOralAntidepressant}, true},
        {"BUPROPION", {D::kOralAntidepressant}, true},
        {"vortioxetine", {D::kOralAntidepressant}, true},
        {"esketamine", {D::kKetamine}, false},
        {"ketamine hydrochloride", {D::kKetamine}, false},
        {"sertraline hydrochloride", {D::kOralAntidepressant}, true},
        {"bupropion XL", {D::kOralAntidepressant}, true},
        {"lisdexamfetamine dimesylate", {D::kPsychostimulant}, false},
        {"selegiline transdermal", {D::kMaoInhibitor}, false},
        {"rasagiline", {D::kMaoInhibitor}, false},
        {"methylene blue", {D::kMaoInhibitor}, false},
        {"clonazepam", {D::kBenzodiazepine}, false},
        {"bromazepam", {D::kBenzodiazepine}, false},
        {"suvorexant", {D::kOtherCnsDepressant}, false},
        {"phentermine", {D::kPsychostimulant}, false},
        {"levothyroxine sodium", {D::kThyroidHormone}, false},
        {"hydrocodone/acetaminophen", {D::kOpioid}, false},
        {"buprenorphine/naloxone", {D::kOpioid}, false},
        {"amphetamine-dextroamphetamine", {D::kPsychostimulant}, false},
        {"Naltrexone and Bupropion", {D::kNaltrexone, D::kOralAntidepressant}, true},
        {"olanzapine/fluoxetine", {D::kOralAntidepressant, D::kAugmentationAgent}, true},
        {"chlordiazepoxide/amitriptyline", {D::kBenzodiazepine, D::kOralAntidepressant}, true},
        {"guaifenesin + pseudoephedrine", {D::kSympathomimetic}, false},
        {"sodium chloride", {}, false},
        {"methylene", {}, false},
        {"acetaminophen", {}, false},
        {"/", {}, false},
        {"", {}, false},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(DrugClassesOf(c.name), c.classes) << "\"" << c.name << "\"";
        const std::vector<DrugClass> classes = DrugClassesOf(c.name);
        EXPECT_EQ(std::ranges::find(classes, DrugClass::kOralAntidepressant) != classes.end(), c.oral_antidepressant)
            << "\"" << c.name << "\"";
    }
}

TEST(MedicationsTest, SplitsCombinationsAndReducesSaltsToTableNames) {
    struct Case {
        std::string name;
        std::vector<std::string> components;
    };
    const std::vector<Case> cases = {
        {"sertraline", {"sertraline"}},
        {"Sertraline Hydrochloride", {"sertraline"}},
        {"sodium oxybate", {"sodium oxybate"}},
        {"naltrexone extended-release", {"naltrexone"}},
        {"Hydrocodone/Acetaminophen", {"acetaminophen", "hydrocodone"}},
        {"dextromethorphan-bupropion", {"bupropion", "dextromethorphan"}},
        {"naltrexone and bupropion", {"bupropion", "naltrexone"}},
        {"fluoxetine with olanzapine", {"fluoxetine", "olanzapine"}},
        {"oxycodone+naloxone; aspirin, clopidogrel", {"aspirin", "clopidogrel", "naloxone", "oxycodone"}},
        {"sertraline / Sertraline HCl", {"sertraline"}},
        {"unknown drug x", {"unknown drug x"}},
        {"brandon", {"brandon"}},
        {" / - ", {}},
        {"", {}},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(DrugComponents(c.name), c.components) << "\"" << c.name << "\"";
    }
}

TEST(MedicationsTest, NormalisesNames) {
    EXPECT_EQ(NormalizeDrugName("  Sertraline "), "sertraline");
    EXPECT_EQ(NormalizeDrugName("\tSertraline\n"), "sertraline");
    EXPECT_EQ(NormalizeDrugName("SODIUM OXYBATE"), "sodium oxybate");
    EXPECT_EQ(NormalizeDrugName("   "), "");
}

TEST(MedicationsTest, TablesAreConsistent) {
    ASSERT_EQ(DrugClassTable().size(), 17u);
    std::set<std::string_view> rule_ids;
    for (const DrugClassInfo& info : DrugClassTable()) {
        std::string_view name = DrugClassName(info.drug_class);
        EXPECT_EQ(&DrugClassInfoFor(info.drug_class), &info) << name;
        EXPECT_FALSE(info.source.empty()) << name;
        EXPECT_FALSE(info.description.empty()) << name;
        if (info.drug_class == DrugClass::kOralAntidepressant || info.drug_class == DrugClass::kAugmentationAgent ||
            info.drug_class == DrugClass::kAntihypertensive) {
            EXPECT_TRUE(info.interaction_rule_id.empty());
        } else {
            EXPECT_EQ(info.interaction_rule_id, "interaction." + std::string(name)) << name;
            EXPECT_FALSE(info.monitor.empty()) << name;
            EXPECT_TRUE(rule_ids.insert(info.interaction_rule_id).second) << name;
        }
        bool has_member = false;
        for (const DrugEntry& entry : DrugTable())
            has_member = has_member || entry.drug_class == info.drug_class;
        EXPECT_TRUE(has_member) << name << " has no drug in the table";
    }
    std::set<std::pair<std::string_view, DrugClass>> rows;
    for (const DrugEntry& entry : DrugTable()) {
        EXPECT_EQ(NormalizeDrugName(entry.generic_name), entry.generic_name)
            << "not normalised: " << entry.generic_name;
        EXPECT_TRUE(rows.insert({entry.generic_name, entry.drug_class}).second) << "duplicate " << entry.generic_name;
    }
}

TEST(CodeTableNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kConditionNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kDrugClassNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
