#include "adapters/hl7/message/oru_r01.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "adapters/hl7/message/timestamp.hpp"

namespace kclinic::adapters::hl7 {
namespace {

using namespace std::chrono_literals;
using clinical::TimePoint;

TimePoint At(std::chrono::sys_days day, std::chrono::milliseconds time) {
    return TimePoint{day} + time;
}

constexpr auto kDay = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7};

TEST(DateTimeTest, ReadsHl7DateTimes) {
    const clinical::ClinicZone utc = clinical::ClinicZone::Utc();
    const std::vector<std::pair<std::string, std::optional<TimePoint>>> cases = {
        {"202612071405", At(kDay, 14h + 5min)},
        {"20261207140530", At(kDay, 14h + 5min + 30s)},
        {"20261207140530.25", At(kDay, 14h + 5min + 30s + 250ms)},
        {"20261207140530.1234", At(kDay, 14h + 5min + 30s + 123ms)},
        {"20261207140530+0100", At(kDay, 13h + 5min + 30s)},
        {"20261207140530-0530", At(kDay, 19h + 35min + 30s)},
        {"202612071405-0000", At(kDay, 14h + 5min)},
        {"20261207", std::nullopt},        // a date is not a time of day
        {"2026120714", std::nullopt},      // nor an hour
        {"20261307140000", std::nullopt},  // month 13
        {"20260230140000", std::nullopt},  // 30 February
        {"20261207240000", std::nullopt},
        {"20261207146000", std::nullopt},
        {"2026120714053", std::nullopt},
        {"20261207140530.", std::nullopt},
        {"20261207140530.12345", std::nullopt},
        {"20261207140530+01", std::nullopt},
        {"20261207140530+0160", std::nullopt},
        {"2026-12-07T14:05", std::nullopt},
        {"", std::nullopt},
    };
    for (const auto& [text, expected] : cases) {
        EXPECT_EQ(ParseDateTime(text, utc), expected) << text;
    }
    EXPECT_EQ(FormatDateTime(At(kDay, 14h + 5min + 30s + 999ms)), "20261207140530+0000");
}

constexpr std::string_view kMdcMessage =
    "MSH|^~\\&|VSP^080019FFFE134535^EUI-64|GE Healthcare|KCLINIC|CLINIC|20261207140010+0000||ORU^R01^ORU_R01|"
    "MSG-0001|P|2.6|||NE|AL\r"
    "PID|||MRN-1^^^KC^MR~^^^X^PI||DOE^JANE\r"
    "PV1||O|INFUSION^ROOM 2^CHAIR 3\r"
    "OBR|1|||182777000^monitoring of patient^SCT|||20261207140000+0000\r"
    "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X\r"
    "OBX|2|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|142|266016^MDC_DIM_MMHG^MDC|||||F|||20261207135930+0000"
    "||||080019FFFE134535^EUI-64\r"
    "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.2.1||262688^MDC_DIM_PERCENT^MDC|||||X\r"
    "OBX|4|SN|8867-4^Heart rate^LN||=^88|/min|||||R\r"
    "OBX|5|ST|8310-5^Body temp^LN||36.8 |Cel|||||F|||202612071400\r"
    "OBX|6|CWE|ALARM^Alarm state^L||ON^On^L||||||F\r";

TEST(OruR01Test, ReadsTheFieldsKclinicUses) {
    auto parsed = ParseOruR01(kMdcMessage);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const OruR01& oru = parsed.value();
    EXPECT_EQ(oru.header.sending_application.ToString(), "VSP^080019FFFE134535^EUI-64");
    EXPECT_EQ(oru.header.sending_facility.ToString(), "GE Healthcare");
    EXPECT_EQ(oru.header.receiving_application.namespace_id, "KCLINIC");
    EXPECT_EQ(oru.header.message_time, At(kDay, 14h + 10s));
    EXPECT_EQ(oru.header.message_code, "ORU");
    EXPECT_EQ(oru.header.trigger_event, "R01");
    EXPECT_EQ(oru.header.message_structure, "ORU_R01");
    EXPECT_EQ(oru.header.control_id, "MSG-0001");
    EXPECT_EQ(oru.header.processing_id, "P");
    EXPECT_EQ(oru.header.version, "2.6");
    ASSERT_EQ(oru.patient_identifiers.size(), 1U);  // the second repetition has no id
    EXPECT_EQ(oru.patient_identifiers[0], (PatientIdentifier{"MRN-1", "KC", "MR"}));
    EXPECT_EQ(oru.location, (PatientLocation{"INFUSION", "ROOM 2", "CHAIR 3"}));
    ASSERT_EQ(oru.requests.size(), 1U);
    EXPECT_EQ(oru.requests[0].observed_at, At(kDay, 14h));
    ASSERT_EQ(oru.observations.size(), 6U);

    const Observation& container = oru.observations[0];
    EXPECT_EQ(container.value_type, "");
    EXPECT_FALSE(container.valid);

    const Observation& systolic = oru.observations[1];
    EXPECT_EQ(systolic.segment_sequence, 2U);
    EXPECT_EQ(systolic.request, 1U);
    EXPECT_EQ(systolic.code, (CodedElement{"150021", "MDC_PRESS_BLD_NONINV_SYS", "MDC"}));
    EXPECT_EQ(systolic.sub_id, "1.0.1.1");
    EXPECT_EQ(systolic.numeric_value, 142);
    EXPECT_EQ(systolic.units, (CodedElement{"266016", "MDC_DIM_MMHG", "MDC"}));
    EXPECT_TRUE(systolic.valid);
    EXPECT_EQ(systolic.observed_at, At(kDay, 13h + 59min + 30s));  // OBX-14
    EXPECT_EQ(systolic.equipment_id, "080019FFFE134535");
    EXPECT_EQ(systolic.equipment_namespace, "EUI-64");

    const Observation& spo2 = oru.observations[2];
    EXPECT_FALSE(spo2.valid);
    EXPECT_EQ(spo2.invalid_reason, "OBX-11 is X, which means the result cannot be obtained");
    EXPECT_FALSE(spo2.numeric_value.has_value());
    EXPECT_EQ(spo2.observed_at, At(kDay, 14h));  // OBR-7

    EXPECT_EQ(oru.observations[3].numeric_value, 88);  // SN "=^88"
    EXPECT_TRUE(oru.observations[3].valid);            // R: not yet verified, still a measurement
    EXPECT_EQ(oru.observations[4].numeric_value, 36.8);
    EXPECT_EQ(oru.observations[4].observed_at, At(kDay, 14h));  // no offset: the clinic's zone (UTC here)
    EXPECT_EQ(oru.observations[5].value, "ON^On^L");
    EXPECT_FALSE(oru.observations[5].numeric_value.has_value());
}

// One change to a valid message, and the error it must cause.
struct BrokenCase {
    std::string from;
    std::string to;
    AckCode ack;
    ErrorCondition condition;
    std::string location;
    std::string message;
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(OruR01Test, NamesTheSegmentAndFieldOfEachError) {
    const std::vector<BrokenCase> cases = {
        {"|MSG-0001|", "||", AckCode::kReject, ErrorCondition::kRequiredFieldMissing, "MSH-10",
         "MSH-10 (message control id) is empty"},
        {"|MSG-0001|", "|  |", AckCode::kReject, ErrorCondition::kRequiredFieldMissing, "MSH-10",
         "MSH-10 (message control id) is empty"},
        {"ORU^R01^ORU_R01", "", AckCode::kReject, ErrorCondition::kRequiredFieldMissing, "MSH-9",
         "MSH-9 (message type) is empty"},
        {"ORU^R01^ORU_R01", "ADT^A01^ADT_A01", AckCode::kReject, ErrorCondition::kUnsupportedMessageType, "MSH-9.1",
         "MSH-9 is ADT^A01: this receiver takes ORU^R01 (unsolicited observation results) only"},
        {"ORU^R01^ORU_R01", "ORU^R30", AckCode::kReject, ErrorCondition::kUnsupportedEventCode, "MSH-9.2",
         "MSH-9 is ORU^R30: this receiver takes ORU^R01 only"},
        {"ORU^R01^ORU_R01", "ORU^R01^ORU_R30", AckCode::kReject, ErrorCondition::kUnsupportedEventCode, "MSH-9.2",
         "MSH-9 is ORU^R01^ORU_R30: this receiver takes ORU^R01 only"},
        {"|P|2.6|", "||2.6|", AckCode::kReject, ErrorCondition::kRequiredFieldMissing, "MSH-11",
         "MSH-11 (processing id) is empty"},
        {"|P|2.6|", "|T|2.6|", AckCode::kReject, ErrorCondition::kUnsupportedProcessingId, "MSH-11",
         "MSH-11 (processing id) is \"T\": this receiver stores production (P) messages only"},
        {"|P|2.6|", "|P||", AckCode::kReject, ErrorCondition::kRequiredFieldMissing, "MSH-12",
         "MSH-12 (version id) is empty"},
        {"|P|2.6|", "|P|2.2|", AckCode::kReject, ErrorCondition::kUnsupportedVersionId, "MSH-12",
         "MSH-12 (version id) is \"2.2\": this receiver takes HL7 v2.3 to v2.9"},
        {"20261207140010+0000", "20261207", AckCode::kReject, ErrorCondition::kDataTypeError, "MSH-7",
         "MSH-7 (\"20261207\") is not a valid date/time: YYYYMMDDHHMM[SS[.SSSS]][+/-ZZZZ], at least to the minute"},
        {"PV1||O", "PID|||OTHER\rPV1||O", AckCode::kError, ErrorCondition::kSegmentSequenceError, "PID[2]",
         "the message holds more than one PID: this receiver takes one patient per message"},
        {"150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "", AckCode::kError, ErrorCondition::kRequiredFieldMissing, "OBX[2]-3",
         "OBX[2]-3 (observation identifier) is empty"},
        {"OBX|2|NM|", "OBX|2||", AckCode::kError, ErrorCondition::kRequiredFieldMissing, "OBX[2]-2",
         "OBX[2]-2 (value type) is empty but OBX-5 holds a value"},
        {"|142|", "|high|", AckCode::kError, ErrorCondition::kDataTypeError, "OBX[2]-5",
         "OBX[2]-5 (\"high\") is not a number, as value type NM requires"},
        {"|142|", "|1e2|", AckCode::kError, ErrorCondition::kDataTypeError, "OBX[2]-5",
         "OBX[2]-5 (\"1e2\") is not a number, as value type NM requires"},
        {"|20261207135930+0000|", "|2026-12-07|", AckCode::kError, ErrorCondition::kDataTypeError, "OBX[2]-14",
         "OBX[2]-14 (\"2026-12-07\") is not a valid date/time: YYYYMMDDHHMM[SS[.SSSS]][+/-ZZZZ], at least to the "
         "minute"},
        {"|||20261207140000+0000\r", "|||2026\r", AckCode::kError, ErrorCondition::kDataTypeError, "OBR-7",
         "OBR-7 (\"2026\") is not a valid date/time: YYYYMMDDHHMM[SS[.SSSS]][+/-ZZZZ], at least to the minute"},
    };
    for (const BrokenCase& c : cases) {
        const std::string text = Replace(std::string(kMdcMessage), c.from, c.to);
        auto parsed = ParseOruR01(text);
        ASSERT_FALSE(parsed.ok()) << c.message;
        EXPECT_EQ(parsed.error().ack, c.ack) << c.message;
        EXPECT_EQ(parsed.error().condition, c.condition) << c.message;
        EXPECT_EQ(parsed.error().location.ToString(), c.location) << c.message;
        EXPECT_EQ(parsed.error().message, c.message);
    }
}

TEST(OruR01Test, NeedsAnObservationWithATime) {
    auto no_obx = ParseOruR01("MSH|^~\\&|M||||202612071400||ORU^R01|1|P|2.5\rPID|||X\r");
    ASSERT_FALSE(no_obx.ok());
    EXPECT_EQ(no_obx.error().ack, AckCode::kError);
    EXPECT_EQ(no_obx.error().message, "the message holds no OBX segment, so no observation to store");

    auto no_time = ParseOruR01("MSH|^~\\&|M||||||ORU^R01|1|P|2.5\rOBX|1|NM|8867-4^HR^LN||70|/min|||||F\r");
    ASSERT_FALSE(no_time.ok());
    EXPECT_EQ(no_time.error().message, "OBX-14 (observation time) is empty and neither OBR-7 nor MSH-7 gives a time");

    // Without OBR the message time dates the reading; an OBX before any OBR belongs to none.
    auto header_time =
        ParseOruR01("MSH|^~\\&|M||||202612071400||ORU^R01|1|P|2.5\rOBX|1|NM|8867-4^HR^LN||70|/min|||||F\r");
    ASSERT_TRUE(header_time.ok()) << header_time.error().message;
    EXPECT_EQ(header_time->observations[0].observed_at, At(kDay, 14h));
    EXPECT_EQ(header_time->observations[0].request, 0U);
}

TEST(OruR01Test, AcceptsTrainingMessagesOnlyWhenAsked) {
    const std::string training = Replace(std::string(kMdcMessage), "|P|2.6|", "|T|2.6|");
    OruOptions options;
    options.accept_debug_and_training = true;
    EXPECT_TRUE(ParseOruR01(training, options).ok());
    EXPECT_FALSE(ParseOruR01(training).ok());
}

TEST(OruR01Test, EncodeThenParseGivesTheMessageBack) {
    auto parsed = ParseOruR01(kMdcMessage);
    ASSERT_TRUE(parsed.ok());
    OruR01 original = parsed.value();
    original.header.delimiters = Delimiters{'#', '$', '*', '!', '@'};  // values with delimiters must be escaped
    original.location.bed = "CHAIR #3 ^ $ * ! @ |";
    original.observations[5].value = "free text | with # and $";
    original.observations[5].value_type = "ST";
    const std::string text = EncodeOruR01(original);
    EXPECT_EQ(text.substr(0, 8), "MSH#$*!@");
    auto back = ParseOruR01(text);
    ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
    const OruR01& round = back.value();
    EXPECT_EQ(round.header.sending_application, original.header.sending_application);
    EXPECT_EQ(round.header.receiving_facility, original.header.receiving_facility);
    EXPECT_EQ(round.header.message_time, original.header.message_time);
    EXPECT_EQ(round.header.control_id, original.header.control_id);
    EXPECT_EQ(round.header.message_structure, original.header.message_structure);
    EXPECT_EQ(round.patient_identifiers, original.patient_identifiers);
    EXPECT_EQ(round.location, original.location);
    ASSERT_EQ(round.observations.size(), original.observations.size());
    for (std::size_t i = 0; i < round.observations.size(); ++i) {
        const Observation& a = round.observations[i];
        const Observation& b = original.observations[i];
        EXPECT_EQ(a.code, b.code) << i;
        EXPECT_EQ(a.value_type, b.value_type) << i;
        EXPECT_EQ(a.value, b.value) << i;
        EXPECT_EQ(a.numeric_value, b.numeric_value) << i;
        EXPECT_EQ(a.units, b.units) << i;
        EXPECT_EQ(a.status, b.status) << i;
        EXPECT_EQ(a.valid, b.valid) << i;
        EXPECT_EQ(a.observed_at, b.observed_at) << i;
        EXPECT_EQ(a.equipment_id, b.equipment_id) << i;
        EXPECT_EQ(a.request, b.request) << i;
    }
}

}  // namespace
}  // namespace kclinic::adapters::hl7
