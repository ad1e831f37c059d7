#pragma once

// Reading typed values out of SqlRows, shared by the clinic record's query files. Internal to storage/sql.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "adapters/storage/sql/sql_connection.hpp"
#include "app/records.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::storage::sql {

// Times are stored as integer milliseconds since the Unix epoch.
inline std::int64_t Millis(app::TimePoint time) {
    return time.time_since_epoch().count();
}
inline app::TimePoint FromMillis(std::int64_t millis) {
    return app::TimePoint{std::chrono::milliseconds{millis}};
}

// A column that does not match the schema is a bug or a corrupt database: reported, never half-read.
inline Error Corrupt(std::string_view table) {
    return Error{ErrorCode::kInternal, "", "unexpected column values reading " + std::string(table)};
}

// The id an `INSERT ... RETURNING id` produced, or 0 when there is none.
inline std::int64_t InsertedId(const std::vector<SqlRow>& rows) {
    if (rows.empty() || rows.front().columns.empty()) {
        return 0;
    }
    const auto* id = std::get_if<std::int64_t>(&rows.front().columns.front());
    return id == nullptr ? 0 : *id;
}

// Parses every row with `parse` (SqlRow -> Result<T>); the first row that fails is the answer.
template <typename T, typename Parse>
Result<std::vector<T>> ParseRows(const std::vector<SqlRow>& rows, Parse parse) {
    std::vector<T> parsed;
    parsed.reserve(rows.size());
    for (const SqlRow& row : rows) {
        ASSIGN_OR_RETURN(T item, parse(row));
        parsed.push_back(std::move(item));
    }
    return parsed;
}

// Runs `sql` and parses every row with `parse`.
template <typename T, typename Parse>
Result<std::vector<T>> QueryRows(SqlConnection& connection, std::string_view sql, const std::vector<SqlValue>& params,
                                 Parse parse) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows, connection.Query(sql, params));
    return ParseRows<T>(rows, parse);
}

// The most ids one batch read takes in its IN list (far below SQLite's 32766 and PostgreSQL's 65535 parameters): a
// screen reads the records of one day's sessions or one page of patients, never more.
inline constexpr std::size_t kMaxIdsPerQuery = 1000;

// Runs `head` + "(<one placeholder per id>)" + `tail` with the ids as its parameters and parses every row with
// `parse`: a batch read of the records of many ids in one statement. No ids: no statement, no rows. Error kInternal
// for more than kMaxIdsPerQuery ids (the caller's bug).
template <typename T, typename Id, typename Parse>
Result<std::vector<T>> QueryByIds(SqlConnection& connection, std::string_view head, std::span<const Id> ids,
                                  std::string_view tail, Parse parse) {
    if (ids.empty()) {
        return std::vector<T>{};
    }
    if (ids.size() > kMaxIdsPerQuery) {
        return Error{
            ErrorCode::kInternal, "",
            "a batch read of " + std::to_string(ids.size()) + " ids (at most " + std::to_string(kMaxIdsPerQuery) + ")"};
    }
    std::string sql(head);
    sql += "(";
    std::vector<SqlValue> params;
    params.reserve(ids.size());
    for (const Id& id : ids) {
        sql += (params.empty() ? "$" : ", $") + std::to_string(params.size() + 1);
        params.emplace_back(id.value);
    }
    sql += ")";
    sql += tail;
    return QueryRows<T>(connection, sql, params, parse);
}

// Runs `sql`, expected to select at most one row, and parses it with `parse`; `not_found` when there is none.
template <typename Parse>
std::invoke_result_t<Parse, const SqlRow&> QueryOne(SqlConnection& connection, std::string_view sql,
                                                    const std::vector<SqlValue>& params, Parse parse, Error not_found) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows, connection.Query(sql, params));
    if (rows.empty()) {
        return not_found;
    }
    return parse(rows.front());
}

inline SqlValue OptionalReal(const std::optional<double>& value) {
    return value ? SqlValue{*value} : SqlValue{};
}

// Typed column access. Any mismatch with the schema sets ok() false, and the caller returns Corrupt(...).
class RowReader {
public:
    explicit RowReader(const SqlRow& row) : row_(row) {}

    std::int64_t Int(std::size_t column) {
        const SqlValue& value = At(column);
        if (const auto* integer = std::get_if<std::int64_t>(&value)) {
            return *integer;
        }
        ok_ = false;
        return 0;
    }
    double Double(std::size_t column) {
        const SqlValue& value = At(column);
        if (const auto* real = std::get_if<double>(&value)) {
            return *real;
        }
        if (const auto* integer = std::get_if<std::int64_t>(&value)) {
            return static_cast<double>(*integer);  // SQLite stores a REAL with no fraction as an integer
        }
        ok_ = false;
        return 0;
    }
    bool Bool(std::size_t column) {
        const std::int64_t value = Int(column);
        ok_ = ok_ && (value == 0 || value == 1);
        return value == 1;
    }
    std::string Text(std::size_t column) {
        const SqlValue& value = At(column);
        if (const auto* text = std::get_if<std::string>(&value)) {
            return *text;
        }
        ok_ = false;
        return {};
    }
    [[nodiscard]] bool IsNull(std::size_t column) { return std::holds_alternative<std::monostate>(At(column)); }
    // NULL reads as absent; anything but NULL or a 'YYYY-MM-DD' date is a mismatch.
    std::optional<std::chrono::sys_days> OptionalDate(std::size_t column) {
        if (IsNull(column)) {
            return std::nullopt;
        }
        std::optional<std::chrono::sys_days> date = ParseDate(Text(column));
        ok_ = ok_ && date.has_value();
        return date;
    }
    [[nodiscard]] bool ok() const { return ok_; }

private:
    const SqlValue& At(std::size_t column) {
        static const SqlValue kNull;
        if (column >= row_.columns.size()) {
            ok_ = false;
            return kNull;
        }
        return row_.columns[column];
    }

    const SqlRow& row_;
    bool ok_ = true;
};

inline std::optional<double> ReadOptionalReal(RowReader& read, std::size_t column) {
    return read.IsNull(column) ? std::nullopt : std::optional<double>(read.Double(column));
}

// An optional time: NULL when absent, else its epoch milliseconds.
inline SqlValue OptionalMillis(const std::optional<app::TimePoint>& time) {
    return time ? SqlValue{Millis(*time)} : SqlValue{};
}
inline std::optional<app::TimePoint> ReadOptionalTime(RowReader& read, std::size_t column) {
    return read.IsNull(column) ? std::nullopt : std::optional<app::TimePoint>(FromMillis(read.Int(column)));
}

}  // namespace kclinic::adapters::storage::sql
