#include "clinical/scheduling.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "base/enum_names_testing.hpp"
#include "base/text.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;

constexpr sys_days Day(int y, unsigned m, unsigned d) {
    return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// The OS's IANA database through the time-zone library, as clinic_zone_test reads it: the rules a clinic's server
// applies. A test may read the database; the core never does.
ClinicZone RealZone(const std::string& name) {
    return ClinicZone(*date::locate_zone(name));
}

TEST(SchedulingNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kAppointmentTypeNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kRoomEquipmentNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kAppointmentStatusNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kBookingRuleNames), std::vector<int>{});
}

TEST(SchedulingNamesTest, ParsersNameTheirFieldAndTheChoices) {
    EXPECT_EQ(*ParseAppointmentType("esketamine-session"), AppointmentType::kEsketamineSession);
    EXPECT_EQ(ParseAppointmentType("iv").error().ToString(),
              "type: must be one of iv-session, esketamine-session, im-session, intake, prescriber-review, "
              "therapy-preparation, therapy-integration, follow-up; got \"iv\"");
    EXPECT_EQ(*ParseRoomEquipment("iv-im"), RoomEquipment::kIvIm);
    EXPECT_EQ(ParseRoomEquipment("iv").error().ToString(),
              "equipment: must be one of iv-im, esketamine, both; got \"iv\"");
    EXPECT_EQ(*ParseAppointmentStatus("no_show"), AppointmentStatus::kNoShow);
    EXPECT_EQ(ParseAppointmentStatus("noshow").error().field, "status");
}

TEST(SchedulingTypesTest, TreatmentsNeedAFittingRoomAndOnlyThreeRoutesAreScheduled) {
    struct Case {
        AppointmentType type;
        bool treatment;
        bool fits_iv_im, fits_esketamine, fits_both;
    };
    const std::vector<Case> cases = {
        {AppointmentType::kIvSession, true, true, false, true},
        {AppointmentType::kImSession, true, true, false, true},
        {AppointmentType::kEsketamineSession, true, false, true, true},
        {AppointmentType::kIntake, false, true, true, true},
        {AppointmentType::kPrescriberReview, false, true, true, true},
        {AppointmentType::kTherapyPreparation, false, true, true, true},
        {AppointmentType::kTherapyIntegration, false, true, true, true},
        {AppointmentType::kFollowUp, false, true, true, true},
    };
    for (const Case& c : cases) {
        const std::string what(AppointmentTypeName(c.type));
        EXPECT_EQ(IsTreatment(c.type), c.treatment) << what;
        EXPECT_EQ(RoomFits(RoomEquipment::kIvIm, c.type), c.fits_iv_im) << what;
        EXPECT_EQ(RoomFits(RoomEquipment::kEsketamine, c.type), c.fits_esketamine) << what;
        EXPECT_EQ(RoomFits(RoomEquipment::kBoth, c.type), c.fits_both) << what;
    }
    EXPECT_EQ(*TreatmentTypeOf(Route::kIv), AppointmentType::kIvSession);
    EXPECT_EQ(*TreatmentTypeOf(Route::kEsketamineNasal), AppointmentType::kEsketamineSession);
    EXPECT_EQ(*TreatmentTypeOf(Route::kIm), AppointmentType::kImSession);
    EXPECT_EQ(TreatmentTypeOf(Route::kOral).error().field, "route");
    EXPECT_EQ(TreatmentTypeOf(Route::kSublingual).error().field, "route");
    EXPECT_TRUE(HoldsTime(AppointmentStatus::kBooked));
    EXPECT_TRUE(HoldsTime(AppointmentStatus::kCheckedIn));
    EXPECT_FALSE(HoldsTime(AppointmentStatus::kCompleted));
    EXPECT_FALSE(HoldsTime(AppointmentStatus::kCancelled));
    EXPECT_FALSE(HoldsTime(AppointmentStatus::kNoShow));
}

TEST(DayHoursTest, ParsesHoursOrClosedAndRefusesAnythingElse) {
    struct Case {
        std::string text;
        std::optional<std::optional<DayHours>> expected;  // nullopt: refused
    };
    const std::vector<Case> cases = {
        {"08:00-18:00", DayHours{hours{8}, hours{18}}},
        {"00:00-24:00", DayHours{hours{0}, hours{24}}},
        {"07:30-19:45", DayHours{minutes{450}, minutes{1185}}},
        {"closed", std::optional<DayHours>{}},
        {"18:00-08:00", std::nullopt},  // closes before it opens
        {"08:00-08:00", std::nullopt},  // open no minute
        {"24:00-24:00", std::nullopt},
        {"08:00-24:30", std::nullopt},  // past midnight
        {"08:60-18:00", std::nullopt},
        {"8:00-18:00", std::nullopt},
        {"08:00 - 18:00", std::nullopt},
        {"08:00-18:00 ", std::nullopt},
        {"Closed", std::nullopt},
        {"", std::nullopt},
    };
    for (const Case& c : cases) {
        Result<std::optional<DayHours>> parsed = ParseDayHours("hours.monday", c.text);
        ASSERT_EQ(parsed.ok(), c.expected.has_value()) << '"' << c.text << '"';
        if (parsed.ok()) {
            EXPECT_EQ(*parsed, *c.expected) << c.text;
            EXPECT_EQ(DayHoursText(*parsed), c.text);
        } else {
            EXPECT_EQ(parsed.error().ToString(),
                      "hours.monday: expected \"HH:MM-HH:MM\" (24-hour, closing after opening, at most 24:00) or "
                      "\"closed\" (got \"" +
                          c.text + "\")");
        }
    }
}

TEST(AppointmentLengthTest, TreatmentsArePreDoseDosingMonitoringAndTurnover) {
    ClinicSettings settings;
    const std::vector<std::pair<AppointmentType, int>> defaults = {
        {AppointmentType::kIvSession, 15 + 40 + 60 + 15},      // pre-dose, 40-min infusion, observation, turnover
        {AppointmentType::kEsketamineSession, 15 + 120 + 15},  // the REMS 2 h from the first device
        {AppointmentType::kImSession, 15 + 60 + 15},
        {AppointmentType::kIntake, 60},
        {AppointmentType::kPrescriberReview, 30},
        {AppointmentType::kTherapyPreparation, 60},
        {AppointmentType::kTherapyIntegration, 60},
        {AppointmentType::kFollowUp, 30},
    };
    for (const auto& [type, length] : defaults) {
        EXPECT_EQ(AppointmentLength(type, settings), minutes{length}) << AppointmentTypeName(type);
    }
    // Every part follows its setting.
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"appointments.pre_dose_minutes", "20"},
             {"appointments.iv_infusion_minutes", "60"},
             {"appointments.iv_observation_minutes", "45"},
             {"appointments.im_observation_minutes", "40"},
             {"appointments.esketamine_monitoring_minutes", "180"},
             {"appointments.turnover_minutes", "10"},
             {"appointments.intake_minutes", "90"},
             {"appointments.prescriber_review_minutes", "20"},
             {"appointments.therapy_preparation_minutes", "50"},
             {"appointments.therapy_integration_minutes", "75"},
             {"appointments.follow_up_minutes", "15"},
         }) {
        ASSERT_TRUE(SetSetting(settings, name, value).ok()) << name;
    }
    EXPECT_EQ(AppointmentLength(AppointmentType::kIvSession, settings), minutes{20 + 60 + 45 + 10});
    EXPECT_EQ(AppointmentLength(AppointmentType::kEsketamineSession, settings), minutes{20 + 180 + 10});
    EXPECT_EQ(AppointmentLength(AppointmentType::kImSession, settings), minutes{20 + 40 + 10});
    EXPECT_EQ(AppointmentLength(AppointmentType::kIntake, settings), minutes{90});
    EXPECT_EQ(AppointmentLength(AppointmentType::kPrescriberReview, settings), minutes{20});
    EXPECT_EQ(AppointmentLength(AppointmentType::kTherapyPreparation, settings), minutes{50});
    EXPECT_EQ(AppointmentLength(AppointmentType::kTherapyIntegration, settings), minutes{75});
    EXPECT_EQ(AppointmentLength(AppointmentType::kFollowUp, settings), minutes{15});
}

TEST(SchedulingSettingsTest, BoundsAndTheRulesBetweenThem) {
    struct Case {
        std::string name;
        std::string value;
        std::string error;  // empty: accepted
    };
    const std::vector<Case> cases = {
        // The REMS 2 hours may be raised, never lowered.
        {"appointments.esketamine_monitoring_minutes", "119",
         "appointments.esketamine_monitoring_minutes: must be between 120 and 240 min (got 119 min)"},
        {"appointments.esketamine_monitoring_minutes", "150", ""},
        {"appointments.iv_infusion_minutes", "30",
         "appointments.iv_infusion_minutes: must be between 40 and 100 min (got 30 min)"},
        {"appointments.slot_step_minutes", "20", ""},
        {"appointments.slot_step_minutes", "25",
         "appointments.slot_step_minutes: must divide 60 (5, 6, 10, 12, 15, 20, 30 or 60)"},
        {"appointments.slot_step_minutes", "4",
         "appointments.slot_step_minutes: must be between 5 and 60 min (got 4 min)"},
        {"schedule.patients_per_nurse", "1", ""},
        {"schedule.patients_per_nurse", "7",
         "schedule.patients_per_nurse: must be between 1 and 6 patients (got 7 patients)"},
        {"hours.saturday", "09:00-13:00", ""},
        {"hours.monday", "closed", ""},
        {"hours.monday", "9-17",
         "hours.monday: expected \"HH:MM-HH:MM\" (24-hour, closing after opening, at most 24:00) or \"closed\" (got "
         "\"9-17\")"},
        {"reminders.second_lead_hours", "0", ""},
        {"reminders.second_lead_hours", "24",
         "reminders.second_lead_hours: must be fewer hours than reminders.first_lead_hours (or 0: no second "
         "reminder)"},
        {"reminders.first_lead_hours", "2",
         "reminders.second_lead_hours: must be fewer hours than reminders.first_lead_hours (or 0: no second "
         "reminder)"},
        {"reminders.first_lead_hours", "48", ""},
        {"reminders.first_lead_hours", "169", "reminders.first_lead_hours: must be between 0 and 168 h (got 169 h)"},
    };
    for (const Case& c : cases) {
        ClinicSettings settings;
        Status status = SetSetting(settings, c.name, c.value);
        EXPECT_EQ(status.ok() ? "" : status.error().ToString(), c.error) << c.name << "=" << c.value;
    }
    ClinicSettings settings;
    ASSERT_TRUE(SetSetting(settings, "hours.saturday", "09:00-13:00").ok());
    EXPECT_EQ(settings.hours[5], (DayHours{hours{9}, hours{13}}));
    ASSERT_TRUE(SetSetting(settings, "hours.monday", "closed").ok());
    EXPECT_EQ(settings.hours[0], std::nullopt);
    // No reminders at all: both off.
    ASSERT_TRUE(SetSetting(settings, "reminders.second_lead_hours", "0").ok());
    ASSERT_TRUE(SetSetting(settings, "reminders.first_lead_hours", "0").ok());
}

// A small clinic in New York: three chairs and a retired one, Monday to Friday 08:00-18:00, Good Friday closed.
class SchedulingRulesTest : public ::testing::Test {
protected:
    static constexpr sys_days kMonday = Day(2026, 3, 9);
    static constexpr sys_days kTuesday = Day(2026, 3, 10);
    static constexpr sys_days kGoodFriday = Day(2026, 4, 3);
    static constexpr std::string_view kNurseA = "nurse.a@clinic";
    static constexpr std::string_view kNurseB = "nurse.b@clinic";

    TimePoint Local(sys_days date, int hour, int minute = 0) const {
        return zone_.AtLocal(date, hours{hour} + minutes{minute});
    }

    Booking Make(std::int64_t id, AppointmentType type, std::int64_t patient, TimePoint start,
                 std::optional<std::int64_t> room, std::string_view staff) const {
        return Booking{id, type, patient, start, start + AppointmentLength(type, settings_), room, std::string(staff)};
    }

    // Patient 1's IV session on Tuesday 09:00-11:10 in Chair 1 with nurse A.
    Booking Candidate() const { return Make(0, AppointmentType::kIvSession, 1, Local(kTuesday, 9), 1, kNurseA); }

    ScheduleContext Context() const { return {zone_, hours_, rooms_, bookings_, settings_, now_}; }

    [[nodiscard]] std::vector<std::pair<BookingRule, std::string>> Check(const Booking& candidate) const {
        std::vector<std::pair<BookingRule, std::string>> found;
        for (const BookingConflict& conflict : CheckBooking(candidate, Context())) {
            found.emplace_back(conflict.rule, conflict.message);
        }
        return found;
    }

    ClinicZone zone_ = RealZone("America/New_York");
    ClinicSettings settings_;
    OpeningHours hours_ = OpeningHoursOf(settings_, {kGoodFriday});
    std::vector<Room> rooms_ = {{1, "Chair 1", RoomEquipment::kIvIm, true},
                                {2, "Chair 2", RoomEquipment::kEsketamine, true},
                                {3, "Chair 3", RoomEquipment::kBoth, true},
                                {4, "Old chair", RoomEquipment::kBoth, false}};
    std::vector<Booking> bookings_;
    TimePoint now_ = Local(kMonday, 12);
};

using Conflicts = std::vector<std::pair<BookingRule, std::string>>;

struct RuleCase {
    std::string what;
    std::function<void(Booking& candidate, std::vector<Booking>& others)> arrange;
    Conflicts expected;
};

TEST_F(SchedulingRulesTest, EachRuleRefusesWithItsNamedMessage) {
    using T = AppointmentType;
    const std::vector<RuleCase> cases = {
        {"a free chair, nurse and patient", [](Booking&, std::vector<Booking>&) {}, {}},
        {"in the past",
         [&](Booking& c, std::vector<Booking>&) {
             c.start = Local(kMonday, 9);
             c.end = Local(kMonday, 11, 10);
         },
         {{BookingRule::kInThePast, "in_the_past: starts 09:00 on 2026-03-09, before now (12:00 on 2026-03-09)"}}},
        {"a treatment without a room",
         [](Booking& c, std::vector<Booking>&) { c.room.reset(); },
         {{BookingRule::kRoomRequired, "room_required: an iv-session needs a treatment room or chair"}}},
        {"a room the clinic does not have",
         [](Booking& c, std::vector<Booking>&) { c.room = 9; },
         {{BookingRule::kRoomInactive, "room_inactive: room 9 is not one of the clinic's rooms"}}},
        {"a retired chair",
         [](Booking& c, std::vector<Booking>&) { c.room = 4; },
         {{BookingRule::kRoomInactive, "room_inactive: Old chair is not in use"}}},
        {"an esketamine chair for an infusion",
         [](Booking& c, std::vector<Booking>&) { c.room = 2; },
         {{BookingRule::kRoomNotEquipped,
           "room_not_equipped: Chair 2 is equipped for esketamine, not for an iv-session"}}},
        {"the chair is taken, twice",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kIvSession, 2, Local(kTuesday, 8), 1, kNurseB));
             others.push_back(Make(11, T::kFollowUp, 3, Local(kTuesday, 10, 30), 1, "dr@clinic"));
         },
         {{BookingRule::kRoomDoubleBooked,
           "room_double_booked: Chair 1 holds an iv-session 08:00-10:10 on 2026-03-10 (and 1 more)"}}},
        {"the chair's previous session ends as this one starts",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kImSession, 2, Local(kTuesday, 7, 30), 1, kNurseB));
         },
         {}},
        {"rescheduling does not collide with itself",
         [&](Booking& c, std::vector<Booking>& others) {
             c.id = 20;
             others.push_back(Make(20, T::kIvSession, 1, Local(kTuesday, 8), 1, kNurseA));
         },
         {}},
        {"the patient has a follow-up then",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kFollowUp, 1, Local(kTuesday, 10), std::nullopt, "dr@clinic"));
         },
         {{BookingRule::kPatientDoubleBooked,
           "patient_double_booked: the patient has a follow-up 10:00-10:30 on 2026-03-10"}}},
        {"a treatment without a nurse",
         [](Booking& c, std::vector<Booking>&) { c.staff.clear(); },
         {{BookingRule::kStaffRequired, "staff_required: an iv-session needs a nurse"}}},
        {"the nurse has an intake then",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kIntake, 5, Local(kTuesday, 10), std::nullopt, kNurseA));
         },
         {{BookingRule::kStaffDoubleBooked,
           "staff_double_booked: nurse.a@clinic is booked for an intake 10:00-11:00 on 2026-03-10"}}},
        {"a therapist's session while they watch an infusion",
         [&](Booking& c, std::vector<Booking>& others) {
             c = Make(0, T::kTherapyIntegration, 1, Local(kTuesday, 9), std::nullopt, kNurseA);
             others.push_back(Make(10, T::kIvSession, 2, Local(kTuesday, 8), 3, kNurseA));
         },
         {{BookingRule::kStaffDoubleBooked,
           "staff_double_booked: nurse.a@clinic is booked for an iv-session 08:00-10:10 on 2026-03-10"}}},
        // Three of the nurse's sessions overlap the candidate, but never more than two at once: with the candidate
        // that is 3 patients at any minute, within the ratio (a count of overlaps would say 4).
        {"three overlapping sessions that follow each other keep the ratio",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kIvSession, 2, Local(kTuesday, 7, 20), 3, kNurseA));  // 07:20-09:30
             others.push_back(Make(11, T::kIvSession, 3, Local(kTuesday, 9, 30), 3, kNurseA));  // 09:30-11:40
             others.push_back(Make(12, T::kImSession, 4, Local(kTuesday, 9, 30), 2, kNurseA));  // 09:30-11:00
         },
         {}},
        {"a fourth patient at 10:00",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kIvSession, 2, Local(kTuesday, 7, 20), 3, kNurseA));
             others.push_back(Make(11, T::kIvSession, 3, Local(kTuesday, 9, 30), 3, kNurseA));
             others.push_back(Make(12, T::kImSession, 4, Local(kTuesday, 9, 30), 2, kNurseA));
             others.push_back(Make(13, T::kEsketamineSession, 5, Local(kTuesday, 10), 2, kNurseA));
         },
         {{BookingRule::kNurseOverloaded,
           "nurse_overloaded: nurse.a@clinic would watch 4 patients at 10:00 on "
           "2026-03-10 (schedule.patients_per_nurse is 3)"}}},
        {"another nurse's patients do not count",
         [&](Booking&, std::vector<Booking>& others) {
             for (int patient = 2; patient <= 5; ++patient) {
                 others.push_back(Make(patient, T::kIvSession, patient, Local(kTuesday, 9), 3, kNurseB));
             }
         },
         {}},
        {"a Sunday",
         [&](Booking& c, std::vector<Booking>&) {
             c = Make(0, T::kIvSession, 1, Local(Day(2026, 3, 15), 9), 1, kNurseA);
         },
         {{BookingRule::kClinicClosed,
           "clinic_closed: 2026-03-15 is a Sunday, when the clinic is closed (hours.sunday)"}}},
        {"a closed date",
         [&](Booking& c, std::vector<Booking>&) { c = Make(0, T::kIvSession, 1, Local(kGoodFriday, 9), 1, kNurseA); },
         {{BookingRule::kClinicClosed, "clinic_closed: 2026-04-03 is a closed date"}}},
        {"before opening",
         [&](Booking& c, std::vector<Booking>&) { c = Make(0, T::kFollowUp, 1, Local(kTuesday, 7, 45), 3, ""); },
         {{BookingRule::kOutsideHours,
           "outside_hours: starts 07:45, before opening at 08:00 on 2026-03-10 (hours.tuesday 08:00-18:00)"}}},
        {"monitoring would run past closing",
         [&](Booking& c, std::vector<Booking>&) { c = Make(0, T::kIvSession, 1, Local(kTuesday, 16), 1, kNurseA); },
         {{BookingRule::kOutsideHours,
           "outside_hours: ends 18:10, after closing at 18:00 on 2026-03-10 "
           "(hours.tuesday 08:00-18:00; monitoring and turnover included)"}}},
        {"the last session that fits",
         [&](Booking& c, std::vector<Booking>&) { c = Make(0, T::kIvSession, 1, Local(kTuesday, 15, 50), 1, kNurseA); },
         {}},
        {"a Friday night session runs into a closed Saturday",
         [&](Booking& c, std::vector<Booking>&) {
             c = Make(0, T::kIvSession, 1, Local(Day(2026, 3, 13), 23), 1, kNurseA);
         },
         {{BookingRule::kClinicClosed,
           "clinic_closed: 2026-03-14 is a Saturday, when the clinic is closed (hours.saturday)"},
          {BookingRule::kOutsideHours,
           "outside_hours: ends 01:10 on 2026-03-14, after closing at 18:00 on 2026-03-13 "
           "(hours.friday 08:00-18:00; monitoring and turnover included)"}}},
        {"a session the day after the last",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kIvSession, 1, Local(kMonday, 9), 1, kNurseA));
         },
         {{BookingRule::kSessionSpacing,
           "session_spacing: 2026-03-10 is 1 day after the previous session on 2026-03-09; sessions must be at "
           "least 2 days apart (schedule.min_days_between_sessions), so the earliest date is 2026-03-11 (the other: "
           "an iv-session 09:00-11:10 on 2026-03-09)"}}},
        {"a session the day before the next",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kEsketamineSession, 1, Local(Day(2026, 3, 11), 14), 2, kNurseA));
         },
         {{BookingRule::kSessionSpacing,
           "session_spacing: 2026-03-11 is 1 day after the previous session on 2026-03-10; sessions must be at "
           "least 2 days apart (schedule.min_days_between_sessions), so the earliest date is 2026-03-12 (the other: "
           "an esketamine-session 14:00-16:30 on 2026-03-11)"}}},
        {"two days apart, and a follow-up the day before",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kIvSession, 1, Local(Day(2026, 3, 12), 9), 1, kNurseA));
             others.push_back(Make(11, T::kFollowUp, 1, Local(kMonday, 9), std::nullopt, "dr@clinic"));
         },
         {}},
        {"cancelled neighbours are the caller's to leave out; another patient's session is no spacing matter",
         [&](Booking&, std::vector<Booking>& others) {
             others.push_back(Make(10, T::kIvSession, 2, Local(kMonday, 9), 1, kNurseA));
         },
         {}},
        {"hard rules first, in BookingRule order",
         [&](Booking& c, std::vector<Booking>& others) {
             c = Make(0, T::kIvSession, 1, Local(kTuesday, 17), 2, "");
             others.push_back(Make(10, T::kFollowUp, 1, Local(kTuesday, 17, 30), std::nullopt, "dr@clinic"));
         },
         {{BookingRule::kRoomNotEquipped,
           "room_not_equipped: Chair 2 is equipped for esketamine, not for an iv-session"},
          {BookingRule::kPatientDoubleBooked,
           "patient_double_booked: the patient has a follow-up 17:30-18:00 on 2026-03-10"},
          {BookingRule::kStaffRequired, "staff_required: an iv-session needs a nurse"},
          {BookingRule::kOutsideHours,
           "outside_hours: ends 19:10, after closing at 18:00 on 2026-03-10 "
           "(hours.tuesday 08:00-18:00; monitoring and turnover included)"}}},
    };
    for (const RuleCase& c : cases) {
        Booking candidate = Candidate();
        bookings_.clear();
        c.arrange(candidate, bookings_);
        EXPECT_EQ(Check(candidate), c.expected) << c.what;
    }
}

TEST_F(SchedulingRulesTest, OnlyTheClinicalAndOpeningRulesAreSoft) {
    for (const BookingRule rule : testing::Enumerators<BookingRule>()) {
        const std::string_view name = BookingRuleName(rule);
        const bool soft = rule == BookingRule::kClinicClosed || rule == BookingRule::kOutsideHours ||
                          rule == BookingRule::kSessionSpacing;
        EXPECT_EQ(IsHardRule(rule), !soft) << name;
    }
}

// The days the clocks move: the hours are the local wall clock's, so 08:00 is 12:00 UTC on 2026-03-08 (EDT from
// 03:00) and 13:00 UTC on 2026-11-01 (EST from 02:00), not the offset of the night before.
TEST_F(SchedulingRulesTest, OpeningHoursFollowTheLocalClockAcrossDaylightSavingChanges) {
    settings_.hours[6] = DayHours{hours{8}, hours{18}};  // open on Sundays
    hours_ = OpeningHoursOf(settings_, {});
    now_ = TimePoint{Day(2026, 3, 1)};
    struct Case {
        std::string what;
        TimePoint start;
        Conflicts expected;
    };
    const std::vector<Case> cases = {
        {"08:00 EDT on the day the clocks go forward", TimePoint{Day(2026, 3, 8) + hours{12}}, {}},
        {"07:59 EDT that day",
         TimePoint{Day(2026, 3, 8) + hours{11} + minutes{59}},
         {{BookingRule::kOutsideHours,
           "outside_hours: starts 07:59, before opening at 08:00 on 2026-03-08 (hours.sunday 08:00-18:00)"}}},
        {"08:00 EST on the day the clocks go back", TimePoint{Day(2026, 11, 1) + hours{13}}, {}},
        {"07:00 EST that day (08:00 by the night's EDT)",
         TimePoint{Day(2026, 11, 1) + hours{12}},
         {{BookingRule::kOutsideHours,
           "outside_hours: starts 07:00, before opening at 08:00 on 2026-11-01 (hours.sunday 08:00-18:00)"}}},
    };
    for (const Case& c : cases) {
        const Booking follow_up{0, AppointmentType::kFollowUp, 1, c.start, c.start + minutes{30}, std::nullopt, ""};
        EXPECT_EQ(Check(follow_up), c.expected) << c.what;
    }
}

class FindSlotsTest : public SchedulingRulesTest {
protected:
    SlotRequest Request(AppointmentType type, sys_days from, sys_days to) const {
        SlotRequest request;
        request.type = type;
        request.patient = 1;
        request.length = AppointmentLength(type, settings_);
        request.from = from;
        request.to = to;
        request.nurses = {std::string(kNurseA), std::string(kNurseB)};
        return request;
    }

    // Each slot as "YYYY-MM-DD HH:MM room staff" in local time.
    std::vector<std::string> Find(const SlotRequest& request) const {
        Result<std::vector<Slot>> slots = FindSlots(request, Context());
        EXPECT_TRUE(slots.ok()) << slots.error().ToString();
        std::vector<std::string> found;
        for (const Slot& slot : slots.ok() ? *slots : std::vector<Slot>{}) {
            const auto local = std::chrono::floor<minutes>(slot.start + zone_.OffsetAt(slot.start));
            const sys_days date = std::chrono::floor<days>(local);
            found.push_back(FormatDate(date) + " " + ClockText(local - date) + " " +
                            (slot.room ? std::to_string(*slot.room) : "-") + " " +
                            (slot.staff.empty() ? "-" : slot.staff));
            EXPECT_EQ(slot.end - slot.start, request.length);
        }
        return found;
    }
};

TEST_F(FindSlotsTest, AnEmptyClinicOffersTheGridFromOpeningInTheFirstFittingChair) {
    SlotRequest request = Request(AppointmentType::kEsketamineSession, kTuesday, kTuesday);
    request.count = 3;
    EXPECT_EQ(Find(request),
              (std::vector<std::string>{"2026-03-10 08:00 2 nurse.a@clinic", "2026-03-10 08:15 2 nurse.a@clinic",
                                        "2026-03-10 08:30 2 nurse.a@clinic"}));
    // The last start that ends (turnover included) by closing: 18:00 - 150 min = 15:30.
    request.count = 50;
    const std::vector<std::string> day = Find(request);
    ASSERT_EQ(day.size(), 31U);  // 08:00 ... 15:30 every 15 minutes
    EXPECT_EQ(day.back(), "2026-03-10 15:30 2 nurse.a@clinic");
}

TEST_F(FindSlotsTest, SkipsWeekendsClosedDatesThePastAndTheSpacingRule) {
    bookings_.push_back(Make(10, AppointmentType::kIvSession, 1, Local(Day(2026, 3, 31), 9), 1, kNurseA));
    SlotRequest request = Request(AppointmentType::kIvSession, Day(2026, 3, 27), Day(2026, 4, 7));
    now_ = Local(Day(2026, 3, 27), 15, 41);
    request.count = 50;
    std::vector<std::string> days_offered;
    for (const std::string& slot : Find(request)) {
        if (days_offered.empty() || days_offered.back() != slot.substr(0, 10)) {
            days_offered.push_back(slot.substr(0, 10));
        }
    }
    // Friday 27 at 15:45 (the first grid start after now, and the last that ends by closing), not the weekend, Monday
    // 30 and Wednesday 1 (a day either side of the session on Tuesday 31), Tuesday 31 itself, or Good Friday.
    EXPECT_EQ(days_offered, (std::vector<std::string>{"2026-03-27", "2026-04-02", "2026-04-06"}));
    EXPECT_EQ(Find(request).front(), "2026-03-27 15:45 1 nurse.a@clinic");
}

TEST_F(FindSlotsTest, TakesTheNextNurseWhenTheFirstIsFullAndHonoursTheFilters) {
    settings_.schedule.patients_per_nurse = 1;
    bookings_.push_back(Make(10, AppointmentType::kIvSession, 2, Local(kTuesday, 8), 3, kNurseA));
    SlotRequest request = Request(AppointmentType::kIvSession, kTuesday, kTuesday);
    request.count = 2;
    EXPECT_EQ(Find(request),
              (std::vector<std::string>{"2026-03-10 08:00 1 nurse.b@clinic", "2026-03-10 08:15 1 nurse.b@clinic"}));

    request.staff = std::string(kNurseA);  // only nurse A: after her session ends at 10:10
    EXPECT_EQ(Find(request).front(), "2026-03-10 10:15 1 nurse.a@clinic");

    request.staff.reset();
    request.room = 3;                                                       // only Chair 3: held 08:00-10:10
    EXPECT_EQ(Find(request).front(), "2026-03-10 10:15 3 nurse.a@clinic");  // the first nurse is free again

    // The patient's own appointments: a follow-up 08:00-08:30 pushes a consultation past it.
    bookings_.push_back(Make(11, AppointmentType::kFollowUp, 1, Local(kTuesday, 8), std::nullopt, "dr@clinic"));
    SlotRequest consult = Request(AppointmentType::kPrescriberReview, kTuesday, kTuesday);
    consult.staff = "dr@clinic";
    consult.count = 1;
    EXPECT_EQ(Find(consult), (std::vector<std::string>{"2026-03-10 08:30 - dr@clinic"}));
    // Rescheduling that follow-up: its own time is free.
    consult.moving_appointment = 11;
    EXPECT_EQ(Find(consult), (std::vector<std::string>{"2026-03-10 08:00 - dr@clinic"}));
}

TEST_F(FindSlotsTest, SlotsOnTheDaysTheClocksMoveStartAtTheLocalOpeningHour) {
    settings_.hours[6] = DayHours{hours{8}, hours{18}};  // both changes fall on a Sunday
    hours_ = OpeningHoursOf(settings_, {});
    now_ = TimePoint{Day(2026, 3, 1)};
    for (const sys_days date : {Day(2026, 3, 8), Day(2026, 11, 1)}) {
        SlotRequest request = Request(AppointmentType::kFollowUp, date, date);
        request.count = 2;
        const Result<std::vector<Slot>> slots = FindSlots(request, Context());
        ASSERT_TRUE(slots.ok());
        ASSERT_EQ(slots->size(), 2U);
        // EDT (UTC-4) from 03:00 on 8 March; EST (UTC-5) from 02:00 on 1 November.
        const hours utc_opening = date == Day(2026, 3, 8) ? hours{12} : hours{13};
        EXPECT_EQ((*slots)[0].start, TimePoint{date + utc_opening}) << FormatDate(date);
        EXPECT_EQ((*slots)[1].start, TimePoint{date + utc_opening + minutes{15}}) << FormatDate(date);
        EXPECT_EQ(Find(request).front(), FormatDate(date) + " 08:00 - -");
    }
}

TEST_F(FindSlotsTest, RefusesARequestItCannotAnswer) {
    struct Case {
        std::string what;
        std::function<void(SlotRequest&)> change;
        std::string error;
    };
    const std::vector<Case> cases = {
        {"no slots", [](SlotRequest& r) { r.count = 0; }, "count: must be between 1 and 50 slots (got 0 slots)"},
        {"too many slots", [](SlotRequest& r) { r.count = 51; },
         "count: must be between 1 and 50 slots (got 51 slots)"},
        {"backwards", [](SlotRequest& r) { r.to = r.from - days{1}; }, "to: 2026-03-09 is before from (2026-03-10)"},
        {"over a year", [](SlotRequest& r) { r.to = r.from + days{367}; },
         "to: a search covers at most 366 days after from (2026-03-10)"},
        {"no length", [](SlotRequest& r) { r.length = minutes{0}; }, "length: must be positive (got 0 min)"},
        {"an unknown room", [](SlotRequest& r) { r.room = 9; }, "room: room 9 is not one of the clinic's rooms"},
        {"a retired room", [](SlotRequest& r) { r.room = 4; }, "room: Old chair is not in use"},
        {"the wrong chair", [](SlotRequest& r) { r.room = 2; },
         "room: Chair 2 is equipped for esketamine, not for an iv-session"},
        {"nobody to watch", [](SlotRequest& r) { r.nurses.clear(); },
         "nurses: an iv-session needs a nurse: name staff or the nurses who may take it"},
    };
    for (const Case& c : cases) {
        SlotRequest request = Request(AppointmentType::kIvSession, kTuesday, kTuesday);
        c.change(request);
        Result<std::vector<Slot>> slots = FindSlots(request, Context());
        ASSERT_FALSE(slots.ok()) << c.what;
        EXPECT_EQ(slots.error().ToString(), c.error) << c.what;
    }
}

// A store-backed caller hands the bookings over window by window: 1 day, then 2, then 4, ... and no more once the
// slots are found; its error ends the search unchanged.
TEST_F(FindSlotsTest, ReadsTheBookingsWindowByWindowAndStopsWhenAnswered) {
    const sys_days saturday = Day(2026, 3, 14);
    bookings_.push_back(Make(10, AppointmentType::kIvSession, 2, Local(Day(2026, 3, 16), 8), 1, kNurseA));
    SlotRequest request = Request(AppointmentType::kIvSession, saturday, saturday + days{60});
    request.count = 2;
    std::vector<std::pair<TimePoint, TimePoint>> windows;
    const auto overlapping = [&](TimePoint from, TimePoint to) -> Result<std::vector<Booking>> {
        windows.emplace_back(from, to);
        std::vector<Booking> found;
        for (const Booking& booking : bookings_) {
            if (booking.start < to && from < booking.end) {
                found.push_back(booking);
            }
        }
        return found;
    };
    const Result<std::vector<Slot>> slots = FindSlots(request, Context(), overlapping);
    ASSERT_TRUE(slots.ok()) << slots.error().ToString();
    // Saturday (closed), then Sunday and Monday, where chair 1 is taken at 08:00: chair 3 is offered.
    ASSERT_EQ(windows.size(), 2U);
    EXPECT_EQ(windows[0], std::pair(zone_.DayOf(saturday).start, zone_.DayOf(saturday).end));
    EXPECT_EQ(windows[1], std::pair(zone_.DayOf(saturday + days{1}).start, zone_.DayOf(saturday + days{2}).end));
    ASSERT_EQ(slots->size(), 2U);
    EXPECT_EQ(slots->front().start, Local(Day(2026, 3, 16), 8));
    EXPECT_EQ(slots->front().room, 3);
    EXPECT_EQ(slots->front().staff, kNurseA);  // she watches the patient in chair 1 too: within the ratio of 3

    const Result<std::vector<Slot>> failed =
        FindSlots(request, Context(), [](TimePoint, TimePoint) -> Result<std::vector<Booking>> {
            return Error{ErrorCode::kUnavailable, "", "the database is down"};
        });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().ToString(), "the database is down");
}

// The search and the rules agree: on a random busy week, every grid start FindSlots offers is one CheckBooking
// accepts with the room and staff it names, and every start it skips has no room and staff CheckBooking accepts.
TEST_F(FindSlotsTest, AgreesWithCheckBookingOnABusyWeek) {
    const std::vector<std::string> staff = {std::string(kNurseA), std::string(kNurseB), "nurse.c@clinic", "dr@clinic"};
    const std::vector<AppointmentType> types = {AppointmentType::kIvSession, AppointmentType::kEsketamineSession,
                                                AppointmentType::kImSession, AppointmentType::kIntake,
                                                AppointmentType::kFollowUp};
    settings_.hours[6] = DayHours{hours{8}, hours{18}};  // open on Sunday 1 November, the clocks go back
    hours_ = OpeningHoursOf(settings_, {Day(2026, 11, 3)});
    const sys_days first = Day(2026, 10, 30);
    const sys_days last = Day(2026, 11, 4);
    now_ = Local(first, 11, 7);
    std::mt19937 random(20261101);  // fixed: the same week every run
    int treatment_slots = 0;        // the comparison means something only if both kinds of start occur
    int refused_starts = 0;
    for (std::int64_t id = 1; id <= 150; ++id) {
        const AppointmentType type = types.at(random() % types.size());
        const sys_days date = first + days{random() % 6};
        const TimePoint start = Local(date, 7 + static_cast<int>(random() % 11), 5 * static_cast<int>(random() % 12));
        const bool treatment = IsTreatment(type);
        const std::optional<std::int64_t> room =
            treatment || random() % 2 == 0 ? std::optional<std::int64_t>(1 + random() % 3) : std::nullopt;
        bookings_.push_back(Make(id, type, 1 + static_cast<std::int64_t>(random() % 30), start, room,
                                 staff.at(random() % staff.size())));
    }
    for (const AppointmentType type : types) {
        for (std::int64_t patient = 1; patient <= 2; ++patient) {
            SlotRequest request = Request(type, first, last);
            request.patient = patient;
            request.nurses = {staff[0], staff[1], staff[2]};
            if (!IsTreatment(type)) {
                request.staff = staff.at(static_cast<std::size_t>(patient) % staff.size());
            }
            request.count = 50;
            const Result<std::vector<Slot>> found = FindSlots(request, Context());
            ASSERT_TRUE(found.ok()) << found.error().ToString();

            // The brute force: every grid start, every staff member and room in order, through CheckBooking.
            std::vector<Slot> expected;
            std::vector<std::optional<std::int64_t>> rooms = {std::nullopt};
            if (IsTreatment(type)) {
                rooms = {1, 2, 3};
            }
            const std::vector<std::string> people =
                request.staff ? std::vector<std::string>{*request.staff} : request.nurses;
            for (sys_days date = first; date <= last && expected.size() < 50; date += days{1}) {
                const std::optional<DayHours>& open = hours_.weekly.at((std::chrono::weekday(date).iso_encoding() - 1));
                if (!open) {
                    continue;
                }
                for (TimePoint start = zone_.AtLocal(date, open->opens);
                     start + request.length <= zone_.AtLocal(date, open->closes) && expected.size() < 50;
                     start += minutes{15}) {
                    std::optional<Slot> slot;
                    for (const std::string& person : people) {
                        for (const auto& room : rooms) {
                            const Booking candidate{0, type, patient, start, start + request.length, room, person};
                            if (!slot && CheckBooking(candidate, Context()).empty()) {
                                slot = Slot{start, start + request.length, room, person};
                            }
                        }
                    }
                    if (slot) {
                        expected.push_back(*slot);
                        treatment_slots += IsTreatment(type) ? 1 : 0;
                    } else if (start >= now_) {
                        ++refused_starts;
                    }
                }
            }
            ASSERT_EQ(found->size(), expected.size()) << AppointmentTypeName(type) << " for patient " << patient;
            for (std::size_t i = 0; i < expected.size(); ++i) {
                const std::string what = std::string(AppointmentTypeName(type)) + " for patient " +
                                         std::to_string(patient) + ", slot " + std::to_string(i);
                EXPECT_EQ((*found)[i].start, expected[i].start) << what;
                EXPECT_EQ((*found)[i].room, expected[i].room) << what;
                EXPECT_EQ((*found)[i].staff, expected[i].staff) << what;
            }
        }
    }
    EXPECT_GT(treatment_slots, 20);
    EXPECT_GT(refused_starts, 200);
}

// The nurse ratio on a random busy week, against a count that shares no code with the rules: a front desk books
// treatments at random (through CheckBooking, and through FindSlots' own nurse choice), and then, minute by minute,
// no nurse watches more than schedule.patients_per_nurse patients; every candidate refused as nurse_overloaded would
// have pushed its nurse above the ratio at some minute it holds, and every other one would not.
TEST_F(FindSlotsTest, NoNurseWatchesMoreThanTheRatioAtAnyMinuteOfABusyWeek) {
    settings_.schedule.patients_per_nurse = 2;
    for (std::int64_t id = 5; id <= 9; ++id) {
        rooms_.push_back({id, "Chair " + std::to_string(id), RoomEquipment::kBoth, true});
    }
    const std::vector<std::string> nurses = {std::string(kNurseA), std::string(kNurseB)};
    const std::vector<AppointmentType> types = {AppointmentType::kIvSession, AppointmentType::kEsketamineSession,
                                                AppointmentType::kImSession};
    const sys_days monday = kMonday + days{7};
    const TimePoint week_start = Local(monday, 0);
    const TimePoint week_end = Local(monday + days{5}, 0);

    // The independent count: how many of `booked`'s treatments with `nurse` hold minute `at`, by brute force.
    const auto watched_at = [&](const std::vector<Booking>& booked, const std::string& nurse, TimePoint at) {
        int count = 0;
        for (const Booking& booking : booked) {
            count += (IsTreatment(booking.type) && booking.staff == nurse && booking.start <= at && at < booking.end)
                         ? 1
                         : 0;
        }
        return count;
    };
    // Whether `candidate` beside `booked` makes its nurse watch more than the ratio at some minute it holds.
    const auto overloads = [&](const Booking& candidate) {
        std::vector<Booking> with = bookings_;
        with.push_back(candidate);
        for (TimePoint at = candidate.start; at < candidate.end; at += minutes{1}) {
            if (watched_at(with, candidate.staff, at) > settings_.schedule.patients_per_nurse) {
                return true;
            }
        }
        return false;
    };

    std::mt19937 random(20261207);  // fixed: the same week every run
    int refused_for_the_ratio = 0;
    int booked_at_the_ratio = 0;  // accepted although its nurse then watches exactly the ratio at some minute
    for (std::int64_t id = 1; id <= 240; ++id) {
        const AppointmentType type = types.at(random() % types.size());
        const sys_days date = monday + days{random() % 5};
        const std::int64_t patient = 1 + static_cast<std::int64_t>(random() % 200);
        if (random() % 4 == 0) {
            // The front desk takes the first slot the search offers that day, its room and its nurse.
            SlotRequest request = Request(type, date, date);
            request.patient = patient;
            request.nurses = nurses;
            request.count = 1;
            const Result<std::vector<Slot>> found = FindSlots(request, Context());
            ASSERT_TRUE(found.ok()) << found.error().ToString();
            if (found->empty()) {
                continue;
            }
            const Slot& slot = found->front();
            const Booking booking{id, type, patient, slot.start, slot.end, slot.room, slot.staff};
            ASSERT_FALSE(overloads(booking)) << "FindSlots offered " << slot.staff << " beyond the ratio";
            bookings_.push_back(booking);
            continue;
        }
        const TimePoint start = Local(date, 8 + static_cast<int>(random() % 8), 5 * static_cast<int>(random() % 12));
        const Booking candidate = Make(id, type, patient, start, 1 + static_cast<std::int64_t>(random() % 9),
                                       nurses.at(random() % nurses.size()));
        const std::vector<BookingConflict> conflicts = CheckBooking(candidate, Context());
        const bool refused_as_overloaded = std::any_of(conflicts.begin(), conflicts.end(), [](const auto& conflict) {
            return conflict.rule == BookingRule::kNurseOverloaded;
        });
        ASSERT_EQ(refused_as_overloaded, overloads(candidate))
            << "candidate " << id << " with " << candidate.staff << " at " << FormatDate(date);
        refused_for_the_ratio += refused_as_overloaded ? 1 : 0;
        if (conflicts.empty()) {
            bookings_.push_back(candidate);
            for (TimePoint at = candidate.start; at < candidate.end; at += minutes{1}) {
                if (watched_at(bookings_, candidate.staff, at) == settings_.schedule.patients_per_nurse) {
                    ++booked_at_the_ratio;
                    break;
                }
            }
        }
    }
    // Every minute of the week, every nurse.
    for (const std::string& nurse : nurses) {
        for (TimePoint at = week_start; at < week_end; at += minutes{1}) {
            ASSERT_LE(watched_at(bookings_, nurse, at), settings_.schedule.patients_per_nurse)
                << nurse << " at " << FormatDate(std::chrono::floor<days>(at));
        }
    }
    // The week is busy enough for the ratio to bind both ways.
    EXPECT_GT(refused_for_the_ratio, 10);
    EXPECT_GT(booked_at_the_ratio, 10);
}

}  // namespace
}  // namespace kclinic::clinical
