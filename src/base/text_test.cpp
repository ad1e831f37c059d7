#include "base/text.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace kclinic {
namespace {

TEST(FoldAsciiCaseTest, ChangesOnlyAToZ) {
    EXPECT_EQ(FoldAsciiCase("AZaz09-' Ä"), "azaz09-' Ä");
}

TEST(FormatNumberTest, WholeNumbersHaveNoDecimalPoint) {
    EXPECT_EQ(FormatNumber(250.0), "250");
    EXPECT_EQ(FormatNumber(-3.0), "-3");
    EXPECT_EQ(FormatNumber(0.75), "0.75");
    EXPECT_EQ(FormatNumber(52.5), "52.5");
}

TEST(FormatDateTest, IsoCalendarDate) {
    using namespace std::chrono;
    EXPECT_EQ(FormatDate(sys_days{year{2028} / 2 / 29}), "2028-02-29");
    EXPECT_EQ(FormatDate(sys_days{year{2026} / 12 / 1}), "2026-12-01");
    EXPECT_EQ(FormatDate(sys_days{year{999} / 1 / 9}), "0999-01-09");
}

TEST(ParseDateTest, AcceptsOnlyRealIsoDates) {
    using namespace std::chrono;
    EXPECT_EQ(ParseDate("2028-02-29"), sys_days{year{2028} / 2 / 29});
    for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01x", "",
                            "abcd-ef-gh", "2026-00-10"}) {
        EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
    }
}

TextRule MultiLine(std::size_t max_characters) {
    return {.max_characters = max_characters, .multiline = true, .required = false};
}

TEST(TextCheckTest, AcceptsMultiLineUtf8WithinTheLimitCountingCharactersNotBytes) {
    EXPECT_TRUE(CheckText("body", "", MultiLine(10)).ok());
    EXPECT_TRUE(CheckText("body", "Plan:\n\t- integration session next week", MultiLine(100)).ok());
    // "Übelkeit 😊" is 10 characters in 14 bytes.
    const std::string nausea =
        "\xC3\x9C"
        "belkeit \xF0\x9F\x98\x8A";
    EXPECT_TRUE(CheckText("body", nausea, MultiLine(10)).ok());
    Status too_long = CheckText("body", nausea, MultiLine(9));
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.error().field, "body");
    EXPECT_EQ(too_long.error().message, "must be at most 9 characters (got 10)");
}

TEST(TextCheckTest, RefusesControlCharactersOtherThanNewlineAndTab) {
    for (const std::string& text :
         {std::string("a\0b", 3), std::string("bell\x07"), std::string("del\x7F"), std::string("esc\x1B[0m")}) {
        Status status = CheckText("detail", text, MultiLine(100));
        ASSERT_FALSE(status.ok()) << text;
        EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(status.error().field, "detail");
    }
}

// Found when the API was probed with hostile input (issue 15 §3): a note typed where line breaks are CRLF (a
// Windows client, an HTML form's textarea, RFC 9110's own line ending) was refused although the docs allow line
// breaks. A CRLF is kept as sent and counts as one character, like the newline it stands for; a carriage return on
// its own is still refused, since a terminal printing it moves back to the start of the line and the text after it
// overwrites what came before (a printed note or audit detail would not show what is stored).
TEST(TextCheckTest, MultiLineTextTakesCrlfLineBreaksButNoLoneCarriageReturn) {
    EXPECT_TRUE(CheckText("body", "Plan:\r\n\t- integration\r\n\r\nnext week\r\n", MultiLine(100)).ok());
    EXPECT_TRUE(CheckText("body", "a\r\nb", MultiLine(3)).ok());
    EXPECT_EQ(CheckText("body", "a\r\nb\r\n", MultiLine(3)).error().message, "must be at most 3 characters (got 4)");
    for (const std::string text : {"a\rb", "a\r", "\rb", "a\n\rb", "a\r\rb"}) {
        Status status = CheckText("body", text, MultiLine(100));
        ASSERT_FALSE(status.ok()) << text;
        EXPECT_EQ(status.error().ToString(), "body: must not contain a carriage return other than in a CRLF line break")
            << text;
    }
    EXPECT_EQ(CheckText("reason", "\r\n", {.max_characters = 20, .multiline = true}).error().ToString(),
              "reason: is required");
    EXPECT_EQ(CheckText("lot_number", "a\r\nb", {.max_characters = 20}).error().ToString(),
              "lot_number: must not contain control characters");
}

TEST(TextCheckTest, RefusesInvalidUtf8) {
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
        Status status = CheckText("body", text, MultiLine(100));
        ASSERT_FALSE(status.ok());
        EXPECT_EQ(status.error().message, "must be valid UTF-8");
    }
    EXPECT_TRUE(CheckText("body", "\xE2\x82\xAC 5", MultiLine(3)).ok());  // "€ 5"
}

TEST(TextCheckTest, BlankIsOnlySpacesTabsAndNewlines) {
    EXPECT_TRUE(IsBlank(""));
    EXPECT_TRUE(IsBlank(" \t\n "));
    EXPECT_TRUE(IsBlank(" \r\n "));
    EXPECT_FALSE(IsBlank(" x "));
}

TEST(TextCheckTest, OneLineTextRefusesEveryControlCharacterAndNamesTheRule) {
    const TextRule one_line{.max_characters = 20};
    EXPECT_TRUE(CheckText("lot_number", "LOT 24-117", one_line).ok());
    for (const std::string& text : {std::string("a\nb"), std::string("a\tb"), std::string("del\x7F")}) {
        Status status = CheckText("lot_number", text, one_line);
        ASSERT_FALSE(status.ok()) << text;
        EXPECT_EQ(status.error().ToString(), "lot_number: must not contain control characters");
    }
}

TEST(TextCheckTest, RequiredTextIsNotBlankAndOptionalTextIsEmptyOrReal) {
    const TextRule required{.max_characters = 20};
    const TextRule optional{.max_characters = 20, .required = false};
    EXPECT_EQ(CheckText("reason", "", required).error().ToString(), "reason: is required");
    EXPECT_EQ(CheckText("reason", " \t", required).error().ToString(), "reason: is required");
    EXPECT_TRUE(CheckText("confirmation_reference", "", optional).ok());
    EXPECT_EQ(CheckText("confirmation_reference", "  ", optional).error().ToString(),
              "confirmation_reference: must not be blank when given");
}

}  // namespace
}  // namespace kclinic
