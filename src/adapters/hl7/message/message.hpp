#pragma once

// HL7 v2 messages in their pipe-and-hat text form (HL7 v2.5.1 chapter 2, "message construction rules"): segments,
// fields, repetitions, components, subcomponents and escape sequences, with the delimiters the message declares in
// MSH-1 and MSH-2 rather than assumed ones.
//
// Parsing copies nothing: a Message is an index of string_views into the caller's text, built in one pass, and a
// value is unescaped (the only allocation) when it is read. Pure: no I/O, no clock; every function here may be
// called from any thread, and a Message is immutable once parsed.

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hl7/message/hl7_error.hpp"

namespace kclinic::adapters::hl7 {

// The five delimiters of a message (MSH-1 and MSH-2). The defaults are the ones HL7 recommends and every monitor
// we know sends ("|^~\&").
struct Delimiters {
    char field = '|';
    char component = '^';
    char repetition = '~';
    char escape = '\\';
    char subcomponent = '&';

    // MSH-2 as written: component, repetition, escape, subcomponent ("^~\&").
    [[nodiscard]] std::string EncodingCharacters() const;
};

// Bounds on what Parse accepts, so a hostile or broken peer cannot make the receiver allocate without limit.
// A bedside monitor's ORU^R01 is a few kilobytes with tens of segments.
struct ParseLimits {
    std::size_t max_message_bytes = std::size_t{1} << 20;  // 1 MiB, the listener's default frame limit
    std::size_t max_segments = 2000;
    std::size_t max_fields_per_segment = 256;
};

// One segment: its id and its fields, still escaped.
class Segment {
public:
    explicit Segment(std::span<const std::string_view> fields) : fields_(fields) {}

    // "MSH", "OBX".
    [[nodiscard]] std::string_view id() const { return fields_[0]; }

    // The number of the last field present (OBX|1|NM has 2). MSH counts MSH-1, the field separator.
    [[nodiscard]] std::size_t field_count() const { return fields_.size() - 1; }

    // Field `position` (1-based) as written, with its repetitions, components and escapes; empty when absent.
    // MSH-1 is the field separator itself and MSH-2 the encoding characters, as HL7 numbers them.
    [[nodiscard]] std::string_view Field(std::size_t position) const {
        return position < fields_.size() ? fields_[position] : std::string_view{};
    }

private:
    std::span<const std::string_view> fields_;  // [0] is the id
};

class Message {
public:
    // Parses `text`, one message starting with MSH. Segments end with \r, the standard terminator; \n and \r\n are
    // tolerated (files and some gateways use them), and empty lines are skipped. The returned Message refers into
    // `text`: REQUIRES `text` to outlive it and stay unchanged.
    // Errors (all AR: the message cannot be read at all): larger than limits.max_message_bytes (207); no MSH
    // segment first (100); a bad field separator or MSH-2 (102: they must be four or five distinct characters,
    // no letters or digits); a segment whose id is not three capital letters or digits (100, naming the segment's
    // number); a control byte other than tab, \r or \n (102, naming the segment and the byte); more segments or
    // fields than the limits (207).
    [[nodiscard]] static Hl7Result<Message> Parse(std::string_view text, const ParseLimits& limits = {});

    [[nodiscard]] const Delimiters& delimiters() const { return delimiters_; }
    [[nodiscard]] std::size_t segment_count() const { return segments_.size(); }
    // REQUIRES: index < segment_count(). Segment 0 is MSH.
    [[nodiscard]] Segment segment(std::size_t index) const;

private:
    struct SegmentRange {
        std::size_t first = 0;
        std::size_t count = 0;
    };

    Delimiters delimiters_;
    std::vector<std::string_view> fields_;  // every segment's id and fields, one after the other
    std::vector<SegmentRange> segments_;
};

// Pieces of a field as written (still escaped). All positions are 1-based; a piece that is absent is empty.
// Repetition `n` of a field.
[[nodiscard]] std::string_view Repetition(std::string_view field, std::size_t n, const Delimiters& delimiters);
// Component `n` of a field's first repetition (or of one repetition passed in).
[[nodiscard]] std::string_view Component(std::string_view field, std::size_t n, const Delimiters& delimiters);
// Subcomponent `n` of a component.
[[nodiscard]] std::string_view Subcomponent(std::string_view component, std::size_t n, const Delimiters& delimiters);
// How many repetitions a field holds (0 for an empty field).
[[nodiscard]] std::size_t RepetitionCount(std::string_view field, const Delimiters& delimiters);

// The text a piece stands for: \F\ \S\ \T\ \R\ \E\ become the delimiters they name and \Xhh..\ the bytes it spells
// in hexadecimal. Highlighting (\H\ \N\) and formatting commands (\.br\ and the like) are dropped, since kclinic
// keeps plain text. A malformed or unknown sequence, and a lone escape character, are kept as written: the value
// is then visibly odd rather than silently changed.
[[nodiscard]] std::string Unescape(std::string_view raw, const Delimiters& delimiters);

// The inverse for a value written into one piece: each delimiter becomes its escape sequence, and \r and \n
// become \X0D\ and \X0A\ so a value never ends its segment.
[[nodiscard]] std::string Escape(std::string_view text, const Delimiters& delimiters);

// Builds a message's text segment by segment. Fields are appended in order; empty fields between them are kept,
// trailing empty fields are not written (HL7 allows both; dropping them keeps messages short).
//
//     MessageWriter writer;                       // "|^~\&"
//     writer.Segment("MSA").Field("AA").Field(control_id);
//     std::string text = std::move(writer).Text();   // "MSA|AA|<id>\r"
class MessageWriter {
public:
    explicit MessageWriter(Delimiters delimiters = {}) : delimiters_(delimiters) {}

    // Starts a segment (ending the previous one). "MSH" writes MSH-1 and MSH-2 itself: the next Field is MSH-3.
    MessageWriter& Segment(std::string_view id);
    // Appends the next field, escaping `text`.
    MessageWriter& Field(std::string_view text);
    // Appends the next field from components (each escaped), trailing empty ones dropped.
    MessageWriter& Components(std::initializer_list<std::string_view> components);
    // Appends the next field exactly as given: REQUIRES `raw` to be valid encoded text for these delimiters.
    MessageWriter& RawField(std::string_view raw);
    // Skips to field `position` of the current segment, leaving the ones between empty.
    MessageWriter& At(std::size_t position);

    [[nodiscard]] const Delimiters& delimiters() const { return delimiters_; }
    // The message so far, every segment ended by \r.
    [[nodiscard]] std::string Text() &&;

private:
    void EndSegment();

    Delimiters delimiters_;
    std::string text_;
    std::size_t segment_start_ = 0;  // where the open segment begins in text_
    std::size_t next_field_ = 1;     // the position the next Field call writes
    bool open_ = false;
};

}  // namespace kclinic::adapters::hl7
