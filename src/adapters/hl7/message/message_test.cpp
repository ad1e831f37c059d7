#include "adapters/hl7/message/message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kclinic::adapters::hl7 {
namespace {

constexpr std::string_view kOru =
    "MSH|^~\\&|MONITOR|ICU|KCLINIC||20261207140000+0000||ORU^R01^ORU_R01|MSG-1|P|2.6\r"
    "PID|||12345^^^CLINIC^MR~A-9^^^OTHER^PI||DOE^JANE\r"
    "OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F\r";

// Every segment's id and fields, for comparing two parses.
std::vector<std::vector<std::string>> Fields(const Message& message) {
    std::vector<std::vector<std::string>> all;
    for (std::size_t i = 0; i < message.segment_count(); ++i) {
        const Segment segment = message.segment(i);
        std::vector<std::string> fields{std::string(segment.id())};
        for (std::size_t f = 1; f <= segment.field_count(); ++f) {
            fields.emplace_back(segment.Field(f));
        }
        all.push_back(std::move(fields));
    }
    return all;
}

TEST(MessageTest, ReadsSegmentsFieldsRepetitionsAndComponents) {
    auto parsed = Message::Parse(kOru);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const Message& message = parsed.value();
    ASSERT_EQ(message.segment_count(), 3U);
    const Segment msh = message.segment(0);
    EXPECT_EQ(msh.id(), "MSH");
    EXPECT_EQ(msh.Field(1), "|");
    EXPECT_EQ(msh.Field(2), "^~\\&");
    EXPECT_EQ(msh.Field(3), "MONITOR");
    EXPECT_EQ(msh.Field(10), "MSG-1");
    EXPECT_EQ(msh.Field(12), "2.6");
    EXPECT_EQ(msh.Field(13), "");
    EXPECT_EQ(msh.field_count(), 12U);
    const Delimiters& d = message.delimiters();
    EXPECT_EQ(Component(msh.Field(9), 2, d), "R01");
    const Segment pid = message.segment(1);
    EXPECT_EQ(RepetitionCount(pid.Field(3), d), 2U);
    EXPECT_EQ(Component(Repetition(pid.Field(3), 2, d), 1, d), "A-9");
    EXPECT_EQ(Component(pid.Field(3), 4, d), "CLINIC");
    EXPECT_EQ(Component(pid.Field(3), 9, d), "");
    EXPECT_EQ(Repetition(pid.Field(3), 3, d), "");
    EXPECT_EQ(Subcomponent("a&b&c", 2, d), "b");
    EXPECT_EQ(message.segment(2).Field(5), "72");
}

// The delimiters are the ones MSH-1 and MSH-2 declare, whatever they are.
TEST(MessageTest, UsesTheDeclaredDelimiters) {
    auto parsed = Message::Parse("MSH#$*!@#APP#FAC\rPID###1$2*3$4@5!F!");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const Delimiters& d = parsed.value().delimiters();
    EXPECT_EQ(d.field, '#');
    EXPECT_EQ(d.component, '$');
    EXPECT_EQ(d.repetition, '*');
    EXPECT_EQ(d.escape, '!');
    EXPECT_EQ(d.subcomponent, '@');
    const std::string_view field = parsed.value().segment(1).Field(3);
    EXPECT_EQ(Component(field, 2, d), "2");
    EXPECT_EQ(Component(Repetition(field, 2, d), 2, d), "4@5!F!");
    EXPECT_EQ(Subcomponent(Component(Repetition(field, 2, d), 2, d), 2, d), "5!F!");
    EXPECT_EQ(Unescape("5!F!", d), "5#");
}

TEST(MessageTest, ToleratesNewlineAndCrLfSegmentEnds) {
    std::string with_lf(kOru);
    std::string with_crlf;
    for (char& c : with_lf) {
        if (c == '\r') {
            c = '\n';
        }
    }
    for (const char c : kOru) {
        with_crlf.push_back(c);
        if (c == '\r') {
            with_crlf.push_back('\n');
        }
    }
    auto expected = Message::Parse(kOru);
    ASSERT_TRUE(expected.ok());
    for (const std::string& text :
         {with_lf, with_crlf, "\r\n" + with_crlf + "\r\n\r\n", with_lf.substr(0, with_lf.size() - 1)}) {
        auto parsed = Message::Parse(text);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message;
        EXPECT_EQ(Fields(parsed.value()), Fields(expected.value())) << text;
    }
}

struct BadMessageCase {
    std::string text;
    ErrorCondition condition;
    std::string message;
};

TEST(MessageTest, RefusesWhatIsNotAnHl7Message) {
    ParseLimits small;
    small.max_segments = 3;
    small.max_fields_per_segment = 5;
    const std::vector<BadMessageCase> cases = {
        {"", ErrorCondition::kSegmentSequenceError, "the message does not start with an MSH segment"},
        {"PID|1\rMSH|^~\\&|A", ErrorCondition::kSegmentSequenceError, "the message does not start with an MSH segment"},
        {"MSH", ErrorCondition::kDataTypeError,
         "MSH-1 (the field separator) is missing or is a letter, digit or control character"},
        {"MSHA^~\\&|X", ErrorCondition::kDataTypeError,
         "MSH-1 (the field separator) is missing or is a letter, digit or control character"},
        {"MSH|^~\\|X", ErrorCondition::kDataTypeError,
         "MSH-2 (the encoding characters) must be four distinct characters such as ^~\\&, none a letter, digit or "
         "the field separator; got \"^~\\\""},
        {"MSH|^^\\&|X", ErrorCondition::kDataTypeError,
         "MSH-2 (the encoding characters) must be four distinct characters such as ^~\\&, none a letter, digit or "
         "the field separator; got \"^^\\&\""},
        {"MSH|^~\\&|X\rpid|1", ErrorCondition::kSegmentSequenceError,
         "segment 2 (\"pid|1\") does not start with a three-character segment id and the field separator"},
        {"MSH|^~\\&|X\rPIDX|1", ErrorCondition::kSegmentSequenceError,
         "segment 2 (\"PIDX|1\") does not start with a three-character segment id and the field separator"},
        {std::string("MSH|^~\\&|X\rPID|1\0", 17), ErrorCondition::kDataTypeError,
         "segment 2 contains the control byte 0x00 at byte 16 of the message (binary data is not HL7 text)"},
        {"MSH|^~\\&|X\rPID|\x1c", ErrorCondition::kDataTypeError,
         "segment 2 contains the control byte 0x1C at byte 15 of the message (binary data is not HL7 text)"},
        {"MSH|^~\\&|X\rMSH|^~\\&|Y", ErrorCondition::kSegmentSequenceError,
         "a second MSH segment starts at segment 2: one message per frame, or a batch (FHS/BHS) around several"},
        {"MSH|^~\\&|X\rPID\rPV1\rOBX", ErrorCondition::kApplicationInternalError,
         "the message has more than 3 segments"},
        {"MSH|^~\\&|X\rOBX|1|2|3|4|5|6", ErrorCondition::kApplicationInternalError,
         "segment 2 (OBX) has 6 fields, more than the limit of 5"},
    };
    for (const BadMessageCase& c : cases) {
        auto parsed = Message::Parse(c.text, small);
        ASSERT_FALSE(parsed.ok()) << c.text;
        EXPECT_EQ(parsed.error().ack, AckCode::kReject) << c.text;
        EXPECT_EQ(parsed.error().condition, c.condition) << c.text;
        EXPECT_EQ(parsed.error().message, c.message) << c.text;
    }
    ParseLimits tiny;
    tiny.max_message_bytes = 10;
    auto too_big = Message::Parse("MSH|^~\\&|ABC", tiny);
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().message, "the message is 12 bytes, more than the limit of 10");
}

TEST(MessageTest, UnescapesEverySequence) {
    const Delimiters d;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"plain", "plain"},
        {"a\\F\\b", "a|b"},
        {"a\\S\\b\\T\\c\\R\\d\\E\\e", "a^b&c~d\\e"},
        {"\\X0D0A\\", "\r\n"},
        {"caf\\XC3A9\\", "caf\xC3\xA9"},
        {"\\H\\bold\\N\\ text", "bold text"},
        {"line\\.br\\next", "linenext"},
        {"\\Q\\", "\\Q\\"},      // unknown: kept as written
        {"\\XZZ\\", "\\XZZ\\"},  // not hexadecimal
        {"\\X0\\", "\\X0\\"},    // odd number of digits
        {"lone \\ escape", "lone \\ escape"},
        {"\\F\\\\S\\", "|^"},
    };
    for (const auto& [raw, text] : cases) {
        EXPECT_EQ(Unescape(raw, d), text) << raw;
    }
}

TEST(MessageTest, EscapeIsTheInverseOfUnescape) {
    const Delimiters d;
    for (const std::string_view text : {"plain", "a|b^c&d~e\\f", "two\r\nlines", "", "\\F\\"}) {
        const std::string escaped = Escape(text, d);
        EXPECT_EQ(escaped.find_first_of("|^&~\r\n"), std::string::npos) << text;
        EXPECT_EQ(Unescape(escaped, d), text) << text;
    }
    EXPECT_EQ(Escape("a|b", d), "a\\F\\b");
}

TEST(MessageTest, WriterBuildsSegmentsAndDropsTrailingEmptyFields) {
    MessageWriter writer;
    writer.Segment("MSH").Field("APP").Components({"FAC", "", ""}).At(9).Components({"ACK", "R01", "ACK"});
    writer.Field("ID|1");
    writer.Segment("MSA").Field("AA").Field("X").Field("").Field("");
    writer.Segment("ERR").Field("").At(8).Field("");
    EXPECT_EQ(std::move(writer).Text(), "MSH|^~\\&|APP|FAC|||||ACK^R01^ACK|ID\\F\\1\rMSA|AA|X\rERR\r");
}

}  // namespace
}  // namespace kclinic::adapters::hl7
