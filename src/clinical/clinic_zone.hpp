#pragma once

// The clinic's time zone: which calendar day an instant falls on where the clinic is. Every time is stored in UTC;
// a calendar date the record shows (the REMS treatment date, the day a session list covers, "today" for a due
// date) is the clinic's local date, derived here through the zone's real rules, daylight-saving time included, so
// that a 19:30 session in New York (00:30 UTC the next day) is dated the day it happened (docs/clinical-rules.md,
// "Clinic time zone").
//
// The rules come as a value: the bytes of a TZif file (RFC 8536, the format of the IANA time zone database that
// the OS installs as /usr/share/zoneinfo), parsed here without touching the file system; an adapter
// (adapters/clock/os_time_zones.hpp) reads the file. Instants after the file's last transition follow its footer,
// the POSIX TZ rule (RFC 8536 §3.3), so a "slim" file and dates past 2037 are dated right too.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

// The UTC instants a local calendar day covers: [start, end). Usually 24 hours; 23 or 25 on a day the clocks move.
struct LocalDay {
    TimePoint start;
    TimePoint end;
};

// A recurring daylight-saving rule, the TZif footer's POSIX TZ string (e.g. "EST5EDT,M3.2.0,M11.1.0").
struct RecurringRule {
    // A day of the year a change happens on: Mm.w.d (weekday d, 0 = Sunday, of week w, 5 = last, of month m),
    // Jn (day n of 365, February 29 never counted) or n (day n counted from 0, February 29 counted).
    struct Day {
        enum class Kind { kMonthWeekDay, kJulianNoLeap, kZeroBased };
        Kind kind = Kind::kMonthWeekDay;
        int month = 0;
        int week = 0;
        int weekday = 0;
        int day = 0;  // n of Jn or n
    };
    std::chrono::seconds standard_offset{0};              // east of UTC
    std::optional<std::chrono::seconds> daylight_offset;  // absent: no daylight-saving time
    Day daylight_starts{};
    std::chrono::seconds daylight_starts_at{0};  // local (standard) time of day; may be negative or past 24 h
    Day daylight_ends{};
    std::chrono::seconds daylight_ends_at{0};  // local (daylight) time of day
};

class ClinicZone {
public:
    // One change of UTC offset: from `at` on, local time is UTC + `offset`.
    struct Transition {
        std::chrono::sys_seconds at;
        std::chrono::seconds offset;
    };

    // UTC: the default of the clinic.time_zone setting.
    [[nodiscard]] static ClinicZone Utc();

    // `initial_offset` holds before the first transition; `transitions` ascend; `rule` (when given) holds from the
    // last transition on (from the start of time when there is none).
    ClinicZone(std::string name, std::chrono::seconds initial_offset, std::vector<Transition> transitions,
               std::optional<RecurringRule> rule);

    // The IANA name, e.g. "America/New_York".
    [[nodiscard]] const std::string& name() const { return name_; }

    // Local time minus UTC at `at` (east positive: New York in summer -4 h, Kolkata +5:30).
    [[nodiscard]] std::chrono::seconds OffsetAt(TimePoint at) const;

    // The clinic's calendar date at `at`.
    [[nodiscard]] std::chrono::sys_days LocalDate(TimePoint at) const;

    // The instants of the local calendar day `date`: from its first local instant (local midnight, or the end of a
    // daylight-saving gap that swallows midnight) to the next day's.
    [[nodiscard]] LocalDay DayOf(std::chrono::sys_days date) const;

    // The instant the clinic's wall clock shows `time_of_day` (0 to 24 h; 24 h is the next midnight) on `date`. When
    // the clocks go back and the time occurs twice, the earlier; when they jump forward over it, the jump, the first
    // instant whose local time is past it (02:30 on the day New York skips 02:00-03:00 is 03:00 EDT).
    [[nodiscard]] TimePoint AtLocal(std::chrono::sys_days date, std::chrono::minutes time_of_day) const;

private:
    [[nodiscard]] std::chrono::seconds OffsetAt(std::chrono::sys_seconds at) const;
    [[nodiscard]] std::chrono::sys_seconds LocalToUtc(std::chrono::sys_seconds local) const;

    std::string name_;
    std::chrono::seconds initial_offset_;
    std::vector<Transition> transitions_;
    std::optional<RecurringRule> rule_;
};

// Whether `name` has the shape of an IANA zone name ("UTC", "America/New_York", "America/Argentina/Buenos_Aires",
// "Etc/GMT+5"): 1-64 characters, '/'-separated parts of letters, digits, '.', '_', '-' and '+', none empty and none
// "." or "..". Error: kInvalidArgument naming `field`. (Whether the zone exists is the time-zone database's to say.)
[[nodiscard]] Status CheckZoneName(std::string_view field, std::string_view name);

// The zone `name` from the bytes of its TZif file (version 1, 2, 3 or 4; RFC 8536). Errors: kInvalidArgument naming
// `field` when the bytes are not a TZif file, are truncated or inconsistent, carry leap seconds (the "right/" zones:
// the record's clock counts no leap seconds), or end in a footer rule this parser does not read.
[[nodiscard]] Result<ClinicZone> ParseTzif(std::string_view field, std::string name, std::string_view bytes);

// The POSIX TZ rule of a TZif footer (e.g. "EST5EDT,M3.2.0,M11.1.0", "<+0530>-5:30"). Error: kInvalidArgument naming
// `field`.
[[nodiscard]] Result<RecurringRule> ParsePosixRule(std::string_view field, std::string_view text);

}  // namespace kclinic::clinical
