// The live channel over real loopback sockets: the server with a LiveHub, and the WebSocket test client. Authentication
// and subscription are fakes here (the real ones over the record are tested in the storage contract suite);
// everything between them and the socket is the real server. No assertion depends on timing: a client waits at most
// 10 s for what it expects, and the slow-client case publishes until the hub has dropped the client.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/http/http_server.hpp"
#include "adapters/http/live_channel.hpp"
#include "adapters/http/live_hub.hpp"
#include "adapters/http/testing/http_test_client.hpp"
#include "adapters/http/testing/live_test_client.hpp"
#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using adapters::json::Json;
using testing::LiveMessage;
using testing::LiveOpening;
using testing::LiveTestClient;

// RFC 6455 §7.4.1 close codes.
constexpr int kGoingAway = 1001;
constexpr int kMessageTooBig = 1009;
constexpr int kTryAgainLater = 1013;

// The next message of `client` as JSON; an empty object (with the reason in the failure) when none came.
Json ReadJson(LiveTestClient& client) {
    const LiveMessage message = client.Next();
    EXPECT_EQ(message.kind, LiveMessage::Kind::kText)
        << "instead of a message: kind " << static_cast<int>(message.kind) << ", close " << message.close_code << " "
        << message.close_reason << " " << message.text;
    return message.kind == LiveMessage::Kind::kText ? Json::parse(message.text) : Json::object();
}

// Reads until the connection ends: the server's close frame (its code and reason), or kEnded/kTimeout when it sent
// none.
LiveMessage ReadUntilClosed(LiveTestClient& client) {
    while (true) {
        LiveMessage message = client.Next();
        if (message.kind != LiveMessage::Kind::kText) {
            return message;
        }
    }
}

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

// What the PostgreSQL driver says when its server is away (libpq's words): an address an attacker should not learn.
constexpr std::string_view kStoreFailure =
    R"(connection to server at "10.20.30.40", port 5432 failed: FATAL:  password authentication failed for user "kclinic")";

// The fake record: session N belongs to patient 10 * N; session 404 does not exist; reading session 503 fails as a
// database that has gone away does.
Result<std::optional<LiveTopic>> FakeSubscribe(const LiveClient& /*client*/, std::string_view message) {
    Result<std::optional<LiveTopic>> parsed = ParseLiveMessage(message);
    if (!parsed.ok() || !*parsed || !(*parsed)->session) {
        return parsed;
    }
    const app::SessionId session = *(*parsed)->session;
    if (session.value == 404) {
        return Error{ErrorCode::kNotFound, "subscribe.session_id", "no session 404"};
    }
    if (session.value == 503) {
        return Error{ErrorCode::kUnavailable, "", std::string(kStoreFailure)};
    }
    return std::optional<LiveTopic>(LiveTopic::ForSession(session, app::PatientId{10 * session.value}));
}

app::LiveEvent Vital(std::int64_t patient, std::string record = R"({"code":"8867-4"})") {
    return app::LiveEvent{app::LiveEventKind::kVitalSign, app::PatientId{patient}, std::nullopt, std::move(record)};
}

// The fake audit: every entry as "receive PATIENT TOPIC" or "close PATIENT EVENTS", in the order written; the first
// event of `failing_patient` cannot be audited.
class FakeAudit {
public:
    explicit FakeAudit(std::int64_t failing_patient) : failing_patient_(failing_patient) {}

    LiveAuditor Auditor() {
        return LiveAuditor{[this](const LiveClient& /*client*/, app::PatientId patient, std::string_view topic) {
                               if (patient.value == failing_patient_) {
                                   return Status(Error{ErrorCode::kUnavailable, "", "the audit log is unavailable"});
                               }
                               Add("receive " + std::to_string(patient.value) + " " + std::string(topic));
                               return Status::Ok();
                           },
                           [this](const LiveClient& /*client*/, app::PatientId patient, std::size_t events) {
                               Add("close " + std::to_string(patient.value) + " " + std::to_string(events));
                               return Status::Ok();
                           }};
    }

    std::vector<std::string> Entries() {
        std::lock_guard lock(mutex_);
        return entries_;
    }

    // The entries once there are `count` of them, waiting at most 10 s (then what there is).
    std::vector<std::string> AwaitEntries(std::size_t count) {
        std::unique_lock lock(mutex_);
        added_.wait_for(lock, std::chrono::seconds{10}, [&] { return entries_.size() >= count; });
        return entries_;
    }

private:
    void Add(std::string entry) {
        {
            std::lock_guard lock(mutex_);
            entries_.push_back(std::move(entry));
        }
        added_.notify_all();
    }

    const std::int64_t failing_patient_;
    std::mutex mutex_;
    std::condition_variable added_;
    std::vector<std::string> entries_;  // GUARDED_BY(mutex_)
};

constexpr std::int64_t kUnauditablePatient = 666;

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
        options.log = [this](std::string_view line) {
            const std::scoped_lock lock(log_mutex_);
            log_.emplace_back(line);
        };
        options.live = LiveEndpoint{"/api/v1/live", hub_.get(), FakeAuthenticate, FakeSubscribe, audit_.Auditor()};
        server_ = std::make_unique<HttpServer>(options, Router{}, metrics_);
        ASSERT_TRUE(server_->Listen().ok());
        port_ = server_->Port();
        thread_ = std::thread([this] { server_->Run(); });
    }

    // A client with the API token, subscribed to `subscribe` (its "subscribed" answer read); nullptr (with a test
    // failure) when the upgrade was refused.
    std::unique_ptr<LiveTestClient> Subscribed(const std::string& subscribe) const {
        LiveOpening opening = LiveTestClient::OpenWithToken(port_, "nurse");
        EXPECT_NE(opening.client, nullptr) << opening.status << " " << opening.body << opening.problem;
        if (opening.client == nullptr) {
            return nullptr;
        }
        EXPECT_TRUE(opening.client->SendText(R"({"subscribe":)" + subscribe + "}"));
        EXPECT_EQ(ReadJson(*opening.client)["type"], "subscribed");
        return std::move(opening.client);
    }

    [[nodiscard]] bool MetricsHave(const std::string& sample) const {
        return metrics_.Render().find(sample + "\n") != std::string::npos;
    }

    // The server's log lines so far.
    std::vector<std::string> Log() {
        const std::scoped_lock lock(log_mutex_);
        return log_;
    }

    FakeAudit audit_{kUnauditablePatient};
    std::mutex log_mutex_;
    std::vector<std::string> log_;  // GUARDED_BY(log_mutex_)
    MetricsRegistry metrics_;
    std::unique_ptr<LiveHub> hub_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
};

TEST_F(LiveServerTest, AnUpgradeWithoutCredentialsIsAnswered401AsPlainHttp) {
    Start();
    const LiveOpening opening = LiveTestClient::Open(port_, {});
    EXPECT_EQ(opening.client, nullptr);
    EXPECT_EQ(opening.status, 401);
    EXPECT_EQ(Json::parse(opening.body)["error"]["code"], "unauthenticated");
    EXPECT_EQ(hub_->SubscriberCount(), 0U);
}

TEST_F(LiveServerTest, ACookieUpgradeFromAForeignOriginIsRefused403AndFromItsOwnPagesAccepted) {
    Start();
    const LiveOpening foreign =
        LiveTestClient::Open(port_, {{"Cookie", "kclinic_session=nurse"}, {"Origin", "http://evil.example"}});
    EXPECT_EQ(foreign.client, nullptr);
    EXPECT_EQ(foreign.status, 403);
    EXPECT_EQ(Json::parse(foreign.body)["error"]["field"], "Origin");

    EXPECT_EQ(LiveTestClient::Open(port_, {{"Cookie", "kclinic_session=nurse"}}).status, 403);

    const LiveOpening own = LiveTestClient::Open(
        port_, {{"Cookie", "kclinic_session=nurse"}, {"Origin", "http://127.0.0.1:" + std::to_string(port_)}});
    EXPECT_NE(own.client, nullptr) << own.problem;
    EXPECT_EQ(own.status, 101);
}

TEST_F(LiveServerTest, AnUpgradeWithAQueryParameterIsRefused400NamingIt) {
    Start();
    const LiveOpening opening = LiveTestClient::Open(port_, {{"Authorization", "Bearer nurse"}},
                                                     std::chrono::seconds{10}, "/api/v1/live?topic=x");
    EXPECT_EQ(opening.client, nullptr);
    EXPECT_EQ(opening.status, 400);
    EXPECT_EQ(Json::parse(opening.body)["error"]["field"], "topic");
    EXPECT_EQ(hub_->SubscriberCount(), 0U);
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
    std::unique_ptr<LiveTestClient> client = Subscribed(R"("board")");
    ASSERT_NE(client, nullptr);
    hub_->Publish(Vital(3));
    hub_->Publish(app::LiveEvent{app::LiveEventKind::kSessionState, app::PatientId{4}, app::SessionId{9},
                                 R"({"state":"monitoring"})"});

    const Json first = ReadJson(*client);
    EXPECT_EQ(first, Json::parse(R"({"type":"vital_sign","patient_id":3,"record":{"code":"8867-4"}})"));
    const Json second = ReadJson(*client);
    EXPECT_EQ(second["type"], "session_state");
    EXPECT_EQ(second["session_id"], 9);
    EXPECT_EQ(second["record"]["state"], "monitoring");
    EXPECT_TRUE(MetricsHave("kclinic_live_subscribers 1"));
}

// Issue 15 §7: the first event of each patient is audited before it is written, later ones of the same patient add
// nothing, and the end of the connection counts what each patient's audit entry covered.
TEST_F(LiveServerTest, EachPatientsFirstEventIsAuditedBeforeItIsSentAndTheEndCountsThem) {
    Start();
    std::unique_ptr<LiveTestClient> client = Subscribed(R"("board")");
    ASSERT_NE(client, nullptr);
    hub_->Publish(Vital(3));
    hub_->Publish(Vital(3));
    hub_->Publish(Vital(4));

    EXPECT_EQ(ReadJson(*client)["patient_id"], 3);
    const std::vector<std::string> on_first = audit_.Entries();  // written before the event was sent
    ASSERT_FALSE(on_first.empty());
    EXPECT_EQ(on_first.front(), "receive 3 board");
    EXPECT_EQ(ReadJson(*client)["patient_id"], 3);
    EXPECT_EQ(ReadJson(*client)["patient_id"], 4);
    EXPECT_EQ(audit_.Entries(), (std::vector<std::string>{"receive 3 board", "receive 4 board"}));

    ASSERT_TRUE(client->Close(1000));
    EXPECT_EQ(audit_.AwaitEntries(4),
              (std::vector<std::string>{"receive 3 board", "receive 4 board", "close 3 2", "close 4 1"}));
}

TEST_F(LiveServerTest, AnEventWhoseReceiptCannotBeAuditedIsNotSentAndTheConnectionCloses) {
    Start();
    std::unique_ptr<LiveTestClient> client = Subscribed(R"({"session_id":12})");  // patient 120
    ASSERT_NE(client, nullptr);
    hub_->Publish(Vital(120));
    EXPECT_EQ(ReadJson(*client)["patient_id"], 120);

    std::unique_ptr<LiveTestClient> board = Subscribed(R"("board")");
    ASSERT_NE(board, nullptr);
    hub_->Publish(Vital(kUnauditablePatient));
    const LiveMessage closed = board->Next();
    EXPECT_EQ(closed.kind, LiveMessage::Kind::kClose) << "the unaudited event was sent: " << closed.text;
    EXPECT_EQ(closed.close_code, kTryAgainLater);
    EXPECT_EQ(closed.close_reason, "audit unavailable");
    EXPECT_EQ(audit_.Entries(), std::vector<std::string>{"receive 120 session 12"});
}

TEST_F(LiveServerTest, ASessionReceivesOnlyItsOwnEventsAndItsPatients) {
    Start();
    std::unique_ptr<LiveTestClient> client = Subscribed(R"({"session_id":12})");  // patient 120
    ASSERT_NE(client, nullptr);
    hub_->Publish(Vital(5));
    hub_->Publish(app::LiveEvent{app::LiveEventKind::kSessionState, app::PatientId{120}, app::SessionId{11}, "{}"});
    hub_->Publish(Vital(120));
    hub_->Publish(app::LiveEvent{app::LiveEventKind::kAdministration, app::PatientId{120}, app::SessionId{12}, "{}"});

    const Json first = ReadJson(*client);
    EXPECT_EQ(first["type"], "vital_sign");
    EXPECT_EQ(first["patient_id"], 120);
    const Json second = ReadJson(*client);
    EXPECT_EQ(second["type"], "administration");
    EXPECT_EQ(second["session_id"], 12);

    ASSERT_TRUE(client->SendText(R"({"unsubscribe":true})"));
    EXPECT_EQ(ReadJson(*client)["type"], "unsubscribed");
    EXPECT_EQ(hub_->SubscriberCount(), 0U);
}

TEST_F(LiveServerTest, ABadMessageIsAnsweredWithAnErrorAndTheConnectionStaysOpen) {
    Start();
    const std::unique_ptr<LiveTestClient> client = std::move(LiveTestClient::OpenWithToken(port_, "nurse").client);
    ASSERT_NE(client, nullptr);

    ASSERT_TRUE(client->SendText(R"({"subscribe":"everything"})"));
    const Json malformed = ReadJson(*client);
    EXPECT_EQ(malformed["type"], "error");
    EXPECT_EQ(malformed["error"]["code"], "invalid_argument");
    EXPECT_EQ(malformed["error"]["field"], "subscribe");

    ASSERT_TRUE(client->SendText(R"({"subscribe":{"session_id":404}})"));
    const Json missing = ReadJson(*client);
    EXPECT_EQ(missing["error"]["code"], "not_found");
    EXPECT_EQ(missing["error"]["field"], "subscribe.session_id");
    EXPECT_EQ(hub_->SubscriberCount(), 0U);

    ASSERT_TRUE(client->SendText(R"({"subscribe":"board"})"));
    EXPECT_EQ(ReadJson(*client)["type"], "subscribed");
}

TEST_F(LiveServerTest, ADatabaseFailureIsAnsweredWithAFixedSentenceAndItsCauseGoesToTheLog) {
    Start();
    const LiveOpening opening = LiveTestClient::OpenWithToken(port_, "nurse");
    ASSERT_NE(opening.client, nullptr) << opening.status << " " << opening.body << opening.problem;

    ASSERT_TRUE(opening.client->SendText(R"({"subscribe":{"session_id":503}})"));
    // The sentence of an HTTP 503 (docs/api.md "Errors"), and nothing of the store's words: no address, no user.
    EXPECT_EQ(ReadJson(*opening.client), Json::parse(R"({"type":"error","error":{"code":"unavailable",
        "message":"the server cannot reach its database or another service it needs just now; retry shortly"}})"));
    const std::vector<std::string> log = Log();
    EXPECT_TRUE(std::any_of(log.begin(), log.end(),
                            [](const std::string& line) { return line.find(kStoreFailure) != std::string::npos; }))
        << "the cause is not in the log";
}

TEST_F(LiveServerTest, AMessageOverTheLimitClosesTheConnection) {
    Start();
    const std::unique_ptr<LiveTestClient> client = std::move(LiveTestClient::OpenWithToken(port_, "nurse").client);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendText(R"({"subscribe":")" + std::string(5000, 'x') + R"("})"));
    const LiveMessage closed = ReadUntilClosed(*client);
    EXPECT_EQ(closed.kind, LiveMessage::Kind::kClose) << closed.text;
    EXPECT_EQ(closed.close_code, kMessageTooBig);
}

TEST_F(LiveServerTest, AClientThatStopsReadingIsDroppedWithAReasonAndItsQueueStaysBounded) {
    Start(/*queue_limit=*/4);
    std::unique_ptr<LiveTestClient> client = Subscribed(R"("board")");
    ASSERT_NE(client, nullptr);
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
    const LiveMessage closed = ReadUntilClosed(*client);
    EXPECT_EQ(closed.kind, LiveMessage::Kind::kClose) << closed.text;
    EXPECT_EQ(closed.close_code, kTryAgainLater);
    EXPECT_EQ(closed.close_reason, kSlowClientReason);
}

TEST_F(LiveServerTest, StopClosesLiveConnectionsWithAReasonAndRunReturns) {
    Start();
    std::unique_ptr<LiveTestClient> board = Subscribed(R"("board")");
    std::unique_ptr<LiveTestClient> session = Subscribed(R"({"session_id":12})");
    server_->Stop();
    ASSERT_NE(board, nullptr);
    ASSERT_NE(session, nullptr);
    for (LiveTestClient* client : {board.get(), session.get()}) {
        const LiveMessage closed = ReadUntilClosed(*client);
        EXPECT_EQ(closed.kind, LiveMessage::Kind::kClose) << closed.text;
        EXPECT_EQ(closed.close_code, kGoingAway);
        EXPECT_EQ(closed.close_reason, "server shutting down");
    }
    thread_.join();
    EXPECT_EQ(hub_->SubscriberCount(), 0U);
}

TEST_F(LiveServerTest, ALiveConnectionCountsAgainstTheConnectionLimit) {
    Start(LiveHub::kDefaultQueueLimit, /*max_connections=*/1);
    std::unique_ptr<LiveTestClient> client = Subscribed(R"("board")");
    ASSERT_NE(client, nullptr);
    std::unique_ptr<testing::TestConnection> second = testing::TestConnection::Connect(port_);
    ASSERT_NE(second, nullptr);
    std::optional<testing::TestResponse> refused = second->Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503);
}

}  // namespace
}  // namespace kclinic::adapters::http
