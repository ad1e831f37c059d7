#pragma once

// Plain-text formatting shared by error messages and outputs, so a number or a date reads the same everywhere, and
// the one check of the free text a person types into a record.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kclinic {

// Whole numbers without a decimal point ("250", not "250.0"); others with up to six significant digits ("0.75").
[[nodiscard]] std::string FormatNumber(double value);

// ISO 8601 calendar date, YYYY-MM-DD.
[[nodiscard]] std::string FormatDate(std::chrono::sys_days date);

// The inverse of FormatDate: exactly YYYY-MM-DD naming a real calendar date, or nullopt.
[[nodiscard]] std::optional<std::chrono::sys_days> ParseDate(std::string_view text);

// `text` with A-Z as a-z and every other byte as it was: the case folding of names, codes and identifiers that
// are ASCII by definition (drug names, enum names, host names), and of patient names for search, where folding only
// A-Z keeps the comparison the same on SQLite and PostgreSQL.
[[nodiscard]] std::string FoldAsciiCase(std::string_view text);

// True when `text` holds only spaces, tabs and line breaks (LF, CR) (or nothing).
[[nodiscard]] bool IsBlank(std::string_view text);

// What a free-text field may hold. Every text must be valid UTF-8 (PostgreSQL refuses anything else, so both
// backends then store the same) with no control character (U+0000-U+001F, U+007F), so a stored text prints the
// same everywhere; multi-line text (note bodies, reasons, details) may also hold newlines and tabs, and CRLF line
// breaks, kept as sent and counted as one character each (a lone CR is refused: a terminal printing it overwrites
// the line it ends).
struct TextRule {
    std::size_t max_characters = 200;  // code points, not bytes
    bool multiline = false;
    bool required = true;  // false: may be empty, but not blank when given
};

// OK when `text` follows `rule`. Errors: kInvalidArgument on `field`: "is required" (blank), "must not be blank
// when given", "must be valid UTF-8", "must not contain control characters[ other than newline and tab]",
// "must not contain a carriage return other than in a CRLF line break" (multi-line text),
// "must be at most N characters (got M)".
[[nodiscard]] Status CheckText(std::string_view field, std::string_view text, TextRule rule);

}  // namespace kclinic
