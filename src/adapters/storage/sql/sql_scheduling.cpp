// The clinic's schedule over SqlConnection: treatment rooms, closed days, appointments, the schedule lock and the
// missed induction sessions flagged on courses; schema in migrations/0017_scheduling.sql.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/sql/json_columns.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

// No appointment is longer than a day (the schema's CHECK), so one that overlaps [from, to) starts after from - 1 day:
// the bound that keeps the overlap queries on their index's range.
constexpr std::int64_t kLongestAppointmentMillis = 24LL * 60 * 60 * 1000;
// [from, to) overlaps [start_at, end_at), with $1, $2, $3 from OverlapParams.
constexpr std::string_view kOverlaps = " WHERE start_at > $1 AND start_at < $2 AND end_at > $3";

std::vector<SqlValue> OverlapParams(app::TimePoint from, app::TimePoint to) {
    return {Millis(from) - kLongestAppointmentMillis, Millis(to), Millis(from)};
}

// clinical::HoldsTime as SQL.
constexpr std::string_view kHoldsTime = " AND status IN ('booked', 'checked_in')";

Error NameTaken(Error error, const std::string& name) {
    if (IsUniqueViolation(error, "treatment_rooms.name", "treatment_rooms_name_key")) {
        error.field = "name";
        error.message = "a room named \"" + name + "\" already exists";
    }
    return error;
}

Error SessionTaken(Error error, std::optional<app::SessionId> session) {
    if (IsUniqueViolation(error, "appointments.session_id", "appointments_one_per_session")) {
        error.field = "session_id";
        error.message =
            "session " + std::to_string(session ? session->value : 0) + " already has an appointment that holds time";
    }
    return error;
}

// The outcome of an `UPDATE ... WHERE id = $1 AND version = $2 RETURNING id` that returned `rows`: OK when it changed
// the row; otherwise kConflict "version" naming the stored one, or `get_stored`'s kNotFound when there is no such
// record.
template <typename GetStored>
Status UpdatedAtVersion(const std::vector<SqlRow>& rows, std::string_view what, std::int64_t id, std::int64_t version,
                        GetStored get_stored) {
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(const auto stored, get_stored());
    return Error{ErrorCode::kConflict, "version",
                 std::string(what) + " " + std::to_string(id) + " was changed by someone else (version " +
                     std::to_string(stored.version) + ", not " + std::to_string(version) + ")"};
}

SqlValue OptionalId(std::optional<std::int64_t> id) {
    return id ? SqlValue{*id} : SqlValue{};
}

constexpr std::string_view kRoomColumns = "id, name, equipment, monitor_ids, active, version";

Result<app::TreatmentRoom> RoomFromRow(const SqlRow& row) {
    RowReader read(row);
    app::TreatmentRoom room;
    room.id = app::RoomId{read.Int(0)};
    room.name = read.Text(1);
    Result<clinical::RoomEquipment> equipment = clinical::ParseRoomEquipment(read.Text(2));
    std::optional<std::vector<std::string>> monitors = StringsFromJson(read.Text(3));
    room.active = read.Bool(4);
    room.version = read.Int(5);
    if (!read.ok() || !equipment.ok() || !monitors) {
        return Corrupt("treatment_rooms");
    }
    room.equipment = *equipment;
    room.monitor_ids = std::move(*monitors);
    return room;
}

Result<app::ClosedDay> ClosedDayFromRow(const SqlRow& row) {
    RowReader read(row);
    const std::optional<std::chrono::sys_days> date = read.OptionalDate(0);
    app::ClosedDay day;
    day.reason = read.Text(1);
    day.created_by = read.Text(2);
    if (!read.ok() || !date) {
        return Corrupt("closed_days");
    }
    day.date = *date;
    return day;
}

constexpr std::string_view kAppointmentColumns =
    "id, patient_id, type, start_at, end_at, room_id, staff, session_id, status, status_reason, override_reason, "
    "overridden, created_at, created_by, updated_at, updated_by, version";

Result<app::Appointment> AppointmentFromRow(const SqlRow& row) {
    RowReader read(row);
    app::Appointment appointment;
    appointment.id = app::AppointmentId{read.Int(0)};
    appointment.patient = app::PatientId{read.Int(1)};
    Result<clinical::AppointmentType> type = clinical::ParseAppointmentType(read.Text(2));
    appointment.start = FromMillis(read.Int(3));
    appointment.end = FromMillis(read.Int(4));
    if (!read.IsNull(5)) {
        appointment.room = app::RoomId{read.Int(5)};
    }
    appointment.staff = read.Text(6);
    if (!read.IsNull(7)) {
        appointment.session = app::SessionId{read.Int(7)};
    }
    Result<clinical::AppointmentStatus> status = clinical::ParseAppointmentStatus(read.Text(8));
    appointment.status_reason = read.Text(9);
    appointment.override_reason = read.Text(10);
    std::optional<std::vector<std::string>> overridden = StringsFromJson(read.Text(11));
    appointment.created_at = FromMillis(read.Int(12));
    appointment.created_by = read.Text(13);
    appointment.updated_at = FromMillis(read.Int(14));
    appointment.updated_by = read.Text(15);
    appointment.version = read.Int(16);
    if (!read.ok() || !type.ok() || !status.ok() || !overridden) {
        return Corrupt("appointments");
    }
    appointment.type = *type;
    appointment.status = *status;
    appointment.overridden = std::move(*overridden);
    return appointment;
}

constexpr std::string_view kMissedInductionColumns =
    "id, course_id, session_id, appointment_id, patient_id, outcome, reason, flagged_at, flagged_by";

Result<app::MissedInduction> MissedInductionFromRow(const SqlRow& row) {
    RowReader read(row);
    app::MissedInduction missed;
    missed.id = app::MissedInductionId{read.Int(0)};
    missed.course = app::CourseId{read.Int(1)};
    missed.session = app::SessionId{read.Int(2)};
    missed.appointment = app::AppointmentId{read.Int(3)};
    missed.patient = app::PatientId{read.Int(4)};
    Result<clinical::AppointmentStatus> outcome = clinical::ParseAppointmentStatus(read.Text(5));
    missed.reason = read.Text(6);
    missed.flagged_at = FromMillis(read.Int(7));
    missed.flagged_by = read.Text(8);
    if (!read.ok() || !outcome.ok()) {
        return Corrupt("missed_inductions");
    }
    missed.outcome = *outcome;
    return missed;
}

}  // namespace

Result<app::RoomId> SqlTransaction::InsertRoom(const app::TreatmentRoom& room) {
    const std::vector<SqlValue> params = {room.name, std::string(clinical::kRoomEquipmentNames.Name(room.equipment)),
                                          StringsToJson(room.monitor_ids), std::int64_t{room.active ? 1 : 0}};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO treatment_rooms (name, equipment, monitor_ids, active, version) VALUES ($1, $2, $3, $4, 1) "
        "RETURNING id",
        params);
    if (!rows.ok()) {
        return NameTaken(rows.error(), room.name);
    }
    return app::RoomId{InsertedId(*rows)};
}

Result<app::TreatmentRoom> SqlTransaction::GetRoom(app::RoomId id) {
    return QueryOne(connection_, "SELECT " + std::string(kRoomColumns) + " FROM treatment_rooms WHERE id = $1",
                    {id.value}, RoomFromRow,
                    Error{ErrorCode::kNotFound, "room_id", "no room with id " + std::to_string(id.value)});
}

Result<std::vector<app::TreatmentRoom>> SqlTransaction::ListRooms() {
    return QueryRows<app::TreatmentRoom>(
        connection_, "SELECT " + std::string(kRoomColumns) + " FROM treatment_rooms ORDER BY id", {}, RoomFromRow);
}

Status SqlTransaction::UpdateRoom(const app::TreatmentRoom& room) {
    const std::vector<SqlValue> params = {room.id.value,
                                          room.version,
                                          room.name,
                                          std::string(clinical::kRoomEquipmentNames.Name(room.equipment)),
                                          StringsToJson(room.monitor_ids),
                                          std::int64_t{room.active ? 1 : 0}};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "UPDATE treatment_rooms SET name = $3, equipment = $4, monitor_ids = $5, active = $6, "
        "version = version + 1 WHERE id = $1 AND version = $2 RETURNING id",
        params);
    if (!rows.ok()) {
        return NameTaken(rows.error(), room.name);
    }
    return UpdatedAtVersion(*rows, "room", room.id.value, room.version, [&] { return GetRoom(room.id); });
}

Status SqlTransaction::InsertClosedDay(const app::ClosedDay& day) {
    const std::vector<SqlValue> params = {FormatDate(day.date), day.reason, day.created_by};
    Result<std::vector<SqlRow>> rows =
        connection_.Query("INSERT INTO closed_days (date, reason, created_by) VALUES ($1, $2, $3)", params);
    if (!rows.ok()) {
        Error error = rows.error();
        if (IsUniqueViolation(error, "closed_days.date", "closed_days_pkey")) {
            error.field = "date";
            error.message = "the clinic is already closed on " + FormatDate(day.date);
        }
        return error;
    }
    return Status::Ok();
}

Status SqlTransaction::DeleteClosedDay(std::chrono::sys_days date) {
    const std::vector<SqlValue> params = {FormatDate(date)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("DELETE FROM closed_days WHERE date = $1 RETURNING date", params));
    if (rows.empty()) {
        return Error{ErrorCode::kNotFound, "date", "the clinic is not closed on " + FormatDate(date)};
    }
    return Status::Ok();
}

Result<std::vector<app::ClosedDay>> SqlTransaction::ListClosedDays(std::chrono::sys_days from,
                                                                   std::chrono::sys_days to) {
    // 'YYYY-MM-DD' text orders as the dates do.
    return QueryRows<app::ClosedDay>(
        connection_, "SELECT date, reason, created_by FROM closed_days WHERE date >= $1 AND date <= $2 ORDER BY date",
        {FormatDate(from), FormatDate(to)}, ClosedDayFromRow);
}

Result<app::AppointmentId> SqlTransaction::InsertAppointment(const app::Appointment& appointment) {
    const std::vector<SqlValue> params = {
        appointment.patient.value,
        std::string(clinical::AppointmentTypeName(appointment.type)),
        Millis(appointment.start),
        Millis(appointment.end),
        OptionalId(appointment.room ? std::optional(appointment.room->value) : std::nullopt),
        appointment.staff,
        OptionalId(appointment.session ? std::optional(appointment.session->value) : std::nullopt),
        std::string(clinical::kAppointmentStatusNames.Name(appointment.status)),
        appointment.status_reason,
        appointment.override_reason,
        StringsToJson(appointment.overridden),
        Millis(appointment.created_at),
        appointment.created_by,
        Millis(appointment.updated_at),
        appointment.updated_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO appointments (patient_id, type, start_at, end_at, room_id, staff, session_id, status, "
        "status_reason, override_reason, overridden, created_at, created_by, updated_at, updated_by, version) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id",
        params);
    if (!rows.ok()) {
        return SessionTaken(rows.error(), appointment.session);
    }
    return app::AppointmentId{InsertedId(*rows)};
}

Result<app::Appointment> SqlTransaction::GetAppointment(app::AppointmentId id) {
    return QueryOne(
        connection_, "SELECT " + std::string(kAppointmentColumns) + " FROM appointments WHERE id = $1", {id.value},
        AppointmentFromRow,
        Error{ErrorCode::kNotFound, "appointment_id", "no appointment with id " + std::to_string(id.value)});
}

Result<std::vector<app::Appointment>> SqlTransaction::ListAppointments(const app::AppointmentFilter& filter) {
    std::vector<SqlValue> params = OverlapParams(filter.from, filter.to);
    std::string sql = "SELECT " + std::string(kAppointmentColumns) + " FROM appointments" + std::string(kOverlaps);
    const auto add = [&](std::string_view column, SqlValue value) {
        params.push_back(std::move(value));
        sql += " AND " + std::string(column) + " = $" + std::to_string(params.size());
    };
    if (filter.room) {
        add("room_id", filter.room->value);
    }
    if (filter.staff) {
        add("staff", *filter.staff);
    }
    if (filter.patient) {
        add("patient_id", filter.patient->value);
    }
    if (filter.session) {
        add("session_id", filter.session->value);
    }
    if (filter.holding_time_only) {
        sql += kHoldsTime;
    }
    sql += " ORDER BY start_at, id";
    return QueryRows<app::Appointment>(connection_, sql, params, AppointmentFromRow);
}

Result<std::vector<clinical::Booking>> SqlTransaction::ListHeldBookings(app::TimePoint from, app::TimePoint to,
                                                                        std::optional<app::PatientId> patient) {
    std::vector<SqlValue> params = OverlapParams(from, to);
    std::string sql = "SELECT id, type, patient_id, start_at, end_at, room_id, staff FROM appointments" +
                      std::string(kOverlaps) + std::string(kHoldsTime);
    if (patient) {
        params.emplace_back(patient->value);
        sql += " AND patient_id = $4";
    }
    sql += " ORDER BY start_at, id";
    return QueryRows<clinical::Booking>(connection_, sql, params, [](const SqlRow& row) -> Result<clinical::Booking> {
        RowReader read(row);
        clinical::Booking booking;
        booking.id = read.Int(0);
        Result<clinical::AppointmentType> type = clinical::ParseAppointmentType(read.Text(1));
        booking.patient = read.Int(2);
        booking.start = FromMillis(read.Int(3));
        booking.end = FromMillis(read.Int(4));
        if (!read.IsNull(5)) {
            booking.room = read.Int(5);
        }
        booking.staff = read.Text(6);
        if (!read.ok() || !type.ok()) {
            return Corrupt("appointments");
        }
        booking.type = *type;
        return booking;
    });
}

Status SqlTransaction::UpdateAppointment(const app::Appointment& appointment) {
    const std::vector<SqlValue> params = {
        appointment.id.value,
        appointment.version,
        Millis(appointment.start),
        Millis(appointment.end),
        OptionalId(appointment.room ? std::optional(appointment.room->value) : std::nullopt),
        appointment.staff,
        OptionalId(appointment.session ? std::optional(appointment.session->value) : std::nullopt),
        std::string(clinical::kAppointmentStatusNames.Name(appointment.status)),
        appointment.status_reason,
        appointment.override_reason,
        StringsToJson(appointment.overridden),
        Millis(appointment.updated_at),
        appointment.updated_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "UPDATE appointments SET start_at = $3, end_at = $4, room_id = $5, staff = $6, session_id = $7, status = $8, "
        "status_reason = $9, override_reason = $10, overridden = $11, updated_at = $12, updated_by = $13, "
        "version = version + 1 WHERE id = $1 AND version = $2 RETURNING id",
        params);
    if (!rows.ok()) {
        return SessionTaken(rows.error(), appointment.session);
    }
    return UpdatedAtVersion(*rows, "appointment", appointment.id.value, appointment.version,
                            [&] { return GetAppointment(appointment.id); });
}

Status SqlTransaction::LockSchedule() {
    // An UPDATE takes the row's write lock on PostgreSQL until the transaction ends (the next booking waits here, then
    // reads at READ COMMITTED what this one wrote); SQLite's write transactions are serial already.
    return StatusOf(connection_.Query("UPDATE schedule_lock SET generation = generation + 1 WHERE id = 1", {}));
}

Status SqlTransaction::MoveSessionDate(app::SessionId session, std::chrono::sys_days date) {
    const std::vector<SqlValue> params = {session.value, FormatDate(date)};
    ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        connection_.Query(
            "UPDATE treatment_sessions SET planned_date = $2 WHERE id = $1 AND state = 'scheduled' RETURNING id",
            params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(const app::TreatmentSession current, GetSession(session));
    return Error{ErrorCode::kFailedPrecondition, "session_id",
                 "session " + std::to_string(session.value) + " is " +
                     std::string(clinical::SessionStateName(current.state)) + ", no longer scheduled"};
}

Result<app::MissedInductionId> SqlTransaction::InsertMissedInduction(const app::MissedInduction& missed) {
    const std::vector<SqlValue> params = {missed.course.value,
                                          missed.session.value,
                                          missed.appointment.value,
                                          missed.patient.value,
                                          std::string(clinical::kAppointmentStatusNames.Name(missed.outcome)),
                                          missed.reason,
                                          Millis(missed.flagged_at),
                                          missed.flagged_by};
    Result<std::vector<SqlRow>> rows = connection_.Query(
        "INSERT INTO missed_inductions (course_id, session_id, appointment_id, patient_id, outcome, reason, "
        "flagged_at, flagged_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        params);
    if (!rows.ok()) {
        Error error = rows.error();
        if (IsUniqueViolation(error, "missed_inductions.appointment_id", "missed_inductions_appointment_id_key")) {
            error.field = "appointment";
            error.message = "appointment " + std::to_string(missed.appointment.value) + " is already flagged";
        }
        return error;
    }
    return app::MissedInductionId{InsertedId(*rows)};
}

Result<std::vector<app::MissedInduction>> SqlTransaction::ListMissedInductions(app::CourseId course) {
    return QueryRows<app::MissedInduction>(
        connection_,
        "SELECT " + std::string(kMissedInductionColumns) + " FROM missed_inductions WHERE course_id = $1 ORDER BY id",
        {course.value}, MissedInductionFromRow);
}

}  // namespace kclinic::adapters::storage::sql
