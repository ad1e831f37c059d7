#pragma once

// The clinical content of the Spravato REMS Patient Monitoring Form for one outpatient esketamine session
// (shared/interop-reference.md §1.2; clinical-reference §3.4, §3.5, §3.8, §5.1-§5.5): the concomitant medication
// classes the form asks about, the dose and device lots, how long monitoring lasted, the three blood pressures,
// whether vital signs were acceptable, and whether sedation, dissociation or respiratory depression occurred. Pure:
// the caller gathers the session's facts from the record and passes every time in. docs/clinical-rules.md ("REMS
// Patient Monitoring Form") lists each rule with its source.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/scales.hpp"
#include "clinical/session_state.hpp"
#include "clinical/settings.hpp"

namespace kclinic::clinical {

// Spravato USPI §2 and §5.1 (clinical-reference §3.5): re-check BP about 40 minutes after dosing, around Cmax. The
// form's "about 40 minutes after" reading is the one closest to the first device + 40 min within +/- 10 min; the
// window width is our choice [PRACTICE], wide enough for a clinic's real timing, narrow enough to stay near Cmax.
inline constexpr int kRemsBpRecheckMinutes = 40;
inline constexpr int kRemsBpRecheckToleranceMinutes = 10;

// Spravato USPI (clinical-reference §5.2): SpO2 below 93 % on two consecutive readings was the trials'
// respiratory-depression signal [LABEL-US].
inline constexpr double kRespiratoryDepressionSpo2BelowPercent = 93;

// The form's dose boxes: the two label doses, or "other" with the milligrams written in.
enum class RemsDose { k56Mg, k84Mg, kOther };

inline constexpr auto kRemsDoseNames =
    MakeEnumNames<RemsDose>({{RemsDose::k56Mg, "56_mg"}, {RemsDose::k84Mg, "84_mg"}, {RemsDose::kOther, "other"}});
[[nodiscard]] constexpr std::string_view RemsDoseName(RemsDose dose) {
    return kRemsDoseNames.Name(dose);
}
// The box for a session total of `dose_mg` (the sum of its devices).
[[nodiscard]] RemsDose RemsDoseFor(double dose_mg);

// The form's concomitant-medication checkboxes (REMS Patient Monitoring Form; the REMS training adds opioids).
struct RemsConcomitantMedications {
    bool benzodiazepine = false;
    bool sedative_hypnotic = false;  // non-benzodiazepine sedative-hypnotics: DrugClass::kZDrug
    bool psychostimulant = false;
    bool mao_inhibitor = false;
    bool opioid = false;
    friend bool operator==(const RemsConcomitantMedications&, const RemsConcomitantMedications&) = default;
};

// The checkboxes ticked by `medications` (generic names, combinations allowed; medications.hpp's DrugClassesOf).
[[nodiscard]] RemsConcomitantMedications RemsConcomitantMedicationsOf(const std::vector<std::string>& medications);

// One blood pressure measurement: a systolic 8480-6 and a diastolic 8462-4 observed at the same instant, as one
// cuff reading is recorded (by hand or from a monitor's message), in mmHg rounded to whole numbers.
struct TimedBloodPressure {
    BloodPressure value;
    TimePoint observed_at;
};

// One esketamine nasal administration of the session (one or more 28-mg devices).
struct RemsDevice {
    double dose_mg = 0;
    std::string lot_number;
    TimePoint started_at;
};

// One vital sign as recorded: LOINC code, value in its UCUM unit (vital_signs.hpp), time observed.
struct RemsVital {
    std::string loinc;
    double value = 0;
    TimePoint observed_at;
};

// One scored assessment as recorded (scales.hpp): instrument, total, flags, time assessed.
struct RemsAssessment {
    Instrument instrument = Instrument::kMoaas;
    int total = 0;
    std::vector<std::string> flags;
    TimePoint assessed_at;
};

// What the form is assembled from, gathered by the caller from the session's record.
struct RemsSessionFacts {
    std::vector<RemsDevice> devices;  // the session's esketamine administrations; at least one
    // When monitoring ended: the step to ready_for_discharge, or the step that stopped a session before it.
    TimePoint monitoring_ended_at;
    std::vector<RemsVital> vitals;  // the patient's vital signs from check-in to the end of monitoring, any order
    std::vector<RemsAssessment> assessments;  // the patient's assessments, any order; only the window's count
    std::vector<std::string> medications;     // the patient's current medications (generic names)
    bool pre_dose_bp_overridden = false;      // a prescriber dosed despite a pre-dose BP above the gate
};

// The form's clinical fields for the session.
struct RemsMonitoring {
    RemsConcomitantMedications concomitant;
    double dose_mg = 0;  // the sum of the session's devices
    RemsDose dose = RemsDose::kOther;
    std::vector<std::string> lot_numbers;  // each device lot once, in the order first given
    TimePoint first_device_at;
    TimePoint monitoring_ended_at;
    int monitoring_minutes = 0;           // from the first device to the end of monitoring, whole minutes rounded down
    bool monitoring_minimum_met = false;  // monitoring_minutes >= kEsketamineMinMonitoringMinutes (120)
    std::optional<TimedBloodPressure> bp_before_administration;  // the latest at or before the first device
    std::optional<TimedBloodPressure> bp_40_minutes_after;       // closest to +40 min within +30..+50; else absent
    std::optional<TimedBloodPressure> bp_before_end;  // the latest after the first device, at or before the end
    bool vitals_acceptable_before_administration = false;
    bool vitals_acceptable_before_end = false;
    bool sedation = false;
    bool dissociation = false;
    bool respiratory_depression = false;
    std::optional<double> lowest_spo2_percent;  // the lowest SpO2 (59408-5 or 2708-6) in the monitoring window
};

// Assembles the form's clinical fields from `facts`. The monitoring window runs from the first device to the end of
// monitoring, both included. Rules (docs/clinical-rules.md):
//   - vital signs acceptable before administration: a BP recorded at or before the first device, and the pre-dose
//     BP gate passed without a prescriber's override (no reading: not acceptable, as at the end);
//   - vital signs acceptable before the end: bp_before_end exists and is below both
//     settings.screening.intake_bp_review_systolic and _diastolic (no reading: not acceptable);
//   - sedation: any MOAA/S total below 5 assessed in the window (Spravato convention, clinical-reference §5.3);
//   - dissociation: any CADSS or CADSS-6 assessment in the window carrying the dissociation flag;
//   - respiratory depression: SpO2 below 93 % on two consecutive readings in the window (readings at the same instant,
//     such as one measurement sent under both SpO2 codes, count as one reading, its lowest value).
// PRECONDITION: `settings` holds values inside the bounds SetSetting enforces. Errors: kInvalidArgument "devices"
// when there is none; kInvalidArgument "monitoring_ended_at" when it is before the first device.
[[nodiscard]] Result<RemsMonitoring> AssessRemsMonitoring(const RemsSessionFacts& facts,
                                                          const ClinicSettings& settings);

// The readings the form asks for that `form` lacks, by field name, in the form's order: "bp_before_administration",
// "bp_40_minutes_after", "bp_before_end" (Spravato USPI §2 and §5.1: BP before dosing, about 40 min after, and
// until stable before the end). A form lacking any is submitted only with a prescriber's stated reason (rems_forms).
[[nodiscard]] std::vector<std::string> MissingRemsReadings(const RemsMonitoring& form);

}  // namespace kclinic::clinical
