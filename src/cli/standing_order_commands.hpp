#pragma once

// The clinic's standing orders from a terminal, as subcommands of `kclinic standing-orders` (contract in docs/cli.md):
// `list` (every version), `show` (the set in force now or at a time, or one version) and `sign` (a new version from
// a JSON file, as POST /api/v1/standing-orders takes it). Each takes --db URL like the record commands and calls
// app::StandingOrders. A new version is signed by the medical director, not by the operating-system user: `sign`
// names the signer, who confirms with their own password on standard input and must hold standing_order.sign.

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

void RegisterStandingOrderCommands(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
