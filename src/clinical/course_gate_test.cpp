#include "clinical/course_gate.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kclinic::clinical {
namespace {

TEST(ProductOfRouteTest, EachRouteIsTheProductItsScreeningScreens) {
    EXPECT_EQ(ProductOfRoute(Route::kIv), Product::kKetamineIv);
    EXPECT_EQ(ProductOfRoute(Route::kEsketamineNasal), Product::kEsketamineNasal);
    EXPECT_EQ(ProductOfRoute(Route::kIm), Product::kKetamineIm);
    EXPECT_EQ(ProductOfRoute(Route::kOral), Product::kKetamineOral);
    EXPECT_EQ(ProductOfRoute(Route::kSublingual), Product::kKetamineSublingual);
}

TEST(CheckScreeningAllowsCourseTest, OnlyASignedScreeningThatAllowsTreatment) {
    const auto signed_with = [](Decision decision) { return ScreeningForCourse{7, decision, true}; };
    struct Case {
        std::string name;
        std::optional<ScreeningForCourse> latest;
        std::string override_reason;
        std::optional<ErrorCode> code;  // nullopt: the course may start
        std::string field;
        std::string message;
    };
    const std::vector<Case> cases{
        {"eligible", signed_with(Decision::kEligible), "", std::nullopt, "", ""},
        {"eligible with cautions", signed_with(Decision::kEligibleWithCautions), "", std::nullopt, "", ""},
        {"needs review, overridden", signed_with(Decision::kNeedsReview), "BP controlled on amlodipine", std::nullopt,
         "", ""},
        {"no screening", std::nullopt, "", ErrorCode::kFailedPrecondition, "screening",
         "the patient has no eligibility screening for ketamine-iv: screen the patient and have a prescriber sign "
         "it before starting a course"},
        {"unsigned", ScreeningForCourse{7, Decision::kEligible, false}, "", ErrorCode::kFailedPrecondition, "screening",
         "screening 7 (the latest for ketamine-iv) is not signed: a prescriber signs a screening before a course "
         "starts on it"},
        {"unsigned even with a reason", ScreeningForCourse{7, Decision::kNeedsReview, false}, "reviewed",
         ErrorCode::kFailedPrecondition, "screening",
         "screening 7 (the latest for ketamine-iv) is not signed: a prescriber signs a screening before a course "
         "starts on it"},
        {"needs review, no reason", signed_with(Decision::kNeedsReview), "", ErrorCode::kFailedPrecondition,
         "screening",
         "screening 7 (the latest for ketamine-iv) needs review: a course starts on it only with a prescriber's "
         "screening_override_reason"},
        {"needs review, blank reason", signed_with(Decision::kNeedsReview), " \t", ErrorCode::kFailedPrecondition,
         "screening",
         "screening 7 (the latest for ketamine-iv) needs review: a course starts on it only with a prescriber's "
         "screening_override_reason"},
        {"not eligible", signed_with(Decision::kNotEligible), "", ErrorCode::kFailedPrecondition, "screening",
         "screening 7 (the latest for ketamine-iv) decided not_eligible: a contraindication is not overridden at "
         "course start"},
        {"not eligible, with a reason", signed_with(Decision::kNotEligible), "benefit outweighs risk",
         ErrorCode::kFailedPrecondition, "screening",
         "screening 7 (the latest for ketamine-iv) decided not_eligible: a contraindication is not overridden at "
         "course start"},
        {"override of an eligible decision", signed_with(Decision::kEligible), "just in case",
         ErrorCode::kInvalidArgument, "screening_override_reason",
         "screening 7 (the latest for ketamine-iv) decided eligible: there is nothing to override"},
    };
    for (const Case& c : cases) {
        const Result<std::int64_t> status =
            CheckScreeningAllowsCourse(Product::kKetamineIv, c.latest, c.override_reason);
        if (!c.code) {
            ASSERT_TRUE(status.ok()) << c.name << ": " << status.error().ToString();
            EXPECT_EQ(*status, 7) << c.name;
            continue;
        }
        ASSERT_FALSE(status.ok()) << c.name;
        EXPECT_EQ(status.error().code, *c.code) << c.name;
        EXPECT_EQ(status.error().field, c.field) << c.name;
        EXPECT_EQ(status.error().message, c.message) << c.name;
    }
}

TEST(SameIndicationTest, IgnoresCaseAndBlanksOnly) {
    struct Case {
        std::string a;
        std::string b;
        bool same;
    };
    const std::vector<Case> cases{
        {"treatment-resistant depression (F33.2)", "treatment-resistant depression (F33.2)", true},
        {"Treatment-Resistant Depression (F33.2)", "treatment-resistant depression (f33.2)", true},
        {"  treatment-resistant   depression\t(F33.2) ", "treatment-resistant depression (F33.2)", true},
        {"treatment-resistant depression (F33.2)", "PTSD (F43.10)", false},
        {"treatment-resistant depression", "treatment-resistantdepression", false},
        {"trd", "trd (F33.2)", false},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(SameIndication(c.a, c.b), c.same) << "\"" << c.a << "\" vs \"" << c.b << "\"";
    }
}

}  // namespace
}  // namespace kclinic::clinical
