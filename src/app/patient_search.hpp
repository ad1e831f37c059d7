#pragma once

// How the text of a patient search by name is read (docs/api.md, "Finding a patient"): pure, so both backends are
// asked the same question and the rule has one place.
//
//   "lov"            a patient whose given name or family name starts with "lov";
//   "Lovelace, A"    a patient whose family name starts with "lovelace" and whose given name starts with "a";
//   "Lovelace,"      a patient whose family name starts with "lovelace".
//
// Case is ignored for the letters A-Z only: every other character (an accented letter, an apostrophe, a space)
// must be as stored, code point for code point. (SQLite and PostgreSQL fold other letters differently, and a search
// that answered differently on the two backends would be a guess.) Spaces around the text and around the comma are
// ignored; a space inside a name is part of it ("van der", "Mary Ann").

#include <cstddef>
#include <string>
#include <string_view>

#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// The longest name a patient record holds (RegisterPatient), so the longest prefix worth searching.
inline constexpr std::size_t kMaxPatientNameLength = 200;

// `text` with A-Z as a-z and every other byte as it was.
[[nodiscard]] std::string FoldAsciiCase(std::string_view text);

// The search `name` asks for. Errors, each kInvalidArgument on "name": blank, invalid UTF-8, a control character,
// over kMaxPatientNameLength characters (CheckText's words); "needs the family name before the comma" for
// ", Ada"; "has more than one comma" for "a, b, c".
[[nodiscard]] Result<PatientNameSearch> ParsePatientNameSearch(std::string_view name);

}  // namespace kclinic::app
