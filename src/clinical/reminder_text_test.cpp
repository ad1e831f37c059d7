#include "clinical/reminder_text.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "clinical/patient_guidance.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// 2026-09-22 (a Tuesday) at 09:30 UTC.
const TimePoint kStart = std::chrono::sys_days{std::chrono::year{2026} / 9 / 22} + hours{9} + minutes{30};

// Whether `text` holds `part` once its wrapped lines are joined again.
bool Contains(std::string text, std::string_view part) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text.find(part) != std::string::npos;
}

TEST(ReminderText, DatesAndTimesTheAppointmentOnTheClinicsClock) {
    const ReminderText text =
        ComposeReminder(AppointmentType::kFollowUp, kStart, kStart + minutes{30}, ClinicZone::Utc(), "Lakeside Clinic");
    EXPECT_EQ(text.subject, "Reminder: your appointment on Tuesday 22 September 2026 at 09:30");
    EXPECT_TRUE(Contains(text.body, "your appointment at Lakeside Clinic on Tuesday 22 September 2026, from 09:30"))
        << text.body;
    EXPECT_TRUE(Contains(text.body, "until about 10:00 (clinic time, UTC)")) << text.body;
    EXPECT_FALSE(Contains(text.body, "How to prepare")) << text.body;
}

TEST(ReminderText, AnEndPastMidnightIsDated) {
    const TimePoint late = kStart + hours{14};  // 23:30
    const ReminderText text =
        ComposeReminder(AppointmentType::kIvSession, late, late + hours{1}, ClinicZone::Utc(), "");
    EXPECT_TRUE(Contains(text.body, "until about 00:30 on Wednesday 23 September 2026")) << text.body;
    EXPECT_FALSE(Contains(text.body, " at ")) << "no clinic name, no \"at\": " << text.body;
}

// Each type: whether it is worded as a treatment, and the preparation text it carries (that of its route, as the
// portal shows it), or none.
TEST(ReminderText, EachTypeCarriesItsPreparationAndNoHealthDetail) {
    struct Case {
        AppointmentType type;
        bool treatment;
        std::string_view must_contain;  // empty: no preparation text
    };
    const std::vector<Case> cases = {
        {AppointmentType::kEsketamineSession, true, "Do not eat for 2 hours, and do not drink for 30 minutes"},
        {AppointmentType::kIvSession, true, "A responsible adult must take you home"},
        {AppointmentType::kImSession, true, "A responsible adult must take you home"},
        {AppointmentType::kIntake, false, ""},
        {AppointmentType::kPrescriberReview, false, ""},
        {AppointmentType::kTherapyPreparation, false, ""},
        {AppointmentType::kTherapyIntegration, false, ""},
        {AppointmentType::kFollowUp, false, ""},
    };
    for (const Case& c : cases) {
        const ReminderText text = ComposeReminder(c.type, kStart, kStart + hours{3}, ClinicZone::Utc(), "Clinic");
        const std::string name(AppointmentTypeName(c.type));
        EXPECT_EQ(Contains(text.body, "your treatment session"), c.treatment) << name;
        EXPECT_EQ(Contains(text.body, "How to prepare:"), !c.must_contain.empty()) << name;
        if (!c.must_contain.empty()) {
            EXPECT_TRUE(Contains(text.body, c.must_contain)) << name << ": " << text.body;
        }
        // The subject is the same for every type; no drug, route, therapy or type name appears anywhere.
        EXPECT_EQ(text.subject, "Reminder: your appointment on Tuesday 22 September 2026 at 09:30") << name;
        for (const std::string_view word :
             {"ketamine", "Ketamine", "esketamine", "Spravato", "infusion", "IV ", "intramuscular", "therapy", "psycho",
              "depress", "mg", "intake", "review", name.c_str()}) {
            EXPECT_FALSE(Contains(text.subject + text.body, word)) << name << " says " << word;
        }
    }
}

TEST(ReminderText, TheEsketamineSessionCarriesEveryLabelInstruction) {
    const ReminderText text =
        ComposeReminder(AppointmentType::kEsketamineSession, kStart, kStart + hours{3}, ClinicZone::Utc(), "");
    EXPECT_TRUE(Contains(text.body, PreparationInstructions(Route::kEsketamineNasal).text)) << text.body;
    EXPECT_TRUE(Contains(text.body, "until the next day, after a restful sleep")) << text.body;
    EXPECT_TRUE(Contains(text.body, "arrange a ride home")) << text.body;
}

TEST(ReminderText, BodyLinesStayWithinTheWidth) {
    const ReminderText text =
        ComposeReminder(AppointmentType::kEsketamineSession, kStart, kStart + hours{3}, ClinicZone::Utc(),
                        "The Lakeside Centre for Interventional Psychiatry and Wellbeing");
    std::size_t start = 0;
    int lines = 0;
    while (start < text.body.size()) {
        const std::size_t end = text.body.find('\n', start);
        ASSERT_NE(end, std::string::npos) << "the body ends in a line break";
        EXPECT_LE(end - start, kReminderLineWidth) << text.body.substr(start, end - start);
        start = end + 1;
        ++lines;
    }
    EXPECT_GT(lines, 8);
    EXPECT_EQ(text.subject.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace kclinic::clinical
