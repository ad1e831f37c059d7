#include "app/patient_search.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include "base/text.hpp"

namespace kclinic::app {
namespace {

std::string_view TrimSpaces(std::string_view text) {
    const std::size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// The base letters of U+00C0-U+017F, in order; "" keeps the character as it is (the multiplication and division
// signs). Unicode's canonical decompositions, lower-cased, with the letters that have none written as the German,
// Nordic, Polish and Croatian alphabets spell them out (ß ss, Æ ae, Ø o, Þ th, Ð d, Đ d, Ł l, Œ oe, ĸ k, ŉ n, ſ s).
constexpr std::string_view kLatinBase[] = {
    // U+00C0-U+00FF
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  //
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",  //
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  //
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",   //
    // U+0100-U+017F
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",    //
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",    //
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",    //
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",  //
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",    //
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",  //
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",    //
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",    //
};
constexpr char32_t kLatinFirst = 0xC0;
static_assert(std::size(kLatinBase) == 0x180 - kLatinFirst);

// The UTF-8 sequence at the start of `text` as (code point, length); text is valid UTF-8 (CheckText, or a stored
// name that passed it).
std::pair<char32_t, std::size_t> DecodeOne(std::string_view text) {
    const auto byte = [&text](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(text[i])); };
    const char32_t lead = byte(0);
    if (lead < 0x80 || text.size() < 2) {
        return {lead, 1};
    }
    if (lead < 0xE0) {
        return {((lead & 0x1FU) << 6U) | (byte(1) & 0x3FU), 2};
    }
    if (lead < 0xF0 || text.size() < 4) {
        return {0, std::min<std::size_t>(3, text.size())};  // beyond U+017F: only its length matters
    }
    return {0, 4};
}

bool IsApostrophe(std::string_view character) {
    return character == "'" || character == "\u2019" || character == "\u02BC";
}

// `text` folded for the quick search (PatientSearchText), word separators left as they are.
std::string FoldForSearch(std::string_view text) {
    std::string folded;
    folded.reserve(text.size());
    while (!text.empty()) {
        const auto [code_point, length] = DecodeOne(text);
        const std::string_view character = text.substr(0, length);
        text.remove_prefix(length);
        if (code_point >= 'A' && code_point <= 'Z') {
            folded += static_cast<char>(code_point - 'A' + 'a');
        } else if (IsApostrophe(character)) {
            continue;
        } else if (code_point >= kLatinFirst && code_point < kLatinFirst + std::size(kLatinBase) &&
                   !kLatinBase[code_point - kLatinFirst].empty()) {
            folded += kLatinBase[code_point - kLatinFirst];
        } else {
            folded += character;
        }
    }
    return folded;
}

// The non-empty parts of `text` between any of `separators`.
std::vector<std::string> SplitWords(std::string_view text, std::string_view separators) {
    std::vector<std::string> words;
    while (!text.empty()) {
        const std::size_t end = text.find_first_of(separators);
        if (end != 0) {
            words.emplace_back(text.substr(0, end));
        }
        if (end == std::string_view::npos) {
            break;
        }
        text.remove_prefix(end + 1);
    }
    return words;
}

}  // namespace

std::string PatientSearchText(std::string_view mrn, std::string_view given_name, std::string_view family_name) {
    std::string text = " " + FoldForSearch(mrn) + " ";
    for (const std::string_view name : {given_name, family_name}) {
        for (const std::string& word : SplitWords(FoldForSearch(name), " ")) {
            text += word + " ";
            const std::vector<std::string> parts = SplitWords(word, "-");
            if (parts.size() > 1) {
                for (const std::string& part : parts) {
                    text += part + " ";
                }
            }
        }
    }
    return text;
}

Result<std::vector<std::string>> ParseQuickSearch(std::string_view q) {
    RETURN_IF_ERROR(CheckText("q", q, {.max_characters = kMaxPatientNameLength}));
    std::vector<std::string> words = SplitWords(FoldForSearch(q), " ,");
    if (words.empty()) {
        return InvalidArgument("q", "is required: a name or an MRN");
    }
    if (words.size() > kMaxSearchWords) {
        return InvalidArgument(
            "q", "has more than " + std::to_string(kMaxSearchWords) + " words; search by a name or an MRN");
    }
    return words;
}

Result<PatientNameSearch> ParsePatientNameSearch(std::string_view name) {
    RETURN_IF_ERROR(CheckText("name", name, {.max_characters = kMaxPatientNameLength}));
    const std::size_t comma = name.find(',');
    if (comma == std::string_view::npos) {
        return PatientNameSearch{FoldAsciiCase(TrimSpaces(name)), std::nullopt};
    }
    if (name.find(',', comma + 1) != std::string_view::npos) {
        return InvalidArgument("name", "has more than one comma; search \"family, given\" or one name");
    }
    const std::string_view family = TrimSpaces(name.substr(0, comma));
    if (family.empty()) {
        return InvalidArgument("name", "needs the family name before the comma: \"family, given\"");
    }
    return PatientNameSearch{FoldAsciiCase(family), FoldAsciiCase(TrimSpaces(name.substr(comma + 1)))};
}

}  // namespace kclinic::app
