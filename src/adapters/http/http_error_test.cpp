#include "adapters/http/http_error.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kclinic::adapters::http
