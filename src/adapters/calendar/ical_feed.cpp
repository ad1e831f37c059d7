#include "adapters/calendar/ical_feed.hpp"

#include <libical/ical.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

namespace kclinic::adapters::calendar {
namespace {

// Owners of what libical allocates: a component frees its properties and subcomponents with it.
struct ComponentFree {
    void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;
struct MallocFree {
    void operator()(char* text) const { std::free(text); }  // NOLINT(cppcoreguidelines-no-malloc): libical's _r
};

icaltimetype UtcTime(TimePoint at) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count();
    return icaltime_from_timet_with_zone(static_cast<time_t>(seconds), 0, icaltimezone_get_utc_timezone());
}

// A non-standard property that calendar applications read (X-WR-CALNAME, X-PUBLISHED-TTL; RFC 5545 §3.8.8.2).
icalproperty* Extension(const char* name, const std::string& value) {
    icalproperty* property = icalproperty_new_x(value.c_str());
    icalproperty_set_x_name(property, name);
    return property;
}

icalcomponent* Event(const FeedEvent& event, const Feed& feed) {
    icalcomponent* vevent = icalcomponent_new_vevent();
    icalcomponent_add_property(vevent, icalproperty_new_uid(event.uid.c_str()));
    icalcomponent_add_property(vevent, icalproperty_new_dtstamp(UtcTime(feed.generated_at)));
    icalcomponent_add_property(vevent, icalproperty_new_dtstart(UtcTime(event.start)));
    icalcomponent_add_property(vevent, icalproperty_new_dtend(UtcTime(event.end)));
    icalcomponent_add_property(vevent, icalproperty_new_summary(event.summary.c_str()));
    if (!event.location.empty()) {
        icalcomponent_add_property(vevent, icalproperty_new_location(event.location.c_str()));
    }
    icalcomponent_add_property(vevent, icalproperty_new_organizer(("mailto:" + feed.organizer).c_str()));
    icalcomponent_add_property(
        vevent, icalproperty_new_status(event.cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(vevent, icalproperty_new_sequence(event.sequence));
    icalcomponent_add_property(vevent, icalproperty_new_lastmodified(UtcTime(event.last_modified)));
    // A clinic appointment blocks the clinician's time (RFC 5545 §3.8.2.7), also for free/busy lookups.
    icalcomponent_add_property(vevent, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
    return vevent;
}

}  // namespace

std::string RenderFeed(const Feed& feed) {
    const Component calendar(icalcomponent_new_vcalendar());
    icalcomponent* root = calendar.get();
    icalcomponent_add_property(root, icalproperty_new_prodid("-//kclinic//Clinician calendar feed//EN"));
    icalcomponent_add_property(root, icalproperty_new_version("2.0"));
    icalcomponent_add_property(root, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(root, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icalcomponent_add_property(root, Extension("X-WR-CALNAME", feed.name));
    icalproperty* refresh = icalproperty_new_refreshinterval(icaldurationtype_from_int(kFeedRefreshMinutes * 60));
    // RFC 7986 §5.7: the VALUE parameter is required on REFRESH-INTERVAL.
    icalproperty_add_parameter(refresh, icalparameter_new_value(ICAL_VALUE_DURATION));
    icalcomponent_add_property(root, refresh);
    icalcomponent_add_property(root, Extension("X-PUBLISHED-TTL", "PT" + std::to_string(kFeedRefreshMinutes) + "M"));
    for (const FeedEvent& event : feed.events) {
        icalcomponent_add_component(root, Event(event, feed));
    }
    const std::unique_ptr<char, MallocFree> text(icalcomponent_as_ical_string_r(root));
    return text ? std::string(text.get()) : std::string();
}

}  // namespace kclinic::adapters::calendar
