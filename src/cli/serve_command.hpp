#pragma once

// `kclinic serve`: opens the clinic's database and serves HTTP on it until SIGTERM or SIGINT (docs/cli.md). Beast
// stays out of cli/: only the http adapter's pimpl header is included.

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

void RegisterServeCommand(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
