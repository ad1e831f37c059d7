// The clinic record's third slice over SqlConnection: treatment courses, sessions with their transition history,
// signed dose orders and administrations with their infusion stops; schema in migrations/0003_treatment.sql, (the
// history) 0006_session_history_and_rems.sql and (the stops) 0010_infusion_stops_and_session_medications.sql.

#include <optional>
#include <string>
#include <utility>

#include "adapters/storage/sql/entered_in_error_sql.hpp"
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
SqlValue OptionalInt(const std::optional<int>& value) {
    return value ? SqlValue{std::int64_t{*value}} : SqlValue{};
}

std::optional<int> ReadOptionalInt(RowReader& read, std::size_t column) {
    return read.IsNull(column) ? std::nullopt : std::optional<int>(static_cast<int>(read.Int(column)));
}

constexpr std::string_view kCourseColumns =
    "id, patient_id, indication, protocol, route, start_date, status, status_reason, started_at, started_by, "
    "status_changed_at, status_changed_by, screening_id, screening_override_reason";

Result<app::TreatmentCourse> CourseFromRow(const SqlRow& row) {
    RowReader read(row);
    app::TreatmentCourse course;
    course.id = app::CourseId{read.Int(0)};
    course.patient = app::PatientId{read.Int(1)};
    course.indication = read.Text(2);
    Result<clinical::Protocol> protocol = clinical::ParseProtocol(read.Text(3));
    Result<clinical::Route> route = clinical::ParseRoute(read.Text(4));
    const std::optional<std::chrono::sys_days> start = ParseDate(read.Text(5));
    Result<app::CourseStatus> status = app::ParseCourseStatus(read.Text(6));
    course.status_reason = read.Text(7);
    course.started_at = FromMillis(read.Int(8));
    course.started_by = read.Text(9);
    course.status_changed_at = FromMillis(read.Int(10));
    course.status_changed_by = read.Text(11);
    course.screening = app::ScreeningId{read.IsNull(12) ? 0 : read.Int(12)};
    course.screening_override_reason = read.Text(13);
    if (!read.ok() || !protocol.ok() || !route.ok() || !start || !status.ok()) {
        return Corrupt("treatment_courses");
    }
    course.protocol = *protocol;
    course.route = *route;
    course.start_date = *start;
    course.status = *status;
    return course;
}

constexpr std::string_view kSessionColumns =
    "id, course_id, patient_id, number, planned_date, phase, week, state, consent_confirmed, escort_confirmed, "
    "checked_in_at, bp_override_by, bp_override_reason, state_reason, state_changed_at, state_changed_by";

Result<app::TreatmentSession> SessionFromRow(const SqlRow& row) {
    RowReader read(row);
    app::TreatmentSession session;
    session.id = app::SessionId{read.Int(0)};
    session.course = app::CourseId{read.Int(1)};
    session.patient = app::PatientId{read.Int(2)};
    session.number = static_cast<int>(read.Int(3));
    const std::optional<std::chrono::sys_days> planned = ParseDate(read.Text(4));
    session.phase = read.Text(5);
    session.week = static_cast<int>(read.Int(6));
    Result<clinical::SessionState> state = clinical::ParseSessionState(read.Text(7));
    session.consent_confirmed = read.Bool(8);
    session.escort_confirmed = read.Bool(9);
    session.checked_in_at = ReadOptionalTime(read, 10);
    if (!read.IsNull(11)) {
        session.bp_override = clinical::GateOverride{read.Text(11), read.Text(12)};
    }
    session.state_reason = read.Text(13);
    session.state_changed_at = FromMillis(read.Int(14));
    session.state_changed_by = read.Text(15);
    if (!read.ok() || !planned || !state.ok()) {
        return Corrupt("treatment_sessions");
    }
    session.planned_date = *planned;
    session.state = *state;
    return session;
}

constexpr std::string_view kDoseOrderColumns =
    "id, session_id, patient_id, route, weight_kg, request_mg_per_kg, request_minutes, request_dose_mg, "
    "concentration_mg_per_ml, first_dose, age_years, indication, weight_basis, height_cm, sex, japanese_ancestry, "
    "total_mg, rate_mg_per_h, volume_ml, rate_ml_per_h, devices, rest_minutes_between_devices, "
    "min_administration_minutes, weight_used_kg, ideal_body_weight_kg, mg_per_kg, minutes, notes, signed_at, "
    "prescriber, weight_reason";

Result<app::DoseOrderRecord> DoseOrderFromRow(const SqlRow& row) {
    RowReader read(row);
    app::DoseOrderRecord record;
    record.id = app::DoseOrderId{read.Int(0)};
    record.session = app::SessionId{read.Int(1)};
    record.patient = app::PatientId{read.Int(2)};
    Result<clinical::Route> route = clinical::ParseRoute(read.Text(3));
    clinical::DoseRequest& request = record.request;
    request.weight_kg = read.Double(4);
    request.mg_per_kg = ReadOptionalReal(read, 5);
    request.minutes = ReadOptionalReal(read, 6);
    request.dose_mg = ReadOptionalReal(read, 7);
    request.concentration_mg_per_ml = ReadOptionalReal(read, 8);
    request.first_dose = read.Bool(9);
    request.age_years = ReadOptionalReal(read, 10);
    bool indication_ok = true;
    if (!read.IsNull(11)) {
        Result<clinical::EsketamineIndication> indication = clinical::ParseEsketamineIndication(read.Text(11));
        indication_ok = indication.ok();
        if (indication_ok) {
            request.indication = *indication;
        }
    }
    Result<clinical::WeightBasis> basis = clinical::ParseWeightBasis(read.Text(12));
    request.height_cm = ReadOptionalReal(read, 13);
    request.sex = read.Text(14);
    request.japanese_ancestry = read.Bool(15);
    clinical::DoseOrder& order = record.order;
    order.total_mg = read.Double(16);
    order.rate_mg_per_h = ReadOptionalReal(read, 17);
    order.volume_ml = ReadOptionalReal(read, 18);
    order.rate_ml_per_h = ReadOptionalReal(read, 19);
    order.devices = ReadOptionalInt(read, 20);
    order.rest_minutes_between_devices = ReadOptionalInt(read, 21);
    order.min_administration_minutes = ReadOptionalInt(read, 22);
    order.weight_used_kg = read.Double(23);
    order.ideal_body_weight_kg = ReadOptionalReal(read, 24);
    order.mg_per_kg = ReadOptionalReal(read, 25);
    order.minutes = ReadOptionalReal(read, 26);
    std::optional<std::vector<std::string>> notes = StringsFromJson(read.Text(27));
    record.signed_at = FromMillis(read.Int(28));
    record.prescriber = read.Text(29);
    record.weight_reason = read.Text(30);
    if (!read.ok() || !route.ok() || !indication_ok || !basis.ok() || !notes) {
        return Corrupt("dose_orders");
    }
    request.route = *route;
    order.route = *route;
    request.weight_basis = *basis;
    order.weight_basis = *basis;
    order.notes = std::move(*notes);
    return record;
}

// An administration with its infusion stop (migrations/0010; its early-stop reason 0028), if any: the stop's end is
// the administration's stopped_at, as app::Administration documents.
constexpr std::string_view kAdministrationSelect =
    "SELECT a.id, a.session_id, a.patient_id, a.drug, a.route, a.dose_mg, a.rate_mg_per_h, a.device_count, "
    "a.lot_number, a.started_at, a.stopped_at, a.recorded_at, a.recorded_by, a.late_entry, s.stopped_at, "
    "s.given_mg, s.given_ml, s.fast_infusion_reason, s.fast_infusion_accepted_by, s.late_entry, s.recorded_at, "
    "s.recorded_by, a.entered_in_error_reason, a.entered_in_error_at, a.entered_in_error_by, s.early_stop_reason "
    "FROM administrations a LEFT JOIN infusion_stops s ON s.administration_id = a.id ";

Result<app::Administration> AdministrationFromRow(const SqlRow& row) {
    RowReader read(row);
    app::Administration given;
    given.id = app::AdministrationId{read.Int(0)};
    given.session = app::SessionId{read.Int(1)};
    given.patient = app::PatientId{read.Int(2)};
    given.drug = read.Text(3);
    Result<clinical::Route> route = clinical::ParseRoute(read.Text(4));
    given.dose_mg = read.Double(5);
    given.rate_mg_per_h = ReadOptionalReal(read, 6);
    given.device_count = ReadOptionalInt(read, 7);
    given.lot_number = read.Text(8);
    given.started_at = FromMillis(read.Int(9));
    given.stopped_at = ReadOptionalTime(read, 10);
    given.recorded_at = FromMillis(read.Int(11));
    given.recorded_by = read.Text(12);
    given.late_entry = read.Bool(13);
    bool early_ok = true;
    if (!read.IsNull(14)) {
        app::InfusionStop stop;
        stop.stopped_at = FromMillis(read.Int(14));
        stop.given_mg = read.Double(15);
        stop.given_ml = ReadOptionalReal(read, 16);
        std::string reason = read.Text(17);
        std::string accepted_by = read.Text(18);
        if (!reason.empty()) {
            stop.fast_infusion_accepted = clinical::GateOverride{std::move(accepted_by), std::move(reason)};
        }
        stop.late_entry = read.Int(19) != 0;
        stop.recorded_at = FromMillis(read.Int(20));
        stop.recorded_by = read.Text(21);
        if (const std::string early = read.Text(25); !early.empty()) {
            stop.early_stop_reason = clinical::kInfusionStopReasonNames.Parse(early);
            early_ok = stop.early_stop_reason.has_value();
        }
        given.stopped_at = stop.stopped_at;
        given.stop = std::move(stop);
    }
    given.entered_in_error = ReadEnteredInError(read, 22);
    if (!read.ok() || !route.ok() || !early_ok) {
        return Corrupt("administrations");
    }
    given.route = *route;
    return given;
}

constexpr std::string_view kTransitionColumns = "id, session_id, from_state, to_state, at, by, reason";

Result<app::SessionTransition> TransitionFromRow(const SqlRow& row) {
    RowReader read(row);
    app::SessionTransition transition;
    transition.id = app::SessionTransitionId{read.Int(0)};
    transition.session = app::SessionId{read.Int(1)};
    bool from_ok = true;
    if (!read.IsNull(2)) {
        Result<clinical::SessionState> from = clinical::ParseSessionState(read.Text(2));
        from_ok = from.ok();
        if (from_ok) {
            transition.from_state = *from;
        }
    }
    Result<clinical::SessionState> to = clinical::ParseSessionState(read.Text(3));
    transition.at = FromMillis(read.Int(4));
    transition.by = read.Text(5);
    transition.reason = read.Text(6);
    if (!read.ok() || !from_ok || !to.ok()) {
        return Corrupt("session_transitions");
    }
    transition.to_state = *to;
    return transition;
}

// Appends one step of `session`'s history: from `from` (absent when the session is created) to its current state.
// Only the steps that require a reason carry one: state_reason keeps the last hold reason after the session leaves
// held, and that text is not the reason for the later step.
Status AppendTransition(SqlConnection& connection, const app::TreatmentSession& session,
                        std::optional<clinical::SessionState> from) {
    const bool reasoned = session.state == clinical::SessionState::kHeld ||
                          session.state == clinical::SessionState::kCancelled ||
                          session.state == clinical::SessionState::kAborted;
    const std::vector<SqlValue> params = {session.id.value,
                                          from ? SqlValue{std::string(clinical::SessionStateName(*from))} : SqlValue{},
                                          std::string(clinical::SessionStateName(session.state)),
                                          Millis(session.state_changed_at),
                                          session.state_changed_by,
                                          reasoned ? session.state_reason : std::string()};
    return StatusOf(
        connection.Query("INSERT INTO session_transitions (session_id, from_state, to_state, at, by, reason) "
                         "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                         params));
}

}  // namespace

Result<app::CourseId> SqlTransaction::InsertCourse(const app::TreatmentCourse& course) {
    const std::vector<SqlValue> params = {
        course.patient.value,
        course.indication,
        std::string(clinical::ProtocolName(course.protocol)),
        std::string(clinical::RouteName(course.route)),
        FormatDate(course.start_date),
        std::string(app::CourseStatusName(course.status)),
        course.status_reason,
        Millis(course.started_at),
        course.started_by,
        Millis(course.status_changed_at),
        course.status_changed_by,
        course.screening.value == 0 ? SqlValue{} : SqlValue{std::int64_t{course.screening.value}},
        course.screening_override_reason};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("INSERT INTO treatment_courses (patient_id, indication, protocol, route, "
                                       "start_date, status, status_reason, "
                                       "started_at, started_by, status_changed_at, status_changed_by, "
                                       "screening_id, screening_override_reason) "
                                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                                       params));
    return app::CourseId{InsertedId(rows)};
}

Result<app::TreatmentCourse> SqlTransaction::GetCourse(app::CourseId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(
        connection_, "SELECT " + std::string(kCourseColumns) + " FROM treatment_courses WHERE id = $1", params,
        CourseFromRow,
        Error{ErrorCode::kNotFound, "course_id", "no treatment course with id " + std::to_string(id.value)});
}

Result<std::vector<app::TreatmentCourse>> SqlTransaction::ListCourses(app::PatientId patient) {
    const std::vector<SqlValue> params = {patient.value};
    return QueryRows<app::TreatmentCourse>(
        connection_,
        "SELECT " + std::string(kCourseColumns) + " FROM treatment_courses WHERE patient_id = $1 ORDER BY id", params,
        CourseFromRow);
}

Result<std::vector<app::TreatmentCourse>> SqlTransaction::ListPatientsCourses(
    std::span<const app::PatientId> patients) {
    return QueryByIds<app::TreatmentCourse>(
        connection_, "SELECT " + std::string(kCourseColumns) + " FROM treatment_courses WHERE patient_id IN ", patients,
        " ORDER BY id", CourseFromRow);
}

Status SqlTransaction::UpdateCourseStatus(const app::TreatmentCourse& course, app::CourseStatus expected) {
    const std::vector<SqlValue> params = {course.id.value,          std::string(app::CourseStatusName(course.status)),
                                          course.status_reason,     Millis(course.status_changed_at),
                                          course.status_changed_by, std::string(app::CourseStatusName(expected))};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("UPDATE treatment_courses SET status = $2, status_reason = $3, status_changed_at = $4, "
                          "status_changed_by = $5 WHERE id = $1 AND status = $6 RETURNING id",
                          params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(app::TreatmentCourse current, GetCourse(course.id));
    return Error{ErrorCode::kConflict, "course_id",
                 "treatment course " + std::to_string(course.id.value) + " is " +
                     std::string(app::CourseStatusName(current.status)) + ", not " +
                     std::string(app::CourseStatusName(expected)) + "; it changed meanwhile"};
}

Result<app::SessionId> SqlTransaction::InsertSession(const app::TreatmentSession& session) {
    const std::vector<SqlValue> params = {session.course.value,
                                          session.patient.value,
                                          std::int64_t{session.number},
                                          FormatDate(session.planned_date),
                                          session.phase,
                                          std::int64_t{session.week},
                                          std::string(clinical::SessionStateName(session.state)),
                                          Flag(session.consent_confirmed),
                                          Flag(session.escort_confirmed),
                                          OptionalMillis(session.checked_in_at),
                                          session.bp_override ? SqlValue{session.bp_override->prescriber} : SqlValue{},
                                          session.bp_override ? SqlValue{session.bp_override->reason} : SqlValue{},
                                          session.state_reason,
                                          Millis(session.state_changed_at),
                                          session.state_changed_by};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO treatment_sessions (course_id, patient_id, number, planned_date, phase, week, state, "
            "consent_confirmed, escort_confirmed, checked_in_at, bp_override_by, bp_override_reason, state_reason, "
            "state_changed_at, state_changed_by) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            params));
    app::TreatmentSession inserted = session;
    inserted.id = app::SessionId{InsertedId(rows)};
    RETURN_IF_ERROR(AppendTransition(connection_, inserted, std::nullopt));
    return inserted.id;
}

Result<app::TreatmentSession> SqlTransaction::GetSession(app::SessionId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(
        connection_, "SELECT " + std::string(kSessionColumns) + " FROM treatment_sessions WHERE id = $1", params,
        SessionFromRow,
        Error{ErrorCode::kNotFound, "session_id", "no treatment session with id " + std::to_string(id.value)});
}

Result<std::vector<app::TreatmentSession>> SqlTransaction::ListSessions(app::CourseId course) {
    return QueryRows<app::TreatmentSession>(
        connection_,
        "SELECT " + std::string(kSessionColumns) + " FROM treatment_sessions WHERE course_id = $1 ORDER BY number",
        {course.value}, SessionFromRow);
}

Result<std::vector<app::TreatmentSession>> SqlTransaction::ListSessionsOn(std::chrono::sys_days date,
                                                                          app::TimePoint from, app::TimePoint to) {
    // $4-$6: the final states (clinical::IsFinal); any other state after check-in is a patient still in the clinic.
    using clinical::SessionState;
    const std::vector<SqlValue> params = {FormatDate(date),
                                          Millis(from),
                                          Millis(to),
                                          std::string(clinical::SessionStateName(SessionState::kDischarged)),
                                          std::string(clinical::SessionStateName(SessionState::kCancelled)),
                                          std::string(clinical::SessionStateName(SessionState::kAborted))};
    return QueryRows<app::TreatmentSession>(connection_,
                                            "SELECT " + std::string(kSessionColumns) +
                                                " FROM treatment_sessions WHERE planned_date = $1 OR "
                                                "(checked_in_at >= $2 AND checked_in_at < $3) OR "
                                                "(checked_in_at < $3 AND state NOT IN ($4, $5, $6)) ORDER BY id",
                                            params, SessionFromRow);
}

Status SqlTransaction::UpdateSession(const app::TreatmentSession& session, clinical::SessionState expected) {
    const std::vector<SqlValue> params = {session.id.value,
                                          std::string(clinical::SessionStateName(session.state)),
                                          Flag(session.consent_confirmed),
                                          Flag(session.escort_confirmed),
                                          OptionalMillis(session.checked_in_at),
                                          session.bp_override ? SqlValue{session.bp_override->prescriber} : SqlValue{},
                                          session.bp_override ? SqlValue{session.bp_override->reason} : SqlValue{},
                                          session.state_reason,
                                          Millis(session.state_changed_at),
                                          session.state_changed_by,
                                          std::string(clinical::SessionStateName(expected))};
    // Only a row still in the expected state matches, so two racing transitions cannot both apply.
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query("UPDATE treatment_sessions SET state = $2, consent_confirmed = $3, escort_confirmed = $4, "
                          "checked_in_at = $5, "
                          "bp_override_by = $6, bp_override_reason = $7, state_reason = $8, state_changed_at = $9, "
                          "state_changed_by = $10 WHERE id = $1 AND state = $11 RETURNING id",
                          params));
    if (!rows.empty()) {
        return AppendTransition(connection_, session, expected);
    }
    ASSIGN_OR_RETURN(app::TreatmentSession current, GetSession(session.id));
    return Error{ErrorCode::kConflict, "session_id",
                 "treatment session " + std::to_string(session.id.value) + " is " +
                     std::string(clinical::SessionStateName(current.state)) + ", not " +
                     std::string(clinical::SessionStateName(expected)) + "; it changed meanwhile"};
}

Result<std::vector<app::SessionTransition>> SqlTransaction::ListSessionTransitions(app::SessionId session) {
    return QueryRows<app::SessionTransition>(
        connection_,
        "SELECT " + std::string(kTransitionColumns) + " FROM session_transitions WHERE session_id = $1 ORDER BY id",
        {session.value}, TransitionFromRow);
}

Result<std::vector<app::SessionTransition>> SqlTransaction::ListSessionsTransitions(
    std::span<const app::SessionId> sessions) {
    return QueryByIds<app::SessionTransition>(
        connection_, "SELECT " + std::string(kTransitionColumns) + " FROM session_transitions WHERE session_id IN ",
        sessions, " ORDER BY id", TransitionFromRow);
}

Result<app::DoseOrderId> SqlTransaction::InsertDoseOrder(const app::DoseOrderRecord& record) {
    const clinical::DoseRequest& request = record.request;
    const clinical::DoseOrder& order = record.order;
    const std::vector<SqlValue> params = {
        record.session.value,
        record.patient.value,
        std::string(clinical::RouteName(order.route)),
        request.weight_kg,
        OptionalReal(request.mg_per_kg),
        OptionalReal(request.minutes),
        OptionalReal(request.dose_mg),
        OptionalReal(request.concentration_mg_per_ml),
        Flag(request.first_dose),
        OptionalReal(request.age_years),
        request.indication ? SqlValue{std::string(clinical::EsketamineIndicationName(*request.indication))}
                           : SqlValue{},
        std::string(clinical::WeightBasisName(request.weight_basis)),
        OptionalReal(request.height_cm),
        request.sex,
        Flag(request.japanese_ancestry),
        order.total_mg,
        OptionalReal(order.rate_mg_per_h),
        OptionalReal(order.volume_ml),
        OptionalReal(order.rate_ml_per_h),
        OptionalInt(order.devices),
        OptionalInt(order.rest_minutes_between_devices),
        OptionalInt(order.min_administration_minutes),
        order.weight_used_kg,
        OptionalReal(order.ideal_body_weight_kg),
        OptionalReal(order.mg_per_kg),
        OptionalReal(order.minutes),
        StringsToJson(order.notes),
        Millis(record.signed_at),
        record.prescriber,
        record.weight_reason};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO dose_orders (session_id, patient_id, route, weight_kg, request_mg_per_kg, request_minutes, "
            "request_dose_mg, concentration_mg_per_ml, first_dose, age_years, indication, weight_basis, height_cm, "
            "sex, "
            "japanese_ancestry, total_mg, rate_mg_per_h, volume_ml, rate_ml_per_h, devices, "
            "rest_minutes_between_devices, min_administration_minutes, weight_used_kg, ideal_body_weight_kg, "
            "mg_per_kg, "
            "minutes, notes, signed_at, prescriber, weight_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30) "
            "RETURNING id",
            params));
    return app::DoseOrderId{InsertedId(rows)};
}

Result<std::optional<app::DoseOrderRecord>> SqlTransaction::FindDoseOrder(app::SessionId session) {
    ASSIGN_OR_RETURN(
        std::vector<app::DoseOrderRecord> orders,
        QueryRows<app::DoseOrderRecord>(
            connection_, "SELECT " + std::string(kDoseOrderColumns) + " FROM dose_orders WHERE session_id = $1",
            {session.value}, DoseOrderFromRow));
    if (orders.empty()) {
        return std::optional<app::DoseOrderRecord>{};
    }
    return std::optional<app::DoseOrderRecord>{orders.front()};
}

Result<app::AdministrationId> SqlTransaction::InsertAdministration(const app::Administration& given) {
    const std::vector<SqlValue> params = {given.session.value,
                                          given.patient.value,
                                          given.drug,
                                          std::string(clinical::RouteName(given.route)),
                                          given.dose_mg,
                                          OptionalReal(given.rate_mg_per_h),
                                          OptionalInt(given.device_count),
                                          given.lot_number,
                                          Millis(given.started_at),
                                          OptionalMillis(given.stopped_at),
                                          Millis(given.recorded_at),
                                          given.recorded_by,
                                          Flag(given.late_entry)};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "INSERT INTO administrations (session_id, patient_id, drug, route, dose_mg, rate_mg_per_h, device_count, "
            "lot_number, started_at, stopped_at, recorded_at, recorded_by, late_entry) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            params));
    return app::AdministrationId{InsertedId(rows)};
}

Result<std::vector<app::Administration>> SqlTransaction::ListAdministrations(app::SessionId session) {
    return QueryRows<app::Administration>(
        connection_, std::string(kAdministrationSelect) + "WHERE a.session_id = $1 ORDER BY a.started_at, a.id",
        {session.value}, AdministrationFromRow);
}

Result<std::vector<app::Administration>> SqlTransaction::ListSessionsAdministrations(
    std::span<const app::SessionId> sessions) {
    return QueryByIds<app::Administration>(connection_, std::string(kAdministrationSelect) + "WHERE a.session_id IN ",
                                           sessions, " ORDER BY a.started_at, a.id", AdministrationFromRow);
}

Result<std::vector<app::Administration>> SqlTransaction::ListPatientAdministrations(app::PatientId patient) {
    return QueryRows<app::Administration>(
        connection_, std::string(kAdministrationSelect) + "WHERE a.patient_id = $1 ORDER BY a.started_at, a.id",
        {patient.value}, AdministrationFromRow);
}

Result<app::Administration> SqlTransaction::GetAdministration(app::AdministrationId id) {
    return QueryOne(
        connection_, std::string(kAdministrationSelect) + "WHERE a.id = $1", {id.value}, AdministrationFromRow,
        Error{ErrorCode::kNotFound, "administration_id", "no administration with id " + std::to_string(id.value)});
}

Status SqlTransaction::MarkAdministrationEnteredInError(app::AdministrationId id, const app::EnteredInError& mark) {
    return MarkEnteredInError(connection_, "administrations", "administration_id", "administration", id.value, mark);
}

Status SqlTransaction::InsertInfusionStop(app::AdministrationId administration, const app::InfusionStop& stop) {
    const std::vector<SqlValue> params = {
        administration.value,
        Millis(stop.stopped_at),
        stop.given_mg,
        OptionalReal(stop.given_ml),
        stop.fast_infusion_accepted ? stop.fast_infusion_accepted->reason : std::string(),
        stop.fast_infusion_accepted ? stop.fast_infusion_accepted->prescriber : std::string(),
        Flag(stop.late_entry),
        Millis(stop.recorded_at),
        stop.recorded_by,
        std::string(stop.early_stop_reason ? clinical::kInfusionStopReasonNames.Name(*stop.early_stop_reason) : "")};
    return StatusOf(connection_.Query(
        "INSERT INTO infusion_stops (administration_id, stopped_at, given_mg, given_ml, fast_infusion_reason, "
        "fast_infusion_accepted_by, late_entry, recorded_at, recorded_by, early_stop_reason) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params));
}

}  // namespace kclinic::adapters::storage::sql
