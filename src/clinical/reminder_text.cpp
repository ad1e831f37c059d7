#include "clinical/reminder_text.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>

#include "clinical/patient_guidance.hpp"

namespace kclinic::clinical {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};

// The route whose preparation a treatment session of `type` needs; none for the other types, which need none.
std::optional<Route> PreparedRoute(AppointmentType type) {
    switch (type) {
        case AppointmentType::kIvSession:
            return Route::kIv;
        case AppointmentType::kEsketamineSession:
            return Route::kEsketamineNasal;
        case AppointmentType::kImSession:
            return Route::kIm;
        case AppointmentType::kIntake:
        case AppointmentType::kPrescriberReview:
        case AppointmentType::kTherapyPreparation:
        case AppointmentType::kTherapyIntegration:
        case AppointmentType::kFollowUp:
            return std::nullopt;
    }
    return std::nullopt;
}

// `text` as lines of at most kReminderLineWidth characters, broken at spaces (a longer word stands on its own
// line), each ending in "\n".
std::string Wrapped(std::string_view text) {
    std::string wrapped;
    std::size_t line_length = 0;
    while (!text.empty()) {
        const std::size_t space = text.find(' ');
        const std::string_view word = text.substr(0, space);
        text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
        if (word.empty()) {
            continue;
        }
        if (line_length > 0 && line_length + 1 + word.size() > kReminderLineWidth) {
            wrapped += '\n';
            line_length = 0;
        }
        if (line_length > 0) {
            wrapped += ' ';
            ++line_length;
        }
        wrapped += word;
        line_length += word.size();
    }
    return wrapped + "\n";
}

std::chrono::sys_seconds LocalSeconds(TimePoint at, const ClinicZone& zone) {
    return std::chrono::floor<std::chrono::seconds>(at) + zone.OffsetAt(at);
}

}  // namespace

std::string LocalDateText(TimePoint at, const ClinicZone& zone) {
    const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(LocalSeconds(at, zone));
    const std::chrono::year_month_day date{day};
    return std::string(kWeekdays[std::chrono::weekday{day}.c_encoding()]) + " " +
           std::to_string(static_cast<unsigned>(date.day())) + " " +
           std::string(kMonths[static_cast<unsigned>(date.month()) - 1]) + " " +
           std::to_string(static_cast<int>(date.year()));
}

std::string LocalTimeText(TimePoint at, const ClinicZone& zone) {
    const std::chrono::sys_seconds local = LocalSeconds(at, zone);
    const std::chrono::hh_mm_ss time{local - std::chrono::floor<std::chrono::days>(local)};
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "%02d:%02d", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()));
    return text.data();
}

ReminderText ComposeReminder(AppointmentType type, TimePoint start, TimePoint end, const ClinicZone& zone,
                             std::string_view clinic_name) {
    const std::optional<Route> route = PreparedRoute(type);
    const std::string what = route ? "treatment session" : "appointment";
    const std::string where = clinic_name.empty() ? "" : " at " + std::string(clinic_name);
    const std::string day = LocalDateText(start, zone);
    const std::string from = LocalTimeText(start, zone);
    // An end on another local day (a session past midnight) is dated, so "until 00:30" cannot read as the same day.
    const std::string until = zone.LocalDate(end) == zone.LocalDate(start)
                                  ? LocalTimeText(end, zone)
                                  : LocalTimeText(end, zone) + " on " + LocalDateText(end, zone);

    ReminderText reminder;
    reminder.subject = "Reminder: your appointment on " + day + " at " + from;
    reminder.body = "Hello,\n\n";
    reminder.body += Wrapped("This is a reminder of your " + what + where + " on " + day + ", from " + from +
                             " until about " + until + " (clinic time, " + zone.name() + ").");
    if (route) {
        reminder.body += "\nHow to prepare:\n";
        reminder.body += Wrapped(PreparationInstructions(*route).text);
    }
    reminder.body += "\n";
    reminder.body += Wrapped(
        "If you cannot come, please contact the clinic as early as you can so that we can "
        "offer you another time.");
    reminder.body += "\n";
    reminder.body += Wrapped("This message was sent automatically; please do not reply to it.");
    return reminder;
}

}  // namespace kclinic::clinical
