#include "adapters/storage/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <regex>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/sql/migrations.hpp"
#include "adapters/storage/sqlite/sqlite_connection.hpp"
#include "base/temp_folder_testing.hpp"

namespace kclinic::adapters::storage::sqlite {
namespace {

using namespace std::chrono_literals;
using kclinic::testing::TempFolder;
using sql::SqlValue;

std::unique_ptr<SqliteConnection> OpenConnection(const std::string& path, OpenMode mode) {
    auto connection = SqliteConnection::Open(path, mode);
    if (!connection.ok()) {
        throw std::runtime_error(connection.error().ToString());
    }
    return std::move(connection).value();
}

std::unique_ptr<SqliteStore> OpenStore(const std::string& path, const SqliteOptions& options = {}) {
    auto store = SqliteStore::Open(path, options);
    if (!store.ok()) {
        throw std::runtime_error(store.error().ToString());
    }
    return std::move(store).value();
}

// One value from a one-row, one-column query on its own read-only connection: what is on disk, committed.
SqlValue ScalarOnDisk(const std::string& path, const std::string& query) {
    auto connection = OpenConnection(path, OpenMode::kReadOnly);
    auto rows = connection->Query(query, {});
    if (!rows.ok() || rows->size() != 1 || rows->front().columns.size() != 1) {
        throw std::runtime_error("no single value from " + query);
    }
    return rows->front().columns.front();
}

std::int64_t CountOnDisk(const std::string& path, const std::string& table) {
    return std::get<std::int64_t>(ScalarOnDisk(path, "SELECT count(*) FROM " + table));
}

app::NewPatient Patient(const std::string& mrn) {
    using namespace std::chrono;
    return app::NewPatient{mrn, "Ada", "Lovelace", sys_days{year{1980} / 3 / 14}, clinical::Sex::kFemale};
}

app::NewVitalSign Systolic(app::PatientId patient, double mm_hg) {
    app::NewVitalSign vital;
    vital.patient = patient;
    vital.loinc = "8480-6";
    vital.value = mm_hg;
    vital.unit = "mm[Hg]";
    vital.observed_at = app::TimePoint{1'700'000'000'000ms};
    return vital;
}

const app::TimePoint kNow{1'700'000'000'000ms};

app::PatientId AddPatient(app::Store& store, const std::string& mrn) {
    app::PatientId id;
    const Status status = store.Write([&](app::StoreTransaction& tx) -> Status {
        auto inserted = tx.InsertPatient(Patient(mrn), kNow, "test");
        if (!inserted.ok()) {
            return inserted.error();
        }
        id = *inserted;
        return Status::Ok();
    });
    if (!status.ok()) {
        throw std::runtime_error(status.error().ToString());
    }
    return id;
}

bool PatientExists(app::Store& store, const std::string& mrn) {
    bool found = false;
    const Status status = store.Read([&](app::StoreTransaction& tx) -> Status {
        auto patient = tx.FindPatientByMrn(mrn);
        if (!patient.ok()) {
            return patient.error();
        }
        found = patient->has_value();
        return Status::Ok();
    });
    if (!status.ok()) {
        throw std::runtime_error(status.error().ToString());
    }
    return found;
}

// Polls until `done` holds; fails the test after 10 s rather than hanging it.
template <typename Predicate>
void WaitFor(Predicate done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "condition not reached in 10 s";
        std::this_thread::sleep_for(1ms);
    }
}

// Holds the writer thread inside one job until Release, so that Write calls made meanwhile queue up and are known
// to be taken together.
class WriterGate {
public:
    explicit WriterGate(app::Store& store)
        : thread_([this, &store] {
              EXPECT_TRUE(store
                              .Write([this](app::StoreTransaction&) -> Status {
                                  running_.set_value();
                                  release_.get_future().wait();
                                  return Status::Ok();
                              })
                              .ok());
          }) {
        running_.get_future().wait();
    }
    ~WriterGate() { Release(); }
    void Release() {
        if (thread_.joinable()) {
            release_.set_value();
            thread_.join();
        }
    }

private:
    std::promise<void> running_;
    std::promise<void> release_;
    std::thread thread_;  // last: starts once the promises exist
};

// ---- SqliteConnection ----

TEST(SqliteConnectionTest, OpensInWalWithForeignKeysAndFullSync) {
    TempFolder folder;
    auto connection = OpenConnection(folder.File("db.sqlite"), OpenMode::kReadWriteCreate);
    auto pragma = [&](const std::string& name) {
        auto rows = connection->Query("PRAGMA " + name, {});
        EXPECT_TRUE(rows.ok()) << name;
        return rows->front().columns.front();
    };
    EXPECT_EQ(pragma("journal_mode"), SqlValue(std::string("wal")));
    EXPECT_EQ(pragma("foreign_keys"), SqlValue(std::int64_t{1}));
    EXPECT_EQ(pragma("synchronous"), SqlValue(std::int64_t{2}));  // FULL
    EXPECT_EQ(pragma("busy_timeout"), SqlValue(std::int64_t{10'000}));
}

TEST(SqliteConnectionTest, MapsEachStorageClassToItsValue) {
    TempFolder folder;
    auto connection = OpenConnection(folder.File("db.sqlite"), OpenMode::kReadWriteCreate);
    ASSERT_TRUE(connection->Execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)").ok());
    const std::vector<SqlValue> row = {std::int64_t{-9'007'199'254'740'993}, 2.5, std::string("é\0x", 4),
                                       std::string("bytes"), std::monostate{}};
    ASSERT_TRUE(connection->Query("INSERT INTO t VALUES ($1, $2, $3, CAST($4 AS BLOB), $5)", row).ok());

    auto rows = connection->Query("SELECT i, r, s, b, n, typeof(b) FROM t", {});
    ASSERT_TRUE(rows.ok()) << rows.error().ToString();
    ASSERT_EQ(rows->size(), 1u);
    const auto& columns = rows->front().columns;
    ASSERT_EQ(columns.size(), 6u);
    EXPECT_EQ(columns[0], SqlValue(std::int64_t{-9'007'199'254'740'993}));  // beyond double's exact range
    EXPECT_EQ(columns[1], SqlValue(2.5));
    EXPECT_EQ(columns[2], SqlValue(std::string("é\0x", 4)));  // embedded NUL kept
    EXPECT_EQ(columns[3], SqlValue(std::string("bytes")));
    EXPECT_EQ(columns[4], SqlValue(std::monostate{}));
    EXPECT_EQ(columns[5], SqlValue(std::string("blob")));
}

TEST(SqliteConnectionTest, BindsDollarParametersByNumberIncludingRepeats) {
    TempFolder folder;
    auto connection = OpenConnection(folder.File("db.sqlite"), OpenMode::kReadWriteCreate);
    // $2 is used first and twice: binding must follow N, not the order of appearance.
    const std::vector<SqlValue> params = {std::int64_t{1}, std::int64_t{10}};
    auto rows = connection->Query("SELECT $2, $1, $2 + $1, $2 * $2", params);
    ASSERT_TRUE(rows.ok()) << rows.error().ToString();
    EXPECT_EQ(rows->front().columns,
              (std::vector<SqlValue>{std::int64_t{10}, std::int64_t{1}, std::int64_t{11}, std::int64_t{100}}));

    // The cached statement binds fresh values on its next use.
    const std::vector<SqlValue> again = {std::int64_t{2}, std::int64_t{3}};
    rows = connection->Query("SELECT $2, $1, $2 + $1, $2 * $2", again);
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows->front().columns,
              (std::vector<SqlValue>{std::int64_t{3}, std::int64_t{2}, std::int64_t{5}, std::int64_t{9}}));
}

TEST(SqliteConnectionTest, RejectsParametersThatDoNotMatchTheStatement) {
    TempFolder folder;
    auto connection = OpenConnection(folder.File("db.sqlite"), OpenMode::kReadWriteCreate);
    const std::vector<SqlValue> one = {std::int64_t{1}};
    struct Case {
        std::string sql;
        std::span<const SqlValue> params;
    };
    const std::vector<Case> cases = {
        {"SELECT $1", {}},               // too few
        {"SELECT $1", {one.data(), 0}},  // too few (empty span)
        {"SELECT 1", one},               // too many
        {"SELECT $1, $3", one},          // a gap
        {"SELECT ?", one},               // other syntax
        {"SELECT :name", one},           // other syntax
        {"SELECT $1::text", one},        // PostgreSQL cast syntax
        {"SELECT 1; SELECT 2", {}},      // two statements
        {"", {}},                        // none
    };
    for (const auto& c : cases) {
        auto rows = connection->Query(c.sql, c.params);
        ASSERT_FALSE(rows.ok()) << c.sql;
        EXPECT_EQ(rows.error().code, ErrorCode::kInternal) << c.sql << ": " << rows.error().ToString();
    }
    // A trailing semicolon or comment is still one statement.
    EXPECT_TRUE(connection->Query("SELECT $1; -- one", one).ok());
}

TEST(SqliteConnectionTest, MapsConstraintViolationsToConflictNamingTheColumns) {
    TempFolder folder;
    auto connection = OpenConnection(folder.File("db.sqlite"), OpenMode::kReadWriteCreate);
    ASSERT_TRUE(connection
                    ->Execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, mrn TEXT NOT NULL UNIQUE);"
                              "CREATE TABLE notes (id INTEGER PRIMARY KEY, patient_id INTEGER REFERENCES patients(id));"
                              "CREATE TABLE codes (code TEXT PRIMARY KEY) WITHOUT ROWID;"
                              "INSERT INTO patients VALUES (1, 'MRN-1'); INSERT INTO codes VALUES ('a');")
                    .ok());
    struct Case {
        std::string sql;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"INSERT INTO patients (mrn) VALUES ('MRN-1')", "patients.mrn already exists"},
        {"INSERT INTO patients (id, mrn) VALUES (1, 'MRN-2')", "patients.id already exists"},
        {"INSERT INTO codes VALUES ('a')", "codes.code already exists"},
        {"INSERT INTO notes (patient_id) VALUES (99)",
         "a referenced record does not exist (FOREIGN KEY constraint failed)"},
    };
    for (const auto& c : cases) {
        auto rows = connection->Query(c.sql, {});
        ASSERT_FALSE(rows.ok()) << c.sql;
        EXPECT_EQ(rows.error().code, ErrorCode::kConflict) << c.sql;
        EXPECT_EQ(rows.error().message, c.message);
    }
    // Anything else is kInternal and carries SQLite's own words.
    auto rows = connection->Query("INSERT INTO patients (mrn) VALUES (NULL)", {});
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(rows.error().code, ErrorCode::kInternal);
    EXPECT_NE(rows.error().message.find("NOT NULL constraint failed: patients.mrn"), std::string::npos);
    const Status syntax = connection->Execute("SELEC 1");
    ASSERT_FALSE(syntax.ok());
    EXPECT_EQ(syntax.error().code, ErrorCode::kInternal);
    EXPECT_NE(syntax.error().message.find("syntax error"), std::string::npos) << syntax.error().message;
}

TEST(SqliteConnectionTest, ReadOnlyConnectionRefusesWritesAndMissingFiles) {
    TempFolder folder;
    const std::string path = folder.File("db.sqlite");
    auto missing = SqliteConnection::Open(path, OpenMode::kReadOnly);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
    EXPECT_FALSE(std::filesystem::exists(path));

    auto writer = OpenConnection(path, OpenMode::kReadWriteCreate);
    ASSERT_TRUE(writer->Execute("CREATE TABLE t (x INTEGER)").ok());
    auto reader = OpenConnection(path, OpenMode::kReadOnly);
    auto rows = reader->Query("INSERT INTO t VALUES (1)", {});
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(rows.error().code, ErrorCode::kInternal);

    const std::string garbage = folder.File("garbage.sqlite");
    std::ofstream(garbage) << std::string(8192, 'x');
    auto not_a_database = SqliteConnection::Open(garbage, OpenMode::kReadOnly);
    ASSERT_FALSE(not_a_database.ok());
    EXPECT_EQ(not_a_database.error().code, ErrorCode::kUnavailable);
}

// ---- SqliteStore ----

TEST(SqliteStoreTest, WritesAreDurableAndReadBack) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    auto store = OpenStore(path);
    EXPECT_EQ(store->Backend(), "sqlite");
    const app::PatientId id = AddPatient(*store, "MRN-1");
    // Acknowledged means committed: another connection sees it on disk.
    EXPECT_EQ(CountOnDisk(path, "patients"), 1);

    std::string family_name;
    ASSERT_TRUE(store
                    ->Read([&](app::StoreTransaction& tx) -> Status {
                        auto patient = tx.GetPatient(id);
                        if (!patient.ok()) {
                            return patient.error();
                        }
                        family_name = patient->family_name;
                        return Status::Ok();
                    })
                    .ok());
    EXPECT_EQ(family_name, "Lovelace");
}

TEST(SqliteStoreTest, ManyConcurrentWritersAreAllAcknowledgedAndPresent) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    auto store = OpenStore(path);
    const app::PatientId patient = AddPatient(*store, "MRN-1");

    constexpr int kWriters = 16;
    constexpr int kWritesEach = 40;
    constexpr int kReaders = 4;
    std::atomic<int> failures{0};
    std::atomic<bool> writing{true};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            for (int i = 0; i < kWritesEach; ++i) {
                const Status status = store->Write([&](app::StoreTransaction& tx) -> Status {
                    auto id = tx.InsertVitalSign(Systolic(patient, 100 + w), kNow, "writer-" + std::to_string(w),
                                                 /*late_entry=*/false);
                    return StatusOf(id);
                });
                if (!status.ok()) {
                    ADD_FAILURE() << status.error().ToString();
                    ++failures;
                }
            }
        });
    }
    // Readers run beside the writer the whole time; none may see an error (SQLITE_BUSY above all).
    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) {
        readers.emplace_back([&] {
            while (writing) {
                const Status status = store->Read([&](app::StoreTransaction& tx) -> Status {
                    auto vitals = tx.ListVitalSigns(patient, std::nullopt, 10);
                    return StatusOf(vitals);
                });
                if (!status.ok()) {
                    ADD_FAILURE() << status.error().ToString();
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    writing = false;
    for (auto& thread : readers) {
        thread.join();
    }
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(CountOnDisk(path, "vital_signs"), kWriters * kWritesEach);
    const SqliteWriterStats stats = store->Stats();
    EXPECT_EQ(stats.writes_ok, kWriters * kWritesEach + 1);
    EXPECT_EQ(stats.writes_failed, 0);
    EXPECT_LE(stats.commits, stats.writes_ok);
    EXPECT_EQ(stats.queued, 0);
}

// The writer is held inside one job while the others queue, so all of them are known to share the next batch.
TEST(SqliteStoreTest, FailingJobInABatchLosesNothingOfTheOthersAndLeaksNothingOfItsOwn) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    auto store = OpenStore(path);
    AddPatient(*store, "MRN-TAKEN");

    WriterGate gate(*store);

    auto insert_then = [&](const std::string& mrn, auto outcome) {
        return [&store, mrn, outcome] {
            return store->Write([&](app::StoreTransaction& tx) -> Status {
                auto id = tx.InsertPatient(Patient(mrn), kNow, "test");
                if (!id.ok()) {
                    return id.error();
                }
                return outcome();
            });
        };
    };
    auto ok = [] { return Status::Ok(); };
    auto refuse = [] { return Status(Error{ErrorCode::kFailedPrecondition, {}, "refused after writing"}); };
    auto explode = []() -> Status { throw std::runtime_error("work threw"); };

    std::vector<std::future<Status>> results;
    results.push_back(std::async(std::launch::async, insert_then("MRN-A", ok)));
    results.push_back(std::async(std::launch::async, insert_then("MRN-REFUSED", refuse)));
    results.push_back(std::async(std::launch::async, insert_then("MRN-B", ok)));
    results.push_back(std::async(std::launch::async, insert_then("MRN-THREW", explode)));
    results.push_back(std::async(std::launch::async, insert_then("MRN-TAKEN", ok)));  // a duplicate MRN
    results.push_back(std::async(std::launch::async, insert_then("MRN-C", ok)));
    WaitFor([&] { return store->Stats().queued == static_cast<std::int64_t>(results.size()); });
    const std::int64_t commits_before = store->Stats().commits;
    gate.Release();

    EXPECT_TRUE(results[0].get().ok());
    const Status refused = results[1].get();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message, "refused after writing");
    EXPECT_TRUE(results[2].get().ok());
    EXPECT_THROW(static_cast<void>(results[3].get()), std::runtime_error);  // rethrown on the caller's thread
    const Status duplicate = results[4].get();
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
    EXPECT_TRUE(results[5].get().ok());

    // The gate's batch and the six jobs' batch: one commit each.
    EXPECT_EQ(store->Stats().commits, commits_before + 2);
    for (const char* mrn : {"MRN-A", "MRN-B", "MRN-C", "MRN-TAKEN"}) {
        EXPECT_TRUE(PatientExists(*store, mrn)) << mrn;
    }
    for (const char* mrn : {"MRN-REFUSED", "MRN-THREW"}) {
        EXPECT_FALSE(PatientExists(*store, mrn)) << mrn;
    }
    EXPECT_EQ(CountOnDisk(path, "patients"), 4);
}

TEST(SqliteStoreTest, BatchesAreCappedAtMaxBatch) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    SqliteOptions options;
    options.max_batch = 2;
    auto store = OpenStore(path, options);
    WriterGate gate(*store);
    std::vector<std::future<Status>> results;
    for (int i = 0; i < 5; ++i) {
        results.push_back(std::async(std::launch::async, [&store, i] {
            return store->Write([&](app::StoreTransaction& tx) -> Status {
                auto id = tx.InsertPatient(Patient("MRN-" + std::to_string(i)), kNow, "test");
                return StatusOf(id);
            });
        }));
    }
    WaitFor([&] { return store->Stats().queued == 5; });
    const std::int64_t commits_before = store->Stats().commits;
    gate.Release();
    for (auto& result : results) {
        EXPECT_TRUE(result.get().ok());
    }
    // The gate's own commit, then 2 + 2 + 1.
    EXPECT_EQ(store->Stats().commits, commits_before + 1 + 3);
    EXPECT_EQ(CountOnDisk(path, "patients"), 5);
}

TEST(SqliteStoreTest, WriteFromInsideAWriteIsRefusedNotADeadlock) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    auto store = OpenStore(path);
    Status inner;
    const Status outer = store->Write([&](app::StoreTransaction& tx) -> Status {
        inner = store->Write([](app::StoreTransaction&) { return Status::Ok(); });
        auto id = tx.InsertPatient(Patient("MRN-1"), kNow, "test");
        return StatusOf(id);
    });
    EXPECT_TRUE(outer.ok());
    ASSERT_FALSE(inner.ok());
    EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
    EXPECT_EQ(CountOnDisk(path, "patients"), 1);
}

TEST(SqliteStoreTest, ReadersSeeCommittedDataOnlyInOneSnapshot) {
    TempFolder folder;
    auto store = OpenStore(folder.File("clinic.db"));

    // Inside a write that has not committed yet, a reader on another thread sees nothing of it and does not wait.
    std::promise<void> written;
    std::promise<void> checked;
    std::thread writer([&] {
        EXPECT_TRUE(store
                        ->Write([&](app::StoreTransaction& tx) -> Status {
                            auto id = tx.InsertPatient(Patient("MRN-1"), kNow, "test");
                            written.set_value();
                            checked.get_future().wait();
                            return StatusOf(id);
                        })
                        .ok());
    });
    written.get_future().wait();
    EXPECT_FALSE(PatientExists(*store, "MRN-1"));
    checked.set_value();
    writer.join();
    EXPECT_TRUE(PatientExists(*store, "MRN-1"));

    // A read transaction keeps its snapshot while a write commits beside it.
    std::size_t first = 0;
    std::size_t second = 0;
    ASSERT_TRUE(store
                    ->Read([&](app::StoreTransaction& tx) -> Status {
                        first = tx.ListPatients(app::PatientId{0}, 100)->size();
                        std::thread([&] { AddPatient(*store, "MRN-2"); }).join();
                        second = tx.ListPatients(app::PatientId{0}, 100)->size();
                        return Status::Ok();
                    })
                    .ok());
    EXPECT_EQ(first, 1u);
    EXPECT_EQ(second, 1u);
    EXPECT_TRUE(PatientExists(*store, "MRN-2"));
}

TEST(SqliteStoreTest, ReadTransactionsCannotWrite) {
    TempFolder folder;
    SqliteOptions options;
    options.reader_count = 1;
    auto store = OpenStore(folder.File("clinic.db"), options);
    const Status status = store->Read([&](app::StoreTransaction& tx) -> Status {
        auto id = tx.InsertPatient(Patient("MRN-1"), kNow, "test");
        return StatusOf(id);
    });
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInternal);
    // The one pooled reader is back, with no transaction left open.
    EXPECT_FALSE(PatientExists(*store, "MRN-1"));
    EXPECT_THROW(static_cast<void>(store->Read([](app::StoreTransaction&) -> Status { throw std::logic_error("x"); })),
                 std::logic_error);
    AddPatient(*store, "MRN-1");
    EXPECT_TRUE(PatientExists(*store, "MRN-1"));
}

TEST(SqliteStoreTest, ReopeningAppliesMigrationsOnce) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    ASSERT_FALSE(SqliteMigrations().empty());
    OpenStore(path).reset();  // creates the file and the schema
    {
        auto store = OpenStore(path);
        AddPatient(*store, "MRN-1");
    }
    auto store = OpenStore(path);
    EXPECT_TRUE(PatientExists(*store, "MRN-1"));
    EXPECT_EQ(CountOnDisk(path, "schema_migrations"), static_cast<std::int64_t>(SqliteMigrations().size()));
    EXPECT_EQ(ScalarOnDisk(path, "SELECT max(version) FROM schema_migrations"),
              SqlValue(std::int64_t{SqliteMigrations().back().version}));
}

// Migration 0004's triggers hold whatever SQL runs: acknowledging is the only change an alert may see, once, and
// no alert is deleted.
TEST(SqliteStoreTest, AlertsAreAcknowledgedOnceAndNeverDeleted) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    {
        auto store = OpenStore(path);
        const app::PatientId patient = AddPatient(*store, "MRN-1");
        const Status raised = store->Write([&](app::StoreTransaction& tx) -> Status {
            for (int i = 0; i < 2; ++i) {
                app::Alert alert;
                alert.patient = patient;
                alert.rule = "systolic_high";
                alert.message = "Systolic BP 190 mm[Hg] is at or above the alert threshold of 180";
                alert.source = "test";
                alert.record_type = "vital_sign";
                alert.record_id = 1;
                alert.raised_at = kNow;
                if (Result<app::AlertId> id = tx.InsertAlert(alert); !id.ok()) {
                    return id.error();
                }
            }
            return Status::Ok();
        });
        ASSERT_TRUE(raised.ok()) << raised.error().ToString();
    }
    auto connection = OpenConnection(path, OpenMode::kReadWrite);
    // The database's message, or "" when the statement succeeded.
    auto refusal = [&](const std::string& statement) {
        auto rows = connection->Query(statement, {});
        return rows.ok() ? std::string() : rows.error().message;
    };
    EXPECT_NE(refusal("UPDATE alerts SET message = 'changed' WHERE id = 1").find("raised facts never change"),
              std::string::npos);
    EXPECT_NE(refusal("UPDATE alerts SET acknowledged_at = 1").find("CHECK"), std::string::npos);  // who is required
    EXPECT_EQ(refusal("UPDATE alerts SET acknowledged_at = 1, acknowledged_by = 'dr@clinic.example' WHERE id = 1"), "");
    EXPECT_NE(refusal("UPDATE alerts SET acknowledgement_note = 'later' WHERE id = 1").find("never changes"),
              std::string::npos);
    EXPECT_NE(refusal("DELETE FROM alerts WHERE id = 2").find("never deleted"), std::string::npos);
    EXPECT_NE(refusal("DELETE FROM alerts WHERE id = 1").find("never deleted"), std::string::npos);
    EXPECT_EQ(CountOnDisk(path, "alerts"), 2);
    EXPECT_EQ(ScalarOnDisk(path, "SELECT acknowledgement_note FROM alerts WHERE id = 1"), SqlValue(std::string()));
}

// The sessions a clinic had before migration 0006 get one transition each: their state as it stood.
TEST(SqliteStoreTest, SessionHistoryMigrationRecordsEarlierSessionsAsTheyStand) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    const std::span<const sql::Migration> all = SqliteMigrations();
    const auto history = std::ranges::find(all, 6, &sql::Migration::version);
    ASSERT_NE(history, all.end());
    {
        auto connection = OpenConnection(path, OpenMode::kReadWriteCreate);
        Result<int> before = sql::ApplyMigrations(*connection, all.first(history - all.begin()));
        ASSERT_TRUE(before.ok()) << before.error().ToString();
        for (const char* statement :
             {"INSERT INTO patients (mrn, given_name, family_name, birth_date, sex, created_at, created_by) "
              "VALUES ('MRN-1', 'Ada', 'Lovelace', '1980-03-14', 'female', 1, 'nurse@example.org')",
              "INSERT INTO treatment_courses (patient_id, indication, protocol, route, start_date, status, "
              "started_at, started_by, status_changed_at, status_changed_by) VALUES (1, 'TRD', 'esketamine-trd', "
              "'esketamine-nasal', '2026-09-21', 'active', 1, 'dr@example.org', 1, 'dr@example.org')",
              "INSERT INTO treatment_sessions (course_id, patient_id, number, planned_date, phase, week, state, "
              "consent_confirmed, escort_confirmed, state_reason, state_changed_at, state_changed_by) VALUES (1, "
              "1, 1, '2026-09-21', 'induction', 1, 'held', 1, 1, 'BP 150/95', 42, 'nurse@example.org')"}) {
            ASSERT_TRUE(connection->Execute(statement).ok()) << statement;
        }
    }
    auto store = OpenStore(path);  // applies 0006 and later
    std::vector<app::SessionTransition> transitions;
    ASSERT_TRUE(store
                    ->Read([&](app::StoreTransaction& tx) -> Status {
                        Result<std::vector<app::SessionTransition>> listed =
                            tx.ListSessionTransitions(app::SessionId{1});
                        if (!listed.ok()) {
                            return listed.error();
                        }
                        transitions = *listed;
                        return Status::Ok();
                    })
                    .ok());
    ASSERT_EQ(transitions.size(), 1U);
    EXPECT_FALSE(transitions[0].from_state.has_value());
    EXPECT_EQ(transitions[0].to_state, clinical::SessionState::kHeld);
    EXPECT_EQ(transitions[0].at.time_since_epoch().count(), 42);
    EXPECT_EQ(transitions[0].by, "nurse@example.org");
    EXPECT_EQ(transitions[0].reason, "BP 150/95");
}

TEST(SqliteStoreTest, RefusesInvalidOptionsAndUnopenablePaths) {
    TempFolder folder;
    SqliteOptions options;
    options.reader_count = 0;
    auto no_readers = SqliteStore::Open(folder.File("a.db"), options);
    ASSERT_FALSE(no_readers.ok());
    EXPECT_EQ(no_readers.error().field, "reader_count");
    auto no_folder = OpenSqliteStore(folder.File("missing/folder/a.db"));
    ASSERT_FALSE(no_folder.ok());
    EXPECT_EQ(no_folder.error().code, ErrorCode::kUnavailable);
}

// ---- Backup and restore ----

// Each write adds one vital sign and one audit entry in the same transaction, so equal counts in a copy prove it
// holds whole transactions only.
Status WriteVitalWithAudit(app::Store& store, app::PatientId patient) {
    return store.Write([&](app::StoreTransaction& tx) -> Status {
        auto id = tx.InsertVitalSign(Systolic(patient, 120), kNow, "test", /*late_entry=*/false);
        if (!id.ok()) {
            return id.error();
        }
        app::AuditEntry entry{{}, kNow, "test", "cli", "vital.create", "vital_sign", id->value, patient.value, ""};
        auto audit = tx.AppendAudit(entry);
        return StatusOf(audit);
    });
}

TEST(SqliteBackupTest, BackupOfALiveStoreIsConsistentAndRestoreRoundTrips) {
    TempFolder folder;
    const std::string path = folder.File("clinic.db");
    const std::string backup = folder.File("clinic.backup");
    auto store = OpenStore(path);
    const app::PatientId patient = AddPatient(*store, "MRN-1");
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(WriteVitalWithAudit(*store, patient).ok());
    }

    // Writers keep going during the backup.
    std::atomic<bool> writing{true};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
        writers.emplace_back([&] {
            while (writing) {
                EXPECT_TRUE(WriteVitalWithAudit(*store, patient).ok());
            }
        });
    }
    const Status backed_up = BackupSqlite(path, backup);
    writing = false;
    for (auto& thread : writers) {
        thread.join();
    }
    ASSERT_TRUE(backed_up.ok()) << backed_up.error().ToString();

    EXPECT_EQ(ScalarOnDisk(backup, "PRAGMA integrity_check"), SqlValue(std::string("ok")));
    EXPECT_EQ(ScalarOnDisk(backup, "PRAGMA journal_mode"), SqlValue(std::string("delete")));
    const std::int64_t vitals = CountOnDisk(backup, "vital_signs");
    EXPECT_GE(vitals, 50);
    EXPECT_EQ(CountOnDisk(backup, "audit_log"), vitals);
    EXPECT_FALSE(std::filesystem::exists(backup + "-wal"));
    // Its checksum beside it, as coreutils' sha256sum writes one.
    std::ifstream checksum(backup + ".sha256");
    const std::string line{std::istreambuf_iterator<char>(checksum), std::istreambuf_iterator<char>()};
    EXPECT_TRUE(std::regex_match(line, std::regex("[0-9a-f]{64}  clinic\\.backup\n"))) << line;

    // Never overwritten.
    const auto size = std::filesystem::file_size(backup);
    const Status again = BackupSqlite(path, backup);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(std::filesystem::file_size(backup), size);

    // Restore to a free path, then open it as a store.
    const std::string restored = folder.File("restored.db");
    const Status restore = RestoreSqlite(backup, restored);
    ASSERT_TRUE(restore.ok()) << restore.error().ToString();
    {
        auto restored_store = OpenStore(restored);
        EXPECT_TRUE(PatientExists(*restored_store, "MRN-1"));
    }
    EXPECT_EQ(CountOnDisk(restored, "vital_signs"), vitals);

    // An existing target is refused unless replacing is asked for; replacing makes it the backup's content. One
    // more write makes the live database certainly differ from the backup (under load the writers above may all
    // have finished before the backup's snapshot).
    ASSERT_TRUE(WriteVitalWithAudit(*store, patient).ok());
    store.reset();
    const Status refused = RestoreSqlite(backup, path);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_GT(CountOnDisk(path, "vital_signs"), vitals);  // untouched
    const Status replaced = RestoreSqlite(backup, path, IfTargetExists::kReplace);
    ASSERT_TRUE(replaced.ok()) << replaced.error().ToString();
    EXPECT_EQ(CountOnDisk(path, "vital_signs"), vitals);
    EXPECT_EQ(ScalarOnDisk(path, "PRAGMA integrity_check"), SqlValue(std::string("ok")));
    auto reopened = OpenStore(path);
    EXPECT_TRUE(PatientExists(*reopened, "MRN-1"));
}

// Writes `path`.sha256 for the file as it is now, as `sha256sum FILE > FILE.sha256` would: what a file needs to get
// past the checksum to the checks behind it.
void WriteChecksumOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    std::ofstream(path + ".sha256", std::ios::trunc)
        << hex.data() << "  " << std::filesystem::path(path).filename().string() << "\n";
}

TEST(SqliteBackupTest, RestoreRefusesWhatIsNotASoundKclinicBackup) {
    TempFolder folder;
    const std::string target = folder.File("clinic.db");
    auto expect_refused = [&](const std::string& backup, ErrorCode code, const std::string& reason) {
        const Status status = RestoreSqlite(backup, target);
        ASSERT_FALSE(status.ok()) << backup;
        EXPECT_EQ(status.error().code, code) << status.error().ToString();
        EXPECT_NE(status.error().message.find(reason), std::string::npos) << status.error().ToString();
        EXPECT_FALSE(std::filesystem::exists(target)) << "target written for " << backup;
    };

    expect_refused(folder.File("missing.backup"), ErrorCode::kNotFound, "no backup");

    // Behind the checksum, what a file with a matching one must still be.
    const std::string garbage = folder.File("garbage.backup");
    std::ofstream(garbage) << std::string(8192, 'x');
    expect_refused(garbage, ErrorCode::kFailedPrecondition, "no checksum beside the backup");
    WriteChecksumOf(garbage);
    expect_refused(garbage, ErrorCode::kFailedPrecondition, "not a readable SQLite database");

    const std::string foreign = folder.File("foreign.backup");
    ASSERT_TRUE(OpenConnection(foreign, OpenMode::kReadWriteCreate)->Execute("CREATE TABLE t (x)").ok());
    WriteChecksumOf(foreign);
    expect_refused(foreign, ErrorCode::kFailedPrecondition, "not a kclinic database");

    // A real backup with one of its pages overwritten.
    const std::string source = folder.File("source.db");
    {
        auto store = OpenStore(source);
        const app::PatientId patient = AddPatient(*store, "MRN-1");
        for (int i = 0; i < 200; ++i) {
            ASSERT_TRUE(WriteVitalWithAudit(*store, patient).ok());
        }
    }
    const std::string damaged = folder.File("damaged.backup");
    ASSERT_TRUE(BackupSqlite(source, damaged).ok());
    {
        std::fstream file(damaged, std::ios::in | std::ios::out | std::ios::binary);
        const auto size = static_cast<std::streamoff>(std::filesystem::file_size(damaged));
        file.seekp(size - 2 * 4096 + 100);
        file << std::string(3000, '\x5a');
    }
    expect_refused(damaged, ErrorCode::kFailedPrecondition, "does not match its checksum");
    WriteChecksumOf(damaged);
    expect_refused(damaged, ErrorCode::kFailedPrecondition, "failed its integrity check");

    // One byte short: SQLite reads the missing end of the last page as zeros, and its integrity check passes; only
    // the checksum sees it.
    const std::string cut = folder.File("cut.backup");
    ASSERT_TRUE(BackupSqlite(source, cut).ok());
    std::filesystem::resize_file(cut, std::filesystem::file_size(cut) - 1);
    expect_refused(cut, ErrorCode::kFailedPrecondition, "does not match its checksum");
}

TEST(SqliteBackupTest, BackupRefusesAMissingDatabase) {
    TempFolder folder;
    const Status status = BackupSqlite(folder.File("missing.db"), folder.File("out.backup"));
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(std::filesystem::exists(folder.File("out.backup")));
}

}  // namespace
}  // namespace kclinic::adapters::storage::sqlite
