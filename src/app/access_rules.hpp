#pragma once

// The rules of access that are policy, not clinical rules: email syntax, the password policy, login throttling
// (backoff, then a lock) and browser-session lifetimes. Pure functions of their inputs, so the arithmetic is tested
// with fixed times. Every constant is listed with its source in docs/security.md.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// Passwords, NIST SP 800-63B-4 §3.1.1.2: at least 15 characters when the password is the only factor, at least 8
// when a second factor is required too; every printing character and space allowed, no composition rules; at
// least 64 characters allowed (1024 bytes hold 256 code points of up to 4 bytes; the bound keeps one hash's input
// small); a blocklist of common and breached passwords (app/common_passwords.hpp).
inline constexpr std::size_t kMinPasswordCharacters = 15;                 // Unicode code points, as §3.1.1.2 counts
inline constexpr std::size_t kMinPasswordCharactersWithSecondFactor = 8;  // the role requires a second factor
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Login throttling (OWASP Authentication Cheat Sheet, "Account Lockout"; NIST SP 800-63B §5.2.2 allows at most 100
// consecutive failed attempts per account; we are stricter). Attempts are counted per email address, known or not,
// and forgotten at a successful login or an admin's unlock.
inline constexpr int kAttemptsBeforeBackoff = 3;         // the 3rd failure in a row makes the next attempt wait 1 s
inline constexpr std::chrono::seconds kFirstBackoff{1};  // then doubling: 1, 2, 4 ... 64 s
inline constexpr int kAttemptsBeforeLock = 10;           // the 10th failure locks the address
inline constexpr std::chrono::minutes kFirstLock{15};    // for 15 min, doubling with each further failure
inline constexpr std::chrono::hours kLongestLock{24};    // up to a day
inline constexpr int kAttemptsBeforeAdminUnlock = 100;   // then only an admin unlocks it (NIST's ceiling)
// The lock that only an admin lifts.
inline constexpr TimePoint kLockedUntilUnlocked = TimePoint::max();

// Browser sessions: NIST SP 800-63B (rev. 3) §4.2.3 has an AAL2 session re-authenticate after 30 minutes of
// inactivity and at least every 12 hours whatever the activity. Touching last_seen_at at most once a minute keeps
// ordinary reads from writing, at the price of an idle timeout accurate to a minute.
inline constexpr std::chrono::minutes kSessionIdleTimeout{30};
inline constexpr std::chrono::hours kSessionLifetime{12};
inline constexpr std::chrono::minutes kSessionTouchInterval{1};

// The canonical (lower-case) form of `email` when its syntax is acceptable: ASCII, one '@', a dot-atom local part of
// at most 64 characters and a domain of at least two labels (letters, digits, '-'), at most 254 characters in all
// (RFC 5321 §4.5.3.1, RFC 5322 §3.4.1). Error kInvalidArgument naming `field`.
[[nodiscard]] Result<std::string> NormalizeEmail(std::string_view email, std::string_view field = "email");

// The password policy above, plus: no control character, not one character repeated, not the email address or its
// local part, not on the list of common passwords (compared ignoring case). `email` is the normalized address;
// `second_factor_required` says whether the user's role must log in with a second factor too (8 characters then,
// else 15). Error kInvalidArgument "password" saying which rule failed (never repeating the password).
[[nodiscard]] Status CheckPasswordPolicy(std::string_view password, std::string_view email,
                                         bool second_factor_required);

// Whether `role` must log in with a second factor under `access` (the clinic's settings). Never for a patient.
[[nodiscard]] bool SecondFactorRequired(const clinical::AccessSettings& access, Role role);

// When the next attempt on an address may be made, given that `attempts` attempts (this one included) have been
// counted since its last success: nullopt (at once) below kAttemptsBeforeBackoff, then `now` plus the backoff or
// the lock above, and kLockedUntilUnlocked from kAttemptsBeforeAdminUnlock on.
[[nodiscard]] std::optional<TimePoint> NextAttemptAt(int attempts, TimePoint now);

// When the next login attempt from one client address may be made, given that `failures` attempts in a row (this
// one included) failed from it: nullopt (at once) below access.address_failures_before_wait, then `now` plus 1 s,
// doubling with each further failure, at most access.address_longest_wait_minutes. Never a lock: an address may be
// a whole clinic's.
[[nodiscard]] std::optional<TimePoint> NextAddressAttemptAt(int failures, TimePoint now,
                                                            const clinical::AccessSettings& access);

// How long a caller refused at `now` by a lock until `locked_until` should wait, in whole seconds rounded up; nullopt
// when waiting will not help (kLockedUntilUnlocked).
[[nodiscard]] std::optional<std::chrono::seconds> RetryAfter(TimePoint locked_until, TimePoint now);

// Whether `session` still authenticates at `now`: not ended, before its absolute expiry, and seen within the idle
// timeout.
[[nodiscard]] bool SessionIsLive(const BrowserSession& session, TimePoint now);
// Whether authenticating `session` at `now` should move its last_seen_at (once per kSessionTouchInterval).
[[nodiscard]] bool SessionNeedsTouch(const BrowserSession& session, TimePoint now);

}  // namespace kclinic::app
