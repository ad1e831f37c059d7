#pragma once

// The Clock port: the only way the app layer learns the time, so use cases stay deterministic under test.

#include "app/records.hpp"

namespace kclinic::app {

class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual TimePoint Now() const = 0;
};

}  // namespace kclinic::app
