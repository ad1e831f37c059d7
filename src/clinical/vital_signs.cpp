#include "clinical/vital_signs.hpp"

#include <array>
#include <cmath>
#include <string>

#include "clinical/plausibility.hpp"

namespace kclinic::clinical {
namespace {

// LOINC codes and UCUM units: clinical-reference §7.1 (HL7 FHIR vital-signs profile). Ranges are plausibility
// bounds, not alert thresholds: BP and heart rate share plausibility.hpp with the intake; respiratory rate 2-80 /min,
// SpO2 50-100 % and temperature 25-45 °C bound what a living, monitored adult can show, so anything outside is a
// device or typing error [PRACTICE].
constexpr std::array<VitalSignDefinition, 8> kVitalSigns{{
    {kSystolicBpLoinc, "systolic_bp", "mm[Hg]", kMinSystolicMmhg, kMaxSystolicMmhg},
    {kDiastolicBpLoinc, "diastolic_bp", "mm[Hg]", kMinDiastolicMmhg, kMaxDiastolicMmhg},
    {kHeartRateLoinc, "heart_rate", "/min", kMinHeartRatePerMin, kMaxHeartRatePerMin},
    {kRespiratoryRateLoinc, "respiratory_rate", "/min", 2, 80},
    {kSpo2PulseOximetryLoinc, "spo2_pulse_oximetry", "%", 50, 100},
    {kSpo2ArterialLoinc, "spo2_arterial", "%", 50, 100},
    {kBodyTemperatureLoinc, "body_temperature", "Cel", 25, 45},
    {kBodyWeightLoinc, "body_weight", "kg", kMinWeightKg, kMaxWeightKg},
}};

}  // namespace

std::span<const VitalSignDefinition> VitalSignDefinitions() {
    return kVitalSigns;
}

std::optional<VitalSignDefinition> FindVitalSign(std::string_view loinc) {
    for (const VitalSignDefinition& definition : kVitalSigns) {
        if (definition.loinc == loinc) {
            return definition;
        }
    }
    return std::nullopt;
}

Status ValidateVitalSign(std::string_view loinc, double value, std::string_view unit) {
    const std::optional<VitalSignDefinition> definition = FindVitalSign(loinc);
    if (!definition) {
        std::string known;
        for (const VitalSignDefinition& d : kVitalSigns) {
            known += (known.empty() ? "" : ", ") + std::string(d.loinc) + " " + std::string(d.name);
        }
        return InvalidArgument("loinc",
                               "unknown vital sign code \"" + std::string(loinc) + "\" (known: " + known + ")");
    }
    if (unit != definition->ucum_unit) {
        return InvalidArgument("unit", std::string(definition->name) + " is recorded in " +
                                           std::string(definition->ucum_unit) + " (got \"" + std::string(unit) + "\")");
    }
    if (!std::isfinite(value) || value < definition->min_value || value > definition->max_value) {
        return OutOfRange("value", value, definition->min_value, definition->max_value, definition->ucum_unit);
    }
    return Status::Ok();
}

}  // namespace kclinic::clinical
