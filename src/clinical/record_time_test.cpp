#include "clinical/record_time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 9 / 21} + hours{14};

struct TimingCase {
    std::string what;
    std::chrono::milliseconds offset;   // the entry's time minus now
    std::optional<EntryTiming> timing;  // nullopt: refused
    std::string message;                // the refusal's message
};

// Each boundary at the defaults (5 min skew, late after 30 min, refused after 24 h), one step either side.
TEST(RecordTimeTest, BoundariesAtTheDefaults) {
    const std::vector<TimingCase> cases = {
        {"now", minutes{0}, EntryTiming::kContemporaneous, ""},
        {"the skew allowance ahead", minutes{5}, EntryTiming::kContemporaneous, ""},
        {"a second past the skew allowance", minutes{5} + seconds{1}, std::nullopt,
         "is in the future: more than 5 min (records.clock_skew_minutes) after the server's clock"},
        {"30 min ago", -minutes{30}, EntryTiming::kContemporaneous, ""},
        {"30 min and a second ago", -(minutes{30} + seconds{1}), EntryTiming::kLate, ""},
        {"24 h ago", -hours{24}, EntryTiming::kLate, ""},
        {"24 h and a second ago", -(hours{24} + seconds{1}), std::nullopt,
         "is older than the late-entry limit of 24 h (records.late_entry_max_hours)"},
    };
    const RecordSettings settings;
    for (const TimingCase& c : cases) {
        const Result<EntryTiming> timing = CheckEntryTime("started_at", kNow + c.offset, kNow, settings);
        if (c.timing) {
            ASSERT_TRUE(timing.ok()) << c.what << ": " << timing.error().ToString();
            EXPECT_EQ(kEntryTimingNames.Name(*timing), kEntryTimingNames.Name(*c.timing)) << c.what;
        } else {
            ASSERT_FALSE(timing.ok()) << c.what << ": accepted as " << kEntryTimingNames.Name(*timing);
            EXPECT_EQ(timing.error().field, "started_at") << c.what;
            EXPECT_EQ(timing.error().message, c.message) << c.what;
        }
    }
}

TEST(RecordTimeTest, TheSettingsMoveTheBoundaries) {
    RecordSettings settings;
    settings.clock_skew_minutes = 1;
    settings.late_entry_after_minutes = 10;
    settings.late_entry_max_hours = 2;
    EXPECT_FALSE(CheckEntryTime("measured_at", kNow + minutes{2}, kNow, settings).ok());
    EXPECT_EQ(CheckEntryTime("measured_at", kNow - minutes{11}, kNow, settings).value(), EntryTiming::kLate);
    EXPECT_FALSE(CheckEntryTime("measured_at", kNow - hours{3}, kNow, settings).ok());
}

TEST(RecordTimeTest, EveryTimingHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kEntryTimingNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
