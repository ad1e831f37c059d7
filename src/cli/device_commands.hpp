#pragma once

// Bedside monitors from a terminal, as subcommands of `kclinic devices` (contract in docs/cli.md): `list` (the
// devices seen, their room, last message and error count), `bind`, `unbind`, `unassigned` (the readings no session
// took) and `assign`. Each takes --db URL like the record commands and calls the device-feed use cases
// (app/device_feed.hpp) as the operating-system user, so every rule applies and every read of patient data is
// audited.

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

void RegisterDeviceCommands(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
