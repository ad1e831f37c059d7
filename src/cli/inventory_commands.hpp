#pragma once

// The controlled-substance log from a terminal, as subcommands of `kclinic inventory` (contract in docs/cli.md):
// `receive`, `list`, `draw`, `waste`, `count` and `report dispensing|inventory|losses` (JSON or CSV). Each takes --db
// URL like the record commands and calls app::ControlledSubstanceLog as the operating-system user, so every balance
// rule applies and every step is audited. A waste's witness and a count's second counter confirm with their own
// password, read from standard input as `kclinic user add` reads one.

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

void RegisterInventoryCommands(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
