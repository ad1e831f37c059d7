#include "adapters/hl7/message/message.hpp"

#include <array>
#include <cstdio>

namespace kclinic::adapters::hl7 {
namespace {

constexpr bool IsSegmentEnd(char c) {
    return c == '\r' || c == '\n';
}

constexpr bool IsAlphanumeric(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Bytes below 0x20 other than tab and the segment ends have no place in HL7 text (v2.5.1 §2.7: the message is
// printable characters; binary data travels escaped or base64-encoded). Seeing one means binary garbage or a framing
// byte that slipped in.
constexpr bool IsForbiddenControl(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t' && c != '\r' && c != '\n') || byte == 0x7F;
}

Hl7Error Reject(ErrorCondition condition, ErrorLocation location, std::string message) {
    return Hl7Error{AckCode::kReject, condition, Severity::kError, std::move(location), std::move(message)};
}

std::string HexByte(char c) {
    std::array<char, 8> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
    return buffer.data();
}

// A delimiter must not be a letter, a digit, a segment end or a control byte, and all five must differ
// (v2.5.1 §2.5.4).
bool UsableDelimiter(char c) {
    return !IsAlphanumeric(c) && !IsSegmentEnd(c) && !IsForbiddenControl(c) && c != ' ';
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

// The n-th (1-based) piece of `text` cut at `separator`; empty when there are fewer.
std::string_view Piece(std::string_view text, std::size_t n, char separator) {
    if (n == 0) {
        return {};
    }
    std::size_t start = 0;
    for (std::size_t i = 1; i < n; ++i) {
        const std::size_t next = text.find(separator, start);
        if (next == std::string_view::npos) {
            return {};
        }
        start = next + 1;
    }
    const std::size_t end = text.find(separator, start);
    return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

}  // namespace

std::string Delimiters::EncodingCharacters() const {
    return {component, repetition, escape, subcomponent};
}

Hl7Result<Message> Message::Parse(std::string_view text, const ParseLimits& limits) {
    if (text.size() > limits.max_message_bytes) {
        return Reject(ErrorCondition::kApplicationInternalError, {},
                      "the message is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                          std::to_string(limits.max_message_bytes));
    }
    std::size_t start = 0;
    while (start < text.size() && IsSegmentEnd(text[start])) {
        ++start;
    }
    text.remove_prefix(start);
    if (text.substr(0, 3) != "MSH") {
        return Reject(ErrorCondition::kSegmentSequenceError, {"MSH", 1},
                      "the message does not start with an MSH segment");
    }
    Message message;
    Delimiters& delimiters = message.delimiters_;
    if (text.size() < 8 || !UsableDelimiter(text[3])) {
        return Reject(ErrorCondition::kDataTypeError, {"MSH", 1, 1},
                      "MSH-1 (the field separator) is missing or is a letter, digit or control character");
    }
    delimiters.field = text[3];
    const std::size_t msh2_end = text.find(delimiters.field, 4);
    const std::string_view msh2 = text.substr(4, msh2_end == std::string_view::npos ? text.size() - 4 : msh2_end - 4);
    // Four encoding characters; v2.7 adds a fifth, the truncation character, which nothing here needs.
    bool msh2_ok = msh2.size() == 4 || msh2.size() == 5;
    for (std::size_t i = 0; msh2_ok && i < msh2.size(); ++i) {
        msh2_ok = UsableDelimiter(msh2[i]) && msh2[i] != delimiters.field && msh2.find(msh2[i]) == i;
    }
    if (!msh2_ok) {
        return Reject(ErrorCondition::kDataTypeError, {"MSH", 1, 2},
                      "MSH-2 (the encoding characters) must be four distinct characters such as ^~\\&, none a "
                      "letter, digit or the field separator; got \"" +
                          std::string(msh2.substr(0, 16)) + "\"");
    }
    delimiters.component = msh2[0];
    delimiters.repetition = msh2[1];
    delimiters.escape = msh2[2];
    delimiters.subcomponent = msh2[3];

    // About one field per 8 bytes in monitor messages: one allocation for most.
    message.fields_.reserve(text.size() / 8 + 16);
    message.segments_.reserve(text.size() / 64 + 4);
    std::size_t position = 0;
    while (position < text.size()) {
        if (IsSegmentEnd(text[position])) {
            ++position;
            continue;
        }
        const std::size_t number = message.segments_.size() + 1;
        if (number > limits.max_segments) {
            return Reject(ErrorCondition::kApplicationInternalError, {},
                          "the message has more than " + std::to_string(limits.max_segments) + " segments");
        }
        std::size_t end = position;
        while (end < text.size() && !IsSegmentEnd(text[end])) {
            if (IsForbiddenControl(text[end])) {
                return Reject(ErrorCondition::kDataTypeError, {},
                              "segment " + std::to_string(number) + " contains the control byte " + HexByte(text[end]) +
                                  " at byte " + std::to_string(start + end) +
                                  " of the message (binary data is not HL7 text)");
            }
            ++end;
        }
        const std::string_view line = text.substr(position, end - position);
        const bool id_ok = line.size() >= 3 && (line.size() == 3 || line[3] == delimiters.field) && [&] {
            for (std::size_t i = 0; i < 3; ++i) {
                const char c = line[i];
                if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                    return false;
                }
            }
            return true;
        }();
        if (!id_ok) {
            return Reject(ErrorCondition::kSegmentSequenceError, {},
                          "segment " + std::to_string(number) + " (\"" + std::string(line.substr(0, 12)) +
                              "\") does not start with a three-character segment id and the field separator");
        }
        if (number > 1 && line.substr(0, 3) == "MSH") {
            return Reject(ErrorCondition::kSegmentSequenceError, {"MSH", 2},
                          "a second MSH segment starts at segment " + std::to_string(number) +
                              ": one message per frame, or a batch (FHS/BHS) around several");
        }
        SegmentRange range{message.fields_.size(), 0};
        message.fields_.push_back(line.substr(0, 3));
        std::size_t field_start = 4;
        if (number == 1) {
            // MSH-1 is the separator itself and MSH-2 the encoding characters, which may contain no separator.
            message.fields_.push_back(line.substr(3, 1));
            field_start = 4;
        }
        if (line.size() > 3) {
            while (true) {
                const std::size_t next = line.find(delimiters.field, field_start);
                message.fields_.push_back(line.substr(
                    field_start, next == std::string_view::npos ? line.size() - field_start : next - field_start));
                if (next == std::string_view::npos) {
                    break;
                }
                field_start = next + 1;
            }
        }
        range.count = message.fields_.size() - range.first;
        if (range.count - 1 > limits.max_fields_per_segment) {
            return Reject(ErrorCondition::kApplicationInternalError, {std::string(line.substr(0, 3))},
                          "segment " + std::to_string(number) + " (" + std::string(line.substr(0, 3)) + ") has " +
                              std::to_string(range.count - 1) + " fields, more than the limit of " +
                              std::to_string(limits.max_fields_per_segment));
        }
        message.segments_.push_back(range);
        position = end;
    }
    return message;
}

Segment Message::segment(std::size_t index) const {
    const SegmentRange& range = segments_[index];
    return Segment(std::span<const std::string_view>(fields_).subspan(range.first, range.count));
}

std::string_view Repetition(std::string_view field, std::size_t n, const Delimiters& delimiters) {
    return Piece(field, n, delimiters.repetition);
}

std::string_view Component(std::string_view field, std::size_t n, const Delimiters& delimiters) {
    return Piece(Piece(field, 1, delimiters.repetition), n, delimiters.component);
}

std::string_view Subcomponent(std::string_view component, std::size_t n, const Delimiters& delimiters) {
    return Piece(component, n, delimiters.subcomponent);
}

std::size_t RepetitionCount(std::string_view field, const Delimiters& delimiters) {
    if (field.empty()) {
        return 0;
    }
    std::size_t count = 1;
    for (const char c : field) {
        count += c == delimiters.repetition ? 1 : 0;
    }
    return count;
}

std::string Unescape(std::string_view raw, const Delimiters& delimiters) {
    if (raw.find(delimiters.escape) == std::string_view::npos) {
        return std::string(raw);
    }
    std::string text;
    text.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        const char c = raw[i];
        const std::size_t close = c == delimiters.escape ? raw.find(delimiters.escape, i + 1) : std::string_view::npos;
        if (close == std::string_view::npos) {
            text.push_back(c);
            ++i;
            continue;
        }
        const std::string_view body = raw.substr(i + 1, close - i - 1);
        bool understood = true;
        if (body == "F") {
            text.push_back(delimiters.field);
        } else if (body == "S") {
            text.push_back(delimiters.component);
        } else if (body == "T") {
            text.push_back(delimiters.subcomponent);
        } else if (body == "R") {
            text.push_back(delimiters.repetition);
        } else if (body == "E") {
            text.push_back(delimiters.escape);
        } else if (body == "H" || body == "N" || (!body.empty() && body[0] == '.')) {
            // Highlighting and formatting commands (v2.5.1 §2.7.6): presentation only.
        } else if (body.size() >= 3 && body.size() % 2 == 1 && body[0] == 'X') {
            std::string bytes;
            for (std::size_t k = 1; k < body.size() && understood; k += 2) {
                const int high = HexValue(body[k]);
                const int low = HexValue(body[k + 1]);
                understood = high >= 0 && low >= 0;
                bytes.push_back(static_cast<char>(high * 16 + low));
            }
            if (understood) {
                text += bytes;
            }
        } else {
            understood = false;
        }
        if (!understood) {
            text.append(raw.substr(i, close - i + 1));
        }
        i = close + 1;
    }
    return text;
}

std::string Escape(std::string_view text, const Delimiters& delimiters) {
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        const char* sequence = nullptr;
        if (c == delimiters.escape) {
            sequence = "E";
        } else if (c == delimiters.field) {
            sequence = "F";
        } else if (c == delimiters.component) {
            sequence = "S";
        } else if (c == delimiters.subcomponent) {
            sequence = "T";
        } else if (c == delimiters.repetition) {
            sequence = "R";
        } else if (c == '\r') {
            sequence = "X0D";
        } else if (c == '\n') {
            sequence = "X0A";
        }
        if (sequence == nullptr) {
            escaped.push_back(c);
        } else {
            escaped.push_back(delimiters.escape);
            escaped += sequence;
            escaped.push_back(delimiters.escape);
        }
    }
    return escaped;
}

MessageWriter& MessageWriter::Segment(std::string_view id) {
    EndSegment();
    segment_start_ = text_.size();
    text_ += id;
    open_ = true;
    next_field_ = 1;
    if (id == "MSH") {
        text_.push_back(delimiters_.field);
        text_ += delimiters_.EncodingCharacters();
        next_field_ = 3;
    }
    return *this;
}

MessageWriter& MessageWriter::At(std::size_t position) {
    while (next_field_ < position) {
        text_.push_back(delimiters_.field);
        ++next_field_;
    }
    return *this;
}

MessageWriter& MessageWriter::RawField(std::string_view raw) {
    text_.push_back(delimiters_.field);
    text_ += raw;
    ++next_field_;
    return *this;
}

MessageWriter& MessageWriter::Field(std::string_view text) {
    return RawField(Escape(text, delimiters_));
}

MessageWriter& MessageWriter::Components(std::initializer_list<std::string_view> components) {
    std::string raw;
    std::size_t kept = 0;  // raw's length up to the last non-empty component
    bool first = true;
    for (const std::string_view component : components) {
        if (!first) {
            raw.push_back(delimiters_.component);
        }
        first = false;
        raw += Escape(component, delimiters_);
        if (!component.empty()) {
            kept = raw.size();
        }
    }
    raw.resize(kept);
    return RawField(raw);
}

void MessageWriter::EndSegment() {
    if (!open_) {
        return;
    }
    // Trailing empty fields carry nothing (v2.5.1 §2.5.3: a receiver treats absent and empty alike).
    while (text_.size() > segment_start_ + 3 && text_.back() == delimiters_.field) {
        text_.pop_back();
    }
    text_.push_back('\r');
    open_ = false;
}

std::string MessageWriter::Text() && {
    EndSegment();
    return std::move(text_);
}

}  // namespace kclinic::adapters::hl7
