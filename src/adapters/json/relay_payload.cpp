#include "adapters/json/relay_payload.hpp"

#include <cstdint>
#include <optional>
#include <utility>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::json {
namespace {

// A record id as the payload carries it: a JSON integer of at least 1 (stored ids start at 1 on both backends).
std::optional<std::int64_t> IdIn(const Json& json) {
    if (!json.is_number_integer()) {
        return std::nullopt;
    }
    const auto id = json.get<std::int64_t>();
    if (id < 1) {
        return std::nullopt;
    }
    return id;
}

}  // namespace

Result<std::string> RelayPayload(std::string_view origin, const app::LiveEvent& event) {
    Result<Json> record = Parse(event.record_json);
    if (!record.ok() || !record->is_object()) {
        return InvalidArgument("record_json", "a live event's record must be one JSON object");
    }
    Json payload = {
        {"origin", origin},
        {"kind", app::LiveEventKindName(event.kind)},
        {"patient", event.patient.value},
        {"session", event.session ? Json(event.session->value) : Json(nullptr)},
        {"record", std::move(record).value()},
    };
    return payload.dump();
}

Result<RelayedEvent> ParseRelayPayload(std::string_view payload) {
    ASSIGN_OR_RETURN(Json parsed, Parse(payload));
    const Json json = std::move(parsed);
    if (!json.is_object()) {
        return InvalidArgument("", "a relayed event is a JSON object");
    }
    for (const auto& [key, value] : json.items()) {
        if (key != "origin" && key != "kind" && key != "patient" && key != "session" && key != "record") {
            return InvalidArgument(key, "unknown field");
        }
    }
    RelayedEvent relayed;
    if (!json.contains("origin") || !json["origin"].is_string() ||
        json["origin"].get_ref<const std::string&>().empty()) {
        return InvalidArgument("origin", "required: the publishing process's id, a non-empty string");
    }
    relayed.origin = json["origin"].get<std::string>();
    std::optional<app::LiveEventKind> kind;
    if (json.contains("kind") && json["kind"].is_string()) {
        kind = app::kLiveEventKindNames.Parse(json["kind"].get_ref<const std::string&>());
    }
    if (!kind) {
        return InvalidArgument("kind",
                               "required: one of the live event kinds (" + app::kLiveEventKindNames.List() + ")");
    }
    relayed.event.kind = *kind;
    const std::optional<std::int64_t> patient = json.contains("patient") ? IdIn(json["patient"]) : std::nullopt;
    if (!patient) {
        return InvalidArgument("patient", "required: a patient id, an integer of at least 1");
    }
    relayed.event.patient = app::PatientId{*patient};
    if (json.contains("session") && !json["session"].is_null()) {
        const std::optional<std::int64_t> session = IdIn(json["session"]);
        if (!session) {
            return InvalidArgument("session", "a session id, an integer of at least 1, or null");
        }
        relayed.event.session = app::SessionId{*session};
    }
    if (!json.contains("record") || !json["record"].is_object()) {
        return InvalidArgument("record", "required: the record, a JSON object");
    }
    relayed.event.record_json = json["record"].dump();
    return relayed;
}

}  // namespace kclinic::adapters::json
