// The controlled-substance log over SqlConnection; schema in migrations/0024_controlled_substances.sql.

#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

constexpr std::string_view kContainerColumns =
    "id, product, lot_number, expires_on, supplier, invoice, received_at, received_by";
constexpr std::string_view kEntryColumns =
    "id, container_id, kind, units, given_units, expected_units, refers_to, administration_id, patient_id, location, "
    "reference, reason, witness, recorded_at, recorded_by";

Result<app::CsContainer> ContainerFromRow(const SqlRow& row) {
    RowReader read(row);
    app::CsContainer container;
    container.id = app::CsContainerId{read.Int(0)};
    container.product = read.Text(1);
    container.lot_number = read.Text(2);
    const std::optional<std::chrono::sys_days> expires_on = ParseDate(read.Text(3));
    container.supplier = read.Text(4);
    container.invoice = read.Text(5);
    container.received_at = FromMillis(read.Int(6));
    container.received_by = read.Text(7);
    if (!read.ok() || !expires_on) {
        return Corrupt("cs_containers");
    }
    container.expires_on = *expires_on;
    return container;
}

template <typename IdType>
std::optional<IdType> OptionalId(RowReader& read, std::size_t column) {
    return read.IsNull(column) ? std::nullopt : std::optional<IdType>(IdType{read.Int(column)});
}

template <typename IdType>
SqlValue OptionalIdValue(const std::optional<IdType>& id) {
    return id ? SqlValue{id->value} : SqlValue{};
}

Result<app::CsEntry> EntryFromRow(const SqlRow& row) {
    RowReader read(row);
    app::CsEntry entry;
    entry.id = app::CsEntryId{read.Int(0)};
    entry.container = app::CsContainerId{read.Int(1)};
    const std::optional<clinical::CsMovementKind> kind = clinical::kCsMovementKindNames.Parse(read.Text(2));
    entry.units = read.Int(3);
    entry.given_units = read.Int(4);
    entry.expected_units = read.Int(5);
    entry.refers_to = OptionalId<app::CsEntryId>(read, 6);
    entry.administration = OptionalId<app::AdministrationId>(read, 7);
    entry.patient = OptionalId<app::PatientId>(read, 8);
    entry.location = read.Text(9);
    entry.reference = read.Text(10);
    entry.reason = read.Text(11);
    entry.witness = read.Text(12);
    entry.recorded_at = FromMillis(read.Int(13));
    entry.recorded_by = read.Text(14);
    if (!read.ok() || !kind) {
        return Corrupt("cs_entries");
    }
    entry.kind = *kind;
    return entry;
}

Error NoContainer(app::CsContainerId id) {
    return Error{ErrorCode::kNotFound, "container_id", "no controlled-substance container " + std::to_string(id.value)};
}

}  // namespace

Result<app::CsContainerId> SqlTransaction::InsertCsContainer(const app::CsContainer& container) {
    const std::vector<SqlValue> params = {container.product,    container.lot_number, FormatDate(container.expires_on),
                                          container.supplier,   container.invoice,    Millis(container.received_at),
                                          container.received_by};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO cs_containers (product, lot_number, expires_on, supplier, invoice, "
                                       "received_at, received_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                       params));
    return app::CsContainerId{InsertedId(rows)};
}

Result<app::CsContainer> SqlTransaction::GetCsContainer(app::CsContainerId id) {
    return QueryOne(connection_, "SELECT " + std::string(kContainerColumns) + " FROM cs_containers WHERE id = $1",
                    {id.value}, ContainerFromRow, NoContainer(id));
}

Result<std::vector<app::CsContainer>> SqlTransaction::ListCsContainers() {
    return QueryRows<app::CsContainer>(connection_,
                                       "SELECT " + std::string(kContainerColumns) + " FROM cs_containers ORDER BY id",
                                       {}, ContainerFromRow);
}

Status SqlTransaction::LockCsContainer(app::CsContainerId id) {
    // As LockSchedule: the UPDATE holds the row's write lock on PostgreSQL until the transaction ends, and the next
    // mover of this container reads at READ COMMITTED what this one wrote; SQLite's write transactions are serial.
    const std::vector<SqlValue> params = {id.value};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("UPDATE cs_containers SET lock_generation = lock_generation + 1 WHERE id = $1 RETURNING id",
                          params));
    if (rows.empty()) {
        return NoContainer(id);
    }
    return Status::Ok();
}

Status SqlTransaction::LockAdministrationDraws(app::AdministrationId administration) {
    // As LockSessionPrnDoses: the row's write lock holds on PostgreSQL until the transaction ends; SQLite's write
    // transactions are serial already. The administration is read first so an unknown one is kNotFound, not a
    // foreign-key violation.
    RETURN_IF_ERROR(StatusOf(GetAdministration(administration)));
    const std::vector<SqlValue> params = {administration.value};
    return StatusOf(
        connection_.Query("INSERT INTO cs_administration_locks (administration_id, generation) VALUES ($1, 1) "
                          "ON CONFLICT (administration_id) DO UPDATE SET generation = "
                          "cs_administration_locks.generation + 1",
                          params));
}

Result<app::CsEntryId> SqlTransaction::InsertCsEntry(const app::CsEntry& entry) {
    const std::vector<SqlValue> params = {entry.container.value,
                                          std::string(clinical::kCsMovementKindNames.Name(entry.kind)),
                                          entry.units,
                                          entry.given_units,
                                          entry.expected_units,
                                          OptionalIdValue(entry.refers_to),
                                          OptionalIdValue(entry.administration),
                                          OptionalIdValue(entry.patient),
                                          entry.location,
                                          entry.reference,
                                          entry.reason,
                                          entry.witness,
                                          Millis(entry.recorded_at),
                                          entry.recorded_by};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("INSERT INTO cs_entries (container_id, kind, units, given_units, expected_units, refers_to, "
                          "administration_id, patient_id, location, reference, reason, witness, recorded_at, "
                          "recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                          "RETURNING id",
                          params));
    return app::CsEntryId{InsertedId(rows)};
}

Result<app::CsEntry> SqlTransaction::GetCsEntry(app::CsEntryId id) {
    return QueryOne(
        connection_, "SELECT " + std::string(kEntryColumns) + " FROM cs_entries WHERE id = $1", {id.value},
        EntryFromRow,
        Error{ErrorCode::kNotFound, "entry_id", "no controlled-substance log entry " + std::to_string(id.value)});
}

Result<std::vector<app::CsEntry>> SqlTransaction::ListCsEntries(app::CsContainerId container) {
    return QueryRows<app::CsEntry>(
        connection_, "SELECT " + std::string(kEntryColumns) + " FROM cs_entries WHERE container_id = $1 ORDER BY id",
        {container.value}, EntryFromRow);
}

Result<std::vector<app::CsEntry>> SqlTransaction::ListAllCsEntries() {
    return QueryRows<app::CsEntry>(connection_, "SELECT " + std::string(kEntryColumns) + " FROM cs_entries ORDER BY id",
                                   {}, EntryFromRow);
}

}  // namespace kclinic::adapters::storage::sql
