#include "adapters/mail/mail_message.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace kclinic::adapters::mail {
namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";
// RFC 2045 §6.7 (5): encoded lines are at most 76 characters, the soft line break's '=' included.
constexpr std::size_t kQuotedPrintableWidth = 76;

bool IsAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x7E && (byte >= 0x20 || c == '\t');
    });
}

// RFC 5322 §3.2.3 atext.
bool IsAtext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// A header field whose value is ASCII as it is; otherwise RFC 2047 encoded-words ("=?UTF-8?B?...?="), each of at
// most 39 bytes of text (64 characters encoded, so "Subject: " and one word fit 78), folded onto continuation
// lines, never splitting a UTF-8 character.
std::string HeaderField(std::string_view name, std::string_view value) {
    if (IsAscii(value)) {
        return std::string(name) + ": " + std::string(value) + "\r\n";
    }
    std::string field = std::string(name) + ":";
    std::size_t start = 0;
    while (start < value.size()) {
        std::size_t end = std::min(value.size(), start + 39);
        while (end < value.size() && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) {
            --end;  // a continuation byte: end before the character it belongs to
        }
        field +=
            (start == 0 ? " " : "\r\n ") + std::string("=?UTF-8?B?") + Base64(value.substr(start, end - start)) + "?=";
        start = end;
    }
    return field + "\r\n";
}

std::string Domain(std::string_view from) {
    const std::string address = EnvelopeAddress(from);
    const std::size_t at = address.rfind('@');
    return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

}  // namespace

std::string EnvelopeAddress(std::string_view from) {
    const std::size_t open = from.rfind('<');
    const std::size_t close = from.rfind('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        return std::string(from);
    }
    return std::string(from.substr(open + 1, close - open - 1));
}

std::string MessageIdOf(std::string_view idempotency_key, std::string_view from_address) {
    std::string left;
    for (const char c : idempotency_key) {
        left += IsAtext(c) ? c : '-';
    }
    return "<" + left + "@" + Domain(from_address) + ">";
}

std::string MailDate(app::TimePoint at) {
    static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::chrono::sys_seconds seconds = std::chrono::floor<std::chrono::seconds>(at);
    const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(seconds);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{seconds - day};
    std::array<char, 40> text{};
    std::snprintf(text.data(), text.size(), "%s, %02u %s %04d %02d:%02d:%02d +0000",
                  kDays[std::chrono::weekday{day}.c_encoding()].data(), static_cast<unsigned>(date.day()),
                  kMonths[static_cast<unsigned>(date.month()) - 1].data(), static_cast<int>(date.year()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return text.data();
}

std::string Base64(std::string_view bytes) {
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string encoded;
    encoded.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t group = 0;
        for (std::size_t j = 0; j < 3; ++j) {
            group = (group << 8) | (j < count ? static_cast<unsigned char>(bytes[i + j]) : 0U);
        }
        for (std::size_t j = 0; j < 4; ++j) {
            encoded += j <= count ? kAlphabet[(group >> (18 - 6 * j)) & 0x3F] : '=';
        }
    }
    return encoded;
}

std::string QuotedPrintable(std::string_view text) {
    std::string encoded;
    std::size_t line_length = 0;
    const auto append = [&](std::string_view piece) {
        if (line_length + piece.size() > kQuotedPrintableWidth - 1) {  // room for a soft break's '='
            encoded += "=\r\n";
            line_length = 0;
        }
        encoded += piece;
        line_length += piece.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;  // the "\n" that follows ends the line
        }
        if (c == '\n') {
            encoded += "\r\n";
            line_length = 0;
            continue;
        }
        const bool line_end_follows = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
        const auto byte = static_cast<unsigned char>(c);
        // Literal: printable ASCII but '=', and space or tab except right before a line end (RFC 2045 §6.7 (3)).
        const bool literal = (byte >= 33 && byte <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end_follows);
        if (literal) {
            append(std::string_view(&c, 1));
        } else {
            const std::array<char, 3> escaped = {'=', kHex[byte >> 4], kHex[byte & 0x0F]};
            append(std::string_view(escaped.data(), escaped.size()));
        }
    }
    return encoded;
}

std::string FormatMessage(const app::OutboxMessage& message, std::string_view from_address, app::TimePoint sent_at) {
    std::string text;
    text += HeaderField("Date", MailDate(sent_at));
    text += HeaderField("From", from_address);
    text += HeaderField("To", message.recipient);
    text += HeaderField("Subject", message.subject);
    text += HeaderField("Message-ID", MessageIdOf(message.idempotency_key, from_address));
    text += "MIME-Version: 1.0\r\n";
    text += "Content-Type: text/plain; charset=utf-8\r\n";
    text += "Content-Transfer-Encoding: quoted-printable\r\n";
    text += "\r\n";
    text += QuotedPrintable(message.body);
    if (text.size() < 2 || text.compare(text.size() - 2, 2, "\r\n") != 0) {
        text += "\r\n";
    }
    return text;
}

std::string DotStuffed(std::string_view message) {
    std::string stuffed;
    stuffed.reserve(message.size() + 8);
    bool line_start = true;
    for (const char c : message) {
        if (line_start && c == '.') {
            stuffed += '.';
        }
        stuffed += c;
        line_start = c == '\n';
    }
    if (!line_start) {
        stuffed += "\r\n";
    }
    return stuffed + ".\r\n";
}

}  // namespace kclinic::adapters::mail
