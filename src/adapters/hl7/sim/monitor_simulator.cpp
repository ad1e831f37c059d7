#include "adapters/hl7/sim/monitor_simulator.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "clinical/vital_signs.hpp"

namespace kclinic::adapters::hl7::sim {
namespace {

// The session's blood-pressure course: 0 at the start, 1 at the peak at 40 minutes, fading after (about 0.4 at two
// hours). The shape is the simulator's choice; the peak's time and size are the Yale review's (see the header).
constexpr double kPeakMinutes = 40;
constexpr double kPeakSystolicRise = 16;
constexpr double kPeakDiastolicRise = 11;
// A simulator's assumption, not a published figure: heart rate follows the pressure a little.
constexpr double kPeakHeartRateRise = 6;

double SessionCourse(double minutes) {
    const double x = std::max(0.0, minutes) / kPeakMinutes;
    return x * std::exp(1 - x);
}

// A bell around `centre` minutes, 1 at its centre, for a scenario's event.
double Event(double minutes, double centre, double width) {
    const double z = (minutes - centre) / width;
    return std::exp(-z * z);
}

// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a few bits of
// noise per reading from the seed, the minute and the channel, so the same run gives the same readings.
std::uint64_t Mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// A number in [-1, 1].
double Noise(std::uint64_t seed, std::uint64_t tick, std::uint64_t channel) {
    const std::uint64_t bits = Mix(seed ^ Mix(tick * 16 + channel));
    return static_cast<double>(bits >> 11) / static_cast<double>(std::uint64_t{1} << 52) - 1.0;
}

// A number in [low, high], fixed by the seed and the channel.
double Draw(std::uint64_t seed, std::uint64_t channel, double low, double high) {
    return low + (Noise(seed, 0, channel) + 1) / 2 * (high - low);
}

Observation Reading(std::size_t sequence, std::string code, std::string text, std::string system, std::string sub_id,
                    double value, std::string unit_code, std::string unit_text, std::string unit_system,
                    clinical::TimePoint observed_at, const std::string& equipment) {
    Observation observation;
    observation.segment_sequence = sequence;
    observation.request = 1;
    observation.set_id = std::to_string(sequence);
    observation.value_type = "NM";
    observation.code = CodedElement{std::move(code), std::move(text), std::move(system)};
    observation.sub_id = std::move(sub_id);
    observation.value = std::to_string(static_cast<long long>(std::lround(value)));
    observation.numeric_value = static_cast<double>(std::lround(value));
    observation.units = CodedElement{std::move(unit_code), std::move(unit_text), std::move(unit_system)};
    observation.status = "F";
    observation.valid = true;
    observation.observed_at = observed_at;
    observation.equipment_id = equipment;
    return observation;
}

}  // namespace

std::optional<Scenario> ScenarioNamed(std::string_view name) {
    if (name == "normal") {
        return Scenario::kNormal;
    }
    if (name == "hypertensive-spike") {
        return Scenario::kHypertensiveSpike;
    }
    if (name == "desaturation") {
        return Scenario::kDesaturation;
    }
    if (name == "bradycardia") {
        return Scenario::kBradycardia;
    }
    return std::nullopt;
}

SimulatedBed::SimulatedBed(int bed_number, Scenario scenario, std::uint64_t seed, std::string device_id)
    : bed_number_(bed_number),
      scenario_(scenario),
      seed_(Mix(seed + static_cast<std::uint64_t>(bed_number))),
      device_id_(device_id.empty() ? "KCLINIC-SIM-BED-" + std::to_string(bed_number) : std::move(device_id)) {
    // An adult at rest before a session, within the pre-dose gate (clinical-reference §5: 140/90 and above is
    // weighed before dosing).
    baseline_.systolic = Draw(seed_, 1, 114, 132);
    baseline_.diastolic = Draw(seed_, 2, 70, 84);
    baseline_.heart_rate = Draw(seed_, 3, 62, 82);
    baseline_.spo2 = Draw(seed_, 4, 96.5, 99);
    baseline_.respiratory_rate = Draw(seed_, 5, 12, 16);
}

VitalSet SimulatedBed::At(double minutes) const {
    const double course = SessionCourse(minutes);
    VitalSet set = baseline_;
    set.systolic += kPeakSystolicRise * course;
    set.diastolic += kPeakDiastolicRise * course;
    set.heart_rate += kPeakHeartRateRise * course;
    switch (scenario_) {
        case Scenario::kNormal:
            break;
        case Scenario::kHypertensiveSpike:  // to 185-205 / 111-125 at the peak: beyond 180/110 on every bed
            set.systolic += 58 * Event(minutes, kPeakMinutes, 8);
            set.diastolic += 32 * Event(minutes, kPeakMinutes, 8);
            break;
        case Scenario::kDesaturation:  // to about 87 % around 25 minutes
            set.spo2 -= 11 * Event(minutes, 25, 4);
            set.respiratory_rate -= 5 * Event(minutes, 25, 4);
            break;
        case Scenario::kBradycardia:  // to half the rate, 35-45 /min, around 20 minutes
            set.heart_rate *= 1 - 0.5 * Event(minutes, 20, 4);
            break;
    }
    const auto tick = static_cast<std::uint64_t>(std::llround(std::max(0.0, minutes) * 60));
    set.systolic += 3 * Noise(seed_, tick, 11);
    set.diastolic += 2 * Noise(seed_, tick, 12);
    set.heart_rate += 2 * Noise(seed_, tick, 13);
    set.spo2 = std::min(100.0, set.spo2 + 0.5 * Noise(seed_, tick, 14));
    set.respiratory_rate += Noise(seed_, tick, 15);
    set.mean_arterial = set.diastolic + (set.systolic - set.diastolic) / 3;
    return set;
}

OruR01 SimulatedMessage(const SimulatedBed& bed, const VitalSet& set, clinical::TimePoint observed_at, Codes codes,
                        const std::string& control_id) {
    OruR01 message;
    MessageHeader& header = message.header;
    header.sending_application = HierarchicDesignator{"KCLINIC-SIM", "", ""};
    header.sending_facility = HierarchicDesignator{"SIM", "", ""};
    header.receiving_application = HierarchicDesignator{"KCLINIC", "", ""};
    header.message_time = observed_at;
    header.message_code = "ORU";
    header.trigger_event = "R01";
    header.message_structure = "ORU_R01";
    header.control_id = control_id;
    header.processing_id = "P";
    header.version = "2.6";
    message.location = PatientLocation{"SIM", "", "BED-" + std::to_string(bed.BedNumber())};
    message.requests.push_back(
        ObservationRequest{CodedElement{"182777000", "monitoring of patient", "SCT"}, observed_at});
    const std::string& device = bed.DeviceId();
    auto& rows = message.observations;
    const auto next = [&rows] { return rows.size() + 1; };
    if (codes == Codes::kMdc) {
        // IEEE 11073-10101 codes and dimensions, as IHE PCD-01 monitors send them; the BP components share their
        // channel's containment path, which is how the map pairs them.
        rows.push_back(Reading(next(), "150021", "MDC_PRESS_BLD_NONINV_SYS", "MDC", "1.0.1.1", set.systolic, "266016",
                               "MDC_DIM_MMHG", "MDC", observed_at, device));
        rows.push_back(Reading(next(), "150022", "MDC_PRESS_BLD_NONINV_DIA", "MDC", "1.0.1.2", set.diastolic, "266016",
                               "MDC_DIM_MMHG", "MDC", observed_at, device));
        rows.push_back(Reading(next(), "150023", "MDC_PRESS_BLD_NONINV_MEAN", "MDC", "1.0.1.3", set.mean_arterial,
                               "266016", "MDC_DIM_MMHG", "MDC", observed_at, device));
        rows.push_back(Reading(next(), "147842", "MDC_ECG_HEART_RATE", "MDC", "1.0.2.1", set.heart_rate, "264864",
                               "MDC_DIM_BEAT_PER_MIN", "MDC", observed_at, device));
        rows.push_back(Reading(next(), "150456", "MDC_PULS_OXIM_SAT_O2", "MDC", "1.0.3.1", set.spo2, "262688",
                               "MDC_DIM_PERCENT", "MDC", observed_at, device));
        rows.push_back(Reading(next(), "151562", "MDC_RESP_RATE", "MDC", "1.0.4.1", set.respiratory_rate, "264928",
                               "MDC_DIM_RESP_PER_MIN", "MDC", observed_at, device));
    } else {
        const auto loinc = [](std::string_view code) { return std::string(code); };
        rows.push_back(Reading(next(), loinc(clinical::kSystolicBpLoinc), "Systolic blood pressure", "LN", "1.1",
                               set.systolic, "mm[Hg]", "mm[Hg]", "UCUM", observed_at, device));
        rows.push_back(Reading(next(), loinc(clinical::kDiastolicBpLoinc), "Diastolic blood pressure", "LN", "1.2",
                               set.diastolic, "mm[Hg]", "mm[Hg]", "UCUM", observed_at, device));
        rows.push_back(Reading(next(), loinc(clinical::kMeanArterialPressureLoinc), "Mean blood pressure", "LN", "1.3",
                               set.mean_arterial, "mm[Hg]", "mm[Hg]", "UCUM", observed_at, device));
        rows.push_back(Reading(next(), loinc(clinical::kHeartRateLoinc), "Heart rate", "LN", "2", set.heart_rate,
                               "/min", "/min", "UCUM", observed_at, device));
        rows.push_back(Reading(next(), loinc(clinical::kSpo2PulseOximetryLoinc), "SpO2 by pulse oximetry", "LN", "3",
                               set.spo2, "%", "%", "UCUM", observed_at, device));
        rows.push_back(Reading(next(), loinc(clinical::kRespiratoryRateLoinc), "Respiratory rate", "LN", "4",
                               set.respiratory_rate, "/min", "/min", "UCUM", observed_at, device));
    }
    return message;
}

}  // namespace kclinic::adapters::hl7::sim
