#pragma once

// Authentication: logging in (a browser session, with a second factor where the user has one, throttled per email
// address and per client address), authenticating a request by its session token or bearer API token, the
// session's CSRF token, and logging out. Each answers with a Principal for Authorize (app/authorization.hpp).
// Logins, failed logins, second-factor checks and logouts are audited (auth.login, auth.login_failed,
// auth.second_factor, auth.second_factor_failed, auth.recovery_code_used, auth.logout); authenticating a request is
// not (it reads no patient data). Only digests of tokens are stored, and no password, code or token ever reaches the
// audit log. Lifetimes and throttling: app/access_rules.hpp; the second factor: app/second_factor.hpp.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "app/authorization.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/credentials.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// A new browser session: the token for the cookie (stored nowhere, returned this once), the stored session with its
// CSRF token and expiry (and whether it may only enrol a second factor), and who logged in.
struct SessionGrant {
    std::string token;
    BrowserSession session;
    Principal principal;
};

// The answer to a login: the grant, or the refusal; on refusal, how long the caller must wait before another
// attempt on this email can be considered (absent: at once, or, after a lock only an admin lifts, waiting will not
// help). The HTTP layer sends it as Retry-After.
struct LoginAnswer {
    Result<SessionGrant> session;
    std::optional<std::chrono::seconds> retry_after;
};

class Authentication {
public:
    // `store`, `clock` and `credentials` must outlive this object. Thread-safe when they are.
    Authentication(Store& store, const Clock& clock, const Credentials& credentials)
        : store_(store), clock_(clock), credentials_(credentials) {}

    // Starts a browser session for the user with `email` (any case) when `password` is theirs, the user is not
    // disabled and, when they have a confirmed second factor, `code` is a TOTP code of it not used before (one step
    // either side of now) or one of its unused recovery codes.
    //
    // Refusals never say which part was wrong. With no `code`, every refusal is kUnauthenticated field "code"
    // "enter the code of your authenticator app...": the same for a wrong password, an unknown or disabled address
    // and a right password whose user has a second factor, so that asking for the code says nothing about the
    // password (docs/api.md "Logging in"). With a `code`, every refusal is kUnauthenticated "email, password or code
    // is wrong". An unknown address costs the same password verification (against a dummy hash) and the same writes
    // as a known one.
    //
    // Every attempt counts against the address and against the client address `origin`; from the 3rd in a row on
    // the address (NextAttemptAt), or the clinic's access.address_failures_before_wait from the client address
    // (NextAddressAttemptAt), retry_after says how long to wait, and an attempt before then is refused without
    // looking at the password. A user whose role requires a second factor (SecondFactorRequired) but who has none
    // gets a session with enrolment_only set. Other errors: kInvalidArgument "email" for an address of the wrong
    // form, "password" when empty or over kMaxPasswordBytes, "code" when over 64 bytes; kUnavailable.
    LoginAnswer Login(std::string_view email, std::string_view password, std::string_view origin,
                      std::string_view code = "");

    // The principal of a live browser session (SessionIsLive) of a user not disabled; moves its last_seen_at at
    // most once a minute. Error kUnauthenticated for any other token.
    Result<Principal> AuthenticateSession(std::string_view token);
    // OK when `csrf_token` is the session's (compared in constant time), or when `principal` did not authenticate
    // with a browser session (API tokens and the CLI carry no ambient credential to forge). Error kPermissionDenied
    // "csrf_token". The HTTP layer calls it for every state-changing request.
    [[nodiscard]] Status CheckCsrf(const Principal& principal, std::string_view csrf_token) const;
    // Ends the principal's browser session. Errors: kFailedPrecondition when it did not authenticate with one;
    // kUnauthenticated when the session has ended meanwhile.
    Status Logout(const Principal& principal, std::string_view origin);

    // The principal of a bearer API token that is not revoked, of a user not disabled. kUnauthenticated otherwise.
    Result<Principal> AuthenticateApiToken(std::string_view token);

    // A second person confirming one step of another user (the witness of a controlled-substance waste, the second
    // counter of a count) with their own email and password, without starting a session. Throttled and audited
    // exactly as Login (auth.witness on success, auth.login_failed on failure), with Login's errors; the password is
    // verified outside any transaction.
    Result<Principal> ConfirmWitness(std::string_view email, std::string_view password, std::string_view origin);

private:
    // Uses up `code` of the user's confirmed `factor`: a TOTP code of a step not used yet, or an unused recovery
    // code. The audit action to record ("auth.second_factor" or "auth.recovery_code_used"), or empty when refused.
    Result<std::string_view> UseSecondFactor(StoreTransaction& tx, const SecondFactor& factor, std::string_view code,
                                             TimePoint now) const;
    // A hash of a random password with today's parameters, verified in place of a user's for an unknown address.
    Result<std::string> DummyHash();

    Store& store_;
    const Clock& clock_;
    const Credentials& credentials_;
    std::mutex dummy_mutex_;
    std::string dummy_hash_;  // GUARDED_BY(dummy_mutex_); made at the first login
};

}  // namespace kclinic::app
