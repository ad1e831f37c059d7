#pragma once

// Dose computation for one ketamine or esketamine administration: turns a prescriber's request (route, weight,
// mg/kg or mg, infusion minutes, vial concentration) into a checked order with rates, volumes or device counts.
// Pure: no I/O, no clock. Sources are in docs/clinical-rules.md (dose rules) and clinical-reference §2.1, §2.5, §3.
//
// Rounding: inputs are used as given and only the outputs are rounded, half away from zero:
//   total_mg, rate_mg_per_h                   to 0.1 mg, 0.1 mg/h
//   weight_used_kg, ideal_body_weight_kg      to 0.1 kg
//   volume_ml, rate_ml_per_h                  to 0.01 mL, 0.01 mL/h
//   mg_per_kg derived from a fixed dose       to 0.01 mg/kg (a mg_per_kg given by the prescriber is echoed as is)
// Every output is computed from unrounded intermediates, so e.g. rate_mg_per_h is not recomputed from a rounded
// total.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/label_rules.hpp"
#include "clinical/plausibility.hpp"
#include "clinical/settings.hpp"

namespace kclinic::clinical {

enum class Route {
    kIv,               // racemic ketamine infusion, mg/kg over minutes
    kEsketamineNasal,  // Spravato, 28-mg devices
    kIm,               // racemic ketamine intramuscular injection, mg/kg
    kOral,             // racemic ketamine by mouth, fixed mg (or mg/kg converted)
    kSublingual,       // racemic ketamine sublingual / buccal, fixed mg (or mg/kg converted)
};

inline constexpr auto kRouteNames = MakeEnumNames<Route>({{Route::kIv, "iv"},
                                                          {Route::kEsketamineNasal, "esketamine-nasal"},
                                                          {Route::kIm, "im"},
                                                          {Route::kOral, "oral"},
                                                          {Route::kSublingual, "sublingual"}});
[[nodiscard]] constexpr std::string_view RouteName(Route route) {
    return kRouteNames.Name(route);
}
// Inverse of RouteName (exact, case-sensitive). Error kInvalidArgument on field "route":
// `must be iv, esketamine-nasal, im, oral or sublingual; got "<name>"`.
[[nodiscard]] Result<Route> ParseRoute(std::string_view name);

// Which body weight a weight-based dose is computed on. Trials used actual weight; ideal/adjusted weight for
// obesity is clinic practice (clinical-reference §2.1 [PRACTICE]), so the basis is a recorded choice per order.
enum class WeightBasis {
    kActual,    // the weight as measured
    kIdeal,     // Devine 1974: 50 kg (male) / 45.5 kg (female) + 2.3 kg per inch above 5 ft
    kAdjusted,  // ideal + 0.4 x (actual - ideal) [PRACTICE]
};

inline constexpr auto kWeightBasisNames = MakeEnumNames<WeightBasis>(
    {{WeightBasis::kActual, "actual"}, {WeightBasis::kIdeal, "ideal"}, {WeightBasis::kAdjusted, "adjusted"}});
[[nodiscard]] constexpr std::string_view WeightBasisName(WeightBasis basis) {
    return kWeightBasisNames.Name(basis);
}
// Inverse of WeightBasisName. Error kInvalidArgument on field "weight_basis":
// `must be actual, ideal or adjusted; got "<name>"`.
[[nodiscard]] Result<WeightBasis> ParseWeightBasis(std::string_view name);

// Which esketamine indication a dose is for; the label's dose rules differ (clinical-reference §3.3).
enum class EsketamineIndication {
    kTrd,               // treatment-resistant depression: first dose 56 mg, then 56 or 84 mg
    kSuicidalIdeation,  // MDD with acute suicidal ideation/behaviour: 84 mg, may lower to 56 mg
};

inline constexpr auto kEsketamineIndicationNames = MakeEnumNames<EsketamineIndication>(
    {{EsketamineIndication::kTrd, "trd"}, {EsketamineIndication::kSuicidalIdeation, "si"}});
[[nodiscard]] constexpr std::string_view EsketamineIndicationName(EsketamineIndication indication) {
    return kEsketamineIndicationNames.Name(indication);
}
// Inverse of EsketamineIndicationName. Error kInvalidArgument on field "indication":
// `must be trd or si; got "<name>"`.
[[nodiscard]] Result<EsketamineIndication> ParseEsketamineIndication(std::string_view name);

// Fixed limits that are facts of the evidence or the product, not clinic choices (clinic-tunable ceilings live in
// DoseSettings). Sources in the .cpp and docs.
inline constexpr double kMinHeightCm = 152.4;  // Devine's formula is defined from 5 ft upward
inline constexpr double kMaxHeightCm = 250.0;
inline constexpr double kAdjustedWeightFactor = 0.4;  // adjusted = ideal + 0.4 x (actual - ideal)
inline constexpr double kIvDefaultMgPerKg = 0.5;      // APA consensus / trials
inline constexpr double kIvMinMgPerKg = 0.1;          // lowest studied IV dose (Fava 2020)
inline constexpr double kIvDefaultMinutes = 40.0;     // APA consensus / trials
inline constexpr double kIvMinMinutes = 2.0;          // studied infusion durations (Andrade 2017)
inline constexpr double kIvMaxMinutes = 100.0;
inline constexpr double kMaxConcentrationMgPerMl = 100.0;  // strongest ketamine vial (10/50/100 mg/mL)
inline constexpr double kImDefaultMgPerKg = 0.5;           // Chilukuri 2014, Loo 2016
inline constexpr double kImMinMgPerKg = 0.1;               // Loo 2016 titrated from 0.1 mg/kg
inline constexpr double kOralMaxMgPerKg = 7.0;             // top of the studied oral range (clinical-reference §2.5)
inline constexpr int kEsketamineMaxDevices = kEsketamine84Mg / kEsketamineDeviceMg;  // 84 mg = 3 devices (USPI)
inline constexpr int kEsketamineRestMinutes = 5;                // rest between devices (Spravato USPI)
inline constexpr int kEsketamineDefaultMg = kEsketamine56Mg;    // TRD default when no dose is given
inline constexpr int kEsketamineSiDefaultMg = kEsketamine84Mg;  // SI indication default (Spravato USPI)
inline constexpr int kEsketamineMaxMg = kEsketamine84Mg;        // maximum per session (Spravato USPI)
// Hard maximum for the clinic's IV and IM ceilings (DoseSettings): they may be lowered, never raised above 1.0 mg/kg,
// the highest IV dose studied (Fava 2020). ComputeDose refuses a ceiling above it even if SetSetting was bypassed.
inline constexpr double kMaxMgPerKgCeiling = 1.0;

struct DoseRequest {
    Route route = Route::kIv;
    double weight_kg = 0.0;                          // actual body weight; required for every route, 30-250 kg
    std::optional<double> mg_per_kg = std::nullopt;  // IV, IM (default 0.5); oral/sublingual instead of dose_mg
    std::optional<double> minutes = std::nullopt;    // IV only (default 40), 2-100 min
    std::optional<double> dose_mg = std::nullopt;    // esketamine (default 56, SI 84), oral, sublingual
    std::optional<double> concentration_mg_per_ml = std::nullopt;  // IV and IM vials, >0 and <=100 mg/mL
    bool first_dose = false;                         // esketamine only: the patient's first dose of the course
    std::optional<double> age_years = std::nullopt;  // esketamine: <18 refused; required when region is EU
    // Esketamine only (default kTrd); refused on other routes.
    std::optional<EsketamineIndication> indication = std::nullopt;
    WeightBasis weight_basis = WeightBasis::kActual;
    std::optional<double> height_cm = std::nullopt;  // required for ideal/adjusted, 152.4-250 cm
    std::string sex = {};                            // "male" or "female"; required for ideal/adjusted
    bool japanese_ancestry = false;                  // esketamine, EU region: 28-mg start
};

struct DoseOrder {
    Route route = Route::kIv;
    double total_mg = 0.0;
    std::optional<double> rate_mg_per_h = std::nullopt;              // IV
    std::optional<double> volume_ml = std::nullopt;                  // IV, IM with a concentration
    std::optional<double> rate_ml_per_h = std::nullopt;              // IV with a concentration
    std::optional<int> devices = std::nullopt;                       // esketamine: total_mg / 28
    std::optional<int> rest_minutes_between_devices = std::nullopt;  // esketamine: 5
    // Esketamine: (devices - 1) x 5, the shortest span from the first to the last device.
    std::optional<int> min_administration_minutes = std::nullopt;
    WeightBasis weight_basis = WeightBasis::kActual;
    // The weight the dose was computed on (the actual weight for esketamine and for the actual basis).
    double weight_used_kg = 0.0;
    std::optional<double> ideal_body_weight_kg = std::nullopt;  // Devine, when the basis is ideal or adjusted
    std::optional<double> mg_per_kg = std::nullopt;             // IV, IM; oral/sublingual (given or derived)
    std::optional<double> minutes = std::nullopt;               // IV
    std::vector<std::string> notes = {};                        // human-readable reasons and label reminders
};

// Checks `request` against the route's rules and `settings` (settings.region, settings.dose) and returns the order.
//
// Common to all routes: weight_kg must lie in [30, 250] kg (kOutOfRange "weight_kg"); age_years, when given, in
// [0, 120] years ("age_years"). Basis ideal/adjusted needs height_cm in [152.4, 250] cm ("height_cm") and sex
// "male" or "female" ("sex"); when the actual weight is not above the ideal weight, the actual weight is used (a dose
// is never computed on more than the patient weighs) and a note says so. Patient facts (age_years, japanese_ancestry)
// are accepted on every route; order fields that do not apply to the route are refused, including first_dose
// ("first_dose") and indication ("indication") on routes other than esketamine.
//
// kIv: mg_per_kg (default 0.5) in [0.1, settings.dose.iv_max_mg_per_kg]; minutes (default 40) in [2, 100];
//   dose_mg refused (the order is weight-based). Returns total_mg, rate_mg_per_h = total / minutes x 60, and with a
//   concentration in (0, 100] mg/mL also volume_ml and rate_ml_per_h.
// kIm: mg_per_kg (default 0.5) in [0.1, settings.dose.im_max_mg_per_kg]; minutes and dose_mg refused; volume_ml
//   with a concentration.
// kEsketamineNasal: dose_mg (default 56 for TRD, 84 for SI) must be a whole number of 28-mg devices, then one of
//   the allowed doses: US and EU adults 56 or 84 mg, first TRD dose 56 mg; EU region with age >=65 or Japanese
//   ancestry: 28, 56 or 84 mg, first TRD dose 28 mg (EU also requires age_years); SI indication 56 or 84 mg in every
//   region. age_years < 18 refused. mg_per_kg, minutes, concentration and a non-actual weight basis are refused.
//   Returns devices, rest_minutes_between_devices = 5 and min_administration_minutes.
// kOral, kSublingual: exactly one of dose_mg or mg_per_kg (converted with the basis weight); the dose must be > 0 and
//   at most settings.dose.oral_max_mg / sublingual_max_mg; oral also refuses more than 7 mg/kg of the basis weight
//   (sublingual has no studied mg/kg ceiling). minutes and concentration are refused.
//
// Every refusal is an Error naming the field and the allowed values or range: kOutOfRange for a number outside its
// range, kInvalidArgument for a value that does not apply to the route, a missing required value, a non-whole
// device count or a dose outside the allowed set. A settings value that makes the rule impossible (a ceiling below
// the floor) or unsafe (an IV or IM ceiling above kMaxMgPerKgCeiling, 1.0 mg/kg) is kInvalidArgument on the dotted
// setting name ("dose.iv_max_mg_per_kg").
[[nodiscard]] Result<DoseOrder> ComputeDose(const DoseRequest& request, const ClinicSettings& settings);

// A dose order is computed on the patient's latest recorded weight (issue 10 §5): a weight-based dose on a weight
// typed from memory, from an old chart or in pounds is a tenfold error waiting to happen. The weights agree when
// they are the same to the 0.1 kg a clinic scale shows (kDoseWeightMatchKg); any other weight, or a patient with no
// recorded weight at all, needs the prescriber's stated reason (clinic policy [PRACTICE]: record the weight first).
inline constexpr double kDoseWeightMatchKg = 0.05;

// OK when `order_weight_kg` agrees with `latest_recorded_kg`, or when it does not and a reason is given. Errors:
// kFailedPrecondition "weight_kg" when no weight is recorded or the weights differ, without a reason;
// kInvalidArgument "weight_reason" when a reason is given although the weights agree (nothing to accept).
[[nodiscard]] Status CheckDoseWeight(double order_weight_kg, std::optional<double> latest_recorded_kg,
                                     bool reason_given);

// Devine (1974) ideal body weight in kg, unrounded: 50 (male) or 45.5 (female) + 2.3 per inch above 60 in.
// Errors: "height_cm" outside [152.4, 250] cm (kOutOfRange); "sex" not "male"/"female" (kInvalidArgument).
[[nodiscard]] Result<double> IdealBodyWeightKg(double height_cm, std::string_view sex);

}  // namespace kclinic::clinical
