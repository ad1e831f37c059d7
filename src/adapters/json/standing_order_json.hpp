#pragma once

// The JSON of standing orders and PRN doses (app/standing_orders.hpp), as the API, the live channel and the session
// screen show them (docs/api.md "Standing orders and PRN doses").

#include "adapters/json/clinical_json.hpp"
#include "app/records.hpp"

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

}  // namespace kclinic::adapters::json
