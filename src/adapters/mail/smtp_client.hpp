#pragma once

// An SMTP client (RFC 5321) that delivers one outbox message per connection to the clinic's relay: EHLO, STARTTLS
// when the server offers it (RFC 3207; the certificate verified against the system's trust store or a given CA
// file, unless configured off), AUTH PLAIN or LOGIN (RFC 4954) only over TLS, MAIL FROM, RCPT TO, DATA.
// Boost.Asio and OpenSSL are compiled in smtp_client.cpp only; this header includes neither.

#include <chrono>
#include <cstdint>
#include <string>

#include "app/records.hpp"

namespace kclinic::adapters::mail {

enum class SmtpTls {
    kStartTlsWhenOffered,  // upgrade when the server offers STARTTLS, else send in the clear (no credentials)
    kRequireStartTls,      // never send in the clear: a server without STARTTLS is an error
    kOff,                  // never upgrade (a relay on loopback)
};

struct SmtpSettings {
    std::string host;
    std::uint16_t port = 25;
    std::string from;  // "reminders@clinic.example" or "Lakeside Clinic <reminders@clinic.example>"; ASCII
    std::string helo_name = "localhost";  // the name EHLO gives: this host's
    SmtpTls tls = SmtpTls::kStartTlsWhenOffered;
    bool verify_certificate = true;  // false accepts any certificate (a test relay's self-signed one)
    std::string ca_file;             // PEM file of the CAs to trust besides the system's; empty: the system's only
    std::string username;            // empty: no AUTH
    std::string password;
    // The whole of one delivery, connection to the server's answer to the message's end: a server that takes
    // longer is cut off (a transient failure). The sender's claim outlasts it (outbox_sender.hpp).
    std::chrono::seconds timeout{60};
};

struct SmtpDelivery {
    enum class Outcome {
        kDelivered,  // the server answered 2xx to the message: it has taken responsibility for it
        kTransient,  // 4xx, a refused or lost connection, a timeout, a TLS failure: try again later
        kPermanent,  // 5xx to the sender, the recipient or the message: it will never be taken as it is
    };
    Outcome outcome = Outcome::kTransient;
    // The server's reply ("550 5.1.1 <x@y>: mailbox unavailable") or what failed ("connecting to
    // mail.example:25: Connection refused"); for kDelivered, the server's answer to the message.
    std::string detail;
};

// Delivers messages with `settings`. Each Deliver opens its own connection, so one client is used by one thread at a
// time (the sender loop's); it keeps no state between deliveries.
class SmtpClient {
public:
    explicit SmtpClient(SmtpSettings settings);

    // Sends `message` to its recipient, dated `now`, with Message-ID MessageIdOf(its idempotency key). A 5xx to the
    // greeting, EHLO, STARTTLS or AUTH concerns the server or this configuration, not the message: transient, so
    // mending the configuration delivers the messages waiting. A recipient or subject with a line break (or a
    // recipient with '<', '>' or a space) is refused as permanent without connecting. Never throws.
    [[nodiscard]] SmtpDelivery Deliver(const app::OutboxMessage& message, app::TimePoint now) const;

    [[nodiscard]] const SmtpSettings& settings() const { return settings_; }

private:
    SmtpSettings settings_;
};

}  // namespace kclinic::adapters::mail
