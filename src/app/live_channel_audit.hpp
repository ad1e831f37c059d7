#pragma once

// The audit of the live channel (docs/security.md, "Live channel"): who received which patient's events, when. A
// live connection pushes records without a request per record, so the request-level audit of the API does not see
// them; the connection itself records, per patient whose events it carries:
//   - "live.receive", before the first event of that patient goes out on the connection: the entry is committed
//     before the event is written, so no patient's record leaves the server unaudited, even if the process is
//     killed a moment later;
//   - "live.close", when the connection ends: how many of that patient's events it received (since its
//     "live.receive" entry).
// Later events of a patient already received on the same connection add no entry of their own (the pair brackets
// them), which bounds the audit of a board that watches the whole clinic at two entries per patient and connection.

#include <cstddef>
#include <string_view>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

class LiveChannelAudit {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    LiveChannelAudit(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Audits, as "live.receive" by `actor` now, that the connection watching `topic` ("board" or "session 12") is
    // about to receive the first event of `patient`. The caller sends that event only once this returned OK.
    // Errors: the store's.
    Status RecordFirstEvent(const Actor& actor, PatientId patient, std::string_view topic);

    // Audits, as "live.close" by `actor` now, that the connection ended having received `events` (at least 1) of
    // `patient`'s events. Errors: the store's.
    Status RecordClosed(const Actor& actor, PatientId patient, std::size_t events);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
