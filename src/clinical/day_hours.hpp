#pragma once

// A clinic's opening hours on one weekday, as the settings hold them (hours.monday ... hours.sunday) and the
// scheduling rules read them (clinical/scheduling.hpp). Its own header because the settings need the type and the
// scheduling header needs the settings.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kclinic::clinical {

// The clinic's hours on one weekday, local wall-clock time from midnight; 0 <= opens < closes <= 24 h.
struct DayHours {
    std::chrono::minutes opens{0};
    std::chrono::minutes closes{0};
    friend bool operator==(const DayHours&, const DayHours&) = default;
};

// The week's hours, index 0 = Monday ... 6 = Sunday (ISO 8601 weekday - 1); nullopt: closed that weekday.
using WeeklyHours = std::array<std::optional<DayHours>, 7>;

// "08:00-18:00" (24-hour HH:MM-HH:MM, closes after opens, at most "24:00") or "closed" (nullopt). Error
// kInvalidArgument on `field`: `expected "HH:MM-HH:MM" (24-hour, closing after opening, at most 24:00) or "closed"
// (got "<text>")`.
[[nodiscard]] Result<std::optional<DayHours>> ParseDayHours(std::string_view field, std::string_view text);
// The inverse: "08:00-18:00" or "closed".
[[nodiscard]] std::string DayHoursText(const std::optional<DayHours>& hours);
// A wall-clock time of day as "HH:MM" (0 to 24 h; 24 h is "24:00").
[[nodiscard]] std::string ClockText(std::chrono::minutes time_of_day);

}  // namespace kclinic::clinical
