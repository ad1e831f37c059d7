#include "adapters/http/http_message.hpp"

#include <algorithm>
#include <cctype>

namespace kclinic::adapters::http {
namespace {

int HexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// One media-type field value: application/json, then parameters of which only charset=utf-8 may be non-empty.
bool IsJsonMediaType(std::string_view value) {
    std::size_t end = value.find(';');
    if (!EqualsIgnoringCase(TrimWhitespace(value.substr(0, end)), "application/json")) {
        return false;
    }
    bool charset_seen = false;
    while (end != std::string_view::npos) {
        value.remove_prefix(end + 1);
        end = value.find(';');
        const std::string_view parameter = TrimWhitespace(value.substr(0, end));
        if (parameter.empty()) {
            continue;  // RFC 9110 §5.6.6 allows an empty parameter ("application/json;")
        }
        const std::size_t equals = parameter.find('=');
        if (equals == std::string_view::npos || charset_seen ||
            !EqualsIgnoringCase(TrimWhitespace(parameter.substr(0, equals)), "charset")) {
            return false;
        }
        std::string_view charset = TrimWhitespace(parameter.substr(equals + 1));
        if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
            charset = charset.substr(1, charset.size() - 2);
        }
        if (!EqualsIgnoringCase(charset, "utf-8")) {
            return false;
        }
        charset_seen = true;
    }
    return true;
}

// HTML forms encode a space as '+' in the query (application/x-www-form-urlencoded), never in the path.
std::optional<std::string> DecodeQueryPart(std::string_view text) {
    std::string spaced(text);
    std::ranges::replace(spaced, '+', ' ');
    return PercentDecode(spaced);
}

}  // namespace

std::string_view MethodName(Method method) {
    switch (method) {
        case Method::kGet:
            return "GET";
        case Method::kHead:
            return "HEAD";
        case Method::kPost:
            return "POST";
        case Method::kPut:
            return "PUT";
        case Method::kPatch:
            return "PATCH";
        case Method::kDelete:
            return "DELETE";
        case Method::kOptions:
            return "OPTIONS";
        case Method::kOther:
            return "OTHER";
    }
    return "OTHER";
}

void Headers::Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Set(std::string name, std::string value) {
    std::erase_if(fields_, [&](const auto& field) { return EqualsIgnoringCase(field.first, name); });
    Add(std::move(name), std::move(value));
}

std::optional<std::string_view> Headers::Find(std::string_view name) const {
    for (const auto& [field_name, value] : fields_) {
        if (EqualsIgnoringCase(field_name, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> HttpRequest::QueryParameter(std::string_view name) const {
    for (const auto& [parameter, value] : query) {
        if (parameter == name) {
            return value;
        }
    }
    return std::nullopt;
}

Status CheckQueryParameters(const HttpRequest& request, const QueryParameters& accepted) {
    for (auto parameter = request.query.begin(); parameter != request.query.end(); ++parameter) {
        const std::string& name = parameter->first;
        if (std::ranges::find(accepted, name) == accepted.end()) {
            std::string accepts;
            for (const std::string& known : accepted) {
                accepts += (accepts.empty() ? "" : ", ") + known;
            }
            return InvalidArgument(name, "unknown query parameter '" + name + "'; this route accepts" +
                                             (accepts.empty() ? " none" : ": " + accepts));
        }
        if (std::any_of(request.query.begin(), parameter,
                        [&name](const auto& earlier) { return earlier.first == name; })) {
            return InvalidArgument(name, "query parameter '" + name + "' is repeated; send it once");
        }
    }
    return Status::Ok();
}

std::optional<std::string> PercentDecode(std::string_view text) {
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            decoded.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const int high = HexValue(text[i + 1]);
        const int low = HexValue(text[i + 2]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
    }
    return decoded;
}

Result<RequestTarget> ParseTarget(std::string_view target) {
    if (target.empty() || target.front() != '/') {
        return InvalidArgument("target", "must be an absolute path such as /api/v1/patients");
    }
    RequestTarget parsed;
    const std::size_t question = target.find('?');
    parsed.path = std::string(target.substr(0, question));
    if (!PercentDecode(parsed.path)) {
        return InvalidArgument("target", "malformed percent escape in the path");
    }
    if (question == std::string_view::npos) {
        return parsed;
    }
    std::string_view rest = target.substr(question + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const std::size_t equals = pair.find('=');
        std::optional<std::string> name = DecodeQueryPart(pair.substr(0, equals));
        std::optional<std::string> value =
            DecodeQueryPart(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
        if (!name || !value) {
            return InvalidArgument("target", "malformed percent escape in the query");
        }
        parsed.query.emplace_back(std::move(*name), std::move(*value));
    }
    return parsed;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view TrimWhitespace(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool DeclaresJsonBody(const Headers& headers, std::string_view body) {
    if (body.empty()) {
        return true;
    }
    int fields = 0;
    bool json = false;
    for (const auto& [name, value] : headers) {
        if (EqualsIgnoringCase(name, "Content-Type")) {
            ++fields;
            json = IsJsonMediaType(value);
        }
    }
    return fields == 1 && json;  // two fields may disagree, and which one counts would be a guess
}

}  // namespace kclinic::adapters::http
