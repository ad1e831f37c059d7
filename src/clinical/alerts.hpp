#pragma once

// The alert rules over in-session vital signs and rating scores (shared/design.md §3: alerts are raised by rules
// over incoming vitals and scores, and a person acknowledges them). Every threshold is a field of
// MonitoringSettings, or a scale flag that Score raised under ScaleSettings; none is copied here. Sources:
// clinical-reference §5.2, §5.3, §6; the rule table is docs/clinical-rules.md ("In-session alerts"). Pure
// functions; no state; safe to call from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "clinical/scales.hpp"
#include "clinical/settings.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::clinical {

enum class AlertSeverity {
    kWarning,   // a value past a clinic threshold: a person looks at the patient and judges
    kCritical,  // suicidality or loss of consciousness: act now
};

inline constexpr auto kAlertSeverityNames =
    MakeEnumNames<AlertSeverity>({{AlertSeverity::kWarning, "warning"}, {AlertSeverity::kCritical, "critical"}});
[[nodiscard]] constexpr std::string_view AlertSeverityName(AlertSeverity severity) {
    return kAlertSeverityNames.Name(severity);
}

// Rule codes (machine-facing, stable).
inline constexpr std::string_view kRuleSystolicHigh = "systolic_high";
inline constexpr std::string_view kRuleDiastolicHigh = "diastolic_high";
inline constexpr std::string_view kRuleBloodPressureHigh = "blood_pressure_high";  // systolic and diastolic both
inline constexpr std::string_view kRuleHeartRateHigh = "heart_rate_high";
inline constexpr std::string_view kRuleHeartRateLow = "heart_rate_low";
inline constexpr std::string_view kRuleSpo2Low = "spo2_low";
inline constexpr std::string_view kRuleRespiratoryRateLow = "respiratory_rate_low";
inline constexpr std::string_view kRuleRespiratoryRateHigh = "respiratory_rate_high";
inline constexpr std::string_view kRuleSuicidality = "suicidality";
inline constexpr std::string_view kRuleSedation = "sedation";
inline constexpr std::string_view kRuleLossOfConsciousness = "loss_of_consciousness";
inline constexpr std::string_view kRuleDissociation = "dissociation";

// One rule that fired.
struct AlertFinding {
    std::string rule;  // one of the kRule codes above
    AlertSeverity severity = AlertSeverity::kWarning;
    std::string message;  // one sentence naming the value and the threshold or rule it met
    std::string source;   // where the rule and its threshold come from, with the setting's name where tunable
};

// The alerts one vital sign raises: at most one. A value is either too high or too low; a blood-pressure reading
// is one reading, so one whose systolic and diastolic both reach their thresholds raises one
// kRuleBloodPressureHigh alert naming both values (one whose systolic or diastolic alone does, that component's
// rule). Vital signs without an alert rule (temperature, body weight) and unknown codes raise none. PRECONDITION:
// `entry` passed ValidateVitalSign, and `settings` holds values inside the bounds SetSetting enforces.
[[nodiscard]] std::vector<AlertFinding> EvaluateVitalSign(const VitalSignEntry& entry,
                                                          const MonitoringSettings& settings);

// The alerts one scored administration raises, most severe first: a suicidality flag is always critical; MOAA/S 0
// (loss of consciousness) is critical, and a MOAA/S rating at or below settings.moaas_sedation_at_or_below (above
// 0) a sedation warning; a CADSS dissociation flag is a warning. PRECONDITION: `result` came from Score.
[[nodiscard]] std::vector<AlertFinding> EvaluateAssessment(const ScaleResult& result,
                                                           const MonitoringSettings& settings);

}  // namespace kclinic::clinical
