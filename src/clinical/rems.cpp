#include "clinical/rems.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "clinical/label_rules.hpp"
#include "clinical/medications.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::minutes;

// Spravato convention (clinical-reference §5.3): any MOAA/S rating below 5 ("responds readily") is sedation.
constexpr int kMoaasAlert = 5;

// Every BP measurement in `vitals`, oldest first. A systolic and a diastolic pair only when observed at the same
// instant; where one instant holds several of a kind, the last recorded counts.
std::vector<TimedBloodPressure> BloodPressures(const std::vector<RemsVital>& vitals) {
    std::map<TimePoint, double> systolic;
    std::map<TimePoint, double> diastolic;
    for (const RemsVital& vital : vitals) {
        if (vital.loinc == kSystolicBpLoinc) {
            systolic[vital.observed_at] = vital.value;
        } else if (vital.loinc == kDiastolicBpLoinc) {
            diastolic[vital.observed_at] = vital.value;
        }
    }
    std::vector<TimedBloodPressure> pressures;
    for (const auto& [at, value] : systolic) {
        const auto match = diastolic.find(at);
        if (match != diastolic.end()) {
            pressures.push_back(TimedBloodPressure{
                BloodPressure{static_cast<int>(std::lround(value)), static_cast<int>(std::lround(match->second))}, at});
        }
    }
    return pressures;
}

// SpO2 readings in [from, to], oldest first; one reading per instant, its lowest value (a monitor may send one
// measurement under both SpO2 codes, and that is one reading, not two consecutive ones).
std::vector<double> Spo2Readings(const std::vector<RemsVital>& vitals, TimePoint from, TimePoint to) {
    std::map<TimePoint, double> lowest;
    for (const RemsVital& vital : vitals) {
        if ((vital.loinc != kSpo2PulseOximetryLoinc && vital.loinc != kSpo2ArterialLoinc) || vital.observed_at < from ||
            vital.observed_at > to) {
            continue;
        }
        const auto [slot, inserted] = lowest.try_emplace(vital.observed_at, vital.value);
        if (!inserted) {
            slot->second = std::min(slot->second, vital.value);
        }
    }
    std::vector<double> readings;
    readings.reserve(lowest.size());
    for (const auto& [at, value] : lowest) {
        readings.push_back(value);
    }
    return readings;
}

bool HasFlag(const RemsAssessment& assessment, std::string_view flag) {
    return std::ranges::find(assessment.flags, flag) != assessment.flags.end();
}

}  // namespace

RemsDose RemsDoseFor(double dose_mg) {
    // The label doses: two and three 28-mg devices (Spravato USPI; clinical-reference §3.3).
    if (std::abs(dose_mg - kEsketamine56Mg) < 1e-9) {
        return RemsDose::k56Mg;
    }
    if (std::abs(dose_mg - kEsketamine84Mg) < 1e-9) {
        return RemsDose::k84Mg;
    }
    return RemsDose::kOther;
}

RemsConcomitantMedications RemsConcomitantMedicationsOf(const std::vector<std::string>& medications) {
    RemsConcomitantMedications ticked;
    for (const std::string& name : medications) {
        for (DrugClass drug_class : DrugClassesOf(name)) {
            switch (drug_class) {
                case DrugClass::kBenzodiazepine:
                    ticked.benzodiazepine = true;
                    break;
                case DrugClass::kZDrug:
                    ticked.sedative_hypnotic = true;
                    break;
                case DrugClass::kPsychostimulant:
                    ticked.psychostimulant = true;
                    break;
                case DrugClass::kMaoInhibitor:
                    ticked.mao_inhibitor = true;
                    break;
                case DrugClass::kOpioid:
                    ticked.opioid = true;
                    break;
                default:
                    break;  // the form asks about these five classes only
            }
        }
    }
    return ticked;
}

Result<RemsMonitoring> AssessRemsMonitoring(const RemsSessionFacts& facts, const ClinicSettings& settings) {
    if (facts.devices.empty()) {
        return InvalidArgument("devices", "a REMS monitoring form needs at least one esketamine device administration");
    }
    RemsMonitoring form;
    form.concomitant = RemsConcomitantMedicationsOf(facts.medications);

    std::vector<RemsDevice> devices = facts.devices;
    std::ranges::stable_sort(devices, {}, &RemsDevice::started_at);
    form.first_device_at = devices.front().started_at;
    for (const RemsDevice& device : devices) {
        form.dose_mg += device.dose_mg;
        if (std::ranges::find(form.lot_numbers, device.lot_number) == form.lot_numbers.end()) {
            form.lot_numbers.push_back(device.lot_number);
        }
    }
    form.dose = RemsDoseFor(form.dose_mg);

    if (facts.monitoring_ended_at < form.first_device_at) {
        return InvalidArgument("monitoring_ended_at", "the end of monitoring is before the first esketamine device");
    }
    form.monitoring_ended_at = facts.monitoring_ended_at;
    const TimePoint first = form.first_device_at;
    const TimePoint end = form.monitoring_ended_at;
    form.monitoring_minutes = static_cast<int>(std::chrono::floor<minutes>(end - first).count());
    form.monitoring_minimum_met = form.monitoring_minutes >= kEsketamineMinMonitoringMinutes;

    const TimePoint recheck = first + minutes{kRemsBpRecheckMinutes};
    const minutes tolerance{kRemsBpRecheckToleranceMinutes};
    const auto distance = [recheck](TimePoint at) { return at < recheck ? recheck - at : at - recheck; };
    for (const TimedBloodPressure& bp : BloodPressures(facts.vitals)) {
        if (bp.observed_at <= first) {
            form.bp_before_administration = bp;
        }
        if (bp.observed_at > first && bp.observed_at <= end) {
            form.bp_before_end = bp;
        }
        // Oldest first, so on a tie the earlier reading stays.
        if (bp.observed_at <= end && distance(bp.observed_at) <= tolerance &&
            (!form.bp_40_minutes_after || distance(bp.observed_at) < distance(form.bp_40_minutes_after->observed_at))) {
            form.bp_40_minutes_after = bp;
        }
    }

    // The pre-dose gate (session_state.hpp, the label's >140/90) already judged the BP before dosing; a prescriber's
    // override is exactly "not acceptable, dosed anyway", and no reading before the first device is no judgement at
    // all, so never "acceptable".
    form.vitals_acceptable_before_administration = form.bp_before_administration && !facts.pre_dose_bp_overridden;
    // The label gives no number for the end of monitoring, only "BP decreasing and clinically stable" (§3.5, §5.5).
    // Esketamine raises BP for hours (mean +13/9 mmHg, up to ~4 h), so the pre-dose caution gate would mark most
    // ordinary sessions unacceptable; the clinic's review threshold (180/110 by default: the USPI outlier levels and
    // ACC/AHA hypertensive urgency) is the in-session level at which a clinician must act, so a last reading under it
    // is acceptable.
    if (form.bp_before_end) {
        const BloodPressure& bp = form.bp_before_end->value;
        form.vitals_acceptable_before_end = bp.systolic_mmhg < settings.screening.intake_bp_review_systolic &&
                                            bp.diastolic_mmhg < settings.screening.intake_bp_review_diastolic;
    }

    for (const RemsAssessment& assessment : facts.assessments) {
        if (assessment.assessed_at < first || assessment.assessed_at > end) {
            continue;
        }
        if (assessment.instrument == Instrument::kMoaas && assessment.total < kMoaasAlert) {
            form.sedation = true;
        }
        // Both forms are read, but CADSS-6 has no validated cut-off and never carries the flag (scales.hpp,
        // cadss6_no_cutoff), so in practice the full CADSS decides.
        if ((assessment.instrument == Instrument::kCadss || assessment.instrument == Instrument::kCadss6) &&
            HasFlag(assessment, kFlagDissociation)) {
            form.dissociation = true;
        }
    }

    const std::vector<double> spo2 = Spo2Readings(facts.vitals, first, end);
    for (std::size_t i = 0; i < spo2.size(); ++i) {
        if (!form.lowest_spo2_percent || spo2[i] < *form.lowest_spo2_percent) {
            form.lowest_spo2_percent = spo2[i];
        }
        if (i > 0 && spo2[i - 1] < kRespiratoryDepressionSpo2BelowPercent &&
            spo2[i] < kRespiratoryDepressionSpo2BelowPercent) {
            form.respiratory_depression = true;
        }
    }
    return form;
}

std::vector<std::string> MissingRemsReadings(const RemsMonitoring& form) {
    std::vector<std::string> missing;
    if (!form.bp_before_administration) {
        missing.emplace_back("bp_before_administration");
    }
    if (!form.bp_40_minutes_after) {
        missing.emplace_back("bp_40_minutes_after");
    }
    if (!form.bp_before_end) {
        missing.emplace_back("bp_before_end");
    }
    return missing;
}

}  // namespace kclinic::clinical
