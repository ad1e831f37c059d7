// The clinic settings: every one with its value in force, default and source, and an admin's change of one.

#include <optional>
#include <string>

#include "adapters/api/routes.hpp"
#include "adapters/json/clinical_json.hpp"
#include "clinical/settings.hpp"

namespace kclinic::adapters::api {

void AddSettingsRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/settings", app::Permission::kSettingsRead, Subject::kNone,
            [&services](ApiCall&) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                return JsonResponse(200, json::ToJson(clinical::AllSettings(settings)));
            });

    api.Add(Method::kPut, "/api/v1/settings/{name}", app::Permission::kSettingsChange, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
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

}  // namespace kclinic::adapters::api
