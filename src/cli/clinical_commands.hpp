#pragma once

// The clinical commands: score, screen, dose, schedule, settings (contract in docs/cli.md).

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

// Adds every clinical subcommand to `app` and its runner to `commands`. The options live as long as the process.
void RegisterClinicalCommands(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
