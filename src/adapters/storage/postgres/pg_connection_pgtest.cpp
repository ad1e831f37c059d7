#include "adapters/storage/postgres/pg_connection.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "adapters/storage/postgres/pg_test_support.hpp"

namespace kclinic::adapters::storage::postgres {
namespace {

using pgtest::AsInt;
using sql::SqlRow;
using sql::SqlValue;

class PgConnectionTest : public pgtest::PgTest {};

// Bit-exact for doubles (so -0.0 differs from 0.0), NaN equal to NaN.
::testing::AssertionResult SameValue(const SqlValue& expected, const SqlValue& actual) {
    if (expected.index() != actual.index()) {
        return ::testing::AssertionFailure() << "variant index " << actual.index() << ", expected " << expected.index();
    }
    if (const auto* real = std::get_if<double>(&expected)) {
        const double got = std::get<double>(actual);
        if (std::isnan(*real) ? std::isnan(got)
                              : std::bit_cast<std::uint64_t>(*real) == std::bit_cast<std::uint64_t>(got)) {
            return ::testing::AssertionSuccess();
        }
        return ::testing::AssertionFailure() << "got " << got << ", expected " << *real;
    }
    if (expected == actual) {
        return ::testing::AssertionSuccess();
    }
    if (const auto* integer = std::get_if<std::int64_t>(&expected)) {
        return ::testing::AssertionFailure() << "got " << std::get<std::int64_t>(actual) << ", expected " << *integer;
    }
    if (const auto* text = std::get_if<std::string>(&expected)) {
        return ::testing::AssertionFailure()
               << "got \"" << std::get<std::string>(actual) << "\", expected \"" << *text << "\"";
    }
    return ::testing::AssertionFailure() << "values differ";
}

std::vector<SqlRow> Rows(PgConnection& connection, const std::string& sql, const std::vector<SqlValue>& params = {}) {
    Result<std::vector<SqlRow>> rows = connection.Query(sql, params);
    EXPECT_TRUE(rows.ok()) << sql << ": " << rows.error().ToString();
    return rows.ok() ? std::move(rows).value() : std::vector<SqlRow>{};
}

TEST_F(PgConnectionTest, ParametersRoundTripExactlyThroughATable) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    ASSERT_TRUE(connection->Execute("CREATE TABLE t (i BIGINT, d DOUBLE PRECISION, s TEXT)").ok());
    const std::vector<SqlValue> values = {
        std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::max(),
        std::int64_t{0},
        std::int64_t{-1},
        0.1,
        1.0 / 3.0,
        -0.0,
        123456789.12345679,
        std::numeric_limits<double>::max(),
        std::numeric_limits<double>::lowest(),
        std::numeric_limits<double>::min(),
        std::numeric_limits<double>::denorm_min(),
        std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN(),
        std::string(),
        std::string("O'Brien; DROP TABLE t; --"),
        std::string(R"(say "hi" \ back\slash $1 %s)"),
        std::string("Zoë Ñúñez — 日本語 ✓ 🙂"),
        std::string("line one\nline two\ttabbed"),
    };
    for (const SqlValue& value : values) {
        SCOPED_TRACE("variant index " + std::to_string(value.index()));
        std::vector<SqlValue> row = {std::monostate{}, std::monostate{}, std::monostate{}};
        const std::size_t column = std::holds_alternative<std::int64_t>(value) ? 0
                                   : std::holds_alternative<double>(value)     ? 1
                                                                               : 2;
        row[column] = value;
        const std::vector<SqlRow> inserted =
            Rows(*connection, "INSERT INTO t VALUES ($1, $2, $3) RETURNING i, d, s", row);
        ASSERT_EQ(inserted.size(), 1U);
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_TRUE(SameValue(row[i], inserted[0].columns.at(i))) << "column " << i;
        }
    }
    // Read back in a separate statement too: the values were stored, not only echoed.
    const std::vector<SqlRow> stored =
        Rows(*connection, "SELECT count(*) FROM t WHERE i = $1 OR d = $2 OR s = $3",
             {std::numeric_limits<std::int64_t>::min(), 0.1, std::string("Zoë Ñúñez — 日本語 ✓ 🙂")});
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(AsInt(stored[0].columns.at(0)), 3);
}

TEST_F(PgConnectionTest, UntypedParametersKeepTheirTypes) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    const std::vector<SqlValue> params = {std::int64_t{-9'007'199'254'740'993}, 2.5e-308, std::string("text"),
                                          std::monostate{}};
    const std::vector<SqlRow> rows = Rows(*connection, "SELECT $1, $2, $3, $4", params);
    ASSERT_EQ(rows.size(), 1U);
    ASSERT_EQ(rows[0].columns.size(), params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        EXPECT_TRUE(SameValue(params[i], rows[0].columns[i])) << "$" << i + 1;
    }
}

TEST_F(PgConnectionTest, ColumnsAreTypedByTheirTypeOid) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    struct Case {
        std::string expression;
        SqlValue expected;
    };
    const std::vector<Case> cases = {
        {"7::int2", std::int64_t{7}},
        {"(-2147483648)::int4", std::int64_t{-2147483648}},
        {"9223372036854775807::int8", std::numeric_limits<std::int64_t>::max()},
        {"0.1::float4", static_cast<double>(0.1F)},
        {"0.1::float8", 0.1},
        {"'-Infinity'::float8", -std::numeric_limits<double>::infinity()},
        {"'NaN'::float8", std::numeric_limits<double>::quiet_NaN()},
        {"12.375::numeric", 12.375},
        {"'1e400'::numeric", std::numeric_limits<double>::infinity()},
        {"'NaN'::numeric", std::numeric_limits<double>::quiet_NaN()},
        {"true", std::int64_t{1}},
        {"false", std::int64_t{0}},
        {"NULL::int8", std::monostate{}},
        {"NULL::text", std::monostate{}},
        {"'plain'::text", std::string("plain")},
        {"'x'::varchar(3)", std::string("x")},
        {"DATE '2024-02-29'", std::string("2024-02-29")},
        {"'{1,2}'::int4[]", std::string("{1,2}")},
    };
    for (const Case& c : cases) {
        const std::vector<SqlRow> rows = Rows(*connection, "SELECT " + c.expression);
        ASSERT_EQ(rows.size(), 1U) << c.expression;
        EXPECT_TRUE(SameValue(c.expected, rows[0].columns.at(0))) << c.expression;
    }
}

TEST_F(PgConnectionTest, UniqueViolationIsConflictNamingTheConstraint) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    ASSERT_TRUE(connection->Execute("CREATE TABLE p (mrn TEXT CONSTRAINT p_mrn_unique UNIQUE)").ok());
    const std::vector<SqlValue> mrn = {std::string("MRN-SECRET-1")};
    ASSERT_TRUE(connection->Query("INSERT INTO p VALUES ($1)", mrn).ok());
    Result<std::vector<SqlRow>> again = connection->Query("INSERT INTO p VALUES ($1)", mrn);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_NE(again.error().message.find("p_mrn_unique"), std::string::npos) << again.error().message;
    // The server's DETAIL repeats the key; it must not reach messages and logs.
    EXPECT_EQ(again.error().message.find("MRN-SECRET-1"), std::string::npos) << again.error().message;
}

TEST_F(PgConnectionTest, ForeignKeyViolationIsConflictNamingTheConstraint) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    ASSERT_TRUE(connection
                    ->Execute("CREATE TABLE parent (id BIGINT PRIMARY KEY);"
                              "CREATE TABLE child (parent_id BIGINT CONSTRAINT child_parent_fk REFERENCES parent (id))")
                    .ok());
    Result<std::vector<SqlRow>> orphan =
        connection->Query("INSERT INTO child VALUES ($1)", std::vector<SqlValue>{std::int64_t{42}});
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.error().code, ErrorCode::kConflict);
    EXPECT_NE(orphan.error().message.find("child_parent_fk"), std::string::npos) << orphan.error().message;
}

TEST_F(PgConnectionTest, OtherErrorsAreInternalWithTheServerMessage) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    Result<std::vector<SqlRow>> missing = connection->Query("SELECT * FROM no_such_table", {});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kInternal);
    EXPECT_NE(missing.error().message.find("relation \"no_such_table\" does not exist"), std::string::npos)
        << missing.error().message;
    EXPECT_NE(missing.error().message.find("42P01"), std::string::npos) << missing.error().message;

    const Status syntax = connection->Execute("SELEC 1");
    ASSERT_FALSE(syntax.ok());
    EXPECT_EQ(syntax.error().code, ErrorCode::kInternal);
    EXPECT_NE(syntax.error().message.find("syntax error"), std::string::npos) << syntax.error().message;
}

TEST_F(PgConnectionTest, TextWithNulIsRefusedBeforeReachingTheServer) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    Result<std::vector<SqlRow>> rows = connection->Query("SELECT $1", std::vector<SqlValue>{std::string("a\0b", 3)});
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(rows.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(rows.error().field, "$1");
}

TEST_F(PgConnectionTest, ExecuteRunsAMultiStatementScript) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    const Status script = connection->Execute(
        "CREATE TABLE s (n BIGINT); INSERT INTO s VALUES (1); INSERT INTO s VALUES (2);\n"
        "CREATE FUNCTION twice(x BIGINT) RETURNS BIGINT LANGUAGE sql AS $$ SELECT x * 2 $$;");
    ASSERT_TRUE(script.ok()) << script.error().ToString();
    const std::vector<SqlRow> rows = Rows(*connection, "SELECT sum(twice(n))::int8 FROM s");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(AsInt(rows[0].columns.at(0)), 6);

    // Without BEGIN the server runs a script as one transaction: a failure keeps none of it.
    const Status failed = connection->Execute("INSERT INTO s VALUES (3); INSERT INTO missing VALUES (4)");
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(AsInt(Rows(*connection, "SELECT count(*) FROM s").at(0).columns.at(0)), 2);
}

TEST_F(PgConnectionTest, AFailedStatementAbortsTheTransactionAndIsRemembered) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    EXPECT_FALSE(connection->InTransaction());
    ASSERT_TRUE(connection->Execute("CREATE TABLE u (k TEXT PRIMARY KEY); BEGIN").ok());
    EXPECT_TRUE(connection->InTransaction());
    const std::vector<SqlValue> key = {std::string("k")};
    ASSERT_TRUE(connection->Query("INSERT INTO u VALUES ($1)", key).ok());
    EXPECT_FALSE(connection->Query("INSERT INTO u VALUES ($1)", key).ok());
    EXPECT_TRUE(connection->TransactionFailed());
    Result<std::vector<SqlRow>> refused = connection->Query("SELECT 1", {});
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("25P02"), std::string::npos) << refused.error().message;
    ASSERT_TRUE(connection->first_error().has_value());
    EXPECT_EQ(connection->first_error()->code, ErrorCode::kConflict);
    ASSERT_TRUE(connection->Execute("ROLLBACK").ok());
    EXPECT_FALSE(connection->InTransaction());
    EXPECT_TRUE(connection->Healthy());
    connection->ClearFirstError();
    EXPECT_FALSE(connection->first_error().has_value());
}

TEST_F(PgConnectionTest, EverySessionCommitsSynchronouslyWhateverTheDatabaseSays) {
    ASSERT_TRUE(admin_->Execute("ALTER DATABASE " + database_ + " SET synchronous_commit = off").ok());
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    const std::vector<SqlRow> rows =
        Rows(*connection,
             "SELECT current_setting('synchronous_commit'), current_setting('client_encoding'), "
             "current_setting('application_name')");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_TRUE(SameValue(std::string("on"), rows[0].columns.at(0)));
    EXPECT_TRUE(SameValue(std::string("UTF8"), rows[0].columns.at(1)));
    EXPECT_TRUE(SameValue(std::string("kclinic"), rows[0].columns.at(2)));
}

TEST_F(PgConnectionTest, ATerminatedSessionIsUnavailableAndUnhealthy) {
    std::unique_ptr<PgConnection> connection = Connect();
    ASSERT_NE(connection, nullptr);
    ASSERT_TRUE(connection->Query("SELECT 1", {}).ok());
    EXPECT_EQ(TerminateSessions(), 1);
    Result<std::vector<SqlRow>> rows = connection->Query("SELECT 1", {});
    ASSERT_FALSE(rows.ok());
    EXPECT_EQ(rows.error().code, ErrorCode::kUnavailable) << rows.error().ToString();
    EXPECT_FALSE(connection->Healthy());
    const Status script = connection->Execute("SELECT 1");
    ASSERT_FALSE(script.ok());
    EXPECT_EQ(script.error().code, ErrorCode::kUnavailable) << script.error().ToString();
}

TEST_F(PgConnectionTest, DsnMayBeKeyValueText) {
    // Built from the URI the fixture wrote: same server, libpq's other syntax.
    const std::vector<SqlRow> where = Rows(*admin_, "SELECT current_user::text, inet_server_port()");
    ASSERT_EQ(where.size(), 1U);
    const std::string dsn = "host=127.0.0.1 port=" + std::to_string(AsInt(where[0].columns.at(1))) +
                            " user=" + std::get<std::string>(where[0].columns.at(0)) + " dbname=" + database_;
    Result<std::unique_ptr<PgConnection>> connection = PgConnection::Connect(dsn);
    ASSERT_TRUE(connection.ok()) << connection.error().ToString();
    const std::vector<SqlRow> rows = Rows(**connection, "SELECT current_database()::text");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_TRUE(SameValue(database_, rows[0].columns.at(0)));
}

TEST(PgConnectionConnectTest, AMalformedDsnIsInvalidArgument) {
    for (const std::string dsn :
         {"host=127.0.0.1 dbname", "dbname='unterminated", "postgresql://h/db?no_such_option=1"}) {
        Result<std::unique_ptr<PgConnection>> connection = PgConnection::Connect(dsn);
        ASSERT_FALSE(connection.ok()) << dsn;
        EXPECT_EQ(connection.error().code, ErrorCode::kInvalidArgument) << dsn << ": " << connection.error().ToString();
        EXPECT_EQ(connection.error().field, "db") << dsn;
    }
}

TEST(PgConnectionConnectTest, AnUnreachableServerIsUnavailableAndThePasswordStaysOut) {
    // Port 1 on loopback: nothing listens there, so the refusal is immediate.
    Result<std::unique_ptr<PgConnection>> connection =
        PgConnection::Connect("postgresql://someone:hunter2secret@127.0.0.1:1/db");
    ASSERT_FALSE(connection.ok());
    EXPECT_EQ(connection.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(connection.error().message.find("hunter2secret"), std::string::npos) << connection.error().message;
    EXPECT_EQ(connection.error().message.find('\n'), std::string::npos) << connection.error().message;
}

}  // namespace
}  // namespace kclinic::adapters::storage::postgres
