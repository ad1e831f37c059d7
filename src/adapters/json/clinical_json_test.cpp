#include "adapters/json/clinical_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kclinic::adapters::json {
namespace {

struct BadIntake {
    std::string json;
    std::string error;  // Error::ToString()
};

TEST(IntakeFromJsonTest, RefusesUnknownFieldsWrongTypesAndMissingRequiredFields) {
    const std::string base = R"("age_years": 40, "sex": "female", "product": "ketamine-iv")";
    const std::vector<BadIntake> cases = {
        {"[]", "intake: must be a JSON object (got an array)"},
        {R"({"sex": "female", "product": "ketamine-iv"})", "age_years: is required: a whole number"},
        {R"({"age_years": 40, "product": "ketamine-iv"})", "sex: is required: a string"},
        {"{" + base + R"(, "pregnnt": false})", "pregnnt: unknown field"},
        {R"({"age_years": 40.5, "sex": "female", "product": "ketamine-iv"})",
         "age_years: must be a whole number (got a decimal number)"},
        {R"({"age_years": 1e12, "sex": "female", "product": "ketamine-iv"})",
         "age_years: must be a whole number (got a decimal number)"},
        {"{" + base + R"(, "pregnant": "no"})", "pregnant: must be true or false (got a string)"},
        {"{" + base + R"(, "weight_kg": "68"})", "weight_kg: must be a number (got a string)"},
        {"{" + base + R"(, "medications": "sertraline"})", "medications: must be an array of strings (got a string)"},
        {"{" + base + R"(, "medications": ["sertraline", 3]})",
         "medications[1]: must be a string (got a whole number)"},
        {"{" + base + R"(, "blood_pressure": [120, 80]})", "blood_pressure: must be an object (got an array)"},
        {"{" + base + R"(, "blood_pressure": {"systolic": 120}})",
         "blood_pressure.diastolic: is required: a whole number"},
        {"{" + base + R"(, "blood_pressure": {"systolic": 120, "diastolic": 80, "map": 93}})",
         "blood_pressure.map: unknown field"},
        {"{" + base + R"(, "antidepressant_trials": [{"drug": "sertraline", "weeks": 8, "adequate_dose": true,
             "improvement_percent": 10, "current_episode": true, "dose_mg": 100}]})",
         "antidepressant_trials[0].dose_mg: unknown field"},
        {"{" + base + R"(, "antidepressant_trials": ["sertraline"]})",
         "antidepressant_trials[0]: must be an object (got a string)"},
    };
    for (const BadIntake& c : cases) {
        Result<Json> parsed = Parse(c.json);
        ASSERT_TRUE(parsed.ok()) << c.json;
        Result<clinical::Intake> intake = IntakeFromJson(*parsed);
        ASSERT_FALSE(intake.ok()) << c.json;
        EXPECT_EQ(intake.error().ToString(), c.error) << c.json;
    }
}

TEST(IntakeFromJsonTest, ReadsEveryField) {
    Result<Json> parsed = Parse(R"({
        "age_years": 67, "sex": "male", "pregnant": null, "breastfeeding": false, "weight_kg": 81.5,
        "product": "esketamine-nasal", "diagnoses": ["F33.2"], "conditions": ["I10"], "allergies": ["latex"],
        "medications": ["sertraline"], "heart_rate": 72, "acute_suicidal_ideation": true, "child_pugh": "b",
        "japanese_ancestry": true, "hypertensive_encephalopathy_history": false, "ketamine_misuse_history": false,
        "blood_pressure": {"systolic": 138, "diastolic": 86},
        "antidepressant_trials": [{"drug": "sertraline", "weeks": 8, "adequate_dose": true,
                                   "improvement_percent": 12.5, "current_episode": true}]})");
    ASSERT_TRUE(parsed.ok());
    Result<clinical::Intake> intake = IntakeFromJson(*parsed);
    ASSERT_TRUE(intake.ok()) << intake.error().ToString();
    EXPECT_EQ(intake->age_years, 67);
    EXPECT_EQ(intake->sex, clinical::Sex::kMale);
    EXPECT_FALSE(intake->pregnant.has_value());  // null means not recorded
    EXPECT_EQ(intake->weight_kg, 81.5);
    EXPECT_EQ(intake->product, clinical::Product::kEsketamineNasal);
    EXPECT_EQ(intake->diagnoses, std::vector<std::string>{"F33.2"});
    EXPECT_EQ(intake->heart_rate_per_min, 72);
    EXPECT_TRUE(intake->acute_suicidal_ideation);
    EXPECT_EQ(intake->child_pugh, clinical::ChildPugh::kB);
    EXPECT_TRUE(intake->japanese_ancestry);
    ASSERT_TRUE(intake->blood_pressure.has_value());
    EXPECT_EQ(intake->blood_pressure->systolic_mmhg, 138);
    ASSERT_EQ(intake->antidepressant_trials.size(), 1u);
    EXPECT_EQ(intake->antidepressant_trials[0].improvement_percent, 12.5);
}

TEST(IntakeToJsonTest, RoundTripsThroughIntakeFromJsonAsStableText) {
    clinical::Intake full;
    full.age_years = 67;
    full.sex = clinical::Sex::kFemale;
    full.pregnant = false;
    full.breastfeeding = true;
    full.weight_kg = 81.25;
    full.product = clinical::Product::kEsketamineNasal;
    full.diagnoses = {"F33.2"};
    full.conditions = {"I10", "K70.3"};
    full.allergies = {"latex"};
    full.medications = {"olanzapine/fluoxetine"};
    full.antidepressant_trials = {{"sertraline", 8, true, -12.5, true}, {"bupropion", 6, false, 0.1, false}};
    full.blood_pressure = clinical::BloodPressure{138, 86};
    full.heart_rate_per_min = 72;
    full.acute_suicidal_ideation = true;
    full.child_pugh = clinical::ChildPugh::kC;
    full.japanese_ancestry = true;
    full.hypertensive_encephalopathy_history = true;
    full.ketamine_misuse_history = true;
    const clinical::Intake minimal;  // every optional absent
    for (const clinical::Intake& intake : {full, minimal}) {
        const std::string text = IntakeToJson(intake).dump();
        Result<Json> parsed = Parse(text);
        ASSERT_TRUE(parsed.ok()) << text;
        Result<clinical::Intake> back = IntakeFromJson(*parsed);
        ASSERT_TRUE(back.ok()) << back.error().ToString();
        EXPECT_EQ(IntakeToJson(*back).dump(), text);
        EXPECT_EQ(back->pregnant, intake.pregnant);
        EXPECT_EQ(back->weight_kg, intake.weight_kg);
        EXPECT_EQ(back->heart_rate_per_min, intake.heart_rate_per_min);
        EXPECT_EQ(back->child_pugh, intake.child_pugh);
        EXPECT_EQ(back->medications, intake.medications);
        ASSERT_EQ(back->antidepressant_trials.size(), intake.antidepressant_trials.size());
        for (std::size_t i = 0; i < intake.antidepressant_trials.size(); ++i) {
            EXPECT_EQ(back->antidepressant_trials[i].improvement_percent,
                      intake.antidepressant_trials[i].improvement_percent);
        }
    }
    EXPECT_EQ(IntakeToJson(minimal).dump(),
              R"({"acute_suicidal_ideation":false,"age_years":0,"allergies":[],"antidepressant_trials":[],)"
              R"("breastfeeding":false,"conditions":[],"diagnoses":[],"hypertensive_encephalopathy_history":false,)"
              R"("japanese_ancestry":false,"ketamine_misuse_history":false,"medications":[],)"
              R"("product":"ketamine-iv","sex":"unknown"})");
}

TEST(ParseTest, NamesTheByteOfASyntaxError) {
    Result<Json> parsed = Parse(R"({"age_years": 40,})");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().ToString(), "invalid JSON at byte 18: the document is not well-formed");
}

TEST(ToJsonTest, ScoreCarriesBandRuleFlagsAndVerifiedLoincOnly) {
    const std::vector<int> answers = {1, 1, 1, 1, 1, 1, 1, 1, 2};
    Result<clinical::ScaleResult> scored = clinical::Score(clinical::Instrument::kPhq9, answers, {});
    ASSERT_TRUE(scored.ok());
    Json json = ToJson(*scored);
    EXPECT_EQ(json["total"], 10);
    EXPECT_EQ(json["band"], "moderate");
    EXPECT_EQ(json["loinc"]["total"], "44261-6");
    EXPECT_EQ(json["flags"][0], "suicidality");

    Result<clinical::ScaleResult> madrs =
        clinical::Score(clinical::Instrument::kMadrs, std::vector<int>(10, 0), clinical::ScaleSettings{});
    ASSERT_TRUE(madrs.ok());
    EXPECT_FALSE(ToJson(*madrs).contains("loinc"));  // no verified MADRS code exists
}

}  // namespace
}  // namespace kclinic::adapters::json
