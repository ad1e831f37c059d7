#pragma once

// The TimeZones port on the operating system's IANA time zone database, through the maintained library that
// clinical::ClinicZone computes with: Howard Hinnant's date/tz.h as Debian builds it (libhowardhinnant-date-dev,
// target date::date-tz, compiled with USE_OS_TZDB=1, which rules out its download API). It reads the TZif files
// Debian's tzdata package installs under /usr/share/zoneinfo, updated with the OS and never downloaded by kclinic.
//
// Once per process: the library lists the database's zones on the first Load (date::get_tzdb(), a function-local
// static, so initialised once and thread-safely), and reads a zone's file on the first Load of that zone (each zone
// loads its data under a std::call_once). Later Loads, which the use cases make inside their store transactions
// where no file I/O belongs, read nothing. A tzdata update therefore applies when kclinic restarts.
// Thread-safe: the library's database is immutable once loaded, and this class holds no state.
//
// The library (3.0.1) applies a zone's last listed transition for all later time, without the TZif footer's
// recurring rule: Debian's "fat" zone files list transitions through 2037, so instants from 2038 on keep the offset
// in force at the end of 2037 (docs/clinical-rules.md, "Clinic time zone").

#include <string_view>

#include "app/ports/time_zones.hpp"

namespace kclinic::adapters {

class OsTimeZones final : public app::TimeZones {
public:
    [[nodiscard]] Result<clinical::ClinicZone> Load(std::string_view name) const override;
};

}  // namespace kclinic::adapters
