#include "base/text.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

namespace kclinic {

std::string FormatNumber(double value) {
    std::ostringstream out;
    if (std::isfinite(value) && value == std::round(value) && std::fabs(value) < 1e15) {
        out << static_cast<long long>(value);
    } else {
        out << value;
    }
    return out.str();
}

std::string FormatDate(std::chrono::sys_days date) {
    const std::chrono::year_month_day ymd{date};
    std::ostringstream out;
    out << std::setfill('0') << std::setw(4) << static_cast<int>(ymd.year()) << '-' << std::setw(2)
        << static_cast<unsigned>(ymd.month()) << '-' << std::setw(2) << static_cast<unsigned>(ymd.day());
    return out.str();
}

std::optional<std::chrono::sys_days> ParseDate(std::string_view text) {
    const auto digits = [&](std::size_t from, std::size_t count, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return false;
            }
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int year = 0;
    int month = 0;
    int day = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, year) || !digits(5, 2, month) ||
        !digits(8, 2, day)) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return std::chrono::sys_days{date};
}

std::string FoldAsciiCase(std::string_view text) {
    std::string folded(text);
    for (char& c : folded) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return folded;
}

bool IsBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Status CheckText(std::string_view field, std::string_view text, TextRule rule) {
    if (IsBlank(text) && (rule.required || !text.empty())) {
        return InvalidArgument(std::string(field), rule.required ? "is required" : "must not be blank when given");
    }
    std::size_t characters = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        // The sequence length a lead byte announces, and the smallest code point that length may encode (shorter
        // encodings of the same code point are invalid UTF-8, RFC 3629 §3).
        std::size_t length = 1;
        char32_t code_point = lead;
        char32_t minimum = 0;
        if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            code_point = lead & 0x07U;
            minimum = 0x10000;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            code_point = lead & 0x0FU;
            minimum = 0x800;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            code_point = lead & 0x1FU;
            minimum = 0x80;
        } else if (lead >= 0x80) {
            return InvalidArgument(std::string(field), "must be valid UTF-8");
        }
        if (i + length > text.size()) {
            return InvalidArgument(std::string(field), "must be valid UTF-8");
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto continuation = static_cast<unsigned char>(text[i + k]);
            if ((continuation & 0xC0U) != 0x80U) {
                return InvalidArgument(std::string(field), "must be valid UTF-8");
            }
            code_point = (code_point << 6U) | (continuation & 0x3FU);
        }
        if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
            return InvalidArgument(std::string(field), "must be valid UTF-8");
        }
        if (rule.multiline && code_point == '\r') {
            // A CRLF line break is kept as sent and counts as the one character it stands for; a lone CR would
            // make a terminal overwrite the line it ends (text.hpp).
            if (i + 1 == text.size() || text[i + 1] != '\n') {
                return InvalidArgument(std::string(field),
                                       "must not contain a carriage return other than in a CRLF line break");
            }
            i += 1;
            continue;
        }
        const bool line_break = code_point == '\n' || code_point == '\t';
        if ((code_point < 0x20 || code_point == 0x7F) && !(rule.multiline && line_break)) {
            return InvalidArgument(std::string(field),
                                   rule.multiline ? "must not contain control characters other than newline and tab"
                                                  : "must not contain control characters");
        }
        ++characters;
        i += length;
    }
    if (characters > rule.max_characters) {
        return InvalidArgument(std::string(field), "must be at most " + std::to_string(rule.max_characters) +
                                                       " characters (got " + std::to_string(characters) + ")");
    }
    return Status::Ok();
}

}  // namespace kclinic
