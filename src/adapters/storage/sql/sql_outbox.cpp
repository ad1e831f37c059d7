// The transactional outbox over SqlConnection; schema in migrations/0015_outbox.sql, whose triggers keep a
// message's content fixed, a delivered, failed or cancelled message final, and every message undeleted.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

constexpr std::string_view kOutboxColumns =
    "id, idempotency_key, recipient, subject, body, appointment_id, due_at, status, attempts, next_attempt_at, "
    "last_error, sent_at, created_at";

// A pending message is due at $1 once its due time and its next attempt's time, where set, have passed.
constexpr std::string_view kDue =
    "status = 'pending' AND due_at <= $1 AND (next_attempt_at IS NULL OR next_attempt_at <= $1)";

Result<app::OutboxMessage> OutboxMessageFromRow(const SqlRow& row) {
    RowReader read(row);
    app::OutboxMessage message;
    message.id = app::OutboxMessageId{read.Int(0)};
    message.idempotency_key = read.Text(1);
    message.recipient = read.Text(2);
    message.subject = read.Text(3);
    message.body = read.Text(4);
    if (!read.IsNull(5)) {
        message.appointment = app::AppointmentId{read.Int(5)};
    }
    message.due_at = FromMillis(read.Int(6));
    const std::optional<app::OutboxStatus> status = app::kOutboxStatusNames.Parse(read.Text(7));
    message.attempts = static_cast<int>(read.Int(8));
    message.next_attempt_at = ReadOptionalTime(read, 9);
    message.last_error = read.Text(10);
    message.sent_at = ReadOptionalTime(read, 11);
    message.created_at = FromMillis(read.Int(12));
    if (!read.ok() || !status) {
        return Corrupt("outbox_messages");
    }
    message.status = *status;
    return message;
}

std::string SelectOutbox(std::string_view rest) {
    return "SELECT " + std::string(kOutboxColumns) + " FROM outbox_messages " + std::string(rest);
}

}  // namespace

Result<app::OutboxMessageId> SqlTransaction::InsertOutboxMessage(const app::OutboxMessage& message) {
    const std::vector<SqlValue> params = {message.idempotency_key,
                                          message.recipient,
                                          message.subject,
                                          message.body,
                                          message.appointment ? SqlValue{message.appointment->value} : SqlValue{},
                                          Millis(message.due_at),
                                          std::string(app::kOutboxStatusNames.Name(message.status)),
                                          std::int64_t{message.attempts},
                                          OptionalMillis(message.next_attempt_at),
                                          message.last_error,
                                          OptionalMillis(message.sent_at),
                                          Millis(message.created_at)};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO outbox_messages (idempotency_key, recipient, subject, body, appointment_id, due_at, status, "
        "attempts, next_attempt_at, last_error, sent_at, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        params);
    if (!rows.ok()) {
        Error error = rows.error();
        // The key is the table's one unique column besides the id the database assigns.
        if (error.code == ErrorCode::kConflict) {
            return Error{ErrorCode::kConflict, "idempotency_key",
                         "an outbox message with idempotency key " + message.idempotency_key + " exists"};
        }
        return error;
    }
    return app::OutboxMessageId{InsertedId(*rows)};
}

Result<std::vector<app::OutboxMessage>> SqlTransaction::ClaimDueOutboxMessages(app::TimePoint now,
                                                                               app::TimePoint lease_until, int limit) {
    // The due condition stands in the UPDATE's own WHERE, not only in the subquery: at READ COMMITTED, PostgreSQL
    // re-evaluates it on a row a concurrent claim has just updated and skips the row, whose lease now runs.
    const std::vector<SqlValue> params = {Millis(now), Millis(lease_until), std::int64_t{limit}};
    ASSIGN_OR_RETURN(
        std::vector<app::OutboxMessage> claimed,
        QueryRows<app::OutboxMessage>(
            connection_,
            "UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = $2 WHERE " + std::string(kDue) +
                " AND id IN (SELECT id FROM outbox_messages WHERE " + std::string(kDue) +
                " ORDER BY due_at, id LIMIT $3) RETURNING " + std::string(kOutboxColumns),
            params, OutboxMessageFromRow));
    // RETURNING gives no order; the oldest due is delivered first.
    std::sort(claimed.begin(), claimed.end(), [](const app::OutboxMessage& a, const app::OutboxMessage& b) {
        return a.due_at != b.due_at ? a.due_at < b.due_at : a.id.value < b.id.value;
    });
    return claimed;
}

Status SqlTransaction::UpdateOutboxDelivery(const app::OutboxMessage& message) {
    const std::vector<SqlValue> params = {message.id.value,
                                          std::int64_t{message.attempts},
                                          std::string(app::kOutboxStatusNames.Name(message.status)),
                                          OptionalMillis(message.next_attempt_at),
                                          message.last_error,
                                          OptionalMillis(message.sent_at)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE outbox_messages SET status = $3, next_attempt_at = $4, "
                                       "last_error = $5, sent_at = $6 "
                                       "WHERE id = $1 AND attempts = $2 AND status = 'pending' RETURNING id",
                                       params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    return Error{ErrorCode::kConflict, "outbox_message",
                 "outbox message " + std::to_string(message.id.value) + " is no longer pending under attempt " +
                     std::to_string(message.attempts) + ": it was delivered, cancelled or claimed again"};
}

Status SqlTransaction::CancelOutboxMessages(app::AppointmentId appointment) {
    const std::vector<SqlValue> params = {appointment.value};
    return StatusOf(connection_.Query(
        "UPDATE outbox_messages SET status = 'cancelled' WHERE appointment_id = $1 AND status = 'pending'", params));
}

Result<std::vector<app::OutboxMessage>> SqlTransaction::ListOutboxMessages(const app::OutboxFilter& filter) {
    // As ListAlerts: each optional filter is a `(column = $n OR $n IS NULL)` term, column first, so PostgreSQL
    // types the parameter from it.
    const std::vector<SqlValue> params = {
        filter.after_id, filter.appointment ? SqlValue{filter.appointment->value} : SqlValue{},
        filter.status ? SqlValue{std::string(app::kOutboxStatusNames.Name(*filter.status))} : SqlValue{},
        std::int64_t{filter.limit}};
    return QueryRows<app::OutboxMessage>(
        connection_,
        SelectOutbox("WHERE id > $1 AND (appointment_id = $2 OR $2 IS NULL) AND (status = $3 OR $3 IS NULL) "
                     "ORDER BY id LIMIT $4"),
        params, OutboxMessageFromRow);
}

}  // namespace kclinic::adapters::storage::sql
