#include "base/enum_names.hpp"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic {
namespace {

enum class Colour { kRed, kGreen, kDarkBlue };
constexpr auto kColourNames =
    MakeEnumNames<Colour>({{Colour::kRed, "red"}, {Colour::kGreen, "green"}, {Colour::kDarkBlue, "dark_blue"}});

enum class Shape { kCircle, kSquare };
constexpr auto kIncompleteShapeNames = MakeEnumNames<Shape>({{Shape::kCircle, "circle"}});

static_assert(kColourNames.Name(Colour::kGreen) == "green");
static_assert(kColourNames.Parse("dark_blue") == Colour::kDarkBlue);

TEST(EnumNamesTest, EveryNameRoundTrips) {
    for (Colour colour : kColourNames.Values()) {
        EXPECT_EQ(kColourNames.Parse(kColourNames.Name(colour)), colour) << kColourNames.Name(colour);
    }
}

TEST(EnumNamesTest, ParseRefusesAnyOtherText) {
    for (std::string_view text : {"", "Red", "red ", " red", "blue", "dark-blue", "redgreen"}) {
        EXPECT_EQ(kColourNames.Parse(text), std::nullopt) << text;
    }
}

TEST(EnumNamesTest, ParseFieldNamesTheFieldAndListsEveryNameInOrder) {
    EXPECT_EQ(kColourNames.ParseField("colour", "green").value(), Colour::kGreen);
    Result<Colour> unknown = kColourNames.ParseField("colour", "blue");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(unknown.error().field, "colour");
    EXPECT_EQ(unknown.error().message, "must be one of red, green, dark_blue; got \"blue\"");
}

TEST(EnumNamesTest, ParseAlternativeNamesTheFieldAndListsEveryNameInOrder) {
    EXPECT_EQ(kColourNames.ParseAlternative("colour", "red").value(), Colour::kRed);
    Result<Colour> unknown = kColourNames.ParseAlternative("colour", "Red");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(unknown.error().field, "colour");
    EXPECT_EQ(unknown.error().message, "must be red, green or dark_blue; got \"Red\"");
}

TEST(EnumNamesTest, ListsEveryNameInTableOrder) {
    EXPECT_EQ(kColourNames.List(), "red, green, dark_blue");
    EXPECT_EQ(kColourNames.List("|"), "red|green|dark_blue");
    EXPECT_EQ(kColourNames.Alternatives(), "red, green or dark_blue");
    EXPECT_EQ(MakeEnumNames<Shape>({{Shape::kCircle, "circle"}, {Shape::kSquare, "square"}}).Alternatives(),
              "circle or square");
    EXPECT_EQ(kIncompleteShapeNames.Alternatives(), "circle");
}

TEST(EnumNamesTest, ValuesAreInTableOrder) {
    EXPECT_EQ(kColourNames.Values(), (std::array{Colour::kRed, Colour::kGreen, Colour::kDarkBlue}));
}

TEST(EnumNamesTest, AValueMissingFromTheTableHasNoName) {
    EXPECT_EQ(kIncompleteShapeNames.Name(Shape::kSquare), "");
}

TEST(EnumNamesTestingTest, FindsEveryEnumeratorAndOnlyEnumerators) {
    EXPECT_EQ(testing::Enumerators<Colour>(), (std::vector{Colour::kRed, Colour::kGreen, Colour::kDarkBlue}));
    EXPECT_TRUE(testing::UnnamedEnumerators(kColourNames).empty());
    // The check can fail: a table that leaves out an enumerator names it.
    EXPECT_EQ(testing::UnnamedEnumerators(kIncompleteShapeNames), std::vector{static_cast<int>(Shape::kSquare)});
}

}  // namespace
}  // namespace kclinic
