#pragma once

// The controlled-substance log as JSON and CSV (docs/api.md "The controlled-substance log"): what the API answers and
// what `kclinic inventory` prints. Every amount is {"units", "mg", "ml"} (ml null for a device kit); CSV is RFC 4180
// with one header row, times in UTC.

#include <string>
#include <vector>

#include "adapters/json/record_json.hpp"
#include "app/controlled_substances.hpp"

namespace kclinic::adapters::json {

// The formulary.
[[nodiscard]] Json CsProductsJson();
// A container with its balance; its entries (each with corrected_by where a correction reversed it) when asked.
[[nodiscard]] Json ToJson(const app::CsContainerStatus& status, bool with_entries);
// Containers without their entries.
[[nodiscard]] Json ToJson(const std::vector<app::CsContainerStatus>& statuses);
[[nodiscard]] Json ToJson(const app::CsDiscrepancy& discrepancy);
// A container as received, without its balance or location (those follow from its entries): the record export's.
[[nodiscard]] Json ToJson(const app::CsContainer& container);
// One entry of `container` as stored (a correction names the entry it reverses in refers_to): the record export's.
[[nodiscard]] Json ToJson(const app::CsEntry& entry, const app::CsContainer& container);

// The inspector's reports.
[[nodiscard]] Json DispensingJson(const std::vector<app::CsDispensingLine>& lines);
[[nodiscard]] std::string DispensingCsv(const std::vector<app::CsDispensingLine>& lines);
[[nodiscard]] Json InventoryJson(app::TimePoint at, const std::vector<app::CsInventoryLine>& lines);
[[nodiscard]] std::string InventoryCsv(const std::vector<app::CsInventoryLine>& lines);
[[nodiscard]] Json LossesJson(const std::vector<app::CsLoss>& losses);
[[nodiscard]] std::string LossesCsv(const std::vector<app::CsLoss>& losses);

}  // namespace kclinic::adapters::json
