#include "adapters/clock/test_clock.hpp"

#include <algorithm>

namespace kclinic::adapters {

app::TimePoint TestClock::Now() const {
    const std::lock_guard lock(mutex_);
    return NowLocked();
}

app::TimePoint TestClock::MoveForwardTo(app::TimePoint to) {
    const std::lock_guard lock(mutex_);
    const app::TimePoint now = NowLocked();
    if (to > now) {
        offset_ += to - now;
        latest_ = to;
    }
    return latest_;
}

app::TimePoint TestClock::NowLocked() const {
    const app::TimePoint real =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    latest_ = std::max(latest_, real + offset_);
    return latest_;
}

}  // namespace kclinic::adapters
