#include "adapters/json/relay_payload.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "adapters/json/clinical_json.hpp"
#include "adapters/json/object_reader.hpp"

namespace kclinic::adapters::json {
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
    if (!event.recipients.empty()) {
        payload["recipients"] = event.recipients;
    }
    return payload.dump();
}

Result<RelayedEvent> ParseRelayPayload(std::string_view payload) {
    ASSIGN_OR_RETURN(Json parsed, Parse(payload));
    ObjectReader reader(std::move(parsed), "");
    RelayedEvent relayed;
    relayed.origin = reader.String("origin");
    const std::string kind = reader.String("kind");
    const std::int64_t patient = reader.Integer("patient");
    const std::optional<std::int64_t> session = reader.OptionalInteger("session");
    const std::optional<Json> record = reader.Raw("record");
    const std::optional<Json> recipients = reader.Raw("recipients");
    // Stored ids start at 1 on both backends.
    if (relayed.origin.empty()) {
        reader.Fail(InvalidArgument("origin", "must be the publishing process's id, a non-empty string"));
    }
    const std::optional<app::LiveEventKind> known_kind = app::kLiveEventKindNames.Parse(kind);
    if (!known_kind) {
        reader.Fail(
            InvalidArgument("kind", "must be one of the live event kinds (" + app::kLiveEventKindNames.List() + ")"));
    }
    // An event addressed to its recipients names no patient (app::LiveEvent::recipients).
    const bool addressed = recipients.has_value();
    if (addressed && (!recipients->is_array() || recipients->empty() ||
                      !std::all_of(recipients->begin(), recipients->end(), [](const Json& email) {
                          return email.is_string() && !email.get<std::string>().empty();
                      }))) {
        reader.Fail(InvalidArgument("recipients", "must be a non-empty array of users' emails"));
    }
    if (addressed ? patient != 0 : patient < 1) {
        reader.Fail(InvalidArgument("patient", addressed ? "must be 0 for an event addressed to its recipients"
                                                         : "must be a patient id, an integer of at least 1"));
    }
    if (session && *session < 1) {
        reader.Fail(InvalidArgument("session", "must be a session id, an integer of at least 1, or null"));
    }
    if (!record || !record->is_object()) {
        reader.Fail(InvalidArgument("record", "must be the record, a JSON object"));
    }
    RETURN_IF_ERROR(reader.Finish());
    relayed.event.kind = *known_kind;
    relayed.event.patient = app::PatientId{patient};
    if (session) {
        relayed.event.session = app::SessionId{*session};
    }
    relayed.event.record_json = record->dump();
    if (addressed) {
        relayed.event.recipients = recipients->get<std::vector<std::string>>();
    }
    return relayed;
}

}  // namespace kclinic::adapters::json
