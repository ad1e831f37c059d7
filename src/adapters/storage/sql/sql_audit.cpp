// The audit log over SqlConnection, listed by keyset with optional filters; the triggers of
// migrations/0001_clinic_record.sql keep it append-only.

#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {

using app::TimePoint;

Result<app::AuditEntryId> SqlTransaction::AppendAudit(const app::AuditEntry& entry) {
    const std::vector<SqlValue> params = {Millis(entry.at),  entry.actor,     entry.origin,     entry.action,
                                          entry.record_type, entry.record_id, entry.patient_id, entry.detail};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO audit_log (at, actor, origin, action, record_type, record_id, "
                                       "patient_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                                       params));
    return app::AuditEntryId{InsertedId(rows)};
}

Result<std::vector<app::AuditEntry>> SqlTransaction::ListAudit(const app::AuditFilter& filter) {
    // Each optional filter is a `(column = $n OR $n IS NULL)` term, so one statement (and one cached plan) serves
    // every combination. The column comes first because PostgreSQL types a parameter where it first meets it.
    const auto optional_text = [](const std::optional<std::string>& value) -> SqlValue {
        return value ? SqlValue{*value} : SqlValue{};
    };
    const auto optional_int = [](const std::optional<std::int64_t>& value) -> SqlValue {
        return value ? SqlValue{*value} : SqlValue{};
    };
    const auto optional_time = [](const std::optional<TimePoint>& value) -> SqlValue {
        return value ? SqlValue{Millis(*value)} : SqlValue{};
    };
    const std::vector<SqlValue> params = {filter.after_id,
                                          optional_text(filter.actor),
                                          optional_int(filter.patient_id),
                                          optional_text(filter.action),
                                          optional_time(filter.from),
                                          optional_time(filter.to),
                                          std::int64_t{filter.limit}};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "SELECT id, at, actor, origin, action, record_type, record_id, patient_id, detail FROM audit_log "
            "WHERE id > $1 AND (actor = $2 OR $2 IS NULL) AND (patient_id = $3 OR $3 IS NULL) "
            "AND (action = $4 OR $4 IS NULL) AND (at >= $5 OR $5 IS NULL) AND (at < $6 OR $6 IS NULL) "
            "ORDER BY id LIMIT $7",
            params));
    std::vector<app::AuditEntry> entries;
    for (const SqlRow& row : rows) {
        RowReader read(row);
        app::AuditEntry entry{app::AuditEntryId{read.Int(0)},
                              FromMillis(read.Int(1)),
                              read.Text(2),
                              read.Text(3),
                              read.Text(4),
                              read.Text(5),
                              read.Int(6),
                              read.Int(7),
                              read.Text(8)};
        if (!read.ok()) {
            return Corrupt("audit_log");
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace kclinic::adapters::storage::sql
