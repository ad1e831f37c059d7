// Bedside monitors (issue 13 §2): the devices the HL7 feed has heard from, binding them to rooms, and the readings no
// session took, which staff assign. The vital signs an assignment charts are published to the live channel.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/device_json.hpp"
#include "adapters/json/live_events.hpp"
#include "adapters/json/record_json.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

// "reading_ids": a non-empty array of positive record ids.
Result<std::vector<app::DeviceReadingId>> ReadingIds(ObjectReader& body) {
    const std::optional<Json> raw = body.Raw("reading_ids");
    if (!raw || !raw->is_array()) {
        return InvalidArgument("reading_ids", "is required: an array of device reading ids");
    }
    std::vector<app::DeviceReadingId> ids;
    for (const Json& item : *raw) {
        if (!item.is_number_integer() || item.get<std::int64_t>() < 1) {
            return InvalidArgument("reading_ids", "must hold positive integer ids only");
        }
        ids.push_back(app::DeviceReadingId{item.get<std::int64_t>()});
    }
    return ids;
}

}  // namespace

void AddDeviceRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/devices", Permission::kDeviceRead, Subject::kNone, Paged(),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(const std::vector<app::DeviceView> devices,
                                 services.use_cases.devices.ListDevices(call.actor));
                return PageOf(
                    devices, page, [](const app::DeviceView& view) { return view.device.id.value; },
                    [](const app::DeviceView& view) { return json::ToJson(view); });
            });

    api.Add(Method::kPost, "/api/v1/devices/{id}/bind", Permission::kDeviceBind, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::int64_t room = body.Integer("room_id");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(
                    const app::DeviceView bound,
                    services.use_cases.devices.BindDevice(call.actor, app::DeviceId{call.id}, app::RoomId{room}));
                return JsonResponse(200, json::ToJson(bound));
            });

    api.Add(Method::kPost, "/api/v1/devices/{id}/unbind", Permission::kDeviceBind, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                RETURN_IF_ERROR(ObjectReader(call.request.body).Finish());
                ASSIGN_OR_RETURN(const app::DeviceView unbound,
                                 services.use_cases.devices.UnbindDevice(call.actor, app::DeviceId{call.id}));
                return JsonResponse(200, json::ToJson(unbound));
            });

    api.Add(Method::kGet, "/api/v1/device-readings", Permission::kDeviceReadingRead, Subject::kNone,
            Paged({"device_id", "all"}), [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                ASSIGN_OR_RETURN(const std::optional<std::int64_t> device, QueryId(call.request, "device_id"));
                ASSIGN_OR_RETURN(const bool all, QueryBoolean(call.request, "all"));
                app::DeviceReadingFilter filter;
                if (device) {
                    filter.device = app::DeviceId{*device};
                }
                filter.unassigned_only = !all;
                filter.after_id = page.after;
                filter.limit = page.limit;
                ASSIGN_OR_RETURN(const std::vector<app::DeviceReading> readings,
                                 services.use_cases.devices.ListDeviceReadings(call.actor, filter));
                return KeysetPage(
                    readings, page, [](const app::DeviceReading& r) { return r.id.value; },
                    [](const app::DeviceReading& r) { return json::ToJson(r); });
            });

    api.Add(Method::kPost, "/api/v1/device-readings/assign", Permission::kDeviceReadingAssign, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                ASSIGN_OR_RETURN(const std::vector<app::DeviceReadingId> ids, ReadingIds(body));
                const std::int64_t patient = body.Integer("patient_id");
                const std::optional<std::int64_t> session = body.OptionalInteger("session_id");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::AssignedReadings assigned,
                                 services.use_cases.devices.AssignDeviceReadings(
                                     call.actor, ids, app::PatientId{patient},
                                     session ? std::optional<app::SessionId>(app::SessionId{*session}) : std::nullopt));
                Json readings = Json::array();
                for (const app::DeviceReading& reading : assigned.readings) {
                    readings.push_back(json::ToJson(reading));
                }
                Json charted = Json::array();
                for (const app::VitalSign& vital : assigned.charted) {
                    charted.push_back(json::ToJson(vital));
                    json::PublishRecorded(services.events, vital, {});
                }
                return JsonResponse(200, Json{{"readings", std::move(readings)}, {"charted", std::move(charted)}});
            });
}

}  // namespace kclinic::adapters::api
