// The schedule's routes as the front desk, the nurses, the prescriber and the admin meet them, on a real `kclinic
// serve` over SQLite and over PostgreSQL: rooms and closed days, booking with each refusal answered by the booking
// rule's name and what collided, a prescriber's override of a soft rule, the day plan by room, the slot search, each
// clinician's own schedule, the appointment's steps with their versions, and a course's series booked in one step.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

// A Monday two to three weeks ahead by the real clock (the server's): bookable whatever day the test runs, since the
// clinic's default hours are Monday to Friday 08:00-18:00 in UTC.
std::chrono::sys_days MondayAhead() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    std::chrono::sys_days day = today + std::chrono::days{14};
    while (std::chrono::weekday{day} != std::chrono::Monday) {
        day += std::chrono::days{1};
    }
    return day;
}

std::string If(std::int64_t version) {
    return "If-Match: \"" + std::to_string(version) + "\"\r\n";
}

class ScheduleApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        server_->AddStaff();
        ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
        for (const char* mrn : {"MRN-A", "MRN-B"}) {
            patients_.push_back(RegisterPatient(nurse, mrn, "Ada", mrn, "female"));
            ASSERT_NE(patients_.back(), 0);
        }
        ApiClient admin = server_->ClientWithToken("admin@clinic.example");
        const ApiResponse chair =
            admin.Post("/api/v1/rooms", {{"name", "Chair 1"}, {"equipment", "iv-im"}, {"monitor_ids", {"MON-1"}}});
        ASSERT_EQ(chair.status, 201) << chair.text;
        iv_chair_ = chair.body["id"].get<std::int64_t>();
        const ApiResponse recliner = admin.Post("/api/v1/rooms", {{"name", "Chair 2"}, {"equipment", "esketamine"}});
        ASSERT_EQ(recliner.status, 201) << recliner.text;
        esketamine_chair_ = recliner.body["id"].get<std::int64_t>();
    }

    // "2026-12-07T09:30:00Z" on day_ at hh:mm UTC.
    [[nodiscard]] std::string At(int hour, int minute = 0) const {
        char text[8];
        std::snprintf(text, sizeof text, "%02d:%02d", hour, minute);
        return FormatDate(day_) + "T" + text + ":00Z";
    }

    [[nodiscard]] Json IvSession(std::int64_t patient, const std::string& start) const {
        return Json{{"type", "iv-session"},
                    {"patient_id", patient},
                    {"start", start},
                    {"room_id", iv_chair_},
                    {"staff", "nurse@clinic.example"}};
    }

    std::unique_ptr<ClinicServer> server_;
    std::vector<std::int64_t> patients_;
    std::int64_t iv_chair_ = 0;
    std::int64_t esketamine_chair_ = 0;
    std::chrono::sys_days day_ = MondayAhead();
};

TEST_P(ScheduleApiTest, RoomsAreTheAdminsToManage) {
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");

    const ApiResponse same_name = admin.Post("/api/v1/rooms", {{"name", "chair 1"}, {"equipment", "both"}});
    EXPECT_EQ(same_name.status, 409) << same_name.text;
    EXPECT_EQ(same_name.ErrorField(), "name");
    const ApiResponse bad_equipment = admin.Post("/api/v1/rooms", {{"name", "Chair 3"}, {"equipment", "laser"}});
    EXPECT_EQ(bad_equipment.status, 400);
    EXPECT_EQ(bad_equipment.ErrorField(), "equipment");
    EXPECT_EQ(desk.Post("/api/v1/rooms", {{"name", "Chair 3"}, {"equipment", "both"}}).status, 403);

    const std::string room = "/api/v1/rooms/" + std::to_string(esketamine_chair_);
    const Json change{{"name", "Chair 2"}, {"equipment", "both"}, {"monitor_ids", {"MON-2"}}, {"active", true}};
    EXPECT_EQ(admin.Put(room, change).status, 428);
    const ApiResponse changed = admin.Put(room, change, If(1));
    ASSERT_EQ(changed.status, 200) << changed.text;
    EXPECT_EQ(changed.body["equipment"], "both");
    EXPECT_EQ(changed.body["monitor_ids"], Json({"MON-2"}));
    EXPECT_EQ(admin.Put(room, change, If(1)).status, 412);

    const ApiResponse rooms = desk.Get("/api/v1/rooms");
    ASSERT_EQ(rooms.status, 200) << rooms.text;
    ASSERT_EQ(rooms.body["items"].size(), 2U);
    EXPECT_EQ(rooms.body["items"][0]["name"], "Chair 1");

    const ApiResponse types = desk.Get("/api/v1/appointment-types");
    ASSERT_EQ(types.status, 200) << types.text;
    bool iv_found = false;
    for (const Json& type : types.body["items"]) {
        if (type["type"] == "iv-session") {
            iv_found = true;
            EXPECT_TRUE(type["treatment"].get<bool>());
            EXPECT_GT(type["minutes"].get<int>(), 40);  // the infusion alone is 40 minutes
        }
    }
    EXPECT_TRUE(iv_found) << types.text;
}

TEST_P(ScheduleApiTest, EachRefusalNamesItsBookingRule) {
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");

    const ApiResponse booked = desk.Post("/api/v1/appointments", IvSession(patients_[1], At(9)));
    ASSERT_EQ(booked.status, 201) << booked.text;
    EXPECT_EQ(booked.body["status"], "booked");
    EXPECT_EQ(booked.Header("etag"), "\"1\"");

    const ApiResponse double_booked = desk.Post("/api/v1/appointments", IvSession(patients_[0], At(9, 30)));
    EXPECT_EQ(double_booked.status, 409) << double_booked.text;
    EXPECT_EQ(double_booked.ErrorField(), "room_double_booked");
    EXPECT_NE(double_booked.body["error"]["message"].get<std::string>().find("Chair 1"), std::string::npos)
        << double_booked.text;

    Json wrong_room = IvSession(patients_[0], At(9, 30));
    wrong_room["room_id"] = esketamine_chair_;
    const ApiResponse not_equipped = desk.Post("/api/v1/appointments", wrong_room);
    EXPECT_EQ(not_equipped.status, 409) << not_equipped.text;
    EXPECT_EQ(not_equipped.ErrorField(), "room_not_equipped");

    Json no_room = IvSession(patients_[0], At(13));
    no_room.erase("room_id");
    EXPECT_EQ(desk.Post("/api/v1/appointments", no_room).ErrorField(), "room_required");

    const Json late{{"type", "follow-up"},
                    {"patient_id", patients_[0]},
                    {"start", At(17, 45)},
                    {"staff", "prescriber@clinic.example"}};
    const ApiResponse after_hours = desk.Post("/api/v1/appointments", late);
    EXPECT_EQ(after_hours.status, 409) << after_hours.text;
    EXPECT_EQ(after_hours.ErrorField(), "outside_hours");
    Json with_reason = late;
    with_reason["override_reason"] = "works until 17:30; seen after hours by arrangement";
    EXPECT_EQ(desk.Post("/api/v1/appointments", with_reason).status, 403);
    const ApiResponse overridden = prescriber.Post("/api/v1/appointments", with_reason);
    ASSERT_EQ(overridden.status, 201) << overridden.text;
    EXPECT_EQ(overridden.body["overridden"], Json({"outside_hours"}));
    EXPECT_EQ(overridden.body["override_reason"], with_reason["override_reason"]);

    const ApiResponse malformed =
        desk.Post("/api/v1/appointments", {{"type", "massage"}, {"patient_id", patients_[0]}, {"start", At(10)}});
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(malformed.ErrorField(), "type");
    EXPECT_EQ(server_->ClientWithToken("nurse@clinic.example").Post("/api/v1/appointments", late).status, 403);
}

TEST_P(ScheduleApiTest, TheDayPlanByRoomAndEachClinciansOwnSchedule) {
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    ASSERT_EQ(desk.Post("/api/v1/appointments", IvSession(patients_[1], At(9))).status, 201);
    ASSERT_EQ(desk.Post("/api/v1/appointments", {{"type", "intake"},
                                                 {"patient_id", patients_[0]},
                                                 {"start", At(11)},
                                                 {"staff", "prescriber@clinic.example"}})
                  .status,
              201);

    const ApiResponse plan = desk.Get("/api/v1/schedule/day?date=" + FormatDate(day_));
    ASSERT_EQ(plan.status, 200) << plan.text;
    EXPECT_EQ(plan.body["time_zone"], "UTC");
    EXPECT_EQ(plan.body["hours"], "08:00-18:00");
    ASSERT_EQ(plan.body["rooms"].size(), 3U) << plan.text;  // the two chairs, then the appointments without a room
    EXPECT_EQ(plan.body["rooms"][0]["room"]["name"], "Chair 1");
    ASSERT_EQ(plan.body["rooms"][0]["appointments"].size(), 1U);
    const Json& infusion = plan.body["rooms"][0]["appointments"][0];
    EXPECT_EQ(infusion["local_start"], "09:00");
    EXPECT_EQ(infusion["start"], At(9).substr(0, 16) + ":00.000Z");
    EXPECT_EQ(infusion["type"], "iv-session");
    EXPECT_EQ(infusion["patient_name"], "Ada MRN-B");
    EXPECT_EQ(infusion["staff_name"], "nurse@clinic.example");  // the fixture's users have no display name
    EXPECT_TRUE(infusion["session_state"].is_null());
    EXPECT_TRUE(plan.body["rooms"][1]["appointments"].empty());
    EXPECT_TRUE(plan.body["rooms"][2]["room"].is_null());
    EXPECT_EQ(plan.body["rooms"][2]["appointments"][0]["type"], "intake");
    EXPECT_EQ(desk.Get("/api/v1/schedule/day").ErrorField(), "date");
    EXPECT_EQ(desk.Get("/api/v1/schedule/day?date=2026-02-30").ErrorField(), "date");

    const std::string week =
        "?from=" + FormatDate(day_) + "T00:00:00Z&to=" + FormatDate(day_ + std::chrono::days{7}) + "T00:00:00Z";
    const ApiResponse nurse_own = server_->ClientWithToken("nurse@clinic.example").Get("/api/v1/me/schedule" + week);
    ASSERT_EQ(nurse_own.status, 200) << nurse_own.text;
    ASSERT_EQ(nurse_own.body["items"].size(), 1U);
    EXPECT_EQ(nurse_own.body["items"][0]["type"], "iv-session");
    const ApiResponse prescriber_own =
        server_->ClientWithToken("prescriber@clinic.example").Get("/api/v1/me/schedule" + week);
    ASSERT_EQ(prescriber_own.body["items"].size(), 1U) << prescriber_own.text;
    EXPECT_EQ(prescriber_own.body["items"][0]["type"], "intake");
    const ApiResponse by_room = desk.Get("/api/v1/appointments" + week + "&room_id=" + std::to_string(iv_chair_));
    ASSERT_EQ(by_room.status, 200) << by_room.text;
    EXPECT_EQ(by_room.body["items"].size(), 1U);

    server_->AddUser("ada@patient.example", "patient", patients_[0]);
    ApiClient patient = server_->ClientWithToken("ada@patient.example");
    const ApiResponse own = patient.Get("/api/v1/patients/" + std::to_string(patients_[0]) + "/appointments" + week);
    ASSERT_EQ(own.status, 200) << own.text;
    EXPECT_EQ(own.body["items"].size(), 1U);
    EXPECT_EQ(patient.Get("/api/v1/patients/" + std::to_string(patients_[1]) + "/appointments").status, 403);
    EXPECT_EQ(patient.Get("/api/v1/schedule/day?date=" + FormatDate(day_)).status, 403);
}

TEST_P(ScheduleApiTest, SlotsThenTheAppointmentsStepsWithTheirVersions) {
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const std::string date = FormatDate(day_);
    const ApiResponse slots = desk.Get("/api/v1/slots?type=iv-session&patient_id=" + std::to_string(patients_[0]) +
                                       "&from=" + date + "&to=" + date + "&count=3");
    ASSERT_EQ(slots.status, 200) << slots.text;
    ASSERT_EQ(slots.body["items"].size(), 3U);
    const Json first = slots.body["items"][0];
    EXPECT_EQ(first["start"], date + "T08:00:00.000Z");
    EXPECT_EQ(first["room_id"], iv_chair_);  // the only room equipped for IV
    EXPECT_EQ(first["staff"], "nurse@clinic.example");
    EXPECT_EQ(desk.Get("/api/v1/slots?type=iv-session&patient_id=1&from=" + date + "&to=" + date + "&count=51").status,
              422);
    EXPECT_EQ(desk.Get("/api/v1/slots?patient_id=1&from=" + date + "&to=" + date).ErrorField(), "type");

    Json booking = IvSession(patients_[0], first["start"]);
    const ApiResponse booked = desk.Post("/api/v1/appointments", booking);
    ASSERT_EQ(booked.status, 201) << booked.text;
    const std::string appointment = booked.Header("location");
    ASSERT_FALSE(appointment.empty());

    const ApiResponse moved =
        desk.Post(appointment + "/reschedule",
                  {{"start", At(10)}, {"room_id", iv_chair_}, {"staff", "nurse@clinic.example"}}, If(1));
    ASSERT_EQ(moved.status, 200) << moved.text;
    EXPECT_EQ(moved.body["version"], 2);
    EXPECT_EQ(moved.body["start"], date + "T10:00:00.000Z");
    EXPECT_EQ(desk.Post(appointment + "/reschedule", {{"start", At(11)}}, If(1)).status, 412);

    const ApiResponse early = desk.Post(appointment + "/no-show", Json::object(), If(2));
    EXPECT_EQ(early.status, 409) << early.text;
    EXPECT_EQ(early.ErrorField(), "start");

    EXPECT_EQ(desk.Post(appointment + "/check-in", Json::object(), If(2)).status, 403);
    const ApiResponse arrived = nurse.Post(appointment + "/check-in", Json::object(), If(2));
    ASSERT_EQ(arrived.status, 200) << arrived.text;
    EXPECT_EQ(arrived.body["status"], "checked_in");
    const ApiResponse cancel_now = desk.Post(appointment + "/cancel", {{"reason", "unwell"}}, If(3));
    EXPECT_EQ(cancel_now.status, 409) << cancel_now.text;
    EXPECT_EQ(cancel_now.ErrorField(), "status");
    const ApiResponse done = nurse.Post(appointment + "/complete", Json::object(), If(3));
    ASSERT_EQ(done.status, 200) << done.text;
    EXPECT_EQ(done.body["status"], "completed");

    const ApiResponse other = desk.Post("/api/v1/appointments", IvSession(patients_[1], At(13)));
    ASSERT_EQ(other.status, 201) << other.text;
    const std::string second = other.Header("location");
    EXPECT_EQ(desk.Post(second + "/cancel", {{"reason", " "}}, If(1)).ErrorField(), "reason");
    const ApiResponse cancelled = desk.Post(second + "/cancel", {{"reason", "patient called: flu"}}, If(1));
    ASSERT_EQ(cancelled.status, 200) << cancelled.text;
    EXPECT_EQ(cancelled.body["appointment"]["status"], "cancelled");
    EXPECT_EQ(cancelled.body["appointment"]["status_reason"], "patient called: flu");
    EXPECT_TRUE(cancelled.body["missed_induction"].is_null());  // not linked to a session
    const ApiResponse read = desk.Get(second);
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.body["status"], "cancelled");
    EXPECT_EQ(desk.Get("/api/v1/appointments/999999").status, 404);
}

TEST_P(ScheduleApiTest, ClosedDaysRefuseBookingsUntilRemoved) {
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    const std::string date = FormatDate(day_);
    const ApiResponse closed = admin.Post("/api/v1/closed-days", {{"date", date}, {"reason", "Staff training"}});
    ASSERT_EQ(closed.status, 201) << closed.text;
    EXPECT_EQ(admin.Post("/api/v1/closed-days", {{"date", date}, {"reason", "again"}}).ErrorField(), "date");
    EXPECT_EQ(desk.Post("/api/v1/closed-days", {{"date", date}, {"reason", "x"}}).status, 403);

    const ApiResponse listed = desk.Get("/api/v1/closed-days?from=" + date + "&to=" + date);
    ASSERT_EQ(listed.status, 200) << listed.text;
    ASSERT_EQ(listed.body["items"].size(), 1U);
    EXPECT_EQ(listed.body["items"][0]["reason"], "Staff training");
    EXPECT_EQ(desk.Get("/api/v1/closed-days?from=" + date).ErrorField(), "to");

    const ApiResponse refused = desk.Post("/api/v1/appointments", IvSession(patients_[0], At(9)));
    EXPECT_EQ(refused.status, 409) << refused.text;
    EXPECT_EQ(refused.ErrorField(), "clinic_closed");
    const ApiResponse plan = desk.Get("/api/v1/schedule/day?date=" + date);
    EXPECT_EQ(plan.body["closed_day"]["reason"], "Staff training");

    EXPECT_EQ(admin.Send("DELETE", "/api/v1/closed-days/" + date, "").status, 204);
    EXPECT_EQ(admin.Send("DELETE", "/api/v1/closed-days/" + date, "").status, 404);
    EXPECT_EQ(admin.Send("DELETE", "/api/v1/closed-days/someday", "").ErrorField(), "date");
    EXPECT_EQ(desk.Post("/api/v1/appointments", IvSession(patients_[0], At(9))).status, 201);
}

TEST_P(ScheduleApiTest, ACoursesSeriesIsBookedInOneStep) {
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    server_->SignedScreening(patients_[0], "ketamine-iv");
    const ApiResponse started = prescriber.Post("/api/v1/patients/" + std::to_string(patients_[0]) + "/courses",
                                                {{"indication", "TRD (F33.2)"},
                                                 {"protocol", "iv-induction"},
                                                 {"route", "iv"},
                                                 {"start_date", FormatDate(day_)}});
    ASSERT_EQ(started.status, 201) << started.text;
    const std::string course = "/api/v1/courses/" + std::to_string(started.body["id"].get<std::int64_t>());
    const std::size_t sessions = started.body["sessions"].size();

    const ApiResponse proposal = desk.Get(course + "/proposal");
    ASSERT_EQ(proposal.status, 200) << proposal.text;
    ASSERT_EQ(proposal.body["items"].size(), sessions);
    EXPECT_FALSE(proposal.body["items"][0]["slot"].is_null());

    const ApiResponse series = desk.Post(course + "/book-sessions", Json::object());
    ASSERT_EQ(series.status, 200) << series.text;
    ASSERT_EQ(series.body["appointments"].size(), sessions);
    for (const Json& appointment : series.body["appointments"]) {
        EXPECT_EQ(appointment["type"], "iv-session");
        EXPECT_EQ(appointment["room_id"], iv_chair_);
        EXPECT_FALSE(appointment["session_id"].is_null());
    }
    const ApiResponse again = desk.Get(course + "/proposal");
    EXPECT_TRUE(again.body["items"].empty()) << again.text;  // every session now holds an appointment
    const ApiResponse missed = desk.Get(course + "/missed-inductions");
    ASSERT_EQ(missed.status, 200) << missed.text;
    EXPECT_TRUE(missed.body["items"].empty());

    const std::string first = "/api/v1/appointments/" + std::to_string(series.body["appointments"][0]["id"].get<int>());
    const ApiResponse cancelled = desk.Post(first + "/cancel", {{"reason", "car broke down"}}, If(1));
    ASSERT_EQ(cancelled.status, 200) << cancelled.text;
    EXPECT_EQ(cancelled.body["missed_induction"]["outcome"], "cancelled");
    EXPECT_FALSE(cancelled.body["proposal"].empty());
    const ApiResponse flagged = desk.Get(course + "/missed-inductions");
    EXPECT_EQ(flagged.body["items"].size(), 1U) << flagged.text;
}

INSTANTIATE_TEST_SUITE_P(Backends, ScheduleApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
