#include "base/result.hpp"

#include <gtest/gtest.h>

namespace kclinic {
namespace {

TEST(ResultTest, HoldsValueOrError) {
    Result<int> good = 7;
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(*good, 7);

    Result<int> bad = InvalidArgument("answers", "expected 9 answers");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(bad.error().ToString(), "answers: expected 9 answers");
}

TEST(ResultTest, OutOfRangeNamesFieldRangeUnitAndValue) {
    Error error = OutOfRange("weight_kg", 251, 30, 250, "kg");
    EXPECT_EQ(error.code, ErrorCode::kOutOfRange);
    EXPECT_EQ(error.ToString(), "weight_kg: must be between 30 and 250 kg (got 251 kg)");
    EXPECT_EQ(OutOfRange("mg_per_kg", 1.25, 0.1, 1, "mg/kg").message,
              "must be between 0.1 and 1 mg/kg (got 1.25 mg/kg)");
}

TEST(ResultTest, StatusDefaultsToOk) {
    EXPECT_TRUE(Status::Ok().ok());
    Status refused = Error{ErrorCode::kFailedPrecondition, "", "session is not checked in"};
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().ToString(), "session is not checked in");
}

TEST(ErrorCodeTest, NamesAreStableSnakeCase) {
    EXPECT_EQ(ErrorCodeName(ErrorCode::kOutOfRange), "out_of_range");
    EXPECT_EQ(ErrorCodeName(ErrorCode::kFailedPrecondition), "failed_precondition");
}

}  // namespace
}  // namespace kclinic
