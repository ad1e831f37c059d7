#include "adapters/clock/os_time_zones.hpp"

#include <date/tz.h>

#include <chrono>
#include <exception>
#include <string>

namespace kclinic::adapters {

namespace {
constexpr std::string_view kField = "clinic.time_zone";
}  // namespace

Result<clinical::ClinicZone> OsTimeZones::Load(std::string_view name) const {
    // The name's shape is checked first, so that an answer names only zones, never a path ("..", "/" refused).
    RETURN_IF_ERROR(clinical::CheckZoneName(kField, name));
    const std::string quoted = "\"" + std::string(name) + "\"";
    try {
        (void)date::get_tzdb();
    } catch (const std::exception& e) {
        return InvalidArgument(
            std::string(kField),
            "time zone " + quoted + ": this server's IANA time zone database cannot be read (" + e.what() + ")");
    }
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(name);
    } catch (const std::exception&) {  // std::runtime_error: "... not found in timezone database"
        return InvalidArgument(std::string(kField),
                               "unknown time zone " + quoted +
                                   ": not in this server's IANA time zone database (/usr/share/zoneinfo), e.g. "
                                   "America/New_York or UTC");
    }
    try {
        // The library reads the zone's file on the first question asked of it: asked here, in the adapter, so that
        // the pure core's questions never read a file.
        (void)zone->get_info(std::chrono::sys_seconds{});
    } catch (const std::exception& e) {
        return InvalidArgument(
            std::string(kField),
            "time zone " + quoted + ": its file in /usr/share/zoneinfo cannot be read (" + e.what() + ")");
    }
    return clinical::ClinicZone(*zone);
}

}  // namespace kclinic::adapters
