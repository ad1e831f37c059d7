#pragma once

// Enrolling, showing and resetting a staff member's second factor (RFC 6238 TOTP with one-time recovery codes;
// checking it at login is Authentication's). A user enrols their own: BeginEnrolment makes a key and shows it once
// (base32 and as an otpauth:// URI for the QR code), ConfirmEnrolment takes a first code of it, stores it as
// confirmed, makes the recovery codes (shown this once, stored as digests) and ends every browser session of the
// user, so the next login uses the new factor. An admin resets a lost one. Each is audited:
// second_factor.enrol_begin, second_factor.enrol, second_factor.enrol_failed, second_factor.read,
// second_factor.reset. No key, code or recovery code is ever written to the audit log.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/authorization.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/credentials.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// A key to add to an authenticator app: shown once, at the start of an enrolment.
struct TotpEnrolment {
    std::string secret;       // base32 (RFC 4648), for typing in by hand
    std::string otpauth_uri;  // otpauth://totp/... for the QR code (OtpauthUri)
};

// Where a user stands with their second factor. No key and no recovery code.
struct SecondFactorState {
    bool enrolled = false;  // confirmed
    std::optional<TimePoint> enrolled_at;
    int recovery_codes_left = 0;
    bool required = false;  // the clinic's settings require one for the user's role (SecondFactorRequired)
};

class SecondFactors {
public:
    // `store`, `clock` and `credentials` must outlive this object. Thread-safe when they are. `clock` must be the
    // real time (the access clock of ClinicUseCases), as TOTP codes are.
    SecondFactors(Store& store, const Clock& clock, const Credentials& credentials)
        : store_(store), clock_(clock), credentials_(credentials) {}

    // The principal's own state. kFailedPrecondition "user" for the CLI and API tokens (no user of their own to
    // enrol: only a browser session enrols).
    Result<SecondFactorState> State(const Principal& principal, std::string_view origin);
    // A new key for the principal, replacing one not yet confirmed. Errors: kFailedPrecondition "user" as State, or
    // for a patient (the portal has no second factor yet); kConflict "second_factor" when the user has a confirmed
    // one (an admin resets it first).
    Result<TotpEnrolment> BeginEnrolment(const Principal& principal, std::string_view origin);
    // Confirms the principal's new key with a `code` it shows now (one step either side), and returns the
    // kRecoveryCodeCount recovery codes, shown this once. Ends every browser session of the user. Errors:
    // kFailedPrecondition "user" as State; kNotFound "second_factor" when no enrolment was begun;
    // kInvalidArgument "code" when it is not the key's code now (audited as second_factor.enrol_failed).
    Result<std::vector<std::string>> ConfirmEnrolment(const Principal& principal, std::string_view origin,
                                                      std::string_view code);
    // An admin removes the second factor (and the recovery codes) of the user with `email`, and ends their browser
    // sessions; they enrol again at their next login when their role requires it. Errors: kNotFound "email", and
    // kFailedPrecondition "email" when the user has none.
    Status Reset(const Actor& actor, std::string_view email);

private:
    Store& store_;
    const Clock& clock_;
    const Credentials& credentials_;
};

}  // namespace kclinic::app
