// The parsers of query parameters that many routes share (declared in routes.hpp and api.hpp). A file of its own,
// with nothing of the routes, so the query-parameter fuzz target (query_fuzz.cpp) compiles it without the server.

#include <charconv>
#include <optional>
#include <string>

#include "adapters/api/routes.hpp"
#include "adapters/json/object_reader.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::api {

std::optional<std::int64_t> PositiveInteger(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

Result<std::optional<std::int64_t>> QueryId(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text) {
        return std::optional<std::int64_t>();
    }
    const std::optional<std::int64_t> id = PositiveInteger(*text);
    if (!id) {
        return InvalidArgument(std::string(name), "must be a positive integer record id");
    }
    return id;
}

Result<bool> QueryBoolean(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text || *text == "false") {
        return false;
    }
    if (*text == "true") {
        return true;
    }
    return InvalidArgument(std::string(name), "must be true or false");
}

Result<std::optional<std::chrono::sys_days>> QueryDate(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text) {
        return std::optional<std::chrono::sys_days>();
    }
    const std::optional<std::chrono::sys_days> date = ParseDate(*text);
    if (!date) {
        return InvalidArgument(std::string(name),
                               "must be a calendar date YYYY-MM-DD (got \"" + std::string(*text) + "\")");
    }
    return date;
}

Result<std::optional<app::TimePoint>> QueryTime(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text) {
        return std::optional<app::TimePoint>();
    }
    const std::optional<app::TimePoint> time = json::ParseRfc3339(*text);
    if (!time) {
        return InvalidArgument(std::string(name),
                               "must be an RFC 3339 time with an offset, such as 2026-11-21T09:30:00Z");
    }
    return time;
}

Result<std::optional<int>> QueryCount(const HttpRequest& request, std::string_view name, int max) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text) {
        return std::optional<int>();
    }
    const std::optional<std::int64_t> value = PositiveInteger(*text);
    if (!value || *value > max) {
        return Error{ErrorCode::kOutOfRange, std::string(name),
                     "must be a whole number from 1 to " + std::to_string(max)};
    }
    return std::optional<int>(static_cast<int>(*value));
}

Result<PageRequest> ReadPage(const HttpRequest& request) {
    PageRequest page;
    if (const std::optional<std::string_view> limit = request.QueryParameter("limit")) {
        const std::optional<std::int64_t> value = PositiveInteger(*limit);
        if (!value || *value > app::kMaxPageSize) {
            return InvalidArgument("limit", "must be an integer from 1 to " + std::to_string(app::kMaxPageSize));
        }
        page.limit = static_cast<int>(*value);
    }
    if (const std::optional<std::string_view> after = request.QueryParameter("after")) {
        const std::optional<std::int64_t> value =
            *after == "0" ? std::optional<std::int64_t>(0) : PositiveInteger(*after);
        if (!value) {
            return InvalidArgument("after", "must be a record id (the next_after of the previous page)");
        }
        page.after = *value;
    }
    return page;
}

}  // namespace kclinic::adapters::api
