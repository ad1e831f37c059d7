#pragma once

// The JSON API under /api/v1 (docs/api.md): each route turns an HTTP request into one use case call and its result
// into JSON. Every route but login is authenticated, CSRF-checked and authorized here, in one place, before its
// handler runs, in this order:
//   1. who: `Authorization: Bearer <API token>`, else the `kclinic_session` cookie; neither -> 401 unauthenticated;
//   2. a state-changing request (not GET or HEAD) of a browser session must carry the session's CSRF token in
//      `X-CSRF-Token` -> else 403 permission_denied "csrf_token";
//   3. a request with a body must label it `Content-Type: application/json` (charset=utf-8 allowed) -> else 415
//      unsupported_media_type "Content-Type" (http::DeclaresJsonBody); its query parameters must be ones the route
//      declares, none sent twice -> else 400 invalid_argument naming the parameter (http::CheckQueryParameters);
//      then the route's {id} capture, if it has one, must be a positive record id -> else 400 invalid_argument "id";
//   4. may they: app::Authorize with the route's permission and, for routes under /api/v1/patients/{id}, that patient
//      as the subject (so a patient reaches only their own record, and only through those routes) -> 403;
//   5. the handler: reads its declared query parameters strictly (each malformed value 400 naming it) and the body
//      strictly (adapters/json/object_reader.hpp), calls the use case (which audits), answers.
// The public routes (login, and a calendar feed fetched by the secret token in its path) have step 3's checks only. The
// routes are also listed with their permissions and query parameters (Routes()), for docs/api.md and the role-matrix
// walk test.

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/http_message.hpp"
#include "adapters/http/router.hpp"
#include "app/authentication.hpp"
#include "app/authorization.hpp"
#include "app/clinic_use_cases.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/event_bus.hpp"
#include "app/test_clock_moves.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::api {

using Json = nlohmann::json;
using http::HttpRequest;
using http::HttpResponse;
using http::Method;
using http::PathParams;
using http::QueryParameters;

inline constexpr std::string_view kSessionCookie = "kclinic_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// What the routes call: the clinic's use cases, and what is not a use case. All must outlive the router the routes
// are added to.
struct ApiServices {
    app::ClinicUseCases& use_cases;
    app::EventBus& events;    // committed vitals, scores, alerts and session steps are published here
    const app::Clock& clock;  // the time a request is handled (ApiCall::now)
    // Null unless `kclinic serve --test-clock` runs on a test-mode database: then `clock` is the test clock this
    // moves, the /api/v1/test/clock routes exist, and login and GET /api/v1/auth/me answer "test_clock": true.
    app::TestClockMoves* test_clock = nullptr;
};

// Whether a session that may only enrol a second factor (Principal::enrolment_only) may call the route of
// `pattern`: who am I, logout, and the caller's own second factor.
[[nodiscard]] bool EnrolmentRoute(std::string_view pattern);

// The principal of a request's credentials (step 1 above): the bearer API token, else the session cookie. Error
// kUnauthenticated when there are none, or they are not (or no longer) valid; kPermissionDenied "second_factor"
// for a session that may only enrol a second factor, unless `enrolment_route` (EnrolmentRoute). The live channel
// authenticates its upgrade request with this too (never an enrolment route).
[[nodiscard]] Result<app::Principal> AuthenticateRequest(app::Authentication& authentication,
                                                         const HttpRequest& request, bool enrolment_route = false);

// Whose record a route touches, for Authorize.
enum class Subject {
    kNone,         // no single patient (lists, settings, users) or not one a patient may reach this way
    kPathPatient,  // the patient of the {id} capture of /api/v1/patients/{id}/...
};

// One authenticated route, as documented in docs/api.md.
struct ApiRoute {
    Method method = Method::kGet;
    std::string pattern;
    std::optional<app::Permission> permission;  // nullopt: any authenticated user (their own session: me, logout)
    Subject subject = Subject::kNone;
    bool authenticated = true;  // false only for login
    QueryParameters query;      // the query parameters it accepts; any other is refused before its handler
};

// The paging pair every list accepts (ReadPage), and `more`: Paged() or Paged({"kind"}).
[[nodiscard]] QueryParameters Paged(std::initializer_list<std::string> more = {});

// What a handler is given: the request, its path captures and the authenticated caller.
struct ApiCall {
    const HttpRequest& request;
    const PathParams& params;
    const app::Principal& principal;
    app::Actor actor;    // ActorOf(principal, the peer's address)
    app::TimePoint now;  // when the request was handled: the default time of a measurement sent without one
    // The {id} capture of the route's pattern, already checked by the gate to be a positive record id (a request
    // with any other {id} is answered 400 naming "id" before the handler runs); 0 when the pattern has none.
    std::int64_t id = 0;
};

using ApiHandler = std::function<Result<HttpResponse>(ApiCall& call)>;
using PublicHandler = std::function<Result<HttpResponse>(const HttpRequest& request, const PathParams& params)>;

// Registers routes on a Router behind the steps above.
class ApiRouter {
public:
    ApiRouter(http::Router& router, ApiServices& services) : router_(router), services_(services) {}

    // A route that takes no query parameter.
    void Add(Method method, std::string_view pattern, std::optional<app::Permission> permission, Subject subject,
             ApiHandler handler);
    // A route whose handler reads the query parameters `query` (Paged(), Paged({"kind"})).
    void Add(Method method, std::string_view pattern, std::optional<app::Permission> permission, Subject subject,
             QueryParameters query, ApiHandler handler);
    // A route anyone may call (login; a calendar feed, whose secret token in its path is its credential): no
    // authentication, no CSRF, no query parameter.
    void AddPublic(Method method, std::string_view pattern, PublicHandler handler);

    [[nodiscard]] const std::vector<ApiRoute>& Routes() const { return routes_; }

private:
    http::Router& router_;
    ApiServices& services_;
    std::vector<ApiRoute> routes_;
};

// Adds every /api/v1 route. Returns them with their permissions.
std::vector<ApiRoute> AddApiRoutes(http::Router& router, ApiServices& services);

// ---- Building responses -------------------------------------------------------------------------------------------

[[nodiscard]] HttpResponse JsonResponse(int status, const Json& body);
// 201 with `Location: location` and the created record.
[[nodiscard]] HttpResponse Created(std::string location, const Json& body);

// Entity tags of versioned records (RFC 9110 §8.8.3): a strong tag `"<version>"`. GET answers it in `ETag`; a change
// must send it back in `If-Match`.
[[nodiscard]] std::string EntityTag(std::int64_t version);
// The version an If-Match header names. Errors, both with field "If-Match": kFailedPrecondition (answered 428
// precondition_required) when the header is missing, kInvalidArgument when it is not one strong tag of ours.
[[nodiscard]] Result<std::int64_t> RequiredIfMatch(const HttpRequest& request);
// A record edited in place (docs/api.md "Versions") as answered: its JSON with its version as ETag and, when
// `status` is 201 (created), `Location: location`.
[[nodiscard]] HttpResponse VersionedResponse(int status, const Json& record, std::int64_t version,
                                             std::string location);
// The response for a kConflict "version" of a use case that was given the If-Match version: 412.
[[nodiscard]] HttpResponse PreconditionFailed();
// The status for a use case's error, with the two ETag refinements above: kConflict on field "version" -> 412.
[[nodiscard]] HttpResponse VersionedErrorResponse(const Error& error);

// Paging: `?limit=` (1..app::kMaxPageSize, default 100) and `?after=` (an id cursor, default 0). Lists answer
// {"items":[...],"next_after":N}, next_after present only when more items may follow.
struct PageRequest {
    std::int64_t after = 0;
    int limit = 100;
};
[[nodiscard]] Result<PageRequest> ReadPage(const HttpRequest& request);
// A page of a list already read whole and ordered by id, where the use case reads it whole (a patient's history,
// weights, notes): the items with id > after, at most limit of them.
template <typename Item, typename IdOf, typename ToJsonFn>
[[nodiscard]] HttpResponse PageOf(const std::vector<Item>& items, const PageRequest& page, IdOf id_of,
                                  ToJsonFn to_json) {
    Json list = Json::array();
    std::int64_t last = 0;
    bool more = false;
    for (const Item& item : items) {
        const std::int64_t id = id_of(item);
        if (id <= page.after) {
            continue;
        }
        if (static_cast<int>(list.size()) == page.limit) {
            more = true;
            break;
        }
        list.push_back(to_json(item));
        last = id;
    }
    Json body{{"items", std::move(list)}};
    if (more) {
        body["next_after"] = last;
    }
    return JsonResponse(200, body);
}
// A page the use case already cut by keyset (after, limit): next_after is the last id when the page is full.
template <typename Item, typename IdOf, typename ToJsonFn>
[[nodiscard]] HttpResponse KeysetPage(const std::vector<Item>& items, const PageRequest& page, IdOf id_of,
                                      ToJsonFn to_json) {
    Json list = Json::array();
    for (const Item& item : items) {
        list.push_back(to_json(item));
    }
    Json body{{"items", std::move(list)}};
    if (!items.empty() && static_cast<int>(items.size()) == page.limit) {
        body["next_after"] = id_of(items.back());
    }
    return JsonResponse(200, body);
}

}  // namespace kclinic::adapters::api
