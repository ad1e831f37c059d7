// Standing orders and PRN doses as a client meets them (issue 14 §1), on a real `kclinic serve` over SQLite and over
// PostgreSQL: only a prescriber signs the set, versions read back by time and by day, a nurse gives a PRN dose under
// an entry and records the response once, each refusal names its rule and writes nothing, and the session screen
// shows the doses and the set in force.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

std::string UtcToday() {
    const std::time_t at = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&at, &parts);
    char text[16];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return {text, length};
}

Json Ondansetron() {
    return {{"drug", "ondansetron"},
            {"dose", 4},
            {"unit", "mg"},
            {"routes", {"iv", "odt"}},
            {"indication", "nausea"},
            {"max_doses_per_session", 2},
            {"max_total_per_session", 8},
            {"min_interval_minutes", 30}};
}

class StandingOrderApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        server_->AddStaff();
    }

    std::unique_ptr<ClinicServer> server_;
};

TEST_P(StandingOrderApiTest, APrescriberSignsAndANurseGivesAPrnDose) {
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");

    const Json set = {{"supersedes_version", 0}, {"note", "clinic protocol 2026"}, {"entries", {Ondansetron()}}};
    EXPECT_EQ(nurse.Post("/api/v1/standing-orders", set).status, 403);
    EXPECT_EQ(nurse.Get("/api/v1/standing-orders/in-force").status, 404);
    Json bad = set;
    bad["entries"][0]["routes"] = {"iv", "intrathecal"};
    const ApiResponse bad_route = prescriber.Post("/api/v1/standing-orders", bad);
    EXPECT_EQ(bad_route.status, 400);
    EXPECT_EQ(bad_route.ErrorField(), "entries[0].routes");
    const ApiResponse signed_set = prescriber.Post("/api/v1/standing-orders", set);
    ASSERT_EQ(signed_set.status, 201) << signed_set.text;
    EXPECT_EQ(signed_set.body["version"], 1);
    EXPECT_EQ(signed_set.body["entries"][0]["number"], 1);
    EXPECT_EQ(signed_set.body["entries"][0]["routes"], Json::array({"iv", "odt"}));
    const ApiResponse stale = prescriber.Post("/api/v1/standing-orders", set);
    // A stale version is the API's stale-record answer, as for an If-Match that no longer holds.
    EXPECT_EQ(stale.status, 412);
    const ApiResponse in_force = nurse.Get("/api/v1/standing-orders/in-force");
    ASSERT_EQ(in_force.status, 200) << in_force.text;
    EXPECT_EQ(in_force.body["version"], 1);
    const ApiResponse today = nurse.Get("/api/v1/standing-orders/in-force?date=" + UtcToday());
    ASSERT_EQ(today.status, 200) << today.text;
    EXPECT_EQ(today.body["items"].size(), 1U);
    EXPECT_EQ(nurse.Get("/api/v1/standing-orders/in-force?at=2020-01-01T00:00:00Z").status, 404);

    const std::int64_t patient_id = RegisterPatient(nurse, "MRN-S", "Ada", "Example", "female");
    const std::string patient = "/api/v1/patients/" + std::to_string(patient_id);
    ASSERT_EQ(nurse.Post(patient + "/weights", {{"weight_kg", 70}}).status, 201);
    server_->SignedScreening(patient_id, "ketamine-iv");
    const ApiResponse course = prescriber.Post(
        patient + "/courses",
        {{"indication", "TRD (F33.2)"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", UtcToday()}});
    ASSERT_EQ(course.status, 201) << course.text;
    const std::string session =
        "/api/v1/sessions/" + std::to_string(course.body["sessions"][0]["id"].get<std::int64_t>());
    ASSERT_EQ(nurse.Post(session + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}}).status, 200);

    const Json dose = {{"entry_number", 1}, {"dose", 4}, {"unit", "mg"}, {"route", "iv"}, {"indication", "nausea"}};
    Json too_much = dose;
    too_much["dose"] = 6;
    const std::int64_t before = LatestAuditId(admin);
    const ApiResponse above = nurse.Post(session + "/prn-doses", too_much);
    EXPECT_EQ(above.status, 422);
    EXPECT_EQ(above.ErrorField(), "dose");
    EXPECT_EQ(above.body["error"]["message"].get<std::string>().rfind("prn.dose_above_order: ", 0), 0U) << above.text;
    EXPECT_TRUE(AuditedActionsAfter(admin, before).empty());

    const ApiResponse given = nurse.Post(session + "/prn-doses", dose);
    ASSERT_EQ(given.status, 201) << given.text;
    EXPECT_EQ(given.body["order_kind"], "standing_order");
    EXPECT_EQ(given.body["entry_number"], 1);
    EXPECT_TRUE(given.body["response"].is_null());
    const ApiResponse too_soon = nurse.Post(session + "/prn-doses", dose);
    EXPECT_EQ(too_soon.status, 409);
    EXPECT_EQ(too_soon.ErrorField(), "given_at");

    const std::string response =
        "/api/v1/prn-doses/" + std::to_string(given.body["id"].get<std::int64_t>()) + "/response";
    const ApiResponse answered = nurse.Post(response, {{"effective", true}, {"note", "settled in 10 min"}});
    ASSERT_EQ(answered.status, 200) << answered.text;
    EXPECT_EQ(answered.body["response"]["effective"], true);
    EXPECT_EQ(nurse.Post(response, {{"effective", false}}).status, 409);

    const ApiResponse screen = nurse.Get(session + "/screen");
    ASSERT_EQ(screen.status, 200) << screen.text;
    ASSERT_EQ(screen.body["prn_doses"].size(), 1U);
    EXPECT_EQ(screen.body["prn_doses"][0]["response"]["note"], "settled in 10 min");
    EXPECT_EQ(screen.body["standing_orders"]["version"], 1);
    EXPECT_EQ(screen.body["session"]["medications"].size(), 1U);
    const std::vector<std::string> actions = AuditedActionsAfter(admin, before);
    EXPECT_NE(std::find(actions.begin(), actions.end(), "prn_dose.give"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "prn_dose.response"), actions.end());
}

INSTANTIATE_TEST_SUITE_P(Backends, StandingOrderApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::cli::testing
