#include "base/text.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace kclinic {

std::string FormatNumber(double value) {
    std::ostringstream out;
    if (std::isfinite(value) && value == std::round(value) && std::fabs(value) < 1e15) {
        out << static_cast<long long>(value);
    } else {
        out << value;
    }
    return out.str();
}

std::string FormatDate(std::chrono::sys_days date) {
    const std::chrono::year_month_day ymd{date};
    std::ostringstream out;
    out << std::setfill('0') << std::setw(4) << static_cast<int>(ymd.year()) << '-' << std::setw(2)
        << static_cast<unsigned>(ymd.month()) << '-' << std::setw(2) << static_cast<unsigned>(ymd.day());
    return out.str();
}

std::optional<std::chrono::sys_days> ParseDate(std::string_view text) {
    const auto digits = [&](std::size_t from, std::size_t count, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int year = 0;
    int month = 0;
    int day = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, year) || !digits(5, 2, month) ||
        !digits(8, 2, day)) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return std::chrono::sys_days{date};
}

}  // namespace kclinic
