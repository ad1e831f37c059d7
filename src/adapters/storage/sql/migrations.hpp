#pragma once

// Numbered schema migrations. Each backend keeps its own SQL files (adapters/storage/<backend>/migrations/
// NNNN_name.sql, the same schema in each dialect); CMake embeds them into the binary (cmake/EmbedSql.cmake), so a
// deployed kclinic carries its schema with it.

#include <span>
#include <string_view>

#include "adapters/storage/sql/sql_connection.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage::sql {

struct Migration {
    int version = 0;        // NNNN from the file name; strictly increasing
    std::string_view name;  // the rest of the file name, e.g. "clinic_record"
    std::string_view sql;   // the script
};

// Applies every migration newer than the database's schema version, in order, each in its own transaction that
// also records it in schema_migrations (version, name, applied_at). Returns the schema version reached.
// Errors: kFailedPrecondition when the database is newer than this binary knows (a downgrade); the database's
// error, naming the migration, when a script fails (that migration is rolled back; earlier ones stay applied).
[[nodiscard]] Result<int> ApplyMigrations(SqlConnection& connection, std::span<const Migration> migrations);

// What a database is for, recorded once in migration 0018's database_mode row and never changed: only a test-mode
// database lets `kclinic serve --test-clock` move the clinic's clock (docs/security.md "Test mode").
enum class DatabaseMode { kProduction, kTest };

// Where ApplyMigrations left a database, and its mode.
struct MigratedDatabase {
    int version = 0;
    DatabaseMode mode = DatabaseMode::kProduction;
};

// ApplyMigrations, then the database's mode: recorded now when none is, as `if_new` when the database held no schema
// before this call (a database being created) and as kProduction otherwise (a database created before modes existed,
// or whose creation stopped between its migrations and this record); a recorded mode is never changed. So a
// production database never becomes a test-mode one, whatever `if_new` says. `migrations` must reach 0018.
// Errors: as ApplyMigrations; the database's error when the mode cannot be recorded or read.
[[nodiscard]] Result<MigratedDatabase> MigrateAndRecordMode(SqlConnection& connection,
                                                            std::span<const Migration> migrations, DatabaseMode if_new);

}  // namespace kclinic::adapters::storage::sql
