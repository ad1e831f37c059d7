#pragma once

// The JSON of standing orders and PRN doses (app/standing_orders.hpp), as the API, the live channel and the session
// screen show them (docs/api.md "Standing orders and PRN doses").

#include <string>
#include <string_view>

#include "adapters/json/clinical_json.hpp"
#include "adapters/json/object_reader.hpp"
#include "app/records.hpp"
#include "app/standing_orders.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::json {

// {"drug", "dose", "unit", "routes": [...], "indication", "sbp_condition": {"systolic_at_or_above_mmhg",
// "sustained_minutes"} or null, "max_doses_per_session", "max_total_per_session" or null, "min_interval_minutes"}.
[[nodiscard]] Json ToJson(const clinical::PrnOrderTerms& terms);
// {"id", "version", "note", "signed_at", "signed_by", "entries": [{"number", ...terms}]}.
[[nodiscard]] Json ToJson(const app::StandingOrderSet& set);
// {"id", "session_id", "patient_id", ...terms, "acknowledged_interactions": [...], "signed_at", "signed_by"}.
[[nodiscard]] Json ToJson(const app::OneOffOrder& order);
// The session medication's JSON with "standing_order_set_id" and "entry_number" (or null), "one_off_order_id" (or
// null) and "response": {"effective", "note", "recorded_at", "recorded_by"} or null.
[[nodiscard]] Json ToJson(const app::PrnDose& dose);

// The terms of an order (a standing-order entry or a one-off order) read from `body`, the fields ToJson writes but
// "routes" an array of route names; errors name `prefix` + the field. Enum names are checked here; every bound by
// clinical::ValidatePrnOrderTerms in the use case. The caller finishes `body`.
[[nodiscard]] Result<clinical::PrnOrderTerms> ReadPrnOrderTerms(ObjectReader& body, const std::string& prefix);
// A new version of the standing-order set from a JSON document: {"supersedes_version", "note" (optional),
// "entries": [terms...]}, as POST /api/v1/standing-orders and `kclinic standing-orders sign` take it. Errors name
// the field ("entries[0].unit"); unknown fields are refused.
[[nodiscard]] Result<app::NewStandingOrderSet> ReadStandingOrderSet(std::string_view document);

}  // namespace kclinic::adapters::json
