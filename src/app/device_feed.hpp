#pragma once

// The bedside-monitor feed's use cases (issue 13 §2): what happens to an HL7 v2 ORU^R01 message once the HL7 adapter
// (adapters/hl7) has parsed it and mapped its codes, and what staff do with devices and the readings no session took.
// The rules (which device, which session, invalid and unassigned readings, duplicates, one alert per breach episode,
// the chart interval) are docs/clinical-rules.md "Device readings"; the pure ones are clinical/device_readings.hpp.
//
// The MLLP listener stores messages many at a time (DeviceFeedBatches, app/device_feed_batch.hpp: Ingest's rules in
// one transaction) and answers each from its outcome: MSA|AA for IngestAccepted (the readings are then durable),
// MSA|AE with an ERR segment naming IngestRejected's field and reason, and no acknowledgement at all for an error
// (the store failed: nothing of that message was stored, and the sender resends). After an AA it publishes
// IngestAccepted::charted to the live channel (adapters/json/live_events.hpp PublishIngested), as the API does.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/patient_records.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// Who sent a message, as its segments name it. Each text as the HL7 adapter decoded it (escapes resolved).
struct DeviceIdentity {
    std::string sending_application;  // MSH-3, its first component (namespace id)
    std::string sending_facility;     // MSH-4, its first component; may be empty
    std::string equipment_id;         // OBX-18, first component, of the first OBX that has one; may be empty
    std::string location;             // PV1-3 as sent (point of care^room^bed); may be empty
};

// The identity a device is known by and bound with (a room's monitor_ids hold it): the equipment identifier when
// there is one (IHE PCD-01 puts the device's EUI-64 in OBX-18; a gateway's MSH-3 is the gateway's, shared by all its
// monitors), else the sending application, with "|" and the facility when there is one. PV1-3 is a location, not a
// device: a monitor wheeled to another chair keeps its identity. Empty when the message names none of them.
[[nodiscard]] std::string DeviceKey(const DeviceIdentity& identity);

// What one OBX said before any mapping.
struct RawObservation {
    std::string code;    // OBX-3.1, e.g. "150021" or "8867-4"
    std::string text;    // OBX-3.2, e.g. "MDC_PRESS_BLD_NONINV_SYS"
    std::string system;  // OBX-3.3, e.g. "MDC", "LN", "MDIL"
    std::string value;   // OBX-5 as sent
    std::string unit;    // OBX-6.1 as sent
};

// One OBX the HL7 adapter mapped to a vital sign (LOINC + UCUM, units converted). A blood pressure comes as one
// reading (loinc clinical::kBloodPressurePanelLoinc with `diastolic`, as NewVitalSign holds it): the adapter pairs
// the components monitors send (systolic 8480-6, diastolic 8462-4, mean 8478-0), the one place that does, since only
// it knows which OBX rows make one measurement. A component that still comes alone (it had no pair there) is kept
// by Ingest as an invalid reading.
struct DeviceObservation {
    std::string loinc;
    double value = 0;
    std::optional<double> diastolic{};      // only with loinc 85354-9
    std::optional<double> mean_arterial{};  // only with loinc 85354-9
    std::string unit;                       // UCUM, e.g. "mm[Hg]", "/min", "%", "Cel"
    TimePoint observed_at;                  // OBX-14 (the adapter falls back to OBR-7, then MSH-7)
    bool valid = true;                      // false for OBX-11 result status X, or what else the adapter judges invalid
    std::string invalid_reason;             // why not valid, e.g. "OBX-11 result status X"; empty when valid
    RawObservation raw;
};

// An OBX the code map does not know, kept raw with its message and reported on the device's error count.
struct UnmappedObservation {
    RawObservation raw;
    std::optional<TimePoint> observed_at;  // OBX-14 when it had one; else the message's received_at is kept
    std::string reason;                    // e.g. "no mapping for 0002-4182 (MDIL)"
};

// One parsed and mapped ORU^R01 message: the boundary between the HL7 adapter and the record.
struct DeviceMessage {
    DeviceIdentity device;
    std::string message_control_id;  // MSH-10
    TimePoint received_at;           // when the listener read the frame
    std::vector<DeviceObservation> observations;
    std::vector<UnmappedObservation> unmapped;
};

// The most observations (mapped and unmapped together) one message may carry: a monitor's ORU^R01 holds a few dozen.
inline constexpr std::size_t kMaxDeviceObservations = 500;

// A message stored (or recognised as a resend): answer MSA|AA.
struct IngestAccepted {
    DeviceId device;
    bool duplicate = false;                  // a resend of a message already stored: nothing new was stored
    std::vector<DeviceReading> readings;     // the device log's new rows, in the message's order; empty for a resend
    std::vector<RecordedVitalSign> charted;  // the chart's new vital signs with the alerts they raised, to publish
};

// A message understood but not accepted: answer MSA|AE with an ERR segment saying `field` and `reason`.
struct IngestRejected {
    std::string field;   // the HL7 place at fault: "MSH-10", "MSH-3", "OBX"
    std::string reason;  // one sentence
};

using IngestOutcome = std::variant<IngestAccepted, IngestRejected>;

// A device as staff see it: the record and the room it is bound to (none when unbound).
struct DeviceView {
    Device device;
    std::optional<TreatmentRoom> room;
};

// Unassigned device readings assigned to a patient: the readings as now stored, and the chart's new vital signs.
struct AssignedReadings {
    std::vector<DeviceReading> readings;
    std::vector<VitalSign> charted;
};

// The most readings one assignment takes.
inline constexpr std::size_t kMaxAssignedReadings = 500;

class DeviceFeed {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is: two messages for one session are
    // serialised by the store (DeviceTransaction::LockSessionDeviceFeed).
    DeviceFeed(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Stores one message in one transaction, durable when it returns, under the settings in force (read in that
    // transaction), acting as "system:mllp" from "mllp:<device key>":
    // - the device is created or its identity updated (Device), and the message recorded under (device, MSH-10); a
    //   message that device already sent is accepted again as `duplicate`, storing nothing else;
    // - every observation becomes a device-log row (DeviceReading): valid, invalid (the adapter's flag,
    //   clinical::ValidateVitalSign's refusal, an observed time beyond the clock-skew allowance or older than the
    //   late-entry limit) or unmapped; unmapped ones, and a device bound to more than one room, count on the device's
    //   errors (its last error says which);
    // - a device bound to a room feeds the session in progress there at each reading's observed time; readings with
    //   no such session are kept unassigned;
    // - a session's valid readings run the alert rules (clinical::EvaluateVitalSign): a breach raises an alert only
    //   when it opens an episode (clinical::OpensAlertEpisode); the chart keeps them per clinical::KeepsInChart, as
    //   vital signs with source device, the device key and the message id; each charted one and alert audited.
    // IngestRejected (and the device's error count, when it has a key, counted in a transaction of its own) for: no
    // MSH-10 ("MSH-10") or one over 199 characters; no device identity, or a key over 100 characters or with control
    // characters ("MSH-3"); more than kMaxDeviceObservations observations ("OBX"). Errors: the store's (kUnavailable,
    // kInternal), and LoadClinicSettings' when a stored setting no longer validates; nothing is stored then.
    Result<IngestOutcome> Ingest(const DeviceMessage& message, TimePoint now);

    // Counts an error on the device `identity` names (created when new) without storing a message: for a message the
    // HL7 adapter could parse far enough to name its sender but not accept (AR). kInvalidArgument "MSH-3" when
    // `identity` names no device.
    Status RecordRejectedMessage(const DeviceIdentity& identity, std::string_view error, TimePoint now);

    // Every device seen, in id order, with its room. Devices are no patient data: not audited.
    Result<std::vector<DeviceView>> ListDevices(const Actor& actor);
    // Binds the device to `room`: its key joins the room's monitor_ids and leaves any other room's, so the next
    // reading goes to the session in progress there. Audited as "device.bind". Errors: kNotFound "device_id" /
    // "room_id"; kFailedPrecondition "room_id" when the room is not in use or already has the most monitors a room
    // holds (10), or the device is already bound to it.
    Result<DeviceView> BindDevice(const Actor& actor, DeviceId device, RoomId room);
    // Removes the device's key from every room's monitor_ids: its readings are kept unassigned from then on. Audited
    // as "device.unbind". Errors: kNotFound "device_id"; kFailedPrecondition "device_id" when it is bound to no room.
    Result<DeviceView> UnbindDevice(const Actor& actor, DeviceId device);

    // Device-log rows `filter` selects (by default the unassigned ones), in id order; filter.limit 1..kMaxPageSize
    // (kOutOfRange "limit"). Audited as "device_reading.list" (readings are a person's, even when not yet whose).
    Result<std::vector<DeviceReading>> ListDeviceReadings(const Actor& actor, const DeviceReadingFilter& filter);
    // Assigns unassigned readings to `patient`, in `session` when given (it must be the patient's), else in the
    // patient's session in progress at each one's observed time (SessionInProgressAt), and charts the valid ones per
    // clinical::KeepsInChart under the settings in force. Raises no alert: the readings are past, and their values
    // stand in the chart (docs/clinical-rules.md "Device readings"). Each assignment and charted vital sign audited.
    // All or nothing. Errors: kInvalidArgument "reading_ids" (none, over kMaxAssignedReadings, or one twice);
    // kNotFound "reading_id" / "session_id" (not this patient's) / the patient's; kFailedPrecondition "reading_id" when
    // one is already assigned.
    Result<AssignedReadings> AssignDeviceReadings(const Actor& actor, const std::vector<DeviceReadingId>& readings,
                                                  PatientId patient, std::optional<SessionId> session);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
