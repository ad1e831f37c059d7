#pragma once

// Test support: a WebSocket client of the live channel on Beast's websocket::stream, behind a pimpl so that the
// tests and the latency benchmark that use it compile no Beast. It asks for the upgrade with the header fields a
// test gives (a bearer token, a cookie and an Origin, or none) and reads the server's messages: text messages, and
// the close frame with its code and reason (Beast answers it with a close frame and ends the connection, as
// RFC 6455 §5.5.1 asks); pings are answered while a read waits. Every step waits at most the time it is given, so an
// event that never comes fails a test instead of hanging it. No GoogleTest here: the benchmark links it too.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kclinic::adapters::http::testing {

// What one read gave.
struct LiveMessage {
    enum class Kind {
        kText,     // a text message: `text`
        kClose,    // the server's close frame: `close_code` (0 when it carried none) and `close_reason`
        kEnded,    // the connection ended without a close frame, or a frame broke the protocol: `text` says how
        kTimeout,  // nothing within the time given
    };
    Kind kind = Kind::kEnded;
    std::string text;
    int close_code = 0;
    std::string close_reason;
};

class LiveTestClient;

// The server's answer to the upgrade: 101 and a client, or the refusal (status and body) and no client.
struct LiveOpening {
    int status = 0;  // 0 when no answer came
    std::string body;
    std::string problem;  // why there is no client, "" when there is one
    std::unique_ptr<LiveTestClient> client;
};

class LiveTestClient {
public:
    using HeaderFields = std::vector<std::pair<std::string, std::string>>;

    // Connects to 127.0.0.1:port and asks for the upgrade of `target` (/api/v1/live) with `fields` added to the
    // request; waits at most `patience` for the answer.
    [[nodiscard]] static LiveOpening Open(std::uint16_t port, const HeaderFields& fields,
                                          std::chrono::milliseconds patience = std::chrono::seconds{10},
                                          const std::string& target = "/api/v1/live");
    // Open with "Authorization: Bearer TOKEN".
    [[nodiscard]] static LiveOpening OpenWithToken(std::uint16_t port, const std::string& token);

    // Closes the connection without a close handshake.
    ~LiveTestClient();
    LiveTestClient(const LiveTestClient&) = delete;
    LiveTestClient& operator=(const LiveTestClient&) = delete;

    // One text message; false when the connection is gone or the message was not written within 10 s.
    bool SendText(std::string_view text);
    // SendText of the JSON's compact text.
    bool SendJson(const nlohmann::json& message);
    // The close handshake with `code`; false when the connection is gone or the server did not answer within 10 s.
    // May run while a Next waits on another thread (how a reader thread is ended: that Next then returns), but not
    // beside a SendText.
    bool Close(int code);

    // The next message, waiting at most `patience`. After kTimeout the read goes on, and the next call continues
    // it; after kClose or kEnded the connection is over.
    [[nodiscard]] LiveMessage Next(std::chrono::milliseconds patience = std::chrono::seconds{10});
    // The next text message parsed as a JSON object, skipping any whose "type" is not `type` (other events of a
    // board); null when the connection closed or ended, the text was not JSON, or `patience` ran out first.
    [[nodiscard]] nlohmann::json Await(std::string_view type,
                                       std::chrono::milliseconds patience = std::chrono::seconds{10});

private:
    class Impl;  // the Beast stream and the thread that runs it
    explicit LiveTestClient(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> impl_;
};

}  // namespace kclinic::adapters::http::testing
