#include "cli/demo_feed.hpp"

#include <utility>

namespace kclinic::cli {
namespace {

// The demo's monitor replays the hypertensive spike of a ketamine session from 36 minutes after the start: within a
// few minutes of `make run` the systolic pressure passes the alert threshold of 180 mm[Hg] (settings
// monitoring.systolic_alert_at_or_above), raising one alert for the episode, and then falls back.
constexpr double kDemoStartMinute = 36;

}  // namespace

DemoMonitor::DemoMonitor(std::string host, std::uint16_t port, std::string device_id,
                         std::chrono::milliseconds interval, const app::Clock& clock, std::ostream& log)
    : log_(log) {
    monitors_.host = std::move(host);
    monitors_.port = port;
    monitors_.beds.emplace_back(1, adapters::hl7::sim::Scenario::kHypertensiveSpike, 20260921U, std::move(device_id));
    monitors_.interval = std::chrono::duration_cast<std::chrono::microseconds>(interval);
    monitors_.start_minute = kDemoStartMinute;
    monitors_.run_id = "DEMO" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
    monitors_.now = [&clock] { return clock.Now(); };
    thread_ = std::thread(
        [this] { SendFromMonitors(monitors_, std::chrono::steady_clock::time_point::max(), stop_, tally_); });
}

DemoMonitor::~DemoMonitor() {
    stop_.store(true);
    thread_.join();
    const MonitorTally::Counts total = tally_.Total();
    if (!total.first_problem.empty()) {
        log_ << "kclinic demo monitor: " << total.sent - total.accepted << " of " << total.sent
             << " messages not acknowledged AA; first: " << total.first_problem << std::endl;
    }
}

}  // namespace kclinic::cli
