#include "clinical/device_readings.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "clinical/alerts.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kAt{std::chrono::milliseconds{1'790'000'000'000}};

TEST(AlertEpisodeKey, TheBloodPressureRulesAreOneEpisodeEveryOtherRuleItsOwn) {
    struct Case {
        std::string_view rule;
        std::string_view key;
    };
    const std::vector<Case> cases = {
        {kRuleSystolicHigh, kRuleBloodPressureHigh},
        {kRuleDiastolicHigh, kRuleBloodPressureHigh},
        {kRuleBloodPressureHigh, kRuleBloodPressureHigh},
        {kRuleHeartRateHigh, kRuleHeartRateHigh},
        {kRuleHeartRateLow, kRuleHeartRateLow},
        {kRuleSpo2Low, kRuleSpo2Low},
        {kRuleRespiratoryRateLow, kRuleRespiratoryRateLow},
        {kRuleRespiratoryRateHigh, kRuleRespiratoryRateHigh},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(AlertEpisodeKey(c.rule), c.key) << c.rule;
    }
}

TEST(OpensAlertEpisode, ABreachAlertsOnlyAfterTheQuietTimeWithoutOne) {
    struct Case {
        std::string name;
        int quiet_minutes;
        std::optional<TimePoint> previous;
        bool opens;
    };
    const std::vector<Case> cases = {
        {"the first breach of the session", 5, std::nullopt, true},
        {"a breach 10 s after the last", 5, kAt - seconds{10}, false},
        {"a breach just under the quiet time after", 5, kAt - minutes{5} + std::chrono::milliseconds{1}, false},
        {"a breach exactly the quiet time after", 5, kAt - minutes{5}, true},
        {"a breach long after (the monitor fell silent)", 5, kAt - minutes{40}, true},
        {"the same reading resent (same time)", 5, kAt, false},
        {"a shorter quiet time: 1 min", 1, kAt - minutes{1}, true},
        {"the longest quiet time: 15 min", 15, kAt - minutes{14}, false},
    };
    for (const Case& c : cases) {
        MonitoringSettings settings;
        settings.device_alert_quiet_minutes = c.quiet_minutes;
        EXPECT_EQ(OpensAlertEpisode(kAt, c.previous, settings), c.opens) << c.name;
    }
}

TEST(KeepsInChart, OneReadingPerIntervalPerCodeAndEveryAlertingOne) {
    struct Case {
        std::string name;
        int interval_seconds;
        std::optional<TimePoint> nearest;
        bool raises_alert;
        bool kept;
    };
    const std::vector<Case> cases = {
        {"the first reading of its code", 60, std::nullopt, false, true},
        {"5 s after the last charted", 60, kAt - seconds{5}, false, false},
        {"59.999 s after", 60, kAt - seconds{60} + std::chrono::milliseconds{1}, false, false},
        {"60 s after", 60, kAt - seconds{60}, false, true},
        {"5 s after but raising an alert", 60, kAt - seconds{5}, true, true},
        {"a late reading 10 s before a charted one", 60, kAt + seconds{10}, false, false},
        {"a late reading 2 min before a charted one", 60, kAt + minutes{2}, false, true},
        {"the shortest interval, 15 s", 15, kAt - seconds{15}, false, true},
        {"the longest interval, 300 s, at 299 s", 300, kAt - seconds{299}, false, false},
    };
    for (const Case& c : cases) {
        MonitoringSettings settings;
        settings.device_chart_interval_seconds = c.interval_seconds;
        EXPECT_EQ(KeepsInChart(kAt, c.nearest, c.raises_alert, settings), c.kept) << c.name;
    }
}

}  // namespace
}  // namespace kclinic::clinical
