#include "app/alert_records.hpp"

#include <string>
#include <utility>

#include "app/access_rules.hpp"
#include "app/audit.hpp"
#include "app/patient_records.hpp"
#include "base/text.hpp"

namespace kclinic::app {
namespace {

constexpr std::size_t kMaxNoteLength = 2000;
constexpr std::string_view kSystemActorPrefix = "system:";

}  // namespace

Result<std::vector<Alert>> AlertRecords::ListAlerts(const Actor& actor, const AlertFilter& filter) {
    if (filter.limit < 1 || filter.limit > kMaxPageSize) {
        return OutOfRange("limit", filter.limit, 1, kMaxPageSize);
    }
    // Alerts notify the named clinician's address as stored (lower case): "Nurse@Clinic.example" means that user,
    // not nobody. An empty `notify` lists the alerts raised for no named clinician.
    AlertFilter normalized = filter;
    if (filter.notify && !filter.notify->empty()) {
        ASSIGN_OR_RETURN(normalized.notify, NormalizeEmail(*filter.notify, "notify"));
    }
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<Alert>> {
        if (filter.patient) {
            RETURN_IF_ERROR(tx.GetPatient(*filter.patient));
        }
        if (filter.session) {
            RETURN_IF_ERROR(tx.GetSession(*filter.session));
        }
        ASSIGN_OR_RETURN(std::vector<Alert> alerts, tx.ListAlerts(normalized));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "alert.list", "alert", filter.after_id,
                                    filter.patient ? filter.patient->value : 0));
        return alerts;
    });
}

Result<Alert> AlertRecords::Acknowledge(const Actor& actor, AlertId alert, std::string_view note) {
    // Device feeds and the CLI act as "system:<component>"; an acknowledgement says a person has seen the alert.
    if (actor.user.empty() || actor.user.starts_with(kSystemActorPrefix)) {
        return Error{ErrorCode::kPermissionDenied, "actor",
                     "an alert is acknowledged by a person, not by \"" + actor.user + "\""};
    }
    RETURN_IF_ERROR(CheckText("note", note, {.max_characters = kMaxNoteLength, .multiline = true, .required = false}));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<Alert> {
        RETURN_IF_ERROR(tx.AcknowledgeAlert(alert, now, actor.user, note));
        ASSIGN_OR_RETURN(Alert acknowledged, tx.GetAlert(alert));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "alert.acknowledge", "alert", alert.value, acknowledged.patient.value));
        return acknowledged;
    });
}

}  // namespace kclinic::app
