#pragma once

// Strict reading of a JSON object: every JSON input (an API request body, the CLI's intake, a relayed live event)
// is read through an ObjectReader, so every reader refuses bad input the same way. Each refusal is a
// kInvalidArgument Error naming the field by its full path ("weight_kg", "blood_pressure.systolic",
// "antidepressant_trials[0].weeks", "answers[3]"):
//   - a document that is not JSON: Parse's error, naming the document ("body"), or the field of a repeated name
//     or of a number beyond a double's range ("weight_kg": 1e309);
//   - a document that is not an object: "must be a JSON object (got an array)", naming the document;
//   - a missing required field: "is required: a whole number" (what was expected);
//   - a wrong type: "must be a whole number (got a decimal number)" (so a fraction where an integer is expected);
//   - an integer beyond the range of what reads it: "is out of range";
//   - a field nobody read: "unknown field".
// An unknown field is refused rather than ignored because a mistyped safety field ("acute_suicidal_ideaton") must
// not be read as absent. An explicit null reads as an absent field: JSON writers (ours too) spell "no value" either
// way.
//
// Usage: read every field, then call Finish(), which reports the first error met, else the first field left unread.
// A reader that met an error returns default values from then on, so the reads can be written one after another:
//     ObjectReader body(request.body);
//     const std::string mrn = body.String("mrn");
//     const std::optional<double> weight = body.OptionalNumber("weight_kg");
//     RETURN_IF_ERROR(body.Finish());

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

namespace kclinic::adapters::json {

using Json = nlohmann::json;

class ObjectReader {
public:
    // Parses `body` (an HTTP request's) as a JSON object; errors about the document as a whole name "body". An empty
    // body reads as {}, for endpoints whose fields are all optional.
    explicit ObjectReader(std::string_view body);
    // Reads `document`, already parsed; `name` is the field an error names when it is not an object ("intake").
    ObjectReader(Json document, std::string_view name);

    ObjectReader(const ObjectReader&) = delete;
    ObjectReader& operator=(const ObjectReader&) = delete;
    ObjectReader(ObjectReader&&) = default;
    ObjectReader& operator=(ObjectReader&&) = default;
    ~ObjectReader() = default;

    // Whether the field is present and not null. Does not mark it read.
    [[nodiscard]] bool Has(std::string_view name) const;

    [[nodiscard]] std::string String(std::string_view name);
    [[nodiscard]] std::optional<std::string> OptionalString(std::string_view name);
    // An integer that fits an int: the counts, grades and measurements the records hold as int.
    [[nodiscard]] int Int(std::string_view name);
    [[nodiscard]] std::optional<int> OptionalInt(std::string_view name);
    // An integer that fits 64 bits: record ids.
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
    // Arrays: required ones fail when absent, optional ones read as empty.
    [[nodiscard]] std::vector<int> IntArray(std::string_view name);
    [[nodiscard]] std::vector<std::string> OptionalStringArray(std::string_view name);
    // A nested object, read by the returned reader (its errors name "name.field"); its Finish is folded into this
    // reader's Finish. The reader lives as long as this one.
    [[nodiscard]] ObjectReader& Object(std::string_view name);
    [[nodiscard]] ObjectReader* OptionalObject(std::string_view name);
    // An optional array of objects, one reader each (errors name "name[2].field"); empty when absent.
    [[nodiscard]] std::vector<ObjectReader*> OptionalObjectArray(std::string_view name);
    // The raw value, for a field whose shape the caller checks itself (a string or a number; a record passed on
    // whole). Marks it read.
    [[nodiscard]] std::optional<Json> Raw(std::string_view name);

    // Records an error found by the caller's own check, unless one was met already.
    void Fail(Error error);

    // OK when the document was an object, every required field was present with its type, and no field was left
    // unread; otherwise the first error (see the top of this file).
    [[nodiscard]] Status Finish();

private:
    [[nodiscard]] const Json* Find(std::string_view name, bool required, std::string_view expected);
    // The value of field `name` when it is present with the type `is_expected` accepts; nullptr (and an error when
    // it is present with another type, or absent and required) otherwise.
    template <typename IsExpected>
    [[nodiscard]] const Json* Typed(std::string_view name, bool required, std::string_view expected,
                                    IsExpected is_expected);
    [[nodiscard]] std::optional<std::int64_t> IntegerIn(std::string_view name, bool required, std::int64_t min,
                                                        std::int64_t max);
    [[nodiscard]] std::optional<std::chrono::sys_days> DateIn(std::string_view name, bool required);
    [[nodiscard]] std::optional<app::TimePoint> TimeIn(std::string_view name, bool required);
    [[nodiscard]] ObjectReader& Child(Json object, std::string path);
    [[nodiscard]] std::string FieldName(std::string_view name) const;

    Json object_;
    std::string prefix_;  // "blood_pressure." for a nested reader
    std::vector<std::string> read_;
    std::vector<std::unique_ptr<ObjectReader>> children_;
    std::optional<Error> error_;
};

// Parses an RFC 3339 date-time with a UTC offset ("Z" or "+hh:mm"), with optional fractional seconds (kept to the
// millisecond). nullopt for anything else, including local times without an offset, which would be ambiguous.
[[nodiscard]] std::optional<app::TimePoint> ParseRfc3339(std::string_view text);

}  // namespace kclinic::adapters::json
