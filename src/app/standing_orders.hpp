#pragma once

// Use cases of standing orders and PRN doses (issue 14 §1): the medical director signs a version of the clinic's
// standing-order set; a prescriber signs a one-off order for one session; a nurse gives a PRN dose under an entry of
// the set in force or under a one-off order, and records the patient's response later. The rules a dose must pass
// are clinical/standing_orders.hpp's. Like DoseRecords, each use case does all its work in one Store transaction and
// appends an audit entry for every read or write of patient data in that same transaction; a refusal writes nothing.
// A PRN dose is recorded as a session medication (DoseRecords), so it is never part of the ketamine total and
// appears wherever session medications do (the session record and screen, the export, the REMS form).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"
#include "clinical/standing_orders.hpp"

namespace kclinic::app {

struct NewStandingOrderSet {
    std::vector<clinical::PrnOrderTerms> entries;  // 1..clinical::kMaxEntriesPerSet; numbered 1, 2, ... in this order
    std::string note;                              // optional, at most 2000 characters
    // The version this one supersedes: the latest version's number, 0 for the clinic's first set. It makes the
    // signer's intent explicit, so two prescribers editing at once cannot silently overwrite each other.
    int supersedes_version = 0;
};

struct NewOneOffOrder {
    clinical::PrnOrderTerms terms;
    // The prescriber has seen what the patient's record says against the drug (clinical::PrnInteractions) and orders
    // it anyway; required when there is anything.
    bool acknowledge_interactions = false;
};

// A PRN dose, under exactly one of: the entry `entry_number` of the standing-order set in force at given_at, or the
// session's one-off order `one_off_order`.
struct NewPrnDose {
    std::optional<int> entry_number;
    std::optional<OneOffOrderId> one_off_order;
    double dose = 0;
    clinical::MedicationUnit unit = clinical::MedicationUnit::kMg;
    clinical::MedicationRoute route = clinical::MedicationRoute::kIv;
    std::string indication;  // the order's
    TimePoint given_at;
};

struct NewPrnResponse {
    bool effective = false;
    std::string note;  // optional, at most 2000 characters
};

// The standing-order set in force at `at` among `sets` (oldest first): the latest version signed at or before it;
// nullptr when none was.
[[nodiscard]] const StandingOrderSet* SetInForceAt(const std::vector<StandingOrderSet>& sets, TimePoint at);

class StandingOrders {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    StandingOrders(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // The actor signs, as medical director (the API's standing_order.sign permission), a new version of the set:
    // in force from now, superseding the previous one. Audited "standing_order_set.sign" (no patient). Errors:
    // kInvalidArgument "entries" when none or more than kMaxEntriesPerSet; clinical::ValidatePrnOrderTerms's on
    // "entries[i]"; kInvalidArgument "note" over 2000 characters; kConflict "version" when supersedes_version is not
    // the latest version (another was signed meanwhile).
    Result<StandingOrderSet> SignSet(const Actor& actor, const NewStandingOrderSet& set);
    // Every version, oldest first. Not patient data: no audit entry.
    Result<std::vector<StandingOrderSet>> ListSets();
    // The version in force at `at`; kNotFound "at" when none was signed by then.
    Result<StandingOrderSet> SetInForce(TimePoint at);
    // Every version in force at some time during the clinic's calendar day `date` (clinic.time_zone), oldest first:
    // the one in force at its start, then those signed during it. Empty when none was signed by the day's end.
    // Errors: LoadClinicZone's.
    Result<std::vector<StandingOrderSet>> SetsInForceOn(std::chrono::sys_days date);

    // The actor signs, as prescriber, a one-off order for `session` (checked in, not ended). Audited
    // "one_off_order.sign" with the patient. Errors: ValidatePrnOrderTerms's; kFailedPrecondition "drug"
    // (InteractionRefusal) when the record speaks against the drug and acknowledge_interactions is false;
    // kFailedPrecondition "session_id" when the session was never checked in or has ended; kNotFound.
    Result<OneOffOrder> SignOneOffOrder(const Actor& actor, SessionId session, const NewOneOffOrder& order);

    // The actor gives a PRN dose in `session`, recorded as a session medication (order_kind standing_order or prn)
    // linked to its order. Checks, in order: CheckEntryTime's on "given_at"; kInvalidArgument "order" unless exactly
    // one of entry_number and one_off_order is given; kNotFound for no such session, kFailedPrecondition "session_id"
    // when it was never checked in; kFailedPrecondition "entry_number" when no set was in force at given_at, kNotFound
    // "entry_number" when the set has no such entry; kNotFound "one_off_order" when the order is not one of this
    // session's; clinical::CheckPrnDose's against the earlier doses of the same order in the session and the session's
    // valid blood pressures; under a standing order, InteractionRefusal when the patient's current medications or
    // allergies speak against the drug; then RecordSessionMedicationIn's ("given_at" before the check-in or after the
    // end of a finished session). Audited "session_medication.create" and "prn_dose.give", both with the patient.
    Result<PrnDose> GivePrnDose(const Actor& actor, SessionId session, const NewPrnDose& dose,
                                const clinical::ClinicSettings& settings);

    // Records how the patient responded to PRN dose `dose`. Audited "prn_dose.response". Errors: kInvalidArgument
    // "note"; kNotFound "dose_id" when no such PRN dose; kConflict "response" when one is recorded already.
    Result<PrnDose> RecordResponse(const Actor& actor, SessionMedicationId dose, const NewPrnResponse& response);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
