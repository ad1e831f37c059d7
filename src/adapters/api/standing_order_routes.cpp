// Standing orders and PRN doses (issue 14 §1): the medical director's versioned standing-order set, a prescriber's
// one-off order for a session, a nurse's PRN dose under either and its response. A dose and a response are published
// to the live channel, so the board and a second tab see them.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/live_events.hpp"
#include "adapters/json/standing_order_json.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

Json ItemsOf(const std::vector<app::StandingOrderSet>& sets) {
    Json items = Json::array();
    for (const app::StandingOrderSet& set : sets) {
        items.push_back(json::ToJson(set));
    }
    return Json{{"items", std::move(items)}};
}

}  // namespace

void AddStandingOrderRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/standing-orders", Permission::kStandingOrderRead, Subject::kNone,
            [&services](ApiCall&) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::vector<app::StandingOrderSet> sets,
                                 services.use_cases.standing_orders.ListSets());
                return JsonResponse(200, ItemsOf(sets));
            });

    // ?at=TIME: the set in force then (404 when none was signed); ?date=YYYY-MM-DD: every set in force during that
    // clinic day; neither: the set in force now.
    api.Add(Method::kGet, "/api/v1/standing-orders/in-force", Permission::kStandingOrderRead, Subject::kNone,
            {"at", "date"}, [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::optional<app::TimePoint> at, QueryTime(call.request, "at"));
                ASSIGN_OR_RETURN(const std::optional<std::chrono::sys_days> date, QueryDate(call.request, "date"));
                if (at && date) {
                    return InvalidArgument("date", "give either at or date, not both");
                }
                if (date) {
                    ASSIGN_OR_RETURN(const std::vector<app::StandingOrderSet> sets,
                                     services.use_cases.standing_orders.SetsInForceOn(*date));
                    return JsonResponse(200, ItemsOf(sets));
                }
                ASSIGN_OR_RETURN(const app::StandingOrderSet set,
                                 services.use_cases.standing_orders.SetInForce(at.value_or(call.now)));
                return JsonResponse(200, json::ToJson(set));
            });

    api.Add(Method::kPost, "/api/v1/standing-orders", Permission::kStandingOrderSign, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const app::NewStandingOrderSet set, json::ReadStandingOrderSet(call.request.body));
                ASSIGN_OR_RETURN(const app::StandingOrderSet signed_set,
                                 services.use_cases.standing_orders.SignSet(call.actor, set));
                return JsonResponse(201, json::ToJson(signed_set));
            });

    api.Add(Method::kPost, "/api/v1/sessions/{id}/one-off-orders", Permission::kDoseOrderSign, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                Result<clinical::PrnOrderTerms> terms = json::ReadPrnOrderTerms(body, "");
                app::NewOneOffOrder order;
                order.acknowledge_interactions = body.OptionalBoolean("acknowledge_interactions").value_or(false);
                RETURN_IF_ERROR(body.Finish());
                RETURN_IF_ERROR(terms);
                order.terms = std::move(*terms);
                ASSIGN_OR_RETURN(
                    const app::OneOffOrder signed_order,
                    services.use_cases.standing_orders.SignOneOffOrder(call.actor, app::SessionId{call.id}, order));
                return JsonResponse(201, json::ToJson(signed_order));
            });

    api.Add(Method::kPost, "/api/v1/sessions/{id}/prn-doses", Permission::kPrnDoseGive, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::NewPrnDose dose;
                dose.entry_number = body.OptionalInt("entry_number");
                if (const std::optional<std::int64_t> order = body.OptionalInteger("one_off_order_id")) {
                    dose.one_off_order = app::OneOffOrderId{*order};
                }
                dose.dose = body.Number("dose");
                const std::string unit = body.String("unit");
                const std::string route = body.String("route");
                dose.indication = body.String("indication");
                dose.given_at = body.OptionalTime("given_at").value_or(call.now);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(dose.unit, clinical::kMedicationUnitNames.ParseField("unit", unit));
                ASSIGN_OR_RETURN(dose.route, clinical::kMedicationRouteNames.ParseField("route", route));
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::PrnDose given, services.use_cases.standing_orders.GivePrnDose(
                                                               call.actor, app::SessionId{call.id}, dose, settings));
                services.events.Publish(json::PrnDoseEvent(given));
                return JsonResponse(201, json::ToJson(given));
            });

    api.Add(Method::kPost, "/api/v1/prn-doses/{id}/response", Permission::kPrnDoseGive, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::NewPrnResponse response;
                response.effective = body.Boolean("effective");
                response.note = body.OptionalString("note").value_or("");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::PrnDose answered,
                                 services.use_cases.standing_orders.RecordResponse(
                                     call.actor, app::SessionMedicationId{call.id}, response));
                services.events.Publish(json::PrnDoseEvent(answered));
                return JsonResponse(200, json::ToJson(answered));
            });
}

}  // namespace kclinic::adapters::api
