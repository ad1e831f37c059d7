#pragma once

// Commands over users and API tokens: user add|list|disable|unlock|set-password and token create|list|revoke
// (contract in docs/cli.md, rules in docs/security.md). Each takes --db URL and --json like the record commands;
// passwords are read from standard input, one line, never from the command line.

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

void RegisterUserCommands(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
