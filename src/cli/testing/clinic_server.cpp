#include "cli/testing/clinic_server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kclinic::cli::testing {

std::unique_ptr<ClinicServer> ClinicServer::Start(Backend backend, std::vector<std::string> serve_options) {
    // Already migrated, as `serve` would leave it: in test mode for `--test-clock`, which runs only on a database made
    // so (docs/security.md "Test mode").
    const bool test_clock =
        std::find(serve_options.begin(), serve_options.end(), "--test-clock") != serve_options.end();
    Result<std::unique_ptr<adapters::storage::contract::TestDatabase>> database =
        adapters::storage::contract::TestDatabase::CreateMigrated(
            backend, test_clock ? adapters::storage::contract::DatabaseMode::kTest
                                : adapters::storage::contract::DatabaseMode::kProduction);
    if (!database.ok()) {
        ADD_FAILURE() << "no test database: " << database.error().ToString();
        return nullptr;
    }
    auto server = std::make_unique<ClinicServer>();
    server->database_ = std::move(database).value();
    server->serve_options_ = std::move(serve_options);
    if (!server->Launch()) {
        return nullptr;
    }
    // Tests of other features log in with a password alone (see the header). After the server has created the
    // database: `serve --test-clock` runs only on a database it created itself (docs/security.md "Test mode").
    server->SetSecondFactorPolicy("optional", {"admin", "prescriber"});
    return server;
}

void ClinicServer::SetSecondFactorPolicy(const std::string& policy, const std::vector<std::string>& roles) {
    std::vector<std::string> args{"user", "second-factor-policy", policy};
    args.insert(args.end(), roles.begin(), roles.end());
    args.insert(args.end(), {"--db", database_->url()});
    const CommandRun run = RunKclinic(args, std::string());
    EXPECT_EQ(run.exit_code, 0) << "kclinic user second-factor-policy " << policy << ": " << run.err;
}

std::unique_ptr<ClinicServer> ClinicServer::StartBeside(ClinicServer& first) {
    auto server = std::make_unique<ClinicServer>();
    server->database_ = first.database_;
    server->serve_options_ = first.serve_options_;
    return server->Launch() ? std::move(server) : nullptr;
}

bool ClinicServer::Launch() {
    std::vector<std::string> args{"serve", "--db", database_->url(), "--listen", "127.0.0.1:0"};
    args.insert(args.end(), serve_options_.begin(), serve_options_.end());
    process_ = std::make_unique<ServeProcess>(std::move(args));
    port_ = process_->ReadPort();
    if (port_ != 0 && std::find(serve_options_.begin(), serve_options_.end(), "--mllp") != serve_options_.end()) {
        const std::string line = process_->NextLine();
        std::smatch match;
        if (!std::regex_search(line, match, std::regex(R"(^kclinic receiving HL7 v2 over MLLP on [^ ]+:(\d+) )"))) {
            ADD_FAILURE() << "expected the MLLP listener's line, got \"" << line << "\"";
            return false;
        }
        mllp_port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
    }
    return port_ != 0;
}

void ClinicServer::AddUser(const std::string& email, const std::string& role, std::optional<std::int64_t> patient) {
    std::vector<std::string> args{"user", "add", email, "--role", role, "--db", database_->url()};
    if (patient) {
        args.insert(args.end(), {"--patient-id", std::to_string(*patient)});
    }
    const CommandRun run = RunKclinic(args, std::string(kTestPassword) + "\n");
    EXPECT_EQ(run.exit_code, 0) << "kclinic user add " << email << ": " << run.err;
}

void ClinicServer::AddStaff() {
    for (const char* role : {"admin", "prescriber", "nurse", "therapist", "front_desk"}) {
        AddUser(std::string(role) + "@clinic.example", role);
    }
}

std::string ClinicServer::CreateToken(const std::string& email, const std::string& name) {
    // The port in the name keeps the tokens of servers sharing one database apart.
    const CommandRun run = RunKclinic({"token", "create", email, "--name",
                                       name + "-" + std::to_string(port_) + "-" + std::to_string(++tokens_), "--db",
                                       database_->url(), "--json"});
    EXPECT_EQ(run.exit_code, 0) << "kclinic token create " << email << ": " << run.err;
    const nlohmann::json created = nlohmann::json::parse(run.out, nullptr, false);
    return created.is_object() ? created.value("token", "") : "";
}

void ClinicServer::SignedScreening(std::int64_t patient_id, const std::string& product) {
    ApiClient prescriber = ClientWithToken("prescriber@clinic.example");
    const std::string patient = "/api/v1/patients/" + std::to_string(patient_id);
    EXPECT_EQ(prescriber.Post(patient + "/history", {{"kind", "diagnosis"}, {"value", "F33.2"}}).status, 201);
    for (const char* drug : {"sertraline", "escitalopram"}) {
        EXPECT_EQ(prescriber
                      .Post(patient + "/trials", {{"drug", drug},
                                                  {"weeks", 8},
                                                  {"adequate_dose", true},
                                                  {"improvement_percent", 10},
                                                  {"current_episode", true}})
                      .status,
                  201);
    }
    const ApiResponse screened =
        prescriber.Post(patient + "/screenings", {{"product", product},
                                                  {"pregnant", false},
                                                  {"blood_pressure", {{"systolic", 124}, {"diastolic", 78}}},
                                                  {"heart_rate", 70},
                                                  {"weight_kg", 70.5}});
    ASSERT_EQ(screened.status, 201) << screened.text;
    const std::string decision = screened.body["result"]["decision"].get<std::string>();
    EXPECT_TRUE(decision == "eligible" || decision == "eligible_with_cautions") << screened.text;
    const ApiResponse signed_off =
        prescriber.Post("/api/v1/screenings/" + std::to_string(screened.body["id"].get<std::int64_t>()) + "/sign",
                        {{"sign_off", "accepted"}});
    EXPECT_EQ(signed_off.status, 200) << signed_off.text;
}

ApiClient ClinicServer::ClientWithToken(const std::string& email) {
    ApiClient client(port_);
    client.UseToken(CreateToken(email));
    return client;
}

ApiClient ClinicServer::LoggedIn(const std::string& email) const {
    ApiClient client(port_);
    const ApiResponse login = client.Login(email, std::string(kTestPassword));
    EXPECT_EQ(login.status, 200) << "login as " << email << ": " << login.text;
    return client;
}

std::int64_t RegisterPatient(ApiClient& client, const std::string& mrn, const std::string& given,
                             const std::string& family, const std::string& sex) {
    const ApiResponse registered = client.Post(
        "/api/v1/patients",
        {{"mrn", mrn}, {"given_name", given}, {"family_name", family}, {"birth_date", "1980-03-14"}, {"sex", sex}});
    EXPECT_EQ(registered.status, 201) << registered.text;
    return registered.status == 201 ? registered.body["id"].get<std::int64_t>() : 0;
}

}  // namespace kclinic::cli::testing
