// The feed read back twice: by libical's own parser, property by property, with its RFC 5545 / RFC 5546 restriction
// check; and by an independent parser, Python's icalendar (check_feed.py), so a fault libical makes in both
// directions cannot hide.

#include "adapters/calendar/ical_feed.hpp"

#include <gtest/gtest.h>
#include <libical/ical.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace kclinic::adapters::calendar {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// 2026-03-08T14:30:00.250Z: the day the United States change to daylight saving time; UTC has no such day.
const TimePoint kMonday =
    TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 3 / 8}} + hours{14} + minutes{30} + milliseconds{250};

Feed SampleFeed() {
    Feed feed;
    feed.name = "kclinic: Nurse Ratched";
    feed.organizer = "nurse@clinic.example";
    feed.generated_at = kMonday - hours{2};
    FeedEvent infusion;
    infusion.uid = "appointment-17@clinic.example";
    infusion.start = kMonday;
    infusion.end = kMonday + minutes{130};
    // Commas, semicolons and a backslash must be escaped (RFC 5545 §3.3.11); the long summary must be folded.
    infusion.summary =
        "Z.Ø. IV ketamine session; chair, then recovery \\ a summary long enough to be folded over "
        "the 75-octet line limit of RFC 5545";
    infusion.location = "Chair 2, east wing";
    infusion.sequence = 3;
    infusion.last_modified = kMonday - hours{30};
    FeedEvent review;
    review.uid = "appointment-18@clinic.example";
    review.start = kMonday + hours{3};
    review.end = kMonday + hours{3} + minutes{30};
    review.summary = "A.L. Prescriber review";
    review.cancelled = true;
    review.last_modified = kMonday - hours{5};
    feed.events = {infusion, review};
    return feed;
}

struct ComponentFree {
    void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

std::int64_t Seconds(TimePoint at) {
    return std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count();
}

std::string Text(icalcomponent* component, icalproperty_kind kind) {
    icalproperty* property = icalcomponent_get_first_property(component, kind);
    return property == nullptr ? "(missing)" : icalproperty_get_value_as_string(property);
}

std::string Extension(icalcomponent* component, const std::string& name) {
    for (icalproperty* property = icalcomponent_get_first_property(component, ICAL_X_PROPERTY); property != nullptr;
         property = icalcomponent_get_next_property(component, ICAL_X_PROPERTY)) {
        if (name == icalproperty_get_x_name(property)) {
            return icalproperty_get_value_as_string(property);
        }
    }
    return "(missing)";
}

// The instant of a DATE-TIME property, which must be in the UTC form.
std::int64_t UtcSeconds(icalcomponent* component, icalproperty_kind kind) {
    icalproperty* property = icalcomponent_get_first_property(component, kind);
    EXPECT_NE(property, nullptr) << icalproperty_kind_to_string(kind);
    if (property == nullptr) {
        return 0;
    }
    const icaltimetype time = icalvalue_get_datetime(icalproperty_get_value(property));
    EXPECT_TRUE(icaltime_is_utc(time)) << icalproperty_kind_to_string(kind);
    return static_cast<std::int64_t>(icaltime_as_timet(time));
}

TEST(IcalFeed, ReadsBackPropertyByPropertyWithLibical) {
    const Feed feed = SampleFeed();
    const std::string text = RenderFeed(feed);
    const Component calendar(icalparser_parse_string(text.c_str()));
    ASSERT_NE(calendar, nullptr) << text;
    icalcomponent* root = calendar.get();
    ASSERT_EQ(icalcomponent_isa(root), ICAL_VCALENDAR_COMPONENT);
    EXPECT_EQ(Text(root, ICAL_PRODID_PROPERTY), "-//kclinic//Clinician calendar feed//EN");
    EXPECT_EQ(Text(root, ICAL_VERSION_PROPERTY), "2.0");
    EXPECT_EQ(Text(root, ICAL_CALSCALE_PROPERTY), "GREGORIAN");
    EXPECT_EQ(Text(root, ICAL_METHOD_PROPERTY), "PUBLISH");
    EXPECT_EQ(Text(root, ICAL_REFRESHINTERVAL_PROPERTY), "PT15M");
    EXPECT_EQ(Extension(root, "X-WR-CALNAME"), "kclinic: Nurse Ratched");
    EXPECT_EQ(Extension(root, "X-PUBLISHED-TTL"), "PT15M");
    // Nothing libical could not read (it marks such lines X-LIC-ERROR), and every property RFC 5546 §3.2.1 requires
    // of a PUBLISH, with no property it forbids.
    EXPECT_EQ(icalcomponent_count_errors(root), 0) << text;
    EXPECT_EQ(icalrestriction_check(root), 1) << icalcomponent_as_ical_string(root);

    ASSERT_EQ(icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT), 2);
    icalcomponent* event = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
    for (const FeedEvent& expected : feed.events) {
        ASSERT_NE(event, nullptr);
        SCOPED_TRACE(expected.uid);
        EXPECT_EQ(Text(event, ICAL_UID_PROPERTY), expected.uid);
        EXPECT_EQ(UtcSeconds(event, ICAL_DTSTAMP_PROPERTY), Seconds(feed.generated_at));
        EXPECT_EQ(UtcSeconds(event, ICAL_DTSTART_PROPERTY), Seconds(expected.start));
        EXPECT_EQ(UtcSeconds(event, ICAL_DTEND_PROPERTY), Seconds(expected.end));
        EXPECT_EQ(UtcSeconds(event, ICAL_LASTMODIFIED_PROPERTY), Seconds(expected.last_modified));
        EXPECT_EQ(icalproperty_get_summary(icalcomponent_get_first_property(event, ICAL_SUMMARY_PROPERTY)),
                  expected.summary);
        icalproperty* location = icalcomponent_get_first_property(event, ICAL_LOCATION_PROPERTY);
        if (expected.location.empty()) {
            EXPECT_EQ(location, nullptr);
        } else {
            ASSERT_NE(location, nullptr);
            EXPECT_EQ(icalproperty_get_location(location), expected.location);
        }
        EXPECT_EQ(Text(event, ICAL_STATUS_PROPERTY), expected.cancelled ? "CANCELLED" : "CONFIRMED");
        EXPECT_EQ(icalproperty_get_sequence(icalcomponent_get_first_property(event, ICAL_SEQUENCE_PROPERTY)),
                  expected.sequence);
        EXPECT_EQ(Text(event, ICAL_ORGANIZER_PROPERTY), "mailto:nurse@clinic.example");
        EXPECT_EQ(Text(event, ICAL_TRANSP_PROPERTY), "OPAQUE");
        event = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT);
    }
}

TEST(IcalFeed, WritesUtcTimesCrlfLinesAndFoldsAt75Octets) {
    const std::string text = RenderFeed(SampleFeed());
    EXPECT_NE(text.find("DTSTART:20260308T143000Z\r\n"), std::string::npos) << text;  // milliseconds dropped
    EXPECT_NE(text.find("DTEND:20260308T164000Z\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("LOCATION:Chair 2\\, east wing\r\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("TZID"), std::string::npos);
    EXPECT_TRUE(text.starts_with("BEGIN:VCALENDAR\r\n")) << text;
    EXPECT_TRUE(text.ends_with("END:VCALENDAR\r\n")) << text;
    std::istringstream lines(text);
    int folded = 0;
    for (std::string line; std::getline(lines, line);) {
        ASSERT_TRUE(line.ends_with('\r')) << "not CRLF: " << line;
        EXPECT_LE(line.size() - 1, 75U) << line;
        folded += line.starts_with(' ') ? 1 : 0;
    }
    EXPECT_GE(folded, 1) << text;  // the long summary
}

TEST(IcalFeed, AnEmptyFeedIsAValidCalendar) {
    Feed feed;
    feed.name = "kclinic: nobody";
    feed.organizer = "nobody@clinic.example";
    const std::string text = RenderFeed(feed);
    const Component calendar(icalparser_parse_string(text.c_str()));
    ASSERT_NE(calendar, nullptr) << text;
    EXPECT_EQ(icalcomponent_count_components(calendar.get(), ICAL_VEVENT_COMPONENT), 0);
    EXPECT_EQ(icalcomponent_count_errors(calendar.get()), 0);
}

// A second, independent parser: Python's icalendar (Debian's python3-icalendar) reads the same text and checks it
// against the expectations check_feed.py holds for SampleFeed.
TEST(IcalFeed, ReadsBackWithPythonIcalendar) {
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() / ("kclinic_feed_" + std::to_string(::getpid()) + ".ics");
    {
        std::ofstream out(file, std::ios::binary);
        out << RenderFeed(SampleFeed());
    }
    // Debian's interpreter: python3-icalendar is installed for it, not for any other python3 on the PATH.
    const std::string command =
        "/usr/bin/python3 " + std::string(KCLINIC_SOURCE_DIR) + "/src/adapters/calendar/check_feed.py " + file.string();
    const int status = std::system(command.c_str());  // NOLINT(cert-env33-c): a fixed script of this repository
    std::filesystem::remove(file);
    EXPECT_EQ(status, 0) << command;
}

}  // namespace
}  // namespace kclinic::adapters::calendar
