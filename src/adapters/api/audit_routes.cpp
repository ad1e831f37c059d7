// The audit log, read only: no route changes or deletes an entry.

#include <optional>
#include <string>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/record_json.hpp"

namespace kclinic::adapters::api {

void AddAuditRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/audit", app::Permission::kAuditRead, Subject::kNone,
            Paged({"patient_id", "actor", "action", "from", "to"}), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                app::AuditFilter filter;
                ASSIGN_OR_RETURN(filter.patient_id, QueryId(call.request, "patient_id"));
                ASSIGN_OR_RETURN(filter.from, QueryTime(call.request, "from"));
                ASSIGN_OR_RETURN(filter.to, QueryTime(call.request, "to"));
                if (const auto actor = call.request.QueryParameter("actor")) {
                    filter.actor = std::string(*actor);
                }
                if (const auto action = call.request.QueryParameter("action")) {
                    filter.action = std::string(*action);
                }
                filter.after_id = page.after;
                filter.limit = page.limit;
                ASSIGN_OR_RETURN(std::vector<app::AuditEntry> entries,
                                 services.use_cases.patients.ListAudit(call.actor, filter));
                return KeysetPage(
                    entries, page, [](const app::AuditEntry& e) { return e.id.value; },
                    [](const app::AuditEntry& e) { return json::ToJson(e); });
            });
}

}  // namespace kclinic::adapters::api
