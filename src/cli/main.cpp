// kclinic: the one executable and the composition root (docs/architecture.md).

#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/clinical_commands.hpp"
#include "cli/command.hpp"
#include "cli/device_commands.hpp"
#include "cli/inventory_commands.hpp"
#include "cli/monitor_sim_command.hpp"
#include "cli/record_commands.hpp"
#include "cli/schedule_commands.hpp"
#include "cli/serve_command.hpp"
#include "cli/standing_order_commands.hpp"
#include "cli/user_commands.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

// "patient add" for a nested subcommand, "score" for a top-level one.
std::string CommandPath(const CLI::App& command) {
    const CLI::App* parent = command.get_parent();
    return parent != nullptr && parent->get_parent() != nullptr ? parent->get_name() + " " + command.get_name()
                                                                : command.get_name();
}

int RunCommand(const kclinic::cli::Command& command) {
    kclinic::Result<kclinic::cli::CommandOutput> output = command.run();
    if (!output.ok()) {
        std::cerr << "kclinic " << CommandPath(*command.app) << ": " << output.error().ToString() << "\n";
        return kExitBadInput;
    }
    if (*command.json_output) {
        std::cout << output->json.dump() << "\n";
    } else {
        std::cout << output->text;
    }
    return std::cout.flush() ? 0 : kExitInternal;
}

int Main(int argc, char** argv) {
    CLI::App app{
        "kclinic: clinical decision support for ketamine and esketamine treatment.\n"
        "Every result needs a clinician's judgement. Bad input exits with status 2 and one line on stderr.",
        "kclinic"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "kclinic " KCLINIC_VERSION);

    std::vector<kclinic::cli::Command> commands;
    kclinic::cli::RegisterClinicalCommands(app, commands);
    kclinic::cli::RegisterRecordCommands(app, commands);
    kclinic::cli::RegisterScheduleCommands(*app.get_subcommand("schedule"), commands);
    kclinic::cli::RegisterDeviceCommands(app, commands);
    kclinic::cli::RegisterInventoryCommands(app, commands);
    kclinic::cli::RegisterStandingOrderCommands(app, commands);
    kclinic::cli::RegisterServeCommand(app, commands);
    kclinic::cli::RegisterMonitorSimCommand(app, commands);
    kclinic::cli::RegisterUserCommands(app, commands);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0) {  // --help or --version
            return app.exit(error);
        }
        std::cerr << "kclinic: " << error.what() << "\n";
        return kExitBadInput;
    }

    try {
        for (const kclinic::cli::Command& command : commands) {
            // The command itself, not a parent of the one given (`schedule` when `schedule day` was given).
            if (command.app->parsed() && command.app->get_subcommands().empty()) {
                return RunCommand(command);
            }
        }
    } catch (const std::exception& error) {
        std::cerr << "kclinic: internal error: " << error.what() << "\n";
        return kExitInternal;
    }
    std::cerr << "kclinic: no command given (see kclinic --help)\n";
    return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return Main(argc, argv);
    } catch (...) {
        // Only an allocation failure while printing the error above can get here.
        return kExitInternal;
    }
}
