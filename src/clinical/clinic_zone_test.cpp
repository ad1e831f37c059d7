#include "clinical/clinic_zone.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "base/text.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;
using std::chrono::year;

// A zone of the OS's IANA database (Debian's tzdata, which scripts/install-deps installs), located as the adapter
// locates it (adapters/clock/os_time_zones.cpp), so that the rules are the ones a clinic's server applies. A test may
// read the database; the core never does (the purity check).
ClinicZone RealZone(const std::string& name) {
    return ClinicZone(*date::locate_zone(name));
}

TimePoint Utc(sys_days day, hours hour, minutes minute = minutes{0}, seconds second = seconds{0}) {
    return TimePoint{day + hour + minute + second};
}

constexpr sys_days Day(int y, unsigned m, unsigned d) {
    return sys_days{year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

struct DateCase {
    std::string zone;
    std::string what;
    TimePoint at;
    sys_days local_date;
};

// An evening session is dated the day it happened wherever the clinic is, in summer and in winter.
TEST(ClinicZoneTest, LocalDateFollowsTheZonesRules) {
    const std::vector<DateCase> cases = {
        {"America/New_York", "23:30 EDT on a summer evening", Utc(Day(2026, 7, 15), hours{3}, minutes{30}),
         Day(2026, 7, 14)},
        {"America/New_York", "19:30 EDT, 23:30 UTC", Utc(Day(2026, 7, 14), hours{23}, minutes{30}), Day(2026, 7, 14)},
        {"America/New_York", "23:30 EST on a winter evening", Utc(Day(2026, 1, 15), hours{4}, minutes{30}),
         Day(2026, 1, 14)},
        {"America/New_York", "00:00 EST", Utc(Day(2026, 1, 15), hours{5}), Day(2026, 1, 15)},
        {"America/New_York", "23:30 EST in 2037", Utc(Day(2037, 1, 15), hours{4}, minutes{30}), Day(2037, 1, 14)},
        {"Europe/London", "00:30 BST is 23:30 UTC the day before", Utc(Day(2026, 7, 14), hours{23}, minutes{30}),
         Day(2026, 7, 15)},
        {"Australia/Sydney", "08:00 AEDT is 21:00 UTC the day before", Utc(Day(2026, 1, 14), hours{21}),
         Day(2026, 1, 15)},
        {"Pacific/Auckland", "00:00 NZST", Utc(Day(2026, 7, 14), hours{12}), Day(2026, 7, 15)},
        {"Pacific/Auckland", "23:59:59 NZST", Utc(Day(2026, 7, 14), hours{11}, minutes{59}, seconds{59}),
         Day(2026, 7, 14)},
        {"Pacific/Auckland", "00:00 NZDT", Utc(Day(2026, 1, 14), hours{11}), Day(2026, 1, 15)},
        {"Asia/Kolkata", "23:59:59 IST (+05:30)", Utc(Day(2026, 3, 1), hours{18}, minutes{29}, seconds{59}),
         Day(2026, 3, 1)},
        {"Asia/Kolkata", "00:00 IST (+05:30)", Utc(Day(2026, 3, 1), hours{18}, minutes{30}), Day(2026, 3, 2)},
        {"Australia/Lord_Howe", "00:00 at +11 (30-minute daylight time)", Utc(Day(2026, 1, 14), hours{13}),
         Day(2026, 1, 15)},
        {"Australia/Lord_Howe", "23:30 at +10:30", Utc(Day(2026, 7, 14), hours{13}), Day(2026, 7, 14)},
        {"UTC", "23:30 UTC", Utc(Day(2026, 7, 14), hours{23}, minutes{30}), Day(2026, 7, 14)},
    };
    for (const DateCase& c : cases) {
        EXPECT_EQ(FormatDate(RealZone(c.zone).LocalDate(c.at)), FormatDate(c.local_date)) << c.zone << ", " << c.what;
    }
}

struct OffsetCase {
    std::string zone;
    TimePoint at;
    seconds offset;
};

// The second before and the second of each change.
TEST(ClinicZoneTest, OffsetsChangeAtTheTransitions) {
    const std::vector<OffsetCase> cases = {
        {"America/New_York", Utc(Day(2026, 3, 8), hours{6}, minutes{59}, seconds{59}), -hours{5}},
        {"America/New_York", Utc(Day(2026, 3, 8), hours{7}), -hours{4}},
        {"America/New_York", Utc(Day(2026, 11, 1), hours{5}, minutes{59}, seconds{59}), -hours{4}},
        {"America/New_York", Utc(Day(2026, 11, 1), hours{6}), -hours{5}},
        {"Australia/Lord_Howe", Utc(Day(2026, 10, 3), hours{15}, minutes{29}, seconds{59}), hours{10} + minutes{30}},
        {"Australia/Lord_Howe", Utc(Day(2026, 10, 3), hours{15}, minutes{30}), hours{11}},
        {"Pacific/Auckland", Utc(Day(2026, 9, 26), hours{14}), hours{13}},
        {"Asia/Kolkata", Utc(Day(2026, 6, 1), hours{0}), hours{5} + minutes{30}},
        {"Europe/London", Utc(Day(2026, 3, 29), hours{0}, minutes{59}, seconds{59}), hours{0}},
        {"Europe/London", Utc(Day(2026, 3, 29), hours{1}), hours{1}},
        {"Europe/London", Utc(Day(2026, 10, 25), hours{0}, minutes{59}, seconds{59}), hours{1}},
        {"Europe/London", Utc(Day(2026, 10, 25), hours{1}), hours{0}},
        // Sydney's daylight time spans the new year: it ends on the first Sunday of April, starts on October's.
        {"Australia/Sydney", Utc(Day(2026, 4, 4), hours{15}, minutes{59}, seconds{59}), hours{11}},
        {"Australia/Sydney", Utc(Day(2026, 4, 4), hours{16}), hours{10}},
        {"Australia/Sydney", Utc(Day(2026, 10, 3), hours{15}, minutes{59}, seconds{59}), hours{10}},
        {"Australia/Sydney", Utc(Day(2026, 10, 3), hours{16}), hours{11}},
    };
    for (const OffsetCase& c : cases) {
        EXPECT_EQ(RealZone(c.zone).OffsetAt(c.at).count(), c.offset.count())
            << c.zone << " at " << (c.at.time_since_epoch().count() / 1000);
    }
}

struct DayCase {
    std::string zone;
    std::string what;
    sys_days date;
    TimePoint start;
    TimePoint end;
};

TEST(ClinicZoneTest, ALocalDayCoversItsInstants) {
    const std::vector<DayCase> cases = {
        {"America/New_York", "a summer day", Day(2026, 7, 14), Utc(Day(2026, 7, 14), hours{4}),
         Utc(Day(2026, 7, 15), hours{4})},
        {"America/New_York", "the gap day: 23 h", Day(2026, 3, 8), Utc(Day(2026, 3, 8), hours{5}),
         Utc(Day(2026, 3, 9), hours{4})},
        {"America/New_York", "the overlap day: 25 h", Day(2026, 11, 1), Utc(Day(2026, 11, 1), hours{4}),
         Utc(Day(2026, 11, 2), hours{5})},
        // Havana moves its clocks at midnight: in March 00:00 never happens, so the day starts at 01:00 CDT; in
        // November 00:00-00:59 happens twice, and the day starts at the first.
        {"America/Havana", "midnight in the gap", Day(2026, 3, 8), Utc(Day(2026, 3, 8), hours{5}),
         Utc(Day(2026, 3, 9), hours{4})},
        {"America/Havana", "midnight twice", Day(2026, 11, 1), Utc(Day(2026, 11, 1), hours{4}),
         Utc(Day(2026, 11, 2), hours{5})},
        {"Asia/Kolkata", "+05:30", Day(2026, 3, 2), Utc(Day(2026, 3, 1), hours{18}, minutes{30}),
         Utc(Day(2026, 3, 2), hours{18}, minutes{30})},
        {"Pacific/Auckland", "daylight time starts: 23 h", Day(2026, 9, 27), Utc(Day(2026, 9, 26), hours{12}),
         Utc(Day(2026, 9, 27), hours{11})},
        {"Australia/Lord_Howe", "daylight time ends: 24.5 h", Day(2026, 4, 5), Utc(Day(2026, 4, 4), hours{13}),
         Utc(Day(2026, 4, 5), hours{13}, minutes{30})},
        {"Europe/London", "BST starts: 23 h", Day(2026, 3, 29), Utc(Day(2026, 3, 29), hours{0}),
         Utc(Day(2026, 3, 29), hours{23})},
        {"Europe/London", "BST ends: 25 h", Day(2026, 10, 25), Utc(Day(2026, 10, 24), hours{23}),
         Utc(Day(2026, 10, 26), hours{0})},
        {"Australia/Sydney", "AEDT ends: 25 h", Day(2026, 4, 5), Utc(Day(2026, 4, 4), hours{13}),
         Utc(Day(2026, 4, 5), hours{14})},
        {"Australia/Sydney", "AEDT starts: 23 h", Day(2026, 10, 4), Utc(Day(2026, 10, 3), hours{14}),
         Utc(Day(2026, 10, 4), hours{13})},
        {"UTC", "UTC", Day(2026, 7, 14), Utc(Day(2026, 7, 14), hours{0}), Utc(Day(2026, 7, 15), hours{0})},
    };
    for (const DayCase& c : cases) {
        const ClinicZone zone = RealZone(c.zone);
        const LocalDay day = zone.DayOf(c.date);
        EXPECT_EQ(day.start, c.start) << c.zone << ", " << c.what << ": starts";
        EXPECT_EQ(day.end, c.end) << c.zone << ", " << c.what << ": ends";
        EXPECT_EQ(zone.LocalDate(day.start), c.date) << c.zone << ", " << c.what;
        EXPECT_EQ(zone.LocalDate(day.end - std::chrono::milliseconds{1}), c.date) << c.zone << ", " << c.what;
    }
}

struct WallClockCase {
    std::string zone;
    std::string what;
    sys_days date;
    minutes time_of_day;
    TimePoint instant;
};

// A wall-clock time of the clinic (an opening hour, an appointment) is one instant, on both daylight-saving days.
TEST(ClinicZoneTest, AWallClockTimeIsOneInstant) {
    const std::vector<WallClockCase> cases = {
        {"America/New_York", "09:00 in winter (EST)", Day(2026, 1, 14), hours{9}, Utc(Day(2026, 1, 14), hours{14})},
        {"America/New_York", "09:00 in summer (EDT)", Day(2026, 7, 14), hours{9}, Utc(Day(2026, 7, 14), hours{13})},
        {"America/New_York", "09:00 on the day the clocks go forward", Day(2026, 3, 8), hours{9},
         Utc(Day(2026, 3, 8), hours{13})},
        {"America/New_York", "02:30 never happens that day: the jump, 03:00 EDT", Day(2026, 3, 8),
         hours{2} + minutes{30}, Utc(Day(2026, 3, 8), hours{7})},
        {"America/New_York", "09:00 on the day the clocks go back", Day(2026, 11, 1), hours{9},
         Utc(Day(2026, 11, 1), hours{14})},
        {"America/New_York", "01:30 happens twice that day: the first", Day(2026, 11, 1), hours{1} + minutes{30},
         Utc(Day(2026, 11, 1), hours{5}, minutes{30})},
        {"America/New_York", "24:00 is the next midnight", Day(2026, 7, 14), hours{24},
         Utc(Day(2026, 7, 15), hours{4})},
        {"Europe/London", "17:30 on the last Sunday of March (BST)", Day(2026, 3, 29), hours{17} + minutes{30},
         Utc(Day(2026, 3, 29), hours{16}, minutes{30})},
        {"Asia/Kolkata", "08:00 at +05:30", Day(2026, 3, 2), hours{8}, Utc(Day(2026, 3, 2), hours{2}, minutes{30})},
        {"Europe/London", "01:30 never happens on 2026-03-29: the jump, 02:00 BST", Day(2026, 3, 29),
         hours{1} + minutes{30}, Utc(Day(2026, 3, 29), hours{1})},
        {"Europe/London", "01:30 happens twice on 2026-10-25: the first, in BST", Day(2026, 10, 25),
         hours{1} + minutes{30}, Utc(Day(2026, 10, 25), hours{0}, minutes{30})},
        {"Australia/Sydney", "02:30 never happens on 2026-10-04: the jump, 03:00 AEDT", Day(2026, 10, 4),
         hours{2} + minutes{30}, Utc(Day(2026, 10, 3), hours{16})},
        {"Australia/Sydney", "02:30 happens twice on 2026-04-05: the first, in AEDT", Day(2026, 4, 5),
         hours{2} + minutes{30}, Utc(Day(2026, 4, 4), hours{15}, minutes{30})},
        // Havana moves its clocks at midnight: the day's first instant is the jump.
        {"America/Havana", "00:00 never happens on 2026-03-08: the jump, 01:00 CDT", Day(2026, 3, 8), hours{0},
         Utc(Day(2026, 3, 8), hours{5})},
        {"UTC", "09:00", Day(2026, 3, 8), hours{9}, Utc(Day(2026, 3, 8), hours{9})},
    };
    for (const WallClockCase& c : cases) {
        const ClinicZone zone = RealZone(c.zone);
        EXPECT_EQ(zone.AtLocal(c.date, c.time_of_day), c.instant) << c.zone << ", " << c.what;
    }
}

// The wall clock the clinic reads at `at`, as a day and a time of day.
sys_seconds WallClock(const ClinicZone& zone, TimePoint at) {
    return std::chrono::floor<seconds>(at) + zone.OffsetAt(at);
}

struct AppointmentCase {
    std::string zone;
    std::string what;
    sys_days day;
    TimePoint instant;  // of 09:00 that day
};

// A 09:00 appointment is at 09:00 on the clinic's wall clock the day before each daylight-saving change, on the day
// and after it, in the northern hemisphere (New York, London: spring forward in March, fall back in Oct/Nov) and the
// southern (Sydney: back in April, forward in October); its UTC instant moves by the hour instead.
TEST(ClinicZoneTest, A0900AppointmentStaysAt0900AcrossBothChanges) {
    const std::vector<AppointmentCase> cases = {
        {"America/New_York", "the day before spring forward (EST)", Day(2026, 3, 7), Utc(Day(2026, 3, 7), hours{14})},
        {"America/New_York", "spring forward (EDT)", Day(2026, 3, 8), Utc(Day(2026, 3, 8), hours{13})},
        {"America/New_York", "the day before fall back (EDT)", Day(2026, 10, 31), Utc(Day(2026, 10, 31), hours{13})},
        {"America/New_York", "fall back (EST)", Day(2026, 11, 1), Utc(Day(2026, 11, 1), hours{14})},
        {"Europe/London", "the day before BST (GMT)", Day(2026, 3, 28), Utc(Day(2026, 3, 28), hours{9})},
        {"Europe/London", "BST starts", Day(2026, 3, 29), Utc(Day(2026, 3, 29), hours{8})},
        {"Europe/London", "the day before BST ends", Day(2026, 10, 24), Utc(Day(2026, 10, 24), hours{8})},
        {"Europe/London", "BST ends (GMT)", Day(2026, 10, 25), Utc(Day(2026, 10, 25), hours{9})},
        {"Australia/Sydney", "the day before AEDT ends", Day(2026, 4, 4), Utc(Day(2026, 4, 3), hours{22})},
        {"Australia/Sydney", "AEDT ends (AEST)", Day(2026, 4, 5), Utc(Day(2026, 4, 4), hours{23})},
        {"Australia/Sydney", "the day before AEDT starts (AEST)", Day(2026, 10, 3), Utc(Day(2026, 10, 2), hours{23})},
        {"Australia/Sydney", "AEDT starts", Day(2026, 10, 4), Utc(Day(2026, 10, 3), hours{22})},
    };
    for (const AppointmentCase& c : cases) {
        const ClinicZone zone = RealZone(c.zone);
        const TimePoint at = zone.AtLocal(c.day, hours{9});
        EXPECT_EQ(at, c.instant) << c.zone << ", " << c.what;
        EXPECT_EQ(WallClock(zone, at), sys_seconds{c.day} + hours{9}) << c.zone << ", " << c.what;
        EXPECT_EQ(zone.LocalDate(at), c.day) << c.zone << ", " << c.what;
    }
}

struct DurationCase {
    std::string zone;
    std::string what;
    sys_days day;
    minutes starts;   // on the wall clock
    minutes lasts;    // real time: a session's monitoring is minutes of the patient's, not of the clock
    minutes ends_at;  // on the wall clock, the same day
};

// An appointment's length is real time: one that spans a change ends an hour earlier or later on the wall clock.
TEST(ClinicZoneTest, AnAppointmentsLengthIsRealTimeAcrossAChange) {
    const std::vector<DurationCase> cases = {
        {"America/New_York", "2 h from 01:30 on spring forward", Day(2026, 3, 8), hours{1} + minutes{30}, hours{2},
         hours{4} + minutes{30}},
        {"America/New_York", "2 h from 01:00 EDT on fall back", Day(2026, 11, 1), hours{1}, hours{2}, hours{2}},
        {"America/New_York", "2 h from 09:00 on fall back", Day(2026, 11, 1), hours{9}, hours{2}, hours{11}},
        {"Europe/London", "2 h from 00:30 as BST starts", Day(2026, 3, 29), minutes{30}, hours{2},
         hours{3} + minutes{30}},
        {"Europe/London", "2 h from 00:30 as BST ends", Day(2026, 10, 25), minutes{30}, hours{2},
         hours{1} + minutes{30}},
        {"Australia/Sydney", "2 h from 01:30 as AEDT ends", Day(2026, 4, 5), hours{1} + minutes{30}, hours{2},
         hours{2} + minutes{30}},
        {"Australia/Sydney", "2 h from 01:30 as AEDT starts", Day(2026, 10, 4), hours{1} + minutes{30}, hours{2},
         hours{4} + minutes{30}},
    };
    for (const DurationCase& c : cases) {
        const ClinicZone zone = RealZone(c.zone);
        const TimePoint starts = zone.AtLocal(c.day, c.starts);
        EXPECT_EQ(WallClock(zone, starts + c.lasts), sys_seconds{c.day} + c.ends_at) << c.zone << ", " << c.what;
    }
}

// The limit of the library as Debian ships it (date 3.0.1 with USE_OS_TZDB): after a zone's last listed transition
// (Debian's zone files list them through 2037) the last offset holds, without the recurring rule
// (docs/clinical-rules.md, zone.horizon). Should this fail, a newer library follows the rule: update that entry.
TEST(ClinicZoneTest, AfterTheLastListedTransitionTheLastOffsetHolds) {
    const ClinicZone new_york = RealZone("America/New_York");
    EXPECT_EQ(new_york.OffsetAt(Utc(Day(2037, 7, 15), hours{12})), -hours{4});  // EDT, listed
    EXPECT_EQ(new_york.OffsetAt(Utc(Day(2038, 7, 15), hours{12})), -hours{5});  // EST: the rule would say EDT
}

// ClinicZone::Utc(), the setting's default, needs no database and answers as the database's UTC does.
TEST(ClinicZoneTest, TheDefaultUtcAgreesWithTheDatabasesUtc) {
    const ClinicZone utc = ClinicZone::Utc();
    const ClinicZone database = RealZone("UTC");
    EXPECT_EQ(utc.name(), database.name());
    for (const sys_days day : {Day(2026, 3, 8), Day(2026, 11, 1), Day(2040, 7, 15)}) {
        EXPECT_EQ(utc.OffsetAt(Utc(day, hours{12})), database.OffsetAt(Utc(day, hours{12})));
        EXPECT_EQ(utc.AtLocal(day, hours{9}), database.AtLocal(day, hours{9}));
        EXPECT_EQ(utc.AtLocal(day, hours{9}), Utc(day, hours{9}));
        EXPECT_EQ(utc.DayOf(day).start, database.DayOf(day).start);
        EXPECT_EQ(utc.DayOf(day).end, Utc(day + days{1}, hours{0}));
        EXPECT_EQ(utc.LocalDate(Utc(day, hours{23}, minutes{59})), day);
    }
}

TEST(ClinicZoneTest, ZoneNames) {
    for (const std::string name : {"UTC", "America/New_York", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
                                   "America/Port-au-Prince", "Asia/Ust-Nera"}) {
        EXPECT_TRUE(CheckZoneName("clinic.time_zone", name).ok()) << name;
    }
    for (const std::string& name :
         std::vector<std::string>{"", "/etc/passwd", "../../etc/passwd", "America/../UTC", "America//New_York",
                                  "America/New York", "America/New_York/", "Eastern;rm", std::string(65, 'A')}) {
        const Status checked = CheckZoneName("clinic.time_zone", name);
        ASSERT_FALSE(checked.ok()) << "\"" << name << "\" accepted";
        EXPECT_EQ(checked.error().field, "clinic.time_zone");
        EXPECT_NE(checked.error().message.find("is not an IANA time zone name"), std::string::npos) << name;
    }
}

}  // namespace
}  // namespace kclinic::clinical
