#include "clinical/questionnaire_schedule.hpp"

#include <gtest/gtest.h>

namespace kclinic::clinical {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

const sys_days kMonday{std::chrono::year{2026} / 12 / 7};

TEST(QuestionnaireSchedule, AOneTimeAssignmentIsDueUntilAnsweredOnOrAfterItsDate) {
    const QuestionnaireCadence once{kMonday, std::nullopt};
    EXPECT_EQ(NextDue(once, std::nullopt), kMonday);
    EXPECT_EQ(NextDue(once, kMonday - days{1}), kMonday);  // answered before it was due: counts for nothing
    EXPECT_EQ(NextDue(once, kMonday), std::nullopt);
    EXPECT_EQ(NextDue(once, kMonday + days{3}), std::nullopt);
}

TEST(QuestionnaireSchedule, AWeeklyAssignmentIsNextDueOnItsFirstDateAfterTheAnswer) {
    const QuestionnaireCadence weekly{kMonday, 7};
    EXPECT_EQ(NextDue(weekly, std::nullopt), kMonday);
    EXPECT_EQ(NextDue(weekly, kMonday), kMonday + days{7});
    EXPECT_EQ(NextDue(weekly, kMonday + days{6}), kMonday + days{7});  // a late answer makes up the missed Monday
    EXPECT_EQ(NextDue(weekly, kMonday + days{7}), kMonday + days{14});
    EXPECT_EQ(NextDue(weekly, kMonday + days{30}), kMonday + days{35});
}

TEST(QuestionnaireSchedule, CadenceBounds) {
    EXPECT_TRUE(CheckCadence({kMonday, std::nullopt}, kMonday).ok());
    EXPECT_TRUE(CheckCadence({kMonday + days{kQuestionnaireMaxLeadDays}, 1}, kMonday).ok());
    EXPECT_TRUE(CheckCadence({kMonday, kQuestionnaireMaxEveryDays}, kMonday).ok());

    const Status past = CheckCadence({kMonday - days{1}, std::nullopt}, kMonday);
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().field, "first_due");
    EXPECT_EQ(CheckCadence({kMonday + days{kQuestionnaireMaxLeadDays + 1}, 7}, kMonday).error().field, "first_due");
    for (const int every : {0, -7, kQuestionnaireMaxEveryDays + 1}) {
        const Status refused = CheckCadence({kMonday, every}, kMonday);
        ASSERT_FALSE(refused.ok()) << every;
        EXPECT_EQ(refused.error().code, ErrorCode::kOutOfRange);
        EXPECT_EQ(refused.error().field, "every_days");
    }
}

}  // namespace
}  // namespace kclinic::clinical
