#pragma once

// Rating instruments used in a ketamine/esketamine clinic: their definitions (one data table), scoring, severity
// bands and alert flags. Sources are in clinical-reference §5.3, §5.4 and §6; the rule table is
// docs/clinical-rules.md ("Rating scales"). Pure functions; no state; safe to call from any thread.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

enum class Instrument {
    kPhq9,         // PHQ-9, self-report depression
    kGad7,         // GAD-7, self-report anxiety
    kMadrs,        // MADRS, clinician-rated depression (licensed: no item text)
    kQidsSr16,     // QIDS-SR16, self-report depression, 9 DSM domains
    kHamd17,       // HAM-D17, clinician-rated depression
    kPcl5,         // PCL-5, self-report PTSD symptoms
    kCssrsScreen,  // C-SSRS screener, suicide risk triage
    kCadss,        // CADSS, 23 subjective items as used in ketamine/esketamine trials (licensing unclear: no text)
    kCadss6,       // CADSS-6 short form (Rodrigues 2021)
    kMoaas,        // MOAA/S, single observer rating of sedation
};

// The CLI names, in enum order.
inline constexpr auto kInstrumentNames = MakeEnumNames<Instrument>({
    {Instrument::kPhq9, "phq9"},
    {Instrument::kGad7, "gad7"},
    {Instrument::kMadrs, "madrs"},
    {Instrument::kQidsSr16, "qids-sr16"},
    {Instrument::kHamd17, "hamd17"},
    {Instrument::kPcl5, "pcl5"},
    {Instrument::kCssrsScreen, "cssrs-screen"},
    {Instrument::kCadss, "cadss"},
    {Instrument::kCadss6, "cadss6"},
    {Instrument::kMoaas, "moaas"},
});
[[nodiscard]] constexpr std::string_view InstrumentName(Instrument instrument) {
    return kInstrumentNames.Name(instrument);
}
// The inverse of InstrumentName (exact, case-sensitive). Error: kInvalidArgument on field "instrument":
// `unknown instrument "<name>"; expected one of phq9, gad7, ...`.
[[nodiscard]] Result<Instrument> ParseInstrument(std::string_view name);
// Every instrument, in enum order.
[[nodiscard]] std::span<const Instrument> AllInstruments();

// Who gives an instrument's answers, as its own publication designs it (the `rater_source` of each definition).
enum class Rater {
    kPatient,             // a patient questionnaire: the patient answers it themselves (PHQ-9, GAD-7, QIDS-SR16, PCL-5)
    kClinician,           // rated by a clinician from an interview or by observation (MADRS, HAM-D17, CADSS, MOAA/S)
    kClinicianOrPatient,  // published in both forms, the risk it finds is the clinician's to act on (C-SSRS screener)
};
inline constexpr auto kRaterNames = MakeEnumNames<Rater>({{Rater::kPatient, "patient"},
                                                          {Rater::kClinician, "clinician"},
                                                          {Rater::kClinicianOrPatient, "clinician_or_patient"}});
[[nodiscard]] constexpr std::string_view RaterName(Rater rater) {
    return kRaterNames.Name(rater);
}

// One item of an instrument, in the order answers are given.
struct ItemDefinition {
    int number = 0;          // item number on the original instrument (CADSS-6: the original CADSS number)
    int min = 0;             // lowest allowed answer
    int max = 0;             // highest allowed answer
    std::string_view topic;  // paraphrased topic; empty for licensed scales (MADRS, CADSS) and PCL-5
    std::string_view loinc;  // LOINC item code where the reference verifies it; empty otherwise
};

// One instrument as published. Static data: the spans point into tables that live for the whole program.
struct InstrumentDefinition {
    Instrument instrument = Instrument::kPhq9;
    std::string_view title;                 // human-readable title
    std::string_view source;                // citation for items, scoring and bands
    std::string_view licensing;             // what may be shown or shipped
    Rater rater = Rater::kClinician;        // who answers it
    std::string_view rater_source;          // the publication that says who answers it
    std::span<const ItemDefinition> items;  // answers are given in this order; items.size() is the item count
    int total_min = 0;                      // range of ScaleResult::total
    int total_max = 0;
    std::span<const std::string_view> bands;  // every band Score can return, least to most severe
    std::string_view loinc_panel;             // empty where no verified code exists
    std::string_view loinc_total;             // LOINC of the total score; empty where none is verified
    std::string_view loinc_band;              // LOINC of a categorical result (C-SSRS risk level); empty otherwise
    std::string_view loinc_note;              // caveat about the codes above; empty when none
};

// The definition of `instrument`. Never fails: every enumerator has one.
[[nodiscard]] const InstrumentDefinition& Definition(Instrument instrument);

// Flag names Score can raise (machine-facing, stable).
inline constexpr std::string_view kFlagSuicidality = "suicidality";
inline constexpr std::string_view kFlagDissociation = "dissociation";
inline constexpr std::string_view kFlagSedation = "sedation";
inline constexpr std::string_view kFlagLossOfConsciousness = "loss_of_consciousness";
inline constexpr std::string_view kFlagDsm5ClusterCriteriaMet = "dsm5_cluster_criteria_met";
inline constexpr std::string_view kFlagProbableMajorDepression = "probable_major_depression";
inline constexpr std::string_view kFlagProbableGad = "probable_gad";

// A part score: a QIDS-SR16 DSM domain or a PCL-5 DSM-5 symptom cluster.
struct SubscaleScore {
    std::string name;        // QIDS-SR16: "sleep", "sad_mood", ...; PCL-5: "b_intrusions", "c_avoidance", ...
    std::vector<int> items;  // 1-based item numbers it draws on
    int score = 0;           // QIDS-SR16: the domain value (a max or a single item); PCL-5: the sum of its items
    int max_score = 0;
};

// PCL-5 DSM-5 symptom-cluster rule (VA NCPTSD): an item rated >= 2 counts as endorsed; the rule is met with
// >= 1 B, >= 1 C, >= 2 D and >= 2 E items endorsed.
struct Pcl5ClusterRule {
    int b_endorsed = 0;  // items 1-5
    int c_endorsed = 0;  // items 6-7
    int d_endorsed = 0;  // items 8-14
    int e_endorsed = 0;  // items 15-20
    bool met = false;
};

// PHQ-9 diagnostic algorithm (Kroenke 2001): a symptom is present when rated >= 2 ("more than half the days"),
// item 9 when rated >= 1.
enum class Phq9Syndrome {
    kNone,
    kOtherDepressive,  // 2-4 symptoms present, item 1 or 2 among them
    kMajorDepressive,  // >= 5 symptoms present, item 1 or 2 among them
};
inline constexpr auto kPhq9SyndromeNames =
    MakeEnumNames<Phq9Syndrome>({{Phq9Syndrome::kNone, "none"},
                                 {Phq9Syndrome::kOtherDepressive, "other_depressive_syndrome"},
                                 {Phq9Syndrome::kMajorDepressive, "major_depressive_syndrome"}});
[[nodiscard]] constexpr std::string_view Phq9SyndromeName(Phq9Syndrome syndrome) {
    return kPhq9SyndromeNames.Name(syndrome);
}

struct ScaleResult {
    Instrument instrument = Instrument::kPhq9;
    std::vector<int> answers;        // copy of the answers, in item order
    int total = 0;                   // C-SSRS: the number of yes answers; MOAA/S: the rating itself
    std::string band;                // one of Definition(instrument).bands
    std::string band_rule;           // which band definition produced `band` (e.g. "snaith_1986", "pcl5_total>=33")
    std::vector<std::string> flags;  // k-Flag names above, in a fixed order; empty when none applies
    std::vector<SubscaleScore> subscales;              // QIDS-SR16 domains and PCL-5 clusters; empty otherwise
    std::optional<Pcl5ClusterRule> pcl5_cluster_rule;  // PCL-5 only
    std::optional<Phq9Syndrome> phq9_syndrome;         // PHQ-9 only
};

// Scores one administration. `answers` are in item order (Definition(instrument).items); the PHQ-9 and GAD-7
// unscored difficulty items are not answers. C-SSRS screener: seven 0/1 answers, Q1..Q6 then "Q6 within the
// past 3 months". CADSS-6: six answers for original CADSS items 1, 2, 6, 7, 15, 22. MOAA/S: one answer 0-5.
// PRECONDITION: `settings` holds values inside the bounds SetSetting enforces.
// Errors (all name the field):
//   kInvalidArgument "answers": wrong number of answers ("phq9 expects 9 answers (got 8)").
//   kOutOfRange "answers[N]" (N = 1-based position; CADSS-6 names the original item in the message): an answer
//     outside its item's range.
//   kInvalidArgument "answers[N]": a C-SSRS answer the screener's skip logic cannot produce (Q3-Q5 yes after
//     Q2 no; "within 3 months" yes after Q6 no).
[[nodiscard]] Result<ScaleResult> Score(Instrument instrument, std::span<const int> answers,
                                        const ScaleSettings& settings);

// Whether a patient may answer `instrument` themselves in the portal: its rater is kPatient, or it is the C-SSRS
// screener while settings.cssrs_screen_self_report is kPatientAllowed (the first rule of CheckSelfReport).
[[nodiscard]] bool PatientMayAnswer(Instrument instrument, const ScaleSettings& settings);

// Whether a patient may record `instrument` themselves (the portal's questionnaires), answered at `assessed_at` and
// recorded at `now`. A patient records only instruments whose rater is kPatient, and the C-SSRS screener only when
// settings.scales.cssrs_screen_self_report is kPatientAllowed. A patient's answers are dated when they are given:
// `assessed_at` goes through CheckEntryTime (nothing in the future beyond records.clock_skew_minutes) and may lie at
// most records.clock_skew_minutes before now, since a patient documents nothing late (a late entry is staff
// documentation, CMS PIM 100-08 §3.3.2.5). Errors (docs/clinical-rules.md, "Who records what"):
//   kPermissionDenied "instrument": a clinician-rated instrument, or the C-SSRS screener while the clinic keeps it
//     clinician-only ("madrs is rated by a clinician; a patient records only ...").
//   kInvalidArgument "assessed_at": later than the skew allowance (CheckEntryTime's message) or earlier than it.
[[nodiscard]] Status CheckSelfReport(Instrument instrument, TimePoint assessed_at, TimePoint now,
                                     const ClinicSettings& settings);

// The esketamine-trial CADSS rule for one session (clinical-reference §5.4): dissociation when the post-dose
// total is above settings.cadss_dissociation_above AND above the pre-dose total. Score sees a single
// administration and applies only the first half. Error: kOutOfRange "pre_dose_total" / "post_dose_total"
// outside 0-92.
[[nodiscard]] Result<bool> CadssDissociationFromPreDose(int pre_dose_total, int post_dose_total,
                                                        const ScaleSettings& settings);

}  // namespace kclinic::clinical
