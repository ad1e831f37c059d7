#include "cli/testing/live_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <random>

namespace kclinic::cli::testing {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 6455 §1.3: the server proves it read the key by answering base64(SHA-1(key + this GUID)).
constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// RFC 6455 §5.2 opcodes.
constexpr std::uint8_t kContinuation = 0x0;
constexpr std::uint8_t kText = 0x1;
constexpr std::uint8_t kClose = 0x8;
constexpr std::uint8_t kPing = 0x9;
constexpr std::uint8_t kPong = 0xA;

std::string Base64(const unsigned char* bytes, std::size_t size) {
    std::string encoded(4 * ((size + 2) / 3), '\0');
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), bytes, static_cast<int>(size));
    encoded.resize(static_cast<std::size_t>(length));
    return encoded;
}

std::string AcceptFor(const std::string& key) {
    const std::string keyed = key + std::string(kAcceptGuid);
    std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
    SHA1(reinterpret_cast<const unsigned char*>(keyed.data()), keyed.size(), digest.data());
    return Base64(digest.data(), digest.size());
}

std::mt19937& Random() {
    thread_local std::mt19937 random{std::random_device{}()};
    return random;
}

std::string Lower(std::string_view text) {
    std::string lower(text);
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

// The value of header `name` (lower case) in a response head, without surrounding blanks; "" when absent.
std::string HeaderValue(std::string_view head, std::string_view name) {
    std::size_t line_end = head.find("\r\n");
    while (line_end != std::string_view::npos) {
        const std::size_t start = line_end + 2;
        line_end = head.find("\r\n", start);
        const std::string_view line = head.substr(start, line_end - start);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && Lower(line.substr(0, colon)) == name) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') {
                value.remove_prefix(1);
            }
            while (!value.empty() && value.back() == ' ') {
                value.remove_suffix(1);
            }
            return std::string(value);
        }
    }
    return "";
}

int ConnectLoopback(std::uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    // Frames are small and latency is measured through this client: never hold one back (Nagle).
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool SendAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
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

// Receives into `buffer` until `deadline`; false at end of stream, on error or timeout (`timed_out` says which).
bool Receive(int fd, std::string& buffer, Clock::time_point deadline, bool& timed_out) {
    timed_out = false;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            return false;
        }
        pollfd waiting{fd, POLLIN, 0};
        const int ready = poll(&waiting, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready == 0) {
            timed_out = true;
            return false;
        }
        if (ready < 0) {
            return false;
        }
        std::array<char, 16384> chunk{};
        const ssize_t received = recv(fd, chunk.data(), chunk.size(), 0);
        if (received < 0 && errno == EINTR) {
            continue;
        }
        if (received <= 0) {
            return false;
        }
        buffer.append(chunk.data(), static_cast<std::size_t>(received));
        return true;
    }
}

}  // namespace

LiveOpening LiveClient::Open(std::uint16_t port, const std::string& extra_headers, std::chrono::milliseconds patience) {
    LiveOpening opening;
    const Clock::time_point deadline = Clock::now() + patience;
    const int fd = ConnectLoopback(port);
    if (fd < 0) {
        opening.problem = "connection refused";
        return opening;
    }
    std::array<unsigned char, 16> nonce{};
    for (unsigned char& byte : nonce) {
        byte = static_cast<unsigned char>(Random()());
    }
    const std::string key = Base64(nonce.data(), nonce.size());
    const std::string request = "GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                "Sec-WebSocket-Key: " +
                                key + "\r\n" + extra_headers + "\r\n";
    std::string buffer;
    bool timed_out = false;
    std::size_t head_end = std::string::npos;
    if (SendAll(fd, request)) {
        while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos && Receive(fd, buffer, deadline, timed_out)) {
        }
    }
    if (head_end == std::string::npos) {
        close(fd);
        opening.problem = timed_out ? "no answer to the upgrade in time" : "the connection ended before an answer";
        return opening;
    }
    const std::string head = buffer.substr(0, head_end);
    buffer.erase(0, head_end + 4);
    // "HTTP/1.1 101 Switching Protocols"
    if (head.size() >= 12 && head.starts_with("HTTP/1.")) {
        std::from_chars(head.data() + 9, head.data() + 12, opening.status);
    }
    if (opening.status != 101) {
        std::size_t length = 0;
        const std::string content_length = HeaderValue(head, "content-length");
        std::from_chars(content_length.data(), content_length.data() + content_length.size(), length);
        while (buffer.size() < length && Receive(fd, buffer, deadline, timed_out)) {
        }
        opening.body = buffer.substr(0, length);
        close(fd);
        return opening;
    }
    const std::string accept = HeaderValue(head, "sec-websocket-accept");
    if (accept != AcceptFor(key) || Lower(HeaderValue(head, "upgrade")) != "websocket") {
        opening.problem = "the 101 answered Sec-WebSocket-Accept \"" + accept + "\", expected \"" + AcceptFor(key) +
                          "\" (Upgrade: \"" + HeaderValue(head, "upgrade") + "\")";
        close(fd);
        return opening;
    }
    opening.client = std::unique_ptr<LiveClient>(new LiveClient(fd, std::move(buffer)));
    return opening;
}

LiveOpening LiveClient::OpenWithToken(std::uint16_t port, const std::string& token) {
    return Open(port, "Authorization: Bearer " + token + "\r\n");
}

LiveClient::LiveClient(int fd, std::string received) : fd_(fd), buffer_(std::move(received)) {}

LiveClient::~LiveClient() {
    close(fd_);
}

bool LiveClient::Fill(Clock::time_point deadline) {
    return Receive(fd_, buffer_, deadline, timed_out_);
}

bool LiveClient::SendFrame(std::uint8_t opcode, std::string_view payload) const {
    // RFC 6455 §5.2: FIN, the opcode, the mask bit with the length in 7, 7+16 or 7+64 bits, the masking key.
    std::string frame;
    frame.push_back(static_cast<char>(0x80U | opcode));
    if (payload.size() < 126) {
        frame.push_back(static_cast<char>(0x80U | payload.size()));
    } else if (payload.size() <= 0xFFFFU) {
        frame.push_back(static_cast<char>(0x80U | 126U));
        frame.push_back(static_cast<char>((payload.size() >> 8U) & 0xFFU));
        frame.push_back(static_cast<char>(payload.size() & 0xFFU));
    } else {
        frame.push_back(static_cast<char>(0x80U | 127U));
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.push_back(static_cast<char>((payload.size() >> static_cast<unsigned>(shift)) & 0xFFU));
        }
    }
    // §5.3: a client masks every frame with a fresh, unpredictable key.
    std::array<char, 4> mask{};
    for (char& byte : mask) {
        byte = static_cast<char>(Random()());
    }
    frame.append(mask.data(), mask.size());
    for (std::size_t i = 0; i < payload.size(); ++i) {
        frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
    }
    return SendAll(fd_, frame);
}

bool LiveClient::SendText(std::string_view text) {
    return SendFrame(kText, text);
}

bool LiveClient::SendJson(const nlohmann::json& message) {
    return SendText(message.dump());
}

bool LiveClient::SendClose(int code) {
    close_sent_ = true;
    const std::array<char, 2> payload{static_cast<char>((code >> 8) & 0xFF), static_cast<char>(code & 0xFF)};
    return SendFrame(kClose, std::string_view(payload.data(), payload.size()));
}

LiveMessage LiveClient::Next(std::chrono::milliseconds patience) {
    const Clock::time_point deadline = Clock::now() + patience;
    std::string message;  // the text of a fragmented message so far
    while (true) {
        // The frame header: 2 bytes, the extended length, no mask (a server never masks, §5.1).
        std::size_t header = 2;
        std::uint64_t length = 0;
        bool complete = false;
        if (buffer_.size() >= 2) {
            const auto second = static_cast<std::uint8_t>(buffer_[1]);
            if ((second & 0x80U) != 0) {
                return {LiveMessage::Kind::kEnded, "a masked frame from the server", 0, ""};
            }
            length = second & 0x7FU;
            const std::size_t extended = length == 126 ? 2 : length == 127 ? 8 : 0;
            if (buffer_.size() >= 2 + extended) {
                if (extended > 0) {
                    length = 0;
                    for (std::size_t i = 0; i < extended; ++i) {
                        length = (length << 8U) | static_cast<std::uint8_t>(buffer_[2 + i]);
                    }
                }
                header = 2 + extended;
                complete = buffer_.size() >= header + length;
            }
        }
        if (!complete) {
            if (!Fill(deadline)) {
                return {timed_out_ ? LiveMessage::Kind::kTimeout : LiveMessage::Kind::kEnded, "", 0, ""};
            }
            continue;
        }
        const auto first = static_cast<std::uint8_t>(buffer_[0]);
        const bool fin = (first & 0x80U) != 0;
        const std::uint8_t opcode = first & 0x0FU;
        std::string payload = buffer_.substr(header, static_cast<std::size_t>(length));
        buffer_.erase(0, header + static_cast<std::size_t>(length));
        switch (opcode) {
            case kPing:
                if (!SendFrame(kPong, payload)) {
                    return {LiveMessage::Kind::kEnded, "", 0, ""};
                }
                break;
            case kPong:
                break;
            case kClose: {
                LiveMessage closed{LiveMessage::Kind::kClose, "", 0, ""};
                if (payload.size() >= 2) {
                    closed.close_code =
                        (static_cast<std::uint8_t>(payload[0]) << 8U) | static_cast<std::uint8_t>(payload[1]);
                    closed.close_reason = payload.substr(2);
                }
                if (!close_sent_.exchange(true)) {
                    SendFrame(kClose, payload.substr(0, std::min<std::size_t>(payload.size(), 2)));
                }
                // Both close frames are out: end the stream, as the server's teardown waits to read its end (a
                // client that kept it open would hold the server's shutdown until its drain deadline).
                shutdown(fd_, SHUT_WR);
                return closed;
            }
            case kText:
            case kContinuation:
                message += payload;
                if (fin) {
                    return {LiveMessage::Kind::kText, std::move(message), 0, ""};
                }
                break;
            default:
                return {LiveMessage::Kind::kEnded, "an unexpected opcode " + std::to_string(opcode), 0, ""};
        }
    }
}

nlohmann::json LiveClient::Await(std::string_view type, std::chrono::milliseconds patience) {
    const Clock::time_point deadline = Clock::now() + patience;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return nullptr;
        }
        const LiveMessage message = Next(left);
        if (message.kind != LiveMessage::Kind::kText) {
            return nullptr;
        }
        nlohmann::json parsed = nlohmann::json::parse(message.text, nullptr, false);
        if (!parsed.is_object()) {
            return nullptr;
        }
        if (parsed.value("type", "") == type) {
            return parsed;
        }
    }
}

}  // namespace kclinic::cli::testing
