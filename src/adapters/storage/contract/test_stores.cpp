#include "adapters/storage/contract/test_stores.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
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
#include "adapters/storage/sqlite/sqlite_connection.hpp"
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

}  // namespace

std::string_view BackendName(Backend backend) {
    return backend == Backend::kSqlite ? "sqlite" : "postgres";
}

TestDatabase::TestDatabase(Backend backend, std::string url, std::string cleanup)
    : backend_(backend), url_(std::move(url)), cleanup_(std::move(cleanup)) {}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(Backend backend) {
    if (backend == Backend::kSqlite) {
        std::string folder = (std::filesystem::temp_directory_path() / ("kclinic_test_" + UniqueSuffix())).string();
        std::filesystem::create_directories(folder);
        return std::unique_ptr<TestDatabase>(new TestDatabase(backend, "sqlite:" + folder + "/kclinic.db", folder));
    }
    Result<std::string> dsn = PostgresServerDsn();
    if (!dsn.ok()) {
        return dsn.error();
    }
    const std::string database = "kclinic_test_" + UniqueSuffix();
    if (Status created = PostgresAdmin(*dsn, "CREATE DATABASE " + database); !created.ok()) {
        return created.error();
    }
    return std::unique_ptr<TestDatabase>(new TestDatabase(backend, WithDatabase(*dsn, database), database));
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

Result<std::string> TestDatabase::IntegrityCheck() const {
    if (backend_ == Backend::kPostgres) {
        return std::string("ok");
    }
    sqlite3* db = nullptr;
    const std::string path = SqlitePath(url_);
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::string message = sqlite3_errmsg(db);
        sqlite3_close(db);
        return Error{ErrorCode::kInternal, path, message};
    }
    std::string answer;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK) {
        while (sqlite3_step(statement) == SQLITE_ROW) {
            answer += (answer.empty() ? "" : "; ") +
                      std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
        }
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return answer;
}

Result<std::unique_ptr<sql::SqlConnection>> TestDatabase::ConnectDirectly() const {
    if (backend_ == Backend::kSqlite) {
        Result<std::unique_ptr<sqlite::SqliteConnection>> connection =
            sqlite::SqliteConnection::Open(SqlitePath(url_), sqlite::OpenMode::kReadWrite);
        if (!connection.ok()) {
            return connection.error();
        }
        return std::unique_ptr<sql::SqlConnection>(std::move(connection).value());
    }
    Result<std::unique_ptr<postgres::PgConnection>> connection = postgres::PgConnection::Connect(url_);
    if (!connection.ok()) {
        return connection.error();
    }
    return std::unique_ptr<sql::SqlConnection>(std::move(connection).value());
}

Status TestDatabase::ExecuteDirectly(const std::string& statement) const {
    Result<std::unique_ptr<sql::SqlConnection>> connection = ConnectDirectly();
    if (!connection.ok()) {
        return connection.error();
    }
    Status executed = (*connection)->Execute(statement);
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
        Result<std::vector<app::AuditEntry>> listed = tx.ListAudit(filter);
        if (!listed.ok()) {
            return listed.error();
        }
        entries = std::move(listed).value();
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
    Result<std::unique_ptr<TestDatabase>> database = TestDatabase::Create(backend);
    if (!database.ok()) {
        return database.error();
    }
    Result<std::unique_ptr<app::Store>> store = OpenStore((*database)->url());
    if (!store.ok()) {
        return store.error();
    }
    return std::make_unique<TestStore>(std::move(database).value(), std::move(store).value());
}

}  // namespace kclinic::adapters::storage::contract
