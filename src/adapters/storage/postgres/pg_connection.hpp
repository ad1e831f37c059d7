#pragma once

// One PostgreSQL session (a libpq PGconn) behind the SqlConnection interface. libpq-fe.h stays in the .cpp: the
// handle type is only forward-declared here.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/storage/sql/sql_connection.hpp"
#include "base/result.hpp"

struct pg_conn;    // libpq's PGconn
struct pg_result;  // libpq's PGresult

namespace kclinic::adapters::storage::postgres {

struct PgConnectionOptions {
    // How long connecting may take before it fails with kUnavailable; a DSN's own connect_timeout wins.
    std::chrono::seconds connect_timeout{10};
};

// Not thread-safe: one thread at a time uses a connection (PostgresStore's pool lends each to one caller).
class PgConnection final : public sql::SqlConnection {
public:
    // Connects to `dsn` (a URI "postgres[ql]://user@host:port/db" or "key=value ..." text, passed to libpq as is;
    // the application name defaults to "kclinic") and sets the session up as every kclinic session runs:
    // client_encoding UTF8 and synchronous_commit on, so a COMMIT that returns is on the server's disk.
    // Errors: kInvalidArgument (field "db") when libpq cannot parse the DSN; kUnavailable when the server cannot
    // be reached or refuses the session (the message is libpq's and never repeats the DSN, which may carry a
    // password).
    [[nodiscard]] static Result<std::unique_ptr<PgConnection>> Connect(const std::string& dsn,
                                                                       const PgConnectionOptions& options = {});

    ~PgConnection() override;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // As SqlConnection::Query: one statement, parameters $1..$n sent as text (int64 as int8, double as float8
    // in the shortest form that reads back to the same bits, including NaN and infinities; text and NULL with no
    // declared type, so the server infers it from the context). Result columns are typed by their type OID:
    // int2/int4/int8 -> int64, float4/float8/numeric -> double (numeric may round), bool -> int64 0/1, NULL ->
    // monostate, anything else -> its text form.
    // Errors: kConflict for unique_violation (23505) and foreign_key_violation (23503), the message naming the
    // constraint; kConflict also for serialization_failure (40001) and deadlock_detected (40P01), where running
    // the transaction again may succeed; kUnavailable when the connection is lost (CONNECTION_BAD, SQLSTATE
    // class 08, 57P01-57P03: the server shut down or terminated this session); kInvalidArgument (field "$N") for
    // a text parameter holding a NUL, which PostgreSQL text cannot store; kInternal for anything else, with the
    // server's message and SQLSTATE.
    // PostgreSQL, unlike SQLite, aborts the whole transaction after any failed statement: later statements in it
    // fail with 25P02 until ROLLBACK.
    Result<std::vector<sql::SqlRow>> Query(std::string_view sql, std::span<const sql::SqlValue> params) override;

    // Runs a script of one or more statements without parameters (PQexec; without an explicit BEGIN the server
    // runs a multi-statement script as one transaction). Errors as Query, for the first statement that fails.
    Status Execute(std::string_view script) override;

    // False once libpq knows the connection is lost, or a statement left it in a state it cannot leave (a COPY
    // started through Query). A connection the server dropped while idle still reads as healthy until the next
    // statement fails with kUnavailable.
    [[nodiscard]] bool Healthy() const;

    // True while a transaction is open, including one aborted by a failed statement.
    [[nodiscard]] bool InTransaction() const;
    // True while the open transaction has been aborted by a failed statement: only ROLLBACK is accepted.
    [[nodiscard]] bool TransactionFailed() const;

    // The first error since the last ClearFirstError(), or none. Lets the store report the statement that aborted
    // a transaction even when the work function went on or returned OK.
    [[nodiscard]] const std::optional<Error>& first_error() const { return first_error_; }
    void ClearFirstError() { first_error_.reset(); }

private:
    explicit PgConnection(pg_conn* conn) : conn_(conn) {}

    Status ConfigureSession();
    // The Error the contract promises for a failed statement; `result` is null when libpq returned none.
    [[nodiscard]] Error ErrorFrom(const pg_result* result) const;
    // Records `error` as first_error() unless one is already recorded, and returns it.
    Error Remember(Error error);

    pg_conn* conn_ = nullptr;
    bool poisoned_ = false;  // left in a state this class cannot recover from (a COPY); never reused
    std::optional<Error> first_error_;
};

}  // namespace kclinic::adapters::storage::postgres
