// Users (added, disabled, unlocked, their password set by an admin) and their API tokens.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/record_json.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

const std::string& EmailOf(const ApiCall& call) {
    return call.params.find("email")->second;
}

void AddUsers(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/users", Permission::kUserManage, Subject::kNone, Paged(),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::User> users,
                                 services.use_cases.users.ListUsers(call.actor, app::UserId{page.after}, page.limit));
                return KeysetPage(
                    users, page, [](const app::User& u) { return u.id.value; },
                    [](const app::User& u) { return json::ToJson(u); });
            });

    api.Add(Method::kPost, "/api/v1/users", Permission::kUserManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
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
    user_action("/api/v1/users/{email}/medical-director", Method::kPost, [&services](ApiCall& call) {
        return services.use_cases.users.DesignateMedicalDirector(call.actor, EmailOf(call));
    });
    user_action("/api/v1/users/{email}/unlock", Method::kPost,
                [&services](ApiCall& call) { return services.use_cases.users.UnlockUser(call.actor, EmailOf(call)); });
    user_action("/api/v1/users/{email}/password", Method::kPut, [&services](ApiCall& call) -> Result<app::User> {
        ObjectReader body(call.request.body);
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
                ObjectReader body(call.request.body);
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

void AddUserRoutes(ApiRouter& api, ApiServices& services) {
    AddUsers(api, services);
    AddTokens(api, services);
}

}  // namespace kclinic::adapters::api
