#pragma once

// Simulated bedside monitors sending over MLLP: what `kclinic monitor-sim` runs on its threads and the demo clinic
// runs for its session in monitoring. Each bed has its own connection, sends one ORU^R01 per interval and waits for
// its ACK (HL7's original acknowledgment mode), reconnecting and sending the same message again when a connection
// fails, as a monitor does.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/hl7/sim/monitor_simulator.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::cli {

struct SimulatedMonitors {
    std::string host;  // an IP address literal
    std::uint16_t port = 0;
    std::vector<adapters::hl7::sim::SimulatedBed> beds;
    adapters::hl7::sim::Codes codes = adapters::hl7::sim::Codes::kMdc;
    std::chrono::microseconds interval{std::chrono::seconds(5)};
    double start_minute = 0;  // minutes since the start of the infusion at the first message
    std::chrono::milliseconds ack_timeout{std::chrono::seconds(10)};
    // Unique to this run: with the round, it makes each message's MSH-10, which must never repeat for a device.
    std::string run_id;
    std::function<clinical::TimePoint()> now;  // the observation times (the server's clock, for the demo)
};

// How a run went. Thread-safe.
class MonitorTally {
public:
    struct Counts {
        std::int64_t sent = 0;
        std::int64_t accepted = 0;    // AA
        std::int64_t errors = 0;      // AE
        std::int64_t rejected = 0;    // AR
        std::int64_t unanswered = 0;  // no ACK after the retries, or one answering another MSH-10
        std::int64_t reconnects = 0;
        std::string first_problem;  // empty when there was none
    };

    void Add(const Counts& counts);
    [[nodiscard]] Counts Total() const;

private:
    mutable std::mutex mutex_;
    Counts total_;
};

// Sends from `monitors.beds`, one message per bed per interval, until `deadline` or `stop`, on the calling thread,
// adding to `tally` after each message; a stop is noticed within 100 ms.
void SendFromMonitors(const SimulatedMonitors& monitors, std::chrono::steady_clock::time_point deadline,
                      const std::atomic<bool>& stop, MonitorTally& tally);

}  // namespace kclinic::cli
