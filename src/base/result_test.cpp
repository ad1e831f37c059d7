#include "base/result.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "base/enum_names_testing.hpp"

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

Result<int> Parse(int value) {
    if (value < 0) {
        return InvalidArgument("value", "must not be negative");
    }
    return value;
}

Status CheckEven(int value) {
    if (value % 2 != 0) {
        return InvalidArgument("value", "must be even");
    }
    return Status::Ok();
}

// Each step is counted, so the tests see that a failed step stops the function there.
Result<int> ParseEvenTwice(int value, int& steps) {
    ++steps;
    ASSIGN_OR_RETURN(const int parsed, Parse(value));
    ++steps;
    RETURN_IF_ERROR(CheckEven(parsed));
    ++steps;
    RETURN_IF_ERROR(Parse(parsed));  // a Result<T> in RETURN_IF_ERROR: only its error matters
    return parsed * 2;
}

TEST(ResultMacrosTest, PassTheValueOnOrReturnTheFirstErrorUnchanged) {
    int steps = 0;
    Result<int> doubled = ParseEvenTwice(4, steps);
    ASSERT_TRUE(doubled.ok());
    EXPECT_EQ(*doubled, 8);
    EXPECT_EQ(steps, 3);

    steps = 0;
    Result<int> negative = ParseEvenTwice(-2, steps);
    ASSERT_FALSE(negative.ok());
    EXPECT_EQ(negative.error().ToString(), "value: must not be negative");
    EXPECT_EQ(steps, 1);

    steps = 0;
    Result<int> odd = ParseEvenTwice(3, steps);
    ASSERT_FALSE(odd.ok());
    EXPECT_EQ(odd.error().ToString(), "value: must be even");
    EXPECT_EQ(steps, 2);
}

TEST(ResultMacrosTest, AssignOrReturnMovesTheValueAndEvaluatesOnce) {
    int calls = 0;
    auto make = [&]() -> Result<std::unique_ptr<int>> {
        ++calls;
        return std::make_unique<int>(7);
    };
    auto run = [&]() -> Status {
        ASSIGN_OR_RETURN(std::unique_ptr<int> moved, make());  // a move-only value
        EXPECT_EQ(*moved, 7);
        std::unique_ptr<int> assigned;
        ASSIGN_OR_RETURN(assigned, make());  // into a variable already declared
        EXPECT_EQ(*assigned, 7);
        return Status::Ok();
    };
    EXPECT_TRUE(run().ok());
    EXPECT_EQ(calls, 2);
}

TEST(ErrorCodeTest, NamesAreStableSnakeCase) {
    EXPECT_EQ(ErrorCodeName(ErrorCode::kOutOfRange), "out_of_range");
    EXPECT_EQ(ErrorCodeName(ErrorCode::kFailedPrecondition), "failed_precondition");
}

TEST(ErrorCodeTest, EveryErrorCodeHasAName) {
    for (ErrorCode code : testing::Enumerators<ErrorCode>()) {
        EXPECT_FALSE(ErrorCodeName(code).empty()) << static_cast<int>(code);
    }
}

}  // namespace
}  // namespace kclinic
