// The audit log over SqlConnection, listed by keyset with optional filters; the triggers of
// migrations/0001_clinic_record.sql keep it append-only, and the hash chain of migrations/0025_audit_chain.sql
// (audit_chain.hpp) makes a change past kclinic visible.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/sql/audit_chain.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {

using app::TimePoint;

Status SqlTransaction::AppendAudit(const app::AuditEntry& entry) {
    pending_audit_.push_back(entry);
    return Status::Ok();
}

Status SqlTransaction::WritePendingAudit() {
    if (pending_audit_.empty()) {
        return Status::Ok();  // a transaction that audits nothing never waits for the chain head
    }
    // Locks the chain head until this transaction ends (an UPDATE takes the row lock in PostgreSQL; SQLite has one
    // writer at a time anyway) and reads it: under READ COMMITTED a waiting UPDATE re-reads the row its holder
    // committed, so every process appends after the last committed entry and the chain stays one chain. This is the
    // last thing a transaction does before COMMIT, so the lock is held only for these inserts and the commit, and a
    // transaction holding it waits for no other lock: no deadlock (docs/security.md "Audit").
    ASSIGN_OR_RETURN(std::vector<SqlRow> head,
                     connection_.Query("UPDATE audit_chain_head SET last_id = last_id WHERE id = 1 "
                                       "RETURNING last_id, last_hash",
                                       {}));
    if (head.size() != 1) {
        return Corrupt("audit_chain_head");
    }
    RowReader read_head(head.front());
    std::int64_t last_id = read_head.Int(0);
    std::string last_hash = read_head.Text(1);
    if (!read_head.ok()) {
        return Corrupt("audit_chain_head");
    }
    for (app::AuditEntry& entry : pending_audit_) {
        entry.id = app::AuditEntryId{++last_id};
        std::string hash = AuditChainHash(entry, last_hash);
        const std::vector<SqlValue> params = {
            entry.id.value,  Millis(entry.at), entry.actor,  entry.origin, entry.action, entry.record_type,
            entry.record_id, entry.patient_id, entry.detail, last_hash,    hash};
        RETURN_IF_ERROR(connection_.Query(
            "INSERT INTO audit_log (id, at, actor, origin, action, record_type, record_id, patient_id, detail, "
            "previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            params));
        last_hash = std::move(hash);
    }
    pending_audit_.clear();
    const std::vector<SqlValue> moved = {last_id, last_hash};
    return StatusOf(connection_.Query("UPDATE audit_chain_head SET last_id = $1, last_hash = $2 WHERE id = 1", moved));
}

Result<app::AuditChainCheck> SqlTransaction::CheckAuditChain() {
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> head,
        connection_.Query("SELECT chain_start_id, last_id, last_hash FROM audit_chain_head WHERE id = 1", {}));
    if (head.size() != 1) {
        return Corrupt("audit_chain_head");
    }
    RowReader read_head(head.front());
    const std::int64_t chain_start = read_head.Int(0);
    const std::int64_t head_id = read_head.Int(1);
    const std::string head_hash = read_head.Text(2);
    if (!read_head.ok()) {
        return Corrupt("audit_chain_head");
    }

    app::AuditChainCheck check;
    const std::vector<SqlValue> before = {chain_start};
    ASSIGN_OR_RETURN(std::vector<SqlRow> counted,
                     connection_.Query("SELECT COUNT(*) FROM audit_log WHERE id <= $1", before));
    check.entries_before_chain = counted.empty() ? 0 : RowReader(counted.front()).Int(0);

    // Walks the chain in id order, a page at a time, each entry against the one before it: the first entry whose
    // id, link or hash does not follow is the first broken one. A missing or non-text hash (a row written past
    // kclinic) reads as empty, so it breaks the chain rather than stopping the check.
    constexpr std::int64_t kPage = 1000;
    std::int64_t expected_id = chain_start + 1;
    std::string previous_hash;
    const auto broken = [&](std::int64_t id, std::string problem) {
        check.first_broken_id = id;
        check.problem = std::move(problem);
        return check;
    };
    const auto text_or_empty = [](RowReader& read, std::size_t column) {
        return read.IsNull(column) ? std::string() : read.Text(column);
    };
    for (std::int64_t after = chain_start;;) {
        const std::vector<SqlValue> params = {after, kPage};
        ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                         connection_.Query("SELECT id, at, actor, origin, action, record_type, record_id, patient_id, "
                                           "detail, previous_hash, hash FROM audit_log WHERE id > $1 ORDER BY id "
                                           "LIMIT $2",
                                           params));
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
            const std::string linked_to = text_or_empty(read, 9);
            const std::string hash = text_or_empty(read, 10);
            if (!read.ok()) {
                return broken(entry.id.value, "its columns do not have the types the schema gives them");
            }
            if (entry.id.value != expected_id) {
                return broken(entry.id.value, "entry " + std::to_string(expected_id) +
                                                  " is missing: the chain's ids have no gaps, so it was deleted");
            }
            if (linked_to != previous_hash) {
                return broken(entry.id.value,
                              "its link does not match the hash of the entry before it: an entry "
                              "before it was deleted, inserted or rewritten");
            }
            if (hash != AuditChainHash(entry, previous_hash)) {
                return broken(entry.id.value,
                              "its content does not match its hash: it was changed or written past "
                              "kclinic");
            }
            previous_hash = hash;
            ++expected_id;
            ++check.chained_entries;
            after = entry.id.value;
        }
        if (static_cast<std::int64_t>(rows.size()) < kPage) {
            break;
        }
    }
    const std::int64_t last_id = expected_id - 1;
    if (last_id < head_id) {
        return broken(last_id + 1, "the chain head names entry " + std::to_string(head_id) +
                                       " as the last one, but the "
                                       "log ends at entry " +
                                       std::to_string(last_id) + ": entries at its end were deleted");
    }
    if (last_id > head_id) {
        return broken(head_id + 1, "the chain head names entry " + std::to_string(head_id) +
                                       " as the last one: the entries after it were added past kclinic");
    }
    if (previous_hash != head_hash) {
        return broken(last_id, "its hash is not the one the chain head holds: the head was changed past kclinic");
    }
    check.head_hash = previous_hash;
    return check;
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
