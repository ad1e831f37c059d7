#include "adapters/storage/postgres/postgres_store.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/storage/postgres/pg_connection.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::postgres {
namespace {

// The session-level advisory lock that serialises migrations between kclinic processes: "kclinic" in ASCII.
constexpr std::int64_t kMigrationLockKey = 0x6b636c696e6963;

constexpr std::string_view kBeginWrite = "BEGIN";
constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// A connection (still usable), the schema version its migrations reached and the database's mode.
struct Migrated {
    std::unique_ptr<PgConnection> connection;
    sql::MigratedDatabase database;
};

Result<Migrated> ConnectAndMigrate(const std::string& dsn, const PgConnectionOptions& options,
                                   sql::DatabaseMode new_database_mode) {
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, PgConnection::Connect(dsn, options));
    // Without the lock, two processes starting together could both read schema version 0 and both run 0001 (the
    // second failing on CREATE TABLE), or race inside CREATE TABLE IF NOT EXISTS, which is not atomic in
    // PostgreSQL. A session lock (not a transaction lock) because ApplyMigrations commits once per migration; it
    // is released with the session if anything below fails.
    const std::vector<sql::SqlValue> key = {kMigrationLockKey};
    RETURN_IF_ERROR(connection->Query("SELECT pg_advisory_lock($1)", key));
    ASSIGN_OR_RETURN(const sql::MigratedDatabase database,
                     sql::MigrateAndRecordMode(*connection, PostgresMigrations(), new_database_mode));
    // Under the same lock: two processes starting together fill the search texts once.
    RETURN_IF_ERROR(sql::BackfillPatientSearchText(*connection));
    RETURN_IF_ERROR(connection->Query("SELECT pg_advisory_unlock($1)", key));
    connection->ClearFirstError();
    return Migrated{std::move(connection), database};
}

class PostgresStore final : public app::Store {
public:
    PostgresStore(std::string dsn, const PostgresOptions& options, std::vector<std::unique_ptr<PgConnection>> pool)
        : dsn_(std::move(dsn)), options_(options), idle_(std::move(pool)) {}

    Status Write(const app::TransactionWork& work) override { return Run(work, kBeginWrite); }
    Status Read(const app::TransactionWork& work) override { return Run(work, kBeginRead); }
    std::string_view Backend() const override { return "postgres"; }

private:
    // Gives a pool slot back when it goes out of scope, with its connection when that can be reused.
    class Slot {
    public:
        Slot(PostgresStore& store, std::unique_ptr<PgConnection> connection)
            : store_(store), connection_(std::move(connection)) {}
        ~Slot() { store_.GiveBack(std::move(connection_)); }
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

        // Null while the slot has no connection (it was lost and not yet replaced).
        std::unique_ptr<PgConnection>& connection() { return connection_; }

    private:
        PostgresStore& store_;
        std::unique_ptr<PgConnection> connection_;
    };

    Status Run(const app::TransactionWork& work, std::string_view begin);
    // Waits up to acquire_timeout for a free slot; none when it timed out. The slot's connection is null when the
    // one it had was lost.
    std::optional<std::unique_ptr<PgConnection>> TakeSlot();
    void GiveBack(std::unique_ptr<PgConnection> connection);
    // REQUIRES: mutex_ held. Wakes the longest waiter when a slot is free.
    void WakeFirstWaiter();
    Status Reconnect(std::unique_ptr<PgConnection>& connection) const;

    const std::string dsn_;
    const PostgresOptions options_;
    std::mutex mutex_;
    // The free slots: options_.pool_size minus those in use. A null entry is a slot whose connection was
    // discarded; the next caller to take it connects afresh, so a restarted server is reached again.
    std::vector<std::unique_ptr<PgConnection>> idle_;
    // Callers waiting for a slot, oldest first; each waits on its own condition variable.
    struct Waiter {
        std::condition_variable turn;
    };
    std::deque<Waiter*> waiting_;
};

std::optional<std::unique_ptr<PgConnection>> PostgresStore::TakeSlot() {
    // First come, first served, and only the first waiter is woken: a free slot goes to the longest waiter, so no
    // caller starves behind later ones, and no herd of waiters wakes to find the slot gone (docs/benchmarks.md).
    std::unique_lock lock(mutex_);
    std::optional<std::unique_ptr<PgConnection>> taken;
    if (waiting_.empty() && !idle_.empty()) {
        taken = std::move(idle_.back());
        idle_.pop_back();
        return taken;
    }
    Waiter me;
    waiting_.push_back(&me);
    const bool got_slot =
        me.turn.wait_for(lock, options_.acquire_timeout, [&] { return !idle_.empty() && waiting_.front() == &me; });
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &me));
    if (got_slot) {
        taken = std::move(idle_.back());
        idle_.pop_back();
    }
    WakeFirstWaiter();
    return taken;
}

void PostgresStore::WakeFirstWaiter() {
    if (!waiting_.empty() && !idle_.empty()) {
        waiting_.front()->turn.notify_one();
    }
}

void PostgresStore::GiveBack(std::unique_ptr<PgConnection> connection) {
    // Only a connection that is alive and outside any transaction goes back; anything else would hand the next
    // caller a session in an unknown state.
    if (connection != nullptr && connection->Healthy() && connection->InTransaction()) {
        static_cast<void>(connection->Execute("ROLLBACK"));
    }
    if (connection != nullptr && (!connection->Healthy() || connection->InTransaction())) {
        connection.reset();
    }
    if (connection != nullptr) {
        connection->ClearFirstError();
    }
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
    WakeFirstWaiter();
}

Status PostgresStore::Reconnect(std::unique_ptr<PgConnection>& connection) const {
    connection.reset();
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> fresh,
                     PgConnection::Connect(dsn_, PgConnectionOptions{options_.connect_timeout}));
    connection = std::move(fresh);
    return Status::Ok();
}

Status PostgresStore::Run(const app::TransactionWork& work, std::string_view begin) {
    std::optional<std::unique_ptr<PgConnection>> taken = TakeSlot();
    if (!taken) {
        return Error{ErrorCode::kUnavailable, "",
                     "all " + std::to_string(options_.pool_size) + " PostgreSQL connections stayed busy for " +
                         std::to_string(options_.acquire_timeout.count()) + " ms"};
    }
    Slot slot(*this, std::move(*taken));
    std::unique_ptr<PgConnection>& connection = slot.connection();
    if (connection == nullptr || !connection->Healthy()) {
        RETURN_IF_ERROR(Reconnect(connection));
    }

    Status begun = connection->Execute(begin);
    if (!begun.ok() && begun.error().code == ErrorCode::kUnavailable) {
        // An idle pooled connection may have died (server restart, pg_terminate_backend) and libpq learns it
        // only now. `work` has not run, so beginning again on a fresh connection keeps "runs at most once".
        RETURN_IF_ERROR(Reconnect(connection));
        begun = connection->Execute(begin);
    }
    RETURN_IF_ERROR(begun);
    connection->ClearFirstError();

    Status outcome;
    try {
        sql::SqlTransaction transaction(*connection);
        outcome = work(transaction);
        if (outcome.ok()) {
            outcome = transaction.WritePendingAudit();
        }
    } catch (...) {
        static_cast<void>(connection->Execute("ROLLBACK"));
        throw;
    }
    if (outcome.ok() && connection->TransactionFailed()) {
        // COMMIT of an aborted transaction "succeeds" as a ROLLBACK, so this must be caught before it.
        outcome = connection->first_error().value_or(
            Error{ErrorCode::kInternal, "", "a statement failed inside the transaction"});
    }
    if (!outcome.ok()) {
        static_cast<void>(connection->Execute("ROLLBACK"));
        return outcome;
    }

    Status committed = connection->Execute("COMMIT");
    if (!committed.ok() && committed.error().code == ErrorCode::kUnavailable) {
        return Error{ErrorCode::kUnavailable, "",
                     "the PostgreSQL connection was lost during COMMIT, so the transaction may or may not have been "
                     "committed: " +
                         committed.error().message};
    }
    return committed;
}

}  // namespace

Result<std::unique_ptr<app::Store>> OpenPostgresStore(const std::string& dsn, const PostgresOptions& options) {
    ASSIGN_OR_RETURN(OpenedPostgresStore opened, OpenPostgresStoreWithMode(dsn, options));
    return std::move(opened.store);
}

Result<OpenedPostgresStore> OpenPostgresStoreWithMode(const std::string& dsn, const PostgresOptions& options) {
    if (options.pool_size < 1) {
        return InvalidArgument("pool_size", "must be at least 1, not " + std::to_string(options.pool_size));
    }
    const PgConnectionOptions connection_options{options.connect_timeout};
    ASSIGN_OR_RETURN(Migrated migrated, ConnectAndMigrate(dsn, connection_options, options.new_database_mode));
    const sql::DatabaseMode mode = migrated.database.mode;
    std::vector<std::unique_ptr<PgConnection>> pool;
    pool.reserve(static_cast<std::size_t>(options.pool_size));
    pool.push_back(std::move(migrated.connection));
    while (pool.size() < static_cast<std::size_t>(options.pool_size)) {
        ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, PgConnection::Connect(dsn, connection_options));
        pool.push_back(std::move(connection));
    }
    return OpenedPostgresStore{std::make_unique<PostgresStore>(dsn, options, std::move(pool)), mode};
}

Result<int> MigratePostgres(const std::string& dsn, const PostgresOptions& options) {
    ASSIGN_OR_RETURN(Migrated migrated,
                     ConnectAndMigrate(dsn, PgConnectionOptions{options.connect_timeout}, options.new_database_mode));
    return migrated.database.version;
}

}  // namespace kclinic::adapters::storage::postgres
