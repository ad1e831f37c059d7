#include "adapters/storage/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <cctype>
#include <charconv>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace kclinic::adapters::storage::sqlite {
namespace {

// Above this many distinct statements the cache stops growing: the clinic record's statements are a fixed set from
// the code, so reaching it means something builds SQL text dynamically, and those statements are better prepared
// once and dropped than kept forever.
constexpr std::size_t kMaxCachedStatements = 512;

// Short enough for one log line, long enough to recognise the statement.
std::string Excerpt(std::string_view sql) {
    constexpr std::size_t kMax = 80;
    std::string out;
    for (char c : sql.substr(0, kMax)) {
        out.push_back(std::isspace(static_cast<unsigned char>(c)) != 0 ? ' ' : c);
    }
    if (sql.size() > kMax) {
        out += "...";
    }
    return out;
}

Error MapError(int extended_code, std::string_view message, std::string_view context) {
    switch (extended_code) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: {
            // SQLite words it "UNIQUE constraint failed: patients.mrn"; the columns are what a caller can act on.
            constexpr std::string_view kPrefix = "constraint failed: ";
            const auto at = message.find(kPrefix);
            const std::string columns =
                at == std::string_view::npos ? std::string(message) : std::string(message.substr(at + kPrefix.size()));
            return Error{ErrorCode::kConflict, {}, columns + " already exists"};
        }
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            // SQLite does not say which foreign key failed.
            return Error{
                ErrorCode::kConflict, {}, "a referenced record does not exist (FOREIGN KEY constraint failed)"};
        default:
            break;
    }
    std::string text = "SQLite: " + std::string(message);
    if (!context.empty()) {
        text += " (in: " + std::string(context) + ")";
    }
    switch (extended_code & 0xff) {
        // Worth retrying once an operator has acted (disk space, permissions, the other process).
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_BUSY:
        case SQLITE_NOMEM:
            return Error{ErrorCode::kUnavailable, {}, std::move(text)};
        default:
            return Error{ErrorCode::kInternal, {}, std::move(text)};
    }
}

// "$12" -> 12; 0 for anything else ("?", ":name", "$0", "$01").
int ParameterNumber(const char* name) {
    if (name == nullptr || name[0] != '$' || name[1] < '1' || name[1] > '9') {
        return 0;
    }
    const std::string_view digits(name + 1);
    int number = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
        return 0;
    }
    return number;
}

bool IsBlank(std::string_view text) {
    // A trailing comment after the one statement is harmless; anything else is a second statement.
    while (!text.empty()) {
        if (std::isspace(static_cast<unsigned char>(text.front())) != 0) {
            text.remove_prefix(1);
        } else if (text.starts_with("--")) {
            const auto eol = text.find('\n');
            text = eol == std::string_view::npos ? std::string_view() : text.substr(eol);
        } else if (text.front() == ';') {
            text.remove_prefix(1);
        } else {
            return false;
        }
    }
    return true;
}

// The process-wide settings SQLite takes only before its first use (sqlite3_config), set once, before the first
// connection opens. Each is about the cost of the bedside-monitor feed's group commit (docs/benchmarks.md, "The MLLP
// feed", round 2); neither changes what is stored or when it is durable.
void ConfigureSqliteOnce() {
    static const bool configured = [] {
        // A statement's journal (inside a transaction, the pages a statement changes that the transaction had already
        // changed, so that the statement alone can be undone) stays in memory up to this size. At SQLite's default
        // of 64 KiB it spilled to a temporary file on most transactions of the feed, which then cost as many write(2)
        // calls as the WAL itself. Beyond this bound (a migration rewriting a table) it spills as before. Only a
        // statement inside a transaction is undone from it: durability is the WAL's, unchanged.
        constexpr int kStatementJournalInMemoryBytes = 16 << 20;
        // Allocation statistics off: they take a process-wide mutex around every allocation SQLite makes, and
        // nothing here reads them (sqlite3_memory_used).
        return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, kStatementJournalInMemoryBytes) == SQLITE_OK &&
               sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    }();
    (void)configured;  // SQLITE_MISUSE only when SQLite was in use already: it then runs with its defaults
}

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, OpenMode mode,
                                                                 const SqliteConnectionOptions& options) {
    ConfigureSqliteOnce();
    // Each connection is used by one thread at a time, so SQLite's own per-connection mutex is pure cost.
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
        case OpenMode::kReadWriteCreate:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
        case OpenMode::kReadWrite:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case OpenMode::kReadOnly:
            flags |= SQLITE_OPEN_READONLY;
            break;
    }
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return Error{ErrorCode::kUnavailable, {}, "cannot open SQLite database " + path + ": " + reason};
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));

    // The last statement reads the file header, so a file that is not a database fails here rather than on the
    // first query.
    std::string setup = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -" +
                        std::to_string(options.cache_size_kib) + "; PRAGMA schema_version;";
    if (const Status status = connection->Execute(setup); !status.ok()) {
        return Error{
            ErrorCode::kUnavailable, {}, "cannot open SQLite database " + path + ": " + status.error().message};
    }
    if (mode == OpenMode::kReadWriteCreate) {
        const auto rows = connection->Query("PRAGMA journal_mode = WAL", {});
        if (!rows.ok()) {
            return Error{
                ErrorCode::kUnavailable, {}, "cannot open SQLite database " + path + ": " + rows.error().message};
        }
        const auto* mode_name = rows->empty() || rows->front().columns.empty()
                                    ? nullptr
                                    : std::get_if<std::string>(&rows->front().columns.front());
        if (mode_name == nullptr || *mode_name != "wal") {
            return Error{ErrorCode::kFailedPrecondition,
                         {},
                         "SQLite database " + path + " cannot use write-ahead logging (journal_mode is " +
                             (mode_name == nullptr ? std::string("unknown") : *mode_name) +
                             "); it must live on a local file system"};
        }
        // Without a limit the WAL file keeps the size of the largest burst it ever held.
        RETURN_IF_ERROR(connection->Execute("PRAGMA journal_size_limit = 67108864"));
    }
    return connection;
}

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, prepared] : cache_) {
        sqlite3_finalize(prepared.stmt);
    }
    // Every statement is finalized, so close cannot be refused; the last connection to close checkpoints the WAL.
    sqlite3_close(db_);
}

Result<std::vector<sql::SqlRow>> SqliteConnection::Query(std::string_view sql, std::span<const sql::SqlValue> params) {
    if (const auto it = cache_.find(sql); it != cache_.end()) {
        return Run(it->second, params);
    }
    const bool cache = cache_.size() < kMaxCachedStatements;
    ASSIGN_OR_RETURN(Prepared prepared, Prepare(sql, cache));
    if (!cache) {
        auto rows = Run(prepared, params);
        sqlite3_finalize(prepared.stmt);
        return rows;
    }
    const auto [it, inserted] = cache_.emplace(std::string(sql), std::move(prepared));
    return Run(it->second, params);
}

Status SqliteConnection::Execute(std::string_view script) {
    const std::string text(script);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return LastError(Excerpt(script));
    }
    return Status::Ok();
}

bool SqliteConnection::InTransaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

Result<SqliteConnection::Prepared> SqliteConnection::Prepare(std::string_view sql, bool persistent) {
    Prepared prepared;
    const char* tail = nullptr;
    // PERSISTENT tells SQLite the statement lives long, so it allocates it outside the lookaside pool meant for
    // short-lived objects.
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), persistent ? SQLITE_PREPARE_PERSISTENT : 0,
                           &prepared.stmt, &tail) != SQLITE_OK) {
        return LastError(Excerpt(sql));
    }
    auto fail = [&](std::string message) -> Error {
        sqlite3_finalize(prepared.stmt);
        return Error{ErrorCode::kInternal, {}, std::move(message) + " (in: " + Excerpt(sql) + ")"};
    };
    if (prepared.stmt == nullptr) {
        return fail("Query was given no SQL statement");
    }
    if (tail != nullptr && !IsBlank(std::string_view(tail, sql.data() + sql.size() - tail))) {
        return fail("Query runs one statement; use Execute for a script");
    }
    // Bound by name: SQLite gives each distinct "$N" one slot, so a parameter used twice is bound once, and the
    // slot order follows first use in the text, not N.
    const int slots = sqlite3_bind_parameter_count(prepared.stmt);
    for (int slot = 1; slot <= slots; ++slot) {
        const char* name = sqlite3_bind_parameter_name(prepared.stmt, slot);
        const int number = ParameterNumber(name);
        if (number == 0) {
            return fail(std::string("parameters are written $1..$n, not ") + (name == nullptr ? "?" : name));
        }
        prepared.param_numbers.push_back(number);
        prepared.param_count = std::max(prepared.param_count, number);
    }
    // As in PostgreSQL, a gap ($1, $3) is an error: the missing parameter would otherwise bind silently to nothing.
    if (prepared.param_count != slots) {
        return fail("the statement uses $" + std::to_string(prepared.param_count) + " but only " +
                    std::to_string(slots) + " distinct parameters");
    }
    return prepared;
}

Result<std::vector<sql::SqlRow>> SqliteConnection::Run(const Prepared& prepared,
                                                       std::span<const sql::SqlValue> params) {
    sqlite3_stmt* stmt = prepared.stmt;
    if (static_cast<int>(params.size()) != prepared.param_count) {
        return Error{ErrorCode::kInternal,
                     {},
                     "the statement takes " + std::to_string(prepared.param_count) + " parameters but " +
                         std::to_string(params.size()) + " were given (in: " + Excerpt(sqlite3_sql(stmt)) + ")"};
    }
    // Reset on every way out: a statement left mid-step keeps its read snapshot open, and bindings point into
    // `params`, which the caller is about to free.
    struct ResetOnExit {
        sqlite3_stmt* stmt;
        ~ResetOnExit() {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
        }
    } reset{stmt};

    for (std::size_t i = 0; i < prepared.param_numbers.size(); ++i) {
        const int slot = static_cast<int>(i) + 1;
        const sql::SqlValue& value = params[static_cast<std::size_t>(prepared.param_numbers[i] - 1)];
        const int rc = std::visit(
            [&](const auto& v) -> int {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::monostate>) {
                    return sqlite3_bind_null(stmt, slot);
                } else if constexpr (std::is_same_v<T, std::int64_t>) {
                    return sqlite3_bind_int64(stmt, slot, v);
                } else if constexpr (std::is_same_v<T, double>) {
                    return sqlite3_bind_double(stmt, slot, v);
                } else {
                    // STATIC: `params` outlives the statement's use of it (ResetOnExit clears the bindings).
                    return sqlite3_bind_text64(stmt, slot, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
                }
            },
            value);
        if (rc != SQLITE_OK) {
            return LastError(Excerpt(sqlite3_sql(stmt)));
        }
    }

    std::vector<sql::SqlRow> rows;
    while (true) {
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) {
            return rows;
        }
        if (rc != SQLITE_ROW) {
            return LastError(Excerpt(sqlite3_sql(stmt)));
        }
        const int columns = sqlite3_data_count(stmt);
        sql::SqlRow& row = rows.emplace_back();
        row.columns.reserve(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            // By storage class of this value, not the column's declared type: SQLite columns are dynamically typed.
            switch (sqlite3_column_type(stmt, c)) {
                case SQLITE_INTEGER:
                    row.columns.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
                    break;
                case SQLITE_FLOAT:
                    row.columns.emplace_back(sqlite3_column_double(stmt, c));
                    break;
                case SQLITE_TEXT: {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    row.columns.emplace_back(
                        std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
                    break;
                }
                case SQLITE_BLOB: {
                    const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, c));
                    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
                    row.columns.emplace_back(blob == nullptr ? std::string() : std::string(blob, size));
                    break;
                }
                default:
                    row.columns.emplace_back(std::monostate{});
                    break;
            }
        }
    }
}

Error SqliteConnection::LastError(std::string_view context) const {
    return MapError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_), context);
}

}  // namespace kclinic::adapters::storage::sqlite
