#pragma once

// The steps of recording a vital sign that both a person's entry (PatientRecords::RecordVitalSign) and a bedside
// monitor's feed (DeviceFeed::Ingest) take, in the caller's transaction, so a device reading lands in the same session
// and raises its alerts the same way as a manual one.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/alerts.hpp"

namespace kclinic::app {

// The patient's treatment session in progress at `at`: checked in at or before it and not yet discharged,
// cancelled or aborted by then; nullopt when none was. A final state has no way out (clinical::AllowedTargets), so
// the session's state_changed_at is when it ended. Should two overlap, the one checked in last.
Result<std::optional<SessionId>> SessionInProgressAt(StoreTransaction& tx, PatientId patient, TimePoint at);

// Stores one alert per finding, raised now over `record_type` `record_id` (recorded in `session`, if any) for
// `patient`'s named clinician, each with its "alert.create" audit entry, in the caller's transaction; returns the
// stored alerts.
Result<std::vector<Alert>> RaiseAlerts(StoreTransaction& tx, const Actor& actor, TimePoint now, const Patient& patient,
                                       std::string_view record_type, std::int64_t record_id,
                                       std::optional<SessionId> session,
                                       const std::vector<clinical::AlertFinding>& findings);

}  // namespace kclinic::app
