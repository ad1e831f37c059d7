// TestDatabase::IntegrityCheck, which the crash test trusts, can fail. On PostgreSQL the check is amcheck's: here an
// index over a function that claims to be immutable but is not stops agreeing with its table once the function's
// answer changes (as an index does when its collation changes under it, the damage amcheck was written to find),
// and heapallindexed finds the rows the index lacks.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/storage/contract/test_stores.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

class IntegrityTest : public ::testing::TestWithParam<Backend> {};

TEST_P(IntegrityTest, ASoundNewDatabasePassesEveryCheck) {
    Result<std::unique_ptr<TestStore>> opened = OpenTestStore(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    Result<IntegrityReport> integrity = (*opened)->database().IntegrityCheck();
    ASSERT_TRUE(integrity.ok()) << integrity.error().ToString();
    EXPECT_EQ(integrity->verdict, "ok");
    EXPECT_GT(integrity->relations_checked, 20) << "the migrations make more than 20 tables";
}

INSTANTIATE_TEST_SUITE_P(Backends, IntegrityTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

TEST(PostgresIntegrityTest, FindsAnIndexThatNoLongerAgreesWithItsTable) {
    Result<std::unique_ptr<TestStore>> opened = OpenTestStore(Backend::kPostgres);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    const TestDatabase& database = (*opened)->database();
    // Claims to be immutable, but its answer follows the table `shift`.
    const std::string shifted_function =
        "CREATE FUNCTION shifted(value bigint) RETURNS bigint IMMUTABLE LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN value + (SELECT amount FROM shift); END $$";
    const std::vector<std::string> statements = {
        "CREATE TABLE shift (amount bigint NOT NULL)",
        "INSERT INTO shift VALUES (0)",
        shifted_function,
        "CREATE TABLE readings (value bigint NOT NULL)",
        "INSERT INTO readings SELECT generate_series(1, 100)",
        "CREATE INDEX readings_shifted ON readings (shifted(value))",
    };
    for (const std::string& statement : statements) {
        ASSERT_TRUE(database.ExecuteDirectly(statement).ok()) << statement;
    }
    Result<IntegrityReport> sound = database.IntegrityCheck();
    ASSERT_TRUE(sound.ok()) << sound.error().ToString();
    ASSERT_EQ(sound->verdict, "ok") << "the index agrees with its table while the function's answer stands";

    ASSERT_TRUE(database.ExecuteDirectly("UPDATE shift SET amount = 1000").ok());
    Result<IntegrityReport> damaged = database.IntegrityCheck();
    ASSERT_TRUE(damaged.ok()) << damaged.error().ToString();
    EXPECT_NE(damaged->verdict.find("index readings_shifted: "), std::string::npos) << damaged->verdict;
    EXPECT_NE(damaged->verdict.find("lacks matching index tuple"), std::string::npos) << damaged->verdict;
}

}  // namespace
}  // namespace kclinic::adapters::storage::contract
