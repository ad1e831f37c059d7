#include "adapters/http/router.hpp"

#include <algorithm>
#include <cassert>
#include <optional>

#include "adapters/http/http_error.hpp"

namespace kclinic::adapters::http {
namespace {

struct Segment {
    bool capture = false;
    std::string text;  // the literal, or the capture's name
};

std::vector<std::string_view> SplitPath(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path == "/") {
        return segments;
    }
    path.remove_prefix(1);
    while (true) {
        const std::size_t slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            return segments;
        }
        path.remove_prefix(slash + 1);
    }
}

std::vector<Segment> ParsePattern(std::string_view pattern) {
    assert(!pattern.empty() && pattern.front() == '/' && "a route pattern is an absolute path");
    std::vector<Segment> segments;
    for (std::string_view part : SplitPath(pattern)) {
        assert(!part.empty() && "a route pattern has no empty segment");
        const bool capture = part.size() > 2 && part.front() == '{' && part.back() == '}';
        assert((capture || part.find_first_of("{}") == std::string_view::npos) &&
               "a capture is a whole segment {name}");
        if (capture) {
            part = part.substr(1, part.size() - 2);
            assert(std::ranges::none_of(segments, [&](const Segment& s) { return s.capture && s.text == part; }) &&
                   "a capture name appears once in a pattern");
        }
        segments.push_back(Segment{capture, std::string(part)});
    }
    return segments;
}

bool SameShape(const std::vector<Segment>& a, const std::vector<Segment>& b) {
    return std::ranges::equal(a, b, [](const Segment& x, const Segment& y) {
        return x.capture == y.capture && (x.capture || x.text == y.text);
    });
}

// True when `a` is more specific than `b`, both matching the same path: at the first position where one has a
// literal and the other a capture, the literal wins.
bool MoreSpecific(const std::vector<Segment>& a, const std::vector<Segment>& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i].capture != b[i].capture) {
            return !a[i].capture;
        }
    }
    return false;
}

constexpr Method kAllowOrder[] = {Method::kGet,   Method::kHead,   Method::kPost,   Method::kPut,
                                  Method::kPatch, Method::kDelete, Method::kOptions};

}  // namespace

struct Router::Route {
    std::string pattern;
    std::vector<Segment> segments;
    std::map<Method, Handler> handlers;

    [[nodiscard]] const Handler* HandlerFor(Method method) const {
        auto found = handlers.find(method);
        if (found == handlers.end() && method == Method::kHead) {
            found = handlers.find(Method::kGet);
        }
        return found == handlers.end() ? nullptr : &found->second;
    }

    [[nodiscard]] std::string Allow() const {
        std::string allow;
        for (Method method : kAllowOrder) {
            if (HandlerFor(method) != nullptr) {
                allow += (allow.empty() ? "" : ", ") + std::string(MethodName(method));
            }
        }
        return allow;
    }
};

Router::Router() = default;
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(Method method, std::string_view pattern, Handler handler) {
    assert(method != Method::kOther && "a handler is registered for a named method");
    std::vector<Segment> segments = ParsePattern(pattern);
    auto same = std::ranges::find_if(routes_, [&](const auto& route) { return SameShape(route->segments, segments); });
    if (same == routes_.end()) {
        routes_.push_back(std::make_unique<Route>(Route{std::string(pattern), std::move(segments), {}}));
        same = std::prev(routes_.end());
    }
    assert((*same)->pattern == pattern && "one shape, one spelling: the same captures keep the same names");
    const bool added = (*same)->handlers.emplace(method, std::move(handler)).second;
    assert(added && "one handler per method and pattern");
    (void)added;
}

void Router::SetFallback(std::string_view route, Handler handler) {
    assert(!fallback_ && "one fallback");
    fallback_route_ = route;
    fallback_ = std::move(handler);
}

bool Router::Claimed(std::string_view path) const {
    if (path.empty() || path.front() != '/') {
        return true;  // not a path at all: the ordinary 404
    }
    const std::vector<std::string_view> raw = SplitPath(path);
    if (raw.empty()) {
        return false;  // "/": no first segment to claim
    }
    const std::optional<std::string> first = PercentDecode(raw.front());
    return !first || std::ranges::any_of(routes_, [&](const auto& route) {
        return !route->segments.empty() && !route->segments.front().capture && route->segments.front().text == *first;
    });
}

RouteMatch Router::Match(const HttpRequest& request) const {
    std::vector<std::string> segments;
    bool well_formed = !request.path.empty() && request.path.front() == '/';
    if (well_formed) {
        for (std::string_view raw : SplitPath(request.path)) {
            std::optional<std::string> decoded = PercentDecode(raw);
            if (raw.empty() || !decoded) {
                well_formed = false;
                break;
            }
            segments.push_back(std::move(*decoded));
        }
    }

    const Route* best = nullptr;
    if (well_formed) {
        for (const auto& route : routes_) {
            const bool matches =
                route->segments.size() == segments.size() &&
                std::ranges::equal(route->segments, segments, [](const Segment& s, const std::string& text) {
                    return s.capture || s.text == text;
                });
            if (matches && (best == nullptr || MoreSpecific(route->segments, best->segments))) {
                best = route.get();
            }
        }
    }
    if (best == nullptr && fallback_ && (request.method == Method::kGet || request.method == Method::kHead) &&
        !Claimed(request.path)) {
        RouteMatch fallback;
        fallback.route = fallback_route_;
        fallback.handler = &fallback_;
        return fallback;
    }
    if (best == nullptr) {
        RouteMatch none;
        none.refusal = ErrorResponse(Error{ErrorCode::kNotFound, "", "nothing at " + request.path});
        return none;
    }

    RouteMatch match;
    match.route = best->pattern;
    match.handler = best->HandlerFor(request.method);
    if (match.handler == nullptr) {
        const std::string allow = best->Allow();
        match.refusal = ProtocolErrorResponse(405, "method_not_allowed",
                                              std::string(MethodName(request.method)) + " is not allowed on " +
                                                  best->pattern + " (allowed: " + allow + ")");
        match.refusal.headers.Set("Allow", allow);
        return match;
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (best->segments[i].capture) {
            match.params.emplace(best->segments[i].text, std::move(segments[i]));
        }
    }
    return match;
}

}  // namespace kclinic::adapters::http
