#pragma once

// Test support: a WebSocket client of the live channel (RFC 6455) on a plain blocking socket, so the process-level
// tests and the latency benchmark compile no Beast. It sends the upgrade with the headers a test gives (a bearer
// token, or none), checks the 101 and its Sec-WebSocket-Accept, sends masked text frames as a client must, and reads
// the server's frames: text messages, the close frame with its code and reason (answered with a close frame, as
// RFC 6455 §5.5.1 asks, unless this client closed first, after which it ends its side of the stream), and pings, which
// it answers with a pong. Every read waits at most the time it is given, so an event that never comes fails a test
// instead of hanging it. No GoogleTest here: the benchmark links it too.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kclinic::cli::testing {

// What one read gave.
struct LiveMessage {
    enum class Kind {
        kText,     // a text message: `text`
        kClose,    // the server's close frame: `close_code` (0 when it carried none) and `close_reason`
        kEnded,    // the connection ended without a close frame, or a frame broke the protocol
        kTimeout,  // nothing within the time given
    };
    Kind kind = Kind::kEnded;
    std::string text;
    int close_code = 0;
    std::string close_reason;
};

class LiveClient;

// The server's answer to the upgrade: 101 and a client, or the refusal (status and body) and no client.
struct LiveOpening {
    int status = 0;  // 0 when no answer came
    std::string body;
    std::string problem;  // why a 101 was not accepted (a wrong Sec-WebSocket-Accept), "" otherwise
    std::unique_ptr<LiveClient> client;
};

class LiveClient {
public:
    // Connects to 127.0.0.1:port and asks for the upgrade of /api/v1/live with `extra_headers` (each line ending in
    // \r\n, e.g. "Authorization: Bearer T\r\n"); waits at most `patience` for the answer.
    [[nodiscard]] static LiveOpening Open(std::uint16_t port, const std::string& extra_headers,
                                          std::chrono::milliseconds patience = std::chrono::seconds{10});
    // Open with "Authorization: Bearer TOKEN".
    [[nodiscard]] static LiveOpening OpenWithToken(std::uint16_t port, const std::string& token);

    ~LiveClient();
    LiveClient(const LiveClient&) = delete;
    LiveClient& operator=(const LiveClient&) = delete;

    // One masked text frame; false when the connection is gone.
    bool SendText(std::string_view text);
    // SendText of the JSON's compact text.
    bool SendJson(const nlohmann::json& message);
    // A close frame with `code`; false when the connection is gone. Thread-safe with a Next running on another
    // thread (how a reader thread is ended).
    bool SendClose(int code);

    // The next message (a ping is answered and skipped), waiting at most `patience` in all.
    [[nodiscard]] LiveMessage Next(std::chrono::milliseconds patience = std::chrono::seconds{10});
    // The next text message parsed as a JSON object, skipping any whose "type" is not `type` (other events of a
    // board); null when the connection closed or ended, the text was not JSON, or `patience` ran out first.
    [[nodiscard]] nlohmann::json Await(std::string_view type,
                                       std::chrono::milliseconds patience = std::chrono::seconds{10});

private:
    explicit LiveClient(int fd, std::string received);
    // Receives more bytes into buffer_ until `deadline`; false at end of stream, on error or timeout (timed_out_
    // says which).
    bool Fill(std::chrono::steady_clock::time_point deadline);
    bool SendFrame(std::uint8_t opcode, std::string_view payload) const;

    int fd_;
    std::string buffer_;  // received and not yet consumed
    bool timed_out_ = false;
    std::atomic<bool> close_sent_{false};
};

}  // namespace kclinic::cli::testing
