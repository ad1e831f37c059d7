// Slot search (issue 11 §5): the next 5 free slots for one appointment over 90 days in a clinic with 20 rooms, 15
// staff and 5,000 booked appointments, in New York (both daylight-saving changes lie in a year's searches). Each
// search is timed on its own and the p50 / p99 are printed as counters, beside a floor measured in the same run:
// scanning, in memory, the bookings of the days that search had to look at (the least work any search must do,
// since every booking on those days could block the slot).
// The same searches run through the use case too (app::Scheduling::FindSlots, warm) on the clinic stored in a real
// SQLite file: the goal (under 5 ms at p99) is stated for that one.
// Run: make bench  (or build/release/bench/kclinic_scheduling_bench)

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/storage/sqlite/sqlite_store.hpp"
#include "app/audit.hpp"
#include "app/ports/clock.hpp"
#include "app/records.hpp"
#include "app/scheduling.hpp"
#include "clinical/clinic_zone.hpp"
#include "clinical/scheduling.hpp"
#include "clinical/settings.hpp"

namespace {

using namespace kclinic::clinical;
using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;

constexpr int kRooms = 20;
constexpr int kNurses = 10;
constexpr int kClinicians = 5;  // 15 staff
constexpr int kBookings = 5000;
constexpr int kSearchDays = 90;
constexpr int kPatients = 1500;
constexpr int kUnbookedPatients = 200;  // searched for, with nothing booked
constexpr sys_days kFirstDay = sys_days{std::chrono::year{2026} / 10 / 1};

// The OS's IANA database, as `kclinic serve` reads it.
ClinicZone NewYork() {
    kclinic::Result<ClinicZone> zone = kclinic::adapters::OsTimeZones().Load("America/New_York");
    return zone.ok() ? *zone : ClinicZone::Utc();
}

// The clinic: rooms 1-8 IV/IM, 9-14 esketamine, 15-20 both; every room filled day by day from opening with
// appointments and short gaps until 5,000 are booked (about 80 an open day over the 90 days), each treatment with
// one of the nurses in turn, each consultation with a clinician, patients drawn at random.
struct Clinic {
    ClinicZone zone = NewYork();
    ClinicSettings settings;
    OpeningHours hours = OpeningHoursOf(settings, {sys_days{std::chrono::year{2026} / 11 / 26}});
    std::vector<Room> rooms;
    std::vector<Booking> bookings;
    std::vector<std::string> nurses;
    std::vector<std::string> clinicians;

    Clinic() {
        for (int i = 1; i <= kRooms; ++i) {
            const RoomEquipment equipment =
                i <= 8 ? RoomEquipment::kIvIm : (i <= 14 ? RoomEquipment::kEsketamine : RoomEquipment::kBoth);
            rooms.push_back(Room{i, "Room " + std::to_string(i), equipment, true});
        }
        for (int i = 1; i <= kNurses; ++i) {
            nurses.push_back("nurse" + std::to_string(i) + "@clinic");
        }
        for (int i = 1; i <= kClinicians; ++i) {
            clinicians.push_back("clinician" + std::to_string(i) + "@clinic");
        }
        std::mt19937 random(11);
        std::size_t next_nurse = 0;
        for (sys_days date = kFirstDay; bookings.size() < kBookings; date += days{1}) {
            const auto& open = hours.weekly.at((std::chrono::weekday(date).iso_encoding() - 1) % 7);
            if (!open) {
                continue;
            }
            const TimePoint closes = zone.AtLocal(date, open->closes);
            for (const Room& room : rooms) {
                TimePoint start = zone.AtLocal(date, open->opens) + minutes{15 * static_cast<int>(random() % 6)};
                while (bookings.size() < kBookings) {
                    AppointmentType type = random() % 4 == 0 ? AppointmentType::kFollowUp
                                           : room.equipment == RoomEquipment::kEsketamine
                                               ? AppointmentType::kEsketamineSession
                                               : AppointmentType::kIvSession;
                    const TimePoint end = start + AppointmentLength(type, settings);
                    if (end > closes) {
                        break;
                    }
                    const bool treatment = IsTreatment(type);
                    bookings.push_back(Booking{
                        static_cast<std::int64_t>(bookings.size() + 1), type,
                        1 + static_cast<std::int64_t>(random() % kPatients), start, end, room.id,
                        treatment ? nurses[next_nurse++ % nurses.size()] : clinicians[random() % clinicians.size()]});
                    start = end + minutes{15 * static_cast<int>(random() % 5)};
                }
            }
        }
    }

    [[nodiscard]] ScheduleContext Context(TimePoint now) const { return {zone, hours, rooms, bookings, settings, now}; }
};

const Clinic& TheClinic() {
    static const Clinic clinic;
    return clinic;
}

// A year of searches' variety in 64 requests: IV, esketamine and consultations, for patients with and without
// sessions in the range, some for one room or one staff member, from different days.
std::vector<SlotRequest> Requests(const Clinic& clinic) {
    std::vector<SlotRequest> requests;
    std::mt19937 random(5);
    const std::vector<AppointmentType> types = {AppointmentType::kIvSession, AppointmentType::kEsketamineSession,
                                                AppointmentType::kIntake, AppointmentType::kIvSession};
    for (int i = 0; i < 64; ++i) {
        SlotRequest request;
        request.type = types[static_cast<std::size_t>(i) % types.size()];
        request.patient = 1 + static_cast<std::int64_t>(random() % (kPatients + kUnbookedPatients));
        request.length = AppointmentLength(request.type, clinic.settings);
        request.from = kFirstDay + days{random() % 10};
        request.to = request.from + days{kSearchDays - 1};
        if (IsTreatment(request.type)) {
            request.nurses = clinic.nurses;
            if (i % 8 == 0) {
                request.room = 15 + static_cast<std::int64_t>(random() % 6);  // a room that fits both
            }
        } else {
            request.staff = clinic.clinicians[random() % clinic.clinicians.size()];
        }
        request.count = 5;
        requests.push_back(request);
    }
    return requests;
}

// Times each iteration on its own, for the percentiles Google Benchmark does not report.
class Latencies {
public:
    void Add(std::chrono::steady_clock::duration elapsed) { samples_.push_back(elapsed); }
    void Report(benchmark::State& state) {
        std::sort(samples_.begin(), samples_.end());
        const auto at = [&](double quantile) {
            const auto index = static_cast<std::size_t>(quantile * static_cast<double>(samples_.size() - 1));
            return std::chrono::duration<double, std::micro>(samples_[index]).count();
        };
        state.counters["p50_us"] = at(0.50);
        state.counters["p99_us"] = at(0.99);
    }

private:
    std::vector<std::chrono::steady_clock::duration> samples_;
};

TimePoint Now(const Clinic& clinic, const SlotRequest& request) {
    return clinic.zone.AtLocal(request.from, std::chrono::hours{7});
}

void BM_FindSlots(benchmark::State& state) {
    const Clinic& clinic = TheClinic();
    const std::vector<SlotRequest> requests = Requests(clinic);
    Latencies latencies;
    std::size_t next = 0;
    for (auto _ : state) {
        const SlotRequest& request = requests[next++ % requests.size()];
        const auto started = std::chrono::steady_clock::now();
        auto slots = FindSlots(request, clinic.Context(Now(clinic, request)));
        latencies.Add(std::chrono::steady_clock::now() - started);
        benchmark::DoNotOptimize(slots);
    }
    latencies.Report(state);
}
BENCHMARK(BM_FindSlots);

// The floor: for the same requests, one pass over the bookings of the days each search looked at (from its first
// day to the day of its last slot; the bookings sorted by start, as the store returns them), testing each against
// the request's patient and the room it names. Any search must at least look at those bookings.
void BM_FloorScanTheSearchedDays(benchmark::State& state) {
    const Clinic& clinic = TheClinic();
    const std::vector<SlotRequest> requests = Requests(clinic);
    std::vector<std::pair<TimePoint, TimePoint>> searched;  // the instants each search's days cover
    double days_searched = 0;
    for (const SlotRequest& request : requests) {
        auto slots = FindSlots(request, clinic.Context(Now(clinic, request)));
        const sys_days last = slots.ok() && !slots->empty() ? clinic.zone.LocalDate(slots->back().start) : request.to;
        searched.emplace_back(clinic.zone.DayOf(request.from).start, clinic.zone.DayOf(last).end);
        days_searched += static_cast<double>((last - request.from).count() + 1);
    }
    state.counters["days_searched"] = days_searched / static_cast<double>(requests.size());
    std::vector<Booking> by_start = clinic.bookings;
    std::sort(by_start.begin(), by_start.end(), [](const Booking& a, const Booking& b) { return a.start < b.start; });
    const auto max_length = std::chrono::hours{24};  // no appointment is longer: one that started the day before
    Latencies latencies;
    std::size_t next = 0;
    for (auto _ : state) {
        const std::size_t which = next++ % requests.size();
        const SlotRequest& request = requests[which];
        const auto [from, to] = searched[which];
        const auto started = std::chrono::steady_clock::now();
        int blocking = 0;
        auto booking = std::lower_bound(by_start.begin(), by_start.end(), from - max_length,
                                        [](const Booking& b, TimePoint at) { return b.start < at; });
        for (; booking != by_start.end() && booking->start < to; ++booking) {
            if (booking->end > from && (booking->patient == request.patient || booking->room == request.room)) {
                ++blocking;
            }
        }
        latencies.Add(std::chrono::steady_clock::now() - started);
        benchmark::DoNotOptimize(blocking);
    }
    latencies.Report(state);
}
BENCHMARK(BM_FloorScanTheSearchedDays);

namespace app = kclinic::app;

class FixedClock final : public app::Clock {
public:
    [[nodiscard]] TimePoint Now() const override { return now_; }
    void Set(TimePoint now) { now_ = now; }

private:
    TimePoint now_;
};

// The clinic of TheClinic() in a SQLite file in a fresh temporary folder (removed at exit), written in one
// transaction straight through the store: rooms, the 15 staff as users, the patients and the 5,000 appointments.
struct StoredClinic {
    std::filesystem::path folder;
    std::unique_ptr<kclinic::adapters::storage::sqlite::SqliteStore> store;
    FixedClock clock;
    kclinic::adapters::OsTimeZones zones;
    std::unique_ptr<app::Scheduling> scheduling;
    std::vector<app::PatientId> patients;  // [n - 1]: the generated patient n
    std::vector<app::RoomId> rooms;        // [n - 1]: the generated room n
    ClinicSettings settings;
    const app::Actor front_desk{"front.desk@clinic", "127.0.0.1"};

    StoredClinic() {
        const Clinic& clinic = TheClinic();
        settings = clinic.settings;
        settings.time_zone = "America/New_York";
        folder = std::filesystem::temp_directory_path() / ("kclinic-scheduling-bench-" + std::to_string(getpid()));
        std::filesystem::create_directories(folder);
        auto opened = kclinic::adapters::storage::sqlite::SqliteStore::Open((folder / "clinic.db").string());
        Check(kclinic::StatusOf(opened));
        store = std::move(opened).value();
        const TimePoint created = clinic.zone.AtLocal(kFirstDay - days{30}, std::chrono::hours{9});
        Check(store->Write([&](app::StoreTransaction& tx) -> kclinic::Status {
            for (const Room& room : clinic.rooms) {
                ASSIGN_OR_RETURN(const app::RoomId id,
                                 tx.InsertRoom(app::TreatmentRoom{{}, room.name, room.equipment, {}, room.active, 1}));
                rooms.push_back(id);
            }
            const auto add_user = [&](const std::string& email, app::Role role) -> kclinic::Status {
                app::User user;
                user.email = email;
                user.display_name = email;
                user.role = role;
                user.password_hash = "not-used-by-the-bench";
                user.created_at = user.updated_at = created;
                user.created_by = user.updated_by = "bench";
                return kclinic::StatusOf(tx.InsertUser(user));
            };
            for (const std::string& nurse : clinic.nurses) {
                RETURN_IF_ERROR(add_user(nurse, app::Role::kNurse));
            }
            for (const std::string& clinician : clinic.clinicians) {
                RETURN_IF_ERROR(add_user(clinician, app::Role::kTherapist));
            }
            for (int n = 1; n <= kPatients + kUnbookedPatients; ++n) {
                ASSIGN_OR_RETURN(
                    const app::PatientId id,
                    tx.InsertPatient(app::NewPatient{"MRN" + std::to_string(n), "Given", "Family",
                                                     sys_days{std::chrono::year{1980} / 1 / 1}, Sex::kFemale},
                                     created, "bench"));
                patients.push_back(id);
            }
            for (const Booking& booking : clinic.bookings) {
                app::Appointment appointment;
                appointment.patient = patients.at(static_cast<std::size_t>(booking.patient - 1));
                appointment.type = booking.type;
                appointment.start = booking.start;
                appointment.end = booking.end;
                appointment.room = rooms.at(static_cast<std::size_t>(*booking.room - 1));
                appointment.staff = booking.staff;
                appointment.created_at = appointment.updated_at = created;
                appointment.created_by = appointment.updated_by = "bench";
                RETURN_IF_ERROR(tx.InsertAppointment(appointment));
            }
            return kclinic::Status::Ok();
        }));
        scheduling = std::make_unique<app::Scheduling>(*store, clock, zones);
    }

    ~StoredClinic() {
        scheduling.reset();
        store.reset();
        std::error_code ignored;
        std::filesystem::remove_all(folder, ignored);
    }
    StoredClinic(const StoredClinic&) = delete;
    StoredClinic& operator=(const StoredClinic&) = delete;

    static void Check(const kclinic::Status& status) {
        if (!status.ok()) {
            std::cerr << "scheduling bench: " << status.error().ToString() << "\n";
            std::exit(1);
        }
    }

    [[nodiscard]] app::SlotSearch SearchOf(const SlotRequest& request) const {
        app::SlotSearch search;
        search.type = request.type;
        search.patient = patients.at(static_cast<std::size_t>(request.patient - 1));
        search.from = request.from;
        search.to = request.to;
        if (request.room) {
            search.room = rooms.at(static_cast<std::size_t>(*request.room - 1));
        }
        search.staff = request.staff;
        search.count = request.count;
        return search;
    }
};

void BM_FindSlotsThroughTheUseCase(benchmark::State& state) {
    StoredClinic stored;
    const Clinic& clinic = TheClinic();
    const std::vector<SlotRequest> requests = Requests(clinic);
    std::vector<app::SlotSearch> searches;
    for (const SlotRequest& request : requests) {  // warm: every search once, and the same answer as the core's
        searches.push_back(stored.SearchOf(request));
        stored.clock.Set(Now(clinic, request));
        auto slots = stored.scheduling->FindSlots(stored.front_desk, searches.back(), stored.settings);
        StoredClinic::Check(kclinic::StatusOf(slots));
    }
    Latencies latencies;
    std::size_t next = 0;
    for (auto _ : state) {
        const std::size_t which = next++ % searches.size();
        stored.clock.Set(Now(clinic, requests[which]));
        const auto started = std::chrono::steady_clock::now();
        auto slots = stored.scheduling->FindSlots(stored.front_desk, searches[which], stored.settings);
        latencies.Add(std::chrono::steady_clock::now() - started);
        benchmark::DoNotOptimize(slots);
    }
    latencies.Report(state);
}
BENCHMARK(BM_FindSlotsThroughTheUseCase);

// Floor for the use case: the one thing it must do besides reading, done alone through the same store. A slot search
// reads patient data, so it ends in the `slot.search` audit entry's durable COMMIT (WAL fsynced, synchronous=FULL);
// this writes only that entry, so its p99 is the disk's own tail, which no search through the use case can beat.
void BM_FloorDurableCommitOfTheAuditEntry(benchmark::State& state) {
    StoredClinic stored;
    const TimePoint at = TheClinic().zone.AtLocal(kFirstDay, std::chrono::hours{7});
    Latencies latencies;
    for (auto _ : state) {
        const auto started = std::chrono::steady_clock::now();
        const kclinic::Status written = stored.store->Write([&](app::StoreTransaction& tx) -> kclinic::Status {
            return app::RecordAudit(tx, stored.front_desk, at, "slot.search", "patient", stored.patients.front().value,
                                    stored.patients.front().value);
        });
        latencies.Add(std::chrono::steady_clock::now() - started);
        StoredClinic::Check(written);
    }
    latencies.Report(state);
}
BENCHMARK(BM_FloorDurableCommitOfTheAuditEntry);

}  // namespace

BENCHMARK_MAIN();
