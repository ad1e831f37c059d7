#pragma once

// An MLLP client in HL7's original acknowledgment mode: send one message, wait for its ACK, then the next. What
// `kclinic monitor-sim` (and the feed's tests) speak to a listener with. Blocking, one connection, not thread-safe:
// one client per thread. Asio is compiled in client.cpp only.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kclinic::adapters::hl7::mllp {

class MllpClient {
public:
    // Connects to `host` (an IP address literal) and `port` within `timeout`. Errors: kInvalidArgument "host" when
    // it is not an IP address; kUnavailable "connect" when the connection is refused or times out.
    static Result<std::unique_ptr<MllpClient>> Connect(const std::string& host, std::uint16_t port,
                                                       std::chrono::milliseconds timeout);
    ~MllpClient();
    MllpClient(const MllpClient&) = delete;
    MllpClient& operator=(const MllpClient&) = delete;

    // Frames and sends `message`, and returns the message of the next frame the peer sends (its ACK), within
    // `timeout`. Errors: kUnavailable "ack" when the peer closed the connection, the time ran out or the reply is
    // not one well-framed message (over `max_reply_bytes`, or cut off); the connection is then unusable.
    Result<std::string> Exchange(std::string_view message, std::chrono::milliseconds timeout,
                                 std::size_t max_reply_bytes = std::size_t{1} << 20);

private:
    class Impl;
    explicit MllpClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace kclinic::adapters::hl7::mllp
