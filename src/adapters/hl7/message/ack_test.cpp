#include "adapters/hl7/message/ack.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace kclinic::adapters::hl7 {
namespace {

using namespace std::chrono_literals;

const clinical::TimePoint kNow =
    clinical::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 12 / 7}} + 14h + 30s;

AckOptions Options(AckCode code) {
    AckOptions options;
    options.code = code;
    options.control_id = "KC-42";
    options.now = kNow;
    return options;
}

// Segments one per line, for readable comparisons.
std::string Lines(std::string text) {
    for (char& c : text) {
        if (c == '\r') {
            c = '\n';
        }
    }
    return text;
}

constexpr std::string_view kMessage =
    "MSH|^~\\&|MONITOR^0011^EUI-64|WARD 3|KCLINIC|CLINIC|20261207140000||ORU^R01^ORU_R01|MSG-7|P|2.6\r"
    "OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F\r";

TEST(AckTest, AcceptSwapsSenderAndReceiverAndEchoesTheControlId) {
    auto oru = ParseOruR01(kMessage);
    ASSERT_TRUE(oru.ok());
    EXPECT_EQ(Lines(BuildAck(AckContextOf(oru->header), Options(AckCode::kAccept))),
              "MSH|^~\\&|KCLINIC|CLINIC|MONITOR^0011^EUI-64|WARD 3|20261207140030+0000||ACK^R01^ACK|KC-42|P|2.6\n"
              "MSA|AA|MSG-7\n");
}

TEST(AckTest, AcceptCarriesWarningsAsErrSegments) {
    const std::vector<Hl7Error> warnings = {Hl7Error{AckCode::kAccept, ErrorCondition::kTableValueNotFound,
                                                     Severity::kWarning, ErrorLocation{"OBX", 3, 3},
                                                     "OBX[3]-3: X^Y^Z is not in kclinic's code map; kept raw"}};
    EXPECT_EQ(Lines(BuildAck(AckContextOfText(kMessage), Options(AckCode::kAccept), warnings)),
              "MSH|^~\\&|KCLINIC|CLINIC|MONITOR^0011^EUI-64|WARD 3|20261207140030+0000||ACK^R01^ACK|KC-42|P|2.6\n"
              "MSA|AA|MSG-7\n"
              "ERR||OBX^3^3|103^Table value not found^HL70357|W||||OBX[3]-3: X\\S\\Y\\S\\Z is not in kclinic's code "
              "map; kept raw\n");
}

TEST(AckTest, ErrorNamesWhatWasWrong) {
    const std::string broken = std::string(kMessage).replace(kMessage.find("|72|"), 4, "|fast|");
    auto oru = ParseOruR01(broken);
    ASSERT_FALSE(oru.ok());
    const Hl7Error& error = oru.error();
    EXPECT_EQ(Lines(BuildAck(AckContextOfText(broken), Options(error.ack), {&error, 1})),
              "MSH|^~\\&|KCLINIC|CLINIC|MONITOR^0011^EUI-64|WARD 3|20261207140030+0000||ACK^R01^ACK|KC-42|P|2.6\n"
              "MSA|AE|MSG-7|OBX-5 (\"fast\") is not a number, as value type NM requires\n"
              "ERR||OBX^1^5|102^Data type error^HL70357|E||||OBX-5 (\"fast\") is not a number, as value type NM "
              "requires\n");
}

TEST(AckTest, RejectOfAnOtherTypeEchoesItsEventAndOurDefaultsWhenNoReceiverWasNamed) {
    const std::string adt = "MSH|^~\\&|HIS||||20261207||ADT^A01|ADT-1|P|2.3.1\rPID|||1\r";
    auto oru = ParseOruR01(adt);
    ASSERT_FALSE(oru.ok());
    EXPECT_EQ(Lines(BuildAck(AckContextOfText(adt), Options(oru.error().ack), {&oru.error(), 1})),
              "MSH|^~\\&|KCLINIC||HIS||20261207140030+0000||ACK^A01^ACK|KC-42|P|2.3.1\n"
              "MSA|AR|ADT-1|MSH-9 is ADT\\S\\A01: this receiver takes ORU\\S\\R01 (unsolicited observation results) "
              "only\n"
              // v2.3 and v2.4 read ERR-1 (ELD); later versions read ERR-2 to ERR-8.
              "ERR|MSH^1^9^200&Unsupported message type&HL70357|MSH^1^9^^1|200^Unsupported message type^HL70357|E||||"
              "MSH-9 is ADT\\S\\A01: this receiver takes ORU\\S\\R01 (unsolicited observation results) only\n");
}

TEST(AckTest, RejectOfUnreadableTextStillAnswers) {
    const Hl7Error error{AckCode::kReject,
                         ErrorCondition::kSegmentSequenceError,
                         Severity::kError,
                         {},
                         "the message does not start with an MSH segment"};
    // The last is what the fuzz target found: an MSH line shorter than MSH-2 in a longer text.
    for (const std::string& text : {std::string("\x01\x02garbage"), std::string(""), std::string("MSH|^^^^|X|Y"),
                                    std::string("MSH\n\\|6.~TPR")}) {
        EXPECT_EQ(Lines(BuildAck(AckContextOfText(text), Options(AckCode::kReject), {&error, 1})),
                  "MSH|^~\\&|KCLINIC||||20261207140030+0000||ACK^^ACK|KC-42|P|2.6\n"
                  "MSA|AR||the message does not start with an MSH segment\n"
                  "ERR|||100^Segment sequence error^HL70357|E||||the message does not start with an MSH segment\n")
            << text;
    }
}

TEST(AckTest, LenientContextKeepsWhatARefusedMessageDeclares) {
    // MSH-10 is there though the message is refused (no MSH-12): the AR still names it, in the sender's delimiters.
    const AckContext context = AckContextOfText("\r\nMSH#$*!@#DEV#WARD#####ORU$R01#ID!F!7#P\rOBX");
    EXPECT_EQ(context.delimiters.field, '#');
    EXPECT_EQ(context.sending_application.namespace_id, "DEV");
    EXPECT_EQ(context.sending_facility.namespace_id, "WARD");
    EXPECT_EQ(context.trigger_event, "R01");
    EXPECT_EQ(context.control_id, "ID#7");
    EXPECT_EQ(context.processing_id, "P");
    EXPECT_EQ(context.version, "");
    EXPECT_EQ(Lines(BuildAck(context, Options(AckCode::kReject))),
              "MSH#$*!@#KCLINIC##DEV#WARD#20261207140030+0000##ACK$R01$ACK#KC-42#P#2.6\nMSA#AR#ID!F!7\n");
}

TEST(AckTest, ASenderReadsTheCodeAndTheControlIdItAnswers) {
    auto oru = ParseOruR01(kMessage);
    ASSERT_TRUE(oru.ok());
    const Hl7Error issue{AckCode::kError, ErrorCondition::kRequiredFieldMissing, Severity::kError, {}, "no"};
    const std::optional<AckAnswer> answer =
        ReadAck(BuildAck(AckContextOf(oru->header), Options(AckCode::kError), {&issue, 1}));
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->code, "AE");
    EXPECT_EQ(answer->control_id, "MSG-7");

    EXPECT_FALSE(ReadAck("MSH|^~\\&|A|B|||20261207||ACK|1|P|2.6\r").has_value()) << "no MSA";
    EXPECT_FALSE(ReadAck("garbage").has_value());
}

}  // namespace
}  // namespace kclinic::adapters::hl7
