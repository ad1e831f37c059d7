#include "app/test_clock_moves.hpp"

#include <cstdio>
#include <string>

#include "app/audit.hpp"

namespace kclinic::app {
namespace {

// `time` as RFC 3339 UTC to the millisecond, as the API writes instants, for the audit entry's detail.
std::string Utc(TimePoint time) {
    using namespace std::chrono;
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long long>(clock.hours().count()), static_cast<long long>(clock.minutes().count()),
                  static_cast<long long>(clock.seconds().count()),
                  static_cast<long long>(duration_cast<milliseconds>(clock.subseconds()).count()));
    return text;
}

}  // namespace

Result<TimePoint> TestClockMoves::Advance(const Actor& actor, std::chrono::minutes by) {
    if (by < std::chrono::minutes{1} || by > kMaxTestClockMove) {
        return OutOfRange("advance_minutes", static_cast<double>(by.count()), 1,
                          static_cast<double>(kMaxTestClockMove.count()), "min");
    }
    const std::lock_guard lock(moving_);
    const TimePoint from = clock_.Now();
    return Move(actor, from, from + by);
}

Result<TimePoint> TestClockMoves::MoveTo(const Actor& actor, TimePoint to) {
    const std::lock_guard lock(moving_);
    const TimePoint from = clock_.Now();
    if (to <= from) {
        return Error{ErrorCode::kFailedPrecondition, "set",
                     "the test clock only moves forward: " + Utc(to) + " is not after its time now, " + Utc(from)};
    }
    if (to - from > kMaxTestClockMove) {
        return Error{ErrorCode::kOutOfRange, "set",
                     "one move may go at most " + std::to_string(kMaxTestClockMove.count()) + " min ahead of " +
                         Utc(from) + "; got " + Utc(to)};
    }
    return Move(actor, from, to);
}

Result<TimePoint> TestClockMoves::Move(const Actor& actor, TimePoint from, TimePoint to) {
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        return RecordAudit(tx, actor, from, "test_clock.move", "test_clock", 0, 0,
                           "from=" + Utc(from) + " to=" + Utc(to));
    }));
    return clock_.MoveForwardTo(to);
}

}  // namespace kclinic::app
