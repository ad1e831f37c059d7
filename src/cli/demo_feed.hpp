#pragma once

// The demo clinic's bedside monitor: while `kclinic serve --demo` runs, a simulated monitor (cli/monitor_sim.hpp) in
// the chair of the session in monitoring sends its vital signs as HL7 v2 ORU^R01 over MLLP to the server's own
// listener, so the demo's live session is fed the way a clinic's is (issue 13): every reading goes through the
// parser, the code map, the record's device feed, its alert rules and the live channel. It lives in cli/, the
// composition root, because it runs a thread with a real socket.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <thread>

#include "app/ports/clock.hpp"
#include "cli/monitor_sim.hpp"

namespace kclinic::cli {

class DemoMonitor {
public:
    // Starts sending as `device_id` to the listener at `host`:`port`, a set every `interval`, the first at once,
    // observed at `clock`'s time (the test clock's under --test-clock). `clock` and `log` must outlive this object.
    DemoMonitor(std::string host, std::uint16_t port, std::string device_id, std::chrono::milliseconds interval,
                const app::Clock& clock, std::ostream& log);
    // Stops the thread and waits for it (at most the message in flight); logs the first problem it met, if any.
    ~DemoMonitor();
    DemoMonitor(const DemoMonitor&) = delete;
    DemoMonitor& operator=(const DemoMonitor&) = delete;

private:
    std::ostream& log_;
    SimulatedMonitors monitors_;
    MonitorTally tally_;
    std::atomic<bool> stop_{false};
    std::thread thread_;  // last: started once everything above is ready
};

}  // namespace kclinic::cli
