// The storage contract for issue 10 §6, "the clinic's time zone decides calendar dates": on a real SQLite file and a
// real PostgreSQL server, through the use cases, a clinic in New York sets clinic.time_zone, and an evening
// esketamine session there (00:30 UTC the next day) has its REMS form dated the day it happened, its due date
// counted from that day, its overdue flag turning at the clinic's midnight, and its place in that day's session
// list. An unknown zone is refused and stores nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "clinical/course_gate.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using app::TimePoint;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year;

constexpr std::string_view kSetting = "Example Clinic, 1 Broadway, New York (REMS-certified outpatient setting)";

// A winter week in New York (EST, UTC-5): the course is planned from Monday 7 December 2026.
constexpr sys_days kMonday{year{2026} / 12 / 7};
constexpr sys_days kTuesday = kMonday + days{1};
// New York local time on `day` at `hour`:`minute` (EST, UTC-5, all that week).
TimePoint NewYork(sys_days day, int hour, int minute) {
    return TimePoint{day} + hours{hour + 5} + minutes{minute};
}

class TimeZoneContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        clock_.Set(NewYork(kMonday, 9, 0));
        Result<clinical::ClinicSettings> changed =
            clinic().settings.ChangeSetting(admin_, "clinic.time_zone", "America/New_York");
        ASSERT_TRUE(changed.ok()) << changed.error().ToString();
        EXPECT_EQ(changed->time_zone, "America/New_York");
        settings_ = *changed;  // the settings in force, as the API hands every use case
        settings_.rems.healthcare_setting = std::string(kSetting);  // the clinic's REMS certification
        patient_ = Register("MRN-Z1");
        SignedScreening(patient_, clinical::ProductOfRoute(clinical::Route::kEsketamineNasal));
        Result<app::CourseRecord> course = clinic().courses.StartCourse(
            prescriber_, patient_,
            app::NewCourse{"treatment-resistant depression (F33.2)", clinical::Protocol::kEsketamineTrd,
                           clinical::Route::kEsketamineNasal, kMonday},
            settings_);
        ASSERT_TRUE(course.ok()) << course.error().ToString();
        ASSERT_FALSE(course->sessions.empty());
        session_ = course->sessions[0].id;
        ASSERT_EQ(course->sessions[0].planned_date, kMonday);
    }

    // Monday's session, run late on Tuesday evening: checked in at 19:10 EST (00:10 UTC Wednesday), the first device
    // at 19:30 EST (00:30 UTC Wednesday), BP at +40 and +120 min, discharged at 21:45 EST.
    void TuesdayEveningSession() {
        clock_.Set(NewYork(kTuesday, 19, 10));
        Result<app::TreatmentSession> checked_in = clinic().sessions.CheckIn(nurse_, session_, true, true);
        ASSERT_TRUE(checked_in.ok()) << checked_in.error().ToString();
        clock_.Set(NewYork(kTuesday, 19, 15));
        Weigh(patient_);  // the order's 70 kg is the recorded weight
        RecordBp(patient_, 128, 82);
        ASSERT_TRUE(clinic().sessions.ConfirmPreDose(nurse_, session_, settings_).ok());
        clinical::DoseRequest request = EsketamineRequest(56);
        request.first_dose = true;
        Result<app::DoseOrderRecord> order = clinic().doses.SignDoseOrder(prescriber_, session_, request, settings_);
        ASSERT_TRUE(order.ok()) << order.error().ToString();
        ASSERT_TRUE(clinic().sessions.StartDosing(nurse_, session_).ok());
        clock_.Set(NewYork(kTuesday, 19, 30));
        for (const std::string lot : {"LOT-A", "LOT-B"}) {
            const app::NewAdministration device{
                "esketamine", clinical::Route::kEsketamineNasal, 28.0, std::nullopt, 1, lot, clock_.Now(),
                clock_.Now()};
            Result<app::Administration> given =
                clinic().doses.RecordAdministration(nurse_, session_, device, settings_);
            ASSERT_TRUE(given.ok()) << given.error().ToString();
        }
        ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session_).ok());
        clock_.Set(NewYork(kTuesday, 20, 10));
        RecordBp(patient_, 140, 88);
        clock_.Set(NewYork(kTuesday, 21, 30));
        RecordBp(patient_, 126, 80);
        clock_.Set(NewYork(kTuesday, 21, 40));
        Result<app::TreatmentSession> ready = clinic().sessions.ReadyForDischarge(nurse_, session_);
        ASSERT_TRUE(ready.ok()) << ready.error().ToString();
        clock_.Set(NewYork(kTuesday, 21, 45));
        ASSERT_TRUE(clinic().sessions.Discharge(nurse_, session_, true).ok());
    }

    std::vector<SessionId> SessionsOn(sys_days date) {
        Result<std::vector<app::TreatmentSession>> listed = clinic().sessions.ListSessionsOn(nurse_, date);
        EXPECT_TRUE(listed.ok()) << listed.error().ToString();
        std::vector<SessionId> ids;
        for (const app::TreatmentSession& session : listed.ok() ? *listed : std::vector<app::TreatmentSession>{}) {
            ids.push_back(session.id);
        }
        return ids;
    }

    PatientId patient_;
    SessionId session_;
};

// The REMS treatment date is the date of administration at the healthcare setting: Tuesday in New York, although
// the first device's UTC time is Wednesday 00:30.
TEST_P(TimeZoneContractTest, AnEveningSessionIsDatedTheDayItHappened) {
    ASSERT_NO_FATAL_FAILURE(TuesdayEveningSession());

    Result<app::RemsFormView> form = clinic().rems.GetForm(nurse_, session_, settings_);
    ASSERT_TRUE(form.ok()) << form.error().ToString();
    EXPECT_EQ(form->record.treatment_date, kTuesday);
    EXPECT_EQ(form->record.due_date, kTuesday + days{7});
    EXPECT_EQ(form->form.administered_on, kTuesday);

    // Due Tuesday 15 December: not overdue at 23:30 that evening in New York (04:30 UTC Wednesday), overdue from the
    // clinic's midnight on.
    clock_.Set(NewYork(kTuesday + days{7}, 23, 30));
    Result<std::vector<app::DueRemsForm>> on_due_date = clinic().rems.ListDue(nurse_);
    ASSERT_TRUE(on_due_date.ok()) << on_due_date.error().ToString();
    ASSERT_EQ(on_due_date->size(), 1U);
    EXPECT_FALSE(on_due_date->front().overdue);
    clock_.Set(NewYork(kTuesday + days{8}, 0, 0));
    Result<std::vector<app::DueRemsForm>> day_after = clinic().rems.ListDue(nurse_);
    ASSERT_TRUE(day_after.ok()) << day_after.error().ToString();
    ASSERT_EQ(day_after->size(), 1U);
    EXPECT_TRUE(day_after->front().overdue);
}

// The day's session list holds the sessions planned for that day and those checked in on it, in the clinic's day:
// Monday's session run on Tuesday evening is on Monday's list and Tuesday's, not Wednesday's (its UTC date).
TEST_P(TimeZoneContractTest, TheDaysSessionListIsTheClinicsDay) {
    ASSERT_NO_FATAL_FAILURE(TuesdayEveningSession());
    EXPECT_EQ(SessionsOn(kMonday), std::vector<SessionId>{session_});
    EXPECT_EQ(SessionsOn(kTuesday), std::vector<SessionId>{session_});
    EXPECT_EQ(SessionsOn(kTuesday + days{1}), std::vector<SessionId>{});
}

// A medication is stopped on a date of the clinic's calendar: at 20:00 on Tuesday in New York (01:00 Wednesday UTC)
// Wednesday is still tomorrow, and Tuesday is today.
TEST_P(TimeZoneContractTest, AMedicationIsStoppedNoLaterThanTheClinicsToday) {
    clock_.Set(NewYork(kTuesday, 19, 0));
    Result<app::HistoryEntry> medication = clinic().history.AddMedication(nurse_, patient_, "sertraline");
    ASSERT_TRUE(medication.ok()) << medication.error().ToString();
    clock_.Set(NewYork(kTuesday, 20, 0));
    Result<app::HistoryEntry> tomorrow =
        clinic().history.StopMedication(prescriber_, patient_, medication->id, kTuesday + days{1}, "");
    ASSERT_FALSE(tomorrow.ok());
    EXPECT_EQ(tomorrow.error().field, "stopped_on");
    Result<app::HistoryEntry> today =
        clinic().history.StopMedication(prescriber_, patient_, medication->id, kTuesday, "");
    ASSERT_TRUE(today.ok()) << today.error().ToString();
    ASSERT_TRUE(today->stop.has_value());
    EXPECT_EQ(today->stop->stopped_on, kTuesday);
}

TEST_P(TimeZoneContractTest, AnUnknownZoneIsRefusedAndNothingStored) {
    for (const std::string zone : {"Mars/Olympus_Mons", "../../etc/passwd", "EST5EDT,M3.2.0,M11.1.0"}) {
        Result<clinical::ClinicSettings> changed = clinic().settings.ChangeSetting(admin_, "clinic.time_zone", zone);
        ASSERT_FALSE(changed.ok()) << zone << ": accepted";
        EXPECT_EQ(changed.error().code, ErrorCode::kInvalidArgument) << zone;
        EXPECT_EQ(changed.error().field, "clinic.time_zone") << zone;
    }
    Result<clinical::ClinicSettings> in_force = clinic().settings.LoadClinicSettings();
    ASSERT_TRUE(in_force.ok()) << in_force.error().ToString();
    EXPECT_EQ(in_force->time_zone, "America/New_York");
}

INSTANTIATE_TEST_SUITE_P(Backends, TimeZoneContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
