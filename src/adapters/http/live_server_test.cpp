// The live channel over real loopback sockets: the server with a LiveHub, and a Beast WebSocket client in this file.
// Authentication and subscription are fakes here (the real ones over the record are tested in the storage contract
// suite); everything between them and the socket is the real server. No assertion depends on timing: a client waits
// at most 10 s for what it expects, and the slow-client case publishes until the hub has dropped the client.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "adapters/http/http_server.hpp"
#include "adapters/http/live_channel.hpp"
#include "adapters/http/live_hub.hpp"
#include "adapters/http/testing/http_test_client.hpp"
#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using adapters::json::Json;
using tcp = net::ip::tcp;

constexpr std::chrono::seconds kPatience{10};

// A WebSocket client whose every step waits at most kPatience: each runs the client's own io_context until the step
// completes, and a step that does not complete fails the test instead of hanging it.
class LiveClientSocket {
public:
    struct Handshake {
        beast::error_code ec;
        websocket::response_type response;  // the server's answer, also when it refused the upgrade
    };

    // Opens a TCP connection to the server and asks for the upgrade with `fields` added to the request.
    Handshake Open(std::uint16_t port, const std::vector<std::pair<std::string, std::string>>& fields,
                   const std::string& target = "/api/v1/live") {
        Handshake result;
        beast::error_code ec;
        beast::get_lowest_layer(ws_).socket().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
        if (ec) {
            result.ec = ec;
            return result;
        }
        ws_.set_option(websocket::stream_base::decorator([fields](websocket::request_type& request) {
            for (const auto& [name, value] : fields) {
                request.set(name, value);
            }
        }));
        bool done = false;
        ws_.async_handshake(result.response, "127.0.0.1:" + std::to_string(port), target, [&](beast::error_code e) {
            result.ec = e;
            done = true;
        });
        Wait(done);
        return result;
    }

    void Send(const std::string& text) {
        bool done = false;
        ws_.text(true);
        ws_.async_write(net::buffer(text), [&](beast::error_code e, std::size_t) {
            EXPECT_FALSE(e) << e.message();
            done = true;
        });
        Wait(done);
    }

    // The next message, or nullopt when the connection ended first (closed() and reason() say how).
    std::optional<std::string> Read() {
        bool done = false;
        beast::flat_buffer buffer;
        ws_.async_read(buffer, [&](beast::error_code e, std::size_t) {
            ended_ = e;
            done = true;
        });
        Wait(done);
        if (ended_) {
            return std::nullopt;
        }
        return beast::buffers_to_string(buffer.data());
    }

    // The next message as JSON; an empty object when the connection ended.
    Json ReadJson() {
        std::optional<std::string> message = Read();
        EXPECT_TRUE(message) << "the connection ended: " << ended_.message();
        return message ? Json::parse(*message) : Json::object();
    }

    // Reads until the server closes; true when it sent a close frame (its code and reason in reason()).
    bool ReadUntilClosed() {
        while (Read()) {
        }
        return ended_ == websocket::error::closed;
    }

    [[nodiscard]] const websocket::close_reason& reason() const { return ws_.reason(); }

private:
    void Wait(bool& done) {
        io_.restart();
        io_.run_for(kPatience);
        if (!done) {
            ADD_FAILURE() << "the server did not answer within " << kPatience.count() << " s";
            beast::get_lowest_layer(ws_).close();
            io_.restart();
            io_.run();
        }
    }

    net::io_context io_;
    websocket::stream<beast::tcp_stream> ws_{io_};
    beast::error_code ended_;
};

// The fake credentials: "Bearer nurse" is an API token, the cookie kclinic_session=nurse a browser session; every
// other request is refused.
Result<app::Principal> FakeAuthenticate(const HttpRequest& request) {
    app::Principal principal;
    principal.email = "nurse@clinic.example";
    principal.role = app::Role::kNurse;
    if (request.headers.Find("Authorization") == std::optional<std::string_view>("Bearer nurse")) {
        principal.method = app::AuthMethod::kApiToken;
        return principal;
    }
    if (request.headers.Find("Cookie") == std::optional<std::string_view>("kclinic_session=nurse")) {
        principal.method = app::AuthMethod::kSession;
        return principal;
    }
    return Error{ErrorCode::kUnauthenticated, "", "log in first"};
}

// The fake record: session N belongs to patient 10 * N; session 404 does not exist.
Result<std::optional<LiveTopic>> FakeSubscribe(const LiveClient& /*client*/, std::string_view message) {
    Result<std::optional<LiveTopic>> parsed = ParseLiveMessage(message);
    if (!parsed.ok() || !*parsed || !(*parsed)->session) {
        return parsed;
    }
    const app::SessionId session = *(*parsed)->session;
    if (session.value == 404) {
        return Error{ErrorCode::kNotFound, "subscribe.session_id", "no session 404"};
    }
    return std::optional<LiveTopic>(LiveTopic::ForSession(session, app::PatientId{10 * session.value}));
}

app::LiveEvent Vital(std::int64_t patient, std::string record = R"({"code":"8867-4"})") {
    return app::LiveEvent{app::LiveEventKind::kVitalSign, app::PatientId{patient}, std::nullopt, std::move(record)};
}

class LiveServerTest : public ::testing::Test {
protected:
    ~LiveServerTest() override {
        if (thread_.joinable()) {
            server_->Stop();
            thread_.join();
        }
    }

    void Start(std::size_t queue_limit = LiveHub::kDefaultQueueLimit, int max_connections = 512) {
        hub_ = std::make_unique<LiveHub>(metrics_, queue_limit);
        ServerOptions options;
        options.port = 0;
        options.worker_threads = 2;
        options.max_connections = max_connections;
        options.log = [](std::string_view) {};
        options.live = LiveEndpoint{"/api/v1/live", hub_.get(), FakeAuthenticate, FakeSubscribe};
        server_ = std::make_unique<HttpServer>(options, Router{}, metrics_);
        ASSERT_TRUE(server_->Listen().ok());
        port_ = server_->Port();
        thread_ = std::thread([this] { server_->Run(); });
    }

    // A client with the API token, subscribed to `subscribe` (its "subscribed" answer read).
    std::unique_ptr<LiveClientSocket> Subscribed(const std::string& subscribe) {
        auto client = std::make_unique<LiveClientSocket>();
        const LiveClientSocket::Handshake handshake = client->Open(port_, {{"Authorization", "Bearer nurse"}});
        EXPECT_FALSE(handshake.ec) << handshake.ec.message();
        client->Send(R"({"subscribe":)" + subscribe + "}");
        EXPECT_EQ(client->ReadJson()["type"], "subscribed");
        return client;
    }

    [[nodiscard]] bool MetricsHave(const std::string& sample) const {
        return metrics_.Render().find(sample + "\n") != std::string::npos;
    }

    MetricsRegistry metrics_;
    std::unique_ptr<LiveHub> hub_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
};

TEST_F(LiveServerTest, AnUpgradeWithoutCredentialsIsAnswered401AsPlainHttp) {
    Start();
    LiveClientSocket client;
    const LiveClientSocket::Handshake handshake = client.Open(port_, {});
    EXPECT_EQ(handshake.ec, websocket::error::upgrade_declined);
    EXPECT_EQ(handshake.response.result_int(), 401);
    EXPECT_EQ(Json::parse(handshake.response.body())["error"]["code"], "unauthenticated");
    EXPECT_EQ(hub_->SubscriberCount(), 0U);
}

TEST_F(LiveServerTest, ACookieUpgradeFromAForeignOriginIsRefused403AndFromItsOwnPagesAccepted) {
    Start();
    LiveClientSocket foreign;
    const LiveClientSocket::Handshake refused =
        foreign.Open(port_, {{"Cookie", "kclinic_session=nurse"}, {"Origin", "http://evil.example"}});
    EXPECT_EQ(refused.ec, websocket::error::upgrade_declined);
    EXPECT_EQ(refused.response.result_int(), 403);
    EXPECT_EQ(Json::parse(refused.response.body())["error"]["field"], "Origin");

    LiveClientSocket missing;
    EXPECT_EQ(missing.Open(port_, {{"Cookie", "kclinic_session=nurse"}}).response.result_int(), 403);

    LiveClientSocket own;
    const LiveClientSocket::Handshake accepted =
        own.Open(port_, {{"Cookie", "kclinic_session=nurse"}, {"Origin", "http://127.0.0.1:" + std::to_string(port_)}});
    EXPECT_FALSE(accepted.ec) << accepted.ec.message();
    EXPECT_EQ(accepted.response.result_int(), 101);
}

TEST_F(LiveServerTest, APlainRequestToTheLivePathIsAnswered426) {
    Start();
    std::unique_ptr<testing::TestConnection> connection = testing::TestConnection::Connect(port_);
    ASSERT_NE(connection, nullptr);
    std::optional<testing::TestResponse> response = connection->Exchange("GET", "/api/v1/live");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 426);
    EXPECT_EQ(response->Header("upgrade"), "websocket");
}

TEST_F(LiveServerTest, TheBoardReceivesEveryEventPublishedOnTheHub) {
    Start();
    std::unique_ptr<LiveClientSocket> client = Subscribed(R"("board")");
    hub_->Publish(Vital(3));
    hub_->Publish(app::LiveEvent{app::LiveEventKind::kSessionState, app::PatientId{4}, app::SessionId{9},
                                 R"({"state":"monitoring"})"});

    const Json first = client->ReadJson();
    EXPECT_EQ(first, Json::parse(R"({"type":"vital_sign","patient_id":3,"record":{"code":"8867-4"}})"));
    const Json second = client->ReadJson();
    EXPECT_EQ(second["type"], "session_state");
    EXPECT_EQ(second["session_id"], 9);
    EXPECT_EQ(second["record"]["state"], "monitoring");
    EXPECT_TRUE(MetricsHave("kclinic_live_subscribers 1"));
}

TEST_F(LiveServerTest, ASessionReceivesOnlyItsOwnEventsAndItsPatients) {
    Start();
    std::unique_ptr<LiveClientSocket> client = Subscribed(R"({"session_id":12})");  // patient 120
    hub_->Publish(Vital(5));
    hub_->Publish(app::LiveEvent{app::LiveEventKind::kSessionState, app::PatientId{120}, app::SessionId{11}, "{}"});
    hub_->Publish(Vital(120));
    hub_->Publish(app::LiveEvent{app::LiveEventKind::kAdministration, app::PatientId{120}, app::SessionId{12}, "{}"});

    const Json first = client->ReadJson();
    EXPECT_EQ(first["type"], "vital_sign");
    EXPECT_EQ(first["patient_id"], 120);
    const Json second = client->ReadJson();
    EXPECT_EQ(second["type"], "administration");
    EXPECT_EQ(second["session_id"], 12);

    client->Send(R"({"unsubscribe":true})");
    EXPECT_EQ(client->ReadJson()["type"], "unsubscribed");
    EXPECT_EQ(hub_->SubscriberCount(), 0U);
}

TEST_F(LiveServerTest, ABadMessageIsAnsweredWithAnErrorAndTheConnectionStaysOpen) {
    Start();
    LiveClientSocket client;
    ASSERT_FALSE(client.Open(port_, {{"Authorization", "Bearer nurse"}}).ec);

    client.Send(R"({"subscribe":"everything"})");
    const Json malformed = client.ReadJson();
    EXPECT_EQ(malformed["type"], "error");
    EXPECT_EQ(malformed["error"]["code"], "invalid_argument");
    EXPECT_EQ(malformed["error"]["field"], "subscribe");

    client.Send(R"({"subscribe":{"session_id":404}})");
    const Json missing = client.ReadJson();
    EXPECT_EQ(missing["error"]["code"], "not_found");
    EXPECT_EQ(missing["error"]["field"], "subscribe.session_id");
    EXPECT_EQ(hub_->SubscriberCount(), 0U);

    client.Send(R"({"subscribe":"board"})");
    EXPECT_EQ(client.ReadJson()["type"], "subscribed");
}

TEST_F(LiveServerTest, AMessageOverTheLimitClosesTheConnection) {
    Start();
    LiveClientSocket client;
    ASSERT_FALSE(client.Open(port_, {{"Authorization", "Bearer nurse"}}).ec);
    client.Send(R"({"subscribe":")" + std::string(5000, 'x') + R"("})");
    EXPECT_TRUE(client.ReadUntilClosed());
    EXPECT_EQ(client.reason().code, websocket::close_code::too_big);
}

TEST_F(LiveServerTest, AClientThatStopsReadingIsDroppedWithAReasonAndItsQueueStaysBounded) {
    Start(/*queue_limit=*/4);
    std::unique_ptr<LiveClientSocket> client = Subscribed(R"("board")");
    // Large records fill the socket's buffers after a few megabytes; then the server's write waits, the hub's queue
    // of 4 fills, and the next event drops the client. The loop stops there: nothing here depends on timing.
    const std::string record = R"({"pad":")" + std::string(64 << 10, 'x') + R"("})";
    int published = 0;
    while (hub_->SubscriberCount() > 0 && published < 20000) {
        hub_->Publish(Vital(1, record));
        ++published;
    }
    ASSERT_EQ(hub_->SubscriberCount(), 0U) << "still subscribed after " << published << " events";
    EXPECT_TRUE(MetricsHave("kclinic_live_clients_dropped_total 1"));

    // Reading now: what was already on its way arrives, then the close frame with the reason.
    EXPECT_TRUE(client->ReadUntilClosed());
    EXPECT_EQ(client->reason().code, websocket::close_code::try_again_later);
    EXPECT_EQ(std::string(client->reason().reason.data(), client->reason().reason.size()), kSlowClientReason);
}

TEST_F(LiveServerTest, StopClosesLiveConnectionsWithAReasonAndRunReturns) {
    Start();
    std::unique_ptr<LiveClientSocket> board = Subscribed(R"("board")");
    std::unique_ptr<LiveClientSocket> session = Subscribed(R"({"session_id":12})");
    server_->Stop();
    for (LiveClientSocket* client : {board.get(), session.get()}) {
        EXPECT_TRUE(client->ReadUntilClosed());
        EXPECT_EQ(client->reason().code, websocket::close_code::going_away);
        EXPECT_EQ(std::string(client->reason().reason.data(), client->reason().reason.size()), "server shutting down");
    }
    thread_.join();
    EXPECT_EQ(hub_->SubscriberCount(), 0U);
}

TEST_F(LiveServerTest, ALiveConnectionCountsAgainstTheConnectionLimit) {
    Start(LiveHub::kDefaultQueueLimit, /*max_connections=*/1);
    std::unique_ptr<LiveClientSocket> client = Subscribed(R"("board")");
    std::unique_ptr<testing::TestConnection> second = testing::TestConnection::Connect(port_);
    ASSERT_NE(second, nullptr);
    std::optional<testing::TestResponse> refused = second->Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503);
}

}  // namespace
}  // namespace kclinic::adapters::http
