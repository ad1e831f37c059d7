#pragma once

// The vital signs kclinic records, by LOINC code with their UCUM unit (clinical-reference §7.1, the HL7 FHIR
// vital-signs profile) and the range outside which a value is physiologically impossible and so a typing, unit or
// device error. Unusual but possible values inside the range are accepted; alert rules judge them.

#include <optional>
#include <span>
#include <string_view>

#include "base/result.hpp"
#include "clinical/settings.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

// The LOINC codes of the vital signs kclinic records (clinical-reference §7.1). Every rule that reads a vital sign
// by kind names it by one of these.
// A blood pressure is one reading, the panel 85354-9 with its systolic, diastolic and optional mean arterial
// pressure as components (HL7 FHIR vital-signs profile, BP panel; clinical-reference §7.1); the component codes are
// never recorded alone.
inline constexpr std::string_view kBloodPressurePanelLoinc = "85354-9";
inline constexpr std::string_view kSystolicBpLoinc = "8480-6";
inline constexpr std::string_view kDiastolicBpLoinc = "8462-4";
inline constexpr std::string_view kMeanArterialPressureLoinc = "8478-0";
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

// Every recordable vital sign (the blood-pressure panel, not its components) and the three blood-pressure
// components, whose definitions hold their names and plausibility ranges.
[[nodiscard]] std::span<const VitalSignDefinition> VitalSignDefinitions();

// The definition for `loinc` (a recordable vital sign or a blood-pressure component), or nullopt for a code
// kclinic does not know.
[[nodiscard]] std::optional<VitalSignDefinition> FindVitalSign(std::string_view loinc);

// A vital sign as entered: one value, or for a blood-pressure reading (kBloodPressurePanelLoinc) the systolic as
// `value` with the diastolic and, where the device reports it, the mean arterial pressure.
struct VitalSignEntry {
    std::string_view loinc;
    double value = 0;
    std::string_view unit;
    std::optional<double> diastolic{};
    std::optional<double> mean_arterial{};
};

// OK when `entry.loinc` is a recordable vital sign, `entry.unit` its UCUM unit and every value inside its
// plausibility range; a blood-pressure reading also needs its diastolic below its systolic and a mean arterial
// pressure, when given, between the two. Errors, kInvalidArgument unless said: "loinc" for an unknown code (listing
// the known ones); "diastolic" or "systolic" for a lone blood-pressure component (the reading needs both, as
// 85354-9), "mean_arterial" for a lone 8478-0; "unit" naming the expected unit; "diastolic" missing from a
// blood-pressure reading, or not below its systolic; "diastolic" or "mean_arterial" on a vital sign that is not a
// blood pressure; "mean_arterial" outside diastolic..systolic; kOutOfRange on "value" (on "systolic", "diastolic",
// "mean_arterial" for a blood pressure) with the range and unit.
[[nodiscard]] Status ValidateVitalSign(const VitalSignEntry& entry);

// A weight recorded earlier, as CheckWeightChange compares a new one with it.
struct WeightReading {
    double weight_kg = 0;
    TimePoint measured_at;
};

// Weight plausibility (issue 10 §5): a weight `weight_kg` measured at `measured_at` that differs from `latest` (the
// patient's latest valid weight, if any) by more than settings.weight_change_percent of it, when `latest` was
// measured within settings.weight_change_window_days of `measured_at` (either side), is more likely a typing or
// unit error than a change; it is accepted only `confirmed` by the person recording it. Error:
// kFailedPrecondition "confirmed", naming both weights and the change. PRECONDITION: both weights are positive.
[[nodiscard]] Status CheckWeightChange(double weight_kg, TimePoint measured_at,
                                       const std::optional<WeightReading>& latest, bool confirmed,
                                       const RecordSettings& settings);

}  // namespace kclinic::clinical
