#include "adapters/json/inventory_json.hpp"

#include <map>
#include <optional>
#include <utility>

#include "adapters/json/clinical_json.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::json {
namespace {

using clinical::CsMovementKind;

Json AmountJson(const clinical::CsProduct& product, std::int64_t units) {
    Json amount = {{"units", units}, {"mg", static_cast<double>(clinical::UnitsToMicrograms(product, units)) / 1000.0}};
    const std::optional<double> ml = clinical::UnitsToMillilitres(product, units);
    amount["ml"] = ml ? Json(*ml) : Json(nullptr);
    return amount;
}

clinical::CsProduct ProductOf(const app::CsContainer& container) {
    // Every stored product code is one of the formulary's: the use cases store no other.
    Result<clinical::CsProduct> product = clinical::FindCsProduct(container.product);
    return product.ok() ? *product : clinical::CsProduct{};
}

Json EntryJson(const app::CsEntry& entry, const clinical::CsProduct& product,
               std::optional<app::CsEntryId> corrected_by = std::nullopt) {
    Json out = {{"id", entry.id.value},
                {"container_id", entry.container.value},
                {"kind", clinical::kCsMovementKindNames.Name(entry.kind)},
                {"amount", AmountJson(product, entry.units)},
                {"recorded_at", FormatTime(entry.recorded_at)},
                {"recorded_by", entry.recorded_by}};
    if (entry.kind == CsMovementKind::kDraw) {
        out["given"] = AmountJson(product, entry.given_units);
    }
    if (entry.kind == CsMovementKind::kCount) {
        out["expected"] = AmountJson(product, entry.expected_units);
    }
    auto optional_id = [&out](const char* name, auto id) {
        if (id) {
            out[name] = id->value;
        }
    };
    optional_id("refers_to", entry.refers_to);
    optional_id("administration_id", entry.administration);
    optional_id("patient_id", entry.patient);
    optional_id("corrected_by", corrected_by);
    for (const auto& [name, text] : {std::pair{"location", &entry.location}, std::pair{"reference", &entry.reference},
                                     std::pair{"reason", &entry.reason}, std::pair{"witness", &entry.witness}}) {
        if (!text->empty()) {
            out[name] = *text;
        }
    }
    return out;
}

Json ContainerJson(const app::CsContainer& container, const clinical::CsProduct& product) {
    return {{"id", container.id.value},
            {"product", container.product},
            {"drug", product.drug},
            {"description", product.description},
            {"unit", clinical::kCountingUnitNames.Name(product.unit)},
            {"multi_dose", product.multi_dose},
            {"lot_number", container.lot_number},
            {"expires_on", FormatDate(container.expires_on)},
            {"supplier", container.supplier},
            {"invoice", container.invoice},
            {"received_at", FormatTime(container.received_at)},
            {"received_by", container.received_by}};
}

Json BalanceJson(const clinical::CsProduct& product, const clinical::CsBalance& b) {
    return {{"received", AmountJson(product, b.received)},
            {"given", AmountJson(product, b.given)},
            {"wasted", AmountJson(product, b.wasted)},
            {"destroyed", AmountJson(product, b.destroyed)},
            {"returned_to_supplier", AmountJson(product, b.returned_to_supplier)},
            {"discrepancy", AmountJson(product, b.discrepancy)},
            {"in_hand", AmountJson(product, b.in_hand)},
            {"on_hand", AmountJson(product, b.on_hand)}};
}

// The correction of each corrected entry of `entries`, by the corrected entry's id.
std::map<std::int64_t, app::CsEntryId> Corrections(const std::vector<app::CsEntry>& entries) {
    std::map<std::int64_t, app::CsEntryId> corrections;
    for (const app::CsEntry& entry : entries) {
        if (entry.kind == CsMovementKind::kCorrection && entry.refers_to) {
            corrections[entry.refers_to->value] = entry.id;
        }
    }
    return corrections;
}

Json StatusJson(const app::CsContainerStatus& status, bool with_entries) {
    Json out = ContainerJson(status.container, status.product);
    out["location"] = status.location;
    out["expired"] = status.expired;
    out["closed"] = status.balance.closed;
    out["balance"] = BalanceJson(status.product, status.balance);
    out["open_draws"] = status.balance.open_draws;
    out["open_discrepancies"] = status.balance.open_discrepancies;
    if (with_entries) {
        const std::map<std::int64_t, app::CsEntryId> corrections = Corrections(status.entries);
        Json entries = Json::array();
        for (const app::CsEntry& entry : status.entries) {
            const auto correction = corrections.find(entry.id.value);
            entries.push_back(
                EntryJson(entry, status.product,
                          correction == corrections.end() ? std::nullopt : std::optional(correction->second)));
        }
        out["entries"] = std::move(entries);
    }
    return out;
}

// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, its quotes doubled.
std::string CsvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::string CsvRow(const std::vector<std::string>& fields) {
    std::string row;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        row += (i == 0 ? "" : ",") + CsvField(fields[i]);
    }
    return row + "\r\n";
}

std::string Mg(const clinical::CsProduct& product, std::int64_t units) {
    return FormatNumber(static_cast<double>(clinical::UnitsToMicrograms(product, units)) / 1000.0);
}

// A multi-line text (a postal address) on one line, its lines joined by ", ": one CSV row per record, for the
// spreadsheet and the grep an inspector reads it with.
std::string OneLine(const std::string& text) {
    std::string line;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        std::string part = text.substr(start, end - start);
        if (!part.empty() && part.back() == '\r') {
            part.pop_back();
        }
        if (!part.empty()) {
            line += (line.empty() ? "" : ", ") + part;
        }
        start = end + 1;
    }
    return line;
}

// What a loss took: a count's difference (expected minus found; negative when found over), else the entry's amount.
std::int64_t LostUnits(const app::CsEntry& entry) {
    return entry.kind == CsMovementKind::kCount ? entry.expected_units - entry.units : entry.units;
}

}  // namespace

Json CsProductsJson() {
    Json products = Json::array();
    for (const clinical::CsProduct& product : clinical::CsProducts()) {
        products.push_back({{"code", product.code},
                            {"drug", product.drug},
                            {"description", product.description},
                            {"unit", clinical::kCountingUnitNames.Name(product.unit)},
                            {"units_per_container", product.units_per_container},
                            {"container", AmountJson(product, product.units_per_container)},
                            {"multi_dose", product.multi_dose}});
    }
    return products;
}

Json ToJson(const app::CsContainerStatus& status, bool with_entries) {
    return StatusJson(status, with_entries);
}

Json ToJson(const app::CsContainer& container) {
    return ContainerJson(container, ProductOf(container));
}

Json ToJson(const app::CsEntry& entry, const app::CsContainer& container) {
    return EntryJson(entry, ProductOf(container));
}

Json ToJson(const std::vector<app::CsContainerStatus>& statuses) {
    Json list = Json::array();
    for (const app::CsContainerStatus& status : statuses) {
        list.push_back(StatusJson(status, false));
    }
    return list;
}

Json ToJson(const app::CsDiscrepancy& discrepancy) {
    Result<clinical::CsProduct> found = clinical::FindCsProduct(discrepancy.product);
    const clinical::CsProduct product = found.ok() ? *found : clinical::CsProduct{};
    return {{"count", EntryJson(discrepancy.count, product)},
            {"product", discrepancy.product},
            {"description", product.description},
            {"lot_number", discrepancy.lot_number},
            {"resolution", discrepancy.resolution ? EntryJson(*discrepancy.resolution, product) : Json(nullptr)}};
}

Json DispensingJson(const std::vector<app::CsDispensingLine>& lines) {
    Json items = Json::array();
    for (const app::CsDispensingLine& line : lines) {
        const clinical::CsProduct product = ProductOf(line.container);
        items.push_back({{"entry", EntryJson(line.draw, product, line.corrected_by)},
                         {"container", ContainerJson(line.container, product)},
                         {"patient",
                          {{"id", line.patient.id.value},
                           {"mrn", line.patient.mrn},
                           {"given_name", line.patient.given_name},
                           {"family_name", line.patient.family_name},
                           {"address", line.patient.address}}},
                         {"returned", AmountJson(product, line.returned_units)},
                         {"wasted", AmountJson(product, line.wasted_units)},
                         {"waste_witnesses", line.waste_witnesses}});
    }
    return items;
}

std::string DispensingCsv(const std::vector<app::CsDispensingLine>& lines) {
    std::string body =
        CsvRow({"recorded_at", "recorded_by", "product", "lot_number", "container_id", "entry_id", "patient_id",
                "patient_given_name", "patient_family_name", "patient_address", "administration_id", "drawn_mg",
                "given_mg", "returned_mg", "wasted_mg", "waste_witnesses", "corrected_by"});
    for (const app::CsDispensingLine& line : lines) {
        const clinical::CsProduct product = ProductOf(line.container);
        std::string witnesses;
        for (const std::string& witness : line.waste_witnesses) {
            witnesses += (witnesses.empty() ? "" : " ") + witness;
        }
        body += CsvRow({FormatTime(line.draw.recorded_at), line.draw.recorded_by, line.container.product,
                        line.container.lot_number, std::to_string(line.container.id.value),
                        std::to_string(line.draw.id.value), std::to_string(line.patient.id.value),
                        line.patient.given_name, line.patient.family_name, OneLine(line.patient.address),
                        line.draw.administration ? std::to_string(line.draw.administration->value) : "",
                        Mg(product, line.draw.units), Mg(product, line.draw.given_units),
                        Mg(product, line.returned_units), Mg(product, line.wasted_units), witnesses,
                        line.corrected_by ? std::to_string(line.corrected_by->value) : ""});
    }
    return body;
}

Json InventoryJson(app::TimePoint at, const std::vector<app::CsInventoryLine>& lines) {
    Json items = Json::array();
    for (const app::CsInventoryLine& line : lines) {
        const clinical::CsProduct product = ProductOf(line.container);
        items.push_back({{"container", ContainerJson(line.container, product)},
                         {"location", line.location},
                         {"balance", BalanceJson(product, line.balance)}});
    }
    return {{"at", FormatTime(at)}, {"lines", std::move(items)}};
}

std::string InventoryCsv(const std::vector<app::CsInventoryLine>& lines) {
    std::string body = CsvRow({"product", "description", "lot_number", "expires_on", "container_id", "location",
                               "on_hand_units", "unit", "on_hand_mg", "on_hand_ml", "in_hand_units"});
    for (const app::CsInventoryLine& line : lines) {
        const clinical::CsProduct product = ProductOf(line.container);
        const std::optional<double> ml = clinical::UnitsToMillilitres(product, line.balance.on_hand);
        body += CsvRow({line.container.product, std::string(product.description), line.container.lot_number,
                        FormatDate(line.container.expires_on), std::to_string(line.container.id.value), line.location,
                        std::to_string(line.balance.on_hand),
                        std::string(clinical::kCountingUnitNames.Name(product.unit)), Mg(product, line.balance.on_hand),
                        ml ? FormatNumber(*ml) : "", std::to_string(line.balance.in_hand)});
    }
    return body;
}

Json LossesJson(const std::vector<app::CsLoss>& losses) {
    Json items = Json::array();
    for (const app::CsLoss& loss : losses) {
        const clinical::CsProduct product = ProductOf(loss.container);
        Json item = EntryJson(loss.entry, product);
        item["lost"] = AmountJson(product, LostUnits(loss.entry));
        item["product"] = loss.container.product;
        item["lot_number"] = loss.container.lot_number;
        item["resolution"] = loss.resolution ? EntryJson(*loss.resolution, product) : Json(nullptr);
        items.push_back(std::move(item));
    }
    return items;
}

std::string LossesCsv(const std::vector<app::CsLoss>& losses) {
    std::string body = CsvRow({"recorded_at", "kind", "container_id", "product", "lot_number", "lost_units", "lost_mg",
                               "expected_units", "reason", "witness", "recorded_by", "resolved_by", "resolution"});
    for (const app::CsLoss& loss : losses) {
        const clinical::CsProduct product = ProductOf(loss.container);
        const app::CsEntry& entry = loss.entry;
        body += CsvRow({FormatTime(entry.recorded_at), std::string(clinical::kCsMovementKindNames.Name(entry.kind)),
                        std::to_string(entry.container.value), loss.container.product, loss.container.lot_number,
                        std::to_string(LostUnits(entry)), Mg(product, LostUnits(entry)),
                        entry.kind == CsMovementKind::kCount ? std::to_string(entry.expected_units) : "", entry.reason,
                        entry.witness, entry.recorded_by, loss.resolution ? loss.resolution->recorded_by : "",
                        loss.resolution ? loss.resolution->reason : ""});
    }
    return body;
}

}  // namespace kclinic::adapters::json
