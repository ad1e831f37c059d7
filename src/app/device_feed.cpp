#include "app/device_feed.hpp"
#include "app/device_feed_batch.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/vital_sign_steps.hpp"
#include "base/text.hpp"
#include "clinical/alerts.hpp"
#include "clinical/device_readings.hpp"
#include "clinical/record_time.hpp"
#include "clinical/scheduling.hpp"
#include "clinical/session_state.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::app {
namespace {

// HL7 v2.5 MSH-10 is an ST of at most 199 characters (HL7 v2.5 §2.15.9.10).
constexpr TextRule kControlIdRule{.max_characters = 199};
// A device key is what a room's monitor_ids hold: at most 100 characters (app/scheduling.hpp NewRoom).
constexpr TextRule kDeviceKeyRule{.max_characters = 100};
// The raw texts of an observation and the identity's other parts are kept as the device sent them, cut to this.
constexpr std::size_t kMaxRawCharacters = 200;
// A room holds at most this many monitors (app/scheduling.hpp NewRoom).
constexpr std::size_t kMaxRoomMonitors = 10;

constexpr std::string_view kFeedUser = "system:mllp";

Actor FeedActor(std::string_view key) {
    return Actor{std::string(kFeedUser), "mllp:" + std::string(key)};
}

// `raw` as stored: kept whole when it is valid UTF-8 without control characters and at most kMaxRawCharacters long;
// otherwise every byte outside printable ASCII becomes '?' and it is cut to that length, so a device's garbage can
// neither fail the transaction (PostgreSQL refuses invalid UTF-8) nor grow the log without bound.
std::string StoredText(std::string_view raw) {
    if (CheckText("text", raw, {.max_characters = kMaxRawCharacters, .required = false}).ok()) {
        return std::string(raw);
    }
    std::string kept;
    for (char c : raw.substr(0, kMaxRawCharacters)) {
        kept += (c >= ' ' && c <= '~') ? c : '?';
    }
    return kept;
}

Status CheckPageLimit(int limit) {
    if (limit < 1 || limit > kMaxPageSize) {
        return Error{ErrorCode::kOutOfRange, "limit", "must be 1 to " + std::to_string(kMaxPageSize)};
    }
    return Status::Ok();
}

bool IsBloodPressureComponent(std::string_view loinc) {
    return loinc == clinical::kSystolicBpLoinc || loinc == clinical::kDiastolicBpLoinc ||
           loinc == clinical::kMeanArterialPressureLoinc;
}

DeviceReading ReadingOf(const DeviceObservation& observation) {
    DeviceReading reading;
    reading.status = observation.valid ? DeviceReadingStatus::kValid : DeviceReadingStatus::kInvalid;
    reading.status_reason = observation.valid ? std::string() : StoredText(observation.invalid_reason);
    if (!observation.valid && reading.status_reason.empty()) {
        reading.status_reason = "flagged invalid by the device";
    }
    reading.loinc = StoredText(observation.loinc);
    reading.value = observation.value;
    reading.diastolic = observation.diastolic;
    reading.mean_arterial = observation.mean_arterial;
    reading.unit = StoredText(observation.unit);
    reading.observed_at = observation.observed_at;
    reading.raw_code = StoredText(observation.raw.code);
    reading.raw_text = StoredText(observation.raw.text);
    reading.raw_system = StoredText(observation.raw.system);
    reading.raw_value = StoredText(observation.raw.value);
    reading.raw_unit = StoredText(observation.raw.unit);
    return reading;
}

// The message's observations as device-log rows, one per observation, in its order. A blood pressure is paired in
// one place, by its sender's adapter (adapters/hl7 GroupBloodPressures: same OBR, time, equipment, method and sub-id),
// which hands it over as one reading of the panel; a component that comes alone had no pair there, and is kept
// invalid: a lone systolic is not a recordable reading.
std::vector<DeviceReading> ReadingsOf(const std::vector<DeviceObservation>& observations) {
    std::vector<DeviceReading> readings;
    readings.reserve(observations.size());
    for (const DeviceObservation& observation : observations) {
        readings.push_back(ReadingOf(observation));
        if (IsBloodPressureComponent(observation.loinc)) {
            readings.back().status = DeviceReadingStatus::kInvalid;
            readings.back().status_reason =
                "a blood-pressure component without its systolic or diastolic pair in the same measurement";
        }
    }
    return readings;
}

// Marks a valid reading invalid when the record would refuse it: an implausible value (clinical::ValidateVitalSign),
// or an observed time beyond the clock-skew allowance or the late-entry limit (clinical::CheckEntryTime).
void JudgeValidity(DeviceReading& reading, TimePoint now, const clinical::RecordSettings& settings) {
    if (reading.status != DeviceReadingStatus::kValid) {
        return;
    }
    const clinical::VitalSignEntry entry{reading.loinc, reading.value, reading.unit, reading.diastolic,
                                         reading.mean_arterial};
    Status valid = clinical::ValidateVitalSign(entry);
    if (valid.ok()) {
        valid = StatusOf(clinical::CheckEntryTime("observed_at", reading.observed_at, now, settings));
    }
    if (!valid.ok()) {
        reading.status = DeviceReadingStatus::kInvalid;
        reading.status_reason = StoredText(valid.error().field + " " + valid.error().message);
    }
}

// The rooms whose monitor_ids hold `key`, in id order.
std::vector<TreatmentRoom> RoomsHolding(std::vector<TreatmentRoom> rooms, std::string_view key) {
    std::erase_if(rooms, [key](const TreatmentRoom& room) {
        return std::find(room.monitor_ids.begin(), room.monitor_ids.end(), key) == room.monitor_ids.end();
    });
    return rooms;
}

// The names of `rooms`, joined by ", ".
std::string RoomNames(const std::vector<TreatmentRoom>& rooms) {
    std::string names;
    for (const TreatmentRoom& room : rooms) {
        names += (names.empty() ? "" : ", ") + room.name;
    }
    return names;
}

// The room a device is bound to: none when unbound, and none with the reason when it is in more than one room's
// monitor_ids (a room's monitors are edited by hand too: Scheduling::UpdateRoom).
struct Binding {
    std::optional<TreatmentRoom> room;
    std::string ambiguity;  // empty unless bound to two rooms or more
};

// The binding of `key` among `rooms` (all the rooms, as ListRooms reads them).
Binding BindingAmong(std::vector<TreatmentRoom> rooms, std::string_view key) {
    std::vector<TreatmentRoom> holding = RoomsHolding(std::move(rooms), key);
    Binding binding;
    if (holding.size() == 1) {
        binding.room = std::move(holding.front());
    } else if (holding.size() > 1) {
        binding.ambiguity = "device " + std::string(key) + " is bound to " + std::to_string(holding.size()) +
                            " rooms (" + RoomNames(holding) +
                            "); its readings are kept unassigned until it is bound "
                            "to one";
    }
    return binding;
}

Result<Binding> FindBinding(StoreTransaction& tx, std::string_view key) {
    ASSIGN_OR_RETURN(std::vector<TreatmentRoom> rooms, tx.ListRooms());
    return BindingAmong(std::move(rooms), key);
}

// Takes `key` out of every room's monitor_ids; the rooms it was in.
Result<std::vector<TreatmentRoom>> RemoveFromRooms(StoreTransaction& tx, std::string_view key) {
    ASSIGN_OR_RETURN(std::vector<TreatmentRoom> rooms, tx.ListRooms());
    std::vector<TreatmentRoom> holding = RoomsHolding(std::move(rooms), key);
    for (TreatmentRoom& room : holding) {
        std::erase(room.monitor_ids, key);
        RETURN_IF_ERROR(tx.UpdateRoom(room));
    }
    return holding;
}

// The session in progress in `room` at `at`: of an appointment in that room that is not cancelled or a no-show,
// checked in at or before `at` and not yet in a final state by then; the one checked in last when two are. No
// appointment is longer than a day (migrations/0017), but a session may run past its appointment's end, so the
// appointments that overlap the day before `at` are read.
Result<std::optional<TreatmentSession>> SessionInRoom(StoreTransaction& tx, RoomId room, TimePoint at) {
    AppointmentFilter filter;
    filter.from = at - std::chrono::days{1};
    filter.to = at + std::chrono::milliseconds{1};
    filter.room = room;
    ASSIGN_OR_RETURN(std::vector<Appointment> appointments, tx.ListAppointments(filter));
    std::optional<TreatmentSession> found;
    for (const Appointment& appointment : appointments) {
        if (!appointment.session || appointment.status == clinical::AppointmentStatus::kCancelled ||
            appointment.status == clinical::AppointmentStatus::kNoShow) {
            continue;
        }
        ASSIGN_OR_RETURN(TreatmentSession session, tx.GetSession(*appointment.session));
        const bool in_progress = session.checked_in_at && *session.checked_in_at <= at &&
                                 !(clinical::IsFinal(session.state) && session.state_changed_at <= at);
        if (in_progress && (!found || *session.checked_in_at > *found->checked_in_at)) {
            found = std::move(session);
        }
    }
    return found;
}

// Charts a valid reading of `patient` as a device vital sign (with the audit entry) and raises `findings` over it;
// sets reading.vital_sign. Returns what the live channel publishes. PRECONDITION: clinical::CheckEntryTime accepts
// the reading's observed time under `settings` (JudgeValidity, or the assignment's own check).
Result<RecordedVitalSign> Chart(StoreTransaction& tx, const Actor& actor, TimePoint now, const Patient& patient,
                                const std::string& device_key, DeviceReading& reading,
                                const std::vector<clinical::AlertFinding>& findings,
                                const clinical::RecordSettings& settings) {
    NewVitalSign vital{patient.id,          reading.loinc,        reading.value, reading.unit,
                       reading.observed_at, VitalSource::kDevice, device_key};
    vital.device_message_id = reading.message_control_id;
    vital.diastolic = reading.diastolic;
    vital.mean_arterial = reading.mean_arterial;
    vital.session = reading.session;
    ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                     clinical::CheckEntryTime("observed_at", reading.observed_at, now, settings));
    ASSIGN_OR_RETURN(const VitalSignId id,
                     tx.InsertVitalSign(vital, now, actor.user, timing == clinical::EntryTiming::kLate));
    RETURN_IF_ERROR(RecordAudit(tx, actor, now, "vital_sign.create", "vital_sign", id.value, patient.id.value));
    reading.vital_sign = id;
    ASSIGN_OR_RETURN(std::vector<Alert> alerts,
                     RaiseAlerts(tx, actor, now, patient, "vital_sign", id.value, reading.session, findings));
    ASSIGN_OR_RETURN(VitalSign recorded, tx.GetVitalSign(id));
    return RecordedVitalSign{std::move(recorded), std::move(alerts)};
}

// The reading of a session through the alert and chart rules: its breach episode, whether it opens one (and so
// raises the alert) and whether the chart keeps it; charts it when so.
Result<std::optional<RecordedVitalSign>> RunSessionRules(StoreTransaction& tx, const Actor& actor, TimePoint now,
                                                         const Patient& patient, const std::string& device_key,
                                                         DeviceReading& reading,
                                                         const clinical::ClinicSettings& settings) {
    const clinical::VitalSignEntry entry{reading.loinc, reading.value, reading.unit, reading.diastolic,
                                         reading.mean_arterial};
    std::vector<clinical::AlertFinding> findings = clinical::EvaluateVitalSign(entry, settings.monitoring);
    bool opens = false;
    if (!findings.empty()) {
        reading.alert_episode = std::string(clinical::AlertEpisodeKey(findings.front().rule));
        ASSIGN_OR_RETURN(const std::optional<TimePoint> previous,
                         tx.LatestDeviceBreach(*reading.session, reading.alert_episode, reading.observed_at));
        opens = clinical::OpensAlertEpisode(reading.observed_at, previous, settings.monitoring);
    }
    if (!opens) {
        findings.clear();
    }
    ASSIGN_OR_RETURN(const std::optional<TimePoint> nearest,
                     tx.NearestDeviceVitalSign(patient.id, reading.loinc, reading.observed_at));
    if (!clinical::KeepsInChart(reading.observed_at, nearest, opens, settings.monitoring)) {
        return std::optional<RecordedVitalSign>{};
    }
    ASSIGN_OR_RETURN(RecordedVitalSign recorded,
                     Chart(tx, actor, now, patient, device_key, reading, findings, settings.records));
    if (!recorded.alerts.empty()) {
        reading.alert = recorded.alerts.front().id;
    }
    return std::optional<RecordedVitalSign>(std::move(recorded));
}

// An IngestRejected for a message that cannot be accepted; nullopt when it can.
std::optional<IngestRejected> Rejection(const DeviceMessage& message, const std::string& key) {
    if (Status id = CheckText("MSH-10", message.message_control_id, kControlIdRule); !id.ok()) {
        return IngestRejected{"MSH-10", "the message control id " + id.error().message};
    }
    if (key.empty()) {
        return IngestRejected{"MSH-3",
                              "the message names no device: no OBX-18 equipment identifier and no MSH-3 "
                              "sending application"};
    }
    if (Status checked = CheckText("MSH-3", key, kDeviceKeyRule); !checked.ok()) {
        return IngestRejected{"MSH-3", "the device identity (OBX-18, else MSH-3|MSH-4) " + checked.error().message};
    }
    if (message.observations.size() + message.unmapped.size() > kMaxDeviceObservations) {
        return IngestRejected{"OBX", "the message holds " +
                                         std::to_string(message.observations.size() + message.unmapped.size()) +
                                         " observations; at most " + std::to_string(kMaxDeviceObservations)};
    }
    return std::nullopt;
}

Device DeviceSeen(const DeviceIdentity& identity, const std::string& key, TimePoint now) {
    Device seen;
    seen.key = key;
    seen.sending_application = StoredText(identity.sending_application);
    seen.sending_facility = StoredText(identity.sending_facility);
    seen.equipment_id = StoredText(identity.equipment_id);
    seen.location = StoredText(identity.location);
    seen.first_seen_at = now;
    return seen;
}

Result<DeviceView> ViewOf(StoreTransaction& tx, DeviceId id) {
    ASSIGN_OR_RETURN(Device device, tx.GetDevice(id));
    ASSIGN_OR_RETURN(Binding binding, FindBinding(tx, device.key));
    return DeviceView{std::move(device), std::move(binding.room)};
}

// What every message of one transaction is stored under, read once for all of them (issue 13 §5: no per-message
// reads that a batch can share).
struct IngestContext {
    clinical::ClinicSettings settings;
    std::vector<TreatmentRoom> rooms;  // every room, for the devices' bindings
    // The devices saved in this transaction, by key, as saved: a device's next message that names it alike (a
    // monitor's every message does) needs no second save.
    std::map<std::string, Device, std::less<>> saved;
};

// Whether `seen` says nothing `saved` does not already hold (first_seen_at aside: the store keeps the first).
bool SameIdentity(const Device& seen, const Device& saved) {
    return seen.sending_application == saved.sending_application && seen.sending_facility == saved.sending_facility &&
           seen.equipment_id == saved.equipment_id && seen.location == saved.location;
}

// SaveDeviceSeen, once per device and identity in the transaction.
Result<DeviceId> SaveDevice(StoreTransaction& tx, IngestContext& context, Device seen) {
    const auto found = context.saved.find(seen.key);
    if (found != context.saved.end() && SameIdentity(seen, found->second)) {
        return found->second.id;
    }
    ASSIGN_OR_RETURN(seen.id, tx.SaveDeviceSeen(seen));
    const DeviceId id = seen.id;
    context.saved.insert_or_assign(seen.key, std::move(seen));
    return id;
}

Result<IngestContext> ReadIngestContext(StoreTransaction& tx) {
    IngestContext context;
    ASSIGN_OR_RETURN(context.settings, LoadClinicSettings(tx));
    ASSIGN_OR_RETURN(context.rooms, tx.ListRooms());
    return context;
}

// Stores one message that passed Rejection in the open transaction `tx` (DeviceFeed::Ingest's rules), under
// `context`; `key` is DeviceKey(message.device).
Result<IngestOutcome> StoreMessage(StoreTransaction& tx, const DeviceMessage& message, const std::string& key,
                                   TimePoint now, IngestContext& context) {
    const clinical::ClinicSettings& settings = context.settings;
    const Actor actor = FeedActor(key);
    IngestAccepted accepted;
    ASSIGN_OR_RETURN(accepted.device, SaveDevice(tx, context, DeviceSeen(message.device, key, now)));
    const Status recorded = tx.InsertDeviceMessage(accepted.device, message.message_control_id, message.received_at);
    if (!recorded.ok() && recorded.error().code == ErrorCode::kConflict) {
        accepted.duplicate = true;  // a resend, or one racing its original: stored once, by the other
        return IngestOutcome{std::move(accepted)};
    }
    RETURN_IF_ERROR(recorded);
    const Binding binding = BindingAmong(context.rooms, key);

    std::vector<DeviceReading> readings = ReadingsOf(message.observations);
    for (const UnmappedObservation& unmapped : message.unmapped) {
        DeviceReading raw;
        raw.status = DeviceReadingStatus::kUnmapped;
        raw.status_reason = StoredText(unmapped.reason.empty()
                                           ? "no mapping for " + unmapped.raw.code + " (" + unmapped.raw.system + ")"
                                           : unmapped.reason);
        raw.observed_at = unmapped.observed_at.value_or(message.received_at);
        raw.raw_code = StoredText(unmapped.raw.code);
        raw.raw_text = StoredText(unmapped.raw.text);
        raw.raw_system = StoredText(unmapped.raw.system);
        raw.raw_value = StoredText(unmapped.raw.value);
        raw.raw_unit = StoredText(unmapped.raw.unit);
        readings.push_back(std::move(raw));
    }

    // Where each reading goes: every reading of a bound device to the session in progress in its room at its
    // observed time, invalid and unmapped ones too (they are that patient's device log, not unassigned data for
    // staff to sort).
    std::map<TimePoint, std::optional<TreatmentSession>> sessions;  // by observed time, read once each
    std::set<SessionId> fed;
    for (DeviceReading& reading : readings) {
        reading.device = accepted.device;
        reading.message_control_id = message.message_control_id;
        reading.received_at = message.received_at;
        reading.room = binding.room ? std::optional<RoomId>(binding.room->id) : std::nullopt;
        JudgeValidity(reading, now, settings.records);
        if (!binding.room) {
            continue;
        }
        if (!sessions.contains(reading.observed_at)) {
            ASSIGN_OR_RETURN(sessions[reading.observed_at], SessionInRoom(tx, binding.room->id, reading.observed_at));
        }
        if (const std::optional<TreatmentSession>& session = sessions[reading.observed_at]) {
            reading.session = session->id;
            reading.patient = session->patient;
            fed.insert(session->id);
        }
    }
    // Locked in id order, so two messages that feed the same two sessions cannot deadlock.
    std::map<std::int64_t, Patient> patients;
    for (const SessionId session : fed) {
        RETURN_IF_ERROR(tx.LockSessionDeviceFeed(session));
    }
    std::map<std::int64_t, int> per_patient;  // readings stored for each patient, for the audit
    for (DeviceReading& reading : readings) {
        if (reading.patient && !patients.contains(reading.patient->value)) {
            ASSIGN_OR_RETURN(patients[reading.patient->value], tx.GetPatient(*reading.patient));
        }
        if (reading.session && reading.status == DeviceReadingStatus::kValid) {
            ASSIGN_OR_RETURN(std::optional<RecordedVitalSign> charted,
                             RunSessionRules(tx, actor, now, patients[reading.patient->value], key, reading, settings));
            if (charted) {
                accepted.charted.push_back(std::move(*charted));
            }
        }
        ASSIGN_OR_RETURN(reading.id, tx.InsertDeviceReading(reading));
        if (reading.patient) {
            ++per_patient[reading.patient->value];
        }
    }
    for (const auto& [patient, count] : per_patient) {
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "device_reading.create", "device_message", accepted.device.value, patient,
                        "message " + message.message_control_id + ": " + std::to_string(count) + " readings"));
    }
    const auto unmapped = static_cast<int>(message.unmapped.size());
    if (unmapped > 0) {
        const RawObservation& first = message.unmapped.front().raw;
        RETURN_IF_ERROR(tx.CountDeviceErrors(accepted.device, unmapped,
                                             "message " + message.message_control_id + ": " + std::to_string(unmapped) +
                                                 " observations with no mapping, the first " + StoredText(first.code) +
                                                 " (" + StoredText(first.system) + ")",
                                             now));
    }
    if (!binding.ambiguity.empty()) {
        RETURN_IF_ERROR(tx.CountDeviceErrors(accepted.device, 1, binding.ambiguity, now));
    }
    accepted.readings = std::move(readings);
    return IngestOutcome{std::move(accepted)};
}

}  // namespace

std::string DeviceKey(const DeviceIdentity& identity) {
    if (!identity.equipment_id.empty()) {
        return identity.equipment_id;
    }
    if (identity.sending_application.empty()) {
        return {};
    }
    return identity.sending_facility.empty() ? identity.sending_application
                                             : identity.sending_application + "|" + identity.sending_facility;
}

Result<IngestOutcome> DeviceFeed::Ingest(const DeviceMessage& message, TimePoint now) {
    const std::string key = DeviceKey(message.device);
    if (std::optional<IngestRejected> rejected = Rejection(message, key)) {
        if (!key.empty() && CheckText("MSH-3", key, kDeviceKeyRule).ok()) {
            RETURN_IF_ERROR(RecordRejectedMessage(message.device, rejected->field + ": " + rejected->reason, now));
        }
        return IngestOutcome{std::move(*rejected)};
    }
    return store_.Write([&](StoreTransaction& tx) -> Result<IngestOutcome> {
        ASSIGN_OR_RETURN(IngestContext context, ReadIngestContext(tx));
        return StoreMessage(tx, message, key, now, context);
    });
}

std::vector<Result<IngestOutcome>> DeviceFeedBatches::IngestBatch(std::span<const DeviceMessage> messages,
                                                                  TimePoint now) {
    std::vector<Result<IngestOutcome>> outcomes;
    if (messages.empty()) {
        return outcomes;
    }
    const Status stored = store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(IngestContext context, ReadIngestContext(tx));
        for (const DeviceMessage& message : messages) {
            const std::string key = DeviceKey(message.device);
            if (std::optional<IngestRejected> rejected = Rejection(message, key)) {
                if (!key.empty() && CheckText("MSH-3", key, kDeviceKeyRule).ok()) {
                    ASSIGN_OR_RETURN(const DeviceId device,
                                     SaveDevice(tx, context, DeviceSeen(message.device, key, now)));
                    RETURN_IF_ERROR(
                        tx.CountDeviceErrors(device, 1, StoredText(rejected->field + ": " + rejected->reason), now));
                }
                outcomes.emplace_back(IngestOutcome{std::move(*rejected)});
                continue;
            }
            ASSIGN_OR_RETURN(IngestOutcome outcome, StoreMessage(tx, message, key, now, context));
            outcomes.emplace_back(std::move(outcome));
        }
        return Status::Ok();
    });
    if (stored.ok()) {
        return outcomes;
    }
    // The shared transaction failed, and with it every message of the batch. Each is tried again on its own, so a
    // message the store cannot take (or a failed commit) costs only its own ACK, never the others'.
    outcomes.clear();
    for (const DeviceMessage& message : messages) {
        outcomes.push_back(feed_.Ingest(message, now));
    }
    return outcomes;
}

Status DeviceFeed::RecordRejectedMessage(const DeviceIdentity& identity, std::string_view error, TimePoint now) {
    const std::string key = DeviceKey(identity);
    if (key.empty()) {
        return InvalidArgument("MSH-3", "names no device");
    }
    RETURN_IF_ERROR(CheckText("MSH-3", key, kDeviceKeyRule));
    return store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(const DeviceId device, tx.SaveDeviceSeen(DeviceSeen(identity, key, now)));
        return tx.CountDeviceErrors(device, 1, StoredText(error), now);
    });
}

Result<std::vector<DeviceView>> DeviceFeed::ListDevices(const Actor& /*actor*/) {
    return store_.Read([&](StoreTransaction& tx) -> Result<std::vector<DeviceView>> {
        ASSIGN_OR_RETURN(std::vector<Device> devices, tx.ListDevices());
        ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
        std::vector<DeviceView> views;
        views.reserve(devices.size());
        for (Device& device : devices) {
            // A device in two rooms shows the first; its feed reports the ambiguity (FindBinding).
            std::vector<TreatmentRoom> holding = RoomsHolding(rooms, device.key);
            views.push_back(DeviceView{std::move(device),
                                       holding.empty() ? std::nullopt : std::optional(std::move(holding.front()))});
        }
        return views;
    });
}

Result<DeviceView> DeviceFeed::BindDevice(const Actor& actor, DeviceId device, RoomId room) {
    return store_.Write([&](StoreTransaction& tx) -> Result<DeviceView> {
        // The schedule's lock: a room's monitors are changed one transaction at a time (Scheduling::UpdateRoom).
        RETURN_IF_ERROR(tx.LockSchedule());
        ASSIGN_OR_RETURN(const Device found, tx.GetDevice(device));
        ASSIGN_OR_RETURN(TreatmentRoom target, tx.GetRoom(room));
        if (!target.active) {
            return Error{ErrorCode::kFailedPrecondition, "room_id", "room " + target.name + " is not in use"};
        }
        if (std::find(target.monitor_ids.begin(), target.monitor_ids.end(), found.key) != target.monitor_ids.end()) {
            return Error{ErrorCode::kFailedPrecondition, "room_id",
                         "device " + found.key + " is already bound to room " + target.name};
        }
        if (target.monitor_ids.size() >= kMaxRoomMonitors) {
            return Error{ErrorCode::kFailedPrecondition, "room_id",
                         "room " + target.name + " already has " + std::to_string(kMaxRoomMonitors) +
                             " monitors; unbind one first"};
        }
        RETURN_IF_ERROR(RemoveFromRooms(tx, found.key));
        target.monitor_ids.push_back(found.key);
        RETURN_IF_ERROR(tx.UpdateRoom(target));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "device.bind", "device", device.value, 0,
                                    found.key + " to room " + target.name));
        return ViewOf(tx, device);
    });
}

Result<DeviceView> DeviceFeed::UnbindDevice(const Actor& actor, DeviceId device) {
    return store_.Write([&](StoreTransaction& tx) -> Result<DeviceView> {
        RETURN_IF_ERROR(tx.LockSchedule());
        ASSIGN_OR_RETURN(const Device found, tx.GetDevice(device));
        ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> left, RemoveFromRooms(tx, found.key));
        if (left.empty()) {
            return Error{ErrorCode::kFailedPrecondition, "device_id", "device " + found.key + " is bound to no room"};
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "device.unbind", "device", device.value, 0,
                                    found.key + " from room " + RoomNames(left)));
        return ViewOf(tx, device);
    });
}

Result<std::vector<DeviceReading>> DeviceFeed::ListDeviceReadings(const Actor& actor,
                                                                  const DeviceReadingFilter& filter) {
    RETURN_IF_ERROR(CheckPageLimit(filter.limit));
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<DeviceReading>> {
        if (filter.device) {
            RETURN_IF_ERROR(tx.GetDevice(*filter.device));
        }
        ASSIGN_OR_RETURN(std::vector<DeviceReading> readings, tx.ListDeviceReadings(filter));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "device_reading.list", "device",
                                    filter.device ? filter.device->value : 0, 0,
                                    filter.unassigned_only ? "unassigned" : "all"));
        return readings;
    });
}

Result<AssignedReadings> DeviceFeed::AssignDeviceReadings(const Actor& actor,
                                                          const std::vector<DeviceReadingId>& readings,
                                                          PatientId patient, std::optional<SessionId> session) {
    if (readings.empty() || readings.size() > kMaxAssignedReadings) {
        return InvalidArgument("reading_ids", "must name 1 to " + std::to_string(kMaxAssignedReadings) + " readings");
    }
    if (std::set<DeviceReadingId>(readings.begin(), readings.end()).size() != readings.size()) {
        return InvalidArgument("reading_ids", "names a reading twice");
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<AssignedReadings> {
        ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, LoadClinicSettings(tx));
        ASSIGN_OR_RETURN(const Patient found, tx.GetPatient(patient));
        if (session) {
            ASSIGN_OR_RETURN(const TreatmentSession named, tx.GetSession(*session));
            if (named.patient != patient) {
                return Error{
                    ErrorCode::kNotFound, "session_id",
                    "no session " + std::to_string(session->value) + " of patient " + std::to_string(patient.value)};
            }
            RETURN_IF_ERROR(tx.LockSessionDeviceFeed(*session));
        }
        AssignedReadings assigned;
        for (const DeviceReadingId id : readings) {
            ASSIGN_OR_RETURN(DeviceReading reading, tx.GetDeviceReading(id));
            if (reading.patient) {
                return Error{ErrorCode::kFailedPrecondition, "reading_id",
                             "device reading " + std::to_string(id.value) + " is already assigned"};
            }
            reading.patient = patient;
            reading.assigned_at = now;
            reading.assigned_by = actor.user;
            if (session) {
                reading.session = session;
            } else {
                ASSIGN_OR_RETURN(reading.session, SessionInProgressAt(tx, patient, reading.observed_at));
            }
            if (reading.status == DeviceReadingStatus::kValid) {
                ASSIGN_OR_RETURN(const std::optional<TimePoint> nearest,
                                 tx.NearestDeviceVitalSign(patient, reading.loinc, reading.observed_at));
                // A reading older than the late-entry limit is assigned but not charted: older documentation is
                // not back-dated into the chart (records.late_entry_max_hours); it stays in the device log.
                const bool chartable =
                    clinical::CheckEntryTime("observed_at", reading.observed_at, now, settings.records).ok();
                if (chartable && clinical::KeepsInChart(reading.observed_at, nearest, false, settings.monitoring)) {
                    ASSIGN_OR_RETURN(const Device device, tx.GetDevice(reading.device));
                    ASSIGN_OR_RETURN(RecordedVitalSign charted,
                                     Chart(tx, actor, now, found, device.key, reading, {}, settings.records));
                    assigned.charted.push_back(std::move(charted.vital));
                }
            }
            RETURN_IF_ERROR(tx.AssignDeviceReading(reading));
            RETURN_IF_ERROR(
                RecordAudit(tx, actor, now, "device_reading.assign", "device_reading", id.value, patient.value));
            assigned.readings.push_back(std::move(reading));
        }
        return assigned;
    });
}

}  // namespace kclinic::app
