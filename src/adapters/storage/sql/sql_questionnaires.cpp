// The questionnaires clinicians assign to patients over SqlConnection; schema in
// migrations/0021_questionnaire_assignments.sql.

#include <optional>
#include <string>
#include <utility>

#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

constexpr std::string_view kAssignmentColumns =
    "id, patient_id, instrument, first_due, every_days, assigned_at, assigned_by, ended_at, ended_by";

Result<app::QuestionnaireAssignment> AssignmentFromRow(const SqlRow& row) {
    RowReader read(row);
    app::QuestionnaireAssignment assignment;
    assignment.id = app::QuestionnaireAssignmentId{read.Int(0)};
    assignment.patient = app::PatientId{read.Int(1)};
    Result<clinical::Instrument> instrument = clinical::ParseInstrument(read.Text(2));
    const std::optional<std::chrono::sys_days> first_due = ParseDate(read.Text(3));
    if (!read.IsNull(4)) {
        assignment.every_days = static_cast<int>(read.Int(4));
    }
    assignment.assigned_at = FromMillis(read.Int(5));
    assignment.assigned_by = read.Text(6);
    assignment.ended_at = ReadOptionalTime(read, 7);
    assignment.ended_by = read.Text(8);
    if (!read.ok() || !instrument.ok() || !first_due) {
        return Corrupt("questionnaire_assignments");
    }
    assignment.instrument = *instrument;
    assignment.first_due = *first_due;
    return assignment;
}

}  // namespace

Result<app::QuestionnaireAssignmentId> SqlTransaction::InsertQuestionnaireAssignment(
    const app::QuestionnaireAssignment& assignment) {
    const std::vector<SqlValue> params = {
        assignment.patient.value,
        std::string(clinical::InstrumentName(assignment.instrument)),
        FormatDate(assignment.first_due),
        assignment.every_days ? SqlValue{static_cast<std::int64_t>(*assignment.every_days)} : SqlValue{},
        Millis(assignment.assigned_at),
        assignment.assigned_by};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO questionnaire_assignments (patient_id, instrument, first_due, "
                                       "every_days, assigned_at, assigned_by) VALUES ($1, $2, $3, $4, $5, $6) "
                                       "RETURNING id",
                                       params));
    return app::QuestionnaireAssignmentId{InsertedId(rows)};
}

Result<std::vector<app::QuestionnaireAssignment>> SqlTransaction::ListQuestionnaireAssignments(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    return QueryRows<app::QuestionnaireAssignment>(
        connection_,
        "SELECT " + std::string(kAssignmentColumns) +
            " FROM questionnaire_assignments WHERE patient_id = $1 ORDER BY id",
        params, AssignmentFromRow);
}

Status SqlTransaction::EndQuestionnaireAssignment(app::QuestionnaireAssignmentId id, app::TimePoint at,
                                                  std::string_view by) {
    const std::vector<SqlValue> params = {id.value, Millis(at), std::string(by)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE questionnaire_assignments SET ended_at = $2, ended_by = $3 "
                                       "WHERE id = $1 AND ended_at IS NULL RETURNING id",
                                       params));
    if (rows.empty()) {
        return Error{ErrorCode::kNotFound, "assignment_id",
                     "no questionnaire assignment in force with id " + std::to_string(id.value)};
    }
    return Status::Ok();
}

}  // namespace kclinic::adapters::storage::sql
