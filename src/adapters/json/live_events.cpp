#include "adapters/json/live_events.hpp"

#include <optional>
#include <utility>

#include "adapters/json/record_json.hpp"
#include "adapters/json/standing_order_json.hpp"

namespace kclinic::adapters::json {
namespace {

app::LiveEvent Event(app::LiveEventKind kind, app::PatientId patient, std::optional<app::SessionId> session,
                     const Json& record) {
    return app::LiveEvent{kind, patient, session, record.dump()};
}

}  // namespace

app::LiveEvent VitalSignEvent(const app::VitalSign& vital) {
    return Event(app::LiveEventKind::kVitalSign, vital.patient, vital.session, ToJson(vital));
}

app::LiveEvent AssessmentEvent(const app::Assessment& assessment) {
    return Event(app::LiveEventKind::kAssessment, assessment.patient, std::nullopt, ToJson(assessment));
}

app::LiveEvent AlertEvent(const app::Alert& alert) {
    return Event(app::LiveEventKind::kAlert, alert.patient, alert.session, ToJson(alert));
}

app::LiveEvent AlertAcknowledgedEvent(const app::Alert& alert) {
    return Event(app::LiveEventKind::kAlertAcknowledged, alert.patient, alert.session, ToJson(alert));
}

app::LiveEvent SessionStateEvent(const app::TreatmentSession& session) {
    return Event(app::LiveEventKind::kSessionState, session.patient, session.id, ToJson(session));
}

app::LiveEvent AdministrationEvent(const app::Administration& administration) {
    return Event(app::LiveEventKind::kAdministration, administration.patient, administration.session,
                 ToJson(administration));
}

app::LiveEvent PrnDoseEvent(const app::PrnDose& dose) {
    return Event(app::LiveEventKind::kPrnDose, dose.medication.patient, dose.medication.session, ToJson(dose));
}

void PublishRecorded(app::EventBus& bus, const app::VitalSign& vital, const std::vector<app::Alert>& alerts) {
    bus.Publish(VitalSignEvent(vital));
    for (const app::Alert& alert : alerts) {
        bus.Publish(AlertEvent(alert));
    }
}

void PublishRecorded(app::EventBus& bus, const app::Assessment& assessment, const std::vector<app::Alert>& alerts) {
    bus.Publish(AssessmentEvent(assessment));
    for (const app::Alert& alert : alerts) {
        bus.Publish(AlertEvent(alert));
    }
}

void PublishIngested(app::EventBus& bus, const app::IngestAccepted& accepted) {
    for (const app::RecordedVitalSign& recorded : accepted.charted) {
        PublishRecorded(bus, recorded.vital, recorded.alerts);
    }
}

}  // namespace kclinic::adapters::json
