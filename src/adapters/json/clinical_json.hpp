#pragma once

// The JSON shape of the clinical core's inputs and outputs. The CLI prints these objects and the HTTP API will
// serve the same ones, so a field means one thing everywhere (docs/cli.md documents each). Parsing is strict: an
// unknown field, a wrong type or an out-of-range value is an Error naming the field, never silently ignored, because
// a mistyped safety field ("acute_suicidal_ideaton") must not be read as absent.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/json/object_reader.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/outcomes.hpp"
#include "clinical/scales.hpp"
#include "clinical/schedule.hpp"
#include "clinical/settings.hpp"

namespace kclinic::adapters::json {

using Json = nlohmann::json;

// Parses `text` as one JSON document, strictly. Errors, each kInvalidArgument: a syntax error, naming its byte
// offset (field empty: the document); a name repeated within one object, "is given twice; send each field once" on
// its path ("bp.systolic", "trials[1].weeks"); a number beyond a double's range (1e309), "must be a number within a
// double's range..." on its path (empty for a bare number).
[[nodiscard]] Result<Json> Parse(std::string_view text);

// An intake for eligibility screening (docs/cli.md `screen`), read by ObjectReader. Required: age_years, sex,
// product. Errors: kInvalidArgument naming the field ("antidepressant_trials[1].weeks") for a document that is not an
// object ("intake"), unknown fields, wrong types, missing required fields and unknown names of sex, product or
// child_pugh; range checks are the clinical core's (Screen).
[[nodiscard]] Result<clinical::Intake> IntakeFromJson(const Json& json);
// One antidepressant trial's fields, all required: drug, weeks, adequate_dose, improvement_percent,
// current_episode. Errors are left in `reader`, for its Finish.
[[nodiscard]] clinical::AntidepressantTrial ReadAntidepressantTrial(ObjectReader& reader);
// The inverse of IntakeFromJson: every field under the name IntakeFromJson reads, an absent optional (pregnant,
// weight_kg, heart_rate, blood_pressure, child_pugh) left out. IntakeFromJson(IntakeToJson(x)) == x for any
// intake, and `.dump()` of the result is a stable text (keys sorted, numbers in shortest round-trip form): the
// inputs snapshot stored with each screening.
[[nodiscard]] Json IntakeToJson(const clinical::Intake& intake);

[[nodiscard]] Json ToJson(const clinical::ScaleResult& result);
[[nodiscard]] Json ToJson(const clinical::Outcome& outcome);
[[nodiscard]] Json ToJson(const clinical::Screening& screening);
[[nodiscard]] Json ToJson(const clinical::DoseOrder& order);
[[nodiscard]] Json ToJson(clinical::Protocol protocol, std::span<const clinical::PlannedSession> sessions);
[[nodiscard]] Json ToJson(std::span<const clinical::SettingSpec> settings);

// Times of the clinic record: ISO 8601 UTC with milliseconds ("2026-11-21T09:30:00.000Z").
[[nodiscard]] std::string FormatTime(app::TimePoint time);

}  // namespace kclinic::adapters::json
