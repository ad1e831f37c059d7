#pragma once

// The live events (app/ports/event_bus.hpp) of committed records, each carrying the record as the JSON API shows it.
// Every adapter that records vitals, scores, alerts or session steps (the HTTP API, the demo clinic's monitor feed,
// later the HL7 listener) builds its events here, so a watcher sees one shape whatever the source.

#include <vector>

#include "app/device_feed.hpp"
#include "app/ports/event_bus.hpp"
#include "app/records.hpp"

namespace kclinic::adapters::json {

[[nodiscard]] app::LiveEvent VitalSignEvent(const app::VitalSign& vital);
[[nodiscard]] app::LiveEvent AssessmentEvent(const app::Assessment& assessment);
[[nodiscard]] app::LiveEvent AlertEvent(const app::Alert& alert);
[[nodiscard]] app::LiveEvent AlertAcknowledgedEvent(const app::Alert& alert);
[[nodiscard]] app::LiveEvent SessionStateEvent(const app::TreatmentSession& session);
[[nodiscard]] app::LiveEvent AdministrationEvent(const app::Administration& administration);
// A PRN dose given or its response recorded: the dose as json::ToJson(PrnDose) shows it.
[[nodiscard]] app::LiveEvent PrnDoseEvent(const app::PrnDose& dose);

// Publishes the record's event, then one per alert it raised: watchers see the cause before its alerts.
void PublishRecorded(app::EventBus& bus, const app::VitalSign& vital, const std::vector<app::Alert>& alerts);
void PublishRecorded(app::EventBus& bus, const app::Assessment& assessment, const std::vector<app::Alert>& alerts);
// What the HL7 listener publishes after it acknowledged a message: each charted vital sign, then its alerts, as
// PublishRecorded (a resend publishes nothing: its readings were published when first accepted).
void PublishIngested(app::EventBus& bus, const app::IngestAccepted& accepted);

}  // namespace kclinic::adapters::json
