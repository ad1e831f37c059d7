#include "app/device_feed.hpp"
#include "app/device_feed_batch.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

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

// The rooms whose monitor_ids hold `key`, in id order (copies of those alone: the feed asks once per message).
std::vector<TreatmentRoom> RoomsHolding(const std::vector<TreatmentRoom>& rooms, std::string_view key) {
    std::vector<TreatmentRoom> holding;
    std::copy_if(rooms.begin(), rooms.end(), std::back_inserter(holding), [key](const TreatmentRoom& room) {
        return std::find(room.monitor_ids.begin(), room.monitor_ids.end(), key) != room.monitor_ids.end();
    });
    return holding;
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
Binding BindingAmong(const std::vector<TreatmentRoom>& rooms, std::string_view key) {
    std::vector<TreatmentRoom> holding = RoomsHolding(rooms, key);
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
    ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
    return BindingAmong(rooms, key);
}

// Takes `key` out of every room's monitor_ids; the rooms it was in.
Result<std::vector<TreatmentRoom>> RemoveFromRooms(StoreTransaction& tx, std::string_view key) {
    ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
    std::vector<TreatmentRoom> holding = RoomsHolding(rooms, key);
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

// Stores the readings of a message of which some feed a session (`fed`, by id): each through the session's alert and
// chart rules, which read the device log written before it, then into the device log, with the audit of the
// patients' new readings; they become accepted.readings.
Status StoreSessionReadings(StoreTransaction& tx, const DeviceMessage& message, const std::string& key, TimePoint now,
                            const clinical::ClinicSettings& settings, const std::set<SessionId>& fed,
                            std::vector<DeviceReading>& readings, IngestAccepted& accepted) {
    const Actor actor = FeedActor(key);
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
        ASSIGN_OR_RETURN(const std::vector<DeviceReadingId> ids, tx.InsertDeviceReadings({&reading, 1}));
        reading.id = ids.front();
        if (reading.patient) {
            ++per_patient[reading.patient->value];
        }
    }
    for (const auto& [patient, count] : per_patient) {
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "device_reading.create", "device_message", accepted.device.value, patient,
                        "message " + message.message_control_id + ": " + std::to_string(count) + " readings"));
    }
    accepted.readings = std::move(readings);
    return Status::Ok();
}

// What every message of one transaction is stored under, read once for all of them (issue 13 §5: no per-message
// reads that a batch can share).
struct IngestContext {
    clinical::ClinicSettings settings;
    std::vector<TreatmentRoom> rooms;  // every room, for the devices' bindings
};

Result<IngestContext> ReadIngestContext(StoreTransaction& tx) {
    IngestContext context;
    ASSIGN_OR_RETURN(context.settings, LoadClinicSettings(tx));
    ASSIGN_OR_RETURN(context.rooms, tx.ListRooms());
    return context;
}

// The device-log rows of the transaction's messages that feed no session, waiting to be written together
// (InsertDeviceReadings: a few statements for a whole batch). Nothing in the transaction reads them back; the rules of
// a reading that feeds a session do (LatestDeviceBreach), so those of such a message are written before it is
// stored, and the device log keeps the order the readings came.
struct PendingReadings {
    std::vector<DeviceReading> readings;
    std::vector<std::pair<std::size_t, std::size_t>> owners;  // (index of the message, how many of `readings`), in order
};

// Writes `pending` to the device log and gives each message's outcome its readings, with their ids.
Status WritePending(StoreTransaction& tx, PendingReadings& pending, std::vector<IngestOutcome>& outcomes) {
    ASSIGN_OR_RETURN(const std::vector<DeviceReadingId> ids, tx.InsertDeviceReadings(pending.readings));
    std::size_t next = 0;
    for (const auto& [index, count] : pending.owners) {
        std::vector<DeviceReading>& readings = std::get<IngestAccepted>(outcomes[index]).readings;
        readings.reserve(count);
        for (const std::size_t end = next + count; next < end; ++next) {
            pending.readings[next].id = ids[next];
            readings.push_back(std::move(pending.readings[next]));
        }
    }
    pending.readings.clear();
    pending.owners.clear();
    return Status::Ok();
}

// Stores the readings of message `index` of the transaction, whose device + MSH-10 was just recorded (DeviceFeed::
// Ingest's rules), under `context`, into outcomes[index] (an IngestAccepted naming its device); `key` is
// DeviceKey(message.device). Those of a message that feeds no session join `pending`.
Status StoreReadings(StoreTransaction& tx, const DeviceMessage& message, const std::string& key, TimePoint now,
                     const IngestContext& context, std::size_t index, std::vector<IngestOutcome>& outcomes,
                     PendingReadings& pending) {
    const clinical::ClinicSettings& settings = context.settings;
    auto& accepted = std::get<IngestAccepted>(outcomes[index]);
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
    if (fed.empty()) {
        pending.owners.emplace_back(index, readings.size());
        pending.readings.insert(pending.readings.end(), std::make_move_iterator(readings.begin()),
                                std::make_move_iterator(readings.end()));
    } else {
        // Its rules read the device log of its sessions: what came before it is written first.
        RETURN_IF_ERROR(WritePending(tx, pending, outcomes));
        RETURN_IF_ERROR(StoreSessionReadings(tx, message, key, now, settings, fed, readings, accepted));
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
    return Status::Ok();
}

// Stores `messages` in the open transaction `tx`, in their order, each by DeviceFeed::Ingest's rules; their outcomes,
// in the same order. The writes every message makes are made for all of them at once: each device saved once, with
// the identity of its last message (as a save per message would leave it), every device + MSH-10 recorded in one
// statement, the device-log rows of the messages that feed no session in one (WritePending).
Result<std::vector<IngestOutcome>> StoreMessages(StoreTransaction& tx, std::span<const DeviceMessage> messages,
                                                 TimePoint now) {
    ASSIGN_OR_RETURN(const IngestContext context, ReadIngestContext(tx));
    std::vector<std::string> keys;  // DeviceKey of each message
    std::vector<std::optional<IngestRejected>> rejections;
    std::vector<Device> seen;                                  // the devices to save, each once
    std::map<std::string, std::size_t, std::less<>> seen_at;  // their places in `seen`, by key
    keys.reserve(messages.size());
    rejections.reserve(messages.size());
    for (const DeviceMessage& message : messages) {
        std::string key = DeviceKey(message.device);
        rejections.push_back(Rejection(message, key));
        // A rejected message still counts its error on its device, when it names one that can be kept.
        if (!rejections.back() || (!key.empty() && CheckText("MSH-3", key, kDeviceKeyRule).ok())) {
            const auto [at, added] = seen_at.try_emplace(key, seen.size());
            if (added) {
                seen.push_back(DeviceSeen(message.device, key, now));
            } else {
                seen[at->second] = DeviceSeen(message.device, key, now);
            }
        }
        keys.push_back(std::move(key));
    }
    // Saved in key order: two transactions saving the same devices then lock their rows in the same order
    // (PostgreSQL), so that neither waits for the other in a cycle.
    std::vector<Device> in_key_order;
    in_key_order.reserve(seen.size());
    for (auto& [key, at] : seen_at) {
        in_key_order.push_back(std::move(seen[at]));
        at = in_key_order.size() - 1;
    }
    ASSIGN_OR_RETURN(const std::vector<DeviceId> saved, tx.SaveDevicesSeen(in_key_order));
    std::vector<IngestOutcome> outcomes(messages.size());
    std::vector<DeviceMessageRecord> records;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto device = seen_at.find(keys[i]);
        if (device != seen_at.end()) {
            std::get<IngestAccepted>(outcomes[i]).device = saved[device->second];
        }
        if (!rejections[i]) {
            records.push_back(DeviceMessageRecord{saved[device->second], messages[i].message_control_id,
                                                  messages[i].received_at});
        }
    }
    ASSIGN_OR_RETURN(const std::vector<bool> recorded, tx.InsertDeviceMessages(records));
    PendingReadings pending;
    auto next_recorded = recorded.begin();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (std::optional<IngestRejected>& rejected = rejections[i]) {
            if (seen_at.contains(keys[i])) {
                const DeviceId device = std::get<IngestAccepted>(outcomes[i]).device;
                RETURN_IF_ERROR(
                    tx.CountDeviceErrors(device, 1, StoredText(rejected->field + ": " + rejected->reason), now));
            }
            outcomes[i] = std::move(*rejected);
        } else if (!*next_recorded++) {
            // A resend, or one racing its original: stored once, by the other.
            std::get<IngestAccepted>(outcomes[i]).duplicate = true;
        } else {
            RETURN_IF_ERROR(StoreReadings(tx, messages[i], keys[i], now, context, i, outcomes, pending));
        }
    }
    RETURN_IF_ERROR(WritePending(tx, pending, outcomes));
    return outcomes;
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
    return store_.Write([&](StoreTransaction& tx) -> Result<IngestOutcome> {
        ASSIGN_OR_RETURN(std::vector<IngestOutcome> outcomes, StoreMessages(tx, {&message, 1}, now));
        return std::move(outcomes.front());
    });
}

std::vector<Result<IngestOutcome>> DeviceFeedBatches::IngestBatch(std::span<const DeviceMessage> messages,
                                                                  TimePoint now) {
    std::vector<Result<IngestOutcome>> outcomes;
    if (messages.empty()) {
        return outcomes;
    }
    Result<std::vector<IngestOutcome>> stored = store_.Write(
        [&](StoreTransaction& tx) -> Result<std::vector<IngestOutcome>> { return StoreMessages(tx, messages, now); });
    if (stored.ok()) {
        outcomes.reserve(messages.size());
        for (IngestOutcome& outcome : stored.value()) {
            outcomes.emplace_back(std::move(outcome));
        }
        return outcomes;
    }
    // The shared transaction failed, and with it every message of the batch. Each is tried again on its own, so a
    // message the store cannot take (or a failed commit) costs only its own ACK, never the others'.
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
        const Device seen = DeviceSeen(identity, key, now);
        ASSIGN_OR_RETURN(const std::vector<DeviceId> device, tx.SaveDevicesSeen({&seen, 1}));
        return tx.CountDeviceErrors(device.front(), 1, StoredText(error), now);
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
