#include "clinical/standing_orders.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <ranges>
#include <string>
#include <utility>
#include <vector>

#include "base/text.hpp"
#include "clinical/medications.hpp"

namespace kclinic::clinical {
namespace {

// Sources: docs/clinical-rules.md "Standing orders and PRN doses" quotes each in full.
constexpr std::array<PrnRule, 12> kRules = {{
    {"prn.dose", "the order's dose is the most a nurse may give (clinic policy [PRACTICE])"},
    {"prn.unit",
     "a dose is recorded in the order's unit, never converted at the chair (ISMP, clinic policy [PRACTICE])"},
    {"prn.route",
     "a standing order names its routes: ondansetron IV or ODT (Zofran USPI §2), labetalol IV "
     "(labetalol USPI §2), clonidine PO (Catapres USPI §2)"},
    {"prn.indication",
     "a standing order covers only the indication it names (CMS 42 CFR 482.24(c)(3)(iv), "
     "clinic policy [PRACTICE])"},
    {"prn.dose_above_order", "a nurse gives no more than the signed dose (clinic policy [PRACTICE])"},
    {"prn.max_doses",
     "the medical director's limit per session (clinic policy [PRACTICE]); labels: ondansetron "
     "max 16 mg IV single dose (Zofran USPI §2), labetalol max 300 mg total (labetalol USPI §2)"},
    {"prn.max_total", "the medical director's total per session (clinic policy [PRACTICE]); labels as prn.max_doses"},
    {"prn.min_interval",
     "repeat doses no sooner than the order's interval: labetalol IV repeat at 10-minute "
     "intervals (labetalol USPI §2), clinic policy otherwise [PRACTICE]"},
    {"prn.sbp_condition",
     "treat a ketamine BP rise only when it persists: transient rises are expected and settle "
     "(APA consensus, Sanacora 2017; ASA/ASRA/AAPM consensus, Cohen 2018); threshold and "
     "minutes in the signed order [PRACTICE]"},
    {"prn.allergy",
     "no drug the patient is recorded allergic to without a prescriber (Joint Commission NPSG, "
     "clinic policy [PRACTICE])"},
    {"prn.duplicate_therapy",
     "an ingredient the patient already takes is duplicate therapy: a prescriber decides "
     "(ISMP, clinic policy [PRACTICE])"},
    {"prn.cns_depressant",
     "CNS depressants together deepen sedation and respiratory depression: FDA boxed warning "
     "on opioids with benzodiazepines (FDA Drug Safety Communication, 2016-08-31); Spravato "
     "USPI §7, Ketalar USPI [LABEL-US]"},
}};

std::string_view SourceOf(std::string_view rule_id) {
    for (const PrnRule& rule : kRules) {
        if (rule.id == rule_id) {
            return rule.source;
        }
    }
    return {};
}

// "prn.max_doses: <what>. Source: <source>."
std::string RuleMessage(std::string_view rule_id, std::string_view what) {
    return std::string(rule_id) + ": " + std::string(what) + ". Source: " + std::string(SourceOf(rule_id));
}

Error Refuse(ErrorCode code, std::string field, std::string_view rule_id, std::string_view what) {
    return Error{code, std::move(field), RuleMessage(rule_id, what)};
}

std::string Field(std::string_view prefix, std::string_view field) {
    return prefix.empty() ? std::string(field) : std::string(prefix) + "." + std::string(field);
}

std::string Amount(double value, MedicationUnit unit) {
    return FormatNumber(value) + " " + std::string(kMedicationUnitNames.Name(unit));
}

bool IsCnsDepressant(DrugClass drug_class) {
    return drug_class == DrugClass::kBenzodiazepine || drug_class == DrugClass::kZDrug ||
           drug_class == DrugClass::kOpioid || drug_class == DrugClass::kOtherCnsDepressant;
}

std::optional<DrugClass> FirstCnsDepressantClass(std::string_view name) {
    for (DrugClass drug_class : DrugClassesOf(name)) {
        if (IsCnsDepressant(drug_class)) {
            return drug_class;
        }
    }
    return std::nullopt;
}

bool SharesIngredient(const std::vector<std::string>& left, const std::vector<std::string>& right) {
    return std::ranges::any_of(
        left, [&right](const std::string& ingredient) { return std::ranges::find(right, ingredient) != right.end(); });
}

}  // namespace

Status ValidatePrnOrderTerms(const PrnOrderTerms& terms, std::string_view prefix) {
    RETURN_IF_ERROR(CheckText(Field(prefix, "drug"), terms.drug, TextRule{.max_characters = 200}));
    if (Status ketamine = CheckSessionMedicationDrug(terms.drug); !ketamine.ok()) {
        return Error{ErrorCode::kInvalidArgument, Field(prefix, "drug"), ketamine.error().message};
    }
    const std::vector<std::string> unknown = UnrecognisedComponents(terms.drug);
    if (!unknown.empty() || DrugComponents(terms.drug).empty()) {
        return InvalidArgument(Field(prefix, "drug"),
                               "\"" + terms.drug +
                                   "\" is not a drug the drug dictionary knows: a standing order names its drug by a "
                                   "generic or brand name the dictionary reads, so that the interaction checks see it");
    }
    if (!(terms.dose > 0) || !std::isfinite(terms.dose) || terms.dose > 10000) {
        return OutOfRange(Field(prefix, "dose"), terms.dose, 0, 10000, kMedicationUnitNames.Name(terms.unit));
    }
    if (terms.routes.empty()) {
        return InvalidArgument(Field(prefix, "routes"), "must name at least one route");
    }
    for (std::size_t i = 0; i < terms.routes.size(); ++i) {
        if (std::ranges::count(terms.routes, terms.routes[i]) > 1) {
            return InvalidArgument(
                Field(prefix, "routes"),
                "names " + std::string(kMedicationRouteNames.Name(terms.routes[i])) + " more than once");
        }
    }
    RETURN_IF_ERROR(CheckText(Field(prefix, "indication"), terms.indication, TextRule{.max_characters = 200}));
    if (terms.sbp_condition) {
        const SbpCondition& sbp = *terms.sbp_condition;
        if (sbp.systolic_at_or_above_mmhg < kSbpConditionMin || sbp.systolic_at_or_above_mmhg > kSbpConditionMax) {
            return OutOfRange(Field(prefix, "sbp_condition.systolic_at_or_above_mmhg"), sbp.systolic_at_or_above_mmhg,
                              kSbpConditionMin, kSbpConditionMax, "mm[Hg]");
        }
        if (sbp.sustained_minutes < 0 || sbp.sustained_minutes > kSbpConditionMaxMinutes) {
            return OutOfRange(Field(prefix, "sbp_condition.sustained_minutes"), sbp.sustained_minutes, 0,
                              kSbpConditionMaxMinutes, "min");
        }
    }
    if (terms.max_doses_per_session < 1 || terms.max_doses_per_session > kMaxDosesPerSessionLimit) {
        return OutOfRange(Field(prefix, "max_doses_per_session"), terms.max_doses_per_session, 1,
                          kMaxDosesPerSessionLimit);
    }
    if (terms.max_total_per_session) {
        const double most = terms.dose * terms.max_doses_per_session;
        const double total = *terms.max_total_per_session;
        if (!std::isfinite(total) || total < terms.dose || total > most) {
            return OutOfRange(Field(prefix, "max_total_per_session"), total, terms.dose, most,
                              kMedicationUnitNames.Name(terms.unit));
        }
    }
    if (terms.min_interval_minutes < 0 || terms.min_interval_minutes > kMaxIntervalMinutes) {
        return OutOfRange(Field(prefix, "min_interval_minutes"), terms.min_interval_minutes, 0, kMaxIntervalMinutes,
                          "min");
    }
    return Status::Ok();
}

bool SbpConditionMet(const SbpCondition& condition, std::span<const SystolicReading> readings, TimePoint at) {
    std::vector<SystolicReading> before;
    for (const SystolicReading& reading : readings) {
        if (reading.observed_at <= at) {
            before.push_back(reading);
        }
    }
    std::ranges::sort(before, {}, &SystolicReading::observed_at);
    if (before.empty() || before.back().systolic_mmhg < condition.systolic_at_or_above_mmhg) {
        return false;
    }
    TimePoint run_start = before.back().observed_at;
    // Newest first. (Reverse iterators rather than std::ranges::reverse_view, which clang 14 cannot compile against
    // libstdc++ 12's <ranges>: the fuzz build uses clang.)
    for (auto reading = before.rbegin(); reading != before.rend(); ++reading) {
        if (reading->systolic_mmhg < condition.systolic_at_or_above_mmhg) {
            break;
        }
        run_start = reading->observed_at;
    }
    return before.back().observed_at - run_start >= std::chrono::minutes(condition.sustained_minutes);
}

Status CheckPrnDose(const PrnOrderTerms& terms, const PrnDoseRequest& request, std::span<const EarlierPrnDose> earlier,
                    std::span<const SystolicReading> readings) {
    if (!(request.dose > 0) || !std::isfinite(request.dose)) {
        return Refuse(ErrorCode::kInvalidArgument, "dose", "prn.dose", "a dose must be above 0");
    }
    if (request.unit != terms.unit) {
        return Refuse(ErrorCode::kInvalidArgument, "unit", "prn.unit",
                      "the order is written in " + std::string(kMedicationUnitNames.Name(terms.unit)) + ", not " +
                          std::string(kMedicationUnitNames.Name(request.unit)));
    }
    if (std::ranges::find(terms.routes, request.route) == terms.routes.end()) {
        std::string allowed;
        for (MedicationRoute route : terms.routes) {
            allowed += (allowed.empty() ? "" : ", ") + std::string(kMedicationRouteNames.Name(route));
        }
        return Refuse(
            ErrorCode::kInvalidArgument, "route", "prn.route",
            "the order allows " + allowed + ", not " + std::string(kMedicationRouteNames.Name(request.route)));
    }
    if (NormalizeDrugName(request.indication) != NormalizeDrugName(terms.indication)) {
        return Refuse(ErrorCode::kInvalidArgument, "indication", "prn.indication",
                      "the order is for \"" + terms.indication + "\", not \"" + request.indication + "\"");
    }
    if (request.dose > terms.dose) {
        return Refuse(
            ErrorCode::kOutOfRange, "dose", "prn.dose_above_order",
            Amount(request.dose, request.unit) + " is more than the order's " + Amount(terms.dose, terms.unit));
    }
    if (std::cmp_greater_equal(earlier.size(), terms.max_doses_per_session)) {
        return Refuse(ErrorCode::kFailedPrecondition, "order", "prn.max_doses",
                      terms.drug + " was already given " + std::to_string(earlier.size()) +
                          " time(s) this session under this order, its limit is " +
                          std::to_string(terms.max_doses_per_session) + " per session");
    }
    double total = request.dose;
    for (const EarlierPrnDose& dose : earlier) {
        total += dose.dose;
    }
    // A hundredth of the unit absorbs the binary rounding of decimal doses (0.1 + 0.2).
    if (terms.max_total_per_session && total > *terms.max_total_per_session + 1e-9) {
        return Refuse(ErrorCode::kFailedPrecondition, "dose", "prn.max_total",
                      "this dose would bring " + terms.drug + " to " + Amount(total, terms.unit) +
                          " this session under this order, above its limit of " +
                          Amount(*terms.max_total_per_session, terms.unit));
    }
    const auto interval = std::chrono::minutes(terms.min_interval_minutes);
    for (const EarlierPrnDose& dose : earlier) {
        const auto apart =
            request.given_at >= dose.given_at ? request.given_at - dose.given_at : dose.given_at - request.given_at;
        if (apart < interval) {
            const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(apart).count();
            return Refuse(ErrorCode::kFailedPrecondition, "given_at", "prn.min_interval",
                          "this dose would be " + std::to_string(minutes) + " min from another dose of " + terms.drug +
                              " under this order; the order needs at least " +
                              std::to_string(terms.min_interval_minutes) + " min between doses");
        }
    }
    if (terms.sbp_condition && !SbpConditionMet(*terms.sbp_condition, readings, request.given_at)) {
        return Refuse(ErrorCode::kFailedPrecondition, "sbp_condition", "prn.sbp_condition",
                      "the order needs the systolic BP at or above " +
                          std::to_string(terms.sbp_condition->systolic_at_or_above_mmhg) + " mm[Hg] for at least " +
                          std::to_string(terms.sbp_condition->sustained_minutes) +
                          " min, and the session's readings do not show that");
    }
    return Status::Ok();
}

std::vector<PrnInteraction> PrnInteractions(std::string_view drug, std::span<const std::string> current_medications,
                                            std::span<const std::string> allergies) {
    std::vector<PrnInteraction> found;
    const std::vector<std::string> ingredients = DrugComponents(drug);
    for (const std::string& allergy : allergies) {
        if (SharesIngredient(ingredients, DrugComponents(allergy))) {
            found.push_back({"prn.allergy", "the patient is recorded allergic to \"" + allergy + "\"",
                             std::string(SourceOf("prn.allergy"))});
        }
    }
    for (const std::string& medication : current_medications) {
        if (SharesIngredient(ingredients, DrugComponents(medication))) {
            found.push_back({"prn.duplicate_therapy", "the patient already takes \"" + medication + "\"",
                             std::string(SourceOf("prn.duplicate_therapy"))});
        }
    }
    if (const std::optional<DrugClass> given = FirstCnsDepressantClass(drug)) {
        for (const std::string& medication : current_medications) {
            if (const std::optional<DrugClass> taken = FirstCnsDepressantClass(medication)) {
                if (SharesIngredient(ingredients, DrugComponents(medication))) {
                    continue;  // already reported as duplicate therapy
                }
                const DrugClassInfo& info = DrugClassInfoFor(*taken);
                found.push_back({"prn.cns_depressant",
                                 std::string(drug) + " (" + std::string(DrugClassInfoFor(*given).description) +
                                     ") with the patient's \"" + medication + "\" (" + std::string(info.description) +
                                     "): " + std::string(info.monitor),
                                 std::string(SourceOf("prn.cns_depressant"))});
            }
        }
    }
    return found;
}

Error InteractionRefusal(std::span<const PrnInteraction> interactions) {
    const PrnInteraction& first = interactions.front();
    std::string message = first.rule_id + ": " + first.message;
    if (interactions.size() > 1) {
        message += " (and " + std::to_string(interactions.size() - 1) + " more)";
    }
    message += "; a standing order does not cover it, a prescriber's one-off order may. Source: " + first.source;
    return Error{ErrorCode::kFailedPrecondition, "drug", message};
}

std::span<const PrnRule> PrnRules() {
    return kRules;
}

}  // namespace kclinic::clinical
