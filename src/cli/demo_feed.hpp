#pragma once

// The demo clinic's bedside monitor: while `kclinic serve --demo` runs, the patient of the session in monitoring
// gets a set of vital signs every interval, recorded through PatientRecords::RecordVitalSign (so the alert rules run
// on them) and published to the live channel's EventBus. It lives in cli/, the composition root, because it wires a
// real clock, a thread and the JSON events (adapters/json/live_events) to the use case; app/ stays free of threads.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <random>
#include <thread>

#include "app/patient_records.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/event_bus.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "clinical/settings.hpp"

namespace kclinic::cli {

// A random walk of plausible readings in monitoring after esketamine, the same on every run (a fixed seed and
// distributions written here, so every standard library draws the same numbers). Every 12th set has a systolic BP
// of 182 mmHg, at or above the default alert threshold of 180 (settings monitoring.systolic_alert_at_or_above), so
// the demo shows an alert about once a minute at the default interval.
class DemoVitalsWalk {
public:
    struct Reading {
        double heart_rate_per_min = 0;
        double spo2_percent = 0;
        double systolic_mmhg = 0;
        double diastolic_mmhg = 0;
        double respiratory_rate_per_min = 0;
    };

    Reading Next();

private:
    // A step of -2..2 (-1..1 for SpO2 and RR), kept within [low, high].
    int Step(int value, int span, int low, int high);

    std::mt19937 random_{20260921U};
    std::uint64_t count_ = 0;
    int heart_rate_ = 78;
    int spo2_ = 97;
    int systolic_ = 134;
    int diastolic_ = 84;
    int respiratory_rate_ = 14;
};

class DemoVitalsFeed {
public:
    // Starts the feed's thread: the first set after one `interval`. `store`, `clock`, `zones` and `bus` must outlive
    // this object; errors are written to `log` (one line each) and the feed goes on.
    DemoVitalsFeed(app::Store& store, const app::Clock& clock, const app::TimeZones& zones, app::EventBus& bus,
                   app::PatientId patient, clinical::ClinicSettings settings, std::chrono::milliseconds interval,
                   std::ostream& log);
    // Stops the thread and waits for it (at most one set being recorded).
    ~DemoVitalsFeed();
    DemoVitalsFeed(const DemoVitalsFeed&) = delete;
    DemoVitalsFeed& operator=(const DemoVitalsFeed&) = delete;

private:
    void Loop();
    void RecordOne();

    app::PatientRecords records_;
    const app::Clock& clock_;
    app::EventBus& bus_;
    const app::PatientId patient_;
    const clinical::ClinicSettings settings_;
    const std::chrono::milliseconds interval_;
    std::ostream& log_;
    DemoVitalsWalk walk_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: started once everything above is ready
};

}  // namespace kclinic::cli
