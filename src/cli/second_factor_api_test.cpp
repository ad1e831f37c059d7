// The second factor over real HTTP against a real `kclinic serve` (SQLite and PostgreSQL): an admin whose role
// requires one is held to enrolment, enrols with the key the server shows (the code computed here as an
// authenticator app does), logs in with password and code, cannot replay a code, and an admin resets it; and login
// throttling per client address, which a credential-stuffing client spreading over many accounts meets.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/crypto/sodium_credentials.hpp"
#include "app/second_factor.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

// The code an authenticator app shows now for the base32 `secret`.
std::string CodeNow(const std::string& secret) {
    const adapters::crypto::SodiumCredentials credentials(adapters::crypto::PasswordHashCost::kTestOnlyMinimum);
    const app::TimePoint now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const std::string mac = credentials.HmacSha1(*app::Base32Decode(secret), app::HotpCounter(app::TotpStepAt(now)));
    return app::HotpValue(mac, app::kTotpDigits);
}

class SecondFactorApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        server_->SetSecondFactorPolicy("required", {"admin"});  // the real default (the fixture relaxes it)
        server_->AddUser("admin@clinic.example", "admin");
        server_->AddUser("nurse@clinic.example", "nurse");
    }

    std::unique_ptr<ClinicServer> server_;
};

TEST_P(SecondFactorApiTest, AnAdminEnrolsLogsInWithTheCodeAndCannotReplayIt) {
    ApiClient admin(server_->port());
    const ApiResponse first = admin.Login("admin@clinic.example", std::string(kTestPassword));
    ASSERT_EQ(first.status, 200) << first.text;
    EXPECT_EQ(first.body["user"]["second_factor_enrolment_required"], true);
    // Held to enrolment: nothing else, not even the user list.
    const ApiResponse held = admin.Get("/api/v1/users");
    EXPECT_EQ(held.status, 403);
    EXPECT_EQ(held.ErrorField(), "second_factor");
    EXPECT_EQ(admin.Get("/api/v1/auth/me").status, 200);
    const ApiResponse state = admin.Get("/api/v1/me/second-factor");
    ASSERT_EQ(state.status, 200) << state.text;
    EXPECT_EQ(state.body["required"], true);
    EXPECT_EQ(state.body["enrolled"], false);

    const ApiResponse begun = admin.Post("/api/v1/me/second-factor", Json::object());
    ASSERT_EQ(begun.status, 201) << begun.text;
    const std::string secret = begun.body["secret"].get<std::string>();
    EXPECT_EQ(begun.body["otpauth_uri"].get<std::string>().rfind("otpauth://totp/kclinic:admin%40clinic.example?", 0),
              0u);
    EXPECT_EQ(begun.body["qr_svg"].get<std::string>().rfind("<svg ", 0), 0u);
    EXPECT_EQ(admin.Post("/api/v1/me/second-factor/confirm", {{"code", "12345"}}).ErrorField(), "code");
    const std::string code = CodeNow(secret);
    const ApiResponse confirmed = admin.Post("/api/v1/me/second-factor/confirm", {{"code", code}});
    ASSERT_EQ(confirmed.status, 200) << confirmed.text;
    EXPECT_EQ(confirmed.body["recovery_codes"].size(), 10u);
    EXPECT_NE(confirmed.Header("set-cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(admin.Get("/api/v1/auth/me").status, 401);  // the enrolment ended the session

    // Without the code, the answer asks for it, exactly as for a wrong password.
    ApiClient client(server_->port());
    const ApiResponse no_code = client.Login("admin@clinic.example", std::string(kTestPassword));
    const ApiResponse wrong = client.Login("admin@clinic.example", "not the password at all");
    EXPECT_EQ(no_code.status, 401);
    EXPECT_EQ(no_code.ErrorField(), "code");
    EXPECT_EQ(no_code.ErrorWithoutRequestId(), wrong.ErrorWithoutRequestId());
    // A recovery code works (before a third failure in a row would make the account wait, docs/security.md); the
    // code the enrolment used is spent.
    const std::string recovery = confirmed.body["recovery_codes"][0].get<std::string>();
    const ApiResponse in = client.Login("admin@clinic.example", std::string(kTestPassword), recovery);
    ASSERT_EQ(in.status, 200) << in.text;
    ApiClient other(server_->port());
    EXPECT_EQ(other.Login("admin@clinic.example", std::string(kTestPassword), code).status, 401);
    EXPECT_FALSE(in.body["user"].contains("second_factor_enrolment_required"));
    EXPECT_EQ(client.Get("/api/v1/users").status, 200);
    EXPECT_EQ(client.Get("/api/v1/me/second-factor").body["recovery_codes_left"], 9);

    // An admin resets a nurse's factor; the nurse has none, so that is a 409, and an unknown user 404.
    EXPECT_EQ(client.Send("DELETE", "/api/v1/users/nurse@clinic.example/second-factor", "").status, 409);
    EXPECT_EQ(client.Send("DELETE", "/api/v1/users/nobody@clinic.example/second-factor", "").status, 404);
    // The admin's own reset ends their session; the recovery code stays spent.
    EXPECT_EQ(client.Send("DELETE", "/api/v1/users/admin@clinic.example/second-factor", "").status, 204);
    EXPECT_EQ(client.Get("/api/v1/users").status, 401);
    EXPECT_EQ(client.Login("admin@clinic.example", std::string(kTestPassword))
                  .body["user"]["second_factor_enrolment_required"],
              true);
}

// Credential stuffing spreads its guesses over many accounts: one guess each, so no account's own throttle starts.
// The client address's does, at the clinic's setting, and then holds an account that had no failure of its own
// (with a wrong password, so that the answer carries a wait whether the address's 1 s has passed or not).
TEST_P(SecondFactorApiTest, ManyAccountsFromOneAddressAreThrottled) {
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ASSERT_EQ(admin.Put("/api/v1/settings/access.address_failures_before_wait", {{"value", "5"}}).status, 200);
    ApiClient stuffer(server_->port());
    std::vector<std::string> waits;
    for (int i = 0; i < 5; ++i) {
        const ApiResponse guess =
            stuffer.Login("user" + std::to_string(i) + "@clinic.example", "Summer2024!Summer2024!");
        EXPECT_EQ(guess.status, 401);
        waits.push_back(guess.Header("retry-after"));
    }
    EXPECT_EQ(waits, (std::vector<std::string>{"", "", "", "", "1"}));
    const ApiResponse held = stuffer.Login("nurse@clinic.example", "Winter2024!Winter2024!");
    EXPECT_EQ(held.status, 401);
    EXPECT_FALSE(held.Header("retry-after").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SecondFactorApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
