// The test clock as a browser test meets it, on a real `kclinic serve --test-clock` over SQLite and over PostgreSQL:
// an esketamine session may leave monitoring only 2 hours after its first device, and with the clock moved instead
// of waiting it reaches discharge and a complete REMS form; moving the clock is an admin's, audited, forward only;
// browser sessions stay on the real time; without the option the routes do not exist.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/json/clinical_json.hpp"
#include "adapters/json/object_reader.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;
using std::chrono::minutes;

// An instant the API answered ("2026-11-21T09:30:00.000Z"), or the epoch when it is not one (a test failure).
app::TimePoint Instant(const Json& text) {
    const std::optional<app::TimePoint> parsed =
        text.is_string() ? adapters::json::ParseRfc3339(text.get<std::string>()) : std::nullopt;
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(app::TimePoint{});
}

app::TimePoint RealNow() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

class TestClockApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam(), {"--test-clock"});
        ASSERT_NE(server_, nullptr);
        for (const char* role : {"admin", "nurse", "prescriber"}) {
            server_->AddUser(std::string(role) + "@clinic.example", role);
        }
    }

    // The test clock's time, as any signed-in user reads it.
    app::TimePoint ClockNow(ApiClient& client) {
        const ApiResponse clock = client.Get("/api/v1/test/clock");
        EXPECT_EQ(clock.status, 200) << clock.text;
        EXPECT_EQ(clock.body["test_clock"], true);
        return Instant(clock.body["now"]);
    }

    // Moves the test clock forward by `by` as the admin: its new time.
    app::TimePoint Advance(minutes by) {
        ApiClient admin = server_->ClientWithToken("admin@clinic.example");
        const ApiResponse moved = admin.Post("/api/v1/test/clock", {{"advance_minutes", by.count()}});
        EXPECT_EQ(moved.status, 200) << moved.text;
        return Instant(moved.body["now"]);
    }

    std::unique_ptr<ClinicServer> server_;
};

TEST_P(TestClockApiTest, TheServerSaysItRunsOnATestClock) {
    ApiClient nurse = server_->LoggedIn("nurse@clinic.example");
    const ApiResponse me = nurse.Get("/api/v1/auth/me");
    ASSERT_EQ(me.status, 200) << me.text;
    EXPECT_EQ(me.body["test_clock"], true);
    const ApiResponse login = ApiClient(server_->port()).Login("nurse@clinic.example", std::string(kTestPassword));
    ASSERT_EQ(login.status, 200) << login.text;
    EXPECT_EQ(login.body["test_clock"], true);
    // It starts at the real time.
    const app::TimePoint before = RealNow();
    const app::TimePoint now = ClockNow(nurse);
    EXPECT_GE(now, before - minutes{1});
    EXPECT_LE(now, RealNow() + minutes{1});
}

TEST_P(TestClockApiTest, OnlyAnAdminMovesItForwardAndEveryMoveIsAudited) {
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const std::int64_t before_moves = LatestAuditId(admin);
    const app::TimePoint start = ClockNow(admin);

    const ApiResponse by_nurse = nurse.Post("/api/v1/test/clock", {{"advance_minutes", 120}});
    EXPECT_EQ(by_nurse.status, 403) << by_nurse.text;
    EXPECT_LT(ClockNow(nurse), start + minutes{1});

    const ApiResponse advanced = admin.Post("/api/v1/test/clock", {{"advance_minutes", 120}});
    ASSERT_EQ(advanced.status, 200) << advanced.text;
    EXPECT_GE(Instant(advanced.body["now"]), start + minutes{120});
    EXPECT_GE(ClockNow(nurse), start + minutes{120});

    const app::TimePoint target = Instant(advanced.body["now"]) + std::chrono::hours{24};
    const std::string target_text = adapters::json::FormatTime(target);
    const ApiResponse set = admin.Post("/api/v1/test/clock", {{"set", target_text}});
    ASSERT_EQ(set.status, 200) << set.text;
    EXPECT_EQ(Instant(set.body["now"]), target);
    EXPECT_EQ(AuditedActionsAfter(admin, before_moves),
              (std::vector<std::string>{"test_clock.move", "test_clock.move"}));

    // Refused, writing nothing and moving nothing: back in time, both or neither field, out of range, malformed.
    const std::int64_t before_refusals = LatestAuditId(admin);
    const ApiResponse back = admin.Post("/api/v1/test/clock", {{"set", advanced.body["now"]}});
    EXPECT_EQ(back.status, 409) << back.text;
    EXPECT_EQ(back.ErrorField(), "set");
    EXPECT_EQ(admin.Post("/api/v1/test/clock", {{"advance_minutes", 5}, {"set", target_text}}).status, 400);
    EXPECT_EQ(admin.Post("/api/v1/test/clock", Json::object()).ErrorField(), "advance_minutes");
    EXPECT_EQ(admin.Post("/api/v1/test/clock", {{"advance_minutes", 0}}).ErrorField(), "advance_minutes");
    EXPECT_EQ(admin.Post("/api/v1/test/clock", {{"advance_minutes", -5}}).ErrorField(), "advance_minutes");
    EXPECT_EQ(admin.Post("/api/v1/test/clock", {{"advance_minutes", 1.5}}).ErrorField(), "advance_minutes");
    EXPECT_EQ(admin.Post("/api/v1/test/clock", {{"set", "tomorrow"}}).ErrorField(), "set");
    EXPECT_EQ(admin.Post("/api/v1/test/clock", {{"minutes", 5}}).ErrorField(), "minutes");
    EXPECT_TRUE(AuditedActionsAfter(admin, before_refusals).empty());
    EXPECT_LT(ClockNow(admin), target + minutes{1});
}

// Spravato REMS (docs/clinical-rules.md): monitoring lasts at least 2 hours from the first device. With the clock
// moved, not waited: refused before, allowed after, and the REMS form is complete, its 40-minute blood pressure
// included. The nurse's browser session outlives the two hours the clock jumped, since sessions keep real time.
TEST_P(TestClockApiTest, AnEsketamineSessionIsReadyForDischargeOnlyAfterTwoHoursThenItsRemsFormIsComplete) {
    ApiClient nurse = server_->LoggedIn("nurse@clinic.example");
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    const ApiResponse registered = nurse.Post("/api/v1/patients", {{"mrn", "MRN-ESK-1"},
                                                                   {"given_name", "Ada"},
                                                                   {"family_name", "Lovelace"},
                                                                   {"birth_date", "1985-12-10"},
                                                                   {"sex", "female"}});
    ASSERT_EQ(registered.status, 201) << registered.text;
    const std::int64_t patient_id = registered.body["id"].get<std::int64_t>();
    const std::string patient = "/api/v1/patients/" + std::to_string(patient_id);
    ASSERT_EQ(nurse.Post(patient + "/weights", {{"weight_kg", 70}}).status, 201);
    server_->SignedScreening(patient_id, "esketamine-nasal");

    const ApiResponse started = prescriber.Post(
        patient + "/courses", {{"indication", "TRD (F33.2)"},
                               {"protocol", "esketamine-trd"},
                               {"route", "esketamine-nasal"},
                               {"start_date", adapters::json::FormatTime(ClockNow(nurse)).substr(0, 10)}});
    ASSERT_EQ(started.status, 201) << started.text;
    const std::int64_t session_id = started.body["sessions"][0]["id"].get<std::int64_t>();
    const std::string session = "/api/v1/sessions/" + std::to_string(session_id);
    const auto step = [&](const std::string& action, const Json& body) {
        ApiResponse response = nurse.Post(session + "/" + action, body);
        EXPECT_EQ(response.status, 200) << action << ": " << response.text;
        return response;
    };
    const auto blood_pressure = [&](int systolic, int diastolic) {
        const ApiResponse recorded = nurse.Post(patient + "/vitals", {{"loinc", "85354-9"},
                                                                      {"systolic", systolic},
                                                                      {"diastolic", diastolic},
                                                                      {"unit", "mm[Hg]"},
                                                                      {"session_id", session_id}});
        EXPECT_EQ(recorded.status, 201) << recorded.text;
    };

    step("check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}});
    blood_pressure(126, 78);
    step("pre-dose", Json::object());
    ASSERT_EQ(
        prescriber.Post(session + "/dose-order", {{"route", "esketamine-nasal"}, {"weight_kg", 70}, {"dose_mg", 56}})
            .status,
        201);
    step("start-dosing", Json::object());
    const ApiResponse device = nurse.Post(session + "/administrations", {{"drug", "esketamine"},
                                                                         {"route", "esketamine-nasal"},
                                                                         {"dose_mg", 56},
                                                                         {"device_count", 2},
                                                                         {"lot_number", "E1"}});
    ASSERT_EQ(device.status, 201) << device.text;
    step("start-monitoring", Json::object());
    const auto refused_early = [&]() {
        const ApiResponse early = nurse.Post(session + "/ready-for-discharge", Json::object());
        EXPECT_EQ(early.status, 409) << early.text;
        EXPECT_EQ(early.ErrorField(), "first_esketamine_device_at") << early.text;
    };
    refused_early();

    Advance(minutes{40});
    blood_pressure(138, 84);  // about 40 minutes after the first device, near Cmax
    refused_early();
    // 1 h 55 min after the device, and the few seconds (at most minutes, on a loaded machine) the requests took.
    Advance(minutes{75});
    refused_early();
    Advance(minutes{6});
    blood_pressure(124, 76);
    const ApiResponse ready = step("ready-for-discharge", Json::object());
    EXPECT_EQ(ready.body["state"], "ready_for_discharge");
    const ApiResponse discharged = step("discharge", {{"discharge_criteria_confirmed", true}});
    EXPECT_EQ(discharged.body["state"], "discharged");

    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ASSERT_EQ(admin.Put("/api/v1/settings/rems.healthcare_setting", {{"value", "Example Clinic"}}).status, 200);
    const ApiResponse form = nurse.Get(session + "/rems-form");
    ASSERT_EQ(form.status, 200) << form.text;
    const Json& filled = form.body["form"];
    EXPECT_EQ(filled["monitoring_minimum_met"], true) << form.text;
    EXPECT_GE(filled["monitoring_minutes"].get<int>(), 120) << form.text;
    EXPECT_EQ(filled["dose"], "56_mg");
    EXPECT_EQ(filled["healthcare_setting"], "Example Clinic");
    EXPECT_EQ(filled["bp_before_administration"]["systolic"], 126) << form.text;
    EXPECT_EQ(filled["bp_40_minutes_after"]["systolic"], 138) << form.text;
    EXPECT_EQ(filled["bp_before_end"]["systolic"], 124) << form.text;
    const ApiResponse submitted = nurse.Post(session + "/rems-form/submit", {{"ready_to_leave_minutes", 125}});
    EXPECT_EQ(submitted.status, 200) << submitted.text;
    EXPECT_EQ(submitted.body["status"], "submitted") << submitted.text;
}

INSTANTIATE_TEST_SUITE_P(Backends, TestClockApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

// A server without --test-clock has no test clock routes at all, and says so where the web app reads it.
TEST(TestClockApiAbsentTest, WithoutTheOptionTheRoutesDoNotExist) {
    const std::unique_ptr<ClinicServer> server = ClinicServer::Start(Backend::kSqlite);
    ASSERT_NE(server, nullptr);
    server->AddUser("admin@clinic.example", "admin");
    ApiClient admin = server->LoggedIn("admin@clinic.example");
    EXPECT_EQ(admin.Get("/api/v1/test/clock").status, 404);
    EXPECT_EQ(admin.Post("/api/v1/test/clock", {{"advance_minutes", 120}}).status, 404);
    const ApiResponse me = admin.Get("/api/v1/auth/me");
    ASSERT_EQ(me.status, 200) << me.text;
    EXPECT_EQ(me.body["test_clock"], false);
}

}  // namespace
}  // namespace kclinic::cli::testing
