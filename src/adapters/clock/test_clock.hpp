#pragma once

// The MovableClock port for `kclinic serve --test-clock` (docs/cli.md "Test clock"), which only a database created in
// test mode accepts: the machine's real-time clock (as SystemClock, in milliseconds, UTC) plus an offset that only
// grows. It starts at the real time, runs at the real pace, and jumps forward when moved (app/test_clock_moves.hpp);
// it never goes back, not even when the machine's clock is stepped back (it then stands still until the real time
// catches up). The offset lives in this process only: a restarted server starts at the real time again.
// Thread-safe: every member function takes mutex_.

#include <chrono>
#include <mutex>

#include "app/ports/movable_clock.hpp"

namespace kclinic::adapters {

class TestClock final : public app::MovableClock {
public:
    [[nodiscard]] app::TimePoint Now() const override;
    app::TimePoint MoveForwardTo(app::TimePoint to) override;

private:
    // The real time plus offset_, never before latest_. REQUIRES: mutex_ held.
    app::TimePoint NowLocked() const;

    mutable std::mutex mutex_;
    std::chrono::milliseconds offset_{0};  // GUARDED_BY(mutex_)
    mutable app::TimePoint latest_{};      // GUARDED_BY(mutex_): the latest time answered
};

}  // namespace kclinic::adapters
