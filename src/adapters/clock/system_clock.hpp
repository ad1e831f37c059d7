#pragma once

// The Clock port on the machine's real-time clock, in milliseconds (UTC). Composition roots (the CLI, test and
// bench programs) hand it to the use cases; nothing in app/ or clinical/ reads the clock itself.

#include <chrono>

#include "app/ports/clock.hpp"

namespace kclinic::adapters {

class SystemClock final : public app::Clock {
public:
    [[nodiscard]] app::TimePoint Now() const override {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    }
};

}  // namespace kclinic::adapters
