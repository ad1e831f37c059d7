#include "adapters/crypto/sodium_credentials.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

namespace kclinic::adapters::crypto {
namespace {

constexpr std::size_t kTokenBytes = 32;  // 256 bits: no guessing, and a plain digest is enough to store it
constexpr std::size_t kDigestBytes = crypto_generichash_BYTES;  // BLAKE2b-256

}  // namespace

SodiumCredentials::SodiumCredentials(PasswordHashCost cost)
    : opslimit_(cost == PasswordHashCost::kInteractive ? crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE
                                                       : crypto_pwhash_argon2id_OPSLIMIT_MIN),
      memlimit_(cost == PasswordHashCost::kInteractive ? crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE
                                                       : crypto_pwhash_argon2id_MEMLIMIT_MIN) {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not be initialised (no usable random source)");
    }
}

Result<std::string> SodiumCredentials::HashPassword(std::string_view password) const {
    std::array<char, crypto_pwhash_STRBYTES> encoded{};
    if (crypto_pwhash_str_alg(encoded.data(), password.data(), password.size(), opslimit_, memlimit_,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return Error{ErrorCode::kUnavailable, "", "not enough memory to hash a password"};
    }
    return std::string(encoded.data());
}

bool SodiumCredentials::VerifyPassword(std::string_view encoded, std::string_view password) const {
    if (encoded.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    std::array<char, crypto_pwhash_STRBYTES> terminated{};
    encoded.copy(terminated.data(), encoded.size());
    return crypto_pwhash_str_verify(terminated.data(), password.data(), password.size()) == 0;
}

bool SodiumCredentials::NeedsRehash(std::string_view encoded) const {
    if (encoded.size() >= crypto_pwhash_STRBYTES) {
        return true;
    }
    std::array<char, crypto_pwhash_STRBYTES> terminated{};
    encoded.copy(terminated.data(), encoded.size());
    // 1: other parameters; -1: not an Argon2id string at all. Both call for a new hash.
    return crypto_pwhash_str_needs_rehash(terminated.data(), opslimit_, memlimit_) != 0;
}

std::string SodiumCredentials::NewToken() const {
    std::array<unsigned char, kTokenBytes> random{};
    randombytes_buf(random.data(), random.size());
    constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::array<char, sodium_base64_ENCODED_LEN(kTokenBytes, kVariant)> encoded{};
    sodium_bin2base64(encoded.data(), encoded.size(), random.data(), random.size(), kVariant);
    return {encoded.data()};
}

std::string SodiumCredentials::TokenDigest(std::string_view token) const {
    std::array<unsigned char, kDigestBytes> digest{};
    crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                       nullptr, 0);
    std::array<char, kDigestBytes * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return {hex.data()};
}

bool SodiumCredentials::SecretsEqual(std::string_view a, std::string_view b) const {
    // The length of a token is no secret (every token has the same); only its bytes are compared in constant time.
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string SodiumCredentials::RandomBytes(std::size_t count) const {
    std::string bytes(count, '\0');
    randombytes_buf(bytes.data(), bytes.size());
    return bytes;
}

std::string SodiumCredentials::HmacSha1(std::string_view key, std::string_view message) const {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    // HMAC() fails only for an unknown digest or an allocation failure; SHA-1 is always built into libcrypto.
    if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
             &length) == nullptr) {
        throw std::runtime_error("OpenSSL could not compute an HMAC-SHA-1");
    }
    return {reinterpret_cast<const char*>(digest.data()), length};
}

}  // namespace kclinic::adapters::crypto
