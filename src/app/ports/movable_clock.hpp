#pragma once

// The MovableClock port: a Clock that a test moves forward, so that what takes hours in a clinic (an esketamine
// session's 2-hour observation, a REMS form's due date) can be tested without waiting. Only `kclinic serve
// --test-clock` on a database created in test mode ever builds one (docs/security.md "Test mode"); the use case that
// moves it, with an audit entry for every move, is app/test_clock_moves.hpp.

#include "app/ports/clock.hpp"
#include "app/records.hpp"

namespace kclinic::app {

class MovableClock : public Clock {
public:
    // Moves the clock forward to `to`, from where it goes on running at the real pace. It never goes back: when `to`
    // is not after Now(), nothing changes. Returns Now() once moved. Thread-safe, as Now().
    virtual TimePoint MoveForwardTo(TimePoint to) = 0;
};

}  // namespace kclinic::app
