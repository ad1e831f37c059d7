#pragma once

// The vital signs kclinic records, by LOINC code with their UCUM unit (clinical-reference §7.1, the HL7 FHIR
// vital-signs profile) and the range outside which a value is physiologically impossible and so a typing, unit or
// device error. Unusual but possible values inside the range are accepted; alert rules judge them.

#include <optional>
#include <span>
#include <string_view>

#include "base/result.hpp"

namespace kclinic::clinical {

// The LOINC codes of the vital signs kclinic records (clinical-reference §7.1). Every rule that reads a vital sign
// by kind names it by one of these.
inline constexpr std::string_view kSystolicBpLoinc = "8480-6";
inline constexpr std::string_view kDiastolicBpLoinc = "8462-4";
inline constexpr std::string_view kHeartRateLoinc = "8867-4";
inline constexpr std::string_view kRespiratoryRateLoinc = "9279-1";
inline constexpr std::string_view kSpo2PulseOximetryLoinc = "59408-5";
inline constexpr std::string_view kSpo2ArterialLoinc = "2708-6";
inline constexpr std::string_view kBodyTemperatureLoinc = "8310-5";
inline constexpr std::string_view kBodyWeightLoinc = "29463-7";

struct VitalSignDefinition {
    std::string_view loinc;
    std::string_view name;  // "systolic_bp", "heart_rate", ...
    std::string_view ucum_unit;
    double min_value = 0;  // plausibility bounds, inclusive
    double max_value = 0;
};

// Every recordable vital sign.
[[nodiscard]] std::span<const VitalSignDefinition> VitalSignDefinitions();

// The definition for `loinc`, or nullopt for a code kclinic does not record.
[[nodiscard]] std::optional<VitalSignDefinition> FindVitalSign(std::string_view loinc);

// OK when `loinc` is known, `unit` is its UCUM unit and `value` is inside its plausibility range. Errors:
// kInvalidArgument on "loinc" (unknown code, listing none) or "unit" (naming the expected unit); kOutOfRange on
// "value" with the range and unit.
[[nodiscard]] Status ValidateVitalSign(std::string_view loinc, double value, std::string_view unit);

}  // namespace kclinic::clinical
