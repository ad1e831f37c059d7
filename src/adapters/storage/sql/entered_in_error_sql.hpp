#pragma once

// The "entered in error" mark as the clinic record's tables keep it (migrations/0013): three columns,
// entered_in_error_reason, entered_in_error_at and entered_in_error_by, all NULL (valid) or all set, and set once.
// Shared by the query files of every table that has them. Internal to storage/sql.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_connection.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage::sql {

// The three columns, in the order ReadEnteredInError reads them.
inline constexpr std::string_view kEnteredInErrorColumns =
    "entered_in_error_reason, entered_in_error_at, entered_in_error_by";

// The mark in the three columns from `first`; absent when they are NULL.
inline std::optional<app::EnteredInError> ReadEnteredInError(RowReader& read, std::size_t first) {
    if (read.IsNull(first)) {
        return std::nullopt;
    }
    return app::EnteredInError{read.Text(first), FromMillis(read.Int(first + 1)), read.Text(first + 2)};
}

// Sets the mark of row `id` of `table` when it has none. kNotFound naming `id_field` when there is no such row;
// kFailedPrecondition "entered_in_error" when it is already marked (the stored mark stays). `what` names the record
// in the messages ("assessment").
inline Status MarkEnteredInError(SqlConnection& connection, std::string_view table, std::string_view id_field,
                                 std::string_view what, std::int64_t id, const app::EnteredInError& mark) {
    const std::vector<SqlValue> params = {id, mark.reason, Millis(mark.marked_at), mark.marked_by};
    ASSIGN_OR_RETURN(std::vector<SqlRow> marked,
                     connection.Query("UPDATE " + std::string(table) +
                                          " SET entered_in_error_reason = $2, entered_in_error_at = $3, "
                                          "entered_in_error_by = $4 WHERE id = $1 AND entered_in_error_at IS NULL "
                                          "RETURNING id",
                                      params));
    if (!marked.empty()) {
        return Status::Ok();
    }
    const std::vector<SqlValue> id_param = {id};
    ASSIGN_OR_RETURN(std::vector<SqlRow> existing,
                     connection.Query("SELECT id FROM " + std::string(table) + " WHERE id = $1", id_param));
    const std::string named = std::string(what) + " " + std::to_string(id);
    if (existing.empty()) {
        return Error{ErrorCode::kNotFound, std::string(id_field),
                     "no " + std::string(what) + " with id " + std::to_string(id)};
    }
    return Error{ErrorCode::kFailedPrecondition, "entered_in_error",
                 named + " is already marked entered in error; a mark is final"};
}

}  // namespace kclinic::adapters::storage::sql
