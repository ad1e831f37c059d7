#pragma once

// Maps a request's method and path to a handler. Patterns are absolute paths whose segments are literals or
// captures, "/api/v1/patients/{id}/vitals": a capture matches one non-empty segment and hands its percent-decoded
// text to the handler under its name. When several patterns match a path, the most specific wins (at the first
// segment where they differ, a literal beats a capture), so "/patients/search" is never read as an id.
//
// A path no pattern matches answers 404; a matched pattern without the request's method answers 405 with an Allow
// header; both carry the JSON error body of http_error.hpp. HEAD is answered by the GET handler (the server sends
// the headers only) unless a HEAD handler is registered.
//
// A fallback (SetFallback) serves a single-page application: it answers the GET and HEAD requests no pattern
// matches, except under the paths the patterns claim. A pattern claims its first segment when that is a literal
// ("/api/v1/patients" claims /api/..., "/healthz" claims /healthz/...), so a mistyped API path is still a JSON 404
// however the server's routes grow, and every other path reaches the application.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/http_message.hpp"

namespace kclinic::adapters::http {

// Captured path segments by capture name, percent-decoded.
using PathParams = std::map<std::string, std::string, std::less<>>;

// Runs on a worker thread and may block (it will call the database). An exception it throws becomes a 500 and a
// log line (the server catches it); an expected failure should be returned as ErrorResponse instead.
using Handler = std::function<HttpResponse(const HttpRequest& request, const PathParams& params)>;

// The metrics label of a request no pattern matched (and of one refused before routing: malformed, too large).
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

// What the router found for a request. Metrics label requests by `route`, the pattern, never by the raw path, so
// the number of label values stays bounded.
struct RouteMatch {
    std::string_view route = kUnmatchedRoute;  // the matched pattern ("/api/v1/patients/{id}"), owned by the router
    const Handler* handler = nullptr;          // null when `refusal` is the answer
    PathParams params;
    HttpResponse refusal;  // 404 when no pattern matched, 405 with Allow when the method is not registered
};

class Router {
public:
    Router();
    ~Router();
    Router(Router&&) noexcept;
    Router& operator=(Router&&) noexcept;

    // REQUIRES: `pattern` starts with '/', has no empty segment, and each capture is a whole segment "{name}" with
    // a name not used twice in it; no handler is registered yet for `method` on a pattern of the same shape.
    // Registration happens before the server starts: Add is not thread-safe.
    void Add(Method method, std::string_view pattern, Handler handler);

    // Finds the handler for `request` and its path parameters; the caller calls it. Thread-safe (const): many
    // workers match at once. The handler and route pointed to live as long as the router.
    [[nodiscard]] RouteMatch Match(const HttpRequest& request) const;

    // From now on, a GET or HEAD request that no pattern matches and whose path's first segment (percent-decoded)
    // no pattern claims is answered by `handler`, with empty params and `route` as its route label (metrics). The
    // path is handed over as received (a later segment may be empty or not decode): the handler decides what it
    // names. REQUIRES: called once, before the server starts (not thread-safe, like Add).
    void SetFallback(std::string_view route, Handler handler);

private:
    struct Route;
    // Whether a pattern claims the first segment of `path` (see SetFallback); a path whose first segment does not
    // decode is claimed, so it gets the ordinary 404.
    [[nodiscard]] bool Claimed(std::string_view path) const;

    std::vector<std::unique_ptr<Route>> routes_;
    std::string fallback_route_;
    Handler fallback_;  // empty: no fallback
};

}  // namespace kclinic::adapters::http
