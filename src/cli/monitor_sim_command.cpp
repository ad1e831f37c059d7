#include "cli/monitor_sim_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "adapters/hl7/sim/monitor_simulator.hpp"
#include "cli/monitor_sim.hpp"

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

Result<CommandOutput> RunMonitorSim(const MonitorSimOptions& options) {
    ASSIGN_OR_RETURN(const ListenAddress to, ParseHostPort(options.to, "--to", "2575"));
    if (to.port == 0) {
        return InvalidArgument("--to", "needs the listener's port, 1-65535 (got \"" + options.to + "\")");
    }
    const std::string& host = to.host;
    const std::uint16_t port = to.port;
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
    // One thread per few beds: each bed waits for its ACK before its next message, as a monitor does.
    const int threads = std::min(options.beds, 32);
    std::vector<SimulatedMonitors> groups(static_cast<std::size_t>(threads));
    for (SimulatedMonitors& group : groups) {
        group.host = host;
        group.port = port;
        group.codes = codes;
        group.interval = std::chrono::microseconds(static_cast<std::int64_t>(options.interval_s * 1e6));
        group.start_minute = options.start_minute;
        group.ack_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(options.ack_timeout_s * 1000));
        group.now = [] {
            return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
        };
    }
    for (int bed = 1; bed <= options.beds; ++bed) {
        SimulatedMonitors& group = groups[static_cast<std::size_t>((bed - 1) % threads)];
        group.beds.emplace_back(bed, *scenario, options.seed);
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        groups[i].run_id = run_id + "-" + std::to_string(i + 1);
    }
    stop_requested.store(false);
    std::signal(SIGINT, RequestStop);
    std::signal(SIGTERM, RequestStop);
    const SteadyClock::time_point started = SteadyClock::now();
    const SteadyClock::time_point deadline =
        options.duration_s > 0
            ? started + std::chrono::microseconds(static_cast<std::int64_t>(options.duration_s * 1e6))
            : SteadyClock::time_point::max();
    MonitorTally tally;
    std::vector<std::thread> senders;
    senders.reserve(groups.size());
    for (const SimulatedMonitors& group : groups) {
        senders.emplace_back([&group, deadline, &tally] { SendFromMonitors(group, deadline, stop_requested, tally); });
    }
    for (std::thread& sender : senders) {
        sender.join();
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    const MonitorTally::Counts total = tally.Total();
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();

    const std::int64_t bad = total.errors + total.rejected + total.unanswered;
    if (bad > 0) {
        return Error{ErrorCode::kFailedPrecondition, "ack",
                     std::to_string(bad) + " of " + std::to_string(total.sent) +
                         " messages were not acknowledged AA (AE " + std::to_string(total.errors) + ", AR " +
                         std::to_string(total.rejected) + ", none " + std::to_string(total.unanswered) +
                         "); first: " + total.first_problem};
    }
    Json json = {{"to", options.to},
                 {"beds", options.beds},
                 {"scenario", options.scenario},
                 {"codes", options.codes},
                 {"sent", total.sent},
                 {"acknowledged_aa", total.accepted},
                 {"reconnects", total.reconnects},
                 {"seconds", seconds}};
    std::string text = "monitor-sim: " + std::to_string(total.sent) + " messages from " + std::to_string(options.beds) +
                       " beds to " + options.to + " in " + std::to_string(static_cast<std::int64_t>(seconds)) +
                       " s, every one acknowledged AA";
    if (total.reconnects > 0) {
        text += " (" + std::to_string(total.reconnects) + " reconnections)";
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
