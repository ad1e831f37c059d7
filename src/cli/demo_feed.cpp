#include "cli/demo_feed.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/json/clinical_json.hpp"
#include "adapters/json/live_events.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::cli {

// Bands of the walk: ordinary readings of a patient resting after esketamine, inside every default alert threshold
// (settings monitoring.*), so only the planned spike raises an alert.
DemoVitalsWalk::Reading DemoVitalsWalk::Next() {
    ++count_;
    heart_rate_ = Step(heart_rate_, 2, 62, 96);
    spo2_ = Step(spo2_, 1, 95, 99);
    systolic_ = Step(systolic_, 2, 118, 148);
    diastolic_ = Step(diastolic_, 2, 72, 88);
    respiratory_rate_ = Step(respiratory_rate_, 1, 12, 18);
    const bool spike = count_ % 12 == 0;
    return Reading{static_cast<double>(heart_rate_), static_cast<double>(spo2_),
                   spike ? 182.0 : static_cast<double>(systolic_), static_cast<double>(diastolic_),
                   static_cast<double>(respiratory_rate_)};
}

int DemoVitalsWalk::Step(int value, int span, int low, int high) {
    // random_() is uniform over 32 bits on every implementation; the modulo's bias over 2^32 is negligible here.
    const int step = static_cast<int>(random_() % static_cast<unsigned>(2 * span + 1)) - span;
    return std::clamp(value + step, low, high);
}

DemoVitalsFeed::DemoVitalsFeed(app::Store& store, const app::Clock& clock, const app::TimeZones& zones,
                               app::EventBus& bus, app::PatientId patient, clinical::ClinicSettings settings,
                               std::chrono::milliseconds interval, std::ostream& log)
    : records_(store, clock, zones),
      clock_(clock),
      bus_(bus),
      patient_(patient),
      settings_(std::move(settings)),
      interval_(interval),
      log_(log),
      thread_([this] { Loop(); }) {}

DemoVitalsFeed::~DemoVitalsFeed() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void DemoVitalsFeed::Loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        RecordOne();
        lock.lock();
    }
}

void DemoVitalsFeed::RecordOne() {
    // The device's feed, not a person: a system actor, as an HL7 listener would record it (records.hpp Actor).
    static const app::Actor kMonitor{"system:demo-monitor", "demo"};
    const DemoVitalsWalk::Reading reading = walk_.Next();
    const app::TimePoint observed_at = clock_.Now();
    const auto reading_of = [&](std::string_view loinc, double value, const char* unit) {
        return app::NewVitalSign{patient_,    std::string(loinc),        value,           unit,
                                 observed_at, app::VitalSource::kDevice, "DEMO-MONITOR-1"};
    };
    app::NewVitalSign blood_pressure =
        reading_of(clinical::kBloodPressurePanelLoinc, reading.systolic_mmhg, "mm[Hg]");  // one reading, one record
    blood_pressure.diastolic = reading.diastolic_mmhg;
    const app::NewVitalSign vitals[] = {
        reading_of(clinical::kHeartRateLoinc, reading.heart_rate_per_min, "/min"),
        reading_of(clinical::kSpo2PulseOximetryLoinc, reading.spo2_percent, "%"),
        blood_pressure,
        reading_of(clinical::kRespiratoryRateLoinc, reading.respiratory_rate_per_min, "/min"),
    };
    for (const app::NewVitalSign& vital : vitals) {
        Result<app::RecordedVitalSign> recorded = records_.RecordVitalSign(kMonitor, vital, settings_);
        if (!recorded.ok()) {
            log_ << "kclinic serve: demo monitor: " << recorded.error().ToString() << std::endl;
            continue;
        }
        adapters::json::PublishRecorded(bus_, recorded->vital, recorded->alerts);
    }
}

}  // namespace kclinic::cli
