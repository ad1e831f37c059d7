#include "cli/monitor_sim_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapters/hl7/message/message.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/client.hpp"
#include "adapters/hl7/sim/monitor_simulator.hpp"

namespace kclinic::cli {
namespace {

namespace hl7 = adapters::hl7;
using Json = adapters::json::Json;
using SteadyClock = std::chrono::steady_clock;

struct MonitorSimOptions {
    std::string to;  // HOST:PORT
    int beds = 1;
    double interval_s = 5;
    std::string scenario = "normal";
    double duration_s = 0;  // 0: until SIGINT or SIGTERM
    std::string codes = "mdc";
    double start_minute = 0;  // minutes since the start of the infusion when the run begins
    std::uint64_t seed = 1;
    double ack_timeout_s = 10;
    bool json = false;
};

// Set by SIGINT/SIGTERM: the senders finish the message in flight and the run reports.
std::atomic<bool> stop_requested{false};

extern "C" void RequestStop(int /*signal*/) {
    stop_requested.store(true);
}

// How a run went, added to by every sender thread.
struct Tally {
    std::mutex mutex;
    std::int64_t sent = 0;
    std::int64_t accepted = 0;    // AA
    std::int64_t errors = 0;      // AE
    std::int64_t rejected = 0;    // AR
    std::int64_t unanswered = 0;  // no ACK, or one that does not answer the message
    std::int64_t reconnects = 0;
    std::string first_problem;

    void Problem(const std::string& what) {
        if (first_problem.empty()) {
            first_problem = what;
        }
    }
};

// MSA-1 and MSA-2 of an ACK; nullopt when it has no MSA.
std::optional<std::pair<std::string, std::string>> AckOf(std::string_view ack) {
    const hl7::Hl7Result<hl7::Message> parsed = hl7::Message::Parse(ack);
    if (!parsed.ok()) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < parsed->segment_count(); ++i) {
        const hl7::Segment segment = parsed->segment(i);
        if (segment.id() == "MSA") {
            return std::make_pair(std::string(segment.Field(1)), std::string(segment.Field(2)));
        }
    }
    return std::nullopt;
}

// One sender thread: its beds, each with its own connection (as each monitor has), a message per bed per interval.
// A connection that fails is opened again and the unanswered message sent again, as a monitor does.
void RunSender(const MonitorSimOptions& options, const std::string& host, std::uint16_t port,
               std::vector<hl7::sim::SimulatedBed> beds, hl7::sim::Codes codes, const std::string& run_id,
               SteadyClock::time_point deadline, Tally& tally) {
    const auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(options.ack_timeout_s * 1000));
    const auto interval = std::chrono::microseconds(static_cast<std::int64_t>(options.interval_s * 1e6));
    std::vector<std::unique_ptr<hl7::mllp::MllpClient>> clients(beds.size());
    const SteadyClock::time_point started = SteadyClock::now();
    for (std::int64_t round = 0;; ++round) {
        const SteadyClock::time_point due = started + round * interval;
        if (due >= deadline || stop_requested.load()) {
            return;
        }
        std::this_thread::sleep_until(due);
        const double minutes = options.start_minute + std::chrono::duration<double>(due - started).count() / 60.0;
        const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
        for (std::size_t i = 0; i < beds.size() && !stop_requested.load(); ++i) {
            const hl7::sim::SimulatedBed& bed = beds[i];
            const std::string control_id = run_id + "-" + std::to_string(round + 1);
            const std::string message = hl7::EncodeOruR01(
                hl7::sim::SimulatedMessage(bed, bed.At(minutes), clinical::TimePoint(now), codes, control_id));
            std::optional<std::pair<std::string, std::string>> ack;
            for (int attempt = 0; attempt < 3 && !ack; ++attempt) {
                if (!clients[i]) {
                    auto connected = hl7::mllp::MllpClient::Connect(host, port, timeout);
                    if (!connected.ok()) {
                        std::lock_guard lock(tally.mutex);
                        tally.Problem("bed " + std::to_string(bed.BedNumber()) + ": " + connected.error().message);
                        continue;
                    }
                    if (round > 0 || attempt > 0) {
                        std::lock_guard lock(tally.mutex);
                        ++tally.reconnects;
                    }
                    clients[i] = std::move(connected).value();
                }
                auto reply = clients[i]->Exchange(message, timeout);
                if (!reply.ok()) {
                    clients[i].reset();
                    std::lock_guard lock(tally.mutex);
                    tally.Problem("bed " + std::to_string(bed.BedNumber()) + ": " + reply.error().message);
                    continue;
                }
                ack = AckOf(reply.value());
                if (!ack) {
                    ack = std::make_pair(std::string("?"), std::string());
                }
            }
            std::lock_guard lock(tally.mutex);
            ++tally.sent;
            if (!ack || ack->second != control_id) {
                ++tally.unanswered;
                if (ack) {
                    tally.Problem("bed " + std::to_string(bed.BedNumber()) + ": the ACK answers MSH-10 \"" +
                                  ack->second + "\", not \"" + control_id + "\"");
                }
            } else if (ack->first == "AA") {
                ++tally.accepted;
            } else if (ack->first == "AE") {
                ++tally.errors;
                tally.Problem("bed " + std::to_string(bed.BedNumber()) + ": AE for " + control_id);
            } else {
                ++tally.rejected;
                tally.Problem("bed " + std::to_string(bed.BedNumber()) + ": " + ack->first + " for " + control_id);
            }
        }
    }
}

Result<CommandOutput> RunMonitorSim(const MonitorSimOptions& options) {
    const std::size_t colon = options.to.rfind(':');
    std::string host = colon == std::string::npos ? "" : options.to.substr(0, colon);
    const std::string port_text = colon == std::string::npos ? "" : options.to.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host == "localhost") {
        host = "127.0.0.1";
    }
    if (host.empty() || port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string::npos || std::stoi(port_text) < 1 ||
        std::stoi(port_text) > 65535) {
        return InvalidArgument(
            "--to", "expected HOST:PORT of the MLLP listener, such as 127.0.0.1:2575 (got \"" + options.to + "\")");
    }
    const auto port = static_cast<std::uint16_t>(std::stoi(port_text));
    const std::optional<hl7::sim::Scenario> scenario = hl7::sim::ScenarioNamed(options.scenario);
    if (!scenario) {
        return InvalidArgument("--scenario",
                               "must be one of normal, hypertensive-spike, desaturation, bradycardia; "
                               "got \"" +
                                   options.scenario + "\"");
    }
    if (options.codes != "mdc" && options.codes != "loinc") {
        return InvalidArgument("--codes", "must be mdc or loinc; got \"" + options.codes + "\"");
    }
    const hl7::sim::Codes codes = options.codes == "mdc" ? hl7::sim::Codes::kMdc : hl7::sim::Codes::kLoinc;

    // MSH-10 must be unique per device for ever (the listener takes a repeated one as a resend): the run's start
    // time in milliseconds makes each run's ids new.
    const std::string run_id = "SIM" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          std::chrono::system_clock::now().time_since_epoch())
                                                          .count());
    const int threads = std::min(options.beds, 32);
    std::vector<std::vector<hl7::sim::SimulatedBed>> beds_of(static_cast<std::size_t>(threads));
    for (int bed = 1; bed <= options.beds; ++bed) {
        beds_of[static_cast<std::size_t>((bed - 1) % threads)].emplace_back(bed, *scenario, options.seed);
    }
    stop_requested.store(false);
    std::signal(SIGINT, RequestStop);
    std::signal(SIGTERM, RequestStop);
    const SteadyClock::time_point started = SteadyClock::now();
    const SteadyClock::time_point deadline =
        options.duration_s > 0
            ? started + std::chrono::microseconds(static_cast<std::int64_t>(options.duration_s * 1e6))
            : SteadyClock::time_point::max();
    Tally tally;
    std::vector<std::thread> senders;
    for (std::vector<hl7::sim::SimulatedBed>& beds : beds_of) {
        senders.emplace_back([&, beds = std::move(beds)]() mutable {
            RunSender(options, host, port, std::move(beds), codes, run_id, deadline, tally);
        });
    }
    for (std::thread& sender : senders) {
        sender.join();
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();

    const std::int64_t bad = tally.errors + tally.rejected + tally.unanswered;
    if (bad > 0) {
        return Error{ErrorCode::kFailedPrecondition, "ack",
                     std::to_string(bad) + " of " + std::to_string(tally.sent) +
                         " messages were not acknowledged AA (AE " + std::to_string(tally.errors) + ", AR " +
                         std::to_string(tally.rejected) + ", none " + std::to_string(tally.unanswered) +
                         "); first: " + tally.first_problem};
    }
    Json json = {{"to", options.to},
                 {"beds", options.beds},
                 {"scenario", options.scenario},
                 {"codes", options.codes},
                 {"sent", tally.sent},
                 {"acknowledged_aa", tally.accepted},
                 {"reconnects", tally.reconnects},
                 {"seconds", seconds}};
    std::string text = "monitor-sim: " + std::to_string(tally.sent) + " messages from " + std::to_string(options.beds) +
                       " beds to " + options.to + " in " + std::to_string(static_cast<std::int64_t>(seconds)) +
                       " s, every one acknowledged AA";
    if (tally.reconnects > 0) {
        text += " (" + std::to_string(tally.reconnects) + " reconnections)";
    }
    return CommandOutput{json, text + "\n"};
}

}  // namespace

void RegisterMonitorSimCommand(CLI::App& app, std::vector<Command>& commands) {
    auto options = std::make_shared<MonitorSimOptions>();
    CLI::App* sim = app.add_subcommand(
        "monitor-sim",
        "Simulate bedside monitors: send a ketamine session's vital signs as HL7 v2 ORU^R01 over MLLP to `kclinic "
        "serve --mllp`, one connection per bed, checking every ACK (exit 2 unless every one is AA)");
    sim->add_option("--to", options->to, "The MLLP listener, HOST:PORT such as 127.0.0.1:2575")->required();
    sim->add_option("--beds", options->beds,
                    "How many monitors (1-5000, default 1); bed N sends as "
                    "KCLINIC-SIM-BED-N, the identifier to bind to a room")
        ->check(CLI::Range(1, 5000));
    sim->add_option("--interval-s", options->interval_s, "Seconds between one bed's messages (0.001-3600, default 5)")
        ->check(CLI::Range(0.001, 3600.0));
    sim->add_option("--scenario", options->scenario,
                    "normal (default), hypertensive-spike (beyond 180/110 around 40 min), desaturation (SpO2 below "
                    "90 % around 25 min) or bradycardia (below 50 /min around 20 min)");
    sim->add_option("--duration-s", options->duration_s, "Seconds to run (default 0: until SIGINT or SIGTERM)")
        ->check(CLI::Range(0.0, 7.0 * 24 * 3600));
    sim->add_option("--codes", options->codes, "mdc (IEEE 11073 MDC, as IHE PCD-01 monitors send; default) or loinc");
    sim->add_option("--start-minute", options->start_minute,
                    "Minutes since the start of the infusion when the run begins (default 0)")
        ->check(CLI::Range(0.0, 24.0 * 60));
    sim->add_option("--seed", options->seed, "The seed of the beds' baselines and noise (default 1)");
    sim->add_option("--ack-timeout-s", options->ack_timeout_s, "Seconds to wait for each ACK (0.1-600, default 10)")
        ->check(CLI::Range(0.1, 600.0));
    sim->add_flag("--json", options->json, "Print the run's summary as one JSON object");
    commands.push_back(Command{sim, &options->json, [options] { return RunMonitorSim(*options); }});
}

}  // namespace kclinic::cli
