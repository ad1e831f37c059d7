#pragma once

// The alert use cases: listing the alerts that PatientRecords raised over vital signs and assessments, and a
// person's acknowledgement of one (shared/design.md §3: alerts must be acknowledged by a person). As in the other
// use cases, each takes the acting user, checks its input, does all its work in one Store transaction and audits
// it in that same transaction; a refusal writes nothing.

#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

class AlertRecords {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    AlertRecords(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Alerts matching `filter`, in id order; filter.limit 1..kMaxPageSize (kOutOfRange "limit"). One audit entry for
    // the listing. kNotFound when filter.patient names no patient, or filter.session no session. filter.notify is an
    // email address in any case (kInvalidArgument "notify" when it is not one), or empty for the alerts raised for no
    // named clinician.
    Result<std::vector<Alert>> ListAlerts(const Actor& actor, const AlertFilter& filter);

    // Records that `actor` has seen the alert, with an optional note (at most 2000 characters), and returns it
    // acknowledged. Errors: kPermissionDenied "actor" when the actor is not a person (a "system:" component or no
    // user); kInvalidArgument "note" (CheckText's errors: multi-line, at most 2000 characters); kNotFound when no such
    // alert; kFailedPrecondition "alert_id" when it is already acknowledged (an acknowledged alert never changes).
    Result<Alert> Acknowledge(const Actor& actor, AlertId alert, std::string_view note);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
