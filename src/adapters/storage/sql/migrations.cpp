#include "adapters/storage/sql/migrations.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace kclinic::adapters::storage::sql {
namespace {

// The same DDL is valid in SQLite and PostgreSQL.
constexpr std::string_view kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

std::int64_t NowMilliseconds() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Error InMigration(const Migration& migration, Error error) {
    error.message = "migration " + std::to_string(migration.version) + "_" + std::string(migration.name) +
                    " failed: " + error.message;
    return error;
}

// The schema version the database records; 0 for one without a schema (schema_migrations created here if missing).
Result<int> SchemaVersion(SqlConnection& connection) {
    RETURN_IF_ERROR(connection.Execute(kCreateSchemaMigrations));
    ASSIGN_OR_RETURN(std::vector<SqlRow> current, connection.Query("SELECT MAX(version) FROM schema_migrations", {}));
    if (!current.empty() && std::holds_alternative<std::int64_t>(current.front().columns.at(0))) {
        return static_cast<int>(std::get<std::int64_t>(current.front().columns.at(0)));
    }
    return 0;
}

}  // namespace

Result<int> ApplyMigrations(SqlConnection& connection, std::span<const Migration> migrations) {
    ASSIGN_OR_RETURN(int version, SchemaVersion(connection));
    const int newest_known = migrations.empty() ? 0 : migrations.back().version;
    if (version > newest_known) {
        return Error{ErrorCode::kFailedPrecondition, "",
                     "the database schema is at version " + std::to_string(version) + " but this kclinic knows only " +
                         std::to_string(newest_known) + ": use a newer kclinic"};
    }
    for (const Migration& migration : migrations) {
        if (migration.version <= version) {
            continue;
        }
        if (Status begun = connection.Execute("BEGIN"); !begun.ok()) {
            return InMigration(migration, begun.error());
        }
        Status applied = connection.Execute(migration.sql);
        if (applied.ok()) {
            const std::vector<SqlValue> row = {std::int64_t{migration.version}, std::string(migration.name),
                                               NowMilliseconds()};
            applied = StatusOf(
                connection.Query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", row));
        }
        if (applied.ok()) {
            applied = connection.Execute("COMMIT");
        }
        if (!applied.ok()) {
            static_cast<void>(connection.Execute("ROLLBACK"));
            return InMigration(migration, applied.error());
        }
        version = migration.version;
    }
    return version;
}

Result<MigratedDatabase> MigrateAndRecordMode(SqlConnection& connection, std::span<const Migration> migrations,
                                              DatabaseMode if_new) {
    ASSIGN_OR_RETURN(const int before, SchemaVersion(connection));
    ASSIGN_OR_RETURN(const int version, ApplyMigrations(connection, migrations));
    // One statement, so it needs no transaction of its own; the primary key (id = 1) makes a second process that
    // opens the database at the same moment (PostgreSQL) find the first one's record instead of writing its own.
    const bool test_mode = before == 0 && if_new == DatabaseMode::kTest;
    const std::vector<SqlValue> row = {std::int64_t{test_mode ? 1 : 0}, NowMilliseconds()};
    RETURN_IF_ERROR(connection.Query(
        "INSERT INTO database_mode (id, test_mode, recorded_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING", row));
    ASSIGN_OR_RETURN(std::vector<SqlRow> recorded,
                     connection.Query("SELECT test_mode FROM database_mode WHERE id = 1", {}));
    if (recorded.size() != 1 || !std::holds_alternative<std::int64_t>(recorded.front().columns.at(0))) {
        return Error{ErrorCode::kInternal, "", "the database's mode (table database_mode) cannot be read"};
    }
    const bool recorded_test = std::get<std::int64_t>(recorded.front().columns.at(0)) == 1;
    return MigratedDatabase{version, recorded_test ? DatabaseMode::kTest : DatabaseMode::kProduction};
}

}  // namespace kclinic::adapters::storage::sql
