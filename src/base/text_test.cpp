#include "base/text.hpp"

#include <gtest/gtest.h>

namespace kclinic {
namespace {

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

}  // namespace
}  // namespace kclinic
