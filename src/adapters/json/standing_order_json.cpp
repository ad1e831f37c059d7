#include "adapters/json/standing_order_json.hpp"

#include <optional>
#include <utility>
#include <vector>

#include "adapters/json/record_json.hpp"

namespace kclinic::adapters::json {

Json ToJson(const clinical::PrnOrderTerms& terms) {
    Json routes = Json::array();
    for (clinical::MedicationRoute route : terms.routes) {
        routes.push_back(clinical::kMedicationRouteNames.Name(route));
    }
    Json sbp = nullptr;
    if (terms.sbp_condition) {
        sbp = Json{{"systolic_at_or_above_mmhg", terms.sbp_condition->systolic_at_or_above_mmhg},
                   {"sustained_minutes", terms.sbp_condition->sustained_minutes}};
    }
    Json max_total = nullptr;
    if (terms.max_total_per_session) {
        max_total = *terms.max_total_per_session;
    }
    return Json{{"drug", terms.drug},
                {"dose", terms.dose},
                {"unit", clinical::kMedicationUnitNames.Name(terms.unit)},
                {"routes", std::move(routes)},
                {"indication", terms.indication},
                {"sbp_condition", std::move(sbp)},
                {"max_doses_per_session", terms.max_doses_per_session},
                {"max_total_per_session", std::move(max_total)},
                {"min_interval_minutes", terms.min_interval_minutes}};
}

Json ToJson(const app::StandingOrderSet& set) {
    Json entries = Json::array();
    for (const app::StandingOrderEntry& entry : set.entries) {
        Json json = ToJson(entry.terms);
        json["number"] = entry.number;
        entries.push_back(std::move(json));
    }
    return Json{{"id", set.id.value},         {"version", set.version},
                {"note", set.note},           {"signed_at", FormatTime(set.signed_at)},
                {"signed_by", set.signed_by}, {"entries", std::move(entries)}};
}

Json ToJson(const app::OneOffOrder& order) {
    Json json = ToJson(order.terms);
    json["id"] = order.id.value;
    json["session_id"] = order.session.value;
    json["patient_id"] = order.patient.value;
    json["acknowledged_interactions"] = order.acknowledged_interactions;
    json["signed_at"] = FormatTime(order.signed_at);
    json["signed_by"] = order.signed_by;
    return json;
}

Json ToJson(const app::PrnDose& dose) {
    Json json = ToJson(dose.medication);
    json["standing_order_set_id"] =
        dose.order.standing_order_set ? Json(dose.order.standing_order_set->value) : Json(nullptr);
    json["entry_number"] = dose.order.standing_order_set ? Json(dose.order.entry_number) : Json(nullptr);
    json["one_off_order_id"] = dose.order.one_off_order ? Json(dose.order.one_off_order->value) : Json(nullptr);
    json["response"] = dose.response ? Json{{"effective", dose.response->effective},
                                            {"note", dose.response->note},
                                            {"recorded_at", FormatTime(dose.response->recorded_at)},
                                            {"recorded_by", dose.response->recorded_by}}
                                     : Json(nullptr);
    return json;
}

Result<clinical::PrnOrderTerms> ReadPrnOrderTerms(ObjectReader& body, const std::string& prefix) {
    clinical::PrnOrderTerms terms;
    terms.drug = body.String("drug");
    terms.dose = body.Number("dose");
    const std::string unit = body.String("unit");
    const std::optional<Json> routes = body.Raw("routes");
    terms.indication = body.String("indication");
    if (ObjectReader* sbp = body.OptionalObject("sbp_condition")) {
        terms.sbp_condition =
            clinical::SbpCondition{sbp->Int("systolic_at_or_above_mmhg"), sbp->Int("sustained_minutes")};
    }
    terms.max_doses_per_session = body.Int("max_doses_per_session");
    terms.max_total_per_session = body.OptionalNumber("max_total_per_session");
    terms.min_interval_minutes = body.OptionalInt("min_interval_minutes").value_or(0);
    ASSIGN_OR_RETURN(terms.unit, clinical::kMedicationUnitNames.ParseField(prefix + "unit", unit));
    if (!routes || !routes->is_array()) {
        return InvalidArgument(prefix + "routes", "is required: an array of route names");
    }
    for (const Json& route : *routes) {
        if (!route.is_string()) {
            return InvalidArgument(prefix + "routes", "must hold route names only");
        }
        ASSIGN_OR_RETURN(const clinical::MedicationRoute parsed,
                         clinical::kMedicationRouteNames.ParseField(prefix + "routes", route.get<std::string>()));
        terms.routes.push_back(parsed);
    }
    return terms;
}

Result<app::NewStandingOrderSet> ReadStandingOrderSet(std::string_view document) {
    ObjectReader body(document);
    app::NewStandingOrderSet set;
    set.supersedes_version = body.Int("supersedes_version");
    set.note = body.OptionalString("note").value_or("");
    const std::vector<ObjectReader*> entries = body.OptionalObjectArray("entries");
    std::vector<Result<clinical::PrnOrderTerms>> read;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        read.push_back(ReadPrnOrderTerms(*entries[i], "entries[" + std::to_string(i) + "]."));
    }
    RETURN_IF_ERROR(body.Finish());
    for (Result<clinical::PrnOrderTerms>& terms : read) {
        RETURN_IF_ERROR(terms);
        set.entries.push_back(*terms);
    }
    return set;
}

}  // namespace kclinic::adapters::json
