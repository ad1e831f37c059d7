#include "app/access_rules.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "app/common_passwords.hpp"

namespace kclinic::app {
namespace {

constexpr std::size_t kMaxEmailLength = 254;     // RFC 5321 §4.5.3.1.3: a 256-octet path less its angle brackets
constexpr std::size_t kMaxLocalPartLength = 64;  // RFC 5321 §4.5.3.1.1
constexpr std::size_t kMaxLabelLength = 63;      // RFC 1035 §2.3.4

char LowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Lower(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), LowerAscii);
    return lower;
}

bool IsAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// atext of RFC 5322 §3.2.3.
bool IsAtext(char c) {
    return IsAlphanumeric(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

Status CheckLocalPart(std::string_view local, const std::string& field) {
    if (local.empty() || local.size() > kMaxLocalPartLength) {
        return InvalidArgument(
            field, "the part before '@' must have 1 to " + std::to_string(kMaxLocalPartLength) + " characters");
    }
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
        return InvalidArgument(field, "the part before '@' must not begin or end with '.' or hold \"..\"");
    }
    if (!std::all_of(local.begin(), local.end(), [](char c) { return c == '.' || IsAtext(c); })) {
        return InvalidArgument(field, "the part before '@' may hold only letters, digits and !#$%&'*+-/=?^_`{|}~.");
    }
    return Status::Ok();
}

Status CheckDomain(std::string_view domain, const std::string& field) {
    std::size_t labels = 0;
    while (true) {
        const std::size_t dot = domain.find('.');
        const std::string_view label = domain.substr(0, dot);
        ++labels;
        if (label.empty() || label.size() > kMaxLabelLength || label.front() == '-' || label.back() == '-' ||
            !std::all_of(label.begin(), label.end(), [](char c) { return c == '-' || IsAlphanumeric(c); })) {
            return InvalidArgument(field,
                                   "the domain must be labels of letters, digits and '-' (not at either end) "
                                   "separated by '.'");
        }
        if (dot == std::string_view::npos) {
            break;
        }
        domain.remove_prefix(dot + 1);
    }
    if (labels < 2) {
        return InvalidArgument(field, "the domain must have at least two labels, as in clinic.example");
    }
    return Status::Ok();
}

// The password split into its UTF-8 code points (a continuation byte joins the code point before it).
std::vector<std::string_view> CodePoints(std::string_view text) {
    std::vector<std::string_view> points;
    std::size_t start = 0;
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
            points.push_back(text.substr(start, i - start));
            start = i;
        }
    }
    return points;
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view email, std::string_view field) {
    const std::string name(field);
    if (email.empty()) {
        return InvalidArgument(name, "is required");
    }
    if (email.size() > kMaxEmailLength) {
        return InvalidArgument(name, "must be at most " + std::to_string(kMaxEmailLength) + " characters");
    }
    const std::size_t at = email.find('@');
    if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
        return InvalidArgument(name, "must be one address of the form name@clinic.example");
    }
    RETURN_IF_ERROR(CheckLocalPart(email.substr(0, at), name));
    RETURN_IF_ERROR(CheckDomain(email.substr(at + 1), name));
    return Lower(email);
}

Status CheckPasswordPolicy(std::string_view password, std::string_view email, bool second_factor_required) {
    if (password.size() > kMaxPasswordBytes) {
        return InvalidArgument("password", "must be at most " + std::to_string(kMaxPasswordBytes) + " bytes");
    }
    const std::vector<std::string_view> points = CodePoints(password);
    const std::size_t minimum =
        second_factor_required ? kMinPasswordCharactersWithSecondFactor : kMinPasswordCharacters;
    if (points.size() < minimum) {
        return InvalidArgument("password", "must have at least " + std::to_string(minimum) + " characters");
    }
    // Every printing character and space is allowed (§3.1.1.2); a control character is no character one types.
    if (std::any_of(password.begin(), password.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte < 0x20U || byte == 0x7FU;
        })) {
        return InvalidArgument("password", "must not hold control characters (tab, line break and the like)");
    }
    if (std::all_of(points.begin(), points.end(), [&](std::string_view point) { return point == points.front(); })) {
        return InvalidArgument("password", "must not be one character repeated");
    }
    const std::string lower = Lower(password);
    if (lower == email || lower == email.substr(0, email.find('@'))) {
        return InvalidArgument("password", "must not be the email address");
    }
    if (std::ranges::binary_search(CommonPasswords(), std::string_view(lower))) {
        return InvalidArgument("password", "is a commonly used or breached password; choose another");
    }
    return Status::Ok();
}

bool SecondFactorRequired(const clinical::AccessSettings& access, Role role) {
    using clinical::SecondFactorPolicy;
    switch (role) {
        case Role::kAdmin:
            return access.second_factor_admin == SecondFactorPolicy::kRequired;
        case Role::kPrescriber:
            return access.second_factor_prescriber == SecondFactorPolicy::kRequired;
        case Role::kNurse:
            return access.second_factor_nurse == SecondFactorPolicy::kRequired;
        case Role::kTherapist:
            return access.second_factor_therapist == SecondFactorPolicy::kRequired;
        case Role::kFrontDesk:
            return access.second_factor_front_desk == SecondFactorPolicy::kRequired;
        case Role::kPatient:
            return false;
    }
    return false;
}

std::optional<TimePoint> NextAddressAttemptAt(int failures, TimePoint now, const clinical::AccessSettings& access) {
    if (failures < access.address_failures_before_wait) {
        return std::nullopt;
    }
    const std::chrono::seconds longest = std::chrono::minutes{access.address_longest_wait_minutes};
    // 1 s doubled 12 times passes the longest wait the settings allow (60 min); the shift stays far from overflow.
    const int doublings = std::min(failures - access.address_failures_before_wait, 12);
    return now + std::min<std::chrono::seconds>(std::chrono::seconds{1LL << doublings}, longest);
}

std::optional<TimePoint> NextAttemptAt(int attempts, TimePoint now) {
    if (attempts < kAttemptsBeforeBackoff) {
        return std::nullopt;
    }
    if (attempts < kAttemptsBeforeLock) {
        return now + kFirstBackoff * (1 << (attempts - kAttemptsBeforeBackoff));
    }
    if (attempts < kAttemptsBeforeAdminUnlock) {
        // 15 min doubled with each failure reaches a day within 7 doublings; the shift stays far from overflow.
        const int doublings = std::min(attempts - kAttemptsBeforeLock, 7);
        const std::chrono::minutes lock = std::min<std::chrono::minutes>(kFirstLock * (1 << doublings), kLongestLock);
        return now + lock;
    }
    return kLockedUntilUnlocked;
}

std::optional<std::chrono::seconds> RetryAfter(TimePoint locked_until, TimePoint now) {
    if (locked_until == kLockedUntilUnlocked) {
        return std::nullopt;
    }
    if (locked_until <= now) {
        return std::chrono::seconds{0};
    }
    return std::chrono::ceil<std::chrono::seconds>(locked_until - now);
}

bool SessionIsLive(const BrowserSession& session, TimePoint now) {
    return !session.ended_at && now < session.expires_at && now - session.last_seen_at < kSessionIdleTimeout;
}

bool SessionNeedsTouch(const BrowserSession& session, TimePoint now) {
    return now - session.last_seen_at >= kSessionTouchInterval;
}

}  // namespace kclinic::app
