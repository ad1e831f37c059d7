#pragma once

// The JSON shape of the schedule's views (app/scheduling.hpp) beyond the stored records of record_json.hpp: the day
// plan by room, free slots, a course's proposed sessions, what a cancellation or no-show did, and the appointment
// types with their lengths. The API answers these objects and `kclinic schedule ... --json` prints the same ones.

#include <string>

#include <nlohmann/json.hpp>

#include "app/scheduling.hpp"
#include "clinical/settings.hpp"

namespace kclinic::adapters::json {

using Json = nlohmann::json;

// A wall-clock time of the day plan, minutes from the date's local midnight, as "HH:MM"; one on the day before or
// after (an appointment that began before midnight or runs past it) carries "-1d" / "+1d": "23:30-1d", "00:40+1d".
[[nodiscard]] std::string DayPlanClockText(std::chrono::minutes from_midnight);

// {"date", "time_zone", "hours": "08:00-18:00" or "closed", "closed_day": {"date", "reason", ...} or null,
//  "rooms": [{"room": room or null, "appointments": [entry...]}]}, each entry the appointment's record with
// "patient_name", "patient_initials", "staff_name", "session_state" (null when not linked), "local_start" and
// "local_end" (DayPlanClockText).
[[nodiscard]] Json ToJson(const app::DayPlan& plan);
// {"start", "end", "room_id" (null when none), "staff"}.
[[nodiscard]] Json ToJson(const clinical::Slot& slot);
// {"session": session, "slot": slot or null}.
[[nodiscard]] Json ToJson(const app::ProposedSession& proposed);
// {"appointment": appointment, "missed_induction": flag or null, "proposal": [proposed...]}.
[[nodiscard]] Json ToJson(const app::AppointmentOutcome& outcome);
// [{"type", "treatment", "minutes"}] for every appointment type, in the order of clinical::AppointmentType, with the
// length `settings` give it (clinical::AppointmentLength).
[[nodiscard]] Json AppointmentTypesJson(const clinical::ClinicSettings& settings);

}  // namespace kclinic::adapters::json
