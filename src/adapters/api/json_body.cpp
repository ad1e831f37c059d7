#include "adapters/api/json_body.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

#include "base/text.hpp"

namespace kclinic::adapters::api {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kRfc3339Hint = "an RFC 3339 time with an offset, such as 2026-11-21T09:30:00Z";

std::string TypeName(const Json& value) {
    if (value.is_null()) {
        return "null";
    }
    if (value.is_boolean()) {
        return "a boolean";
    }
    if (value.is_number()) {
        return "a number";
    }
    if (value.is_string()) {
        return "a string";
    }
    if (value.is_array()) {
        return "an array";
    }
    return "an object";
}

bool Digits(std::string_view text, std::size_t from, std::size_t count) {
    if (from + count > text.size()) {
        return false;
    }
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + count),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

int Number(std::string_view text, std::size_t from, std::size_t count) {
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
    const int hour = Number(text, 11, 2);
    const int minute = Number(text, 14, 2);
    const int second = Number(text, 17, 2);
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
               Digits(zone, 4, 2) && Number(zone, 1, 2) <= 23 && Number(zone, 4, 2) <= 59) {
        offset = std::chrono::minutes(Number(zone, 1, 2) * 60 + Number(zone, 4, 2));
        if (zone[0] == '-') {
            offset = -offset;
        }
    } else {
        return std::nullopt;
    }
    return app::TimePoint(*day) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second) + fraction - offset;
}

BodyReader::BodyReader(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        object_ = Json::object();
        return;
    }
    try {
        object_ = Json::parse(body);
    } catch (const Json::parse_error& error) {
        error_ = InvalidArgument("body", "is not valid JSON (at byte " + std::to_string(error.byte) + ")");
        object_ = Json::object();
        return;
    }
    if (!object_.is_object()) {
        error_ = InvalidArgument("body", "must be a JSON object (got " + TypeName(object_) + ")");
        object_ = Json::object();
    }
}

BodyReader::BodyReader(Json object, std::string prefix) : object_(std::move(object)), prefix_(std::move(prefix)) {}

std::string BodyReader::FieldName(std::string_view name) const {
    return prefix_ + std::string(name);
}

void BodyReader::Fail(Error error) {
    if (!error_) {
        error_ = std::move(error);
    }
}

void BodyReader::WrongType(std::string_view name, std::string_view expected) {
    const auto found = object_.find(std::string(name));
    Fail(InvalidArgument(FieldName(name), "must be " + std::string(expected) + " (got " + TypeName(*found) + ")"));
}

bool BodyReader::Has(std::string_view name) const {
    const auto found = object_.find(std::string(name));
    return found != object_.end() && !found->is_null();
}

const Json* BodyReader::Find(std::string_view name, bool required, std::string_view expected) {
    read_.emplace_back(name);
    const auto found = object_.find(std::string(name));
    // An explicit null reads as absent: JSON writers (ours too) may spell "no value" either way.
    if (found == object_.end() || found->is_null()) {
        if (required) {
            Fail(InvalidArgument(FieldName(name), "is required: " + std::string(expected)));
        }
        return nullptr;
    }
    return error_ ? nullptr : &*found;
}

std::optional<std::string> BodyReader::OptionalString(std::string_view name) {
    const Json* value = Find(name, false, "a string");
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        WrongType(name, "a string");
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::string BodyReader::String(std::string_view name) {
    if (!Has(name)) {
        Find(name, true, "a string");
        return {};
    }
    return OptionalString(name).value_or("");
}

std::optional<std::int64_t> BodyReader::OptionalInteger(std::string_view name) {
    const Json* value = Find(name, false, "an integer");
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number_integer()) {
        WrongType(name, "an integer");
        return std::nullopt;
    }
    if (value->is_number_unsigned() &&
        value->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        Fail(InvalidArgument(FieldName(name), "is too large"));
        return std::nullopt;
    }
    return value->get<std::int64_t>();
}

std::int64_t BodyReader::Integer(std::string_view name) {
    if (!Has(name)) {
        Find(name, true, "an integer");
        return 0;
    }
    return OptionalInteger(name).value_or(0);
}

std::optional<double> BodyReader::OptionalNumber(std::string_view name) {
    const Json* value = Find(name, false, "a number");
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number()) {
        WrongType(name, "a number");
        return std::nullopt;
    }
    return value->get<double>();
}

double BodyReader::Number(std::string_view name) {
    if (!Has(name)) {
        Find(name, true, "a number");
        return 0;
    }
    return OptionalNumber(name).value_or(0);
}

std::optional<bool> BodyReader::OptionalBoolean(std::string_view name) {
    const Json* value = Find(name, false, "true or false");
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_boolean()) {
        WrongType(name, "true or false");
        return std::nullopt;
    }
    return value->get<bool>();
}

bool BodyReader::Boolean(std::string_view name) {
    if (!Has(name)) {
        Find(name, true, "true or false");
        return false;
    }
    return OptionalBoolean(name).value_or(false);
}

std::optional<std::chrono::sys_days> BodyReader::OptionalDate(std::string_view name) {
    const std::optional<std::string> text = OptionalString(name);
    if (!text) {
        return std::nullopt;
    }
    const std::optional<std::chrono::sys_days> date = ParseDate(*text);
    if (!date) {
        Fail(InvalidArgument(FieldName(name), "must be a date YYYY-MM-DD (got \"" + *text + "\")"));
    }
    return date;
}

std::chrono::sys_days BodyReader::Date(std::string_view name) {
    if (!Has(name)) {
        Find(name, true, "a date YYYY-MM-DD");
        return {};
    }
    return OptionalDate(name).value_or(std::chrono::sys_days{});
}

std::optional<app::TimePoint> BodyReader::OptionalTime(std::string_view name) {
    const std::optional<std::string> text = OptionalString(name);
    if (!text) {
        return std::nullopt;
    }
    const std::optional<app::TimePoint> time = ParseRfc3339(*text);
    if (!time) {
        Fail(InvalidArgument(FieldName(name), "must be " + std::string(kRfc3339Hint) + " (got \"" + *text + "\")"));
    }
    return time;
}

app::TimePoint BodyReader::Time(std::string_view name) {
    if (!Has(name)) {
        Find(name, true, kRfc3339Hint);
        return {};
    }
    return OptionalTime(name).value_or(app::TimePoint{});
}

std::vector<int> BodyReader::IntegerArray(std::string_view name) {
    const Json* value = Find(name, true, "an array of integers");
    if (value == nullptr) {
        return {};
    }
    if (!value->is_array()) {
        WrongType(name, "an array of integers");
        return {};
    }
    std::vector<int> items;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const Json& item = (*value)[i];
        const std::string field = FieldName(name) + "[" + std::to_string(i) + "]";
        if (!item.is_number_integer()) {
            Fail(InvalidArgument(field, "must be an integer (got " + TypeName(item) + ")"));
            return {};
        }
        const bool out_of_range =
            item.is_number_unsigned()
                ? item.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max())
                : item.get<std::int64_t>() < std::numeric_limits<int>::min() ||
                      item.get<std::int64_t>() > std::numeric_limits<int>::max();
        if (out_of_range) {
            Fail(InvalidArgument(field, "is out of range"));
            return {};
        }
        items.push_back(static_cast<int>(item.get<std::int64_t>()));
    }
    return items;
}

std::vector<std::string> BodyReader::StringArray(std::string_view name) {
    const Json* value = Find(name, false, "an array of strings");
    if (value == nullptr) {
        return {};
    }
    if (!value->is_array()) {
        WrongType(name, "an array of strings");
        return {};
    }
    std::vector<std::string> items;
    for (std::size_t i = 0; i < value->size(); ++i) {
        const Json& item = (*value)[i];
        if (!item.is_string()) {
            Fail(InvalidArgument(FieldName(name) + "[" + std::to_string(i) + "]",
                                 "must be a string (got " + TypeName(item) + ")"));
            return {};
        }
        items.push_back(item.get<std::string>());
    }
    return items;
}

BodyReader* BodyReader::OptionalObject(std::string_view name) {
    const Json* value = Find(name, false, "an object");
    if (value == nullptr) {
        return nullptr;
    }
    if (!value->is_object()) {
        WrongType(name, "an object");
        return nullptr;
    }
    children_.push_back(std::unique_ptr<BodyReader>(new BodyReader(*value, FieldName(name) + ".")));
    return children_.back().get();
}

BodyReader& BodyReader::Object(std::string_view name) {
    if (!Has(name)) {
        Find(name, true, "an object");
    } else if (BodyReader* child = OptionalObject(name); child != nullptr) {
        return *child;
    }
    // A detached empty reader, so the caller's reads go on returning defaults; this reader already holds the error.
    children_.push_back(std::unique_ptr<BodyReader>(new BodyReader(Json::object(), FieldName(name) + ".")));
    return *children_.back();
}

std::optional<Json> BodyReader::Raw(std::string_view name) {
    const Json* value = Find(name, false, "a value");
    return value == nullptr ? std::nullopt : std::optional<Json>(*value);
}

Status BodyReader::Finish() {
    if (error_) {
        return *error_;
    }
    for (const auto& child : children_) {
        RETURN_IF_ERROR(child->Finish());
    }
    for (const auto& [key, value] : object_.items()) {
        if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
            return InvalidArgument(FieldName(key), "is not a field of this request");
        }
    }
    return Status::Ok();
}

}  // namespace kclinic::adapters::api
