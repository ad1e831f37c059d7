#pragma once

// Treatment outcomes computed from a patient's rating-scale totals: response, partial response and remission
// against a baseline (clinical-reference §1.2), and SUSTAIN-1 relapse over a dated MADRS series (§1.3). Every
// result records the rule that produced it, because the sources conflict (MADRS remission <=10 vs <=12). Pure
// functions; safe to call from any thread.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/scales.hpp"
#include "clinical/settings.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

enum class ResponseCategory {
    kResponse,         // reduction from baseline >= 50%
    kPartialResponse,  // reduction 25-49% [PRACTICE]
    kNoResponse,       // reduction < 25%, no change, or worsening
};
inline constexpr auto kResponseCategoryNames =
    MakeEnumNames<ResponseCategory>({{ResponseCategory::kResponse, "response"},
                                     {ResponseCategory::kPartialResponse, "partial_response"},
                                     {ResponseCategory::kNoResponse, "no_response"}});
[[nodiscard]] constexpr std::string_view ResponseCategoryName(ResponseCategory category) {
    return kResponseCategoryNames.Name(category);
}

// Rule id stored with every response classification.
inline constexpr std::string_view kResponseRule = "reduction>=50%;partial>=25%";

struct Outcome {
    Instrument instrument = Instrument::kMadrs;
    int baseline_total = 0;
    int current_total = 0;
    int change_points = 0;         // baseline_total - current_total; negative when worse
    double reduction_percent = 0;  // 100 * change_points / baseline_total; negative when worse
    ResponseCategory response = ResponseCategory::kNoResponse;
    std::string response_rule;   // kResponseRule
    bool remission = false;      // current_total meets the instrument's remission rule
    std::string remission_rule;  // e.g. "madrs_total<=12", "pcl5_total<33"
    // PCL-5 only (VA NCPTSD): a drop of >= 5 points is reliable change, >= 10 clinically meaningful change.
    std::optional<bool> reliable_change;
    std::optional<bool> clinically_meaningful_change;
};

// True for the instruments ClassifyOutcome accepts: phq9, gad7, madrs, qids-sr16, hamd17, pcl5.
[[nodiscard]] bool HasOutcomeDefinitions(Instrument instrument);

// Classifies `current_total` against `baseline_total` (both totals of `instrument`, as Score returns them).
// Remission: MADRS <= settings.outcomes.madrs_remission_max; HAM-D17 <= 7; QIDS-SR16 <= 5; PHQ-9 <= 4;
// GAD-7 <= 4; PCL-5 < settings.scales.pcl5_provisional_ptsd_min.
// PRECONDITION: `settings` holds values inside the bounds SetSetting enforces.
// Errors: kInvalidArgument "instrument" for an instrument without outcome definitions (cssrs-screen, cadss,
// cadss6, moaas); kOutOfRange "baseline_total" outside 1 to the instrument's maximum total (a baseline of 0 has
// no percentage reduction) and "current_total" outside the instrument's total range.
[[nodiscard]] Result<Outcome> ClassifyOutcome(Instrument instrument, int baseline_total, int current_total,
                                              const ClinicSettings& settings);

// The lines a chart of one instrument's totals draws, exactly where ClassifyOutcome puts them: a total at or below
// `response_max_total` is a response against `baseline_total` (a reduction of at least 50 %: half the baseline,
// rounded down), and one at or below `remission_max_total` is remission (PCL-5's "< cut-off" as "<= cut-off - 1").
struct OutcomeLines {
    Instrument instrument = Instrument::kPhq9;
    int baseline_total = 0;
    int response_max_total = 0;
    std::string response_rule;  // kResponseRule
    int remission_max_total = 0;
    std::string remission_rule;  // as Outcome::remission_rule
};

// Errors: as ClassifyOutcome, for the instrument and the baseline.
[[nodiscard]] Result<OutcomeLines> OutcomeLinesFor(Instrument instrument, int baseline_total,
                                                   const ClinicSettings& settings);

// The pre-treatment baseline of one instrument's totals (clinical-reference §1.2: response is relative to "the score
// recorded before the first infusion/first esketamine dose"): the index of the latest total taken strictly before
// `first_dose_at`; while no dose has been given (`first_dose_at` nullopt) every total is pre-treatment and the latest
// is the baseline. std::nullopt when `taken_at` is empty or every total was taken at or after the first dose: with
// no pre-treatment score there is no baseline to measure response from, and none is guessed. `taken_at` is in time
// order (not decreasing); of totals taken at one instant the later in the series counts.
[[nodiscard]] std::optional<std::size_t> PreTreatmentBaselineIndex(std::span<const TimePoint> taken_at,
                                                                   std::optional<TimePoint> first_dose_at);

// A total of one instrument on one day.
struct DatedTotal {
    std::chrono::sys_days date;
    int total = 0;
};

struct ClassifiedPoint {
    std::chrono::sys_days date;
    Outcome outcome;
};

// ClassifyOutcome for each point of `series` against one baseline, in the input order (for the patient chart
// and cohort analytics). Dates must not decrease; the same date may repeat (two ratings on one day). An empty
// series gives an empty vector.
// Errors: as ClassifyOutcome, for the instrument and the baseline; kOutOfRange "series[N].total" and
// kInvalidArgument "series[N].date" (before the previous point's date), N 1-based.
[[nodiscard]] Result<std::vector<ClassifiedPoint>> ClassifySeries(Instrument instrument, int baseline_total,
                                                                  std::span<const DatedTotal> series,
                                                                  const ClinicSettings& settings);

// SUSTAIN-1 relapse (Daly et al., JAMA Psychiatry 2019;76(9):893-903, PMC6551577) [TRIAL]: MADRS >= 22 on two
// consecutive assessments 5-15 days apart; the date of the second is the relapse date. Trial definitions, not
// clinic settings. The trial's other relapse events (hospitalization, suicide attempt) are not scores and are
// outside this function.
inline constexpr int kSustain1RelapseMadrsMin = 22;
inline constexpr int kSustain1RelapseMinDaysApart = 5;
inline constexpr int kSustain1RelapseMaxDaysApart = 15;
inline constexpr std::string_view kSustain1RelapseRule = "sustain1_madrs>=22_twice_5-15_days_apart";

struct Relapse {
    DatedTotal first;   // the first of the two qualifying assessments
    DatedTotal second;  // its date is the relapse date
    std::string rule;   // kSustain1RelapseRule
};

// The earliest SUSTAIN-1 relapse in a MADRS series, or std::nullopt when none. "Consecutive" means adjacent in
// `series`: a lower score between two high ones breaks the pair.
// Errors (N 1-based): kInvalidArgument "series[N].date" when a date is not after the previous one (unsorted or
// duplicate); kOutOfRange "series[N].total" outside 0-60.
[[nodiscard]] Result<std::optional<Relapse>> FindMadrsRelapse(std::span<const DatedTotal> series);

}  // namespace kclinic::clinical
