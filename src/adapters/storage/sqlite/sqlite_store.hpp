#pragma once

// The embedded SQLite backend of the Store port. One file, write-ahead logging, synchronous=FULL, foreign keys on.
// All writes go through one writer thread that groups concurrent Write calls into one transaction (group commit:
// many callers share one fsync); reads run on a small pool of read-only connections beside it. Because only one
// connection in the process ever writes, and WAL readers never wait for the writer, no caller sees SQLITE_BUSY.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "adapters/storage/sql/migrations.hpp"
#include "adapters/storage/sqlite/sqlite_connection.hpp"
#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage::sqlite {

// The generated migrations file (cmake/EmbedSql.cmake) names it unqualified in this namespace.
using sql::Migration;

// The SQLite schema, from migrations/NNNN_name.sql, embedded at build time; oldest first.
[[nodiscard]] std::span<const Migration> SqliteMigrations();

struct SqliteOptions {
    int reader_count = 4;  // read-only connections; Read blocks while all are in use
    // Most Write calls one transaction carries. Bounds how long the first caller of a batch waits for the others.
    int max_batch = 256;
    SqliteConnectionOptions connection;
    // The mode a file without a schema is created in (sql::MigrateAndRecordMode); an existing file keeps its own.
    sql::DatabaseMode new_database_mode = sql::DatabaseMode::kProduction;
};

// Counters since open, for monitoring and the benchmark. Average batch size = writes / commits.
struct SqliteWriterStats {
    std::int64_t commits = 0;        // write transactions that committed
    std::int64_t writes_ok = 0;      // Write calls acknowledged with OK
    std::int64_t writes_failed = 0;  // Write calls answered with an error or exception
    std::int64_t queued = 0;         // Write calls waiting for the writer right now
};

class SqliteStore final : public app::Store {
public:
    // Creates `path` when missing, applies every migration newer than the file's schema (on the write connection,
    // before anything else runs) and records the database's mode if it has none (sql::MigrateAndRecordMode), opens
    // the readers and starts the writer thread. Opening an up-to-date file again
    // applies nothing. Errors: kUnavailable when the file cannot be opened or created; kFailedPrecondition when
    // WAL is unavailable or the file's schema is newer than this binary; a failing migration's error (earlier
    // migrations stay applied). One process per file: a second store on the same file would be a second writer,
    // and its writes would wait on the first's (busy_timeout) instead of joining its batches.
    [[nodiscard]] static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                                   const SqliteOptions& options = {});

    // Lets queued writes finish (each caller gets its answer), then stops the writer thread and closes the
    // database. No Write or Read may start once destruction has begun.
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    // Thread-safe; blocks until the outcome is final. `work` runs on the writer thread inside its own SAVEPOINT of
    // a transaction shared with other callers' work: an error it returns (or an exception it throws) rolls back
    // only its own changes. OK is returned only after COMMIT has returned with synchronous=FULL, so the write has
    // reached the disk. If the shared transaction fails (BEGIN, COMMIT, a savepoint), nothing of the batch
    // persists and every caller whose work had succeeded gets that error; a caller whose work failed keeps its own.
    // An exception thrown by `work` is rethrown here, on the caller's thread, after its changes have been rolled
    // back. `work` must not call Read on this store, nor Write (that is answered with kInternal, not a deadlock).
    // Errors: `work`'s own; kUnavailable for I/O errors, a full disk, or another process holding the write lock
    // past busy_timeout; kInternal for anything else the database reports.
    [[nodiscard]] Status Write(const app::TransactionWork& work) override;

    // Thread-safe; runs `work` on the calling thread in a read transaction on one of the pooled read-only
    // connections. Every read in it sees the same snapshot: what was committed when its first read ran. Never
    // waits for the writer; waits for a free connection while all `reader_count` are in use. A write inside
    // `work` fails with kInternal. Exceptions from `work` propagate after the transaction has ended.
    [[nodiscard]] Status Read(const app::TransactionWork& work) override;

    [[nodiscard]] std::string_view Backend() const override { return "sqlite"; }

    [[nodiscard]] SqliteWriterStats Stats() const;
    // The database's mode, as recorded when it was created.
    [[nodiscard]] sql::DatabaseMode Mode() const { return mode_; }

private:
    struct Job {
        const app::TransactionWork* work = nullptr;
        Status status;
        std::exception_ptr exception;
        std::promise<void> done;
    };

    SqliteStore(const SqliteOptions& options, sql::DatabaseMode mode, std::unique_ptr<SqliteConnection> writer,
                std::vector<std::unique_ptr<SqliteConnection>> readers);

    void WriterLoop();
    void RunBatch(std::span<Job* const> batch);
    void RunJob(Job& job);
    SqliteConnection* AcquireReader();
    void ReleaseReader(SqliteConnection* reader);

    const SqliteOptions options_;
    const sql::DatabaseMode mode_;
    std::unique_ptr<SqliteConnection> writer_;  // touched only by writer_thread_ once it runs

    mutable std::mutex queue_mutex_;
    std::condition_variable queue_cv_;
    std::deque<Job*> queue_;  // jobs live on their callers' stacks until acknowledged
    bool stopping_ = false;
    SqliteWriterStats stats_;  // guarded by queue_mutex_ (queued is computed)

    std::mutex readers_mutex_;
    std::condition_variable readers_cv_;
    std::vector<std::unique_ptr<SqliteConnection>> readers_;
    std::vector<SqliteConnection*> idle_readers_;

    std::thread writer_thread_;  // last: starts after every member above is constructed
};

// As SqliteStore::Open, typed as the port for the composition root.
[[nodiscard]] Result<std::unique_ptr<app::Store>> OpenSqliteStore(const std::string& path,
                                                                  const SqliteOptions& options = {});

// Copies the database at `database_path` to the new file `backup_path` while the database stays in use (by this
// process or another): the copy is one read snapshot, so it is consistent, and it does not block writers. The copy
// is a self-contained single file (rollback journal, no -wal), checked with PRAGMA integrity_check before OK is
// returned, with the SHA-256 of its bytes in `backup_path`.sha256 (coreutils' sha256sum format), which
// RestoreSqlite requires. Errors: kNotFound when there is no file at `database_path`; kConflict when `backup_path` or
// its .sha256 file already exists (never overwritten); kUnavailable when either file cannot be opened or written (a
// partial copy never appears under `backup_path`); kInternal when the copy fails its integrity check.
[[nodiscard]] Status BackupSqlite(const std::string& database_path, const std::string& backup_path);

enum class IfTargetExists {
    kRefuse,   // the safe default: an existing database is never touched
    kReplace,  // the target's whole content is replaced, atomically (a crash leaves the old or the new database)
};

// Restores the backup at `backup_path` into `database_path`. The backup is checked first (its bytes against its
// .sha256 file, PRAGMA integrity_check, and it must be a kclinic database no newer than this binary); the target is
// only written once that passes. The restored file keeps the backup's schema version; opening it with SqliteStore::Open
// migrates it forward. kReplace writes through SQLite into the existing target, so the target must still open as a
// database; a damaged one is refused (kUnavailable) and must be moved aside, with its -wal and -shm files, and restored
// to the free path. PRECONDITION: no kclinic process has `database_path` open. SQLite's locking keeps the file
// consistent either way, but a running kclinic would find the record changed under it between two requests (ids and
// versions it has handed out would name other records), and its writes would make the restore wait or fail. Errors:
// kNotFound when there is no file at `backup_path`; kFailedPrecondition when the backup has no .sha256 file or does not
// match it, is not a readable SQLite file, fails its integrity check, is not a kclinic database or is newer than this
// binary; kConflict when the target exists and `if_exists` is kRefuse, or when a free target path still has -wal, -shm
// or -journal files beside it; kUnavailable when a file cannot be opened or written, or another process holds the
// target locked.
[[nodiscard]] Status RestoreSqlite(const std::string& backup_path, const std::string& database_path,
                                   IfTargetExists if_exists = IfTargetExists::kRefuse);

}  // namespace kclinic::adapters::storage::sqlite
