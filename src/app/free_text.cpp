#include "app/free_text.hpp"

#include <string>

namespace kclinic::app {

Status CheckFreeText(std::string_view field, std::string_view text, std::size_t max_characters) {
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
        if ((code_point < 0x20 && code_point != '\n' && code_point != '\t') || code_point == 0x7F) {
            return InvalidArgument(std::string(field),
                                   "must not contain control characters other than newline and tab");
        }
        ++characters;
        i += length;
    }
    if (characters > max_characters) {
        return InvalidArgument(std::string(field), "must be at most " + std::to_string(max_characters) +
                                                       " characters (got " + std::to_string(characters) + ")");
    }
    return Status::Ok();
}

}  // namespace kclinic::app
