#pragma once

// Moving the server's test clock (`kclinic serve --test-clock`, only on a database created in test mode;
// docs/security.md "Test mode"): forward by whole minutes, or to a later instant. Moving it moves every use case, the
// alerts and the live channel's events at once, since they all read time through the one clock. Each move is
// audited ("test_clock.move", the detail saying from when to when) in one transaction before the clock moves; a
// refused move writes nothing and moves nothing.

#include <chrono>
#include <mutex>

#include "app/ports/movable_clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// The longest one move may be: a year covers every interval a clinic's rules measure (a REMS form's 7 days, a
// course's weeks, an annual review) and keeps a typing slip (minutes for seconds) from landing in another decade.
inline constexpr std::chrono::minutes kMaxTestClockMove{366 * 24 * 60};

class TestClockMoves {
public:
    // `store` and `clock` must outlive this object. Thread-safe when they are; moves run one at a time, so each
    // entry's "from" is where that move started.
    TestClockMoves(Store& store, MovableClock& clock) : store_(store), clock_(clock) {}

    // The test clock's time now.
    [[nodiscard]] TimePoint Now() const { return clock_.Now(); }

    // Moves the clock forward by `by` and returns its new time. Errors: kOutOfRange "advance_minutes" unless `by` is
    // 1 minute to kMaxTestClockMove; the store's error for the audit entry (kUnavailable), the clock unmoved.
    Result<TimePoint> Advance(const Actor& actor, std::chrono::minutes by);

    // Moves the clock forward to `to` and returns its new time. Errors: kFailedPrecondition "set" when `to` is not
    // after the clock's time (it never goes back); kOutOfRange "set" when it is more than kMaxTestClockMove ahead;
    // the store's error as Advance.
    Result<TimePoint> MoveTo(const Actor& actor, TimePoint to);

private:
    // Audits the move from `from` to `to`, then makes it. REQUIRES: moving_ held, to > from.
    Result<TimePoint> Move(const Actor& actor, TimePoint from, TimePoint to);

    Store& store_;
    MovableClock& clock_;
    std::mutex moving_;
};

}  // namespace kclinic::app
