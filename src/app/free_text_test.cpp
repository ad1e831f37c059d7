#include "app/free_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kclinic::app {
namespace {

TEST(FreeTextTest, AcceptsMultiLineUtf8WithinTheLimitCountingCharactersNotBytes) {
    EXPECT_TRUE(CheckFreeText("body", "", 10).ok());
    EXPECT_TRUE(CheckFreeText("body", "Plan:\n\t- integration session next week", 100).ok());
    // "Übelkeit 😊" is 10 characters in 14 bytes.
    const std::string nausea =
        "\xC3\x9C"
        "belkeit \xF0\x9F\x98\x8A";
    EXPECT_TRUE(CheckFreeText("body", nausea, 10).ok());
    Status too_long = CheckFreeText("body", nausea, 9);
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.error().field, "body");
    EXPECT_EQ(too_long.error().message, "must be at most 9 characters (got 10)");
}

TEST(FreeTextTest, RefusesControlCharactersOtherThanNewlineAndTab) {
    for (const std::string& text : {std::string("a\rb"), std::string("a\0b", 3), std::string("bell\x07"),
                                    std::string("del\x7F"), std::string("esc\x1B[0m")}) {
        Status status = CheckFreeText("detail", text, 100);
        ASSERT_FALSE(status.ok()) << text;
        EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(status.error().field, "detail");
    }
}

TEST(FreeTextTest, RefusesInvalidUtf8) {
    const std::vector<std::string> invalid = {
        "\x80",              // a continuation byte with no lead
        "\xC3",              // a truncated sequence
        "\xC0\xAF",          // an overlong encoding of '/'
        "\xE0\x80\xAF",      // an overlong three-byte encoding
        "\xED\xA0\x80",      // a UTF-16 surrogate
        "\xF4\x90\x80\x80",  // above U+10FFFF
        "\xF5\x80\x80\x80",  // a lead byte no code point uses
        "\xE2\x82",          // truncated euro sign
        "\xE2\x28\xA1",      // a continuation byte replaced by '('
    };
    for (const std::string& text : invalid) {
        Status status = CheckFreeText("body", text, 100);
        ASSERT_FALSE(status.ok());
        EXPECT_EQ(status.error().message, "must be valid UTF-8");
    }
    EXPECT_TRUE(CheckFreeText("body", "\xE2\x82\xAC 5", 3).ok());  // "€ 5"
}

TEST(FreeTextTest, BlankIsOnlySpacesTabsAndNewlines) {
    EXPECT_TRUE(IsBlank(""));
    EXPECT_TRUE(IsBlank(" \t\n "));
    EXPECT_FALSE(IsBlank(" x "));
}

}  // namespace
}  // namespace kclinic::app
