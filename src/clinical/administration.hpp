#pragma once

// What may be given in a treatment session and how an IV infusion ends. Pure: the caller gathers the order and the
// administration from the record and passes every time in. docs/clinical-rules.md ("Administrations") lists each
// rule with its source.
//
// - Only the session's ordered drug, by the ordered route, is an administration against the dose order and counts
//   toward its total: racemic ketamine for the iv, im, oral and sublingual routes, esketamine for the nasal route
//   (the order's route decides the drug; clinical-reference §2 and §3).
// - Every other medication given during a session (an antiemetic, a benzodiazepine, an antihypertensive) is a
//   session medication: its own record, never added to the ordered total; a ketamine-family drug is never one.
// - An IV infusion ends with its own step: the actual end time and the amount actually given. An infusion that ran
//   at more than twice the ordered rate is refused unless a prescriber gives a reason (clinic policy: the studied
//   infusion is 0.5 mg/kg over 40 minutes, APA consensus, Sanacora 2017; the bound of twice the rate is ours). An
//   infusion stopped before its whole dose was given says why (InfusionStopReason): the record must show whether
//   the patient had a reaction, asked to stop, or the line failed (issue 15 §7).

#include <optional>
#include <string>
#include <string_view>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

// The generic name of the drug an order by `route` is for: "esketamine" for kEsketamineNasal, "ketamine" (racemic)
// for every other route.
[[nodiscard]] std::string_view OrderedDrug(Route route);

// OK when `drug`, compared without regard to case or surrounding spaces, is OrderedDrug(route). Error
// kInvalidArgument "drug" naming the ordered drug and the rule (the other drug never counts toward the order).
[[nodiscard]] Status CheckOrderedDrug(Route route, std::string_view drug);

// Clinic policy [PRACTICE]: an infusion whose amount given took less than this fraction of the time the ordered rate
// needs for it (i.e. ran faster than twice the ordered rate) needs a prescriber's reason. The 40-minute infusion is
// the studied one (APA consensus, Sanacora 2017); no source sets a tolerance, so the bound is ours.
inline constexpr double kFastInfusionFraction = 0.5;

// Why an infusion stopped before its whole dose was given. Clinic policy [PRACTICE]: the reasons a ketamine infusion
// is commonly stopped early; an adverse reaction is also recorded as an adverse event (docs/clinical-rules.md).
enum class InfusionStopReason { kAdverseReaction, kPatientRequest, kIvAccessProblem, kClinicianDecision, kOther };
inline constexpr auto kInfusionStopReasonNames =
    MakeEnumNames<InfusionStopReason>({{InfusionStopReason::kAdverseReaction, "adverse_reaction"},
                                       {InfusionStopReason::kPatientRequest, "patient_request"},
                                       {InfusionStopReason::kIvAccessProblem, "iv_access_problem"},
                                       {InfusionStopReason::kClinicianDecision, "clinician_decision"},
                                       {InfusionStopReason::kOther, "other"}});

// What the stop of one IV infusion is judged on.
struct InfusionStopFacts {
    double order_total_mg = 0;                      // the signed order's total
    double order_minutes = 0;                       // the signed order's infusion minutes
    std::optional<double> concentration_mg_per_ml;  // the order's vial concentration, when given
    double administration_mg = 0;                   // the infusion's dose_mg as recorded when it started
    TimePoint started_at;
    TimePoint stopped_at;                                 // the actual end
    double given_mg = 0;                                  // the amount actually given
    std::optional<std::string> fast_infusion_reason;      // a prescriber's reason for a faster infusion
    std::optional<InfusionStopReason> early_stop_reason;  // why less than administration_mg was given
};

// The stop as recorded: the amount given (with its volume when the concentration is known, rounded to 0.01 mL), how
// long the infusion ran, how long the ordered rate needs for that amount, and whether it ran faster than the bound.
struct InfusionStopAssessment {
    std::optional<double> given_ml;
    double actual_minutes = 0;
    double ordered_rate_minutes = 0;
    bool faster_than_ordered = false;
};

// Errors: kInvalidArgument "stopped_at" before started_at; kOutOfRange "given_mg" outside [0, administration_mg]
// (the pump cannot have given more than the infusion held); kFailedPrecondition "stopped_at" when the infusion ran
// in less than kFastInfusionFraction of the time the ordered rate needs for given_mg and no fast_infusion_reason is
// given (blank counts as none); kFailedPrecondition "early_stop_reason" when given_mg is below administration_mg and
// no early_stop_reason is given, kInvalidArgument "early_stop_reason" when one is given for the whole dose.
// PRECONDITION: order_total_mg > 0 and order_minutes > 0 (an order ComputeDose accepted).
[[nodiscard]] Result<InfusionStopAssessment> AssessInfusionStop(const InfusionStopFacts& facts);

// Session medications: the units and routes they are recorded in, and under which kind of order they were given.
enum class MedicationUnit { kMg, kMcg, kG, kMl, kUnits };
inline constexpr auto kMedicationUnitNames = MakeEnumNames<MedicationUnit>({{MedicationUnit::kMg, "mg"},
                                                                            {MedicationUnit::kMcg, "mcg"},
                                                                            {MedicationUnit::kG, "g"},
                                                                            {MedicationUnit::kMl, "mL"},
                                                                            {MedicationUnit::kUnits, "units"}});

enum class MedicationRoute { kIv, kIm, kSc, kPo, kSl, kOdt, kNasal, kInhaled, kTransdermal, kTopical, kRectal };
inline constexpr auto kMedicationRouteNames =
    MakeEnumNames<MedicationRoute>({{MedicationRoute::kIv, "iv"},
                                    {MedicationRoute::kIm, "im"},
                                    {MedicationRoute::kSc, "sc"},
                                    {MedicationRoute::kPo, "po"},
                                    {MedicationRoute::kSl, "sl"},
                                    {MedicationRoute::kOdt, "odt"},
                                    {MedicationRoute::kNasal, "nasal"},
                                    {MedicationRoute::kInhaled, "inhaled"},
                                    {MedicationRoute::kTransdermal, "transdermal"},
                                    {MedicationRoute::kTopical, "topical"},
                                    {MedicationRoute::kRectal, "rectal"}});

// PRN: given as needed under a prescriber's PRN order; standing order: under the clinic's protocol (issue 14 models
// the orders themselves).
enum class MedicationOrderKind { kPrn, kStandingOrder };
inline constexpr auto kMedicationOrderKindNames = MakeEnumNames<MedicationOrderKind>(
    {{MedicationOrderKind::kPrn, "prn"}, {MedicationOrderKind::kStandingOrder, "standing_order"}});

// OK when `drug` may be recorded as a session medication. Error kInvalidArgument "drug" for a ketamine-family name
// (ketamine, esketamine, arketamine, or the brands Ketalar and Spravato, without regard to case): those are given
// only as administrations against the session's dose order, so they are never recorded outside its total.
[[nodiscard]] Status CheckSessionMedicationDrug(std::string_view drug);

}  // namespace kclinic::clinical
