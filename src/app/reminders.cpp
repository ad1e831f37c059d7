#include "app/reminders.hpp"

#include <optional>

#include "clinical/reminder_text.hpp"

namespace kclinic::app {

std::string ReminderKey(AppointmentId appointment, std::int64_t version, std::chrono::hours lead) {
    return "reminder:" + std::to_string(appointment.value) + ":" + std::to_string(version) + ":" +
           std::to_string(lead.count()) + "h";
}

std::vector<OutboxMessage> ReminderMessages(const Appointment& appointment, std::string_view recipient,
                                            const ReminderPolicy& policy, const clinical::ClinicZone& zone,
                                            TimePoint now) {
    std::vector<OutboxMessage> messages;
    if (appointment.status != clinical::AppointmentStatus::kBooked) {
        return messages;
    }
    const clinical::ReminderText text =
        clinical::ComposeReminder(appointment.type, appointment.start, appointment.end, zone, policy.clinic_name);
    for (const std::chrono::hours lead : policy.leads) {
        const TimePoint due = appointment.start - lead;
        if (due <= now) {
            continue;  // booked too late for this one: an earlier reminder would arrive after the fact
        }
        OutboxMessage message;
        message.idempotency_key = ReminderKey(appointment.id, appointment.version, lead);
        message.recipient = std::string(recipient);
        message.subject = text.subject;
        message.body = text.body;
        message.appointment = appointment.id;
        message.due_at = due;
        message.created_at = now;
        messages.push_back(std::move(message));
    }
    return messages;
}

Result<int> WriteReminders(StoreTransaction& tx, const Appointment& appointment, const ReminderPolicy& policy,
                           const clinical::ClinicZone& zone, TimePoint now) {
    ASSIGN_OR_RETURN(std::optional<User> user, tx.FindPatientUser(appointment.patient));
    if (!user || user->disabled) {
        return 0;
    }
    int written = 0;
    for (const OutboxMessage& message : ReminderMessages(appointment, user->email, policy, zone, now)) {
        RETURN_IF_ERROR(tx.InsertOutboxMessage(message));
        ++written;
    }
    return written;
}

}  // namespace kclinic::app
