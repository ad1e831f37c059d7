#include "clinical/administration.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <ratio>
#include <string>

#include "base/text.hpp"
#include "clinical/medications.hpp"

namespace kclinic::clinical {
namespace {

double RoundMl(double value) {
    return std::round(value * 100.0) / 100.0;
}

}  // namespace

std::string_view OrderedDrug(Route route) {
    return route == Route::kEsketamineNasal ? "esketamine" : "ketamine";
}

Status CheckOrderedDrug(Route route, std::string_view drug) {
    const std::string_view ordered = OrderedDrug(route);
    if (NormalizeDrugName(drug) == ordered) {
        return Status::Ok();
    }
    return InvalidArgument("drug", "the session's dose order is " + std::string(ordered) + " by " +
                                       std::string(RouteName(route)) +
                                       "; only the ordered drug is recorded against "
                                       "it and counts toward its total (got \"" +
                                       std::string(drug) + "\"); record any other medication as a session medication");
}

Result<InfusionStopAssessment> AssessInfusionStop(const InfusionStopFacts& facts) {
    if (facts.stopped_at < facts.started_at) {
        return InvalidArgument("stopped_at", "must not be before the infusion's started_at");
    }
    if (!(facts.given_mg >= 0 && facts.given_mg <= facts.administration_mg)) {
        Error error = OutOfRange("given_mg", facts.given_mg, 0, facts.administration_mg, "mg");
        error.message += "; the infusion was started with " + FormatNumber(facts.administration_mg) + " mg";
        return error;
    }
    InfusionStopAssessment assessment;
    if (facts.concentration_mg_per_ml) {
        assessment.given_ml = RoundMl(facts.given_mg / *facts.concentration_mg_per_ml);
    }
    const std::chrono::duration<double, std::ratio<60>> ran = facts.stopped_at - facts.started_at;
    assessment.actual_minutes = ran.count();
    assessment.ordered_rate_minutes = facts.given_mg / facts.order_total_mg * facts.order_minutes;
    assessment.faster_than_ordered =
        assessment.actual_minutes < kFastInfusionFraction * assessment.ordered_rate_minutes;
    const bool reasoned = facts.fast_infusion_reason && !IsBlank(*facts.fast_infusion_reason);
    if (assessment.faster_than_ordered && !reasoned) {
        return Error{ErrorCode::kFailedPrecondition, "stopped_at",
                     FormatNumber(facts.given_mg) + " mg given in " +
                         FormatNumber(std::round(assessment.actual_minutes * 10.0) / 10.0) + " min; the order (" +
                         FormatNumber(facts.order_total_mg) + " mg over " + FormatNumber(facts.order_minutes) +
                         " min) needs " + FormatNumber(std::round(assessment.ordered_rate_minutes * 10.0) / 10.0) +
                         " min for it, and less than half that is more than twice the ordered rate: a prescriber "
                         "must give a fast_infusion_reason (clinic policy; the studied infusion is 40 min, APA "
                         "consensus, Sanacora 2017)"};
    }
    const bool early = facts.given_mg < facts.administration_mg;
    if (early && !facts.early_stop_reason) {
        return Error{ErrorCode::kFailedPrecondition, "early_stop_reason",
                     FormatNumber(facts.given_mg) + " mg given of the " + FormatNumber(facts.administration_mg) +
                         " mg the infusion was started with: say why it stopped early (" +
                         kInfusionStopReasonNames.Alternatives() + ")"};
    }
    if (!early && facts.early_stop_reason) {
        return InvalidArgument("early_stop_reason",
                               "the whole " + FormatNumber(facts.administration_mg) +
                                   " mg was given, so the infusion did not stop early; stop it without a reason");
    }
    return assessment;
}

Status CheckSessionMedicationDrug(std::string_view drug) {
    constexpr std::array<std::string_view, 3> kKetamineFamily = {"ketamine", "ketalar", "spravato"};
    const std::string name = NormalizeDrugName(drug);
    for (std::string_view member : kKetamineFamily) {
        if (name.find(member) != std::string::npos) {
            return InvalidArgument("drug", "\"" + std::string(drug) +
                                               "\" is a ketamine-family drug: it is given only as an administration "
                                               "against the session's dose order, never as a session medication");
        }
    }
    return Status::Ok();
}

}  // namespace kclinic::clinical
