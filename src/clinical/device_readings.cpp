#include "clinical/device_readings.hpp"

#include <chrono>

#include "clinical/alerts.hpp"

namespace kclinic::clinical {

std::string_view AlertEpisodeKey(std::string_view rule) {
    if (rule == kRuleSystolicHigh || rule == kRuleDiastolicHigh || rule == kRuleBloodPressureHigh) {
        return kRuleBloodPressureHigh;
    }
    return rule;
}

bool OpensAlertEpisode(TimePoint observed_at, std::optional<TimePoint> previous_breach_at,
                       const MonitoringSettings& settings) {
    if (!previous_breach_at) {
        return true;
    }
    return observed_at - *previous_breach_at >= std::chrono::minutes{settings.device_alert_quiet_minutes};
}

bool KeepsInChart(TimePoint observed_at, std::optional<TimePoint> nearest_charted_at, bool raises_alert,
                  const MonitoringSettings& settings) {
    if (raises_alert || !nearest_charted_at) {
        return true;
    }
    const auto apart =
        observed_at > *nearest_charted_at ? observed_at - *nearest_charted_at : *nearest_charted_at - observed_at;
    return apart >= std::chrono::seconds{settings.device_chart_interval_seconds};
}

}  // namespace kclinic::clinical
