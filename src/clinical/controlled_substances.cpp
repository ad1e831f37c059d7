#include "clinical/controlled_substances.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

namespace kclinic::clinical {
namespace {

// Ketamine HCl injection is supplied as 10 mg/mL (20 mL), 50 mg/mL (10 mL) and 100 mg/mL (5 mL) multi-dose vials
// (Ketalar label, section 16); Spravato as 28 mg nasal devices in kits of 2 (56 mg) and 3 (84 mg) (Spravato label,
// section 16). An unopened device of a kit may go back to stock, so kits are "multi-dose" in the log's sense.
constexpr std::int64_t kUgPerEsketamineDevice = 28'000;
constexpr std::array kProducts = {
    CsProduct{"ketamine_10mg_ml_20ml", "ketamine", "Ketamine HCl 10 mg/mL, 20 mL multi-dose vial",
              CountingUnit::kMicrolitre, 20'000, 10, true},
    CsProduct{"ketamine_50mg_ml_10ml", "ketamine", "Ketamine HCl 50 mg/mL, 10 mL multi-dose vial",
              CountingUnit::kMicrolitre, 10'000, 50, true},
    CsProduct{"ketamine_100mg_ml_5ml", "ketamine", "Ketamine HCl 100 mg/mL, 5 mL multi-dose vial",
              CountingUnit::kMicrolitre, 5'000, 100, true},
    CsProduct{"esketamine_56mg_kit", "esketamine", "Esketamine 56 mg kit: 2 nasal devices of 28 mg",
              CountingUnit::kDevice, 2, kUgPerEsketamineDevice, true},
    CsProduct{"esketamine_84mg_kit", "esketamine", "Esketamine 84 mg kit: 3 nasal devices of 28 mg",
              CountingUnit::kDevice, 3, kUgPerEsketamineDevice, true},
};

Error Refused(std::string field, std::string message) {
    return Error{ErrorCode::kFailedPrecondition, std::move(field), std::move(message)};
}

Error Invalid(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(field), std::move(message)};
}

std::string Id(std::int64_t id) {
    return "entry " + std::to_string(id);
}

// The running state of a fold: the balance plus what each draw still has in hand.
struct Fold {
    CsBalance balance;
    std::map<std::int64_t, std::int64_t> draw_in_hand;  // by draw id, for every draw not corrected
    std::set<std::int64_t> open_counts;                 // counts with a discrepancy not yet resolved
    bool received = false;                              // a receipt not corrected
    bool returned = false;                              // a return to supplier not corrected
    bool negative_draw = false;                         // a return or waste took from a draw it cannot
};

// Adds the effect of `movement` to `fold`; corrected movements are left out by the caller.
void Apply(const CsMovement& movement, Fold& fold) {
    CsBalance& b = fold.balance;
    const std::int64_t units = movement.units;
    auto take_from_draw = [&fold, &movement, units]() {
        auto draw = movement.refers_to ? fold.draw_in_hand.find(*movement.refers_to) : fold.draw_in_hand.end();
        if (draw == fold.draw_in_hand.end()) {
            fold.negative_draw = true;
            return;
        }
        draw->second -= units;
        if (draw->second < 0) {
            fold.negative_draw = true;
        }
    };
    switch (movement.kind) {
        case CsMovementKind::kReceipt:
            b.received += units;
            b.on_hand += units;
            fold.received = true;
            break;
        case CsMovementKind::kTransfer:
        case CsMovementKind::kCorrection:
            break;
        case CsMovementKind::kDraw:
            b.on_hand -= units;
            b.given += movement.given_units;
            b.in_hand += units - movement.given_units;
            fold.draw_in_hand[movement.id] = units - movement.given_units;
            break;
        case CsMovementKind::kReturnToStock:
            take_from_draw();
            b.in_hand -= units;
            b.on_hand += units;
            break;
        case CsMovementKind::kWaste:
            if (movement.refers_to) {
                take_from_draw();
                b.in_hand -= units;
            } else {
                b.on_hand -= units;
            }
            b.wasted += units;
            break;
        case CsMovementKind::kDestruction:
            b.on_hand -= units;
            b.destroyed += units;
            break;
        case CsMovementKind::kReturnToSupplier:
            b.on_hand -= units;
            b.returned_to_supplier += units;
            fold.returned = true;
            break;
        case CsMovementKind::kCount: {
            // The count's difference is fixed when counted (expected by the book minus found), so a later
            // correction of an earlier entry moves the book, not what the count found missing.
            const std::int64_t missing = movement.expected_units - units;
            b.discrepancy += missing;
            b.on_hand -= missing;
            if (missing != 0) {
                fold.open_counts.insert(movement.id);
            }
            break;
        }
        case CsMovementKind::kResolution:
            if (movement.refers_to) {
                fold.open_counts.erase(*movement.refers_to);
            }
            break;
    }
}

std::set<std::int64_t> CorrectedIds(std::span<const CsMovement> movements) {
    std::set<std::int64_t> corrected;
    for (const CsMovement& movement : movements) {
        if (movement.kind == CsMovementKind::kCorrection && movement.refers_to) {
            corrected.insert(*movement.refers_to);
        }
    }
    return corrected;
}

Fold FoldAll(std::span<const CsMovement> movements, std::optional<std::int64_t> also_corrected) {
    std::set<std::int64_t> corrected = CorrectedIds(movements);
    if (also_corrected) {
        corrected.insert(*also_corrected);
    }
    Fold fold;
    for (const CsMovement& movement : movements) {
        if (!corrected.contains(movement.id)) {
            Apply(movement, fold);
        }
    }
    CsBalance& b = fold.balance;
    b.closed = fold.returned || !fold.received;
    for (const auto& [draw, in_hand] : fold.draw_in_hand) {
        if (in_hand > 0) {
            b.open_draws.push_back(draw);
        }
    }
    b.open_discrepancies.assign(fold.open_counts.begin(), fold.open_counts.end());
    return fold;
}

// Which term of `fold` is negative; empty when none is.
std::string NegativeTerm(const Fold& fold) {
    const CsBalance& b = fold.balance;
    if (b.on_hand < 0) {
        return "on hand";
    }
    if (b.in_hand < 0 || fold.negative_draw) {
        return "in hand";
    }
    if (b.received < 0 || b.given < 0 || b.wasted < 0 || b.destroyed < 0 || b.returned_to_supplier < 0) {
        return "a total";
    }
    return {};
}

const CsMovement* FindMovement(std::span<const CsMovement> movements, std::int64_t id) {
    const auto found =
        std::find_if(movements.begin(), movements.end(), [id](const CsMovement& m) { return m.id == id; });
    return found == movements.end() ? nullptr : &*found;
}

Status CheckAmounts(const CsMovement& next) {
    switch (next.kind) {
        case CsMovementKind::kTransfer:
        case CsMovementKind::kResolution:
        case CsMovementKind::kCorrection:
            if (next.units != 0) {
                return Invalid("units", "a " + std::string(kCsMovementKindNames.Name(next.kind)) + " moves no amount");
            }
            break;
        case CsMovementKind::kCount:
            if (next.units < 0) {
                return Invalid("units", "what a count found cannot be negative");
            }
            break;
        default:
            if (next.units <= 0) {
                return Invalid("units", "the amount must be more than 0");
            }
    }
    if (next.kind == CsMovementKind::kDraw) {
        if (next.given_units < 0 || next.given_units > next.units) {
            return Invalid("given_units", "what was given must be between 0 and what was drawn");
        }
    } else if (next.given_units != 0) {
        return Invalid("given_units", "only a draw gives an amount");
    }
    const bool needs_reference = next.kind == CsMovementKind::kReturnToStock ||
                                 next.kind == CsMovementKind::kResolution || next.kind == CsMovementKind::kCorrection;
    const bool may_refer = needs_reference || next.kind == CsMovementKind::kWaste;
    if (needs_reference && !next.refers_to) {
        return Invalid("refers_to", "a " + std::string(kCsMovementKindNames.Name(next.kind)) +
                                        " must name the entry it refers to");
    }
    if (!may_refer && next.refers_to) {
        return Invalid("refers_to",
                       "a " + std::string(kCsMovementKindNames.Name(next.kind)) + " refers to no other entry");
    }
    return Status::Ok();
}

Status CheckReference(std::span<const CsMovement> movements, const Fold& before, const CsMovement& next) {
    if (!next.refers_to) {
        return Status::Ok();
    }
    const CsMovement* target = FindMovement(movements, *next.refers_to);
    if (target == nullptr) {
        return Refused("refers_to", Id(*next.refers_to) + " is not an entry of this container");
    }
    if (CorrectedIds(movements).contains(target->id)) {
        return Refused("refers_to", Id(target->id) + " was corrected");
    }
    switch (next.kind) {
        case CsMovementKind::kReturnToStock:
        case CsMovementKind::kWaste:
            if (target->kind != CsMovementKind::kDraw) {
                return Refused("refers_to", Id(target->id) + " is not a draw");
            }
            break;
        case CsMovementKind::kResolution:
            if (target->kind != CsMovementKind::kCount || !before.open_counts.contains(target->id)) {
                return Refused("refers_to", Id(target->id) + " is not a count with an open discrepancy");
            }
            break;
        case CsMovementKind::kCorrection:
            if (target->kind == CsMovementKind::kCount || target->kind == CsMovementKind::kResolution ||
                target->kind == CsMovementKind::kCorrection) {
                return Refused("refers_to", "a " + std::string(kCsMovementKindNames.Name(target->kind)) +
                                                " is never corrected: it records what people found and signed");
            }
            break;
        default:
            break;
    }
    return Status::Ok();
}

}  // namespace

std::span<const CsProduct> CsProducts() {
    return kProducts;
}

Result<CsProduct> FindCsProduct(std::string_view code) {
    for (const CsProduct& product : kProducts) {
        if (product.code == code) {
            return product;
        }
    }
    std::string codes;
    for (const CsProduct& product : kProducts) {
        codes += (codes.empty() ? "" : ", ") + std::string(product.code);
    }
    return Invalid("product", "must be one of " + codes + "; got \"" + std::string(code) + "\"");
}

bool NeedsWitness(CsMovementKind kind) {
    return kind == CsMovementKind::kWaste || kind == CsMovementKind::kDestruction || kind == CsMovementKind::kCount;
}

Result<CsBalance> Balance(std::span<const CsMovement> movements) {
    Fold fold = FoldAll(movements, std::nullopt);
    if (const std::string negative = NegativeTerm(fold); !negative.empty()) {
        return Error{ErrorCode::kInternal, "movements", "the container's entries leave " + negative + " below 0"};
    }
    return std::move(fold.balance);
}

Status CheckMovement(const CsProduct& product, const CsLotFacts& lot, std::span<const CsMovement> movements,
                     const CsMovement& next) {
    RETURN_IF_ERROR(CheckAmounts(next));
    if (movements.empty() != (next.kind == CsMovementKind::kReceipt)) {
        return Refused("kind", movements.empty() ? "a container's first entry is its receipt"
                                                 : "a container is received once, by its first entry");
    }
    const Fold before = FoldAll(movements, std::nullopt);
    if (!movements.empty() && before.balance.closed && next.kind != CsMovementKind::kCorrection) {
        return Refused("kind", "the container is closed (returned to the supplier or its receipt corrected)");
    }
    RETURN_IF_ERROR(CheckReference(movements, before, next));
    switch (next.kind) {
        case CsMovementKind::kDraw:
            if (lot.today > lot.expires_on) {
                return Refused("expires_on", "the lot expired; it may be destroyed or returned, not drawn from");
            }
            break;
        case CsMovementKind::kReturnToStock:
            if (!product.multi_dose) {
                return Refused("kind", "a single-dose container's remainder is wasted, never returned to stock");
            }
            break;
        case CsMovementKind::kReturnToSupplier:
            if (before.balance.in_hand != 0) {
                return Refused("units", "a draw's remainder is still in hand: return it to stock or waste it first");
            }
            if (next.units != before.balance.on_hand) {
                return Refused("units", "a return to the supplier takes everything on hand (" +
                                            std::to_string(before.balance.on_hand) + ")");
            }
            break;
        case CsMovementKind::kCount:
            if (next.expected_units != before.balance.on_hand) {
                return Refused("expected_units", "the book's on hand is " + std::to_string(before.balance.on_hand));
            }
            break;
        default:
            break;
    }
    std::vector<CsMovement> after(movements.begin(), movements.end());
    after.push_back(next);
    const Fold folded = FoldAll(after, std::nullopt);
    if (const std::string negative = NegativeTerm(folded); !negative.empty()) {
        if (next.kind == CsMovementKind::kCorrection) {
            return Refused("refers_to", "reversing " + Id(*next.refers_to) + " would leave " + negative +
                                            " below 0; correct the entries that depend on it first");
        }
        return Refused("units", "that is more than " + negative + " (" +
                                    std::to_string(negative == "on hand" ? before.balance.on_hand
                                                                         : before.balance.in_hand) +
                                    " " + std::string(kCountingUnitNames.Name(product.unit)) + ")");
    }
    if (next.kind == CsMovementKind::kCorrection &&
        FindMovement(movements, *next.refers_to)->kind == CsMovementKind::kReceipt) {
        const std::set<std::int64_t> corrected = CorrectedIds(movements);
        const bool anything_else = std::any_of(movements.begin(), movements.end(), [&](const CsMovement& m) {
            return m.kind != CsMovementKind::kReceipt && m.kind != CsMovementKind::kTransfer &&
                   m.kind != CsMovementKind::kCorrection && !corrected.contains(m.id);
        });
        if (anything_else) {
            return Refused("refers_to", "a receipt is corrected only before anything but a transfer happened to it");
        }
    }
    return Status::Ok();
}

std::int64_t UnitsToMicrograms(const CsProduct& product, std::int64_t units) {
    return units * product.ug_per_unit;
}

std::optional<double> UnitsToMillilitres(const CsProduct& product, std::int64_t units) {
    if (product.unit != CountingUnit::kMicrolitre) {
        return std::nullopt;
    }
    return static_cast<double>(units) / 1000.0;
}

Result<std::int64_t> AmountToUnits(const CsProduct& product, std::optional<double> amount_mg,
                                   std::optional<double> amount_ml, std::optional<std::int64_t> devices) {
    if (product.unit == CountingUnit::kDevice) {
        if (amount_mg || amount_ml) {
            return Invalid(amount_mg ? "mg" : "ml", "a kit is counted in devices: give devices");
        }
        if (!devices) {
            return Invalid("devices", "is required for a kit");
        }
        if (*devices < 0) {
            return Invalid("devices", "cannot be negative");
        }
        return *devices;
    }
    if (devices) {
        return Invalid("devices", "a vial is measured in mg or mL");
    }
    if (amount_mg.has_value() == amount_ml.has_value()) {
        return Invalid(amount_mg ? "ml" : "mg", "give the amount in exactly one of mg and mL");
    }
    const std::string field = amount_mg ? "mg" : "ml";
    const double value = amount_mg ? *amount_mg : *amount_ml;
    // Well above any container, and small enough that the product with 1000 stays exact in a double.
    constexpr double kMaxAmount = 1e9;
    if (!std::isfinite(value) || value < 0 || value > kMaxAmount) {
        return Invalid(field, "must be a number from 0");
    }
    const double microlitres =
        amount_ml ? value * 1000.0 : value * 1000.0 / static_cast<double>(product.ug_per_unit);
    const double whole = std::round(microlitres);
    // A person types mg or mL to at most three decimals; the tolerance only absorbs binary rounding of that text.
    constexpr double kTolerance = 1e-6;
    if (std::abs(microlitres - whole) > kTolerance) {
        return Invalid(field, "must come to whole microlitres (0.001 mL) of this vial");
    }
    return static_cast<std::int64_t>(whole);
}

}  // namespace kclinic::clinical
