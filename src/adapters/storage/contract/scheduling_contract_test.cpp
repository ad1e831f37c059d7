// The scheduling use cases (app/scheduling.hpp, issue 11 §1) on a real SQLite file and a real PostgreSQL server:
// every booking rule refuses with its name as the field and writes nothing; a prescriber books past a soft rule with
// a reason (audited), never past a hard one, and the front desk cannot; reschedule, cancel, no-show, check in and
// complete; a course's series booked in one step; a missed induction session flagged on its course with the rest of
// the plan re-proposed (nothing booked by itself); the slot search and the day plan through the use cases; a booking
// across the daylight-saving change in New York; and two front-desk users racing for one chair at one minute.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/reminders.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Appointment;
using app::AppointmentRequest;
using app::PatientId;
using app::RoomId;
using app::TimePoint;
using clinical::AppointmentStatus;
using clinical::AppointmentType;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year;

// The fixture's clock starts on Monday 2026-09-21 at 14:13:20 UTC; the clinic is in UTC, open Monday to Friday
// 08:00-18:00 (the defaults). Tuesday is the day most cases book on.
constexpr sys_days kMonday{year{2026} / 9 / 21};
constexpr sys_days kTuesday = kMonday + days{1};
constexpr sys_days kWednesday = kMonday + days{2};

TimePoint On(sys_days day, int hour, int minute = 0) {
    return TimePoint{day} + hours{hour} + minutes{minute};
}

class SchedulingContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        AddUser(nurse_.user, app::Role::kNurse);
        AddUser(prescriber_.user, app::Role::kPrescriber);
        AddUser(desk_.user, app::Role::kFrontDesk);
        suite_ = AddRoom("Infusion suite", clinical::RoomEquipment::kIvIm);
        chair_ = AddRoom("Chair 1", clinical::RoomEquipment::kEsketamine);
        ada_ = Register("MRN-1");
    }

    RoomId AddRoom(const std::string& name, clinical::RoomEquipment equipment) {
        Result<app::TreatmentRoom> room = clinic().scheduling.CreateRoom(admin_, app::NewRoom{name, equipment, {}});
        EXPECT_TRUE(room.ok()) << room.error().ToString();
        return room.ok() ? room->id : RoomId{};
    }

    // An IV session of `patient` at `start` in `room` watched by `staff`, booked by the front desk.
    Result<Appointment> BookIv(PatientId patient, TimePoint start, std::optional<RoomId> room,
                               const std::string& staff = "nurse@clinic.example",
                               std::optional<app::SessionId> session = std::nullopt) {
        AppointmentRequest request{AppointmentType::kIvSession, patient, start, room, staff, session, ""};
        return clinic().scheduling.Book(desk_, request, settings_);
    }

    Result<Appointment> BookFollowUp(PatientId patient, TimePoint start, const app::Actor& actor,
                                     const std::string& override_reason = "") {
        AppointmentRequest request{AppointmentType::kFollowUp, patient,      start,          std::nullopt,
                                   prescriber_.user,           std::nullopt, override_reason};
        return clinic().scheduling.Book(actor, request, settings_);
    }

    // How many appointments the clinic holds in the fortnight around the fixture's start.
    std::size_t AppointmentCount() {
        Result<std::vector<Appointment>> all = store().Read([&](app::StoreTransaction& tx) {
            return tx.ListAppointments(
                app::AppointmentFilter{On(kMonday - days{7}, 0), On(kMonday + days{60}, 0), {}, {}, {}, {}, false});
        });
        EXPECT_TRUE(all.ok()) << all.error().ToString();
        return all.ok() ? all->size() : 0;
    }

    // The refusal `result` carries must name `rule` as its field and start its message with the rule's name.
    template <typename T>
    static void ExpectRefusedBy(const Result<T>& result, std::string_view rule) {
        ASSERT_TRUE(IsRefusal(result, ErrorCode::kFailedPrecondition, rule));
        EXPECT_EQ(result.error().message.rfind(std::string(rule) + ":", 0), 0u) << result.error().ToString();
    }

    const app::Actor desk_{"desk@clinic.example", "10.0.0.9"};
    RoomId suite_;
    RoomId chair_;
    PatientId ada_;
};

TEST_P(SchedulingContractTest, BooksAnIvSessionForItsProtocolLengthAndAuditsIt) {
    Result<Appointment> booked = BookIv(ada_, On(kTuesday, 9), suite_);
    ASSERT_TRUE(booked.ok()) << booked.error().ToString();
    EXPECT_EQ(booked->start, On(kTuesday, 9));
    EXPECT_EQ(booked->end, On(kTuesday, 9) + clinical::AppointmentLength(AppointmentType::kIvSession, settings_));
    EXPECT_EQ(booked->room, suite_);
    EXPECT_EQ(booked->staff, "nurse@clinic.example");
    EXPECT_EQ(booked->status, AppointmentStatus::kBooked);
    EXPECT_EQ(booked->created_by, desk_.user);
    EXPECT_TRUE(booked->overridden.empty());

    Result<Appointment> read = clinic().scheduling.GetAppointment(nurse_, booked->id);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(read->end, booked->end);
    EXPECT_EQ(AuditActions(ada_.value),
              (std::vector<std::string>{"patient.create", "appointment.book", "appointment.read"}));
}

TEST_P(SchedulingContractTest, EachHardRuleRefusesWithItsNameAndWritesNothing) {
    const PatientId bob = Register("MRN-2");
    ASSERT_TRUE(BookIv(ada_, On(kTuesday, 9), suite_).ok());
    const std::size_t before = AppointmentCount();

    ExpectRefusedBy(BookIv(bob, On(kTuesday, 10), suite_), "room_double_booked");
    ExpectRefusedBy(BookIv(bob, On(kTuesday, 9), chair_), "room_not_equipped");
    ExpectRefusedBy(BookIv(bob, On(kTuesday, 13), std::nullopt), "room_required");
    ExpectRefusedBy(BookIv(bob, On(kTuesday, 13), suite_, ""), "staff_required");
    ExpectRefusedBy(BookIv(bob, On(kMonday, 9), suite_), "in_the_past");
    ExpectRefusedBy(BookFollowUp(ada_, On(kTuesday, 10), desk_), "patient_double_booked");

    // The nurse watches at most schedule.patients_per_nurse patients at any minute.
    std::vector<PatientId> others;
    for (int i = 0; i < settings_.schedule.patients_per_nurse; ++i) {
        const RoomId room = AddRoom("Bay " + std::to_string(i), clinical::RoomEquipment::kBoth);
        const PatientId patient = Register("MRN-N" + std::to_string(i));
        ASSERT_TRUE(BookIv(patient, On(kWednesday, 9), room).ok());
    }
    const RoomId spare = AddRoom("Spare bay", clinical::RoomEquipment::kBoth);
    const std::size_t loaded = AppointmentCount();
    ExpectRefusedBy(BookIv(bob, On(kWednesday, 10), spare), "nurse_overloaded");

    // An inactive room takes no new bookings.
    Result<app::TreatmentRoom> room = store().Read([&](app::StoreTransaction& tx) { return tx.GetRoom(spare); });
    ASSERT_TRUE(room.ok());
    app::TreatmentRoom retired = *room;
    retired.active = false;
    ASSERT_TRUE(clinic().scheduling.UpdateRoom(admin_, retired).ok());
    ExpectRefusedBy(BookIv(bob, On(kTuesday, 13), spare), "room_inactive");

    // A prescriber's reason overrides no hard rule.
    Result<Appointment> forced =
        clinic().scheduling.Book(prescriber_,
                                 AppointmentRequest{AppointmentType::kIvSession, bob, On(kTuesday, 10), suite_,
                                                    nurse_.user, std::nullopt, "urgent"},
                                 settings_);
    ExpectRefusedBy(forced, "room_double_booked");

    EXPECT_EQ(AppointmentCount(), loaded);
    EXPECT_EQ(loaded, before + static_cast<std::size_t>(settings_.schedule.patients_per_nurse));
    EXPECT_EQ(AuditActions(bob.value), (std::vector<std::string>{"patient.create"}));
}

TEST_P(SchedulingContractTest, APrescriberBooksPastASoftRuleWithAReasonAndTheFrontDeskCannot) {
    // 17:00 + the IV session's length runs past the 18:00 closing.
    ExpectRefusedBy(BookIv(ada_, On(kTuesday, 17), suite_), "outside_hours");
    Result<Appointment> desk_override =
        clinic().scheduling.Book(desk_,
                                 AppointmentRequest{AppointmentType::kIvSession, ada_, On(kTuesday, 17), suite_,
                                                    nurse_.user, std::nullopt, "patient works days"},
                                 settings_);
    ASSERT_FALSE(desk_override.ok());
    EXPECT_EQ(desk_override.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(desk_override.error().field, "override_reason");
    EXPECT_EQ(AppointmentCount(), 0u);

    Result<Appointment> overridden =
        clinic().scheduling.Book(prescriber_,
                                 AppointmentRequest{AppointmentType::kIvSession, ada_, On(kTuesday, 17), suite_,
                                                    nurse_.user, std::nullopt, "relapse: cannot wait for a day slot"},
                                 settings_);
    ASSERT_TRUE(overridden.ok()) << overridden.error().ToString();
    EXPECT_EQ(overridden->overridden, (std::vector<std::string>{"outside_hours"}));
    EXPECT_EQ(overridden->override_reason, "relapse: cannot wait for a day slot");
    const std::vector<app::AuditEntry> audit = Audit(ada_.value);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "appointment.override");
    EXPECT_EQ(audit.back().detail, "outside_hours: relapse: cannot wait for a day slot");

    // A reason where no rule is broken is refused, as is the same reason on a closed day for the front desk.
    Result<Appointment> pointless = BookFollowUp(ada_, On(kTuesday, 9), prescriber_, "just in case");
    ASSERT_FALSE(pointless.ok());
    EXPECT_EQ(pointless.error().field, "override_reason");
    ASSERT_TRUE(clinic().scheduling.AddClosedDay(admin_, kTuesday + days{2}, "Staff training").ok());
    ExpectRefusedBy(BookFollowUp(ada_, On(kTuesday + days{2}, 9), desk_), "clinic_closed");
    EXPECT_TRUE(BookFollowUp(ada_, On(kTuesday + days{2}, 9), prescriber_, "seen before training").ok());
}

TEST_P(SchedulingContractTest, TreatmentsCloserThanTheProtocolSpacingAreRefusedAsSoft) {
    ASSERT_TRUE(BookIv(ada_, On(kTuesday, 9), suite_).ok());
    ExpectRefusedBy(BookIv(ada_, On(kTuesday + days{1}, 9), suite_), "session_spacing");
    EXPECT_TRUE(BookIv(ada_, On(kTuesday + days{settings_.schedule.min_days_between_sessions}, 9), suite_).ok());
}

TEST_P(SchedulingContractTest, ALinkedSessionMustBeThePatientsScheduledSessionOfTheRoutesType) {
    const app::CourseRecord course = StartCourse(ada_);
    ASSERT_GE(course.sessions.size(), 2u);
    const app::SessionId second = course.sessions[1].id;
    const PatientId bob = Register("MRN-2");

    Result<Appointment> wrong_patient = BookIv(bob, On(kTuesday, 9), suite_, nurse_.user, second);
    ASSERT_FALSE(wrong_patient.ok());
    EXPECT_EQ(wrong_patient.error().field, "session_id");
    Result<Appointment> wrong_type =
        clinic().scheduling.Book(desk_,
                                 AppointmentRequest{AppointmentType::kEsketamineSession, ada_,
                                                    On(kTuesday + days{2}, 9), chair_, nurse_.user, second, ""},
                                 settings_);
    ASSERT_FALSE(wrong_type.ok());
    EXPECT_EQ(wrong_type.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(wrong_type.error().field, "session_id");

    // Booked on Wednesday, the session planned for Thursday moves to Wednesday; a second booking of it is refused.
    Result<Appointment> booked = BookIv(ada_, On(kTuesday + days{1}, 9), suite_, nurse_.user, second);
    ASSERT_TRUE(booked.ok()) << booked.error().ToString();
    Result<app::SessionRecord> session = clinic().sessions.GetSession(nurse_, second);
    ASSERT_TRUE(session.ok());
    EXPECT_EQ(session->session.planned_date, kTuesday + days{1});
    Result<Appointment> twice = BookIv(ada_, On(kTuesday + days{3}, 9), suite_, nurse_.user, second);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().field, "session_id");
}

TEST_P(SchedulingContractTest, RescheduleCancelNoShowCheckInAndComplete) {
    Result<Appointment> booked = BookIv(ada_, On(kTuesday, 9), suite_);
    ASSERT_TRUE(booked.ok()) << booked.error().ToString();
    const PatientId bob = Register("MRN-2");
    ASSERT_TRUE(BookIv(bob, On(kTuesday, 13), suite_).ok());

    // Moving into bob's time is refused; moving later in the morning, over its own old time, is not.
    ExpectRefusedBy(clinic().scheduling.Reschedule(
                        desk_, booked->id, app::RescheduleRequest{1, On(kTuesday, 12), suite_, nurse_.user}, settings_),
                    "room_double_booked");
    Result<Appointment> moved = clinic().scheduling.Reschedule(
        desk_, booked->id, app::RescheduleRequest{1, On(kTuesday, 10), suite_, nurse_.user}, settings_);
    ASSERT_TRUE(moved.ok()) << moved.error().ToString();
    EXPECT_EQ(moved->start, On(kTuesday, 10));
    EXPECT_EQ(moved->version, 2);
    Result<Appointment> stale = clinic().scheduling.Reschedule(
        desk_, booked->id, app::RescheduleRequest{1, On(kTuesday, 8), suite_, nurse_.user}, settings_);
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

    // Not yet started: a no-show is refused; checked in and completed once the patient comes.
    Result<app::AppointmentOutcome> early = clinic().scheduling.MarkNoShow(desk_, booked->id, 2, settings_);
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().field, "start");
    clock_.Set(On(kTuesday, 10, 5));
    Result<Appointment> arrived = clinic().scheduling.CheckIn(nurse_, booked->id, 2);
    ASSERT_TRUE(arrived.ok()) << arrived.error().ToString();
    EXPECT_EQ(arrived->status, AppointmentStatus::kCheckedIn);
    Result<app::AppointmentOutcome> cancel_arrived =
        clinic().scheduling.Cancel(desk_, booked->id, 3, "changed mind", settings_);
    ASSERT_FALSE(cancel_arrived.ok());
    EXPECT_EQ(cancel_arrived.error().field, "status");
    Result<Appointment> done = clinic().scheduling.Complete(nurse_, booked->id, 3);
    ASSERT_TRUE(done.ok()) << done.error().ToString();
    EXPECT_EQ(done->status, AppointmentStatus::kCompleted);

    // Cancelled with a reason, bob's time is free again.
    Result<std::vector<Appointment>> bobs = clinic().scheduling.ListAppointments(
        desk_, app::AppointmentFilter{On(kTuesday, 0), On(kTuesday + days{1}, 0), {}, {}, bob, {}, false});
    ASSERT_TRUE(bobs.ok());
    ASSERT_EQ(bobs->size(), 1u);
    Result<app::AppointmentOutcome> blank = clinic().scheduling.Cancel(desk_, bobs->front().id, 1, " ", settings_);
    ASSERT_FALSE(blank.ok());
    EXPECT_EQ(blank.error().field, "reason");
    Result<app::AppointmentOutcome> cancelled =
        clinic().scheduling.Cancel(desk_, bobs->front().id, 1, "patient unwell", settings_);
    ASSERT_TRUE(cancelled.ok()) << cancelled.error().ToString();
    EXPECT_EQ(cancelled->appointment.status, AppointmentStatus::kCancelled);
    EXPECT_EQ(cancelled->appointment.status_reason, "patient unwell");
    EXPECT_FALSE(cancelled->missed_induction.has_value());
    EXPECT_TRUE(BookIv(Register("MRN-3"), On(kTuesday, 13), suite_).ok());
    const std::vector<std::string> actions = AuditActions(ada_.value);
    EXPECT_NE(std::find(actions.begin(), actions.end(), "appointment.reschedule"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "appointment.check_in"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "appointment.complete"), actions.end());
}

TEST_P(SchedulingContractTest, ACoursesSessionsAreBookedInOneStepAtTheProtocolsSpacing) {
    const app::CourseRecord course = StartCourse(ada_);
    ASSERT_EQ(course.sessions.size(), static_cast<std::size_t>(settings_.schedule.iv_induction_infusions));
    Result<app::SeriesBooking> series =
        clinic().scheduling.BookCourseSessions(desk_, course.course.id, std::nullopt, std::nullopt, settings_);
    ASSERT_TRUE(series.ok()) << series.error().ToString();
    ASSERT_EQ(series->appointments.size(), course.sessions.size());
    // Session 1 is today, from the next slot after now (14:13); the others at opening on their planned days.
    EXPECT_EQ(series->appointments[0].start, On(kMonday, 14, 15));
    for (std::size_t i = 0; i < series->appointments.size(); ++i) {
        const Appointment& appointment = series->appointments[i];
        EXPECT_EQ(appointment.session, course.sessions[i].id);
        EXPECT_EQ(appointment.room, suite_);
        EXPECT_EQ(appointment.staff, nurse_.user);
        EXPECT_EQ(series->sessions[i].planned_date, std::chrono::floor<days>(appointment.start));
        if (i > 0) {
            EXPECT_EQ(appointment.start, On(course.sessions[i].planned_date, 8));
            EXPECT_TRUE(clinical::CheckSpacing(series->sessions[i - 1].planned_date, series->sessions[i].planned_date,
                                               settings_.schedule)
                            .ok());
        }
    }
    // Booked already: a second run books nothing more.
    Result<app::SeriesBooking> again =
        clinic().scheduling.BookCourseSessions(desk_, course.course.id, std::nullopt, std::nullopt, settings_);
    ASSERT_TRUE(again.ok()) << again.error().ToString();
    EXPECT_TRUE(again->appointments.empty());
    EXPECT_EQ(AppointmentCount(), course.sessions.size());
}

TEST_P(SchedulingContractTest, AMissedInductionSessionFlagsTheCourseAndReproposesWithoutBooking) {
    const app::CourseRecord course = StartCourse(ada_);
    Result<app::SeriesBooking> series =
        clinic().scheduling.BookCourseSessions(desk_, course.course.id, std::nullopt, std::nullopt, settings_);
    ASSERT_TRUE(series.ok()) << series.error().ToString();
    const std::size_t booked = AppointmentCount();

    // Session 2 (Thursday) is missed.
    const Appointment& second = series->appointments[1];
    clock_.Set(second.start + minutes{30});
    Result<app::AppointmentOutcome> missed = clinic().scheduling.MarkNoShow(desk_, second.id, 1, settings_);
    ASSERT_TRUE(missed.ok()) << missed.error().ToString();
    EXPECT_EQ(missed->appointment.status, AppointmentStatus::kNoShow);
    ASSERT_TRUE(missed->missed_induction.has_value());
    EXPECT_EQ(missed->missed_induction->course, course.course.id);
    EXPECT_EQ(missed->missed_induction->session, course.sessions[1].id);
    EXPECT_EQ(missed->missed_induction->outcome, AppointmentStatus::kNoShow);
    // Re-proposed: only the missed session lacks an appointment; it goes to the next slot that fits today and the
    // spacing before the booked session 3.
    ASSERT_EQ(missed->proposal.size(), 1u);
    EXPECT_EQ(missed->proposal[0].session.id, course.sessions[1].id);
    ASSERT_TRUE(missed->proposal[0].slot.has_value());
    EXPECT_GE(missed->proposal[0].slot->start, clock_.Now());
    EXPECT_EQ(AppointmentCount(), booked);  // nothing booked by itself

    Result<std::vector<app::MissedInduction>> flags =
        clinic().scheduling.ListMissedInductions(prescriber_, course.course.id);
    ASSERT_TRUE(flags.ok()) << flags.error().ToString();
    ASSERT_EQ(flags->size(), 1u);
    EXPECT_EQ(flags->front().appointment, second.id);
    const std::vector<std::string> actions = AuditActions(ada_.value);
    EXPECT_NE(std::find(actions.begin(), actions.end(), "course.missed_induction"), actions.end());

    // A cancelled one flags the course too, with its reason.
    const Appointment& third = series->appointments[2];
    Result<app::AppointmentOutcome> cancelled =
        clinic().scheduling.Cancel(desk_, third.id, 1, "patient has COVID-19", settings_);
    ASSERT_TRUE(cancelled.ok()) << cancelled.error().ToString();
    ASSERT_TRUE(cancelled->missed_induction.has_value());
    EXPECT_EQ(cancelled->missed_induction->reason, "patient has COVID-19");
    EXPECT_EQ(cancelled->proposal.size(), 2u);
}

TEST_P(SchedulingContractTest, TheSlotSearchOffersTheFreeTimesAfterABooking) {
    ASSERT_TRUE(BookIv(ada_, On(kTuesday, 8), suite_).ok());
    const PatientId bob = Register("MRN-2");
    Result<std::vector<clinical::Slot>> slots = clinic().scheduling.FindSlots(
        desk_, app::SlotSearch{AppointmentType::kIvSession, bob, kTuesday, kTuesday, {}, {}, 3, {}}, settings_);
    ASSERT_TRUE(slots.ok()) << slots.error().ToString();
    ASSERT_EQ(slots->size(), 3u);
    const TimePoint free_from = On(kTuesday, 8) + clinical::AppointmentLength(AppointmentType::kIvSession, settings_);
    for (const clinical::Slot& slot : *slots) {
        EXPECT_GE(slot.start, free_from);
        EXPECT_EQ(slot.room, suite_.value);  // the one IV room
        EXPECT_EQ(slot.staff, nurse_.user);
    }
    EXPECT_LT((*slots)[0].start, (*slots)[1].start);
    EXPECT_EQ(AuditActions(bob.value).back(), "slot.search");

    Result<std::vector<clinical::Slot>> bad = clinic().scheduling.FindSlots(
        desk_, app::SlotSearch{AppointmentType::kIvSession, bob, kTuesday, kTuesday, {}, {}, 0, {}}, settings_);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().field, "count");
}

TEST_P(SchedulingContractTest, TheDayPlanShowsEachRoomWithItsAppointmentsAndSessionStates) {
    const app::CourseRecord course = StartCourse(ada_);
    ASSERT_TRUE(BookIv(ada_, On(kTuesday, 9), suite_, nurse_.user, course.sessions[1].id).ok());
    const PatientId bob =
        Register(app::NewPatient{"MRN-2", "Bob", "Zed", sys_days{year{1970} / 1 / 2}, clinical::Sex::kMale});
    ASSERT_TRUE(BookFollowUp(bob, On(kTuesday, 9), desk_).ok());
    ASSERT_TRUE(BookFollowUp(bob, On(kTuesday + days{1}, 9), desk_).ok());  // another day

    Result<app::DayPlan> plan = clinic().scheduling.GetDayPlan(desk_, kTuesday, settings_);
    ASSERT_TRUE(plan.ok()) << plan.error().ToString();
    EXPECT_EQ(plan->date, kTuesday);
    EXPECT_EQ(plan->time_zone, "UTC");
    ASSERT_TRUE(plan->hours.has_value());
    EXPECT_FALSE(plan->closed.has_value());
    ASSERT_EQ(plan->rooms.size(), 3u);  // the suite, the chair, and the consultations without a room
    ASSERT_TRUE(plan->rooms[0].room.has_value());
    EXPECT_EQ(plan->rooms[0].room->name, "Infusion suite");
    ASSERT_EQ(plan->rooms[0].appointments.size(), 1u);
    const app::DayPlanEntry& infusion = plan->rooms[0].appointments[0];
    EXPECT_EQ(infusion.patient_initials, "A.E.");
    EXPECT_EQ(infusion.patient_name, "Ada Example");
    EXPECT_EQ(infusion.session_state, clinical::SessionState::kScheduled);
    EXPECT_EQ(infusion.local_start, hours{9});
    EXPECT_EQ(plan->rooms[1].room->name, "Chair 1");
    EXPECT_TRUE(plan->rooms[1].appointments.empty());
    EXPECT_FALSE(plan->rooms[2].room.has_value());
    ASSERT_EQ(plan->rooms[2].appointments.size(), 1u);
    EXPECT_EQ(plan->rooms[2].appointments[0].patient_initials, "B.Z.");
    EXPECT_FALSE(plan->rooms[2].appointments[0].session_state.has_value());
}

TEST_P(SchedulingContractTest, A9amBookingInNewYorkOnTheDaylightSavingSundayIsAt13Utc) {
    // 2026-03-08 is the Sunday New York moves to EDT (UTC-4) at 02:00; the clinic opens that Sunday.
    constexpr sys_days kChangeDay{year{2026} / 3 / 8};
    clock_.Set(On(kChangeDay - days{7}, 12));
    Result<clinical::ClinicSettings> zoned =
        clinic().settings.ChangeSetting(admin_, "clinic.time_zone", "America/New_York");
    ASSERT_TRUE(zoned.ok()) << zoned.error().ToString();
    settings_ = *zoned;
    settings_.hours[6] = clinical::DayHours{hours{8}, hours{18}};

    Result<clinical::ClinicZone> zone = app::ClinicZoneOf(settings_, zones_);
    ASSERT_TRUE(zone.ok()) << zone.error().ToString();
    const TimePoint nine = zone->AtLocal(kChangeDay, hours{9});
    EXPECT_EQ(nine, On(kChangeDay, 13));
    Result<Appointment> booked = BookFollowUp(ada_, nine, desk_);
    ASSERT_TRUE(booked.ok()) << booked.error().ToString();
    EXPECT_EQ(booked->start, On(kChangeDay, 13));
    // 11:00 UTC is 07:00 EDT, before opening.
    ExpectRefusedBy(BookFollowUp(Register("MRN-2"), On(kChangeDay, 11), desk_), "outside_hours");

    Result<app::DayPlan> plan = clinic().scheduling.GetDayPlan(desk_, kChangeDay, settings_);
    ASSERT_TRUE(plan.ok()) << plan.error().ToString();
    EXPECT_EQ(plan->time_zone, "America/New_York");
    ASSERT_FALSE(plan->rooms.empty());
    ASSERT_FALSE(plan->rooms.back().room.has_value());
    ASSERT_EQ(plan->rooms.back().appointments.size(), 1u);
    EXPECT_EQ(plan->rooms.back().appointments[0].local_start, hours{9});
    // The day before, still EST, 09:00 is 14:00 UTC; that booking is not on the Sunday's plan.
    ASSERT_TRUE(BookFollowUp(Register("MRN-3"), On(kChangeDay - days{1}, 14), prescriber_, "Saturday clinic").ok());
    plan = clinic().scheduling.GetDayPlan(desk_, kChangeDay, settings_);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->rooms.back().appointments.size(), 1u);
}

TEST_P(SchedulingContractTest, TwoFrontDeskUsersBookingOneChairAtOneMinuteDoNotBothSucceed) {
    AddUser("nurse2@clinic.example", app::Role::kNurse);
    const PatientId bob = Register("MRN-2");
    // Weekdays at least the protocol's spacing apart, whoever wins each race.
    const std::vector<sys_days> days_raced = {kTuesday, kTuesday + days{2}, kTuesday + days{6}, kTuesday + days{8}};
    for (std::size_t round = 0; round < days_raced.size(); ++round) {
        const TimePoint start = On(days_raced[round], 9);
        std::atomic<int> booked{0};
        std::atomic<int> refused{0};
        std::atomic<bool> go{false};
        const auto book = [&](PatientId patient, const std::string& nurse) {
            while (!go.load()) {
                std::this_thread::yield();
            }
            Result<Appointment> result = BookIv(patient, start, suite_, nurse);
            if (result.ok()) {
                ++booked;
            } else if (result.error().field == "room_double_booked") {
                ++refused;
            } else {
                ADD_FAILURE() << result.error().ToString();
            }
        };
        std::thread first(book, ada_, nurse_.user);
        std::thread second(book, bob, "nurse2@clinic.example");
        go = true;
        first.join();
        second.join();
        EXPECT_EQ(booked.load(), 1) << "round " << round;
        EXPECT_EQ(refused.load(), 1) << "round " << round;
    }
}

TEST_P(SchedulingContractTest, RoomsAndClosedDaysAreManaged) {
    Result<app::TreatmentRoom> twin =
        clinic().scheduling.CreateRoom(admin_, app::NewRoom{"chair 1", clinical::RoomEquipment::kBoth, {}});
    ASSERT_FALSE(twin.ok());
    EXPECT_EQ(twin.error().code, ErrorCode::kConflict);
    EXPECT_EQ(twin.error().field, "name");
    Result<app::TreatmentRoom> blank =
        clinic().scheduling.CreateRoom(admin_, app::NewRoom{" ", clinical::RoomEquipment::kBoth, {}});
    ASSERT_FALSE(blank.ok());
    EXPECT_EQ(blank.error().field, "name");

    Result<std::vector<app::TreatmentRoom>> rooms = clinic().scheduling.ListRooms(desk_);
    ASSERT_TRUE(rooms.ok());
    ASSERT_EQ(rooms->size(), 2u);
    app::TreatmentRoom renamed = rooms->at(1);
    renamed.name = "Chair 1 (window)";
    renamed.monitor_ids = {"MON-7"};
    Result<app::TreatmentRoom> updated = clinic().scheduling.UpdateRoom(admin_, renamed);
    ASSERT_TRUE(updated.ok()) << updated.error().ToString();
    EXPECT_EQ(updated->version, 2);
    EXPECT_EQ(updated->monitor_ids, (std::vector<std::string>{"MON-7"}));
    Result<app::TreatmentRoom> stale = clinic().scheduling.UpdateRoom(admin_, renamed);
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

    ASSERT_TRUE(clinic().scheduling.AddClosedDay(admin_, kTuesday, "Thanksgiving (observed)").ok());
    Result<app::ClosedDay> twice = clinic().scheduling.AddClosedDay(admin_, kTuesday, "again");
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().field, "date");
    Result<app::DayPlan> plan = clinic().scheduling.GetDayPlan(desk_, kTuesday, settings_);
    ASSERT_TRUE(plan.ok());
    ASSERT_TRUE(plan->closed.has_value());
    EXPECT_EQ(plan->closed->reason, "Thanksgiving (observed)");
    ASSERT_TRUE(clinic().scheduling.RemoveClosedDay(admin_, kTuesday).ok());
    Status gone = clinic().scheduling.RemoveClosedDay(admin_, kTuesday);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
    const std::vector<std::string> actions = AuditActions();
    EXPECT_NE(std::find(actions.begin(), actions.end(), "room.update"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "closed_day.remove"), actions.end());
}

TEST_P(SchedulingContractTest, ABookingWritesItsRemindersAndAMoveOrCancellationReplacesThem) {
    // Only a patient with a portal account gets reminders.
    Result<app::User> portal = clinic().users.AddUser(
        admin_, app::NewUser{"ada@example.org", "Ada Example", app::Role::kPatient, "tulip-granite-lantern", ada_});
    ASSERT_TRUE(portal.ok()) << portal.error().ToString();
    const PatientId bob = Register("MRN-2");
    const auto messages = [&](app::AppointmentId id) {
        Result<std::vector<app::OutboxMessage>> listed = store().Read([&](app::StoreTransaction& tx) {
            app::OutboxFilter filter;
            filter.appointment = id;
            return tx.ListOutboxMessages(filter);
        });
        EXPECT_TRUE(listed.ok()) << listed.error().ToString();
        return listed.ok() ? *listed : std::vector<app::OutboxMessage>{};
    };

    Result<Appointment> booked = BookIv(ada_, On(kTuesday + days{1}, 9), suite_);
    ASSERT_TRUE(booked.ok()) << booked.error().ToString();
    std::vector<app::OutboxMessage> sent = messages(booked->id);
    ASSERT_EQ(sent.size(), 2u);  // 24 h and 2 h before
    EXPECT_EQ(sent[0].recipient, "ada@example.org");
    EXPECT_EQ(sent[0].due_at, On(kTuesday, 9));
    EXPECT_EQ(sent[1].due_at, On(kTuesday + days{1}, 7));
    EXPECT_EQ(sent[0].idempotency_key, app::ReminderKey(booked->id, 1, hours{24}));
    Result<Appointment> bobs = BookIv(bob, On(kTuesday + days{1}, 13), suite_);
    ASSERT_TRUE(bobs.ok());
    EXPECT_TRUE(messages(bobs->id).empty());

    // Booked tomorrow at 10:00 from today 14:13: the 24-hour reminder is already past, only the 2-hour one is written.
    Result<Appointment> moved = clinic().scheduling.Reschedule(
        desk_, booked->id, app::RescheduleRequest{1, On(kTuesday, 10), suite_, nurse_.user}, settings_);
    ASSERT_TRUE(moved.ok()) << moved.error().ToString();
    sent = messages(booked->id);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].status, app::OutboxStatus::kCancelled);
    EXPECT_EQ(sent[1].status, app::OutboxStatus::kCancelled);
    EXPECT_EQ(sent[2].status, app::OutboxStatus::kPending);
    EXPECT_EQ(sent[2].idempotency_key, app::ReminderKey(booked->id, 2, hours{2}));
    EXPECT_EQ(sent[2].due_at, On(kTuesday, 8));

    ASSERT_TRUE(clinic().scheduling.Cancel(desk_, booked->id, 2, "patient called", settings_).ok());
    for (const app::OutboxMessage& message : messages(booked->id)) {
        EXPECT_EQ(message.status, app::OutboxStatus::kCancelled) << message.idempotency_key;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulingContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
