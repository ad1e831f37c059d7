#pragma once

// The JSON shape of the clinic record: one object per stored record, every field under its storage name, times as
// ISO 8601 UTC with milliseconds, enumerations by their stable names, absent optionals left out. The CLI's
// `patient show` and `export`, and the HTTP API, write these same objects so a field means one thing everywhere.

#include <optional>

#include "adapters/json/clinical_json.hpp"
#include "app/records.hpp"

namespace kclinic::adapters::json {

[[nodiscard]] Json ToJson(const app::Patient& patient);
[[nodiscard]] Json ToJson(const app::WeightMeasurement& weight);
[[nodiscard]] Json ToJson(const app::VitalSign& vital);
// A record that can be marked entered in error always carries "entered_in_error": null while valid, or
// {"reason", "marked_at", "marked_by"} (EnteredInErrorJson), so a reader cannot miss the mark.
[[nodiscard]] Json EnteredInErrorJson(const std::optional<app::EnteredInError>& mark);
[[nodiscard]] Json ToJson(const app::Assessment& assessment);
// A medication also carries "stop": null while current, or {"stopped_on", "reason", "recorded_at", "recorded_by"}.
[[nodiscard]] Json ToJson(const app::HistoryEntry& entry);
[[nodiscard]] Json ToJson(const app::TrialRecord& trial);
[[nodiscard]] Json ToJson(const app::ScreeningRecord& screening);
[[nodiscard]] Json ToJson(const app::TreatmentCourse& course);
[[nodiscard]] Json ToJson(const app::TreatmentSession& session);
[[nodiscard]] Json ToJson(const clinical::DoseRequest& request);
// With "weight_reason": null, or the prescriber's reason to sign on a weight other than the latest recorded one.
[[nodiscard]] Json ToJson(const app::DoseOrderRecord& record);
// With its "stop" once an IV infusion is stopped.
[[nodiscard]] Json ToJson(const app::Administration& administration);
[[nodiscard]] Json ToJson(const app::SessionMedication& medication);
[[nodiscard]] Json ToJson(const app::SessionTransition& transition);
[[nodiscard]] Json ToJson(const app::Alert& alert);
[[nodiscard]] Json ToJson(const app::AdverseEvent& event);
[[nodiscard]] Json ToJson(const app::NoteAddendum& addendum);
[[nodiscard]] Json ToJson(const app::Note& note);  // with its addenda
[[nodiscard]] Json ToJson(const app::RemsMonitoringForm& form);
[[nodiscard]] Json ToJson(const app::RemsFormRecord& form);  // the frozen form once submitted
[[nodiscard]] Json ToJson(const app::AuditEntry& entry);
// Never the password hash; `locked_until` only while a lock is set, and `needs_admin_unlock` true instead of it for
// the lock only an admin lifts.
[[nodiscard]] Json ToJson(const app::User& user);
// Never the token's digest.
[[nodiscard]] Json ToJson(const app::ApiToken& token);
[[nodiscard]] Json ToJson(const app::TreatmentRoom& room);
[[nodiscard]] Json ToJson(const app::ClosedDay& day);
// With "room_id" and "session_id" null when it has none, "status_reason" and "override_reason" only when set, and
// "overridden" always (the soft rules' names it was booked past; empty for most).
[[nodiscard]] Json ToJson(const app::Appointment& appointment);
[[nodiscard]] Json ToJson(const app::MissedInduction& missed);
// A questionnaire assigned to a patient for the portal; ended_at and ended_by null while in force.
[[nodiscard]] Json ToJson(const app::QuestionnaireAssignment& assignment);
// A message's delivery state, never its body: the front desk sees whether a reminder went out, not what it said.
[[nodiscard]] Json ToJson(const app::OutboxMessage& message);
// A calendar feed's record: never its token or digest (the URL is shown once, by whoever creates it).
[[nodiscard]] Json ToJson(const app::CalendarFeed& feed);

}  // namespace kclinic::adapters::json
