// kclinic_web_seed: the data of the browser benchmarks (bench/web/run.mjs, docs/benchmarks.md "The web front end"),
// written into a SQLite or PostgreSQL database through the use cases, as the demo clinic is (app/demo_clinic.hpp),
// so every record carries what the server would have stored: its audit entries, its session links, its alerts.
//
//   kclinic_web_seed --db URL --nurse EMAIL --prescriber EMAIL [--sessions 300] [--assessments 3000]
//                    [--vitals 50000] [--board 30]
//
// It writes two things:
//   - the chart patient: five years of history, ending some weeks before now: IV induction courses of six infusions
//     (settings.schedule) one after another until --sessions sessions ran, each checked in, dosed, monitored and
//     discharged on its planned day; --assessments outcome ratings spread over the sessions (PHQ-9, GAD-7,
//     QIDS-SR16, PCL-5 and MADRS, half before each session and half the day after, severity falling over each
//     course); --vitals vital signs spread over the sessions in sets of four (blood pressure, heart rate, SpO2,
//     respiratory rate) from 5 to 89 minutes after check-in, every one inside the alert thresholds;
//   - the board: --board patients, each with an IV course starting today whose first session has been in
//     monitoring since a few minutes ago (checked in 58 minutes ago, infused for 40 minutes).
// The nurse and the prescriber act in the records (the prescriber is every patient's named clinician): they must be
// users of the database already (`kclinic user add`).
// On success it prints one JSON object on stdout: the chart patient's id, the board's patients and sessions, the
// counts written and the seconds it took; on failure the use case's error on stderr, exit status 1.
//
// Each record is its own durable transaction, as at a clinic: the cost is printed (docs/benchmarks.md quotes it).
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/storage/open_store.hpp"
#include "app/clinic_settings.hpp"
#include "app/clinic_use_cases.hpp"
#include "clinical/vital_signs.hpp"

namespace {

using kclinic::Result;
using kclinic::Status;
using kclinic::StatusOf;
using kclinic::app::Actor;
using kclinic::app::TimePoint;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
namespace app = kclinic::app;
namespace clinical = kclinic::clinical;

struct Sizes {
    std::string nurse;
    std::string prescriber;
    int sessions = 300;
    int assessments = 3000;
    int vitals = 50000;
    int board = 30;
};

struct Counts {
    int patients = 0;
    int courses = 0;
    int sessions = 0;
    int assessments = 0;
    int vitals = 0;
    int alerts = 0;
};

// A clock the seeder sets to each step's time, so the use cases stamp every record with the time a clinic would.
class SeedClock final : public app::Clock {
public:
    [[nodiscard]] TimePoint Now() const override { return now_; }
    void Set(TimePoint at) { now_ = at; }

private:
    TimePoint now_{};
};

// `total` spread over `items` items of 0..max_item as evenly as they allow, earlier items taking the remainder.
std::vector<int> Spread(int total, int items, int max_item) {
    total = std::clamp(total, 0, items * max_item);
    std::vector<int> answers(static_cast<std::size_t>(items), total / items);
    for (int item = 0; item < total % items; ++item) {
        ++answers[static_cast<std::size_t>(item)];
    }
    return answers;
}

// An answer sheet of `instrument` at `severity` (0: none, 1: the instrument's worst), with every suicidality item
// at 0 (PHQ-9 item 9, QIDS-SR16 item 12, MADRS item 10: clinical/scales.cpp), so that no rating raises an alert.
std::vector<int> Answers(clinical::Instrument instrument, double severity) {
    using clinical::Instrument;
    switch (instrument) {
        case Instrument::kPhq9: {
            std::vector<int> answers = Spread(static_cast<int>(std::lround(severity * 24)), 8, 3);
            answers.push_back(0);
            return answers;
        }
        case Instrument::kGad7:
            return Spread(static_cast<int>(std::lround(severity * 21)), 7, 3);
        case Instrument::kPcl5:
            return Spread(static_cast<int>(std::lround(severity * 80)), 20, 4);
        case Instrument::kMadrs: {
            std::vector<int> answers = Spread(static_cast<int>(std::lround(severity * 54)), 9, 6);
            answers.push_back(0);
            return answers;
        }
        default: {  // QIDS-SR16: every item at one level but item 12 (the domains' maxima then sum to 8 x level)
            std::vector<int> answers(16, static_cast<int>(std::lround(severity * 3)));
            answers[11] = 0;
            return answers;
        }
    }
}

constexpr std::array<clinical::Instrument, 5> kOutcomeScales{clinical::Instrument::kPhq9, clinical::Instrument::kGad7,
                                                             clinical::Instrument::kQidsSr16,
                                                             clinical::Instrument::kPcl5, clinical::Instrument::kMadrs};

// `total` items over `parts` parts as evenly as they go: part `index`'s share.
int ShareOf(int total, int parts, int index) {
    return total / parts + (index < total % parts ? 1 : 0);
}

class Seeder {
public:
    Seeder(app::Store& store, const app::Credentials& credentials, const app::TimeZones& zones, TimePoint now,
           clinical::ClinicSettings settings, Sizes sizes)
        : use_cases_(store, clock_, credentials, zones),
          settings_(std::move(settings)),
          now_(now),
          sizes_(std::move(sizes)),
          nurse_{sizes_.nurse, "bench"},
          prescriber_{sizes_.prescriber, "bench"} {}

    Result<int> ChartPatient() {
        const sys_days first_day = std::chrono::floor<days>(now_) - days{5 * 365};
        ASSIGN_OR_RETURN(const app::PatientId patient, Register(TimePoint{first_day} + hours{8}, "CHART-0001", 0));
        const int per_course = settings_.schedule.iv_induction_infusions;
        const int course_count = (sizes_.sessions + per_course - 1) / per_course;
        // The courses start evenly over the five years, the last one's sessions done well before now.
        const int span_days = 5 * 365 - 60;
        int session_index = 0;
        for (int course = 0; course < course_count; ++course) {
            const sys_days start = first_day + days{1 + (course * span_days) / std::max(1, course_count)};
            clock_.Set(TimePoint{start} - days{1} + hours{15});
            ASSIGN_OR_RETURN(const app::CourseRecord record,
                             use_cases_.courses.StartCourse(
                                 prescriber_, patient,
                                 app::NewCourse{"treatment-resistant depression (F33.2)",
                                                clinical::Protocol::kIvInduction, clinical::Route::kIv, start},
                                 settings_));
            ++counts_.courses;
            const int run = std::min<int>(static_cast<int>(record.sessions.size()), sizes_.sessions - session_index);
            for (int number = 0; number < run; ++number, ++session_index) {
                const app::TreatmentSession& session = record.sessions[static_cast<std::size_t>(number)];
                const TimePoint t0 = TimePoint{session.planned_date} + hours{9};
                // Severity: a relapse at the course's start, falling over its sessions.
                const double severity = 0.72 - 0.09 * number + 0.03 * (course % 4);
                PlanAssessments(patient, t0, session_index, severity);
                PlanSession(patient, WeightOf(0), session.id, t0,
                            ShareOf(sizes_.vitals, sizes_.sessions, session_index), session_index);
                RETURN_IF_ERROR(Run());
            }
            const TimePoint ended = clock_.Now() + days{1} + hours{2};
            clock_.Set(ended);
            RETURN_IF_ERROR(StatusOf(use_cases_.courses.EndCourse(prescriber_, record.course.id,
                                                                  "induction series complete; relapse plan agreed")));
        }
        return static_cast<int>(patient.value);
    }

    // The board: `sizes_.board` sessions of today in monitoring now. Returns (patient, session) pairs.
    Result<std::vector<std::pair<std::int64_t, std::int64_t>>> Board() {
        const sys_days today = std::chrono::floor<days>(now_);
        std::vector<std::pair<std::int64_t, std::int64_t>> board;
        for (int i = 0; i < sizes_.board; ++i) {
            // Staggered by 20 s so that the chairs' events are not all at one instant; the last in monitoring since
            // 7 minutes before now at the latest.
            const TimePoint t0 = now_ - minutes{58} - seconds{20 * i};
            ASSIGN_OR_RETURN(const app::PatientId patient,
                             Register(t0 - minutes{40}, "BOARD-" + std::to_string(1001 + i), i + 1));
            clock_.Set(t0 - minutes{30});
            ASSIGN_OR_RETURN(const app::CourseRecord record,
                             use_cases_.courses.StartCourse(
                                 prescriber_, patient,
                                 app::NewCourse{"treatment-resistant depression (F33.2)",
                                                clinical::Protocol::kIvInduction, clinical::Route::kIv, today},
                                 settings_));
            ++counts_.courses;
            const app::SessionId session = record.sessions.front().id;
            PlanSession(patient, WeightOf(i + 1), session, t0, 4, i, /*through_monitoring_only=*/true);
            RETURN_IF_ERROR(Run());
            board.emplace_back(patient.value, session.value);
        }
        return board;
    }

    [[nodiscard]] const Counts& counts() const { return counts_; }

private:
    struct Step {
        std::function<Status()> run;
    };

    void At(TimePoint at, std::function<Status()> run) { steps_.emplace(at, Step{std::move(run)}); }

    // Runs the planned steps in time order, the clock at each step's time.
    Status Run() {
        for (auto& [at, step] : steps_) {
            clock_.Set(at);
            RETURN_IF_ERROR(step.run());
        }
        steps_.clear();
        return Status::Ok();
    }

    // The weight of the patient registered as `variant`.
    static double WeightOf(int variant) { return 70.0 + variant % 10; }

    // A patient with a recurrent major depressive episode after two failed trials, weighed, screened for IV ketamine
    // and signed off: ready for a course. Registered at `at`.
    Result<app::PatientId> Register(TimePoint at, const std::string& mrn, int variant) {
        clock_.Set(at);
        ASSIGN_OR_RETURN(const app::Patient patient,
                         use_cases_.patients.RegisterPatient(
                             nurse_, app::NewPatient{mrn, "Bench" + std::to_string(variant), "Patient",
                                                     sys_days{std::chrono::year{1980 + variant % 20} / 3 / 14},
                                                     clinical::Sex::kFemale, sizes_.prescriber}));
        ++counts_.patients;
        clock_.Set(at + minutes{5});
        RETURN_IF_ERROR(StatusOf(use_cases_.patients.RecordWeight(nurse_, patient.id, at + minutes{5},
                                                                  WeightOf(variant), false, settings_)));
        clock_.Set(at + minutes{10});
        RETURN_IF_ERROR(StatusOf(use_cases_.history.AddDiagnosis(prescriber_, patient.id, "F33.2")));
        const sys_days visit = std::chrono::floor<days>(at);
        int index = 0;
        for (const char* drug : {"sertraline", "escitalopram"}) {
            const sys_days ended = visit - days{30 + 90 * (1 - index++)};
            RETURN_IF_ERROR(StatusOf(use_cases_.history.AddAntidepressantTrial(
                prescriber_, patient.id, clinical::AntidepressantTrial{drug, 8, true, 15.0, true}, ended - days{56},
                ended)));
        }
        app::IntakeExtras extras;
        extras.pregnant = false;
        extras.blood_pressure = clinical::BloodPressure{124, 78};
        extras.heart_rate_per_min = 72;
        ASSIGN_OR_RETURN(const app::ScreeningRecord screening,
                         use_cases_.history.ScreenPatient(prescriber_, patient.id, clinical::Product::kKetamineIv,
                                                          extras, settings_));
        clock_.Set(at + minutes{20});
        RETURN_IF_ERROR(
            StatusOf(use_cases_.history.SignScreening(prescriber_, screening.id, app::SignOff::kAccepted, "")));
        return patient.id;
    }

    // `count` outcome ratings around the session at t0, the scales in turn: the first half 30 minutes before it,
    // the rest the next day at 10:00 (the self-reports from home, the MADRS by phone).
    void PlanAssessments(app::PatientId patient, TimePoint t0, int session_index, double severity) {
        const int count = ShareOf(sizes_.assessments, sizes_.sessions, session_index);
        const int before = (count + 1) / 2;
        for (int k = 0; k < count; ++k) {
            const clinical::Instrument instrument = kOutcomeScales[static_cast<std::size_t>(k) % kOutcomeScales.size()];
            const bool after = k >= before;
            const TimePoint at = after ? t0 + hours{25} + minutes{k - before} : t0 - minutes{30} + minutes{k};
            const double rated = std::clamp(after ? severity - 0.05 : severity, 0.0, 1.0);
            At(at, [this, patient, instrument, at, rated]() -> Status {
                ASSIGN_OR_RETURN(const app::RecordedAssessment recorded,
                                 use_cases_.patients.RecordAssessment(nurse_, patient, instrument,
                                                                      Answers(instrument, rated), at, settings_));
                ++counts_.assessments;
                counts_.alerts += static_cast<int>(recorded.alerts.size());
                return Status::Ok();
            });
        }
    }

    // One vital sign of the k-th set's sign (k % 4), its value varying with `seed` inside the alert thresholds.
    static app::NewVitalSign VitalOf(app::PatientId patient, TimePoint at, int k, int seed) {
        app::NewVitalSign vital;
        vital.patient = patient;
        vital.observed_at = at;
        const int wobble = (seed * 7 + k * 3) % 11;
        switch (k % 4) {
            case 0:
                vital.loinc = std::string(clinical::kBloodPressurePanelLoinc);
                vital.value = 118 + wobble;
                vital.diastolic = 72 + wobble / 2;
                vital.unit = "mm[Hg]";
                break;
            case 1:
                vital.loinc = std::string(clinical::kHeartRateLoinc);
                vital.value = 66 + wobble;
                vital.unit = "/min";
                break;
            case 2:
                vital.loinc = std::string(clinical::kSpo2PulseOximetryLoinc);
                vital.value = 96 + wobble % 4;
                vital.unit = "%";
                break;
            default:
                vital.loinc = std::string(clinical::kRespiratoryRateLoinc);
                vital.value = 13 + wobble % 5;
                vital.unit = "/min";
                break;
        }
        return vital;
    }

    // An IV session from check-in at t0: a 0.5 mg/kg infusion over 40 minutes from t0 + 10, monitoring from t0 + 51,
    // discharge at t0 + 95 (or left in monitoring when `through_monitoring_only`), with `vitals` vital signs in sets
    // of four from t0 + 5 to t0 + 89 (to t0 + 55 when left in monitoring; the first set is the pre-dose check's).
    void PlanSession(app::PatientId patient, double weight_kg, app::SessionId session, TimePoint t0, int vitals,
                     int seed, bool through_monitoring_only = false) {
        At(t0, [this, session] { return StatusOf(use_cases_.sessions.CheckIn(nurse_, session, true, true)); });
        const int sets = std::max(1, (vitals + 3) / 4);
        const auto window =
            std::chrono::duration_cast<std::chrono::milliseconds>(through_monitoring_only ? minutes{50} : minutes{84});
        for (int k = 0; k < vitals; ++k) {
            const int set = k / 4;
            const TimePoint at = t0 + minutes{5} + (sets > 1 ? window * set / (sets - 1) : window * 0);
            At(at, [this, patient, at, k, seed]() -> Status {
                ASSIGN_OR_RETURN(const app::RecordedVitalSign recorded,
                                 use_cases_.patients.RecordVitalSign(nurse_, VitalOf(patient, at, k, seed), settings_));
                ++counts_.vitals;
                counts_.alerts += static_cast<int>(recorded.alerts.size());
                return Status::Ok();
            });
        }
        At(t0 + minutes{6},
           [this, session] { return StatusOf(use_cases_.sessions.ConfirmPreDose(nurse_, session, settings_)); });
        const auto order = std::make_shared<clinical::DoseOrder>();
        At(t0 + minutes{8}, [this, session, order, weight_kg]() -> Status {
            clinical::DoseRequest request;
            request.route = clinical::Route::kIv;
            request.weight_kg = weight_kg;
            request.mg_per_kg = 0.5;
            request.minutes = 40;
            request.concentration_mg_per_ml = 10;
            ASSIGN_OR_RETURN(const app::DoseOrderRecord signed_order,
                             use_cases_.doses.SignDoseOrder(prescriber_, session, request, settings_));
            *order = signed_order.order;
            return Status::Ok();
        });
        At(t0 + minutes{10}, [this, session] { return StatusOf(use_cases_.sessions.StartDosing(nurse_, session)); });
        const auto infusion = std::make_shared<app::AdministrationId>();
        At(t0 + minutes{10}, [this, session, order, infusion, t0]() -> Status {
            const app::NewAdministration given{"ketamine",           clinical::Route::kIv, order->total_mg,
                                               order->rate_mg_per_h, std::nullopt,         "BENCH-LOT-K1",
                                               t0 + minutes{10},     std::nullopt};
            ASSIGN_OR_RETURN(const app::Administration running,
                             use_cases_.doses.RecordAdministration(nurse_, session, given, settings_));
            *infusion = running.id;
            return Status::Ok();
        });
        At(t0 + minutes{50}, [this, order, infusion, t0] {
            return StatusOf(use_cases_.doses.StopInfusion(
                nurse_, *infusion, app::NewInfusionStop{t0 + minutes{50}, order->total_mg, std::nullopt}, settings_));
        });
        At(t0 + minutes{51},
           [this, session] { return StatusOf(use_cases_.sessions.StartMonitoring(nurse_, session)); });
        ++counts_.sessions;
        if (through_monitoring_only) {
            return;
        }
        At(t0 + minutes{90},
           [this, session] { return StatusOf(use_cases_.sessions.ReadyForDischarge(nurse_, session)); });
        At(t0 + minutes{95},
           [this, session] { return StatusOf(use_cases_.sessions.Discharge(nurse_, session, true)); });
    }

    SeedClock clock_;
    app::ClinicUseCases use_cases_;
    const clinical::ClinicSettings settings_;
    const TimePoint now_;
    const Sizes sizes_;
    const Actor nurse_;
    const Actor prescriber_;
    std::multimap<TimePoint, Step> steps_;  // by time; steps at one time in the order planned
    Counts counts_;
};

// A whole number from 0 to `max` or nullopt.
std::optional<int> Count(std::string_view text, int max) {
    if (text.empty() || text.size() > 7 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    const int value = std::stoi(std::string(text));
    return value <= max ? std::optional<int>(value) : std::nullopt;
}

int Usage(const std::string& why) {
    std::cerr << "kclinic_web_seed: " << why
              << "\nusage: kclinic_web_seed --db URL --nurse EMAIL --prescriber EMAIL [--sessions N] [--assessments N] "
                 "[--vitals N] [--board N]\n";
    return 2;
}

int Run(int argc, char** argv) {
    std::string url;
    Sizes sizes;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc) {
            return Usage("missing the value of " + std::string(flag));
        }
        const std::string_view value = argv[++i];
        if (flag == "--db" || flag == "--nurse" || flag == "--prescriber") {
            (flag == "--db" ? url : flag == "--nurse" ? sizes.nurse : sizes.prescriber) = value;
            continue;
        }
        int* target = flag == "--sessions"      ? &sizes.sessions
                      : flag == "--assessments" ? &sizes.assessments
                      : flag == "--vitals"      ? &sizes.vitals
                      : flag == "--board"       ? &sizes.board
                                                : nullptr;
        const std::optional<int> count = Count(value, 1'000'000);
        if (target == nullptr) {
            return Usage("unknown option " + std::string(flag));
        }
        if (!count) {
            return Usage(std::string(flag) + " takes a whole number from 0 to 1000000");
        }
        *target = *count;
    }
    if (url.empty() || sizes.nurse.empty() || sizes.prescriber.empty()) {
        return Usage("--db, --nurse and --prescriber are required");
    }
    if (sizes.sessions < 1) {
        return Usage("--sessions must be at least 1");
    }
    const auto started = std::chrono::steady_clock::now();
    Result<std::unique_ptr<app::Store>> store = kclinic::adapters::storage::OpenStore(url);
    if (!store.ok()) {
        std::cerr << "kclinic_web_seed: " << store.error().ToString() << "\n";
        return 1;
    }
    const kclinic::adapters::OsTimeZones zones;
    const kclinic::adapters::crypto::SodiumCredentials credentials;
    const TimePoint now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    SeedClock settings_clock;
    settings_clock.Set(now);
    Result<clinical::ClinicSettings> settings =
        app::ClinicSettingsRecords(**store, settings_clock, zones).LoadClinicSettings();
    if (!settings.ok()) {
        std::cerr << "kclinic_web_seed: " << settings.error().ToString() << "\n";
        return 1;
    }
    Seeder seeder(**store, credentials, zones, now, *settings, std::move(sizes));
    Result<int> chart = seeder.ChartPatient();
    Result<std::vector<std::pair<std::int64_t, std::int64_t>>> board =
        chart.ok() ? seeder.Board() : Result<std::vector<std::pair<std::int64_t, std::int64_t>>>(chart.error());
    if (!board.ok()) {
        std::cerr << "kclinic_web_seed: " << board.error().ToString() << "\n";
        return 1;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const Counts& counts = seeder.counts();
    std::string sessions;
    std::string patients;
    for (const auto& [patient, session] : *board) {
        patients += (patients.empty() ? "" : ",") + std::to_string(patient);
        sessions += (sessions.empty() ? "" : ",") + std::to_string(session);
    }
    std::printf(
        "{\"chart_patient\":%d,\"board_patients\":[%s],\"board_sessions\":[%s],"
        "\"patients\":%d,\"courses\":%d,\"sessions\":%d,\"assessments\":%d,\"vitals\":%d,\"alerts\":%d,"
        "\"seconds\":%.1f}\n",
        *chart, patients.c_str(), sessions.c_str(), counts.patients, counts.courses, counts.sessions,
        counts.assessments, counts.vitals, counts.alerts, elapsed);
    return 0;
}

}  // namespace

// SodiumCredentials throws when libsodium has no random source; std::stoi and the containers may throw too.
int main(int argc, char** argv) {
    try {
        return Run(argc, argv);
    } catch (const std::exception& error) {
        std::cerr << "kclinic_web_seed: " << error.what() << "\n";
        return 1;
    }
}
