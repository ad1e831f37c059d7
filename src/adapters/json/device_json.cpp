#include "adapters/json/device_json.hpp"

#include "adapters/json/json_fields.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::json {
namespace {

template <typename IdType>
Json IdOrNull(const std::optional<IdType>& id) {
    return id ? Json(id->value) : Json(nullptr);
}

}  // namespace

Json ToJson(const app::Device& device) {
    Json json{
        {"id", device.id.value},
        {"key", device.key},
        {"sending_application", device.sending_application},
        {"sending_facility", device.sending_facility},
        {"equipment_id", device.equipment_id},
        {"location", device.location},
        {"first_seen_at", FormatTime(device.first_seen_at)},
        {"last_message_control_id", device.last_message_control_id},
        {"message_count", device.message_count},
        {"error_count", device.error_count},
        {"last_error", device.last_error},
    };
    json["last_message_at"] = device.last_message_at ? Json(FormatTime(*device.last_message_at)) : Json(nullptr);
    json["last_error_at"] = device.last_error_at ? Json(FormatTime(*device.last_error_at)) : Json(nullptr);
    return json;
}

Json ToJson(const app::DeviceView& view) {
    Json json = ToJson(view.device);
    json["room"] = view.room ? Json{{"id", view.room->id.value}, {"name", view.room->name}} : Json(nullptr);
    return json;
}

Json ToJson(const app::DeviceReading& reading) {
    Json json{
        {"id", reading.id.value},
        {"device_id", reading.device.value},
        {"message_control_id", reading.message_control_id},
        {"received_at", FormatTime(reading.received_at)},
        {"status", app::DeviceReadingStatusName(reading.status)},
        {"observed_at", FormatTime(reading.observed_at)},
        {"raw", Json{{"code", reading.raw_code},
                     {"text", reading.raw_text},
                     {"system", reading.raw_system},
                     {"value", reading.raw_value},
                     {"unit", reading.raw_unit}}},
        {"room_id", IdOrNull(reading.room)},
        {"patient_id", IdOrNull(reading.patient)},
        {"session_id", IdOrNull(reading.session)},
        {"vital_sign_id", IdOrNull(reading.vital_sign)},
        {"alert_id", IdOrNull(reading.alert)},
    };
    PutIfNotEmpty(json, "status_reason", reading.status_reason);
    if (reading.status != app::DeviceReadingStatus::kUnmapped) {
        json["loinc"] = reading.loinc;
        json["unit"] = reading.unit;
        if (reading.diastolic) {
            json["systolic"] = reading.value;
            json["diastolic"] = *reading.diastolic;
            PutIfPresent(json, "mean_arterial", reading.mean_arterial);
        } else {
            json["value"] = reading.value;
        }
    }
    if (reading.assigned_at) {
        json["assigned_at"] = FormatTime(*reading.assigned_at);
        json["assigned_by"] = reading.assigned_by;
    }
    return json;
}

}  // namespace kclinic::adapters::json
