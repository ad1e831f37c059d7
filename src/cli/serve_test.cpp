// `kclinic serve` as an operator runs it: the real binary on a free loopback port and a fresh SQLite file, its URL
// read from the line it prints, spoken to over real HTTP, and stopped with SIGTERM or SIGINT (exit status 0).

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/testing/http_test_client.hpp"
#include "cli/testing/serve_process.hpp"

namespace {

using Json = nlohmann::json;
using kclinic::adapters::http::testing::RequestText;
using kclinic::adapters::http::testing::TestConnection;
using kclinic::adapters::http::testing::TestResponse;
using kclinic::cli::testing::ServeProcess;

class ServeTest : public ::testing::Test {
protected:
    ServeTest() {
        char folder[] = "/tmp/kclinic_serve_XXXXXX";
        EXPECT_NE(mkdtemp(folder), nullptr);
        folder_ = folder;
        db_ = "sqlite:" + folder_ + "/clinic.db";
    }
    ~ServeTest() override { std::filesystem::remove_all(folder_); }

    // Starts `kclinic serve` on port 0 and returns the port it printed (0 when the line did not come).
    std::uint16_t Start(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"serve", "--db", db_, "--listen", "127.0.0.1:0"};
        args.insert(args.end(), extra.begin(), extra.end());
        process_ = std::make_unique<ServeProcess>(args);
        const std::string line = process_->FirstLine();
        std::smatch match;
        const std::regex expected(R"(kclinic serving on http://127\.0\.0\.1:(\d+) \(database: (.*)\))");
        if (!std::regex_match(line, match, expected)) {
            ADD_FAILURE() << "unexpected first line: \"" << line << "\"";
            return 0;
        }
        EXPECT_EQ(match[2].str(), db_);
        const int port = std::stoi(match[1].str());
        EXPECT_GT(port, 0);
        return static_cast<std::uint16_t>(port);
    }

    std::string folder_;
    std::string db_;
    std::unique_ptr<ServeProcess> process_;
};

TEST_F(ServeTest, ServesTheOperationalRoutesAndStopsOnSigterm) {
    const std::uint16_t port = Start({"--io-threads", "2", "--workers", "3"});
    ASSERT_NE(port, 0);
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);

    // Keep-alive: every request below travels on this one connection.
    std::optional<TestResponse> index = connection->Exchange("GET", "/");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->status, 200);
    EXPECT_EQ(index->Header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(index->body.find("kclinic 0.1.0"), std::string::npos);
    EXPECT_NE(index->body.find("sqlite"), std::string::npos);
    EXPECT_NE(index->body.find("docs/api.md"), std::string::npos);

    std::optional<TestResponse> health = connection->Exchange("GET", "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(Json::parse(health->body), Json::parse(R"({"status":"ok","database":"ok"})"));

    std::optional<TestResponse> missing = connection->Exchange("GET", "/api/v1/nothing-here");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(Json::parse(missing->body)["error"]["code"], "not_found");

    std::optional<TestResponse> wrong = connection->Exchange("POST", "/healthz", "{}");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 405);
    EXPECT_EQ(wrong->Header("allow"), "GET, HEAD");
    EXPECT_EQ(Json::parse(wrong->body)["error"]["code"], "method_not_allowed");

    // Pipelined: three requests in one write, answered in order.
    ASSERT_TRUE(
        connection->Send(RequestText("GET", "/healthz") + RequestText("GET", "/nowhere") + RequestText("GET", "/")));
    std::optional<TestResponse> first = connection->Read();
    std::optional<TestResponse> second = connection->Read();
    std::optional<TestResponse> third = connection->Read();
    ASSERT_TRUE(first && second && third);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(Json::parse(first->body)["database"], "ok");
    EXPECT_EQ(second->status, 404);
    EXPECT_EQ(third->status, 200);
    EXPECT_EQ(third->Header("content-type"), "text/html; charset=utf-8");

    std::optional<TestResponse> metrics = connection->Exchange("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_EQ(metrics->status, 200);
    EXPECT_EQ(metrics->Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(metrics->body.find("kclinic_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"),
              std::string::npos)
        << metrics->body;
    EXPECT_NE(metrics->body.find("kclinic_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 2\n"),
              std::string::npos)
        << metrics->body;
    EXPECT_NE(metrics->body.find("kclinic_http_requests_total{route=\"/healthz\",method=\"POST\",status=\"405\"} 1\n"),
              std::string::npos)
        << metrics->body;
    EXPECT_NE(metrics->body.find("kclinic_http_request_duration_seconds_count{route=\"/\"} 2\n"), std::string::npos)
        << metrics->body;
    EXPECT_NE(metrics->body.find("kclinic_http_open_connections 1\n"), std::string::npos) << metrics->body;

    // A 2 MiB body is over the 1 MiB limit: 413 with the JSON error, and the connection closes.
    std::unique_ptr<TestConnection> big = TestConnection::Connect(port);
    ASSERT_NE(big, nullptr);
    big->Send(RequestText("POST", "/healthz", std::string(2U << 20, 'x')));
    std::optional<TestResponse> too_large = big->Read();
    ASSERT_TRUE(too_large);
    EXPECT_EQ(too_large->status, 413);
    EXPECT_EQ(Json::parse(too_large->body)["error"]["code"], "payload_too_large");
    EXPECT_TRUE(big->WaitForClose());

    EXPECT_EQ(process_->StopWith(SIGTERM), 0) << process_->RestOfOutput();
    EXPECT_TRUE(connection->WaitForClose());
    EXPECT_EQ(TestConnection::Connect(port), nullptr);
}

// The live channel is wired to the record's authentication: an upgrade with an unknown token or no credentials is
// refused as plain HTTP (the WebSocket itself is tested in the http adapter, the decisions on both backends).
TEST_F(ServeTest, ServesTheLiveChannelBehindAuthentication) {
    const std::uint16_t port = Start();
    ASSERT_NE(port, 0);
    const std::string upgrade =
        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    for (const std::string& credentials : {std::string(), std::string("Authorization: Bearer not-a-token\r\n"),
                                           std::string("Cookie: kclinic_session=not-a-session\r\n")}) {
        std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
        ASSERT_NE(connection, nullptr);
        std::optional<TestResponse> refused = connection->Exchange("GET", "/api/v1/live", {}, upgrade + credentials);
        ASSERT_TRUE(refused) << credentials;
        EXPECT_EQ(refused->status, 401) << credentials;
        EXPECT_EQ(Json::parse(refused->body)["error"]["code"], "unauthenticated");
        EXPECT_TRUE(connection->WaitForClose());
    }
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> metrics = connection->Exchange("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("kclinic_live_subscribers 0\n"), std::string::npos) << metrics->body;
    EXPECT_EQ(process_->StopWith(SIGTERM), 0) << process_->RestOfOutput();
}

TEST_F(ServeTest, StopsOnSigintWithAnIdleConnectionOpen) {
    const std::uint16_t port = Start();
    ASSERT_NE(port, 0);
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    ASSERT_TRUE(connection->Exchange("GET", "/healthz"));
    EXPECT_EQ(process_->StopWith(SIGINT), 0) << process_->RestOfOutput();
    EXPECT_TRUE(connection->WaitForClose());
}

TEST_F(ServeTest, RefusesABadListenAddressOrAPortInUse) {
    for (const std::string listen :
         {"8080", "127.0.0.1", "::1:8080", "127.0.0.1:65536", "127.0.0.1:http", "example.org:8080"}) {
        ServeProcess process({"serve", "--db", db_, "--listen", listen});
        EXPECT_EQ(process.StopWith(0), 2) << listen;  // signal 0: only waits for the exit
        const std::string output = process.RestOfOutput();
        EXPECT_EQ(output.rfind("kclinic serve: --listen: ", 0), 0U) << listen << ": " << output;
        EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << listen << ": " << output;
    }

    const std::uint16_t port = Start();
    ASSERT_NE(port, 0);
    ServeProcess second({"serve", "--db", db_, "--listen", "127.0.0.1:" + std::to_string(port)});
    EXPECT_EQ(second.StopWith(0), 2);
    const std::string output = second.RestOfOutput();
    EXPECT_EQ(output.rfind("kclinic serve: --listen: cannot listen on 127.0.0.1:" + std::to_string(port), 0), 0U)
        << output;
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);
}

}  // namespace
