// Child process of the crash test: writes vital signs from several threads as fast as the store acknowledges them
// and prints "<id> <value>" for each acknowledged write, until it is killed. Usage: kclinic_crash_writer DB_URL

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/patient_records.hpp"

namespace {

using namespace kclinic;

// One write(2) per line: lines from different threads never interleave (each is far below PIPE_BUF).
void Announce(const std::string& line) {
    const ssize_t written = write(STDOUT_FILENO, line.data(), line.size());
    static_cast<void>(written);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: kclinic_crash_writer DB_URL\n");
        return 2;
    }
    Result<std::unique_ptr<app::Store>> store = adapters::storage::OpenStore(argv[1]);
    if (!store.ok()) {
        std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
        return 1;
    }
    adapters::SystemClock clock;
    const adapters::OsTimeZones zones;
    app::PatientRecords records(**store, clock, zones);
    const app::Actor actor{"system:crash-test", "test"};
    // Default thresholds: the readings above 180 mm[Hg] raise alerts, so alerts are written under SIGKILL too.
    const clinical::ClinicSettings settings;

    app::PatientId patient;
    Status found = (*store)->Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::optional<app::Patient>> existing = tx.FindPatientByMrn("CRASH-TEST");
        if (existing.ok() && existing->has_value()) {
            patient = (*existing)->id;
        }
        return Status::Ok();
    });
    if (found.ok() && patient.value == 0) {
        Result<app::Patient> created = records.RegisterPatient(
            actor, app::NewPatient{"CRASH-TEST", "Crash", "Test",
                                   std::chrono::sys_days{std::chrono::year{1970} / 1 / 1}, clinical::Sex::kUnknown});
        if (!created.ok()) {
            std::fprintf(stderr, "%s\n", created.error().ToString().c_str());
            return 1;
        }
        patient = created->id;
    }

    std::atomic<long> sequence{0};
    constexpr int kWriters = 8;
    std::vector<std::thread> writers;
    writers.reserve(kWriters);
    for (int t = 0; t < kWriters; ++t) {
        writers.emplace_back([&] {
            while (true) {
                const long n = sequence++;
                const double value = 40.0 + static_cast<double>(n % 260) + 0.25;
                // A blood-pressure reading: `value` its systolic, over the lowest plausible diastolic.
                app::NewVitalSign vital{
                    patient, "85354-9", value, "mm[Hg]", clock.Now(), app::VitalSource::kDevice, "crash-monitor"};
                vital.diastolic = 20;
                Result<app::RecordedVitalSign> written = records.RecordVitalSign(actor, vital, settings);
                if (!written.ok()) {
                    std::fprintf(stderr, "%s\n", written.error().ToString().c_str());
                    _exit(1);
                }
                Announce(std::to_string(written->vital.id.value) + " " + std::to_string(value) + "\n");
            }
        });
    }
    for (std::thread& writer : writers) {
        writer.join();
    }
}
