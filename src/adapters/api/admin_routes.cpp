// What admins manage: the audit log (read only: no route changes or deletes an entry), the clinic settings, users
// and their API tokens.

#include <string>
#include <utility>

#include "adapters/api/routes.hpp"
#include "adapters/json/clinical_json.hpp"
#include "adapters/json/record_json.hpp"
#include "app/record_names.hpp"
#include "clinical/settings.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

Result<std::optional<std::int64_t>> QueryInteger(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text) {
        return std::optional<std::int64_t>();
    }
    BodyReader reader("{\"v\":" + std::string(*text) + "}");
    const std::optional<std::int64_t> value = reader.OptionalInteger("v");
    if (!reader.Finish().ok() || !value || *value <= 0) {
        return InvalidArgument(std::string(name), "must be a positive integer");
    }
    return value;
}

Result<std::optional<app::TimePoint>> QueryTime(const HttpRequest& request, std::string_view name) {
    const std::optional<std::string_view> text = request.QueryParameter(name);
    if (!text) {
        return std::optional<app::TimePoint>();
    }
    const std::optional<app::TimePoint> time = ParseRfc3339(*text);
    if (!time) {
        return InvalidArgument(std::string(name),
                               "must be an RFC 3339 time with an offset, such as 2026-11-21T09:30:00Z");
    }
    return time;
}

void AddAudit(ApiRouter& api, ApiServices& services) {
    api.Add(
        Method::kGet, "/api/v1/audit", Permission::kAuditRead, Subject::kNone,
        [&services](ApiCall& call) -> Result<HttpResponse> {
            Result<PageRequest> page = ReadPage(call.request);
            Result<std::optional<std::int64_t>> patient = QueryInteger(call.request, "patient_id");
            Result<std::optional<app::TimePoint>> from = QueryTime(call.request, "from");
            Result<std::optional<app::TimePoint>> to = QueryTime(call.request, "to");
            for (const Error* error : {page.ok() ? nullptr : &page.error(), patient.ok() ? nullptr : &patient.error(),
                                       from.ok() ? nullptr : &from.error(), to.ok() ? nullptr : &to.error()}) {
                if (error != nullptr) {
                    return *error;
                }
            }
            app::AuditFilter filter;
            if (const auto actor = call.request.QueryParameter("actor")) {
                filter.actor = std::string(*actor);
            }
            if (const auto action = call.request.QueryParameter("action")) {
                filter.action = std::string(*action);
            }
            filter.patient_id = *patient;
            filter.from = *from;
            filter.to = *to;
            filter.after_id = page->after;
            filter.limit = page->limit;
            ASSIGN_OR_RETURN(std::vector<app::AuditEntry> entries,
                             services.use_cases.patients.ListAudit(call.actor, filter));
            return KeysetPage(
                entries, *page, [](const app::AuditEntry& e) { return e.id.value; },
                [](const app::AuditEntry& e) { return json::ToJson(e); });
        });
}

void AddSettings(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/settings", Permission::kSettingsRead, Subject::kNone,
            [&services](ApiCall&) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                return JsonResponse(200, json::ToJson(clinical::AllSettings(settings)));
            });

    api.Add(Method::kPut, "/api/v1/settings/{name}", Permission::kSettingsChange, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                BodyReader body(call.request.body);
                const std::optional<Json> value = body.Raw("value");
                if (!value) {
                    body.Fail(InvalidArgument("value", "is required: the new value, as a string or a number"));
                } else if (!value->is_string() && !value->is_number()) {
                    body.Fail(InvalidArgument("value", "must be a string or a number"));
                }
                RETURN_IF_ERROR(body.Finish());
                const std::string text = value->is_string() ? value->get<std::string>() : value->dump();
                Result<clinical::ClinicSettings> changed =
                    services.use_cases.settings.ChangeSetting(call.actor, call.params.find("name")->second, text);
                if (!changed.ok()) {
                    Error error = changed.error();
                    if (error.field.empty()) {
                        error.field = "value";
                    }
                    return error;
                }
                return JsonResponse(200, json::ToJson(clinical::AllSettings(*changed)));
            });
}

const std::string& EmailOf(const ApiCall& call) {
    return call.params.find("email")->second;
}

void AddUsers(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/users", Permission::kUserManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                Result<std::vector<app::User>> users =
                    services.use_cases.users.ListUsers(call.actor, app::UserId{page.after}, page.limit);
                if (!users.ok()) {
                    return users.error();
                }
                return KeysetPage(
                    *users, page, [](const app::User& u) { return u.id.value; },
                    [](const app::User& u) { return json::ToJson(u); });
            });

    api.Add(Method::kPost, "/api/v1/users", Permission::kUserManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                BodyReader body(call.request.body);
                app::NewUser user;
                user.email = body.String("email");
                const std::string role = body.String("role");
                user.display_name = body.OptionalString("display_name").value_or("");
                user.password = body.String("password");
                if (const std::optional<std::int64_t> patient = body.OptionalInteger("patient_id")) {
                    user.patient = app::PatientId{*patient};
                }
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::Role parsed, app::ParseRole(role));
                user.role = parsed;
                ASSIGN_OR_RETURN(app::User added, services.use_cases.users.AddUser(call.actor, user));
                return Created("/api/v1/users/" + added.email, json::ToJson(added));
            });

    const auto user_action = [&api](std::string_view pattern, Method method,
                                    std::function<Result<app::User>(ApiCall&)> action) {
        api.Add(method, pattern, Permission::kUserManage, Subject::kNone,
                [action = std::move(action)](ApiCall& call) -> Result<HttpResponse> {
                    ASSIGN_OR_RETURN(app::User user, action(call));
                    return JsonResponse(200, json::ToJson(user));
                });
    };
    user_action("/api/v1/users/{email}/disable", Method::kPost,
                [&services](ApiCall& call) { return services.use_cases.users.DisableUser(call.actor, EmailOf(call)); });
    user_action("/api/v1/users/{email}/unlock", Method::kPost,
                [&services](ApiCall& call) { return services.use_cases.users.UnlockUser(call.actor, EmailOf(call)); });
    user_action("/api/v1/users/{email}/password", Method::kPut, [&services](ApiCall& call) -> Result<app::User> {
        BodyReader body(call.request.body);
        const std::string password = body.String("password");
        RETURN_IF_ERROR(body.Finish());
        return services.use_cases.users.SetPassword(call.actor, EmailOf(call), password);
    });
}

void AddTokens(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/users/{email}/tokens", Permission::kTokenManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::vector<app::ApiToken> tokens,
                                 services.use_cases.users.ListApiTokens(call.actor, EmailOf(call)));
                Json items = Json::array();
                for (const app::ApiToken& token : tokens) {
                    items.push_back(json::ToJson(token));
                }
                return JsonResponse(200, Json{{"items", std::move(items)}});
            });

    api.Add(Method::kPost, "/api/v1/users/{email}/tokens", Permission::kTokenManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                BodyReader body(call.request.body);
                const std::string name = body.String("name");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::NewApiToken created,
                                 services.use_cases.users.CreateApiToken(call.actor, EmailOf(call), name));
                // The token itself is in this answer only; the server keeps its digest.
                Json answer = json::ToJson(created.record);
                answer["token"] = created.token;
                return Created("/api/v1/tokens/" + std::to_string(created.record.id.value), answer);
            });

    api.Add(Method::kPost, "/api/v1/tokens/{id}/revoke", Permission::kTokenManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::ApiToken revoked,
                                 services.use_cases.users.RevokeApiToken(call.actor, app::ApiTokenId{call.id}));
                return JsonResponse(200, json::ToJson(revoked));
            });
}

}  // namespace

void AddAdminRoutes(ApiRouter& api, ApiServices& services) {
    AddAudit(api, services);
    AddSettings(api, services);
    AddUsers(api, services);
    AddTokens(api, services);
}

}  // namespace kclinic::adapters::api
