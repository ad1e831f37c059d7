// The clinic record's second slice over SqlConnection: patient history (history_entries, antidepressant_trials)
// and screenings (screenings, screening_findings); schema in migrations/0002_history_and_screenings.sql.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/json/clinical_json.hpp"
#include "adapters/storage/sql/entered_in_error_sql.hpp"
#include "adapters/storage/sql/json_columns.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

using app::TimePoint;

std::int64_t Flag(bool value) {
    return value ? 1 : 0;
}
SqlValue OptionalDate(const std::optional<std::chrono::sys_days>& date) {
    return date ? SqlValue{FormatDate(*date)} : SqlValue{};
}

// The inputs snapshot and the counted trial drugs are JSON text; see the migration's comment on `inputs`.
std::optional<clinical::Intake> IntakeFromText(std::string_view text) {
    Result<json::Json> parsed = json::Parse(text);
    if (!parsed.ok()) {
        return std::nullopt;
    }
    Result<clinical::Intake> intake = json::IntakeFromJson(*parsed);
    if (!intake.ok()) {
        return std::nullopt;
    }
    return std::move(intake).value();
}

// A screening's settings snapshot in its one column: "name=value" lines in the order ScreeningSettingsOf gives. A
// setting's name has no "=" and no value a screening setting can take holds a line break, so the text splits back.
std::string SettingsToText(const std::vector<clinical::SettingValue>& settings) {
    std::string text;
    for (const clinical::SettingValue& setting : settings) {
        text += (text.empty() ? "" : "\n") + setting.name + "=" + setting.value;
    }
    return text;
}

// The inverse of SettingsToText; nullopt for a line without "=" (a column written by something else).
std::optional<std::vector<clinical::SettingValue>> SettingsFromText(std::string_view text) {
    std::vector<clinical::SettingValue> settings;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = text.substr(0, end);
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            return std::nullopt;
        }
        settings.push_back(
            clinical::SettingValue{std::string(line.substr(0, equals)), std::string(line.substr(equals + 1))});
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return settings;
}

}  // namespace

Result<app::HistoryEntryId> SqlTransaction::InsertHistoryEntry(const app::HistoryEntry& entry) {
    const std::vector<SqlValue> params = {entry.patient.value, std::string(app::HistoryKindName(entry.kind)),
                                          entry.value, Millis(entry.noted_at), entry.noted_by};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO history_entries (patient_id, kind, value, noted_at, noted_by) VALUES ($1, $2, $3, $4, $5) "
            "RETURNING id",
            params));
    return app::HistoryEntryId{InsertedId(rows)};
}

Result<std::vector<app::HistoryEntry>> SqlTransaction::ListHistoryEntries(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "SELECT id, patient_id, kind, value, noted_at, noted_by, stopped_on, stop_reason, stop_recorded_at, "
            "stop_recorded_by, " +
                std::string(kEnteredInErrorColumns) +
                " FROM history_entries WHERE patient_id = $1 ORDER BY noted_at, id",
            params));
    std::vector<app::HistoryEntry> entries;
    for (const SqlRow& row : rows) {
        RowReader read(row);
        app::HistoryEntry entry;
        entry.id = app::HistoryEntryId{read.Int(0)};
        entry.patient = app::PatientId{read.Int(1)};
        Result<app::HistoryKind> kind = app::ParseHistoryKind(read.Text(2));
        entry.value = read.Text(3);
        entry.noted_at = FromMillis(read.Int(4));
        entry.noted_by = read.Text(5);
        if (std::optional<std::chrono::sys_days> stopped_on = read.OptionalDate(6)) {
            entry.stop = app::MedicationStop{*stopped_on, read.Text(7), FromMillis(read.Int(8)), read.Text(9)};
        }
        entry.entered_in_error = ReadEnteredInError(read, 10);
        if (!read.ok() || !kind.ok()) {
            return Corrupt("history_entries");
        }
        entry.kind = *kind;
        entries.push_back(std::move(entry));
    }
    return entries;
}

Result<app::TrialId> SqlTransaction::InsertTrial(const app::TrialRecord& trial) {
    const std::vector<SqlValue> params = {trial.patient.value,
                                          trial.trial.drug,
                                          std::int64_t{trial.trial.weeks},
                                          Flag(trial.trial.adequate_dose),
                                          trial.trial.improvement_percent,
                                          Flag(trial.trial.current_episode),
                                          OptionalDate(trial.started_on),
                                          OptionalDate(trial.ended_on),
                                          Millis(trial.recorded_at),
                                          trial.recorded_by};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO antidepressant_trials (patient_id, drug, weeks, adequate_dose, improvement_percent, "
            "current_episode, started_on, ended_on, recorded_at, recorded_by) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            params));
    return app::TrialId{InsertedId(rows)};
}

Result<std::vector<app::TrialRecord>> SqlTransaction::ListTrials(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "SELECT id, patient_id, drug, weeks, adequate_dose, improvement_percent, current_episode, started_on, "
            "ended_on, recorded_at, recorded_by, " +
                std::string(kEnteredInErrorColumns) + " FROM antidepressant_trials WHERE patient_id = $1 ORDER BY id",
            params));
    std::vector<app::TrialRecord> trials;
    for (const SqlRow& row : rows) {
        RowReader read(row);
        app::TrialRecord trial;
        trial.id = app::TrialId{read.Int(0)};
        trial.patient = app::PatientId{read.Int(1)};
        trial.trial.drug = read.Text(2);
        trial.trial.weeks = static_cast<int>(read.Int(3));
        trial.trial.adequate_dose = read.Bool(4);
        trial.trial.improvement_percent = read.Double(5);
        trial.trial.current_episode = read.Bool(6);
        trial.started_on = read.OptionalDate(7);
        trial.ended_on = read.OptionalDate(8);
        trial.recorded_at = FromMillis(read.Int(9));
        trial.recorded_by = read.Text(10);
        trial.entered_in_error = ReadEnteredInError(read, 11);
        if (!read.ok()) {
            return Corrupt("antidepressant_trials");
        }
        trials.push_back(std::move(trial));
    }
    return trials;
}

Status SqlTransaction::MarkHistoryEntryEnteredInError(app::HistoryEntryId id, const app::EnteredInError& mark) {
    return MarkEnteredInError(connection_, "history_entries", "entry_id", "history entry", id.value, mark);
}

Status SqlTransaction::MarkTrialEnteredInError(app::TrialId id, const app::EnteredInError& mark) {
    return MarkEnteredInError(connection_, "antidepressant_trials", "trial_id", "antidepressant trial", id.value, mark);
}

Status SqlTransaction::StopMedication(app::HistoryEntryId id, const app::MedicationStop& stop) {
    const std::vector<SqlValue> params = {id.value, FormatDate(stop.stopped_on), stop.reason, Millis(stop.recorded_at),
                                          stop.recorded_by};
    ASSIGN_OR_RETURN(std::vector<SqlRow> stopped,
                     connection_.Query("UPDATE history_entries SET stopped_on = $2, stop_reason = $3, "
                                       "stop_recorded_at = $4, stop_recorded_by = $5 "
                                       "WHERE id = $1 AND kind = 'medication' AND stopped_on IS NULL RETURNING id",
                                       params));
    if (!stopped.empty()) {
        return Status::Ok();
    }
    const std::vector<SqlValue> id_param = {id.value};
    ASSIGN_OR_RETURN(std::vector<SqlRow> existing,
                     connection_.Query("SELECT kind FROM history_entries WHERE id = $1", id_param));
    if (existing.empty()) {
        return Error{ErrorCode::kNotFound, "entry_id", "no history entry with id " + std::to_string(id.value)};
    }
    return Error{ErrorCode::kFailedPrecondition, "entry_id",
                 "history entry " + std::to_string(id.value) + " is not a current medication; a stop is final"};
}

Result<app::ScreeningId> SqlTransaction::InsertScreening(const app::ScreeningRecord& screening) {
    const clinical::Screening& result = screening.result;
    const std::vector<SqlValue> params = {screening.patient.value,
                                          json::IntakeToJson(screening.inputs).dump(),
                                          std::string(clinical::DecisionName(result.decision)),
                                          std::int64_t{result.adequate_failed_trials},
                                          StringsToJson(result.counted_trial_drugs),
                                          Flag(result.treatment_resistant),
                                          Flag(result.indication_established),
                                          Millis(screening.screened_at),
                                          screening.screened_by,
                                          SettingsToText(screening.settings)};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO screenings (patient_id, inputs, decision, adequate_failed_trials, counted_trial_drugs, "
            "treatment_resistant, indication_established, screened_at, screened_by, settings) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            params));
    const app::ScreeningId id{InsertedId(rows)};
    for (std::size_t position = 0; position < result.findings.size(); ++position) {
        const clinical::Finding& finding = result.findings[position];
        const std::vector<SqlValue> finding_params = {
            id.value,        static_cast<std::int64_t>(position),
            finding.rule_id, std::string(clinical::SeverityName(finding.severity)),
            finding.message, finding.source};
        RETURN_IF_ERROR(connection_.Query(
            "INSERT INTO screening_findings (screening_id, position, rule_id, severity, message, source) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            finding_params));
    }
    return id;
}

Result<app::ScreeningRecord> SqlTransaction::GetScreening(app::ScreeningId id) {
    const std::vector<SqlValue> params = {id.value};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "SELECT id, patient_id, inputs, decision, adequate_failed_trials, counted_trial_drugs, "
            "treatment_resistant, "
            "indication_established, screened_at, screened_by, sign_off, sign_reason, signed_at, signed_by, "
            "settings FROM screenings WHERE id = $1",
            params));
    if (rows.empty()) {
        return Error{ErrorCode::kNotFound, "screening_id", "no screening with id " + std::to_string(id.value)};
    }
    RowReader read(rows.front());
    app::ScreeningRecord screening;
    screening.id = app::ScreeningId{read.Int(0)};
    screening.patient = app::PatientId{read.Int(1)};
    std::optional<clinical::Intake> inputs = IntakeFromText(read.Text(2));
    Result<clinical::Decision> decision = clinical::ParseDecision(read.Text(3));
    screening.result.adequate_failed_trials = static_cast<int>(read.Int(4));
    std::optional<std::vector<std::string>> counted = StringsFromJson(read.Text(5));
    screening.result.treatment_resistant = read.Bool(6);
    screening.result.indication_established = read.Bool(7);
    screening.screened_at = FromMillis(read.Int(8));
    screening.screened_by = read.Text(9);
    bool sign_off_ok = true;
    if (!read.IsNull(10)) {
        Result<app::SignOff> sign_off = app::ParseSignOff(read.Text(10));
        sign_off_ok = sign_off.ok();
        screening.signature = app::ScreeningSignature{sign_off.ok() ? *sign_off : app::SignOff::kAccepted,
                                                      read.Text(11), FromMillis(read.Int(12)), read.Text(13)};
    }
    std::optional<std::vector<clinical::SettingValue>> settings = SettingsFromText(read.Text(14));
    if (!read.ok() || !inputs || !decision.ok() || !counted || !sign_off_ok || !settings) {
        return Corrupt("screenings");
    }
    screening.settings = std::move(*settings);
    screening.inputs = std::move(*inputs);
    screening.result.decision = *decision;
    screening.result.counted_trial_drugs = std::move(*counted);

    ASSIGN_OR_RETURN(
        std::vector<SqlRow> findings,
        connection_.Query("SELECT rule_id, severity, message, source FROM screening_findings WHERE screening_id = $1 "
                          "ORDER BY position",
                          params));
    for (const SqlRow& row : findings) {
        RowReader finding_read(row);
        clinical::Finding finding;
        finding.rule_id = finding_read.Text(0);
        Result<clinical::Severity> severity = clinical::ParseSeverity(finding_read.Text(1));
        finding.message = finding_read.Text(2);
        finding.source = finding_read.Text(3);
        if (!finding_read.ok() || !severity.ok()) {
            return Corrupt("screening_findings");
        }
        finding.severity = *severity;
        screening.result.findings.push_back(std::move(finding));
    }
    return screening;
}

Result<std::vector<app::ScreeningRecord>> SqlTransaction::ListScreenings(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> ids,
        connection_.Query("SELECT id FROM screenings WHERE patient_id = $1 ORDER BY screened_at, id", params));
    // A screening is several tables (the row, its findings); GetScreening is the one place that assembles it.
    std::vector<app::ScreeningRecord> screenings;
    for (const SqlRow& row : ids) {
        RowReader read(row);
        const app::ScreeningId id{read.Int(0)};
        if (!read.ok()) {
            return Corrupt("screenings");
        }
        ASSIGN_OR_RETURN(app::ScreeningRecord screening, GetScreening(id));
        screenings.push_back(std::move(screening));
    }
    return screenings;
}

Status SqlTransaction::SignScreening(app::ScreeningId id, const app::ScreeningSignature& signature) {
    const std::vector<SqlValue> params = {id.value, std::string(app::SignOffName(signature.sign_off)), signature.reason,
                                          Millis(signature.signed_at), signature.signed_by};
    // Only an unsigned row matches, so a second signature changes nothing even when two race.
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("UPDATE screenings SET sign_off = $2, sign_reason = $3, signed_at = $4, signed_by = $5 "
                          "WHERE id = $1 AND signed_at IS NULL RETURNING id",
                          params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(app::ScreeningRecord current, GetScreening(id));
    const std::string signed_by = current.signature ? current.signature->signed_by : std::string("someone");
    return Error{ErrorCode::kFailedPrecondition, "screening_id",
                 "screening " + std::to_string(id.value) + " is already signed by " + signed_by +
                     "; a signed screening is never edited"};
}

}  // namespace kclinic::adapters::storage::sql
