// The server over real loopback sockets: framing, limits, timeouts, pipelining and graceful shutdown, with a
// plain-socket client that sends exactly the bytes each case needs. Routes that block or throw exist only here.

#include "adapters/http/http_server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/testing/http_test_client.hpp"
#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using adapters::json::Json;
using testing::RequestText;
using testing::TestConnection;
using testing::TestResponse;

// Holds the handlers of /slow until the test opens it, and lets the test wait until a given number have arrived,
// so "a request is in flight" is a fact the test knows, not a guess made by sleeping.
class Gate {
public:
    void Pass() {
        std::unique_lock lock(mutex_);
        ++arrived_;
        changed_.notify_all();
        changed_.wait(lock, [&] { return open_; });
    }
    void Open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }
    // False when fewer than `count` handlers arrived within 10 s.
    bool WaitForArrivals(int count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return arrived_ >= count; });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int arrived_ = 0;
    bool open_ = false;
};

HttpResponse Text(std::string body) {
    return HttpResponse{200, "text/plain", {}, std::move(body)};
}

class HttpServerTest : public ::testing::Test {
protected:
    ~HttpServerTest() override {
        gate_.Open();  // a test that failed half-way must not leave a worker blocked
        if (thread_.joinable()) {
            server_->Stop();
            thread_.join();
        }
    }

    // Starts a server on a free loopback port with the test routes; the options given replace the defaults.
    void Start(ServerOptions options = {}) {
        options.port = 0;
        if (options.worker_threads == 0) {
            options.worker_threads = 2;
        }
        options.log = [this](std::string_view line) {
            std::lock_guard lock(log_mutex_);
            log_.emplace_back(line);
        };
        Router router;
        router.Add(Method::kGet, "/echo/{word}", [](const HttpRequest& request, const PathParams& params) {
            Json body{{"word", params.at("word")},
                      {"n", std::string(request.QueryParameter("n").value_or(""))},
                      {"header", std::string(request.headers.Find("x-test").value_or(""))},
                      {"remote", request.remote_address}};
            HttpResponse response{200, std::string(kJsonContentType), {}, body.dump()};
            response.headers.Add("X-Handler", "echo");
            return response;
        });
        router.Add(Method::kPost, "/echo",
                   [](const HttpRequest& request, const PathParams&) { return Text(request.body); });
        router.Add(Method::kGet, "/slow", [this](const HttpRequest& request, const PathParams&) {
            gate_.Pass();
            return Text("slow " + std::string(request.QueryParameter("n").value_or("")));
        });
        router.Add(Method::kGet, "/throw", [](const HttpRequest&, const PathParams&) -> HttpResponse {
            throw std::runtime_error("the database went away");
        });
        server_ = std::make_unique<HttpServer>(options, std::move(router), metrics_);
        ASSERT_TRUE(server_->Listen().ok());
        port_ = server_->Port();
        ASSERT_NE(port_, 0);
        thread_ = std::thread([this] { server_->Run(); });
    }

    std::unique_ptr<TestConnection> Connect() {
        std::unique_ptr<TestConnection> connection = TestConnection::Connect(port_);
        EXPECT_NE(connection, nullptr);
        return connection;
    }

    std::vector<std::string> Log() {
        std::lock_guard lock(log_mutex_);
        return log_;
    }

    MetricsRegistry metrics_;
    Gate gate_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    std::mutex log_mutex_;
    std::vector<std::string> log_;
};

TEST_F(HttpServerTest, AnswersSeveralRequestsOnOneKeptAliveConnection) {
    Start();
    auto connection = Connect();
    for (const std::string word : {"one", "two", "three"}) {
        std::optional<TestResponse> response =
            connection->Exchange("GET", "/echo/" + word + "?n=a%20b", {}, "X-Test: yes\r\n");
        ASSERT_TRUE(response) << word;
        EXPECT_EQ(response->status, 200);
        EXPECT_EQ(response->Header("content-type"), "application/json");
        EXPECT_EQ(response->Header("x-handler"), "echo");
        EXPECT_EQ(response->Header("server"), "kclinic");
        EXPECT_NE(response->Header("connection"), "close");
        EXPECT_EQ(Json::parse(response->body),
                  (Json{{"word", word}, {"n", "a b"}, {"header", "yes"}, {"remote", "127.0.0.1"}}));
    }
    std::optional<TestResponse> echoed = connection->Exchange("POST", "/echo", "a body");
    ASSERT_TRUE(echoed);
    EXPECT_EQ(echoed->body, "a body");
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
    Start();
    auto connection = Connect();
    // The first is held on a worker; the others arrive behind it and must not overtake it.
    ASSERT_TRUE(connection->Send(RequestText("GET", "/slow?n=1") + RequestText("GET", "/echo/two") +
                                 RequestText("POST", "/echo", "three") + RequestText("GET", "/echo/four")));
    ASSERT_TRUE(gate_.WaitForArrivals(1));
    gate_.Open();
    std::optional<TestResponse> first = connection->Read();
    std::optional<TestResponse> second = connection->Read();
    std::optional<TestResponse> third = connection->Read();
    std::optional<TestResponse> fourth = connection->Read();
    ASSERT_TRUE(first && second && third && fourth);
    EXPECT_EQ(first->body, "slow 1");
    EXPECT_EQ(Json::parse(second->body)["word"], "two");
    EXPECT_EQ(third->body, "three");
    EXPECT_EQ(Json::parse(fourth->body)["word"], "four");
}

// More requests than the pipeline holds (8): reading pauses while the first is held, resumes as answers go out,
// and every request is answered, in order.
TEST_F(HttpServerTest, ADeepPipelineIsReadInBoundedStepsAndFullyAnswered) {
    Start();
    auto connection = Connect();
    std::string requests = RequestText("GET", "/slow?n=0");
    for (int i = 1; i < 20; ++i) {
        requests += RequestText("GET", "/echo/w" + std::to_string(i));
    }
    ASSERT_TRUE(connection->Send(requests));
    ASSERT_TRUE(gate_.WaitForArrivals(1));
    gate_.Open();
    std::optional<TestResponse> first = connection->Read();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->body, "slow 0");
    for (int i = 1; i < 20; ++i) {
        std::optional<TestResponse> response = connection->Read();
        ASSERT_TRUE(response) << i;
        EXPECT_EQ(Json::parse(response->body)["word"], "w" + std::to_string(i));
    }
}

TEST_F(HttpServerTest, ABodyOverTheLimitIs413AndClosesTheConnection) {
    Start();
    auto connection = Connect();
    const std::string body(2U << 20, 'x');
    connection->Send(RequestText("POST", "/echo", body));  // may fail part-way once the server has answered
    std::optional<TestResponse> response = connection->Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_EQ(response->Header("connection"), "close");
    const Json error = Json::parse(response->body)["error"];
    EXPECT_EQ(error["code"], "payload_too_large");
    EXPECT_EQ(error["message"], "the request body exceeds 1048576 bytes");
    EXPECT_TRUE(connection->WaitForClose());

    // A body just within the limit is fine.
    auto second = Connect();
    std::optional<TestResponse> accepted = second->Exchange("POST", "/echo", std::string(1U << 20, 'y'));
    ASSERT_TRUE(accepted);
    EXPECT_EQ(accepted->status, 200);
    EXPECT_EQ(accepted->body.size(), 1U << 20);
}

// `Expect: 100-continue` (curl sends it for bodies over 1 KiB and waits a second for the answer): "100 Continue"
// comes before the client sends the body, then the final answer; a body over the limit gets its 413 instead, and the
// client never sends it (RFC 9110 §10.1.1).
TEST_F(HttpServerTest, Expect100ContinueIsAnsweredBeforeTheBodyIsSent) {
    Start();
    auto connection = Connect();
    const std::string body(4096, 'c');
    const std::string request = RequestText("POST", "/echo", body, "Expect: 100-continue\r\n");
    ASSERT_TRUE(connection->Send(std::string_view(request).substr(0, request.size() - body.size())));
    std::optional<TestResponse> interim = connection->Read();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(connection->Send(body));
    std::optional<TestResponse> answer = connection->Read();
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->body, body);

    auto over = Connect();
    ASSERT_TRUE(
        over->Send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2097152\r\n"
                   "Expect: 100-continue\r\n\r\n"));
    std::optional<TestResponse> refused = over->Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 413);
    EXPECT_TRUE(over->WaitForClose());
}

TEST_F(HttpServerTest, OversizedHeadersAre431AndMalformedRequests400) {
    Start();
    auto big = Connect();
    std::optional<TestResponse> too_big =
        big->Exchange("GET", "/echo/x", {}, "X-Big: " + std::string(10000, 'h') + "\r\n");
    ASSERT_TRUE(too_big);
    EXPECT_EQ(too_big->status, 431);
    EXPECT_EQ(Json::parse(too_big->body)["error"]["code"], "header_fields_too_large");
    EXPECT_TRUE(big->WaitForClose());

    auto malformed = Connect();
    ASSERT_TRUE(malformed->Send("GET /echo/x HTTP/1.1\r\nHost test\r\n\r\n"));
    std::optional<TestResponse> bad = malformed->Read();
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_EQ(Json::parse(bad->body)["error"]["code"], "bad_request");
    EXPECT_TRUE(malformed->WaitForClose());

    // A well-framed request with a target that is not a path: refused, and the connection stays usable.
    auto absolute = Connect();
    std::optional<TestResponse> refused = absolute->Exchange("GET", "http://example.org/echo/x");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400);
    EXPECT_EQ(Json::parse(refused->body)["error"]["field"], "target");
    std::optional<TestResponse> next = absolute->Exchange("GET", "/echo/y");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
    Start();
    auto connection = Connect();
    std::optional<TestResponse> missing = connection->Exchange("GET", "/nowhere");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(Json::parse(missing->body)["error"]["code"], "not_found");

    std::optional<TestResponse> wrong = connection->Exchange("DELETE", "/echo/x");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 405);
    EXPECT_EQ(wrong->Header("allow"), "GET, HEAD");
    EXPECT_EQ(Json::parse(wrong->body)["error"]["code"], "method_not_allowed");

    std::optional<TestResponse> unknown_method = connection->Exchange("BREW", "/echo/x");
    ASSERT_TRUE(unknown_method);
    EXPECT_EQ(unknown_method->status, 405);
}

TEST_F(HttpServerTest, HeadSendsTheGetHeadersWithoutTheBody) {
    Start();
    auto connection = Connect();
    std::optional<TestResponse> head = connection->Exchange("HEAD", "/echo/x");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->Header("content-length"),
              std::to_string(Json{{"word", "x"}, {"n", ""}, {"header", ""}, {"remote", "127.0.0.1"}}.dump().size()));
    // The next response starts right where the headers ended: no body bytes came in between.
    std::optional<TestResponse> get = connection->Exchange("GET", "/echo/y");
    ASSERT_TRUE(get);
    EXPECT_EQ(Json::parse(get->body)["word"], "y");
}

TEST_F(HttpServerTest, AHandlerThatThrowsIs500AndALogLine) {
    Start();
    auto connection = Connect();
    std::optional<TestResponse> response = connection->Exchange("GET", "/throw");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
    const Json error = Json::parse(response->body)["error"];
    EXPECT_EQ(error["code"], "internal");
    EXPECT_EQ(error["message"].get<std::string>().find("database"), std::string::npos);  // no detail to clients
    const std::vector<std::string> log = Log();
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0], "GET /throw: handler failed: the database went away");
    // The connection survives.
    std::optional<TestResponse> next = connection->Exchange("GET", "/echo/after");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, ClientConnectionCloseIsHonoured) {
    Start();
    auto connection = Connect();
    std::optional<TestResponse> response = connection->Exchange("GET", "/echo/bye", {}, "Connection: close\r\n");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->Header("connection"), "close");
    EXPECT_TRUE(connection->WaitForClose());
}

TEST_F(HttpServerTest, AnIdleKeepAliveConnectionIsClosed) {
    ServerOptions options;
    options.idle_timeout = std::chrono::milliseconds(100);
    Start(options);
    auto connection = Connect();
    ASSERT_TRUE(connection->Exchange("GET", "/echo/x"));
    EXPECT_TRUE(connection->WaitForClose());
}

TEST_F(HttpServerTest, ARequestThatNeverCompletesIsClosedAfterTheReadTimeout) {
    ServerOptions options;
    options.read_timeout = std::chrono::milliseconds(100);
    Start(options);
    auto connection = Connect();
    ASSERT_TRUE(connection->Send("GET /echo/x HTTP/1.1\r\nHost: te"));
    EXPECT_TRUE(connection->WaitForClose());
}

// The idle timeout counts only while nothing is in flight: a handler slower than it still gets its answer out.
TEST_F(HttpServerTest, ASlowHandlerOutlastsTheIdleTimeout) {
    ServerOptions options;
    options.idle_timeout = std::chrono::milliseconds(50);
    Start(options);
    auto connection = Connect();
    ASSERT_TRUE(connection->Send(RequestText("GET", "/slow?n=7")));
    ASSERT_TRUE(gate_.WaitForArrivals(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    gate_.Open();
    std::optional<TestResponse> response = connection->Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "slow 7");
}

TEST_F(HttpServerTest, BeyondTheConnectionLimitANewConnectionIs503) {
    ServerOptions options;
    options.max_connections = 1;
    Start(options);
    auto first = Connect();
    ASSERT_TRUE(first->Exchange("GET", "/echo/x"));  // the first is surely accepted and counted

    auto second = Connect();
    std::optional<TestResponse> refused = second->Read();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503);
    EXPECT_EQ(refused->Header("retry-after"), "1");
    EXPECT_EQ(Json::parse(refused->body)["error"]["code"], "unavailable");
    EXPECT_TRUE(second->WaitForClose());
    EXPECT_NE(metrics_.Render().find("kclinic_http_rejected_connections_total 1\n"), std::string::npos);

    std::optional<TestResponse> still = first->Exchange("GET", "/echo/y");
    ASSERT_TRUE(still);
    EXPECT_EQ(still->status, 200);
}

TEST_F(HttpServerTest, MetricsCountRequestsByRoutePatternAndOpenConnections) {
    Start();
    auto connection = Connect();
    ASSERT_TRUE(connection->Exchange("GET", "/echo/a"));
    ASSERT_TRUE(connection->Exchange("GET", "/echo/b"));
    ASSERT_TRUE(connection->Exchange("GET", "/nowhere/at/all"));
    ASSERT_TRUE(connection->Exchange("DELETE", "/echo/c"));
    const std::string text = metrics_.Render();
    EXPECT_NE(text.find("kclinic_http_requests_total{route=\"/echo/{word}\",method=\"GET\",status=\"200\"} 2\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("kclinic_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("kclinic_http_requests_total{route=\"/echo/{word}\",method=\"DELETE\",status=\"405\"} 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("kclinic_http_request_duration_seconds_count{route=\"/echo/{word}\"} 3\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("kclinic_http_request_duration_seconds_bucket{route=\"/echo/{word}\",le=\"+Inf\"} 3\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("kclinic_http_open_connections 1\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("/echo/a"), std::string::npos) << "raw paths must never become label values";
}

TEST_F(HttpServerTest, ManyClientsOnSeveralIoThreads) {
    ServerOptions options;
    options.io_threads = 2;
    options.worker_threads = 4;
    Start(options);
    constexpr int kClients = 8;
    constexpr int kRequests = 25;
    std::vector<std::thread> clients;
    std::vector<int> answered(kClients, 0);
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            std::unique_ptr<TestConnection> connection = TestConnection::Connect(port_);
            if (connection == nullptr) {
                return;
            }
            for (int r = 0; r < kRequests; ++r) {
                const std::string word = "c" + std::to_string(c) + "r" + std::to_string(r);
                std::optional<TestResponse> response = connection->Exchange("GET", "/echo/" + word);
                if (response && response->status == 200 && Json::parse(response->body)["word"] == word) {
                    ++answered[static_cast<std::size_t>(c)];
                }
            }
        });
    }
    for (std::thread& client : clients) {
        client.join();
    }
    for (int c = 0; c < kClients; ++c) {
        EXPECT_EQ(answered[static_cast<std::size_t>(c)], kRequests) << "client " << c;
    }
    EXPECT_NE(
        metrics_.Render().find("kclinic_http_requests_total{route=\"/echo/{word}\",method=\"GET\",status=\"200\"} " +
                               std::to_string(kClients * kRequests) + "\n"),
        std::string::npos);
}

TEST_F(HttpServerTest, StopDrainsInFlightRequestsAndClosesIdleConnections) {
    Start();
    auto busy = Connect();
    auto idle = Connect();
    ASSERT_TRUE(idle->Exchange("GET", "/echo/x"));
    ASSERT_TRUE(busy->Send(RequestText("GET", "/slow?n=9")));
    ASSERT_TRUE(gate_.WaitForArrivals(1));

    server_->Stop();
    EXPECT_TRUE(idle->WaitForClose());
    // Once the acceptor is closed, new connections are refused (the listening socket is gone).
    bool refused = false;
    for (int attempt = 0; attempt < 100 && !refused; ++attempt) {
        refused = TestConnection::Connect(port_) == nullptr;
        if (!refused) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    EXPECT_TRUE(refused);

    gate_.Open();
    std::optional<TestResponse> response = busy->Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "slow 9");
    EXPECT_EQ(response->Header("connection"), "close");
    EXPECT_TRUE(busy->WaitForClose());
    busy.reset();    // the server lingers until the client closes its side too (or 2 s pass)
    thread_.join();  // Run returned on its own: every connection drained
    EXPECT_TRUE(Log().empty());
}

TEST_F(HttpServerTest, StopAnswersRequestsAlreadyPipelinedBehindTheInFlightOne) {
    Start();
    auto connection = Connect();
    ASSERT_TRUE(connection->Send(RequestText("GET", "/slow?n=1") + RequestText("GET", "/echo/two")));
    ASSERT_TRUE(gate_.WaitForArrivals(1));
    server_->Stop();
    gate_.Open();
    std::optional<TestResponse> first = connection->Read();
    std::optional<TestResponse> second = connection->Read();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->body, "slow 1");
    EXPECT_NE(first->Header("connection"), "close");
    EXPECT_EQ(Json::parse(second->body)["word"], "two");
    EXPECT_EQ(second->Header("connection"), "close");
    EXPECT_TRUE(connection->WaitForClose());
    connection.reset();
    thread_.join();
}

TEST_F(HttpServerTest, ADrainPastItsDeadlineReturnsAnyway) {
    ServerOptions options;
    options.drain_timeout = std::chrono::milliseconds(100);
    Start(options);
    auto connection = Connect();
    ASSERT_TRUE(connection->Send(RequestText("GET", "/slow?n=1")));
    ASSERT_TRUE(gate_.WaitForArrivals(1));
    server_->Stop();
    thread_.join();  // returns although the handler is still held
    const std::vector<std::string> log = Log();
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0], "drain deadline passed with 1 connections still open; stopping without them");
    gate_.Open();  // lets the worker finish, so the server's destructor can join it
    server_.reset();
}

TEST_F(HttpServerTest, StopBeforeRunReturnsAtOnce) {
    Start();
    server_->Stop();
    thread_.join();
    EXPECT_EQ(TestConnection::Connect(port_), nullptr);
}

TEST(HttpServerListenTest, RefusesAHostThatIsNotAnAddressAndAPortInUse) {
    MetricsRegistry metrics;
    ServerOptions bad_host;
    bad_host.host = "localhost.example";
    HttpServer unresolvable(bad_host, Router(), metrics);
    Status status = unresolvable.Listen();
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().field, "host");

    ServerOptions first_options;
    first_options.port = 0;
    HttpServer first(first_options, Router(), metrics);
    ASSERT_TRUE(first.Listen().ok());
    ServerOptions same_port;
    same_port.port = first.Port();
    HttpServer second(same_port, Router(), metrics);
    Status in_use = second.Listen();
    ASSERT_FALSE(in_use.ok());
    EXPECT_EQ(in_use.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(in_use.error().field, "listen");
    EXPECT_NE(in_use.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(first.Port())),
              std::string::npos);
}

TEST(HttpServerListenTest, ServesOnIpv6Loopback) {
    MetricsRegistry metrics;
    ServerOptions options;
    options.host = "::1";
    options.port = 0;
    Router router;
    router.Add(Method::kGet, "/", [](const HttpRequest& request, const PathParams&) {
        return HttpResponse{200, "text/plain", {}, request.remote_address};
    });
    HttpServer server(options, std::move(router), metrics);
    if (Status listening = server.Listen(); !listening.ok()) {
        GTEST_SKIP() << "no IPv6 loopback on this machine: " << listening.error().ToString();
    }
    std::thread thread([&] { server.Run(); });
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(server.Port(), "::1");
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> response = connection->Exchange("GET", "/");
    server.Stop();
    thread.join();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "::1");
}

}  // namespace
}  // namespace kclinic::adapters::http
