// kclinic_live_bench WRITE_PORT WATCH_PORT TOKEN PATIENT_ID [SAMPLES] [LABEL]
//
// The live channel's latency on loopback (issue 4 §3: an alert reaches subscribers within 100 ms of the write),
// measured, not asserted. A board subscriber on the server at WATCH_PORT; one client POSTs a vital sign that breaches
// the systolic threshold (SBP 185) to the server at WRITE_PORT, waits for the answer and for the alert it raised to
// arrive at the subscriber, then sends the next (closed loop, SAMPLES times, default 200). The subscriber reads on
// its own thread and stamps each alert on arrival, so an alert that arrives before the HTTP answer is timed as such.
// Prints, in one line, p50/p99/max of the HTTP write (send to answer) and of the alert (send to arrival at the
// subscriber). WATCH_PORT may be WRITE_PORT (one process) or another process on the same PostgreSQL database (the
// LISTEN/NOTIFY relay between them). bench/http/run starts the servers and runs it.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/testing/http_test_client.hpp"
#include "adapters/http/testing/live_test_client.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using kclinic::adapters::http::testing::LiveOpening;
using kclinic::adapters::http::testing::LiveTestClient;

constexpr std::chrono::seconds kPatience{10};
// Samples sent first and not counted.
constexpr int kWarmUp = 20;
// A relay LISTENs on its own thread after the server has printed its URL, and NOTIFY reaches only listeners: until
// an alert has arrived, a write whose alert does not come within this time is sent again (at most kPatience in all).
constexpr std::chrono::milliseconds kFirstArrival{500};

// Alerts seen by the subscriber, by id, with their arrival time.
class Arrivals {
public:
    void Add(std::int64_t alert_id, Clock::time_point at) {
        {
            const std::lock_guard lock(mutex_);
            seen_[alert_id] = at;
        }
        changed_.notify_all();
    }
    void End() {
        {
            const std::lock_guard lock(mutex_);
            ended_ = true;
        }
        changed_.notify_all();
    }
    // The arrival of `alert_id`, waiting at most `patience`; nullopt when it did not come.
    std::optional<Clock::time_point> Wait(std::int64_t alert_id, std::chrono::milliseconds patience) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, patience, [&] { return ended_ || seen_.contains(alert_id); });
        const auto found = seen_.find(alert_id);
        return found == seen_.end() ? std::nullopt : std::optional(found->second);
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::int64_t, Clock::time_point> seen_;
    bool ended_ = false;
};

double Millis(Clock::duration duration) {
    return std::chrono::duration<double, std::milli>(duration).count();
}

// p-th percentile (nearest rank) of sorted `values`.
double Percentile(const std::vector<double>& values, double p) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

std::string Figures(std::vector<double> values) {
    std::ranges::sort(values);
    char text[64];
    std::snprintf(text, sizeof text, "%9.2f %8.2f %8.2f", Percentile(values, 50), Percentile(values, 99),
                  values.back());
    return text;
}

std::uint16_t Port(const char* text) {
    unsigned value = 0;
    std::from_chars(text, text + std::char_traits<char>::length(text), value);
    return static_cast<std::uint16_t>(value);
}

int Run(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s WRITE_PORT WATCH_PORT TOKEN PATIENT_ID [SAMPLES] [LABEL]\n", argv[0]);
        return 2;
    }
    const std::uint16_t write_port = Port(argv[1]);
    const std::uint16_t watch_port = Port(argv[2]);
    const std::string token = argv[3];
    const std::string vitals = std::string("/api/v1/patients/") + argv[4] + "/vitals";
    const int samples = argc > 5 ? std::atoi(argv[5]) : 200;
    const std::string label = argc > 6 ? argv[6] : "";
    if (samples <= 0) {
        std::fprintf(stderr, "SAMPLES must be positive\n");
        return 2;
    }

    LiveOpening opening = LiveTestClient::OpenWithToken(watch_port, token);
    if (opening.client == nullptr) {
        std::fprintf(stderr, "live channel refused: %d %s %s\n", opening.status, opening.body.c_str(),
                     opening.problem.c_str());
        return 1;
    }
    LiveTestClient& watcher = *opening.client;
    watcher.SendText(R"({"subscribe":"board"})");
    if (watcher.Await("subscribed", kPatience).is_null()) {
        std::fprintf(stderr, "the board subscription was not answered\n");
        return 1;
    }
    Arrivals arrivals;
    std::thread reader([&] {
        // Ends when the writer closes the connection at the end (the read then fails) or the server goes.
        while (true) {
            const nlohmann::json alert = watcher.Await("alert", std::chrono::hours{1});
            const Clock::time_point at = Clock::now();
            if (alert.is_null()) {
                arrivals.End();
                return;
            }
            arrivals.Add(alert["record"].value("id", std::int64_t{0}), at);
        }
    });

    auto connection = kclinic::adapters::http::testing::TestConnection::Connect(write_port);
    const std::string headers = "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n";
    const std::string body = R"({"loinc":"85354-9","systolic":185,"diastolic":95,"unit":"mm[Hg]"})";
    std::vector<double> http_ms;
    std::vector<double> alert_ms;
    int status = 0;
    const Clock::time_point give_up = Clock::now() + kPatience;
    bool arriving = false;
    for (int i = 0; connection != nullptr && i < kWarmUp + samples; ++i) {
        const Clock::time_point sent = Clock::now();
        const auto answer = connection->Exchange("POST", vitals, body, headers);
        const Clock::time_point answered = Clock::now();
        const nlohmann::json recorded = answer ? nlohmann::json::parse(answer->body, nullptr, false) : nlohmann::json();
        if (!answer || answer->status != 201 || !recorded.is_object() || recorded["alerts"].size() != 1) {
            std::fprintf(stderr, "write %d failed: %s\n", i, answer ? answer->body.c_str() : "no answer");
            status = 1;
            break;
        }
        const std::optional<Clock::time_point> arrived =
            arrivals.Wait(recorded["alerts"][0].value("id", std::int64_t{0}), arriving ? kPatience : kFirstArrival);
        if (!arrived && !arriving && Clock::now() < give_up) {
            --i;
            continue;
        }
        arriving = true;
        if (!arrived) {
            std::fprintf(stderr, "alert of write %d did not arrive within %lld s\n", i,
                         static_cast<long long>(kPatience.count()));
            status = 1;
            break;
        }
        if (i >= kWarmUp) {
            http_ms.push_back(Millis(answered - sent));
            alert_ms.push_back(Millis(*arrived - sent));
        }
    }
    if (connection == nullptr) {
        std::fprintf(stderr, "cannot connect to port %u\n", write_port);
        status = 1;
    }
    watcher.Close(1000);
    reader.join();
    if (status == 0) {
        std::printf("%-22s %7d   %s   %s\n", label.c_str(), samples, Figures(http_ms).c_str(),
                    Figures(alert_ms).c_str());
    }
    return status;
}
}  // namespace

int main(int argc, char** argv) {
    try {
        return Run(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "live_bench: %s\n", error.what());
        return 1;
    }
}
