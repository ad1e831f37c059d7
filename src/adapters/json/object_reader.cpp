#include "adapters/json/object_reader.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

#include "adapters/json/clinical_json.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::json {
namespace {

// What each kind of field must be, as errors say it.
constexpr std::string_view kWholeNumber = "a whole number";
constexpr std::string_view kDate = "a date YYYY-MM-DD";
constexpr std::string_view kRfc3339 = "an RFC 3339 time with an offset, such as 2026-11-21T09:30:00Z";

// What was sent, in the words of the error messages ("must be a string (got a whole number)").
std::string TypeName(const Json& value) {
    if (value.is_null()) {
        return "null";
    }
    if (value.is_boolean()) {
        return "a boolean";
    }
    if (value.is_number_integer()) {
        return "a whole number";
    }
    if (value.is_number()) {
        return "a decimal number";
    }
    if (value.is_string()) {
        return "a string";
    }
    if (value.is_array()) {
        return "an array";
    }
    return "an object";
}

Error WrongType(const std::string& field, std::string_view expected, const Json& value) {
    return InvalidArgument(field, "must be " + std::string(expected) + " (got " + TypeName(value) + ")");
}

// The value of a JSON integer when it lies in [min, max]; nullopt when beyond (an unsigned value may exceed int64).
std::optional<std::int64_t> InRange(const Json& value, std::int64_t min, std::int64_t max) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
    }
    const auto number = value.get<std::int64_t>();
    if (number < min || number > max) {
        return std::nullopt;
    }
    return number;
}

bool Digits(std::string_view text, std::size_t from, std::size_t count) {
    if (from + count > text.size()) {
        return false;
    }
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

int DigitsValue(std::string_view text, std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<app::TimePoint> ParseRfc3339(std::string_view text) {
    // RFC 3339 §5.6: full-date "T" time-hour ":" time-minute ":" time-second [time-secfrac] time-offset.
    if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || !Digits(text, 11, 2) ||
        !Digits(text, 14, 2) || !Digits(text, 17, 2)) {
        return std::nullopt;
    }
    const std::optional<std::chrono::sys_days> day = ParseDate(text.substr(0, 10));
    const int hour = DigitsValue(text, 11, 2);
    const int minute = DigitsValue(text, 14, 2);
    const int second = DigitsValue(text, 17, 2);
    if (!day || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;  // a leap second (:60) is not representable in the record's UTC milliseconds
    }
    std::size_t at = 19;
    std::chrono::milliseconds fraction{0};
    if (text[at] == '.') {
        const std::size_t start = ++at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
            ++at;
        }
        if (at == start) {
            return std::nullopt;
        }
        int millis = 0;
        for (std::size_t i = start; i < start + 3; ++i) {
            millis = millis * 10 + (i < at ? text[i] - '0' : 0);
        }
        fraction = std::chrono::milliseconds(millis);
    }
    std::chrono::minutes offset{0};
    const std::string_view zone = text.substr(at);
    if (zone == "Z" || zone == "z") {
        offset = std::chrono::minutes(0);
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' && Digits(zone, 1, 2) &&
               Digits(zone, 4, 2) && DigitsValue(zone, 1, 2) <= 23 && DigitsValue(zone, 4, 2) <= 59) {
        offset = std::chrono::minutes(DigitsValue(zone, 1, 2) * 60 + DigitsValue(zone, 4, 2));
        if (zone[0] == '-') {
            offset = -offset;
        }
    } else {
        return std::nullopt;
    }
    return app::TimePoint(*day) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second) + fraction - offset;
}

ObjectReader::ObjectReader(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        object_ = Json::object();
        return;
    }
    Result<Json> parsed = Parse(body);
    if (!parsed.ok()) {
        Error error = parsed.error();
        if (error.field.empty() || error.field.starts_with('[')) {
            error.field = "body" + error.field;  // the document as a whole, or an item of a top-level array
        }
        error_ = std::move(error);
        object_ = Json::object();
        return;
    }
    *this = ObjectReader(std::move(parsed).value(), "body");
}

ObjectReader::ObjectReader(Json document, std::string_view name) : object_(std::move(document)) {
    if (!object_.is_object()) {
        error_ = WrongType(std::string(name), "a JSON object", object_);
        object_ = Json::object();
    }
}

std::string ObjectReader::FieldName(std::string_view name) const {
    return prefix_ + std::string(name);
}

void ObjectReader::Fail(Error error) {
    if (!error_) {
        error_ = std::move(error);
    }
}

bool ObjectReader::Has(std::string_view name) const {
    const auto found = object_.find(name);
    return found != object_.end() && !found->is_null();
}

const Json* ObjectReader::Find(std::string_view name, bool required, std::string_view expected) {
    read_.emplace_back(name);
    const auto found = object_.find(name);
    if (found == object_.end() || found->is_null()) {
        if (required) {
            Fail(InvalidArgument(FieldName(name), "is required: " + std::string(expected)));
        }
        return nullptr;
    }
    return error_ ? nullptr : &*found;
}

template <typename IsExpected>
const Json* ObjectReader::Typed(std::string_view name, bool required, std::string_view expected,
                                IsExpected is_expected) {
    const Json* value = Find(name, required, expected);
    if (value != nullptr && !is_expected(*value)) {
        Fail(WrongType(FieldName(name), expected, *value));
        return nullptr;
    }
    return value;
}

std::optional<std::string> ObjectReader::OptionalString(std::string_view name) {
    const Json* value = Typed(name, false, "a string", [](const Json& v) { return v.is_string(); });
    return value == nullptr ? std::nullopt : std::optional(value->get<std::string>());
}

std::string ObjectReader::String(std::string_view name) {
    const Json* value = Typed(name, true, "a string", [](const Json& v) { return v.is_string(); });
    return value == nullptr ? std::string() : value->get<std::string>();
}

std::optional<std::int64_t> ObjectReader::IntegerIn(std::string_view name, bool required, std::int64_t min,
                                                    std::int64_t max) {
    const Json* value = Typed(name, required, kWholeNumber, [](const Json& v) { return v.is_number_integer(); });
    if (value == nullptr) {
        return std::nullopt;
    }
    const std::optional<std::int64_t> number = InRange(*value, min, max);
    if (!number) {
        Fail(InvalidArgument(FieldName(name), "is out of range"));
    }
    return number;
}

std::optional<int> ObjectReader::OptionalInt(std::string_view name) {
    const std::optional<std::int64_t> value =
        IntegerIn(name, false, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    return value ? std::optional(static_cast<int>(*value)) : std::nullopt;
}

int ObjectReader::Int(std::string_view name) {
    return static_cast<int>(
        IntegerIn(name, true, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()).value_or(0));
}

std::optional<std::int64_t> ObjectReader::OptionalInteger(std::string_view name) {
    return IntegerIn(name, false, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
}

std::int64_t ObjectReader::Integer(std::string_view name) {
    return IntegerIn(name, true, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max())
        .value_or(0);
}

std::optional<double> ObjectReader::OptionalNumber(std::string_view name) {
    const Json* value = Typed(name, false, "a number", [](const Json& v) { return v.is_number(); });
    return value == nullptr ? std::nullopt : std::optional(value->get<double>());
}

double ObjectReader::Number(std::string_view name) {
    const Json* value = Typed(name, true, "a number", [](const Json& v) { return v.is_number(); });
    return value == nullptr ? 0 : value->get<double>();
}

std::optional<bool> ObjectReader::OptionalBoolean(std::string_view name) {
    const Json* value = Typed(name, false, "true or false", [](const Json& v) { return v.is_boolean(); });
    return value == nullptr ? std::nullopt : std::optional(value->get<bool>());
}

bool ObjectReader::Boolean(std::string_view name) {
    const Json* value = Typed(name, true, "true or false", [](const Json& v) { return v.is_boolean(); });
    return value != nullptr && value->get<bool>();
}

std::optional<std::chrono::sys_days> ObjectReader::DateIn(std::string_view name, bool required) {
    const Json* value = Typed(name, required, kDate, [](const Json& v) { return v.is_string(); });
    if (value == nullptr) {
        return std::nullopt;
    }
    const auto& text = value->get_ref<const std::string&>();
    const std::optional<std::chrono::sys_days> date = ParseDate(text);
    if (!date) {
        Fail(InvalidArgument(FieldName(name), "must be " + std::string(kDate) + " (got \"" + text + "\")"));
    }
    return date;
}

std::optional<std::chrono::sys_days> ObjectReader::OptionalDate(std::string_view name) {
    return DateIn(name, false);
}

std::chrono::sys_days ObjectReader::Date(std::string_view name) {
    return DateIn(name, true).value_or(std::chrono::sys_days{});
}

std::optional<app::TimePoint> ObjectReader::TimeIn(std::string_view name, bool required) {
    const Json* value = Typed(name, required, kRfc3339, [](const Json& v) { return v.is_string(); });
    if (value == nullptr) {
        return std::nullopt;
    }
    const auto& text = value->get_ref<const std::string&>();
    const std::optional<app::TimePoint> time = ParseRfc3339(text);
    if (!time) {
        Fail(InvalidArgument(FieldName(name), "must be " + std::string(kRfc3339) + " (got \"" + text + "\")"));
    }
    return time;
}

std::optional<app::TimePoint> ObjectReader::OptionalTime(std::string_view name) {
    return TimeIn(name, false);
}

app::TimePoint ObjectReader::Time(std::string_view name) {
    return TimeIn(name, true).value_or(app::TimePoint{});
}

std::vector<int> ObjectReader::IntArray(std::string_view name) {
    const Json* value = Typed(name, true, "an array of whole numbers", [](const Json& v) { return v.is_array(); });
    if (value == nullptr) {
        return {};
    }
    std::vector<int> items;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const Json& item = (*value)[i];
        const std::string field = FieldName(name) + "[" + std::to_string(i) + "]";
        if (!item.is_number_integer()) {
            Fail(WrongType(field, kWholeNumber, item));
            return {};
        }
        const std::optional<std::int64_t> number =
            InRange(item, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        if (!number) {
            Fail(InvalidArgument(field, "is out of range"));
            return {};
        }
        items.push_back(static_cast<int>(*number));
    }
    return items;
}

std::vector<std::string> ObjectReader::OptionalStringArray(std::string_view name) {
    const Json* value = Typed(name, false, "an array of strings", [](const Json& v) { return v.is_array(); });
    if (value == nullptr) {
        return {};
    }
    std::vector<std::string> items;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const Json& item = (*value)[i];
        if (!item.is_string()) {
            Fail(WrongType(FieldName(name) + "[" + std::to_string(i) + "]", "a string", item));
            return {};
        }
        items.push_back(item.get<std::string>());
    }
    return items;
}

ObjectReader& ObjectReader::Child(Json object, std::string path) {
    auto child = std::make_unique<ObjectReader>(std::move(object), path);
    child->prefix_ = std::move(path) + ".";
    children_.push_back(std::move(child));
    return *children_.back();
}

ObjectReader* ObjectReader::OptionalObject(std::string_view name) {
    const Json* value = Typed(name, false, "an object", [](const Json& v) { return v.is_object(); });
    return value == nullptr ? nullptr : &Child(*value, FieldName(name));
}

ObjectReader& ObjectReader::Object(std::string_view name) {
    const Json* value = Typed(name, true, "an object", [](const Json& v) { return v.is_object(); });
    // Absent or not an object: a detached empty reader, so the caller's reads go on returning defaults; this reader
    // already holds the error.
    return Child(value == nullptr ? Json::object() : *value, FieldName(name));
}

std::vector<ObjectReader*> ObjectReader::OptionalObjectArray(std::string_view name) {
    const Json* value = Typed(name, false, "an array of objects", [](const Json& v) { return v.is_array(); });
    if (value == nullptr) {
        return {};
    }
    std::vector<ObjectReader*> items;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const Json& item = (*value)[i];
        const std::string field = FieldName(name) + "[" + std::to_string(i) + "]";
        if (!item.is_object()) {
            Fail(WrongType(field, "an object", item));
            return {};
        }
        items.push_back(&Child(item, field));
    }
    return items;
}

std::optional<Json> ObjectReader::Raw(std::string_view name) {
    const Json* value = Find(name, false, "a value");
    return value == nullptr ? std::nullopt : std::optional<Json>(*value);
}

Status ObjectReader::Finish() {
    if (error_) {
        return *error_;
    }
    for (const auto& child : children_) {
        RETURN_IF_ERROR(child->Finish());
    }
    for (const auto& [key, value] : object_.items()) {
        if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
            if (key.empty()) {
                // Found by the JSON fuzz target: {"": 8} was refused naming no field at all.
                return InvalidArgument(prefix_.empty() ? "body" : prefix_.substr(0, prefix_.size() - 1),
                                       "has a field with an empty name, which nothing reads");
            }
            return InvalidArgument(FieldName(key), "unknown field");
        }
    }
    return Status::Ok();
}

}  // namespace kclinic::adapters::json
