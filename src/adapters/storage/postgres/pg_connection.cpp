#include "adapters/storage/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace kclinic::adapters::storage::postgres {
namespace {

using sql::SqlRow;
using sql::SqlValue;

// Built-in type OIDs, fixed since PostgreSQL 7 (catalog/pg_type_d.h is a server header, not part of libpq-dev).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's messages end in a newline and may span lines ("server closed the connection unexpectedly\n\tThis
// probably means..."); an Error message is one line.
std::string OneLine(std::string_view text) {
    std::string line;
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !line.empty();
            continue;
        }
        if (space) {
            line += ' ';
            space = false;
        }
        line += c;
    }
    return line;
}

std::string FormatInt(std::int64_t value) {
    std::array<char, 24> buffer{};
    const std::to_chars_result written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return {buffer.data(), written.ptr};
}

// float8in reads the shortest round-trip form exactly; the special values need PostgreSQL's spelling.
std::string FormatDouble(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "Infinity" : "-Infinity";
    }
    std::array<char, 32> buffer{};
    const std::to_chars_result written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return {buffer.data(), written.ptr};
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// The server prints float4/float8 in their shortest round-trip form (extra_float_digits >= 1, the default since
// PostgreSQL 12), so parsing gives back the stored bits; a float4 is parsed as a float first for the same reason.
// from_chars accepts the server's "NaN", "Infinity" and "-Infinity".
std::optional<double> ParseDouble(std::string_view text, bool single_precision) {
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (single_precision) {
        float value = 0;
        const auto [end, error] = std::from_chars(first, last, value);
        if (error != std::errc() || end != last) {
            return std::nullopt;
        }
        return static_cast<double>(value);
    }
    double value = 0;
    const auto [end, error] = std::from_chars(first, last, value);
    if (error == std::errc::result_out_of_range && end == last) {
        // A numeric beyond double's range: strtod gives the infinity or zero it rounds to (kclinic never calls
        // setlocale, so strtod reads the server's '.' as the decimal point).
        return std::strtod(std::string(text).c_str(), nullptr);
    }
    if (error != std::errc() || end != last) {
        return std::nullopt;
    }
    return value;
}

std::optional<SqlValue> ConvertColumn(Oid type, std::string_view text) {
    switch (type) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
            if (std::optional<std::int64_t> value = ParseInt(text)) {
                return SqlValue{*value};
            }
            return std::nullopt;
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid:
            if (std::optional<double> value = ParseDouble(text, type == kFloat4Oid)) {
                return SqlValue{*value};
            }
            return std::nullopt;
        case kBoolOid:
            // SqlConnection's booleans are integers 0/1, as SQLite stores them.
            return SqlValue{std::int64_t{text == "t" ? 1 : 0}};
        default:
            return SqlValue{std::string(text)};
    }
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

bool IsUnavailableState(std::string_view sqlstate) {
    return sqlstate.starts_with("08")  // connection_exception
           || sqlstate == "57P01"      // admin_shutdown, also pg_terminate_backend
           || sqlstate == "57P02"      // crash_shutdown
           || sqlstate == "57P03";     // cannot_connect_now: the server is starting or stopping
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& dsn,
                                                            const PgConnectionOptions& options) {
    // PQconnectdb reports a malformed DSN as a failed connection; parsing first tells the operator which it is.
    char* parse_error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(dsn.c_str(), &parse_error);
    if (parsed == nullptr) {
        std::string message = parse_error != nullptr ? OneLine(parse_error) : "out of memory";
        PQfreemem(parse_error);
        return InvalidArgument("db", "not a PostgreSQL connection string: " + message);
    }
    PQconninfoFree(parsed);

    // Keywords are applied in order and the expanded DSN comes last, so the DSN's own settings win.
    const std::string timeout = std::to_string(options.connect_timeout.count());
    const std::array<const char*, 4> keywords = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const std::array<const char*, 4> values = {timeout.c_str(), "kclinic", dsn.c_str(), nullptr};
    pg_conn* conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
    if (conn == nullptr) {
        return Error{ErrorCode::kUnavailable, "", "cannot connect to PostgreSQL: out of memory"};
    }
    std::unique_ptr<PgConnection> connection(new PgConnection(conn));
    if (PQstatus(conn) != CONNECTION_OK) {
        return Error{ErrorCode::kUnavailable, "", "cannot connect to PostgreSQL: " + OneLine(PQerrorMessage(conn))};
    }
    // Notices ("relation already exists, skipping") would go to stderr, which belongs to the CLI's one-line error
    // contract; nothing in kclinic acts on them.
    PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
    RETURN_IF_ERROR(connection->ConfigureSession());
    connection->ClearFirstError();
    return connection;
}

PgConnection::~PgConnection() {
    if (conn_ != nullptr) {
        PQfinish(conn_);
    }
}

Status PgConnection::ConfigureSession() {
    // synchronous_commit is on by default, but a role, database or postgresql.conf may turn it off; the Store
    // contract says an acknowledged write survives a crash, so every session sets it itself.
    return Execute("SET client_encoding = 'UTF8'; SET synchronous_commit = on");
}

Result<std::vector<SqlRow>> PgConnection::Query(std::string_view sql, std::span<const SqlValue> params) {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const SqlValue& param = params[i];
        if (const auto* integer = std::get_if<std::int64_t>(&param)) {
            texts[i] = FormatInt(*integer);
            types[i] = kInt8Oid;
        } else if (const auto* real = std::get_if<double>(&param)) {
            texts[i] = FormatDouble(*real);
            types[i] = kFloat8Oid;
        } else if (const auto* text = std::get_if<std::string>(&param)) {
            if (text->find('\0') != std::string::npos) {
                // PostgreSQL text cannot hold NUL, and libpq would silently cut the value there.
                return Remember(InvalidArgument("$" + std::to_string(i + 1), "text contains a NUL character"));
            }
            texts[i] = *text;
        } else {
            continue;  // NULL: no value, no declared type
        }
        values[i] = texts[i].c_str();
    }
    const std::string statement(sql);
    ResultPtr result(PQexecParams(conn_, statement.c_str(), static_cast<int>(params.size()), types.data(),
                                  values.data(), nullptr, nullptr, /*resultFormat=text*/ 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY) {
        return std::vector<SqlRow>{};
    }
    if (status != PGRES_TUPLES_OK) {
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            poisoned_ = true;
        }
        return Remember(ErrorFrom(result.get()));
    }

    const int row_count = PQntuples(result.get());
    const int column_count = PQnfields(result.get());
    std::vector<Oid> column_types(static_cast<std::size_t>(column_count));
    for (int column = 0; column < column_count; ++column) {
        column_types[static_cast<std::size_t>(column)] = PQftype(result.get(), column);
    }
    std::vector<SqlRow> rows(static_cast<std::size_t>(row_count));
    for (int row = 0; row < row_count; ++row) {
        std::vector<SqlValue>& columns = rows[static_cast<std::size_t>(row)].columns;
        columns.reserve(static_cast<std::size_t>(column_count));
        for (int column = 0; column < column_count; ++column) {
            if (PQgetisnull(result.get(), row, column) != 0) {
                columns.emplace_back(std::monostate{});
                continue;
            }
            const std::string_view text(PQgetvalue(result.get(), row, column),
                                        static_cast<std::size_t>(PQgetlength(result.get(), row, column)));
            std::optional<SqlValue> value = ConvertColumn(column_types[static_cast<std::size_t>(column)], text);
            if (!value) {
                return Remember(Error{ErrorCode::kInternal, "",
                                      "PostgreSQL returned \"" + std::string(text) + "\" in column " +
                                          PQfname(result.get(), column) + ", which does not read as its type"});
            }
            columns.push_back(std::move(*value));
        }
    }
    return rows;
}

Status PgConnection::Execute(std::string_view script) {
    const std::string text(script);
    ResultPtr result(PQexec(conn_, text.c_str()));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
        return Status::Ok();
    }
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
        poisoned_ = true;
    }
    return Remember(ErrorFrom(result.get()));
}

bool PgConnection::Healthy() const {
    return !poisoned_ && PQstatus(conn_) == CONNECTION_OK;
}

bool PgConnection::InTransaction() const {
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool PgConnection::TransactionFailed() const {
    return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

Error PgConnection::ErrorFrom(const pg_result* result) const {
    const auto field = [result](int code) -> std::string {
        const char* value = result != nullptr ? PQresultErrorField(result, code) : nullptr;
        return value != nullptr ? value : "";
    };
    const std::string sqlstate = field(PG_DIAG_SQLSTATE);
    std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (message.empty()) {
        message = OneLine(result != nullptr ? PQresultErrorMessage(result) : "");
    }
    if (message.empty()) {
        message = OneLine(PQerrorMessage(conn_));
    }
    if (message.empty()) {
        message = "unexpected result status " +
                  std::string(PQresStatus(result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR));
    }

    if (PQstatus(conn_) == CONNECTION_BAD || IsUnavailableState(sqlstate)) {
        return Error{ErrorCode::kUnavailable, "", "PostgreSQL connection lost: " + message};
    }
    // The DETAIL ("Key (mrn)=(123) already exists") repeats patient data, so it stays out of messages and logs.
    if (sqlstate == "23505" || sqlstate == "23503") {
        const std::string constraint = field(PG_DIAG_CONSTRAINT_NAME);
        return Error{ErrorCode::kConflict, "",
                     (constraint.empty() ? std::string("a constraint") : "constraint " + constraint) +
                         " refused the change: " + message};
    }
    if (sqlstate == "40001" || sqlstate == "40P01") {
        return Error{ErrorCode::kConflict, "", "a concurrent transaction conflicted: " + message};
    }
    return Error{ErrorCode::kInternal, "",
                 "PostgreSQL: " + message + (sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")")};
}

Error PgConnection::Remember(Error error) {
    if (!first_error_) {
        first_error_ = error;
    }
    return error;
}

}  // namespace kclinic::adapters::storage::postgres
