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

namespace kclinic::app {

// Passwords. NIST SP 800-63B (rev. 3) §5.1.1.2 asks for at least 8 characters, every printable character and space
// allowed, and a blocklist of commonly used passwords; we ask for 12. The upper bound keeps one hash's input small.
inline constexpr std::size_t kMinPasswordCharacters = 12;  // Unicode code points, as §5.1.1.2 counts them
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

// The password policy above, plus: not one character repeated, not the email address or its local part, not on
// the built-in list of common passwords (compared ignoring case). `email` is the normalized address. Error
// kInvalidArgument "password" saying which rule failed (never repeating the password).
[[nodiscard]] Status CheckPasswordPolicy(std::string_view password, std::string_view email);

// When the next attempt on an address may be made, given that `attempts` attempts (this one included) have been
// counted since its last success: nullopt (at once) below kAttemptsBeforeBackoff, then `now` plus the backoff or
// the lock above, and kLockedUntilUnlocked from kAttemptsBeforeAdminUnlock on.
[[nodiscard]] std::optional<TimePoint> NextAttemptAt(int attempts, TimePoint now);

// How long a caller refused at `now` by a lock until `locked_until` should wait, in whole seconds rounded up; nullopt
// when waiting will not help (kLockedUntilUnlocked).
[[nodiscard]] std::optional<std::chrono::seconds> RetryAfter(TimePoint locked_until, TimePoint now);

// Whether `session` still authenticates at `now`: not ended, before its absolute expiry, and seen within the idle
// timeout.
[[nodiscard]] bool SessionIsLive(const BrowserSession& session, TimePoint now);
// Whether authenticating `session` at `now` should move its last_seen_at (once per kSessionTouchInterval).
[[nodiscard]] bool SessionNeedsTouch(const BrowserSession& session, TimePoint now);

}  // namespace kclinic::app
