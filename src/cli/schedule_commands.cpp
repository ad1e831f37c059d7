#include "cli/schedule_commands.hpp"

#include <chrono>
#include <cstdint>
#include <iomanip>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/json/object_reader.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/json/schedule_json.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/clinic_settings.hpp"
#include "app/scheduling.hpp"
#include "base/text.hpp"
#include "clinical/scheduling.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::cli {
namespace {

namespace json = adapters::json;

// The CLI acts as the logged-in operating-system user; the audit log records who ran it.
app::Actor CliActor() {
    return app::Actor{"cli:" + OperatingSystemUser(), "cli"};
}

// Opens the store and runs `use` with the scheduling use cases and the clinic settings stored in it.
template <typename Use>
Result<CommandOutput> WithSchedule(const DatabaseOptions& options, Use use) {
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.url));
    adapters::SystemClock clock;
    const adapters::OsTimeZones zones;
    ASSIGN_OR_RETURN(const clinical::ClinicSettings settings,
                     app::ClinicSettingsRecords(*store, clock, zones).LoadClinicSettings());
    app::Scheduling scheduling(*store, clock, zones);
    return use(scheduling, settings);
}

Result<std::chrono::sys_days> DateOption(const std::string& option, const std::string& text) {
    const std::optional<std::chrono::sys_days> date = ParseDate(text);
    if (!date) {
        return InvalidArgument(option, "expected a calendar date YYYY-MM-DD (got \"" + text + "\")");
    }
    return *date;
}

std::string RoomTitle(const app::TreatmentRoom& room) {
    std::string title = room.name + " (" + std::string(clinical::kRoomEquipmentNames.Name(room.equipment));
    for (const std::string& monitor : room.monitor_ids) {
        title += ", monitor " + monitor;
    }
    return title + (room.active ? ")" : ", not in use)");
}

// ----- schedule day ------------------------------------------------------------------------------------------------

struct DayOptions {
    DatabaseOptions database;
    std::string date;
};

// One appointment as a line of the terminal's day plan: local times, patient, type, staff, status and the linked
// session's state, in columns.
std::string PlanLine(const app::DayPlanEntry& entry) {
    std::ostringstream line;
    line << "  " << std::left << std::setw(17)
         << (json::DayPlanClockText(entry.local_start) + "-" + json::DayPlanClockText(entry.local_end)) << " "
         << std::setw(24) << entry.patient_name << " " << std::setw(20)
         << clinical::AppointmentTypeName(entry.appointment.type) << " " << std::setw(20)
         << (entry.staff_name.empty() ? "-" : entry.staff_name) << " "
         << clinical::kAppointmentStatusNames.Name(entry.appointment.status);
    if (entry.session_state) {
        line << "  session " << clinical::SessionStateName(*entry.session_state);
    }
    if (!entry.appointment.status_reason.empty()) {
        line << "  (" << entry.appointment.status_reason << ")";
    }
    return line.str() + "\n";
}

Result<CommandOutput> RunDay(const DayOptions& options) {
    ASSIGN_OR_RETURN(const std::chrono::sys_days date, DateOption("--date", options.date));
    return WithSchedule(
        options.database,
        [&](app::Scheduling& scheduling, const clinical::ClinicSettings& settings) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(const app::DayPlan plan, scheduling.GetDayPlan(CliActor(), date, settings));
            std::ostringstream text;
            text << FormatDate(plan.date) << "  " << plan.time_zone << "  hours " << clinical::DayHoursText(plan.hours)
                 << "\n";
            if (plan.closed) {
                text << "closed: " << plan.closed->reason << "\n";
            }
            for (const app::DayPlanRoom& column : plan.rooms) {
                text << "\n" << (column.room ? RoomTitle(*column.room) : "No room") << "\n";
                if (column.appointments.empty()) {
                    text << "  (free)\n";
                }
                for (const app::DayPlanEntry& entry : column.appointments) {
                    text << PlanLine(entry);
                }
            }
            if (plan.rooms.empty()) {
                text << "\nno rooms and no appointments\n";
            }
            return CommandOutput{json::ToJson(plan), text.str()};
        });
}

// ----- schedule rooms ----------------------------------------------------------------------------------------------

Result<CommandOutput> RunRooms(const DatabaseOptions& options) {
    return WithSchedule(
        options, [](app::Scheduling& scheduling, const clinical::ClinicSettings&) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(const std::vector<app::TreatmentRoom> rooms, scheduling.ListRooms(CliActor()));
            json::Json list = json::Json::array();
            std::string text;
            for (const app::TreatmentRoom& room : rooms) {
                list.push_back(json::ToJson(room));
                text += "#" + std::to_string(room.id.value) + "  " + RoomTitle(room) + "\n";
            }
            return CommandOutput{json::Json{{"rooms", std::move(list)}}, text.empty() ? "no rooms\n" : text};
        });
}

// ----- schedule slots ----------------------------------------------------------------------------------------------

struct SlotsOptions {
    DatabaseOptions database;
    std::string type;
    std::int64_t patient = 0;
    std::string from;
    std::string to;
    std::optional<std::int64_t> room;
    std::optional<std::string> staff;
    int count = 5;
};

Result<CommandOutput> RunSlots(const SlotsOptions& options) {
    app::SlotSearch search;
    ASSIGN_OR_RETURN(search.type, clinical::ParseAppointmentType(options.type));
    search.patient = app::PatientId{options.patient};
    ASSIGN_OR_RETURN(search.from, DateOption("--from", options.from));
    ASSIGN_OR_RETURN(search.to, DateOption("--to", options.to.empty() ? options.from : options.to));
    if (options.room) {
        search.room = app::RoomId{*options.room};
    }
    search.staff = options.staff;
    search.count = options.count;
    return WithSchedule(
        options.database,
        [&](app::Scheduling& scheduling, const clinical::ClinicSettings& settings) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(const std::vector<clinical::Slot> slots,
                             scheduling.FindSlots(CliActor(), search, settings));
            json::Json list = json::Json::array();
            std::string text;
            for (const clinical::Slot& slot : slots) {
                list.push_back(json::ToJson(slot));
                text += json::FormatTime(slot.start) + " - " + json::FormatTime(slot.end) +
                        (slot.room ? "  room #" + std::to_string(*slot.room) : "") +
                        (slot.staff.empty() ? "" : "  " + slot.staff) + "\n";
            }
            return CommandOutput{json::Json{{"slots", std::move(list)}},
                                 text.empty() ? "no free slot in that range\n" : text};
        });
}

// ----- schedule book -----------------------------------------------------------------------------------------------

struct BookOptions {
    DatabaseOptions database;
    std::string type;
    std::int64_t patient = 0;
    std::string start;
    std::optional<std::int64_t> room;
    std::string staff;
    std::optional<std::int64_t> session;
};

Result<CommandOutput> RunBook(const BookOptions& options) {
    app::AppointmentRequest request;
    ASSIGN_OR_RETURN(request.type, clinical::ParseAppointmentType(options.type));
    request.patient = app::PatientId{options.patient};
    const std::optional<app::TimePoint> start = json::ParseRfc3339(options.start);
    if (!start) {
        return InvalidArgument("--start",
                               "expected an RFC 3339 time with an offset, such as 2026-12-07T09:00:00Z "
                               "(got \"" +
                                   options.start + "\")");
    }
    request.start = *start;
    if (options.room) {
        request.room = app::RoomId{*options.room};
    }
    request.staff = options.staff;
    if (options.session) {
        request.session = app::SessionId{*options.session};
    }
    return WithSchedule(
        options.database,
        [&](app::Scheduling& scheduling, const clinical::ClinicSettings& settings) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(const app::Appointment booked, scheduling.Book(CliActor(), request, settings));
            return CommandOutput{json::ToJson(booked), "booked #" + std::to_string(booked.id.value) + "  " +
                                                           std::string(clinical::AppointmentTypeName(booked.type)) +
                                                           "  " + json::FormatTime(booked.start) + " - " +
                                                           json::FormatTime(booked.end) + "\n"};
        });
}

}  // namespace

void RegisterScheduleCommands(CLI::App& schedule, std::vector<Command>& commands) {
    auto day = std::make_shared<DayOptions>();
    CLI::App* day_command = schedule.add_subcommand(
        "day", "The clinic's day plan by room: local times, patient, type, staff, status and session state");
    day_command->add_option("--date", day->date, "The clinic's local date, YYYY-MM-DD")->required();
    AddDatabaseOptions(*day_command, day->database);
    commands.push_back(Command{day_command, &day->database.json, [day] { return RunDay(*day); }});

    auto rooms = std::make_shared<DatabaseOptions>();
    CLI::App* rooms_command = schedule.add_subcommand("rooms", "List the treatment rooms and chairs");
    AddDatabaseOptions(*rooms_command, *rooms);
    commands.push_back(Command{rooms_command, &rooms->json, [rooms] { return RunRooms(*rooms); }});

    auto slots = std::make_shared<SlotsOptions>();
    CLI::App* slots_command =
        schedule.add_subcommand("slots", "The next free slots for an appointment type and patient");
    slots_command->add_option("--type", slots->type, clinical::kAppointmentTypeNames.List(" | "))->required();
    slots_command->add_option("--patient", slots->patient, "Patient id")->required();
    slots_command->add_option("--from", slots->from, "First local date, YYYY-MM-DD")->required();
    slots_command->add_option("--to", slots->to, "Last local date, YYYY-MM-DD (default: --from)");
    slots_command->add_option("--room", slots->room, "Only this room id");
    slots_command->add_option("--staff", slots->staff, "Only with this clinician (email)");
    slots_command->add_option("--count", slots->count, "How many slots, 1-50 (default 5)");
    AddDatabaseOptions(*slots_command, slots->database);
    commands.push_back(Command{slots_command, &slots->database.json, [slots] { return RunSlots(*slots); }});

    auto book = std::make_shared<BookOptions>();
    CLI::App* book_command = schedule.add_subcommand("book", "Book an appointment under every booking rule");
    book_command->add_option("--type", book->type, clinical::kAppointmentTypeNames.List(" | "))->required();
    book_command->add_option("--patient", book->patient, "Patient id")->required();
    book_command->add_option("--start", book->start, "RFC 3339 time, e.g. 2026-12-07T09:00:00-05:00")->required();
    book_command->add_option("--room", book->room, "Room id (required for a treatment)");
    book_command->add_option("--staff", book->staff, "The clinician's email (the nurse for a treatment)");
    book_command->add_option("--session", book->session, "The treatment session it is for");
    AddDatabaseOptions(*book_command, book->database);
    commands.push_back(Command{book_command, &book->database.json, [book] { return RunBook(*book); }});
}

}  // namespace kclinic::cli
