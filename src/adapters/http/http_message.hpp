#pragma once

// The plain request and response that route handlers see. No Beast type appears here, so handlers and their tests
// compile without Beast and never touch a socket; http_server.cpp converts to and from the wire.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace kclinic::adapters::http {

inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kHtmlContentType = "text/html; charset=utf-8";
inline constexpr std::string_view kTextContentType = "text/plain; charset=utf-8";

// The methods the API uses; any other method arrives as kOther (answered 405 or 404 by the router).
enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

// "GET", "HEAD", ..., "OTHER" (the metrics label of every method outside the list, so its cardinality is bounded).
[[nodiscard]] std::string_view MethodName(Method method);

// Header fields in arrival order. Names compare case-insensitively (RFC 9110 §5.1); a name may repeat.
class Headers {
public:
    void Add(std::string name, std::string value);
    // Removes every field named `name`, then adds one.
    void Set(std::string name, std::string value);
    // The value of the first field named `name`, or nullopt.
    [[nodiscard]] std::optional<std::string_view> Find(std::string_view name) const;

    [[nodiscard]] auto begin() const { return fields_.begin(); }
    [[nodiscard]] auto end() const { return fields_.end(); }
    [[nodiscard]] std::size_t size() const { return fields_.size(); }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
    Method method = Method::kGet;
    std::string target;  // as received: "/api/v1/patients?after=10"
    std::string path;    // the target up to '?', still percent-encoded: the router decodes each segment
    std::vector<std::pair<std::string, std::string>> query;  // decoded name/value pairs, in order
    Headers headers;
    std::string body;
    std::string remote_address;  // the client's IP address, "127.0.0.1" or "::1" (behind a trusted proxy: its word)
    // Whether the client reached the clinic over TLS: this server's listener, or the trusted proxy's, which says so
    // (ResolveForwardedClient). Decides the session cookie's Secure flag and the scheme of absolute URLs.
    bool secure = false;
    // The server's name for this request: in the X-Request-Id answer header, every error body and the log line of
    // the request (RequestIdFor), so that a user's report of an error finds its line in the operator's log.
    std::string request_id;

    // The value of the query parameter named `name` (case-sensitive), or nullopt. A route's handler reads only
    // parameters its route declares, which CheckQueryParameters has already found at most once.
    [[nodiscard]] std::optional<std::string_view> QueryParameter(std::string_view name) const;
};

// The query parameters a route accepts, by name. A route declares them once; the request is checked against them
// before its handler runs (CheckQueryParameters) and docs/api.md lists them.
using QueryParameters = std::vector<std::string>;

// OK when every query parameter of `request` is one of `accepted`, and none is sent twice (which one would count is a
// guess, so neither does). Errors: kInvalidArgument naming the parameter, "unknown query parameter 'x'; this route
// accepts: limit, after" (or "accepts none"), or "query parameter 'x' is repeated; send it once".
[[nodiscard]] Status CheckQueryParameters(const HttpRequest& request, const QueryParameters& accepted);

struct HttpResponse {
    int status = 200;
    std::string content_type = std::string(kJsonContentType);
    // Fields besides Content-Type, Content-Length and Connection, which the server sets.
    Headers headers;
    std::string body;
    // Who was answered (their user id) when the handler authenticated them, for the access log only; never sent.
    std::optional<std::int64_t> actor_user_id = std::nullopt;
    // An error answer's code and what the access log says of it, set where its body is written (http_error.hpp);
    // empty for any other answer. Never sent as such: for a failed dependency or a bug the log has the cause in its
    // own words (the database's address, SQL) while the client reads a fixed sentence (ErrorResponse).
    std::string error_code = {};
    std::string log_detail = {};
};

// The path and query of a request target in origin form ("/path?query", RFC 9112 §3.2.1), the only form a server
// that is not a proxy needs. Query names and values are percent-decoded and '+' reads as a space.
struct RequestTarget {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
};
// Errors: kInvalidArgument "target" for a target that is not in origin form or holds a malformed percent escape.
[[nodiscard]] Result<RequestTarget> ParseTarget(std::string_view target);

// Whether two header names or tokens are equal ignoring ASCII case (RFC 9110 §5.1, §8.3.1).
[[nodiscard]] bool EqualsIgnoringCase(std::string_view a, std::string_view b);
// `text` without the spaces and tabs around it (RFC 9110 §5.6.3, OWS).
[[nodiscard]] std::string_view TrimWhitespace(std::string_view text);

// Whether a request whose body is `body` and whose Content-Type fields are `headers`' says it is JSON: true for an
// empty body (nothing to read), else exactly one Content-Type field naming the media type application/json (RFC 8259
// §11), compared case-insensitively, with no parameter but an optional charset=utf-8 (RFC 8259 §8.1: JSON exchanged
// between systems is UTF-8; the type defines no charset, yet browsers and tools send one). Whitespace around ';' and
// '=' and a quoted charset value are allowed (RFC 9110 §5.6.6, §8.3.1).
[[nodiscard]] bool DeclaresJsonBody(const Headers& headers, std::string_view body);

// Decodes %XX escapes (and nothing else). nullopt for a '%' not followed by two hex digits.
[[nodiscard]] std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace kclinic::adapters::http
