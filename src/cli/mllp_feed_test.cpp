// The bedside-monitor feed through a real `kclinic serve --mllp` on both backends (issue 13 §4): a real external
// sender (Debian's python3-hl7 `mllp_send`), crash safety under SIGKILL with resends, and readings reaching the
// session in the monitor's room and the live channel.

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/client.hpp"
#include "adapters/hl7/sim/monitor_simulator.hpp"
#include "adapters/http/testing/live_test_client.hpp"
#include "cli/testing/clinic_server.hpp"
#include "cli/testing/serve_process.hpp"

namespace kclinic::cli {
namespace {

using adapters::http::testing::LiveMessage;
using adapters::http::testing::LiveOpening;
using adapters::http::testing::LiveTestClient;
using adapters::storage::contract::Backend;
using adapters::storage::contract::BackendTestName;
using testing::ApiClient;
using testing::ClinicServer;
using namespace std::chrono_literals;
namespace hl7 = adapters::hl7;

clinical::TimePoint Now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// A simulated monitor's message with MSH-10 `control_id`: four readings (a blood pressure, heart rate, SpO2 and
// respiratory rate) once stored.
std::string MonitorMessage(const std::string& control_id, int bed_number = 1) {
    const hl7::sim::SimulatedBed bed(bed_number, hl7::sim::Scenario::kNormal, 11);
    return hl7::EncodeOruR01(hl7::sim::SimulatedMessage(bed, bed.At(10), Now(), hl7::sim::Codes::kLoinc, control_id));
}
constexpr int kReadingsPerMessage = 4;

// Every device-log row, by the MSH-10 of its message, read through the API.
std::map<std::string, int> ReadingsPerMessage(ApiClient& reader) {
    std::map<std::string, int> rows;
    std::string after;
    for (int page = 0; page < 1000; ++page) {
        const testing::ApiResponse answer =
            reader.Get("/api/v1/device-readings?all=true&limit=500" + (after.empty() ? "" : "&after=" + after));
        EXPECT_EQ(answer.status, 200) << answer.text;
        if (answer.status != 200) {
            break;
        }
        for (const nlohmann::json& reading : answer.body["items"]) {
            ++rows[reading["message_control_id"].get<std::string>()];
        }
        if (!answer.body.contains("next_after") || answer.body["next_after"].is_null()) {
            break;
        }
        after = std::to_string(answer.body["next_after"].get<std::int64_t>());
    }
    return rows;
}

class MllpFeedTest : public ::testing::TestWithParam<Backend> {};

// The server is killed with SIGKILL ten times while a monitor sends; the monitor resends the message it had no ACK
// for on the next server. Every acknowledged message is then in the record exactly once, and no message twice.
TEST_P(MllpFeedTest, EveryAcknowledgedMessageIsStoredExactlyOnceAcrossTenKills) {
    std::unique_ptr<ClinicServer> server = ClinicServer::Start(GetParam(), {"--mllp", "127.0.0.1:0"});
    ASSERT_NE(server, nullptr);
    server->AddUser("nurse@clinic.example", "nurse");
    std::vector<std::string> acknowledged;
    std::optional<std::pair<std::string, std::string>> unacknowledged;  // MSH-10 and text, resent after a restart
    int resends = 0;
    int next = 1;
    for (int kill = 0; kill < 10; ++kill) {
        std::atomic<bool> killed{false};
        std::thread monitor([&] {
            auto client = hl7::mllp::MllpClient::Connect("127.0.0.1", server->mllp_port(), 10s);
            ASSERT_TRUE(client.ok()) << client.error().message;
            if (unacknowledged) {
                ++resends;
            }
            while (!killed.load()) {
                if (!unacknowledged) {
                    const std::string id = "CRASH-" + std::to_string(next++);
                    unacknowledged = std::make_pair(id, MonitorMessage(id));
                }
                auto ack = client.value()->Exchange(unacknowledged->second, 20s);
                if (!ack.ok()) {
                    return;  // killed: the message stays unacknowledged, for the next server
                }
                const std::optional<hl7::AckAnswer> answer = hl7::ReadAck(ack.value());
                ASSERT_TRUE(answer.has_value()) << ack.value();
                EXPECT_EQ(answer->code, "AA") << ack.value();
                EXPECT_EQ(answer->control_id, unacknowledged->first);
                acknowledged.push_back(unacknowledged->first);
                unacknowledged.reset();
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(200 + 60 * kill));  // a different moment each time
        killed.store(true);
        server->Kill();
        monitor.join();
        std::unique_ptr<ClinicServer> restarted = ClinicServer::StartBeside(*server);
        ASSERT_NE(restarted, nullptr) << "the server did not start again after kill " << kill + 1;
        server = std::move(restarted);
    }
    // The last unacknowledged message, sent once more: a resend of a stored one is taken as such.
    if (unacknowledged) {
        auto client = hl7::mllp::MllpClient::Connect("127.0.0.1", server->mllp_port(), 10s);
        ASSERT_TRUE(client.ok());
        auto ack = client.value()->Exchange(unacknowledged->second, 20s);
        ASSERT_TRUE(ack.ok()) << ack.error().message;
        EXPECT_EQ(hl7::ReadAck(ack.value()).value_or(hl7::AckAnswer{}).code, "AA");
        acknowledged.push_back(unacknowledged->first);
        ++resends;
    }
    ASSERT_GE(acknowledged.size(), 10U) << "too few messages to show anything";

    ApiClient nurse = server->ClientWithToken("nurse@clinic.example");
    const std::map<std::string, int> stored = ReadingsPerMessage(nurse);
    for (const std::string& id : acknowledged) {
        const auto found = stored.find(id);
        EXPECT_EQ(found == stored.end() ? 0 : found->second, kReadingsPerMessage) << "message " << id;
    }
    for (const auto& [id, rows] : stored) {
        EXPECT_EQ(rows, kReadingsPerMessage) << "message " << id << " is stored more than once or in part";
    }
    RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
    RecordProperty("resends", resends);
}

// Debian's python3-hl7 `mllp_send`, an HL7 sender no one here wrote, against the real listener: an AA for each
// monitor message, with MSA-2 naming it, and an AR for a message type the listener does not take.
TEST_P(MllpFeedTest, AnExternalSenderGetsTheAckOfEachMessage) {
    if (std::system("command -v mllp_send >/dev/null 2>&1") != 0) {
        GTEST_FAIL() << "mllp_send is missing: scripts/install-deps installs python3-hl7";
    }
    std::unique_ptr<ClinicServer> server = ClinicServer::Start(GetParam(), {"--mllp", "127.0.0.1:0"});
    ASSERT_NE(server, nullptr);
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() / ("kclinic-mllp-send-" + std::to_string(server->port()));
    std::filesystem::create_directories(folder);
    const std::filesystem::path file = folder / "messages.hl7";
    {
        std::ofstream out(file, std::ios::binary);
        // mllp_send reads one message per MSH line from a file; it sends each in its own frame and prints each ACK.
        out << MonitorMessage("EXT-1") << "\n"
            << MonitorMessage("EXT-2", 2) << "\n"
            << "MSH|^~\\&|ADT|HOSP|KCLINIC|CLINIC|20261207140000||ADT^A01^ADT_A01|EXT-3|P|2.6\rPID|||1\r\n";
    }
    const std::string command = "mllp_send --loose --file " + file.string() + " --port " +
                                std::to_string(server->mllp_port()) + " 127.0.0.1 > " + (folder / "acks").string() +
                                " 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0);
    std::ifstream in(folder / "acks", std::ios::binary);
    const std::string acks((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove_all(folder);
    std::vector<std::pair<std::string, std::string>> answers;
    for (std::size_t at = acks.find("MSA|"); at != std::string::npos; at = acks.find("MSA|", at + 4)) {
        const std::size_t end = acks.find_first_of("\r\n", at);
        const std::string msa = acks.substr(at, end == std::string::npos ? std::string::npos : end - at);
        const std::size_t bar = msa.find('|', 4);
        const std::size_t next_bar = msa.find('|', bar + 1);
        answers.emplace_back(
            msa.substr(4, bar - 4),
            msa.substr(bar + 1, next_bar == std::string::npos ? std::string::npos : next_bar - bar - 1));
    }
    EXPECT_EQ(answers,
              (std::vector<std::pair<std::string, std::string>>{{"AA", "EXT-1"}, {"AA", "EXT-2"}, {"AR", "EXT-3"}}))
        << acks;
}

// A monitor in the chair of the demo clinic's session in monitoring (Chair 3, monitor MON-0103) sends a
// desaturation: by the time its ACK is read, the board's live subscriber has been sent the reading, marked as the
// device's, and its alert (the feed publishes before it acknowledges). Issue 13's "within 100 ms of its ACK on
// loopback" is judged with a margin: the alert must have come within 500 ms of the ACK. The feed publishes before it
// writes the ACK, so what is measured is only the live channel's own hop (the hub's queue to the WebSocket write);
// 500 ms is five times the goal, so that an ASan build on a loaded 2-core CI machine does not fail by scheduling
// alone, while a publish moved after the ACK, batched on a timer or lost still fails. The goal itself, p99 on a
// quiet machine, is the benchmark's (bench/mllp_bench.cpp, docs/benchmarks.md "The MLLP feed").
TEST_P(MllpFeedTest, ADangerousReadingReachesTheBoardLiveWithItsAlertByItsAck) {
    // The demo's own monitor sends once at start and then every hour: this test's reading is the next one.
    std::unique_ptr<ClinicServer> server =
        ClinicServer::Start(GetParam(), {"--demo", "--demo-feed-interval", "3600", "--mllp", "127.0.0.1:0"});
    ASSERT_NE(server, nullptr);
    server->AddUser("nurse@clinic.example", "nurse");
    const std::string token = server->CreateToken("nurse@clinic.example");
    ApiClient nurse(server->port());
    nurse.UseToken(token);
    const testing::ApiResponse board = nurse.Get("/api/v1/board");
    ASSERT_EQ(board.status, 200) << board.text;
    std::int64_t session_id = 0;
    for (const nlohmann::json& row : board.body["sessions"]) {
        if (row.value("state", "") == "monitoring" && row["room"].is_object() &&
            row["room"].value("name", "") == "Chair 3") {
            session_id = row["session"]["id"].get<std::int64_t>();
        }
    }
    ASSERT_NE(session_id, 0) << board.text;

    LiveOpening opening = LiveTestClient::OpenWithToken(server->port(), token);
    ASSERT_NE(opening.client, nullptr) << opening.status << opening.body << opening.problem;
    LiveTestClient& live = *opening.client;
    ASSERT_TRUE(live.SendJson({{"subscribe", "board"}}));
    ASSERT_EQ(live.Next(10s).kind, LiveMessage::Kind::kText);  // subscribed

    hl7::sim::SimulatedBed bed(1, hl7::sim::Scenario::kDesaturation, 3, "MON-0103");
    const std::string message =
        hl7::EncodeOruR01(hl7::sim::SimulatedMessage(bed, bed.At(25), Now(), hl7::sim::Codes::kMdc, "LIVE-1"));
    auto client = hl7::mllp::MllpClient::Connect("127.0.0.1", server->mllp_port(), 10s);
    ASSERT_TRUE(client.ok()) << client.error().message;
    auto ack = client.value()->Exchange(message, 20s);
    ASSERT_TRUE(ack.ok()) << ack.error().message;
    const auto acknowledged_at = std::chrono::steady_clock::now();
    const hl7::AckAnswer answer = hl7::ReadAck(ack.value()).value_or(hl7::AckAnswer{});
    EXPECT_EQ(answer.code, "AA") << ack.value();
    EXPECT_EQ(answer.control_id, "LIVE-1");

    bool saw_reading = false;
    bool saw_alert = false;
    std::chrono::steady_clock::duration latency{};
    while (!(saw_reading && saw_alert)) {
        const LiveMessage next = live.Next(10s);
        ASSERT_EQ(next.kind, LiveMessage::Kind::kText) << "the reading or its alert never came";
        const nlohmann::json event = nlohmann::json::parse(next.text, nullptr, false);
        if (event.value("type", "") == "vital_sign" && event["record"].value("loinc", "") == "59408-5" &&
            event["record"].value("device_message_id", "") == "LIVE-1") {
            EXPECT_EQ(event["record"].value("source", ""), "device") << event;
            EXPECT_EQ(event["record"].value("session_id", std::int64_t{0}), session_id) << event;
            saw_reading = true;
        } else if (event.value("type", "") == "alert" && event["record"].value("rule", "") == "spo2_low") {
            saw_alert = true;
            latency = std::chrono::steady_clock::now() - acknowledged_at;
        }
    }
    EXPECT_LT(latency, 500ms) << "the alert reached the board "
                              << std::chrono::duration_cast<std::chrono::milliseconds>(latency).count()
                              << " ms after the ACK";
    RecordProperty("alert_after_ack_us",
                   static_cast<int>(std::chrono::duration_cast<std::chrono::microseconds>(latency).count()));
}

INSTANTIATE_TEST_SUITE_P(Backends, MllpFeedTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli
