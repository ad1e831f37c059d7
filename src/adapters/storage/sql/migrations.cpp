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

}  // namespace

Result<int> ApplyMigrations(SqlConnection& connection, std::span<const Migration> migrations) {
    RETURN_IF_ERROR(connection.Execute(kCreateSchemaMigrations));
    ASSIGN_OR_RETURN(std::vector<SqlRow> current, connection.Query("SELECT MAX(version) FROM schema_migrations", {}));
    int version = 0;
    if (!current.empty() && std::holds_alternative<std::int64_t>(current.front().columns.at(0))) {
        version = static_cast<int>(std::get<std::int64_t>(current.front().columns.at(0)));
    }
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

}  // namespace kclinic::adapters::storage::sql
