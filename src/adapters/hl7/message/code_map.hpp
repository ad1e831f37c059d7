#pragma once

// From what a monitor sends to what kclinic records: each OBX's code (LOINC, IEEE 11073 MDC, or a vendor's own
// labels) mapped to the LOINC code of a vital sign, and its unit to that vital sign's UCUM unit, converting kPa to
// mm[Hg] and degrees Fahrenheit to Celsius. The table, one row per code with its source, is in code_map.cpp and
// docs/hl7.md. An observation that cannot be mapped is kept raw and reported, never dropped. Pure.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hl7/message/hl7_error.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::adapters::hl7 {

// One row of the code map: a sender's code for a quantity, and the LOINC code kclinic records it as.
struct CodeMapping {
    std::string_view coding_system;  // "MDC" or "MDIL" (Philips)
    std::string_view code;           // "150021"; "0002-4a05"
    std::string_view name;           // the MDC reference id ("MDC_PRESS_BLD_NONINV_SYS") or the vendor's label
    std::string_view loinc;          // "8480-6"
    // For a blood-pressure component, how it was measured ("noninvasive", "arterial", "arterial_abp",
    // "unspecified"), so that GroupBloodPressures never pairs a cuff systolic with an arterial-line diastolic.
    std::string_view measurement;
    std::string_view source;  // where the row comes from
};

// Every row of the table, for docs/hl7.md and the tests.
[[nodiscard]] std::span<const CodeMapping> CodeMappings();

// A reading kclinic can record: a LOINC vital sign in its UCUM unit.
struct MappedReading {
    std::string loinc;            // "8480-6"
    std::optional<double> value;  // in `ucum_unit`; absent only on an invalid reading that carried no number
    std::string ucum_unit;        // "mm[Hg]"
    clinical::TimePoint observed_at;
    bool valid = false;  // false: kept and shown, never used for alerts (see Observation::valid)
    std::string invalid_reason;
    std::string equipment_id;      // OBX-18.1
    std::size_t obx_sequence = 0;  // which OBX it came from (1-based)
    std::size_t request = 0;       // the OBR it follows (1-based; 0 for none)
    std::string sub_id;            // OBX-4: readings of one measurement (a blood pressure) share its prefix
    std::string measurement;       // CodeMapping::measurement of its row; empty for LOINC codes
    CodedElement raw_code;         // OBX-3 as sent
    std::string raw_value;         // OBX-5 as sent (decoded)
    CodedElement raw_units;        // OBX-6 as sent
};

// An observation kept as it was sent because kclinic cannot record it as a vital sign, with the reason.
struct UnmappedObservation {
    std::size_t obx_sequence = 0;
    std::size_t field = 3;  // the OBX field at fault: 3 (the code), 5 (the value) or 6 (the units)
    CodedElement raw_code;
    std::string value_type;
    std::string raw_value;
    CodedElement raw_units;
    std::string status;
    clinical::TimePoint observed_at;
    std::string equipment_id;
    std::string reason;  // "150087^MDC_PRESS_BLD_VEN_CENT_MEAN^MDC is not in kclinic's code map"
};

struct MappedObservations {
    std::vector<MappedReading> readings;
    std::vector<UnmappedObservation> unmapped;
    // IEEE 11073 containment rows (MDS, VMD, channel: no value type and no value) describe the device, not a
    // measurement; they are counted, not mapped (IHE PCD TF-2, the PCD-01 OBX hierarchy).
    std::size_t containment_rows = 0;
};

// Maps every OBX of `message`, in order:
// - OBX-3 in LOINC (coding system LN, LOINC or http://loinc.org; or no system and one of kclinic's vital-sign codes):
//   taken as is.
// - OBX-3 in MDC: by its numeric code, else by its reference id; when both are given and name different rows, the
//   observation is unmapped (a sender's error no one should guess through).
// - OBX-3 in MDIL (Philips): by its code, else by its label.
// - A value must be a number (Observation::numeric_value) unless the reading is invalid; the unit must be one this
//   map knows for the quantity (OBX-6 empty is refused: a pressure could be kPa, a temperature Fahrenheit).
// A value converted from kPa is rounded to 0.1 mm[Hg]; one from Fahrenheit to 0.01 Cel.
[[nodiscard]] MappedObservations MapObservations(const OruR01& message);

// A blood pressure as kclinic records it: one reading, the panel 85354-9, with its systolic and diastolic and the
// mean where the device sent it (docs/clinical-rules.md, vital.bp_one_reading).
struct BloodPressureReading {
    double systolic_mm_hg = 0;
    double diastolic_mm_hg = 0;
    std::optional<double> mean_mm_hg;
    clinical::TimePoint observed_at;
    bool valid = false;  // every component valid; else the first invalid one's reason
    std::string invalid_reason;
    std::string equipment_id;
    std::vector<std::size_t> obx_sequences;  // the OBX rows it was made of: systolic, diastolic[, mean]
};

struct GroupedReadings {
    std::vector<BloodPressureReading> blood_pressures;
    // Every other reading, in order, including a blood-pressure component that has no partner (the record side
    // keeps it raw, since a lone systolic is not a recordable reading).
    std::vector<MappedReading> others;
};

// Pairs the blood-pressure components of MapObservations' readings into blood pressures: a systolic (8480-6), a
// diastolic (8462-4) and at most one mean (8478-0) with the same OBR, observation time, equipment, method
// (CodeMapping::measurement) and OBX-4 up to its last dotted part. Where that does not give exactly one systolic and
// one diastolic, or a component has no value, nothing is paired.
[[nodiscard]] GroupedReadings GroupBloodPressures(std::vector<MappedReading> readings);

// One warning per unmapped observation (AckCode::kAccept, severity W, condition 103 "Table value not found", located
// at its OBX and field), for the ERR segments of an AA: the sender learns that a code was kept but not charted.
[[nodiscard]] std::vector<Hl7Error> UnmappedWarnings(const MappedObservations& mapped);

}  // namespace kclinic::adapters::hl7
