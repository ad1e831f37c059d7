#include "cli/inventory_commands.hpp"

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/json/inventory_json.hpp"
#include "adapters/json/object_reader.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/authentication.hpp"
#include "app/controlled_substances.hpp"
#include "base/text.hpp"

namespace kclinic::cli {
namespace {

namespace json = adapters::json;

app::Actor CliActor() {
    return app::Actor{"cli:" + OperatingSystemUser(), "cli"};
}

// The log and the authentication a witness confirms through, over the store at `options.url`.
struct InventoryServices {
    std::unique_ptr<app::Store> store;
    adapters::SystemClock clock;
    adapters::OsTimeZones zones;
    adapters::crypto::SodiumCredentials credentials;
};

template <typename Use>
Result<CommandOutput> WithInventory(const DatabaseOptions& options, Use use) {
    InventoryServices services;
    ASSIGN_OR_RETURN(services.store, adapters::storage::OpenStore(options.url));
    app::ControlledSubstanceLog log(*services.store, services.clock, services.zones);
    app::Authentication authentication(*services.store, services.clock, services.credentials);
    return use(log, authentication);
}

// An amount as typed: "6.5ml", "35mg" or "2devices" (also "2device").
Result<app::CsAmount> ParseAmount(const std::string& option, const std::string& text) {
    const std::size_t unit = text.find_first_not_of("0123456789.");
    const std::string number = text.substr(0, unit);
    const std::string suffix = unit == std::string::npos ? "" : text.substr(unit);
    const Error bad = InvalidArgument(option, "expected an amount such as 6.5ml, 35mg or 2devices (got \"" + text +
                                                  "\")");
    if (number.empty()) {
        return bad;
    }
    try {
        if (suffix == "ml") {
            return app::CsAmount{std::nullopt, std::stod(number), std::nullopt};
        }
        if (suffix == "mg") {
            return app::CsAmount{std::stod(number), std::nullopt, std::nullopt};
        }
        if ((suffix == "devices" || suffix == "device") && number.find('.') == std::string::npos) {
            return app::CsAmount{std::nullopt, std::nullopt, std::stoll(number)};
        }
    } catch (const std::exception&) {
        return bad;
    }
    return bad;
}

// The witness: their own password, one line of standard input.
Result<app::Witness> Witness(app::Authentication& authentication, const std::string& email) {
    ASSIGN_OR_RETURN(const std::string password, ReadPassword(email));
    ASSIGN_OR_RETURN(const app::Principal principal, authentication.ConfirmWitness(email, password, "cli"));
    return app::Witness{principal.email, principal.role};
}

std::string StatusLine(const app::CsContainerStatus& status) {
    const clinical::CsProduct& product = status.product;
    const std::optional<double> ml = clinical::UnitsToMillilitres(product, status.balance.on_hand);
    return "#" + std::to_string(status.container.id.value) + "  " + status.container.product + "  lot " +
           status.container.lot_number + " (expires " + FormatDate(status.container.expires_on) +
           (status.expired ? ", EXPIRED" : "") + ")  " + status.location + "  on hand " +
           FormatNumber(static_cast<double>(clinical::UnitsToMicrograms(product, status.balance.on_hand)) / 1000.0) +
           " mg" + (ml ? " / " + FormatNumber(*ml) + " mL" : " / " + std::to_string(status.balance.on_hand) + " devices") +
           (status.balance.in_hand > 0 ? "  (remainder in hand)" : "") +
           (status.balance.open_discrepancies.empty() ? "" : "  OPEN DISCREPANCY") + "\n";
}

CommandOutput StatusesOutput(const std::vector<app::CsContainerStatus>& statuses) {
    std::string text;
    for (const app::CsContainerStatus& status : statuses) {
        text += StatusLine(status);
    }
    return CommandOutput{json::Json{{"containers", json::ToJson(statuses)}}, text.empty() ? "no containers\n" : text};
}

struct ReceiveOptions {
    DatabaseOptions database;
    app::CsReceipt receipt;
    std::string expires_on;
};

Result<CommandOutput> RunReceive(const ReceiveOptions& options) {
    app::CsReceipt receipt = options.receipt;
    const std::optional<std::chrono::sys_days> expires_on = ParseDate(options.expires_on);
    if (!expires_on) {
        return InvalidArgument("--expires-on", "expected a calendar date YYYY-MM-DD");
    }
    receipt.expires_on = *expires_on;
    return WithInventory(options.database,
                         [&](app::ControlledSubstanceLog& log, app::Authentication&) -> Result<CommandOutput> {
                             ASSIGN_OR_RETURN(const std::vector<app::CsContainerStatus> received,
                                              log.Receive(CliActor(), receipt));
                             return StatusesOutput(received);
                         });
}

struct ListOptions {
    DatabaseOptions database;
    std::optional<std::string> location;
    bool include_closed = false;
};

Result<CommandOutput> RunList(const ListOptions& options) {
    return WithInventory(options.database,
                         [&](app::ControlledSubstanceLog& log, app::Authentication&) -> Result<CommandOutput> {
                             ASSIGN_OR_RETURN(const std::vector<app::CsContainerStatus> containers,
                                              log.ListContainers(CliActor(), options.location, options.include_closed));
                             return StatusesOutput(containers);
                         });
}

struct DrawOptions {
    DatabaseOptions database;
    std::int64_t container = 0;
    std::int64_t administration = 0;
    std::string drawn;
    std::string given;
};

Result<CommandOutput> RunDraw(const DrawOptions& options) {
    ASSIGN_OR_RETURN(const app::CsAmount drawn, ParseAmount("--drawn", options.drawn));
    ASSIGN_OR_RETURN(const app::CsAmount given, ParseAmount("--given", options.given));
    return WithInventory(options.database,
                         [&](app::ControlledSubstanceLog& log, app::Authentication&) -> Result<CommandOutput> {
                             ASSIGN_OR_RETURN(const app::CsContainerStatus status,
                                              log.Draw(CliActor(), app::CsContainerId{options.container},
                                                       {app::AdministrationId{options.administration}, drawn, given}));
                             return CommandOutput{json::ToJson(status, true), StatusLine(status)};
                         });
}

struct WasteOptions {
    DatabaseOptions database;
    std::int64_t container = 0;
    std::optional<std::int64_t> draw;
    std::string amount;
    std::string reason;
    std::string witness;
};

Result<CommandOutput> RunWaste(const WasteOptions& options) {
    ASSIGN_OR_RETURN(const app::CsAmount amount, ParseAmount("--amount", options.amount));
    return WithInventory(
        options.database,
        [&](app::ControlledSubstanceLog& log, app::Authentication& authentication) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(const app::Witness witness, Witness(authentication, options.witness));
            ASSIGN_OR_RETURN(
                const app::CsContainerStatus status,
                log.Waste(CliActor(), app::CsContainerId{options.container},
                          options.draw ? std::optional(app::CsEntryId{*options.draw}) : std::nullopt, amount,
                          options.reason, witness));
            return CommandOutput{json::ToJson(status, true), StatusLine(status)};
        });
}

struct CountOptions {
    DatabaseOptions database;
    std::string location;
    std::vector<std::string> found;  // ID:AMOUNT
    std::string note;
    std::string witness;
};

Result<CommandOutput> RunCount(const CountOptions& options) {
    std::vector<app::CsFound> found;
    for (const std::string& text : options.found) {
        const std::size_t colon = text.find(':');
        std::int64_t id = 0;
        const char* first = text.data();
        const char* last = text.data() + (colon == std::string::npos ? 0 : colon);
        const auto [end, parsed] = std::from_chars(first, last, id);
        if (colon == std::string::npos || colon == 0 || parsed != std::errc() || end != last || id <= 0) {
            return InvalidArgument("--found", "expected CONTAINER:AMOUNT such as 7:6.5ml (got \"" + text + "\")");
        }
        ASSIGN_OR_RETURN(const app::CsAmount amount, ParseAmount("--found", text.substr(colon + 1)));
        found.push_back(app::CsFound{app::CsContainerId{id}, amount});
    }
    return WithInventory(
        options.database,
        [&](app::ControlledSubstanceLog& log, app::Authentication& authentication) -> Result<CommandOutput> {
            ASSIGN_OR_RETURN(const app::Witness witness, Witness(authentication, options.witness));
            ASSIGN_OR_RETURN(const std::vector<app::CsContainerStatus> counted,
                             log.Count(CliActor(), options.location, found, options.note, witness));
            return StatusesOutput(counted);
        });
}

struct ReportOptions {
    DatabaseOptions database;
    std::string drug;
    std::string from;
    std::string to;
    std::string at;
    bool csv = false;
};

Result<app::TimePoint> TimeOption(const std::string& option, const std::string& text) {
    const std::optional<app::TimePoint> time = adapters::json::ParseRfc3339(text);
    if (!time) {
        return InvalidArgument(option, "expected an RFC 3339 time such as 2026-12-01T00:00:00Z (got \"" + text + "\")");
    }
    return *time;
}

// A report: its JSON under --json, its CSV with --csv, else the CSV too (an inspector's table reads as text).
Result<CommandOutput> RunReport(const ReportOptions& options, const std::string& report) {
    return WithInventory(
        options.database, [&](app::ControlledSubstanceLog& log, app::Authentication&) -> Result<CommandOutput> {
            if (report == "inventory") {
                app::TimePoint at = adapters::SystemClock().Now();
                if (!options.at.empty()) {
                    ASSIGN_OR_RETURN(at, TimeOption("--at", options.at));
                }
                ASSIGN_OR_RETURN(const std::vector<app::CsInventoryLine> lines, log.Inventory(CliActor(), at));
                return CommandOutput{json::InventoryJson(at, lines), json::InventoryCsv(lines)};
            }
            ASSIGN_OR_RETURN(const app::TimePoint from, TimeOption("--from", options.from));
            ASSIGN_OR_RETURN(const app::TimePoint to, TimeOption("--to", options.to));
            if (report == "dispensing") {
                ASSIGN_OR_RETURN(const std::vector<app::CsDispensingLine> lines,
                                 log.DispensingLog(CliActor(), options.drug, from, to));
                return CommandOutput{json::Json{{"lines", json::DispensingJson(lines)}}, json::DispensingCsv(lines)};
            }
            ASSIGN_OR_RETURN(const std::vector<app::CsLoss> losses, log.Losses(CliActor(), from, to));
            return CommandOutput{json::Json{{"losses", json::LossesJson(losses)}}, json::LossesCsv(losses)};
        });
}

}  // namespace

void RegisterInventoryCommands(CLI::App& app, std::vector<Command>& commands) {
    CLI::App* inventory = app.add_subcommand(
        "inventory", "The controlled-substance log: receive, list, draw, waste, count, and the inspector's reports");
    inventory->require_subcommand(1);

    auto receive = std::make_shared<ReceiveOptions>();
    CLI::App* receive_command = inventory->add_subcommand("receive", "Receive full containers of one lot");
    receive_command->add_option("--product", receive->receipt.product, "Product code (e.g. ketamine_50mg_ml_10ml)")
        ->required();
    receive_command->add_option("--lot", receive->receipt.lot_number, "Lot number")->required();
    receive_command->add_option("--expires-on", receive->expires_on, "Last day of use, YYYY-MM-DD")->required();
    receive_command->add_option("--supplier", receive->receipt.supplier, "Supplier")->required();
    receive_command->add_option("--invoice", receive->receipt.invoice, "Invoice number")->required();
    receive_command->add_option("--location", receive->receipt.location, "Storage location (e.g. safe)")->required();
    receive_command->add_option("--containers", receive->receipt.containers, "How many containers (1-100)");
    AddDatabaseOptions(*receive_command, receive->database);
    commands.push_back(Command{receive_command, &receive->database.json, [receive] { return RunReceive(*receive); }});

    auto list = std::make_shared<ListOptions>();
    CLI::App* list_command = inventory->add_subcommand("list", "Containers holding stock, with their balance");
    list_command->add_option("--location", list->location, "Only this location's");
    list_command->add_flag("--include-closed", list->include_closed, "Also empty and returned containers");
    AddDatabaseOptions(*list_command, list->database);
    commands.push_back(Command{list_command, &list->database.json, [list] { return RunList(*list); }});

    auto draw = std::make_shared<DrawOptions>();
    CLI::App* draw_command = inventory->add_subcommand("draw", "Draw from a container for an administration");
    draw_command->add_option("--container", draw->container, "Container id")->required();
    draw_command->add_option("--administration", draw->administration, "Administration id")->required();
    draw_command->add_option("--drawn", draw->drawn, "Amount drawn: 1ml, 50mg or 1devices")->required();
    draw_command->add_option("--given", draw->given, "Of it, amount given")->required();
    AddDatabaseOptions(*draw_command, draw->database);
    commands.push_back(Command{draw_command, &draw->database.json, [draw] { return RunDraw(*draw); }});

    auto waste = std::make_shared<WasteOptions>();
    CLI::App* waste_command = inventory->add_subcommand(
        "waste", "Waste a draw's remainder or stock before a witness (their password on stdin)");
    waste_command->add_option("--container", waste->container, "Container id")->required();
    waste_command->add_option("--draw", waste->draw, "The draw whose remainder is wasted (default: stock)");
    waste_command->add_option("--amount", waste->amount, "Amount: 0.3ml, 15mg or 1devices")->required();
    waste_command->add_option("--reason", waste->reason, "Why")->required();
    waste_command->add_option("--witness", waste->witness, "The witness's email")->required();
    AddDatabaseOptions(*waste_command, waste->database);
    commands.push_back(Command{waste_command, &waste->database.json, [waste] { return RunWaste(*waste); }});

    auto count = std::make_shared<CountOptions>();
    CLI::App* count_command = inventory->add_subcommand(
        "count", "Count a location with a second counter (their password on stdin)");
    count_command->add_option("--location", count->location, "Storage location")->required();
    count_command->add_option("--found", count->found, "CONTAINER:AMOUNT found, e.g. 7:6.5ml (repeatable)")
        ->required();
    count_command->add_option("--note", count->note, "A note");
    count_command->add_option("--witness", count->witness, "The second counter's email")->required();
    AddDatabaseOptions(*count_command, count->database);
    commands.push_back(Command{count_command, &count->database.json, [count] { return RunCount(*count); }});

    CLI::App* report = inventory->add_subcommand("report", "The inspector's reports, as CSV (or JSON with --json)");
    report->require_subcommand(1);
    for (const char* name : {"dispensing", "inventory", "losses"}) {
        auto options = std::make_shared<ReportOptions>();
        const std::string kind = name;
        CLI::App* command = report->add_subcommand(
            kind, kind == "dispensing"   ? "Every draw of one drug in a period (21 CFR 1304.22(c))"
                  : kind == "inventory" ? "Stock on hand at a moment (21 CFR 1304.11)"
                                        : "Discrepancies, wasted stock and destructions in a period");
        if (kind == "dispensing") {
            command->add_option("--drug", options->drug, "ketamine or esketamine")->required();
        }
        if (kind == "inventory") {
            command->add_option("--at", options->at, "RFC 3339 time (default now)");
        } else {
            command->add_option("--from", options->from, "RFC 3339 time, inclusive")->required();
            command->add_option("--to", options->to, "RFC 3339 time, exclusive")->required();
        }
        AddDatabaseOptions(*command, options->database);
        commands.push_back(
            Command{command, &options->database.json, [options, kind] { return RunReport(*options, kind); }});
    }
}

}  // namespace kclinic::cli
