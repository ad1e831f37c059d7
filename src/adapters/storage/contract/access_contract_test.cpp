// The storage contract for access: users, login throttling, browser sessions and API tokens, through the app layer's
// use cases (UserRecords, Authentication) on a real SQLite file and a real PostgreSQL server, with the real libsodium
// adapter (at its test-only minimum cost, so the many logins stay fast). Every refusal is checked to write nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/access_rules.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::Role;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kPassword = "tulip-granite-lantern";
constexpr std::string_view kWrongPassword = "tulip-granite-lanterns";

class AccessContractTest : public UseCaseTest {
protected:
    app::User AddUser(const std::string& email, Role role = Role::kNurse,
                      std::optional<app::PatientId> patient = std::nullopt) {
        Result<app::User> user =
            clinic().users.AddUser(admin_, app::NewUser{email, "A. Example", role, std::string(kPassword), patient});
        EXPECT_TRUE(user.ok()) << user.error().ToString();
        return user.ok() ? *user : app::User{};
    }

    app::SessionGrant LogIn(const std::string& email, std::string_view password = kPassword) {
        app::LoginAnswer answer = clinic().authentication.Login(email, password, "192.0.2.10");
        EXPECT_TRUE(answer.session.ok()) << answer.session.error().ToString();
        return answer.session.ok() ? *answer.session : app::SessionGrant{};
    }

    // The stored user with `email` (lower case), read without an audit entry.
    std::optional<app::User> StoredUser(const std::string& email) {
        std::optional<app::User> user;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<std::optional<app::User>> found = tx.FindUserByEmail(email);
            if (!found.ok()) {
                return found.error();
            }
            user = *found;
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return user;
    }

    std::optional<app::BrowserSession> StoredSession(const std::string& token_digest) {
        std::optional<app::BrowserSession> session;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<std::optional<app::BrowserSession>> found = tx.FindBrowserSession(token_digest);
            if (!found.ok()) {
                return found.error();
            }
            session = *found;
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return session;
    }

    app::LoginThrottle Throttle(const std::string& email) {
        app::LoginThrottle throttle;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<app::LoginThrottle> found = tx.GetLoginThrottle(email);
            if (!found.ok()) {
                return found.error();
            }
            throttle = *found;
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return throttle;
    }

    // Everything a user-administration refusal could have touched, as one comparable text: every user with its
    // throttle, every token, and the number of audit entries.
    std::string Snapshot() {
        std::string text;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            Result<std::vector<app::User>> users = tx.ListUsers(app::UserId{}, app::kMaxPageSize);
            if (!users.ok()) {
                return users.error();
            }
            for (const app::User& user : *users) {
                text += user.email + " " + user.password_hash + " " + std::to_string(user.disabled) + " " +
                        std::to_string(user.failed_logins) + " " +
                        std::to_string(user.locked_until ? user.locked_until->time_since_epoch().count() : 0) + "\n";
                Result<std::vector<app::ApiToken>> tokens = tx.ListApiTokens(user.id);
                if (!tokens.ok()) {
                    return tokens.error();
                }
                for (const app::ApiToken& token : *tokens) {
                    text += "  token " + std::to_string(token.id.value) + " " + token.name + " " +
                            std::to_string(token.revoked_at.has_value()) + "\n";
                }
            }
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return text + "audit entries: " + std::to_string(Audit().size()) + "\n";
    }

    // Runs `refused`, expects `code` on `field`, and checks that nothing was written.
    template <typename T>
    void ExpectRefusedWritingNothing(const std::function<Result<T>()>& refused, ErrorCode code,
                                     const std::string& field) {
        const std::string before = Snapshot();
        Result<T> result = refused();
        ASSERT_TRUE(IsRefusal(result, code, field));
        EXPECT_EQ(Snapshot(), before) << result.error().ToString();
    }

    const Actor admin_{"admin@clinic.example", "cli"};
};

TEST_P(AccessContractTest, AddUserStoresTheEmailLowerCaseAndOnlyAHash) {
    const app::User user = AddUser("Ada.Nurse@Clinic.Example");
    EXPECT_EQ(user.email, "ada.nurse@clinic.example");
    EXPECT_EQ(user.role, Role::kNurse);
    EXPECT_FALSE(user.disabled);
    const std::optional<app::User> stored = StoredUser("ada.nurse@clinic.example");
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->id, user.id);
    EXPECT_EQ(stored->display_name, "A. Example");
    EXPECT_EQ(stored->created_by, "admin@clinic.example");
    EXPECT_EQ(stored->created_at, kStart);
    EXPECT_EQ(stored->password_hash.rfind("$argon2id$", 0), 0u) << stored->password_hash;
    EXPECT_TRUE(credentials_.VerifyPassword(stored->password_hash, kPassword));
    EXPECT_EQ(stored->failed_logins, 0);
    EXPECT_FALSE(stored->locked_until.has_value());
    const std::vector<app::AuditEntry> audit = Audit();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, "user.create");
    EXPECT_EQ(audit[0].record_type, "user");
    EXPECT_EQ(audit[0].record_id, user.id.value);

    const app::PatientId patient = Register("MRN-1");
    const app::User portal = AddUser("ada@home.example", Role::kPatient, patient);
    EXPECT_EQ(portal.patient, patient);
    EXPECT_EQ(Audit().back().patient_id, patient.value);
}

TEST_P(AccessContractTest, AddUserRefusalsWriteNothing) {
    AddUser("taken@clinic.example");
    const app::PatientId linked = Register("MRN-1");
    AddUser("linked@home.example", Role::kPatient, linked);
    const app::PatientId unlinked = Register("MRN-2");
    struct Case {
        app::NewUser user;
        ErrorCode code;
        std::string field;
    };
    const std::string password(kPassword);
    for (const Case& c : std::vector<Case>{
             {{"TAKEN@Clinic.Example", "", Role::kNurse, password, {}}, ErrorCode::kConflict, "email"},
             {{"not-an-email", "", Role::kNurse, password, {}}, ErrorCode::kInvalidArgument, "email"},
             {{"new@clinic.example", "", Role::kNurse, "short", {}}, ErrorCode::kInvalidArgument, "password"},
             {{"new@clinic.example", "", Role::kNurse, "1qaz2wsx3edc", {}}, ErrorCode::kInvalidArgument, "password"},
             {{"new@clinic.example", "", Role::kNurse, "new@clinic.example", {}},
              ErrorCode::kInvalidArgument,
              "password"},
             {{"new@clinic.example", "bad\nname", Role::kNurse, password, {}},
              ErrorCode::kInvalidArgument,
              "display_name"},
             {{"new@home.example", "", Role::kPatient, password, {}}, ErrorCode::kInvalidArgument, "patient_id"},
             {{"new@clinic.example", "", Role::kNurse, password, unlinked}, ErrorCode::kInvalidArgument, "patient_id"},
             {{"new@home.example", "", Role::kPatient, password, app::PatientId{999}},
              ErrorCode::kNotFound,
              "patient_id"},
             {{"new@home.example", "", Role::kPatient, password, linked}, ErrorCode::kConflict, "patient_id"},
         }) {
        SCOPED_TRACE(c.user.email + " / " + c.field);
        ExpectRefusedWritingNothing<app::User>([&] { return clinic().users.AddUser(admin_, c.user); }, c.code, c.field);
    }
}

TEST_P(AccessContractTest, ListUsersPagesInIdOrderAndIsAudited) {
    const app::User first = AddUser("first@clinic.example", Role::kAdmin);
    const app::User second = AddUser("second@clinic.example", Role::kPrescriber);
    const app::User third = AddUser("third@clinic.example", Role::kFrontDesk);
    Result<std::vector<app::User>> page = clinic().users.ListUsers(admin_, app::UserId{}, 2);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ((*page)[0].id, first.id);
    EXPECT_EQ((*page)[1].id, second.id);
    Result<std::vector<app::User>> rest = clinic().users.ListUsers(admin_, second.id, 2);
    ASSERT_TRUE(rest.ok());
    ASSERT_EQ(rest->size(), 1u);
    EXPECT_EQ((*rest)[0].id, third.id);
    EXPECT_EQ((*rest)[0].role, Role::kFrontDesk);
    EXPECT_EQ(AuditActions().back(), "user.list");
    ExpectRefusedWritingNothing<std::vector<app::User>>(
        [&] { return clinic().users.ListUsers(admin_, app::UserId{}, 0); }, ErrorCode::kOutOfRange, "limit");
}

TEST_P(AccessContractTest, LoginStartsASessionKnownOnlyByItsDigest) {
    const app::User nurse = AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("Nurse@Clinic.Example");
    EXPECT_EQ(grant.token.size(), 43u);
    EXPECT_EQ(grant.session.csrf_token.size(), 43u);
    EXPECT_NE(grant.session.csrf_token, grant.token);
    EXPECT_EQ(grant.session.expires_at, kStart + app::kSessionLifetime);
    EXPECT_EQ(grant.principal.user, nurse.id);
    EXPECT_EQ(grant.principal.role, Role::kNurse);
    EXPECT_EQ(grant.principal.method, app::AuthMethod::kSession);
    EXPECT_EQ(grant.principal.browser_session, grant.session.id);

    // Only the digest is stored: the token finds nothing, its digest finds the session.
    EXPECT_FALSE(StoredSession(grant.token).has_value());
    const std::optional<app::BrowserSession> stored = StoredSession(credentials_.TokenDigest(grant.token));
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->id, grant.session.id);
    EXPECT_EQ(stored->user, nurse.id);
    EXPECT_EQ(stored->csrf_token, grant.session.csrf_token);

    Result<app::Principal> principal = clinic().authentication.AuthenticateSession(grant.token);
    ASSERT_TRUE(principal.ok()) << principal.error().ToString();
    EXPECT_EQ(principal->email, "nurse@clinic.example");
    EXPECT_EQ(principal->csrf_token, grant.session.csrf_token);
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(grant.token + "x").ok());
    EXPECT_FALSE(clinic().authentication.AuthenticateSession("").ok());
    EXPECT_FALSE(clinic().authentication.AuthenticateApiToken(grant.token).ok());  // a session token is no API token

    const std::vector<app::AuditEntry> audit = Audit();
    EXPECT_EQ(audit.back().action, "auth.login");
    EXPECT_EQ(audit.back().actor, "nurse@clinic.example");
    EXPECT_EQ(audit.back().origin, "192.0.2.10");
    EXPECT_EQ(audit.back().record_type, "browser_session");
    EXPECT_EQ(audit.back().record_id, grant.session.id.value);
}

TEST_P(AccessContractTest, LoginAnswersAlikeForUnknownWrongAndDisabled) {
    AddUser("nurse@clinic.example");
    AddUser("gone@clinic.example");
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "gone@clinic.example").ok());
    const std::size_t audit_before = Audit().size();
    std::vector<Error> errors;
    for (const auto& [email, password] : std::vector<std::pair<std::string, std::string_view>>{
             {"nobody@clinic.example", kPassword},
             {"nurse@clinic.example", kWrongPassword},
             {"gone@clinic.example", kPassword},
         }) {
        app::LoginAnswer answer = clinic().authentication.Login(email, password, "192.0.2.10");
        ASSERT_FALSE(answer.session.ok()) << email;
        EXPECT_FALSE(answer.retry_after.has_value()) << email;  // a first failure: no wait yet
        errors.push_back(answer.session.error());
        EXPECT_EQ(Throttle(email).failed_logins, 1) << email;  // every address counts alike
    }
    for (const Error& error : errors) {
        EXPECT_EQ(error.code, ErrorCode::kUnauthenticated);
        // Without a code, every refusal asks for one (docs/api.md "Logging in with a second factor").
        EXPECT_EQ(error.field, "code");
        EXPECT_EQ(error.message, errors.front().message);
    }
    const std::vector<app::AuditEntry> audit = Audit();
    ASSERT_EQ(audit.size(), audit_before + 3);
    for (std::size_t i = audit_before; i < audit.size(); ++i) {
        EXPECT_EQ(audit[i].action, "auth.login_failed");
    }
    EXPECT_EQ(audit[audit_before].actor, "nobody@clinic.example");
    EXPECT_EQ(audit[audit_before].record_id, 0);
}

TEST_P(AccessContractTest, MalformedLoginsAreRefusedWithoutCounting) {
    AddUser("nurse@clinic.example");
    const std::size_t audit_before = Audit().size();
    for (const auto& [email, password, field] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"nurse@clinic.example", "", "password"},
             {"nurse@clinic.example", std::string(app::kMaxPasswordBytes + 1, 'x'), "password"},
             {"nurse", std::string(kPassword), "email"},
         }) {
        app::LoginAnswer answer = clinic().authentication.Login(email, password, "192.0.2.10");
        ASSERT_FALSE(answer.session.ok());
        EXPECT_EQ(answer.session.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(answer.session.error().field, field);
    }
    EXPECT_EQ(Audit().size(), audit_before);
    EXPECT_EQ(Throttle("nurse@clinic.example").failed_logins, 0);
}

TEST_P(AccessContractTest, SessionsExpireWhenIdleAndAtTheirAbsoluteLimit) {
    AddUser("nurse@clinic.example");
    const app::SessionGrant idle = LogIn("nurse@clinic.example");
    clock_.Advance(minutes{29});
    EXPECT_TRUE(clinic().authentication.AuthenticateSession(idle.token).ok());  // seen again: the idle clock restarts
    clock_.Advance(minutes{29});
    EXPECT_TRUE(clinic().authentication.AuthenticateSession(idle.token).ok());
    clock_.Advance(minutes{30});
    Result<app::Principal> expired = clinic().authentication.AuthenticateSession(idle.token);
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);

    const app::SessionGrant busy = LogIn("nurse@clinic.example");
    for (int i = 0; i < 12 * 3 - 1; ++i) {  // used every 20 minutes for just under 12 hours
        clock_.Advance(minutes{20});
        ASSERT_TRUE(clinic().authentication.AuthenticateSession(busy.token).ok()) << i;
    }
    clock_.Advance(minutes{20});  // 12 hours after login
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(busy.token).ok());
}

TEST_P(AccessContractTest, AuthenticatingTouchesTheSessionAtMostOnceAMinute) {
    AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("nurse@clinic.example");
    const std::string digest = credentials_.TokenDigest(grant.token);
    clock_.Advance(seconds{59});
    ASSERT_TRUE(clinic().authentication.AuthenticateSession(grant.token).ok());
    EXPECT_EQ(StoredSession(digest)->last_seen_at, kStart);
    clock_.Advance(seconds{1});
    ASSERT_TRUE(clinic().authentication.AuthenticateSession(grant.token).ok());
    EXPECT_EQ(StoredSession(digest)->last_seen_at, kStart + minutes{1});
    EXPECT_EQ(AuditActions().back(), "auth.login");  // authenticating a request is not audited
}

TEST_P(AccessContractTest, TheCsrfTokenIsCheckedForBrowserSessionsOnly) {
    AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("nurse@clinic.example");
    Result<app::Principal> principal = clinic().authentication.AuthenticateSession(grant.token);
    ASSERT_TRUE(principal.ok());
    EXPECT_TRUE(clinic().authentication.CheckCsrf(*principal, grant.session.csrf_token).ok());
    for (const std::string& wrong :
         {std::string(), grant.token, grant.session.csrf_token.substr(1), grant.session.csrf_token + "x"}) {
        Status checked = clinic().authentication.CheckCsrf(*principal, wrong);
        ASSERT_FALSE(checked.ok()) << wrong;
        EXPECT_EQ(checked.error().code, ErrorCode::kPermissionDenied);
        EXPECT_EQ(checked.error().field, "csrf_token");
    }
    Result<app::NewApiToken> token = clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "monitor bridge");
    ASSERT_TRUE(token.ok());
    Result<app::Principal> machine = clinic().authentication.AuthenticateApiToken(token->token);
    ASSERT_TRUE(machine.ok());
    EXPECT_TRUE(clinic().authentication.CheckCsrf(*machine, "").ok());  // no cookie, nothing to forge
}

TEST_P(AccessContractTest, LogoutEndsTheSession) {
    AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("nurse@clinic.example");
    const app::SessionGrant other = LogIn("nurse@clinic.example");
    clock_.Advance(minutes{5});
    ASSERT_TRUE(clinic().authentication.Logout(grant.principal, "192.0.2.10").ok());
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(grant.token).ok());
    EXPECT_TRUE(clinic().authentication.AuthenticateSession(other.token).ok());  // only that session ends
    EXPECT_EQ(StoredSession(credentials_.TokenDigest(grant.token))->ended_at, kStart + minutes{5});
    const std::vector<app::AuditEntry> audit = Audit();
    EXPECT_EQ(audit.back().action, "auth.logout");
    EXPECT_EQ(audit.back().record_id, grant.session.id.value);

    const std::size_t audit_before = audit.size();
    Status again = clinic().authentication.Logout(grant.principal, "192.0.2.10");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kUnauthenticated);
    app::Principal machine = grant.principal;
    machine.method = app::AuthMethod::kApiToken;
    machine.browser_session.reset();
    Status not_a_session = clinic().authentication.Logout(machine, "192.0.2.10");
    ASSERT_FALSE(not_a_session.ok());
    EXPECT_EQ(not_a_session.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(Audit().size(), audit_before);
}

TEST_P(AccessContractTest, RepeatedFailuresBackOffThenLockAndTheLockLiftsByItself) {
    AddUser("nurse@clinic.example");
    const std::string email = "nurse@clinic.example";
    // Each failure waits out the backoff the one before it set; the 3rd in a row starts it.
    const std::vector<std::optional<seconds>> waits = {std::nullopt, std::nullopt, seconds{1},  seconds{2},
                                                       seconds{4},   seconds{8},   seconds{16}, seconds{32},
                                                       seconds{64},  seconds{900}};
    for (std::size_t i = 0; i < waits.size(); ++i) {
        app::LoginAnswer answer = clinic().authentication.Login(email, kWrongPassword, "192.0.2.10");
        ASSERT_FALSE(answer.session.ok());
        EXPECT_EQ(answer.session.error().field, "code");
        EXPECT_EQ(answer.retry_after, waits[i]) << "failure " << i + 1;
        if (waits[i] && i + 1 < waits.size()) {
            clock_.Advance(*waits[i]);
        }
    }
    EXPECT_EQ(Throttle(email).failed_logins, 10);

    // Locked for 15 minutes after the 10th failure: even the right password is refused, like a wrong one, and the
    // refused attempts are not counted.
    clock_.Advance(minutes{14});
    app::LoginAnswer locked = clinic().authentication.Login(email, kPassword, "192.0.2.10");
    ASSERT_FALSE(locked.session.ok());
    EXPECT_EQ(locked.session.error().field, "code");
    EXPECT_EQ(locked.retry_after, seconds{60});
    EXPECT_EQ(Throttle(email).failed_logins, 10);
    EXPECT_EQ(StoredUser(email)->failed_logins, 10);
    EXPECT_EQ(AuditActions().back(), "auth.login_failed");

    clock_.Advance(minutes{1});  // the lock lifts by itself
    const app::SessionGrant grant = LogIn(email);
    EXPECT_TRUE(clinic().authentication.AuthenticateSession(grant.token).ok());
    EXPECT_EQ(Throttle(email).failed_logins, 0);
    EXPECT_FALSE(StoredUser(email)->locked_until.has_value());
}

TEST_P(AccessContractTest, AnUnknownAddressIsThrottledLikeAKnownOne) {
    AddUser("nurse@clinic.example");
    for (int i = 0; i < 3; ++i) {
        app::LoginAnswer known = clinic().authentication.Login("nurse@clinic.example", kWrongPassword, "192.0.2.10");
        app::LoginAnswer unknown = clinic().authentication.Login("nobody@clinic.example", kWrongPassword, "192.0.2.10");
        ASSERT_FALSE(known.session.ok());
        ASSERT_FALSE(unknown.session.ok());
        EXPECT_EQ(unknown.session.error().message, known.session.error().message);
        EXPECT_EQ(unknown.retry_after, known.retry_after) << "attempt " << i + 1;
    }
    app::LoginAnswer known = clinic().authentication.Login("nurse@clinic.example", kPassword, "192.0.2.10");
    app::LoginAnswer unknown = clinic().authentication.Login("nobody@clinic.example", kPassword, "192.0.2.10");
    EXPECT_EQ(known.retry_after, seconds{1});
    EXPECT_EQ(unknown.retry_after, seconds{1});

    // A user added later on an address attacked before starts clean.
    AddUser("nobody@clinic.example");
    EXPECT_EQ(Throttle("nobody@clinic.example").failed_logins, 0);
    EXPECT_TRUE(clinic().authentication.Login("nobody@clinic.example", kPassword, "192.0.2.10").session.ok());
}

TEST_P(AccessContractTest, AnAdminUnlocksEvenTheLockOnlyAnAdminLifts) {
    AddUser("nurse@clinic.example");
    const std::string email = "nurse@clinic.example";
    // 99 attempts counted without a lock between them, then the 100th through Login.
    Status counted = store().Write([&](app::StoreTransaction& tx) -> Status {
        for (int i = 0; i < app::kAttemptsBeforeAdminUnlock - 1; ++i) {
            Result<std::optional<int>> attempts = tx.CountLoginAttempt(email, clock_.Now());
            if (!attempts.ok()) {
                return attempts.error();
            }
            EXPECT_EQ(*attempts, i + 1);
        }
        return Status::Ok();
    });
    ASSERT_TRUE(counted.ok()) << counted.error().ToString();
    app::LoginAnswer hundredth = clinic().authentication.Login(email, kWrongPassword, "192.0.2.10");
    ASSERT_FALSE(hundredth.session.ok());
    EXPECT_FALSE(hundredth.retry_after.has_value());  // waiting will not help
    EXPECT_EQ(StoredUser(email)->locked_until, app::kLockedUntilUnlocked);

    clock_.Advance(hours{24 * 365});
    app::LoginAnswer a_year_later = clinic().authentication.Login(email, kPassword, "192.0.2.10");
    ASSERT_FALSE(a_year_later.session.ok());
    EXPECT_FALSE(a_year_later.retry_after.has_value());

    Result<app::User> unlocked = clinic().users.UnlockUser(admin_, "Nurse@Clinic.Example");
    ASSERT_TRUE(unlocked.ok()) << unlocked.error().ToString();
    EXPECT_EQ(unlocked->failed_logins, 0);
    EXPECT_FALSE(unlocked->locked_until.has_value());
    EXPECT_EQ(AuditActions().back(), "user.unlock");
    EXPECT_TRUE(clinic().authentication.Login(email, kPassword, "192.0.2.10").session.ok());
    ExpectRefusedWritingNothing<app::User>([&] { return clinic().users.UnlockUser(admin_, "nobody@clinic.example"); },
                                           ErrorCode::kNotFound, "email");
}

TEST_P(AccessContractTest, DisablingAUserEndsSessionsRevokesTokensAndRefusesLogin) {
    AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("nurse@clinic.example");
    Result<app::NewApiToken> token = clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "monitor bridge");
    ASSERT_TRUE(token.ok()) << token.error().ToString();
    ASSERT_TRUE(clinic().authentication.AuthenticateApiToken(token->token).ok());

    clock_.Advance(minutes{1});
    Result<app::User> disabled = clinic().users.DisableUser(admin_, "NURSE@clinic.example");
    ASSERT_TRUE(disabled.ok()) << disabled.error().ToString();
    EXPECT_TRUE(disabled->disabled);
    EXPECT_EQ(disabled->updated_by, "admin@clinic.example");
    EXPECT_EQ(AuditActions().back(), "user.disable");
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(grant.token).ok());
    EXPECT_EQ(StoredSession(credentials_.TokenDigest(grant.token))->ended_at, kStart + minutes{1});
    EXPECT_FALSE(clinic().authentication.AuthenticateApiToken(token->token).ok());
    Result<std::vector<app::ApiToken>> tokens = clinic().users.ListApiTokens(admin_, "nurse@clinic.example");
    ASSERT_TRUE(tokens.ok());
    ASSERT_EQ(tokens->size(), 1u);
    EXPECT_EQ((*tokens)[0].revoked_at, kStart + minutes{1});

    app::LoginAnswer refused = clinic().authentication.Login("nurse@clinic.example", kPassword, "192.0.2.10");
    ASSERT_FALSE(refused.session.ok());
    EXPECT_EQ(refused.session.error().field, "code");

    ExpectRefusedWritingNothing<app::User>([&] { return clinic().users.DisableUser(admin_, "nurse@clinic.example"); },
                                           ErrorCode::kFailedPrecondition, "email");
    ExpectRefusedWritingNothing<app::User>([&] { return clinic().users.DisableUser(admin_, "nobody@clinic.example"); },
                                           ErrorCode::kNotFound, "email");
    AddUser("admin@clinic.example", Role::kAdmin);
    ExpectRefusedWritingNothing<app::User>([&] { return clinic().users.DisableUser(admin_, "Admin@Clinic.Example"); },
                                           ErrorCode::kFailedPrecondition, "email");
    ExpectRefusedWritingNothing<app::NewApiToken>(
        [&] { return clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "another"); },
        ErrorCode::kFailedPrecondition, "email");
}

TEST_P(AccessContractTest, ApiTokensAuthenticateUntilRevoked) {
    const app::User nurse = AddUser("nurse@clinic.example");
    Result<app::NewApiToken> created = clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "monitor bridge");
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    EXPECT_EQ(created->token.size(), 43u);
    EXPECT_EQ(created->record.user, nurse.id);
    EXPECT_EQ(created->record.token_digest, credentials_.TokenDigest(created->token));
    EXPECT_EQ(created->record.created_by, "admin@clinic.example");
    EXPECT_EQ(AuditActions().back(), "token.create");

    Result<app::Principal> principal = clinic().authentication.AuthenticateApiToken(created->token);
    ASSERT_TRUE(principal.ok()) << principal.error().ToString();
    EXPECT_EQ(principal->user, nurse.id);
    EXPECT_EQ(principal->role, Role::kNurse);
    EXPECT_EQ(principal->method, app::AuthMethod::kApiToken);
    EXPECT_FALSE(
        clinic().authentication.AuthenticateApiToken(created->record.token_digest).ok());  // the digest is no token
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(created->token).ok());

    ExpectRefusedWritingNothing<app::NewApiToken>(
        [&] { return clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "monitor bridge"); },
        ErrorCode::kConflict, "name");
    ExpectRefusedWritingNothing<app::NewApiToken>(
        [&] { return clinic().users.CreateApiToken(admin_, "nurse@clinic.example", ""); }, ErrorCode::kInvalidArgument,
        "name");
    ExpectRefusedWritingNothing<app::NewApiToken>(
        [&] { return clinic().users.CreateApiToken(admin_, "nobody@clinic.example", "x"); }, ErrorCode::kNotFound,
        "email");

    clock_.Advance(minutes{3});
    Result<app::ApiToken> revoked = clinic().users.RevokeApiToken(admin_, created->record.id);
    ASSERT_TRUE(revoked.ok()) << revoked.error().ToString();
    EXPECT_EQ(revoked->revoked_at, kStart + minutes{3});
    EXPECT_EQ(AuditActions().back(), "token.revoke");
    Result<app::Principal> after = clinic().authentication.AuthenticateApiToken(created->token);
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, ErrorCode::kUnauthenticated);

    ExpectRefusedWritingNothing<app::ApiToken>(
        [&] { return clinic().users.RevokeApiToken(admin_, created->record.id); }, ErrorCode::kFailedPrecondition,
        "token_id");
    ExpectRefusedWritingNothing<app::ApiToken>(
        [&] { return clinic().users.RevokeApiToken(admin_, app::ApiTokenId{999}); }, ErrorCode::kNotFound, "token_id");

    // Its name is free again once revoked; both stay listed.
    Result<app::NewApiToken> renewed = clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "monitor bridge");
    ASSERT_TRUE(renewed.ok()) << renewed.error().ToString();
    EXPECT_NE(renewed->token, created->token);
    EXPECT_TRUE(clinic().authentication.AuthenticateApiToken(renewed->token).ok());
    Result<std::vector<app::ApiToken>> listed = clinic().users.ListApiTokens(admin_, "nurse@clinic.example");
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_TRUE((*listed)[0].revoked_at.has_value());
    EXPECT_FALSE((*listed)[1].revoked_at.has_value());
}

TEST_P(AccessContractTest, SetPasswordReplacesThePasswordAndEndsSessions) {
    AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("nurse@clinic.example");
    ASSERT_FALSE(clinic().authentication.Login("nurse@clinic.example", kWrongPassword, "192.0.2.10").session.ok());
    Result<app::User> changed = clinic().users.SetPassword(admin_, "nurse@clinic.example", "a-brand-new-passphrase");
    ASSERT_TRUE(changed.ok()) << changed.error().ToString();
    EXPECT_EQ(AuditActions().back(), "user.password_set");
    EXPECT_EQ(changed->failed_logins, 0);
    EXPECT_FALSE(clinic().authentication.AuthenticateSession(grant.token).ok());
    EXPECT_FALSE(clinic().authentication.Login("nurse@clinic.example", kPassword, "192.0.2.10").session.ok());
    EXPECT_TRUE(
        clinic().authentication.Login("nurse@clinic.example", "a-brand-new-passphrase", "192.0.2.10").session.ok());
    ExpectRefusedWritingNothing<app::User>(
        [&] { return clinic().users.SetPassword(admin_, "nurse@clinic.example", "too short"); },
        ErrorCode::kInvalidArgument, "password");
    ExpectRefusedWritingNothing<app::User>(
        [&] { return clinic().users.SetPassword(admin_, "nobody@clinic.example", "a-brand-new-passphrase"); },
        ErrorCode::kNotFound, "email");
}

TEST_P(AccessContractTest, AHashWithOlderParametersIsReplacedAtLogin) {
    AddUser("nurse@clinic.example");
    const std::string cheap_hash = StoredUser("nurse@clinic.example")->password_hash;
    // The same store seen through the production cost: the stored hash's parameters are out of date.
    const crypto::SodiumCredentials interactive;
    app::Authentication production(store(), clock_, interactive);
    ASSERT_TRUE(production.Login("nurse@clinic.example", kPassword, "192.0.2.10").session.ok());
    const std::string rehashed = StoredUser("nurse@clinic.example")->password_hash;
    EXPECT_NE(rehashed, cheap_hash);
    EXPECT_FALSE(interactive.NeedsRehash(rehashed));
    EXPECT_TRUE(interactive.VerifyPassword(rehashed, kPassword));
}

TEST_P(AccessContractTest, NoPasswordOrTokenReachesTheAuditLog) {
    AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("nurse@clinic.example");
    ASSERT_FALSE(clinic().authentication.Login("nurse@clinic.example", kWrongPassword, "192.0.2.10").session.ok());
    Result<app::NewApiToken> token = clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "monitor bridge");
    ASSERT_TRUE(token.ok());
    ASSERT_TRUE(clinic().authentication.Logout(grant.principal, "192.0.2.10").ok());
    ASSERT_TRUE(clinic().users.SetPassword(admin_, "nurse@clinic.example", "a-brand-new-passphrase").ok());
    const std::vector<std::string> secrets = {std::string(kPassword),   std::string(kWrongPassword),
                                              "a-brand-new-passphrase", grant.token,
                                              grant.session.csrf_token, token->token};
    for (const app::AuditEntry& entry : Audit()) {
        const std::string text = entry.actor + "|" + entry.origin + "|" + entry.action + "|" + entry.record_type;
        for (const std::string& secret : secrets) {
            EXPECT_EQ(text.find(secret), std::string::npos) << entry.action;
        }
    }
}

TEST_P(AccessContractTest, TheSchemaItselfRefusesRewritingAccessHistory) {
    const app::User nurse = AddUser("nurse@clinic.example");
    const app::SessionGrant grant = LogIn("nurse@clinic.example");
    ASSERT_TRUE(clinic().authentication.Logout(grant.principal, "192.0.2.10").ok());
    Result<app::NewApiToken> token = clinic().users.CreateApiToken(admin_, "nurse@clinic.example", "monitor bridge");
    ASSERT_TRUE(token.ok());
    ASSERT_TRUE(clinic().users.RevokeApiToken(admin_, token->record.id).ok());
    const std::string user_id = std::to_string(nurse.id.value);
    const std::string session_id = std::to_string(grant.session.id.value);
    const std::string token_id = std::to_string(token->record.id.value);
    for (const std::string& statement : {
             "DELETE FROM users WHERE id = " + user_id,
             "UPDATE users SET email = 'someone@clinic.example' WHERE id = " + user_id,
             "UPDATE users SET role = 'admin' WHERE id = " + user_id,
             "UPDATE users SET email = 'NURSE@clinic.example' WHERE id = " + user_id,
             "UPDATE browser_sessions SET ended_at = NULL WHERE id = " + session_id,
             "UPDATE api_tokens SET revoked_at = NULL WHERE id = " + token_id,
             "DELETE FROM api_tokens WHERE id = " + token_id,
             "UPDATE users SET patient_id = 1 WHERE id = " + user_id,
         }) {
        EXPECT_FALSE(database().ExecuteDirectly(statement).ok()) << statement;
    }
    // What may change still can: a password, the disabled flag.
    EXPECT_TRUE(database().ExecuteDirectly("UPDATE users SET disabled = 1 WHERE id = " + user_id).ok());
    EXPECT_TRUE(StoredUser("nurse@clinic.example")->disabled);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccessContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::adapters::storage::contract
