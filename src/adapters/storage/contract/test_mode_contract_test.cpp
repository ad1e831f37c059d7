// The storage contract for test mode (migration 0018; docs/security.md "Test mode") on a real SQLite file and a real
// PostgreSQL server: a database is in test mode only when it was created so, its mode never changes afterwards
// (whatever a later open asks, and whatever SQL its owner runs), a database from before modes existed is a
// production one, and the test clock's moves are audited, a refused one writing nothing and moving nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "adapters/clock/test_clock.hpp"
#include "adapters/storage/contract/test_stores.hpp"
#include "adapters/storage/open_store.hpp"
#include "adapters/storage/postgres/pg_connection.hpp"
#include "adapters/storage/postgres/postgres_store.hpp"
#include "adapters/storage/sql/migrations.hpp"
#include "adapters/storage/sqlite/sqlite_connection.hpp"
#include "adapters/storage/sqlite/sqlite_store.hpp"
#include "app/test_clock_moves.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using std::chrono::minutes;

class TestModeContractTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        Result<std::unique_ptr<TestDatabase>> created = TestDatabase::Create(GetParam());
        ASSERT_TRUE(created.ok()) << created.error().ToString();
        database_ = std::move(created).value();
    }

    // Opens the store as `kclinic serve` does, asking for `if_new` should the database be new: the mode it has.
    DatabaseMode OpenAsking(DatabaseMode if_new) {
        Result<OpenedStore> opened = OpenStoreWithMode(database_->url(), if_new);
        EXPECT_TRUE(opened.ok()) << opened.error().ToString();
        return opened.ok() ? opened->mode : DatabaseMode::kProduction;
    }

    // The database as a kclinic from before migration 0018 left it: the schema of every earlier migration.
    void CreateBeforeModes() {
        std::unique_ptr<sql::SqlConnection> connection;
        if (GetParam() == Backend::kSqlite) {
            Result<std::unique_ptr<sqlite::SqliteConnection>> opened =
                sqlite::SqliteConnection::Open(SqlitePath(database_->url()), sqlite::OpenMode::kReadWriteCreate);
            ASSERT_TRUE(opened.ok()) << opened.error().ToString();
            connection = std::move(opened).value();
        } else {
            Result<std::unique_ptr<postgres::PgConnection>> opened = postgres::PgConnection::Connect(database_->url());
            ASSERT_TRUE(opened.ok()) << opened.error().ToString();
            connection = std::move(opened).value();
        }
        const std::span<const sql::Migration> all =
            GetParam() == Backend::kSqlite ? sqlite::SqliteMigrations() : postgres::PostgresMigrations();
        ASSERT_EQ(all.back().version, 18) << "this test knows the migrations up to 0018";
        Result<int> applied = sql::ApplyMigrations(*connection, all.first(all.size() - 1));
        ASSERT_TRUE(applied.ok()) << applied.error().ToString();
        ASSERT_EQ(*applied, 17);
    }

    std::unique_ptr<TestDatabase> database_;
};

TEST_P(TestModeContractTest, ANewDatabaseIsCreatedInTheModeAskedAndKeepsIt) {
    EXPECT_EQ(OpenAsking(DatabaseMode::kTest), DatabaseMode::kTest);
    // Reopened as any kclinic command opens it: still a test-mode database.
    EXPECT_EQ(OpenAsking(DatabaseMode::kProduction), DatabaseMode::kTest);
    EXPECT_EQ(OpenAsking(DatabaseMode::kTest), DatabaseMode::kTest);
}

TEST_P(TestModeContractTest, AProductionDatabaseNeverBecomesATestModeOne) {
    EXPECT_EQ(OpenAsking(DatabaseMode::kProduction), DatabaseMode::kProduction);
    EXPECT_EQ(OpenAsking(DatabaseMode::kTest), DatabaseMode::kProduction);
    // Not even with SQL run past kclinic: the row can be neither changed, deleted nor added again.
    const std::vector<std::string> refused = {
        "UPDATE database_mode SET test_mode = 1",
        "DELETE FROM database_mode",
        "INSERT INTO database_mode (id, test_mode, recorded_at) VALUES (1, 1, 0)",
        "INSERT INTO database_mode (id, test_mode, recorded_at) VALUES (2, 1, 0)",
    };
    for (const std::string& statement : refused) {
        EXPECT_FALSE(database_->ExecuteDirectly(statement).ok()) << statement;
    }
    if (GetParam() == Backend::kPostgres) {
        EXPECT_FALSE(database_->ExecuteDirectly("TRUNCATE database_mode").ok());
    }
    EXPECT_EQ(OpenAsking(DatabaseMode::kTest), DatabaseMode::kProduction);
}

TEST_P(TestModeContractTest, ATestModeDatabaseCannotBeTurnedIntoAProductionOneBySql) {
    ASSERT_EQ(OpenAsking(DatabaseMode::kTest), DatabaseMode::kTest);
    EXPECT_FALSE(database_->ExecuteDirectly("UPDATE database_mode SET test_mode = 0").ok());
    EXPECT_FALSE(database_->ExecuteDirectly("DELETE FROM database_mode").ok());
    EXPECT_EQ(OpenAsking(DatabaseMode::kProduction), DatabaseMode::kTest);
}

// A clinic's database from before migration 0018 holds a schema: it is a production one, whatever is asked.
TEST_P(TestModeContractTest, ADatabaseFromBeforeModesIsAProductionOne) {
    CreateBeforeModes();
    EXPECT_EQ(OpenAsking(DatabaseMode::kTest), DatabaseMode::kProduction);
    EXPECT_EQ(OpenAsking(DatabaseMode::kTest), DatabaseMode::kProduction);
}

TEST_P(TestModeContractTest, EveryMoveOfTheTestClockIsAuditedAndARefusedOneWritesNothing) {
    Result<OpenedStore> opened = OpenStoreWithMode(database_->url(), DatabaseMode::kTest);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    app::Store& store = *opened->store;
    TestClock clock;
    app::TestClockMoves moves(store, clock);
    const app::Actor admin{"admin@clinic.example", "10.0.0.1"};

    const app::TimePoint start = clock.Now();
    Result<app::TimePoint> advanced = moves.Advance(admin, minutes{120});
    ASSERT_TRUE(advanced.ok()) << advanced.error().ToString();
    EXPECT_GE(*advanced, start + minutes{120});
    EXPECT_GE(clock.Now(), start + minutes{120});
    const app::TimePoint target = *advanced + std::chrono::hours{24};
    Result<app::TimePoint> set = moves.MoveTo(admin, target);
    ASSERT_TRUE(set.ok()) << set.error().ToString();
    EXPECT_EQ(*set, target);

    const std::vector<app::AuditEntry> entries = ReadAudit(store);
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].action, "test_clock.move");
    EXPECT_EQ(entries[0].actor, "admin@clinic.example");
    EXPECT_EQ(entries[0].origin, "10.0.0.1");
    EXPECT_GE(entries[0].at, start);
    EXPECT_LT(entries[0].at, start + minutes{1}) << "entered at the time the move started from";
    EXPECT_TRUE(entries[0].detail.starts_with("from=")) << entries[0].detail;
    EXPECT_NE(entries[0].detail.find("Z to="), std::string::npos) << entries[0].detail;
    EXPECT_EQ(entries[1].action, "test_clock.move");
    EXPECT_GE(entries[1].at, *advanced) << "the second move started where the first one ended";

    // Refusals: back in time, zero or too many minutes, too far ahead. Nothing written, nothing moved.
    const app::TimePoint before_refusals = clock.Now();
    Result<app::TimePoint> back = moves.MoveTo(admin, before_refusals - minutes{5});
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(back.error().field, "set");
    Result<app::TimePoint> none = moves.Advance(admin, minutes{0});
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, ErrorCode::kOutOfRange);
    EXPECT_EQ(none.error().field, "advance_minutes");
    EXPECT_FALSE(moves.Advance(admin, app::kMaxTestClockMove + minutes{1}).ok());
    Result<app::TimePoint> far = moves.MoveTo(admin, before_refusals + app::kMaxTestClockMove + minutes{5});
    ASSERT_FALSE(far.ok());
    EXPECT_EQ(far.error().code, ErrorCode::kOutOfRange);
    EXPECT_EQ(ReadAudit(store).size(), 2U);
    EXPECT_LT(clock.Now(), before_refusals + minutes{1});
}

INSTANTIATE_TEST_SUITE_P(Backends, TestModeContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
