#pragma once

// An outbox message as the bytes of an Internet message (RFC 5322 with MIME, RFC 2045-2047) and the SMTP DATA that
// carries it (RFC 5321 §4.5.2). Pure text work, no sockets: smtp_client.cpp sends what these return.

#include <string>
#include <string_view>

#include "app/records.hpp"

namespace kclinic::adapters::mail {

// The address of a From value, "reminders@clinic.example" or "Lakeside Clinic <reminders@clinic.example>": what
// stands between the last '<' and '>', else the whole value. SMTP's MAIL FROM carries it.
[[nodiscard]] std::string EnvelopeAddress(std::string_view from);

// The Message-ID of an outbox message, "<id-left@domain>" (RFC 5322 §3.6.4): its idempotency key with every
// character that may not stand in a dot-atom (':' among them) written as '-', at the domain of `from` (a From
// value as EnvelopeAddress reads it).
// The same message always gets the same Message-ID, so a receiver can drop a second copy.
[[nodiscard]] std::string MessageIdOf(std::string_view idempotency_key, std::string_view from);

// The message: Date (`sent_at`, UTC), From, To, Subject (RFC 2047 encoded-word when not ASCII), Message-ID,
// MIME-Version, Content-Type text/plain; charset=utf-8 and Content-Transfer-Encoding quoted-printable, then the body
// with CRLF line ends. Every line fits RFC 5322's 78 characters (the encoded subject folds).
[[nodiscard]] std::string FormatMessage(const app::OutboxMessage& message, std::string_view from_address,
                                        app::TimePoint sent_at);

// `message` ready for DATA: a line starting with '.' gets a second one (RFC 5321 §4.5.2), ended by CRLF "." CRLF.
[[nodiscard]] std::string DotStuffed(std::string_view message);

// `text` (UTF-8, "\n" or "\r\n" line ends) as quoted-printable (RFC 2045 §6.7) with CRLF line ends, lines at most
// 76 characters.
[[nodiscard]] std::string QuotedPrintable(std::string_view text);

// RFC 4648 base64 of `bytes` (AUTH PLAIN and LOGIN, encoded-words).
[[nodiscard]] std::string Base64(std::string_view bytes);

// RFC 5322 §3.3 date-time in UTC: "Tue, 22 Sep 2026 09:30:00 +0000".
[[nodiscard]] std::string MailDate(app::TimePoint at);

}  // namespace kclinic::adapters::mail
