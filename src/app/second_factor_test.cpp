#include "app/second_factor.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace kclinic::app {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(TotpStepAt, StepsEveryThirtySecondsFromTheEpoch) {
    EXPECT_EQ(TotpStepAt(TimePoint{seconds{0}}), 0);
    EXPECT_EQ(TotpStepAt(TimePoint{milliseconds{29'999}}), 0);
    EXPECT_EQ(TotpStepAt(TimePoint{seconds{30}}), 1);
    EXPECT_EQ(TotpStepAt(TimePoint{seconds{59}}), 1);
    EXPECT_EQ(TotpStepAt(TimePoint{seconds{60}}), 2);
    EXPECT_EQ(TotpStepAt(TimePoint{seconds{-1}}), -1);
}

TEST(HotpCounter, IsEightBytesBigEndian) {
    EXPECT_EQ(HotpCounter(0x0102030405060708), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
    EXPECT_EQ(HotpCounter(1), std::string("\0\0\0\0\0\0\0\x01", 8));
}

// RFC 4226 §5.4's worked example: the HMAC 1f8698690e02ca16618550ef7f19da8e945b555a truncates to 0x50ef7f19
// (1357872921), so the 6-digit value is 872921.
TEST(HotpValue, TruncatesAsRfc4226Section54) {
    const std::string mac("\x1f\x86\x98\x69\x0e\x02\xca\x16\x61\x85\x50\xef\x7f\x19\xda\x8e\x94\x5b\x55\x5a", 20);
    EXPECT_EQ(HotpValue(mac, 6), "872921");
    EXPECT_EQ(HotpValue(mac, 8), "57872921");
    // Zero-padded: a number below 10^5 still shows six digits.
    const std::string small("\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
    EXPECT_EQ(HotpValue(small, 6), "000007");
}

TEST(Base32, RoundTripsRfc4648Vectors) {
    // RFC 4648 §10, without the padding.
    EXPECT_EQ(Base32Encode(""), "");
    EXPECT_EQ(Base32Encode("f"), "MY");
    EXPECT_EQ(Base32Encode("fo"), "MZXQ");
    EXPECT_EQ(Base32Encode("foo"), "MZXW6");
    EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
    EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
    EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
    EXPECT_EQ(Base32Decode("MZXW6YTBOI======"), "foobar");
    EXPECT_EQ(Base32Decode("mzxw 6ytb oi"), "foobar");
    EXPECT_EQ(Base32Decode("MZXW6YTB1"), std::nullopt);  // '1' is not base32
    EXPECT_EQ(Base32Decode("MZX"), std::nullopt);        // 3 characters are no whole byte
    EXPECT_EQ(Base32Encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(OtpauthUri, NamesIssuerAccountAndTheDefaultsExplicitly) {
    EXPECT_EQ(OtpauthUri("Demo Clinic", "ada@clinic.example", "GEZDGNBV"),
              "otpauth://totp/Demo%20Clinic:ada%40clinic.example?secret=GEZDGNBV&issuer=Demo%20Clinic"
              "&algorithm=SHA1&digits=6&period=30");
}

TEST(IsTotpCode, IsSixDigits) {
    EXPECT_TRUE(IsTotpCode("012345"));
    EXPECT_FALSE(IsTotpCode("12345"));
    EXPECT_FALSE(IsTotpCode("1234567"));
    EXPECT_FALSE(IsTotpCode("12345a"));
}

TEST(RecoveryCode, IsFormattedInGroupsAndNormalizedAsTyped) {
    const std::string code = FormatRecoveryCode("123456789012345");
    EXPECT_EQ(code, "gezd-gnbv-gy3t-qojq-gezd-gnbv");
    EXPECT_EQ(NormalizeRecoveryCode(code), "gezdgnbvgy3tqojqgezdgnbv");
    EXPECT_EQ(NormalizeRecoveryCode("GEZD GNBV GY3T QOJQ GEZD GNBV"), "gezdgnbvgy3tqojqgezdgnbv");
    EXPECT_EQ(NormalizeRecoveryCode("gezdgnbvgy3tqojqgezdgnbv"), "gezdgnbvgy3tqojqgezdgnbv");
    EXPECT_EQ(NormalizeRecoveryCode("gezd-gnbv-gy3t-qojq-gezd-gnb"), std::nullopt);
    EXPECT_EQ(NormalizeRecoveryCode("gezd-gnbv-gy3t-qojq-gezd-gnbva"), std::nullopt);
    EXPECT_EQ(NormalizeRecoveryCode("gezd-gnbv-gy3t-qojq-gezd-gnb1"), std::nullopt);
    EXPECT_EQ(NormalizeRecoveryCode("123456"), std::nullopt);
}

}  // namespace
}  // namespace kclinic::app
