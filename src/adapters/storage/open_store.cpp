#include "adapters/storage/open_store.hpp"

#include <utility>

#include "adapters/storage/postgres/pg_event_relay.hpp"
#include "adapters/storage/postgres/postgres_store.hpp"
#include "adapters/storage/sqlite/sqlite_store.hpp"

namespace kclinic::adapters::storage {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

bool IsPostgresUrl(std::string_view url) {
    return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

}  // namespace

std::string SqlitePath(std::string_view url) {
    return url.starts_with(kSqliteScheme) ? std::string(url.substr(kSqliteScheme.size())) : std::string();
}

Result<std::unique_ptr<app::Store>> OpenStore(std::string_view url) {
    ASSIGN_OR_RETURN(OpenedStore opened, OpenStoreWithMode(url, DatabaseMode::kProduction));
    return std::move(opened.store);
}

Result<OpenedStore> OpenStoreWithMode(std::string_view url, DatabaseMode new_database_mode) {
    if (const std::string path = SqlitePath(url); !path.empty()) {
        sqlite::SqliteOptions options;
        options.new_database_mode = new_database_mode;
        ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteStore> store, sqlite::SqliteStore::Open(path, options));
        const DatabaseMode mode = store->Mode();
        return OpenedStore{std::move(store), mode};
    }
    if (IsPostgresUrl(url)) {
        postgres::PostgresOptions options;
        options.new_database_mode = new_database_mode;
        ASSIGN_OR_RETURN(postgres::OpenedPostgresStore opened,
                         postgres::OpenPostgresStoreWithMode(std::string(url), options));
        return OpenedStore{std::move(opened.store), opened.mode};
    }
    return InvalidArgument("--db", "expected sqlite:PATH or postgres://... (got \"" + std::string(url) + "\")");
}

Result<std::unique_ptr<app::EventBus>> OpenEventRelay(std::string_view url, app::EventBus& local,
                                                      EventRelayCounted counted, EventRelayLog log) {
    if (!SqlitePath(url).empty()) {
        return std::unique_ptr<app::EventBus>();
    }
    if (IsPostgresUrl(url)) {
        postgres::PgEventRelayOptions options;
        options.log = std::move(log);
        if (counted) {
            options.counted = [counted = std::move(counted)](postgres::RelayCount count) {
                counted(postgres::RelayCountName(count));
            };
        }
        return std::unique_ptr<app::EventBus>(
            std::make_unique<postgres::PgEventRelay>(std::string(url), local, std::move(options)));
    }
    return InvalidArgument("--db", "expected sqlite:PATH or postgres://... (got \"" + std::string(url) + "\")");
}

Status BackupDatabase(std::string_view url, const std::string& to) {
    if (const std::string path = SqlitePath(url); !path.empty()) {
        return sqlite::BackupSqlite(path, to);
    }
    if (IsPostgresUrl(url)) {
        return Error{ErrorCode::kFailedPrecondition, "--db",
                     "PostgreSQL databases are backed up with pg_dump (see docs/operations.md)"};
    }
    return InvalidArgument("--db", "expected sqlite:PATH or postgres://... (got \"" + std::string(url) + "\")");
}

Status RestoreDatabase(const std::string& from, std::string_view url, bool replace) {
    if (const std::string path = SqlitePath(url); !path.empty()) {
        return sqlite::RestoreSqlite(from, path,
                                     replace ? sqlite::IfTargetExists::kReplace : sqlite::IfTargetExists::kRefuse);
    }
    if (IsPostgresUrl(url)) {
        return Error{ErrorCode::kFailedPrecondition, "--db",
                     "PostgreSQL databases are restored with pg_restore (see docs/operations.md)"};
    }
    return InvalidArgument("--db", "expected sqlite:PATH or postgres://... (got \"" + std::string(url) + "\")");
}

}  // namespace kclinic::adapters::storage
