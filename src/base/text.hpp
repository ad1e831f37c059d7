#pragma once

// Plain-text formatting shared by error messages and outputs, so a number or a date reads the same everywhere.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kclinic {

// Whole numbers without a decimal point ("250", not "250.0"); others with up to six significant digits ("0.75").
[[nodiscard]] std::string FormatNumber(double value);

// ISO 8601 calendar date, YYYY-MM-DD.
[[nodiscard]] std::string FormatDate(std::chrono::sys_days date);

// The inverse of FormatDate: exactly YYYY-MM-DD naming a real calendar date, or nullopt.
[[nodiscard]] std::optional<std::chrono::sys_days> ParseDate(std::string_view text);

}  // namespace kclinic
