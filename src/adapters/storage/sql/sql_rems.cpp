// The Spravato REMS Patient Monitoring Forms over SqlConnection; schema in
// migrations/0006_session_history_and_rems.sql. A due form is one row with its identity and due date; the
// submission writes the frozen form into the same row's remaining columns.

#include <optional>
#include <string>
#include <utility>

#include "adapters/storage/sql/json_columns.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

std::int64_t Flag(bool value) {
    return value ? 1 : 0;
}

// The three columns of one optional blood pressure: systolic, diastolic, observed_at.
void AppendBp(std::vector<SqlValue>& params, const std::optional<clinical::TimedBloodPressure>& bp) {
    if (bp) {
        params.emplace_back(std::int64_t{bp->value.systolic_mmhg});
        params.emplace_back(std::int64_t{bp->value.diastolic_mmhg});
        params.emplace_back(Millis(bp->observed_at));
    } else {
        params.insert(params.end(), 3, SqlValue{});
    }
}

std::optional<clinical::TimedBloodPressure> ReadBp(RowReader& read, std::size_t column) {
    if (read.IsNull(column)) {
        return std::nullopt;
    }
    return clinical::TimedBloodPressure{
        clinical::BloodPressure{static_cast<int>(read.Int(column)), static_cast<int>(read.Int(column + 1))},
        FromMillis(read.Int(column + 2))};
}

// The identity columns, then the submission columns in the order SubmitRemsForm writes them.
constexpr std::string_view kFormColumns =
    "id, session_id, patient_id, treatment_date, due_date, status, created_at, created_by, submitted_at, "
    "submitted_by, confirmation_reference, patient_given_name, patient_family_name, patient_birth_date, patient_sex, "
    "first_treatment, benzodiazepine, sedative_hypnotic, psychostimulant, mao_inhibitor, opioid, "
    "monitoring_provider, healthcare_setting, administered_on, dose_mg, lot_numbers, first_device_at, "
    "monitoring_ended_at, monitoring_minutes, bp_before_systolic, bp_before_diastolic, bp_before_at, "
    "bp_40_systolic, bp_40_diastolic, bp_40_at, bp_end_systolic, bp_end_diastolic, bp_end_at, "
    "vitals_acceptable_before, vitals_acceptable_end, sedation, dissociation, respiratory_depression, "
    "lowest_spo2_percent, ready_to_leave_minutes, missing_readings_reason";

// The submission columns of a submitted row (column 8 on).
Result<app::RemsSubmission> SubmissionFromRow(RowReader& read) {
    app::RemsSubmission submission;
    submission.submitted_at = FromMillis(read.Int(8));
    submission.submitted_by = read.Text(9);
    submission.confirmation_reference = read.Text(10);
    app::RemsMonitoringForm& form = submission.form;
    form.patient_given_name = read.Text(11);
    form.patient_family_name = read.Text(12);
    const std::optional<std::chrono::sys_days> birth = ParseDate(read.Text(13));
    Result<clinical::Sex> sex = clinical::ParseSex(read.Text(14));
    form.first_treatment = read.Bool(15);
    clinical::RemsMonitoring& monitoring = form.monitoring;
    monitoring.concomitant =
        clinical::RemsConcomitantMedications{read.Bool(16), read.Bool(17), read.Bool(18), read.Bool(19), read.Bool(20)};
    form.monitoring_provider = read.Text(21);
    form.healthcare_setting = read.Text(22);
    const std::optional<std::chrono::sys_days> administered = ParseDate(read.Text(23));
    monitoring.dose_mg = read.Double(24);
    monitoring.dose = clinical::RemsDoseFor(monitoring.dose_mg);
    std::optional<std::vector<std::string>> lots = StringsFromJson(read.Text(25));
    monitoring.first_device_at = FromMillis(read.Int(26));
    monitoring.monitoring_ended_at = FromMillis(read.Int(27));
    monitoring.monitoring_minutes = static_cast<int>(read.Int(28));
    monitoring.monitoring_minimum_met = monitoring.monitoring_minutes >= clinical::kEsketamineMinMonitoringMinutes;
    monitoring.bp_before_administration = ReadBp(read, 29);
    monitoring.bp_40_minutes_after = ReadBp(read, 32);
    monitoring.bp_before_end = ReadBp(read, 35);
    monitoring.vitals_acceptable_before_administration = read.Bool(38);
    monitoring.vitals_acceptable_before_end = read.Bool(39);
    monitoring.sedation = read.Bool(40);
    monitoring.dissociation = read.Bool(41);
    monitoring.respiratory_depression = read.Bool(42);
    if (!read.IsNull(43)) {
        monitoring.lowest_spo2_percent = read.Double(43);
    }
    form.ready_to_leave_minutes = static_cast<int>(read.Int(44));
    submission.missing_readings_reason = read.Text(45);
    if (!read.ok() || !birth || !sex.ok() || !administered || !lots) {
        return Corrupt("rems_forms");
    }
    form.patient_birth_date = *birth;
    form.patient_sex = *sex;
    form.administered_on = *administered;
    monitoring.lot_numbers = std::move(*lots);
    return submission;
}

Result<app::RemsFormRecord> FormFromRow(const SqlRow& row) {
    RowReader read(row);
    app::RemsFormRecord record;
    record.id = app::RemsFormId{read.Int(0)};
    record.session = app::SessionId{read.Int(1)};
    record.patient = app::PatientId{read.Int(2)};
    const std::optional<std::chrono::sys_days> treatment = ParseDate(read.Text(3));
    const std::optional<std::chrono::sys_days> due = ParseDate(read.Text(4));
    Result<app::RemsFormStatus> status = app::ParseRemsFormStatus(read.Text(5));
    record.created_at = FromMillis(read.Int(6));
    record.created_by = read.Text(7);
    if (!read.ok() || !treatment || !due || !status.ok()) {
        return Corrupt("rems_forms");
    }
    record.treatment_date = *treatment;
    record.due_date = *due;
    record.status = *status;
    if (record.status == app::RemsFormStatus::kSubmitted) {
        ASSIGN_OR_RETURN(app::RemsSubmission submission, SubmissionFromRow(read));
        record.submission = std::move(submission);
    }
    return record;
}

}  // namespace

Result<app::RemsFormId> SqlTransaction::InsertRemsForm(const app::RemsFormRecord& form) {
    const std::vector<SqlValue> params = {form.session.value,
                                          form.patient.value,
                                          FormatDate(form.treatment_date),
                                          FormatDate(form.due_date),
                                          std::string(app::RemsFormStatusName(app::RemsFormStatus::kDue)),
                                          Millis(form.created_at),
                                          form.created_by};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO rems_forms (session_id, patient_id, treatment_date, due_date, status, created_at, created_by) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params));
    return app::RemsFormId{InsertedId(rows)};
}

Result<std::optional<app::RemsFormRecord>> SqlTransaction::FindRemsForm(app::SessionId session) {
    ASSIGN_OR_RETURN(std::vector<app::RemsFormRecord> forms,
                     QueryRows<app::RemsFormRecord>(
                         connection_, "SELECT " + std::string(kFormColumns) + " FROM rems_forms WHERE session_id = $1",
                         {session.value}, FormFromRow));
    if (forms.empty()) {
        return std::optional<app::RemsFormRecord>{};
    }
    return std::optional<app::RemsFormRecord>{forms.front()};
}

Status SqlTransaction::SubmitRemsForm(app::RemsFormId id, const app::RemsSubmission& submission) {
    const app::RemsMonitoringForm& form = submission.form;
    const clinical::RemsMonitoring& monitoring = form.monitoring;
    const clinical::RemsConcomitantMedications& concomitant = monitoring.concomitant;
    std::vector<SqlValue> params = {id.value,
                                    std::string(app::RemsFormStatusName(app::RemsFormStatus::kSubmitted)),
                                    Millis(submission.submitted_at),
                                    submission.submitted_by,
                                    submission.confirmation_reference,
                                    form.patient_given_name,
                                    form.patient_family_name,
                                    FormatDate(form.patient_birth_date),
                                    std::string(clinical::SexName(form.patient_sex)),
                                    Flag(form.first_treatment),
                                    Flag(concomitant.benzodiazepine),
                                    Flag(concomitant.sedative_hypnotic),
                                    Flag(concomitant.psychostimulant),
                                    Flag(concomitant.mao_inhibitor),
                                    Flag(concomitant.opioid),
                                    form.monitoring_provider,
                                    form.healthcare_setting,
                                    FormatDate(form.administered_on),
                                    monitoring.dose_mg,
                                    StringsToJson(monitoring.lot_numbers),
                                    Millis(monitoring.first_device_at),
                                    Millis(monitoring.monitoring_ended_at),
                                    std::int64_t{monitoring.monitoring_minutes}};
    AppendBp(params, monitoring.bp_before_administration);
    AppendBp(params, monitoring.bp_40_minutes_after);
    AppendBp(params, monitoring.bp_before_end);
    params.insert(
        params.end(),
        {Flag(monitoring.vitals_acceptable_before_administration), Flag(monitoring.vitals_acceptable_before_end),
         Flag(monitoring.sedation), Flag(monitoring.dissociation), Flag(monitoring.respiratory_depression),
         monitoring.lowest_spo2_percent ? SqlValue{*monitoring.lowest_spo2_percent} : SqlValue{},
         form.ready_to_leave_minutes ? SqlValue{std::int64_t{*form.ready_to_leave_minutes}} : SqlValue{},
         submission.missing_readings_reason});
    // Only a row still due matches, so two racing submissions cannot both apply.
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "UPDATE rems_forms SET status = $2, submitted_at = $3, submitted_by = $4, confirmation_reference = $5, "
            "patient_given_name = $6, patient_family_name = $7, patient_birth_date = $8, patient_sex = $9, "
            "first_treatment = $10, benzodiazepine = $11, sedative_hypnotic = $12, psychostimulant = $13, "
            "mao_inhibitor = $14, opioid = $15, monitoring_provider = $16, healthcare_setting = $17, "
            "administered_on = $18, dose_mg = $19, lot_numbers = $20, first_device_at = $21, monitoring_ended_at = "
            "$22, "
            "monitoring_minutes = $23, bp_before_systolic = $24, bp_before_diastolic = $25, bp_before_at = $26, "
            "bp_40_systolic = $27, bp_40_diastolic = $28, bp_40_at = $29, bp_end_systolic = $30, bp_end_diastolic = "
            "$31, "
            "bp_end_at = $32, vitals_acceptable_before = $33, vitals_acceptable_end = $34, sedation = $35, "
            "dissociation = $36, respiratory_depression = $37, lowest_spo2_percent = $38, ready_to_leave_minutes = "
            "$39, "
            "missing_readings_reason = $40 WHERE id = $1 AND status = 'due' RETURNING id",
            params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    const std::vector<SqlValue> form_id = {id.value};
    ASSIGN_OR_RETURN(std::vector<SqlRow> existing,
                     connection_.Query("SELECT status FROM rems_forms WHERE id = $1", form_id));
    if (existing.empty()) {
        return Error{ErrorCode::kNotFound, "rems_form_id", "no REMS form with id " + std::to_string(id.value)};
    }
    return Error{ErrorCode::kFailedPrecondition, "rems_form_id",
                 "REMS form " + std::to_string(id.value) + " is already submitted; a submitted form is never edited"};
}

Status SqlTransaction::SetRemsConfirmationReference(app::RemsFormId id, std::string_view confirmation_reference) {
    const std::vector<SqlValue> params = {id.value, std::string(confirmation_reference)};
    // Only a submitted row without a reference matches, so two racing confirmations cannot both apply.
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE rems_forms SET confirmation_reference = $2 WHERE id = $1 AND "
                                       "status = 'submitted' AND confirmation_reference = '' RETURNING id",
                                       params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    return Error{ErrorCode::kFailedPrecondition, "confirmation_reference",
                 "REMS form " + std::to_string(id.value) +
                     " is not a submitted form without a confirmation reference; a reference is added once"};
}

Result<std::vector<app::RemsFormRecord>> SqlTransaction::ListDueRemsForms() {
    return QueryRows<app::RemsFormRecord>(
        connection_,
        "SELECT " + std::string(kFormColumns) + " FROM rems_forms WHERE status = 'due' ORDER BY due_date, id", {},
        FormFromRow);
}

}  // namespace kclinic::adapters::storage::sql
