#pragma once

// The form a live event (app/ports/event_bus.hpp) takes between server processes: the payload the PostgreSQL
// relay (adapters/storage/postgres/pg_event_relay) sends with NOTIFY and reads back in every other process.

#include <string>
#include <string_view>

#include "app/ports/event_bus.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::json {

// A live event on its way between server processes (the PostgreSQL relay's NOTIFY payload), with the id of the
// process that published it so that process can skip its own:
//   {"origin":"9f3c...","kind":"alert","patient":12,"session":null,"record":{...the record_json object...}}
struct RelayedEvent {
    std::string origin;
    app::LiveEvent event;
};

// The compact payload of `event` from `origin`. Error kInvalidArgument (field "record_json") when the event's
// record is not one JSON object, which no event built by live_events can be.
[[nodiscard]] Result<std::string> RelayPayload(std::string_view origin, const app::LiveEvent& event);

// Reads a payload RelayPayload wrote. The record comes back in record_json's compact form (keys sorted), so the
// record of any event built by live_events comes back as the same text. Error kInvalidArgument,
// naming the field, for anything else (not JSON, a missing or mistyped field, an unknown kind, an id below 1): a
// payload may come from any session allowed to NOTIFY on the database, so nothing in it is trusted.
[[nodiscard]] Result<RelayedEvent> ParseRelayPayload(std::string_view payload);

}  // namespace kclinic::adapters::json
