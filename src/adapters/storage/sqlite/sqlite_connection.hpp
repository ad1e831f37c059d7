#pragma once

// One SQLite database connection behind the SqlConnection interface. sqlite3.h stays in the .cpp: the handle
// types are only forward-declared here.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/storage/sql/sql_connection.hpp"
#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace kclinic::adapters::storage::sqlite {

enum class OpenMode {
    kReadWriteCreate,  // creates the file when missing; switches the database to WAL
    kReadWrite,        // the file must exist
    kReadOnly,         // the file must exist; every write fails with kInternal
};

struct SqliteConnectionOptions {
    // How long a statement waits for a lock another connection holds before it fails. Inside one SqliteStore no
    // connection waits for another (one writer, WAL readers); this covers another process on the same file (a
    // backup, `kclinic migrate`) and WAL recovery after a crash.
    int busy_timeout_ms = 10'000;
    // Page cache per connection, in KiB.
    int cache_size_kib = 8 * 1024;
};

// Not thread-safe: one thread at a time uses a connection (SqliteStore gives each thread its own). Holds no lock
// between calls; the transaction state lives in SQLite (BEGIN ... COMMIT issued through Query or Execute).
class SqliteConnection final : public sql::SqlConnection {
public:
    // Opens `path` and sets the pragmas every kclinic connection runs with: foreign_keys=ON, synchronous=FULL,
    // busy_timeout and cache_size from `options`; kReadWriteCreate also sets journal_mode=WAL (persistent in the
    // file, so readers opened later find it). Errors: kUnavailable when the file cannot be opened (missing for
    // kReadWrite/kReadOnly, no permission, not a database); kFailedPrecondition when WAL cannot be enabled (a
    // file system without shared memory).
    [[nodiscard]] static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, OpenMode mode,
                                                                        const SqliteConnectionOptions& options = {});

    ~SqliteConnection() override;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    // As SqlConnection::Query. `sql` is one statement whose parameters are written $1..$n (a parameter may appear
    // more than once); a parameter count that differs from the statement's, or any other parameter syntax, is a
    // bug reported as kInternal. Prepared statements are cached by SQL text for the life of the connection.
    // Errors: kConflict for a UNIQUE, PRIMARY KEY or FOREIGN KEY violation ("patients.mrn already exists");
    // kUnavailable for I/O errors, a full disk, or a lock another process held past busy_timeout; kInternal for
    // anything else, with SQLite's message.
    Result<std::vector<sql::SqlRow>> Query(std::string_view sql, std::span<const sql::SqlValue> params) override;

    // Runs a script of statements without parameters (sqlite3_exec). Errors as Query.
    Status Execute(std::string_view script) override;

    // True while a transaction is open. SQLite rolls a whole transaction back by itself after some errors (I/O,
    // full disk); the store checks this to learn that earlier work in the transaction is gone.
    [[nodiscard]] bool InTransaction() const;

    // The raw handle, for backup and restore inside this adapter only.
    [[nodiscard]] sqlite3* handle() const { return db_; }

private:
    // A cached statement plus, for each of its parameter slots, which $N fills it.
    struct Prepared {
        sqlite3_stmt* stmt = nullptr;
        std::vector<int> param_numbers;  // param_numbers[slot - 1] = N of "$N"
        int param_count = 0;             // the largest N used
    };

    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    explicit SqliteConnection(sqlite3* db) : db_(db) {}

    Result<Prepared> Prepare(std::string_view sql, bool persistent);
    Result<std::vector<sql::SqlRow>> Run(const Prepared& prepared, std::span<const sql::SqlValue> params);
    [[nodiscard]] Error LastError(std::string_view context) const;

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, Prepared, StringHash, std::equal_to<>> cache_;
};

}  // namespace kclinic::adapters::storage::sqlite
