#pragma once

// The controlled-substance log's arithmetic: the products a clinic stocks, the movements of one container (a vial
// or an esketamine device kit) and the balance they add up to, and which next movement the balance allows. Pure: the
// caller reads the container's movements from the record and passes the day in. docs/clinical-rules.md
// ("Controlled-substance log") lists each rule with its source (21 CFR 1304.04, 1304.11, 1304.21-.22, 1301.76; the
// Spravato REMS; clinic policy marked as such).
//
// Amounts are exact integers: a vial is counted in microlitres and a kit in devices (the container's counting unit),
// and every amount also in micrograms (ug = uL x mg/mL for a vial, devices x 28 000 for esketamine). So for every
// container, in units and in ug alike:
//
//     received = given + wasted + destroyed + returned_to_supplier + discrepancy + in_hand + on_hand
//
// where in_hand is drawn for an administration and neither given, returned to stock nor wasted yet, and discrepancy
// is what counts found missing (negative: found over). CheckMovement refuses every movement after which any term
// would be negative, so the identity holds after every accepted step by construction.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"

namespace kclinic::clinical {

// How a container is counted.
enum class CountingUnit { kMicrolitre, kDevice };

inline constexpr auto kCountingUnitNames =
    MakeEnumNames<CountingUnit>({{CountingUnit::kMicrolitre, "ul"}, {CountingUnit::kDevice, "device"}});

// One product of the clinic's formulary, as received from a supplier (21 CFR 1304.22(a)(1): name, dosage form,
// strength, units per container).
struct CsProduct {
    std::string_view code;         // stable: "ketamine_50mg_ml_10ml"
    std::string_view drug;         // generic name: "ketamine" or "esketamine" (clinical::OrderedDrug)
    std::string_view description;  // "Ketamine HCl 50 mg/mL, 10 mL multi-dose vial"
    CountingUnit unit = CountingUnit::kMicrolitre;
    std::int64_t units_per_container = 0;  // 10 000 uL; 2 devices
    std::int64_t ug_per_unit = 0;          // 50 (= mg/mL) for a vial; 28 000 for an esketamine device
    bool multi_dose = false;               // a remainder may go back to stock (a multi-dose vial; unopened devices)
};

// The formulary: ketamine HCl 10 mg/mL x 20 mL, 50 mg/mL x 10 mL, 100 mg/mL x 5 mL (multi-dose vials), esketamine
// 56 mg (2 devices) and 84 mg (3 devices) kits.
[[nodiscard]] std::span<const CsProduct> CsProducts();
// Error kInvalidArgument "product" listing the codes when `code` is not one.
[[nodiscard]] Result<CsProduct> FindCsProduct(std::string_view code);

// What one movement of a container is. Stable names in kCsMovementKindNames.
enum class CsMovementKind {
    kReceipt,           // the container arrives full (supplier, invoice); always its first movement
    kTransfer,          // moves to another storage location; no amount
    kDraw,              // `units` leave stock for an administration, of which `given_units` are given
    kReturnToStock,     // part of a draw's remainder goes back into the container (refers_to: the draw)
    kWaste,             // a draw's remainder (refers_to: the draw), or stock itself (no refers_to), wasted: witnessed
    kDestruction,       // stock destroyed (expired, damaged): witnessed
    kReturnToSupplier,  // everything on hand goes back to the supplier; the container is closed
    kCount,             // `units` found on hand by two people; a difference is a discrepancy
    kResolution,        // a count's discrepancy explained and signed (refers_to: the count); no amount
    kCorrection,        // reverses the movement it refers to, with a reason; the right one is entered anew
};

inline constexpr auto kCsMovementKindNames =
    MakeEnumNames<CsMovementKind>({{CsMovementKind::kReceipt, "receipt"},
                                   {CsMovementKind::kTransfer, "transfer"},
                                   {CsMovementKind::kDraw, "draw"},
                                   {CsMovementKind::kReturnToStock, "return_to_stock"},
                                   {CsMovementKind::kWaste, "waste"},
                                   {CsMovementKind::kDestruction, "destruction"},
                                   {CsMovementKind::kReturnToSupplier, "return_to_supplier"},
                                   {CsMovementKind::kCount, "count"},
                                   {CsMovementKind::kResolution, "resolution"},
                                   {CsMovementKind::kCorrection, "correction"}});

// Whether a movement of `kind` needs a second licensed person's confirmation: waste and destruction (witness,
// 21 CFR 1304.21(e)'s record of disposal; clinic policy after 1317.95), and counts (two counters, clinic policy).
[[nodiscard]] bool NeedsWitness(CsMovementKind kind);

// One movement as the balance sees it. `id` orders the movements and names the one a movement refers to.
struct CsMovement {
    std::int64_t id = 0;
    CsMovementKind kind = CsMovementKind::kReceipt;
    std::int64_t units = 0;        // see CsMovementKind; for kCount what was found; 0 for transfer and resolution
    std::int64_t given_units = 0;     // kDraw only: what the patient received
    std::int64_t expected_units = 0;  // kCount only: on hand by the book when counted
    std::optional<std::int64_t> refers_to{};
};

// One container's amounts, each in the container's unit. See the identity at the top of this file.
struct CsBalance {
    std::int64_t received = 0;
    std::int64_t given = 0;
    std::int64_t wasted = 0;
    std::int64_t destroyed = 0;
    std::int64_t returned_to_supplier = 0;
    std::int64_t discrepancy = 0;  // found missing by counts (negative: found over)
    std::int64_t in_hand = 0;      // drawn, not yet given, returned to stock or wasted
    std::int64_t on_hand = 0;      // in the container, by the book
    bool closed = false;           // returned to the supplier: nothing more may happen to it but corrections
    std::vector<std::int64_t> open_draws;        // draws whose remainder is not yet returned or wasted
    std::vector<std::int64_t> open_discrepancies;  // counts with a discrepancy not yet resolved
};

// The balance after `movements` (in id order, each one CheckMovement accepted after the ones before it); a
// corrected movement and its correction cancel out. Error kInternal "movements" when they do not add up (a
// corrupt record: never for movements CheckMovement accepted).
[[nodiscard]] Result<CsBalance> Balance(std::span<const CsMovement> movements);

// The container's lot as CheckMovement judges it.
struct CsLotFacts {
    std::chrono::sys_days expires_on;  // the last day the lot may be used
    std::chrono::sys_days today;       // the clinic's date now
};

// OK when `next` may follow `movements`. Errors, each naming the field:
// - kInvalidArgument "units" for an amount out of range for its kind (a receipt, draw, waste, destruction or return
//   of 0 or less; a count below 0; a transfer, resolution or correction with an amount), "given_units" (a draw's given below 0 or above
//   its drawn), "refers_to" (missing where required, present where not allowed);
// - kFailedPrecondition "kind": a receipt that is not the first movement, or any movement before the receipt;
//   any movement but a correction on a closed container; a return to stock into a single-dose container;
// - kFailedPrecondition "units": more than on hand (a draw, stock waste, destruction), more than a draw's remainder
//   still in hand (return to stock, waste of a draw);
// - kFailedPrecondition "expected_units": a count whose expected_units is not on hand by the book;
// - kFailedPrecondition "expires_on": a draw from a lot past its expiry (destruction, return and count are allowed);
// - kFailedPrecondition "refers_to": the movement referred to is of the wrong kind (a draw for return/waste, a count
//   with an open discrepancy for a resolution), is already corrected, or its correction would leave a term negative
//   (a draw whose remainder was already returned; a receipt after anything else); a correction of a count, a
//   resolution or a correction.
// A return to the supplier must take exactly what is on hand (kFailedPrecondition "units" otherwise, and while a
// draw's remainder is in hand).
[[nodiscard]] Status CheckMovement(const CsProduct& product, const CsLotFacts& lot,
                                   std::span<const CsMovement> movements, const CsMovement& next);

// `units` of `product` in micrograms and, for a vial, in millilitres (`units` / 1000).
[[nodiscard]] std::int64_t UnitsToMicrograms(const CsProduct& product, std::int64_t units);
[[nodiscard]] std::optional<double> UnitsToMillilitres(const CsProduct& product, std::int64_t units);

// The units of an amount given in mg or mL (exactly one), for a vial; for a kit `devices`. Errors kInvalidArgument
// "mg" / "ml" / "devices" for a missing, doubled, negative, non-finite or non-whole amount (a vial's amount must come
// to whole microlitres; a kit takes only whole devices), naming the one at fault.
[[nodiscard]] Result<std::int64_t> AmountToUnits(const CsProduct& product, std::optional<double> amount_mg,
                                                 std::optional<double> amount_ml, std::optional<std::int64_t> devices);

}  // namespace kclinic::clinical
