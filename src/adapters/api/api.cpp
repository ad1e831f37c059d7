#include "adapters/api/api.hpp"

#include <utility>

#include "adapters/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/json/record_json.hpp"

namespace kclinic::adapters::api {
namespace {

// The value of cookie `name` in a Cookie header (RFC 6265 §4.2.1: "name=value" pairs separated by "; ").
std::optional<std::string_view> CookieValue(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const std::size_t end = header.find(';');
        std::string_view pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        const std::size_t equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
            return pair.substr(equals + 1);
        }
    }
    return std::nullopt;
}

bool ChangesState(Method method) {
    return method != Method::kGet && method != Method::kHead;
}

HttpResponse Unauthenticated(const Error& error) {
    HttpResponse response = http::ErrorResponse(error);
    // RFC 9110 §11.6.1: a 401 names the scheme the client may use.
    response.headers.Set("WWW-Authenticate", "Bearer realm=\"kclinic\"");
    return response;
}

// RFC 9110 §15.5.16: 415 for a body in a format the route does not take. Every body the API reads is JSON; a body
// labelled otherwise (a form post from another site, text/plain) is refused before anyone reads it.
std::optional<HttpResponse> UnsupportedBody(const HttpRequest& request) {
    if (http::DeclaresJsonBody(request.headers, request.body)) {
        return std::nullopt;
    }
    return http::ProtocolErrorResponse(
        415, "unsupported_media_type",
        "send the body as JSON, with Content-Type: application/json (charset=utf-8 is allowed)", "Content-Type");
}

}  // namespace

bool EnrolmentRoute(std::string_view pattern) {
    return pattern == "/api/v1/auth/me" || pattern == "/api/v1/auth/logout" || pattern == "/api/v1/me/second-factor" ||
           pattern == "/api/v1/me/second-factor/confirm";
}

Result<app::Principal> AuthenticateRequest(app::Authentication& authentication, const HttpRequest& request,
                                           bool enrolment_route) {
    if (const std::optional<std::string_view> header = request.headers.Find("Authorization")) {
        constexpr std::string_view kBearer = "Bearer ";
        if (header->size() <= kBearer.size() || header->substr(0, kBearer.size()) != kBearer) {
            return Error{ErrorCode::kUnauthenticated, "Authorization", "expected \"Bearer <API token>\""};
        }
        return authentication.AuthenticateApiToken(header->substr(kBearer.size()));
    }
    if (const std::optional<std::string_view> cookies = request.headers.Find("Cookie")) {
        if (const std::optional<std::string_view> token = CookieValue(*cookies, kSessionCookie)) {
            ASSIGN_OR_RETURN(app::Principal principal, authentication.AuthenticateSession(*token));
            if (principal.enrolment_only && !enrolment_route) {
                return Error{ErrorCode::kPermissionDenied, "second_factor",
                             "your role requires a second factor: enrol one first (POST /api/v1/me/second-factor)"};
            }
            return principal;
        }
    }
    return Error{ErrorCode::kUnauthenticated, "",
                 "log in first (POST /api/v1/auth/login) or send an API token as \"Authorization: Bearer <token>\""};
}

QueryParameters Paged(std::initializer_list<std::string> more) {
    QueryParameters parameters{"limit", "after"};
    parameters.insert(parameters.end(), more);
    return parameters;
}

void ApiRouter::Add(Method method, std::string_view pattern, std::optional<app::Permission> permission, Subject subject,
                    ApiHandler handler) {
    Add(method, pattern, permission, subject, QueryParameters{}, std::move(handler));
}

void ApiRouter::Add(Method method, std::string_view pattern, std::optional<app::Permission> permission, Subject subject,
                    QueryParameters query, ApiHandler handler) {
    routes_.push_back(ApiRoute{method, std::string(pattern), permission, subject, true, query});
    router_.Add(
        method, pattern,
        [&services = services_, method, permission, subject, handler = std::move(handler), query = std::move(query),
         enrolment_route = EnrolmentRoute(pattern)](const HttpRequest& request,
                                                    const PathParams& params) -> HttpResponse {
            Result<app::Principal> principal =
                AuthenticateRequest(services.use_cases.authentication, request, enrolment_route);
            if (!principal.ok()) {
                return principal.error().code == ErrorCode::kUnauthenticated ? Unauthenticated(principal.error())
                                                                             : http::ErrorResponse(principal.error());
            }
            // Every answer from here on names who was answered, for the access log.
            HttpResponse answer = [&]() -> HttpResponse {
                if (ChangesState(method)) {
                    const Status csrf = services.use_cases.authentication.CheckCsrf(
                        *principal, request.headers.Find(kCsrfHeader).value_or(std::string_view()));
                    if (!csrf.ok()) {
                        Error error = csrf.error();
                        error.message =
                            "a browser session must send its CSRF token in the " + std::string(kCsrfHeader) + " header";
                        return http::ErrorResponse(error);
                    }
                }
                if (std::optional<HttpResponse> unsupported = UnsupportedBody(request)) {
                    return std::move(*unsupported);
                }
                if (Status declared = http::CheckQueryParameters(request, query); !declared.ok()) {
                    return http::ErrorResponse(declared.error());
                }
                ApiCall call{request, params, *principal, app::ActorOf(*principal, request.remote_address),
                             services.clock.Now()};
                if (const auto capture = params.find("id"); capture != params.end()) {
                    const std::optional<std::int64_t> id = PositiveInteger(capture->second);
                    if (!id) {
                        return http::ErrorResponse(InvalidArgument("id", "must be a positive integer record id"));
                    }
                    call.id = *id;
                }
                if (permission) {
                    const std::optional<app::PatientId> patient =
                        subject == Subject::kPathPatient ? std::optional(app::PatientId{call.id}) : std::nullopt;
                    if (Status allowed = app::Authorize(*principal, *permission, patient); !allowed.ok()) {
                        return http::ErrorResponse(allowed.error());
                    }
                }
                Result<HttpResponse> response = handler(call);
                return response.ok() ? std::move(response).value() : VersionedErrorResponse(response.error());
            }();
            answer.actor_user_id = principal->user.value;
            return answer;
        });
}

void ApiRouter::AddPublic(Method method, std::string_view pattern, PublicHandler handler) {
    routes_.push_back(ApiRoute{method, std::string(pattern), std::nullopt, Subject::kNone, false, {}});
    router_.Add(method, pattern,
                [handler = std::move(handler)](const HttpRequest& request, const PathParams& params) -> HttpResponse {
                    if (std::optional<HttpResponse> unsupported = UnsupportedBody(request)) {
                        return std::move(*unsupported);
                    }
                    if (Status declared = http::CheckQueryParameters(request, {}); !declared.ok()) {
                        return http::ErrorResponse(declared.error());
                    }
                    Result<HttpResponse> response = handler(request, params);
                    return response.ok() ? std::move(response).value() : http::ErrorResponse(response.error());
                });
}

std::vector<ApiRoute> AddApiRoutes(http::Router& router, ApiServices& services) {
    ApiRouter api(router, services);
    AddAuthRoutes(api, services);
    AddPatientRoutes(api, services);
    AddAuditRoutes(api, services);
    AddSettingsRoutes(api, services);
    AddUserRoutes(api, services);
    AddHistoryRoutes(api, services);
    AddTreatmentRoutes(api, services);
    AddAlertRoutes(api, services);
    AddAdverseEventRoutes(api, services);
    AddNoteRoutes(api, services);
    AddRemsRoutes(api, services);
    AddPortalRoutes(api, services);
    AddScheduleRoutes(api, services);
    AddDeviceRoutes(api, services);
    AddStandingOrderRoutes(api, services);
    AddInventoryRoutes(api, services);
    AddCalendarFeedRoutes(api, services);
    AddViewRoutes(api, services);
    if (services.test_clock != nullptr) {
        AddTestClockRoutes(api, services);
    }
    return api.Routes();
}

Result<clinical::ClinicSettings> SettingsInForce(ApiServices& services) {
    return services.use_cases.settings.LoadClinicSettings();
}

Json RecordedJson(Json record, const std::vector<app::Alert>& alerts) {
    Json raised = Json::array();
    for (const app::Alert& alert : alerts) {
        raised.push_back(json::ToJson(alert));
    }
    record["alerts"] = std::move(raised);
    return record;
}

Error WithField(Error error, std::string field) {
    error.field = std::move(field);
    return error;
}

Result<std::int64_t> PathId(const ApiCall& call, std::string_view name) {
    const auto capture = call.params.find(name);
    const std::optional<std::int64_t> id =
        capture == call.params.end() ? std::nullopt : PositiveInteger(capture->second);
    if (!id) {
        return InvalidArgument(std::string(name), "must be a positive integer record id");
    }
    return *id;
}

HttpResponse JsonResponse(int status, const Json& body) {
    HttpResponse response;
    response.status = status;
    response.body = body.dump();
    // Patient data must not linger in shared or browser caches (RFC 9111 §5.2.2.5).
    response.headers.Set("Cache-Control", "no-store");
    return response;
}

HttpResponse Created(std::string location, const Json& body) {
    HttpResponse response = JsonResponse(201, body);
    response.headers.Set("Location", std::move(location));
    return response;
}

std::string EntityTag(std::int64_t version) {
    return "\"" + std::to_string(version) + "\"";
}

HttpResponse VersionedResponse(int status, const Json& record, std::int64_t version, std::string location) {
    HttpResponse response = JsonResponse(status, record);
    response.headers.Set("ETag", EntityTag(version));
    if (status == 201) {
        response.headers.Set("Location", std::move(location));
    }
    return response;
}

Result<std::int64_t> RequiredIfMatch(const HttpRequest& request) {
    const std::optional<std::string_view> header = request.headers.Find("If-Match");
    if (!header) {
        return Error{ErrorCode::kFailedPrecondition, "If-Match",
                     "send the record's ETag in If-Match, so a change made meanwhile is not overwritten"};
    }
    std::string_view tag = *header;
    if (tag.size() < 3 || tag.front() != '"' || tag.back() != '"') {
        return InvalidArgument("If-Match", "must be one entity tag as sent in ETag, such as \"3\"");
    }
    const std::optional<std::int64_t> version = PositiveInteger(tag.substr(1, tag.size() - 2));
    if (!version) {
        return InvalidArgument("If-Match", "must be one entity tag as sent in ETag, such as \"3\"");
    }
    return *version;
}

HttpResponse PreconditionFailed() {
    return http::ProtocolErrorResponse(412, "precondition_failed",
                                       "the record changed since it was read; read it again and reapply the change");
}

HttpResponse VersionedErrorResponse(const Error& error) {
    if (error.code == ErrorCode::kConflict && error.field == "version") {
        return PreconditionFailed();
    }
    if (error.code == ErrorCode::kFailedPrecondition && error.field == "If-Match") {
        // RFC 6585 §3: the server requires the request to be conditional.
        return http::ProtocolErrorResponse(428, "precondition_required", error.message);
    }
    return http::ErrorResponse(error);
}

}  // namespace kclinic::adapters::api
