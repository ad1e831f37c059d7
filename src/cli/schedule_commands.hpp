#pragma once

// The clinic's schedule from a terminal, as subcommands of `kclinic schedule` (contract in docs/cli.md): `day` (the
// day plan by room), `rooms`, `slots` and `book`. Each takes --db URL like the record commands and calls the
// scheduling use cases (app/scheduling.hpp) as the operating-system user, so every booking rule applies and every
// read of patient data is audited.

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

// Adds the subcommands to `schedule`, the protocol planner's command (clinical_commands.cpp).
void RegisterScheduleCommands(CLI::App& schedule, std::vector<Command>& commands);

}  // namespace kclinic::cli
