// The Spravato REMS Patient Monitoring Forms (app/rems_forms.hpp): the forms due, a session's form as it stands,
// and its submission.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/record_json.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

Json RemsFormJson(const app::RemsFormView& view) {
    Json json = json::ToJson(view.record);
    json["form"] = json::ToJson(view.form);
    json["notes"] = view.notes;
    return json;
}

// Both submit routes: the body of /submit, and with `with_reason` its required "missing_readings_reason".
Result<HttpResponse> Submit(ApiServices& services, ApiCall& call, bool with_reason) {
    ObjectReader body(call.request.body);
    const int ready_to_leave = body.Int("ready_to_leave_minutes");
    const std::string reference = body.OptionalString("confirmation_reference").value_or("");
    std::optional<std::string> reason;
    if (with_reason) {
        reason = body.String("missing_readings_reason");
    }
    RETURN_IF_ERROR(body.Finish());
    ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
    ASSIGN_OR_RETURN(
        app::RemsFormView submitted,
        services.use_cases.rems.Submit(call.actor, app::SessionId{call.id}, ready_to_leave, reference, settings,
                                       reason ? std::optional<std::string_view>(*reason) : std::nullopt));
    return JsonResponse(200, RemsFormJson(submitted));
}

}  // namespace

void AddRemsRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/rems-forms/due", Permission::kRemsRead, Subject::kNone, Paged(),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(std::vector<app::DueRemsForm> due, services.use_cases.rems.ListDue(call.actor));
                // Paged by id; within the page the earliest due date first, as the use case lists them.
                std::vector<app::DueRemsForm> by_id =
                    ById(std::move(due), [](const app::DueRemsForm& f) { return f.record.id.value; });
                return PageOf(
                    by_id, page, [](const app::DueRemsForm& f) { return f.record.id.value; },
                    [](const app::DueRemsForm& f) {
                        Json json = json::ToJson(f.record);
                        json["overdue"] = f.overdue;
                        return json;
                    });
            });

    // The healthcare setting is the clinic's (rems.healthcare_setting): a caller sending one, as a query parameter
    // here or a body field of the submit routes, is refused (400 naming it) rather than silently overruled.
    api.Add(Method::kGet, "/api/v1/sessions/{id}/rems-form", Permission::kRemsRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(app::RemsFormView form,
                                 services.use_cases.rems.GetForm(call.actor, app::SessionId{call.id}, settings));
                return JsonResponse(200, RemsFormJson(form));
            });

    api.Add(Method::kPost, "/api/v1/sessions/{id}/rems-form/submit", Permission::kRemsSubmit, Subject::kNone,
            [&services](ApiCall& call) { return Submit(services, call, /*with_reason=*/false); });
    // A form lacking a required reading: its own route, so only a prescriber (its own permission) states the reason.
    api.Add(Method::kPost, "/api/v1/sessions/{id}/rems-form/submit-missing-readings",
            Permission::kRemsSubmitMissingReadings, Subject::kNone,
            [&services](ApiCall& call) { return Submit(services, call, /*with_reason=*/true); });

    api.Add(Method::kPost, "/api/v1/sessions/{id}/rems-form/confirmation", Permission::kRemsSubmit, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string reference = body.String("confirmation_reference");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::RemsFormView confirmed, services.use_cases.rems.AddConfirmationReference(
                                                                  call.actor, app::SessionId{call.id}, reference));
                return JsonResponse(200, RemsFormJson(confirmed));
            });
}

}  // namespace kclinic::adapters::api
