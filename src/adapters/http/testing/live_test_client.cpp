// The client on Beast 1.74's websocket::stream. Every operation on the stream starts and completes on one I/O
// thread of the client's own; a caller waits for the result at most the time it is given. A read that outlives its
// wait stays pending rather than being cancelled (a websocket::stream cannot resume a cancelled read), and the next
// Next takes its result. Beast's own timeouts stay off: the callers' deadlines bound every step, and a timer of the
// stream's would keep the I/O thread, and so the destructor, waiting after a refused upgrade.

#include "adapters/http/testing/live_test_client.hpp"

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace kclinic::adapters::http::testing {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds kPatience{10};

}  // namespace

class LiveTestClient::Impl {
public:
    Impl() : thread_([this] { io_.run(); }) {}
    // Pending operations end with operation_aborted once the socket is closed, and then the thread.
    ~Impl() {
        net::post(io_, [this] {
            beast::error_code ignored;
            beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
            beast::get_lowest_layer(ws_).close();
        });
        work_.reset();
        thread_.join();
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // Runs `start` on the I/O thread, where it starts one operation on the stream with the completion handler it is
    // given; the operation's error code, or nullopt when it did not complete within `patience`.
    template <typename Start>
    std::optional<beast::error_code> Complete(Start start, std::chrono::milliseconds patience) {
        auto result = std::make_shared<std::promise<beast::error_code>>();
        std::future<beast::error_code> completed = result->get_future();
        net::post(io_, [start = std::move(start), result] {
            start([result](beast::error_code ec, auto&&... /*bytes*/) { result->set_value(ec); });
        });
        if (completed.wait_for(patience) != std::future_status::ready) {
            return std::nullopt;
        }
        return completed.get();
    }

    websocket::stream<beast::tcp_stream>& ws() { return ws_; }

    LiveMessage Next(std::chrono::milliseconds patience) {
        std::unique_lock lock(mutex_);
        if (!read_pending_) {
            read_pending_ = true;
            net::post(io_, [this] {
                ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t /*bytes*/) { OnRead(ec); });
            });
        }
        if (!read_done_.wait_for(lock, patience, [this] { return read_.has_value(); })) {
            return {LiveMessage::Kind::kTimeout, "", 0, ""};
        }
        read_pending_ = false;
        LiveMessage message = std::move(*read_);
        read_.reset();
        return message;
    }

private:
    // On the I/O thread.
    void OnRead(beast::error_code ec) {
        LiveMessage message;
        if (!ec) {
            message = {LiveMessage::Kind::kText, beast::buffers_to_string(buffer_.data()), 0, ""};
            buffer_.consume(buffer_.size());
        } else if (ec == websocket::error::closed) {
            const websocket::close_reason& reason = ws_.reason();
            message = {LiveMessage::Kind::kClose, "", reason.code,
                       std::string(reason.reason.data(), reason.reason.size())};
        } else {
            message = {LiveMessage::Kind::kEnded, ec.message(), 0, ""};
        }
        {
            const std::lock_guard lock(mutex_);
            read_ = std::move(message);
        }
        read_done_.notify_all();
    }

    net::io_context io_;
    net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
    websocket::stream<beast::tcp_stream> ws_{io_};
    beast::flat_buffer buffer_;  // the message being read

    std::mutex mutex_;  // guards the two members below
    bool read_pending_ = false;
    std::optional<LiveMessage> read_;  // a read's result not yet taken by Next
    std::condition_variable read_done_;

    std::thread thread_;  // last: started once everything it uses exists
};

LiveOpening LiveTestClient::Open(std::uint16_t port, const HeaderFields& fields, std::chrono::milliseconds patience,
                                 const std::string& target) {
    LiveOpening opening;
    auto impl = std::make_unique<Impl>();
    websocket::stream<beast::tcp_stream>& ws = impl->ws();
    const tcp::endpoint server(net::ip::make_address_v4("127.0.0.1"), port);
    const std::optional<beast::error_code> connected =
        impl->Complete([&ws, server](auto done) { beast::get_lowest_layer(ws).async_connect(server, done); }, patience);
    if (!connected || *connected) {
        opening.problem = connected ? "cannot connect: " + connected->message() : "no connection in time";
        return opening;
    }
    websocket::response_type answer;
    const std::optional<beast::error_code> upgraded = impl->Complete(
        [&ws, &answer, port, fields, &target](auto done) {
            // Frames are small and latency is measured through this client: never hold one back (Nagle).
            beast::error_code ignored;
            beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true), ignored);
            ws.set_option(websocket::stream_base::decorator([fields](websocket::request_type& request) {
                for (const auto& [name, value] : fields) {
                    request.set(name, value);
                }
            }));
            ws.text(true);
            ws.async_handshake(answer, "127.0.0.1:" + std::to_string(port), target, done);
        },
        patience);
    if (!upgraded) {
        // The handshake still refers to `answer`: it must end before `answer` does, which closing the socket makes
        // it do when `impl` is destroyed, before this function's locals.
        opening.problem = "no answer to the upgrade in time";
        impl.reset();
        return opening;
    }
    opening.status = static_cast<int>(answer.result_int());
    opening.body = answer.body();
    if (*upgraded) {
        opening.problem = upgraded->message();
        return opening;
    }
    opening.client = std::unique_ptr<LiveTestClient>(new LiveTestClient(std::move(impl)));
    return opening;
}

LiveOpening LiveTestClient::OpenWithToken(std::uint16_t port, const std::string& token) {
    return Open(port, {{"Authorization", "Bearer " + token}});
}

LiveTestClient::LiveTestClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LiveTestClient::~LiveTestClient() = default;

bool LiveTestClient::SendText(std::string_view text) {
    websocket::stream<beast::tcp_stream>& ws = impl_->ws();
    // Owned by the write, which may outlive this call when it times out.
    auto message = std::make_shared<const std::string>(text);
    const std::optional<beast::error_code> sent = impl_->Complete(
        [&ws, message](auto done) {
            ws.async_write(net::buffer(*message),
                           [message, done](beast::error_code ec, std::size_t /*bytes*/) { done(ec); });
        },
        kPatience);
    return sent && !*sent;
}

bool LiveTestClient::SendJson(const nlohmann::json& message) {
    return SendText(message.dump());
}

bool LiveTestClient::Close(int code) {
    websocket::stream<beast::tcp_stream>& ws = impl_->ws();
    const auto reason = static_cast<websocket::close_code>(code);
    const std::optional<beast::error_code> closed =
        impl_->Complete([&ws, reason](auto done) { ws.async_close(reason, done); }, kPatience);
    return closed && !*closed;
}

LiveMessage LiveTestClient::Next(std::chrono::milliseconds patience) {
    return impl_->Next(patience);
}

nlohmann::json LiveTestClient::Await(std::string_view type, std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
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

}  // namespace kclinic::adapters::http::testing
