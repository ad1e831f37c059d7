// Alerts over SqlConnection: raised over a vital sign or an assessment, acknowledged once by a person; schema in
// migrations/0004_alerts.sql, whose triggers keep an acknowledged alert unchanged and every alert undeleted.

#include <optional>
#include <string>
#include <utility>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

std::optional<clinical::AlertSeverity> ParseSeverity(std::string_view name) {
    for (clinical::AlertSeverity severity : {clinical::AlertSeverity::kWarning, clinical::AlertSeverity::kCritical}) {
        if (clinical::AlertSeverityName(severity) == name) {
            return severity;
        }
    }
    return std::nullopt;
}

constexpr std::string_view kAlertColumns =
    "id, patient_id, rule, severity, message, source, record_type, record_id, notify, raised_at, acknowledged_at, "
    "acknowledged_by, acknowledgement_note, session_id";

Result<app::Alert> AlertFromRow(const SqlRow& row) {
    RowReader read(row);
    app::Alert alert;
    alert.id = app::AlertId{read.Int(0)};
    alert.patient = app::PatientId{read.Int(1)};
    alert.rule = read.Text(2);
    const std::optional<clinical::AlertSeverity> severity = ParseSeverity(read.Text(3));
    alert.message = read.Text(4);
    alert.source = read.Text(5);
    alert.record_type = read.Text(6);
    alert.record_id = read.Int(7);
    alert.notify = read.Text(8);
    alert.raised_at = FromMillis(read.Int(9));
    const bool open = read.IsNull(10);
    if (!open) {
        alert.acknowledged_at = FromMillis(read.Int(10));
        alert.acknowledged_by = read.Text(11);
    }
    alert.acknowledgement_note = read.Text(12);
    if (!read.IsNull(13)) {
        alert.session = app::SessionId{read.Int(13)};
    }
    if (!read.ok() || !severity || open != read.IsNull(11)) {
        return Corrupt("alerts");
    }
    alert.severity = *severity;
    return alert;
}

}  // namespace

Result<app::AlertId> SqlTransaction::InsertAlert(const app::Alert& alert) {
    const std::vector<SqlValue> params = {alert.patient.value,
                                          alert.rule,
                                          std::string(clinical::AlertSeverityName(alert.severity)),
                                          alert.message,
                                          alert.source,
                                          alert.record_type,
                                          alert.record_id,
                                          alert.notify,
                                          Millis(alert.raised_at),
                                          alert.session ? SqlValue{alert.session->value} : SqlValue{}};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO alerts (patient_id, rule, severity, message, source, record_type, "
                                       "record_id, notify, raised_at, session_id) "
                                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                                       params));
    return app::AlertId{InsertedId(rows)};
}

Result<app::Alert> SqlTransaction::GetAlert(app::AlertId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, "SELECT " + std::string(kAlertColumns) + " FROM alerts WHERE id = $1", params,
                    AlertFromRow,
                    Error{ErrorCode::kNotFound, "alert_id", "no alert with id " + std::to_string(id.value)});
}

Status SqlTransaction::AcknowledgeAlert(app::AlertId id, app::TimePoint at, std::string_view by,
                                        std::string_view note) {
    const std::vector<SqlValue> params = {id.value, Millis(at), std::string(by), std::string(note)};
    // Only an open row matches, so a second acknowledgement changes nothing even when two race.
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("UPDATE alerts SET acknowledged_at = $2, acknowledged_by = $3, acknowledgement_note = $4 "
                          "WHERE id = $1 AND acknowledged_at IS NULL RETURNING id",
                          params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(app::Alert current, GetAlert(id));
    return Error{ErrorCode::kFailedPrecondition, "alert_id",
                 "alert " + std::to_string(id.value) + " is already acknowledged by " + current.acknowledged_by +
                     "; an acknowledged alert never changes"};
}

Result<std::vector<app::Alert>> SqlTransaction::ListAlerts(const app::AlertFilter& filter) {
    // One statement for every combination of filters, as ListAudit: each optional filter is a
    // `(column = $n OR $n IS NULL)` term with the column first, so PostgreSQL types the parameter from it.
    const std::vector<SqlValue> params = {filter.after_id,
                                          filter.patient ? SqlValue{filter.patient->value} : SqlValue{},
                                          filter.notify ? SqlValue{*filter.notify} : SqlValue{},
                                          std::int64_t{filter.open_only ? 1 : 0},
                                          std::int64_t{filter.limit},
                                          filter.session ? SqlValue{filter.session->value} : SqlValue{}};
    return QueryRows<app::Alert>(connection_,
                                 "SELECT " + std::string(kAlertColumns) +
                                     " FROM alerts WHERE id > $1 AND (patient_id = $2 OR $2 IS NULL) "
                                     "AND (notify = $3 OR $3 IS NULL) AND (acknowledged_at IS NULL OR $4 = 0) "
                                     "AND (session_id = $6 OR $6 IS NULL) ORDER BY id LIMIT $5",
                                 params, AlertFromRow);
}

Result<std::vector<app::Alert>> SqlTransaction::ListPatientsOpenAlerts(std::span<const app::PatientId> patients) {
    return QueryByIds<app::Alert>(
        connection_,
        "SELECT " + std::string(kAlertColumns) + " FROM alerts WHERE acknowledged_at IS NULL AND patient_id IN ",
        patients, " ORDER BY id", AlertFromRow);
}

}  // namespace kclinic::adapters::storage::sql
