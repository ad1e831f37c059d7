#include "clinical/alerts.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "base/text.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::clinical {
namespace {

enum class Comparison { kAtOrAbove, kAbove, kBelow };

// One vital-sign rule: which reading, which way, and the MonitoringSettings field holding its threshold.
struct VitalRule {
    std::string_view loinc;
    std::string_view label;  // as the message names the reading
    std::string_view rule;
    Comparison comparison;
    int MonitoringSettings::*threshold;
    std::string_view source;
};

// Thresholds and sources as in §5.2. A reading past
// its threshold is a warning, never critical: one reading can be an artefact (the trials' SpO2 signal was two
// readings in a row below 93 %), and a person at the bedside judges it.
constexpr std::array<VitalRule, 8> kVitalRules{{
    {kSystolicBpLoinc, "Systolic BP", kRuleSystolicHigh, Comparison::kAtOrAbove,
     &MonitoringSettings::systolic_alert_at_or_above,
     "Spravato trial outlier SBP >= 180 [LABEL-US]; ACC/AHA 2017 > 180 [GUIDE] (clinical-reference §5.2); "
     "setting monitoring.systolic_alert_at_or_above"},
    {kDiastolicBpLoinc, "Diastolic BP", kRuleDiastolicHigh, Comparison::kAtOrAbove,
     &MonitoringSettings::diastolic_alert_at_or_above,
     "Spravato trial outlier DBP >= 110 [LABEL-US] (clinical-reference §5.2); setting "
     "monitoring.diastolic_alert_at_or_above"},
    {kHeartRateLoinc, "Heart rate", kRuleHeartRateHigh, Comparison::kAbove, &MonitoringSettings::heart_rate_alert_above,
     "HR > 110 hold, attributed to APA / academic IV protocols [UNVERIFIED] (clinical-reference §5.2); setting "
     "monitoring.heart_rate_alert_above"},
    {kHeartRateLoinc, "Heart rate", kRuleHeartRateLow, Comparison::kBelow, &MonitoringSettings::heart_rate_alert_below,
     "ED ketamine protocol: HR < 50 excluded [PRACTICE] (clinical-reference §5.2); setting "
     "monitoring.heart_rate_alert_below"},
    {kSpo2PulseOximetryLoinc, "SpO2", kRuleSpo2Low, Comparison::kBelow, &MonitoringSettings::spo2_alert_below,
     "Spravato USPI: SpO2 < 93% was the respiratory-depression signal in trials [LABEL-US] (clinical-reference "
     "§5.2); setting monitoring.spo2_alert_below"},
    {kSpo2ArterialLoinc, "SpO2", kRuleSpo2Low, Comparison::kBelow, &MonitoringSettings::spo2_alert_below,
     "Spravato USPI: SpO2 < 93% was the respiratory-depression signal in trials [LABEL-US] (clinical-reference "
     "§5.2); setting monitoring.spo2_alert_below"},
    {kRespiratoryRateLoinc, "Respiratory rate", kRuleRespiratoryRateLow, Comparison::kBelow,
     &MonitoringSettings::respiratory_rate_alert_below,
     "ED ketamine protocol (West J Emerg Med 2020): RR < 10 excluded [PRACTICE] (clinical-reference §5.2); setting "
     "monitoring.respiratory_rate_alert_below"},
    {kRespiratoryRateLoinc, "Respiratory rate", kRuleRespiratoryRateHigh, Comparison::kAbove,
     &MonitoringSettings::respiratory_rate_alert_above,
     "ED ketamine protocol (West J Emerg Med 2020): RR > 30 excluded [PRACTICE] (clinical-reference §5.2); setting "
     "monitoring.respiratory_rate_alert_above"},
}};

// Where each instrument's suicidality flag comes from (the item Score reads, or the C-SSRS triage level when
// `item` is 0), so the alert names the answer that raised it.
struct SuicidalitySource {
    Instrument instrument;
    std::string_view label;
    int item;
    std::string_view source;
};

constexpr std::array<SuicidalitySource, 5> kSuicidalitySources{{
    {Instrument::kPhq9, "PHQ-9", 9,
     "PHQ-9 item 9 > 0: clinician suicide assessment (PHQ instructions [GUIDE] + practice; clinical-reference §6.2, "
     "§9)"},
    {Instrument::kMadrs, "MADRS", 10,
     "MADRS item 10 at or above setting scales.madrs_item10_suicidality_min [PRACTICE] (clinical-reference §6.4)"},
    {Instrument::kQidsSr16, "QIDS-SR16", 12, "QIDS-SR16 item 12 (thoughts of death or suicide) >= 1 (Rush 2003)"},
    {Instrument::kHamd17, "HAM-D17", 3, "HAM-D17 item 3 (suicide) >= 1 (Hamilton 1960)"},
    {Instrument::kCssrsScreen, "C-SSRS screener", 0,
     "C-SSRS screener triage level above none (Columbia Lighthouse triage; clinical-reference §6.8)"},
}};

constexpr std::string_view kMoaasSource =
    "Spravato trials / Janssen medical information: MOAA/S <= 3 moderate or deeper sedation, 0 loss of "
    "consciousness (clinical-reference §5.2, §5.3) [LABEL-US adjacent]";

bool Met(Comparison comparison, double value, int threshold) {
    switch (comparison) {
        case Comparison::kAtOrAbove:
            return value >= threshold;
        case Comparison::kAbove:
            return value > threshold;
        case Comparison::kBelow:
            return value < threshold;
    }
    return false;  // unreachable: every enumerator is handled above
}

std::string_view ComparisonText(Comparison comparison) {
    switch (comparison) {
        case Comparison::kAtOrAbove:
            return "at or above";
        case Comparison::kAbove:
            return "above";
        case Comparison::kBelow:
            return "below";
    }
    return "";  // unreachable: every enumerator is handled above
}

bool HasFlag(const ScaleResult& result, std::string_view flag) {
    return std::find(result.flags.begin(), result.flags.end(), flag) != result.flags.end();
}

// "moderate_or_deeper" -> "moderate or deeper".
std::string Readable(std::string text) {
    std::replace(text.begin(), text.end(), '_', ' ');
    return text;
}

AlertFinding SuicidalityFinding(const ScaleResult& result) {
    const auto* found = std::find_if(kSuicidalitySources.begin(), kSuicidalitySources.end(),
                                     [&](const SuicidalitySource& s) { return s.instrument == result.instrument; });
    std::string what;
    std::string source;
    if (found == kSuicidalitySources.end()) {
        what = std::string(InstrumentName(result.instrument)) + " raised the suicidality flag";
        source = "clinical-reference §6";
    } else if (found->item == 0) {
        what = std::string(found->label) + " triage level is " + result.band;
        source = found->source;
    } else {
        const auto index = static_cast<std::size_t>(found->item - 1);
        const int answer = index < result.answers.size() ? result.answers[index] : 0;
        what = std::string(found->label) + " item " + std::to_string(found->item) + " is " + std::to_string(answer);
        source = found->source;
    }
    return AlertFinding{std::string(kRuleSuicidality), AlertSeverity::kCritical,
                        "Suicidality: " + what + "; a clinician must assess suicide risk", source};
}

}  // namespace

std::vector<AlertFinding> EvaluateVitalSign(const VitalSignEntry& entry, const MonitoringSettings& settings) {
    std::vector<AlertFinding> findings;
    const std::optional<VitalSignDefinition> definition = FindVitalSign(entry.loinc);
    if (!definition) {
        return findings;
    }
    const bool blood_pressure = entry.loinc == kBloodPressurePanelLoinc;
    // The rules read components by their own codes: a blood pressure's systolic is its value.
    const auto reading = [&](std::string_view loinc) -> std::optional<double> {
        if (blood_pressure) {
            return loinc == kSystolicBpLoinc ? std::optional<double>(entry.value)
                                             : (loinc == kDiastolicBpLoinc ? entry.diastolic : std::nullopt);
        }
        return loinc == entry.loinc ? std::optional<double>(entry.value) : std::nullopt;
    };
    std::vector<const VitalRule*> met;
    for (const VitalRule& rule : kVitalRules) {
        const std::optional<double> value = reading(rule.loinc);
        if (value && Met(rule.comparison, *value, settings.*rule.threshold)) {
            met.push_back(&rule);
        }
    }
    if (met.empty()) {
        return findings;
    }
    std::string message;
    std::string source;
    for (const VitalRule* rule : met) {
        const double value = *reading(rule->loinc);
        message += std::string(message.empty() ? "" : " and ") + std::string(rule->label) + " " + FormatNumber(value) +
                   " " + std::string(definition->ucum_unit) + " is " + std::string(ComparisonText(rule->comparison)) +
                   " the alert threshold of " + std::to_string(settings.*rule->threshold);
        source += std::string(source.empty() ? "" : "; ") + std::string(rule->source);
    }
    if (blood_pressure) {
        message = "Blood pressure " + FormatNumber(entry.value) + "/" + FormatNumber(*entry.diastolic) + " " +
                  std::string(definition->ucum_unit) + ": " + message;
    }
    const std::string_view rule = met.size() > 1 ? kRuleBloodPressureHigh : met.front()->rule;
    findings.push_back(AlertFinding{std::string(rule), AlertSeverity::kWarning, message, source});
    return findings;
}

std::vector<AlertFinding> EvaluateAssessment(const ScaleResult& result, const MonitoringSettings& settings) {
    std::vector<AlertFinding> findings;
    if (HasFlag(result, kFlagSuicidality)) {
        findings.push_back(SuicidalityFinding(result));
    }
    if (HasFlag(result, kFlagLossOfConsciousness)) {
        // MOAA/S 0 is an emergency whatever the clinic's sedation threshold; the sedation warning would add nothing.
        findings.push_back(AlertFinding{std::string(kRuleLossOfConsciousness), AlertSeverity::kCritical,
                                        "MOAA/S 0: no response to a painful stimulus (loss of consciousness); start "
                                        "the emergency response",
                                        std::string(kMoaasSource) + "; fixed"});
    } else if (result.instrument == Instrument::kMoaas && result.total <= settings.moaas_sedation_at_or_below) {
        findings.push_back(AlertFinding{std::string(kRuleSedation), AlertSeverity::kWarning,
                                        "MOAA/S " + std::to_string(result.total) + " (" + Readable(result.band) +
                                            ") is at or below the sedation alert threshold of " +
                                            std::to_string(settings.moaas_sedation_at_or_below),
                                        std::string(kMoaasSource) + "; setting monitoring.moaas_sedation_at_or_below"});
    }
    if (HasFlag(result, kFlagDissociation)) {
        findings.push_back(AlertFinding{
            std::string(kRuleDissociation), AlertSeverity::kWarning,
            "CADSS total " + std::to_string(result.total) + " meets the dissociation rule " + result.band_rule,
            "Esketamine trials: CADSS total > 4 [TRIAL] (clinical-reference §5.4); setting "
            "scales.cadss_dissociation_above"});
    }
    return findings;
}

}  // namespace kclinic::clinical
