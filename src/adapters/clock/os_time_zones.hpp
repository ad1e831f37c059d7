#pragma once

// The TimeZones port on the operating system's IANA time zone database: the TZif files Debian's tzdata package
// installs under /usr/share/zoneinfo (updated with the OS, never downloaded by kclinic). A zone is read from its file
// on each Load, so a tzdata update applies without a restart.

#include <filesystem>
#include <string_view>

#include "app/ports/time_zones.hpp"

namespace kclinic::adapters {

class OsTimeZones final : public app::TimeZones {
public:
    // `root` holds the database (a directory of TZif files named as the zones).
    explicit OsTimeZones(std::filesystem::path root = "/usr/share/zoneinfo") : root_(std::move(root)) {}

    [[nodiscard]] Result<clinical::ClinicZone> Load(std::string_view name) const override;

private:
    std::filesystem::path root_;
};

}  // namespace kclinic::adapters
