// The MLLP listener over real loopback TCP: framing in any chunks, order, limits, timeouts, bad bytes, a failing
// handler, and Stop. The handler here is a recording echo, so these tests are about the transport only; the HL7
// meaning of the frames is tested with the parser (message/) and with the feed through `kclinic serve`.

#include "adapters/hl7/mllp/listener.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace kclinic::adapters::hl7::mllp {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

// Answers a message "ACK:<message>" (AA), a frame error "AR:<kind>", garbage nothing; a message "sleep:<ms>" is
// answered after that long, "close" asks to close after its reply, "throw" throws. Records what it saw, in order.
class RecordingHandler {
public:
    FrameReply operator()(const FrameEvent& event, const Peer& peer) {
        {
            std::lock_guard lock(mutex_);
            // Garbage has no message to show: its size stands for it.
            seen_.push_back(
                std::string(FrameEventKindName(event.kind)) + ":" +
                (event.kind == FrameEventKind::kGarbage ? std::to_string(event.byte_count) + " bytes" : event.payload));
            peers_.push_back(peer.address);
        }
        if (event.kind == FrameEventKind::kGarbage) {
            return {};
        }
        if (event.kind != FrameEventKind::kMessage) {
            return {"AR:" + std::string(FrameEventKindName(event.kind)), AckCode::kReject};
        }
        if (event.payload == "close") {
            return {"ACK:close", AckCode::kError, true};
        }
        if (event.payload == "throw") {
            throw std::runtime_error("the handler failed");
        }
        if (event.payload.starts_with("sleep:")) {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(event.payload.substr(6))));
        }
        return {"ACK:" + event.payload, AckCode::kAccept};
    }

    std::vector<std::string> Seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }
    std::vector<std::string> Peers() const {
        std::lock_guard lock(mutex_);
        return peers_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> seen_;
    std::vector<std::string> peers_;
};

// A listener on a free loopback port, served on its own thread for the test's life.
class RunningListener {
public:
    explicit RunningListener(ListenerOptions options = {}) {
        options.port = 0;
        options.log = [this](std::string_view line) {
            std::lock_guard lock(log_mutex_);
            log_.emplace_back(line);
        };
        listener_ = std::make_unique<MllpListener>(
            options, OnWorkers([this](const FrameEvent& event, const Peer& peer) { return handler_(event, peer); }),
            metrics_);
        const Status listening = listener_->Listen();
        EXPECT_TRUE(listening.ok()) << listening.error().message;
        runner_ = std::thread([this] { listener_->Run(); });
    }
    ~RunningListener() { StopAndJoin(); }
    RunningListener(const RunningListener&) = delete;
    RunningListener& operator=(const RunningListener&) = delete;

    void StopAndJoin() {
        if (runner_.joinable()) {
            listener_->Stop();
            runner_.join();
        }
    }

    std::uint16_t Port() const { return listener_->Port(); }
    RecordingHandler& handler() { return handler_; }
    std::string Metrics() const { return metrics_.Render(); }
    std::vector<std::string> Log() const {
        std::lock_guard lock(log_mutex_);
        return log_;
    }

private:
    http::MetricsRegistry metrics_;
    RecordingHandler handler_;
    mutable std::mutex log_mutex_;
    std::vector<std::string> log_;
    std::unique_ptr<MllpListener> listener_;
    std::thread runner_;
};

// A blocking client: writes raw bytes, reads framed replies.
class Client {
public:
    explicit Client(std::uint16_t port) : socket_(io_) {
        socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    }

    void Write(std::string_view bytes) { net::write(socket_, net::buffer(bytes.data(), bytes.size())); }
    void Send(std::string_view message) { Write(EncodeFrame(message)); }
    void CloseSending() { socket_.shutdown(tcp::socket::shutdown_send); }

    // The next framed reply's message, or "<closed>" when the listener closed the connection first.
    std::string Reply() {
        std::string frame;
        char byte = 0;
        boost::system::error_code ec;
        while (net::read(socket_, net::buffer(&byte, 1), ec) == 1) {
            frame.push_back(byte);
            if (frame.size() >= 3 && frame.ends_with(std::string{kEndBlock, kCarriageReturn})) {
                EXPECT_EQ(frame.front(), kStartBlock);
                return frame.substr(1, frame.size() - 3);
            }
        }
        return frame.empty() ? "<closed>" : "<cut off: " + frame + ">";
    }

private:
    net::io_context io_;
    tcp::socket socket_;
};

TEST(MllpListener, AnswersAFrameWithTheHandlersReplyFramed) {
    RunningListener listener;
    Client client(listener.Port());
    client.Send("MSH|one");
    EXPECT_EQ(client.Reply(), "ACK:MSH|one");
    EXPECT_EQ(listener.handler().Seen(), std::vector<std::string>{"message:MSH|one"});
    EXPECT_EQ(listener.handler().Peers(), std::vector<std::string>{"127.0.0.1"});
}

TEST(MllpListener, TakesAFrameSentOneByteAtATime) {
    RunningListener listener;
    Client client(listener.Port());
    for (char byte : EncodeFrame("MSH|slow")) {
        client.Write(std::string(1, byte));
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_EQ(client.Reply(), "ACK:MSH|slow");
}

TEST(MllpListener, AnswersPipelinedFramesInTheOrderTheyArrived) {
    RunningListener listener;
    Client client(listener.Port());
    // The first takes longest: a reply written out of order would show.
    client.Write(EncodeFrame("sleep:80") + EncodeFrame("sleep:20") + EncodeFrame("sleep:0"));
    EXPECT_EQ(client.Reply(), "ACK:sleep:80");
    EXPECT_EQ(client.Reply(), "ACK:sleep:20");
    EXPECT_EQ(client.Reply(), "ACK:sleep:0");
}

TEST(MllpListener, ServesManyConnectionsAtOnceEachInOrder) {
    RunningListener listener;
    constexpr int kConnections = 24;
    constexpr int kMessagesEach = 40;
    std::vector<std::future<int>> answered;
    for (int c = 0; c < kConnections; ++c) {
        answered.push_back(std::async(std::launch::async, [&listener, c] {
            Client client(listener.Port());
            int right = 0;
            for (int m = 0; m < kMessagesEach; ++m) {
                const std::string message = "MSH|" + std::to_string(c) + "-" + std::to_string(m);
                client.Send(message);
                right += client.Reply() == "ACK:" + message ? 1 : 0;
            }
            return right;
        }));
    }
    for (std::future<int>& each : answered) {
        EXPECT_EQ(each.get(), kMessagesEach);
    }
    EXPECT_NE(listener.Metrics().find("kclinic_mllp_messages_total{ack=\"AA\"} " +
                                      std::to_string(kConnections * kMessagesEach)),
              std::string::npos)
        << listener.Metrics();
}

struct BadBytesCase {
    std::string name;
    std::string bytes;                 // sent, followed by a good frame "MSH|after"
    std::vector<std::string> handled;  // what the handler saw, the good frame included
    std::vector<std::string> replies;  // what came back, in order
    std::string parse_error_kind;      // counted in kclinic_mllp_parse_errors_total
};

// The case's name in the test's name and its failures, not its bytes.
void PrintTo(const BadBytesCase& bad, std::ostream* out) {
    *out << bad.name;
}

class MllpListenerBadBytes : public testing::TestWithParam<BadBytesCase> {};

// Bad bytes never stop the connection: the decoder resynchronises at the next 0x0B and the good frame after them is
// answered.
TEST_P(MllpListenerBadBytes, AreReportedAndTheNextFrameIsAnswered) {
    const BadBytesCase& bad = GetParam();
    ListenerOptions options;
    options.max_message_bytes = 64;
    RunningListener listener(options);
    Client client(listener.Port());
    client.Write(bad.bytes + EncodeFrame("MSH|after"));
    for (const std::string& expected : bad.replies) {
        EXPECT_EQ(client.Reply(), expected) << bad.name;
    }
    // The replies keep their order; what the handler sees need not: a refused frame is reported on a worker, while
    // the good frame after it goes straight to the handler.
    std::vector<std::string> seen = listener.handler().Seen();
    std::vector<std::string> handled = bad.handled;
    std::ranges::sort(seen);
    std::ranges::sort(handled);
    EXPECT_EQ(seen, handled) << bad.name;
    EXPECT_NE(listener.Metrics().find("kclinic_mllp_parse_errors_total{kind=\"" + bad.parse_error_kind + "\"} 1"),
              std::string::npos)
        << bad.name << "\n"
        << listener.Metrics();
}

INSTANTIATE_TEST_SUITE_P(Cases, MllpListenerBadBytes,
                         testing::Values(BadBytesCase{"garbage before a frame",
                                                      "binary\x01\x02garbage",
                                                      {"garbage:15 bytes", "message:MSH|after"},
                                                      {"ACK:MSH|after"},
                                                      "garbage"},
                                         BadBytesCase{"a frame over the size limit",
                                                      EncodeFrame("MSH|" + std::string(100, 'x')),
                                                      {"too_large:MSH|" + std::string(100, 'x'), "message:MSH|after"},
                                                      {"AR:too_large", "ACK:MSH|after"},
                                                      "too_large"},
                                         BadBytesCase{"a frame cut off by a new frame start",
                                                      std::string{kStartBlock} + "MSH|cut",
                                                      {"truncated:MSH|cut", "message:MSH|after"},
                                                      {"AR:truncated", "ACK:MSH|after"},
                                                      "truncated"},
                                         BadBytesCase{
                                             "an end block without its carriage return",
                                             std::string{kStartBlock} + "MSH|trailer" + std::string{kEndBlock} + "x",
                                             {"bad_trailer:MSH|trailer", "garbage:1 bytes", "message:MSH|after"},
                                             {"AR:bad_trailer", "ACK:MSH|after"},
                                             "bad_trailer"}),
                         [](const testing::TestParamInfo<BadBytesCase>& param_info) {
                             std::string name;
                             for (char c : param_info.param.name) {
                                 name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
                             }
                             return name;
                         });

TEST(MllpListener, AnswersAFrameCutOffByThePeersCloseThenCloses) {
    RunningListener listener;
    Client client(listener.Port());
    client.Write(std::string{kStartBlock} + "MSH|half");
    client.CloseSending();
    EXPECT_EQ(client.Reply(), "AR:truncated");
    EXPECT_EQ(client.Reply(), "<closed>");
}

TEST(MllpListener, ClosesAConnectionSilentForTheIdleTimeout) {
    ListenerOptions options;
    options.idle_timeout = 150ms;
    RunningListener listener(options);
    Client client(listener.Port());
    client.Send("MSH|one");
    EXPECT_EQ(client.Reply(), "ACK:MSH|one");
    const auto before = std::chrono::steady_clock::now();
    EXPECT_EQ(client.Reply(), "<closed>");
    EXPECT_GE(std::chrono::steady_clock::now() - before, 100ms);
}

TEST(MllpListener, DoesNotTimeOutAConnectionWhoseFrameIsBeingHandled) {
    ListenerOptions options;
    options.idle_timeout = 100ms;
    RunningListener listener(options);
    Client client(listener.Port());
    client.Send("sleep:300");
    EXPECT_EQ(client.Reply(), "ACK:sleep:300");
}

TEST(MllpListener, ClosesConnectionsBeyondTheLimitAtOnceAndServesTheOthers) {
    ListenerOptions options;
    options.max_connections = 1;
    RunningListener listener(options);
    Client first(listener.Port());
    first.Send("MSH|first");
    EXPECT_EQ(first.Reply(), "ACK:MSH|first");
    Client second(listener.Port());
    EXPECT_EQ(second.Reply(), "<closed>");
    first.Send("MSH|again");
    EXPECT_EQ(first.Reply(), "ACK:MSH|again");
    EXPECT_NE(listener.Metrics().find("kclinic_mllp_rejected_connections_total 1"), std::string::npos);
}

TEST(MllpListener, ClosesTheConnectionAfterItsReplyWhenTheHandlerAsksIgnoringLaterFrames) {
    RunningListener listener;
    Client client(listener.Port());
    // The later frame may have been handed over already (pipelining): its reply is not written all the same.
    client.Write(EncodeFrame("close") + EncodeFrame("MSH|later"));
    EXPECT_EQ(client.Reply(), "ACK:close");
    EXPECT_EQ(client.Reply(), "<closed>");
}

TEST(MllpListener, HandsPipelinedFramesOverWithoutWaitingForRepliesAndWritesTheRepliesInOrder) {
    // A handler that answers nothing until the connection's third frame has arrived, then all three, last first: a
    // listener that waited for each reply before handing over the next frame would never answer.
    std::mutex mutex;
    std::vector<std::pair<std::string, FrameResponder>> held;
    http::MetricsRegistry metrics;
    ListenerOptions options;
    options.port = 0;
    options.log = [](std::string_view) {};
    MllpListener listener(
        options,
        [&](const FrameEvent& event, const Peer&, const FrameResponder& responder) {
            std::lock_guard lock(mutex);
            held.emplace_back(event.payload, responder);
            if (held.size() == 3) {
                for (std::size_t i = held.size(); i-- > 0;) {
                    held[i].second.Reply({"ACK:" + held[i].first, AckCode::kAccept});
                }
            }
        },
        metrics);
    ASSERT_TRUE(listener.Listen().ok());
    std::thread runner([&listener] { listener.Run(); });
    {
        Client client(listener.Port());
        client.Write(EncodeFrame("MSH|1") + EncodeFrame("MSH|2"));
        client.Write(EncodeFrame("MSH|3"));
        EXPECT_EQ(client.Reply(), "ACK:MSH|1");
        EXPECT_EQ(client.Reply(), "ACK:MSH|2");
        EXPECT_EQ(client.Reply(), "ACK:MSH|3");
    }
    listener.Stop();
    runner.join();
    held.clear();  // responders hold their connections, which must not outlive the listener
}

TEST(MllpListener, ClosesTheConnectionWithoutAReplyWhenTheHandlerThrowsAndServesOthers) {
    RunningListener listener;
    Client failing(listener.Port());
    failing.Send("throw");
    EXPECT_EQ(failing.Reply(), "<closed>");
    Client other(listener.Port());
    other.Send("MSH|fine");
    EXPECT_EQ(other.Reply(), "ACK:MSH|fine");
    bool logged = false;
    for (const std::string& line : listener.Log()) {
        logged = logged || line.find("the handler failed") != std::string::npos;
    }
    EXPECT_TRUE(logged);
}

TEST(MllpListener, StopAnswersTheFrameBeingHandledThenClosesAndRunReturns) {
    RunningListener listener;
    Client client(listener.Port());
    client.Send("sleep:200");
    std::this_thread::sleep_for(50ms);  // the frame is with the handler
    std::thread stopper([&listener] { listener.StopAndJoin(); });
    EXPECT_EQ(client.Reply(), "ACK:sleep:200");
    EXPECT_EQ(client.Reply(), "<closed>");
    stopper.join();
    boost::system::error_code refused;
    net::io_context io;
    tcp::socket late(io);
    late.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), listener.Port()), refused);
    EXPECT_TRUE(refused) << "still accepting after Stop";
}

TEST(MllpListener, RefusesAHostThatIsNotAnAddress) {
    http::MetricsRegistry metrics;
    ListenerOptions options;
    options.host = "localhost";
    MllpListener listener(
        options, [](const FrameEvent&, const Peer&, const FrameResponder& responder) { responder.Reply({}); }, metrics);
    const Status listening = listener.Listen();
    ASSERT_FALSE(listening.ok());
    EXPECT_EQ(listening.error().field, "host");
}

}  // namespace
}  // namespace kclinic::adapters::hl7::mllp
