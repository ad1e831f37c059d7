#include "clinical/outcomes.hpp"

#include "base/text.hpp"

#include <cassert>
#include <cstddef>
#include <string>
#include <utility>

namespace kclinic::clinical {
namespace {

// Fixed remission thresholds: HAM-D17 Frank et al. 1991 [GUIDE]; QIDS-SR16 STAR*D [TRIAL]; PHQ-9 Kroenke 2001
// "<5" [GUIDE/PRACTICE]; GAD-7 "<5 often used" [PRACTICE] (clinical-reference §1.2). MADRS and PCL-5 read the
// clinic's settings because the sources conflict or give a range.
constexpr int kHamd17RemissionMax = 7;
constexpr int kQidsSr16RemissionMax = 5;
constexpr int kPhq9RemissionMax = 4;
constexpr int kGad7RemissionMax = 4;

// PCL-5 change (VA National Center for PTSD, §1.2 / §6.7).
constexpr int kPcl5ReliableChangePoints = 5;
constexpr int kPcl5ClinicallyMeaningfulChangePoints = 10;

std::string Indexed(std::size_t index, std::string_view member) {
    return "series[" + std::to_string(index + 1) + "]." + std::string(member);
}

Status CheckTotal(const InstrumentDefinition& definition, std::string field, int total) {
    if (total < definition.total_min || total > definition.total_max) {
        return OutOfRange(std::move(field), total, definition.total_min, definition.total_max);
    }
    return Status::Ok();
}

// Checks the instrument and the baseline once so that a series reports those errors under their own names.
Status CheckBaseline(Instrument instrument, int baseline_total) {
    if (!HasOutcomeDefinitions(instrument)) {
        return InvalidArgument("instrument", std::string(InstrumentName(instrument)) +
                                                 " has no response or remission definition; outcomes apply to phq9, "
                                                 "gad7, madrs, qids-sr16, hamd17 and pcl5");
    }
    // A baseline of 0 cannot define a percentage reduction, so the baseline's range starts at 1.
    const InstrumentDefinition& definition = Definition(instrument);
    if (baseline_total < 1 || baseline_total > definition.total_max) {
        Error error = OutOfRange("baseline_total", baseline_total, 1, definition.total_max);
        if (baseline_total == 0) {
            error.message += ": a baseline of 0 cannot define a percentage reduction";
        }
        return error;
    }
    return Status::Ok();
}

// Threshold and rule id; `strictly_below` distinguishes PCL-5's "< cut-off" from the others' "<= max".
struct RemissionRule {
    int threshold = 0;
    bool strictly_below = false;
    std::string id;
};

RemissionRule RemissionRuleFor(Instrument instrument, const ClinicSettings& settings) {
    switch (instrument) {
        case Instrument::kMadrs: {
            // ⚠ CONFLICT: <=12 esketamine phase 3 (TRANSFORM, SUSTAIN) vs <=10 ESCAPE-TRD / KetECT.
            const int max = settings.outcomes.madrs_remission_max;
            return {max, false, "madrs_total<=" + std::to_string(max)};
        }
        case Instrument::kHamd17:
            return {kHamd17RemissionMax, false, "hamd17_total<=7"};
        case Instrument::kQidsSr16:
            return {kQidsSr16RemissionMax, false, "qids_sr16_total<=5"};
        case Instrument::kPhq9:
            return {kPhq9RemissionMax, false, "phq9_total<=4"};
        case Instrument::kGad7:
            return {kGad7RemissionMax, false, "gad7_total<=4"};
        case Instrument::kPcl5: {
            // Falling below the provisional-PTSD cut-off ("no probable PTSD", VA NCPTSD) is the remission proxy.
            const int cut_off = settings.scales.pcl5_provisional_ptsd_min;
            return {cut_off, true, "pcl5_total<" + std::to_string(cut_off)};
        }
        case Instrument::kCssrsScreen:
        case Instrument::kCadss:
        case Instrument::kCadss6:
        case Instrument::kMoaas:
            break;
    }
    assert(false && "RemissionRuleFor called for an instrument without outcome definitions");
    return {};
}

// Assumes CheckBaseline passed and current_total is in range.
Outcome Classify(Instrument instrument, int baseline_total, int current_total, const ClinicSettings& settings) {
    Outcome outcome;
    outcome.instrument = instrument;
    outcome.baseline_total = baseline_total;
    outcome.current_total = current_total;
    outcome.change_points = baseline_total - current_total;
    outcome.reduction_percent =
        100.0 * static_cast<double>(outcome.change_points) / static_cast<double>(baseline_total);
    // Integer comparisons keep exactly 50% and exactly 25% on the right side of the line.
    if (2 * outcome.change_points >= baseline_total) {
        outcome.response = ResponseCategory::kResponse;
    } else if (4 * outcome.change_points >= baseline_total) {
        outcome.response = ResponseCategory::kPartialResponse;
    } else {
        outcome.response = ResponseCategory::kNoResponse;
    }
    outcome.response_rule = std::string(kResponseRule);

    RemissionRule rule = RemissionRuleFor(instrument, settings);
    outcome.remission = rule.strictly_below ? current_total < rule.threshold : current_total <= rule.threshold;
    outcome.remission_rule = std::move(rule.id);

    if (instrument == Instrument::kPcl5) {
        outcome.reliable_change = outcome.change_points >= kPcl5ReliableChangePoints;
        outcome.clinically_meaningful_change = outcome.change_points >= kPcl5ClinicallyMeaningfulChangePoints;
    }
    return outcome;
}

}  // namespace

bool HasOutcomeDefinitions(Instrument instrument) {
    switch (instrument) {
        case Instrument::kPhq9:
        case Instrument::kGad7:
        case Instrument::kMadrs:
        case Instrument::kQidsSr16:
        case Instrument::kHamd17:
        case Instrument::kPcl5:
            return true;
        case Instrument::kCssrsScreen:
        case Instrument::kCadss:
        case Instrument::kCadss6:
        case Instrument::kMoaas:
            return false;
    }
    return false;
}

Result<OutcomeLines> OutcomeLinesFor(Instrument instrument, int baseline_total, const ClinicSettings& settings) {
    RETURN_IF_ERROR(CheckBaseline(instrument, baseline_total));
    RemissionRule rule = RemissionRuleFor(instrument, settings);
    OutcomeLines lines;
    lines.instrument = instrument;
    lines.baseline_total = baseline_total;
    // Classify's response test, 2 * (baseline - total) >= baseline, holds exactly for total <= baseline / 2.
    lines.response_max_total = baseline_total / 2;
    lines.response_rule = std::string(kResponseRule);
    lines.remission_max_total = rule.strictly_below ? rule.threshold - 1 : rule.threshold;
    lines.remission_rule = std::move(rule.id);
    return lines;
}

std::optional<std::size_t> PreTreatmentBaselineIndex(std::span<const TimePoint> taken_at,
                                                     std::optional<TimePoint> first_dose_at) {
    std::optional<std::size_t> baseline;
    for (std::size_t i = 0; i < taken_at.size(); ++i) {
        if (first_dose_at && taken_at[i] >= *first_dose_at) {
            break;
        }
        baseline = i;
    }
    return baseline;
}

Result<Outcome> ClassifyOutcome(Instrument instrument, int baseline_total, int current_total,
                                const ClinicSettings& settings) {
    RETURN_IF_ERROR(CheckBaseline(instrument, baseline_total));
    RETURN_IF_ERROR(CheckTotal(Definition(instrument), "current_total", current_total));
    return Classify(instrument, baseline_total, current_total, settings);
}

Result<std::vector<ClassifiedPoint>> ClassifySeries(Instrument instrument, int baseline_total,
                                                    std::span<const DatedTotal> series,
                                                    const ClinicSettings& settings) {
    RETURN_IF_ERROR(CheckBaseline(instrument, baseline_total));
    const InstrumentDefinition& definition = Definition(instrument);
    std::vector<ClassifiedPoint> points;
    points.reserve(series.size());
    for (std::size_t i = 0; i < series.size(); ++i) {
        if (i > 0 && series[i].date < series[i - 1].date) {
            return InvalidArgument(Indexed(i, "date"), FormatDate(series[i].date) + " is before the previous point (" +
                                                           FormatDate(series[i - 1].date) +
                                                           "); give the series in date order");
        }
        RETURN_IF_ERROR(CheckTotal(definition, Indexed(i, "total"), series[i].total));
        points.push_back({series[i].date, Classify(instrument, baseline_total, series[i].total, settings)});
    }
    return points;
}

Result<std::optional<Relapse>> FindMadrsRelapse(std::span<const DatedTotal> series) {
    const InstrumentDefinition& madrs = Definition(Instrument::kMadrs);
    // Validate the whole series first so that bad input is never hidden behind an earlier relapse.
    for (std::size_t i = 0; i < series.size(); ++i) {
        if (i > 0 && series[i].date <= series[i - 1].date) {
            const bool duplicate = series[i].date == series[i - 1].date;
            return InvalidArgument(Indexed(i, "date"),
                                   FormatDate(series[i].date) + (duplicate ? " repeats" : " is before") +
                                       " the previous assessment's date (" + FormatDate(series[i - 1].date) +
                                       "); give one assessment per day in date order");
        }
        RETURN_IF_ERROR(CheckTotal(madrs, Indexed(i, "total"), series[i].total));
    }
    for (std::size_t i = 1; i < series.size(); ++i) {
        const DatedTotal& first = series[i - 1];
        const DatedTotal& second = series[i];
        const auto days_apart = (second.date - first.date).count();
        if (first.total >= kSustain1RelapseMadrsMin && second.total >= kSustain1RelapseMadrsMin &&
            days_apart >= kSustain1RelapseMinDaysApart && days_apart <= kSustain1RelapseMaxDaysApart) {
            return std::optional<Relapse>(Relapse{first, second, std::string(kSustain1RelapseRule)});
        }
    }
    return std::optional<Relapse>();
}

}  // namespace kclinic::clinical
