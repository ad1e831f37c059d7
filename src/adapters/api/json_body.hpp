#pragma once

// Strict reading of a JSON request body. Every API endpoint that takes a body reads it through a BodyReader, so
// every endpoint refuses bad input the same way: a body that is not a JSON object, a missing required field, a
// wrong type, an out-of-range integer or an unknown field is an kInvalidArgument Error naming the field ("weight_kg",
// "blood_pressure.systolic", "answers[3]"). An unknown field is refused rather than ignored because a mistyped
// safety field must not be read as absent (the same rule as adapters/json/clinical_json).
//
// Usage: read every field, then call Finish(), which reports the first error met (or an unknown field). A reader
// that met an error returns default values from then on, so the calls can be written one after another.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::api {

class BodyReader {
public:
    // Parses `body` as a JSON object. An empty body reads as {} (endpoints whose fields are all optional).
    explicit BodyReader(std::string_view body);

    [[nodiscard]] bool Has(std::string_view name) const;

    [[nodiscard]] std::string String(std::string_view name);
    [[nodiscard]] std::optional<std::string> OptionalString(std::string_view name);
    [[nodiscard]] std::int64_t Integer(std::string_view name);
    [[nodiscard]] std::optional<std::int64_t> OptionalInteger(std::string_view name);
    [[nodiscard]] double Number(std::string_view name);
    [[nodiscard]] std::optional<double> OptionalNumber(std::string_view name);
    [[nodiscard]] bool Boolean(std::string_view name);
    [[nodiscard]] std::optional<bool> OptionalBoolean(std::string_view name);
    // A calendar date "YYYY-MM-DD".
    [[nodiscard]] std::chrono::sys_days Date(std::string_view name);
    [[nodiscard]] std::optional<std::chrono::sys_days> OptionalDate(std::string_view name);
    // An instant in RFC 3339 form with an offset: "2026-11-21T09:30:00Z", "2026-11-21T10:30:00.250+01:00".
    [[nodiscard]] app::TimePoint Time(std::string_view name);
    [[nodiscard]] std::optional<app::TimePoint> OptionalTime(std::string_view name);
    [[nodiscard]] std::vector<int> IntegerArray(std::string_view name);
    [[nodiscard]] std::vector<std::string> StringArray(std::string_view name);
    // A nested object, read by the returned reader (its errors name "name.field"); its Finish is folded into this
    // reader's Finish.
    [[nodiscard]] BodyReader& Object(std::string_view name);
    [[nodiscard]] BodyReader* OptionalObject(std::string_view name);
    // The raw value, for a field whose shape another parser checks (e.g. an intake object). Marks it read.
    [[nodiscard]] std::optional<nlohmann::json> Raw(std::string_view name);

    // Records an error found by the caller's own check, unless one was met already.
    void Fail(Error error);

    // OK when the body parsed, every required field was present with its type, and no field was left unread.
    [[nodiscard]] Status Finish();

private:
    BodyReader(nlohmann::json object, std::string prefix);
    const nlohmann::json* Find(std::string_view name, bool required, std::string_view expected);
    void WrongType(std::string_view name, std::string_view expected);
    [[nodiscard]] std::string FieldName(std::string_view name) const;

    nlohmann::json object_;
    std::string prefix_;  // "blood_pressure." for a nested reader
    std::vector<std::string> read_;
    std::vector<std::unique_ptr<BodyReader>> children_;
    std::optional<Error> error_;
};

// Parses an RFC 3339 date-time with a UTC offset ("Z" or "+hh:mm"), with optional fractional seconds (kept to the
// millisecond). nullopt for anything else, including local times without an offset, which would be ambiguous.
[[nodiscard]] std::optional<app::TimePoint> ParseRfc3339(std::string_view text);

}  // namespace kclinic::adapters::api
