// The server's log as an operator reads it (docs/operations.md "Logs"): one JSON object per line, an access line per
// request with its route's pattern and the id its answer carried, and — after a whole care pathway with a patient's
// name, MRN, note text, a password and tokens going through the server — none of them in it.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

// The log lines (every line of stderr that is a JSON object) of a stopped server's output.
std::vector<nlohmann::json> LogLines(const std::string& output) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
        if (parsed.is_object() && parsed.contains("event")) {
            lines.push_back(std::move(parsed));
        }
    }
    return lines;
}

TEST(LogTest, AWholeCarePathwayLeavesItsRequestsButNoPatientDataOrSecretInTheLog) {
    std::unique_ptr<ClinicServer> server = ClinicServer::Start(Backend::kSqlite, {"--log-level", "debug"});
    ASSERT_NE(server, nullptr);
    server->AddStaff();
    ApiClient desk = server->LoggedIn("front_desk@clinic.example");
    ApiClient prescriber = server->LoggedIn("prescriber@clinic.example");
    ApiClient therapist = server->LoggedIn("therapist@clinic.example");
    const std::string token = server->CreateToken("nurse@clinic.example", "bedside");
    ApiClient machine(server->port());
    machine.UseToken(token);

    // What must never reach the log: it travels in paths, query strings, bodies, cookies and headers below.
    const std::string given = "Zebulon";
    const std::string family = "Quillfeather";
    const std::string mrn = "MRN-LOG-77311";
    const std::string note = "spoke of the lighthouse at Thessaloniki";
    const std::int64_t patient = RegisterPatient(desk, mrn, given, family, "male");
    ASSERT_GT(patient, 0);
    server->SignedScreening(patient, "ketamine-iv");
    const std::string chart = "/api/v1/patients/" + std::to_string(patient);

    std::map<std::string, ApiResponse> answers;
    answers["search"] = desk.Get("/api/v1/patients?name=" + family);
    answers["chart"] = prescriber.Get(chart + "/chart");
    answers["note"] = therapist.Post(chart + "/therapy-notes", {{"kind", "integration"}, {"body", note}});
    answers["machine"] = machine.Get(chart);
    answers["missing"] = prescriber.Get("/api/v1/patients/987654321");
    answers["refused"] = desk.Get(chart + "/notes");
    answers["bad"] = desk.Post("/api/v1/patients", {{"mrn", mrn}, {"given_name", given}});
    answers["proxied"] = prescriber.Get(chart, "X-Request-Id: from-the-proxy.42\r\n");
    for (const auto& [what, answer] : answers) {
        EXPECT_NE(answer.status, 0) << what;
        EXPECT_FALSE(answer.Header("x-request-id").empty()) << what;
    }
    EXPECT_EQ(answers["search"].status, 200);
    EXPECT_EQ(answers["note"].status, 201) << answers["note"].text;
    EXPECT_EQ(answers["missing"].status, 404);
    EXPECT_EQ(answers["refused"].status, 403);
    EXPECT_EQ(answers["bad"].status, 400);
    EXPECT_EQ(answers["proxied"].Header("x-request-id"), "from-the-proxy.42");
    // An error body carries the id too, so a user's copied error text finds its log line.
    for (const char* error : {"missing", "refused", "bad"}) {
        EXPECT_EQ(answers[error].body["error"]["request_id"], answers[error].Header("x-request-id")) << error;
    }

    ASSERT_EQ(server->Stop(), 0);
    const std::string output = server->Output();
    for (const std::string& secret :
         {given, family, mrn, note, std::string("Thessaloniki"), token, std::string(kTestPassword),
          prescriber.session_cookie(), prescriber.csrf_token()}) {
        EXPECT_EQ(output.find(secret), std::string::npos) << "the log holds \"" << secret << "\"";
    }

    const std::vector<nlohmann::json> lines = LogLines(output);
    std::map<std::string, nlohmann::json> requests;  // access lines by request id
    std::set<std::string> events;
    for (const nlohmann::json& line : lines) {
        events.insert(line["event"].get<std::string>());
        if (line["event"] == "http.request") {
            requests[line["request_id"].get<std::string>()] = line;
        }
    }
    EXPECT_TRUE(events.count("server.start") == 1 && events.count("server.stop") == 1) << output;
    struct Expected {
        std::string answer;
        std::string route;
        int status;
        std::string error_code;
    };
    for (const Expected& expected : std::vector<Expected>{
             {"search", "/api/v1/patients", 200, ""},
             {"chart", "/api/v1/patients/{id}/chart", 200, ""},
             {"note", "/api/v1/patients/{id}/therapy-notes", 201, ""},
             {"machine", "/api/v1/patients/{id}", 200, ""},
             {"missing", "/api/v1/patients/{id}", 404, "not_found"},
             {"refused", "/api/v1/patients/{id}/notes", 403, "permission_denied"},
             {"bad", "/api/v1/patients", 400, "invalid_argument"},
             {"proxied", "/api/v1/patients/{id}", 200, ""},
         }) {
        SCOPED_TRACE(expected.answer);
        const std::string id = answers[expected.answer].Header("x-request-id");
        ASSERT_EQ(requests.count(id), 1U) << "no access line for request " << id;
        const nlohmann::json& line = requests[id];
        EXPECT_EQ(line["level"], "info");
        EXPECT_EQ(line["route"], expected.route);
        EXPECT_EQ(line["status"], expected.status);
        EXPECT_TRUE(line["duration_ms"].is_number());
        EXPECT_TRUE(line["actor_id"].is_number_integer()) << line;
        EXPECT_EQ(line.value("error_code", ""), expected.error_code);
        EXPECT_FALSE(line.contains("error_message")) << "a refusal's message may quote the request: " << line;
    }
}

}  // namespace
}  // namespace kclinic::cli::testing
