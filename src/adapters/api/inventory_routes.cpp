// The controlled-substance log (app/controlled_substances.hpp; docs/api.md "The controlled-substance log"): stock,
// its movements, counts and discrepancies, corrections and the inspector's reports as JSON or CSV. A witness (or the
// second counter) confirms in the same request with their own credentials, verified here before the use case runs.

#include <optional>
#include <string>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/inventory_json.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;
// An amount object {"mg"} / {"ml"} / {"devices"} under `name`; an empty amount when absent and not required.
app::CsAmount ReadAmount(ObjectReader& body, std::string_view name, bool required) {
    ObjectReader* amount = required ? &body.Object(name) : body.OptionalObject(name);
    if (amount == nullptr) {
        return {};
    }
    return app::CsAmount{amount->OptionalNumber("mg"), amount->OptionalNumber("ml"),
                         amount->OptionalInteger("devices")};
}

// The witness's own credentials as the request gave them: an email and password, or an API token.
struct WitnessCredentials {
    std::string email;
    std::string password;
    std::string token;
};

WitnessCredentials ReadWitness(ObjectReader& body) {
    ObjectReader& witness = body.Object("witness");
    WitnessCredentials credentials;
    if (witness.Has("token")) {
        credentials.token = witness.String("token");
    } else {
        credentials.email = witness.String("email");
        credentials.password = witness.String("password");
    }
    return credentials;
}

// Confirms the witness by their own credentials: never the caller's session or token. Errors: kUnauthenticated
// "witness" for credentials that are not a live user's; ConfirmWitness's.
Result<app::Witness> ConfirmWitness(ApiServices& services, const ApiCall& call, const WitnessCredentials& credentials) {
    Result<app::Principal> principal = credentials.token.empty()
                                           ? services.use_cases.authentication.ConfirmWitness(
                                                 credentials.email, credentials.password, call.actor.origin)
                                           : services.use_cases.authentication.AuthenticateApiToken(credentials.token);
    if (!principal.ok()) {
        const Error& error = principal.error();
        return Error{
            error.code, error.code == ErrorCode::kUnauthenticated ? "witness" : error.field,
            error.code == ErrorCode::kUnauthenticated ? "the witness's credentials are not valid" : error.message};
    }
    return app::Witness{principal->email, principal->role};
}

// Query parameter `format`: "json" (default) or "csv".
Result<bool> WantsCsv(const HttpRequest& request) {
    const std::optional<std::string_view> format = request.QueryParameter("format");
    if (!format || *format == "json") {
        return false;
    }
    if (*format == "csv") {
        return true;
    }
    return InvalidArgument("format", "must be json or csv");
}

HttpResponse CsvResponse(std::string body, std::string_view name) {
    HttpResponse response;
    response.content_type = "text/csv; charset=utf-8";
    response.headers.Set("Content-Disposition", "attachment; filename=\"" + std::string(name) + ".csv\"");
    response.headers.Set("Cache-Control", "no-store");
    response.body = std::move(body);
    return response;
}

// The period of a report: `from` and `to`, both required.
Result<std::pair<app::TimePoint, app::TimePoint>> ReadPeriod(const HttpRequest& request) {
    ASSIGN_OR_RETURN(const std::optional<app::TimePoint> from, QueryTime(request, "from"));
    ASSIGN_OR_RETURN(const std::optional<app::TimePoint> to, QueryTime(request, "to"));
    if (!from) {
        return InvalidArgument("from", "is required");
    }
    if (!to) {
        return InvalidArgument("to", "is required");
    }
    return std::pair{*from, *to};
}

// Tells those who sign a count's discrepancy (the medical director, else every prescriber) of each discrepancy the
// count just recorded, on their live board. Best effort, as every live event: the count is committed, and the
// discrepancy alerts they read (GET /api/v1/inventory/discrepancy-alerts) hold it until it is signed.
void PublishDiscrepancyAlerts(app::ControlledSubstanceLog& log, app::EventBus& events,
                              const std::vector<app::CsContainerStatus>& counted) {
    std::vector<app::CsDiscrepancy> discrepancies;
    for (const app::CsContainerStatus& status : counted) {
        const app::CsEntry& count = status.entries.back();
        if (count.units != count.expected_units) {
            discrepancies.push_back(
                app::CsDiscrepancy{count, status.container.product, status.container.lot_number, std::nullopt});
        }
    }
    if (discrepancies.empty()) {
        return;
    }
    Result<std::vector<std::string>> signers = log.DiscrepancySigners();
    if (!signers.ok() || signers->empty()) {
        return;
    }
    for (const app::CsDiscrepancy& discrepancy : discrepancies) {
        app::LiveEvent event{app::LiveEventKind::kCountDiscrepancy, app::PatientId{0}, std::nullopt,
                             json::ToJson(discrepancy).dump()};
        event.recipients = *signers;
        events.Publish(event);
    }
}

}  // namespace

void AddInventoryRoutes(ApiRouter& api, ApiServices& services) {
    app::ControlledSubstanceLog& log = services.use_cases.inventory;

    api.Add(Method::kGet, "/api/v1/inventory/products", Permission::kInventoryRead, Subject::kNone,
            [](ApiCall&) -> Result<HttpResponse> { return JsonResponse(200, json::CsProductsJson()); });

    api.Add(Method::kGet, "/api/v1/inventory/containers", Permission::kInventoryRead, Subject::kNone,
            {"location", "include_closed"}, [&log](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const bool include_closed, QueryBoolean(call.request, "include_closed"));
                std::optional<std::string> location;
                if (const auto text = call.request.QueryParameter("location")) {
                    location = std::string(*text);
                }
                ASSIGN_OR_RETURN(const std::vector<app::CsContainerStatus> containers,
                                 log.ListContainers(call.actor, location, include_closed));
                return JsonResponse(200, json::ToJson(containers));
            });

    api.Add(Method::kGet, "/api/v1/inventory/containers/{id}", Permission::kInventoryRead, Subject::kNone,
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                 log.GetContainer(call.actor, app::CsContainerId{call.id}));
                return JsonResponse(200, json::ToJson(status, true));
            });

    api.Add(Method::kPost, "/api/v1/inventory/receipts", Permission::kInventoryReceive, Subject::kNone,
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::CsReceipt receipt;
                receipt.product = body.String("product");
                receipt.lot_number = body.String("lot_number");
                receipt.expires_on = body.Date("expires_on");
                receipt.supplier = body.String("supplier");
                receipt.invoice = body.String("invoice");
                receipt.location = body.String("location");
                receipt.containers = body.OptionalInt("containers").value_or(1);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const std::vector<app::CsContainerStatus> received, log.Receive(call.actor, receipt));
                return JsonResponse(201, {{"containers", json::ToJson(received)}});
            });

    api.Add(Method::kPost, "/api/v1/inventory/containers/{id}/transfer", Permission::kInventoryReceive, Subject::kNone,
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string location = body.String("location");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                 log.Transfer(call.actor, app::CsContainerId{call.id}, location));
                return JsonResponse(200, json::ToJson(status, true));
            });

    api.Add(Method::kPost, "/api/v1/inventory/containers/{id}/return-to-supplier", Permission::kInventoryReceive,
            Subject::kNone, [&log](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string reference = body.String("reference");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                 log.ReturnToSupplier(call.actor, app::CsContainerId{call.id}, reference));
                return JsonResponse(200, json::ToJson(status, true));
            });

    api.Add(Method::kPost, "/api/v1/inventory/containers/{id}/draws", Permission::kInventoryDraw, Subject::kNone,
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                app::CsDraw draw;
                draw.administration = app::AdministrationId{body.Integer("administration_id")};
                draw.drawn = ReadAmount(body, "drawn", true);
                draw.given = ReadAmount(body, "given", true);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                 log.Draw(call.actor, app::CsContainerId{call.id}, draw));
                return Created("/api/v1/inventory/containers/" + std::to_string(call.id), json::ToJson(status, true));
            });

    api.Add(Method::kPost, "/api/v1/inventory/entries/{id}/return-to-stock", Permission::kInventoryDraw, Subject::kNone,
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const app::CsAmount amount = ReadAmount(body, "amount", true);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                 log.ReturnToStock(call.actor, app::CsEntryId{call.id}, amount));
                return JsonResponse(200, json::ToJson(status, true));
            });

    api.Add(Method::kPost, "/api/v1/inventory/containers/{id}/waste", Permission::kInventoryDraw, Subject::kNone,
            [&log, &services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::optional<std::int64_t> draw = body.OptionalInteger("draw_entry_id");
                const app::CsAmount amount = ReadAmount(body, "amount", true);
                const std::string reason = body.String("reason");
                const WitnessCredentials credentials = ReadWitness(body);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::Witness witness, ConfirmWitness(services, call, credentials));
                ASSIGN_OR_RETURN(
                    const app::CsContainerStatus status,
                    log.Waste(call.actor, app::CsContainerId{call.id},
                              draw ? std::optional(app::CsEntryId{*draw}) : std::nullopt, amount, reason, witness));
                return Created("/api/v1/inventory/containers/" + std::to_string(call.id), json::ToJson(status, true));
            });

    api.Add(Method::kPost, "/api/v1/inventory/containers/{id}/destruction", Permission::kInventoryDestroy,
            Subject::kNone, [&log, &services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const app::CsAmount amount = ReadAmount(body, "amount", false);
                const std::string reason = body.String("reason");
                const WitnessCredentials credentials = ReadWitness(body);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::Witness witness, ConfirmWitness(services, call, credentials));
                ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                 log.Destroy(call.actor, app::CsContainerId{call.id}, amount, reason, witness));
                return Created("/api/v1/inventory/containers/" + std::to_string(call.id), json::ToJson(status, true));
            });

    api.Add(Method::kPost, "/api/v1/inventory/counts", Permission::kInventoryCount, Subject::kNone,
            [&log, &services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string location = body.String("location");
                std::vector<app::CsFound> found;
                for (ObjectReader* one : body.OptionalObjectArray("found")) {
                    app::CsFound item;
                    item.container = app::CsContainerId{one->Integer("container_id")};
                    item.found = ReadAmount(*one, "amount", true);
                    found.push_back(item);
                }
                const std::string note = body.OptionalString("note").value_or("");
                const WitnessCredentials credentials = ReadWitness(body);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::Witness witness, ConfirmWitness(services, call, credentials));
                ASSIGN_OR_RETURN(const std::vector<app::CsContainerStatus> counted,
                                 log.Count(call.actor, location, found, note, witness));
                Json containers = Json::array();
                for (const app::CsContainerStatus& status : counted) {
                    containers.push_back(json::ToJson(status, false));
                }
                PublishDiscrepancyAlerts(log, services.events, counted);
                return JsonResponse(201, {{"containers", std::move(containers)}});
            });

    api.Add(Method::kGet, "/api/v1/inventory/discrepancies", Permission::kInventoryRead, Subject::kNone, {"open"},
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const bool open, QueryBoolean(call.request, "open"));
                ASSIGN_OR_RETURN(const std::vector<app::CsDiscrepancy> discrepancies,
                                 log.ListDiscrepancies(call.actor, open));
                Json items = Json::array();
                for (const app::CsDiscrepancy& discrepancy : discrepancies) {
                    items.push_back(json::ToJson(discrepancy));
                }
                return JsonResponse(200, items);
            });

    api.Add(Method::kGet, "/api/v1/inventory/discrepancy-alerts", Permission::kInventoryRead, Subject::kNone,
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::vector<app::CsDiscrepancy> alerts, log.DiscrepancyAlerts(call.actor));
                Json items = Json::array();
                for (const app::CsDiscrepancy& discrepancy : alerts) {
                    items.push_back(json::ToJson(discrepancy));
                }
                return JsonResponse(200, items);
            });

    api.Add(Method::kPost, "/api/v1/inventory/entries/{id}/resolve", Permission::kInventorySignDiscrepancy,
            Subject::kNone, [&log](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string explanation = body.String("explanation");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::CsDiscrepancy resolved,
                                 log.Resolve(call.actor, app::CsEntryId{call.id}, explanation));
                return JsonResponse(200, json::ToJson(resolved));
            });

    api.Add(Method::kPost, "/api/v1/inventory/entries/{id}/correct", Permission::kInventoryCorrect, Subject::kNone,
            [&log](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string reason = body.String("reason");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                 log.Correct(call.actor, app::CsEntryId{call.id}, reason));
                return Created("/api/v1/inventory/containers/" + std::to_string(status.container.id.value),
                               json::ToJson(status, true));
            });

    api.Add(Method::kGet, "/api/v1/inventory/reports/dispensing", Permission::kInventoryRead, Subject::kNone,
            {"drug", "from", "to", "format"}, [&log](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const bool csv, WantsCsv(call.request));
                ASSIGN_OR_RETURN(const auto period, ReadPeriod(call.request));
                const std::string drug(call.request.QueryParameter("drug").value_or(""));
                ASSIGN_OR_RETURN(const std::vector<app::CsDispensingLine> lines,
                                 log.DispensingLog(call.actor, drug, period.first, period.second));
                return csv ? CsvResponse(json::DispensingCsv(lines), "dispensing-log")
                           : JsonResponse(200, json::DispensingJson(lines));
            });

    api.Add(Method::kGet, "/api/v1/inventory/reports/inventory", Permission::kInventoryRead, Subject::kNone,
            {"at", "format"}, [&log](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const bool csv, WantsCsv(call.request));
                ASSIGN_OR_RETURN(const std::optional<app::TimePoint> at, QueryTime(call.request, "at"));
                const app::TimePoint when = at.value_or(call.now);
                ASSIGN_OR_RETURN(const std::vector<app::CsInventoryLine> lines, log.Inventory(call.actor, when));
                return csv ? CsvResponse(json::InventoryCsv(lines), "inventory")
                           : JsonResponse(200, json::InventoryJson(when, lines));
            });

    api.Add(Method::kGet, "/api/v1/inventory/reports/losses", Permission::kInventoryRead, Subject::kNone,
            {"from", "to", "format"}, [&log](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const bool csv, WantsCsv(call.request));
                ASSIGN_OR_RETURN(const auto period, ReadPeriod(call.request));
                ASSIGN_OR_RETURN(const std::vector<app::CsLoss> losses,
                                 log.Losses(call.actor, period.first, period.second));
                return csv ? CsvResponse(json::LossesCsv(losses), "losses")
                           : JsonResponse(200, json::LossesJson(losses));
            });
}

}  // namespace kclinic::adapters::api
