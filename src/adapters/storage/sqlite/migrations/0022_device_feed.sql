-- Bedside monitors (issue 13 §2): the devices the HL7 feed has heard from, the messages each sent (the key a resend
-- is recognised by) and the device log of every observation, charted or not. Same schema as
-- postgres/migrations/0022_device_feed.sql in SQLite's dialect. Times are epoch milliseconds (UTC).

-- key: the device's identity (app::DeviceKey: OBX-18, else MSH-3|MSH-4), what a room's monitor_ids name.
CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE CHECK (key <> ''),
    sending_application TEXT NOT NULL,
    sending_facility TEXT NOT NULL,
    equipment_id TEXT NOT NULL,
    location TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_message_at INTEGER,
    last_message_control_id TEXT NOT NULL DEFAULT '',
    message_count INTEGER NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    error_count INTEGER NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    last_error TEXT NOT NULL DEFAULT '',
    last_error_at INTEGER
);

-- One row per accepted message: (device, MSH-10) is unique, so a resend is recognised and stores nothing twice.
CREATE TABLE device_messages (
    device_id INTEGER NOT NULL REFERENCES devices (id),
    control_id TEXT NOT NULL CHECK (control_id <> ''),
    received_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, control_id)
);

-- The device log. status: app::kDeviceReadingStatusNames. A reading is never deleted; only its assignment (patient,
-- session, vital sign, assigned_at, assigned_by) is set, once, on one that came unassigned.
CREATE TABLE device_readings (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL,
    control_id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'invalid', 'unmapped')),
    status_reason TEXT NOT NULL,
    loinc TEXT NOT NULL,
    value REAL NOT NULL,
    diastolic REAL,
    mean_arterial REAL,
    unit TEXT NOT NULL,
    observed_at INTEGER NOT NULL,
    raw_code TEXT NOT NULL,
    raw_system TEXT NOT NULL,
    raw_text TEXT NOT NULL,
    raw_value TEXT NOT NULL,
    raw_unit TEXT NOT NULL,
    room_id INTEGER REFERENCES treatment_rooms (id),
    patient_id INTEGER REFERENCES patients (id),
    session_id INTEGER REFERENCES treatment_sessions (id),
    vital_sign_id INTEGER REFERENCES vital_signs (id),
    alert_episode TEXT NOT NULL,
    alert_id INTEGER REFERENCES alerts (id),
    assigned_at INTEGER,
    assigned_by TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (device_id, control_id) REFERENCES device_messages (device_id, control_id),
    CHECK (status = 'valid' OR (vital_sign_id IS NULL AND alert_id IS NULL)),
    CHECK (session_id IS NULL OR patient_id IS NOT NULL)
);
CREATE INDEX device_readings_unassigned ON device_readings (id) WHERE patient_id IS NULL;
CREATE INDEX device_readings_by_episode ON device_readings (session_id, alert_episode, observed_at);
CREATE TRIGGER device_readings_only_assigned BEFORE UPDATE ON device_readings
WHEN NOT (OLD.patient_id IS NULL AND NEW.patient_id IS NOT NULL AND NEW.assigned_at IS NOT NULL AND
          NEW.id = OLD.id AND NEW.device_id = OLD.device_id AND NEW.control_id = OLD.control_id AND
          NEW.received_at = OLD.received_at AND NEW.status = OLD.status AND NEW.status_reason = OLD.status_reason AND
          NEW.loinc = OLD.loinc AND NEW.value = OLD.value AND NEW.diastolic IS OLD.diastolic AND
          NEW.mean_arterial IS OLD.mean_arterial AND NEW.unit = OLD.unit AND NEW.observed_at = OLD.observed_at AND
          NEW.raw_code = OLD.raw_code AND NEW.raw_system = OLD.raw_system AND NEW.raw_text = OLD.raw_text AND
          NEW.raw_value = OLD.raw_value AND NEW.raw_unit = OLD.raw_unit AND NEW.room_id IS OLD.room_id AND
          NEW.alert_episode = OLD.alert_episode AND NEW.alert_id IS OLD.alert_id)
BEGIN
    SELECT RAISE(ABORT, 'a device reading never changes; an unassigned one can only be assigned, once');
END;
CREATE TRIGGER device_readings_no_delete BEFORE DELETE ON device_readings
BEGIN
    SELECT RAISE(ABORT, 'device readings are never deleted');
END;

-- The per-session lock that serialises two messages for one session (app::DeviceTransaction::LockSessionDeviceFeed).
CREATE TABLE device_session_locks (
    session_id INTEGER PRIMARY KEY REFERENCES treatment_sessions (id),
    generation INTEGER NOT NULL
);

-- A device vital sign names the message it came in (MSH-10); the chart rule looks for the nearest one of its code.
ALTER TABLE vital_signs ADD COLUMN device_message_id TEXT NOT NULL DEFAULT '';
CREATE INDEX vital_signs_by_patient_code ON vital_signs (patient_id, loinc, observed_at);
DROP TRIGGER vital_signs_only_marked;
CREATE TRIGGER vital_signs_only_marked BEFORE UPDATE ON vital_signs
WHEN NOT (OLD.entered_in_error_reason IS NULL AND NEW.entered_in_error_reason IS NOT NULL AND
          NEW.id = OLD.id AND NEW.patient_id = OLD.patient_id AND NEW.loinc = OLD.loinc AND NEW.value = OLD.value AND
          NEW.unit = OLD.unit AND NEW.observed_at = OLD.observed_at AND NEW.source = OLD.source AND
          NEW.device_id = OLD.device_id AND NEW.recorded_at = OLD.recorded_at AND
          NEW.recorded_by = OLD.recorded_by AND NEW.late_entry = OLD.late_entry AND
          NEW.diastolic IS OLD.diastolic AND NEW.mean_arterial IS OLD.mean_arterial AND
          NEW.session_id IS OLD.session_id AND NEW.device_message_id = OLD.device_message_id)
BEGIN
    SELECT RAISE(ABORT, 'a vital sign never changes; it can only be marked entered in error, once');
END;
