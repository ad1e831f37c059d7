// Durable writes through the real use case, each backend beside its raw limit measured in the same run
// (docs/benchmarks.md, "Durable writes"):
//   RecordVitalSign (vital sign + its audit entry in one transaction, acknowledged only once durable) with 1, 16
//   and 64 concurrent writer threads: writes/s and acknowledge latency p50/p99;
//   SQLite raw limit:     the same rows as prepared inserts in ONE transaction, WAL, synchronous=FULL (one COMMIT);
//   PostgreSQL raw limit: the same rows with COPY in ONE transaction (one COMMIT).
// A plain program rather than Google Benchmark: it drives concurrent writers and keeps every latency.
// SQLite uses a fresh file in a temporary folder; PostgreSQL a throw-away server on loopback that this program
// starts and stops itself (scripts/pg-test-server). Both are removed on exit, on failure and on SIGINT/SIGTERM.
// Run: make bench  (or build/release/bench/kclinic_storage_bench)

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/clock/system_clock.hpp"
#include "adapters/storage/open_store.hpp"
#include "adapters/storage/sqlite/sqlite_store.hpp"
#include "app/patient_records.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"

#ifndef KCLINIC_PG_TEST_SERVER
#error "KCLINIC_PG_TEST_SERVER must name scripts/pg-test-server (bench/CMakeLists.txt sets it)"
#endif

namespace {

namespace fs = std::filesystem;
using namespace kclinic;
using Clock = std::chrono::steady_clock;

constexpr int kWriterCounts[] = {1, 16, 64};
constexpr std::int64_t kMaxWritesPerCase = 20'000;
constexpr std::chrono::seconds kMaxCaseTime{3};
constexpr int kRawRows = 20'000;  // vital signs in the raw-limit transaction, each with its audit entry
constexpr int kPatients = 64;
// The goal (issues show 3, section 4), checked at the largest writer count.
constexpr double kGoalFractionOfRaw = 0.5;
constexpr double kGoalP99Ms = 10.0;

[[noreturn]] void Fail(const std::string& what) {
    throw std::runtime_error(what);
}

// Everything this program creates on disk, removed once: at normal exit, on an exception, or from the signal thread.
class Scratch {
public:
    void SetRoot(fs::path root) {
        std::lock_guard lock(mutex_);
        root_ = std::move(root);
    }
    void SetPgDir(fs::path dir) {
        std::lock_guard lock(mutex_);
        pg_dir_ = std::move(dir);
    }
    void ForgetPgDir() {
        std::lock_guard lock(mutex_);
        pg_dir_.clear();
    }
    void Clean() {
        std::lock_guard lock(mutex_);
        if (!pg_dir_.empty()) {
            StopPg(pg_dir_);
            pg_dir_.clear();
        }
        if (!root_.empty()) {
            std::error_code ignored;
            fs::remove_all(root_, ignored);
            root_.clear();
        }
    }
    static void StopPg(const fs::path& dir) {
        const std::string command = std::string(KCLINIC_PG_TEST_SERVER) + " stop '" + dir.string() + "' >/dev/null";
        if (std::system(command.c_str()) != 0) {
            std::fprintf(stderr, "storage_bench: stopping the PostgreSQL server in %s failed\n", dir.c_str());
        }
    }

private:
    std::mutex mutex_;
    fs::path root_;
    fs::path pg_dir_;
};

Scratch g_scratch;

// SIGINT/SIGTERM are blocked in every thread and taken here, so the cleanup runs on an ordinary thread.
void StartSignalThread() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::thread([signals] {
        int signal_number = 0;
        if (sigwait(&signals, &signal_number) == 0) {
            std::fprintf(stderr, "storage_bench: signal %d, cleaning up\n", signal_number);
            g_scratch.Clean();
            _exit(128 + signal_number);
        }
    }).detach();
}

struct CaseResult {
    std::string backend;
    std::string name;
    int writers = 0;     // 0 for a raw-limit row
    double per_s = 0;    // writes/s; for a raw limit, rows/s counting a vital sign with its audit entry as one
    double p50_ms = -1;  // -1: not applicable
    double p99_ms = -1;
    double avg_batch = -1;  // SQLite group commit: writes per COMMIT; -1: not applicable
    std::int64_t failed = 0;
};

double Percentile(std::vector<double>& values, double p) {
    if (values.empty()) {
        return 0;
    }
    const auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank), values.end());
    return values[rank];
}

app::NewVitalSign Vital(app::PatientId patient, int i) {
    app::NewVitalSign vital;
    vital.patient = patient;
    vital.loinc = "85354-9";  // a blood-pressure reading: systolic and diastolic in one record
    vital.value = 100 + i % 60;
    vital.diastolic = 70;
    vital.unit = "mm[Hg]";
    vital.observed_at = adapters::SystemClock().Now();
    vital.source = app::VitalSource::kDevice;
    vital.device_id = "bench-monitor";
    return vital;
}

std::vector<app::PatientId> RegisterPatients(app::PatientRecords& records, const app::Actor& actor) {
    std::vector<app::PatientId> ids;
    for (int i = 0; i < kPatients; ++i) {
        app::NewPatient patient;
        patient.mrn = "BENCH-" + std::to_string(i);
        patient.given_name = "Bench";
        patient.family_name = "Patient " + std::to_string(i);
        patient.birth_date = std::chrono::sys_days{std::chrono::year{1980} / 1 / 1};
        patient.sex = clinical::Sex::kUnknown;
        Result<app::Patient> registered = records.RegisterPatient(actor, patient);
        if (!registered.ok()) {
            Fail("registering a patient: " + registered.error().ToString());
        }
        ids.push_back(registered->id);
    }
    return ids;
}

// `writers` threads call RecordVitalSign until kMaxWritesPerCase writes have started or kMaxCaseTime has passed.
CaseResult RunWriters(const std::string& backend, app::PatientRecords& records, const app::Actor& actor,
                      const std::vector<app::PatientId>& patients, int writers) {
    std::atomic<std::int64_t> started{0};
    std::atomic<std::int64_t> failed{0};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(writers));
    std::mutex first_error_mutex;
    std::optional<std::string> first_error;
    // Default thresholds: the bench's readings (100-159 mm[Hg]) raise no alert, so every write is a vital sign and
    // its audit entry, as the raw limits below measure.
    const clinical::ClinicSettings settings;

    const Clock::time_point begin = Clock::now();
    const Clock::time_point deadline = begin + kMaxCaseTime;
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            std::vector<double>& mine = latencies[static_cast<std::size_t>(w)];
            mine.reserve(static_cast<std::size_t>(kMaxWritesPerCase / writers + 1));
            const app::PatientId patient = patients[static_cast<std::size_t>(w % kPatients)];
            for (int i = 0;; ++i) {
                if (started.fetch_add(1) >= kMaxWritesPerCase || Clock::now() >= deadline) {
                    return;
                }
                const app::NewVitalSign vital = Vital(patient, i);
                const Clock::time_point sent = Clock::now();
                Result<app::RecordedVitalSign> written = records.RecordVitalSign(actor, vital, settings);
                const Clock::time_point acknowledged = Clock::now();
                if (!written.ok()) {
                    failed.fetch_add(1);
                    std::lock_guard lock(first_error_mutex);
                    if (!first_error) {
                        first_error = written.error().ToString();
                    }
                    continue;
                }
                mine.push_back(std::chrono::duration<double, std::milli>(acknowledged - sent).count());
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();

    std::vector<double> all;
    for (const std::vector<double>& mine : latencies) {
        all.insert(all.end(), mine.begin(), mine.end());
    }
    if (first_error) {
        std::fprintf(stderr, "storage_bench: %s, %d writers: %lld writes failed, first: %s\n", backend.c_str(), writers,
                     static_cast<long long>(failed.load()), first_error->c_str());
    }
    CaseResult result;
    result.backend = backend;
    result.name = "RecordVitalSign";
    result.writers = writers;
    result.per_s = static_cast<double>(all.size()) / seconds;
    result.p50_ms = Percentile(all, 0.50);
    result.p99_ms = Percentile(all, 0.99);
    result.failed = failed.load();
    return result;
}

// ---- SQLite ----

void SqliteExec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        Fail(std::string("sqlite: ") + sql + ": " + text);
    }
}

// The same rows RecordVitalSign writes (a vital sign and its audit entry), kRawRows of each, as prepared inserts in
// one transaction with one COMMIT, on the settings the store uses (WAL, synchronous=FULL, foreign keys).
CaseResult SqliteRawLimit(const fs::path& file, const std::vector<app::PatientId>& patients) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        Fail("sqlite: opening " + file.string() + ": " + message);
    }
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> owner(db, &sqlite3_close);
    SqliteExec(db, "PRAGMA journal_mode=WAL");
    SqliteExec(db, "PRAGMA synchronous=FULL");
    SqliteExec(db, "PRAGMA foreign_keys=ON");

    auto prepare = [db](const char* sql) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
            Fail(std::string("sqlite: preparing ") + sql + ": " + sqlite3_errmsg(db));
        }
        return std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>(statement, &sqlite3_finalize);
    };
    auto vital = prepare(
        "INSERT INTO vital_signs (patient_id, loinc, value, unit, observed_at, source, device_id, recorded_at, "
        "recorded_by, diastolic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 70)");
    auto audit = prepare(
        "INSERT INTO audit_log (at, actor, origin, action, record_type, record_id, patient_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");

    const Clock::time_point begin = Clock::now();
    SqliteExec(db, "BEGIN IMMEDIATE");
    for (int i = 0; i < kRawRows; ++i) {
        const std::int64_t patient = patients[static_cast<std::size_t>(i % kPatients)].value;
        const std::int64_t now_ms = adapters::SystemClock().Now().time_since_epoch().count();
        sqlite3_bind_int64(vital.get(), 1, patient);
        sqlite3_bind_text(vital.get(), 2, "85354-9", -1, SQLITE_STATIC);
        sqlite3_bind_double(vital.get(), 3, 100 + i % 60);
        sqlite3_bind_text(vital.get(), 4, "mm[Hg]", -1, SQLITE_STATIC);
        sqlite3_bind_int64(vital.get(), 5, now_ms);
        sqlite3_bind_text(vital.get(), 6, "device", -1, SQLITE_STATIC);
        sqlite3_bind_text(vital.get(), 7, "bench-monitor", -1, SQLITE_STATIC);
        sqlite3_bind_int64(vital.get(), 8, now_ms);
        sqlite3_bind_text(vital.get(), 9, "system:bench", -1, SQLITE_STATIC);
        if (sqlite3_step(vital.get()) != SQLITE_DONE) {
            Fail(std::string("sqlite: inserting a vital sign: ") + sqlite3_errmsg(db));
        }
        sqlite3_reset(vital.get());
        sqlite3_bind_int64(audit.get(), 1, now_ms);
        sqlite3_bind_text(audit.get(), 2, "system:bench", -1, SQLITE_STATIC);
        sqlite3_bind_text(audit.get(), 3, "bench", -1, SQLITE_STATIC);
        sqlite3_bind_text(audit.get(), 4, "vital_sign.create", -1, SQLITE_STATIC);
        sqlite3_bind_text(audit.get(), 5, "vital_sign", -1, SQLITE_STATIC);
        sqlite3_bind_int64(audit.get(), 6, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(audit.get(), 7, patient);
        if (sqlite3_step(audit.get()) != SQLITE_DONE) {
            Fail(std::string("sqlite: inserting an audit entry: ") + sqlite3_errmsg(db));
        }
        sqlite3_reset(audit.get());
    }
    SqliteExec(db, "COMMIT");
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();

    CaseResult result;
    result.backend = "sqlite";
    result.name = "raw limit";
    result.per_s = kRawRows / seconds;
    return result;
}

std::vector<CaseResult> BenchSqlite(const fs::path& root) {
    const fs::path file = root / "bench.db";
    std::vector<CaseResult> results;
    std::vector<app::PatientId> patients;
    {
        Result<std::unique_ptr<adapters::storage::sqlite::SqliteStore>> opened =
            adapters::storage::sqlite::SqliteStore::Open(file.string());
        if (!opened.ok()) {
            Fail("opening SQLite: " + opened.error().ToString());
        }
        adapters::storage::sqlite::SqliteStore& store = *opened.value();
        const adapters::SystemClock clock;
        const adapters::OsTimeZones zones;
        app::PatientRecords records(store, clock, zones);
        const app::Actor actor{"system:bench", "bench"};
        patients = RegisterPatients(records, actor);
        for (int writers : kWriterCounts) {
            const adapters::storage::sqlite::SqliteWriterStats before = store.Stats();
            CaseResult result = RunWriters("sqlite", records, actor, patients, writers);
            const adapters::storage::sqlite::SqliteWriterStats after = store.Stats();
            if (after.commits > before.commits) {
                result.avg_batch = static_cast<double>(after.writes_ok - before.writes_ok) /
                                   static_cast<double>(after.commits - before.commits);
            }
            results.push_back(result);
        }
    }  // the store's writer is gone before the raw limit opens its own write connection
    results.push_back(SqliteRawLimit(file, patients));
    return results;
}

// ---- PostgreSQL ----

struct PgResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

void PgExec(PGconn* connection, const char* sql, ExecStatusType expected = PGRES_COMMAND_OK) {
    PgResultPtr result(PQexec(connection, sql));
    if (PQresultStatus(result.get()) != expected) {
        Fail(std::string("postgres: ") + sql + ": " + PQerrorMessage(connection));
    }
}

void PgCopy(PGconn* connection, const char* copy_sql, const std::string& data) {
    PgExec(connection, copy_sql, PGRES_COPY_IN);
    if (PQputCopyData(connection, data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(connection, nullptr) != 1) {
        Fail(std::string("postgres: sending COPY data: ") + PQerrorMessage(connection));
    }
    PgResultPtr result(PQgetResult(connection));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        Fail(std::string("postgres: ") + copy_sql + ": " + PQerrorMessage(connection));
    }
    while (PGresult* rest = PQgetResult(connection)) {
        PQclear(rest);
    }
}

// The same rows as RecordVitalSign writes, kRawRows of each, with one COPY per table in one transaction. COPY
// gives the server the rows in one stream, so this is the server's own limit for them, with one COMMIT (fsync).
// The COPY text is built before the clock starts; the clock includes sending it over loopback.
CaseResult PgRawLimit(const std::string& dsn, const std::vector<app::PatientId>& patients) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(dsn.c_str()), &PQfinish);
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        Fail(std::string("postgres: connecting: ") + PQerrorMessage(connection.get()));
    }
    PgExec(connection.get(), "SET synchronous_commit = on");
    std::string vitals;
    std::string audits;
    const std::string now_ms = std::to_string(adapters::SystemClock().Now().time_since_epoch().count());
    for (int i = 0; i < kRawRows; ++i) {
        const std::string patient = std::to_string(patients[static_cast<std::size_t>(i % kPatients)].value);
        vitals += patient + "\t85354-9\t" + std::to_string(100 + i % 60) + "\tmm[Hg]\t" + now_ms +
                  "\tdevice\tbench-monitor\t" + now_ms + "\tsystem:bench\t70\n";
        audits += now_ms + "\tsystem:bench\tbench\tvital_sign.create\tvital_sign\t" + std::to_string(i + 1) + "\t" +
                  patient + "\n";
    }
    const Clock::time_point begin = Clock::now();
    PgExec(connection.get(), "BEGIN");
    PgCopy(connection.get(),
           "COPY vital_signs (patient_id, loinc, value, unit, observed_at, source, device_id, recorded_at, "
           "recorded_by, diastolic) FROM STDIN",
           vitals);
    PgCopy(connection.get(),
           "COPY audit_log (at, actor, origin, action, record_type, record_id, patient_id) FROM STDIN", audits);
    PgExec(connection.get(), "COMMIT");
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();

    CaseResult result;
    result.backend = "postgres";
    result.name = "raw limit";
    result.per_s = kRawRows / seconds;
    return result;
}

std::string StartPg(const fs::path& dir) {
    g_scratch.SetPgDir(dir);
    const std::string command = std::string(KCLINIC_PG_TEST_SERVER) + " start '" + dir.string() + "' >&2";
    if (std::system(command.c_str()) != 0) {
        Fail("starting the throw-away PostgreSQL server failed (scripts/pg-test-server start)");
    }
    std::ifstream dsn_file(dir / "dsn");
    std::string dsn;
    if (!std::getline(dsn_file, dsn) || dsn.empty()) {
        Fail("no DSN in " + (dir / "dsn").string());
    }
    return dsn;
}

std::vector<CaseResult> BenchPostgres(const fs::path& root) {
    const fs::path dir = root / "pg";
    const std::string dsn = StartPg(dir);
    std::vector<CaseResult> results;
    std::vector<app::PatientId> patients;
    {
        // As the CLI opens it (default pool), so the figures are those of the real configuration.
        Result<std::unique_ptr<app::Store>> opened = adapters::storage::OpenStore(dsn);
        if (!opened.ok()) {
            Fail("opening PostgreSQL: " + opened.error().ToString());
        }
        const adapters::SystemClock clock;
        const adapters::OsTimeZones zones;
        app::PatientRecords records(*opened.value(), clock, zones);
        const app::Actor actor{"system:bench", "bench"};
        patients = RegisterPatients(records, actor);
        for (int writers : kWriterCounts) {
            results.push_back(RunWriters("postgres", records, actor, patients, writers));
        }
    }
    results.push_back(PgRawLimit(dsn, patients));
    Scratch::StopPg(dir);
    g_scratch.ForgetPgDir();
    return results;
}

// ---- report ----

std::string Cell(double value, const char* format) {
    if (value < 0) {
        return "-";
    }
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

void PrintTable(const std::vector<CaseResult>& results) {
    std::printf("%-9s %-16s %7s %12s %9s %9s %9s\n", "backend", "case", "writers", "writes/s", "p50 ms", "p99 ms",
                "batch");
    for (const CaseResult& r : results) {
        std::printf("%-9s %-16s %7s %12s %9s %9s %9s\n", r.backend.c_str(), r.name.c_str(),
                    r.writers > 0 ? std::to_string(r.writers).c_str() : "-", Cell(r.per_s, "%.0f").c_str(),
                    Cell(r.p50_ms, "%.2f").c_str(), Cell(r.p99_ms, "%.2f").c_str(), Cell(r.avg_batch, "%.1f").c_str());
    }
    std::printf(
        "writes/s: acknowledged RecordVitalSign calls (a vital sign and its audit entry, durable); raw limit: the "
        "same rows per second in one transaction. batch: SQLite writes per COMMIT (group commit).\n");
}

void PrintGoal(const std::vector<CaseResult>& results, const std::string& backend) {
    const CaseResult* widest = nullptr;
    const CaseResult* raw = nullptr;
    for (const CaseResult& r : results) {
        if (r.backend != backend) {
            continue;
        }
        if (r.writers == 0) {
            raw = &r;
        } else if (!widest || r.writers > widest->writers) {
            widest = &r;
        }
    }
    if (!widest || !raw) {
        return;
    }
    const double fraction = widest->per_s / raw->per_s;
    const bool throughput = fraction >= kGoalFractionOfRaw;
    const bool latency = widest->p99_ms < kGoalP99Ms;
    std::printf(
        "goal %-8s (%d writers: >= %.0f%% of raw limit, p99 < %.0f ms): %.1f%% of raw %s, p99 %.2f ms %s => %s\n",
        backend.c_str(), widest->writers, kGoalFractionOfRaw * 100, kGoalP99Ms, fraction * 100,
        throughput ? "pass" : "MISS", widest->p99_ms, latency ? "pass" : "MISS",
        throughput && latency && widest->failed == 0 ? "PASS" : "MISS");
}

int Run() {
    std::string pattern = (fs::temp_directory_path() / "kclinic-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        Fail("cannot create a temporary folder under " + fs::temp_directory_path().string());
    }
    const fs::path root = pattern;
    g_scratch.SetRoot(root);
    // Run as root, pg-test-server hands the cluster's folder to the unprivileged `postgres` user, which must be
    // able to reach it through this folder.
    fs::permissions(root, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);

    std::vector<CaseResult> results = BenchSqlite(root);
    std::vector<CaseResult> postgres = BenchPostgres(root);
    results.insert(results.end(), postgres.begin(), postgres.end());

    std::printf(
        "\nDurable writes (kclinic_storage_bench): each case %lld writes or %lld s, whichever first; raw "
        "limits %d rows\n",
        static_cast<long long>(kMaxWritesPerCase), static_cast<long long>(kMaxCaseTime.count()), kRawRows);
    PrintTable(results);
    PrintGoal(results, "sqlite");
    PrintGoal(results, "postgres");
    return 0;
}

}  // namespace

int main() {
    StartSignalThread();
    int status = 1;
    try {
        status = Run();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "storage_bench: %s\n", error.what());
    }
    g_scratch.Clean();
    return status;
}
