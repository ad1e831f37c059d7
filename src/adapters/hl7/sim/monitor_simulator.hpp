#pragma once

// The bedside-monitor simulator's vital signs and messages (issue 13 §3; `kclinic monitor-sim`). Pure: time comes in
// as minutes since the start of the infusion and as a TimePoint, randomness from a seed, so a run can be repeated.
//
// The course of a session: blood pressure rises after the start of a ketamine infusion, peaks around 40 minutes and
// fades, by a mean of +16 mm[Hg] systolic and +11 diastolic at the peak (Yale chart review of 2,342 infusions, Gen
// Hosp Psychiatry 2024; shared/clinical-reference.md §3.5), with heart rate following a little; the scenarios add
// the events the alert rules are there for: a hypertensive spike beyond 180/110 (the Spravato trials' outlier
// definition, clinical-reference §3.5), a desaturation below 90 %, a bradycardia below 50 /min.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/hl7/message/oru_r01.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::adapters::hl7::sim {

enum class Scenario { kNormal, kHypertensiveSpike, kDesaturation, kBradycardia };

// "normal", "hypertensive-spike", "desaturation", "bradycardia"; nullopt for any other name.
[[nodiscard]] std::optional<Scenario> ScenarioNamed(std::string_view name);

// How the observations are coded: LOINC (as kclinic records them) or IEEE 11073 MDC (as IHE PCD-01 monitors send).
enum class Codes { kLoinc, kMdc };

// One set of readings, in kclinic's units: mm[Hg], /min, %.
struct VitalSet {
    double systolic = 0;
    double diastolic = 0;
    double mean_arterial = 0;
    double heart_rate = 0;
    double spo2 = 0;
    double respiratory_rate = 0;
};

// One simulated patient's monitor: a baseline drawn from `seed`, the session's course, the scenario's event, and a
// little noise per reading (also from `seed`, and the minute).
class SimulatedBed {
public:
    // `device_id`: what the monitor sends as its identity; empty: "KCLINIC-SIM-BED-<bed_number>".
    SimulatedBed(int bed_number, Scenario scenario, std::uint64_t seed, std::string device_id = {});

    // The readings `minutes` after the start of the infusion (>= 0).
    [[nodiscard]] VitalSet At(double minutes) const;

    // The identifier the device sends in OBX-18 ("KCLINIC-SIM-BED-3"): what a room's monitor_ids hold.
    [[nodiscard]] const std::string& DeviceId() const { return device_id_; }
    [[nodiscard]] int BedNumber() const { return bed_number_; }

private:
    int bed_number_;
    Scenario scenario_;
    std::uint64_t seed_;
    std::string device_id_;
    VitalSet baseline_;
};

// An ORU^R01 (v2.6, IHE PCD-01 shape: MSH, PV1 with the bed, one OBR, one OBX per reading with OBX-14 and OBX-18)
// carrying `set`, observed at `observed_at`, with MSH-10 `control_id`.
[[nodiscard]] OruR01 SimulatedMessage(const SimulatedBed& bed, const VitalSet& set, clinical::TimePoint observed_at,
                                      Codes codes, const std::string& control_id);

}  // namespace kclinic::adapters::hl7::sim
