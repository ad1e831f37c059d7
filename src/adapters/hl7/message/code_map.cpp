#include "adapters/hl7/message/code_map.hpp"

#include <array>
#include <cmath>

#include "base/text.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::adapters::hl7 {
namespace {

using clinical::kBodyTemperatureLoinc;
using clinical::kDiastolicBpLoinc;
using clinical::kHeartRateLoinc;
using clinical::kMeanArterialPressureLoinc;
using clinical::kRespiratoryRateLoinc;
using clinical::kSpo2ArterialLoinc;
using clinical::kSpo2PulseOximetryLoinc;
using clinical::kSystolicBpLoinc;

// Sources, cited once each. An MDC code is the 32-bit "context-free" code, partition * 65536 + term code (IEEE
// 11073-10101); the vital signs are in partition 2 (SCADA), so 150021 = 2 * 65536 + 18949. Philips writes the same
// two numbers in hexadecimal as its MDIL code: 0002-4a05 is 150021.
constexpr std::string_view kDkCore =
    "IEEE 11073-10101 code and reference id as listed by HL7 Denmark, DK Core IG, ValueSet "
    "dk-core-IEEEBasicObservation (github.com/hl7dk/dk-core, input/fsh/valueSets.fsh)";
constexpr std::string_view kGeB40 =
    "interop-reference §3.4 (GE B40 manual, IHE PCD-01 export: 150033/150034 invasive arterial)";
constexpr std::string_view kComputedMdc =
    "[U] partition 2 term code of the 11073 pressure block (blood 18944, non-invasive 18948, arterial 18960, "
    "arterial ABP 18964; +1 systolic, +2 diastolic, +3 mean), seen in monitor gateway code tables; to check against "
    "the 11073-10101 table";
constexpr std::string_view kMdcTemp = "[U] MDC_TEMP (term 19272), as GE and Welch Allyn PCD-01 exports use it";
constexpr std::string_view kPhilipsSeen =
    "[V] Philips IntelliVue/Efficia HL7 export (code^label^MDIL), interop-reference §3.4 and published sample "
    "messages";
constexpr std::string_view kPhilipsComputed =
    "[U] Philips MDIL label; code = the MDC term code in hexadecimal (partition 0002), label as in the IntelliVue "
    "numerics list; not seen in a sample here";

constexpr std::array<CodeMapping, 48> kCodeMap{{
    // Heart rate and pulse rate: one LOINC code (8867-4, "heart rate", which the HL7 FHIR vital-signs profile also
    // uses for a pulse rate), whatever the sensor.
    {"MDC", "147842", "MDC_ECG_HEART_RATE", kHeartRateLoinc, "", kDkCore},
    {"MDC", "149514", "MDC_PULS_RATE", kHeartRateLoinc, "", kDkCore},
    {"MDC", "149522", "MDC_BLD_PULS_RATE_INV", kHeartRateLoinc, "", kDkCore},
    {"MDC", "149530", "MDC_PULS_OXIM_PULS_RATE", kHeartRateLoinc, "", kDkCore},
    {"MDC", "149546", "MDC_PULS_RATE_NON_INV", kHeartRateLoinc, "", kDkCore},
    // Blood pressure: non-invasive (cuff), invasive arterial, and method unspecified.
    {"MDC", "150021", "MDC_PRESS_BLD_NONINV_SYS", kSystolicBpLoinc, "noninvasive", kDkCore},
    {"MDC", "150022", "MDC_PRESS_BLD_NONINV_DIA", kDiastolicBpLoinc, "noninvasive", kDkCore},
    {"MDC", "150023", "MDC_PRESS_BLD_NONINV_MEAN", kMeanArterialPressureLoinc, "noninvasive", kDkCore},
    {"MDC", "150033", "MDC_PRESS_BLD_ART_SYS", kSystolicBpLoinc, "arterial", kGeB40},
    {"MDC", "150034", "MDC_PRESS_BLD_ART_DIA", kDiastolicBpLoinc, "arterial", kGeB40},
    {"MDC", "150035", "MDC_PRESS_BLD_ART_MEAN", kMeanArterialPressureLoinc, "arterial", kComputedMdc},
    {"MDC", "150037", "MDC_PRESS_BLD_ART_ABP_SYS", kSystolicBpLoinc, "arterial_abp", kComputedMdc},
    {"MDC", "150038", "MDC_PRESS_BLD_ART_ABP_DIA", kDiastolicBpLoinc, "arterial_abp", kComputedMdc},
    {"MDC", "150039", "MDC_PRESS_BLD_ART_ABP_MEAN", kMeanArterialPressureLoinc, "arterial_abp", kComputedMdc},
    {"MDC", "150017", "MDC_PRESS_BLD_SYS", kSystolicBpLoinc, "unspecified", kComputedMdc},
    {"MDC", "150018", "MDC_PRESS_BLD_DIA", kDiastolicBpLoinc, "unspecified", kComputedMdc},
    {"MDC", "150019", "MDC_PRESS_BLD_MEAN", kMeanArterialPressureLoinc, "unspecified", kComputedMdc},
    // Oxygen saturation: by pulse oximetry (59408-5), or arterial with no method (2708-6).
    {"MDC", "150456", "MDC_PULS_OXIM_SAT_O2", kSpo2PulseOximetryLoinc, "", kDkCore},
    {"MDC", "150324", "MDC_SAT_O2_ART", kSpo2ArterialLoinc, "", kDkCore},
    // Respiratory rate, whatever the method (impedance, airway flow, CO2, plethysmography).
    {"MDC", "151562", "MDC_RESP_RATE", kRespiratoryRateLoinc, "", kDkCore},
    {"MDC", "151570", "MDC_AWAY_RESP_RATE", kRespiratoryRateLoinc, "", kDkCore},
    {"MDC", "151578", "MDC_TTHOR_RESP_RATE", kRespiratoryRateLoinc, "", kDkCore},
    {"MDC", "151594", "MDC_CO2_RESP_RATE", kRespiratoryRateLoinc, "", kDkCore},
    {"MDC", "151658", "MDC_PULS_OXIM_PLETH_RESP_RATE", kRespiratoryRateLoinc, "", kDkCore},
    // Body temperature (8310-5) at any core or surface site a clinician reads as body temperature; skin and blood
    // temperatures are other quantities and stay unmapped.
    {"MDC", "150364", "MDC_TEMP_BODY", kBodyTemperatureLoinc, "", kDkCore},
    {"MDC", "150368", "MDC_TEMP_CORE", kBodyTemperatureLoinc, "", kDkCore},
    {"MDC", "150392", "MDC_TEMP_TYMP", kBodyTemperatureLoinc, "", kDkCore},
    {"MDC", "188420", "MDC_TEMP_RECT", kBodyTemperatureLoinc, "", kDkCore},
    {"MDC", "188424", "MDC_TEMP_ORAL", kBodyTemperatureLoinc, "", kDkCore},
    {"MDC", "188428", "MDC_TEMP_EAR", kBodyTemperatureLoinc, "", kDkCore},
    {"MDC", "188452", "MDC_TEMP_AXILLA", kBodyTemperatureLoinc, "", kDkCore},
    {"MDC", "150344", "MDC_TEMP", kBodyTemperatureLoinc, "", kMdcTemp},
    // Philips MDIL: the vendor's labels, as its monitors show and export them.
    {"MDIL", "0002-4182", "HR", kHeartRateLoinc, "", kPhilipsSeen},
    {"MDIL", "0002-480a", "Pulse", kHeartRateLoinc, "", kPhilipsComputed},
    {"MDIL", "0002-4bb8", "SpO2", kSpo2PulseOximetryLoinc, "", kPhilipsSeen},
    {"MDIL", "0002-4a05", "NBPs", kSystolicBpLoinc, "noninvasive", kPhilipsComputed},
    {"MDIL", "0002-4a06", "NBPd", kDiastolicBpLoinc, "noninvasive", kPhilipsSeen},
    {"MDIL", "0002-4a07", "NBPm", kMeanArterialPressureLoinc, "noninvasive", kPhilipsComputed},
    {"MDIL", "0002-4a11", "ARTs", kSystolicBpLoinc, "arterial", kPhilipsComputed},
    {"MDIL", "0002-4a12", "ARTd", kDiastolicBpLoinc, "arterial", kPhilipsComputed},
    {"MDIL", "0002-4a13", "ARTm", kMeanArterialPressureLoinc, "arterial", kPhilipsComputed},
    {"MDIL", "0002-4a15", "ABPs", kSystolicBpLoinc, "arterial_abp", kPhilipsSeen},
    {"MDIL", "0002-4a16", "ABPd", kDiastolicBpLoinc, "arterial_abp", kPhilipsComputed},
    {"MDIL", "0002-4a17", "ABPm", kMeanArterialPressureLoinc, "arterial_abp", kPhilipsComputed},
    {"MDIL", "0002-500a", "RR", kRespiratoryRateLoinc, "", kPhilipsSeen},
    {"MDIL", "0002-5000", "Resp", kRespiratoryRateLoinc, "", kPhilipsSeen},
    {"MDIL", "0002-4b60", "Tcore", kBodyTemperatureLoinc, "", kPhilipsSeen},
    {"MDIL", "0002-4b48", "Temp", kBodyTemperatureLoinc, "", kPhilipsComputed},
}};

// The units a vital sign may arrive in, and how to bring each to the UCUM unit kclinic records.
enum class Unit { kMmHg, kKiloPascal, kPerMinute, kPercent, kCelsius, kFahrenheit, kKilogram };

struct UnitSpelling {
    std::string_view spelling;
    Unit unit;
};

// Spellings as sent in OBX-6 (its identifier or its text): UCUM (the HL7 FHIR vital-signs profile's units), the MDC
// dimension codes (partition 4: MDC_DIM_MMHG 266016 = 4 * 65536 + 3872, and the Philips MDIL form of the same term
// code, 0004-0f20), and the plain spellings monitors print. Compared without regard to case.
constexpr std::array<UnitSpelling, 41> kUnitSpellings{{
    {"mm[Hg]", Unit::kMmHg},
    {"mmHg", Unit::kMmHg},
    {"mm Hg", Unit::kMmHg},
    {"MDC_DIM_MMHG", Unit::kMmHg},
    {"266016", Unit::kMmHg},
    {"0004-0f20", Unit::kMmHg},
    {"kPa", Unit::kKiloPascal},
    {"MDC_DIM_KILO_PASCAL", Unit::kKiloPascal},
    {"265987", Unit::kKiloPascal},
    {"0004-0f03", Unit::kKiloPascal},
    {"/min", Unit::kPerMinute},
    {"1/min", Unit::kPerMinute},
    {"{beats}/min", Unit::kPerMinute},
    {"{breaths}/min", Unit::kPerMinute},
    {"bpm", Unit::kPerMinute},
    {"beats/min", Unit::kPerMinute},
    {"rpm", Unit::kPerMinute},
    {"breaths/min", Unit::kPerMinute},
    {"MDC_DIM_BEAT_PER_MIN", Unit::kPerMinute},
    {"264864", Unit::kPerMinute},
    {"0004-0aa0", Unit::kPerMinute},
    {"MDC_DIM_RESP_PER_MIN", Unit::kPerMinute},
    {"264928", Unit::kPerMinute},
    {"0004-0ae0", Unit::kPerMinute},
    {"%", Unit::kPercent},
    {"MDC_DIM_PERCENT", Unit::kPercent},
    {"262688", Unit::kPercent},
    {"0004-0220", Unit::kPercent},
    {"Cel", Unit::kCelsius},
    {"degC", Unit::kCelsius},
    {"\xC2\xB0"
     "C",
     Unit::kCelsius},  // °C in UTF-8
    {"MDC_DIM_DEGC", Unit::kCelsius},
    {"268192", Unit::kCelsius},
    {"0004-17a0", Unit::kCelsius},
    {"[degF]", Unit::kFahrenheit},
    {"degF", Unit::kFahrenheit},
    {"\xC2\xB0"
     "F",
     Unit::kFahrenheit},  // °F in UTF-8
    {"MDC_DIM_FAHR", Unit::kFahrenheit},
    {"266560", Unit::kFahrenheit},
    {"0004-1140", Unit::kFahrenheit},
    {"kg", Unit::kKilogram},
}};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

std::optional<Unit> FindUnit(const CodedElement& units) {
    for (const std::string_view text : {std::string_view(units.identifier), std::string_view(units.text)}) {
        if (text.empty()) {
            continue;
        }
        for (const UnitSpelling& spelling : kUnitSpellings) {
            if (EqualsIgnoringCase(text, spelling.spelling)) {
                return spelling.unit;
            }
        }
    }
    return std::nullopt;
}

// `value` rounded to `decimals` decimal places.
double RoundTo(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

// `value` in `unit` expressed in `target` (a UCUM unit of clinical::VitalSignDefinition), or nullopt when the unit
// does not measure that quantity.
std::optional<double> Convert(double value, Unit unit, std::string_view target) {
    if (target == "mm[Hg]") {
        if (unit == Unit::kMmHg) {
            return value;
        }
        if (unit == Unit::kKiloPascal) {
            // 1 kPa = 1000 Pa / 133.322387415 Pa per mm[Hg] (UCUM's definition of mm[Hg]).
            return RoundTo(value * 1000.0 / 133.322387415, 1);
        }
    } else if (target == "/min" && unit == Unit::kPerMinute) {
        return value;
    } else if ((target == "%" && unit == Unit::kPercent) || (target == "kg" && unit == Unit::kKilogram)) {
        return value;
    } else if (target == "Cel") {
        if (unit == Unit::kCelsius) {
            return value;
        }
        if (unit == Unit::kFahrenheit) {
            return RoundTo((value - 32.0) * 5.0 / 9.0, 2);
        }
    }
    return std::nullopt;
}

std::string_view UcumSpelling(Unit unit) {
    switch (unit) {
        case Unit::kMmHg:
            return "mm[Hg]";
        case Unit::kKiloPascal:
            return "kPa";
        case Unit::kPerMinute:
            return "/min";
        case Unit::kPercent:
            return "%";
        case Unit::kCelsius:
            return "Cel";
        case Unit::kFahrenheit:
            return "[degF]";
        case Unit::kKilogram:
            return "kg";
    }
    return "";
}

bool IsLoincSystem(std::string_view system) {
    return EqualsIgnoringCase(system, "LN") || EqualsIgnoringCase(system, "LOINC") || system == "http://loinc.org" ||
           system == "2.16.840.1.113883.6.1";
}

std::string CodeText(const CodedElement& code) {
    std::string text = code.identifier;
    if (!code.text.empty() || !code.coding_system.empty()) {
        text += "^" + code.text;
        if (!code.coding_system.empty()) {
            text += "^" + code.coding_system;
        }
    }
    return text;
}

// The LOINC code `code` stands for, or the reason it has none.
struct CodeLookup {
    std::string_view loinc;
    std::string_view measurement;
    std::string reason;
};

CodeLookup LookUp(const CodedElement& code) {
    const std::string& system = code.coding_system;
    if (IsLoincSystem(system) || (system.empty() && clinical::FindVitalSign(code.identifier))) {
        return {code.identifier, {}, {}};
    }
    const bool mdc = EqualsIgnoringCase(system, "MDC") || (system.empty() && code.text.starts_with("MDC_"));
    const bool mdil = EqualsIgnoringCase(system, "MDIL");
    if (!mdc && !mdil) {
        return {{},
                {},
                CodeText(code) + " is in coding system \"" + system +
                    "\", which kclinic's code map does not hold (it maps LOINC, MDC and Philips MDIL)"};
    }
    // An MDC code's text is its reference id only when it reads like one; any other text is a display name.
    const bool named = mdc ? code.text.starts_with("MDC_") : !code.text.empty();
    const CodeMapping* by_code = nullptr;
    const CodeMapping* by_name = nullptr;
    for (const CodeMapping& row : kCodeMap) {
        if (row.coding_system != (mdc ? "MDC" : "MDIL")) {
            continue;
        }
        if (by_code == nullptr && !code.identifier.empty() && EqualsIgnoringCase(row.code, code.identifier)) {
            by_code = &row;
        }
        if (by_name == nullptr && named && row.name == code.text) {
            by_name = &row;
        }
    }
    if (by_code != nullptr && by_name != nullptr && by_code->loinc != by_name->loinc) {
        return {{},
                {},
                CodeText(code) + ": code " + code.identifier + " is " + std::string(by_code->name) + " but \"" +
                    code.text + "\" is " +
                    std::string(by_code->coding_system == "MDC" ? by_name->code : by_name->name) +
                    "; kept raw rather than guessed"};
    }
    if (by_code != nullptr) {
        return {by_code->loinc, by_code->measurement, {}};
    }
    // An MDC code is the identifier and its reference id only a label: a code this map does not hold, sent with a
    // reference id it does, is a contradiction. Philips labels are what its monitors show, and decide alone.
    if (by_name != nullptr && (code.identifier.empty() || mdil)) {
        return {by_name->loinc, by_name->measurement, {}};
    }
    if (by_name != nullptr) {
        return {{},
                {},
                CodeText(code) + ": code " + code.identifier + " is not the code of " + code.text + " (" +
                    std::string(by_name->code) + "); kept raw rather than guessed"};
    }
    return {{}, {}, CodeText(code) + " is not in kclinic's code map"};
}

UnmappedObservation Unmapped(const Observation& obx, std::size_t field, std::string reason) {
    return UnmappedObservation{
        obx.segment_sequence, field,           obx.code,         obx.value_type,   obx.value, obx.units,
        obx.status,           obx.observed_at, obx.equipment_id, std::move(reason)};
}

}  // namespace

std::span<const CodeMapping> CodeMappings() {
    return kCodeMap;
}

MappedObservations MapObservations(const OruR01& message) {
    MappedObservations mapped;
    mapped.readings.reserve(message.observations.size());
    for (const Observation& obx : message.observations) {
        if (obx.value_type.empty() && obx.value.empty()) {
            ++mapped.containment_rows;
            continue;
        }
        CodeLookup lookup = LookUp(obx.code);
        if (lookup.loinc.empty()) {
            mapped.unmapped.push_back(Unmapped(obx, 3, std::move(lookup.reason)));
            continue;
        }
        const std::string code = CodeText(obx.code);
        if (!obx.numeric_value && obx.valid) {
            mapped.unmapped.push_back(Unmapped(obx, 5,
                                               code + ": OBX-5 (\"" + obx.value.substr(0, 32) + "\", value type " +
                                                   obx.value_type +
                                                   ") is not one number, so it cannot be charted as a vital sign"));
            continue;
        }
        MappedReading reading;
        reading.loinc = std::string(lookup.loinc);
        reading.observed_at = obx.observed_at;
        reading.valid = obx.valid;
        reading.invalid_reason = obx.invalid_reason;
        reading.equipment_id = obx.equipment_id;
        reading.obx_sequence = obx.segment_sequence;
        reading.request = obx.request;
        reading.sub_id = obx.sub_id;
        reading.measurement = std::string(lookup.measurement);
        reading.raw_code = obx.code;
        reading.raw_value = obx.value;
        reading.raw_units = obx.units;

        const std::optional<clinical::VitalSignDefinition> vital = clinical::FindVitalSign(reading.loinc);
        const std::optional<Unit> unit = FindUnit(obx.units);
        if (obx.numeric_value) {
            if (!unit) {
                mapped.unmapped.push_back(
                    Unmapped(obx, 6,
                             code + ": OBX-6 (units \"" + CodeText(obx.units) + "\") is " +
                                 (obx.units.identifier.empty() && obx.units.text.empty() ? "empty"
                                                                                         : "not a unit kclinic knows") +
                                 ", so the value cannot be read safely"));
                continue;
            }
            if (vital) {
                const std::optional<double> value = Convert(*obx.numeric_value, *unit, vital->ucum_unit);
                if (!value) {
                    mapped.unmapped.push_back(Unmapped(obx, 6,
                                                       code + ": OBX-6 (units \"" + CodeText(obx.units) +
                                                           "\") does not measure " + std::string(vital->name) +
                                                           ", which is recorded in " + std::string(vital->ucum_unit)));
                    continue;
                }
                reading.value = value;
                reading.ucum_unit = std::string(vital->ucum_unit);
            } else {
                // A LOINC code kclinic does not chart: passed on as is, in the unit's UCUM spelling.
                reading.value = obx.numeric_value;
                reading.ucum_unit = std::string(UcumSpelling(*unit));
            }
        } else {
            // An invalid reading with no number: its unit is only what it would have been.
            reading.ucum_unit = vital ? std::string(vital->ucum_unit) : (unit ? std::string(UcumSpelling(*unit)) : "");
        }
        mapped.readings.push_back(std::move(reading));
    }
    return mapped;
}

namespace {

// What makes components one measurement: the same OBR, time, device and method, and the same OBX-4 up to its last
// dotted part (IEEE 11073 numbers a measurement's metrics 1.1.1.1, 1.1.1.2, ...; LOINC senders repeat one sub-id).
struct MeasurementKey {
    std::size_t request;
    clinical::TimePoint observed_at;
    std::string_view equipment_id;
    std::string_view measurement;
    std::string_view sub_id_prefix;
    friend bool operator==(const MeasurementKey&, const MeasurementKey&) = default;
};

MeasurementKey KeyOf(const MappedReading& reading) {
    std::string_view prefix = reading.sub_id;
    const std::size_t dot = prefix.rfind('.');
    if (dot != std::string_view::npos) {
        prefix = prefix.substr(0, dot);
    }
    return {reading.request, reading.observed_at, reading.equipment_id, reading.measurement, prefix};
}

}  // namespace

GroupedReadings GroupBloodPressures(std::vector<MappedReading> readings) {
    GroupedReadings grouped;
    std::vector<bool> used(readings.size(), false);
    for (std::size_t i = 0; i < readings.size(); ++i) {
        if (used[i] || readings[i].loinc != clinical::kSystolicBpLoinc) {
            continue;
        }
        const MeasurementKey key = KeyOf(readings[i]);
        // Exactly one systolic and one diastolic (and at most one mean) with this key, else nothing is paired:
        // two of a kind would make the pairing a guess.
        std::vector<std::size_t> systolic;
        std::vector<std::size_t> diastolic;
        std::vector<std::size_t> mean;
        for (std::size_t j = 0; j < readings.size(); ++j) {
            if (used[j] || !(KeyOf(readings[j]) == key)) {
                continue;
            }
            const std::string& loinc = readings[j].loinc;
            if (loinc == clinical::kSystolicBpLoinc) {
                systolic.push_back(j);
            } else if (loinc == clinical::kDiastolicBpLoinc) {
                diastolic.push_back(j);
            } else if (loinc == clinical::kMeanArterialPressureLoinc) {
                mean.push_back(j);
            }
        }
        if (systolic.size() != 1 || diastolic.size() != 1 || mean.size() > 1 || !readings[systolic[0]].value ||
            !readings[diastolic[0]].value || (mean.size() == 1 && !readings[mean[0]].value)) {
            continue;
        }
        const MappedReading& sys = readings[systolic[0]];
        const MappedReading& dia = readings[diastolic[0]];
        BloodPressureReading bp;
        bp.systolic_mm_hg = *sys.value;
        bp.diastolic_mm_hg = *dia.value;
        bp.observed_at = sys.observed_at;
        bp.equipment_id = sys.equipment_id;
        std::vector<std::size_t> components = {systolic[0], diastolic[0]};
        if (mean.size() == 1) {
            bp.mean_mm_hg = readings[mean[0]].value;
            components.push_back(mean[0]);
        }
        bp.valid = true;
        for (const std::size_t component : components) {
            used[component] = true;
            bp.obx_sequences.push_back(readings[component].obx_sequence);
            if (bp.valid && !readings[component].valid) {
                bp.valid = false;
                bp.invalid_reason = readings[component].invalid_reason;
            }
        }
        grouped.blood_pressures.push_back(std::move(bp));
    }
    for (std::size_t i = 0; i < readings.size(); ++i) {
        if (!used[i]) {
            grouped.others.push_back(std::move(readings[i]));
        }
    }
    return grouped;
}

std::vector<Hl7Error> UnmappedWarnings(const MappedObservations& mapped) {
    std::vector<Hl7Error> warnings;
    warnings.reserve(mapped.unmapped.size());
    for (const UnmappedObservation& observation : mapped.unmapped) {
        ErrorLocation location{"OBX", observation.obx_sequence, observation.field};
        warnings.push_back(Hl7Error{AckCode::kAccept, ErrorCondition::kTableValueNotFound, Severity::kWarning, location,
                                    location.ToString() + ": " + observation.reason + "; kept raw, not charted"});
    }
    return warnings;
}

}  // namespace kclinic::adapters::hl7
