#pragma once

// The narrow SQL interface both storage backends implement, so the clinic record's queries (SqlTransaction)
// are written once. Statements use PostgreSQL-style positional parameters $1..$n; SQLite accepts the same text
// (it reads "$1" as a named parameter). Neither sqlite3.h nor libpq-fe.h appears here.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"

namespace kclinic::adapters::storage::sql {

// NULL, a 64-bit integer, a double, or text. Booleans are integers 0/1; times are integer epoch milliseconds.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct SqlRow {
    std::vector<SqlValue> columns;
};

class SqlConnection {
public:
    virtual ~SqlConnection() = default;

    // Runs one statement with `params` bound to $1..$n and returns its rows (none for a statement without a result
    // or RETURNING clause). Integer columns come back as int64, floating columns as double, text as string, NULL
    // as monostate. Errors: kConflict for a unique or foreign-key violation (the message names the constraint);
    // kUnavailable when the connection is lost; kInternal for anything else (the message carries the database's).
    virtual Result<std::vector<SqlRow>> Query(std::string_view sql, std::span<const SqlValue> params) = 0;

    // Runs a script of one or more statements without parameters (migrations, BEGIN/COMMIT). Errors as Query.
    virtual Status Execute(std::string_view script) = 0;
};

// Whether `error` (from SqlConnection::Query) is a unique violation of the constraint SQLite names by its columns
// (`sqlite_columns`, "users.email") and PostgreSQL by its name (`postgres_constraint`, "users_email_unique").
[[nodiscard]] inline bool IsUniqueViolation(const Error& error, std::string_view sqlite_columns,
                                            std::string_view postgres_constraint) {
    return error.code == ErrorCode::kConflict && (error.message.find(sqlite_columns) != std::string::npos ||
                                                  error.message.find(postgres_constraint) != std::string::npos);
}

}  // namespace kclinic::adapters::storage::sql
