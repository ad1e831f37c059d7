#pragma once

// What an appointment reminder email says (issue 11 §2): the appointment's day and times on the clinic's wall
// clock, and for a treatment session how to prepare and get home (the portal's own text, PreparationInstructions).
//
// An email crosses servers the clinic does not run and is read wherever the patient reads mail, so it carries the
// minimum of health information (docs/clinical-rules.md "Appointment reminders"): no diagnosis, no drug name, no
// dose, no clinician's name, no patient name. A treatment is "a treatment session", every other type "an
// appointment"; the subject, which lock screens and mail lists show, names neither. The preparation text of an
// esketamine session follows the Spravato label and so says "the dose"; it names no drug.

#include <string>
#include <string_view>

#include "clinical/clinic_zone.hpp"
#include "clinical/scheduling.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

struct ReminderText {
    std::string subject;  // one line, no line break
    std::string body;     // plain text, lines of at most kReminderLineWidth characters, ending in a line break
};

// Lines of the body are wrapped at this many characters (RFC 5322 §2.1.1 recommends at most 78).
inline constexpr std::size_t kReminderLineWidth = 72;

// The reminder of an appointment of `type` from `start` to `end` (UTC; end after start), dated and timed in `zone`,
// at `clinic_name` (the clinic's name as the patient knows it; empty: the text names no clinic). Never fails.
[[nodiscard]] ReminderText ComposeReminder(AppointmentType type, TimePoint start, TimePoint end, const ClinicZone& zone,
                                           std::string_view clinic_name);

// "Tuesday 22 September 2026" and "09:30": `at` on the clinic's calendar and wall clock.
[[nodiscard]] std::string LocalDateText(TimePoint at, const ClinicZone& zone);
[[nodiscard]] std::string LocalTimeText(TimePoint at, const ClinicZone& zone);

}  // namespace kclinic::clinical
