#pragma once

// The clinic record on a PostgreSQL server, through libpq: the factory for the Store port's PostgreSQL adapter
// (the store class itself is private to postgres_store.cpp) and the schema migrations it applies.
// Backups are pg_dump's job (docs/operations.md).

#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "adapters/storage/sql/migrations.hpp"
#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage::postgres {

using sql::Migration;

struct PostgresOptions {
    // Connections the store keeps open, which is also the most Write/Read calls that run at once; further calls
    // wait for a free connection. At least 1.
    int pool_size = 8;
    // How long a Write or Read waits for a free connection before failing with kUnavailable.
    std::chrono::milliseconds acquire_timeout{30'000};
    // How long opening one connection may take; a connect_timeout in the DSN wins.
    std::chrono::seconds connect_timeout{10};
    // The mode a database without a schema is created in (sql::MigrateAndRecordMode); an existing one keeps its own.
    sql::DatabaseMode new_database_mode = sql::DatabaseMode::kProduction;
};

// Connects to `dsn` ("postgres://user@host:port/db", "postgresql://...", or libpq's "host=... dbname=..." text,
// passed to libpq as is), brings the schema up to date with PostgresMigrations() while holding a
// pg_advisory_lock, so several kclinic processes may start at once against one database, then opens the pool of
// `options.pool_size` connections.
// The store's Write runs `work` between BEGIN and COMMIT on one pooled connection (READ COMMITTED, every session
// with synchronous_commit on, so an OK Write is on the server's disk); an error returned by `work`, or any
// exception it throws, rolls the transaction back (the exception then propagates). A failed statement aborts a
// PostgreSQL transaction, so when `work` returns OK after one, Write rolls back and returns that statement's
// error. Read runs `work` in BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY: one snapshot, and any write fails
// with kInternal. A pooled connection found dead when its transaction begins (a server restart, an
// administrator's pg_terminate_backend) is replaced and the transaction begun again on a fresh one, before
// `work` runs, so the pool heals without surfacing an error; a connection lost after `work` began fails that
// call with kUnavailable and is replaced on the next. If it is lost during COMMIT the outcome is unknown to the
// store (the server may have committed), and the error says so.
// The store is thread-safe; it must outlive every Write and Read in flight.
// Errors: kInvalidArgument for a pool_size below 1 or a DSN libpq cannot parse; kUnavailable when the server
// cannot be reached; the migration's error as sql::ApplyMigrations reports it (kFailedPrecondition when the
// database's schema is newer than this kclinic).
[[nodiscard]] Result<std::unique_ptr<app::Store>> OpenPostgresStore(const std::string& dsn,
                                                                    const PostgresOptions& options = {});

// OpenPostgresStore, with the database's mode as recorded when it was created (sql::MigrateAndRecordMode, under the
// same advisory lock as the migrations). Errors as OpenPostgresStore.
struct OpenedPostgresStore {
    std::unique_ptr<app::Store> store;
    sql::DatabaseMode mode = sql::DatabaseMode::kProduction;
};
[[nodiscard]] Result<OpenedPostgresStore> OpenPostgresStoreWithMode(const std::string& dsn,
                                                                    const PostgresOptions& options = {});

// Only the migration step of OpenPostgresStore, for `kclinic migrate`: connects, applies PostgresMigrations()
// under the same advisory lock, disconnects, and returns the schema version reached. Errors as OpenPostgresStore.
[[nodiscard]] Result<int> MigratePostgres(const std::string& dsn, const PostgresOptions& options = {});

// The numbered scripts in migrations/, embedded at build time by cmake/EmbedSql.cmake, oldest first.
[[nodiscard]] std::span<const Migration> PostgresMigrations();

}  // namespace kclinic::adapters::storage::postgres
