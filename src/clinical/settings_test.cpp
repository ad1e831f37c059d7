#include "clinical/settings.hpp"

#include <gtest/gtest.h>

#include <vector>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

const SettingSpec* Find(const std::vector<SettingSpec>& specs, std::string_view name) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](const SettingSpec& s) { return s.name == name; });
    return it == specs.end() ? nullptr : &*it;
}

TEST(SettingsTest, EverySettingHasDefaultBoundsAndSource) {
    const auto specs = AllSettings(ClinicSettings{});
    ASSERT_GE(specs.size(), 20u);
    for (const SettingSpec& spec : specs) {
        EXPECT_FALSE(spec.allowed.empty()) << spec.name;
        EXPECT_FALSE(spec.source.empty()) << spec.name;
        EXPECT_FALSE(spec.description.empty()) << spec.name;
        EXPECT_EQ(spec.value, spec.default_value) << spec.name;
    }
}

// `allowed` is read by people and by the admin screen (web/src/screens/admin/settings-page.tsx), which shows the unit
// beside the value and offers a choice as a list: docs/api.md fixes its three shapes, and every setting has one.
TEST(SettingsTest, EveryAllowedIsARangeWithItsUnitAChoiceOrWordsForAForm) {
    const std::regex range(R"(-?\d+(\.\d+)?\.\.-?\d+(\.\d+)?( \S.*)?)");
    const std::regex choice(R"([a-z0-9_]+(\|[a-z0-9_]+)+)");
    int ranges = 0;
    int choices = 0;
    for (const SettingSpec& spec : AllSettings(ClinicSettings{})) {
        if (std::regex_match(spec.allowed, range)) {
            ++ranges;
        } else if (std::regex_match(spec.allowed, choice)) {
            ++choices;
        } else {
            // Free text describes a form instead: only the opening hours, the time zone, the portal's crisis
            // texts and the REMS setting's name have one.
            EXPECT_TRUE(spec.name.starts_with("hours.") || spec.name == "clinic.time_zone" ||
                        spec.name.starts_with("portal.crisis_") || spec.name == "rems.healthcare_setting")
                << spec.name;
        }
    }
    EXPECT_GT(ranges, 30);
    EXPECT_GE(choices, 4);
}

TEST(SettingsTest, DefaultsMatchTheirSources) {
    const auto specs = AllSettings(ClinicSettings{});
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"region", "us"},
        {"scales.madrs_bands", "snaith"},
        {"scales.madrs_item10_suicidality_min", "4"},
        {"scales.pcl5_provisional_ptsd_min", "33"},
        {"scales.cadss_dissociation_above", "4"},
        {"scales.cssrs_screen_self_report", "clinician_only"},
        {"outcomes.madrs_remission_max", "12"},
        {"screening.trd_min_trial_weeks", "6"},
        {"screening.trd_failure_below_percent", "25"},
        {"screening.pregnancy", "not_eligible"},
        {"screening.intake_bp_caution_systolic", "140"},
        {"screening.intake_bp_caution_diastolic", "90"},
        {"dose.iv_max_mg_per_kg", "1"},
        {"schedule.iv_induction_infusions", "6"},
        {"monitoring.systolic_alert_at_or_above", "180"},
        {"monitoring.diastolic_alert_at_or_above", "110"},
        {"monitoring.heart_rate_alert_above", "110"},
        {"monitoring.heart_rate_alert_below", "50"},
        {"monitoring.spo2_alert_below", "93"},
        {"monitoring.respiratory_rate_alert_below", "10"},
        {"monitoring.respiratory_rate_alert_above", "30"},
        {"monitoring.moaas_sedation_at_or_below", "3"},
    };
    for (const auto& [name, value] : expected) {
        const SettingSpec* spec = Find(specs, name);
        ASSERT_NE(spec, nullptr) << name;
        EXPECT_EQ(spec->default_value, value) << name;
    }
}

struct SetCase {
    std::string name;
    std::string value;
    bool accepted;
    std::string error;  // the exact one-line error when refused
};

TEST(SettingsTest, SetAcceptsValuesInsideBoundsAndRefusesOthers) {
    const std::vector<SetCase> cases = {
        {"screening.trd_min_trial_weeks", "4", true, ""},
        {"screening.trd_min_trial_weeks", "8", true, ""},
        {"screening.trd_min_trial_weeks", "3", false,
         "screening.trd_min_trial_weeks: must be between 4 and 8 weeks (got 3 weeks)"},
        {"screening.trd_min_trial_weeks", "9", false,
         "screening.trd_min_trial_weeks: must be between 4 and 8 weeks (got 9 weeks)"},
        {"screening.trd_min_trial_weeks", "six", false,
         "screening.trd_min_trial_weeks: expected a whole number (got \"six\")"},
        {"screening.trd_failure_below_percent", "50", true, ""},
        {"screening.trd_failure_below_percent", "51", false,
         "screening.trd_failure_below_percent: must be between 25 and 50 % (got 51 %)"},
        {"dose.iv_max_mg_per_kg", "0.8", true, ""},
        {"dose.iv_max_mg_per_kg", "1.0", true, ""},
        {"dose.iv_max_mg_per_kg", "1.01", false,
         "dose.iv_max_mg_per_kg: must be between 0.1 and 1 mg/kg (got 1.01 mg/kg)"},
        {"dose.iv_max_mg_per_kg", "1e400", false, "dose.iv_max_mg_per_kg: expected a number (got \"1e400\")"},
        {"outcomes.madrs_remission_max", "10", true, ""},
        {"outcomes.madrs_remission_max", "13", false,
         "outcomes.madrs_remission_max: must be between 10 and 12 points (got 13 points)"},
        {"scales.madrs_bands", "alternative", true, ""},
        {"scales.madrs_bands", "muller", false,
         "scales.madrs_bands: must be one of snaith|alternative (got \"muller\")"},
        {"scales.cssrs_screen_self_report", "patient_allowed", true, ""},
        {"scales.cssrs_screen_self_report", "yes", false,
         "scales.cssrs_screen_self_report: must be one of clinician_only|patient_allowed (got \"yes\")"},
        {"region", "eu", true, ""},
        {"scales.madrs_item10_suicidality_min", "5", false,
         "scales.madrs_item10_suicidality_min: must be between 1 and 4 points (got 5 points)"},
        {"monitoring.systolic_alert_at_or_above", "140", true, ""},
        {"monitoring.systolic_alert_at_or_above", "181", false,
         "monitoring.systolic_alert_at_or_above: must be between 140 and 180 mmHg (got 181 mmHg)"},
        {"monitoring.spo2_alert_below", "95", true, ""},
        {"monitoring.spo2_alert_below", "92", false,
         "monitoring.spo2_alert_below: must be between 93 and 95 % (got 92 %)"},
        {"monitoring.respiratory_rate_alert_above", "31", false,
         "monitoring.respiratory_rate_alert_above: must be between 20 and 30 /min (got 31 /min)"},
        {"monitoring.moaas_sedation_at_or_below", "4", true, ""},
        {"monitoring.moaas_sedation_at_or_below", "0", false,
         "monitoring.moaas_sedation_at_or_below: must be between 3 and 4 points (got 0 points)"},
        {"no.such_setting", "1", false, "no.such_setting: unknown setting (see `kclinic settings`)"},
    };
    for (const SetCase& c : cases) {
        ClinicSettings settings;
        Status status = SetSetting(settings, c.name, c.value);
        EXPECT_EQ(status.ok(), c.accepted) << c.name << "=" << c.value;
        if (status.ok()) {
            EXPECT_EQ(Find(AllSettings(settings), c.name)->value, c.value == "1.0" ? "1" : c.value) << c.name;
        } else {
            EXPECT_EQ(status.error().ToString(), c.error) << c.name << "=" << c.value;
        }
    }
}

TEST(SettingsTest, RefusedChangeLeavesSettingsUntouched) {
    ClinicSettings settings;
    ASSERT_FALSE(SetSetting(settings, "dose.iv_max_mg_per_kg", "2").ok());
    EXPECT_EQ(settings.dose.iv_max_mg_per_kg, 1.0);
}

TEST(SettingsTest, CrossSettingRulesHold) {
    ClinicSettings settings;
    ASSERT_TRUE(SetSetting(settings, "screening.intake_bp_caution_systolic", "160").ok());
    ASSERT_TRUE(SetSetting(settings, "screening.intake_bp_review_systolic", "170").ok());
    Status inverted = SetSetting(settings, "screening.intake_bp_review_systolic", "160");
    ASSERT_FALSE(inverted.ok());
    EXPECT_EQ(inverted.error().field, "screening.intake_bp_review_systolic");
    EXPECT_EQ(settings.screening.intake_bp_review_systolic, 170);

    // Lowering the IV ceiling below the IM ceiling is refused: IM exposure is about the same as IV.
    Status below_im = SetSetting(settings, "dose.iv_max_mg_per_kg", "0.4");
    ASSERT_FALSE(below_im.ok());
    EXPECT_EQ(below_im.error().field, "dose.im_max_mg_per_kg");

    ClinicSettings schedule;
    ASSERT_TRUE(SetSetting(schedule, "schedule.iv_induction_per_week", "3").ok());
    Status too_far_apart = SetSetting(schedule, "schedule.min_days_between_sessions", "3");
    ASSERT_FALSE(too_far_apart.ok());
    EXPECT_EQ(too_far_apart.error().field, "schedule.min_days_between_sessions");
    ASSERT_TRUE(SetSetting(schedule, "schedule.min_days_between_sessions", "2").ok());

    // A late-entry limit no longer than the window before it would refuse every late entry.
    ClinicSettings records;
    ASSERT_TRUE(SetSetting(records, "records.late_entry_after_minutes", "90").ok());
    Status limit_inside_window = SetSetting(records, "records.late_entry_max_hours", "1");
    ASSERT_FALSE(limit_inside_window.ok());
    EXPECT_EQ(limit_inside_window.error().field, "records.late_entry_max_hours");
    ASSERT_TRUE(SetSetting(records, "records.late_entry_max_hours", "2").ok());
}

// docs/clinical-rules.md must list every setting, so the documentation cannot drift from the registry.
TEST(SettingsTest, ClinicalRulesDocumentListsEverySetting) {
    std::ifstream file(std::string(KCLINIC_SOURCE_DIR) + "/docs/clinical-rules.md");
    ASSERT_TRUE(file) << "docs/clinical-rules.md is missing";
    std::stringstream text;
    text << file.rdbuf();
    for (const SettingSpec& spec : AllSettings(ClinicSettings{})) {
        EXPECT_NE(text.str().find("`" + spec.name + "`"), std::string::npos)
            << spec.name << " is not documented in docs/clinical-rules.md";
    }
}

TEST(SettingsNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kRegionNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kMadrsBandsNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kPregnancyPolicyNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kMinorPolicyNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kCssrsSelfReportNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kSecondFactorPolicyNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
