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
#include <vector>

#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// The longest name a patient record holds (RegisterPatient), so the longest prefix worth searching.
inline constexpr std::size_t kMaxPatientNameLength = 200;
// The most characters of a patient's postal address (a few lines).
inline constexpr std::size_t kMaxPatientAddressLength = 500;

// The search `name` asks for. Errors, each kInvalidArgument on "name": blank, invalid UTF-8, a control character,
// over kMaxPatientNameLength characters (CheckText's words); "needs the family name before the comma" for
// ", Ada"; "has more than one comma" for "a, b, c".
[[nodiscard]] Result<PatientNameSearch> ParsePatientNameSearch(std::string_view name);

// The quick search (GET /api/v1/patients?q=, docs/api.md "Finding a patient"): one box for a name in any order or an
// MRN, as a front desk types it. Both the stored patient and the typed text are folded the same way, here, in C++:
// A-Z to a-z, the accented Latin letters of Latin-1 and Latin Extended-A (U+00C0-U+017F) to their base letters
// ("É" and "é" to "e", "ß" to "ss", "Æ" to "ae", "Ł" to "l"), apostrophes dropped ("O'Brien" to "obrien"); every
// other character is kept as it is. PostgreSQL has no unaccent without an extension and SQLite folds only A-Z, so the
// store compares the folded words byte for byte and both backends answer alike.
//
// The patient's search text: the folded MRN, given and family names as words (a name split at spaces; a hyphenated
// name is a word whole and each part again, so "Smith-Jones" is found by "smith-j", "smith" and "jones"), each
// followed by a space and the whole preceded by one: " mrn-0007 ada smith-jones smith jones ".
[[nodiscard]] std::string PatientSearchText(std::string_view mrn, std::string_view given_name,
                                            std::string_view family_name);

// The most words a quick search may hold (a full name with a middle name or two, and an MRN).
inline constexpr std::size_t kMaxSearchWords = 6;

// The folded words of the quick search `q`, split at spaces and commas ("Lovelace, Ada" is "lovelace", "ada"): a
// patient matches when each word starts one word of their search text, in any order. Errors, each kInvalidArgument
// on "q": CheckText's (blank, invalid UTF-8, a control character, over kMaxPatientNameLength characters); "has more
// than 6 words".
[[nodiscard]] Result<std::vector<std::string>> ParseQuickSearch(std::string_view q);

}  // namespace kclinic::app
