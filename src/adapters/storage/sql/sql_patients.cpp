// The clinic record's first slice over SqlConnection: patients, their weights, vital signs and assessments; schema
// in migrations/0001_clinic_record.sql.

#include <charconv>
#include <string>
#include <utility>

#include "adapters/storage/sql/entered_in_error_sql.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "app/patient_search.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

// The patients table's one unique key besides the id is the MRN, so a unique-key clash on it is a taken MRN.
Error MrnTaken(Error error, const std::string& mrn) {
    if (error.code == ErrorCode::kConflict) {
        error.field = "mrn";
        error.message = "a patient with MRN " + mrn + " already exists";
    }
    return error;
}

using app::TimePoint;

std::string JoinInts(const std::vector<int>& values) {
    std::string text;
    for (int value : values) {
        text += (text.empty() ? "" : ",") + std::to_string(value);
    }
    return text;
}

std::string JoinTexts(const std::vector<std::string>& values) {
    std::string text;
    for (const std::string& value : values) {
        text += (text.empty() ? "" : ",") + value;
    }
    return text;
}

std::vector<std::string> SplitTexts(std::string_view text) {
    std::vector<std::string> parts;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        parts.emplace_back(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return parts;
}

std::optional<std::vector<int>> SplitInts(std::string_view text) {
    std::vector<int> values;
    for (const std::string& part : SplitTexts(text)) {
        int value = 0;
        const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (error != std::errc() || end != part.data() + part.size()) {
            return std::nullopt;
        }
        values.push_back(value);
    }
    return values;
}

constexpr std::string_view kPatientColumns =
    "id, mrn, given_name, family_name, birth_date, sex, version, created_at, created_by, clinician, address";

Result<app::Patient> PatientFromRow(const SqlRow& row) {
    RowReader read(row);
    app::Patient patient;
    patient.id = app::PatientId{read.Int(0)};
    patient.mrn = read.Text(1);
    patient.given_name = read.Text(2);
    patient.family_name = read.Text(3);
    const std::optional<std::chrono::sys_days> birth_date = ParseDate(read.Text(4));
    Result<clinical::Sex> sex = clinical::ParseSex(read.Text(5));
    patient.version = read.Int(6);
    patient.created_at = FromMillis(read.Int(7));
    patient.created_by = read.Text(8);
    patient.clinician = read.Text(9);
    patient.address = read.Text(10);
    if (!read.ok() || !birth_date || !sex.ok()) {
        return Corrupt("patients");
    }
    patient.birth_date = *birth_date;
    patient.sex = *sex;
    return patient;
}

constexpr std::string_view kVitalColumns =
    "id, patient_id, loinc, value, unit, observed_at, source, device_id, recorded_at, recorded_by, late_entry, "
    "diastolic, mean_arterial, session_id, entered_in_error_reason, entered_in_error_at, entered_in_error_by, "
    "device_message_id";

Result<app::VitalSign> VitalFromRow(const SqlRow& row) {
    RowReader read(row);
    app::VitalSign vital;
    vital.id = app::VitalSignId{read.Int(0)};
    vital.patient = app::PatientId{read.Int(1)};
    vital.loinc = read.Text(2);
    vital.value = read.Double(3);
    vital.unit = read.Text(4);
    vital.observed_at = FromMillis(read.Int(5));
    Result<app::VitalSource> source = app::ParseVitalSource(read.Text(6));
    vital.device_id = read.Text(7);
    vital.recorded_at = FromMillis(read.Int(8));
    vital.recorded_by = read.Text(9);
    vital.late_entry = read.Bool(10);
    vital.diastolic = ReadOptionalReal(read, 11);
    vital.mean_arterial = ReadOptionalReal(read, 12);
    if (!read.IsNull(13)) {
        vital.session = app::SessionId{read.Int(13)};
    }
    vital.entered_in_error = ReadEnteredInError(read, 14);
    vital.device_message_id = read.Text(17);
    if (!read.ok() || !source.ok()) {
        return Corrupt("vital_signs");
    }
    vital.source = *source;
    return vital;
}

constexpr std::string_view kWeightColumns =
    "id, patient_id, measured_at, weight_kg, recorded_by, recorded_at, late_entry, confirmed, "
    "entered_in_error_reason, entered_in_error_at, entered_in_error_by";

Result<app::WeightMeasurement> WeightFromRow(const SqlRow& row) {
    RowReader read(row);
    app::WeightMeasurement weight;
    weight.id = app::WeightId{read.Int(0)};
    weight.patient = app::PatientId{read.Int(1)};
    weight.measured_at = FromMillis(read.Int(2));
    weight.weight_kg = read.Double(3);
    weight.recorded_by = read.Text(4);
    weight.recorded_at = FromMillis(read.Int(5));
    weight.late_entry = read.Bool(6);
    weight.confirmed = read.Bool(7);
    weight.entered_in_error = ReadEnteredInError(read, 8);
    if (!read.ok()) {
        return Corrupt("weights");
    }
    return weight;
}

}  // namespace

Result<app::PatientId> SqlTransaction::InsertPatient(const app::NewPatient& patient, TimePoint created_at,
                                                     std::string_view created_by) {
    const std::vector<SqlValue> params = {patient.mrn,
                                          patient.given_name,
                                          patient.family_name,
                                          FormatDate(patient.birth_date),
                                          std::string(clinical::SexName(patient.sex)),
                                          Millis(created_at),
                                          std::string(created_by),
                                          patient.clinician,
                                          app::PatientSearchText(patient.mrn, patient.given_name, patient.family_name),
                                          patient.address};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO patients (mrn, given_name, family_name, birth_date, sex, version, created_at, created_by, "
        "clinician, search_text, address) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10) RETURNING id",
        params);
    if (!rows.ok()) {
        return MrnTaken(rows.error(), patient.mrn);
    }
    return app::PatientId{InsertedId(*rows)};
}

Result<app::Patient> SqlTransaction::GetPatient(app::PatientId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, "SELECT " + std::string(kPatientColumns) + " FROM patients WHERE id = $1", params,
                    PatientFromRow,
                    Error{ErrorCode::kNotFound, "patient_id", "no patient with id " + std::to_string(id.value)});
}

Result<std::optional<app::Patient>> SqlTransaction::FindPatientByMrn(std::string_view mrn) {
    const std::vector<SqlValue> params = {std::string(mrn)};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("SELECT " + std::string(kPatientColumns) + " FROM patients WHERE mrn = $1", params));
    if (rows.empty()) {
        return std::optional<app::Patient>{};
    }
    ASSIGN_OR_RETURN(app::Patient patient, PatientFromRow(rows.front()));
    return std::optional<app::Patient>{std::move(patient)};
}

Result<std::vector<app::Patient>> SqlTransaction::ListPatients(app::PatientId after, int limit) {
    const std::vector<SqlValue> params = {after.value, std::int64_t{limit}};
    return QueryRows<app::Patient>(
        connection_, "SELECT " + std::string(kPatientColumns) + " FROM patients WHERE id > $1 ORDER BY id LIMIT $2",
        params, PatientFromRow);
}

namespace {

// `column` with A-Z folded to a-z, as FoldAsciiCase (base/text.hpp) folds a search: SQL both backends evaluate alike, where
// lower() would not (SQLite's folds ASCII only, PostgreSQL's every letter its locale knows).
std::string FoldedAsciiCase(const std::string& column) {
    std::string folded = column;
    for (char upper = 'A'; upper <= 'Z'; ++upper) {
        folded.insert(0, "replace(");
        folded += ", '";
        folded += upper;
        folded += "', '";
        folded += static_cast<char>(upper - 'A' + 'a');
        folded += "')";
    }
    return folded;
}

// Whether the folded `column` starts with the text of parameter `parameter` ("$3"), counted in characters (code
// points) on both backends. CAST types the parameter as text for PostgreSQL, which cannot infer it inside length().
std::string FoldedStartsWith(const std::string& column, const std::string& parameter) {
    const std::string text = "CAST(" + parameter + " AS TEXT)";
    return "substr(" + FoldedAsciiCase(column) + ", 1, length(" + text + ")) = " + text;
}

}  // namespace

Result<std::vector<app::Patient>> SqlTransaction::FindPatientsByName(const app::PatientNameSearch& search,
                                                                     app::PatientId after, int limit) {
    static const std::string kEitherName = "SELECT " + std::string(kPatientColumns) +
                                           " FROM patients WHERE id > $1 AND (" + FoldedStartsWith("given_name", "$3") +
                                           " OR " + FoldedStartsWith("family_name", "$3") + ") ORDER BY id LIMIT $2";
    static const std::string kFamilyThenGiven = "SELECT " + std::string(kPatientColumns) +
                                                " FROM patients WHERE id > $1 AND " +
                                                FoldedStartsWith("family_name", "$3") + " AND " +
                                                FoldedStartsWith("given_name", "$4") + " ORDER BY id LIMIT $2";
    std::vector<SqlValue> params = {after.value, std::int64_t{limit}, search.prefix};
    if (search.given) {
        params.emplace_back(*search.given);
    }
    return QueryRows<app::Patient>(connection_, search.given ? kFamilyThenGiven : kEitherName, params, PatientFromRow);
}

Result<std::vector<app::Patient>> SqlTransaction::FindPatientsByWords(std::span<const std::string> words,
                                                                      app::PatientId after, int limit) {
    // Each word must start a word of the search text (" w1 w2 ... "): LIKE '% word%', with LIKE's own characters in
    // the word escaped. Both sides are folded already, so the comparison is byte for byte on both backends.
    std::string sql = "SELECT " + std::string(kPatientColumns) + " FROM patients WHERE id > $1";
    std::vector<SqlValue> params = {after.value, std::int64_t{limit}};
    for (const std::string& word : words) {
        std::string pattern = "% ";
        for (const char c : word) {
            if (c == '%' || c == '_' || c == '\\') {
                pattern += '\\';
            }
            pattern += c;
        }
        pattern += '%';
        params.emplace_back(std::move(pattern));
        sql += " AND search_text LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
    }
    sql += " ORDER BY id LIMIT $2";
    return QueryRows<app::Patient>(connection_, sql, params, PatientFromRow);
}

Result<std::vector<app::Patient>> SqlTransaction::GetPatients(std::span<const app::PatientId> ids) {
    return QueryByIds<app::Patient>(connection_,
                                    "SELECT " + std::string(kPatientColumns) + " FROM patients WHERE id IN ", ids,
                                    " ORDER BY id", PatientFromRow);
}

Status SqlTransaction::UpdatePatient(const app::Patient& patient) {
    const std::vector<SqlValue> params = {patient.id.value,
                                          patient.version,
                                          patient.mrn,
                                          patient.given_name,
                                          patient.family_name,
                                          FormatDate(patient.birth_date),
                                          std::string(clinical::SexName(patient.sex)),
                                          patient.clinician,
                                          app::PatientSearchText(patient.mrn, patient.given_name, patient.family_name),
                                          patient.address};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "UPDATE patients SET mrn = $3, given_name = $4, family_name = $5, birth_date = $6, sex = $7, "
        "clinician = $8, search_text = $9, address = $10, version = version + 1 WHERE id = $1 AND version = $2 "
        "RETURNING version",
        params);
    if (!rows.ok()) {
        return MrnTaken(rows.error(), patient.mrn);
    }
    if (!rows->empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(app::Patient current, GetPatient(patient.id));
    return Error{ErrorCode::kConflict, "version",
                 "patient " + std::to_string(patient.id.value) + " was changed by someone else (version " +
                     std::to_string(current.version) + ", not " + std::to_string(patient.version) + ")"};
}

Result<app::WeightId> SqlTransaction::InsertWeight(const app::WeightMeasurement& weight) {
    const std::vector<SqlValue> params = {weight.patient.value,
                                          Millis(weight.measured_at),
                                          weight.weight_kg,
                                          weight.recorded_by,
                                          Millis(weight.recorded_at),
                                          std::int64_t{weight.late_entry ? 1 : 0},
                                          std::int64_t{weight.confirmed ? 1 : 0}};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("INSERT INTO weights (patient_id, measured_at, weight_kg, recorded_by, recorded_at, "
                          "late_entry, confirmed) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                          params));
    return app::WeightId{InsertedId(rows)};
}

Result<app::WeightMeasurement> SqlTransaction::GetWeight(app::WeightId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, "SELECT " + std::string(kWeightColumns) + " FROM weights WHERE id = $1", params,
                    WeightFromRow,
                    Error{ErrorCode::kNotFound, "weight_id", "no weight with id " + std::to_string(id.value)});
}

Result<std::vector<app::WeightMeasurement>> SqlTransaction::ListWeights(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    return QueryRows<app::WeightMeasurement>(
        connection_,
        "SELECT " + std::string(kWeightColumns) + " FROM weights WHERE patient_id = $1 ORDER BY measured_at, id",
        params, WeightFromRow);
}

Status SqlTransaction::MarkWeightEnteredInError(app::WeightId id, const app::EnteredInError& mark) {
    return MarkEnteredInError(connection_, "weights", "weight_id", "weight", id.value, mark);
}

Result<app::VitalSignId> SqlTransaction::InsertVitalSign(const app::NewVitalSign& vital, TimePoint recorded_at,
                                                         std::string_view recorded_by, bool late_entry) {
    const std::vector<SqlValue> params = {vital.patient.value,
                                          vital.loinc,
                                          vital.value,
                                          vital.unit,
                                          Millis(vital.observed_at),
                                          std::string(app::VitalSourceName(vital.source)),
                                          vital.device_id,
                                          Millis(recorded_at),
                                          std::string(recorded_by),
                                          std::int64_t{late_entry ? 1 : 0},
                                          OptionalReal(vital.diastolic),
                                          OptionalReal(vital.mean_arterial),
                                          vital.session ? SqlValue{vital.session->value} : SqlValue{},
                                          vital.device_message_id};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO vital_signs (patient_id, loinc, value, unit, observed_at, source, device_id, recorded_at, "
            "recorded_by, late_entry, diastolic, mean_arterial, session_id, device_message_id) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            params));
    return app::VitalSignId{InsertedId(rows)};
}

Result<app::VitalSign> SqlTransaction::GetVitalSign(app::VitalSignId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, "SELECT " + std::string(kVitalColumns) + " FROM vital_signs WHERE id = $1", params,
                    VitalFromRow,
                    Error{ErrorCode::kNotFound, "vital_sign_id", "no vital sign with id " + std::to_string(id.value)});
}

Result<std::vector<app::VitalSign>> SqlTransaction::ListVitalSigns(app::PatientId patient,
                                                                   std::optional<app::SessionId> session, int limit) {
    // As ListAlerts: the optional filter is a `(column = $n OR $n IS NULL)` term, column first, so PostgreSQL types
    // the parameter from it.
    const std::vector<SqlValue> params = {patient.value, std::int64_t{limit},
                                          session ? SqlValue{session->value} : SqlValue{}};
    return QueryRows<app::VitalSign>(
        connection_,
        "SELECT " + std::string(kVitalColumns) +
            " FROM (SELECT * FROM vital_signs WHERE patient_id = $1 AND (session_id = $3 OR $3 IS NULL) "
            "ORDER BY observed_at DESC, id DESC LIMIT $2) AS latest ORDER BY observed_at, id",
        params, VitalFromRow);
}

Result<std::vector<app::VitalSign>> SqlTransaction::ListVitalSignsBetween(app::PatientId patient, TimePoint from,
                                                                          TimePoint to) {
    const std::vector<SqlValue> params = {patient.value, Millis(from), Millis(to)};
    return QueryRows<app::VitalSign>(
        connection_,
        "SELECT " + std::string(kVitalColumns) +
            " FROM vital_signs WHERE patient_id = $1 AND observed_at >= $2 AND observed_at <= $3 "
            "ORDER BY observed_at, id",
        params, VitalFromRow);
}

Result<std::vector<app::VitalSign>> SqlTransaction::ListSessionsVitalSigns(std::span<const app::SessionId> sessions) {
    return QueryByIds<app::VitalSign>(connection_,
                                      "SELECT " + std::string(kVitalColumns) + " FROM vital_signs WHERE session_id IN ",
                                      sessions, " ORDER BY observed_at, id", VitalFromRow);
}

Status SqlTransaction::MarkVitalSignEnteredInError(app::VitalSignId id, const app::EnteredInError& mark) {
    return MarkEnteredInError(connection_, "vital_signs", "vital_sign_id", "vital sign", id.value, mark);
}

Result<app::AssessmentId> SqlTransaction::InsertAssessment(const app::Assessment& assessment) {
    const std::vector<SqlValue> params = {assessment.patient.value,
                                          std::string(clinical::InstrumentName(assessment.instrument)),
                                          JoinInts(assessment.answers),
                                          std::int64_t{assessment.total},
                                          assessment.band,
                                          assessment.band_rule,
                                          JoinTexts(assessment.flags),
                                          Millis(assessment.assessed_at),
                                          Millis(assessment.recorded_at),
                                          assessment.recorded_by,
                                          std::int64_t{assessment.late_entry ? 1 : 0}};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO assessments (patient_id, instrument, answers, total, band, band_rule, flags, assessed_at, "
            "recorded_at, recorded_by, late_entry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            params));
    return app::AssessmentId{InsertedId(rows)};
}

Result<std::vector<app::Assessment>> SqlTransaction::ListAssessments(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "SELECT id, patient_id, instrument, answers, total, band, band_rule, flags, assessed_at, recorded_at, "
            "recorded_by, late_entry, " +
                std::string(kEnteredInErrorColumns) +
                " FROM assessments WHERE patient_id = $1 ORDER BY assessed_at, id",
            params));
    std::vector<app::Assessment> assessments;
    for (const SqlRow& row : rows) {
        RowReader read(row);
        app::Assessment assessment;
        assessment.id = app::AssessmentId{read.Int(0)};
        assessment.patient = app::PatientId{read.Int(1)};
        Result<clinical::Instrument> instrument = clinical::ParseInstrument(read.Text(2));
        std::optional<std::vector<int>> answers = SplitInts(read.Text(3));
        assessment.total = static_cast<int>(read.Int(4));
        assessment.band = read.Text(5);
        assessment.band_rule = read.Text(6);
        assessment.flags = SplitTexts(read.Text(7));
        assessment.assessed_at = FromMillis(read.Int(8));
        assessment.recorded_at = FromMillis(read.Int(9));
        assessment.recorded_by = read.Text(10);
        assessment.late_entry = read.Bool(11);
        assessment.entered_in_error = ReadEnteredInError(read, 12);
        if (!read.ok() || !instrument.ok() || !answers) {
            return Corrupt("assessments");
        }
        assessment.instrument = *instrument;
        assessment.answers = std::move(*answers);
        assessments.push_back(std::move(assessment));
    }
    return assessments;
}

Status SqlTransaction::MarkAssessmentEnteredInError(app::AssessmentId id, const app::EnteredInError& mark) {
    return MarkEnteredInError(connection_, "assessments", "assessment_id", "assessment", id.value, mark);
}

namespace {

// The patients registered before migration 0020, with their search text.
Status FillMissingSearchTexts(SqlConnection& connection) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection.Query("SELECT id, mrn, given_name, family_name FROM patients WHERE search_text IS NULL "
                                      "ORDER BY id",
                                      {}));
    for (const SqlRow& row : rows) {
        RowReader read(row);
        const std::int64_t id = read.Int(0);
        const std::string text = app::PatientSearchText(read.Text(1), read.Text(2), read.Text(3));
        if (!read.ok()) {
            return Corrupt("patients");
        }
        const std::vector<SqlValue> params = {id, text};
        RETURN_IF_ERROR(StatusOf(
            connection.Query("UPDATE patients SET search_text = $2 WHERE id = $1 AND search_text IS NULL", params)));
    }
    return Status::Ok();
}

}  // namespace

Status BackfillPatientSearchText(SqlConnection& connection) {
    RETURN_IF_ERROR(connection.Execute("BEGIN"));
    Status filled = FillMissingSearchTexts(connection);
    if (filled.ok()) {
        filled = connection.Execute("COMMIT");
    }
    if (!filled.ok()) {
        static_cast<void>(connection.Execute("ROLLBACK"));
    }
    return filled;
}

}  // namespace kclinic::adapters::storage::sql
