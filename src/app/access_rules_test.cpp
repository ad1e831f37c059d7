#include "app/access_rules.hpp"
#include "app/common_passwords.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <string_view>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kclinic::app {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow{milliseconds{1'790'000'000'000LL}};  // 2026-09-21T14:13:20Z

TEST(NormalizeEmail, LowerCasesAcceptableAddresses) {
    for (const auto& [given, expected] : std::vector<std::pair<std::string, std::string>>{
             {"ada@clinic.example", "ada@clinic.example"},
             {"Ada.Lovelace@Clinic.Example", "ada.lovelace@clinic.example"},
             {"o'brien+kclinic@mail-1.clinic.example", "o'brien+kclinic@mail-1.clinic.example"},
             {std::string(64, 'a') + "@clinic.example", std::string(64, 'a') + "@clinic.example"},
         }) {
        Result<std::string> normalized = NormalizeEmail(given);
        ASSERT_TRUE(normalized.ok()) << given << ": " << normalized.error().ToString();
        EXPECT_EQ(*normalized, expected) << given;
    }
}

TEST(NormalizeEmail, RefusesAddressesOfTheWrongForm) {
    for (const std::string& given : std::vector<std::string>{
             "",
             "ada",
             "ada@",
             "@clinic.example",
             "ada@clinic",  // one label
             "ada@@clinic.example",
             "ada@bea@clinic.example",
             ".ada@clinic.example",
             "ada.@clinic.example",
             "ada..lovelace@clinic.example",
             "ada lovelace@clinic.example",
             "ada@clinic..example",
             "ada@-clinic.example",
             "ada@clinic-.example",
             "ada@clinic_example.org",
             "\xc3\xa5"
             "da@clinic.example",  // not ASCII
             "ada@clinic.example\n",
             std::string(65, 'a') + "@clinic.example",
             "a@" + std::string(64, 'b') + ".example",
             "a@" + std::string(61, 'b') + "." + std::string(61, 'c') + "." + std::string(61, 'd') + "." +
                 std::string(61, 'e') + ".example",  // 257 characters
         }) {
        Result<std::string> normalized = NormalizeEmail(given, "--email");
        ASSERT_FALSE(normalized.ok()) << given;
        EXPECT_EQ(normalized.error().code, ErrorCode::kInvalidArgument) << given;
        EXPECT_EQ(normalized.error().field, "--email") << given;
    }
}

// NIST SP 800-63B-4 §3.1.1.2: 15 characters when the password is the only factor, 8 with a second factor, counted as
// Unicode code points; every printing character and space.
TEST(PasswordPolicy, AcceptsFifteenCharactersOrEightWithASecondFactorCountedAsCodePoints) {
    const std::string email = "ada@clinic.example";
    for (const std::string& password : std::vector<std::string>{
             "tulip-granite-7",
             "abcdefghijklmno",  // exactly 15
             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
             "\xc3\xa9"
             "1",                                                           // 14 x e-acute + 1
             "\xe5\xaf\x86\xe7\xa0\x81 correct horse battery",              // CJK and spaces
             "correct horse battery staple", std::string(1023, 'x') + "y",  // 1024 bytes
         }) {
        Status status = CheckPasswordPolicy(password, email, false);
        EXPECT_TRUE(status.ok()) << password.substr(0, 40) << ": " << status.error().ToString();
        EXPECT_TRUE(CheckPasswordPolicy(password, email, true).ok()) << password.substr(0, 40);
    }
    EXPECT_TRUE(CheckPasswordPolicy("tulip-gr", email, true).ok());  // exactly 8 with a second factor
    EXPECT_FALSE(CheckPasswordPolicy("tulip-gr", email, false).ok());
    EXPECT_FALSE(CheckPasswordPolicy("tulip-g", email, true).ok());
}

TEST(PasswordPolicy, RefusesEachRuleWithItsReasonAndNeverThePassword) {
    const std::string email = "ada.lovelace@clinic.example";
    for (const auto& [password, reason] : std::vector<std::pair<std::string, std::string>>{
             {"abcdefghijklmn", "at least 15 characters"},
             {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
              "\xc3\xa9",
              "at least 15 characters"},  // 28 bytes, 14 characters
             {std::string(1025, 'x'), "at most 1024 bytes"},
             {"tulip granite\tseven", "control characters"},
             {"aaaaaaaaaaaaaaaa", "one character repeated"},
             {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
              "\xc3\xa9\xc3\xa9",
              "one character repeated"},
             {"ada.lovelace@clinic.example", "the email address"},
             {"Ada.Lovelace@Clinic.Example", "the email address"},
             {"ADA.LOVELACE-XYZ", ""},  // a longer one is no rule's: checked below to pass
         }) {
        Status status = CheckPasswordPolicy(password, email, false);
        if (reason.empty()) {
            EXPECT_TRUE(status.ok()) << password;
            continue;
        }
        ASSERT_FALSE(status.ok()) << password.substr(0, 40);
        EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(status.error().field, "password");
        EXPECT_NE(status.error().message.find(reason), std::string::npos) << status.error().message;
        EXPECT_EQ(status.error().message.find(password), std::string::npos) << status.error().message;
    }
}

// The list comes from Debian's python3-zxcvbn and john-data at build time (app/common_passwords.hpp): thousands of
// entries, sorted, lower case; long ones and short ones (for a user with a second factor) are refused whatever
// their case.
TEST(PasswordPolicy, RefusesCommonAndBreachedPasswordsFromThePackagedLists) {
    const std::span<const std::string_view> list = CommonPasswords();
    EXPECT_GT(list.size(), 10'000u);
    EXPECT_TRUE(std::ranges::is_sorted(list));
    EXPECT_EQ(std::ranges::adjacent_find(list), list.end());
    for (const std::string& password :
         std::vector<std::string>{"1234567890qwerty", "123456789987654321", "111222333444555"}) {
        Status status = CheckPasswordPolicy(password, "ada@clinic.example", false);
        ASSERT_FALSE(status.ok()) << password;
        EXPECT_NE(status.error().message.find("commonly used or breached"), std::string::npos);
    }
    for (const std::string& password : std::vector<std::string>{"password1", "Sunshine", "QWERTYUIOP", "iloveyou1"}) {
        EXPECT_FALSE(CheckPasswordPolicy(password, "ada@clinic.example", true).ok()) << password;
    }
}

TEST(SecondFactorRequired, DefaultsToAdminAndPrescriberAndNeverAPatient) {
    const clinical::AccessSettings defaults;
    EXPECT_TRUE(SecondFactorRequired(defaults, Role::kAdmin));
    EXPECT_TRUE(SecondFactorRequired(defaults, Role::kPrescriber));
    EXPECT_FALSE(SecondFactorRequired(defaults, Role::kNurse));
    EXPECT_FALSE(SecondFactorRequired(defaults, Role::kTherapist));
    EXPECT_FALSE(SecondFactorRequired(defaults, Role::kFrontDesk));
    EXPECT_FALSE(SecondFactorRequired(defaults, Role::kPatient));
    clinical::AccessSettings nurses = defaults;
    nurses.second_factor_nurse = clinical::SecondFactorPolicy::kRequired;
    nurses.second_factor_admin = clinical::SecondFactorPolicy::kOptional;
    EXPECT_TRUE(SecondFactorRequired(nurses, Role::kNurse));
    EXPECT_FALSE(SecondFactorRequired(nurses, Role::kAdmin));
}

TEST(AddressThrottle, WaitsFromTheSettingDoublingUpToItsLongest) {
    clinical::AccessSettings access;
    access.address_failures_before_wait = 20;
    access.address_longest_wait_minutes = 15;
    EXPECT_EQ(NextAddressAttemptAt(19, kNow, access), std::nullopt);
    EXPECT_EQ(NextAddressAttemptAt(20, kNow, access), kNow + seconds{1});
    EXPECT_EQ(NextAddressAttemptAt(21, kNow, access), kNow + seconds{2});
    EXPECT_EQ(NextAddressAttemptAt(29, kNow, access), kNow + seconds{512});
    EXPECT_EQ(NextAddressAttemptAt(30, kNow, access), kNow + minutes{15});
    EXPECT_EQ(NextAddressAttemptAt(1000, kNow, access), kNow + minutes{15});
}

TEST(LoginThrottle, BacksOffFromTheThirdAttemptThenLocksThenNeedsAnAdmin) {
    struct Case {
        int attempts;
        std::optional<milliseconds> wait;  // nullopt: at once
    };
    for (const Case& c : std::vector<Case>{
             {1, std::nullopt},
             {2, std::nullopt},
             {3, seconds{1}},
             {4, seconds{2}},
             {5, seconds{4}},
             {8, seconds{32}},
             {9, seconds{64}},
             {10, minutes{15}},
             {11, minutes{30}},
             {12, hours{1}},
             {15, hours{8}},
             {16, hours{16}},
             {17, hours{24}},
             {40, hours{24}},
             {99, hours{24}},
         }) {
        const std::optional<TimePoint> next = NextAttemptAt(c.attempts, kNow);
        ASSERT_EQ(next.has_value(), c.wait.has_value()) << c.attempts;
        if (next) {
            EXPECT_EQ(*next - kNow, *c.wait) << c.attempts;
        }
    }
    EXPECT_EQ(NextAttemptAt(100, kNow), kLockedUntilUnlocked);
    EXPECT_EQ(NextAttemptAt(5000, kNow), kLockedUntilUnlocked);
}

TEST(LoginThrottle, RetryAfterRoundsUpToWholeSeconds) {
    EXPECT_EQ(RetryAfter(kNow + milliseconds{1}, kNow), seconds{1});
    EXPECT_EQ(RetryAfter(kNow + milliseconds{1500}, kNow), seconds{2});
    EXPECT_EQ(RetryAfter(kNow + minutes{15}, kNow), seconds{900});
    EXPECT_EQ(RetryAfter(kNow, kNow), seconds{0});
    EXPECT_EQ(RetryAfter(kNow - seconds{5}, kNow), seconds{0});
    EXPECT_EQ(RetryAfter(kLockedUntilUnlocked, kNow), std::nullopt);
}

TEST(BrowserSessionLifetime, IdleAndAbsoluteExpiry) {
    BrowserSession session;
    session.created_at = kNow;
    session.last_seen_at = kNow;
    session.expires_at = kNow + kSessionLifetime;
    EXPECT_TRUE(SessionIsLive(session, kNow));
    EXPECT_TRUE(SessionIsLive(session, kNow + minutes{30} - milliseconds{1}));
    EXPECT_FALSE(SessionIsLive(session, kNow + minutes{30}));  // idle for 30 minutes

    session.last_seen_at = kNow + hours{11} + minutes{59};
    EXPECT_TRUE(SessionIsLive(session, kNow + hours{12} - milliseconds{1}));
    EXPECT_FALSE(SessionIsLive(session, kNow + hours{12}));  // 12 hours after login, however busy

    session.last_seen_at = kNow;
    session.ended_at = kNow + minutes{1};
    EXPECT_FALSE(SessionIsLive(session, kNow + minutes{2}));  // logged out
}

TEST(BrowserSessionLifetime, TouchedAtMostOnceAMinute) {
    BrowserSession session;
    session.last_seen_at = kNow;
    EXPECT_FALSE(SessionNeedsTouch(session, kNow));
    EXPECT_FALSE(SessionNeedsTouch(session, kNow + seconds{59}));
    EXPECT_TRUE(SessionNeedsTouch(session, kNow + seconds{60}));
}

}  // namespace
}  // namespace kclinic::app
