#pragma once

// Test-only: the _pgtest suites' access to the throw-away server that scripts/pg-test-server starts, and a fresh
// database per test so the cases are independent of each other and of their order.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "adapters/storage/postgres/pg_connection.hpp"

namespace kclinic::adapters::storage::postgres::pgtest {

// The server's DSN: $KCLINIC_TEST_PG_DSN when set (a server of your own), else the first line of the file named
// by $KCLINIC_TEST_PG_DSN_FILE (CTest sets it; the postgres_server fixture writes the file). Empty, with the reason
// in `why_not`, when neither is there: the suites fail then rather than skip, so a missing server is never
// mistaken for a pass.
inline std::string ServerDsn(std::string& why_not) {
    if (const char* dsn = std::getenv("KCLINIC_TEST_PG_DSN"); dsn != nullptr && *dsn != '\0') {
        return dsn;
    }
    const char* file = std::getenv("KCLINIC_TEST_PG_DSN_FILE");
    if (file == nullptr || *file == '\0') {
        why_not =
            "neither KCLINIC_TEST_PG_DSN nor KCLINIC_TEST_PG_DSN_FILE is set; run the tests with ctest, whose "
            "postgres_server fixture starts a server (scripts/pg-test-server)";
        return {};
    }
    std::ifstream in(file);
    std::string dsn;
    if (!in || !std::getline(in, dsn) || dsn.empty()) {
        why_not = std::string("no DSN in ") + file + "; did postgres.server_start (scripts/pg-test-server) run?";
        return {};
    }
    return dsn;
}

// `dsn` pointing at `database` instead: the URI's path replaced, or a later dbname= appended (the last wins).
inline std::string WithDatabase(const std::string& dsn, const std::string& database) {
    for (const std::string scheme : {"postgresql://", "postgres://"}) {
        if (dsn.rfind(scheme, 0) != 0) {
            continue;
        }
        const std::size_t query = dsn.find('?', scheme.size());
        const std::size_t path = dsn.find('/', scheme.size());
        const std::size_t authority_end = path != std::string::npos && path < query ? path : query;
        return dsn.substr(0, authority_end) + "/" + database +
               (query == std::string::npos ? std::string() : dsn.substr(query));
    }
    return dsn + " dbname=" + database;
}

inline std::int64_t AsInt(const sql::SqlValue& value) {
    const auto* integer = std::get_if<std::int64_t>(&value);
    return integer != nullptr ? *integer : -1;
}

// Gives each test its own database, created in SetUp and dropped (with any sessions still on it) in TearDown.
class PgTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why_not;
        server_dsn_ = ServerDsn(why_not);
        ASSERT_FALSE(server_dsn_.empty()) << why_not;
        Result<std::unique_ptr<PgConnection>> admin = PgConnection::Connect(server_dsn_);
        ASSERT_TRUE(admin.ok()) << admin.error().ToString();
        admin_ = std::move(admin).value();
        static std::atomic<int> counter{0};
        const std::string name = "kclinic_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
        const Status created = admin_->Execute("CREATE DATABASE " + name);
        ASSERT_TRUE(created.ok()) << created.error().ToString();
        database_ = name;
        dsn_ = WithDatabase(server_dsn_, database_);
    }

    void TearDown() override {
        if (admin_ != nullptr && !database_.empty()) {
            const Status dropped = admin_->Execute("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
            EXPECT_TRUE(dropped.ok()) << dropped.error().ToString();
        }
    }

    // A new session on this test's database; fails the test when it cannot connect.
    std::unique_ptr<PgConnection> Connect() {
        Result<std::unique_ptr<PgConnection>> connection = PgConnection::Connect(dsn_);
        EXPECT_TRUE(connection.ok()) << connection.error().ToString();
        return connection.ok() ? std::move(connection).value() : nullptr;
    }

    // The rows of `sql` run through the admin session (on the server's own database, never this test's).
    std::vector<sql::SqlRow> Admin(const std::string& sql, const std::vector<sql::SqlValue>& params = {}) {
        Result<std::vector<sql::SqlRow>> rows = admin_->Query(sql, params);
        EXPECT_TRUE(rows.ok()) << sql << ": " << rows.error().ToString();
        return rows.ok() ? std::move(rows).value() : std::vector<sql::SqlRow>{};
    }

    // Sessions open on this test's database, as the server counts them.
    std::int64_t SessionCount() {
        const std::vector<sql::SqlRow> rows =
            Admin("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", {database_});
        return rows.empty() ? -1 : AsInt(rows[0].columns.at(0));
    }

    // Ends every session on this test's database as an administrator's pg_terminate_backend does, and waits (up to
    // 5 s each) until they are gone. Returns how many there were.
    std::int64_t TerminateSessions() {
        const std::vector<sql::SqlRow> rows = Admin(
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = $1", {database_});
        return rows.empty() ? -1 : AsInt(rows[0].columns.at(0));
    }

    std::string server_dsn_;
    std::string database_;
    std::string dsn_;  // this test's database
    std::unique_ptr<PgConnection> admin_;
};

}  // namespace kclinic::adapters::storage::postgres::pgtest
