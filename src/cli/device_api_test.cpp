// The bedside-monitor routes as the admin and the nurses meet them, on a real `kclinic serve` over SQLite and over
// PostgreSQL: the devices the feed has heard from, binding one to a chair, the readings no session took and their
// assignment to a patient, which charts them as device vital signs. The feed itself is the use case the MLLP
// listener calls (app::DeviceFeed::Ingest), run here in the test process on the server's own database.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "adapters/clock/system_clock.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/device_feed.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

class DeviceApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        for (const char* role : {"admin", "nurse", "therapist", "front_desk"}) {
            server_->AddUser(std::string(role) + "@clinic.example", role);
        }
        Result<std::unique_ptr<app::Store>> store = adapters::storage::OpenStore(server_->database().url());
        ASSERT_TRUE(store.ok()) << store.error().ToString();
        store_ = std::move(store).value();
    }

    // One message from monitor MON-9: a heart rate and an observation the code map did not know.
    void Feed(const std::string& control_id) {
        app::DeviceFeed feed(*store_, clock_);
        app::DeviceMessage message;
        message.device = app::DeviceIdentity{"B40", "", "MON-9", "CHAIR9"};
        message.message_control_id = control_id;
        message.received_at = clock_.Now();
        app::DeviceObservation heart_rate;
        heart_rate.loinc = "8867-4";
        heart_rate.value = 74;
        heart_rate.unit = "/min";
        heart_rate.observed_at = clock_.Now();
        heart_rate.raw =
            app::RawObservation{"147842", "MDC_ECG_HEART_RATE", "MDC", "74", "264864^MDC_DIM_BEAT_PER_MIN"};
        message.observations.push_back(heart_rate);
        app::UnmappedObservation unknown;
        unknown.raw = app::RawObservation{"0002-4182", "HR", "MDIL", "74", "bpm"};
        unknown.reason = "no mapping for 0002-4182 (MDIL)";
        message.unmapped.push_back(unknown);
        Result<app::IngestOutcome> outcome = feed.Ingest(message, clock_.Now());
        ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
        ASSERT_TRUE(std::holds_alternative<app::IngestAccepted>(*outcome));
    }

    std::unique_ptr<ClinicServer> server_;
    std::unique_ptr<app::Store> store_;
    adapters::SystemClock clock_;
};

TEST_P(DeviceApiTest, StaffSeeTheDevicesBindOneAndAssignTheReadingsNoSessionTook) {
    ASSERT_NO_FATAL_FAILURE(Feed("MSG-1"));
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");

    const ApiResponse devices = nurse.Get("/api/v1/devices");
    ASSERT_EQ(devices.status, 200) << devices.text;
    ASSERT_EQ(devices.body["items"].size(), 1u);
    const Json& device = devices.body["items"][0];
    EXPECT_EQ(device["key"], "MON-9");
    EXPECT_EQ(device["location"], "CHAIR9");
    EXPECT_EQ(device["message_count"], 1);
    EXPECT_EQ(device["error_count"], 1);
    EXPECT_NE(device["last_error"].get<std::string>().find("0002-4182"), std::string::npos);
    EXPECT_TRUE(device["room"].is_null());
    EXPECT_EQ(device["last_message_control_id"], "MSG-1");
    EXPECT_EQ(server_->ClientWithToken("front_desk@clinic.example").Get("/api/v1/devices").status, 403);

    const ApiResponse chair = admin.Post("/api/v1/rooms", {{"name", "Chair 9"}, {"equipment", "both"}});
    ASSERT_EQ(chair.status, 201) << chair.text;
    const std::string bind = "/api/v1/devices/" + std::to_string(device["id"].get<std::int64_t>()) + "/bind";
    const ApiResponse bound = nurse.Post(bind, {{"room_id", chair.body["id"]}});
    ASSERT_EQ(bound.status, 200) << bound.text;
    EXPECT_EQ(bound.body["room"]["name"], "Chair 9");
    const ApiResponse rooms = nurse.Get("/api/v1/rooms");
    ASSERT_EQ(rooms.status, 200);
    EXPECT_EQ(rooms.body["items"][0]["monitor_ids"], Json::array({"MON-9"}));
    const ApiResponse again = nurse.Post(bind, {{"room_id", chair.body["id"]}});
    EXPECT_EQ(again.status, 409) << again.text;
    EXPECT_EQ(again.body["error"]["field"], "room_id");
    EXPECT_EQ(nurse.Post(bind, {{"room_id", 999}}).status, 404);
    EXPECT_EQ(server_->ClientWithToken("therapist@clinic.example").Post(bind, {{"room_id", chair.body["id"]}}).status,
              403);

    // Nobody is checked in to the chair: the readings wait, unassigned.
    const ApiResponse unassigned = nurse.Get("/api/v1/device-readings");
    ASSERT_EQ(unassigned.status, 200) << unassigned.text;
    ASSERT_EQ(unassigned.body["items"].size(), 2u);
    const Json& reading = unassigned.body["items"][0];
    EXPECT_EQ(reading["status"], "valid");
    EXPECT_EQ(reading["loinc"], "8867-4");
    EXPECT_EQ(reading["value"], 74);
    EXPECT_TRUE(reading["patient_id"].is_null());
    EXPECT_EQ(unassigned.body["items"][1]["status"], "unmapped");
    EXPECT_EQ(unassigned.body["items"][1]["raw"]["code"], "0002-4182");
    EXPECT_FALSE(unassigned.body["items"][1].contains("loinc"));
    EXPECT_EQ(server_->ClientWithToken("therapist@clinic.example").Get("/api/v1/device-readings").status, 403);
    EXPECT_EQ(nurse.Get("/api/v1/device-readings?all=maybe").status, 400);

    const ApiResponse patient = nurse.Post("/api/v1/patients", {{"mrn", "MRN-9"},
                                                                {"given_name", "Ada"},
                                                                {"family_name", "Lovelace"},
                                                                {"birth_date", "1980-03-14"},
                                                                {"sex", "female"}});
    ASSERT_EQ(patient.status, 201) << patient.text;
    const std::int64_t patient_id = patient.body["id"].get<std::int64_t>();
    const Json assignment = {{"reading_ids", {reading["id"]}}, {"patient_id", patient_id}};
    const ApiResponse assigned = nurse.Post("/api/v1/device-readings/assign", assignment);
    ASSERT_EQ(assigned.status, 200) << assigned.text;
    EXPECT_EQ(assigned.body["readings"][0]["patient_id"], patient_id);
    EXPECT_EQ(assigned.body["readings"][0]["assigned_by"], "nurse@clinic.example");
    ASSERT_EQ(assigned.body["charted"].size(), 1u);

    const ApiResponse vitals = nurse.Get("/api/v1/patients/" + std::to_string(patient_id) + "/vitals");
    ASSERT_EQ(vitals.status, 200) << vitals.text;
    ASSERT_EQ(vitals.body["items"].size(), 1u);
    EXPECT_EQ(vitals.body["items"][0]["source"], "device");
    EXPECT_EQ(vitals.body["items"][0]["device_id"], "MON-9");
    EXPECT_EQ(vitals.body["items"][0]["device_message_id"], "MSG-1");

    const ApiResponse twice = nurse.Post("/api/v1/device-readings/assign", assignment);
    EXPECT_EQ(twice.status, 409) << twice.text;
    EXPECT_EQ(twice.body["error"]["field"], "reading_id");
    EXPECT_EQ(nurse.Post("/api/v1/device-readings/assign", {{"reading_ids", Json::array()}, {"patient_id", patient_id}})
                  .status,
              400);
    EXPECT_EQ(nurse.Get("/api/v1/device-readings").body["items"].size(), 1u) << "the unmapped one is left";
    EXPECT_EQ(nurse.Get("/api/v1/device-readings?all=true").body["items"].size(), 2u);

    const ApiResponse unbound =
        admin.Post("/api/v1/devices/" + std::to_string(device["id"].get<std::int64_t>()) + "/unbind", Json::object());
    ASSERT_EQ(unbound.status, 200) << unbound.text;
    EXPECT_TRUE(unbound.body["room"].is_null());

    // The audit log names who bound, listed and assigned.
    const ApiResponse audit = admin.Get("/api/v1/audit?action=device_reading.assign");
    ASSERT_EQ(audit.status, 200) << audit.text;
    ASSERT_EQ(audit.body["items"].size(), 1u);
    EXPECT_EQ(audit.body["items"][0]["actor"], "nurse@clinic.example");
    EXPECT_EQ(audit.body["items"][0]["patient_id"], patient_id);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeviceApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::cli::testing
