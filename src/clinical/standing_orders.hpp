#pragma once

// Standing orders and PRN doses (issue 14 §1). A standing-order set is the medical director's signed list of drugs a
// nurse may give as needed during a session (an antiemetic for nausea, an antihypertensive when the systolic BP stays
// high); a one-off order is a prescriber's order for one session. A PRN dose is given under one of them, and the rules
// here decide whether it may be: the order's drug, route, unit, indication and dose, the per-session limits, the
// minimum interval and the blood-pressure condition, then the patient's medication list and allergies. Pure: the use
// case gathers the order, the session's earlier doses and readings and the patient's lists. docs/clinical-rules.md
// ("Standing orders and PRN doses") lists each rule with its source.
//
// A refusal is an Error whose message starts with the rule's id ("prn.max_doses: ...") and ends with its source
// ("Source: ..."), so that a nurse sees which rule stopped the dose and why.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "clinical/administration.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

// The dose may be given only while the systolic BP has stayed at or above `systolic_at_or_above_mmhg` for at least
// `sustained_minutes` (a labetalol or clonidine entry).
struct SbpCondition {
    int systolic_at_or_above_mmhg = 0;  // kSbpConditionMin..kSbpConditionMax
    int sustained_minutes = 0;          // 0..kSbpConditionMaxMinutes
};

// Bounds of an order's terms. The BP bounds keep a threshold between the label's pre-dose caution (140 mmHg) and the
// hypertensive-urgency range, so that no signed order treats a normal BP or waits for a crisis [PRACTICE].
inline constexpr int kSbpConditionMin = 140;
inline constexpr int kSbpConditionMax = 220;
inline constexpr int kSbpConditionMaxMinutes = 60;
inline constexpr int kMaxDosesPerSessionLimit = 10;
inline constexpr int kMaxIntervalMinutes = 24 * 60;
inline constexpr std::size_t kMaxEntriesPerSet = 50;

// What a standing-order entry or a one-off order allows.
struct PrnOrderTerms {
    std::string drug;  // generic name the drug dictionary knows; never a ketamine-family drug
    double dose = 0;   // the most one dose may be, in `unit`; > 0
    MedicationUnit unit = MedicationUnit::kMg;
    std::vector<MedicationRoute> routes;  // at least one, no repeats
    std::string indication;               // 1-200 characters: "nausea", "SBP above threshold"
    std::optional<SbpCondition> sbp_condition;
    int max_doses_per_session = 1;                // 1..kMaxDosesPerSessionLimit
    std::optional<double> max_total_per_session;  // in `unit`; from dose to dose x max_doses_per_session
    int min_interval_minutes = 0;                 // between two doses of this order; 0..kMaxIntervalMinutes
};

// OK when every term is within its bounds and the drug is one the dictionary knows (DrugComponents all recognised,
// UnrecognisedComponents empty) and no ketamine-family drug (CheckSessionMedicationDrug). Errors: kInvalidArgument or
// kOutOfRange naming `prefix` + the field ("entries[2].dose"; the bare field when prefix is empty).
[[nodiscard]] Status ValidatePrnOrderTerms(const PrnOrderTerms& terms, std::string_view prefix = {});

// A dose a nurse means to give under an order.
struct PrnDoseRequest {
    double dose = 0;
    MedicationUnit unit = MedicationUnit::kMg;
    MedicationRoute route = MedicationRoute::kIv;
    std::string indication;
    TimePoint given_at;
};

// A dose given earlier in the same session under the same order (not another order of the same drug).
struct EarlierPrnDose {
    TimePoint given_at;
    double dose = 0;
};

// A systolic BP observed in the session (a valid blood-pressure reading).
struct SystolicReading {
    TimePoint observed_at;
    double systolic_mmhg = 0;
};

// Whether `request` may be given under `terms`, checked in this order; the first rule broken refuses:
// prn.dose (kInvalidArgument "dose": not above 0), prn.unit (kInvalidArgument "unit": not the order's),
// prn.route (kInvalidArgument "route": not one of the order's), prn.indication (kInvalidArgument "indication": not
// the order's, compared without regard to case or surrounding spaces), prn.dose_above_order (kOutOfRange "dose":
// more than the order's dose), prn.max_doses (kFailedPrecondition "order": `earlier` already holds
// max_doses_per_session doses), prn.max_total (kFailedPrecondition "dose": the session's total under the order would
// exceed max_total_per_session), prn.min_interval (kFailedPrecondition "given_at": less than min_interval_minutes
// after the latest earlier dose at or before given_at, or an earlier dose recorded after given_at within the interval),
// prn.sbp_condition (kFailedPrecondition "sbp_condition": the readings at or before given_at do not show the systolic
// at or above the threshold for the sustained minutes; see SbpConditionMet). `earlier` and `readings` in any order.
[[nodiscard]] Status CheckPrnDose(const PrnOrderTerms& terms, const PrnDoseRequest& request,
                                  std::span<const EarlierPrnDose> earlier, std::span<const SystolicReading> readings);

// Whether the readings up to `at` show the systolic at or above condition.systolic_at_or_above_mmhg without a break
// for at least condition.sustained_minutes: the latest reading at or before `at` is at or above the threshold, and the
// run of readings at or above it that ends there began at least sustained_minutes before that latest reading. No
// reading: not met.
[[nodiscard]] bool SbpConditionMet(const SbpCondition& condition, std::span<const SystolicReading> readings,
                                   TimePoint at);

// One reason the patient's record speaks against a PRN drug.
struct PrnInteraction {
    std::string rule_id;  // prn.allergy, prn.duplicate_therapy, prn.cns_depressant
    std::string message;  // names the drug and the entry of the record
    std::string source;
};

// What the patient's record says against giving `drug`, in this order: prn.allergy (an ingredient of the drug is an
// ingredient of a recorded allergy, names read through DrugComponents), prn.duplicate_therapy (the patient already
// takes an ingredient of the drug), prn.cns_depressant (the drug and a current medication are both CNS depressants:
// benzodiazepine, Z-drug, opioid or other, the classes of medications.hpp). Empty when nothing speaks against it.
[[nodiscard]] std::vector<PrnInteraction> PrnInteractions(std::string_view drug,
                                                          std::span<const std::string> current_medications,
                                                          std::span<const std::string> allergies);

// The refusal for the first of `interactions` (PRECONDITION: not empty): kFailedPrecondition "drug", its rule id,
// message and source, and how many more there are. A standing order covers no dose the record speaks against; a
// prescriber's one-off order that acknowledges them does.
[[nodiscard]] Error InteractionRefusal(std::span<const PrnInteraction> interactions);

// A rule of this file, for docs/clinical-rules.md and the refusals' messages.
struct PrnRule {
    std::string_view id;
    std::string_view source;
};
[[nodiscard]] std::span<const PrnRule> PrnRules();

}  // namespace kclinic::clinical
