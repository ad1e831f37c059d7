// Bedside monitors and their device log over SqlConnection; schema in migrations/0022_device_feed.sql, whose triggers
// keep a device reading unchanged but for its one assignment, and every reading undeleted.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/sql/multi_row.hpp"
#include "adapters/storage/sql/row_reader.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::storage::sql {
namespace {

using app::TimePoint;

constexpr std::string_view kDeviceColumns =
    "id, key, sending_application, sending_facility, equipment_id, location, first_seen_at, last_message_at, "
    "last_message_control_id, message_count, error_count, last_error, last_error_at";

Result<app::Device> DeviceFromRow(const SqlRow& row) {
    RowReader read(row);
    app::Device device;
    device.id = app::DeviceId{read.Int(0)};
    device.key = read.Text(1);
    device.sending_application = read.Text(2);
    device.sending_facility = read.Text(3);
    device.equipment_id = read.Text(4);
    device.location = read.Text(5);
    device.first_seen_at = FromMillis(read.Int(6));
    device.last_message_at = ReadOptionalTime(read, 7);
    device.last_message_control_id = read.Text(8);
    device.message_count = read.Int(9);
    device.error_count = read.Int(10);
    device.last_error = read.Text(11);
    device.last_error_at = ReadOptionalTime(read, 12);
    if (!read.ok()) {
        return Corrupt("devices");
    }
    return device;
}

constexpr std::string_view kReadingColumns =
    "id, device_id, control_id, received_at, status, status_reason, loinc, value, diastolic, mean_arterial, unit, "
    "observed_at, raw_code, raw_system, raw_text, raw_value, raw_unit, room_id, patient_id, session_id, "
    "vital_sign_id, alert_episode, alert_id, assigned_at, assigned_by";

template <typename IdType>
std::optional<IdType> ReadOptionalId(RowReader& read, std::size_t column) {
    return read.IsNull(column) ? std::nullopt : std::optional<IdType>(IdType{read.Int(column)});
}

template <typename IdType>
SqlValue OptionalId(const std::optional<IdType>& id) {
    return id ? SqlValue{id->value} : SqlValue{};
}

Result<app::DeviceReading> ReadingFromRow(const SqlRow& row) {
    RowReader read(row);
    app::DeviceReading reading;
    reading.id = app::DeviceReadingId{read.Int(0)};
    reading.device = app::DeviceId{read.Int(1)};
    reading.message_control_id = read.Text(2);
    reading.received_at = FromMillis(read.Int(3));
    Result<app::DeviceReadingStatus> status = app::ParseDeviceReadingStatus(read.Text(4));
    reading.status_reason = read.Text(5);
    reading.loinc = read.Text(6);
    reading.value = read.Double(7);
    reading.diastolic = ReadOptionalReal(read, 8);
    reading.mean_arterial = ReadOptionalReal(read, 9);
    reading.unit = read.Text(10);
    reading.observed_at = FromMillis(read.Int(11));
    reading.raw_code = read.Text(12);
    reading.raw_system = read.Text(13);
    reading.raw_text = read.Text(14);
    reading.raw_value = read.Text(15);
    reading.raw_unit = read.Text(16);
    reading.room = ReadOptionalId<app::RoomId>(read, 17);
    reading.patient = ReadOptionalId<app::PatientId>(read, 18);
    reading.session = ReadOptionalId<app::SessionId>(read, 19);
    reading.vital_sign = ReadOptionalId<app::VitalSignId>(read, 20);
    reading.alert_episode = read.Text(21);
    reading.alert = ReadOptionalId<app::AlertId>(read, 22);
    reading.assigned_at = ReadOptionalTime(read, 23);
    reading.assigned_by = read.Text(24);
    if (!read.ok() || !status.ok()) {
        return Corrupt("device_readings");
    }
    reading.status = *status;
    return reading;
}

// The one observed_at `sql` selects (an aggregate that is NULL when nothing matched).
Result<std::optional<TimePoint>> QueryTime(SqlConnection& connection, std::string_view sql,
                                           const std::vector<SqlValue>& params) {
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows, connection.Query(sql, params));
    if (rows.empty()) {
        return std::optional<TimePoint>{};
    }
    RowReader read(rows.front());
    std::optional<TimePoint> time = ReadOptionalTime(read, 0);
    if (!read.ok()) {
        return Corrupt("device_readings");
    }
    return time;
}

// What a `RETURNING id, text` gave: the rows' two columns.
using IdsAndTexts = std::vector<std::pair<std::int64_t, std::string>>;
Result<IdsAndTexts> ReadIdsAndTexts(const std::vector<SqlRow>& rows, std::string_view table) {
    IdsAndTexts read_rows;
    read_rows.reserve(rows.size());
    for (const SqlRow& row : rows) {
        RowReader read(row);
        read_rows.emplace_back(read.Int(0), read.Text(1));
        if (!read.ok()) {
            return Corrupt(table);
        }
    }
    return read_rows;
}

}  // namespace

Result<std::vector<app::DeviceId>> SqlTransaction::SaveDevicesSeen(std::span<const app::Device> seen) {
    static const MultiRowStatement kUpsert(
        "INSERT INTO devices (key, sending_application, sending_facility, equipment_id, location, first_seen_at) "
        "VALUES ",
        6,
        " ON CONFLICT (key) DO UPDATE SET sending_application = excluded.sending_application, sending_facility = "
        "excluded.sending_facility, equipment_id = excluded.equipment_id, location = excluded.location "
        "RETURNING id, key");
    // RETURNING's rows come in no promised order: each names its key.
    std::map<std::string, std::int64_t, std::less<>> ids;
    std::vector<SqlValue> params;
    std::size_t next = 0;
    for (const std::size_t rows : RowChunks(seen.size())) {
        params.clear();
        for (const app::Device& device : seen.subspan(next, rows)) {
            params.insert(params.end(), {device.key, device.sending_application, device.sending_facility,
                                         device.equipment_id, device.location, Millis(device.first_seen_at)});
        }
        next += rows;
        ASSIGN_OR_RETURN(const std::vector<SqlRow> returned, connection_.Query(kUpsert.Text(rows), params));
        ASSIGN_OR_RETURN(IdsAndTexts keyed, ReadIdsAndTexts(returned, "devices"));
        for (auto& [id, key] : keyed) {
            ids.insert_or_assign(std::move(key), id);
        }
    }
    std::vector<app::DeviceId> saved;
    saved.reserve(seen.size());
    for (const app::Device& device : seen) {
        const auto found = ids.find(device.key);
        if (found == ids.end()) {
            return Corrupt("devices");
        }
        saved.push_back(app::DeviceId{found->second});
    }
    return saved;
}

Result<app::Device> SqlTransaction::GetDevice(app::DeviceId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, "SELECT " + std::string(kDeviceColumns) + " FROM devices WHERE id = $1", params,
                    DeviceFromRow,
                    Error{ErrorCode::kNotFound, "device_id", "no device with id " + std::to_string(id.value)});
}

Result<std::vector<app::Device>> SqlTransaction::ListDevices() {
    return QueryRows<app::Device>(connection_, "SELECT " + std::string(kDeviceColumns) + " FROM devices ORDER BY id",
                                  {}, DeviceFromRow);
}

Result<std::vector<bool>> SqlTransaction::InsertDeviceMessages(std::span<const app::DeviceMessageRecord> messages) {
    // DO NOTHING rather than a unique violation: on PostgreSQL a resend racing its original waits for it here and
    // then finds the row, without aborting this transaction.
    static const MultiRowStatement kInsert("INSERT INTO device_messages (device_id, control_id, received_at) VALUES ",
                                           3, " ON CONFLICT DO NOTHING RETURNING device_id, control_id");
    // The messages recorded, by device and MSH-10: RETURNING's rows come in no promised order.
    std::set<std::pair<std::int64_t, std::string>> inserted;
    std::vector<SqlValue> params;
    std::size_t next = 0;
    for (const std::size_t rows : RowChunks(messages.size())) {
        params.clear();
        for (const app::DeviceMessageRecord& message : messages.subspan(next, rows)) {
            params.insert(params.end(),
                          {message.device.value, std::string(message.control_id), Millis(message.received_at)});
        }
        next += rows;
        ASSIGN_OR_RETURN(const std::vector<SqlRow> returned, connection_.Query(kInsert.Text(rows), params));
        ASSIGN_OR_RETURN(IdsAndTexts recorded, ReadIdsAndTexts(returned, "device_messages"));
        inserted.insert(std::make_move_iterator(recorded.begin()), std::make_move_iterator(recorded.end()));
    }
    // Each recorded message counts on its device once: a copy later in `messages` is not recorded (the first took
    // its row). The counters of a device change once, with its count and its last message.
    struct Count {
        std::int64_t messages = 0;
        const app::DeviceMessageRecord* last = nullptr;
    };
    std::map<std::int64_t, Count> counts;
    std::vector<bool> recorded;
    recorded.reserve(messages.size());
    for (const app::DeviceMessageRecord& message : messages) {
        const auto found = inserted.find(std::pair(message.device.value, std::string(message.control_id)));
        recorded.push_back(found != inserted.end());
        if (found != inserted.end()) {
            inserted.erase(found);
            Count& count = counts[message.device.value];
            ++count.messages;
            count.last = &message;
        }
    }
    // A VALUES list's columns are column1, column2, ... on both backends.
    static const MultiRowStatement kCount(
        "UPDATE devices SET message_count = devices.message_count + v.column2, last_message_at = v.column3, "
        "last_message_control_id = v.column4 FROM (VALUES ",
        4, ") AS v WHERE devices.id = v.column1");
    auto device = counts.begin();
    for (const std::size_t rows : RowChunks(counts.size())) {
        params.clear();
        for (std::size_t row = 0; row < rows; ++row, ++device) {
            const Count& count = device->second;
            params.insert(params.end(), {device->first, count.messages, Millis(count.last->received_at),
                                         std::string(count.last->control_id)});
        }
        RETURN_IF_ERROR(connection_.Query(kCount.Text(rows), params));
    }
    return recorded;
}

Status SqlTransaction::CountDeviceErrors(app::DeviceId device, int count, std::string_view error, TimePoint at) {
    const std::vector<SqlValue> params = {device.value, std::int64_t{count}, std::string(error), Millis(at)};
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE devices SET error_count = error_count + $2, last_error = $3, "
                                       "last_error_at = $4 WHERE id = $1 RETURNING id",
                                       params));
    if (rows.empty()) {
        return Error{ErrorCode::kNotFound, "device_id", "no device with id " + std::to_string(device.value)};
    }
    return Status::Ok();
}

Result<std::vector<app::DeviceReadingId>> SqlTransaction::InsertDeviceReadings(
    std::span<const app::DeviceReading> readings) {
    static const MultiRowStatement kInsert(
        "INSERT INTO device_readings (device_id, control_id, received_at, status, status_reason, loinc, value, "
        "diastolic, mean_arterial, unit, observed_at, raw_code, raw_system, raw_text, raw_value, raw_unit, room_id, "
        "patient_id, session_id, vital_sign_id, alert_episode, alert_id, assigned_at, assigned_by) VALUES ",
        24, " RETURNING id");
    std::vector<app::DeviceReadingId> ids;
    ids.reserve(readings.size());
    std::vector<SqlValue> params;
    std::size_t next = 0;
    for (const std::size_t rows : RowChunks(readings.size())) {
        params.clear();
        for (const app::DeviceReading& reading : readings.subspan(next, rows)) {
            params.insert(params.end(), {reading.device.value,
                                         reading.message_control_id,
                                         Millis(reading.received_at),
                                         std::string(app::DeviceReadingStatusName(reading.status)),
                                         reading.status_reason,
                                         reading.loinc,
                                         reading.value,
                                         OptionalReal(reading.diastolic),
                                         OptionalReal(reading.mean_arterial),
                                         reading.unit,
                                         Millis(reading.observed_at),
                                         reading.raw_code,
                                         reading.raw_system,
                                         reading.raw_text,
                                         reading.raw_value,
                                         reading.raw_unit,
                                         OptionalId(reading.room),
                                         OptionalId(reading.patient),
                                         OptionalId(reading.session),
                                         OptionalId(reading.vital_sign),
                                         reading.alert_episode,
                                         OptionalId(reading.alert),
                                         OptionalMillis(reading.assigned_at),
                                         reading.assigned_by});
        }
        next += rows;
        ASSIGN_OR_RETURN(std::vector<SqlRow> returned, connection_.Query(kInsert.Text(rows), params));
        if (returned.size() != rows) {
            return Corrupt("device_readings");
        }
        // The rows take their ids in the order of the VALUES list (SQLite: the largest rowid + 1, row after row;
        // PostgreSQL: the identity's sequence, drawn row after row), while RETURNING promises no order: sorted, the
        // ids are the rows'.
        const std::size_t first = ids.size();
        for (const SqlRow& row : returned) {
            RowReader read(row);
            ids.push_back(app::DeviceReadingId{read.Int(0)});
            if (!read.ok()) {
                return Corrupt("device_readings");
            }
        }
        std::sort(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.end(),
                  [](app::DeviceReadingId a, app::DeviceReadingId b) { return a.value < b.value; });
    }
    return ids;
}

Result<app::DeviceReading> SqlTransaction::GetDeviceReading(app::DeviceReadingId id) {
    const std::vector<SqlValue> params = {id.value};
    return QueryOne(connection_, "SELECT " + std::string(kReadingColumns) + " FROM device_readings WHERE id = $1",
                    params, ReadingFromRow,
                    Error{ErrorCode::kNotFound, "reading_id", "no device reading with id " + std::to_string(id.value)});
}

Result<std::vector<app::DeviceReading>> SqlTransaction::ListDeviceReadings(const app::DeviceReadingFilter& filter) {
    // As ListAlerts: each optional filter is a `(column = $n OR $n IS NULL)` term, column first.
    const std::vector<SqlValue> params = {filter.after_id, OptionalId(filter.device),
                                          std::int64_t{filter.unassigned_only ? 1 : 0}, std::int64_t{filter.limit}};
    return QueryRows<app::DeviceReading>(connection_,
                                         "SELECT " + std::string(kReadingColumns) +
                                             " FROM device_readings WHERE id > $1 AND (device_id = $2 OR $2 IS NULL) "
                                             "AND (patient_id IS NULL OR $3 = 0) ORDER BY id LIMIT $4",
                                         params, ReadingFromRow);
}

Status SqlTransaction::AssignDeviceReading(const app::DeviceReading& assigned) {
    const std::vector<SqlValue> params = {assigned.id.value,
                                          OptionalId(assigned.patient),
                                          OptionalId(assigned.session),
                                          OptionalId(assigned.vital_sign),
                                          OptionalMillis(assigned.assigned_at),
                                          assigned.assigned_by};
    // Only an unassigned row matches, so two staff assigning the same reading at once assign it once.
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     connection_.Query("UPDATE device_readings SET patient_id = $2, session_id = $3, "
                                       "vital_sign_id = $4, assigned_at = $5, assigned_by = $6 "
                                       "WHERE id = $1 AND patient_id IS NULL RETURNING id",
                                       params));
    if (!rows.empty()) {
        return Status::Ok();
    }
    RETURN_IF_ERROR(GetDeviceReading(assigned.id));
    return Error{ErrorCode::kFailedPrecondition, "reading_id",
                 "device reading " + std::to_string(assigned.id.value) + " is already assigned"};
}

Result<std::optional<TimePoint>> SqlTransaction::LatestDeviceBreach(app::SessionId session,
                                                                    std::string_view episode_key, TimePoint at) {
    const std::vector<SqlValue> params = {session.value, std::string(episode_key), Millis(at)};
    return QueryTime(connection_,
                     "SELECT MAX(observed_at) FROM device_readings WHERE session_id = $1 AND alert_episode = $2 "
                     "AND observed_at <= $3",
                     params);
}

Result<std::optional<TimePoint>> SqlTransaction::NearestDeviceVitalSign(app::PatientId patient, std::string_view loinc,
                                                                        TimePoint at) {
    const std::vector<SqlValue> params = {patient.value, std::string(loinc), Millis(at)};
    // Two index range reads (vital_signs_by_patient_code), the latest at or before and the earliest after.
    ASSIGN_OR_RETURN(const std::optional<TimePoint> before,
                     QueryTime(connection_,
                               "SELECT MAX(observed_at) FROM vital_signs WHERE patient_id = $1 AND loinc = $2 "
                               "AND observed_at <= $3 AND source = 'device' AND entered_in_error_reason IS NULL",
                               params));
    ASSIGN_OR_RETURN(const std::optional<TimePoint> after,
                     QueryTime(connection_,
                               "SELECT MIN(observed_at) FROM vital_signs WHERE patient_id = $1 AND loinc = $2 "
                               "AND observed_at > $3 AND source = 'device' AND entered_in_error_reason IS NULL",
                               params));
    if (!before || !after) {
        return before ? before : after;
    }
    return at - *before <= *after - at ? before : after;
}

Status SqlTransaction::LockSessionDeviceFeed(app::SessionId session) {
    // As LockSchedule: the row's write lock holds on PostgreSQL until the transaction ends; SQLite's write
    // transactions are serial already.
    const std::vector<SqlValue> params = {session.value};
    return StatusOf(
        connection_.Query("INSERT INTO device_session_locks (session_id, generation) VALUES ($1, 1) "
                          "ON CONFLICT (session_id) DO UPDATE SET generation = "
                          "device_session_locks.generation + 1",
                          params));
}

}  // namespace kclinic::adapters::storage::sql
