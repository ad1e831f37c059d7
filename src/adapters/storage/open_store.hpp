#pragma once

// Opens the Store a database URL names: `sqlite:PATH` (the embedded default; PATH is a file, created if needed)
// or `postgres://...` / `postgresql://...` (a libpq connection URL). Migrations are applied on open. The CLI, the
// composition root, passes its --db / KCLINIC_DB value here; nothing else chooses a backend.

#include <memory>
#include <string>
#include <string_view>

#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage {

inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite:kclinic.db";

// Errors: kInvalidArgument "--db" for a URL of neither form; the adapter's error when opening or migrating fails
// (kUnavailable when a PostgreSQL server cannot be reached).
[[nodiscard]] Result<std::unique_ptr<app::Store>> OpenStore(std::string_view url);

// An online, consistent copy of the SQLite database `url` names into the new file `to` (never overwritten); the
// server may keep running. PostgreSQL: kFailedPrecondition pointing to pg_dump (docs/operations.md).
[[nodiscard]] Status BackupDatabase(std::string_view url, const std::string& to);

// Restores the SQLite backup `from` into the database `url` names, after checking the backup's integrity and
// schema. An existing database is replaced only when `replace` is set. No kclinic process may be using the target.
// PostgreSQL: kFailedPrecondition pointing to pg_restore.
[[nodiscard]] Status RestoreDatabase(const std::string& from, std::string_view url, bool replace);

// The SQLite file a `sqlite:PATH` URL names, or empty for any other URL.
[[nodiscard]] std::string SqlitePath(std::string_view url);

}  // namespace kclinic::adapters::storage
