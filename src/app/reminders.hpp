#pragma once

// An appointment's reminder emails, written into the transactional outbox (issue 11 §2) in the transaction that
// books or moves the appointment, so a booking never stands without its reminders nor a reminder without its
// booking. The sender loop (adapters/mail/outbox_sender.hpp) delivers them. What they say: clinical/reminder_text.hpp.

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/clinic_zone.hpp"

namespace kclinic::app {

// When and as whom reminders go out. The lead times are settings (reminders.first_lead_hours and
// reminders.second_lead_hours, default 24 h and 2 h: docs/clinical-rules.md "Appointment reminders").
struct ReminderPolicy {
    std::vector<std::chrono::hours> leads;  // how long before the start each reminder is due; each positive
    std::string clinic_name;                // as the patient knows the clinic; empty: the text names none
};

// "reminder:<appointment id>:<version>:<lead hours>h": one key per appointment version and lead time, so writing
// the same reminder twice is refused (kConflict "idempotency_key") and a moved appointment (a new version) gets new
// ones. The sender uses it as the Message-ID, so a receiver can drop the one duplicate a crash can cause.
[[nodiscard]] std::string ReminderKey(AppointmentId appointment, std::int64_t version, std::chrono::hours lead);

// The reminders of `appointment` (as stored: id and version set) to `recipient`: one per lead time of `policy`
// whose due time, start minus lead, is after `now`, in the order of `policy.leads`; none for an appointment that is
// not booked (checked in, completed, cancelled, no-show). Pure: nothing is written.
[[nodiscard]] std::vector<OutboxMessage> ReminderMessages(const Appointment& appointment, std::string_view recipient,
                                                          const ReminderPolicy& policy,
                                                          const clinical::ClinicZone& zone, TimePoint now);

// Writes ReminderMessages of `appointment` into the outbox in `tx`, to the email of the patient's portal user, and
// returns how many it wrote. None for a patient without a portal user or whose user is disabled (the front desk
// sees "no reminder" on the appointment; not an error). The caller moving or cancelling an appointment first calls
// tx.CancelOutboxMessages(appointment.id): the old version's pending reminders must not go out. Errors: the store's;
// kConflict "idempotency_key" when this version's reminders were written already.
[[nodiscard]] Result<int> WriteReminders(StoreTransaction& tx, const Appointment& appointment,
                                         const ReminderPolicy& policy, const clinical::ClinicZone& zone, TimePoint now);

}  // namespace kclinic::app
