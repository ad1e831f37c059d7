#pragma once

// Adverse-event logging: the fixed list of terms a clinic logs (clinical-reference §8.3, built on the label tables
// of §8.1-8.2), and the scales each event is described with: severity by NCI CTCAE v5.0 grade, causality by the
// WHO-UMC system, seriousness by the FDA criteria of 21 CFR 312.32(a), the action taken (§8.3 "Interventions") and
// the outcome (ICH E2B(R3) data element E.i.7). Every enum has a stable text name that storage and JSON use.
// Pure: the caller passes the time in.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

// The §8.3 row a term belongs to.
enum class AdverseEventCategory {
    kRemsReportable,    // Spravato REMS: sedation, dissociation, respiratory depression, abuse/misuse, serious AEs
    kVitalSign,         // vital-sign events (§5)
    kNeuroPsychiatric,  // labels, trials
    kSomatic,           // labels
    kLongerTerm,        // labels, APA consensus
};

inline constexpr auto kAdverseEventCategoryNames =
    MakeEnumNames<AdverseEventCategory>({{AdverseEventCategory::kRemsReportable, "rems_reportable"},
                                         {AdverseEventCategory::kVitalSign, "vital_sign"},
                                         {AdverseEventCategory::kNeuroPsychiatric, "neuro_psychiatric"},
                                         {AdverseEventCategory::kSomatic, "somatic"},
                                         {AdverseEventCategory::kLongerTerm, "longer_term"}});
[[nodiscard]] constexpr std::string_view AdverseEventCategoryName(AdverseEventCategory category) {
    return kAdverseEventCategoryNames.Name(category);
}

struct AdverseEventTerm {
    std::string_view code;   // stable snake_case, e.g. "respiratory_depression"
    std::string_view label;  // for display, e.g. "Respiratory depression"
    AdverseEventCategory category = AdverseEventCategory::kSomatic;
    // The Spravato REMS asks for this term to be reported whatever its seriousness (clinical-reference §3.8).
    bool rems_reportable = false;
    std::string_view source;  // where the term comes from, with clinical-reference's tag
};

// A serious adverse event that no other term describes; it needs a seriousness criterion and a detail text.
inline constexpr std::string_view kOtherSeriousTerm = "other_serious";

// Every term, in the order of clinical-reference §8.3, then "other_serious".
[[nodiscard]] std::span<const AdverseEventTerm> AdverseEventTerms();
// The term with `code`, or nullopt for a code not on the list.
[[nodiscard]] std::optional<AdverseEventTerm> FindAdverseEventTerm(std::string_view code);

// NCI CTCAE v5.0 severity grades (public domain): 1 mild, 2 moderate, 3 severe or medically significant but not
// immediately life-threatening, 4 life-threatening consequences, 5 death related to the adverse event.
inline constexpr int kMinAdverseEventGrade = 1;
inline constexpr int kMaxAdverseEventGrade = 5;

// WHO-UMC causality categories ("The use of the WHO-UMC system for standardised case causality assessment",
// Uppsala Monitoring Centre). The system has six categories and no "not related": "unlikely" is its lowest
// assessable one.
enum class Relatedness {
    kCertain,
    kProbable,  // "probable/likely"
    kPossible,
    kUnlikely,
    kConditional,   // "conditional/unclassified": more data needed or under examination
    kUnassessable,  // "unassessable/unclassifiable": information insufficient or contradictory
};

inline constexpr auto kRelatednessNames = MakeEnumNames<Relatedness>({
    {Relatedness::kCertain, "certain"},
    {Relatedness::kProbable, "probable"},
    {Relatedness::kPossible, "possible"},
    {Relatedness::kUnlikely, "unlikely"},
    {Relatedness::kConditional, "conditional"},
    {Relatedness::kUnassessable, "unassessable"},
});
[[nodiscard]] constexpr std::string_view RelatednessName(Relatedness relatedness) {
    return kRelatednessNames.Name(relatedness);
}
// Inverse of RelatednessName (exact). Error kInvalidArgument on field "relatedness" listing the names.
[[nodiscard]] Result<Relatedness> ParseRelatedness(std::string_view name);
[[nodiscard]] std::span<const Relatedness> AllRelatedness();

// The outcome of the event at the last observation: ICH E2B(R3) E.i.7. "fatal" is for a death the event caused or
// contributed to; a death from another cause is not recorded here.
enum class AdverseEventOutcome {
    kRecovered,              // recovered/resolved
    kRecovering,             // recovering/resolving
    kNotRecovered,           // not recovered/not resolved/ongoing
    kRecoveredWithSequelae,  // recovered/resolved with sequelae
    kFatal,
    kUnknown,
};

inline constexpr auto kAdverseEventOutcomeNames = MakeEnumNames<AdverseEventOutcome>({
    {AdverseEventOutcome::kRecovered, "recovered"},
    {AdverseEventOutcome::kRecovering, "recovering"},
    {AdverseEventOutcome::kNotRecovered, "not_recovered"},
    {AdverseEventOutcome::kRecoveredWithSequelae, "recovered_with_sequelae"},
    {AdverseEventOutcome::kFatal, "fatal"},
    {AdverseEventOutcome::kUnknown, "unknown"},
});
[[nodiscard]] constexpr std::string_view AdverseEventOutcomeName(AdverseEventOutcome outcome) {
    return kAdverseEventOutcomeNames.Name(outcome);
}
// Inverse of AdverseEventOutcomeName. Error kInvalidArgument on field "outcome" listing the names.
[[nodiscard]] Result<AdverseEventOutcome> ParseAdverseEventOutcome(std::string_view name);
[[nodiscard]] std::span<const AdverseEventOutcome> AllAdverseEventOutcomes();

// What was done about the event: clinical-reference §8.3 "Interventions" [PRACTICE], supplemental oxygen from its
// vital-sign row, and holding or stopping the treatment course.
enum class AdverseEventAction {
    kNone,
    kInfusionPaused,
    kInfusionStopped,
    kDoseReduced,
    kPrnDrugGiven,  // antiemetic, antihypertensive, benzodiazepine
    kExtendedObservation,
    kSupplementalOxygen,
    kEmsEdTransfer,
    kCourseHeld,
    kCourseStopped,
};

inline constexpr auto kAdverseEventActionNames = MakeEnumNames<AdverseEventAction>({
    {AdverseEventAction::kNone, "none"},
    {AdverseEventAction::kInfusionPaused, "infusion_paused"},
    {AdverseEventAction::kInfusionStopped, "infusion_stopped"},
    {AdverseEventAction::kDoseReduced, "dose_reduced"},
    {AdverseEventAction::kPrnDrugGiven, "prn_drug_given"},
    {AdverseEventAction::kExtendedObservation, "extended_observation"},
    {AdverseEventAction::kSupplementalOxygen, "supplemental_oxygen"},
    {AdverseEventAction::kEmsEdTransfer, "ems_ed_transfer"},
    {AdverseEventAction::kCourseHeld, "course_held"},
    {AdverseEventAction::kCourseStopped, "course_stopped"},
});
[[nodiscard]] constexpr std::string_view AdverseEventActionName(AdverseEventAction action) {
    return kAdverseEventActionNames.Name(action);
}
// Inverse of AdverseEventActionName. Error kInvalidArgument on field "actions" listing the names.
[[nodiscard]] Result<AdverseEventAction> ParseAdverseEventAction(std::string_view name);
[[nodiscard]] std::span<const AdverseEventAction> AllAdverseEventActions();

// The serious criteria of 21 CFR 312.32(a): an event is serious when any applies.
enum class SeriousCriterion {
    kDeath,
    kLifeThreatening,        // an immediate risk of death as it occurred
    kHospitalization,        // inpatient hospitalization or prolongation of an existing one
    kDisability,             // persistent or significant incapacity or substantial disruption of normal life
    kCongenitalAnomaly,      // congenital anomaly/birth defect
    kImportantMedicalEvent,  // may jeopardize the patient and need intervention to prevent one of the above
};

inline constexpr auto kSeriousCriterionNames = MakeEnumNames<SeriousCriterion>({
    {SeriousCriterion::kDeath, "death"},
    {SeriousCriterion::kLifeThreatening, "life_threatening"},
    {SeriousCriterion::kHospitalization, "hospitalization"},
    {SeriousCriterion::kDisability, "disability"},
    {SeriousCriterion::kCongenitalAnomaly, "congenital_anomaly"},
    {SeriousCriterion::kImportantMedicalEvent, "important_medical_event"},
});
[[nodiscard]] constexpr std::string_view SeriousCriterionName(SeriousCriterion criterion) {
    return kSeriousCriterionNames.Name(criterion);
}
// Inverse of SeriousCriterionName. Error kInvalidArgument on field "serious_criteria" listing the names.
[[nodiscard]] Result<SeriousCriterion> ParseSeriousCriterion(std::string_view name);
[[nodiscard]] std::span<const SeriousCriterion> AllSeriousCriteria();

// One adverse event as the clinician describes it.
struct AdverseEventReport {
    std::string term;    // a code of AdverseEventTerms()
    std::string detail;  // free text; required for "other_serious"
    int grade = kMinAdverseEventGrade;
    TimePoint onset_at;
    std::optional<TimePoint> resolved_at;  // absent while the event has not resolved
    AdverseEventOutcome outcome = AdverseEventOutcome::kUnknown;
    std::vector<AdverseEventAction> actions;  // at least one; kNone alone when nothing was done
    Relatedness relatedness = Relatedness::kUnassessable;
    std::vector<SeriousCriterion> serious_criteria;  // empty: not serious
};

// 21 CFR 312.32(a): serious when any criterion applies.
[[nodiscard]] bool IsSerious(const AdverseEventReport& report);
// Reportable under the Spravato REMS for an esketamine patient: a REMS term (sedation, dissociation, respiratory
// depression, abuse/misuse) or any serious event (clinical-reference §3.8). False for an unknown term that is not
// serious.
[[nodiscard]] bool IsRemsReportable(const AdverseEventReport& report);

// OK when `report` is a coherent adverse event at `now`. The first check that fails is returned, in this order,
// each naming its field:
//   "term"             kInvalidArgument: not on the list (the message lists the codes)
//   "grade"            kOutOfRange: outside 1-5
//   "onset_at"         kInvalidArgument: after now
//   "resolved_at"      kInvalidArgument: before onset_at or after now; given while the outcome is neither recovered
//                      nor recovered with sequelae; missing when it is one of those
//   "outcome"          kInvalidArgument: grade 5 without the outcome fatal, or fatal below grade 5
//   "actions"          kInvalidArgument: none given, one given twice, or "none" beside another action
//   "serious_criteria" kInvalidArgument: one given twice; grade 5 without "death", or "death" below grade 5;
//                      "other_serious" without any criterion
//   "detail"           kInvalidArgument: blank for "other_serious"
[[nodiscard]] Status CheckAdverseEvent(const AdverseEventReport& report, TimePoint now);

}  // namespace kclinic::clinical
