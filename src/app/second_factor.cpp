#include "app/second_factor.hpp"

#include <algorithm>
#include <array>

namespace kclinic::app {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // RFC 4648 §6, Table 3
constexpr std::size_t kRecoveryCodeGroup = 4;
// 24 base32 characters hold the 120 bits of a recovery code exactly.
constexpr std::size_t kRecoveryCodeCharacters = kRecoveryCodeBytes * 8 / 5;

std::optional<unsigned> Base32Value(char c) {
    if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
    }
    const std::size_t at = kBase32Alphabet.find(c);
    return at == std::string_view::npos ? std::nullopt : std::optional<unsigned>(static_cast<unsigned>(at));
}

bool IsUnreserved(char c) {  // RFC 3986 §2.3
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

std::string PercentEncode(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string encoded;
    for (const char c : text) {
        if (IsUnreserved(c)) {
            encoded += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            encoded += '%';
            encoded += kHex.at(byte >> 4U);
            encoded += kHex.at(byte & 0x0FU);
        }
    }
    return encoded;
}

}  // namespace

std::int64_t TotpStepAt(TimePoint at) {
    const auto since_epoch = std::chrono::floor<std::chrono::seconds>(at).time_since_epoch();
    // Floor division, so a time before 1970 (never a real login) still falls in the step that holds it.
    const std::int64_t seconds = since_epoch.count();
    const std::int64_t period = kTotpPeriod.count();
    return seconds >= 0 ? seconds / period : -((-seconds + period - 1) / period);
}

std::string HotpCounter(std::int64_t step) {
    std::string counter(8, '\0');
    auto value = static_cast<std::uint64_t>(step);
    for (std::size_t i = counter.size(); i-- > 0;) {
        counter[i] = static_cast<char>(value & 0xFFU);
        value >>= 8U;
    }
    return counter;
}

std::string HotpValue(std::string_view hmac_sha1, int digits) {
    // RFC 4226 §5.3: the low 4 bits of the last byte give an offset; the 31 bits from there are the number.
    const auto byte = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(hmac_sha1[i]));
    };
    const std::size_t offset = byte(hmac_sha1.size() - 1) & 0x0FU;
    const std::uint32_t binary =
        ((byte(offset) & 0x7FU) << 24U) | (byte(offset + 1) << 16U) | (byte(offset + 2) << 8U) | byte(offset + 3);
    std::uint32_t modulus = 1;
    for (int i = 0; i < digits; ++i) {
        modulus *= 10;
    }
    std::string code = std::to_string(binary % modulus);
    code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
    return code;
}

std::optional<std::int64_t> MatchingTotpStep(const Credentials& credentials, std::string_view secret_base32,
                                             std::string_view code, TimePoint now) {
    const std::optional<std::string> key = Base32Decode(secret_base32);
    if (!key || key->empty() || !IsTotpCode(code)) {
        return std::nullopt;
    }
    const std::int64_t current = TotpStepAt(now);
    for (std::int64_t step = current - kTotpWindowSteps; step <= current + kTotpWindowSteps; ++step) {
        const std::string expected = HotpValue(credentials.HmacSha1(*key, HotpCounter(step)), kTotpDigits);
        if (credentials.SecretsEqual(expected, code)) {
            return step;
        }
    }
    return std::nullopt;
}

std::string Base32Encode(std::string_view bytes) {
    std::string encoded;
    std::uint32_t buffer = 0;
    unsigned bits = 0;
    for (const char c : bytes) {
        buffer = (buffer << 8U) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            encoded += kBase32Alphabet.at((buffer >> bits) & 0x1FU);
        }
    }
    if (bits > 0) {
        encoded += kBase32Alphabet.at((buffer << (5 - bits)) & 0x1FU);
    }
    return encoded;
}

std::optional<std::string> Base32Decode(std::string_view text) {
    std::string bytes;
    std::uint32_t buffer = 0;
    unsigned bits = 0;
    std::size_t characters = 0;
    for (const char c : text) {
        if (c == ' ' || c == '=') {
            continue;
        }
        const std::optional<unsigned> value = Base32Value(c);
        if (!value) {
            return std::nullopt;
        }
        ++characters;
        buffer = (buffer << 5U) | *value;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFFU);
        }
    }
    // A length of 1, 3 or 6 characters modulo 8 is no whole number of bytes (RFC 4648 §6).
    const std::size_t tail = characters % 8;
    if (tail == 1 || tail == 3 || tail == 6) {
        return std::nullopt;
    }
    return bytes;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
    return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
           "?secret=" + std::string(secret_base32) + "&issuer=" + PercentEncode(issuer) +
           "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) + "&period=" + std::to_string(kTotpPeriod.count());
}

bool IsTotpCode(std::string_view code) {
    return code.size() == static_cast<std::size_t>(kTotpDigits) &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string FormatRecoveryCode(std::string_view random_bytes) {
    std::string plain = Base32Encode(random_bytes);
    std::transform(plain.begin(), plain.end(), plain.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    std::string grouped;
    for (std::size_t i = 0; i < plain.size(); i += kRecoveryCodeGroup) {
        if (i > 0) {
            grouped += '-';
        }
        grouped += plain.substr(i, kRecoveryCodeGroup);
    }
    return grouped;
}

std::optional<std::string> NormalizeRecoveryCode(std::string_view typed) {
    std::string canonical;
    for (const char c : typed) {
        if (c == '-' || c == ' ') {
            continue;
        }
        if (!Base32Value(c) || canonical.size() == kRecoveryCodeCharacters) {
            return std::nullopt;
        }
        canonical += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (canonical.size() != kRecoveryCodeCharacters) {
        return std::nullopt;
    }
    return canonical;
}

}  // namespace kclinic::app
