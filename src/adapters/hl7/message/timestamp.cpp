#include "adapters/hl7/message/timestamp.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace kclinic::adapters::hl7 {
namespace {

// The value of `count` digits at `text[at]`, or -1 when any is not a digit.
int Digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) {
        return -1;
    }
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return -1;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<clinical::TimePoint> ParseDateTime(std::string_view text, const clinical::ClinicZone& local_zone) {
    using std::chrono::days;
    using std::chrono::hours;
    using std::chrono::milliseconds;
    using std::chrono::minutes;
    using std::chrono::seconds;

    const std::size_t offset_at = text.find_first_of("+-");
    const std::string_view local = text.substr(0, offset_at);
    if (local.size() < 12) {
        return std::nullopt;
    }
    const int year = Digits(local, 0, 4);
    const int month = Digits(local, 4, 2);
    const int day = Digits(local, 6, 2);
    const int hour = Digits(local, 8, 2);
    const int minute = Digits(local, 10, 2);
    int second = 0;
    int millisecond = 0;
    if (local.size() > 12) {
        second = Digits(local, 12, 2);
        if (second < 0 || second > 59) {
            return std::nullopt;
        }
        if (local.size() > 14) {
            // A fraction of one to four digits after a point; milliseconds are kept.
            const std::string_view fraction = local.substr(15);
            if (local[14] != '.' || fraction.empty() || fraction.size() > 4) {
                return std::nullopt;
            }
            int scale = 100;
            for (std::size_t i = 0; i < fraction.size(); ++i) {
                const int digit = Digits(fraction, i, 1);
                if (digit < 0) {
                    return std::nullopt;
                }
                millisecond += digit * scale;
                scale /= 10;
            }
        }
    }
    if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    const std::chrono::sys_days calendar_day{date};
    const auto within_minute = seconds{second} + milliseconds{millisecond};
    if (offset_at == std::string_view::npos) {
        return local_zone.AtLocal(calendar_day, hours{hour} + minutes{minute}) + within_minute;
    }
    const std::string_view offset = text.substr(offset_at);
    const int offset_hours = Digits(offset, 1, 2);
    const int offset_minutes = Digits(offset, 3, 2);
    if (offset.size() != 5 || offset_hours < 0 || offset_hours > 14 || offset_minutes < 0 || offset_minutes > 59) {
        return std::nullopt;
    }
    const minutes east{(offset[0] == '-' ? -1 : 1) * (offset_hours * 60 + offset_minutes)};
    return clinical::TimePoint{calendar_day + hours{hour} + minutes{minute} - east} + within_minute;
}

std::string FormatDateTime(clinical::TimePoint at) {
    const auto day = std::chrono::floor<std::chrono::days>(at);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(at - day)};
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04d%02u%02u%02d%02d%02d+0000", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buffer.data();
}

}  // namespace kclinic::adapters::hl7
