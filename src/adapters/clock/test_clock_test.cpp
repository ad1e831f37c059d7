#include "adapters/clock/test_clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace kclinic::adapters {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

app::TimePoint RealNow() {
    return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
}

TEST(TestClockTest, StartsAtTheRealTimeAndRunsAtItsPace) {
    const app::TimePoint before = RealNow();
    const TestClock clock;
    const app::TimePoint first = clock.Now();
    EXPECT_GE(first, before);
    EXPECT_LE(first, RealNow());
    std::this_thread::sleep_for(milliseconds{20});
    EXPECT_GE(clock.Now() - first, milliseconds{20});
}

TEST(TestClockTest, MovesForwardAndGoesOnRunningFromThere) {
    TestClock clock;
    const app::TimePoint target = clock.Now() + minutes{120};
    EXPECT_EQ(clock.MoveForwardTo(target), target);
    const app::TimePoint moved = clock.Now();
    EXPECT_GE(moved, target);
    EXPECT_LT(moved, target + minutes{1});
    std::this_thread::sleep_for(milliseconds{20});
    EXPECT_GE(clock.Now() - moved, milliseconds{20});
}

TEST(TestClockTest, NeverGoesBack) {
    TestClock clock;
    const app::TimePoint ahead = clock.Now() + hours{2};
    clock.MoveForwardTo(ahead);
    // An earlier target, the real time included, leaves it where it is.
    EXPECT_GE(clock.MoveForwardTo(ahead - minutes{30}), ahead);
    EXPECT_GE(clock.MoveForwardTo(RealNow()), ahead);
    EXPECT_GE(clock.Now(), ahead);
}

// Readers on several threads while another thread moves the clock: each reader's times never decrease, and every
// move lands.
TEST(TestClockTest, ReadersSeeTimeOnlyGrowWhileItIsMoved) {
    TestClock clock;
    const app::TimePoint start = clock.Now();
    std::atomic<bool> moving{true};
    std::atomic<int> backwards{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i) {
        readers.emplace_back([&] {
            app::TimePoint last = clock.Now();
            while (moving.load()) {
                const app::TimePoint now = clock.Now();
                if (now < last) {
                    backwards.fetch_add(1);
                }
                last = now;
            }
        });
    }
    for (int move = 1; move <= 200; ++move) {
        clock.MoveForwardTo(clock.Now() + minutes{1});
    }
    moving.store(false);
    for (std::thread& reader : readers) {
        reader.join();
    }
    EXPECT_EQ(backwards.load(), 0);
    EXPECT_GE(clock.Now() - start, minutes{200});
}

}  // namespace
}  // namespace kclinic::adapters
