// kclinic_mllp_bench: the bedside-monitor feed's throughput and latency (issue 13 §5; docs/benchmarks.md "The MLLP
// feed"), against a real `kclinic serve --mllp` on a SQLite file, with the senders on the same machine:
//   - the disk's fsync/s (4 KiB written and fdatasync'ed in a loop, beside the database): the durability limit;
//   - the transport's limit: the same senders against a do-nothing MLLP ACKer (this repository's MllpListener
//     with a handler that answers a fixed AA, in this process);
//   - durable messages/s at full speed, with 16 and with 256 sender connections: each sends its next message as soon
//     as the AA of the last one is back (HL7 original mode, one message in flight per connection); the devices are
//     unbound, so every reading goes to the device log only (the record's cost for every reading of a bound monitor
//     but the one per code per chart interval that is also charted);
//   - 100 and 1,000 beds x 1 message/s, the beds sharing connections as a gateway does (at most 20 beds per
//     connection): the ACK's round trip (send to durable AA) of every message, and the end-to-end latency from the
//     frame leaving the sender to its vital-sign event at a WebSocket subscriber of the board, measured on probe
//     messages of the demo clinic's monitor MON-0103 (bound to Chair 3, whose session is in monitoring), sent among
//     the beds' messages five times a second. A probe's readings are observed 15 s apart (the chart keeps one device
//     reading per code per 15 s at the least, settings monitoring.device_chart_interval_seconds, set so here), back
//     from the bench's start, so that each is charted and published.
//
// Each kclinic serve figure comes with the server's CPU time per message (user + system, from /proc/PID/stat, over the
// run; the figure that load on the machine disturbs least) and the 1-minute load average at its end.
//
//   kclinic_mllp_bench [--seconds S (10)] [--connections N,M,... (16,256)] [--smoke]
// --smoke: tiny sizes (about 10 s, mostly the demo clinic's seeding), checks that it runs; its figures mean nothing.
// Exit status 1 when a run got no AA or no probe event at all.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/client.hpp"
#include "adapters/hl7/mllp/listener.hpp"
#include "adapters/hl7/sim/monitor_simulator.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/http/testing/live_test_client.hpp"
#include "cli/testing/api_client.hpp"
#include "cli/testing/serve_process.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace hl7 = kclinic::adapters::hl7;
namespace fs = std::filesystem;

constexpr std::string_view kPassword = "bench-password-1";
constexpr int kBedsPerConnection = 20;

kclinic::clinical::TimePoint WallNow() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

double Millis(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

// The q-th quantile (0..1) of `values`, nearest rank; 0 when empty.
double Quantile(std::vector<double> values, double q) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(rank, values.size() - 1)];
}

// A bed's message with MSH-10 `id`; the readings of minute 25 of a normal session.
std::string BedMessage(int bed, const std::string& id, kclinic::clinical::TimePoint observed_at) {
    const hl7::sim::SimulatedBed simulated(bed, hl7::sim::Scenario::kNormal, 7);
    return hl7::EncodeOruR01(
        hl7::sim::SimulatedMessage(simulated, simulated.At(25), observed_at, hl7::sim::Codes::kMdc, id));
}

// MSA-1 of an ACK ("AA", "AE", "AR"), "?" when it has none.
std::string AckCodeOf(std::string_view ack) {
    const std::size_t msa = ack.find("MSA|");
    return msa == std::string_view::npos ? "?" : std::string(ack.substr(msa + 4, 2));
}

// What the disk allows durable: 4 KiB writes, each followed by fdatasync, for `seconds` in `folder`.
double FsyncsPerSecond(const fs::path& folder, double seconds) {
    const fs::path file = folder / "fsync-probe";
    const int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0) {
        return 0;
    }
    const std::string block(4096, 'x');
    const auto start = Clock::now();
    int count = 0;
    while (Clock::now() - start < std::chrono::duration<double>(seconds)) {
        if (::pwrite(fd, block.data(), block.size(), static_cast<off_t>((count % 256) * 4096)) < 0 ||
            ::fdatasync(fd) != 0) {
            break;
        }
        ++count;
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    ::close(fd);
    fs::remove(file);
    return count / elapsed;
}

// The CPU time `pid` has used, user and system, in seconds (/proc/PID/stat fields 14 and 15); 0 when unreadable.
double CpuSeconds(pid_t pid) {
    std::FILE* stat = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    if (stat == nullptr) {
        return 0;
    }
    std::array<char, 4096> line{};
    const std::size_t size = std::fread(line.data(), 1, line.size() - 1, stat);
    std::fclose(stat);
    // The command name (field 2) is in parentheses and may hold spaces: count the fields after its ')'.
    const std::string_view text(line.data(), size);
    const std::size_t paren = text.rfind(')');
    if (paren == std::string_view::npos) {
        return 0;
    }
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    if (std::sscanf(line.data() + paren + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                    &stime) != 2) {
        return 0;
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// The 1-minute load average, printed beside each figure: the machine may be shared.
double LoadAverage() {
    std::array<double, 1> load{};
    return ::getloadavg(load.data(), 1) == 1 ? load[0] : -1;
}

struct Throughput {
    double per_second = 0;
    long accepted = 0;
    long other = 0;  // any reply but AA, or none
};

// `connections` senders at full speed for `seconds`, each message a fresh MSH-10 from one of 50 beds.
Throughput FullSpeed(std::uint16_t port, int connections, double seconds, const std::string& tag) {
    std::atomic<long> accepted{0};
    std::atomic<long> other{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> senders;
    // A message per bed built once; its MSH-10 placeholder replaced per send (building it costs the sender more
    // than the transport's limit allows).
    const std::string placeholder = "PLACEHOLDER-ID-000000";
    std::vector<std::string> templates;
    for (int bed = 1; bed <= 50; ++bed) {
        templates.push_back(BedMessage(bed, placeholder, WallNow()));
    }
    const auto start = Clock::now();
    for (int c = 0; c < connections; ++c) {
        senders.emplace_back([&, c] {
            auto client = hl7::mllp::MllpClient::Connect("127.0.0.1", port, 10s);
            if (!client.ok()) {
                ++other;
                return;
            }
            for (long n = 0; !stop.load(std::memory_order_relaxed); ++n) {
                std::string message = templates[static_cast<std::size_t>((c + n) % 50)];
                const std::string id = tag + "-" + std::to_string(c) + "-" + std::to_string(n);
                message.replace(message.find(placeholder), placeholder.size(), id);
                auto ack = client.value()->Exchange(message, 30s);
                if (!ack.ok()) {
                    ++other;
                    return;
                }
                ++(AckCodeOf(*ack) == "AA" ? accepted : other);
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (std::thread& sender : senders) {
        sender.join();
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    return {static_cast<double>(accepted.load()) / elapsed, accepted.load(), other.load()};
}

struct Paced {
    int beds = 0;
    int connections = 0;
    long sent = 0;
    long late = 0;       // messages that left more than 1 s after their slot: the senders fell behind
    long not_acked = 0;  // any reply but AA, or none
    std::vector<double> ack_ms;
    std::vector<double> e2e_ms;
    int probes = 0;
};

// `beds` beds x 1 message/s for `seconds` over ceil(beds / 20) connections, and probes of MON-0103 5 times a second
// on a connection of their own, timed to their event at a board subscriber (`live`).
// The probes' observed times: slot k is `base` - 16 s - k x 15 s, so that no two probes of the whole bench (nor the
// demo monitor's reading at the server's start, after `base`) are within the chart interval of each other.
struct ProbeSlots {
    kclinic::clinical::TimePoint base;
    int next = 0;
};

Paced PacedRun(std::uint16_t mllp_port, kclinic::adapters::http::testing::LiveTestClient& live, int beds,
               double seconds, const std::string& tag, ProbeSlots& slots) {
    Paced result;
    result.beds = beds;
    result.connections = (beds + kBedsPerConnection - 1) / kBedsPerConnection;
    std::mutex mutex;
    std::map<std::string, Clock::time_point> probe_sent;  // guarded by mutex
    std::atomic<bool> stop{false};
    const auto start = Clock::now() + 200ms;
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));

    std::thread subscriber([&] {
        while (!stop.load()) {
            const kclinic::adapters::http::testing::LiveMessage next = live.Next(200ms);
            if (next.kind != kclinic::adapters::http::testing::LiveMessage::Kind::kText) {
                continue;
            }
            const auto arrived = Clock::now();
            const nlohmann::json event = nlohmann::json::parse(next.text, nullptr, false);
            if (!event.is_object() || event.value("type", "") != "vital_sign") {
                continue;
            }
            const std::string id = event["record"].value("device_message_id", "");
            std::lock_guard lock(mutex);
            if (auto found = probe_sent.find(id); found != probe_sent.end()) {
                result.e2e_ms.push_back(Millis(arrived - found->second));
                probe_sent.erase(found);  // the first of its readings' events
            }
        }
    });

    std::vector<std::thread> senders;
    for (int c = 0; c < result.connections; ++c) {
        senders.emplace_back([&, c] {
            auto client = hl7::mllp::MllpClient::Connect("127.0.0.1", mllp_port, 10s);
            if (!client.ok()) {
                std::lock_guard lock(mutex);
                ++result.not_acked;
                return;
            }
            const int first = c * kBedsPerConnection;
            const int count = std::min(kBedsPerConnection, beds - first);
            std::vector<std::string> templates;
            const std::string placeholder = "PLACEHOLDER-ID-000000";
            for (int b = 0; b < count; ++b) {
                templates.push_back(BedMessage(first + b + 1, placeholder, WallNow()));
            }
            std::vector<double> acks;
            long late = 0;
            long failed = 0;
            // Bed b sends at start + k s + its phase (b / beds of a second), so the load is spread evenly.
            for (long k = 0;; ++k) {
                bool done = false;
                for (int b = 0; b < count; ++b) {
                    const auto slot =
                        start + std::chrono::seconds(k) + std::chrono::microseconds(1'000'000LL * (first + b) / beds);
                    if (slot >= end) {
                        done = true;
                        break;
                    }
                    std::this_thread::sleep_until(slot);
                    const auto sent = Clock::now();
                    late += sent - slot > 1s ? 1 : 0;
                    std::string message = templates[static_cast<std::size_t>(b)];
                    message.replace(message.find(placeholder), placeholder.size(),
                                    tag + "-" + std::to_string(first + b) + "-" + std::to_string(k));
                    auto ack = client.value()->Exchange(message, 30s);
                    if (!ack.ok() || AckCodeOf(*ack) != "AA") {
                        ++failed;
                        continue;
                    }
                    acks.push_back(Millis(Clock::now() - sent));
                }
                if (done) {
                    break;
                }
            }
            std::lock_guard lock(mutex);
            result.ack_ms.insert(result.ack_ms.end(), acks.begin(), acks.end());
            result.sent += static_cast<long>(acks.size()) + failed;
            result.late += late;
            result.not_acked += failed;
        });
    }
    // The probes: MON-0103's readings in the next free slots, five a second.
    senders.emplace_back([&] {
        auto client = hl7::mllp::MllpClient::Connect("127.0.0.1", mllp_port, 10s);
        if (!client.ok()) {
            return;
        }
        const hl7::sim::SimulatedBed monitor(1, hl7::sim::Scenario::kNormal, 3, "MON-0103");
        // The demo's session was checked in 75 minutes before the server started: 200 slots, 50 minutes, stay in it.
        for (int k = 0; k < 200 && slots.next < 200; ++k) {
            const auto slot = start + std::chrono::milliseconds(200 * k);
            if (slot >= end) {
                break;
            }
            std::this_thread::sleep_until(slot);
            const std::string id = tag + "-PROBE-" + std::to_string(k);
            const std::string message = hl7::EncodeOruR01(hl7::sim::SimulatedMessage(
                monitor, monitor.At(25), slots.base - std::chrono::seconds(16 + 15 * slots.next++),
                hl7::sim::Codes::kMdc, id));
            {
                std::lock_guard lock(mutex);
                probe_sent[id] = Clock::now();
                ++result.probes;
            }
            (void)client.value()->Exchange(message, 30s);
        }
    });
    for (std::thread& sender : senders) {
        sender.join();
    }
    std::this_thread::sleep_for(500ms);  // the last probes' events
    stop = true;
    subscriber.join();
    return result;
}

// A fresh SQLite database with a nurse and a token, and `kclinic serve --demo --mllp` on it, with the chart
// interval at its least; nullopt (and a line on stderr) when it did not start.
struct Server {
    std::unique_ptr<kclinic::cli::testing::ServeProcess> process;
    std::uint16_t http_port = 0;
    std::uint16_t mllp_port = 0;
    std::string token;
};

std::optional<Server> StartServer(const fs::path& folder) {
    const std::string db = "sqlite:" + (folder / "bench.db").string();
    using kclinic::cli::testing::RunKclinic;
    if (RunKclinic({"user", "add", "nurse@bench.example", "--role", "nurse", "--db", db}, std::string(kPassword) + "\n")
                .exit_code != 0 ||
        RunKclinic({"user", "add", "admin@bench.example", "--role", "admin", "--db", db}, std::string(kPassword) + "\n")
                .exit_code != 0 ||
        // The admin changes a setting with a password alone (docs/security.md "Second factor").
        RunKclinic({"user", "second-factor-policy", "optional", "admin", "--db", db}).exit_code != 0) {
        std::cerr << "kclinic user add failed\n";
        return std::nullopt;
    }
    const kclinic::cli::testing::CommandRun token =
        RunKclinic({"token", "create", "nurse@bench.example", "--name", "bench", "--db", db, "--json"});
    Server server;
    server.token = nlohmann::json::parse(token.out, nullptr, false).value("token", "");
    server.process = std::make_unique<kclinic::cli::testing::ServeProcess>(
        std::vector<std::string>{"serve", "--db", db, "--listen", "127.0.0.1:0", "--mllp", "127.0.0.1:0", "--demo",
                                 "--demo-feed-interval", "3600"});
    for (int i = 0; i < 40 && (server.http_port == 0 || server.mllp_port == 0); ++i) {
        const std::string line = server.process->NextLine();
        if (line.empty()) {
            break;
        }
        // "kclinic serving on http://127.0.0.1:PORT (database: ...)", "... over MLLP on 127.0.0.1:PORT (...)".
        constexpr std::string_view kHttp = "kclinic serving on http://127.0.0.1:";
        constexpr std::string_view kMllp = "kclinic receiving HL7 v2 over MLLP on 127.0.0.1:";
        if (line.starts_with(kHttp)) {
            server.http_port = static_cast<std::uint16_t>(std::stoi(line.substr(kHttp.size())));
        } else if (line.starts_with(kMllp)) {
            server.mllp_port = static_cast<std::uint16_t>(std::stoi(line.substr(kMllp.size())));
        }
    }
    if (server.http_port == 0 || server.mllp_port == 0 || server.token.empty()) {
        std::cerr << "kclinic serve did not start\n";
        return std::nullopt;
    }
    // The chart keeps a device reading per code per 15 s, the least the setting takes, so that probes 15 s apart
    // are each charted.
    kclinic::cli::testing::ApiClient admin(server.http_port);
    if (admin.Login("admin@bench.example", std::string(kPassword)).status != 200) {
        std::cerr << "admin login failed\n";
        return std::nullopt;
    }
    const kclinic::cli::testing::ApiResponse changed =
        admin.Put("/api/v1/settings/monitoring.device_chart_interval_seconds", {{"value", 15}});
    if (changed.status != 200) {
        std::cerr << "setting the chart interval failed: " << changed.status << " " << changed.text << "\n";
        return std::nullopt;
    }
    return server;
}

// The group committer's counters from the server's /metrics: (transactions, messages they carried).
std::pair<double, double> CommitCounters(std::uint16_t http_port) {
    kclinic::cli::testing::ApiClient client(http_port);
    const kclinic::cli::testing::ApiResponse metrics = client.Get("/metrics");
    auto value = [&metrics](std::string_view name) {
        const std::size_t at = metrics.text.find("\n" + std::string(name) + " ");
        return at == std::string::npos ? 0.0 : std::stod(metrics.text.substr(at + name.size() + 2));
    };
    return {value("kclinic_mllp_commits_total"), value("kclinic_mllp_committed_messages_total")};
}

// `cpu`: the server's CPU seconds over the run.
void PrintPaced(const Paced& run, double cpu) {
    std::printf(
        "%5d beds x 1/s over %3d connections: %6ld sent, %ld late, %ld not AA; ACK p50 %6.2f ms p99 %6.2f ms; "
        "e2e to WebSocket (%zu of %d probes) p50 %6.2f ms p99 %6.2f ms; server CPU %.0f us/msg; load average %.1f\n",
        run.beds, run.connections, run.sent, run.late, run.not_acked, Quantile(run.ack_ms, 0.5),
        Quantile(run.ack_ms, 0.99), run.e2e_ms.size(), run.probes, Quantile(run.e2e_ms, 0.5),
        Quantile(run.e2e_ms, 0.99), run.sent > 0 ? 1e6 * cpu / static_cast<double>(run.sent + run.probes) : 0.0,
        LoadAverage());
}

int Run(int argc, char** argv) {
    double seconds = 10;
    std::vector<int> connection_counts = {16, 256};
    bool smoke = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (flag == "--smoke") {
            smoke = true;
        } else if (flag == "--seconds" && i + 1 < argc) {
            seconds = std::stod(argv[++i]);
        } else if (flag == "--connections" && i + 1 < argc) {
            connection_counts.clear();
            for (std::string_view list = argv[++i]; !list.empty();) {
                const std::size_t comma = list.find(',');
                connection_counts.push_back(std::stoi(std::string(list.substr(0, comma))));
                list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
            }
        } else {
            std::cerr << "usage: kclinic_mllp_bench [--seconds S] [--connections N,M,...] [--smoke]\n";
            return 2;
        }
    }
    if (smoke) {
        seconds = 0.3;
        connection_counts = {2};
    }
    const fs::path folder = fs::temp_directory_path() / ("kclinic-mllp-bench-" + std::to_string(::getpid()));
    fs::create_directories(folder);

    std::printf("kclinic_mllp_bench: %.1f s per run, %u hardware threads\n", seconds,
                std::thread::hardware_concurrency());
    std::printf("disk: %.0f fdatasync/s (4 KiB, %s)\n", FsyncsPerSecond(folder, smoke ? 0.2 : 2.0), folder.c_str());

    {
        // The transport's limit: the listener with a handler that answers at once, on the connection's strand.
        kclinic::adapters::http::MetricsRegistry metrics;
        hl7::AckOptions options;
        options.control_id = "ACKER";
        const std::string fixed = hl7::BuildAck(hl7::AckContext{}, options, {});
        hl7::mllp::ListenerOptions listener_options;
        listener_options.port = 0;
        listener_options.log = [](std::string_view) {};
        hl7::mllp::MllpListener acker(
            listener_options,
            [&fixed](const hl7::mllp::FrameEvent&, const hl7::mllp::Peer&, const hl7::mllp::FrameResponder& responder) {
                responder.Reply(hl7::mllp::FrameReply{fixed, hl7::AckCode::kAccept});
            },
            metrics);
        if (!acker.Listen().ok()) {
            std::cerr << "the do-nothing ACKer could not listen\n";
            return 1;
        }
        std::thread io([&acker] { acker.Run(); });
        for (const int connections : connection_counts) {
            const Throughput limit =
                FullSpeed(acker.Port(), connections, seconds, "ACKER" + std::to_string(connections));
            std::printf(
                "do-nothing MLLP ACKer (the transport's limit), %4d connections: %8.0f msg/s (%ld AA, %ld other)\n",
                connections, limit.per_second, limit.accepted, limit.other);
        }
        acker.Stop();
        io.join();
    }

    ProbeSlots slots{WallNow()};
    std::optional<Server> server = StartServer(folder);
    if (!server) {
        return 1;
    }
    int failures = 0;
    const pid_t server_pid = server->process->Pid();
    for (const int connections : connection_counts) {
        const std::pair<double, double> before = CommitCounters(server->http_port);
        const double cpu_before = CpuSeconds(server_pid);
        const Throughput durable =
            FullSpeed(server->mllp_port, connections, seconds, "FULL" + std::to_string(connections));
        const double cpu = CpuSeconds(server_pid) - cpu_before;
        const std::pair<double, double> after = CommitCounters(server->http_port);
        const double commits = after.first - before.first;
        std::printf(
            "kclinic serve, SQLite, durable AA at full speed, %4d connections: %8.0f msg/s (%ld AA, %ld other; "
            "%.0f commits/s, %.1f messages per commit); server CPU %.0f us/msg; load average %.1f\n",
            connections, durable.per_second, durable.accepted, durable.other, commits / seconds,
            commits > 0 ? (after.second - before.second) / commits : 0.0,
            durable.accepted > 0 ? 1e6 * cpu / static_cast<double>(durable.accepted) : 0.0, LoadAverage());
        failures += durable.accepted == 0 ? 1 : 0;
    }

    kclinic::adapters::http::testing::LiveOpening opening =
        kclinic::adapters::http::testing::LiveTestClient::OpenWithToken(server->http_port, server->token);
    if (opening.client == nullptr || !opening.client->SendJson({{"subscribe", "board"}}) ||
        opening.client->Next(10s).kind != kclinic::adapters::http::testing::LiveMessage::Kind::kText) {
        std::cerr << "the board subscription failed: " << opening.status << " " << opening.body << "\n";
        return 1;
    }
    int run_number = 0;
    for (const int beds : smoke ? std::vector<int>{10} : std::vector<int>{100, 1000}) {
        const double cpu_before = CpuSeconds(server_pid);
        const Paced run =
            PacedRun(server->mllp_port, *opening.client, beds, seconds, "P" + std::to_string(++run_number), slots);
        PrintPaced(run, CpuSeconds(server_pid) - cpu_before);
        failures += run.ack_ms.empty() || run.e2e_ms.empty() ? 1 : 0;
    }
    opening.client.reset();
    (void)server->process->StopWith(SIGTERM);
    fs::remove_all(folder);
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    return Run(argc, argv);
}
