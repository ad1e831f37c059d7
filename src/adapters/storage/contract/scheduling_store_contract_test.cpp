// The store's scheduling slice (app::SchedulingTransaction) on a real SQLite file and a real PostgreSQL server:
// rooms with unique names and versions, closed days, appointments listed by each filter with [from, to) overlap,
// version conflicts, one appointment holding time per session, what the schema refuses, and the missed-induction
// flags. The use cases over it are scheduling_contract_test.cpp.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Appointment;
using app::AppointmentFilter;
using app::AppointmentId;
using app::RoomId;
using app::StoreTransaction;
using clinical::AppointmentStatus;
using clinical::AppointmentType;
using std::chrono::hours;
using std::chrono::minutes;

class SchedulingStoreContractTest : public UseCaseTest {
protected:
    template <typename Work>
    auto Write(Work&& work) {
        return store().Write(std::forward<Work>(work));
    }

    RoomId AddRoom(const std::string& name, clinical::RoomEquipment equipment = clinical::RoomEquipment::kBoth) {
        Result<RoomId> id = Write([&](StoreTransaction& tx) {
            return tx.InsertRoom(app::TreatmentRoom{RoomId{}, name, equipment, {"mon-1", "mon-2"}, true, 1});
        });
        EXPECT_TRUE(id.ok()) << id.error().ToString();
        return id.ok() ? *id : RoomId{};
    }

    // A follow-up of `patient` at kStart + `from_minutes` lasting `length_minutes`.
    static Appointment FollowUp(app::PatientId patient, int from_minutes, int length_minutes,
                                std::optional<RoomId> room = std::nullopt,
                                const std::string& staff = "nurse@clinic.example") {
        Appointment appointment;
        appointment.patient = patient;
        appointment.type = AppointmentType::kFollowUp;
        appointment.start = kStart + minutes{from_minutes};
        appointment.end = appointment.start + minutes{length_minutes};
        appointment.room = room;
        appointment.staff = staff;
        appointment.created_at = kStart;
        appointment.created_by = "desk@clinic.example";
        appointment.updated_at = kStart;
        appointment.updated_by = "desk@clinic.example";
        return appointment;
    }

    AppointmentId Insert(const Appointment& appointment) {
        Result<AppointmentId> id = Write([&](StoreTransaction& tx) { return tx.InsertAppointment(appointment); });
        EXPECT_TRUE(id.ok()) << id.error().ToString();
        return id.ok() ? *id : AppointmentId{};
    }

    std::vector<std::int64_t> Listed(const AppointmentFilter& filter) {
        Result<std::vector<Appointment>> listed =
            store().Read([&](StoreTransaction& tx) { return tx.ListAppointments(filter); });
        EXPECT_TRUE(listed.ok()) << listed.error().ToString();
        std::vector<std::int64_t> ids;
        for (const Appointment& appointment : listed.ok() ? *listed : std::vector<Appointment>{}) {
            ids.push_back(appointment.id.value);
        }
        return ids;
    }

    static AppointmentFilter Between(int from_minutes, int to_minutes) {
        return AppointmentFilter{kStart + minutes{from_minutes}, kStart + minutes{to_minutes}, {}, {}, {}, {}, false};
    }
};

TEST_P(SchedulingStoreContractTest, RoomsHaveUniqueNamesAndVersions) {
    const RoomId chair = AddRoom("Chair 1", clinical::RoomEquipment::kEsketamine);
    const RoomId suite = AddRoom("Infusion suite", clinical::RoomEquipment::kIvIm);

    Result<RoomId> twin = Write([&](StoreTransaction& tx) {
        return tx.InsertRoom(app::TreatmentRoom{RoomId{}, "Chair 1", clinical::RoomEquipment::kBoth, {}, true, 1});
    });
    ASSERT_FALSE(twin.ok());
    EXPECT_EQ(twin.error().code, ErrorCode::kConflict);
    EXPECT_EQ(twin.error().field, "name");

    Result<app::TreatmentRoom> read = store().Read([&](StoreTransaction& tx) { return tx.GetRoom(chair); });
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(read->name, "Chair 1");
    EXPECT_EQ(read->equipment, clinical::RoomEquipment::kEsketamine);
    EXPECT_EQ(read->monitor_ids, (std::vector<std::string>{"mon-1", "mon-2"}));
    EXPECT_TRUE(read->active);
    EXPECT_EQ(read->version, 1);

    app::TreatmentRoom changed = *read;
    changed.name = "Chair 1 (window)";
    changed.active = false;
    changed.monitor_ids = {};
    ASSERT_TRUE(store().Write([&](StoreTransaction& tx) { return tx.UpdateRoom(changed); }).ok());
    Status stale = store().Write([&](StoreTransaction& tx) { return tx.UpdateRoom(changed); });
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
    EXPECT_EQ(stale.error().field, "version");

    Result<app::TreatmentRoom> suite_read = store().Read([&](StoreTransaction& tx) { return tx.GetRoom(suite); });
    ASSERT_TRUE(suite_read.ok());
    app::TreatmentRoom suite_renamed = *suite_read;
    suite_renamed.name = "Chair 1 (window)";
    Status taken = store().Write([&](StoreTransaction& tx) { return tx.UpdateRoom(suite_renamed); });
    ASSERT_FALSE(taken.ok());
    EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
    EXPECT_EQ(taken.error().field, "name");

    Result<std::vector<app::TreatmentRoom>> rooms = store().Read([&](StoreTransaction& tx) { return tx.ListRooms(); });
    ASSERT_TRUE(rooms.ok());
    ASSERT_EQ(rooms->size(), 2u);
    EXPECT_EQ((*rooms)[0].name, "Chair 1 (window)");
    EXPECT_FALSE((*rooms)[0].active);
    EXPECT_EQ((*rooms)[0].version, 2);
    EXPECT_TRUE((*rooms)[0].monitor_ids.empty());
    EXPECT_EQ((*rooms)[1].name, "Infusion suite");

    Result<app::TreatmentRoom> missing = store().Read([&](StoreTransaction& tx) { return tx.GetRoom(RoomId{999}); });
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM treatment_rooms").ok());
}

TEST_P(SchedulingStoreContractTest, ClosedDaysAreUniqueListedInRangeAndRemoved) {
    using std::chrono::year;
    const std::chrono::sys_days thanksgiving{year{2026} / 11 / 26};
    const std::chrono::sys_days christmas{year{2026} / 12 / 25};
    ASSERT_TRUE(Write([&](StoreTransaction& tx) {
                    return tx.InsertClosedDay(app::ClosedDay{christmas, "Christmas", "admin@clinic.example"});
                }).ok());
    ASSERT_TRUE(Write([&](StoreTransaction& tx) {
                    return tx.InsertClosedDay(app::ClosedDay{thanksgiving, "Thanksgiving", "admin@clinic.example"});
                }).ok());
    Status twice = Write([&](StoreTransaction& tx) {
        return tx.InsertClosedDay(app::ClosedDay{christmas, "again", "admin@x"});
    });
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
    EXPECT_EQ(twice.error().field, "date");

    Result<std::vector<app::ClosedDay>> all =
        store().Read([&](StoreTransaction& tx) { return tx.ListClosedDays(thanksgiving, christmas); });
    ASSERT_TRUE(all.ok()) << all.error().ToString();
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].date, thanksgiving);
    EXPECT_EQ((*all)[0].reason, "Thanksgiving");
    EXPECT_EQ((*all)[0].created_by, "admin@clinic.example");
    EXPECT_EQ((*all)[1].date, christmas);

    Result<std::vector<app::ClosedDay>> december = store().Read([&](StoreTransaction& tx) {
        return tx.ListClosedDays(std::chrono::sys_days{year{2026} / 12 / 1}, christmas - std::chrono::days{1});
    });
    ASSERT_TRUE(december.ok());
    EXPECT_TRUE(december->empty());

    ASSERT_TRUE(Write([&](StoreTransaction& tx) { return tx.DeleteClosedDay(christmas); }).ok());
    Status gone = Write([&](StoreTransaction& tx) { return tx.DeleteClosedDay(christmas); });
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(SchedulingStoreContractTest, AppointmentsRoundTripAndListByEachFilterOverlappingFromTo) {
    const app::PatientId ada = Register("MRN-1");
    const app::PatientId bob = Register("MRN-2");
    const RoomId chair = AddRoom("Chair 1");
    const RoomId other = AddRoom("Chair 2");

    Appointment first = FollowUp(ada, 60, 60, chair);  // [60, 120)
    first.override_reason = "urgent: relapse";
    first.overridden = {"outside_hours"};
    const AppointmentId a = Insert(first);
    const AppointmentId b = Insert(FollowUp(bob, 120, 30, chair, "other@clinic.example"));  // [120, 150)
    const AppointmentId c = Insert(FollowUp(bob, 30, 60, other));                           // [30, 90)
    Appointment cancelled = FollowUp(ada, 200, 30, other);
    cancelled.status = AppointmentStatus::kCancelled;
    cancelled.status_reason = "patient called";
    const AppointmentId d = Insert(cancelled);  // [200, 230)

    Result<Appointment> read = store().Read([&](StoreTransaction& tx) { return tx.GetAppointment(a); });
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(read->patient, ada);
    EXPECT_EQ(read->type, AppointmentType::kFollowUp);
    EXPECT_EQ(read->start, kStart + hours{1});
    EXPECT_EQ(read->end, kStart + hours{2});
    EXPECT_EQ(read->room, chair);
    EXPECT_EQ(read->staff, "nurse@clinic.example");
    EXPECT_FALSE(read->session.has_value());
    EXPECT_EQ(read->status, AppointmentStatus::kBooked);
    EXPECT_EQ(read->override_reason, "urgent: relapse");
    EXPECT_EQ(read->overridden, (std::vector<std::string>{"outside_hours"}));
    EXPECT_EQ(read->created_by, "desk@clinic.example");
    EXPECT_EQ(read->version, 1);

    // [from, to) overlaps [start, end) when start < to and end > from: touching ends do not overlap.
    EXPECT_EQ(Listed(Between(0, 1000)), (std::vector<std::int64_t>{c.value, a.value, b.value, d.value}));
    EXPECT_EQ(Listed(Between(90, 120)), (std::vector<std::int64_t>{a.value}));
    EXPECT_EQ(Listed(Between(89, 121)), (std::vector<std::int64_t>{c.value, a.value, b.value}));
    EXPECT_EQ(Listed(Between(150, 200)), (std::vector<std::int64_t>{}));
    EXPECT_EQ(Listed(Between(0, 30)), (std::vector<std::int64_t>{}));

    AppointmentFilter by_room = Between(0, 1000);
    by_room.room = chair;
    EXPECT_EQ(Listed(by_room), (std::vector<std::int64_t>{a.value, b.value}));
    AppointmentFilter by_staff = Between(0, 1000);
    by_staff.staff = "other@clinic.example";
    EXPECT_EQ(Listed(by_staff), (std::vector<std::int64_t>{b.value}));
    AppointmentFilter by_patient = Between(0, 1000);
    by_patient.patient = ada;
    EXPECT_EQ(Listed(by_patient), (std::vector<std::int64_t>{a.value, d.value}));
    by_patient.holding_time_only = true;
    EXPECT_EQ(Listed(by_patient), (std::vector<std::int64_t>{a.value}));

    // One that started the day before still overlaps a range that begins before it ends.
    const AppointmentId long_one = Insert(FollowUp(ada, -23 * 60, 23 * 60 + 10));  // ends at +10
    EXPECT_EQ(Listed(Between(0, 20)), (std::vector<std::int64_t>{long_one.value}));

    // The rules' narrow read: the same overlap, only appointments that hold time, each as the rules see it.
    const auto held = [&](int from_minutes, int to_minutes, std::optional<app::PatientId> patient) {
        Result<std::vector<clinical::Booking>> bookings = store().Read([&](StoreTransaction& tx) {
            return tx.ListHeldBookings(kStart + minutes{from_minutes}, kStart + minutes{to_minutes}, patient);
        });
        EXPECT_TRUE(bookings.ok()) << bookings.error().ToString();
        return bookings.ok() ? *bookings : std::vector<clinical::Booking>{};
    };
    const std::vector<clinical::Booking> all = held(0, 1000, std::nullopt);
    std::vector<std::int64_t> ids;
    for (const clinical::Booking& booking : all) {
        ids.push_back(booking.id);
    }
    EXPECT_EQ(ids, (std::vector<std::int64_t>{long_one.value, c.value, a.value, b.value}));  // d is cancelled
    ASSERT_EQ(all.size(), 4U);
    EXPECT_EQ(all[3].type, AppointmentType::kFollowUp);
    EXPECT_EQ(all[3].patient, bob.value);
    EXPECT_EQ(all[3].start, kStart + minutes{120});
    EXPECT_EQ(all[3].end, kStart + minutes{150});
    EXPECT_EQ(all[3].room, chair.value);
    EXPECT_EQ(all[3].staff, "other@clinic.example");
    EXPECT_FALSE(all[0].room.has_value());
    ASSERT_EQ(held(90, 120, std::nullopt).size(), 1U);
    EXPECT_EQ(held(90, 120, std::nullopt)[0].id, a.value);
    EXPECT_TRUE(held(150, 200, std::nullopt).empty());
    ASSERT_EQ(held(0, 1000, ada).size(), 2U);
    EXPECT_EQ(held(0, 1000, ada)[1].id, a.value);

    Result<Appointment> missing =
        store().Read([&](StoreTransaction& tx) { return tx.GetAppointment(AppointmentId{999}); });
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(SchedulingStoreContractTest, AnAppointmentUpdatesAtItsVersionAndAFinalOneNeverChanges) {
    const app::PatientId ada = Register("MRN-1");
    const RoomId chair = AddRoom("Chair 1");
    const AppointmentId id = Insert(FollowUp(ada, 60, 60, chair));
    Result<Appointment> read = store().Read([&](StoreTransaction& tx) { return tx.GetAppointment(id); });
    ASSERT_TRUE(read.ok());

    Appointment moved = *read;
    moved.start += hours{24};
    moved.end += hours{24};
    moved.room = std::nullopt;
    moved.updated_by = "other@clinic.example";
    ASSERT_TRUE(Write([&](StoreTransaction& tx) { return tx.UpdateAppointment(moved); }).ok());
    Status stale = Write([&](StoreTransaction& tx) { return tx.UpdateAppointment(moved); });
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
    EXPECT_EQ(stale.error().field, "version");

    read = store().Read([&](StoreTransaction& tx) { return tx.GetAppointment(id); });
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->start, kStart + hours{25});
    EXPECT_FALSE(read->room.has_value());
    EXPECT_EQ(read->updated_by, "other@clinic.example");
    EXPECT_EQ(read->version, 2);

    Appointment missed = *read;
    missed.status = AppointmentStatus::kNoShow;
    ASSERT_TRUE(Write([&](StoreTransaction& tx) { return tx.UpdateAppointment(missed); }).ok());
    missed.version = 3;
    missed.status = AppointmentStatus::kBooked;
    EXPECT_FALSE(Write([&](StoreTransaction& tx) { return tx.UpdateAppointment(missed); }).ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM appointments").ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE appointments SET patient_id = patient_id + 1").ok());
    // Longer than a day, or ending before it starts: the schema refuses both.
    EXPECT_FALSE(Write([&](StoreTransaction& tx) { return tx.InsertAppointment(FollowUp(ada, 0, 24 * 60 + 1)); }).ok());
    EXPECT_FALSE(Write([&](StoreTransaction& tx) { return tx.InsertAppointment(FollowUp(ada, 0, 0)); }).ok());
}

TEST_P(SchedulingStoreContractTest, ASessionHoldsOneAppointmentAtATimeAndMissedInductionsAreKept) {
    const app::PatientId ada = Register("MRN-1");
    const app::CourseRecord course = StartCourse(ada);
    ASSERT_FALSE(course.sessions.empty());
    const app::SessionId session = course.sessions.front().id;
    const RoomId chair = AddRoom("Chair 1");

    Appointment first = FollowUp(ada, 60, 120, chair);
    first.type = AppointmentType::kIvSession;
    first.session = session;
    const AppointmentId booked = Insert(first);
    Result<AppointmentId> second = Write([&](StoreTransaction& tx) { return tx.InsertAppointment(first); });
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    EXPECT_EQ(second.error().field, "session_id");

    AppointmentFilter by_session = Between(-10000, 10000);
    by_session.session = session;
    EXPECT_EQ(Listed(by_session), (std::vector<std::int64_t>{booked.value}));

    // Once the first no longer holds time, the session can be booked again.
    Result<Appointment> read = store().Read([&](StoreTransaction& tx) { return tx.GetAppointment(booked); });
    ASSERT_TRUE(read.ok());
    Appointment no_show = *read;
    no_show.status = AppointmentStatus::kNoShow;
    ASSERT_TRUE(Write([&](StoreTransaction& tx) { return tx.UpdateAppointment(no_show); }).ok());
    Insert(first);

    const app::MissedInduction missed{app::MissedInductionId{},
                                      course.course.id,
                                      session,
                                      booked,
                                      ada,
                                      AppointmentStatus::kNoShow,
                                      "did not come",
                                      kStart,
                                      "desk@clinic.example"};
    ASSERT_TRUE(Write([&](StoreTransaction& tx) { return tx.InsertMissedInduction(missed); }).ok());
    Result<app::MissedInductionId> again =
        Write([&](StoreTransaction& tx) { return tx.InsertMissedInduction(missed); });
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().field, "appointment");
    Result<std::vector<app::MissedInduction>> flags =
        store().Read([&](StoreTransaction& tx) { return tx.ListMissedInductions(course.course.id); });
    ASSERT_TRUE(flags.ok()) << flags.error().ToString();
    ASSERT_EQ(flags->size(), 1u);
    EXPECT_EQ((*flags)[0].session, session);
    EXPECT_EQ((*flags)[0].appointment, booked);
    EXPECT_EQ((*flags)[0].patient, ada);
    EXPECT_EQ((*flags)[0].outcome, AppointmentStatus::kNoShow);
    EXPECT_EQ((*flags)[0].reason, "did not come");
    EXPECT_EQ((*flags)[0].flagged_by, "desk@clinic.example");
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM missed_inductions").ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE missed_inductions SET reason = 'x'").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulingStoreContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
