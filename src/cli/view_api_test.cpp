// The screens' routes as the clinic's people meet them, on a real `kclinic serve` over SQLite and over PostgreSQL:
// the clinic board of the day in one request, the quick patient search, a patient's chart in one request, a
// treatment session's screen in one request, and the staff directory; each with the roles docs/security.md gives it and
// the refusals docs/api.md names.

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

class ViewApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        server_->AddStaff();
        ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
        patient_id_ = RegisterPatient(desk, "MRN-0042", "Émile", "Zola", "male");
        ASSERT_NE(patient_id_, 0);
        patient_ = "/api/v1/patients/" + std::to_string(patient_id_);
    }

    // Today in UTC (the server's clinic zone by default), by the real clock.
    static std::string Today() {
        return FormatDate(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
    }

    // An IV course for the patient starting today, as the prescriber; its first session's id.
    std::int64_t StartIvCourseToday() {
        server_->SignedScreening(patient_id_, "ketamine-iv");
        const ApiResponse course = server_->ClientWithToken("prescriber@clinic.example")
                                       .Post(patient_ + "/courses", {{"indication", "treatment-resistant depression"},
                                                                     {"protocol", "iv-induction"},
                                                                     {"route", "iv"},
                                                                     {"start_date", Today()}});
        EXPECT_EQ(course.status, 201) << course.text;
        return course.body["sessions"][0]["id"].get<std::int64_t>();
    }

    std::unique_ptr<ClinicServer> server_;
    std::int64_t patient_id_ = 0;
    std::string patient_;  // "/api/v1/patients/<id>"
};

TEST_P(ViewApiTest, TheBoardShowsTheDaysSessionsInOneRequest) {
    const std::int64_t session = StartIvCourseToday();
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ASSERT_EQ(nurse
                  .Post("/api/v1/sessions/" + std::to_string(session) + "/check-in",
                        {{"consent_confirmed", true}, {"escort_confirmed", true}})
                  .status,
              200);
    ASSERT_EQ(nurse
                  .Post(patient_ + "/vitals",
                        {{"loinc", "85354-9"}, {"systolic", 184}, {"diastolic", 92}, {"unit", "mm[Hg]"}})
                  .status,
              201);
    ASSERT_EQ(nurse.Post(patient_ + "/vitals", {{"loinc", "8867-4"}, {"value", 72}, {"unit", "/min"}}).status, 201);

    const ApiResponse board = nurse.Get("/api/v1/board");
    ASSERT_EQ(board.status, 200) << board.text;
    EXPECT_EQ(board.body["date"], Today());
    EXPECT_EQ(board.body["time_zone"], "UTC");
    ASSERT_EQ(board.body["sessions"].size(), 1U) << board.text;
    const Json& entry = board.body["sessions"][0];
    EXPECT_EQ(entry["session"]["id"], session);
    EXPECT_EQ(entry["state"], "checked_in");
    EXPECT_EQ(entry["route"], "iv");
    EXPECT_EQ(entry["patient"]["display_name"], "Émile Zola");
    EXPECT_EQ(entry["patient"]["mrn"], "MRN-0042");
    EXPECT_TRUE(entry["patient"]["age"].is_number_integer());
    EXPECT_EQ(entry["nurse"]["email"], "nurse@clinic.example");
    EXPECT_TRUE(entry["first_dose_at"].is_null());
    EXPECT_TRUE(entry["earliest_discharge_at"].is_null());
    EXPECT_TRUE(entry["room"].is_null());
    ASSERT_EQ(entry["latest_vitals"].size(), 2U) << entry.dump();
    EXPECT_EQ(entry["latest_vitals"][0]["systolic"], 184.0);
    EXPECT_EQ(entry["latest_vitals"][0]["unit"], "mm[Hg]");
    EXPECT_EQ(entry["latest_vitals"][1]["value"], 72.0);
    ASSERT_FALSE(entry["open_alerts"].empty()) << entry.dump();
    EXPECT_EQ(entry["open_alerts"][0]["severity"], "warning");
    EXPECT_TRUE(entry["open_alerts"][0].contains("message"));

    EXPECT_EQ(nurse.Get("/api/v1/board?date=" + Today()).body, board.body);
    EXPECT_TRUE(nurse.Get("/api/v1/board?date=2001-01-01").body["sessions"].empty());
    const ApiResponse bad_date = nurse.Get("/api/v1/board?date=2026-02-30");
    EXPECT_EQ(bad_date.status, 400);
    EXPECT_EQ(bad_date.ErrorField(), "date");
    EXPECT_EQ(nurse.Get("/api/v1/board?day=2026-02-03").ErrorField(), "day");
    // The front desk schedules by the day plan; the board's vitals and alerts are clinical.
    EXPECT_EQ(server_->ClientWithToken("front_desk@clinic.example").Get("/api/v1/board").status, 403);
    EXPECT_EQ(server_->ClientWithToken("therapist@clinic.example").Get("/api/v1/board").status, 200);
}

TEST_P(ViewApiTest, TheQuickSearchFindsByNameInAnyOrderOrMrnForTheFrontDesk) {
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    for (const std::string q : {"zola%20emile", "EMILE", "%C3%A9mile", "mrn-00"}) {
        const ApiResponse found = desk.Get("/api/v1/patients?q=" + q);
        ASSERT_EQ(found.status, 200) << q << ": " << found.text;
        ASSERT_EQ(found.body["items"].size(), 1U) << q;
        const Json& item = found.body["items"][0];
        EXPECT_EQ(item["id"], patient_id_);
        EXPECT_EQ(item["display_name"], "Émile Zola");
        EXPECT_EQ(item["mrn"], "MRN-0042");
        EXPECT_EQ(item["birth_date"], "1980-03-14");
        EXPECT_TRUE(item["age"].is_number_integer());
        EXPECT_TRUE(item["current_course"].is_null());
    }
    EXPECT_TRUE(desk.Get("/api/v1/patients?q=zweig").body["items"].empty());
    StartIvCourseToday();
    const ApiResponse with_course = desk.Get("/api/v1/patients?q=zola");
    EXPECT_EQ(with_course.body["items"][0]["current_course"]["route"], "iv");
    EXPECT_EQ(with_course.body["items"][0]["current_course"]["status"], "active");

    EXPECT_EQ(desk.Get("/api/v1/patients?q=zola&name=zola").ErrorField(), "q");
    EXPECT_EQ(desk.Get("/api/v1/patients?q=").ErrorField(), "q");
    EXPECT_EQ(desk.Get("/api/v1/patients?q=zola&limit=0").ErrorField(), "limit");
    // Audited as a search naming what was typed.
    const ApiResponse audit =
        server_->ClientWithToken("admin@clinic.example").Get("/api/v1/audit?action=patient.search");
    ASSERT_EQ(audit.status, 200);
    ASSERT_FALSE(audit.body["items"].empty());
    EXPECT_EQ(audit.body["items"][0]["detail"], "q=zola emile");

    // An admin finds the patient a portal login is for (docs/security.md), and the search is audited in their name;
    // the chart stays closed to them.
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const ApiResponse by_admin = admin.Get("/api/v1/patients?q=MRN-0042");
    ASSERT_EQ(by_admin.status, 200) << by_admin.text;
    ASSERT_EQ(by_admin.body["items"].size(), 1U);
    EXPECT_EQ(by_admin.body["items"][0]["id"], patient_id_);
    const ApiResponse searches = admin.Get("/api/v1/audit?action=patient.search&actor=admin@clinic.example");
    ASSERT_EQ(searches.body["items"].size(), 1U) << searches.text;
    EXPECT_EQ(searches.body["items"][0]["detail"], "q=MRN-0042");
    EXPECT_EQ(admin.Get(patient_ + "/chart").status, 403);
}

TEST_P(ViewApiTest, TheChartComesInOneRequestForClinicalRolesOnly) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ASSERT_EQ(nurse.Post(patient_ + "/assessments", {{"instrument", "phq9"}, {"answers", {2, 2, 2, 2, 2, 2, 2, 2, 0}}})
                  .status,
              201);
    StartIvCourseToday();
    ASSERT_EQ(nurse.Post(patient_ + "/clinical-notes", {{"kind", "progress"}, {"body", "Calm."}}).status, 201);

    const ApiResponse chart = server_->ClientWithToken("therapist@clinic.example").Get(patient_ + "/chart");
    ASSERT_EQ(chart.status, 200) << chart.text;
    EXPECT_EQ(chart.body["patient"]["display_name"], "Émile Zola");
    ASSERT_FALSE(chart.body["diagnoses"].empty());  // F33.2, from the signed screening's history
    EXPECT_EQ(chart.body["diagnoses"][0]["value"], "F33.2");
    EXPECT_FALSE(chart.body["latest_screening"].is_null());
    ASSERT_EQ(chart.body["courses"].size(), 1U);
    EXPECT_EQ(chart.body["courses"][0]["sessions_completed"], 0);
    EXPECT_FALSE(chart.body["courses"][0]["sessions"].empty());
    ASSERT_EQ(chart.body["notes"].size(), 1U);
    EXPECT_EQ(chart.body["notes"][0]["body"], "Calm.");
    ASSERT_EQ(chart.body["outcomes"].size(), 1U);
    const Json& phq9 = chart.body["outcomes"][0];
    EXPECT_EQ(phq9["instrument"], "phq9");
    EXPECT_EQ(phq9["baseline_total"], 16);
    EXPECT_EQ(phq9["response_max_total"], 8);
    EXPECT_EQ(phq9["remission_max_total"], 4);
    EXPECT_EQ(phq9["points"][0]["total"], 16);
    // No dose yet: the latest total is the pre-treatment baseline.
    EXPECT_EQ(phq9["baseline_assessment_id"], phq9["points"][0]["assessment_id"]);
    EXPECT_TRUE(chart.body["first_dose_at"].is_null());

    EXPECT_EQ(server_->ClientWithToken("front_desk@clinic.example").Get(patient_ + "/chart").status, 403);
    EXPECT_EQ(nurse.Get("/api/v1/patients/999999/chart").status, 404);
}

TEST_P(ViewApiTest, TheSessionScreenComesInOneRequestInTheShapesOfItsOwnRoutes) {
    const std::int64_t session = StartIvCourseToday();
    const std::string path = "/api/v1/sessions/" + std::to_string(session);
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ASSERT_EQ(nurse.Post(path + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}}).status, 200);
    ASSERT_EQ(nurse
                  .Post(patient_ + "/vitals",
                        {{"loinc", "85354-9"}, {"systolic", 184}, {"diastolic", 92}, {"unit", "mm[Hg]"}})
                  .status,
              201);
    ASSERT_EQ(nurse.Post(patient_ + "/vitals", {{"loinc", "8867-4"}, {"value", 72}, {"unit", "/min"}}).status, 201);
    ASSERT_EQ(nurse.Post(patient_ + "/assessments", {{"instrument", "moaas"}, {"answers", {5}}}).status, 201);

    const ApiResponse screen = nurse.Get(path + "/screen");
    ASSERT_EQ(screen.status, 200) << screen.text;
    const Json& body = screen.body;
    // Each part is what its own route answers, so live events merge into it.
    EXPECT_EQ(body["session"], nurse.Get(path).body);
    EXPECT_EQ(body["vitals"], nurse.Get(patient_ + "/vitals?session=" + std::to_string(session)).body["items"]);
    EXPECT_EQ(body["alerts"], nurse.Get("/api/v1/alerts?session=" + std::to_string(session)).body["items"]);
    EXPECT_EQ(body["adverse_events"], nurse.Get(path + "/adverse-events").body["items"]);
    ASSERT_EQ(body["vitals"].size(), 2U) << body.dump();
    EXPECT_EQ(body["vitals"][0]["systolic"], 184.0);
    ASSERT_EQ(body["alerts"].size(), 1U) << body.dump();
    EXPECT_EQ(body["alerts"][0]["rule"], "systolic_high");
    ASSERT_EQ(body["scores"].size(), 1U) << body.dump();
    EXPECT_EQ(body["scores"][0]["instrument"], "moaas");
    EXPECT_EQ(body["patient"]["display_name"], "Émile Zola");
    EXPECT_EQ(body["patient"]["mrn"], "MRN-0042");
    EXPECT_TRUE(body["patient"]["age"].is_number_integer());
    EXPECT_EQ(body["course"]["id"], body["session"]["course_id"]);
    EXPECT_EQ(body["route"], "iv");
    EXPECT_TRUE(body["first_dose_at"].is_null());
    EXPECT_TRUE(body["earliest_discharge_at"].is_null());
    ASSERT_EQ(body["alert_thresholds"].size(), 7U) << body.dump();
    EXPECT_EQ(body["alert_thresholds"][0],
              (Json{{"name", "monitoring.systolic_alert_at_or_above"}, {"value", 180}, {"unit", "mm[Hg]"}}));

    // Audited once, naming the session and its patient.
    const ApiResponse audit =
        server_->ClientWithToken("admin@clinic.example").Get("/api/v1/audit?action=session_screen.read");
    ASSERT_EQ(audit.status, 200) << audit.text;
    ASSERT_EQ(audit.body["items"].size(), 1U) << audit.text;
    EXPECT_EQ(audit.body["items"][0]["record_id"], session);
    EXPECT_EQ(audit.body["items"][0]["patient_id"], patient_id_);

    EXPECT_EQ(server_->ClientWithToken("therapist@clinic.example").Get(path + "/screen").status, 200);
    EXPECT_EQ(server_->ClientWithToken("front_desk@clinic.example").Get(path + "/screen").status, 403);
    EXPECT_EQ(nurse.Get("/api/v1/sessions/999999/screen").status, 404);
    EXPECT_EQ(nurse.Get(path + "/screen?limit=5").ErrorField(), "limit");
}

TEST_P(ViewApiTest, TheStaffDirectoryShowsColleaguesNamesToEveryStaffRole) {
    const ApiResponse staff = server_->ClientWithToken("front_desk@clinic.example").Get("/api/v1/staff");
    ASSERT_EQ(staff.status, 200) << staff.text;
    ASSERT_EQ(staff.body["items"].size(), 5U) << staff.text;
    for (const Json& member : staff.body["items"]) {
        EXPECT_EQ(member.size(), 4U) << member.dump();  // id, email, display_name, role: no hash, no login state
        EXPECT_TRUE(member.contains("display_name"));
    }
    EXPECT_EQ(staff.body["items"][2]["email"], "nurse@clinic.example");
    EXPECT_EQ(staff.body["items"][2]["role"], "nurse");
    server_->AddUser("ada@example.org", "patient", patient_id_);
    EXPECT_EQ(server_->ClientWithToken("ada@example.org").Get("/api/v1/staff").status, 403);
    EXPECT_EQ(server_->ClientWithToken("nurse@clinic.example").Get("/api/v1/staff").body["items"].size(), 5U);
}

INSTANTIATE_TEST_SUITE_P(Backends, ViewApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
