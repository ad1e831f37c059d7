#pragma once

// Use cases of dosing in a treatment session: the prescriber's signed dose order and the administrations recorded
// while the session is dosing (session_steps.hpp moves the session). Like HistoryRecords, each takes the acting
// user, checks its input, does all its work in one Store transaction and appends an audit entry for every write of
// patient data in that same transaction; a refusal writes nothing.

#include <optional>
#include <string>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

struct NewAdministration {
    std::string drug;  // generic name, 1-200 characters
    clinical::Route route = clinical::Route::kIv;
    double dose_mg = 0;                   // > 0
    std::optional<double> rate_mg_per_h;  // infusions; > 0 when given
    // esketamine only, required: 1 to clinical::kEsketamineMaxDevices devices of 28 mg, dose_mg = 28 x count
    std::optional<int> device_count;
    std::string lot_number;  // 1-200 characters
    // Both checked by clinical::CheckAdministrationTime: not beyond the clock-skew allowance in the future, not
    // older than the late-entry limit, started_at not before the session's pre-dose step, stopped_at not before it.
    TimePoint started_at;
    std::optional<TimePoint> stopped_at;
};

class DoseRecords {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    DoseRecords(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // The actor signs, as prescriber, the dose `request` computes to with clinical::ComputeDose(request, settings);
    // the request and the order are stored. Errors: ComputeDose's (nothing stored); kInvalidArgument "route" when
    // the request's route is not the course's; kFailedPrecondition "session_id" when the session is not checked in,
    // held or pre_dose_ok, or already has a dose order (a signed order is never edited); kNotFound.
    Result<DoseOrderRecord> SignDoseOrder(const Actor& actor, SessionId session, const clinical::DoseRequest& request,
                                          const clinical::ClinicSettings& settings);
    // Records an administration during dosing, flagged late_entry when its times were documented after the fact
    // (settings.records). Errors: kInvalidArgument / kOutOfRange naming the field (see NewAdministration);
    // kInvalidArgument "started_at" / "stopped_at" from clinical::CheckAdministrationTime; kInvalidArgument "route"
    // when not the dose order's route; kFailedPrecondition "session_id" when the session is not dosing, "dose_mg"
    // when the session's administrations would exceed the order's total_mg; kNotFound.
    Result<Administration> RecordAdministration(const Actor& actor, SessionId session,
                                                const NewAdministration& administration,
                                                const clinical::ClinicSettings& settings);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
