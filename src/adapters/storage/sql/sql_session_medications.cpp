// The medications given during a session besides its ordered drug, over SqlConnection; schema in
// migrations/0010_infusion_stops_and_session_medications.sql, whose triggers keep them append-only.

#include <string>
#include <vector>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

constexpr std::string_view kSessionMedicationColumns =
    "id, session_id, patient_id, drug, dose, unit, route, given_at, indication, order_kind, late_entry, recorded_at, "
    "recorded_by";

Result<app::SessionMedication> SessionMedicationFromRow(const SqlRow& row) {
    RowReader read(row);
    app::SessionMedication medication;
    medication.id = app::SessionMedicationId{read.Int(0)};
    medication.session = app::SessionId{read.Int(1)};
    medication.patient = app::PatientId{read.Int(2)};
    medication.drug = read.Text(3);
    medication.dose = read.Double(4);
    const std::optional<clinical::MedicationUnit> unit = clinical::kMedicationUnitNames.Parse(read.Text(5));
    const std::optional<clinical::MedicationRoute> route = clinical::kMedicationRouteNames.Parse(read.Text(6));
    medication.given_at = FromMillis(read.Int(7));
    medication.indication = read.Text(8);
    const std::optional<clinical::MedicationOrderKind> kind = clinical::kMedicationOrderKindNames.Parse(read.Text(9));
    medication.late_entry = read.Int(10) != 0;
    medication.recorded_at = FromMillis(read.Int(11));
    medication.recorded_by = read.Text(12);
    if (!read.ok() || !unit || !route || !kind) {
        return Corrupt("session_medications");
    }
    medication.unit = *unit;
    medication.route = *route;
    medication.order_kind = *kind;
    return medication;
}

}  // namespace

Result<app::SessionMedicationId> SqlTransaction::InsertSessionMedication(const app::SessionMedication& medication) {
    const std::vector<SqlValue> params = {medication.session.value,
                                          medication.patient.value,
                                          medication.drug,
                                          medication.dose,
                                          std::string(clinical::kMedicationUnitNames.Name(medication.unit)),
                                          std::string(clinical::kMedicationRouteNames.Name(medication.route)),
                                          Millis(medication.given_at),
                                          medication.indication,
                                          std::string(clinical::kMedicationOrderKindNames.Name(medication.order_kind)),
                                          std::int64_t{medication.late_entry ? 1 : 0},
                                          Millis(medication.recorded_at),
                                          medication.recorded_by};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO session_medications (session_id, patient_id, drug, dose, unit, "
                                       "route, given_at, indication, order_kind, late_entry, recorded_at, "
                                       "recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                                       "RETURNING id",
                                       params));
    return app::SessionMedicationId{InsertedId(rows)};
}

Result<std::vector<app::SessionMedication>> SqlTransaction::ListSessionMedications(app::SessionId session) {
    return QueryRows<app::SessionMedication>(
        connection_,
        "SELECT " + std::string(kSessionMedicationColumns) +
            " FROM session_medications WHERE session_id = $1 ORDER BY given_at, id",
        {session.value}, SessionMedicationFromRow);
}

}  // namespace kclinic::adapters::storage::sql
