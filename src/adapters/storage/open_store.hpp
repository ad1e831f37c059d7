#pragma once

// Opens the Store a database URL names: `sqlite:PATH` (the embedded default; PATH is a file, created if needed)
// or `postgres://...` / `postgresql://...` (a libpq connection URL). Migrations are applied on open. The CLI, the
// composition root, passes its --db / KCLINIC_DB value here; nothing else chooses a backend.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/storage/sql/migrations.hpp"
#include "app/ports/event_bus.hpp"
#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage {

inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite:kclinic.db";

// Errors: kInvalidArgument "--db" for a URL of neither form; the adapter's error when opening or migrating fails
// (kUnavailable when a PostgreSQL server cannot be reached).
[[nodiscard]] Result<std::unique_ptr<app::Store>> OpenStore(std::string_view url);

using sql::DatabaseMode;

// A store just opened, and its database's mode (sql::DatabaseMode) as recorded when the database was created.
struct OpenedStore {
    std::unique_ptr<app::Store> store;
    DatabaseMode mode = DatabaseMode::kProduction;
};

// OpenStore, creating a database that holds no schema yet (a new SQLite file, an empty PostgreSQL database) in
// `new_database_mode`; an existing database keeps the mode it was created in, so only a database created in test
// mode answers kTest (`kclinic serve --test-clock`, docs/security.md "Test mode"). Errors as OpenStore.
[[nodiscard]] Result<OpenedStore> OpenStoreWithMode(std::string_view url, DatabaseMode new_database_mode);

// An online, consistent copy of the SQLite database `url` names into the new file `to` (never overwritten); the
// server may keep running. PostgreSQL: kFailedPrecondition pointing to pg_dump (docs/operations.md).
[[nodiscard]] Status BackupDatabase(std::string_view url, const std::string& to);

// Restores the SQLite backup `from` into the database `url` names, after checking the backup's integrity and
// schema. An existing database is replaced only when `replace` is set. No kclinic process may be using the target.
// PostgreSQL: kFailedPrecondition pointing to pg_restore.
[[nodiscard]] Status RestoreDatabase(const std::string& from, std::string_view url, bool replace);

// How an event relay reports each thing it counts, by name: "sent", "received", "dropped", "too_large",
// "malformed", "reconnect" (postgres/pg_event_relay.hpp says what each means). Called from the relay's threads.
using EventRelayCounted = std::function<void(std::string_view what)>;
// Receives the relay's lines for an operator (a connection lost or back, an event too large); empty: stderr.
using EventRelayLog = std::function<void(std::string_view line)>;

// The bus a server process publishes live events on, around its own `local` bus. For a PostgreSQL `url`: a relay
// (postgres::PgEventRelay) that hands each event to `local` and to every other server process on the database
// (LISTEN/NOTIFY), and theirs to `local`; it connects on its own threads, never failing here, and `local` must
// outlive it. For a `sqlite:` URL: null, since one process serves a SQLite file and `local` is all there is to
// reach. Error kInvalidArgument "--db" for a URL of neither form.
[[nodiscard]] Result<std::unique_ptr<app::EventBus>> OpenEventRelay(std::string_view url, app::EventBus& local,
                                                                    EventRelayCounted counted = {},
                                                                    EventRelayLog log = {});

// The SQLite file a `sqlite:PATH` URL names, or empty for any other URL.
[[nodiscard]] std::string SqlitePath(std::string_view url);

}  // namespace kclinic::adapters::storage
