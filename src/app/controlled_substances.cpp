#include "app/controlled_substances.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "app/audit.hpp"
#include "app/authorization.hpp"
#include "app/clinic_settings.hpp"
#include "app/patient_search.hpp"
#include "base/text.hpp"

namespace kclinic::app {
namespace {

using clinical::CsMovementKind;

constexpr std::string_view kContainerRecord = "cs_container";
constexpr std::string_view kEntryRecord = "cs_entry";

Status CheckName(std::string_view field, std::string_view text) {
    return CheckText(field, text, TextRule{kMaxCsNameLength, false, true});
}

Status CheckReason(std::string_view field, std::string_view text) {
    return CheckText(field, text, TextRule{kMaxCsReasonLength, true, true});
}

clinical::CsMovement MovementOf(const CsEntry& entry) {
    clinical::CsMovement movement{entry.id.value, entry.kind, entry.units, entry.given_units, entry.expected_units};
    if (entry.refers_to) {
        movement.refers_to = entry.refers_to->value;
    }
    return movement;
}

std::vector<clinical::CsMovement> MovementsOf(const std::vector<CsEntry>& entries) {
    std::vector<clinical::CsMovement> movements;
    movements.reserve(entries.size());
    for (const CsEntry& entry : entries) {
        movements.push_back(MovementOf(entry));
    }
    return movements;
}

std::set<std::int64_t> CorrectedIds(const std::vector<CsEntry>& entries) {
    std::set<std::int64_t> corrected;
    for (const CsEntry& entry : entries) {
        if (entry.kind == CsMovementKind::kCorrection && entry.refers_to) {
            corrected.insert(entry.refers_to->value);
        }
    }
    return corrected;
}

// Where the container is: the location of its latest receipt or transfer that was not corrected.
std::string LocationOf(const std::vector<CsEntry>& entries) {
    const std::set<std::int64_t> corrected = CorrectedIds(entries);
    std::string location;
    for (const CsEntry& entry : entries) {
        if ((entry.kind == CsMovementKind::kReceipt || entry.kind == CsMovementKind::kTransfer) &&
            !corrected.contains(entry.id.value)) {
            location = entry.location;
        }
    }
    return location;
}

// The container's status from its entries (those recorded by `entries`' caller's cut-off).
Result<CsContainerStatus> ContainerStatusOf(const CsContainer& container, std::vector<CsEntry> entries,
                                            std::chrono::sys_days today, bool with_entries) {
    CsContainerStatus status;
    ASSIGN_OR_RETURN(status.product, clinical::FindCsProduct(container.product));
    ASSIGN_OR_RETURN(status.balance, clinical::Balance(MovementsOf(entries)));
    status.container = container;
    status.location = LocationOf(entries);
    status.expired = today > container.expires_on;
    if (with_entries) {
        status.entries = std::move(entries);
    }
    return status;
}

// The witness of `actor`'s step: another person who holds inventory.witness.
Status CheckWitness(const Actor& actor, const Witness& witness) {
    if (witness.email == actor.user) {
        return Error{ErrorCode::kPermissionDenied, "witness",
                     "the witness must be another person than the one who records the step"};
    }
    if (!RoleHolds(witness.role, Permission::kInventoryWitness)) {
        return Error{ErrorCode::kPermissionDenied, "witness",
                     "the witness must be a licensed clinician (prescriber or nurse)"};
    }
    return Status::Ok();
}

Result<std::int64_t> UnitsOf(const clinical::CsProduct& product, const CsAmount& amount) {
    return clinical::AmountToUnits(product, amount.mg, amount.ml, amount.devices);
}

bool IsEmpty(const CsAmount& amount) {
    return !amount.mg && !amount.ml && !amount.devices;
}

// The clinic's date now.
Result<std::chrono::sys_days> Today(StoreTransaction& tx, const TimeZones& zones, TimePoint now) {
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones));
    return zone.LocalDate(now);
}

// Locks `container`, checks `entry` against its entries and appends it with its audit entry; the container's status
// after. `entry.container`, `recorded_at` and `recorded_by` are set here.
Result<CsContainerStatus> Append(StoreTransaction& tx, const Actor& actor, std::string_view action,
                                 std::chrono::sys_days today, TimePoint now, CsContainerId container, CsEntry entry) {
    RETURN_IF_ERROR(tx.LockCsContainer(container));
    ASSIGN_OR_RETURN(const CsContainer stored, tx.GetCsContainer(container));
    ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(stored.product));
    ASSIGN_OR_RETURN(std::vector<CsEntry> entries, tx.ListCsEntries(container));
    entry.container = container;
    entry.recorded_at = now;
    entry.recorded_by = actor.user;
    clinical::CsMovement next = MovementOf(entry);
    next.id = entries.empty() ? 1 : entries.back().id.value + 1;
    RETURN_IF_ERROR(
        clinical::CheckMovement(product, clinical::CsLotFacts{stored.expires_on, today}, MovementsOf(entries), next));
    ASSIGN_OR_RETURN(entry.id, tx.InsertCsEntry(entry));
    RETURN_IF_ERROR(
        RecordAudit(tx, actor, now, action, kEntryRecord, entry.id.value, entry.patient ? entry.patient->value : 0));
    entries.push_back(entry);
    return ContainerStatusOf(stored, std::move(entries), today, true);
}

Error BadPeriod() {
    return InvalidArgument("to", "must be after from");
}

// ControlledSubstanceLog::DiscrepancySigners as `tx` has them, paging through the users.
Result<std::vector<std::string>> SignersIn(StoreTransaction& tx) {
    ASSIGN_OR_RETURN(const std::optional<User> director, tx.FindMedicalDirector());
    if (director) {
        return std::vector<std::string>{director->email};
    }
    std::vector<std::string> prescribers;
    constexpr int kPage = 500;
    UserId after{0};
    for (;;) {
        ASSIGN_OR_RETURN(const std::vector<User> users, tx.ListUsers(after, kPage));
        for (const User& user : users) {
            if (user.role == Role::kPrescriber && !user.disabled) {
                prescribers.push_back(user.email);
            }
        }
        if (users.size() < static_cast<std::size_t>(kPage)) {
            return prescribers;
        }
        after = users.back().id;
    }
}

// The resolution entries of `all`, by the count whose discrepancy they resolve.
std::map<std::int64_t, CsEntry> ResolutionsByCount(const std::vector<CsEntry>& all) {
    std::map<std::int64_t, CsEntry> resolutions;
    for (const CsEntry& entry : all) {
        if (entry.kind == CsMovementKind::kResolution && entry.refers_to) {
            resolutions[entry.refers_to->value] = entry;
        }
    }
    return resolutions;
}

}  // namespace

Result<std::vector<CsContainerStatus>> ControlledSubstanceLog::Receive(const Actor& actor, const CsReceipt& receipt) {
    RETURN_IF_ERROR(StatusOf(clinical::FindCsProduct(receipt.product)));
    RETURN_IF_ERROR(CheckName("lot_number", receipt.lot_number));
    RETURN_IF_ERROR(CheckName("supplier", receipt.supplier));
    RETURN_IF_ERROR(CheckName("invoice", receipt.invoice));
    RETURN_IF_ERROR(CheckName("location", receipt.location));
    if (receipt.containers < 1 || receipt.containers > kMaxCsContainersPerReceipt) {
        return OutOfRange("containers", receipt.containers, 1, kMaxCsContainersPerReceipt);
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CsContainerStatus>> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        if (today > receipt.expires_on) {
            return Error{ErrorCode::kFailedPrecondition, "expires_on",
                         "the lot expired on " + FormatDate(receipt.expires_on) + "; expired stock is not received"};
        }
        ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(receipt.product));
        std::vector<CsContainerStatus> received;
        for (int i = 0; i < receipt.containers; ++i) {
            CsContainer container{CsContainerId{},
                                  receipt.product,
                                  receipt.lot_number,
                                  receipt.expires_on,
                                  receipt.supplier,
                                  receipt.invoice,
                                  now,
                                  actor.user};
            ASSIGN_OR_RETURN(container.id, tx.InsertCsContainer(container));
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "inventory.receive", kContainerRecord, container.id.value, 0));
            CsEntry entry;
            entry.kind = CsMovementKind::kReceipt;
            entry.units = product.units_per_container;
            entry.location = receipt.location;
            ASSIGN_OR_RETURN(CsContainerStatus status,
                             Append(tx, actor, "inventory.receive", today, now, container.id, entry));
            received.push_back(std::move(status));
        }
        return received;
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::Transfer(const Actor& actor, CsContainerId container,
                                                           const std::string& location) {
    RETURN_IF_ERROR(CheckName("location", location));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        RETURN_IF_ERROR(tx.LockCsContainer(container));
        ASSIGN_OR_RETURN(const std::vector<CsEntry> entries, tx.ListCsEntries(container));
        if (LocationOf(entries) == location) {
            return InvalidArgument("location", "the container is in " + location + " already");
        }
        CsEntry entry;
        entry.kind = CsMovementKind::kTransfer;
        entry.location = location;
        return Append(tx, actor, "inventory.transfer", today, now, container, entry);
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::Draw(const Actor& actor, CsContainerId container,
                                                       const CsDraw& draw) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        // The administration before the container (the one lock order of Draw): the check of what the draws give
        // against its dose below reads the draws from every container, which only its lock keeps still.
        RETURN_IF_ERROR(tx.LockAdministrationDraws(draw.administration));
        RETURN_IF_ERROR(tx.LockCsContainer(container));
        ASSIGN_OR_RETURN(const CsContainer stored, tx.GetCsContainer(container));
        ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(stored.product));
        Result<std::int64_t> drawn = UnitsOf(product, draw.drawn);
        if (!drawn.ok()) {
            return Error{drawn.error().code, "drawn." + drawn.error().field, drawn.error().message};
        }
        Result<std::int64_t> given = UnitsOf(product, draw.given);
        if (!given.ok()) {
            return Error{given.error().code, "given." + given.error().field, given.error().message};
        }
        ASSIGN_OR_RETURN(const Administration administration, tx.GetAdministration(draw.administration));
        if (administration.entered_in_error) {
            return InvalidArgument("administration_id", "the administration is marked entered in error");
        }
        if (FoldAsciiCase(administration.drug) != product.drug) {
            return InvalidArgument("administration_id", "the administration is of " + administration.drug +
                                                            ", the "
                                                            "container of " +
                                                            std::string(product.drug));
        }
        // What the patient received may not exceed what the administration records (its stop's amount for a
        // stopped infusion): every milligram given is one the administration accounts for.
        const double dose_mg = administration.stop ? administration.stop->given_mg : administration.dose_mg;
        const auto dose_ug = static_cast<std::int64_t>(std::llround(dose_mg * 1000.0));
        ASSIGN_OR_RETURN(const std::vector<CsEntry> all, tx.ListAllCsEntries());
        const std::set<std::int64_t> corrected = CorrectedIds(all);
        std::map<std::int64_t, std::int64_t> ug_per_unit;  // by container id
        std::int64_t given_ug = clinical::UnitsToMicrograms(product, *given);
        for (const CsEntry& entry : all) {
            if (entry.kind != CsMovementKind::kDraw || entry.administration != draw.administration ||
                corrected.contains(entry.id.value)) {
                continue;
            }
            if (!ug_per_unit.contains(entry.container.value)) {
                ASSIGN_OR_RETURN(const CsContainer other, tx.GetCsContainer(entry.container));
                ASSIGN_OR_RETURN(const clinical::CsProduct other_product, clinical::FindCsProduct(other.product));
                ug_per_unit[entry.container.value] = other_product.ug_per_unit;
            }
            given_ug += entry.given_units * ug_per_unit[entry.container.value];
        }
        if (given_ug > dose_ug) {
            return Error{ErrorCode::kFailedPrecondition, "given",
                         "the draws would give " + FormatNumber(static_cast<double>(given_ug) / 1000.0) +
                             " mg for an administration of " + FormatNumber(dose_mg) + " mg"};
        }
        CsEntry entry;
        entry.kind = CsMovementKind::kDraw;
        entry.units = *drawn;
        entry.given_units = *given;
        entry.administration = draw.administration;
        entry.patient = administration.patient;
        return Append(tx, actor, "inventory.draw", today, now, container, entry);
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::ReturnToStock(const Actor& actor, CsEntryId draw,
                                                                const CsAmount& amount) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        ASSIGN_OR_RETURN(const CsEntry drawn, tx.GetCsEntry(draw));
        ASSIGN_OR_RETURN(const CsContainer stored, tx.GetCsContainer(drawn.container));
        ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(stored.product));
        CsEntry entry;
        entry.kind = CsMovementKind::kReturnToStock;
        ASSIGN_OR_RETURN(entry.units, UnitsOf(product, amount));
        entry.refers_to = draw;
        return Append(tx, actor, "inventory.return_to_stock", today, now, drawn.container, entry);
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::Waste(const Actor& actor, CsContainerId container,
                                                        std::optional<CsEntryId> draw, const CsAmount& amount,
                                                        const std::string& reason, const Witness& witness) {
    RETURN_IF_ERROR(CheckReason("reason", reason));
    RETURN_IF_ERROR(CheckWitness(actor, witness));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        ASSIGN_OR_RETURN(const CsContainer stored, tx.GetCsContainer(container));
        ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(stored.product));
        CsEntry entry;
        entry.kind = CsMovementKind::kWaste;
        ASSIGN_OR_RETURN(entry.units, UnitsOf(product, amount));
        entry.refers_to = draw;
        entry.reason = reason;
        entry.witness = witness.email;
        return Append(tx, actor, "inventory.waste", today, now, container, entry);
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::Destroy(const Actor& actor, CsContainerId container,
                                                          const CsAmount& amount, const std::string& reason,
                                                          const Witness& witness) {
    RETURN_IF_ERROR(CheckReason("reason", reason));
    RETURN_IF_ERROR(CheckWitness(actor, witness));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        RETURN_IF_ERROR(tx.LockCsContainer(container));
        ASSIGN_OR_RETURN(const CsContainer stored, tx.GetCsContainer(container));
        ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(stored.product));
        CsEntry entry;
        entry.kind = CsMovementKind::kDestruction;
        if (IsEmpty(amount)) {
            ASSIGN_OR_RETURN(const std::vector<CsEntry> entries, tx.ListCsEntries(container));
            ASSIGN_OR_RETURN(const clinical::CsBalance balance, clinical::Balance(MovementsOf(entries)));
            entry.units = balance.on_hand;
        } else {
            ASSIGN_OR_RETURN(entry.units, UnitsOf(product, amount));
        }
        entry.reason = reason;
        entry.witness = witness.email;
        return Append(tx, actor, "inventory.destroy", today, now, container, entry);
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::ReturnToSupplier(const Actor& actor, CsContainerId container,
                                                                   const std::string& reference) {
    RETURN_IF_ERROR(CheckName("reference", reference));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        RETURN_IF_ERROR(tx.LockCsContainer(container));
        ASSIGN_OR_RETURN(const std::vector<CsEntry> entries, tx.ListCsEntries(container));
        ASSIGN_OR_RETURN(const clinical::CsBalance balance, clinical::Balance(MovementsOf(entries)));
        CsEntry entry;
        entry.kind = CsMovementKind::kReturnToSupplier;
        entry.units = balance.on_hand;
        entry.reference = reference;
        return Append(tx, actor, "inventory.return_to_supplier", today, now, container, entry);
    });
}

Result<std::vector<CsContainerStatus>> ControlledSubstanceLog::Count(const Actor& actor, const std::string& location,
                                                                     const std::vector<CsFound>& found,
                                                                     const std::string& note, const Witness& witness) {
    RETURN_IF_ERROR(CheckName("location", location));
    RETURN_IF_ERROR(CheckText("note", note, TextRule{kMaxCsReasonLength, true, false}));
    RETURN_IF_ERROR(CheckWitness(actor, witness));
    if (found.empty()) {
        return InvalidArgument("found", "a count lists every container found in the location");
    }
    // Locked in id order, so two counts of overlapping containers cannot deadlock.
    std::vector<CsFound> sorted = found;
    std::sort(sorted.begin(), sorted.end(),
              [](const CsFound& a, const CsFound& b) { return a.container < b.container; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i].container == sorted[i - 1].container) {
            return InvalidArgument("found",
                                   "container " + std::to_string(sorted[i].container.value) + " is listed twice");
        }
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CsContainerStatus>> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        for (const CsFound& one : sorted) {
            RETURN_IF_ERROR(tx.LockCsContainer(one.container));
        }
        // Every container holding stock in the location must be counted.
        ASSIGN_OR_RETURN(const std::vector<CsContainer> containers, tx.ListCsContainers());
        for (const CsContainer& container : containers) {
            ASSIGN_OR_RETURN(std::vector<CsEntry> entries, tx.ListCsEntries(container.id));
            ASSIGN_OR_RETURN(const CsContainerStatus status,
                             ContainerStatusOf(container, std::move(entries), today, false));
            const bool listed = std::any_of(sorted.begin(), sorted.end(),
                                            [&](const CsFound& one) { return one.container == container.id; });
            const bool holds_stock = !status.balance.closed && status.balance.on_hand > 0;
            if (status.location == location && holds_stock && !listed) {
                return InvalidArgument("found", "container " + std::to_string(container.id.value) + " (lot " +
                                                    container.lot_number + ") in " + location + " is not counted");
            }
            if (listed && status.location != location) {
                return InvalidArgument("found", "container " + std::to_string(container.id.value) + " is in " +
                                                    status.location + ", not " + location);
            }
        }
        std::vector<CsContainerStatus> counted;
        for (const CsFound& one : sorted) {
            ASSIGN_OR_RETURN(const CsContainer stored, tx.GetCsContainer(one.container));
            ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(stored.product));
            ASSIGN_OR_RETURN(const std::vector<CsEntry> entries, tx.ListCsEntries(one.container));
            ASSIGN_OR_RETURN(const clinical::CsBalance balance, clinical::Balance(MovementsOf(entries)));
            CsEntry entry;
            entry.kind = CsMovementKind::kCount;
            ASSIGN_OR_RETURN(entry.units, UnitsOf(product, one.found));
            entry.expected_units = balance.on_hand;
            entry.location = location;
            entry.reason = note;
            entry.witness = witness.email;
            ASSIGN_OR_RETURN(CsContainerStatus status,
                             Append(tx, actor, "inventory.count", today, now, one.container, entry));
            counted.push_back(std::move(status));
        }
        return counted;
    });
}

Result<CsDiscrepancy> ControlledSubstanceLog::Resolve(const Actor& actor, CsEntryId count,
                                                      const std::string& explanation) {
    RETURN_IF_ERROR(CheckReason("explanation", explanation));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsDiscrepancy> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        // The medical director signs, once an admin has designated one; until then a prescriber stands in (the
        // route's inventory.sign_discrepancy), as before the designation existed.
        ASSIGN_OR_RETURN(const std::optional<User> director, tx.FindMedicalDirector());
        if (director && director->email != actor.user) {
            return Error{ErrorCode::kPermissionDenied, "actor",
                         "only the medical director (" + director->email + ") signs a discrepancy's explanation"};
        }
        ASSIGN_OR_RETURN(const CsEntry counted, tx.GetCsEntry(count));
        CsEntry entry;
        entry.kind = CsMovementKind::kResolution;
        entry.refers_to = count;
        entry.reason = explanation;
        ASSIGN_OR_RETURN(const CsContainerStatus status,
                         Append(tx, actor, "inventory.resolve", today, now, counted.container, entry));
        return CsDiscrepancy{counted, status.container.product, status.container.lot_number, status.entries.back()};
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::Correct(const Actor& actor, CsEntryId corrected,
                                                          const std::string& reason) {
    RETURN_IF_ERROR(CheckReason("reason", reason));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        ASSIGN_OR_RETURN(const CsEntry target, tx.GetCsEntry(corrected));
        CsEntry entry;
        entry.kind = CsMovementKind::kCorrection;
        entry.refers_to = corrected;
        entry.reason = reason;
        entry.patient = target.patient;
        return Append(tx, actor, "inventory.correct", today, now, target.container, entry);
    });
}

Result<CsContainerStatus> ControlledSubstanceLog::GetContainer(const Actor& actor, CsContainerId container) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<CsContainerStatus> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        ASSIGN_OR_RETURN(const CsContainer stored, tx.GetCsContainer(container));
        ASSIGN_OR_RETURN(std::vector<CsEntry> entries, tx.ListCsEntries(container));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "inventory.read", kContainerRecord, container.value, 0));
        return ContainerStatusOf(stored, std::move(entries), today, true);
    });
}

Result<std::vector<CsContainerStatus>> ControlledSubstanceLog::ListContainers(
    const Actor& actor, const std::optional<std::string>& location, bool include_closed) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CsContainerStatus>> {
        ASSIGN_OR_RETURN(const std::chrono::sys_days today, Today(tx, zones_, now));
        ASSIGN_OR_RETURN(const std::vector<CsContainer> containers, tx.ListCsContainers());
        std::vector<CsContainerStatus> listed;
        for (const CsContainer& container : containers) {
            ASSIGN_OR_RETURN(std::vector<CsEntry> entries, tx.ListCsEntries(container.id));
            ASSIGN_OR_RETURN(CsContainerStatus status, ContainerStatusOf(container, std::move(entries), today, false));
            const bool empty = status.balance.on_hand == 0 && status.balance.in_hand == 0;
            if ((location && status.location != *location) || (!include_closed && (status.balance.closed || empty))) {
                continue;
            }
            listed.push_back(std::move(status));
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "inventory.list", kContainerRecord, 0, 0,
                                    location ? "location=" + *location : std::string()));
        return listed;
    });
}

Result<std::vector<std::string>> ControlledSubstanceLog::DiscrepancySigners() {
    return store_.Write([&](StoreTransaction& tx) { return SignersIn(tx); });
}

Result<std::vector<CsDiscrepancy>> ControlledSubstanceLog::DiscrepancyAlerts(const Actor& actor) {
    ASSIGN_OR_RETURN(const std::vector<std::string> signers, DiscrepancySigners());
    if (std::find(signers.begin(), signers.end(), actor.user) == signers.end()) {
        return std::vector<CsDiscrepancy>{};
    }
    return ListDiscrepancies(actor, true);
}

Result<std::vector<CsDiscrepancy>> CountDiscrepancies(StoreTransaction& tx, bool open_only) {
    ASSIGN_OR_RETURN(const std::vector<CsEntry> all, tx.ListAllCsEntries());
    const std::map<std::int64_t, CsEntry> resolutions = ResolutionsByCount(all);
    std::map<std::int64_t, CsContainer> containers;
    std::vector<CsDiscrepancy> discrepancies;
    for (const CsEntry& entry : all) {
        if (entry.kind != CsMovementKind::kCount || entry.units == entry.expected_units) {
            continue;
        }
        const auto resolution = resolutions.find(entry.id.value);
        if (open_only && resolution != resolutions.end()) {
            continue;
        }
        if (!containers.contains(entry.container.value)) {
            ASSIGN_OR_RETURN(containers[entry.container.value], tx.GetCsContainer(entry.container));
        }
        const CsContainer& container = containers[entry.container.value];
        discrepancies.push_back(
            CsDiscrepancy{entry, container.product, container.lot_number,
                          resolution == resolutions.end() ? std::nullopt : std::optional<CsEntry>(resolution->second)});
    }
    return discrepancies;
}

Result<std::vector<CsDiscrepancy>> ControlledSubstanceLog::ListDiscrepancies(const Actor& actor, bool open_only) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CsDiscrepancy>> {
        ASSIGN_OR_RETURN(std::vector<CsDiscrepancy> discrepancies, CountDiscrepancies(tx, open_only));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "inventory.discrepancies", kEntryRecord, 0, 0));
        return discrepancies;
    });
}

Result<std::vector<CsDispensingLine>> ControlledSubstanceLog::DispensingLog(const Actor& actor, const std::string& drug,
                                                                            TimePoint from, TimePoint to) {
    if (drug != "ketamine" && drug != "esketamine") {
        return InvalidArgument("drug", "must be ketamine or esketamine");
    }
    if (to <= from) {
        return BadPeriod();
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CsDispensingLine>> {
        ASSIGN_OR_RETURN(const std::vector<CsEntry> all, tx.ListAllCsEntries());
        std::map<std::int64_t, CsEntryId> corrections;  // by the entry they reverse
        for (const CsEntry& entry : all) {
            if (entry.kind == CsMovementKind::kCorrection && entry.refers_to) {
                corrections[entry.refers_to->value] = entry.id;
            }
        }
        std::map<std::int64_t, CsContainer> containers;
        std::map<std::int64_t, Patient> patients;
        std::map<std::int64_t, std::size_t> line_of_draw;
        std::vector<CsDispensingLine> lines;
        for (const CsEntry& entry : all) {
            if (entry.kind == CsMovementKind::kDraw && entry.recorded_at >= from && entry.recorded_at < to) {
                if (!containers.contains(entry.container.value)) {
                    ASSIGN_OR_RETURN(containers[entry.container.value], tx.GetCsContainer(entry.container));
                }
                const CsContainer& container = containers[entry.container.value];
                ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(container.product));
                if (product.drug != drug) {
                    continue;
                }
                // Every draw is for an administration, so of its patient (Draw sets both).
                if (!entry.patient) {
                    return Error{ErrorCode::kInternal, "patient_id",
                                 "draw " + std::to_string(entry.id.value) + " names no patient"};
                }
                if (!patients.contains(entry.patient->value)) {
                    ASSIGN_OR_RETURN(patients[entry.patient->value], tx.GetPatient(*entry.patient));
                }
                CsDispensingLine line{entry, container, patients[entry.patient->value], 0, 0, {}, std::nullopt};
                if (const auto correction = corrections.find(entry.id.value); correction != corrections.end()) {
                    line.corrected_by = correction->second;
                }
                line_of_draw[entry.id.value] = lines.size();
                lines.push_back(std::move(line));
                RETURN_IF_ERROR(RecordAudit(tx, actor, now, "inventory.report.dispensing", kEntryRecord, entry.id.value,
                                            entry.patient ? entry.patient->value : 0));
            } else if ((entry.kind == CsMovementKind::kReturnToStock || entry.kind == CsMovementKind::kWaste) &&
                       entry.refers_to && !corrections.contains(entry.id.value)) {
                const auto line = line_of_draw.find(entry.refers_to->value);
                if (line == line_of_draw.end()) {
                    continue;
                }
                CsDispensingLine& drawn = lines[line->second];
                if (entry.kind == CsMovementKind::kReturnToStock) {
                    drawn.returned_units += entry.units;
                } else {
                    drawn.wasted_units += entry.units;
                    drawn.waste_witnesses.push_back(entry.witness);
                }
            }
        }
        return lines;
    });
}

Result<std::vector<CsInventoryLine>> ControlledSubstanceLog::Inventory(const Actor& actor, TimePoint at) {
    const TimePoint now = clock_.Now();
    if (at > now) {
        return InvalidArgument("at", "an inventory is of stock on hand, not in the future");
    }
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CsInventoryLine>> {
        ASSIGN_OR_RETURN(const std::vector<CsContainer> containers, tx.ListCsContainers());
        std::vector<CsInventoryLine> lines;
        for (const CsContainer& container : containers) {
            if (container.received_at > at) {
                continue;
            }
            ASSIGN_OR_RETURN(std::vector<CsEntry> entries, tx.ListCsEntries(container.id));
            std::erase_if(entries, [at](const CsEntry& entry) { return entry.recorded_at > at; });
            ASSIGN_OR_RETURN(const clinical::CsBalance balance, clinical::Balance(MovementsOf(entries)));
            if (balance.closed || (balance.on_hand == 0 && balance.in_hand == 0)) {
                continue;
            }
            lines.push_back(CsInventoryLine{container, LocationOf(entries), balance});
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "inventory.report.inventory", kContainerRecord, 0, 0));
        return lines;
    });
}

Result<std::vector<CsLoss>> ControlledSubstanceLog::Losses(const Actor& actor, TimePoint from, TimePoint to) {
    if (to <= from) {
        return BadPeriod();
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<CsLoss>> {
        ASSIGN_OR_RETURN(const std::vector<CsEntry> all, tx.ListAllCsEntries());
        const std::set<std::int64_t> corrected = CorrectedIds(all);
        const std::map<std::int64_t, CsEntry> resolutions = ResolutionsByCount(all);
        std::map<std::int64_t, CsContainer> containers;
        std::vector<CsLoss> losses;
        for (const CsEntry& entry : all) {
            const bool loss = (entry.kind == CsMovementKind::kCount && entry.units != entry.expected_units) ||
                              (entry.kind == CsMovementKind::kWaste && !entry.refers_to) ||
                              entry.kind == CsMovementKind::kDestruction;
            if (!loss || corrected.contains(entry.id.value) || entry.recorded_at < from || entry.recorded_at >= to) {
                continue;
            }
            if (!containers.contains(entry.container.value)) {
                ASSIGN_OR_RETURN(containers[entry.container.value], tx.GetCsContainer(entry.container));
            }
            const auto resolution = resolutions.find(entry.id.value);
            losses.push_back(
                CsLoss{entry, containers[entry.container.value],
                       resolution == resolutions.end() ? std::nullopt : std::optional<CsEntry>(resolution->second)});
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "inventory.report.losses", kEntryRecord, 0, 0));
        return losses;
    });
}

}  // namespace kclinic::app
