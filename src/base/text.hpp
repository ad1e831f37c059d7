#pragma once

// Plain-text formatting shared by error messages and outputs, so a number or a date reads the same everywhere.

#include <chrono>
#include <string>

namespace kclinic {

// Whole numbers without a decimal point ("250", not "250.0"); others with up to six significant digits ("0.75").
[[nodiscard]] std::string FormatNumber(double value);

// ISO 8601 calendar date, YYYY-MM-DD.
[[nodiscard]] std::string FormatDate(std::chrono::sys_days date);

}  // namespace kclinic
