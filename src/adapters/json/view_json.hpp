#pragma once

// The JSON of the screens' read models (app/clinic_views.hpp, app::PatientSummary): each record inside them in its
// own shape (record_json.hpp), so a vital sign on the board is the object the vitals route and the live channel
// send, and a client merges live events into what it loaded.

#include "adapters/json/clinical_json.hpp"
#include "app/clinic_views.hpp"
#include "app/patient_records.hpp"

namespace kclinic::adapters::json {

// {"id", "email", "display_name", "role"}.
[[nodiscard]] Json ToJson(const app::StaffMember& member);
// The patient object with "display_name" ("Given Family"), "age" and "current_course" ({"id", "route", "protocol",
// "status", "start_date"} or null).
[[nodiscard]] Json ToJson(const app::PatientSummary& summary);
// {"date", "time_zone", "sessions": [...]}: docs/api.md, "The clinic board".
[[nodiscard]] Json ToJson(const app::ClinicBoard& board);
// docs/api.md, "The chart".
[[nodiscard]] Json ToJson(const app::PatientChart& chart);
// A session as GET /api/v1/sessions/{id} answers it: the session with its dose order (once signed),
// administrations, transitions and medications given.
[[nodiscard]] Json ToJson(const app::SessionRecord& record);
// docs/api.md, "The session screen".
[[nodiscard]] Json ToJson(const app::SessionScreen& screen);

}  // namespace kclinic::adapters::json
