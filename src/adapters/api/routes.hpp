#pragma once

// The route groups AddApiRoutes assembles, one file each (auth_routes.cpp, patient_routes.cpp, ...), and the
// helpers they share. Internal to the api module.

#include "adapters/api/api.hpp"
#include "adapters/api/json_body.hpp"
#include "adapters/http/http_error.hpp"

namespace kclinic::adapters::api {

void AddAuthRoutes(ApiRouter& api, ApiServices& services);
void AddPatientRoutes(ApiRouter& api, ApiServices& services);
void AddAdminRoutes(ApiRouter& api, ApiServices& services);

// The clinic settings in force, for the use cases that apply them. An error when a stored override no longer
// validates (ClinicSettingsRecords::LoadClinicSettings).
[[nodiscard]] Result<clinical::ClinicSettings> SettingsInForce(ApiServices& services);

// A recorded vital sign or score as answered: the record's JSON with the alerts it raised under "alerts" (empty when
// none), so the nurse who entered it sees them at once.
[[nodiscard]] Json RecordedJson(Json record, const std::vector<app::Alert>& alerts);

}  // namespace kclinic::adapters::api
