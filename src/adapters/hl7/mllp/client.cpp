// The client's socket: one io_context per client, each operation run with a deadline (io_context::run_for), so a
// silent peer costs at most the timeout.

#include "adapters/hl7/mllp/client.hpp"

#include <array>
#include <optional>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "adapters/hl7/mllp/frame.hpp"

namespace kclinic::adapters::hl7::mllp {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using SystemError = boost::system::error_code;

class MllpClient::Impl {
public:
    Impl() : socket_(io_) {}

    Status Connect(const net::ip::address& address, std::uint16_t port, std::chrono::milliseconds timeout) {
        std::optional<SystemError> outcome;
        socket_.async_connect(tcp::endpoint(address, port), [&outcome](SystemError ec) { outcome = ec; });
        if (!RunUntil(outcome, timeout) || *outcome) {
            return Error{ErrorCode::kUnavailable, "connect",
                         "cannot connect to " + address.to_string() + ":" + std::to_string(port) + ": " +
                             (outcome ? outcome->message() : "no answer within the timeout")};
        }
        socket_.set_option(tcp::no_delay(true));
        return Status::Ok();
    }

    Result<std::string> Exchange(std::string_view message, std::chrono::milliseconds timeout,
                                 std::size_t max_reply_bytes) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        const std::string frame = EncodeFrame(message);
        std::optional<SystemError> written;
        net::async_write(socket_, net::buffer(frame),
                         [&written](SystemError ec, std::size_t /*size*/) { written = ec; });
        if (!RunUntil(written, Left(deadline)) || *written) {
            return Broken(written ? "sending failed: " + written->message() : "sending timed out");
        }
        FrameDecoder decoder(max_reply_bytes);
        std::vector<FrameEvent> events;
        while (events.empty()) {
            std::optional<SystemError> read;
            std::size_t size = 0;
            socket_.async_read_some(net::buffer(buffer_), [&read, &size](SystemError ec, std::size_t n) {
                read = ec;
                size = n;
            });
            if (!RunUntil(read, Left(deadline))) {
                return Broken("no ACK within " + std::to_string(timeout.count()) + " ms");
            }
            if (*read) {
                return Broken(*read == net::error::eof ? "the listener closed the connection without an ACK"
                                                       : "receiving failed: " + read->message());
            }
            decoder.Feed(std::string_view(buffer_.data(), size), events);
        }
        if (events.front().kind != FrameEventKind::kMessage) {
            return Broken("the reply was not one well-framed message");
        }
        return std::move(events.front().payload);
    }

private:
    static std::chrono::milliseconds Left(std::chrono::steady_clock::time_point deadline) {
        return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          deadline - std::chrono::steady_clock::now()));
    }

    // Runs the io_context until `done` is set or `timeout` passes; on timeout cancels the operation (and waits for
    // its handler, so nothing refers to the caller's locals afterwards). True when done in time.
    bool RunUntil(std::optional<SystemError>& done, std::chrono::milliseconds timeout) {
        io_.restart();
        io_.run_for(timeout);
        if (done) {
            return true;
        }
        SystemError ignored;
        socket_.close(ignored);
        io_.restart();
        io_.run();
        return false;
    }

    Error Broken(const std::string& message) {
        SystemError ignored;
        socket_.close(ignored);
        return Error{ErrorCode::kUnavailable, "ack", message};
    }

    net::io_context io_;
    tcp::socket socket_;
    std::array<char, 16384> buffer_{};
};

MllpClient::MllpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MllpClient::~MllpClient() = default;

Result<std::unique_ptr<MllpClient>> MllpClient::Connect(const std::string& host, std::uint16_t port,
                                                        std::chrono::milliseconds timeout) {
    SystemError ec;
    const net::ip::address address = net::ip::make_address(host, ec);
    if (ec) {
        return InvalidArgument("host", "expected an IP address such as 127.0.0.1 or ::1 (got \"" + host + "\")");
    }
    auto impl = std::make_unique<Impl>();
    RETURN_IF_ERROR(impl->Connect(address, port, timeout));
    return std::unique_ptr<MllpClient>(new MllpClient(std::move(impl)));
}

Result<std::string> MllpClient::Exchange(std::string_view message, std::chrono::milliseconds timeout,
                                         std::size_t max_reply_bytes) {
    return impl_->Exchange(message, timeout, max_reply_bytes);
}

}  // namespace kclinic::adapters::hl7::mllp
