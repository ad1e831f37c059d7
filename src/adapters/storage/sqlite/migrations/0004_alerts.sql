-- The clinic record, fourth slice: each patient's named clinician, and the alerts that rules over vital signs and
-- assessments raise for that clinician (clinical/alerts.hpp), each acknowledged once by a person. Same schema as
-- postgres/migrations/0004_alerts.sql in SQLite's dialect.

-- The email of the clinician this patient's alerts go to; '' when none is named.
ALTER TABLE patients ADD COLUMN clinician TEXT NOT NULL DEFAULT '';

-- record_type and record_id name the vital sign or assessment that raised the alert (two tables, so no foreign
-- key); notify is the patient's clinician when it was raised. An alert is open while acknowledged_at is NULL.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    rule TEXT NOT NULL CHECK (rule <> ''),
    severity TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    message TEXT NOT NULL CHECK (message <> ''),
    source TEXT NOT NULL,
    record_type TEXT NOT NULL CHECK (record_type IN ('vital_sign', 'assessment')),
    record_id INTEGER NOT NULL,
    notify TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    acknowledged_at INTEGER,
    acknowledged_by TEXT CHECK (acknowledged_by <> ''),
    acknowledgement_note TEXT NOT NULL DEFAULT '',
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
    CHECK (acknowledged_at IS NOT NULL OR acknowledgement_note = '')
);
CREATE INDEX alerts_by_patient ON alerts (patient_id, id);
CREATE INDEX alerts_by_notify ON alerts (notify, id);
CREATE INDEX alerts_open ON alerts (id) WHERE acknowledged_at IS NULL;

-- Acknowledging is the only change an alert may see: what was raised never changes, an acknowledged alert never
-- changes again, and no alert is deleted. Enforced by the database itself, not only by the code above it.
CREATE TRIGGER alerts_raised_facts_fixed BEFORE UPDATE ON alerts
WHEN NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.rule IS NOT OLD.rule
    OR NEW.severity IS NOT OLD.severity OR NEW.message IS NOT OLD.message OR NEW.source IS NOT OLD.source
    OR NEW.record_type IS NOT OLD.record_type OR NEW.record_id IS NOT OLD.record_id OR NEW.notify IS NOT OLD.notify
    OR NEW.raised_at IS NOT OLD.raised_at
BEGIN
    SELECT RAISE(ABORT, 'an alert''s raised facts never change; only its acknowledgement is recorded');
END;
CREATE TRIGGER alerts_acknowledged_no_update BEFORE UPDATE ON alerts WHEN OLD.acknowledged_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an acknowledged alert never changes');
END;
CREATE TRIGGER alerts_no_delete BEFORE DELETE ON alerts
BEGIN
    SELECT RAISE(ABORT, 'alerts are never deleted');
END;
