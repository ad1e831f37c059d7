#pragma once

// The Credentials port on libsodium (docs/security.md): Argon2id password hashes (crypto_pwhash_str_alg), secrets
// from randombytes_buf, BLAKE2b-256 token digests (crypto_generichash) and sodium_memcmp; HMAC-SHA-1 for TOTP from
// OpenSSL. sodium.h and OpenSSL's headers appear only in the .cpp file.

#include <cstddef>
#include <string>
#include <string_view>

#include "app/ports/credentials.hpp"

namespace kclinic::adapters::crypto {

// How much work one password hash costs.
enum class PasswordHashCost {
    // libsodium's interactive limits (Argon2id, 2 passes over 64 MiB), its guidance for online logins. Every
    // composition root uses this.
    kInteractive,
    // Argon2id's minimum (1 pass over 8 KiB): for tests that hash many passwords, never for stored ones.
    kTestOnlyMinimum,
};

class SodiumCredentials final : public app::Credentials {
public:
    // Initialises libsodium (idempotent, thread-safe). Throws std::runtime_error when it cannot (no usable random
    // source): nothing secret can be made then.
    explicit SodiumCredentials(PasswordHashCost cost = PasswordHashCost::kInteractive);

    [[nodiscard]] Result<std::string> HashPassword(std::string_view password) const override;
    [[nodiscard]] bool VerifyPassword(std::string_view encoded, std::string_view password) const override;
    [[nodiscard]] bool NeedsRehash(std::string_view encoded) const override;
    [[nodiscard]] std::string NewToken() const override;
    [[nodiscard]] std::string TokenDigest(std::string_view token) const override;
    [[nodiscard]] bool SecretsEqual(std::string_view a, std::string_view b) const override;
    [[nodiscard]] std::string RandomBytes(std::size_t count) const override;
    // OpenSSL's HMAC (libsodium has HMAC-SHA-256 and -512, not the SHA-1 that TOTP apps use).
    [[nodiscard]] std::string HmacSha1(std::string_view key, std::string_view message) const override;

private:
    unsigned long long opslimit_;  // libsodium's own type
    std::size_t memlimit_;
};

}  // namespace kclinic::adapters::crypto
