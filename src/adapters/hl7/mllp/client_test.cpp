// The MLLP client against the real listener over loopback TCP.

#include "adapters/hl7/mllp/client.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "adapters/hl7/mllp/listener.hpp"

namespace kclinic::adapters::hl7::mllp {
namespace {

using namespace std::chrono_literals;

// A listener that echoes "ACK:<message>", answers "silent" with nothing and "close" by closing.
class EchoListener {
public:
    EchoListener() {
        ListenerOptions options;
        options.port = 0;
        options.log = [](std::string_view) {};
        listener_ = std::make_unique<MllpListener>(
            options,
            [](const FrameEvent& event, const Peer&, const FrameResponder& responder) {
                if (event.payload == "silent") {
                    responder.Reply({});
                } else if (event.payload == "close") {
                    responder.Reply({"", AckCode::kError, true});
                } else {
                    responder.Reply({"ACK:" + event.payload, AckCode::kAccept});
                }
            },
            metrics_);
        EXPECT_TRUE(listener_->Listen().ok());
        runner_ = std::thread([this] { listener_->Run(); });
    }
    ~EchoListener() {
        listener_->Stop();
        runner_.join();
    }
    EchoListener(const EchoListener&) = delete;
    EchoListener& operator=(const EchoListener&) = delete;
    std::uint16_t Port() const { return listener_->Port(); }

private:
    http::MetricsRegistry metrics_;
    std::unique_ptr<MllpListener> listener_;
    std::thread runner_;
};

TEST(MllpClient, ExchangesMessagesForTheirAcks) {
    EchoListener listener;
    auto client = MllpClient::Connect("127.0.0.1", listener.Port(), 2s);
    ASSERT_TRUE(client.ok()) << client.error().message;
    for (const std::string& message : {std::string("MSH|1"), std::string("MSH|2"), std::string(100000, 'x')}) {
        auto ack = client.value()->Exchange(message, 2s);
        ASSERT_TRUE(ack.ok()) << ack.error().message;
        EXPECT_EQ(ack.value(), "ACK:" + message);
    }
}

TEST(MllpClient, SaysWhenNoAckComesInTime) {
    EchoListener listener;
    auto client = MllpClient::Connect("127.0.0.1", listener.Port(), 2s);
    ASSERT_TRUE(client.ok());
    const auto before = std::chrono::steady_clock::now();
    auto ack = client.value()->Exchange("silent", 200ms);
    ASSERT_FALSE(ack.ok());
    EXPECT_EQ(ack.error().field, "ack");
    EXPECT_NE(ack.error().message.find("no ACK within 200 ms"), std::string::npos) << ack.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
}

TEST(MllpClient, SaysWhenTheListenerClosesWithoutAnAck) {
    EchoListener listener;
    auto client = MllpClient::Connect("127.0.0.1", listener.Port(), 2s);
    ASSERT_TRUE(client.ok());
    auto ack = client.value()->Exchange("close", 2s);
    ASSERT_FALSE(ack.ok());
    EXPECT_NE(ack.error().message.find("closed the connection without an ACK"), std::string::npos)
        << ack.error().message;
}

TEST(MllpClient, SaysWhenNothingListens) {
    std::uint16_t port = 0;
    {
        EchoListener closed;
        port = closed.Port();
    }
    auto client = MllpClient::Connect("127.0.0.1", port, 2s);
    ASSERT_FALSE(client.ok());
    EXPECT_EQ(client.error().field, "connect");
    EXPECT_FALSE(MllpClient::Connect("localhost", port, 2s).ok());
}

}  // namespace
}  // namespace kclinic::adapters::hl7::mllp
