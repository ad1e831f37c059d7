#pragma once

// Test support: a real SMTP server (smtp_test_server.py, on Debian's python3-aiosmtpd) as a child process on a
// loopback port, and the messages it received. Stopped when this object goes (its stdin closes, then SIGTERM). Its
// own log is DIRECTORY/server.log.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kclinic::adapters::mail::testing {

struct ReceivedMessage {
    std::string mail_from;
    std::vector<std::string> rcpt_tos;
    bool tls = false;
    std::string auth_login;  // empty without AUTH
    std::string data;        // the message as received after DATA, dot-unstuffed, CRLF line ends
};

class SmtpTestServer {
public:
    struct Options {
        std::uint16_t port = 0;  // 0: a free one
        bool refuse_rcpt = false;
        bool tls = false;  // STARTTLS with a self-signed certificate for localhost (certificate_file())
        std::string auth;  // "user:password": AUTH required, over TLS
    };

    // Starts the server writing into `directory` (which must exist) and waits for its port; port() is 0 (and a test
    // failure is added) when it did not start within 30 s.
    SmtpTestServer(std::string directory, const Options& options);
    ~SmtpTestServer();
    SmtpTestServer(const SmtpTestServer&) = delete;
    SmtpTestServer& operator=(const SmtpTestServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    // The PEM certificate the server presents with tls; it is its own CA.
    [[nodiscard]] std::string certificate_file() const;

    // The messages received so far, oldest first.
    [[nodiscard]] std::vector<ReceivedMessage> Received() const;
    // Waits up to `timeout_ms` for at least `count` messages; Received() then.
    [[nodiscard]] std::vector<ReceivedMessage> WaitFor(std::size_t count, int timeout_ms = 30000) const;

private:
    std::string directory_;
    pid_t pid_ = -1;
    int stdin_ = -1;
    std::uint16_t port_ = 0;
};

// A fresh folder under /tmp, removed with this object.
class TemporaryFolder {
public:
    TemporaryFolder();
    ~TemporaryFolder();
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace kclinic::adapters::mail::testing
