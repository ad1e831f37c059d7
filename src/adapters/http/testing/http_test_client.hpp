#pragma once

// Test support: an HTTP/1.1 client on a plain blocking socket that sends exactly the bytes a test gives it
// (several requests in one write, half a header, a body over the limit) and reads responses framed by
// Content-Length, which is how the kclinic server frames every response. Every read waits at most 10 s, so a
// server that fails to answer fails the test instead of hanging it.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kclinic::adapters::http::testing {

struct TestResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    // The value of the header `name` (lower case), or "" when absent.
    [[nodiscard]] std::string Header(const std::string& name) const;
};

// "METHOD TARGET HTTP/1.1" with Host, Content-Length when there is a body, `extra_headers` (each line ending in
// \r\n) and the body.
[[nodiscard]] std::string RequestText(std::string_view method, std::string_view target, std::string_view body = {},
                                      std::string_view extra_headers = {});

class TestConnection {
public:
    // A connection to host:port, or nullptr when it is refused.
    [[nodiscard]] static std::unique_ptr<TestConnection> Connect(std::uint16_t port,
                                                                 const std::string& host = "127.0.0.1");
    ~TestConnection();
    TestConnection(const TestConnection&) = delete;
    TestConnection& operator=(const TestConnection&) = delete;

    // Writes every byte; false when the server closed or reset the connection first.
    bool Send(std::string_view bytes) const;
    // The next response (no body for a response to HEAD), or nullopt when the connection ended or 10 s passed
    // first.
    [[nodiscard]] std::optional<TestResponse> Read(bool head = false);
    // Sends one request and reads its response.
    [[nodiscard]] std::optional<TestResponse> Exchange(std::string_view method, std::string_view target,
                                                       std::string_view body = {}, std::string_view extra_headers = {});
    // True when the server ends the connection (end of stream or reset) without sending another byte, within 10 s.
    [[nodiscard]] bool WaitForClose();

private:
    explicit TestConnection(int fd) : fd_(fd) {}
    // Receives more bytes into buffer_; false at end of stream, on error or timeout.
    bool Fill();

    int fd_;
    std::string buffer_;  // received and not yet consumed
};

}  // namespace kclinic::adapters::http::testing
