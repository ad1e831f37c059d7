#include "adapters/storage/contract/test_stores.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <utility>

#include <gtest/gtest.h>

#include "adapters/storage/open_store.hpp"
#include "adapters/storage/postgres/pg_connection.hpp"
#include "adapters/storage/postgres/postgres_store.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sqlite/sqlite_connection.hpp"
#include "adapters/storage/sqlite/sqlite_store.hpp"
#include "app/patient_records.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

Result<std::string> PostgresServerDsn() {
    const char* dsn_file = std::getenv("KCLINIC_TEST_PG_DSN_FILE");
    if (dsn_file == nullptr) {
        return Error{ErrorCode::kUnavailable, "KCLINIC_TEST_PG_DSN_FILE",
                     "is not set: run the tests through ctest, whose postgres.server_start fixture starts PostgreSQL"};
    }
    std::ifstream file(dsn_file);
    std::string dsn;
    if (!std::getline(file, dsn) || dsn.empty()) {
        return Error{ErrorCode::kUnavailable, dsn_file, "holds no DSN: the test PostgreSQL server is not running"};
    }
    return dsn;
}

// Runs one statement outside a transaction (CREATE/DROP DATABASE cannot run inside one).
Status PostgresAdmin(const std::string& dsn, const std::string& statement) {
    PGconn* connection = PQconnectdb(dsn.c_str());
    Status status;
    if (PQstatus(connection) != CONNECTION_OK) {
        status = Error{ErrorCode::kUnavailable, "", std::string("cannot connect: ") + PQerrorMessage(connection)};
    } else {
        PGresult* result = PQexec(connection, statement.c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK) {
            status = Error{ErrorCode::kInternal, "", statement + ": " + PQresultErrorMessage(result)};
        }
        PQclear(result);
    }
    PQfinish(connection);
    return status;
}

// The server's DSN with its database replaced: postgresql://user@host:port/DB.
std::string WithDatabase(const std::string& dsn, const std::string& database) {
    const std::size_t slash = dsn.rfind('/');
    return dsn.substr(0, slash + 1) + database;
}

std::string UniqueSuffix() {
    static std::atomic<int> counter{0};
    std::random_device random;
    return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(random() % 100000);
}

// Names the schema a backend's migrations make, so that a template made by one build is never used by a build with
// other migrations (two checkouts share /tmp and may share a test server).
std::string SchemaName(Backend backend, DatabaseMode mode) {
    std::size_t hash = 0;
    for (const sql::Migration& migration :
         backend == Backend::kSqlite ? sqlite::SqliteMigrations() : postgres::PostgresMigrations()) {
        hash = hash * 31 + std::hash<std::string_view>{}(migration.sql);
    }
    return std::string("kclinic_template_") + (mode == DatabaseMode::kTest ? "test_" : "") +
           std::to_string(hash % 1000000007);
}

// Every contract test starts from a database its migrations have made. Migrating afresh for each test cost more than
// most tests themselves, so the migrated database is made once per schema, by OpenStore exactly as a test would, and
// each test gets a copy of it (one per database mode: `serve --test-clock` runs only on a database made in test mode).
// SQLite: a file beside the tests' folders, put in place by rename, so a test never sees half of one.
Result<std::filesystem::path> SqliteTemplate(DatabaseMode mode) {
    const std::filesystem::path made =
        std::filesystem::temp_directory_path() / (SchemaName(Backend::kSqlite, mode) + ".db");
    if (std::filesystem::exists(made)) {
        return made;
    }
    const std::filesystem::path folder = std::filesystem::temp_directory_path() / ("kclinic_make_" + UniqueSuffix());
    std::filesystem::create_directories(folder);
    const std::filesystem::path file = folder / "kclinic.db";
    // Closed again at once: its WAL is checkpointed into the file.
    Status opened = StatusOf(OpenStoreWithMode("sqlite:" + file.string(), mode));
    if (opened.ok()) {
        std::filesystem::rename(file, made);
    }
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
    RETURN_IF_ERROR(opened);
    return made;
}

// PostgreSQL: a database of the test server, made under another name and renamed when complete (a rename that finds
// the name taken means another test process made it first).
Result<std::string> PostgresTemplate(const std::string& dsn, DatabaseMode mode) {
    const std::string name = SchemaName(Backend::kPostgres, mode);
    const std::vector<sql::SqlValue> named = {name};
    ASSIGN_OR_RETURN(std::unique_ptr<postgres::PgConnection> server, postgres::PgConnection::Connect(dsn));
    ASSIGN_OR_RETURN(std::vector<sql::SqlRow> found,
                     server->Query("SELECT count(*) FROM pg_database WHERE datname = $1", named));
    if (sql::RowReader(found.at(0)).Int(0) == 1) {
        return name;
    }
    const std::string making = "kclinic_make_" + UniqueSuffix();
    RETURN_IF_ERROR(PostgresAdmin(dsn, "CREATE DATABASE " + making));
    Status made = StatusOf(OpenStoreWithMode(WithDatabase(dsn, making), mode));
    if (made.ok()) {
        made = PostgresAdmin(dsn, "ALTER DATABASE " + making + " RENAME TO " + name);
    }
    if (!made.ok()) {
        static_cast<void>(PostgresAdmin(dsn, "DROP DATABASE IF EXISTS " + making + " WITH (FORCE)"));
        ASSIGN_OR_RETURN(found, server->Query("SELECT count(*) FROM pg_database WHERE datname = $1", named));
        if (sql::RowReader(found.at(0)).Int(0) == 0) {
            return made.error();
        }
    }
    return name;
}

void AddFailure(IntegrityReport& report, const std::string& failure) {
    report.verdict = report.verdict == "ok" ? failure : report.verdict + "; " + failure;
}

Result<IntegrityReport> SqliteIntegrity(sql::SqlConnection& connection) {
    IntegrityReport report{"ok", 0};
    ASSIGN_OR_RETURN(std::vector<sql::SqlRow> relations,
                     connection.Query("SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'index')", {}));
    report.relations_checked = static_cast<int>(sql::RowReader(relations.at(0)).Int(0));
    ASSIGN_OR_RETURN(std::vector<sql::SqlRow> answers, connection.Query("PRAGMA integrity_check", {}));
    for (const sql::SqlRow& row : answers) {
        if (const std::string answer = sql::RowReader(row).Text(0); answer != "ok") {
            AddFailure(report, answer);
        }
    }
    return report;
}

// Every btree index and every table of the public schema, where the migrations put the clinic record, as
// (name, 'i' or 'r').
constexpr std::string_view kCheckedRelations =
    "SELECT c.oid::regclass::text, c.relkind::text FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_am am ON am.oid = c.relam "
    "WHERE n.nspname = 'public' AND (c.relkind = 'r' OR (c.relkind = 'i' AND am.amname = 'btree')) ORDER BY 1";

Result<IntegrityReport> PostgresIntegrity(sql::SqlConnection& connection) {
    RETURN_IF_ERROR(connection.Execute("CREATE EXTENSION IF NOT EXISTS amcheck"));
    IntegrityReport report{"ok", 0};
    ASSIGN_OR_RETURN(std::vector<sql::SqlRow> relations, connection.Query(kCheckedRelations, {}));
    for (const sql::SqlRow& relation : relations) {
        sql::RowReader read(relation);
        const std::vector<sql::SqlValue> name = {read.Text(0)};
        if (read.Text(1) == "i") {
            // amcheck reports damage as an error naming the index and what is wrong with it.
            Result<std::vector<sql::SqlRow>> checked =
                connection.Query("SELECT count(*) FROM (SELECT bt_index_parent_check($1::regclass, true)) AS c", name);
            if (!checked.ok()) {
                AddFailure(report, "index " + read.Text(0) + ": " + checked.error().message);
            }
        } else {
            ASSIGN_OR_RETURN(std::vector<sql::SqlRow> damage,
                             connection.Query("SELECT blkno::text || '/' || coalesce(offnum::text, '-') || ': ' || msg "
                                              "FROM verify_heapam($1::regclass)",
                                              name));
            for (const sql::SqlRow& row : damage) {
                AddFailure(report, "table " + read.Text(0) + " at " + sql::RowReader(row).Text(0));
            }
        }
        ++report.relations_checked;
    }
    return report;
}

}  // namespace

std::string_view BackendName(Backend backend) {
    return backend == Backend::kSqlite ? "sqlite" : "postgres";
}

TestDatabase::TestDatabase(Backend backend, std::string url, std::string cleanup)
    : backend_(backend), url_(std::move(url)), cleanup_(std::move(cleanup)) {}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(Backend backend) {
    return Make(backend, std::nullopt);
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::CreateMigrated(Backend backend, DatabaseMode mode) {
    return Make(backend, mode);
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Make(Backend backend, std::optional<DatabaseMode> migrated) {
    if (backend == Backend::kSqlite) {
        std::filesystem::path template_file;
        if (migrated) {
            ASSIGN_OR_RETURN(template_file, SqliteTemplate(*migrated));
        }
        std::string folder = (std::filesystem::temp_directory_path() / ("kclinic_test_" + UniqueSuffix())).string();
        std::filesystem::create_directories(folder);
        const std::string file = folder + "/kclinic.db";
        if (migrated) {
            std::filesystem::copy_file(template_file, file);
        }
        return std::unique_ptr<TestDatabase>(new TestDatabase(backend, "sqlite:" + file, folder));
    }
    ASSIGN_OR_RETURN(std::string dsn, PostgresServerDsn());
    std::string from_template;
    if (migrated) {
        ASSIGN_OR_RETURN(std::string name, PostgresTemplate(dsn, *migrated));
        from_template = " TEMPLATE " + name;
    }
    const std::string database = "kclinic_test_" + UniqueSuffix();
    RETURN_IF_ERROR(PostgresAdmin(dsn, "CREATE DATABASE " + database + from_template));
    return std::unique_ptr<TestDatabase>(new TestDatabase(backend, WithDatabase(dsn, database), database));
}

TestDatabase::~TestDatabase() {
    if (backend_ == Backend::kSqlite) {
        std::error_code ignored;
        std::filesystem::remove_all(cleanup_, ignored);
        return;
    }
    if (Result<std::string> dsn = PostgresServerDsn(); dsn.ok()) {
        static_cast<void>(PostgresAdmin(*dsn, "DROP DATABASE IF EXISTS " + cleanup_ + " WITH (FORCE)"));
    }
}

Result<IntegrityReport> TestDatabase::IntegrityCheck() const {
    ASSIGN_OR_RETURN(std::unique_ptr<sql::SqlConnection> connection, ConnectDirectly());
    return backend_ == Backend::kSqlite ? SqliteIntegrity(*connection) : PostgresIntegrity(*connection);
}

Result<std::unique_ptr<sql::SqlConnection>> TestDatabase::ConnectDirectly() const {
    if (backend_ == Backend::kSqlite) {
        ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteConnection> connection,
                         sqlite::SqliteConnection::Open(SqlitePath(url_), sqlite::OpenMode::kReadWrite));
        return std::unique_ptr<sql::SqlConnection>(std::move(connection));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<postgres::PgConnection> connection, postgres::PgConnection::Connect(url_));
    return std::unique_ptr<sql::SqlConnection>(std::move(connection));
}

Status TestDatabase::ExecuteDirectly(const std::string& statement) const {
    ASSIGN_OR_RETURN(std::unique_ptr<sql::SqlConnection> connection, ConnectDirectly());
    Status executed = connection->Execute(statement);
    if (!executed.ok()) {
        return Error{ErrorCode::kInternal, "", statement + ": " + executed.error().message};
    }
    return Status::Ok();
}

std::vector<app::AuditEntry> ReadAudit(app::Store& store, std::optional<std::int64_t> patient_id) {
    app::AuditFilter filter;
    filter.patient_id = patient_id;
    filter.limit = app::kMaxPageSize;
    std::vector<app::AuditEntry> entries;
    const Status read = store.Read([&](app::StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(entries, tx.ListAudit(filter));
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.error().ToString();
    return entries;
}

std::vector<std::string> ReadAuditActions(app::Store& store, std::optional<std::int64_t> patient_id) {
    std::vector<std::string> actions;
    for (const app::AuditEntry& entry : ReadAudit(store, patient_id)) {
        actions.push_back(entry.action);
    }
    return actions;
}

Result<std::unique_ptr<TestStore>> OpenTestStore(Backend backend) {
    ASSIGN_OR_RETURN(std::unique_ptr<TestDatabase> database, TestDatabase::CreateMigrated(backend));
    ASSIGN_OR_RETURN(std::unique_ptr<app::Store> store, OpenStore(database->url()));
    return std::make_unique<TestStore>(std::move(database), std::move(store));
}

}  // namespace kclinic::adapters::storage::contract
