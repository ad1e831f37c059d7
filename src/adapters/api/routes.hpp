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

// The care pathway: history and screenings (history_routes.cpp); courses, sessions, dose orders and administrations
// (treatment_routes.cpp).
void AddHistoryRoutes(ApiRouter& api, ApiServices& services);
void AddTreatmentRoutes(ApiRouter& api, ApiServices& services);
// Alerts, adverse events, notes, REMS forms (record_routes.cpp) and the patient portal (portal_routes.cpp).
void AddRecordRoutes(ApiRouter& api, ApiServices& services);
void AddPortalRoutes(ApiRouter& api, ApiServices& services);

// The clinic settings in force, for the use cases that apply them. An error when a stored override no longer
// validates (ClinicSettingsRecords::LoadClinicSettings).
[[nodiscard]] Result<clinical::ClinicSettings> SettingsInForce(ApiServices& services);

// A recorded vital sign or score as answered: the record's JSON with the alerts it raised under "alerts" (empty when
// none), so the nurse who entered it sees them at once.
[[nodiscard]] Json RecordedJson(Json record, const std::vector<app::Alert>& alerts);

// The care pathway's helpers (history_routes.cpp).
// `error` with its field renamed to the request's field, for a Parse... function that names its own.
[[nodiscard]] Error WithField(Error error, std::string field);
// An integer field the record holds as an int: a value beyond int's range fails `body` naming `field`, as
// BodyReader refuses an integer array item, and reads as 0.
[[nodiscard]] int IntField(BodyReader& body, std::string_view field, std::int64_t value);

}  // namespace kclinic::adapters::api
