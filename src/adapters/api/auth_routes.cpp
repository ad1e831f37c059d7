// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me; the caller's own second factor (GET and
// POST /api/v1/me/second-factor, POST /api/v1/me/second-factor/confirm) and an admin's reset of anyone's (DELETE
// /api/v1/users/{email}/second-factor).

#include <string>
#include <vector>

#include "adapters/api/qr_svg.hpp"
#include "adapters/api/routes.hpp"
#include "adapters/json/clinical_json.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::api {
namespace {

Json PrincipalJson(const app::Principal& principal) {
    Json user{{"email", principal.email},
              {"role", app::RoleName(principal.role)},
              {"auth", principal.method == app::AuthMethod::kApiToken ? "api_token" : "session"}};
    if (principal.patient) {
        user["patient_id"] = principal.patient->value;
    }
    // A session that may only enrol the second factor its role requires says so, so that the front end shows the
    // set-up page alone (docs/api.md "Second factor").
    if (principal.enrolment_only) {
        user["second_factor_enrolment_required"] = true;
    }
    return user;
}

// The session cookie (RFC 6265 §4.1): HttpOnly so scripts cannot read it, SameSite=Strict so no other site's page
// can send it, Path=/ for the whole API. Secure when the browser reached us over TLS: kclinic's own listener
// (--tls-cert) or the trusted TLS-terminating proxy's (--trusted-proxy, docs/operations.md). No Max-Age: the browser
// forgets it when closed, and the server ends it at its idle or absolute expiry anyway.
std::string SessionCookie(const HttpRequest& request, std::string_view value, bool expire) {
    std::string cookie = std::string(kSessionCookie) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Strict";
    if (request.secure) {
        cookie += "; Secure";
    }
    if (expire) {
        cookie += "; Max-Age=0";
    }
    return cookie;
}

}  // namespace

void AddAuthRoutes(ApiRouter& api, ApiServices& services) {
    api.AddPublic(Method::kPost, "/api/v1/auth/login",
                  [&services](const HttpRequest& request, const PathParams&) -> Result<HttpResponse> {
                      ObjectReader body(request.body);
                      const std::string email = body.String("email");
                      const std::string password = body.String("password");
                      const std::string code = body.OptionalString("code").value_or("");
                      RETURN_IF_ERROR(body.Finish());
                      app::LoginAnswer answer =
                          services.use_cases.authentication.Login(email, password, request.remote_address, code);
                      if (!answer.session.ok()) {
                          HttpResponse refused = http::ErrorResponse(answer.session.error());
                          if (answer.retry_after) {
                              refused.headers.Set("Retry-After", std::to_string(answer.retry_after->count()));
                          }
                          return refused;
                      }
                      const app::SessionGrant& grant = *answer.session;
                      HttpResponse response =
                          JsonResponse(200, Json{{"csrf_token", grant.session.csrf_token},
                                                 {"expires_at", json::FormatTime(grant.session.expires_at)},
                                                 {"user", PrincipalJson(grant.principal)},
                                                 {"test_clock", services.test_clock != nullptr}});
                      response.headers.Set("Set-Cookie", SessionCookie(request, grant.token, false));
                      return response;
                  });

    api.Add(Method::kPost, "/api/v1/auth/logout", std::nullopt, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                RETURN_IF_ERROR(services.use_cases.authentication.Logout(call.principal, call.actor.origin));
                HttpResponse response;
                response.status = 204;
                response.content_type.clear();
                response.headers.Set("Set-Cookie", SessionCookie(call.request, "", true));
                return response;
            });

    const std::string own = "/api/v1/me/second-factor";
    api.Add(Method::kGet, own, std::nullopt, Subject::kNone, [&services](ApiCall& call) -> Result<HttpResponse> {
        ASSIGN_OR_RETURN(const app::SecondFactorState state,
                         services.use_cases.second_factors.State(call.principal, call.actor.origin));
        Json body{{"enrolled", state.enrolled},
                  {"required", state.required},
                  {"recovery_codes_left", state.recovery_codes_left}};
        if (state.enrolled_at) {
            body["enrolled_at"] = json::FormatTime(*state.enrolled_at);
        }
        return JsonResponse(200, body);
    });
    // The key is in this answer only: its QR code and its base32 for typing by hand. no-store, as every answer is.
    api.Add(Method::kPost, own, std::nullopt, Subject::kNone, [&services](ApiCall& call) -> Result<HttpResponse> {
        ASSIGN_OR_RETURN(const app::TotpEnrolment enrolment,
                         services.use_cases.second_factors.BeginEnrolment(call.principal, call.actor.origin));
        ASSIGN_OR_RETURN(std::string qr, QrCodeSvg(enrolment.otpauth_uri, "QR code of the authenticator key"));
        return Created(
            "/api/v1/me/second-factor",
            Json{{"secret", enrolment.secret}, {"otpauth_uri", enrolment.otpauth_uri}, {"qr_svg", std::move(qr)}});
    });
    // The recovery codes are in this answer only. Every session of the user ends, this one too: the cookie goes.
    api.Add(Method::kPost, own + "/confirm", std::nullopt, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string code = body.String("code");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(
                    const std::vector<std::string> codes,
                    services.use_cases.second_factors.ConfirmEnrolment(call.principal, call.actor.origin, code));
                HttpResponse response = JsonResponse(200, Json{{"recovery_codes", codes}});
                response.headers.Set("Set-Cookie", SessionCookie(call.request, "", true));
                return response;
            });
    api.Add(Method::kDelete, "/api/v1/users/{email}/second-factor", app::Permission::kUserManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                RETURN_IF_ERROR(services.use_cases.second_factors.Reset(call.actor, call.params.find("email")->second));
                HttpResponse response;
                response.status = 204;
                response.content_type.clear();
                return response;
            });

    // Who am I: lets a page that was reloaded learn its user and CSRF token again (the cookie is HttpOnly), and
    // whether the server runs on a test clock, which the web app shows as a banner on every screen.
    api.Add(Method::kGet, "/api/v1/auth/me", std::nullopt, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                Json body{{"user", PrincipalJson(call.principal)}, {"test_clock", services.test_clock != nullptr}};
                if (call.principal.method == app::AuthMethod::kSession) {
                    body["csrf_token"] = call.principal.csrf_token;
                }
                return JsonResponse(200, body);
            });
}

}  // namespace kclinic::adapters::api
