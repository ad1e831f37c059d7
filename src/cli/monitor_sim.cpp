#include "cli/monitor_sim.hpp"

#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/client.hpp"

namespace kclinic::cli {
namespace {

namespace hl7 = adapters::hl7;
using SteadyClock = std::chrono::steady_clock;

constexpr int kAttemptsPerMessage = 3;

// Sleeps until `until`, waking every 100 ms to notice `stop`. False when stopped.
bool SleepUntil(SteadyClock::time_point until, const std::atomic<bool>& stop) {
    while (!stop.load()) {
        const SteadyClock::time_point now = SteadyClock::now();
        if (now >= until) {
            return true;
        }
        std::this_thread::sleep_for(std::min<SteadyClock::duration>(until - now, std::chrono::milliseconds(100)));
    }
    return false;
}

}  // namespace

void MonitorTally::Add(const Counts& counts) {
    std::lock_guard lock(mutex_);
    total_.sent += counts.sent;
    total_.accepted += counts.accepted;
    total_.errors += counts.errors;
    total_.rejected += counts.rejected;
    total_.unanswered += counts.unanswered;
    total_.reconnects += counts.reconnects;
    if (total_.first_problem.empty()) {
        total_.first_problem = counts.first_problem;
    }
}

MonitorTally::Counts MonitorTally::Total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

void SendFromMonitors(const SimulatedMonitors& monitors, SteadyClock::time_point deadline,
                      const std::atomic<bool>& stop, MonitorTally& tally) {
    std::vector<std::unique_ptr<hl7::mllp::MllpClient>> clients(monitors.beds.size());
    std::vector<bool> connected_before(monitors.beds.size(), false);
    const SteadyClock::time_point started = SteadyClock::now();
    for (std::int64_t round = 0;; ++round) {
        const SteadyClock::time_point due = started + round * monitors.interval;
        if (due >= deadline || !SleepUntil(due, stop)) {
            return;
        }
        const double minutes = monitors.start_minute + std::chrono::duration<double>(due - started).count() / 60.0;
        const clinical::TimePoint observed_at = monitors.now();
        for (std::size_t i = 0; i < monitors.beds.size() && !stop.load(); ++i) {
            const hl7::sim::SimulatedBed& bed = monitors.beds[i];
            const std::string bed_name = "bed " + std::to_string(bed.BedNumber());
            const std::string control_id = monitors.run_id + "-" + std::to_string(round + 1);
            const std::string message = hl7::EncodeOruR01(
                hl7::sim::SimulatedMessage(bed, bed.At(minutes), observed_at, monitors.codes, control_id));
            MonitorTally::Counts counts;
            counts.sent = 1;
            std::optional<hl7::AckAnswer> ack;
            for (int attempt = 0; attempt < kAttemptsPerMessage && !ack && !stop.load(); ++attempt) {
                if (!clients[i]) {
                    auto client = hl7::mllp::MllpClient::Connect(monitors.host, monitors.port, monitors.ack_timeout);
                    if (!client.ok()) {
                        counts.first_problem = bed_name + ": " + client.error().message;
                        continue;
                    }
                    counts.reconnects += connected_before[i] ? 1 : 0;
                    connected_before[i] = true;
                    clients[i] = std::move(client).value();
                }
                auto reply = clients[i]->Exchange(message, monitors.ack_timeout);
                if (!reply.ok()) {
                    clients[i].reset();
                    counts.first_problem = bed_name + ": " + reply.error().message;
                    continue;
                }
                ack = hl7::ReadAck(reply.value()).value_or(hl7::AckAnswer{"?", ""});
            }
            if (!ack || ack->control_id != control_id) {
                ++counts.unanswered;
                if (ack) {
                    counts.first_problem = bed_name;
                    counts.first_problem.append(": the ACK answers MSH-10 \"").append(ack->control_id);
                    counts.first_problem.append("\", not \"").append(control_id).append("\"");
                }
            } else if (ack->code == "AA") {
                ++counts.accepted;
                counts.first_problem.clear();  // a problem overcome by a retry is no problem
            } else {
                (ack->code == "AE" ? counts.errors : counts.rejected) += 1;
                counts.first_problem = bed_name;
                counts.first_problem.append(": ").append(ack->code).append(" for ").append(control_id);
            }
            tally.Add(counts);
        }
    }
}

}  // namespace kclinic::cli
