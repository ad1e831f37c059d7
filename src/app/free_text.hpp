#pragma once

// Checks for the multi-line free text of clinical records (note bodies, addenda, adverse-event details): valid
// UTF-8, a bounded number of characters, and no control characters but newline and tab, so a stored text prints
// the same everywhere and PostgreSQL (which refuses invalid UTF-8 and NUL) stores what SQLite stores.

#include <cstddef>
#include <string_view>

#include "base/result.hpp"

namespace kclinic::app {

// True when `text` holds only spaces, tabs and newlines (or nothing).
[[nodiscard]] inline bool IsBlank(std::string_view text) {
    return text.find_first_not_of(" \t\n") == std::string_view::npos;
}

// OK when `text` is valid UTF-8 of at most `max_characters` code points with no control character (U+0000-U+001F,
// U+007F) other than newline and tab. Errors: kInvalidArgument on `field`.
[[nodiscard]] Status CheckFreeText(std::string_view field, std::string_view text, std::size_t max_characters);

}  // namespace kclinic::app
