#include "adapters/storage/postgres/postgres_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/postgres/pg_test_support.hpp"
#include "adapters/storage/sql/migrations.hpp"

namespace kclinic::adapters::storage::postgres {
namespace {

using namespace std::chrono_literals;
using pgtest::AsInt;

app::TimePoint At(std::int64_t millis) {
    return app::TimePoint{std::chrono::milliseconds{millis}};
}

app::NewPatient Patient(const std::string& mrn) {
    using namespace std::chrono;
    return app::NewPatient{mrn, "Zoë", "O'Brien", sys_days{year{1980} / 2 / 29}, clinical::Sex::kFemale};
}

app::NewVitalSign Systolic(app::PatientId patient, double mm_hg, std::int64_t observed_ms) {
    return app::NewVitalSign{patient, "8480-6", mm_hg, "mm[Hg]", At(observed_ms), app::VitalSource::kManual, ""};
}

class PostgresStoreTest : public pgtest::PgTest {
protected:
    std::unique_ptr<app::Store> Open(const PostgresOptions& options = {}) {
        Result<std::unique_ptr<app::Store>> store = OpenPostgresStore(dsn_, options);
        EXPECT_TRUE(store.ok()) << store.error().ToString();
        return store.ok() ? std::move(store).value() : nullptr;
    }

    // Count of rows in `table` seen by a session outside the store: what is committed.
    std::int64_t Committed(const std::string& table) {
        std::unique_ptr<PgConnection> connection = Connect();
        if (connection == nullptr) {
            return -1;
        }
        Result<std::vector<sql::SqlRow>> rows = connection->Query("SELECT count(*) FROM " + table, {});
        EXPECT_TRUE(rows.ok()) << rows.error().ToString();
        return rows.ok() && !rows->empty() ? AsInt(rows->front().columns.at(0)) : -1;
    }

    // Registers a patient through `store` and returns its id (0 on failure, which also fails the test).
    static app::PatientId Register(app::Store& store, const std::string& mrn) {
        app::PatientId id;
        const Status written = store.Write([&](app::StoreTransaction& tx) -> Status {
            Result<app::PatientId> inserted = tx.InsertPatient(Patient(mrn), At(1'700'000'000'000), "dr@example.org");
            if (!inserted.ok()) {
                return inserted.error();
            }
            id = *inserted;
            return Status::Ok();
        });
        EXPECT_TRUE(written.ok()) << written.error().ToString();
        return id;
    }
};

TEST_F(PostgresStoreTest, OpeningAppliesEveryMigration) {
    std::unique_ptr<app::Store> store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->Backend(), "postgres");
    ASSERT_FALSE(PostgresMigrations().empty());
    EXPECT_EQ(Committed("schema_migrations"), static_cast<std::int64_t>(PostgresMigrations().size()));
    EXPECT_EQ(Committed("patients"), 0);
}

TEST_F(PostgresStoreTest, MigratingAgainChangesNothing) {
    ASSERT_NE(Open(), nullptr);
    const app::PatientId id = Register(*Open(), "MRN-1");
    EXPECT_NE(id.value, 0);
    ASSERT_NE(Open(), nullptr);
    Result<int> version = MigratePostgres(dsn_);
    ASSERT_TRUE(version.ok()) << version.error().ToString();
    EXPECT_EQ(*version, PostgresMigrations().back().version);
    EXPECT_EQ(Committed("schema_migrations"), static_cast<std::int64_t>(PostgresMigrations().size()));
    EXPECT_EQ(Committed("patients"), 1);
}

// The sessions a clinic had before migration 0006 get one transition each: their state as it stood.
TEST_F(PostgresStoreTest, SessionHistoryMigrationRecordsEarlierSessionsAsTheyStand) {
    const std::span<const sql::Migration> all = PostgresMigrations();
    const auto history = std::ranges::find(all, 6, &sql::Migration::version);
    ASSERT_NE(history, all.end());
    {
        std::unique_ptr<PgConnection> connection = Connect();
        ASSERT_NE(connection, nullptr);
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
              "1, 1, '2026-09-21', 'induction', 1, 'pre_dose_ok', 1, 1, 'BP 150/95', 42, 'nurse@example.org')"}) {
            ASSERT_TRUE(connection->Execute(statement).ok()) << statement;
        }
    }
    std::unique_ptr<app::Store> store = Open();  // applies 0006 and later
    ASSERT_NE(store, nullptr);
    std::vector<app::SessionTransition> transitions;
    const Status read = store->Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::vector<app::SessionTransition>> listed = tx.ListSessionTransitions(app::SessionId{1});
        if (!listed.ok()) {
            return listed.error();
        }
        transitions = *listed;
        return Status::Ok();
    });
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    ASSERT_EQ(transitions.size(), 1U);
    EXPECT_FALSE(transitions[0].from_state.has_value());
    EXPECT_EQ(transitions[0].to_state, clinical::SessionState::kPreDoseOk);
    EXPECT_EQ(transitions[0].at, At(42));
    EXPECT_EQ(transitions[0].by, "nurse@example.org");
    EXPECT_EQ(transitions[0].reason, "");  // the stale hold reason is not this step's
}

TEST_F(PostgresStoreTest, ProcessesStartingTogetherMigrateOnce) {
    constexpr int kOpeners = 6;
    std::vector<std::future<Result<std::unique_ptr<app::Store>>>> opened;
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    opened.reserve(kOpeners);
    for (int i = 0; i < kOpeners; ++i) {
        opened.push_back(std::async(std::launch::async, [&, start] {
            start.wait();
            return OpenPostgresStore(dsn_, PostgresOptions{.pool_size = 2});
        }));
    }
    go.set_value();
    for (auto& future : opened) {
        Result<std::unique_ptr<app::Store>> store = future.get();
        EXPECT_TRUE(store.ok()) << store.error().ToString();
    }
    EXPECT_EQ(Committed("schema_migrations"), static_cast<std::int64_t>(PostgresMigrations().size()));
}

TEST_F(PostgresStoreTest, ASchemaNewerThanThisBinaryIsRefused) {
    ASSERT_NE(Open(), nullptr);
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    ASSERT_TRUE(connection->Execute("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 0)").ok());
    Result<std::unique_ptr<app::Store>> store = OpenPostgresStore(dsn_);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(PostgresStoreTest, BadOptionsAndUnreachableServersAreRefused) {
    Result<std::unique_ptr<app::Store>> no_pool = OpenPostgresStore(dsn_, PostgresOptions{.pool_size = 0});
    ASSERT_FALSE(no_pool.ok());
    EXPECT_EQ(no_pool.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(no_pool.error().field, "pool_size");

    Result<std::unique_ptr<app::Store>> unreachable = OpenPostgresStore("postgresql://nobody@127.0.0.1:1/none");
    ASSERT_FALSE(unreachable.ok());
    EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable);
}

TEST_F(PostgresStoreTest, AWriteThatReturnsOkIsCommitted) {
    std::unique_ptr<app::Store> store = Open();
    ASSERT_NE(store, nullptr);
    const app::PatientId id = Register(*store, "MRN-42");
    ASSERT_NE(id.value, 0);
    EXPECT_EQ(Committed("patients"), 1);

    const Status read = store->Read([&](app::StoreTransaction& tx) -> Status {
        Result<app::Patient> patient = tx.GetPatient(id);
        if (!patient.ok()) {
            return patient.error();
        }
        EXPECT_EQ(patient->mrn, "MRN-42");
        EXPECT_EQ(patient->given_name, "Zoë");
        EXPECT_EQ(patient->family_name, "O'Brien");
        EXPECT_EQ(patient->created_at, At(1'700'000'000'000));
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.error().ToString();
}

TEST_F(PostgresStoreTest, AnErrorFromTheWorkRollsEverythingBack) {
    std::unique_ptr<app::Store> store = Open();
    ASSERT_NE(store, nullptr);
    const Status written = store->Write([](app::StoreTransaction& tx) -> Status {
        EXPECT_TRUE(tx.InsertPatient(Patient("MRN-1"), At(0), "a").ok());
        return Error{ErrorCode::kFailedPrecondition, "consent", "consent not confirmed"};
    });
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(written.error().field, "consent");
    EXPECT_EQ(Committed("patients"), 0);
}

TEST_F(PostgresStoreTest, AnExceptionFromTheWorkRollsBackAndFreesTheConnection) {
    std::unique_ptr<app::Store> store = Open(PostgresOptions{.pool_size = 1, .acquire_timeout = 2s});
    ASSERT_NE(store, nullptr);
    EXPECT_THROW(static_cast<void>(store->Write([](app::StoreTransaction& tx) -> Status {
                     EXPECT_TRUE(tx.InsertPatient(Patient("MRN-1"), At(0), "a").ok());
                     throw std::runtime_error("device feed parser bug");
                 })),
                 std::runtime_error);
    EXPECT_EQ(Committed("patients"), 0);
    // The only connection went back to the pool, outside any transaction.
    EXPECT_NE(Register(*store, "MRN-1").value, 0);
    EXPECT_EQ(Committed("patients"), 1);
}

TEST_F(PostgresStoreTest, ADuplicateMrnIsAConflictAndTheFirstPatientStays) {
    std::unique_ptr<app::Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_NE(Register(*store, "MRN-7").value, 0);
    const Status second = store->Write([](app::StoreTransaction& tx) -> Status {
        Result<app::PatientId> inserted = tx.InsertPatient(Patient("MRN-7"), At(0), "a");
        return StatusOf(inserted);
    });
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    EXPECT_EQ(Committed("patients"), 1);
}

// Migration 0004's triggers hold whatever SQL runs: acknowledging is the only change an alert may see, once, and
// no alert is deleted or truncated away.
TEST_F(PostgresStoreTest, AlertsAreAcknowledgedOnceAndNeverDeleted) {
    std::unique_ptr<app::Store> store = Open();
    ASSERT_NE(store, nullptr);
    const app::PatientId patient = Register(*store, "MRN-1");
    std::vector<std::int64_t> ids;
    const Status raised = store->Write([&](app::StoreTransaction& tx) -> Status {
        for (int i = 0; i < 2; ++i) {
            app::Alert alert;
            alert.patient = patient;
            alert.rule = "systolic_high";
            alert.message = "Systolic BP 190 mm[Hg] is at or above the alert threshold of 180";
            alert.source = "test";
            alert.record_type = "vital_sign";
            alert.record_id = 1;
            alert.raised_at = At(1'700'000'000'000);
            Result<app::AlertId> id = tx.InsertAlert(alert);
            if (!id.ok()) {
                return id.error();
            }
            ids.push_back(id->value);
        }
        return Status::Ok();
    });
    ASSERT_TRUE(raised.ok()) << raised.error().ToString();
    ASSERT_EQ(ids.size(), 2u);
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    // The server's message, or "" when the statement succeeded.
    auto refusal = [&](const std::string& statement, std::int64_t id) {
        const std::vector<sql::SqlValue> params = {id};
        Result<std::vector<sql::SqlRow>> rows = connection->Query(statement, params);
        return rows.ok() ? std::string() : rows.error().message;
    };
    EXPECT_NE(refusal("UPDATE alerts SET message = 'changed' WHERE id = $1", ids[0]).find("raised facts never change"),
              std::string::npos);
    EXPECT_NE(refusal("UPDATE alerts SET acknowledged_at = 1 WHERE id = $1", ids[0]).find("check"),
              std::string::npos);  // who acknowledged is required
    EXPECT_EQ(
        refusal("UPDATE alerts SET acknowledged_at = 1, acknowledged_by = 'dr@clinic.example' WHERE id = $1", ids[0]),
        "");
    EXPECT_NE(refusal("UPDATE alerts SET acknowledgement_note = 'later' WHERE id = $1", ids[0]).find("never changes"),
              std::string::npos);
    EXPECT_NE(refusal("DELETE FROM alerts WHERE id = $1", ids[1]).find("never deleted"), std::string::npos);
    // CASCADE: a plain TRUNCATE is refused already because the device log refers to alerts; with CASCADE only the
    // trigger stands in the way.
    Result<std::vector<sql::SqlRow>> truncated = connection->Query("TRUNCATE alerts CASCADE", {});
    ASSERT_FALSE(truncated.ok());
    EXPECT_NE(truncated.error().message.find("never deleted"), std::string::npos);
    EXPECT_EQ(Committed("alerts"), 2);
}

TEST_F(PostgresStoreTest, WorkReturningOkAfterAFailedStatementStillRollsBack) {
    std::unique_ptr<app::Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_NE(Register(*store, "MRN-7").value, 0);
    const Status written = store->Write([](app::StoreTransaction& tx) -> Status {
        EXPECT_TRUE(tx.InsertPatient(Patient("MRN-8"), At(0), "a").ok());
        static_cast<void>(tx.InsertPatient(Patient("MRN-7"), At(0), "a"));  // ignored conflict
        return Status::Ok();
    });
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, ErrorCode::kConflict) << written.error().ToString();
    EXPECT_EQ(Committed("patients"), 1);
    EXPECT_NE(Register(*store, "MRN-8").value, 0);
}

TEST_F(PostgresStoreTest, AReadSeesOneSnapshotAndCannotWrite) {
    std::unique_ptr<app::Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_NE(Register(*store, "MRN-1").value, 0);
    const Status read = store->Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::vector<app::Patient>> before = tx.ListPatients(app::PatientId{0}, 100);
        EXPECT_TRUE(before.ok());
        // Committed by another connection of the pool while this snapshot is open.
        EXPECT_NE(Register(*store, "MRN-2").value, 0);
        Result<std::vector<app::Patient>> after = tx.ListPatients(app::PatientId{0}, 100);
        EXPECT_TRUE(after.ok());
        if (before.ok() && after.ok()) {
            EXPECT_EQ(before->size(), 1U);
            EXPECT_EQ(after->size(), 1U);
        }
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(Committed("patients"), 2);

    const Status write_in_read = store->Read([](app::StoreTransaction& tx) -> Status {
        Result<app::PatientId> inserted = tx.InsertPatient(Patient("MRN-3"), At(0), "a");
        return StatusOf(inserted);
    });
    ASSERT_FALSE(write_in_read.ok());
    EXPECT_EQ(write_in_read.error().code, ErrorCode::kInternal);
    EXPECT_EQ(Committed("patients"), 2);
}

TEST_F(PostgresStoreTest, ConcurrentWritersThroughThePoolAllCommit) {
    constexpr int kThreads = 16;
    constexpr int kWritesEach = 25;
    std::unique_ptr<app::Store> store = Open(PostgresOptions{.pool_size = 4});
    ASSERT_NE(store, nullptr);
    const app::PatientId patient = Register(*store, "MRN-1");
    ASSERT_NE(patient.value, 0);

    std::vector<std::thread> threads;
    std::vector<std::vector<std::int64_t>> ids(kThreads);
    std::atomic<int> failures{0};
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kWritesEach; ++i) {
                const double mm_hg = 100.0 + t + i / 100.0;
                const Status written = store->Write([&](app::StoreTransaction& tx) -> Status {
                    Result<app::VitalSignId> id =
                        tx.InsertVitalSign(Systolic(patient, mm_hg, t * 1000 + i), At(0), "nurse@example.org",
                                           /*late_entry=*/false);
                    if (!id.ok()) {
                        return id.error();
                    }
                    ids[static_cast<std::size_t>(t)].push_back(id->value);
                    return tx.AppendAudit(app::AuditEntry{{},
                                                          At(0),
                                                          "nurse@example.org",
                                                          "cli",
                                                          "vital.create",
                                                          "vital_sign",
                                                          id->value,
                                                          patient.value,
                                                          ""});
                });
                if (!written.ok()) {
                    ++failures;
                    ADD_FAILURE() << written.error().ToString();
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
    std::set<std::int64_t> distinct;
    for (const std::vector<std::int64_t>& mine : ids) {
        distinct.insert(mine.begin(), mine.end());
    }
    // Counted before Committed() opens sessions of its own.
    EXPECT_LE(SessionCount(), 4);
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kWritesEach));
    EXPECT_EQ(Committed("vital_signs"), kThreads * kWritesEach);
    EXPECT_EQ(Committed("audit_log"), kThreads * kWritesEach);
}

// Several server processes on one database append to the audit log at once (issue 15 §7): two stores with pools of
// their own stand for two processes. Every entry lands in the one chain, with no gap in its ids.
TEST_F(PostgresStoreTest, TwoStoresAppendingAuditAtOnceKeepOneChain) {
    constexpr int kThreads = 4;
    constexpr int kWritesEach = 10;
    std::unique_ptr<app::Store> first = Open(PostgresOptions{.pool_size = 4});
    std::unique_ptr<app::Store> second = Open(PostgresOptions{.pool_size = 4});
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            app::Store& store = t % 2 == 0 ? *first : *second;
            for (int i = 0; i < kWritesEach; ++i) {
                const Status written = store.Write([&](app::StoreTransaction& tx) -> Status {
                    // Two entries in one transaction: both follow each other in the chain.
                    for (int n = 0; n < 2; ++n) {
                        RETURN_IF_ERROR(tx.AppendAudit(app::AuditEntry{
                            {}, At(i), "nurse@example.org", "cli", "patient.read", "patient", t, t, ""}));
                    }
                    return Status::Ok();
                });
                if (!written.ok()) {
                    ++failures;
                    ADD_FAILURE() << written.error().ToString();
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
    Result<app::AuditChainCheck> check = Error{ErrorCode::kInternal, "", "not run"};
    ASSERT_TRUE(first
                    ->Read([&](app::StoreTransaction& tx) -> Status {
                        check = tx.CheckAuditChain();
                        return StatusOf(check);
                    })
                    .ok());
    ASSERT_TRUE(check.ok()) << check.error().ToString();
    EXPECT_FALSE(check->first_broken_id.has_value()) << check->problem;
    EXPECT_EQ(check->chained_entries, kThreads * kWritesEach * 2);
    EXPECT_EQ(check->head_hash.size(), 64U);
}

TEST_F(PostgresStoreTest, ThePoolIsBoundedAndCallersWaitForAFreeConnection) {
    std::unique_ptr<app::Store> store = Open(PostgresOptions{.pool_size = 2, .acquire_timeout = 300ms});
    ASSERT_NE(store, nullptr);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> inside{0};
    std::vector<std::future<Status>> holders;
    holders.reserve(2);
    for (int i = 0; i < 2; ++i) {
        holders.push_back(std::async(std::launch::async, [&, released] {
            return store->Write([&](app::StoreTransaction&) -> Status {
                ++inside;
                released.wait();
                return Status::Ok();
            });
        }));
    }
    while (inside.load() < 2) {
        std::this_thread::sleep_for(1ms);
    }
    const auto started = std::chrono::steady_clock::now();
    const Status starved = store->Write([](app::StoreTransaction&) { return Status::Ok(); });
    ASSERT_FALSE(starved.ok());
    EXPECT_EQ(starved.error().code, ErrorCode::kUnavailable);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
    EXPECT_EQ(SessionCount(), 2);

    // A caller that is waiting gets the first connection given back.
    std::future<Status> waiter = std::async(std::launch::async, [&] {
        return store->Write([](app::StoreTransaction& tx) -> Status {
            Result<app::PatientId> inserted = tx.InsertPatient(Patient("MRN-1"), At(0), "a");
            return StatusOf(inserted);
        });
    });
    std::this_thread::sleep_for(50ms);
    release.set_value();
    for (auto& holder : holders) {
        EXPECT_TRUE(holder.get().ok());
    }
    const Status waited = waiter.get();
    EXPECT_TRUE(waited.ok()) << waited.error().ToString();
    EXPECT_EQ(Committed("patients"), 1);
}

TEST_F(PostgresStoreTest, KilledConnectionsAreReplaced) {
    std::unique_ptr<app::Store> store = Open(PostgresOptions{.pool_size = 3});
    ASSERT_NE(store, nullptr);
    ASSERT_NE(Register(*store, "MRN-0").value, 0);
    EXPECT_EQ(TerminateSessions(), 3);
    EXPECT_EQ(SessionCount(), 0);
    // Every pooled connection is dead; each Write finds one, replaces it, and succeeds.
    for (int i = 1; i <= 6; ++i) {
        EXPECT_NE(Register(*store, "MRN-" + std::to_string(i)).value, 0);
    }
    EXPECT_LE(SessionCount(), 3);
    EXPECT_EQ(Committed("patients"), 7);
}

TEST_F(PostgresStoreTest, AConnectionLostInsideTheWorkFailsThatWriteOnly) {
    std::unique_ptr<app::Store> store = Open(PostgresOptions{.pool_size = 1});
    ASSERT_NE(store, nullptr);
    const Status lost = store->Write([&](app::StoreTransaction& tx) -> Status {
        EXPECT_TRUE(tx.InsertPatient(Patient("MRN-1"), At(0), "a").ok());
        EXPECT_EQ(TerminateSessions(), 1);
        Result<app::PatientId> inserted = tx.InsertPatient(Patient("MRN-2"), At(0), "a");
        return StatusOf(inserted);
    });
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable) << lost.error().ToString();
    EXPECT_EQ(Committed("patients"), 0);
    EXPECT_NE(Register(*store, "MRN-1").value, 0);
    EXPECT_EQ(Committed("patients"), 1);
}

}  // namespace
}  // namespace kclinic::adapters::storage::postgres
