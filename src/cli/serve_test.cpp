// `kclinic serve` as an operator runs it: the real binary on a free loopback port and a fresh SQLite file, its URL
// read from the line it prints, spoken to over real HTTP, and stopped with SIGTERM or SIGINT (exit status 0).

#include <sqlite3.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
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
using kclinic::cli::testing::CommandRun;
using kclinic::cli::testing::RunKclinic;
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
        return StartWith(args);
    }

    // Starts `kclinic` with `args` as they are.
    std::uint16_t StartWith(const std::vector<std::string>& args) {
        process_ = std::make_unique<ServeProcess>(args);
        const std::string line = process_->NextLine();
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

    // Writes `text` to a file in the test's folder and returns its path.
    std::string WriteFile(const std::string& name, const std::string& text) {
        std::string path = folder_ + "/" + name;
        std::ofstream(path) << text;
        return path;
    }

    // The one number `query` answers, read straight from the SQLite file beside the running server (WAL lets a
    // reader in while it writes); -1 when the read fails.
    int CountRows(const std::string& query) {
        sqlite3* db = nullptr;
        int count = -1;
        if (sqlite3_open_v2((folder_ + "/clinic.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
            sqlite3_busy_timeout(db, 5000);
            sqlite3_stmt* statement = nullptr;
            if (sqlite3_prepare_v2(db, query.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
                sqlite3_step(statement) == SQLITE_ROW) {
                count = sqlite3_column_int(statement, 0);
            }
            sqlite3_finalize(statement);
        }
        sqlite3_close(db);
        return count;
    }

    int CountDeviceReadings() { return CountRows("SELECT COUNT(*) FROM device_readings"); }

    // The Monday of the demo's week: the week today falls in, in UTC.
    static std::chrono::sys_days DemoMonday() {
        const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        return today - (std::chrono::weekday{today} - std::chrono::Monday);
    }

    // That Monday at 00:00, in milliseconds since 1970.
    static std::int64_t WeekStartMillis() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(DemoMonday().time_since_epoch()).count();
    }

    // Monday to Friday of the demo's week, as YYYY-MM-DD.
    static std::vector<std::string> DemoWeekDays() {
        std::vector<std::string> days;
        const std::chrono::sys_days monday = DemoMonday();
        for (int day = 0; day < 5; ++day) {
            const std::chrono::year_month_day date{monday + std::chrono::days{day}};
            char text[16];
            std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                          static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
            days.emplace_back(text);
        }
        return days;
    }

    std::string folder_;
    std::string db_;
    std::unique_ptr<ServeProcess> process_;
};

TEST_F(ServeTest, DemoPrintsItsLoginsAndItsMonitorKeepsRecording) {
    const auto started_at = std::chrono::system_clock::now();
    const std::uint16_t port = Start({"--demo", "--demo-feed-interval", "0.2"});
    ASSERT_NE(port, 0);
    std::vector<std::string> lines;
    for (std::string line = process_->NextLine(); !line.empty(); line = process_->NextLine()) {
        lines.push_back(line);
        if (line.rfind("  patient ", 0) == 0) {
            break;  // the last login
        }
    }
    ASSERT_EQ(lines.size(), 11U) << ::testing::PrintToString(lines);
    EXPECT_EQ(lines[0].rfind("demo clinic (synthetic, never real people): 53 patients, ", 0), 0U) << lines[0];
    EXPECT_TRUE(std::regex_search(lines[0], std::regex(R"(; 4 chairs and \d+ appointments booked$)"))) << lines[0];
    // The safe: 8 deliveries of 55 containers in all, a week of draws with remainders wasted and returned, one count.
    std::smatch safe;
    EXPECT_TRUE(
        std::regex_match(lines[1], safe,
                         std::regex(R"(demo clinic: the safe holds 55 containers of ketamine and esketamine; )"
                                    R"((\d+) draws in the last week, (\d+) remainders wasted before a witness )"
                                    R"(and (\d+) returned to stock; 1 count, 1 discrepancy explained and signed)")))
        << lines[1];
    if (safe.size() == 4) {
        EXPECT_GT(std::stoi(safe[1].str()), 10);
        EXPECT_GT(std::stoi(safe[2].str()), 0);
        EXPECT_GT(std::stoi(safe[3].str()), 0);
    }
    std::smatch monitoring;
    EXPECT_TRUE(std::regex_match(lines[2], monitoring,
                                 std::regex(R"(demo clinic: session #(\d+) of patient #\d+ is in monitoring; )"
                                            R"(its vital signs arrive every 0\.2 s)")))
        << lines[2];
    // The session in monitoring sits in its chair, checked in; the week ahead is booked.
    EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appointments WHERE session_id = " + monitoring[1].str() +
                        " AND room_id IS NOT NULL AND status = 'checked_in'"),
              1);
    EXPECT_EQ(CountRows("SELECT COUNT(*) FROM treatment_rooms"), 4);
    EXPECT_GT(CountRows("SELECT COUNT(*) FROM appointments WHERE type IN ('iv-session', 'esketamine-session')"), 4);
    EXPECT_GE(CountRows("SELECT COUNT(DISTINCT type) FROM appointments"), 7);
    // The demo's week, Monday to Friday of this week (the clinic's zone is UTC): in every chair on every weekday,
    // at least three treatments that were not cancelled, each in the hands of one of the two demo nurses.
    const std::vector<std::string> week = DemoWeekDays();
    for (const std::string& day : week) {
        for (int chair = 1; chair <= 4; ++chair) {
            EXPECT_GE(CountRows("SELECT COUNT(*) FROM appointments JOIN treatment_rooms r ON r.id = room_id"
                                " WHERE r.name = 'Chair " +
                                std::to_string(chair) +
                                "' AND status <> 'cancelled' AND date(start_at / 1000, "
                                "'unixepoch') = '" +
                                day +
                                "' AND staff IN ('nurse@demo.kclinic.example', "
                                "'nurse2@demo.kclinic.example') AND type IN ('iv-session', 'esketamine-session', "
                                "'im-session')"),
                      3)
                << "Chair " << chair << " on " << day;
        }
    }
    // What lies before now happened: no appointment that ended before the demo started is still only booked.
    EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appointments WHERE status = 'booked' AND end_at < " +
                        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           (started_at - std::chrono::minutes{1}).time_since_epoch())
                                           .count()) +
                        " AND start_at >= " + std::to_string(WeekStartMillis())),
              0);
    // The printed logins work without an authenticator app, and the output says why (docs/security.md).
    EXPECT_EQ(lines[3].rfind("demo clinic: WARNING no role needs a second factor here", 0), 0U) << lines[3];
    EXPECT_EQ(lines[4], "demo logins (role, email, password):");
    const std::vector<std::string> roles{"admin", "prescriber", "nurse", "therapist", "front_desk", "patient"};
    for (std::size_t i = 0; i < roles.size(); ++i) {
        std::smatch login;
        ASSERT_TRUE(
            std::regex_match(lines[5 + i], login, std::regex(R"(  (\S+) +(\S+@demo\.kclinic\.example) +(\S+))")))
            << lines[5 + i];
        EXPECT_EQ(login[1].str(), roles[i]);
        EXPECT_GE(login[3].str().size(), 15U);  // long enough as the only factor (NIST SP 800-63B-4)
    }

    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> health = connection->Exchange("GET", "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(Json::parse(health->body), Json::parse(R"({"status":"ok","database":"ok"})"));

    // The demo's monitor sends a set every 0.2 s over MLLP to the server's own listener: the device log keeps every
    // reading (the chart keeps one per monitoring.device_chart_interval_seconds), so its count keeps rising.
    const int before = CountDeviceReadings();
    int after = before;
    for (int waited_ms = 0; waited_ms < 30000 && after < before + 10; waited_ms += 100) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        after = CountDeviceReadings();
    }
    EXPECT_GE(after, before + 10);
    EXPECT_EQ(process_->StopWith(SIGTERM), 0) << process_->RestOfOutput();

    // `kclinic schedule day` prints the week's Wednesday chair by chair, each chair's treatments on it.
    const CommandRun wednesday = RunKclinic({"schedule", "day", "--date", week.at(2), "--db", db_});
    ASSERT_EQ(wednesday.exit_code, 0) << wednesday.err;
    EXPECT_EQ(wednesday.out.rfind(week.at(2) + "  UTC  hours 08:00-18:00\n", 0), 0U) << wednesday.out;
    std::map<std::string, int> treatments_by_chair;
    std::string chair;
    std::istringstream plan(wednesday.out);
    for (std::string line; std::getline(plan, line);) {
        if (line.rfind("Chair ", 0) == 0 || line == "No room") {
            chair = line.substr(0, line.find(' ', 6));
        } else if (!chair.empty() &&
                   std::regex_search(
                       line,
                       std::regex(R"(^  \d\d:\d\d-\d\d:\d\d +\S+ Demo +(iv|esketamine|im)-session +Demo Nurse)"))) {
            ++treatments_by_chair[chair];
        }
    }
    ASSERT_EQ(treatments_by_chair.size(), 4U) << wednesday.out;
    for (const auto& [name, count] : treatments_by_chair) {
        EXPECT_GE(count, 3) << name << "\n" << wednesday.out;
    }
    EXPECT_NE(wednesday.out.find("No room"), std::string::npos) << wednesday.out;

    // A second start on the same database adds nothing and says so.
    ASSERT_NE(Start({"--demo"}), 0);
    EXPECT_EQ(process_->NextLine().rfind("demo clinic: the database holds patients already", 0), 0U);
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);
}

TEST_F(ServeTest, ConfigFileSetsTheOptionsAndFlagsWinOverIt) {
    const std::string config = WriteFile(
        "serve.json", R"({"listen": "127.0.0.1:0", "db": "sqlite:/nonexistent/folder/x.db", "io_threads": 2})");
    // The port and the threads come from the file, the database from the flag (the Start check: db_ is printed).
    const std::uint16_t port = StartWith({"serve", "--config", config, "--db", db_});
    ASSERT_NE(port, 0);
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> health = connection->Exchange("GET", "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(process_->StopWith(SIGTERM), 0) << process_->RestOfOutput();
}

TEST_F(ServeTest, ConfigFileRefusesUnknownKeysAndWrongTypes) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"({"listen": "127.0.0.1:0", "port": 8080})",
         R"(unknown key "port" (known: db, listen, io_threads, workers, demo, demo_feed_interval, smtp, smtp_from, )"
         R"(smtp_tls, smtp_verify_certificate, smtp_ca_file, smtp_user, smtp_timeout, smtp_helo, web_root, mllp, )"
         R"(mllp_max_message_kib, log_level, tls_cert, tls_key, trusted_proxy, database_wait))"},
        {R"({"database_wait": -1})", R"(key "database_wait" must be a whole number from 0 to 3600 (got -1))"},
        {R"({"smtp_timeout": 0})", R"(key "smtp_timeout" must be a whole number from 1 to 600 (got 0))"},
        {R"({"smtp_verify_certificate": "no"})", R"(key "smtp_verify_certificate" must be true or false (got "no"))"},
        {R"({"smtp_from": 7})", R"(key "smtp_from" must be a string (got 7))"},
        {R"({"io_threads": "2"})", R"(key "io_threads" must be a whole number from 1 to 64 (got "2"))"},
        {R"({"workers": 0})", R"(key "workers" must be a whole number from 1 to 1024 (got 0))"},
        {R"({"demo": "yes"})", R"(key "demo" must be true or false (got "yes"))"},
        {R"({"listen": 8080})", R"(key "listen" must be a string (got 8080))"},
        {R"({"demo_feed_interval": 0})",
         R"(key "demo_feed_interval" must be a number of seconds from 0.1 to 3600 (got 0))"},
        {R"(["listen"])", R"(must hold one JSON object, such as {"listen": "127.0.0.1:8080", "demo": true})"},
        {R"({"listen": )", "is not valid JSON"},
    };
    for (const auto& [text, message] : cases) {
        const std::string config = WriteFile("bad.json", text);
        ServeProcess process({"serve", "--config", config, "--db", db_});
        EXPECT_EQ(process.StopWith(0), 2) << text;
        std::string expected = "kclinic serve: --config: ";
        expected.append(config).append(": ").append(message).append("\n");
        EXPECT_EQ(process.RestOfOutput(), expected) << text;
    }
    ServeProcess missing({"serve", "--config", folder_ + "/none.json", "--db", db_});
    EXPECT_EQ(missing.StopWith(0), 2);
    EXPECT_EQ(missing.RestOfOutput(), "kclinic serve: --config: " + folder_ + "/none.json: cannot be read\n");
}

TEST_F(ServeTest, ServesTheOperationalRoutesAndStopsOnSigterm) {
    const std::uint16_t port = Start({"--io-threads", "2", "--workers", "3"});
    ASSERT_NE(port, 0);
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);

    // Keep-alive: every request below travels on this one connection. `/` is the web front end's app shell.
    std::optional<TestResponse> index = connection->Exchange("GET", "/");
    ASSERT_TRUE(index);
    EXPECT_EQ(index->status, 200);
    EXPECT_EQ(index->Header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(index->body.rfind("<!doctype html>", 0), 0U) << index->body;

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
    ASSERT_TRUE(connection->Send(RequestText("GET", "/healthz") + RequestText("GET", "/api/nowhere") +
                                 RequestText("GET", "/")));
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
    EXPECT_NE(metrics->body.find("kclinic_http_request_duration_seconds_count{route=\"web\"} 2\n"), std::string::npos)
        << metrics->body;
    EXPECT_NE(metrics->body.find("kclinic_build_info{version=\"0.1.0\",backend=\"sqlite\"} 1\n"), std::string::npos)
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

// A database that does not answer at start-up (PostgreSQL still starting as the host boots) is waited for, up to
// --database-wait, with a database.wait log line per try; then serve exits 2 saying it gave up. With 0 it does not
// wait. (That a server waiting so comes up once PostgreSQL does is checked by the soak, bench/soak: soak.faults.)
TEST_F(ServeTest, WaitsForADatabaseThatDoesNotAnswerThenGivesUp) {
    const std::string nothing_there = "postgres://kclinic:s3cret@127.0.0.1:1/kclinic";
    ServeProcess waiting({"serve", "--db", nothing_there, "--listen", "127.0.0.1:0", "--database-wait", "1"});
    EXPECT_EQ(waiting.StopWith(0), 2);
    const std::string waited = waiting.RestOfOutput();
    EXPECT_NE(waited.find(R"("event":"database.wait","attempt":1)"), std::string::npos) << waited;
    EXPECT_NE(waited.find("kclinic serve: cannot connect to PostgreSQL"), std::string::npos) << waited;
    EXPECT_NE(waited.find("; gave up after waiting 1 s (--database-wait)\n"), std::string::npos) << waited;
    EXPECT_EQ(waited.find("s3cret"), std::string::npos) << waited;  // the log masks the password

    ServeProcess at_once({"serve", "--db", nothing_there, "--listen", "127.0.0.1:0", "--database-wait", "0"});
    EXPECT_EQ(at_once.StopWith(0), 2);
    const std::string refused = at_once.RestOfOutput();
    EXPECT_EQ(refused.find("database.wait"), std::string::npos) << refused;
    EXPECT_NE(refused.find("gave up after waiting 0 s"), std::string::npos) << refused;
}

// TLS files that cannot serve are refused at start, exit 2 and one line naming the flag at fault; so is a trusted proxy
// that is not an address. (Serving over TLS is tested with real clients in tls_serve_test.py.)
TEST_F(ServeTest, RefusesTlsFilesThatCannotServeAndAProxyThatIsNoAddress) {
    const std::string not_pem = WriteFile("not.pem", "not a certificate\n");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--tls-cert", not_pem}, "kclinic serve: --tls-key: --tls-cert and --tls-key go together"},
        {{"--tls-key", not_pem}, "kclinic serve: --tls-cert: --tls-cert and --tls-key go together"},
        {{"--tls-cert", not_pem, "--tls-key", not_pem},
         "kclinic serve: --tls-cert: " + not_pem + ": not a readable PEM certificate chain"},
        {{"--tls-cert", folder_ + "/none.pem", "--tls-key", not_pem},
         "kclinic serve: --tls-cert: " + folder_ + "/none.pem: not a readable PEM certificate chain"},
        {{"--trusted-proxy", "nginx.local"}, "kclinic serve: --trusted-proxy: expected the proxy's IP address"},
    };
    for (const auto& [flags, expected] : cases) {
        std::vector<std::string> args = {"serve", "--db", db_, "--listen", "127.0.0.1:0"};
        args.insert(args.end(), flags.begin(), flags.end());
        ServeProcess process(args);
        EXPECT_EQ(process.StopWith(0), 2) << expected;
        const std::string output = process.RestOfOutput();
        EXPECT_EQ(output.rfind(expected, 0), 0U) << output;
        EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
    }
}

// --test-clock only on a database it created: a production database (here one `kclinic migrate` made) is refused
// before serving, exit 2 and one line naming the flag, and stays a production one.
TEST_F(ServeTest, TestClockIsRefusedOnADatabaseNotCreatedInTestMode) {
    const kclinic::cli::testing::CommandRun migrated = kclinic::cli::testing::RunKclinic({"migrate", "--db", db_});
    ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
    ServeProcess refused({"serve", "--db", db_, "--listen", "127.0.0.1:0", "--test-clock"});
    EXPECT_EQ(refused.StopWith(0), 2);  // signal 0: only waits for the exit
    const std::string output = refused.RestOfOutput();
    EXPECT_EQ(
        output.rfind("kclinic serve: --test-clock: refused: the database " + db_ + " was not created in test mode", 0),
        0U)
        << output;
    EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
    EXPECT_EQ(CountRows("SELECT test_mode FROM database_mode"), 0);

    // Nor does a plain server make it a test-mode one.
    ASSERT_NE(Start(), 0);
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);
    ServeProcess again({"serve", "--db", db_, "--listen", "127.0.0.1:0", "--test-clock"});
    EXPECT_EQ(again.StopWith(0), 2);
}

// On a new database --test-clock creates it in test mode, says so after the "serving on" line, and serves the test
// clock's routes (behind authentication); served again without the flag, the same database runs on the real time and
// the routes are gone; with it again, they are back.
TEST_F(ServeTest, TestClockCreatesATestModeDatabaseAndSaysSo) {
    const std::uint16_t port = Start({"--test-clock"});
    ASSERT_NE(port, 0);
    EXPECT_EQ(process_->NextLine().rfind("kclinic TEST CLOCK: a test-mode database;", 0), 0U);
    EXPECT_EQ(CountRows("SELECT test_mode FROM database_mode"), 1);
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> clock = connection->Exchange("GET", "/api/v1/test/clock");
    ASSERT_TRUE(clock);
    EXPECT_EQ(clock->status, 401);
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);

    const std::uint16_t plain = Start();
    ASSERT_NE(plain, 0);
    connection = TestConnection::Connect(plain);
    ASSERT_NE(connection, nullptr);
    for (const char* method : {"GET", "POST"}) {
        std::optional<TestResponse> absent = connection->Exchange(method, "/api/v1/test/clock", "{}");
        ASSERT_TRUE(absent);
        EXPECT_EQ(absent->status, 404) << method;
    }
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);

    ASSERT_NE(Start({"--test-clock"}), 0);
    EXPECT_EQ(process_->NextLine().rfind("kclinic TEST CLOCK: ", 0), 0U);
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);
}

}  // namespace
