#pragma once

// Use cases of the controlled-substance log (issue 14 §2): receiving ketamine and esketamine stock into the safe,
// moving it, drawing it for an administration, returning or wasting the remainder before a witness, destroying and
// returning stock, counting the safe with a second person, explaining a count's discrepancy, correcting an entry, and
// the reports an inspector asks for. The balance arithmetic and its refusals are the clinical core's
// (clinical/controlled_substances.hpp); each use case locks the container, reads its entries, asks
// clinical::CheckMovement and appends the entry, all in one Store transaction with its audit entry, so concurrent
// movements of one container are judged one after the other; a refusal writes nothing.
//
// Who may do what is the role matrix's (inventory.* permissions). The witness of a waste or destruction and the
// second counter of a count is a Witness: a person the HTTP layer or the CLI has authenticated with their own
// credentials in the same request (Authentication::ConfirmWitness or an API token), never the actor's session.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/controlled_substances.hpp"

namespace kclinic::app {

// The most characters of a lot number, supplier, invoice, location, reference; of a reason or explanation.
inline constexpr std::size_t kMaxCsNameLength = 120;
inline constexpr std::size_t kMaxCsReasonLength = 2000;
// The most containers one receipt may bring in.
inline constexpr int kMaxCsContainersPerReceipt = 100;

// A second person who confirmed a step with their own credentials.
struct Witness {
    std::string email;
    Role role = Role::kNurse;
};

// An amount as a person gives it: for a vial exactly one of mg or mL, for a kit devices
// (clinical::AmountToUnits).
struct CsAmount {
    std::optional<double> mg;
    std::optional<double> ml;
    std::optional<std::int64_t> devices;
};

struct CsReceipt {
    std::string product;  // a code of clinical::CsProducts()
    std::string lot_number;
    std::chrono::sys_days expires_on;
    std::string supplier;
    std::string invoice;
    std::string location;  // e.g. "safe"
    int containers = 1;    // how many identical containers of the lot arrived (1..kMaxCsContainersPerReceipt)
};

struct CsDraw {
    AdministrationId administration;  // the ketamine or esketamine administration it is for
    CsAmount drawn;                   // what left the container
    CsAmount given;                   // of it, what the patient received; the rest is in hand until returned/wasted
};

// One container found in a count of the safe.
struct CsFound {
    CsContainerId container;
    CsAmount found;
};

// One container as the log sees it now: as received, where it is, its balance and its entries.
struct CsContainerStatus {
    CsContainer container;
    clinical::CsProduct product;
    std::string location;
    clinical::CsBalance balance;   // in the product's unit
    bool expired = false;          // the clinic's today is after expires_on
    std::vector<CsEntry> entries;  // oldest first; empty in listings
};

// A count's discrepancy: the count entry, what the book said and what was found, and its resolution once signed.
struct CsDiscrepancy {
    CsEntry count;
    std::string product;
    std::string lot_number;
    std::optional<CsEntry> resolution;  // absent while open
};

// One line of the dispensing log (21 CFR 1304.22(c): the name and address of the person to whom dispensed, the date,
// the units or volume, the dispenser's name): a draw with its administration's patient, and what became of its
// remainder.
struct CsDispensingLine {
    CsEntry draw;
    CsContainer container;
    Patient patient;                  // to whom it was dispensed: the draw's administration's patient
    std::int64_t returned_units = 0;  // returned to stock from this draw
    std::int64_t wasted_units = 0;    // wasted from this draw
    std::vector<std::string> waste_witnesses;
    std::optional<CsEntryId> corrected_by;  // the correction that reversed the draw, if any
};

// One container in an inventory as of a moment (21 CFR 1304.11(e)(3): an open container's content is the exact
// amount; we record it exactly for every container).
struct CsInventoryLine {
    CsContainer container;
    std::string location;
    clinical::CsBalance balance;
};

// One entry of the record of losses (21 CFR 1301.76(b)): a count's discrepancy (with its resolution once signed), a
// waste of stock or a destruction, with its container.
struct CsLoss {
    CsEntry entry;
    CsContainer container;
    std::optional<CsEntry> resolution;  // a count's, once explained and signed
};

// Every count discrepancy in `tx`, oldest first, each with its resolution once signed; only the open ones with
// `open_only`. No audit entry: the caller audits the read (ListDiscrepancies; the record export).
Result<std::vector<CsDiscrepancy>> CountDiscrepancies(StoreTransaction& tx, bool open_only);

class ControlledSubstanceLog {
public:
    // `store`, `clock` and `zones` must outlive this object (the clinic's today decides expiry). Thread-safe when
    // they are.
    ControlledSubstanceLog(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // Receives `receipt.containers` full containers of one lot into `location`: one container and its receipt entry
    // each. Errors: kInvalidArgument "product" (not a product code), "lot_number", "supplier", "invoice",
    // "location" (empty or over kMaxCsNameLength), "containers" (outside 1..kMaxCsContainersPerReceipt);
    // kFailedPrecondition "expires_on" for a lot already expired on the clinic's today.
    Result<std::vector<CsContainerStatus>> Receive(const Actor& actor, const CsReceipt& receipt);
    // Moves a container to another storage location. Errors: kInvalidArgument "location" (empty, too long, or where
    // it already is); CheckMovement's; kNotFound "container_id".
    Result<CsContainerStatus> Transfer(const Actor& actor, CsContainerId container, const std::string& location);
    // Draws for an administration not marked entered in error whose drug is the container's product's.
    // Errors: AmountToUnits' on "drawn."/"given." fields as named; CheckMovement's (on hand, expired lot, closed);
    // kInvalidArgument "administration_id" when the administration's drug is not the product's drug, or it is
    // marked entered in error; kFailedPrecondition "given" when the draws given for the administration would exceed
    // its dose_mg; kNotFound "container_id" / "administration_id".
    Result<CsContainerStatus> Draw(const Actor& actor, CsContainerId container, const CsDraw& draw);
    // Returns part of a draw's remainder to stock (a multi-dose container). Errors: AmountToUnits'; CheckMovement's;
    // kNotFound "entry_id" for the draw.
    Result<CsContainerStatus> ReturnToStock(const Actor& actor, CsEntryId draw, const CsAmount& amount);
    // Wastes part of a draw's remainder (`draw` set), or stock from the container (`draw` nullopt), before
    // `witness`. Errors: kInvalidArgument "reason" (empty or too long); kPermissionDenied "witness" when the witness
    // is the actor or does not hold inventory.witness; AmountToUnits'; CheckMovement's; kNotFound.
    Result<CsContainerStatus> Waste(const Actor& actor, CsContainerId container, std::optional<CsEntryId> draw,
                                    const CsAmount& amount, const std::string& reason, const Witness& witness);
    // Destroys stock (by default all on hand: `amount` empty) before `witness`. Errors as Waste.
    Result<CsContainerStatus> Destroy(const Actor& actor, CsContainerId container, const CsAmount& amount,
                                      const std::string& reason, const Witness& witness);
    // Returns everything on hand to the supplier and closes the container. Errors: kInvalidArgument "reference"
    // (empty or too long); CheckMovement's (kFailedPrecondition "units" while a draw's remainder is in hand).
    Result<CsContainerStatus> ReturnToSupplier(const Actor& actor, CsContainerId container,
                                               const std::string& reference);
    // A count of `location` by the actor and `witness` (the second counter): one count entry per container found,
    // each recording on hand by the book and what was found. Every open container in `location` must be in
    // `found`; a difference is a discrepancy, open until Resolve. Errors: kInvalidArgument "found" (empty, a
    // container twice, one not in `location`, or one of `location`'s open containers missing, naming it),
    // kPermissionDenied "witness" as Waste; AmountToUnits'; CheckMovement's. Returns every container counted.
    Result<std::vector<CsContainerStatus>> Count(const Actor& actor, const std::string& location,
                                                 const std::vector<CsFound>& found, const std::string& note,
                                                 const Witness& witness);
    // Explains and signs a count's discrepancy (the actor signs: inventory.sign_discrepancy). Errors:
    // kInvalidArgument "explanation"; kPermissionDenied "actor" when a medical director is designated
    // (User::medical_director) and the actor is not they (while none is, any prescriber may sign); CheckMovement's
    // (kFailedPrecondition "refers_to": not a count with an open discrepancy); kNotFound "entry_id".
    Result<CsDiscrepancy> Resolve(const Actor& actor, CsEntryId count, const std::string& explanation);
    // Reverses an entry with a reason (a new correction entry referring to it). Errors: kInvalidArgument "reason";
    // CheckMovement's (kFailedPrecondition "refers_to": a correction, resolution or count, already corrected, or
    // its reversal would break the balance); kNotFound "entry_id".
    Result<CsContainerStatus> Correct(const Actor& actor, CsEntryId corrected, const std::string& reason);

    // kNotFound "container_id".
    Result<CsContainerStatus> GetContainer(const Actor& actor, CsContainerId container);
    // Every container (without entries), in id order; only those in `location` when given; closed and empty ones
    // only with `include_closed`.
    Result<std::vector<CsContainerStatus>> ListContainers(const Actor& actor,
                                                          const std::optional<std::string>& location,
                                                          bool include_closed);
    // Every discrepancy, oldest first; only the open ones with `open_only`.
    Result<std::vector<CsDiscrepancy>> ListDiscrepancies(const Actor& actor, bool open_only);

    // Who is alerted to a count's discrepancy, being who signs its explanation (Resolve; 21 CFR 1301.76(b), the
    // clinic's policy in docs/clinical-rules.md): the medical director, or, while none is designated, every active
    // prescriber. Their emails, in user id order.
    Result<std::vector<std::string>> DiscrepancySigners();
    // The discrepancy alerts of `actor`: the open discrepancies, oldest first, when the actor is one of
    // DiscrepancySigners; none for anyone else. An alert stays open until Resolve signs its discrepancy.
    Result<std::vector<CsDiscrepancy>> DiscrepancyAlerts(const Actor& actor);

    // Reports. `from`/`to` are instants, [from, to).
    // The dispensing log of one drug ("ketamine" / "esketamine"): every draw in [from, to), oldest first, with the
    // name and address of its patient (each line a read of that patient, audited as such). Errors:
    // kInvalidArgument "drug"; "to" when not after `from`.
    Result<std::vector<CsDispensingLine>> DispensingLog(const Actor& actor, const std::string& drug, TimePoint from,
                                                        TimePoint to);
    // The inventory as of `at` (not in the future): every container received by then and not closed or empty by
    // then, with its balance as of `at`. Errors: kInvalidArgument "at" in the future.
    Result<std::vector<CsInventoryLine>> Inventory(const Actor& actor, TimePoint at);
    // The record of losses: every count discrepancy (open and resolved), waste of stock and destruction in
    // [from, to), oldest first. Errors: kInvalidArgument "to".
    Result<std::vector<CsLoss>> Losses(const Actor& actor, TimePoint from, TimePoint to);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
