#pragma once

// The TimeZones port on the operating system's IANA time zone database: the TZif files Debian's tzdata package
// installs under /usr/share/zoneinfo (updated with the OS, never downloaded by kclinic). Each zone's file is read and
// parsed once per process, on its first Load, and kept: the use cases that date a time load the zone inside their
// store transaction, where no file I/O belongs. A tzdata update therefore applies when kclinic restarts.
// Thread-safe: the kept zones are guarded by one mutex.

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "app/ports/time_zones.hpp"

namespace kclinic::adapters {

class OsTimeZones final : public app::TimeZones {
public:
    // `root` holds the database (a directory of TZif files named as the zones).
    explicit OsTimeZones(std::filesystem::path root = "/usr/share/zoneinfo") : root_(std::move(root)) {}

    [[nodiscard]] Result<clinical::ClinicZone> Load(std::string_view name) const override;

private:
    [[nodiscard]] Result<clinical::ClinicZone> Read(std::string_view name) const;

    std::filesystem::path root_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, clinical::ClinicZone, std::less<>> loaded_;  // guarded by mutex_
};

}  // namespace kclinic::adapters
