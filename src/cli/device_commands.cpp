#include "cli/device_commands.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/clock/system_clock.hpp"
#include "adapters/json/device_json.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/device_feed.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"

namespace kclinic::cli {
namespace {

namespace json = adapters::json;

app::Actor CliActor() {
    return app::Actor{"cli:" + OperatingSystemUser(), "cli"};
}

// Opens the store and runs `use` with the device-feed use cases over it.
template <typename Use>
Result<CommandOutput> WithDevices(const DatabaseOptions& options, Use use) {
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, adapters::storage::OpenStore(options.url));
    adapters::SystemClock clock;
    app::DeviceFeed devices(*store, clock);
    return use(devices);
}

std::string DeviceLine(const app::DeviceView& view) {
    const app::Device& device = view.device;
    std::string line = "#" + std::to_string(device.id.value) + "  " + device.key + "  " +
                       (view.room ? "room " + view.room->name : std::string("unbound")) + "  " +
                       std::to_string(device.message_count) + " messages";
    if (device.last_message_at) {
        line += ", last " + device.last_message_control_id + " at " + json::FormatTime(*device.last_message_at);
    }
    line += ", " + std::to_string(device.error_count) + " errors";
    if (!device.last_error.empty()) {
        line += " (last: " + device.last_error + ")";
    }
    return line + "\n";
}

std::string ReadingLine(const app::DeviceReading& reading) {
    std::string line = "#" + std::to_string(reading.id.value) + "  device " + std::to_string(reading.device.value) +
                       "  " + json::FormatTime(reading.observed_at) + "  " +
                       std::string(app::DeviceReadingStatusName(reading.status)) + "  ";
    if (reading.status == app::DeviceReadingStatus::kUnmapped) {
        line += reading.raw_code + " (" + reading.raw_system + ") " + reading.raw_value + " " + reading.raw_unit;
    } else {
        line += reading.loinc + " " + FormatNumber(reading.value) +
                (reading.diastolic ? "/" + FormatNumber(*reading.diastolic) : std::string()) + " " + reading.unit;
    }
    if (!reading.status_reason.empty()) {
        line += " [" + reading.status_reason + "]";
    }
    return line + "\n";
}

Result<CommandOutput> RunList(const DatabaseOptions& options) {
    return WithDevices(options, [](app::DeviceFeed& devices) -> Result<CommandOutput> {
        ASSIGN_OR_RETURN(const std::vector<app::DeviceView> seen, devices.ListDevices(CliActor()));
        json::Json list = json::Json::array();
        std::string text;
        for (const app::DeviceView& view : seen) {
            list.push_back(json::ToJson(view));
            text += DeviceLine(view);
        }
        return CommandOutput{json::Json{{"devices", std::move(list)}}, text.empty() ? "no devices seen\n" : text};
    });
}

struct BindOptions {
    DatabaseOptions database;
    std::int64_t device = 0;
    std::int64_t room = 0;
};

Result<CommandOutput> RunBind(const BindOptions& options, bool bind) {
    return WithDevices(options.database, [&](app::DeviceFeed& devices) -> Result<CommandOutput> {
        ASSIGN_OR_RETURN(const app::DeviceView view,
                         bind ? devices.BindDevice(CliActor(), app::DeviceId{options.device}, app::RoomId{options.room})
                              : devices.UnbindDevice(CliActor(), app::DeviceId{options.device}));
        return CommandOutput{json::ToJson(view), DeviceLine(view)};
    });
}

struct UnassignedOptions {
    DatabaseOptions database;
    std::optional<std::int64_t> device;
    std::int64_t after = 0;
    int limit = 100;
};

Result<CommandOutput> RunUnassigned(const UnassignedOptions& options) {
    return WithDevices(options.database, [&](app::DeviceFeed& devices) -> Result<CommandOutput> {
        app::DeviceReadingFilter filter;
        if (options.device) {
            filter.device = app::DeviceId{*options.device};
        }
        filter.after_id = options.after;
        filter.limit = options.limit;
        ASSIGN_OR_RETURN(const std::vector<app::DeviceReading> readings,
                         devices.ListDeviceReadings(CliActor(), filter));
        json::Json list = json::Json::array();
        std::string text;
        for (const app::DeviceReading& reading : readings) {
            list.push_back(json::ToJson(reading));
            text += ReadingLine(reading);
        }
        return CommandOutput{json::Json{{"readings", std::move(list)}},
                             text.empty() ? "no unassigned device readings\n" : text};
    });
}

struct AssignOptions {
    DatabaseOptions database;
    std::vector<std::int64_t> readings;
    std::int64_t patient = 0;
    std::optional<std::int64_t> session;
};

Result<CommandOutput> RunAssign(const AssignOptions& options) {
    return WithDevices(options.database, [&](app::DeviceFeed& devices) -> Result<CommandOutput> {
        std::vector<app::DeviceReadingId> ids;
        ids.reserve(options.readings.size());
        for (const std::int64_t id : options.readings) {
            ids.push_back(app::DeviceReadingId{id});
        }
        ASSIGN_OR_RETURN(
            const app::AssignedReadings assigned,
            devices.AssignDeviceReadings(
                CliActor(), ids, app::PatientId{options.patient},
                options.session ? std::optional<app::SessionId>(app::SessionId{*options.session}) : std::nullopt));
        json::Json readings = json::Json::array();
        for (const app::DeviceReading& reading : assigned.readings) {
            readings.push_back(json::ToJson(reading));
        }
        json::Json charted = json::Json::array();
        for (const app::VitalSign& vital : assigned.charted) {
            charted.push_back(json::ToJson(vital));
        }
        return CommandOutput{json::Json{{"readings", std::move(readings)}, {"charted", std::move(charted)}},
                             "assigned " + std::to_string(assigned.readings.size()) + " readings to patient #" +
                                 std::to_string(options.patient) + "; " + std::to_string(assigned.charted.size()) +
                                 " charted\n"};
    });
}

}  // namespace

void RegisterDeviceCommands(CLI::App& app, std::vector<Command>& commands) {
    CLI::App* devices = app.add_subcommand("devices", "Bedside monitors: devices seen, binding, unassigned readings");
    devices->require_subcommand(1);

    auto list = std::make_shared<DatabaseOptions>();
    CLI::App* list_command =
        devices->add_subcommand("list", "The devices seen: identity, room, last message, message and error counts");
    AddDatabaseOptions(*list_command, *list);
    commands.push_back(Command{list_command, &list->json, [list] { return RunList(*list); }});

    auto bind = std::make_shared<BindOptions>();
    CLI::App* bind_command = devices->add_subcommand("bind", "Bind a device to a room or chair");
    bind_command->add_option("--device", bind->device, "Device id (devices list)")->required();
    bind_command->add_option("--room", bind->room, "Room id (schedule rooms)")->required();
    AddDatabaseOptions(*bind_command, bind->database);
    commands.push_back(Command{bind_command, &bind->database.json, [bind] { return RunBind(*bind, true); }});

    auto unbind = std::make_shared<BindOptions>();
    CLI::App* unbind_command = devices->add_subcommand("unbind", "Unbind a device from its room");
    unbind_command->add_option("--device", unbind->device, "Device id (devices list)")->required();
    AddDatabaseOptions(*unbind_command, unbind->database);
    commands.push_back(Command{unbind_command, &unbind->database.json, [unbind] { return RunBind(*unbind, false); }});

    auto unassigned = std::make_shared<UnassignedOptions>();
    CLI::App* unassigned_command =
        devices->add_subcommand("unassigned", "The device readings no session took, in id order");
    unassigned_command->add_option("--device", unassigned->device, "Only this device's");
    unassigned_command->add_option("--after", unassigned->after, "Readings with id above this");
    unassigned_command->add_option("--limit", unassigned->limit, "At most this many (1-500)");
    AddDatabaseOptions(*unassigned_command, unassigned->database);
    commands.push_back(
        Command{unassigned_command, &unassigned->database.json, [unassigned] { return RunUnassigned(*unassigned); }});

    auto assign = std::make_shared<AssignOptions>();
    CLI::App* assign_command =
        devices->add_subcommand("assign", "Assign unassigned device readings to a patient (and session)");
    assign_command->add_option("--reading", assign->readings, "Reading id (repeatable)")->required();
    assign_command->add_option("--patient", assign->patient, "Patient id")->required();
    assign_command->add_option("--session", assign->session, "Session id (default: the one in progress at each)");
    AddDatabaseOptions(*assign_command, assign->database);
    commands.push_back(Command{assign_command, &assign->database.json, [assign] { return RunAssign(*assign); }});
}

}  // namespace kclinic::cli
