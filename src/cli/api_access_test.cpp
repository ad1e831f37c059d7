// The role matrix as the server enforces it. Every route of the endpoint table in docs/api.md is called with no
// credentials and with an API token of each role, and the roles that get past authorization must be exactly those
// docs/security.md gives the route's permission (a patient: only for their own record, under
// /api/v1/patients/{id}). Both tables are read from the documents, so the documents are what is tested; the unit
// tests check that the server registers exactly the documented routes and that docs/security.md is generated from
// the matrix in the code.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

std::string ReadDoc(const std::string& name) {
    std::ifstream file(std::string(KCLINIC_SOURCE_DIR) + "/docs/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> Cells(const std::string& line) {
    std::vector<std::string> cells;
    std::istringstream columns(line.substr(1));
    std::string cell;
    while (std::getline(columns, cell, '|')) {
        const std::size_t first = cell.find_first_not_of(' ');
        const std::size_t last = cell.find_last_not_of(' ');
        cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    return cells;
}

// The rows between two markers of a Markdown document, without the header and its rule.
std::vector<std::vector<std::string>> TableBetween(const std::string& doc, const std::string& start,
                                                   const std::string& end) {
    const std::size_t from = doc.find(start);
    const std::size_t to = doc.find(end);
    EXPECT_NE(from, std::string::npos) << start;
    EXPECT_NE(to, std::string::npos) << end;
    std::vector<std::vector<std::string>> rows;
    std::istringstream lines(doc.substr(from, to - from));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.starts_with("|") && !line.starts_with("|---")) {
            rows.push_back(Cells(line));
        }
    }
    if (!rows.empty()) {
        rows.erase(rows.begin());  // the header
    }
    return rows;
}

struct Endpoint {
    std::string method;
    std::string path;
    std::string permission;  // "patient.read", "(public)", "(any user)"
    bool patient_subject = false;
    std::vector<std::string> query;  // the query parameters it accepts
};

std::vector<Endpoint> DocumentedEndpoints() {
    std::vector<Endpoint> endpoints;
    for (const auto& row : TableBetween(ReadDoc("api.md"), "<!-- endpoints:start -->", "<!-- endpoints:end -->")) {
        EXPECT_EQ(row.size(), 5U);
        if (row.size() == 5) {
            std::vector<std::string> query;
            std::istringstream names(row[4]);
            for (std::string name; std::getline(names >> std::ws, name, ',');) {
                query.push_back(name);
            }
            endpoints.push_back(Endpoint{row[0], row[1], row[2], row[3] == "patient", std::move(query)});
        }
    }
    EXPECT_GT(endpoints.size(), 20U);
    return endpoints;
}

const std::vector<std::string> kRoles = {"admin", "prescriber", "nurse", "therapist", "front_desk", "patient"};

// permission -> role -> "yes" / "own" / "".
std::map<std::string, std::map<std::string, std::string>> DocumentedMatrix() {
    const std::string doc = ReadDoc("security.md");
    const std::size_t table = doc.find("| permission | allows |");
    EXPECT_NE(table, std::string::npos);
    const std::vector<std::string> header = Cells(doc.substr(table, doc.find('\n', table) - table));
    std::map<std::string, std::map<std::string, std::string>> matrix;
    for (const auto& row : TableBetween(doc.substr(table), "| permission", "<!-- access-matrix:end -->")) {
        const std::string permission = std::regex_replace(row[0], std::regex("`"), "");
        for (std::size_t column = 2; column < row.size() && column < header.size(); ++column) {
            matrix[permission][header[column]] = row[column];
        }
    }
    EXPECT_GT(matrix.size(), 30U);
    return matrix;
}

// The path with every capture filled: the patient's own id for {id} of a patient route, a record that does not
// exist for any other {id} or {..._id} (so an allowed write finds nothing to change), and plausible names elsewhere.
std::string Filled(const Endpoint& endpoint, std::int64_t patient_id) {
    std::string path = endpoint.path;
    const auto replace = [&path](const std::string& capture, const std::string& value) {
        for (std::size_t at = path.find(capture); at != std::string::npos; at = path.find(capture)) {
            path.replace(at, capture.size(), value);
        }
    };
    replace("{id}", endpoint.patient_subject ? std::to_string(patient_id) : "999999");
    replace("{email}", "nobody@clinic.example");
    replace("{name}", "monitoring.systolic_alert_at_or_above");
    replace("{date}", "2030-01-02");  // a closed day that is not one
    replace("{token}", "not-a-feed-token.ics");
    path = std::regex_replace(path, std::regex(R"(\{[a-z_]+_id\})"), "999999");  // a second record: {vital_id}, ...
    EXPECT_EQ(path.find('{'), std::string::npos) << "a capture the walk does not know: " << endpoint.path;
    return path;
}

bool PastAuthorization(int status) {
    return status != 401 && status != 403;
}

class ApiAccessTest : public ::testing::TestWithParam<Backend> {
protected:
    // A server with a user of every role, two patients ("MRN-OWN", the patient user's own record, and "MRN-OTHER"),
    // and a client with an API token per role.
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        for (const std::string& role : kRoles) {
            if (role != "patient") {
                server_->AddUser(role + "@clinic.example", role);
            }
        }
        ApiClient registrar = server_->ClientWithToken("nurse@clinic.example");
        for (const std::string mrn : {"MRN-OWN", "MRN-OTHER"}) {
            const ApiResponse registered = registrar.Post("/api/v1/patients", {{"mrn", mrn},
                                                                               {"given_name", "Walk"},
                                                                               {"family_name", "Test"},
                                                                               {"birth_date", "1980-01-02"},
                                                                               {"sex", "unknown"}});
            ASSERT_EQ(registered.status, 201) << registered.text;
            patients_.push_back(registered.body["id"].get<std::int64_t>());
        }
        server_->AddUser("patient@clinic.example", "patient", patients_[0]);
        for (const std::string& role : kRoles) {
            clients_.emplace(role, server_->ClientWithToken(role + "@clinic.example"));
        }
    }

    std::unique_ptr<ClinicServer> server_;
    std::vector<std::int64_t> patients_;
    std::map<std::string, ApiClient> clients_;
};

TEST_P(ApiAccessTest, EveryRouteAdmitsExactlyTheRolesOfTheMatrix) {
    ApiClient anonymous(server_->port());

    const auto matrix = DocumentedMatrix();
    int checked = 0;
    for (const Endpoint& endpoint : DocumentedEndpoints()) {
        const std::string path = Filled(endpoint, patients_[0]);
        const std::string route = endpoint.method + " " + endpoint.path;
        const ApiResponse unauthenticated = anonymous.Send(endpoint.method, path, "{}");
        // The gate refuses, before the handler, a query parameter the route does not declare and one sent twice.
        const bool public_route = endpoint.permission == "(public)";
        ApiClient& caller = public_route ? anonymous : clients_.at("admin");
        const ApiResponse unknown = caller.Send(endpoint.method, path + "?kclinic_unknown=1", "{}");
        EXPECT_EQ(unknown.status, 400) << route << ": " << unknown.text;
        EXPECT_EQ(unknown.ErrorField(), "kclinic_unknown") << route;
        for (const std::string& parameter : endpoint.query) {
            std::string twice_target = path;
            twice_target.append("?").append(parameter).append("=1&").append(parameter).append("=1");
            const ApiResponse twice = caller.Send(endpoint.method, twice_target, "{}");
            EXPECT_EQ(twice.status, 400) << route << " with " << parameter << " twice: " << twice.text;
            EXPECT_EQ(twice.ErrorField(), parameter) << route;
        }
        if (public_route) {
            EXPECT_NE(unauthenticated.status, 401) << route;
            continue;
        }
        EXPECT_EQ(unauthenticated.status, 401) << route << " without credentials";

        for (const std::string& role : kRoles) {
            bool allowed = true;
            if (endpoint.permission != "(any user)") {
                ASSERT_TRUE(matrix.contains(endpoint.permission)) << route << ": " << endpoint.permission;
                const std::string cell = matrix.at(endpoint.permission).at(role);
                allowed = role == "patient" ? cell == "own" && endpoint.patient_subject : cell == "yes";
            }
            const ApiResponse response = clients_.at(role).Send(endpoint.method, path, "{}");
            EXPECT_EQ(PastAuthorization(response.status), allowed)
                << route << " as " << role << ": " << response.status << " " << response.text;
            if (!allowed) {
                EXPECT_EQ(response.status, 403) << route << " as " << role;
            }
            ++checked;
        }
        if (endpoint.patient_subject) {
            // Another patient's record is refused to a patient whatever the permission.
            const ApiResponse other =
                clients_.at("patient").Send(endpoint.method, Filled(endpoint, patients_[1]), "{}");
            EXPECT_EQ(other.status, 403) << route << " as patient, for another patient";
        }
    }
    EXPECT_GT(checked, 100);
}

// Found when the API was probed with hostile input (issue 15 §3), now checked on every route of the table with a
// caller the matrix admits: a number beyond a double's range (500 before), a key sent twice in one object (the last
// one won), and a body that does not say it is JSON (never checked). Each is refused 4xx naming what is wrong.
TEST_P(ApiAccessTest, EveryRouteRefusesHostileJsonBodies) {
    const std::int64_t patient = patients_[0];
    clients_.emplace("(public)", ApiClient(server_->port()));

    const auto matrix = DocumentedMatrix();
    // The first role the matrix admits to the route, so the request reaches its handler.
    const auto admitted = [&matrix](const Endpoint& endpoint) -> std::string {
        if (endpoint.permission == "(public)" || endpoint.permission == "(any user)") {
            return endpoint.permission == "(public)" ? "(public)" : "admin";
        }
        for (const std::string& role : kRoles) {
            const std::string cell = matrix.at(endpoint.permission).at(role);
            if (cell == "yes" || (cell == "own" && endpoint.patient_subject)) {
                return role;
            }
        }
        return "admin";
    };
    int read_bodies = 0;
    for (const Endpoint& endpoint : DocumentedEndpoints()) {
        const std::string path = Filled(endpoint, patient);
        const std::string route = endpoint.method + " " + endpoint.path;
        ApiClient& caller = clients_.at(admitted(endpoint));

        const ApiResponse huge = caller.Send(endpoint.method, path, R"({"kclinic_huge": 1e309})");
        EXPECT_LT(huge.status, 500) << route << ": " << huge.text;
        // A handler that stops at a required field it lacks answers for that field first; one that reads the body
        // whole names the number.
        if (huge.status == 400 && huge.ErrorField() == "kclinic_huge") {
            EXPECT_EQ(huge.body["error"]["message"],
                      "must be a number within a double's range, at most 1.8e308 either side of zero (got 1e309)")
                << route;
            ++read_bodies;
        }
        const ApiResponse negative = caller.Send(endpoint.method, path, R"({"kclinic_huge": -1e309})");
        EXPECT_LT(negative.status, 500) << route << ": " << negative.text;
        const ApiResponse twice = caller.Send(endpoint.method, path, R"({"kclinic_twice": 1, "kclinic_twice": 2})");
        EXPECT_LT(twice.status, 500) << route << ": " << twice.text;
        if (twice.status == 400 && twice.ErrorField() == "kclinic_twice") {
            EXPECT_EQ(twice.body["error"]["message"], "is given twice; send each field once") << route;
        }

        for (const std::string content_type : {"text/plain", "application/x-www-form-urlencoded", ""}) {
            caller.UseContentType(content_type);
            const ApiResponse unsupported = caller.Send(endpoint.method, path, "{}");
            EXPECT_EQ(unsupported.status, 415) << route << " with Content-Type \"" << content_type << "\"";
            EXPECT_EQ(unsupported.ErrorCode(), "unsupported_media_type") << route;
            EXPECT_EQ(unsupported.ErrorField(), "Content-Type") << route;
        }
        caller.UseContentType("application/json");
    }
    // Most routes read a body (every POST, PUT and PATCH); the GETs and a few bodiless commands need none.
    EXPECT_GT(read_bodies, 40);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiAccessTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
