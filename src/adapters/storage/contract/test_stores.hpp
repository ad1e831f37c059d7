#pragma once

// Test support for the storage contract, crash and concurrency tests: a fresh, real database per test. SQLite: a
// new file in a temporary folder. PostgreSQL: a new database on the throw-away server that the
// postgres.server_start CTest fixture starts (its DSN is in the file KCLINIC_TEST_PG_DSN_FILE names); a missing
// server is a test failure, never a skip.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/sql/migrations.hpp"
#include "adapters/storage/sql/sql_connection.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage::contract {

enum class Backend { kSqlite, kPostgres };
using sql::DatabaseMode;

// "sqlite", "postgres".
[[nodiscard]] std::string_view BackendName(Backend backend);

// A fixed instant plus `seconds`: 2026-09-21T14:13:20Z + seconds. Tests use it for every time they write.
inline app::TimePoint At(int seconds) {
    return app::TimePoint{std::chrono::milliseconds{1'790'000'000'000LL + seconds * 1000LL}};
}

// A clock that always says At(0).
class FixedClock final : public app::Clock {
public:
    [[nodiscard]] app::TimePoint Now() const override { return At(0); }
};

// GoogleTest prints a Backend parameter by name.
inline void PrintTo(Backend backend, std::ostream* out) {
    *out << BackendName(backend);
}

// Names parameterised test cases after their backend ("sqlite", "postgres").
struct BackendTestName {
    template <typename ParamInfo>
    std::string operator()(const ParamInfo& param_info) const {
        return std::string(BackendName(param_info.param));
    }
};

// `text` in lower case (ASCII), for matching database messages whose case differs between SQLite and PostgreSQL.
inline std::string Lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The audit log (of one patient when `patient_id` is given), oldest first, read without an audit entry of its own;
// a failed read is a test failure. At most app::kMaxPageSize entries, more than any one test writes.
[[nodiscard]] std::vector<app::AuditEntry> ReadAudit(app::Store& store,
                                                     std::optional<std::int64_t> patient_id = std::nullopt);
// The actions of ReadAudit's entries.
[[nodiscard]] std::vector<std::string> ReadAuditActions(app::Store& store,
                                                        std::optional<std::int64_t> patient_id = std::nullopt);

// What TestDatabase::IntegrityCheck found.
struct IntegrityReport {
    std::string verdict;        // "ok" when every check passed; otherwise each failure, "; "-separated
    int relations_checked = 0;  // the tables and indexes the checks covered
};

// An empty database, removed when this object is destroyed.
class TestDatabase {
public:
    [[nodiscard]] static Result<std::unique_ptr<TestDatabase>> Create(Backend backend);
    // A database the migrations have already brought up to date, as OpenStoreWithMode leaves a new one in `mode`: a
    // copy of a template made once per schema and mode (a file in the temporary folder; a database of the test
    // server), which is much quicker than migrating for every test.
    [[nodiscard]] static Result<std::unique_ptr<TestDatabase>> CreateMigrated(
        Backend backend, DatabaseMode mode = DatabaseMode::kProduction);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    // The --db URL: sqlite:PATH or postgresql://...
    [[nodiscard]] const std::string& url() const { return url_; }
    [[nodiscard]] Backend backend() const { return backend_; }

    // Checks the database's structure on disk. SQLite: PRAGMA integrity_check over every table and index. PostgreSQL:
    // amcheck (contrib, created here as the extension when missing, which takes the cluster's superuser, as
    // pg-test-server's is): bt_index_parent_check with heapallindexed over every btree index of the public schema
    // (each index agrees with its table and its own tree), and verify_heapam over every table. Errors: kInternal or
    // kUnavailable when the checks cannot run; a check that finds damage is no error but a verdict other than "ok".
    [[nodiscard]] Result<IntegrityReport> IntegrityCheck() const;

    // A connection of its own to this database, past any Store and use case, to test what the database itself
    // refuses (triggers, CHECK constraints). Each statement run on it commits by itself. The database must exist
    // (a Store has been opened on it).
    [[nodiscard]] Result<std::unique_ptr<sql::SqlConnection>> ConnectDirectly() const;
    // Runs one statement on the database directly, as its owner could with sqlite3 or psql, bypassing the Store:
    // proves that the schema itself refuses a change. Error kInternal with the database's message.
    [[nodiscard]] Status ExecuteDirectly(const std::string& statement) const;

private:
    TestDatabase(Backend backend, std::string url, std::string cleanup);
    // An empty database when `migrated` is nullopt; otherwise a copy of the template made in that mode.
    [[nodiscard]] static Result<std::unique_ptr<TestDatabase>> Make(Backend backend,
                                                                     std::optional<DatabaseMode> migrated);

    Backend backend_;
    std::string url_;
    std::string cleanup_;  // SQLite: the folder to remove; PostgreSQL: the database to drop
};

// A TestDatabase with a Store open on it.
class TestStore {
public:
    TestStore(std::unique_ptr<TestDatabase> database, std::unique_ptr<app::Store> store)
        : database_(std::move(database)), store_(std::move(store)) {}
    ~TestStore() { store_.reset(); }  // close the store before its database goes

    [[nodiscard]] app::Store& store() { return *store_; }
    [[nodiscard]] TestDatabase& database() { return *database_; }

private:
    std::unique_ptr<TestDatabase> database_;
    std::unique_ptr<app::Store> store_;
};

[[nodiscard]] Result<std::unique_ptr<TestStore>> OpenTestStore(Backend backend);

}  // namespace kclinic::adapters::storage::contract
