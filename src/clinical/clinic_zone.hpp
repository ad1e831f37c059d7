#pragma once

// The clinic's time zone: which calendar day an instant falls on where the clinic is. Every time is stored in UTC;
// a calendar date the record shows (the REMS treatment date, the day a session list covers, "today" for a due
// date) is the clinic's local date, derived here through the zone's real rules, daylight-saving time included, so
// that a 19:30 session in New York (00:30 UTC the next day) is dated the day it happened (docs/clinical-rules.md,
// "Clinic time zone").
//
// The rules and the arithmetic are a maintained library's: Howard Hinnant's date/tz.h (Debian's
// libhowardhinnant-date-dev), the reference implementation of C++20's <chrono> time zones, which g++ 12's <chrono>
// lacks, on the IANA database the OS installs (/usr/share/zoneinfo). A ClinicZone holds one of the library's zones.
// The adapter (adapters/clock/os_time_zones.hpp) locates it and has the library load its data: that is the only
// I/O. Here the zone is only asked questions (date::time_zone::get_info), pure computation on data already in
// memory, so no I/O happens in clinical/. The header only forward-declares the library's type, so that the
// translation units that use a ClinicZone do not parse date/tz.h.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"
#include "clinical/time_point.hpp"

namespace date {
class time_zone;
}  // namespace date

namespace kclinic::clinical {

// The UTC instants a local calendar day covers: [start, end). Usually 24 hours; 23 or 25 on a day the clocks move.
struct LocalDay {
    TimePoint start;
    TimePoint end;
};

// A value: cheap to copy, immutable, and safe to use from any thread (the library's zones are immutable once
// loaded).
class ClinicZone {
public:
    // UTC: the default of the clinic.time_zone setting. Needs no database.
    [[nodiscard]] static ClinicZone Utc();

    // The zone `rules` of the library's database, named as it. PRECONDITION: `rules` outlives this value (the
    // library's database lives until the process ends) and its data is loaded (the adapter asks it once), so that
    // no question asked here reads a file.
    explicit ClinicZone(const date::time_zone& rules);

    // The IANA name, e.g. "America/New_York".
    [[nodiscard]] const std::string& name() const { return name_; }

    // Local time minus UTC at `at` (east positive: New York in summer -4 h, Kolkata +5:30).
    [[nodiscard]] std::chrono::seconds OffsetAt(TimePoint at) const;

    // The clinic's calendar date at `at`.
    [[nodiscard]] std::chrono::sys_days LocalDate(TimePoint at) const;

    // The instants of the local calendar day `day`: from its first local instant (local midnight, or the end of a
    // daylight-saving gap that swallows midnight) to the next day's.
    [[nodiscard]] LocalDay DayOf(std::chrono::sys_days day) const;

    // The instant the clinic's wall clock shows `time_of_day` (0 to 24 h; 24 h is the next midnight) on `day`. When
    // the clocks go back and the time occurs twice, the earlier; when they jump forward over it, the jump, the first
    // instant whose local time is past it (02:30 on the day New York skips 02:00-03:00 is 03:00 EDT).
    [[nodiscard]] TimePoint AtLocal(std::chrono::sys_days day, std::chrono::minutes time_of_day) const;

private:
    ClinicZone(std::string name, const date::time_zone* rules) : name_(std::move(name)), rules_(rules) {}

    std::string name_;
    const date::time_zone* rules_;  // nullptr: UTC
};

// Whether `name` has the shape of an IANA zone name ("UTC", "America/New_York", "America/Argentina/Buenos_Aires",
// "Etc/GMT+5"): 1-64 characters, '/'-separated parts of letters, digits, '.', '_', '-' and '+', none empty and none
// "." or "..". Error: kInvalidArgument naming `field`. (Whether the zone exists is the time-zone database's to say.)
[[nodiscard]] Status CheckZoneName(std::string_view field, std::string_view name);

}  // namespace kclinic::clinical
