#include "adapters/crypto/sodium_credentials.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <tuple>
#include <vector>

#include "app/second_factor.hpp"

#include <set>
#include <string>

namespace kclinic::adapters::crypto {
namespace {

TEST(SodiumCredentials, HashesWithArgon2idAndVerifies) {
    const SodiumCredentials credentials(PasswordHashCost::kTestOnlyMinimum);
    Result<std::string> hash = credentials.HashPassword("correct horse battery staple");
    ASSERT_TRUE(hash.ok()) << hash.error().ToString();
    EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
    EXPECT_TRUE(credentials.VerifyPassword(*hash, "correct horse battery staple"));
    EXPECT_FALSE(credentials.VerifyPassword(*hash, "correct horse battery stapl"));
    EXPECT_FALSE(credentials.VerifyPassword(*hash, ""));
    EXPECT_FALSE(credentials.VerifyPassword("not a hash", "correct horse battery staple"));
    EXPECT_FALSE(credentials.VerifyPassword("", ""));

    // Each hash has its own salt: the same password never gives the same string twice.
    Result<std::string> again = credentials.HashPassword("correct horse battery staple");
    ASSERT_TRUE(again.ok());
    EXPECT_NE(*again, *hash);
}

TEST(SodiumCredentials, InteractiveLimitsAreUsedAndOlderHashesNeedARehash) {
    const SodiumCredentials interactive;
    Result<std::string> hash = interactive.HashPassword("a long enough passphrase");
    ASSERT_TRUE(hash.ok()) << hash.error().ToString();
    // t=2 passes over m=65536 KiB (libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE), one lane.
    EXPECT_NE(hash->find("$m=65536,t=2,p=1$"), std::string::npos) << *hash;
    EXPECT_TRUE(interactive.VerifyPassword(*hash, "a long enough passphrase"));
    EXPECT_FALSE(interactive.NeedsRehash(*hash));

    const SodiumCredentials minimum(PasswordHashCost::kTestOnlyMinimum);
    Result<std::string> cheap = minimum.HashPassword("a long enough passphrase");
    ASSERT_TRUE(cheap.ok());
    EXPECT_TRUE(interactive.NeedsRehash(*cheap));
    EXPECT_TRUE(interactive.VerifyPassword(*cheap, "a long enough passphrase"));  // the parameters travel with it
    EXPECT_TRUE(interactive.NeedsRehash("not a hash"));
}

TEST(SodiumCredentials, TokensAre32RandomBytesInBase64Url) {
    const SodiumCredentials credentials(PasswordHashCost::kTestOnlyMinimum);
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string token = credentials.NewToken();
        ASSERT_EQ(token.size(), 43u) << token;
        for (char c : token) {
            EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_')
                << token;
        }
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(SodiumCredentials, DigestIsBlake2b256InHex) {
    const SodiumCredentials credentials(PasswordHashCost::kTestOnlyMinimum);
    // BLAKE2b-256 of the empty input (RFC 7693 defines BLAKE2b; this is its 32-byte, unkeyed output).
    EXPECT_EQ(credentials.TokenDigest(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    const std::string token = credentials.NewToken();
    EXPECT_EQ(credentials.TokenDigest(token), credentials.TokenDigest(token));
    EXPECT_NE(credentials.TokenDigest(token), credentials.TokenDigest(token + "x"));
    EXPECT_EQ(credentials.TokenDigest(token).size(), 64u);
}

TEST(SodiumCredentials, SecretsEqualComparesWholeSecrets) {
    const SodiumCredentials credentials(PasswordHashCost::kTestOnlyMinimum);
    EXPECT_TRUE(credentials.SecretsEqual("abc", "abc"));
    EXPECT_TRUE(credentials.SecretsEqual("", ""));
    EXPECT_FALSE(credentials.SecretsEqual("abc", "abd"));
    EXPECT_FALSE(credentials.SecretsEqual("abc", "abcd"));
    EXPECT_FALSE(credentials.SecretsEqual("abc", ""));
}

// RFC 2202 §3, test case 2: HMAC-SHA-1 with the key "Jefe".
TEST(SodiumCredentials, HmacSha1MatchesRfc2202) {
    const SodiumCredentials credentials(PasswordHashCost::kTestOnlyMinimum);
    const std::string mac = credentials.HmacSha1("Jefe", "what do ya want for nothing?");
    ASSERT_EQ(mac.size(), 20u);
    std::string hex;
    for (const char c : mac) {
        constexpr std::string_view kHex = "0123456789abcdef";
        hex += kHex.at(static_cast<unsigned char>(c) >> 4U);
        hex += kHex.at(static_cast<unsigned char>(c) & 0x0FU);
    }
    EXPECT_EQ(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890", 8 digits, at the published times; and the 6-digit
// codes an authenticator app shows then, which are the last 6 of the 8 (both are the same 31-bit number modulo a
// power of ten).
TEST(SodiumCredentials, TotpMatchesRfc6238AppendixB) {
    const SodiumCredentials credentials(PasswordHashCost::kTestOnlyMinimum);
    const std::string seed = "12345678901234567890";
    const std::vector<std::tuple<std::int64_t, std::int64_t, std::string>> vectors = {
        {59, 0x1, "94287082"},
        {1111111109, 0x23523EC, "07081804"},
        {1111111111, 0x23523ED, "14050471"},
        {1234567890, 0x273EF07, "89005924"},
        {2000000000, 0x3F940AA, "69279037"},
        {20000000000, 0x27BC86AA, "65353130"},
    };
    for (const auto& [unix_seconds, step, expected] : vectors) {
        const app::TimePoint at{std::chrono::seconds{unix_seconds}};
        EXPECT_EQ(app::TotpStepAt(at), step) << unix_seconds;
        const std::string mac = credentials.HmacSha1(seed, app::HotpCounter(app::TotpStepAt(at)));
        EXPECT_EQ(app::HotpValue(mac, 8), expected) << unix_seconds;
        EXPECT_EQ(app::HotpValue(mac, app::kTotpDigits), expected.substr(2)) << unix_seconds;
    }
}

TEST(SodiumCredentials, RandomBytesAreFreshEachTime) {
    const SodiumCredentials credentials(PasswordHashCost::kTestOnlyMinimum);
    const std::string a = credentials.RandomBytes(app::kTotpSecretBytes);
    const std::string b = credentials.RandomBytes(app::kTotpSecretBytes);
    EXPECT_EQ(a.size(), app::kTotpSecretBytes);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace kclinic::adapters::crypto
