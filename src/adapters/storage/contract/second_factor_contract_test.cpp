// The storage contract for the second factor (app/second_factors.hpp, and its check in Authentication::Login): TOTP
// enrolment, codes within one step and once each, recovery codes once each, the enrolment-only session of a role that
// requires a factor, an admin's reset, and the audit of each, on a real SQLite file and a real PostgreSQL server with
// the real libsodium/OpenSSL adapter. Codes are computed here from the key the enrolment shows, as an app would.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/second_factor.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Role;
using std::chrono::seconds;

constexpr std::string_view kPassword = "tulip-granite-lantern";
constexpr std::string_view kOrigin = "192.0.2.20";

class SecondFactorContractTest : public UseCaseTest {
protected:
    app::User AddUser(const std::string& email, Role role) {
        Result<app::User> user =
            clinic().users.AddUser(admin_, app::NewUser{email, "A. Example", role, std::string(kPassword), {}});
        EXPECT_TRUE(user.ok()) << user.error().ToString();
        return user.ok() ? *user : app::User{};
    }

    app::LoginAnswer Login(const std::string& email, std::string_view code = "") {
        return clinic().authentication.Login(email, kPassword, kOrigin, code);
    }

    // The code an authenticator app shows for `secret` (base32) `steps` time steps from now.
    std::string CodeAt(const std::string& secret, int steps = 0) const {
        const std::string key = *app::Base32Decode(secret);
        const std::int64_t step = app::TotpStepAt(clock_.Now()) + steps;
        return app::HotpValue(credentials_.HmacSha1(key, app::HotpCounter(step)), app::kTotpDigits);
    }

    // Logs `email` in (password only: a nurse, whose role requires nothing), enrols a second factor and confirms it;
    // the key and the recovery codes.
    std::pair<std::string, std::vector<std::string>> Enrol(const std::string& email) {
        const app::SessionGrant grant = *Login(email).session;
        Result<app::TotpEnrolment> begun = clinic().second_factors.BeginEnrolment(grant.principal, kOrigin);
        EXPECT_TRUE(begun.ok()) << begun.error().ToString();
        Result<std::vector<std::string>> codes =
            clinic().second_factors.ConfirmEnrolment(grant.principal, kOrigin, CodeAt(begun->secret));
        EXPECT_TRUE(codes.ok()) << codes.error().ToString();
        // The step the confirmation used is spent; three steps on, every code of the window is fresh.
        clock_.Advance(app::kTotpPeriod * 3);
        return {begun->secret, codes.ok() ? *codes : std::vector<std::string>{}};
    }

    adapters::crypto::SodiumCredentials credentials_{adapters::crypto::PasswordHashCost::kTestOnlyMinimum};
};

TEST_P(SecondFactorContractTest, EnrolmentShowsTheKeyOnceAndConfirmationEndsTheSessions) {
    AddUser("nurse@clinic.example", Role::kNurse);
    const app::SessionGrant grant = *Login("nurse@clinic.example").session;
    EXPECT_FALSE(grant.session.enrolment_only);  // a nurse needs no second factor by default

    Result<app::TotpEnrolment> begun = clinic().second_factors.BeginEnrolment(grant.principal, kOrigin);
    ASSERT_TRUE(begun.ok()) << begun.error().ToString();
    EXPECT_EQ(app::Base32Decode(begun->secret)->size(), app::kTotpSecretBytes);
    EXPECT_EQ(begun->otpauth_uri, "otpauth://totp/kclinic:nurse%40clinic.example?secret=" + begun->secret +
                                      "&issuer=kclinic&algorithm=SHA1&digits=6&period=30");
    // Not yet confirmed: the login still needs no code.
    EXPECT_TRUE(Login("nurse@clinic.example").session.ok());

    // A wrong code is refused and audited, and confirms nothing.
    const std::string wrong = CodeAt(begun->secret, 5);
    Result<std::vector<std::string>> refused =
        clinic().second_factors.ConfirmEnrolment(grant.principal, kOrigin, wrong);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().field, "code");
    EXPECT_EQ(AuditActions().back(), "second_factor.enrol_failed");

    Result<std::vector<std::string>> codes =
        clinic().second_factors.ConfirmEnrolment(grant.principal, kOrigin, CodeAt(begun->secret));
    ASSERT_TRUE(codes.ok()) << codes.error().ToString();
    ASSERT_EQ(codes->size(), static_cast<std::size_t>(app::kRecoveryCodeCount));
    for (const std::string& code : *codes) {
        EXPECT_TRUE(app::NormalizeRecoveryCode(code).has_value()) << code;
    }
    EXPECT_EQ(AuditActions().back(), "second_factor.enrol");
    // Every session started without the factor has ended.
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(grant.token).ok());
    // A second enrolment is refused until an admin resets the first.
    const app::SessionGrant again = *Login("nurse@clinic.example", CodeAt(begun->secret, 1)).session;
    Result<app::TotpEnrolment> second = clinic().second_factors.BeginEnrolment(again.principal, kOrigin);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);

    Result<app::SecondFactorState> state = clinic().second_factors.State(again.principal, kOrigin);
    ASSERT_TRUE(state.ok()) << state.error().ToString();
    EXPECT_TRUE(state->enrolled);
    EXPECT_FALSE(state->required);
    EXPECT_EQ(state->recovery_codes_left, app::kRecoveryCodeCount);

    // Neither the key nor a code reaches the audit log.
    for (const app::AuditEntry& entry : Audit()) {
        EXPECT_EQ(entry.detail.find(begun->secret), std::string::npos) << entry.action;
        EXPECT_EQ(entry.detail.find(codes->front()), std::string::npos) << entry.action;
    }
}

TEST_P(SecondFactorContractTest, LoginNeedsTheCodeAndNeverSaysWhetherThePasswordWasRight) {
    AddUser("nurse@clinic.example", Role::kNurse);
    const auto [secret, recovery] = Enrol("nurse@clinic.example");

    const app::LoginAnswer no_code = Login("nurse@clinic.example");
    const app::LoginAnswer wrong_password =
        clinic().authentication.Login("nurse@clinic.example", "not the password at all", kOrigin);
    const app::LoginAnswer unknown = clinic().authentication.Login("nobody@clinic.example", kPassword, kOrigin);
    for (const app::LoginAnswer* answer : {&no_code, &wrong_password, &unknown}) {
        ASSERT_FALSE(answer->session.ok());
        EXPECT_EQ(answer->session.error().code, ErrorCode::kUnauthenticated);
        EXPECT_EQ(answer->session.error().field, "code");
        EXPECT_EQ(answer->session.error().message, no_code.session.error().message);
    }
    // With a code, a wrong password and a wrong code answer alike.
    const app::LoginAnswer bad_code = Login("nurse@clinic.example", CodeAt(secret) == "000000" ? "111111" : "000000");
    const app::LoginAnswer bad_password =
        clinic().authentication.Login("nurse@clinic.example", "not the password at all", kOrigin, CodeAt(secret));
    ASSERT_FALSE(bad_code.session.ok());
    ASSERT_FALSE(bad_password.session.ok());
    EXPECT_EQ(bad_code.session.error().message, "email, password or code is wrong");
    EXPECT_EQ(bad_password.session.error().message, bad_code.session.error().message);
    EXPECT_EQ(AuditActions().back(), "auth.login_failed");

    clock_.Advance(seconds{5});  // past the backoff three failures in a row set
    const app::LoginAnswer good = Login("nurse@clinic.example", CodeAt(secret));
    ASSERT_TRUE(good.session.ok()) << good.session.error().ToString();
    const std::vector<std::string> actions = AuditActions();
    EXPECT_EQ(actions[actions.size() - 2], "auth.second_factor");
    EXPECT_EQ(actions.back(), "auth.login");
}

TEST_P(SecondFactorContractTest, EachCodeIsAcceptedOnceWithinOneStepEitherSide) {
    AddUser("nurse@clinic.example", Role::kNurse);
    const auto [secret, recovery] = Enrol("nurse@clinic.example");

    // The previous step's code is still accepted (the edge of the window)...
    const std::string previous = CodeAt(secret, -1);
    ASSERT_TRUE(Login("nurse@clinic.example", previous).session.ok());
    // ... once: the same code again is a replay.
    const app::LoginAnswer replay = Login("nurse@clinic.example", previous);
    ASSERT_FALSE(replay.session.ok());
    EXPECT_EQ(AuditActions().back(), "auth.second_factor_failed");
    // The next step's code is accepted (clock drift of the phone), and then nothing at or before its step.
    ASSERT_TRUE(Login("nurse@clinic.example", CodeAt(secret, 1)).session.ok());
    EXPECT_FALSE(Login("nurse@clinic.example", CodeAt(secret, 0)).session.ok());
    // Two steps away is outside the window.
    clock_.Advance(app::kTotpPeriod * 4);
    EXPECT_FALSE(Login("nurse@clinic.example", CodeAt(secret, -2)).session.ok());
    EXPECT_FALSE(Login("nurse@clinic.example", CodeAt(secret, 2)).session.ok());
    clock_.Advance(seconds{10});  // past the backoff
    EXPECT_TRUE(Login("nurse@clinic.example", CodeAt(secret, 0)).session.ok());
}

TEST_P(SecondFactorContractTest, ARecoveryCodeWorksOnceInAnyCaseAndSpacing) {
    AddUser("nurse@clinic.example", Role::kNurse);
    const auto [secret, recovery] = Enrol("nurse@clinic.example");
    std::string typed = recovery.front();
    std::transform(typed.begin(), typed.end(), typed.begin(), [](char c) { return c == '-' ? ' ' : c; });
    std::transform(typed.begin(), typed.end(), typed.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
    ASSERT_TRUE(Login("nurse@clinic.example", typed).session.ok());
    EXPECT_EQ(AuditActions()[AuditActions().size() - 2], "auth.recovery_code_used");
    EXPECT_FALSE(Login("nurse@clinic.example", recovery.front()).session.ok());
    EXPECT_TRUE(Login("nurse@clinic.example", recovery.back()).session.ok());
    const app::SessionGrant grant = *Login("nurse@clinic.example", CodeAt(secret)).session;
    EXPECT_EQ(clinic().second_factors.State(grant.principal, kOrigin)->recovery_codes_left,
              app::kRecoveryCodeCount - 2);
}

TEST_P(SecondFactorContractTest, ARoleThatRequiresOneGetsAnEnrolmentOnlySessionUntilEnrolled) {
    AddUser("admin@clinic.example", Role::kAdmin);  // admins require a second factor by default
    const app::LoginAnswer first = Login("admin@clinic.example");
    ASSERT_TRUE(first.session.ok()) << first.session.error().ToString();
    EXPECT_TRUE(first.session->session.enrolment_only);
    Result<app::Principal> principal = clinic().authentication.AuthenticateSession(first.session->token);
    ASSERT_TRUE(principal.ok());
    EXPECT_TRUE(principal->enrolment_only);
    EXPECT_TRUE(clinic().second_factors.State(*principal, kOrigin)->required);

    const auto [secret, recovery] = Enrol("admin@clinic.example");
    const app::LoginAnswer enrolled = Login("admin@clinic.example", CodeAt(secret));
    ASSERT_TRUE(enrolled.session.ok()) << enrolled.session.error().ToString();
    EXPECT_FALSE(enrolled.session->session.enrolment_only);

    // Relaxing the setting lets a user without a factor log in fully.
    ASSERT_TRUE(clinic().settings.ChangeSetting(admin_, "access.second_factor_prescriber", "optional").ok());
    AddUser("prescriber@clinic.example", Role::kPrescriber);
    EXPECT_FALSE(Login("prescriber@clinic.example").session->session.enrolment_only);
}

TEST_P(SecondFactorContractTest, AnAdminResetsALostFactorAndEndsTheSessions) {
    AddUser("nurse@clinic.example", Role::kNurse);
    const auto [secret, recovery] = Enrol("nurse@clinic.example");
    const app::SessionGrant grant = *Login("nurse@clinic.example", CodeAt(secret)).session;

    ASSERT_TRUE(clinic().second_factors.Reset(admin_, "Nurse@Clinic.Example").ok());
    EXPECT_EQ(AuditActions().back(), "second_factor.reset");
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(grant.token).ok());
    // The password alone logs in again; the old recovery codes are gone with the factor.
    EXPECT_TRUE(Login("nurse@clinic.example").session.ok());

    const std::size_t audit_before = AuditActions().size();
    const Status none = clinic().second_factors.Reset(admin_, "nurse@clinic.example");
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, ErrorCode::kFailedPrecondition);
    const Status nobody = clinic().second_factors.Reset(admin_, "nobody@clinic.example");
    ASSERT_FALSE(nobody.ok());
    EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(AuditActions().size(), audit_before);
}

// NIST SP 800-63B-4 §3.1.1.2: 8 characters where a second factor is required (admins by default), 15 elsewhere.
TEST_P(SecondFactorContractTest, APasswordMayBeShorterWhereTheRoleRequiresASecondFactor) {
    const std::string ten = "quiet-lark";
    EXPECT_TRUE(clinic().users.AddUser(admin_, app::NewUser{"admin@clinic.example", "", Role::kAdmin, ten, {}}).ok());
    Result<app::User> nurse =
        clinic().users.AddUser(admin_, app::NewUser{"nurse@clinic.example", "", Role::kNurse, ten, {}});
    ASSERT_FALSE(nurse.ok());
    EXPECT_NE(nurse.error().message.find("at least 15 characters"), std::string::npos) << nurse.error().ToString();
}

// Credential stuffing: many accounts from one client address, each failing once or twice, so no account's own
// throttle starts; the address's does, at the clinic's setting.
TEST_P(SecondFactorContractTest, ManyAccountsFromOneAddressAreThrottledByTheAddress) {
    ASSERT_TRUE(clinic().settings.ChangeSetting(admin_, "access.address_failures_before_wait", "5").ok());
    AddUser("nurse@clinic.example", Role::kNurse);
    std::optional<std::chrono::seconds> wait;
    for (int i = 0; i < 5; ++i) {
        const app::LoginAnswer answer = clinic().authentication.Login("someone" + std::to_string(i) + "@clinic.example",
                                                                      "a guessed password", "198.51.100.7");
        ASSERT_FALSE(answer.session.ok());
        wait = answer.retry_after;
    }
    EXPECT_EQ(wait, seconds{1});
    // Even a right password from that address waits; another address does not.
    const app::LoginAnswer early = clinic().authentication.Login("nurse@clinic.example", kPassword, "198.51.100.7");
    ASSERT_FALSE(early.session.ok());
    EXPECT_EQ(early.retry_after, seconds{1});
    EXPECT_TRUE(clinic().authentication.Login("nurse@clinic.example", kPassword, "198.51.100.8").session.ok());
    clock_.Advance(seconds{1});
    EXPECT_TRUE(clinic().authentication.Login("nurse@clinic.example", kPassword, "198.51.100.7").session.ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, SecondFactorContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::adapters::storage::contract
