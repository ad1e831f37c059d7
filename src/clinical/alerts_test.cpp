#include "clinical/alerts.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

struct Expected {
    std::string rule;  // empty: no alert
    AlertSeverity severity = AlertSeverity::kWarning;
    std::string message;
};

void ExpectFindings(const std::vector<AlertFinding>& findings, const std::vector<Expected>& expected,
                    const std::string& what) {
    ASSERT_EQ(findings.size(), expected.size()) << what;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(findings[i].rule, expected[i].rule) << what;
        EXPECT_EQ(findings[i].severity, expected[i].severity) << what;
        EXPECT_EQ(findings[i].message, expected[i].message) << what;
        EXPECT_FALSE(findings[i].source.empty()) << what;
    }
}

struct VitalCase {
    std::string loinc;
    double value;  // a blood pressure's systolic
    std::optional<double> diastolic;
    std::vector<Expected> expected;
};

constexpr std::string_view kBp = kBloodPressurePanelLoinc;

// Each threshold at its default, one step either side of the boundary; a blood pressure is one reading and raises
// at most one alert, naming both values when both reach their thresholds.
TEST(AlertsTest, VitalSignBoundariesAtTheDefaults) {
    const std::vector<VitalCase> cases = {
        {std::string(kBp), 179.5, 109, {}},
        {std::string(kBp),
         180,
         80,
         {{"systolic_high", AlertSeverity::kWarning,
           "Blood pressure 180/80 mm[Hg]: Systolic BP 180 mm[Hg] is at or above the alert threshold of 180"}}},
        {std::string(kBp),
         186,
         109.5,
         {{"systolic_high", AlertSeverity::kWarning,
           "Blood pressure 186/109.5 mm[Hg]: Systolic BP 186 mm[Hg] is at or above the alert threshold of 180"}}},
        {std::string(kBp), 45, 25, {}},  // low blood pressure has no rule here
        {std::string(kBp),
         150,
         110,
         {{"diastolic_high", AlertSeverity::kWarning,
           "Blood pressure 150/110 mm[Hg]: Diastolic BP 110 mm[Hg] is at or above the alert threshold of 110"}}},
        {std::string(kBp),
         180,
         110,
         {{"blood_pressure_high", AlertSeverity::kWarning,
           "Blood pressure 180/110 mm[Hg]: Systolic BP 180 mm[Hg] is at or above the alert threshold of 180 and "
           "Diastolic BP 110 mm[Hg] is at or above the alert threshold of 110"}}},
        {"8867-4", 110, std::nullopt, {}},
        {"8867-4",
         111,
         std::nullopt,
         {{"heart_rate_high", AlertSeverity::kWarning, "Heart rate 111 /min is above the alert threshold of 110"}}},
        {"8867-4", 50, std::nullopt, {}},
        {"8867-4",
         49,
         std::nullopt,
         {{"heart_rate_low", AlertSeverity::kWarning, "Heart rate 49 /min is below the alert threshold of 50"}}},
        {"59408-5", 93, std::nullopt, {}},
        {"59408-5",
         92.5,
         std::nullopt,
         {{"spo2_low", AlertSeverity::kWarning, "SpO2 92.5 % is below the alert threshold of 93"}}},
        {"2708-6",
         88,
         std::nullopt,
         {{"spo2_low", AlertSeverity::kWarning, "SpO2 88 % is below the alert threshold of 93"}}},
        {"9279-1", 10, std::nullopt, {}},
        {"9279-1",
         9,
         std::nullopt,
         {{"respiratory_rate_low", AlertSeverity::kWarning,
           "Respiratory rate 9 /min is below the alert threshold of 10"}}},
        {"9279-1", 30, std::nullopt, {}},
        {"9279-1",
         31,
         std::nullopt,
         {{"respiratory_rate_high", AlertSeverity::kWarning,
           "Respiratory rate 31 /min is above the alert threshold of 30"}}},
        {"8310-5", 41, std::nullopt, {}},   // temperature: no alert rule
        {"29463-7", 40, std::nullopt, {}},  // body weight: no alert rule
        {"1234-5", 500, std::nullopt, {}},  // unknown code: nothing to judge
    };
    for (const VitalCase& c : cases) {
        const VitalSignEntry entry{c.loinc, c.value, "", c.diastolic, std::nullopt};
        ExpectFindings(EvaluateVitalSign(entry, MonitoringSettings{}), c.expected,
                       c.loinc + " " + std::to_string(c.value));
    }
}

TEST(AlertsTest, TheSourceOfABothHighAlertCitesBothRules) {
    const std::vector<AlertFinding> findings =
        EvaluateVitalSign(VitalSignEntry{kBp, 200, "mm[Hg]", 120, 146}, MonitoringSettings{});
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_NE(findings[0].source.find("monitoring.systolic_alert_at_or_above"), std::string::npos);
    EXPECT_NE(findings[0].source.find("monitoring.diastolic_alert_at_or_above"), std::string::npos);
}

TEST(AlertsTest, VitalSignThresholdsComeFromTheSettings) {
    ClinicSettings settings;
    ASSERT_TRUE(SetSetting(settings, "monitoring.systolic_alert_at_or_above", "160").ok());
    ASSERT_TRUE(SetSetting(settings, "monitoring.spo2_alert_below", "95").ok());
    ASSERT_TRUE(SetSetting(settings, "monitoring.heart_rate_alert_below", "60").ok());
    const MonitoringSettings& cautious = settings.monitoring;
    ExpectFindings(EvaluateVitalSign({kBp, 159, "mm[Hg]", 90, std::nullopt}, cautious), {}, "systolic 159");
    ExpectFindings(EvaluateVitalSign({kBp, 160, "mm[Hg]", 90, std::nullopt}, cautious),
                   {{"systolic_high", AlertSeverity::kWarning,
                     "Blood pressure 160/90 mm[Hg]: Systolic BP 160 mm[Hg] is at or above the alert threshold of 160"}},
                   "systolic 160");
    ExpectFindings(EvaluateVitalSign({"59408-5", 94, "%", std::nullopt, std::nullopt}, cautious),
                   {{"spo2_low", AlertSeverity::kWarning, "SpO2 94 % is below the alert threshold of 95"}}, "spo2 94");
    ExpectFindings(
        EvaluateVitalSign({"8867-4", 59, "/min", std::nullopt, std::nullopt}, cautious),
        {{"heart_rate_low", AlertSeverity::kWarning, "Heart rate 59 /min is below the alert threshold of 60"}},
        "heart rate 59");
}

ScaleResult Scored(Instrument instrument, const std::vector<int>& answers, const ScaleSettings& settings = {}) {
    Result<ScaleResult> scored = Score(instrument, answers, settings);
    EXPECT_TRUE(scored.ok()) << scored.error().ToString();
    return scored.ok() ? *scored : ScaleResult{};
}

TEST(AlertsTest, SuicidalityIsAlwaysCritical) {
    const MonitoringSettings defaults;
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kPhq9, {3, 3, 3, 3, 3, 3, 3, 3, 0}), defaults), {},
                   "PHQ-9 item 9 = 0");
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kPhq9, {0, 0, 0, 0, 0, 0, 0, 0, 1}), defaults),
                   {{"suicidality", AlertSeverity::kCritical,
                     "Suicidality: PHQ-9 item 9 is 1; a clinician must assess suicide risk"}},
                   "PHQ-9 item 9 = 1");

    const std::vector<int> madrs_item10_3 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kMadrs, madrs_item10_3), defaults), {}, "MADRS item 10 = 3");
    ScaleSettings sensitive;
    sensitive.madrs_item10_suicidality_min = 3;
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kMadrs, madrs_item10_3, sensitive), defaults),
                   {{"suicidality", AlertSeverity::kCritical,
                     "Suicidality: MADRS item 10 is 3; a clinician must assess suicide risk"}},
                   "MADRS item 10 = 3, threshold 3");

    std::vector<int> qids(16, 0);
    qids[11] = 1;
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kQidsSr16, qids), defaults),
                   {{"suicidality", AlertSeverity::kCritical,
                     "Suicidality: QIDS-SR16 item 12 is 1; a clinician must assess suicide risk"}},
                   "QIDS-SR16 item 12 = 1");
    std::vector<int> hamd(17, 0);
    hamd[2] = 2;
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kHamd17, hamd), defaults),
                   {{"suicidality", AlertSeverity::kCritical,
                     "Suicidality: HAM-D17 item 3 is 2; a clinician must assess suicide risk"}},
                   "HAM-D17 item 3 = 2");
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kCssrsScreen, {1, 1, 0, 1, 0, 0, 0}), defaults),
                   {{"suicidality", AlertSeverity::kCritical,
                     "Suicidality: C-SSRS screener triage level is high; a clinician must assess suicide risk"}},
                   "C-SSRS Q4 yes");
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kCssrsScreen, {0, 0, 0, 0, 0, 0, 0}), defaults), {},
                   "C-SSRS all no");
}

TEST(AlertsTest, MoaasSedationAndLossOfConsciousness) {
    const MonitoringSettings defaults;
    for (int rating : {5, 4}) {
        ExpectFindings(EvaluateAssessment(Scored(Instrument::kMoaas, {rating}), defaults), {},
                       "MOAA/S " + std::to_string(rating));
    }
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kMoaas, {3}), defaults),
                   {{"sedation", AlertSeverity::kWarning,
                     "MOAA/S 3 (moderate or deeper) is at or below the sedation alert threshold of 3"}},
                   "MOAA/S 3");
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kMoaas, {1}), defaults),
                   {{"sedation", AlertSeverity::kWarning,
                     "MOAA/S 1 (moderate or deeper) is at or below the sedation alert threshold of 3"}},
                   "MOAA/S 1");
    // 0 is critical and alone: the emergency, not a second sedation warning.
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kMoaas, {0}), defaults),
                   {{"loss_of_consciousness", AlertSeverity::kCritical,
                     "MOAA/S 0: no response to a painful stimulus (loss of consciousness); start the emergency "
                     "response"}},
                   "MOAA/S 0");

    ClinicSettings settings;
    ASSERT_TRUE(SetSetting(settings, "monitoring.moaas_sedation_at_or_below", "4").ok());
    const MonitoringSettings& mild = settings.monitoring;
    ExpectFindings(
        EvaluateAssessment(Scored(Instrument::kMoaas, {4}), mild),
        {{"sedation", AlertSeverity::kWarning, "MOAA/S 4 (mild) is at or below the sedation alert threshold of 4"}},
        "MOAA/S 4, threshold 4");
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kMoaas, {5}), mild), {}, "MOAA/S 5, threshold 4");
}

TEST(AlertsTest, CadssDissociationIsAWarning) {
    const MonitoringSettings defaults;
    std::vector<int> four(23, 0);
    four[0] = 4;
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kCadss, four), defaults), {}, "CADSS 4");
    std::vector<int> five = four;
    five[1] = 1;
    ExpectFindings(
        EvaluateAssessment(Scored(Instrument::kCadss, five), defaults),
        {{"dissociation", AlertSeverity::kWarning, "CADSS total 5 meets the dissociation rule cadss_total>4"}},
        "CADSS 5");
    ScaleSettings sensitive;
    sensitive.cadss_dissociation_above = 3;
    ExpectFindings(
        EvaluateAssessment(Scored(Instrument::kCadss, four, sensitive), defaults),
        {{"dissociation", AlertSeverity::kWarning, "CADSS total 4 meets the dissociation rule cadss_total>3"}},
        "CADSS 4, threshold 3");
    // CADSS-6 has no validated cut-off, so no flag and no alert.
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kCadss6, {4, 4, 4, 4, 4, 4}), defaults), {}, "CADSS-6 24");
}

TEST(AlertsTest, OtherScoresRaiseNothing) {
    const MonitoringSettings defaults;
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kGad7, {3, 3, 3, 3, 3, 3, 3}), defaults), {}, "GAD-7 21");
    ExpectFindings(EvaluateAssessment(Scored(Instrument::kPcl5, std::vector<int>(20, 4)), defaults), {}, "PCL-5 80");
}

TEST(AlertsTest, SeverityNames) {
    EXPECT_EQ(AlertSeverityName(AlertSeverity::kWarning), "warning");
    EXPECT_EQ(AlertSeverityName(AlertSeverity::kCritical), "critical");
}

TEST(AlertsTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kAlertSeverityNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
