#include "clinical/controlled_substances.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::days;

const std::chrono::sys_days kToday{std::chrono::year{2026} / 12 / 7};
const CsLotFacts kFresh{kToday + days{200}, kToday};

CsProduct Vial() {
    return *FindCsProduct("ketamine_50mg_ml_10ml");  // 10 000 uL, 50 ug/uL
}

// A log that appends what CheckMovement accepts, numbering entries 1, 2, ...
struct Log {
    CsProduct product = Vial();
    CsLotFacts lot = kFresh;
    std::vector<CsMovement> movements;

    Status Add(CsMovement next) {
        next.id = static_cast<std::int64_t>(movements.size()) + 1;
        Status status = CheckMovement(product, lot, movements, next);
        if (status.ok()) {
            movements.push_back(next);
        }
        return status;
    }
    std::int64_t Last() const { return movements.back().id; }
    CsBalance Now() const { return *Balance(movements); }
};

CsMovement Receipt(std::int64_t units = 10'000) {
    return {0, CsMovementKind::kReceipt, units};
}
CsMovement Draw(std::int64_t units, std::int64_t given) {
    return {0, CsMovementKind::kDraw, units, given};
}
CsMovement Of(CsMovementKind kind, std::int64_t units, std::optional<std::int64_t> refers_to = std::nullopt) {
    CsMovement movement{0, kind, units};
    movement.refers_to = refers_to;
    return movement;
}
CsMovement CountOf(std::int64_t found, std::int64_t expected) {
    CsMovement movement{0, CsMovementKind::kCount, found};
    movement.expected_units = expected;
    return movement;
}

// Both sides of the identity at the top of controlled_substances.hpp.
void ExpectBalanced(const CsBalance& b) {
    EXPECT_EQ(b.received,
              b.given + b.wasted + b.destroyed + b.returned_to_supplier + b.discrepancy + b.in_hand + b.on_hand);
    EXPECT_GE(b.on_hand, 0);
    EXPECT_GE(b.in_hand, 0);
}

TEST(ControlledSubstancesTest, EveryEnumeratorHasAName) {
    EXPECT_TRUE(testing::UnnamedEnumerators(kCsMovementKindNames).empty());
    EXPECT_TRUE(testing::UnnamedEnumerators(kCountingUnitNames).empty());
}

TEST(ControlledSubstancesTest, TheFormularyHasTheStockedStrengths) {
    for (const CsProduct& product : CsProducts()) {
        EXPECT_TRUE(FindCsProduct(product.code).ok()) << product.code;
        EXPECT_GT(product.units_per_container, 0) << product.code;
    }
    EXPECT_EQ(UnitsToMicrograms(Vial(), 10'000), 500'000);  // a 10 mL vial of 50 mg/mL holds 500 mg
    const CsProduct kit = *FindCsProduct("esketamine_84mg_kit");
    EXPECT_EQ(UnitsToMicrograms(kit, kit.units_per_container), 84'000);
    EXPECT_FALSE(UnitsToMillilitres(kit, 3).has_value());
    EXPECT_EQ(FindCsProduct("ketamine").error().field, "product");
}

TEST(ControlledSubstancesTest, AmountsComeToWholeUnits) {
    const CsProduct vial = Vial();
    const CsProduct kit = *FindCsProduct("esketamine_56mg_kit");
    EXPECT_EQ(*AmountToUnits(vial, 35.0, std::nullopt, std::nullopt), 700);  // 35 mg of 50 mg/mL = 0.7 mL
    EXPECT_EQ(*AmountToUnits(vial, std::nullopt, 0.7, std::nullopt), 700);
    EXPECT_EQ(*AmountToUnits(kit, std::nullopt, std::nullopt, 2), 2);
    struct Case {
        const CsProduct& product;
        std::optional<double> mg;
        std::optional<double> ml;
        std::optional<std::int64_t> devices;
        std::string field;
    };
    const std::vector<Case> refused = {
        {vial, std::nullopt, std::nullopt, std::nullopt, "mg"},  // none
        {vial, 35.0, 0.7, std::nullopt, "ml"},                   // both
        {vial, -1.0, std::nullopt, std::nullopt, "mg"},
        {vial, 0.00001, std::nullopt, std::nullopt, "mg"},  // a fraction of a microlitre
        {vial, std::nullopt, 0.0001, std::nullopt, "ml"},
        {vial, std::nullopt, std::nullopt, 1, "devices"},
        {kit, 28.0, std::nullopt, std::nullopt, "mg"},
        {kit, std::nullopt, std::nullopt, std::nullopt, "devices"},
        {kit, std::nullopt, std::nullopt, -1, "devices"},
    };
    for (const Case& c : refused) {
        const Result<std::int64_t> units = AmountToUnits(c.product, c.mg, c.ml, c.devices);
        ASSERT_FALSE(units.ok()) << c.field;
        EXPECT_EQ(units.error().code, ErrorCode::kInvalidArgument) << c.field;
        EXPECT_EQ(units.error().field, c.field);
    }
}

TEST(ControlledSubstancesTest, ADrawItsReturnAndItsWitnessedWasteBalance) {
    Log log;
    ASSERT_TRUE(log.Add(Receipt()).ok());
    ASSERT_TRUE(log.Add(Draw(1000, 700)).ok());  // 50 mg drawn, 35 mg given
    const std::int64_t draw = log.Last();
    EXPECT_EQ(log.Now().open_draws, std::vector<std::int64_t>{draw});
    ASSERT_TRUE(log.Add(Of(CsMovementKind::kReturnToStock, 200, draw)).ok());
    ASSERT_TRUE(log.Add(Of(CsMovementKind::kWaste, 100, draw)).ok());
    const CsBalance b = log.Now();
    EXPECT_EQ(b.on_hand, 9200);
    EXPECT_EQ(b.given, 700);
    EXPECT_EQ(b.wasted, 100);
    EXPECT_EQ(b.in_hand, 0);
    EXPECT_TRUE(b.open_draws.empty());
    ExpectBalanced(b);
}

struct Refusal {
    std::string name;
    std::vector<CsMovement> before;  // after a receipt of 10 000 uL (entry 1)
    CsMovement next;
    ErrorCode code;
    std::string field;
};

TEST(ControlledSubstancesTest, EveryStepThatWouldBreakTheBalanceIsRefused) {
    const std::vector<Refusal> cases = {
        {"draw more than on hand", {}, Draw(10'001, 0), ErrorCode::kFailedPrecondition, "units"},
        {"draw nothing", {}, Draw(0, 0), ErrorCode::kInvalidArgument, "units"},
        {"give more than drawn", {}, Draw(100, 101), ErrorCode::kInvalidArgument, "given_units"},
        {"return more than the draw's remainder",
         {Draw(1000, 700)},
         Of(CsMovementKind::kReturnToStock, 301, 2),
         ErrorCode::kFailedPrecondition,
         "units"},
        {"waste more than the draw's remainder",
         {Draw(1000, 700), Of(CsMovementKind::kReturnToStock, 300, 2)},
         Of(CsMovementKind::kWaste, 1, 2),
         ErrorCode::kFailedPrecondition,
         "units"},
        {"return to stock from a receipt", {}, Of(CsMovementKind::kReturnToStock, 1, 1), ErrorCode::kFailedPrecondition,
         "refers_to"},
        {"return to stock without a draw", {}, Of(CsMovementKind::kReturnToStock, 1), ErrorCode::kInvalidArgument,
         "refers_to"},
        {"waste more stock than on hand", {}, Of(CsMovementKind::kWaste, 10'001), ErrorCode::kFailedPrecondition,
         "units"},
        {"destroy more than on hand", {}, Of(CsMovementKind::kDestruction, 10'001), ErrorCode::kFailedPrecondition,
         "units"},
        {"a second receipt", {}, Receipt(), ErrorCode::kFailedPrecondition, "kind"},
        {"return part to the supplier", {}, Of(CsMovementKind::kReturnToSupplier, 5000), ErrorCode::kFailedPrecondition,
         "units"},
        {"return to the supplier with a remainder in hand",
         {Draw(1000, 700)},
         Of(CsMovementKind::kReturnToSupplier, 9000),
         ErrorCode::kFailedPrecondition,
         "units"},
        {"draw after the return to the supplier",
         {Of(CsMovementKind::kReturnToSupplier, 10'000)},
         Draw(1, 1),
         ErrorCode::kFailedPrecondition,
         "kind"},
        {"a count against a stale book", {}, CountOf(9000, 9000), ErrorCode::kFailedPrecondition, "expected_units"},
        {"a negative count", {}, CountOf(-1, 10'000), ErrorCode::kInvalidArgument, "units"},
        {"resolve a count without a discrepancy",
         {CountOf(10'000, 10'000)},
         Of(CsMovementKind::kResolution, 0, 2),
         ErrorCode::kFailedPrecondition,
         "refers_to"},
        {"resolve twice",
         {CountOf(9900, 10'000), Of(CsMovementKind::kResolution, 0, 2)},
         Of(CsMovementKind::kResolution, 0, 2),
         ErrorCode::kFailedPrecondition,
         "refers_to"},
        {"correct a draw whose remainder went back",
         {Draw(1000, 700), Of(CsMovementKind::kReturnToStock, 300, 2)},
         Of(CsMovementKind::kCorrection, 0, 2),
         ErrorCode::kFailedPrecondition,
         "refers_to"},
        {"correct twice",
         {Draw(1000, 1000), Of(CsMovementKind::kCorrection, 0, 2)},
         Of(CsMovementKind::kCorrection, 0, 2),
         ErrorCode::kFailedPrecondition,
         "refers_to"},
        {"correct a count", {CountOf(10'000, 10'000)}, Of(CsMovementKind::kCorrection, 0, 2),
         ErrorCode::kFailedPrecondition, "refers_to"},
        {"correct the receipt after a draw", {Draw(1000, 1000)}, Of(CsMovementKind::kCorrection, 0, 1),
         ErrorCode::kFailedPrecondition, "refers_to"},
        {"correct an entry of another container", {}, Of(CsMovementKind::kCorrection, 0, 99),
         ErrorCode::kFailedPrecondition, "refers_to"},
        {"a transfer with an amount", {}, Of(CsMovementKind::kTransfer, 5), ErrorCode::kInvalidArgument, "units"},
    };
    for (const Refusal& c : cases) {
        Log log;
        ASSERT_TRUE(log.Add(Receipt()).ok()) << c.name;
        for (const CsMovement& movement : c.before) {
            ASSERT_TRUE(log.Add(movement).ok()) << c.name;
        }
        const CsBalance before = log.Now();
        const Status status = log.Add(c.next);
        ASSERT_FALSE(status.ok()) << c.name;
        EXPECT_EQ(status.error().code, c.code) << c.name << ": " << status.error().message;
        EXPECT_EQ(status.error().field, c.field) << c.name << ": " << status.error().message;
        EXPECT_EQ(log.Now().on_hand, before.on_hand) << c.name;
    }
}

TEST(ControlledSubstancesTest, AnExpiredLotIsNotDrawnFromButMayBeDestroyed) {
    Log log;
    log.lot = {kToday - days{1}, kToday};
    ASSERT_TRUE(log.Add(Receipt()).ok());
    const Status draw = log.Add(Draw(100, 100));
    ASSERT_FALSE(draw.ok());
    EXPECT_EQ(draw.error().field, "expires_on");
    log.lot = {kToday, kToday};  // the last day of use is still usable
    EXPECT_TRUE(log.Add(Draw(100, 100)).ok());
    log.lot = {kToday - days{1}, kToday};
    EXPECT_TRUE(log.Add(Of(CsMovementKind::kDestruction, 9900)).ok());
    EXPECT_EQ(log.Now().on_hand, 0);
    ExpectBalanced(log.Now());
}

TEST(ControlledSubstancesTest, ACountsDiscrepancyStaysOpenUntilResolved) {
    Log log;
    ASSERT_TRUE(log.Add(Receipt()).ok());
    ASSERT_TRUE(log.Add(CountOf(9500, 10'000)).ok());
    const std::int64_t count = log.Last();
    CsBalance b = log.Now();
    EXPECT_EQ(b.discrepancy, 500);
    EXPECT_EQ(b.on_hand, 9500);  // the book follows what was found
    EXPECT_EQ(b.open_discrepancies, std::vector<std::int64_t>{count});
    ExpectBalanced(b);
    ASSERT_TRUE(log.Add(Of(CsMovementKind::kResolution, 0, count)).ok());
    b = log.Now();
    EXPECT_TRUE(b.open_discrepancies.empty());
    EXPECT_EQ(b.discrepancy, 500);  // explained, still a loss on the record
}

TEST(ControlledSubstancesTest, ACorrectionReversesTheEntryItNames) {
    Log log;
    ASSERT_TRUE(log.Add(Receipt()).ok());
    ASSERT_TRUE(log.Add(Draw(1000, 1000)).ok());
    ASSERT_TRUE(log.Add(Of(CsMovementKind::kCorrection, 0, 2)).ok());
    CsBalance b = log.Now();
    EXPECT_EQ(b.on_hand, 10'000);
    EXPECT_EQ(b.given, 0);
    ExpectBalanced(b);
    // A receipt before anything else happened to the container may be corrected; the container is then closed.
    Log mistaken;
    ASSERT_TRUE(mistaken.Add(Receipt()).ok());
    ASSERT_TRUE(mistaken.Add(Of(CsMovementKind::kCorrection, 0, 1)).ok());
    b = mistaken.Now();
    EXPECT_TRUE(b.closed);
    EXPECT_EQ(b.received, 0);
    EXPECT_EQ(mistaken.Add(Draw(1, 1)).error().field, "kind");
}

TEST(ControlledSubstancesTest, ASingleDoseRemainderIsNeverReturnedToStock) {
    Log log;
    log.product.multi_dose = false;
    ASSERT_TRUE(log.Add(Receipt()).ok());
    ASSERT_TRUE(log.Add(Draw(1000, 500)).ok());
    EXPECT_EQ(log.Add(Of(CsMovementKind::kReturnToStock, 500, 2)).error().field, "kind");
    EXPECT_TRUE(log.Add(Of(CsMovementKind::kWaste, 500, 2)).ok());
}

TEST(ControlledSubstancesTest, BalanceRefusesARecordThatDoesNotAddUp) {
    const std::vector<CsMovement> corrupt = {Receipt(100), {2, CsMovementKind::kDraw, 200, 200}};
    const Result<CsBalance> balance = Balance(corrupt);
    ASSERT_FALSE(balance.ok());
    EXPECT_EQ(balance.error().code, ErrorCode::kInternal);
}

// The property: from a seeded random walk of steps, each one legal or not, CheckMovement accepts exactly the steps an
// independent model of the container allows, and the balance holds after every accepted step. A simple model: stock
// on hand, what each draw still has in hand, and the open counts.
TEST(ControlledSubstancesTest, RandomStepsAlwaysBalanceAndIllegalOnesAlwaysRefuse) {
    constexpr int kWalks = 40;
    constexpr int kSteps = 80;
    for (int walk = 0; walk < kWalks; ++walk) {
        std::mt19937_64 random(static_cast<std::uint64_t>(walk) * 7919U + 17U);
        auto pick = [&random](std::int64_t low, std::int64_t high) {
            return std::uniform_int_distribution<std::int64_t>(low, high)(random);
        };
        Log log;
        ASSERT_TRUE(log.Add(Receipt()).ok());
        std::int64_t on_hand = 10'000;
        std::map<std::int64_t, std::int64_t> draw_in_hand;
        std::map<std::int64_t, bool> open_counts;
        bool closed = false;
        for (int step = 0; step < kSteps; ++step) {
            const std::int64_t next_id = static_cast<std::int64_t>(log.movements.size()) + 1;
            CsMovement next;
            bool legal = !closed;
            std::optional<std::int64_t> draw;
            if (!draw_in_hand.empty()) {
                auto it = draw_in_hand.begin();
                std::advance(it, pick(0, static_cast<std::int64_t>(draw_in_hand.size()) - 1));
                draw = it->first;
            }
            switch (pick(0, 6)) {
                case 0:
                case 1: {
                    const std::int64_t units = pick(-5, on_hand + 50);
                    const std::int64_t given = pick(-5, std::max<std::int64_t>(units, 0) + 5);
                    next = Draw(units, given);
                    legal = legal && units > 0 && units <= on_hand && given >= 0 && given <= units;
                    break;
                }
                case 2:
                case 3: {
                    if (!draw) {
                        continue;
                    }
                    const std::int64_t units = pick(-5, draw_in_hand[*draw] + 5);
                    next = Of(pick(0, 1) == 0 ? CsMovementKind::kReturnToStock : CsMovementKind::kWaste, units, draw);
                    legal = legal && units > 0 && units <= draw_in_hand[*draw];
                    break;
                }
                case 4: {
                    const std::int64_t units = pick(-5, on_hand + 5);
                    next = Of(pick(0, 1) == 0 ? CsMovementKind::kDestruction : CsMovementKind::kWaste, units);
                    legal = legal && units > 0 && units <= on_hand;
                    break;
                }
                case 5: {
                    const std::int64_t found = pick(-2, on_hand + 2);
                    const std::int64_t expected = pick(0, 3) == 0 ? on_hand + 1 : on_hand;
                    next = CountOf(found, expected);
                    legal = legal && found >= 0 && expected == on_hand;
                    break;
                }
                default: {
                    std::int64_t in_hand = 0;
                    for (const auto& [id, units] : draw_in_hand) {
                        in_hand += units;
                    }
                    const std::int64_t units = pick(0, 1) == 0 ? on_hand : pick(0, on_hand + 1);
                    next = Of(CsMovementKind::kReturnToSupplier, units);
                    legal = legal && units > 0 && units == on_hand && in_hand == 0;
                    break;
                }
            }
            const Status status = log.Add(next);
            ASSERT_EQ(status.ok(), legal) << "walk " << walk << " step " << step << " "
                                          << kCsMovementKindNames.Name(next.kind) << " units " << next.units << ": "
                                          << (status.ok() ? "accepted" : status.error().message);
            if (!legal) {
                continue;
            }
            switch (next.kind) {
                case CsMovementKind::kDraw:
                    on_hand -= next.units;
                    draw_in_hand[next_id] = next.units - next.given_units;
                    break;
                case CsMovementKind::kReturnToStock:
                    on_hand += next.units;
                    draw_in_hand[*next.refers_to] -= next.units;
                    break;
                case CsMovementKind::kWaste:
                case CsMovementKind::kDestruction:
                    if (next.refers_to) {
                        draw_in_hand[*next.refers_to] -= next.units;
                    } else {
                        on_hand -= next.units;
                    }
                    break;
                case CsMovementKind::kCount:
                    open_counts[next_id] = next.units != on_hand;
                    on_hand = next.units;
                    break;
                case CsMovementKind::kReturnToSupplier:
                    on_hand = 0;
                    closed = true;
                    break;
                default:
                    break;
            }
            std::erase_if(draw_in_hand, [](const auto& entry) { return entry.second == 0; });
            const CsBalance b = log.Now();
            ExpectBalanced(b);
            EXPECT_EQ(b.on_hand, on_hand) << "walk " << walk << " step " << step;
        }
    }
}

}  // namespace
}  // namespace kclinic::clinical
