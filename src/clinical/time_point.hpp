#pragma once

#include <chrono>

namespace kclinic::clinical {

// A point in time: milliseconds since the Unix epoch, UTC. The one name for it in the clinical core and the app
// (app::TimePoint is this type); the caller passes the time in, the core never reads a clock.
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

}  // namespace kclinic::clinical
