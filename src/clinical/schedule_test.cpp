#include "clinical/schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day Ymd(int y, unsigned m, unsigned d) {
    return year_month_day{year{y}, std::chrono::month{m}, std::chrono::day{d}};
}
sys_days Day(int y, unsigned m, unsigned d) {
    return sys_days{Ymd(y, m, d)};
}

ScheduleSettings With(std::function<void(ScheduleSettings&)> change) {
    ScheduleSettings settings;
    change(settings);
    return settings;
}

struct WantSession {
    year_month_day date;
    std::string phase;
    int week = 0;
    std::vector<int> dose_options_mg = {};
    std::optional<int> label_dose_mg = std::nullopt;
    std::string note = {};
};

const std::string kIvEndNote =
    "end of the induction series: assess response; maintenance after the series has no trial-established schedule "
    "[PRACTICE]";
const std::string kTrdFirstNote = "first TRD dose: 56 mg (Spravato USPI)";
const std::string kTrdWeek4Note = "end of week 4: assess therapeutic benefit before continuing (Spravato USPI)";
const std::string kTrdWeek5Note = "weeks 5-8: once weekly (Spravato USPI)";
const std::string kTrdWeek9Every2Note =
    "from week 9: every 2 weeks; use the least frequent schedule that keeps response or remission and reassess "
    "periodically (Spravato USPI)";
const std::string kTrdWeek9WeeklyNote =
    "from week 9: once weekly; use the least frequent schedule that keeps response or remission and reassess "
    "periodically (Spravato USPI)";
const std::string kSiFirstNote = "84 mg twice weekly; may lower to 56 mg for tolerability (Spravato USPI)";
const std::string kSiLastNote =
    "end of week 4: stop and evaluate benefit; use beyond 4 weeks has not been studied for this indication (Spravato "
    "USPI)";

// The TRD weeks 1-8, identical for every maintenance setting, from a 2024-12-16 start (crosses the year end).
std::vector<WantSession> TrdFirstEightWeeksFrom20241216() {
    return {
        {Ymd(2024, 12, 16), "induction", 1, {56}, 56, kTrdFirstNote},
        {Ymd(2024, 12, 19), "induction", 1, {56, 84}},
        {Ymd(2024, 12, 23), "induction", 2, {56, 84}},
        {Ymd(2024, 12, 26), "induction", 2, {56, 84}},
        {Ymd(2024, 12, 30), "induction", 3, {56, 84}},
        {Ymd(2025, 1, 2), "induction", 3, {56, 84}},
        {Ymd(2025, 1, 6), "induction", 4, {56, 84}},
        {Ymd(2025, 1, 9), "induction", 4, {56, 84}, std::nullopt, kTrdWeek4Note},
        {Ymd(2025, 1, 13), "maintenance", 5, {56, 84}, std::nullopt, kTrdWeek5Note},
        {Ymd(2025, 1, 20), "maintenance", 6, {56, 84}},
        {Ymd(2025, 1, 27), "maintenance", 7, {56, 84}},
        {Ymd(2025, 2, 3), "maintenance", 8, {56, 84}},
    };
}

std::vector<WantSession> Append(std::vector<WantSession> head, const std::vector<WantSession>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

struct PlanCase {
    std::string name;
    Protocol protocol;
    sys_days start;
    ScheduleSettings settings;
    std::vector<WantSession> want;
};

TEST(PlanScheduleTest, ExactSessions) {
    const std::vector<PlanCase> cases = {
        {"iv twice weekly, 6 infusions (ELEKT-D)",
         Protocol::kIvInduction,
         Day(2024, 1, 1),
         ScheduleSettings{},
         {
             {Ymd(2024, 1, 1), "induction", 1},
             {Ymd(2024, 1, 4), "induction", 1},
             {Ymd(2024, 1, 8), "induction", 2},
             {Ymd(2024, 1, 11), "induction", 2},
             {Ymd(2024, 1, 15), "induction", 3},
             {Ymd(2024, 1, 18), "induction", 3, {}, std::nullopt, kIvEndNote},
         }},
        {"iv twice weekly across the 2024 leap day",
         Protocol::kIvInduction,
         Day(2024, 2, 26),
         ScheduleSettings{},
         {
             {Ymd(2024, 2, 26), "induction", 1},
             {Ymd(2024, 2, 29), "induction", 1},
             {Ymd(2024, 3, 4), "induction", 2},
             {Ymd(2024, 3, 7), "induction", 2},
             {Ymd(2024, 3, 11), "induction", 3},
             {Ymd(2024, 3, 14), "induction", 3, {}, std::nullopt, kIvEndNote},
         }},
        {"iv twice weekly across February 2023 (no leap day)",
         Protocol::kIvInduction,
         Day(2023, 2, 26),
         ScheduleSettings{},
         {
             {Ymd(2023, 2, 26), "induction", 1},
             {Ymd(2023, 3, 1), "induction", 1},
             {Ymd(2023, 3, 5), "induction", 2},
             {Ymd(2023, 3, 8), "induction", 2},
             {Ymd(2023, 3, 12), "induction", 3},
             {Ymd(2023, 3, 15), "induction", 3, {}, std::nullopt, kIvEndNote},
         }},
        {"iv three a week across the year end (Murrough 2013)",
         Protocol::kIvInduction,
         Day(2023, 12, 28),
         With([](ScheduleSettings& s) { s.iv_induction_per_week = 3; }),
         {
             {Ymd(2023, 12, 28), "induction", 1},
             {Ymd(2023, 12, 30), "induction", 1},
             {Ymd(2024, 1, 1), "induction", 1},
             {Ymd(2024, 1, 4), "induction", 2},
             {Ymd(2024, 1, 6), "induction", 2},
             {Ymd(2024, 1, 8), "induction", 2, {}, std::nullopt, kIvEndNote},
         }},
        {"iv three a week, 8 infusions",
         Protocol::kIvInduction,
         Day(2024, 1, 1),
         With([](ScheduleSettings& s) {
             s.iv_induction_per_week = 3;
             s.iv_induction_infusions = 8;
         }),
         {
             {Ymd(2024, 1, 1), "induction", 1},
             {Ymd(2024, 1, 3), "induction", 1},
             {Ymd(2024, 1, 5), "induction", 1},
             {Ymd(2024, 1, 8), "induction", 2},
             {Ymd(2024, 1, 10), "induction", 2},
             {Ymd(2024, 1, 12), "induction", 2},
             {Ymd(2024, 1, 15), "induction", 3},
             {Ymd(2024, 1, 17), "induction", 3, {}, std::nullopt, kIvEndNote},
         }},
        {"iv a single infusion",
         Protocol::kIvInduction,
         Day(2024, 1, 1),
         With([](ScheduleSettings& s) { s.iv_induction_infusions = 1; }),
         {{Ymd(2024, 1, 1), "induction", 1, {}, std::nullopt, kIvEndNote}}},
        {"iv 3 a week with a 2-day minimum (the default) is allowed",
         Protocol::kIvInduction,
         Day(2024, 1, 1),
         With([](ScheduleSettings& s) {
             s.iv_induction_per_week = 3;
             s.iv_induction_infusions = 2;
         }),
         {{Ymd(2024, 1, 1), "induction", 1}, {Ymd(2024, 1, 3), "induction", 1, {}, std::nullopt, kIvEndNote}}},
        {"esketamine TRD, maintenance every 2 weeks x 4, across the year end", Protocol::kEsketamineTrd,
         Day(2024, 12, 16), ScheduleSettings{},
         Append(TrdFirstEightWeeksFrom20241216(),
                {
                    {Ymd(2025, 2, 10), "maintenance", 9, {56, 84}, std::nullopt, kTrdWeek9Every2Note},
                    {Ymd(2025, 2, 24), "maintenance", 11, {56, 84}},
                    {Ymd(2025, 3, 10), "maintenance", 13, {56, 84}},
                    {Ymd(2025, 3, 24), "maintenance", 15, {56, 84}},
                })},
        {"esketamine TRD, maintenance weekly x 2", Protocol::kEsketamineTrd, Day(2024, 12, 16),
         With([](ScheduleSettings& s) {
             s.esketamine_maintenance_interval_weeks = 1;
             s.esketamine_maintenance_sessions = 2;
         }),
         Append(TrdFirstEightWeeksFrom20241216(),
                {
                    {Ymd(2025, 2, 10), "maintenance", 9, {56, 84}, std::nullopt, kTrdWeek9WeeklyNote},
                    {Ymd(2025, 2, 17), "maintenance", 10, {56, 84}},
                })},
        {"esketamine TRD, no sessions planned past week 8", Protocol::kEsketamineTrd, Day(2024, 12, 16),
         With([](ScheduleSettings& s) { s.esketamine_maintenance_sessions = 0; }), TrdFirstEightWeeksFrom20241216()},
        {"esketamine TRD with a 3-day minimum is allowed", Protocol::kEsketamineTrd, Day(2024, 12, 16),
         With([](ScheduleSettings& s) {
             s.min_days_between_sessions = 3;
             s.esketamine_maintenance_sessions = 0;
         }),
         TrdFirstEightWeeksFrom20241216()},
        {"esketamine SI across the 2024 leap day",
         Protocol::kEsketamineSuicidalIdeation,
         Day(2024, 2, 20),
         ScheduleSettings{},
         {
             {Ymd(2024, 2, 20), "acute", 1, {56, 84}, 84, kSiFirstNote},
             {Ymd(2024, 2, 23), "acute", 1, {56, 84}, 84},
             {Ymd(2024, 2, 27), "acute", 2, {56, 84}, 84},
             {Ymd(2024, 3, 1), "acute", 2, {56, 84}, 84},
             {Ymd(2024, 3, 5), "acute", 3, {56, 84}, 84},
             {Ymd(2024, 3, 8), "acute", 3, {56, 84}, 84},
             {Ymd(2024, 3, 12), "acute", 4, {56, 84}, 84},
             {Ymd(2024, 3, 15), "acute", 4, {56, 84}, 84, kSiLastNote},
         }},
        {"esketamine SI ignores IV and maintenance settings it does not use",
         Protocol::kEsketamineSuicidalIdeation,
         Day(2024, 2, 20),
         With([](ScheduleSettings& s) {
             s.iv_induction_per_week = 5;
             s.esketamine_maintenance_interval_weeks = 4;
         }),
         {
             {Ymd(2024, 2, 20), "acute", 1, {56, 84}, 84, kSiFirstNote},
             {Ymd(2024, 2, 23), "acute", 1, {56, 84}, 84},
             {Ymd(2024, 2, 27), "acute", 2, {56, 84}, 84},
             {Ymd(2024, 3, 1), "acute", 2, {56, 84}, 84},
             {Ymd(2024, 3, 5), "acute", 3, {56, 84}, 84},
             {Ymd(2024, 3, 8), "acute", 3, {56, 84}, 84},
             {Ymd(2024, 3, 12), "acute", 4, {56, 84}, 84},
             {Ymd(2024, 3, 15), "acute", 4, {56, 84}, 84, kSiLastNote},
         }},
    };
    for (const PlanCase& c : cases) {
        Result<std::vector<PlannedSession>> plan = PlanSchedule(c.protocol, c.start, c.settings);
        ASSERT_TRUE(plan.ok()) << c.name << ": " << plan.error().ToString();
        ASSERT_EQ(plan->size(), c.want.size()) << c.name;
        for (size_t i = 0; i < c.want.size(); ++i) {
            const PlannedSession& got = (*plan)[i];
            const WantSession& want = c.want[i];
            std::string where = c.name + ", session " + std::to_string(i + 1);
            EXPECT_EQ(got.number, static_cast<int>(i) + 1) << where;
            EXPECT_EQ(year_month_day{got.date}, want.date) << where;
            EXPECT_EQ(got.phase, want.phase) << where;
            EXPECT_EQ(got.week, want.week) << where;
            EXPECT_EQ(got.dose_options_mg, want.dose_options_mg) << where;
            EXPECT_EQ(got.label_dose_mg, want.label_dose_mg) << where;
            EXPECT_EQ(got.note, want.note) << where;
        }
    }
}

struct RefuseCase {
    std::string name;
    Protocol protocol;
    ScheduleSettings settings;
    std::string field;
    ErrorCode code;
    std::string message;  // exact; empty: not checked
};

TEST(PlanScheduleTest, Refusals) {
    const std::vector<RefuseCase> cases = {
        {"iv 3 a week with a 3-day minimum", Protocol::kIvInduction, With([](ScheduleSettings& s) {
             s.iv_induction_per_week = 3;
             s.min_days_between_sessions = 3;
         }),
         "schedule.iv_induction_per_week", ErrorCode::kFailedPrecondition,
         "three a week (days 0, 2, 4, 7, ...) puts sessions 2 days apart, closer than "
         "schedule.min_days_between_sessions = 3 days"},
        {"iv twice weekly with a 4-day minimum", Protocol::kIvInduction,
         With([](ScheduleSettings& s) { s.min_days_between_sessions = 4; }), "schedule.iv_induction_per_week",
         ErrorCode::kFailedPrecondition,
         "twice weekly (days 0, 3, 7, 10, ...) puts sessions 3 days apart, closer than "
         "schedule.min_days_between_sessions = 4 days"},
        {"iv 1 a week", Protocol::kIvInduction, With([](ScheduleSettings& s) { s.iv_induction_per_week = 1; }),
         "schedule.iv_induction_per_week", ErrorCode::kInvalidArgument,
         "must be 2 or 3 infusions a week (Singh 2016 studied both); got 1"},
        {"iv 4 a week", Protocol::kIvInduction, With([](ScheduleSettings& s) { s.iv_induction_per_week = 4; }),
         "schedule.iv_induction_per_week", ErrorCode::kInvalidArgument, ""},
        {"iv 0 infusions", Protocol::kIvInduction, With([](ScheduleSettings& s) { s.iv_induction_infusions = 0; }),
         "schedule.iv_induction_infusions", ErrorCode::kOutOfRange,
         "must be between 1 and 12 infusions (got 0 infusions)"},
        {"iv 13 infusions", Protocol::kIvInduction, With([](ScheduleSettings& s) { s.iv_induction_infusions = 13; }),
         "schedule.iv_induction_infusions", ErrorCode::kOutOfRange, ""},
        {"minimum spacing 0 days", Protocol::kIvInduction,
         With([](ScheduleSettings& s) { s.min_days_between_sessions = 0; }), "schedule.min_days_between_sessions",
         ErrorCode::kOutOfRange, "must be between 1 and 7 days (got 0 days)"},
        {"minimum spacing 8 days", Protocol::kEsketamineSuicidalIdeation,
         With([](ScheduleSettings& s) { s.min_days_between_sessions = 8; }), "schedule.min_days_between_sessions",
         ErrorCode::kOutOfRange, ""},
        {"esketamine TRD with a 4-day minimum", Protocol::kEsketamineTrd,
         With([](ScheduleSettings& s) { s.min_days_between_sessions = 4; }), "schedule.min_days_between_sessions",
         ErrorCode::kFailedPrecondition,
         "the esketamine-trd label schedule (twice weekly in weeks 1-4) puts sessions 3 days apart, closer than "
         "schedule.min_days_between_sessions = 4 days"},
        {"esketamine SI with a 4-day minimum", Protocol::kEsketamineSuicidalIdeation,
         With([](ScheduleSettings& s) { s.min_days_between_sessions = 4; }), "schedule.min_days_between_sessions",
         ErrorCode::kFailedPrecondition, ""},
        {"esketamine TRD interval 3 weeks", Protocol::kEsketamineTrd,
         With([](ScheduleSettings& s) { s.esketamine_maintenance_interval_weeks = 3; }),
         "schedule.esketamine_maintenance_interval_weeks", ErrorCode::kInvalidArgument,
         "must be 1 or 2 weeks (Spravato USPI: weekly or every 2 weeks from week 9); got 3"},
        {"esketamine TRD interval 0 weeks", Protocol::kEsketamineTrd,
         With([](ScheduleSettings& s) { s.esketamine_maintenance_interval_weeks = 0; }),
         "schedule.esketamine_maintenance_interval_weeks", ErrorCode::kInvalidArgument, ""},
        {"esketamine TRD -1 maintenance sessions", Protocol::kEsketamineTrd,
         With([](ScheduleSettings& s) { s.esketamine_maintenance_sessions = -1; }),
         "schedule.esketamine_maintenance_sessions", ErrorCode::kOutOfRange, ""},
        {"esketamine TRD 27 maintenance sessions", Protocol::kEsketamineTrd,
         With([](ScheduleSettings& s) { s.esketamine_maintenance_sessions = 27; }),
         "schedule.esketamine_maintenance_sessions", ErrorCode::kOutOfRange,
         "must be between 0 and 26 sessions (got 27 sessions)"},
    };
    for (const RefuseCase& c : cases) {
        Result<std::vector<PlannedSession>> plan = PlanSchedule(c.protocol, Day(2024, 1, 1), c.settings);
        ASSERT_FALSE(plan.ok()) << c.name << ": accepted with " << plan->size() << " sessions";
        EXPECT_EQ(plan.error().field, c.field) << c.name << ": " << plan.error().ToString();
        EXPECT_EQ(plan.error().code, c.code) << c.name << ": " << plan.error().ToString();
        if (!c.message.empty()) {
            EXPECT_EQ(plan.error().message, c.message) << c.name;
        }
    }
}

TEST(PlanScheduleTest, RangeEdgesAccepted) {
    struct Case {
        std::string name;
        Protocol protocol;
        ScheduleSettings settings;
        size_t sessions;
        year_month_day last;
    };
    const std::vector<Case> cases = {
        {"12 infusions three a week", Protocol::kIvInduction, With([](ScheduleSettings& s) {
             s.iv_induction_infusions = 12;
             s.iv_induction_per_week = 3;
         }),
         12, Ymd(2024, 1, 26)},  // day 25
        {"26 maintenance sessions every 2 weeks", Protocol::kEsketamineTrd,
         With([](ScheduleSettings& s) { s.esketamine_maintenance_sessions = 26; }), 38,
         Ymd(2025, 2, 10)},  // day 56 + 25 x 14 = 406
        {"minimum spacing 1 day", Protocol::kIvInduction,
         With([](ScheduleSettings& s) { s.min_days_between_sessions = 1; }), 6, Ymd(2024, 1, 18)},
        {"minimum spacing 7 days with a single infusion", Protocol::kIvInduction, With([](ScheduleSettings& s) {
             s.min_days_between_sessions = 7;
             s.iv_induction_infusions = 1;
         }),
         1, Ymd(2024, 1, 1)},
    };
    for (const Case& c : cases) {
        Result<std::vector<PlannedSession>> plan = PlanSchedule(c.protocol, Day(2024, 1, 1), c.settings);
        ASSERT_TRUE(plan.ok()) << c.name << ": " << plan.error().ToString();
        ASSERT_EQ(plan->size(), c.sessions) << c.name;
        EXPECT_EQ(year_month_day{plan->back().date}, c.last) << c.name;
    }
}

TEST(CheckSpacingTest, EdgesAndMessages) {
    struct Case {
        std::string name;
        sys_days previous;
        sys_days proposed;
        int min_days;
        std::string want_error;  // empty: accepted; else the exact message on field "date"
    };
    const std::vector<Case> cases = {
        {"exactly 2 days across the leap day", Day(2024, 2, 28), Day(2024, 3, 1), 2, ""},
        {"1 day onto the leap day", Day(2024, 2, 28), Day(2024, 2, 29), 2,
         "2024-02-29 is 1 day after the previous session on 2024-02-28; sessions must be at least 2 days apart "
         "(schedule.min_days_between_sessions), so the earliest date is 2024-03-01"},
        {"non-leap February: 2023-02-28 + 2 is 2023-03-02", Day(2023, 2, 28), Day(2023, 3, 1), 2,
         "2023-03-01 is 1 day after the previous session on 2023-02-28; sessions must be at least 2 days apart "
         "(schedule.min_days_between_sessions), so the earliest date is 2023-03-02"},
        {"across the year end", Day(2024, 12, 31), Day(2025, 1, 1), 2,
         "2025-01-01 is 1 day after the previous session on 2024-12-31; sessions must be at least 2 days apart "
         "(schedule.min_days_between_sessions), so the earliest date is 2025-01-02"},
        {"across the year end, allowed", Day(2024, 12, 31), Day(2025, 1, 2), 2, ""},
        {"same day", Day(2024, 5, 10), Day(2024, 5, 10), 1,
         "2024-05-10 is the same day as the previous session on 2024-05-10; sessions must be at least 1 day apart "
         "(schedule.min_days_between_sessions), so the earliest date is 2024-05-11"},
        {"before the previous session", Day(2024, 5, 10), Day(2024, 5, 7), 2,
         "2024-05-07 is 3 days before the previous session on 2024-05-10; sessions must be at least 2 days apart "
         "(schedule.min_days_between_sessions), so the earliest date is 2024-05-12"},
        {"3-day minimum, 2 days refused", Day(2024, 5, 10), Day(2024, 5, 12), 3,
         "2024-05-12 is 2 days after the previous session on 2024-05-10; sessions must be at least 3 days apart "
         "(schedule.min_days_between_sessions), so the earliest date is 2024-05-13"},
        {"3-day minimum, 3 days allowed", Day(2024, 5, 10), Day(2024, 5, 13), 3, ""},
        {"7-day minimum, a week later allowed", Day(2024, 5, 10), Day(2024, 5, 17), 7, ""},
        {"far later allowed", Day(2024, 5, 10), Day(2025, 5, 10), 2, ""},
    };
    for (const Case& c : cases) {
        Status status = CheckSpacing(c.previous, c.proposed,
                                     With([&](ScheduleSettings& s) { s.min_days_between_sessions = c.min_days; }));
        if (c.want_error.empty()) {
            EXPECT_TRUE(status.ok()) << c.name << ": " << status.error().ToString();
        } else {
            ASSERT_FALSE(status.ok()) << c.name;
            EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition) << c.name;
            EXPECT_EQ(status.error().field, "date") << c.name;
            EXPECT_EQ(status.error().message, c.want_error) << c.name;
        }
    }
    for (int bad : {0, 8, -2}) {
        Status status = CheckSpacing(Day(2024, 5, 10), Day(2024, 6, 10),
                                     With([&](ScheduleSettings& s) { s.min_days_between_sessions = bad; }));
        ASSERT_FALSE(status.ok()) << "min_days " << bad;
        EXPECT_EQ(status.error().field, "schedule.min_days_between_sessions") << "min_days " << bad;
        EXPECT_EQ(status.error().code, ErrorCode::kOutOfRange) << "min_days " << bad;
    }
}

TEST(ProtocolNamesTest, RoundTripAndRefuseUnknown) {
    const std::vector<std::pair<Protocol, std::string>> names = {
        {Protocol::kIvInduction, "iv-induction"},
        {Protocol::kEsketamineTrd, "esketamine-trd"},
        {Protocol::kEsketamineSuicidalIdeation, "esketamine-si"}};
    for (const auto& [protocol, name] : names) {
        EXPECT_EQ(ProtocolName(protocol), name) << name;
        Result<Protocol> parsed = ParseProtocol(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(*parsed, protocol) << name;
    }
    for (std::string bad : {"", "iv_induction", "ESKETAMINE-TRD", "esketamine"}) {
        Result<Protocol> parsed = ParseProtocol(bad);
        ASSERT_FALSE(parsed.ok()) << "\"" << bad << "\"";
        EXPECT_EQ(parsed.error().field, "protocol") << "\"" << bad << "\"";
        EXPECT_EQ(parsed.error().message, "must be iv-induction, esketamine-trd or esketamine-si; got \"" + bad + "\"")
            << "\"" << bad << "\"";
    }
}

TEST(ProtocolNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kProtocolNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
