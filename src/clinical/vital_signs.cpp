#include "clinical/vital_signs.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <string>

#include "base/text.hpp"
#include "clinical/plausibility.hpp"

namespace kclinic::clinical {
namespace {

// LOINC codes and UCUM units: clinical-reference §7.1 (HL7 FHIR vital-signs profile). Ranges are plausibility
// bounds, not alert thresholds: BP and heart rate share plausibility.hpp with the intake; respiratory rate 2-80 /min,
// SpO2 50-100 % and temperature 25-45 °C bound what a living, monitored adult can show, so anything outside is a
// device or typing error [PRACTICE]. The panel's range is its systolic's (its `value`); a mean arterial pressure is
// bounded by the reading's own diastolic and systolic.
constexpr std::array<VitalSignDefinition, 7> kRecordable{{
    {kBloodPressurePanelLoinc, "blood_pressure", "mm[Hg]", kMinSystolicMmhg, kMaxSystolicMmhg},
    {kHeartRateLoinc, "heart_rate", "/min", kMinHeartRatePerMin, kMaxHeartRatePerMin},
    {kRespiratoryRateLoinc, "respiratory_rate", "/min", 2, 80},
    {kSpo2PulseOximetryLoinc, "spo2_pulse_oximetry", "%", 50, 100},
    {kSpo2ArterialLoinc, "spo2_arterial", "%", 50, 100},
    {kBodyTemperatureLoinc, "body_temperature", "Cel", 25, 45},
    {kBodyWeightLoinc, "body_weight", "kg", kMinWeightKg, kMaxWeightKg},
}};

// The components of a blood-pressure reading, and which field of the entry each one is.
struct BloodPressureComponent {
    VitalSignDefinition definition;
    std::string_view field;
};
constexpr std::array<BloodPressureComponent, 3> kBloodPressureComponents{{
    {{kSystolicBpLoinc, "systolic_bp", "mm[Hg]", kMinSystolicMmhg, kMaxSystolicMmhg}, "systolic"},
    {{kDiastolicBpLoinc, "diastolic_bp", "mm[Hg]", kMinDiastolicMmhg, kMaxDiastolicMmhg}, "diastolic"},
    {{kMeanArterialPressureLoinc, "mean_arterial_pressure", "mm[Hg]", kMinDiastolicMmhg, kMaxSystolicMmhg},
     "mean_arterial"},
}};

// Every definition, recordable first: what VitalSignDefinitions returns.
constexpr std::array<VitalSignDefinition, kRecordable.size() + kBloodPressureComponents.size()> kAllDefinitions = [] {
    std::array<VitalSignDefinition, kRecordable.size() + kBloodPressureComponents.size()> all{};
    std::size_t next = 0;
    for (const VitalSignDefinition& definition : kRecordable) {
        all[next++] = definition;
    }
    for (const BloodPressureComponent& component : kBloodPressureComponents) {
        all[next++] = component.definition;
    }
    return all;
}();

Status CheckRange(std::string_view field, double value, const VitalSignDefinition& definition) {
    if (!std::isfinite(value) || value < definition.min_value || value > definition.max_value) {
        return OutOfRange(std::string(field), value, definition.min_value, definition.max_value, definition.ucum_unit);
    }
    return Status::Ok();
}

Status ValidateBloodPressure(const VitalSignEntry& entry) {
    if (!entry.diastolic) {
        return InvalidArgument("diastolic", "is required: a blood pressure is one reading of systolic and diastolic");
    }
    RETURN_IF_ERROR(CheckRange("systolic", entry.value, kBloodPressureComponents[0].definition));
    RETURN_IF_ERROR(CheckRange("diastolic", *entry.diastolic, kBloodPressureComponents[1].definition));
    if (*entry.diastolic >= entry.value) {
        return InvalidArgument("diastolic", "must be below the systolic (got " + FormatNumber(entry.value) + "/" +
                                                FormatNumber(*entry.diastolic) + " mm[Hg])");
    }
    if (entry.mean_arterial && !(*entry.mean_arterial > *entry.diastolic && *entry.mean_arterial < entry.value)) {
        return InvalidArgument("mean_arterial", "must lie between the diastolic and the systolic (got " +
                                                    FormatNumber(*entry.mean_arterial) + " for " +
                                                    FormatNumber(entry.value) + "/" + FormatNumber(*entry.diastolic) +
                                                    " mm[Hg])");
    }
    return Status::Ok();
}

}  // namespace

std::span<const VitalSignDefinition> VitalSignDefinitions() {
    return kAllDefinitions;
}

std::optional<VitalSignDefinition> FindVitalSign(std::string_view loinc) {
    for (const VitalSignDefinition& definition : kAllDefinitions) {
        if (definition.loinc == loinc) {
            return definition;
        }
    }
    return std::nullopt;
}

Status ValidateVitalSign(const VitalSignEntry& entry) {
    for (const BloodPressureComponent& component : kBloodPressureComponents) {
        if (component.definition.loinc == entry.loinc) {
            // A lone systolic says nothing of the diastolic measured with it, and the reverse: the reading is one.
            std::string missing(component.field == "systolic" ? "diastolic" : "systolic");
            if (component.field == "mean_arterial") {
                missing = component.field;
            }
            return InvalidArgument(missing, std::string(component.definition.name) +
                                                " is not recorded alone: record the blood-pressure reading (loinc " +
                                                std::string(kBloodPressurePanelLoinc) +
                                                ") with its systolic and diastolic together");
        }
    }
    const auto* definition = std::find_if(kRecordable.begin(), kRecordable.end(),
                                          [&](const VitalSignDefinition& d) { return d.loinc == entry.loinc; });
    if (definition == kRecordable.end()) {
        std::string known;
        for (const VitalSignDefinition& d : kRecordable) {
            known += (known.empty() ? "" : ", ") + std::string(d.loinc) + " " + std::string(d.name);
        }
        return InvalidArgument("loinc",
                               "unknown vital sign code \"" + std::string(entry.loinc) + "\" (known: " + known + ")");
    }
    if (entry.unit != definition->ucum_unit) {
        return InvalidArgument("unit", std::string(definition->name) + " is recorded in " +
                                           std::string(definition->ucum_unit) + " (got \"" + std::string(entry.unit) +
                                           "\")");
    }
    if (entry.loinc == kBloodPressurePanelLoinc) {
        return ValidateBloodPressure(entry);
    }
    if (entry.diastolic || entry.mean_arterial) {
        return InvalidArgument(entry.diastolic ? "diastolic" : "mean_arterial",
                               "belongs to a blood-pressure reading (loinc " + std::string(kBloodPressurePanelLoinc) +
                                   "), not to " + std::string(definition->name));
    }
    return CheckRange("value", entry.value, *definition);
}

Status CheckWeightChange(double weight_kg, TimePoint measured_at, const std::optional<WeightReading>& latest,
                         bool confirmed, const RecordSettings& settings) {
    if (!latest || confirmed) {
        return Status::Ok();
    }
    const auto apart =
        measured_at > latest->measured_at ? measured_at - latest->measured_at : latest->measured_at - measured_at;
    if (apart > std::chrono::days{settings.weight_change_window_days}) {
        return Status::Ok();
    }
    const double change_percent = std::abs(weight_kg - latest->weight_kg) / latest->weight_kg * 100;
    if (change_percent <= settings.weight_change_percent) {
        return Status::Ok();
    }
    return Error{ErrorCode::kFailedPrecondition, "confirmed",
                 FormatNumber(weight_kg) + " kg differs from the latest weight, " + FormatNumber(latest->weight_kg) +
                     " kg, by " + FormatNumber(std::round(change_percent * 10) / 10) + " % (more than " +
                     std::to_string(settings.weight_change_percent) + " % within " +
                     std::to_string(settings.weight_change_window_days) +
                     " days): check the scale and the unit, and record it with confirmed true if it is right"};
}

}  // namespace kclinic::clinical
