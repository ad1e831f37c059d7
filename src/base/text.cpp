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

}  // namespace kclinic
