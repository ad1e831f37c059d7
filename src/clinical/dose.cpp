#include "clinical/dose.hpp"

#include "base/text.hpp"

#include <cmath>
#include <cstddef>
#include <sstream>
#include <utility>

namespace kclinic::clinical {

namespace {

constexpr double kCmPerInch = 2.54;
constexpr std::size_t kNotesPerOrder = 4;
// Spravato is labelled for adults only; its dosing is not established in children (USPI, clinical-reference §3.2).
constexpr std::string_view kEuLowStartWho = "for EU patients 65 or older or of Japanese ancestry (EU SmPC)";

double RoundTo(double value, double per_unit) {
    double rounded = std::round(value * per_unit) / per_unit;
    return rounded == 0.0 ? 0.0 : rounded;
}
double RoundMg(double value) {
    return RoundTo(value, 10.0);
}
double RoundKg(double value) {
    return RoundTo(value, 10.0);
}
double RoundMl(double value) {
    return RoundTo(value, 100.0);
}
double RoundMgPerKg(double value) {
    return RoundTo(value, 100.0);
}

bool InRange(double value, double min, double max) {
    return value >= min && value <= max;
}

Error NotForRoute(std::string field, Route route, std::string_view why) {
    return InvalidArgument(std::move(field),
                           "does not apply to route " + std::string(RouteName(route)) + ": " + std::string(why));
}

// (0, max] check with a message that does not suggest 0 is allowed, as OutOfRange's "between 0 and max" would.
Error AboveZeroAtMost(std::string field, double value, double max, std::string_view unit, std::string_view why) {
    return Error{ErrorCode::kOutOfRange, std::move(field),
                 "must be above 0 and at most " + FormatNumber(max) + " " + std::string(unit) + " (" +
                     std::string(why) + "); got " + FormatNumber(value) + " " + std::string(unit)};
}

struct BasisWeight {
    double weight_kg = 0.0;
    std::optional<double> ideal_kg;
    std::vector<std::string> notes;
};

Result<BasisWeight> ResolveWeight(const DoseRequest& request) {
    BasisWeight out;
    if (request.weight_basis == WeightBasis::kActual) {
        out.weight_kg = request.weight_kg;
        return out;
    }
    if (!request.height_cm) {
        return InvalidArgument("height_cm", "required for weight basis " +
                                                std::string(WeightBasisName(request.weight_basis)) +
                                                " (Devine ideal body weight needs height and sex)");
    }
    ASSIGN_OR_RETURN(double ideal, IdealBodyWeightKg(*request.height_cm, request.sex));
    out.ideal_kg = ideal;
    // Dosing on a weight above the patient's own would give more drug than actual-weight dosing, which is what the
    // trials used (clinical-reference §2.1); ideal/adjusted weight exists only to dose obese patients lower.
    if (request.weight_kg <= ideal) {
        out.weight_kg = request.weight_kg;
        out.notes.emplace_back("actual weight " + FormatNumber(RoundKg(request.weight_kg)) +
                               " kg is not above ideal body weight " + FormatNumber(RoundKg(ideal)) +
                               " kg (Devine 1974): dose computed on actual weight");
        return out;
    }
    if (request.weight_basis == WeightBasis::kIdeal) {
        out.weight_kg = ideal;
        out.notes.emplace_back("dose computed on ideal body weight " + FormatNumber(RoundKg(ideal)) +
                               " kg (Devine 1974); actual weight " + FormatNumber(RoundKg(request.weight_kg)) + " kg");
    } else {
        out.weight_kg = ideal + kAdjustedWeightFactor * (request.weight_kg - ideal);
        out.notes.emplace_back("dose computed on adjusted body weight " + FormatNumber(RoundKg(out.weight_kg)) +
                               " kg = ideal " + FormatNumber(RoundKg(ideal)) + " kg (Devine 1974) + 0.4 x (actual " +
                               FormatNumber(RoundKg(request.weight_kg)) + " kg - ideal) [PRACTICE]");
    }
    return out;
}

DoseOrder StartOrder(const DoseRequest& request, BasisWeight&& weight) {
    DoseOrder order;
    order.route = request.route;
    order.weight_basis = request.weight_basis;
    order.weight_used_kg = RoundKg(weight.weight_kg);
    if (weight.ideal_kg) {
        order.ideal_body_weight_kg = RoundKg(*weight.ideal_kg);
    }
    order.notes = std::move(weight.notes);
    // An order gathers a few notes (the weight basis, defaults taken, label remarks): room for them up front costs one
    // allocation instead of one a note (measured in bench/clinical_bench, BM_ComputeIvDose).
    order.notes.reserve(order.notes.size() + kNotesPerOrder);
    return order;
}

Status CheckConcentration(const DoseRequest& request) {
    if (request.concentration_mg_per_ml &&
        !(*request.concentration_mg_per_ml > 0.0 && *request.concentration_mg_per_ml <= kMaxConcentrationMgPerMl)) {
        return AboveZeroAtMost("concentration_mg_per_ml", *request.concentration_mg_per_ml, kMaxConcentrationMgPerMl,
                               "mg/mL", "ketamine vials are 10, 50 or 100 mg/mL");
    }
    return Status::Ok();
}

// IV and IM share the mg/kg checks; `max_setting` names the clinic ceiling so a refusal says where it comes from.
// The ceiling itself is checked too: settings normally pass SetSetting's bounds, but a dose limit is enforced where
// the dose is computed, so a ceiling raised above kMaxMgPerKgCeiling by any path is refused here.
Result<double> CheckMgPerKg(double mg_per_kg, double min, double max, std::string_view max_setting, bool defaulted) {
    if (!std::isfinite(max) || max < min || max > kMaxMgPerKgCeiling) {
        return InvalidArgument(
            std::string(max_setting),
            "clinic ceiling must be between " + FormatNumber(min) + " and " + FormatNumber(kMaxMgPerKgCeiling) +
                " mg/kg (a clinic may lower the ceiling, never raise it); got " + FormatNumber(max) + " mg/kg");
    }
    if (!InRange(mg_per_kg, min, max)) {
        Error error = OutOfRange("mg_per_kg", mg_per_kg, min, max, "mg/kg");
        error.message += "; the ceiling is " + std::string(max_setting);
        if (defaulted) {
            error.message += ", which is below the default dose: give mg_per_kg explicitly";
        }
        return error;
    }
    return mg_per_kg;
}

Result<DoseOrder> ComputeIv(const DoseRequest& request, const ClinicSettings& settings) {
    if (request.dose_mg) {
        return NotForRoute("dose_mg", request.route, "IV ketamine is ordered in mg/kg; give mg_per_kg");
    }
    RETURN_IF_ERROR(CheckConcentration(request));
    // 0.5 mg/kg over 40 min is the studied standard (Berman 2000, Zarate 2006; APA consensus, Sanacora 2017); 0.1
    // mg/kg is the lowest dose studied (Fava 2020) and 2-100 min the range of studied durations (Andrade 2017).
    ASSIGN_OR_RETURN(const double mg_per_kg, CheckMgPerKg(request.mg_per_kg.value_or(kIvDefaultMgPerKg), kIvMinMgPerKg,
                                                          settings.dose.iv_max_mg_per_kg, "dose.iv_max_mg_per_kg",
                                                          !request.mg_per_kg.has_value()));
    double minutes = request.minutes.value_or(kIvDefaultMinutes);
    if (!InRange(minutes, kIvMinMinutes, kIvMaxMinutes)) {
        return OutOfRange("minutes", minutes, kIvMinMinutes, kIvMaxMinutes, "min");
    }
    ASSIGN_OR_RETURN(BasisWeight weight, ResolveWeight(request));
    double total_mg = mg_per_kg * weight.weight_kg;
    double rate_mg_per_h = total_mg / minutes * 60.0;

    DoseOrder order = StartOrder(request, std::move(weight));
    order.total_mg = RoundMg(total_mg);
    order.rate_mg_per_h = RoundMg(rate_mg_per_h);
    order.mg_per_kg = mg_per_kg;
    order.minutes = minutes;
    if (request.concentration_mg_per_ml) {
        double volume_ml = total_mg / *request.concentration_mg_per_ml;
        order.volume_ml = RoundMl(volume_ml);
        order.rate_ml_per_h = RoundMl(volume_ml / minutes * 60.0);
    }
    if (!request.mg_per_kg) {
        order.notes.emplace_back("mg_per_kg not given: 0.5 mg/kg, the studied standard (APA consensus, Sanacora 2017)");
    }
    if (!request.minutes) {
        order.notes.emplace_back("minutes not given: 40 min, the studied standard (APA consensus, Sanacora 2017)");
    }
    if (mg_per_kg > kIvDefaultMgPerKg) {
        order.notes.emplace_back(
            "above 0.5 mg/kg: titration for partial responders is clinic practice, supported only "
            "indirectly (Fava 2020) [PRACTICE]");
    }
    return order;
}

Result<DoseOrder> ComputeIm(const DoseRequest& request, const ClinicSettings& settings) {
    if (request.dose_mg) {
        return NotForRoute("dose_mg", request.route, "IM ketamine is ordered in mg/kg; give mg_per_kg");
    }
    if (request.minutes) {
        return NotForRoute("minutes", request.route, "an IM injection is not infused");
    }
    RETURN_IF_ERROR(CheckConcentration(request));
    // IM 0.25-0.5 mg/kg performed like IV 0.5 mg/kg (Chilukuri 2014); Loo 2016 titrated IM from 0.1 to 0.5 mg/kg.
    ASSIGN_OR_RETURN(const double mg_per_kg, CheckMgPerKg(request.mg_per_kg.value_or(kImDefaultMgPerKg), kImMinMgPerKg,
                                                          settings.dose.im_max_mg_per_kg, "dose.im_max_mg_per_kg",
                                                          !request.mg_per_kg.has_value()));
    ASSIGN_OR_RETURN(BasisWeight weight, ResolveWeight(request));
    double total_mg = mg_per_kg * weight.weight_kg;

    DoseOrder order = StartOrder(request, std::move(weight));
    order.total_mg = RoundMg(total_mg);
    order.mg_per_kg = mg_per_kg;
    if (request.concentration_mg_per_ml) {
        order.volume_ml = RoundMl(total_mg / *request.concentration_mg_per_ml);
    }
    if (!request.mg_per_kg) {
        order.notes.emplace_back("mg_per_kg not given: 0.5 mg/kg (Chilukuri 2014, Loo 2016)");
    }
    return order;
}

std::string ListMg(const std::vector<int>& doses_mg) {
    std::string out;
    for (std::size_t i = 0; i < doses_mg.size(); ++i) {
        if (i > 0) {
            out += i + 1 == doses_mg.size() ? " or " : ", ";
        }
        out += std::to_string(doses_mg[i]);
    }
    return out + " mg";
}

Result<DoseOrder> ComputeEsketamine(const DoseRequest& request, const ClinicSettings& settings) {
    constexpr std::string_view kFixed = "esketamine is dosed in whole 28-mg devices, not by weight";
    if (request.mg_per_kg) {
        return NotForRoute("mg_per_kg", request.route, kFixed);
    }
    if (request.minutes) {
        return NotForRoute("minutes", request.route, "nasal devices are not infused");
    }
    if (request.concentration_mg_per_ml) {
        return NotForRoute("concentration_mg_per_ml", request.route, "each device holds a fixed 28 mg");
    }
    if (request.weight_basis != WeightBasis::kActual) {
        return NotForRoute("weight_basis", request.route, std::string(kFixed) + "; use actual");
    }
    if (request.age_years && *request.age_years < kAdultAgeYears) {
        return OutOfRange("age_years", *request.age_years, kAdultAgeYears, kMaxAgeYears, "years");
    }
    bool eu = settings.region == Region::kEu;
    if (eu && !request.age_years) {
        return InvalidArgument("age_years",
                               "required in the EU region: patients 65 or older start esketamine at "
                               "28 mg (EU SmPC)");
    }
    EsketamineIndication indication = request.indication.value_or(EsketamineIndication::kTrd);
    bool si = indication == EsketamineIndication::kSuicidalIdeation;
    // EU SmPC: >=65 years start at 28 mg; Japanese ancestry also start at 28 mg (as in ESCAPE-TRD). The reference
    // gives this start only for the TRD posology, so the SI course keeps the label's 84 / 56 mg everywhere.
    bool low_start = !si && eu && (*request.age_years >= kEuOlderAdultAgeYears || request.japanese_ancestry);

    double dose_mg = request.dose_mg.value_or(si ? kEsketamineSiDefaultMg : kEsketamineDefaultMg);
    // Every allowed dose is whole devices up to the 84-mg session maximum; only the low start adds one device.
    int smallest_mg = low_start ? kEsketamineDeviceMg : 2 * kEsketamineDeviceMg;
    std::vector<int> allowed;
    for (int mg = smallest_mg; mg <= kEsketamineMaxMg; mg += kEsketamineDeviceMg) {
        allowed.push_back(mg);
    }
    std::string who = si ? "for the suicidal-ideation indication (Spravato USPI)"
                         : (low_start ? std::string(kEuLowStartWho) : "for adults (Spravato USPI)");
    if (!std::isfinite(dose_mg) || dose_mg <= 0.0) {
        return InvalidArgument("dose_mg",
                               "must be " + ListMg(allowed) + " " + who + "; got " + FormatNumber(dose_mg) + " mg");
    }
    if (std::fmod(dose_mg, static_cast<double>(kEsketamineDeviceMg)) != 0.0) {
        return InvalidArgument("dose_mg", "device count must be whole: " + FormatNumber(dose_mg) + " mg is " +
                                              FormatNumber(dose_mg / kEsketamineDeviceMg) + " devices of 28 mg");
    }
    if (dose_mg < smallest_mg || dose_mg > kEsketamineMaxMg) {
        return InvalidArgument("dose_mg", "must be " + ListMg(allowed) + " " + who + " (at most " +
                                              std::to_string(kEsketamineMaxMg) + " mg, 3 devices, a session); got " +
                                              FormatNumber(dose_mg) + " mg");
    }
    int dose_whole_mg = static_cast<int>(dose_mg);
    int start_mg = smallest_mg;
    if (request.first_dose && !si && dose_whole_mg != start_mg) {
        return InvalidArgument("dose_mg", "the first TRD dose must be " + std::to_string(start_mg) + " mg " +
                                              (low_start ? std::string(kEuLowStartWho) : "(Spravato USPI)") + "; got " +
                                              std::to_string(dose_whole_mg) + " mg");
    }

    DoseOrder order;
    order.route = request.route;
    order.weight_basis = WeightBasis::kActual;
    order.weight_used_kg = RoundKg(request.weight_kg);
    order.total_mg = dose_mg;
    int devices = dose_whole_mg / kEsketamineDeviceMg;
    order.devices = devices;
    order.rest_minutes_between_devices = kEsketamineRestMinutes;
    order.min_administration_minutes = (devices - 1) * kEsketamineRestMinutes;
    if (!request.dose_mg) {
        order.notes.emplace_back("dose_mg not given: " + std::to_string(dose_whole_mg) + " mg" +
                                 (si ? ", the suicidal-ideation dose (Spravato USPI)" : ""));
    }
    if (request.first_dose && !si) {
        order.notes.emplace_back(std::to_string(start_mg) + " mg required for the first TRD dose " +
                                 (low_start ? "(EU SmPC: 65 or older or Japanese ancestry)" : "(Spravato USPI)"));
    }
    if (si) {
        order.notes.emplace_back(
            "suicidal ideation: 84 mg twice weekly for 4 weeks, may lower to 56 mg for "
            "tolerability (Spravato USPI)");
    }
    if (low_start && !request.first_dose) {
        order.notes.emplace_back("EU SmPC: after the 28 mg start, change the dose in 28-mg steps (28, 56 or 84 mg)");
    }
    order.notes.emplace_back(std::to_string(devices) + (devices == 1 ? " device" : " devices") +
                             " of 28 mg; the patient rests 5 min after each device before the next, so first to last "
                             "device spans at least " +
                             std::to_string(*order.min_administration_minutes) + " min (Spravato USPI)");
    return order;
}

Result<DoseOrder> ComputeFixed(const DoseRequest& request, const ClinicSettings& settings) {
    bool oral = request.route == Route::kOral;
    if (request.minutes) {
        return NotForRoute("minutes", request.route, "the dose is not infused");
    }
    if (request.concentration_mg_per_ml) {
        return NotForRoute("concentration_mg_per_ml", request.route, "volumes are computed for injectable vials only");
    }
    double max_mg = oral ? settings.dose.oral_max_mg : settings.dose.sublingual_max_mg;
    std::string max_setting = oral ? "dose.oral_max_mg" : "dose.sublingual_max_mg";
    if (!std::isfinite(max_mg) || max_mg <= 0.0) {
        return InvalidArgument(max_setting, "clinic ceiling must be above 0 mg; got " + FormatNumber(max_mg) + " mg");
    }
    if (request.dose_mg && request.mg_per_kg) {
        return InvalidArgument("dose_mg", "give dose_mg or mg_per_kg, not both");
    }
    if (!request.dose_mg && !request.mg_per_kg) {
        return InvalidArgument("dose_mg",
                               "required for route " + std::string(RouteName(request.route)) + " (or give mg_per_kg)");
    }
    // Oral doses were studied from 0.25 to 7 mg/kg (clinical-reference §2.5); sublingual studies report fixed doses
    // only (10 mg to several hundred mg), so there is no studied mg/kg ceiling to apply to that route.
    if (request.mg_per_kg && oral && !(*request.mg_per_kg > 0.0 && *request.mg_per_kg <= kOralMaxMgPerKg)) {
        return AboveZeroAtMost("mg_per_kg", *request.mg_per_kg, kOralMaxMgPerKg, "mg/kg",
                               "top of the studied oral range");
    }
    if (request.mg_per_kg && !oral && !(*request.mg_per_kg > 0.0 && std::isfinite(*request.mg_per_kg))) {
        return InvalidArgument("mg_per_kg",
                               "must be above 0 mg/kg; got " + FormatNumber(*request.mg_per_kg) + " mg/kg");
    }
    if (request.dose_mg && !(*request.dose_mg > 0.0 && *request.dose_mg <= max_mg)) {
        return AboveZeroAtMost("dose_mg", *request.dose_mg, max_mg, "mg", max_setting);
    }
    ASSIGN_OR_RETURN(BasisWeight weight, ResolveWeight(request));
    double basis_kg = weight.weight_kg;
    std::string basis_text =
        FormatNumber(RoundKg(basis_kg)) + " kg " + std::string(WeightBasisName(request.weight_basis)) + " weight";
    double total_mg = 0.0;
    double mg_per_kg = 0.0;
    if (request.mg_per_kg) {
        mg_per_kg = *request.mg_per_kg;
        total_mg = mg_per_kg * basis_kg;
        if (total_mg > max_mg) {
            return Error{ErrorCode::kOutOfRange, "mg_per_kg",
                         FormatNumber(mg_per_kg) + " mg/kg x " + basis_text + " = " + FormatNumber(RoundMg(total_mg)) +
                             " mg, above the clinic ceiling of " + FormatNumber(max_mg) + " mg (" + max_setting + ")"};
        }
    } else {
        total_mg = *request.dose_mg;
        mg_per_kg = total_mg / basis_kg;
        if (oral && mg_per_kg > kOralMaxMgPerKg) {
            return Error{ErrorCode::kOutOfRange, "dose_mg",
                         FormatNumber(total_mg) + " mg is " + FormatNumber(RoundMgPerKg(mg_per_kg)) + " mg/kg of " +
                             basis_text + ", above 7 mg/kg (top of the studied oral range)"};
        }
    }

    DoseOrder order = StartOrder(request, std::move(weight));
    order.total_mg = RoundMg(total_mg);
    order.mg_per_kg = request.mg_per_kg ? mg_per_kg : RoundMgPerKg(mg_per_kg);
    order.notes.emplace_back(oral
                                 ? "oral bioavailability is about 17-20%; 2.0-2.5 mg/kg oral gives exposure comparable "
                                   "to 0.5 mg/kg IV (Andrade 2019)"
                                 : "sublingual bioavailability is about 29% (Rolan 2014); doses in use vary widely "
                                   "[PRACTICE]");
    return order;
}

}  // namespace

Result<Route> ParseRoute(std::string_view name) {
    return kRouteNames.ParseAlternative("route", name);
}

Result<WeightBasis> ParseWeightBasis(std::string_view name) {
    return kWeightBasisNames.ParseAlternative("weight_basis", name);
}

Result<EsketamineIndication> ParseEsketamineIndication(std::string_view name) {
    return kEsketamineIndicationNames.ParseAlternative("indication", name);
}

Status CheckDoseWeight(double order_weight_kg, std::optional<double> latest_recorded_kg, bool reason_given) {
    const bool agree = latest_recorded_kg && std::abs(order_weight_kg - *latest_recorded_kg) <= kDoseWeightMatchKg;
    if (agree && reason_given) {
        return InvalidArgument("weight_reason", "the order's weight is the latest recorded weight (" +
                                                    FormatNumber(*latest_recorded_kg) +
                                                    " kg), so there is nothing to accept; sign without a reason");
    }
    if (agree || reason_given) {
        return Status::Ok();
    }
    if (!latest_recorded_kg) {
        return Error{ErrorCode::kFailedPrecondition, "weight_kg",
                     "the patient has no recorded weight; record the weight first, or give weight_reason to sign on " +
                         FormatNumber(order_weight_kg) + " kg"};
    }
    return Error{ErrorCode::kFailedPrecondition, "weight_kg",
                 FormatNumber(order_weight_kg) + " kg is not the patient's latest recorded weight (" +
                     FormatNumber(*latest_recorded_kg) +
                     " kg); record the new weight, or give weight_reason to sign on this one"};
}

Result<double> IdealBodyWeightKg(double height_cm, std::string_view sex) {
    if (!InRange(height_cm, kMinHeightCm, kMaxHeightCm)) {
        Error error = OutOfRange("height_cm", height_cm, kMinHeightCm, kMaxHeightCm, "cm");
        error.message += "; the Devine formula is defined from 5 ft (152.4 cm) upward";
        return error;
    }
    double base_kg = 0.0;
    if (sex == "male") {
        base_kg = 50.0;
    } else if (sex == "female") {
        base_kg = 45.5;
    } else {
        return InvalidArgument(
            "sex", "must be male or female for the Devine ideal body weight; got \"" + std::string(sex) + "\"");
    }
    // Devine 1974: base + 2.3 kg per inch above 5 ft.
    return base_kg + 2.3 * (height_cm / kCmPerInch - 60.0);
}

Result<DoseOrder> ComputeDose(const DoseRequest& request, const ClinicSettings& settings) {
    // Plausibility bounds for an adult clinic: they catch unit slips (lb for kg) and typing errors.
    if (!InRange(request.weight_kg, kMinWeightKg, kMaxWeightKg)) {
        return OutOfRange("weight_kg", request.weight_kg, kMinWeightKg, kMaxWeightKg, "kg");
    }
    if (request.age_years && !InRange(*request.age_years, kMinAgeYears, kMaxAgeYears)) {
        return OutOfRange("age_years", *request.age_years, kMinAgeYears, kMaxAgeYears, "years");
    }
    if (request.route != Route::kEsketamineNasal) {
        if (request.first_dose) {
            return NotForRoute("first_dose", request.route, "the first-dose rule is an esketamine label rule");
        }
        if (request.indication) {
            return NotForRoute("indication", request.route, "the indication selects esketamine label doses");
        }
    }
    switch (request.route) {
        case Route::kIv:
            return ComputeIv(request, settings);
        case Route::kIm:
            return ComputeIm(request, settings);
        case Route::kEsketamineNasal:
            return ComputeEsketamine(request, settings);
        case Route::kOral:
        case Route::kSublingual:
            return ComputeFixed(request, settings);
    }
    return InvalidArgument("route", "unknown route");
}

}  // namespace kclinic::clinical
