#pragma once

// The Credentials port: password hashing, the random secrets of browser sessions and API tokens, and the HMAC of
// one-time passwords, so the use cases never see a crypto library. Adapter: adapters/crypto (libsodium).
// docs/security.md says which algorithms and limits the adapter uses and why.

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kclinic::app {

class Credentials {
public:
    virtual ~Credentials() = default;

    // A self-describing encoded hash of `password` (algorithm, parameters and salt included), to store. Error
    // kUnavailable when the memory the hash needs cannot be had.
    [[nodiscard]] virtual Result<std::string> HashPassword(std::string_view password) const = 0;
    // True when `password` is the one `encoded` was made from. False for a wrong password and for anything that is
    // not an encoded hash. Takes as long as HashPassword with the parameters in `encoded`.
    [[nodiscard]] virtual bool VerifyPassword(std::string_view encoded, std::string_view password) const = 0;
    // True when `encoded` was made with other parameters than HashPassword uses now (hash it again at the next
    // successful login).
    [[nodiscard]] virtual bool NeedsRehash(std::string_view encoded) const = 0;

    // A new random secret: 32 bytes from the operating system's random generator, encoded base64url without
    // padding (43 characters, safe in cookies, headers and URLs).
    [[nodiscard]] virtual std::string NewToken() const = 0;
    // The digest stored in place of a token (lower-case hex): the same token always gives the same digest, and the
    // token cannot be recovered from it.
    [[nodiscard]] virtual std::string TokenDigest(std::string_view token) const = 0;
    // True when `a` and `b` are equal, in a time that depends on their length only, never on where they differ.
    [[nodiscard]] virtual bool SecretsEqual(std::string_view a, std::string_view b) const = 0;

    // `count` bytes from the operating system's random generator: the secrets of a second factor (a TOTP key,
    // recovery codes), which app/second_factor.hpp encodes.
    [[nodiscard]] virtual std::string RandomBytes(std::size_t count) const = 0;
    // HMAC-SHA-1 (RFC 2104) of `message` under `key`: 20 bytes. Only for TOTP (RFC 6238), whose authenticator apps
    // expect SHA-1; HMAC-SHA-1 is still a sound PRF (RFC 6194 §3.3), nothing else here may use it.
    [[nodiscard]] virtual std::string HmacSha1(std::string_view key, std::string_view message) const = 0;
};

}  // namespace kclinic::app
