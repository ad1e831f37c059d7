-- Bedside monitors (issue 13 §2): the devices the HL7 feed has heard from, the messages each sent (the key a resend
-- is recognised by) and the device log of every observation, charted or not. Same schema as
-- sqlite/migrations/0022_device_feed.sql. Times are epoch milliseconds (UTC).

-- key: the device's identity (app::DeviceKey: OBX-18, else MSH-3|MSH-4), what a room's monitor_ids name.
CREATE TABLE devices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT NOT NULL UNIQUE CHECK (key <> ''),
    sending_application TEXT NOT NULL,
    sending_facility TEXT NOT NULL,
    equipment_id TEXT NOT NULL,
    location TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_message_at BIGINT,
    last_message_control_id TEXT NOT NULL DEFAULT '',
    message_count BIGINT NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    error_count BIGINT NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    last_error TEXT NOT NULL DEFAULT '',
    last_error_at BIGINT
);

-- One row per accepted message: (device, MSH-10) is unique, so a resend is recognised and stores nothing twice.
CREATE TABLE device_messages (
    device_id BIGINT NOT NULL REFERENCES devices (id),
    control_id TEXT NOT NULL CHECK (control_id <> ''),
    received_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, control_id)
);

-- The device log. status: app::kDeviceReadingStatusNames. A reading is never deleted; only its assignment (patient,
-- session, vital sign, assigned_at, assigned_by) is set, once, on one that came unassigned.
CREATE TABLE device_readings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id BIGINT NOT NULL,
    control_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'invalid', 'unmapped')),
    status_reason TEXT NOT NULL,
    loinc TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    diastolic DOUBLE PRECISION,
    mean_arterial DOUBLE PRECISION,
    unit TEXT NOT NULL,
    observed_at BIGINT NOT NULL,
    raw_code TEXT NOT NULL,
    raw_system TEXT NOT NULL,
    raw_text TEXT NOT NULL,
    raw_value TEXT NOT NULL,
    raw_unit TEXT NOT NULL,
    room_id BIGINT REFERENCES treatment_rooms (id),
    patient_id BIGINT REFERENCES patients (id),
    session_id BIGINT REFERENCES treatment_sessions (id),
    vital_sign_id BIGINT REFERENCES vital_signs (id),
    alert_episode TEXT NOT NULL,
    alert_id BIGINT REFERENCES alerts (id),
    assigned_at BIGINT,
    assigned_by TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (device_id, control_id) REFERENCES device_messages (device_id, control_id),
    CHECK (status = 'valid' OR (vital_sign_id IS NULL AND alert_id IS NULL)),
    CHECK (session_id IS NULL OR patient_id IS NOT NULL)
);
CREATE INDEX device_readings_unassigned ON device_readings (id) WHERE patient_id IS NULL;
CREATE INDEX device_readings_by_episode ON device_readings (session_id, alert_episode, observed_at);
CREATE FUNCTION device_readings_only_assigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'device readings are never deleted';
    END IF;
    IF OLD.patient_id IS NOT NULL OR NEW.patient_id IS NULL OR NEW.assigned_at IS NULL
       OR (NEW.id, NEW.device_id, NEW.control_id, NEW.received_at, NEW.status, NEW.status_reason, NEW.loinc, NEW.value,
           NEW.diastolic, NEW.mean_arterial, NEW.unit, NEW.observed_at, NEW.raw_code, NEW.raw_system, NEW.raw_text,
           NEW.raw_value, NEW.raw_unit, NEW.room_id, NEW.alert_episode, NEW.alert_id)
          IS DISTINCT FROM
          (OLD.id, OLD.device_id, OLD.control_id, OLD.received_at, OLD.status, OLD.status_reason, OLD.loinc, OLD.value,
           OLD.diastolic, OLD.mean_arterial, OLD.unit, OLD.observed_at, OLD.raw_code, OLD.raw_system, OLD.raw_text,
           OLD.raw_value, OLD.raw_unit, OLD.room_id, OLD.alert_episode, OLD.alert_id) THEN
        RAISE EXCEPTION 'a device reading never changes; an unassigned one can only be assigned, once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER device_readings_only_assigned BEFORE UPDATE OR DELETE ON device_readings
    FOR EACH ROW EXECUTE FUNCTION device_readings_only_assigned();
CREATE TRIGGER device_readings_no_truncate BEFORE TRUNCATE ON device_readings
    FOR EACH STATEMENT EXECUTE FUNCTION device_readings_only_assigned();

-- The per-session lock that serialises two messages for one session (app::DeviceTransaction::LockSessionDeviceFeed).
CREATE TABLE device_session_locks (
    session_id BIGINT PRIMARY KEY REFERENCES treatment_sessions (id),
    generation BIGINT NOT NULL
);

-- A device vital sign names the message it came in (MSH-10); the chart rule looks for the nearest one of its code.
ALTER TABLE vital_signs ADD COLUMN device_message_id TEXT NOT NULL DEFAULT '';
CREATE INDEX vital_signs_by_patient_code ON vital_signs (patient_id, loinc, observed_at);
CREATE OR REPLACE FUNCTION vital_signs_only_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'vital signs are never deleted; mark one entered in error';
    END IF;
    IF OLD.entered_in_error_reason IS NOT NULL OR NEW.entered_in_error_reason IS NULL
       OR (NEW.id, NEW.patient_id, NEW.loinc, NEW.value, NEW.unit, NEW.observed_at, NEW.source, NEW.device_id,
           NEW.recorded_at, NEW.recorded_by, NEW.late_entry, NEW.diastolic, NEW.mean_arterial, NEW.session_id,
           NEW.device_message_id)
          IS DISTINCT FROM
          (OLD.id, OLD.patient_id, OLD.loinc, OLD.value, OLD.unit, OLD.observed_at, OLD.source, OLD.device_id,
           OLD.recorded_at, OLD.recorded_by, OLD.late_entry, OLD.diastolic, OLD.mean_arterial, OLD.session_id,
           OLD.device_message_id) THEN
        RAISE EXCEPTION 'a vital sign never changes; it can only be marked entered in error, once';
    END IF;
    RETURN NEW;
END;
$$;
