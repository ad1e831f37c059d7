#pragma once

// The route groups AddApiRoutes assembles, one file per resource, mirroring the use cases of app/
// (patient_routes.cpp for app/patient_records.hpp, ...), and the helpers they share. Internal to the api module.

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/api/api.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/json/object_reader.hpp"
#include "adapters/json/record_json.hpp"

namespace kclinic::adapters::api {

// Every request body is read by json::ObjectReader (adapters/json/object_reader.hpp).
using json::ObjectReader;

// Login, logout and the caller's own session (app/authentication.hpp).
void AddAuthRoutes(ApiRouter& api, ApiServices& services);
// Patients, weights, vital signs and assessments (app/patient_records.hpp).
void AddPatientRoutes(ApiRouter& api, ApiServices& services);
// The audit log (PatientRecords::ListAudit).
void AddAuditRoutes(ApiRouter& api, ApiServices& services);
// The clinic settings (app/clinic_settings.hpp).
void AddSettingsRoutes(ApiRouter& api, ApiServices& services);
// Users and their API tokens (app/user_records.hpp).
void AddUserRoutes(ApiRouter& api, ApiServices& services);
// History and screenings (app/history_records.hpp).
void AddHistoryRoutes(ApiRouter& api, ApiServices& services);
// Courses, sessions, dose orders and administrations (app/course_records.hpp, app/session_steps.hpp,
// app/dose_records.hpp).
void AddTreatmentRoutes(ApiRouter& api, ApiServices& services);
// Alerts (app/alert_records.hpp).
void AddAlertRoutes(ApiRouter& api, ApiServices& services);
// Adverse events (app/adverse_event_records.hpp).
void AddAdverseEventRoutes(ApiRouter& api, ApiServices& services);
// Clinical notes and their addenda (app/note_records.hpp).
void AddNoteRoutes(ApiRouter& api, ApiServices& services);
// The Spravato REMS Patient Monitoring Forms (app/rems_forms.hpp).
void AddRemsRoutes(ApiRouter& api, ApiServices& services);
// The patient portal (app/portal.hpp).
void AddPortalRoutes(ApiRouter& api, ApiServices& services);
// The screens' read models: the clinic board, a patient's chart and the staff directory (app/clinic_views.hpp).
void AddViewRoutes(ApiRouter& api, ApiServices& services);
// Rooms, closed days, appointments, the slot search, a course's series and the day plan (app/scheduling.hpp).
void AddScheduleRoutes(ApiRouter& api, ApiServices& services);
// Clinicians' calendar feeds: one's own secret feed URL, an admin's revocation, and the feed itself
// (app/calendar_feeds.hpp, adapters/calendar).
void AddCalendarFeedRoutes(ApiRouter& api, ApiServices& services);
// Bedside monitors: devices, their binding to rooms, and unassigned device readings (app/device_feed.hpp).
void AddDeviceRoutes(ApiRouter& api, ApiServices& services);
// Standing-order sets, one-off orders, PRN doses and their responses (standing_order_routes.cpp).
void AddStandingOrderRoutes(ApiRouter& api, ApiServices& services);
// The controlled-substance log: stock, movements, counts, discrepancies, corrections and the inspector's reports
// (app/controlled_substances.hpp).
void AddInventoryRoutes(ApiRouter& api, ApiServices& services);
// The test clock (app/test_clock_moves.hpp): reading and moving it. Only when services.test_clock is set.
void AddTestClockRoutes(ApiRouter& api, ApiServices& services);

// The clinic settings in force, for the use cases that apply them. An error when a stored override no longer
// validates (ClinicSettingsRecords::LoadClinicSettings).
[[nodiscard]] Result<clinical::ClinicSettings> SettingsInForce(ApiServices& services);

// A recorded vital sign or score as answered: the record's JSON with the alerts it raised under "alerts" (empty when
// none), so the nurse who entered it sees them at once.
[[nodiscard]] Json RecordedJson(Json record, const std::vector<app::Alert>& alerts);

// `error` with its field renamed to the request's field, for a Parse... function that names its own.
[[nodiscard]] Error WithField(Error error, std::string field);

// `text` as a positive decimal integer that fits 64 bits (a record id, a version), or nullopt: no sign, no spaces.
[[nodiscard]] std::optional<std::int64_t> PositiveInteger(std::string_view text);
// The record id in query parameter `name`; nullopt when absent. Error kInvalidArgument naming `name` when it is not
// a positive integer.
[[nodiscard]] Result<std::optional<std::int64_t>> QueryId(const HttpRequest& request, std::string_view name);
// Query parameter `name` as "true" or "false"; false when absent. Error kInvalidArgument naming `name` for anything
// else.
[[nodiscard]] Result<bool> QueryBoolean(const HttpRequest& request, std::string_view name);
// The calendar date (YYYY-MM-DD) in query parameter `name`; nullopt when absent. Error kInvalidArgument naming
// `name` when it is not a real calendar date.
[[nodiscard]] Result<std::optional<std::chrono::sys_days>> QueryDate(const HttpRequest& request, std::string_view name);
// The RFC 3339 time in query parameter `name`; nullopt when absent. Error kInvalidArgument naming `name` when it is
// not one.
[[nodiscard]] Result<std::optional<app::TimePoint>> QueryTime(const HttpRequest& request, std::string_view name);
// The whole number from 1 to `max` in query parameter `name`; nullopt when absent. Error kOutOfRange naming `name`
// for anything else.
[[nodiscard]] Result<std::optional<int>> QueryCount(const HttpRequest& request, std::string_view name, int max);
// The record id in path capture `name`, the second capture of a route under /api/v1/patients/{id}/... Error
// kInvalidArgument naming `name` when it is not a positive integer.
[[nodiscard]] Result<std::int64_t> PathId(const ApiCall& call, std::string_view name);

// The handler of POST /api/v1/patients/{id}/<things>/{<id_name>}/entered-in-error with body {"reason": "..."}:
// `mark(actor, patient, record id, reason)` marks the patient's record, and the answer is the marked record.
template <typename Mark>
[[nodiscard]] ApiHandler MarkEnteredInErrorHandler(std::string id_name, Mark mark) {
    return [id_name = std::move(id_name), mark](ApiCall& call) -> Result<HttpResponse> {
        ASSIGN_OR_RETURN(const std::int64_t record_id, PathId(call, id_name));
        ObjectReader body(call.request.body);
        const std::string reason = body.String("reason");
        RETURN_IF_ERROR(body.Finish());
        ASSIGN_OR_RETURN(auto marked, mark(call.actor, app::PatientId{call.id}, record_id, reason));
        return JsonResponse(200, json::ToJson(marked));
    };
}

// `items` in id order, the order a page's cursor follows, for a list a use case returns in clinical order (adverse
// events by onset, the REMS forms due by date).
template <typename Item, typename IdOf>
[[nodiscard]] std::vector<Item> ById(std::vector<Item> items, IdOf id_of) {
    std::stable_sort(items.begin(), items.end(),
                     [&id_of](const Item& a, const Item& b) { return id_of(a) < id_of(b); });
    return items;
}

}  // namespace kclinic::adapters::api
