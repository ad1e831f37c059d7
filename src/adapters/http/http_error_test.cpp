#include "adapters/http/http_error.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using adapters::json::Json;

TEST(HttpStatusForTest, MapsEveryErrorCode) {
    struct Case {
        ErrorCode code;
        int status;
    };
    // Every enumerator of base/error_code.hpp; docs/api.md shows the same table.
    const std::vector<Case> cases = {
        {ErrorCode::kInvalidArgument, 400}, {ErrorCode::kOutOfRange, 422},         {ErrorCode::kNotFound, 404},
        {ErrorCode::kConflict, 409},        {ErrorCode::kFailedPrecondition, 409}, {ErrorCode::kPermissionDenied, 403},
        {ErrorCode::kUnauthenticated, 401}, {ErrorCode::kUnavailable, 503},        {ErrorCode::kInternal, 500},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(HttpStatusFor(c.code), c.status) << ErrorCodeName(c.code);
    }
}

TEST(ErrorResponseTest, NamesCodeMessageAndFieldWhenThereIsOne) {
    HttpResponse response = ErrorResponse(OutOfRange("weight_kg", 400, 30, 250, "kg"));
    EXPECT_EQ(response.status, 422);
    EXPECT_EQ(response.content_type, "application/json");
    const Json body = Json::parse(response.body);
    EXPECT_EQ(body, Json::parse(R"json({"error":{"code":"out_of_range","field":"weight_kg",
                                      "message":"must be between 30 and 250 kg (got 400 kg)"}})json"));

    HttpResponse without_field = ErrorResponse(Error{ErrorCode::kNotFound, "", "no patient with id 9"});
    EXPECT_EQ(without_field.status, 404);
    EXPECT_EQ(Json::parse(without_field.body), Json::parse(R"({"error":{"code":"not_found",
                                                              "message":"no patient with id 9"}})"));
}

TEST(ErrorResponseTest, ReplacesBytesThatAreNotUtf8) {
    HttpResponse response = ErrorResponse(InvalidArgument("mrn", "no patient with MRN \xff\xfe"));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(Json::parse(response.body)["error"]["message"], "no patient with MRN \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(ProtocolErrorResponseTest, UsesTheSameShape) {
    HttpResponse response = ProtocolErrorResponse(413, "payload_too_large", "the request body exceeds 1048576 bytes");
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(Json::parse(response.body), Json::parse(R"({"error":{"code":"payload_too_large",
                                                          "message":"the request body exceeds 1048576 bytes"}})"));
}

TEST(InternalErrorResponseTest, TellsTheClientNothingOfTheCause) {
    HttpResponse response = InternalErrorResponse();
    EXPECT_EQ(response.status, 500);
    const Json body = Json::parse(response.body);
    EXPECT_EQ(body["error"]["code"], "internal");
    EXPECT_FALSE(body["error"].contains("field"));
}

// Found by the soak under faults (bench/soak, issue 15 §4): a store's failure reached the client word for word, the
// PostgreSQL server's address and port in a 503 to anyone who tried to log in, SQLite's words and the SQL it ran in a
// 500. The client gets the documented sentence (docs/api.md "Errors"); the log, through StampRequestId, the cause.
TEST(ErrorResponseTest, TellsTheClientNothingOfAFailedDependencyAndTheLogEverything) {
    struct Case {
        Error error;
        int status;
        std::string code;
        std::string message;
    };
    const std::vector<Case> cases = {
        {Error{ErrorCode::kUnavailable, "",
               "cannot connect to PostgreSQL: connection to server at \"10.0.0.5\", port 5432 failed: Connection "
               "refused"},
         503, "unavailable",
         "the server cannot reach its database or another service it needs just now; retry shortly"},
        {Error{ErrorCode::kUnavailable, "", "SQLite: database or disk is full (in: INSERT INTO audit_log)"}, 503,
         "unavailable", "the server cannot reach its database or another service it needs just now; retry shortly"},
        {Error{ErrorCode::kInternal, "", "SQLite: no such column: mrn (in: SELECT mrn FROM patients)"}, 500, "internal",
         "internal error; the server log has the details"},
    };
    for (const Case& c : cases) {
        HttpResponse response = ErrorResponse(c.error);
        const std::optional<ErrorSummary> logged = StampRequestId(response, "r1");
        EXPECT_EQ(response.status, c.status) << c.error.message;
        EXPECT_EQ(Json::parse(response.body),
                  Json::parse(Json{{"error", {{"code", c.code}, {"message", c.message}, {"request_id", "r1"}}}}.dump()))
            << c.error.message;
        ASSERT_TRUE(logged.has_value()) << c.error.message;
        EXPECT_EQ(logged->code, c.code);
        EXPECT_EQ(logged->message, c.error.message);
    }

    // The HTTP layer's own 503s say what they mean, and say it to the client.
    HttpResponse shutting_down = ProtocolErrorResponse(503, "unavailable", "the server is shutting down");
    static_cast<void>(StampRequestId(shutting_down, "r2"));
    EXPECT_EQ(Json::parse(shutting_down.body)["error"]["message"], "the server is shutting down");
    EXPECT_EQ(Json::parse(shutting_down.body)["error"]["request_id"], "r2");
}

// An error meant for the client is stamped and logged in its own words; an answer that is no error only gets the
// header, its body untouched.
TEST(ErrorResponseTest, StampsAndSummarisesOnlyErrorAnswers) {
    HttpResponse refused = ErrorResponse(Error{ErrorCode::kInvalidArgument, "mrn", "is required"});
    const std::optional<ErrorSummary> logged = StampRequestId(refused, "r3");
    ASSERT_TRUE(logged.has_value());
    EXPECT_EQ(logged->code, "invalid_argument");
    EXPECT_EQ(logged->message, "is required");
    EXPECT_EQ(Json::parse(refused.body),
              Json::parse(R"({"error": {"code": "invalid_argument", "field": "mrn", "message": "is required",
                                        "request_id": "r3"}})"));
    EXPECT_EQ(refused.headers.Find("X-Request-Id"), "r3");

    HttpResponse ok{200, std::string(kJsonContentType), {}, R"({"error": {"code": "a patient's own field"}})"};
    EXPECT_FALSE(StampRequestId(ok, "r4").has_value());
    EXPECT_EQ(ok.body, R"({"error": {"code": "a patient's own field"}})");
    EXPECT_EQ(ok.headers.Find("X-Request-Id"), "r4");
}

}  // namespace
}  // namespace kclinic::adapters::http
