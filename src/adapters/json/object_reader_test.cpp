#include "adapters/json/object_reader.hpp"

#include <gtest/gtest.h>

#include "adapters/json/clinical_json.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::json {
namespace {

Error ErrorOf(ObjectReader& body) {
    const Status status = body.Finish();
    EXPECT_FALSE(status.ok());
    return status.ok() ? Error{} : status.error();
}

TEST(ObjectReader, ReadsEveryTypeOfField) {
    ObjectReader body(R"({"mrn":"A1","age":41,"weight":72.5,"ok":true,"day":"2026-11-21",
                        "at":"2026-11-21T10:30:00.250+01:00","answers":[0,1,3],"bp":{"systolic":120}})");
    EXPECT_EQ(body.String("mrn"), "A1");
    EXPECT_EQ(body.Integer("age"), 41);
    EXPECT_DOUBLE_EQ(body.Number("weight"), 72.5);
    EXPECT_TRUE(body.Boolean("ok"));
    EXPECT_EQ(FormatDate(body.Date("day")), "2026-11-21");
    EXPECT_EQ(FormatTime(body.Time("at")), "2026-11-21T09:30:00.250Z");
    EXPECT_EQ(body.IntArray("answers"), (std::vector<int>{0, 1, 3}));
    EXPECT_EQ(body.Object("bp").Integer("systolic"), 120);
    EXPECT_FALSE(body.OptionalString("absent").has_value());
    EXPECT_TRUE(body.Finish().ok());
}

TEST(ObjectReader, EmptyBodyReadsAsEmptyObject) {
    ObjectReader body("");
    EXPECT_FALSE(body.OptionalInteger("limit").has_value());
    EXPECT_TRUE(body.Finish().ok());
}

TEST(ObjectReader, MalformedJsonNamesTheBody) {
    ObjectReader body(R"({"mrn": )");
    (void)body.String("mrn");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(error.field, "body");
    EXPECT_EQ(error.message, "invalid JSON at byte 9: the document is not well-formed");
}

// Found when the API was probed with hostile input (issue 15 §3): a number beyond a double's range escaped as an
// exception (a 500), so it must be an ordinary refusal naming the field whose value it is.
TEST(ObjectReader, ANumberBeyondADoublesRangeIsRefusedNamingItsField) {
    for (const std::string number : {"1e309", "-1e309", "1E400", "2e+99999999999", "-0.5e1000"}) {
        ObjectReader body(R"({"weight_kg": )" + number + "}");
        (void)body.OptionalNumber("weight_kg");
        const Error error = ErrorOf(body);
        EXPECT_EQ(error.code, ErrorCode::kInvalidArgument) << number;
        EXPECT_EQ(error.field, "weight_kg") << number;
        EXPECT_EQ(error.message,
                  "must be a number within a double's range, at most 1.8e308 either side of zero (got " + number + ")");
    }
    ObjectReader nested(R"({"vitals": {"readings": [1, 2, 1e999]}})");
    EXPECT_EQ(ErrorOf(nested).field, "vitals.readings[2]");
    ObjectReader whole("1e309");
    EXPECT_EQ(ErrorOf(whole).field, "body");
    // The echoed number is cut short, so a megabyte of digits does not come back in the error.
    ObjectReader digits(R"({"n": 1)" + std::string(400, '0') + "}");
    const Error long_error = ErrorOf(digits);
    EXPECT_EQ(long_error.field, "n");
    EXPECT_LT(long_error.message.size(), 140U);
    // Small magnitudes are no hazard: they read as the nearest double (zero).
    ObjectReader tiny(R"({"n": 1e-400})");
    EXPECT_EQ(tiny.Number("n"), 0.0);
    EXPECT_TRUE(tiny.Finish().ok());
}

// A duplicate key used to be accepted with the last one winning (a login body with two "email" keys logged in as the
// second), so two readers of one body could disagree on what it says (RFC 8259 §4: names SHOULD be unique).
TEST(ObjectReader, ADuplicateKeyIsRefusedNamingIt) {
    ObjectReader body(R"({"email": "a@clinic.example", "password": "x", "email": "b@clinic.example"})");
    (void)body.String("email");
    (void)body.String("password");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(error.field, "email");
    EXPECT_EQ(error.message, "is given twice; send each field once");

    ObjectReader nested(R"({"bp": {"systolic": 120, "diastolic": 80, "systolic": 90}})");
    EXPECT_EQ(ErrorOf(nested).field, "bp.systolic");
    ObjectReader in_array(R"({"trials": [{"weeks": 6}, {"weeks": 6, "weeks": 8}]})");
    EXPECT_EQ(ErrorOf(in_array).field, "trials[1].weeks");
    // The same name in two different objects is no duplicate.
    ObjectReader apart(R"({"a": {"x": 1}, "b": {"x": 1}, "x": [{"x": 1}, {"x": 2}]})");
    EXPECT_TRUE(apart.Raw("a").has_value());
    EXPECT_TRUE(apart.Raw("b").has_value());
    EXPECT_TRUE(apart.Raw("x").has_value());
    EXPECT_TRUE(apart.Finish().ok());
}

// Found by the JSON fuzz target (json_fuzz.cpp): a field with an empty name was refused naming no field.
TEST(ObjectReader, AFieldWithAnEmptyNameIsRefusedNamingWhereItIs) {
    ObjectReader body(R"({"": 8})");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.field, "body");
    EXPECT_EQ(error.message, "has a field with an empty name, which nothing reads");
    ObjectReader nested(R"({"bp": {"": 1}})");
    (void)nested.Object("bp");
    EXPECT_EQ(ErrorOf(nested).field, "bp");
}

TEST(Parse, RefusesDuplicateKeysAndHugeNumbersAsInvalidArguments) {
    const Result<Json> duplicate = Parse(R"({"kind": "subscribe", "kind": "unsubscribe"})");
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().field, "kind");
    const Result<Json> huge = Parse("[1e309]");
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(huge.error().field, "[0]");
    EXPECT_TRUE(Parse(R"({"a": [1, {"a": 2}], "b": -1.5e308})").ok());
}

TEST(ObjectReader, ABodyThatIsNotAnObjectIsRefused) {
    ObjectReader body("[1,2]");
    EXPECT_EQ(ErrorOf(body).message, "must be a JSON object (got an array)");
}

TEST(ObjectReader, MissingRequiredFieldIsNamed) {
    ObjectReader body(R"({"given_name":"Ann"})");
    (void)body.String("given_name");
    (void)body.String("mrn");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.field, "mrn");
    EXPECT_EQ(error.message, "is required: a string");
}

TEST(ObjectReader, ADocumentThatIsNotAnObjectIsNamedByItsName) {
    ObjectReader intake(Json::array({1, 2}), "intake");
    const Error error = ErrorOf(intake);
    EXPECT_EQ(error.field, "intake");
    EXPECT_EQ(error.message, "must be a JSON object (got an array)");
}

TEST(ObjectReader, WrongTypeIsNamedWithWhatWasSent) {
    ObjectReader body(R"({"weight_kg":"72"})");
    (void)body.Number("weight_kg");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.field, "weight_kg");
    EXPECT_EQ(error.message, "must be a number (got a string)");
}

TEST(ObjectReader, FractionalIntegerIsAWrongType) {
    ObjectReader body(R"({"count":1.5})");
    (void)body.Integer("count");
    EXPECT_EQ(ErrorOf(body).message, "must be a whole number (got a decimal number)");
}

TEST(ObjectReader, IntegersBeyondWhatReadsThemAreOutOfRange) {
    ObjectReader count(R"({"count":2147483648})");
    (void)count.Int("count");
    EXPECT_EQ(ErrorOf(count).ToString(), "count: is out of range");

    ObjectReader id(R"({"id":9223372036854775808})");
    (void)id.Integer("id");
    EXPECT_EQ(ErrorOf(id).ToString(), "id: is out of range");

    ObjectReader answers(R"({"answers":[1,-2147483649]})");
    (void)answers.IntArray("answers");
    EXPECT_EQ(ErrorOf(answers).ToString(), "answers[1]: is out of range");

    ObjectReader fits(R"({"count":-2147483648,"id":9223372036854775807})");
    EXPECT_EQ(fits.Int("count"), -2147483648LL);
    EXPECT_EQ(fits.Integer("id"), 9223372036854775807LL);
    EXPECT_TRUE(fits.Finish().ok());
}

TEST(ObjectReader, UnknownFieldIsRefusedNotIgnored) {
    ObjectReader body(R"({"mrn":"A1","acute_suicidal_ideaton":true})");
    (void)body.String("mrn");
    const Error error = ErrorOf(body);
    EXPECT_EQ(error.field, "acute_suicidal_ideaton");
    EXPECT_EQ(error.message, "unknown field");
}

TEST(ObjectReader, NestedErrorsNameTheirPath) {
    ObjectReader body(R"({"bp":{"systolic":"high"},"answers":[1,"x"]})");
    (void)body.Object("bp").Integer("systolic");
    EXPECT_EQ(ErrorOf(body).field, "bp.systolic");

    ObjectReader list(R"({"answers":[1,"x"]})");
    (void)list.IntArray("answers");
    EXPECT_EQ(ErrorOf(list).field, "answers[1]");

    ObjectReader unknown(R"({"bp":{"systolic":1,"sytolic":2}})");
    (void)unknown.Object("bp").Integer("systolic");
    EXPECT_EQ(ErrorOf(unknown).field, "bp.sytolic");

    ObjectReader trials(R"({"trials":[{"weeks":8},{"weeks":8.5}]})");
    for (ObjectReader* trial : trials.OptionalObjectArray("trials")) {
        (void)trial->Int("weeks");
    }
    EXPECT_EQ(ErrorOf(trials).ToString(), "trials[1].weeks: must be a whole number (got a decimal number)");

    ObjectReader not_objects(R"({"trials":[{"weeks":8},"x"]})");
    (void)not_objects.OptionalObjectArray("trials");
    EXPECT_EQ(ErrorOf(not_objects).ToString(), "trials[1]: must be an object (got a string)");
}

TEST(ObjectReader, FirstErrorWins) {
    ObjectReader body(R"({"a":"x","b":"y"})");
    (void)body.Integer("a");
    (void)body.Integer("b");
    EXPECT_EQ(ErrorOf(body).field, "a");
}

TEST(ObjectReader, NullReadsAsAbsent) {
    ObjectReader body(R"({"clinician":null})");
    EXPECT_FALSE(body.OptionalString("clinician").has_value());
    EXPECT_TRUE(body.Finish().ok());
}

TEST(ObjectReader, DatesAndTimesAreChecked) {
    ObjectReader date(R"({"day":"2026-02-30"})");
    (void)date.Date("day");
    EXPECT_EQ(ErrorOf(date).field, "day");

    ObjectReader local(R"({"at":"2026-11-21T09:30:00"})");
    (void)local.Time("at");
    EXPECT_EQ(ErrorOf(local).field, "at");
}

TEST(ParseRfc3339, AcceptsOffsetsAndFractions) {
    EXPECT_EQ(FormatTime(*ParseRfc3339("2026-11-21T00:15:00-02:30")), "2026-11-21T02:45:00.000Z");
    EXPECT_EQ(FormatTime(*ParseRfc3339("2026-11-21T09:30:00.1Z")), "2026-11-21T09:30:00.100Z");
    EXPECT_EQ(FormatTime(*ParseRfc3339("2026-11-21T09:30:00.123456Z")), "2026-11-21T09:30:00.123Z");
    for (const char* bad : {"2026-11-21", "2026-11-21T24:00:00Z", "2026-11-21T09:30:00.Z", "2026-11-21T09:30:00+1",
                            "2026-11-21 09:30:00Z", "2026-13-01T00:00:00Z", "2026-11-21T09:30:60Z"}) {
        EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace kclinic::adapters::json
