#include "app/live_channel_audit.hpp"

#include <string>

#include "app/audit.hpp"

namespace kclinic::app {

Status LiveChannelAudit::RecordFirstEvent(const Actor& actor, PatientId patient, std::string_view topic) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) {
        return RecordAudit(tx, actor, now, "live.receive", "patient", patient.value, patient.value,
                           "topic=" + std::string(topic));
    });
}

Status LiveChannelAudit::RecordClosed(const Actor& actor, PatientId patient, std::size_t events) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) {
        return RecordAudit(tx, actor, now, "live.close", "patient", patient.value, patient.value,
                           "events=" + std::to_string(events));
    });
}

}  // namespace kclinic::app
