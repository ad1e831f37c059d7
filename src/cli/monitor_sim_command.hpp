#pragma once

// `kclinic monitor-sim`: simulated bedside monitors sending HL7 v2 ORU^R01 over MLLP to a listener (`kclinic serve
// --mllp`), one connection per bed, checking every ACK (docs/hl7.md "The simulator").

#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace kclinic::cli {

void RegisterMonitorSimCommand(CLI::App& app, std::vector<Command>& commands);

}  // namespace kclinic::cli
