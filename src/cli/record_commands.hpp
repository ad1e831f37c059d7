#pragma once

// Commands over the clinic record: migrate and patient add|list|show (contract in docs/cli.md). Each takes
// --db URL (default KCLINIC_DB, else sqlite:kclinic.db).

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

void RegisterRecordCommands(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
