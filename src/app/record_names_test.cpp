#include "app/record_names.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "app/ports/event_bus.hpp"
#include "base/enum_names_testing.hpp"

namespace kclinic::app {
namespace {

TEST(RecordNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kVitalSourceNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kHistoryKindNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kSignOffNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kCourseStatusNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kNoteKindNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kRemsFormStatusNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kRoleNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kLiveEventKindNames), std::vector<int>{});
}

TEST(RecordNamesTest, ParseIsTheInverseOfNameAndRefusesOtherTextOnItsField) {
    for (Role role : kRoleNames.Values()) {
        EXPECT_EQ(ParseRole(RoleName(role)).value(), role) << RoleName(role);
    }
    Result<Role> unknown = ParseRole("doctor");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().field, "role");
    EXPECT_EQ(unknown.error().message,
              "must be one of admin, prescriber, nurse, therapist, front_desk, patient; got \"doctor\"");
    EXPECT_EQ(ParseCourseStatus("Active").error().field, "status");
    EXPECT_EQ(ParseNoteKind("therapy").error().field, "kind");
}

}  // namespace
}  // namespace kclinic::app
