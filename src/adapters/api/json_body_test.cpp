#include "adapters/api/json_body.hpp"

#include <gtest/gtest.h>

#include "adapters/json/clinical_json.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::api {
namespace {

Error ErrorOf(BodyReader& body) {
    const Status status = body.Finish();
    EXPECT_FALSE(status.ok());
    return status.ok() ? Error{} : status.error();
}

TEST(BodyReader, ReadsEveryTypeOfField) {
    BodyReader body(R"({"mrn":"A1","age":41,"weight":72.5,"ok":true,"day":"2026-11-21",
                        "at":"2026-11-21T10:30:00.250+01:00","answers":[0,1,3],"bp":{"systolic":120}})");
    EXPECT_EQ(body.String("mrn"), "A1");
    EXPECT_EQ(body.Integer("age"), 41);
    EXPECT_DOUBLE_EQ(body.Number("weight"), 72.5);
    EXPECT_TRUE(body.Boolean("ok"));
    EXPECT_EQ(FormatDate(body.Date("day")), "2026-11-21");
    EXPECT_EQ(json::FormatTime(body.Time("at")), "2026-11-21T09:30:00.250Z");
    EXPECT_EQ(body.IntegerArray("answers"), (std::vector<int>{0, 1, 3}));
    EXPECT_EQ(body.Object("bp").Integer("systolic"), 120);
    EXPECT_FALSE(body.OptionalString("absent").has_value());
    EXPECT_TRUE(body.Finish().ok());
}

TEST(BodyReader, EmptyBodyReadsAsEmptyObject) {
    BodyReader body("");
    EXPECT_FALSE(body.OptionalInteger("limit").has_value());
    EXPECT_TRUE(body.Finish().ok());
}

TEST(BodyReader, MalformedJsonNamesTheBody) {
    BodyReader body(R"({"mrn": )");
    (void)body.String("mrn");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(error.field, "body");
    EXPECT_NE(error.message.find("not valid JSON"), std::string::npos);
}

TEST(BodyReader, ABodyThatIsNotAnObjectIsRefused) {
    BodyReader body("[1,2]");
    EXPECT_EQ(ErrorOf(body).message, "must be a JSON object (got an array)");
}

TEST(BodyReader, MissingRequiredFieldIsNamed) {
    BodyReader body(R"({"given_name":"Ann"})");
    (void)body.String("given_name");
    (void)body.String("mrn");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.field, "mrn");
    EXPECT_EQ(error.message, "is required: a string");
}

TEST(BodyReader, WrongTypeIsNamedWithWhatWasSent) {
    BodyReader body(R"({"weight_kg":"72"})");
    (void)body.Number("weight_kg");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.field, "weight_kg");
    EXPECT_EQ(error.message, "must be a number (got a string)");
}

TEST(BodyReader, FractionalIntegerIsAWrongType) {
    BodyReader body(R"({"count":1.5})");
    (void)body.Integer("count");
    EXPECT_EQ(ErrorOf(body).message, "must be an integer (got a number)");
}

TEST(BodyReader, UnknownFieldIsRefusedNotIgnored) {
    BodyReader body(R"({"mrn":"A1","acute_suicidal_ideaton":true})");
    (void)body.String("mrn");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.field, "acute_suicidal_ideaton");
    EXPECT_EQ(error.message, "is not a field of this request");
}

TEST(BodyReader, NestedErrorsNameTheirPath) {
    BodyReader body(R"({"bp":{"systolic":"high"},"answers":[1,"x"]})");
    (void)body.Object("bp").Integer("systolic");
    EXPECT_EQ(ErrorOf(body).field, "bp.systolic");

    BodyReader list(R"({"answers":[1,"x"]})");
    (void)list.IntegerArray("answers");
    EXPECT_EQ(ErrorOf(list).field, "answers[1]");

    BodyReader unknown(R"({"bp":{"systolic":1,"sytolic":2}})");
    (void)unknown.Object("bp").Integer("systolic");
    EXPECT_EQ(ErrorOf(unknown).field, "bp.sytolic");
}

TEST(BodyReader, FirstErrorWins) {
    BodyReader body(R"({"a":"x","b":"y"})");
    (void)body.Integer("a");
    (void)body.Integer("b");
    EXPECT_EQ(ErrorOf(body).field, "a");
}

TEST(BodyReader, NullReadsAsAbsent) {
    BodyReader body(R"({"clinician":null})");
    EXPECT_FALSE(body.OptionalString("clinician").has_value());
    EXPECT_TRUE(body.Finish().ok());
}

TEST(BodyReader, DatesAndTimesAreChecked) {
    BodyReader date(R"({"day":"2026-02-30"})");
    (void)date.Date("day");
    EXPECT_EQ(ErrorOf(date).field, "day");

    BodyReader local(R"({"at":"2026-11-21T09:30:00"})");
    (void)local.Time("at");
    EXPECT_EQ(ErrorOf(local).field, "at");
}

TEST(ParseRfc3339, AcceptsOffsetsAndFractions) {
    EXPECT_EQ(json::FormatTime(*ParseRfc3339("2026-11-21T00:15:00-02:30")), "2026-11-21T02:45:00.000Z");
    EXPECT_EQ(json::FormatTime(*ParseRfc3339("2026-11-21T09:30:00.1Z")), "2026-11-21T09:30:00.100Z");
    EXPECT_EQ(json::FormatTime(*ParseRfc3339("2026-11-21T09:30:00.123456Z")), "2026-11-21T09:30:00.123Z");
    for (const char* bad : {"2026-11-21", "2026-11-21T24:00:00Z", "2026-11-21T09:30:00.Z", "2026-11-21T09:30:00+1",
                            "2026-11-21 09:30:00Z", "2026-13-01T00:00:00Z", "2026-11-21T09:30:60Z"}) {
        EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace kclinic::adapters::api
