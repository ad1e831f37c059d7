#include "clinical/clinic_zone.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
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
using std::chrono::year;

// The OS's IANA database (Debian's tzdata package, which scripts/install-deps installs): the tests read real zones'
// bytes, as the adapter does, so that the rules are the ones a clinic's server applies.
std::string ZoneBytes(const std::string& name) {
    std::ifstream file("/usr/share/zoneinfo/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

ClinicZone RealZone(const std::string& name) {
    Result<ClinicZone> zone = ParseTzif("clinic.time_zone", name, ZoneBytes(name));
    EXPECT_TRUE(zone.ok()) << name << ": " << zone.error().ToString();
    return zone.ok() ? *zone : ClinicZone::Utc();
}

// The zone's footer rule alone, without its transitions: what dates past the file's last transition follow.
ClinicZone RuleOnly(const std::string& name) {
    const std::string bytes = ZoneBytes(name);
    const std::size_t last_line = bytes.rfind('\n', bytes.size() - 2);
    Result<RecurringRule> rule =
        ParsePosixRule("footer", std::string_view(bytes).substr(last_line + 1, bytes.size() - last_line - 2));
    EXPECT_TRUE(rule.ok()) << name << ": " << rule.error().ToString();
    return {name, seconds{0}, {}, rule.ok() ? std::optional<RecurringRule>(*rule) : std::nullopt};
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
        {"America/New_York", "23:30 EDT in 2040 (the footer rule)", Utc(Day(2040, 7, 15), hours{3}, minutes{30}),
         Day(2040, 7, 14)},
        {"America/New_York", "23:30 EST in 2040 (the footer rule)", Utc(Day(2040, 1, 15), hours{4}, minutes{30}),
         Day(2040, 1, 14)},
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
    };
    for (const WallClockCase& c : cases) {
        const ClinicZone zone = RealZone(c.zone);
        EXPECT_EQ(zone.AtLocal(c.date, c.time_of_day), c.instant) << c.zone << ", " << c.what;
    }
}

// The footer rule alone gives every offset the transitions give, hour by hour through 2030, in zones whose rules
// differ in kind: northern and southern daylight time, 30-minute daylight time, changes at midnight, at a negative
// local time, and Dublin's "negative daylight time" (winter is the daylight time of its rule).
TEST(ClinicZoneTest, TheFooterRuleAgreesWithTheTransitions) {
    for (const std::string name : {"America/New_York", "Pacific/Auckland", "Australia/Lord_Howe", "America/Havana",
                                   "America/Nuuk", "Europe/Dublin", "Asia/Kolkata", "Europe/Berlin"}) {
        const ClinicZone transitions = RealZone(name);
        const ClinicZone rule = RuleOnly(name);
        for (TimePoint at = Utc(Day(2030, 1, 1), hours{0}); at < Utc(Day(2031, 1, 1), hours{0}); at += hours{1}) {
            ASSERT_EQ(rule.OffsetAt(at).count(), transitions.OffsetAt(at).count())
                << name << " at " << (at.time_since_epoch().count() / 1000);
        }
    }
}

TEST(ClinicZoneTest, RuleForms) {
    // Jn never counts February 29 (day 60 is March 1); n does. Tehran's rule of 2008-2022: +04:30 from J79/24.
    Result<RecurringRule> julian = ParsePosixRule("footer", "<+0330>-3:30<+0430>,J79/24,J263/24");
    ASSERT_TRUE(julian.ok()) << julian.error().ToString();
    const ClinicZone tehran("Asia/Tehran", seconds{0}, {}, *julian);
    // J79/24 in 2028 (a leap year): March 20 + 24 h = March 21 00:00 +03:30 = March 20 20:30 UTC.
    EXPECT_EQ(tehran.OffsetAt(Utc(Day(2028, 3, 20), hours{20}, minutes{29})), hours{3} + minutes{30});
    EXPECT_EQ(tehran.OffsetAt(Utc(Day(2028, 3, 20), hours{20}, minutes{30})), hours{4} + minutes{30});

    Result<RecurringRule> zero_based = ParsePosixRule("footer", "XXX3YYY,59/0,300/0");
    ASSERT_TRUE(zero_based.ok()) << zero_based.error().ToString();
    const ClinicZone counted("Test/ZeroBased", seconds{0}, {}, *zero_based);
    // Day 59 counted from 0 is February 29 in a leap year: daylight time (-02:00) starts at 00:00 -03:00.
    EXPECT_EQ(counted.OffsetAt(Utc(Day(2028, 2, 29), hours{2}, minutes{59})), -hours{3});
    EXPECT_EQ(counted.OffsetAt(Utc(Day(2028, 2, 29), hours{3})), -hours{2});

    Result<RecurringRule> fixed = ParsePosixRule("footer", "<-03>3");
    ASSERT_TRUE(fixed.ok()) << fixed.error().ToString();
    EXPECT_EQ(fixed->standard_offset, -hours{3});
    EXPECT_FALSE(fixed->daylight_offset.has_value());
}

TEST(ClinicZoneTest, MalformedRulesAreRefused) {
    for (const std::string text :
         {"", "E5", "EST", "EST5EDT", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
          "EST5EDT,J0,J365", "EST5EDT,M3.2.0,M11.1.0 x", "<ES>5", "EST168"}) {
        const Result<RecurringRule> rule = ParsePosixRule("clinic.time_zone", text);
        ASSERT_FALSE(rule.ok()) << "\"" << text << "\" accepted";
        EXPECT_EQ(rule.error().field, "clinic.time_zone") << text;
    }
}

TEST(ClinicZoneTest, BytesThatAreNotTzifAreRefused) {
    const std::string new_york = ZoneBytes("America/New_York");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"empty", ""},
        {"text", "Europe/Berlin\n"},
        {"truncated header", new_york.substr(0, 30)},
        {"truncated data", new_york.substr(0, 200)},
        {"no footer", new_york.substr(0, new_york.rfind('\n', new_york.size() - 2))},
        {"a wrong version", std::string(new_york).replace(4, 1, "9")},
    };
    for (const auto& [what, bytes] : cases) {
        const Result<ClinicZone> zone = ParseTzif("clinic.time_zone", "America/New_York", bytes);
        ASSERT_FALSE(zone.ok()) << what << ": accepted";
        EXPECT_EQ(zone.error().field, "clinic.time_zone") << what;
        EXPECT_NE(zone.error().message.find("not a readable TZif file"), std::string::npos) << what;
    }
    // A version 1 file (32-bit times, no footer) is read too: UTC's first block alone.
    const Result<ClinicZone> version_one =
        ParseTzif("clinic.time_zone", "UTC", std::string(ZoneBytes("UTC")).replace(4, 1, std::string(1, '\0')));
    ASSERT_TRUE(version_one.ok()) << version_one.error().ToString();
    EXPECT_EQ(version_one->OffsetAt(Utc(Day(2026, 7, 14), hours{0})), seconds{0});
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
