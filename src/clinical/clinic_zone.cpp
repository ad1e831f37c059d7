#include "clinical/clinic_zone.hpp"

// The library's USE_OS_TZDB build (Debian's date::date-tz, which every target including this header links, carrying
// USE_OS_TZDB=1): zones come from /usr/share/zoneinfo, and HAS_REMOTE_API is 0, so nothing is ever downloaded.
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <cstddef>

namespace kclinic::clinical {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

constexpr std::size_t kMaxZoneNameLength = 64;

bool IsZoneNameCharacter(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-' || c == '+';
}

}  // namespace

ClinicZone ClinicZone::Utc() {
    return {"UTC", nullptr};
}

ClinicZone::ClinicZone(const date::time_zone& rules) : ClinicZone(rules.name(), &rules) {}

seconds ClinicZone::OffsetAt(TimePoint at) const {
    if (rules_ == nullptr) {
        return seconds{0};
    }
    return rules_->get_info(at).offset;
}

sys_days ClinicZone::LocalDate(TimePoint at) const {
    return std::chrono::floor<days>(at + OffsetAt(at));
}

TimePoint ClinicZone::AtLocal(sys_days day, std::chrono::minutes time_of_day) const {
    // The wall-clock time read as if it were UTC, then placed by the zone's rules.
    const sys_seconds wall_clock = sys_seconds{day} + time_of_day;
    if (rules_ == nullptr) {
        return TimePoint{wall_clock};
    }
    const date::local_info periods = rules_->get_info(date::local_seconds{wall_clock.time_since_epoch()});
    if (periods.result == date::local_info::nonexistent) {
        // The clocks jumped over it (from 01:59:59 to 03:00, or Havana's from 23:59:59 to 01:00): the jump, where the
        // second period begins.
        return TimePoint{periods.second.begin};
    }
    // Unique, or repeated when the clocks went back over it: the first period's, the earlier instant.
    return TimePoint{wall_clock - periods.first.offset};
}

LocalDay ClinicZone::DayOf(sys_days day) const {
    return LocalDay{AtLocal(day, std::chrono::minutes{0}), AtLocal(day + days{1}, std::chrono::minutes{0})};
}

Status CheckZoneName(std::string_view field, std::string_view name) {
    const auto invalid = [&](std::string_view why) {
        return InvalidArgument(std::string(field), "\"" + std::string(name) + "\" is not an IANA time zone name (" +
                                                       std::string(why) +
                                                       "), e.g. America/New_York, Europe/London or UTC");
    };
    if (name.empty() || name.size() > kMaxZoneNameLength) {
        return invalid("1 to " + std::to_string(kMaxZoneNameLength) + " characters");
    }
    std::size_t begin = 0;
    while (begin <= name.size()) {
        const std::size_t end = std::min(name.find('/', begin), name.size());
        const std::string_view part = name.substr(begin, end - begin);
        if (part.empty() || part == "." || part == "..") {
            return invalid(R"(an empty, "." or ".." part)");
        }
        if (!std::all_of(part.begin(), part.end(), IsZoneNameCharacter)) {
            return invalid("letters, digits, '.', '_', '-', '+' and '/' only");
        }
        begin = end + 1;
    }
    return Status::Ok();
}

}  // namespace kclinic::clinical
