#pragma once

// The arithmetic of the staff's second factor, without any crypto library (the HMAC comes through the Credentials
// port): time-based one-time passwords (TOTP, RFC 6238, over HOTP, RFC 4226) as authenticator apps compute them,
// the otpauth:// URI their enrolment reads (Google Authenticator's "Key Uri Format", which every common app
// follows), and one-time recovery codes. Pure functions of their inputs; docs/security.md "Second factor" says why
// each value was chosen.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/ports/credentials.hpp"
#include "app/records.hpp"

namespace kclinic::app {

// RFC 6238 §4: a step of X = 30 s from T0 = the Unix epoch, 6 digits, HMAC-SHA-1: the defaults every authenticator
// app applies to a URI that names none. A code is accepted from one step before to one step after the server's
// (RFC 6238 §5.2 recommends at most one step of allowed network delay), and each step at most once (§5.2: the
// verifier must not accept the second attempt of the same OTP).
inline constexpr std::chrono::seconds kTotpPeriod{30};
inline constexpr int kTotpDigits = 6;
inline constexpr std::int64_t kTotpWindowSteps = 1;
// RFC 4226 §4 R6 asks for a shared secret of at least 128 bits and recommends 160: the SHA-1 block's worth.
inline constexpr std::size_t kTotpSecretBytes = 20;
// Recovery codes: ten, each 120 random bits written as 24 base32 letters and digits in groups of four. OWASP ASVS
// 4.0.3 V2.6.2 lets a look-up secret of at least 112 bits be stored as a plain one-way digest, so each is stored as
// the same fast digest as a token (docs/security.md).
inline constexpr int kRecoveryCodeCount = 10;
inline constexpr std::size_t kRecoveryCodeBytes = 15;

// The TOTP time step that `at` falls in: floor((Unix time - T0) / X), RFC 6238 §4.2.
[[nodiscard]] std::int64_t TotpStepAt(TimePoint at);
// The 8-byte big-endian counter HOTP feeds its HMAC (RFC 4226 §5.1, "C"), for `step`.
[[nodiscard]] std::string HotpCounter(std::int64_t step);
// The `digits`-digit one-time password (zero-padded) from the 20-byte HMAC-SHA-1 of a counter: RFC 4226 §5.3's
// dynamic truncation, then modulo 10^digits. `digits` is 6 to 8.
[[nodiscard]] std::string HotpValue(std::string_view hmac_sha1, int digits);

// The time step, from kTotpWindowSteps before the one of `now` to as many after, whose code under the base32 key
// `secret_base32` is `code` (compared in constant time); the earliest when several match, nullopt when none does or
// the key is no base32. Whether that step was used already is the store's to say (UseTotpStep).
[[nodiscard]] std::optional<std::int64_t> MatchingTotpStep(const Credentials& credentials,
                                                           std::string_view secret_base32, std::string_view code,
                                                           TimePoint now);

// Base32 of RFC 4648 §6 (A-Z, 2-7) without padding, as otpauth:// URIs carry secrets.
[[nodiscard]] std::string Base32Encode(std::string_view bytes);
// The bytes of a base32 text (any case; spaces and padding ignored); nullopt for any other character or a length no
// encoding gives.
[[nodiscard]] std::optional<std::string> Base32Decode(std::string_view text);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30, issuer and account
// percent-encoded (RFC 3986 unreserved characters kept).
[[nodiscard]] std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32);

// Whether `code` has the shape of a TOTP code (kTotpDigits ASCII digits), so it is checked as one rather than as a
// recovery code.
[[nodiscard]] bool IsTotpCode(std::string_view code);
// A recovery code as shown to its user: lower-case base32 of kRecoveryCodeBytes random bytes, in groups of four
// joined by '-' ("abcd-efgh-ijkl-mnop-qrst-uvwx").
[[nodiscard]] std::string FormatRecoveryCode(std::string_view random_bytes);
// The canonical form of a recovery code as typed (any case, with or without the dashes or spaces): the one its
// digest is taken of. nullopt when it cannot be one.
[[nodiscard]] std::optional<std::string> NormalizeRecoveryCode(std::string_view typed);

}  // namespace kclinic::app
