#include "app/authentication.hpp"

#include <algorithm>
#include <utility>

#include "app/access_rules.hpp"
#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/second_factor.hpp"

namespace kclinic::app {
namespace {

// Longer than any token NewToken makes; anything longer is refused before it is hashed.
constexpr std::size_t kMaxTokenLength = 256;

// Longer than any code a person types (a TOTP code or a recovery code with its dashes and some spaces).
constexpr std::size_t kMaxCodeLength = 64;

Error CodeRequired() {
    return Error{ErrorCode::kUnauthenticated, "code",
                 "enter the code your authenticator app shows, or a recovery code; if you have not set up an "
                 "authenticator, the email or password is wrong"};
}

Error WrongCredentialsOrCode() {
    return Error{ErrorCode::kUnauthenticated, "", "email, password or code is wrong"};
}

// The login_throttle key of a client address: never an email address (those hold an '@' and no ':' prefix).
std::string AddressThrottleKey(std::string_view origin) {
    std::string key = "address:" + std::string(origin);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return key;
}

// The later of two waits; nullopt when neither.
std::optional<TimePoint> Later(std::optional<TimePoint> a, std::optional<TimePoint> b) {
    if (!a || !b) {
        return a ? a : b;
    }
    return std::max(*a, *b);
}

Error NotAuthenticated() {
    return Error{ErrorCode::kUnauthenticated, "", "not logged in, or the session has expired: log in again"};
}

Principal PrincipalOf(const User& user, AuthMethod method) {
    Principal principal;
    principal.user = user.id;
    principal.email = user.email;
    principal.role = user.role;
    principal.patient = user.patient;
    principal.method = method;
    return principal;
}

// What counting a login attempt found: the clinic's access settings, the address's account, if any, and either the
// lock in force (nothing was counted) or the wait this attempt set, if any.
struct CountedAttempt {
    clinical::AccessSettings access;
    std::optional<User> candidate;
    std::optional<TimePoint> locked_until;
    std::optional<TimePoint> next_attempt_at;
};

// A browser session and the user it belongs to.
struct SessionOfUser {
    BrowserSession session;
    User user;
};

}  // namespace

Result<std::string> Authentication::DummyHash() {
    const std::lock_guard lock(dummy_mutex_);
    if (dummy_hash_.empty()) {
        ASSIGN_OR_RETURN(std::string hash, credentials_.HashPassword(credentials_.NewToken()));
        dummy_hash_ = std::move(hash);
    }
    return dummy_hash_;
}

LoginAnswer Authentication::Login(std::string_view email_text, std::string_view password, std::string_view origin,
                                  std::string_view code) {
    if (password.empty()) {
        return {InvalidArgument("password", "is required"), std::nullopt};
    }
    if (password.size() > kMaxPasswordBytes) {
        return {InvalidArgument("password", "must be at most " + std::to_string(kMaxPasswordBytes) + " bytes"),
                std::nullopt};
    }
    if (code.size() > kMaxCodeLength) {
        return {InvalidArgument("code", "must be at most " + std::to_string(kMaxCodeLength) + " bytes"), std::nullopt};
    }
    Result<std::string> normalized = NormalizeEmail(email_text);
    if (!normalized.ok()) {
        return {normalized.error(), std::nullopt};
    }
    Result<std::string> dummy = DummyHash();
    if (!dummy.ok()) {
        return {dummy.error(), std::nullopt};
    }
    const std::string& email = *normalized;
    const std::string address = AddressThrottleKey(origin);
    const Actor actor{email, std::string(origin)};
    const TimePoint now = clock_.Now();
    // Every refusal looks the same, whatever was wrong (see the header).
    const auto refused = [&](std::optional<TimePoint> wait_until) -> LoginAnswer {
        return {code.empty() ? CodeRequired() : WrongCredentialsOrCode(),
                wait_until ? RetryAfter(*wait_until, now) : std::nullopt};
    };

    // 1. Count the attempt on the address and on the client address, or find either locked, before the password
    // is looked at: concurrent guesses are counted one by one (CountLoginAttempt) and cannot all slip in before the
    // lock.
    Result<CountedAttempt> counted = store_.Write([&](StoreTransaction& tx) -> Result<CountedAttempt> {
        CountedAttempt attempt;
        ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, LoadClinicSettings(tx));
        attempt.access = settings.access;
        ASSIGN_OR_RETURN(attempt.candidate, tx.FindUserByEmail(email));
        // The client address first: an attempt its wait refuses is counted against no account.
        ASSIGN_OR_RETURN(const std::optional<int> address_attempts, tx.CountLoginAttempt(address, now));
        std::optional<int> attempts;
        if (address_attempts) {
            ASSIGN_OR_RETURN(attempts, tx.CountLoginAttempt(email, now));
        }
        if (!address_attempts || !attempts) {
            ASSIGN_OR_RETURN(const LoginThrottle throttle, tx.GetLoginThrottle(address_attempts ? email : address));
            attempt.locked_until = throttle.locked_until.value_or(now);
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.login_failed", "user",
                                        attempt.candidate ? attempt.candidate->id.value : 0, 0));
            return attempt;
        }
        attempt.next_attempt_at =
            Later(NextAttemptAt(*attempts, now), NextAddressAttemptAt(*address_attempts, now, settings.access));
        if (const std::optional<TimePoint> lock = NextAttemptAt(*attempts, now)) {
            RETURN_IF_ERROR(tx.LockLogin(email, *lock));
        }
        if (const std::optional<TimePoint> wait = NextAddressAttemptAt(*address_attempts, now, settings.access)) {
            RETURN_IF_ERROR(tx.LockLogin(address, *wait));
        }
        return attempt;
    });
    if (!counted.ok()) {
        return {counted.error(), std::nullopt};
    }
    const std::optional<User>& candidate = counted->candidate;
    if (counted->locked_until) {
        return refused(counted->locked_until);
    }

    // 2. Verify outside any transaction: it takes tens of milliseconds by design, and no writer may wait for it. An
    // unknown address is verified against the dummy hash, so it takes as long as a known one.
    const std::string hash = candidate ? candidate->password_hash : *dummy;
    const bool verified = credentials_.VerifyPassword(hash, password);
    const bool accepted = verified && candidate && !candidate->disabled;
    std::optional<std::string> rehashed;
    if (accepted && credentials_.NeedsRehash(hash)) {
        // Stored with older parameters: replaced now that the password is at hand. A failure keeps the old hash.
        if (Result<std::string> fresh = credentials_.HashPassword(password); fresh.ok()) {
            rehashed = std::move(fresh).value();
        }
    }
    SessionGrant grant;
    grant.token = credentials_.NewToken();
    grant.session.token_digest = credentials_.TokenDigest(grant.token);
    grant.session.csrf_token = credentials_.NewToken();
    grant.session.created_at = now;
    grant.session.last_seen_at = now;
    grant.session.expires_at = now + kSessionLifetime;

    // 3. Check the second factor and record the outcome: the user now logged in, or nullopt when the login is
    // refused. A code is used up (UseTotpStep, UseRecoveryCode) in the transaction that starts the session.
    Result<std::optional<User>> recorded = store_.Write([&](StoreTransaction& tx) -> Result<std::optional<User>> {
        std::optional<User> user = candidate;
        if (accepted) {
            // Disabled, or given a new password, while the password was being verified: the verification is void.
            ASSIGN_OR_RETURN(user, tx.GetUser(candidate->id));
        }
        if (!accepted || user->disabled || user->password_hash != hash) {
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.login_failed", "user", user ? user->id.value : 0, 0));
            return std::optional<User>();
        }
        ASSIGN_OR_RETURN(const std::optional<SecondFactor> factor, tx.FindSecondFactor(user->id));
        if (factor && factor->confirmed_at) {
            if (code.empty()) {
                // The password was right, but that is not said: the answer is the one a wrong password gets.
                RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.login_failed", "user", user->id.value, 0));
                return std::optional<User>();
            }
            ASSIGN_OR_RETURN(const std::string_view used, UseSecondFactor(tx, *factor, code, now));
            if (used.empty()) {
                RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.second_factor_failed", "user", user->id.value, 0));
                return std::optional<User>();
            }
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, used, "user", user->id.value, 0));
        } else {
            grant.session.enrolment_only = SecondFactorRequired(counted->access, user->role);
        }
        RETURN_IF_ERROR(tx.ClearLoginThrottle(email));
        RETURN_IF_ERROR(tx.ClearLoginThrottle(address));
        if (rehashed) {
            user->password_hash = *rehashed;
            RETURN_IF_ERROR(tx.UpdateUser(*user));
        }
        grant.session.user = user->id;
        ASSIGN_OR_RETURN(grant.session.id, tx.InsertBrowserSession(grant.session));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.login", "browser_session", grant.session.id.value, 0));
        return user;
    });
    if (!recorded.ok()) {
        return {recorded.error(), std::nullopt};
    }
    const std::optional<User>& user = *recorded;
    if (!user) {
        return refused(counted->next_attempt_at);
    }
    grant.principal = PrincipalOf(*user, AuthMethod::kSession);
    grant.principal.browser_session = grant.session.id;
    grant.principal.csrf_token = grant.session.csrf_token;
    grant.principal.enrolment_only = grant.session.enrolment_only;
    return {std::move(grant), std::nullopt};
}

Result<std::string_view> Authentication::UseSecondFactor(StoreTransaction& tx, const SecondFactor& factor,
                                                         std::string_view code, TimePoint now) const {
    if (IsTotpCode(code)) {
        const std::optional<std::int64_t> step = MatchingTotpStep(credentials_, factor.totp_secret, code, now);
        if (!step) {
            return std::string_view();
        }
        // Refused when this step, or a later one, was used already: each code is accepted once (RFC 6238 §5.2).
        ASSIGN_OR_RETURN(const bool fresh, tx.UseTotpStep(factor.user, *step));
        return fresh ? std::string_view("auth.second_factor") : std::string_view();
    }
    const std::optional<std::string> recovery = NormalizeRecoveryCode(code);
    if (!recovery) {
        return std::string_view();
    }
    ASSIGN_OR_RETURN(const bool unused, tx.UseRecoveryCode(factor.user, credentials_.TokenDigest(*recovery), now));
    return unused ? std::string_view("auth.recovery_code_used") : std::string_view();
}

Result<Principal> Authentication::AuthenticateSession(std::string_view token) {
    if (token.empty() || token.size() > kMaxTokenLength) {
        return NotAuthenticated();
    }
    const std::string digest = credentials_.TokenDigest(token);
    const TimePoint now = clock_.Now();
    // An unknown token is what the read finds, not its failure: the transaction succeeds and finds no session.
    ASSIGN_OR_RETURN(std::optional<SessionOfUser> found,
                     store_.Read([&](StoreTransaction& tx) -> Result<std::optional<SessionOfUser>> {
                         ASSIGN_OR_RETURN(std::optional<BrowserSession> session, tx.FindBrowserSession(digest));
                         if (!session) {
                             return std::optional<SessionOfUser>();
                         }
                         ASSIGN_OR_RETURN(User owner, tx.GetUser(session->user));
                         return std::make_optional(SessionOfUser{std::move(*session), std::move(owner)});
                     }));
    if (!found || found->user.disabled || !SessionIsLive(found->session, now)) {
        return NotAuthenticated();
    }
    const BrowserSession& session = found->session;
    if (SessionNeedsTouch(session, now)) {
        Status touched =
            store_.Write([&](StoreTransaction& tx) -> Status { return tx.TouchBrowserSession(session.id, now); });
        if (!touched.ok()) {
            return touched.error().code == ErrorCode::kNotFound ? NotAuthenticated() : touched.error();
        }
    }
    Principal principal = PrincipalOf(found->user, AuthMethod::kSession);
    principal.browser_session = session.id;
    principal.csrf_token = session.csrf_token;
    principal.enrolment_only = session.enrolment_only;
    return principal;
}

Status Authentication::CheckCsrf(const Principal& principal, std::string_view csrf_token) const {
    if (principal.method != AuthMethod::kSession) {
        return Status::Ok();
    }
    if (principal.csrf_token.empty() || !credentials_.SecretsEqual(principal.csrf_token, csrf_token)) {
        return Error{ErrorCode::kPermissionDenied, "csrf_token",
                     "missing or wrong CSRF token: send the one the login returned"};
    }
    return Status::Ok();
}

Status Authentication::Logout(const Principal& principal, std::string_view origin) {
    if (principal.method != AuthMethod::kSession || !principal.browser_session) {
        return Error{ErrorCode::kFailedPrecondition, "", "only a browser session logs out; API tokens are revoked"};
    }
    const TimePoint now = clock_.Now();
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        RETURN_IF_ERROR(tx.EndBrowserSession(*principal.browser_session, now));
        return RecordAudit(tx, ActorOf(principal, std::string(origin)), now, "auth.logout", "browser_session",
                           principal.browser_session->value, 0);
    });
    if (!status.ok() && status.error().code == ErrorCode::kNotFound) {
        return NotAuthenticated();
    }
    return status;
}

Result<Principal> Authentication::AuthenticateApiToken(std::string_view token) {
    const Error refused{ErrorCode::kUnauthenticated, "", "unknown or revoked API token"};
    if (token.empty() || token.size() > kMaxTokenLength) {
        return refused;
    }
    const std::string digest = credentials_.TokenDigest(token);
    // An unknown or revoked token is what the read finds, not its failure (as in AuthenticateSession).
    ASSIGN_OR_RETURN(std::optional<User> user, store_.Read([&](StoreTransaction& tx) -> Result<std::optional<User>> {
        ASSIGN_OR_RETURN(std::optional<ApiToken> found, tx.FindApiToken(digest));
        if (!found || found->revoked_at) {
            return std::optional<User>();
        }
        ASSIGN_OR_RETURN(User owner, tx.GetUser(found->user));
        return std::make_optional(std::move(owner));
    }));
    if (!user || user->disabled) {
        return refused;
    }
    return PrincipalOf(*user, AuthMethod::kApiToken);
}

Result<Principal> Authentication::ConfirmWitness(std::string_view email_text, std::string_view password,
                                                 std::string_view origin) {
    // Login's three steps (count the attempt, verify outside any transaction, record the outcome), ending in a
    // confirmation of who the witness is instead of a browser session.
    const Error refused{ErrorCode::kUnauthenticated, "witness", "the witness's email or password is wrong"};
    if (password.empty()) {
        return InvalidArgument("witness.password", "is required");
    }
    if (password.size() > kMaxPasswordBytes) {
        return InvalidArgument("witness.password", "must be at most " + std::to_string(kMaxPasswordBytes) + " bytes");
    }
    Result<std::string> normalized = NormalizeEmail(email_text);
    if (!normalized.ok()) {
        return Error{normalized.error().code, "witness.email", normalized.error().message};
    }
    ASSIGN_OR_RETURN(const std::string dummy, DummyHash());
    const std::string& email = *normalized;
    const Actor actor{email, std::string(origin)};
    const TimePoint now = clock_.Now();
    ASSIGN_OR_RETURN(const CountedAttempt counted, store_.Write([&](StoreTransaction& tx) -> Result<CountedAttempt> {
        CountedAttempt attempt;
        ASSIGN_OR_RETURN(attempt.candidate, tx.FindUserByEmail(email));
        ASSIGN_OR_RETURN(std::optional<int> attempts, tx.CountLoginAttempt(email, now));
        if (!attempts) {
            attempt.locked_until = now;
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.login_failed", "user",
                                        attempt.candidate ? attempt.candidate->id.value : 0, 0));
            return attempt;
        }
        attempt.next_attempt_at = NextAttemptAt(*attempts, now);
        if (attempt.next_attempt_at) {
            RETURN_IF_ERROR(tx.LockLogin(email, *attempt.next_attempt_at));
        }
        return attempt;
    }));
    if (counted.locked_until) {
        return refused;
    }
    const std::optional<User>& candidate = counted.candidate;
    const std::string hash = candidate ? candidate->password_hash : dummy;
    const bool accepted = credentials_.VerifyPassword(hash, password) && candidate && !candidate->disabled;
    ASSIGN_OR_RETURN(
        const std::optional<User> confirmed, store_.Write([&](StoreTransaction& tx) -> Result<std::optional<User>> {
            std::optional<User> user = candidate;
            if (accepted) {
                ASSIGN_OR_RETURN(user, tx.GetUser(candidate->id));
            }
            if (!accepted || user->disabled || user->password_hash != hash) {
                RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.login_failed", "user", user ? user->id.value : 0, 0));
                return std::optional<User>();
            }
            RETURN_IF_ERROR(tx.ClearLoginThrottle(email));
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "auth.witness", "user", user->id.value, 0));
            return user;
        }));
    if (!confirmed) {
        return refused;
    }
    return PrincipalOf(*confirmed, AuthMethod::kSession);
}

}  // namespace kclinic::app
