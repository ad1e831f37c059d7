#pragma once

// The EventBus port: how a committed change of the clinic record reaches the people watching it live (the
// `/api/v1/live` WebSocket channel, shared/design.md §4). The adapter that recorded the change publishes after its
// transaction committed, never before: an event is a fact already durable. Delivery is best effort and at most once;
// a watcher that missed events reads the record again (the record, not the bus, is the truth).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/records.hpp"
#include "base/enum_names.hpp"

namespace kclinic::app {

enum class LiveEventKind {
    kVitalSign,          // a vital sign was recorded
    kAssessment,         // a rating scale was recorded
    kAlert,              // an alert was raised
    kAlertAcknowledged,  // an alert was acknowledged
    kSessionState,       // a treatment session moved through its state machine
    kAdministration,     // a dose was administered
    kPrnDose,            // a PRN dose was given under a standing or one-off order, or its response recorded
    kCountDiscrepancy,   // a count of the safe found a container off its book: for those who sign it (recipients)
};

inline constexpr auto kLiveEventKindNames = MakeEnumNames<LiveEventKind>({
    {LiveEventKind::kVitalSign, "vital_sign"},
    {LiveEventKind::kAssessment, "assessment"},
    {LiveEventKind::kAlert, "alert"},
    {LiveEventKind::kAlertAcknowledged, "alert_acknowledged"},
    {LiveEventKind::kSessionState, "session_state"},
    {LiveEventKind::kAdministration, "administration"},
    {LiveEventKind::kPrnDose, "prn_dose"},
    {LiveEventKind::kCountDiscrepancy, "count_discrepancy"},
});
[[nodiscard]] constexpr std::string_view LiveEventKindName(LiveEventKind kind) {
    return kLiveEventKindNames.Name(kind);
}

struct LiveEvent {
    LiveEventKind kind = LiveEventKind::kVitalSign;
    PatientId patient;
    // The treatment session the change belongs to, when the record names one (state changes, administrations).
    // Vital signs and scores name only the patient: a session's watchers receive those of its patient.
    std::optional<SessionId> session;
    std::string record_json;  // the record as the JSON API shows it (adapters/json/record_json)
    // The users (by email) this event is for, when it is not the clinic's at large: a count discrepancy goes to those
    // who sign it (ControlledSubstanceLog::DiscrepancySigners) and to no one else. Such an event names no patient
    // (patient 0): it carries no patient's record. Empty: every watcher the patient and session select.
    std::vector<std::string> recipients = {};  // "= {}": the four-field initialisers elsewhere stay complete
};

class EventBus {
public:
    virtual ~EventBus() = default;
    // Hands `event` to every watcher it concerns, in this process and, where the adapter fans out (PostgreSQL
    // LISTEN/NOTIFY), in every other server process on the same database. Never blocks on a watcher: a watcher that
    // cannot keep up is dropped by the adapter. Thread-safe.
    virtual void Publish(const LiveEvent& event) = 0;
};

}  // namespace kclinic::app
