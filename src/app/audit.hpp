#pragma once

// The one way a use case writes its audit entry: inside its own transaction, and turning a failed append into the
// transaction's error, so no audited action commits without its entry.

#include <cstdint>
#include <string>
#include <string_view>

#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// Appends who (`actor`), what (`action`, e.g. "patient.read"), which record and when to the audit log.
// `patient_id` is 0 when the entry concerns no single patient; `detail` says what a search looked for.
inline Status RecordAudit(AuditTransaction& tx, const Actor& actor, TimePoint at, std::string_view action,
                          std::string_view record_type, std::int64_t record_id, std::int64_t patient_id,
                          std::string_view detail = {}) {
    return tx.AppendAudit(AuditEntry{AuditEntryId{}, at, actor.user, actor.origin, std::string(action),
                                     std::string(record_type), record_id, patient_id, std::string(detail)});
}

}  // namespace kclinic::app
