#include "adapters/crypto/sodium_credentials.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kclinic::adapters::crypto
