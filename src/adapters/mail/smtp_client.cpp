// The one translation unit with Boost.Asio and OpenSSL for mail. Synchronous in shape, asynchronous underneath: each
// step starts an Asio operation and runs the private io_context until the operation completes or the delivery's
// deadline passes, when the socket is closed (Asio's own "timeouts" example, blocking_tcp_client.cpp, does the
// same), so no step can hang the sender loop.

#include "adapters/mail/smtp_client.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "adapters/mail/mail_message.hpp"

namespace kclinic::adapters::mail {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;
using Outcome = SmtpDelivery::Outcome;

struct Reply {
    int code = 0;
    std::vector<std::string> lines;  // the text of each line, after the code and its separator
    std::string text;                // the reply as the server wrote it, lines joined by " "
};

SmtpDelivery Transient(std::string detail) {
    return SmtpDelivery{Outcome::kTransient, std::move(detail)};
}

// A reply other than `expected` (or 251 "will forward" for RCPT) at a step about the message: 5xx is permanent,
// anything else transient.
SmtpDelivery Refused(const Reply& reply) {
    return SmtpDelivery{reply.code >= 500 && reply.code < 600 ? Outcome::kPermanent : Outcome::kTransient, reply.text};
}

// The TLS client context: TLS 1.2 or newer; the system's trusted CAs and `settings.ca_file`'s when certificates
// are verified. What fails to load is written to `error` and reported when STARTTLS needs it, so a server without
// STARTTLS is unaffected.
ssl::context TlsContext(const SmtpSettings& settings, std::string& error) {
    ssl::context context(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    if (settings.verify_certificate) {
        error_code failed;
        static_cast<void>(context.set_default_verify_paths(failed));
        if (!failed && !settings.ca_file.empty()) {
            static_cast<void>(context.load_verify_file(settings.ca_file, failed));
        }
        if (failed) {
            error = "loading the trusted certificates " + settings.ca_file + ": " + failed.message();
        }
    }
    return context;
}

class Session {
public:
    explicit Session(const SmtpSettings& settings)
        : settings_(settings),
          deadline_(std::chrono::steady_clock::now() + settings.timeout),
          context_(TlsContext(settings, context_error_)),
          stream_(io_, context_) {}

    SmtpDelivery Deliver(const app::OutboxMessage& message, app::TimePoint now) {
        if (std::optional<SmtpDelivery> failed = Connect()) {
            return *failed;
        }
        Result<Reply> greeting = ReadReply();
        if (!greeting.ok()) {
            return Transient(greeting.error().message);
        }
        if (greeting->code != 220) {
            return Transient("the server's greeting: " + greeting->text);
        }
        Result<std::set<std::string>> extensions = Ehlo();
        if (!extensions.ok()) {
            return Transient(extensions.error().message);
        }
        if (settings_.tls != SmtpTls::kOff && extensions->contains("STARTTLS")) {
            if (std::optional<SmtpDelivery> failed = StartTls()) {
                return *failed;
            }
            extensions = Ehlo();  // RFC 3207 §4.2: what the server offers may change once encrypted
            if (!extensions.ok()) {
                return Transient(extensions.error().message);
            }
        } else if (settings_.tls == SmtpTls::kRequireStartTls) {
            return Transient("the server offers no STARTTLS, and TLS is required (smtp tls: required)");
        }
        if (!settings_.username.empty()) {
            if (std::optional<SmtpDelivery> failed = Authenticate(*extensions)) {
                return *failed;
            }
        }

        const std::vector<std::pair<std::string, int>> envelope = {
            {"MAIL FROM:<" + EnvelopeAddress(settings_.from) + ">", 250},
            {"RCPT TO:<" + message.recipient + ">", 250},
            {"DATA", 354},
        };
        for (const auto& [command, expected] : envelope) {
            Result<Reply> reply = Command(command);
            if (!reply.ok()) {
                return Transient(reply.error().message);
            }
            if (reply->code != expected && !(expected == 250 && reply->code == 251)) {
                return Refused(*reply);
            }
        }
        Result<Reply> accepted = Send(DotStuffed(FormatMessage(message, settings_.from, now)));
        if (!accepted.ok()) {
            return Transient(accepted.error().message);
        }
        if (accepted->code != 250) {
            return Refused(*accepted);
        }
        static_cast<void>(Command("QUIT"));  // the message is the server's now; how QUIT goes changes nothing
        return SmtpDelivery{Outcome::kDelivered, accepted->text};
    }

private:
    // Runs the operation `start` begins until it completes or the deadline passes; then closes the socket, which
    // ends the operation, and reports the timeout.
    template <typename Start>
    error_code Run(Start start) {
        error_code result = net::error::would_block;
        start([&result](error_code ec, auto&&...) { result = ec; });
        io_.restart();
        io_.run_until(deadline_);
        if (result == net::error::would_block) {
            error_code ignored;
            static_cast<void>(stream_.next_layer().close(ignored));
            io_.restart();
            io_.run();  // lets the cancelled operation finish
            return net::error::timed_out;
        }
        return result;
    }

    [[nodiscard]] std::string Where() const { return settings_.host + ":" + std::to_string(settings_.port); }

    std::optional<SmtpDelivery> Connect() {
        tcp::resolver resolver(io_);
        tcp::resolver::results_type endpoints;
        error_code error = Run([&](auto handler) {
            resolver.async_resolve(settings_.host, std::to_string(settings_.port),
                                   [&endpoints, handler](error_code ec, tcp::resolver::results_type found) mutable {
                                       endpoints = std::move(found);
                                       handler(ec);
                                   });
        });
        if (!error) {
            error = Run([&](auto handler) { net::async_connect(stream_.next_layer(), endpoints, handler); });
        }
        if (error) {
            return Transient("connecting to " + Where() + ": " + error.message());
        }
        return std::nullopt;
    }

    template <typename Operation>
    error_code OnStream(Operation operation) {
        return tls_ ? Run([&](auto handler) { operation(stream_, handler); })
                    : Run([&](auto handler) { operation(stream_.next_layer(), handler); });
    }

    Result<Reply> ReadReply() {
        Reply reply;
        for (;;) {
            const error_code error = OnStream([this](auto& stream, auto handler) {
                net::async_read_until(stream, net::dynamic_buffer(buffer_, kMaxReply), "\r\n", handler);
            });
            if (error) {
                return Error{ErrorCode::kUnavailable, "", "reading the reply of " + Where() + ": " + error.message()};
            }
            const std::size_t end = buffer_.find("\r\n");
            std::string line = buffer_.substr(0, end);
            buffer_.erase(0, end + 2);
            const bool coded = line.size() >= 3 && std::all_of(line.begin(), line.begin() + 3, [](char c) {
                                   return std::isdigit(static_cast<unsigned char>(c)) != 0;
                               });
            if (!coded || (line.size() > 3 && line[3] != ' ' && line[3] != '-') ||
                (reply.code != 0 && std::stoi(line.substr(0, 3)) != reply.code)) {
                return Error{ErrorCode::kUnavailable, "", "a malformed reply from " + Where() + ": " + line};
            }
            reply.code = std::stoi(line.substr(0, 3));
            reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
            reply.text += (reply.text.empty() ? "" : " ") + line;
            if (line.size() == 3 || line[3] == ' ') {
                return reply;
            }
        }
    }

    // Writes `bytes` (one or more CRLF-ended lines) and reads the reply.
    Result<Reply> Send(const std::string& bytes) {
        const error_code error =
            OnStream([&bytes](auto& stream, auto handler) { net::async_write(stream, net::buffer(bytes), handler); });
        if (error) {
            return Error{ErrorCode::kUnavailable, "", "writing to " + Where() + ": " + error.message()};
        }
        return ReadReply();
    }

    Result<Reply> Command(const std::string& command) { return Send(command + "\r\n"); }

    // The extension keywords of the EHLO reply, upper case: "STARTTLS", "AUTH PLAIN LOGIN" as "AUTH" plus
    // "AUTH=PLAIN" and "AUTH=LOGIN".
    Result<std::set<std::string>> Ehlo() {
        ASSIGN_OR_RETURN(Reply reply, Command("EHLO " + settings_.helo_name));
        if (reply.code != 250) {
            return Error{ErrorCode::kUnavailable, "", "EHLO: " + reply.text};
        }
        std::set<std::string> extensions;
        for (std::size_t i = 1; i < reply.lines.size(); ++i) {  // the first line greets
            std::string line = reply.lines[i];
            std::transform(line.begin(), line.end(), line.begin(),
                           [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
            const std::size_t space = line.find(' ');
            const std::string keyword = line.substr(0, space);
            extensions.insert(keyword);
            for (std::size_t start = space; start != std::string::npos && start < line.size();) {
                const std::size_t next = line.find(' ', start + 1);
                extensions.insert(keyword + "=" + line.substr(start + 1, next - start - 1));
                start = next;
            }
        }
        return extensions;
    }

    std::optional<SmtpDelivery> StartTls() {
        Result<Reply> reply = Command("STARTTLS");
        if (!reply.ok()) {
            return Transient(reply.error().message);
        }
        if (reply->code != 220) {
            return Transient("STARTTLS: " + reply->text);
        }
        if (!buffer_.empty()) {
            // Anything the server sent past its 220 came before encryption and must not be read as after it
            // (the STARTTLS command injection of CVE-2011-0411).
            return Transient("STARTTLS: " + Where() + " sent data past its 220; not trusted");
        }
        if (!context_error_.empty()) {
            return Transient(context_error_);
        }
        if (settings_.verify_certificate) {
            stream_.set_verify_mode(ssl::verify_peer);
            stream_.set_verify_callback(ssl::host_name_verification(settings_.host));
        } else {
            stream_.set_verify_mode(ssl::verify_none);
        }
        // SNI, so a relay with several names presents the right certificate.
        if (SSL_set_tlsext_host_name(stream_.native_handle(), settings_.host.c_str()) != 1) {
            return Transient("STARTTLS: cannot set the server name " + settings_.host);
        }
        const error_code error =
            Run([this](auto handler) { stream_.async_handshake(ssl::stream_base::client, handler); });
        if (error) {
            return Transient("TLS handshake with " + Where() + ": " + error.message());
        }
        tls_ = true;
        return std::nullopt;
    }

    std::optional<SmtpDelivery> Authenticate(const std::set<std::string>& extensions) {
        if (!tls_) {
            return Transient("refusing to send the SMTP password to " + Where() + " without TLS");
        }
        Result<Reply> reply = Error{ErrorCode::kInternal, "", ""};
        if (extensions.contains("AUTH=PLAIN")) {
            const std::string credentials = std::string(1, '\0') + settings_.username + '\0' + settings_.password;
            reply = Command("AUTH PLAIN " + Base64(credentials));
        } else if (extensions.contains("AUTH=LOGIN")) {
            reply = Command("AUTH LOGIN");
            if (reply.ok() && reply->code == 334) {
                reply = Command(Base64(settings_.username));
            }
            if (reply.ok() && reply->code == 334) {
                reply = Command(Base64(settings_.password));
            }
        } else {
            return Transient(Where() + " offers neither AUTH PLAIN nor AUTH LOGIN");
        }
        if (!reply.ok()) {
            return Transient(reply.error().message);
        }
        if (reply->code != 235) {
            return Transient("AUTH: " + reply->text);
        }
        return std::nullopt;
    }

    // A reply longer than this is no SMTP server's (RFC 5321 §4.5.3.1.5: 512 octets a line).
    static constexpr std::size_t kMaxReply = std::size_t{64} * 1024;

    const SmtpSettings& settings_;
    const std::chrono::steady_clock::time_point deadline_;
    net::io_context io_;
    std::string context_error_;  // before context_, which TlsContext builds writing to it
    ssl::context context_;
    ssl::stream<tcp::socket> stream_;
    bool tls_ = false;
    std::string buffer_;
};

}  // namespace

SmtpClient::SmtpClient(SmtpSettings settings) : settings_(std::move(settings)) {}

SmtpDelivery SmtpClient::Deliver(const app::OutboxMessage& message, app::TimePoint now) const {
    // A line break in the recipient or subject would end the command or header it stands in and start another
    // (SMTP command and header injection): such a message is never sent.
    const auto breaks_lines = [](const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; };
    if (breaks_lines(message.recipient) || breaks_lines(message.subject) ||
        message.recipient.find_first_of("<> ") != std::string::npos) {
        return SmtpDelivery{Outcome::kPermanent,
                            "not sent: the recipient or subject holds a line break, '<', '>' or "
                            "a space in the address"};
    }
    try {
        return Session(settings_).Deliver(message, now);
    } catch (const std::exception& error) {  // Asio and OpenSSL allocate and may throw; never past the sender loop
        return Transient(std::string("delivery failed: ") + error.what());
    }
}

}  // namespace kclinic::adapters::mail
