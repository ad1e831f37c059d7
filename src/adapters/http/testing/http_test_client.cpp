#include "adapters/http/testing/http_test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>

namespace kclinic::adapters::http::testing {
namespace {

constexpr int kReceiveTimeoutSeconds = 10;

std::string Lower(std::string_view text) {
    std::string lower(text);
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

std::string TestResponse::Header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
}

std::string RequestText(std::string_view method, std::string_view target, std::string_view body,
                        std::string_view extra_headers) {
    std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
    if (!body.empty()) {
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += extra_headers;
    text += "\r\n";
    text += body;
    return text;
}

std::unique_ptr<TestConnection> TestConnection::Connect(std::uint16_t port, const std::string& host) {
    const bool v6 = host.find(':') != std::string::npos;
    const int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return nullptr;
    }
    timeval timeout{kReceiveTimeoutSeconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int connected = -1;
    if (v6) {
        sockaddr_in6 address{};
        address.sin6_family = AF_INET6;
        address.sin6_port = htons(port);
        inet_pton(AF_INET6, host.c_str(), &address.sin6_addr);
        connected = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    } else {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        inet_pton(AF_INET, host.c_str(), &address.sin_addr);
        connected = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    }
    if (connected != 0) {
        close(fd);
        return nullptr;
    }
    return std::unique_ptr<TestConnection>(new TestConnection(fd));
}

TestConnection::~TestConnection() {
    close(fd_);
}

bool TestConnection::Send(std::string_view bytes) const {
    while (!bytes.empty()) {
        const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

bool TestConnection::Fill() {
    std::array<char, 16384> chunk{};
    while (true) {
        const ssize_t received = recv(fd_, chunk.data(), chunk.size(), 0);
        if (received < 0 && errno == EINTR) {
            continue;
        }
        if (received <= 0) {
            return false;
        }
        buffer_.append(chunk.data(), static_cast<std::size_t>(received));
        return true;
    }
}

std::optional<TestResponse> TestConnection::Read(bool head) {
    std::size_t header_end = 0;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!Fill()) {
            return std::nullopt;
        }
    }
    const std::string header = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);

    TestResponse response;
    std::size_t line_end = header.find("\r\n");
    const std::string_view status_line = std::string_view(header).substr(0, line_end);
    // "HTTP/1.1 200 OK"
    if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) {
        return std::nullopt;
    }
    std::from_chars(status_line.data() + 9, status_line.data() + 12, response.status);
    while (line_end != std::string::npos) {
        const std::size_t start = line_end + 2;
        line_end = header.find("\r\n", start);
        const std::string_view line = std::string_view(header).substr(start, line_end - start);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
            response.headers[Lower(line.substr(0, colon))] = std::string(Trim(line.substr(colon + 1)));
        }
    }
    std::size_t length = 0;
    const std::string content_length = response.Header("content-length");
    std::from_chars(content_length.data(), content_length.data() + content_length.size(), length);
    if (head) {
        return response;
    }
    while (buffer_.size() < length) {
        if (!Fill()) {
            return std::nullopt;
        }
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
}

std::optional<TestResponse> TestConnection::Exchange(std::string_view method, std::string_view target,
                                                     std::string_view body, std::string_view extra_headers) {
    if (!Send(RequestText(method, target, body, extra_headers))) {
        return std::nullopt;
    }
    return Read(method == "HEAD");
}

bool TestConnection::WaitForClose() {
    if (!buffer_.empty()) {
        return false;
    }
    std::array<char, 4096> chunk{};
    while (true) {
        const ssize_t received = recv(fd_, chunk.data(), chunk.size(), 0);
        if (received < 0 && errno == EINTR) {
            continue;
        }
        // 0: end of stream; ECONNRESET: closed with unread data. A timeout (EAGAIN) means still open.
        return received == 0 || (received < 0 && errno == ECONNRESET);
    }
}

}  // namespace kclinic::adapters::http::testing
