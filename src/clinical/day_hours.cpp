#include "clinical/day_hours.hpp"

#include <cstdio>

namespace kclinic::clinical {
namespace {

// "HH:MM" with HH 00-24 and MM 00-59 ("24:00" is the only time in hour 24), or nullopt.
std::optional<std::chrono::minutes> ParseClock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') {
        return std::nullopt;
    }
    for (std::size_t i : {0U, 1U, 3U, 4U}) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
    }
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
        return std::nullopt;
    }
    return std::chrono::minutes{hours * 60 + minutes};
}

constexpr std::string_view kClosed = "closed";

}  // namespace

Result<std::optional<DayHours>> ParseDayHours(std::string_view field, std::string_view text) {
    if (text == kClosed) {
        return std::optional<DayHours>{};
    }
    const std::optional<std::chrono::minutes> opens = ParseClock(text.substr(0, 5));
    const std::optional<std::chrono::minutes> closes =
        text.size() == 11 && text[5] == '-' ? ParseClock(text.substr(6)) : std::nullopt;
    if (!opens || !closes || *closes <= *opens) {
        return InvalidArgument(std::string(field),
                               "expected \"HH:MM-HH:MM\" (24-hour, closing after opening, at most 24:00) or \"closed\" "
                               "(got \"" +
                                   std::string(text) + "\")");
    }
    return std::optional<DayHours>{DayHours{*opens, *closes}};
}

std::string ClockText(std::chrono::minutes time_of_day) {
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "%02d:%02d", static_cast<int>(time_of_day.count() / 60),
                  static_cast<int>(time_of_day.count() % 60));
    return text.data();
}

std::string DayHoursText(const std::optional<DayHours>& hours) {
    if (!hours) {
        return std::string(kClosed);
    }
    return ClockText(hours->opens) + "-" + ClockText(hours->closes);
}

}  // namespace kclinic::clinical
