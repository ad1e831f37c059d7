-- The clinic record, fourth slice: each patient's named clinician, and the alerts that rules over vital signs and
-- assessments raise for that clinician (clinical/alerts.hpp), each acknowledged once by a person. Same schema as
-- sqlite/migrations/0004_alerts.sql in PostgreSQL's dialect.

-- The email of the clinician this patient's alerts go to; '' when none is named.
ALTER TABLE patients ADD COLUMN clinician TEXT NOT NULL DEFAULT '';

-- record_type and record_id name the vital sign or assessment that raised the alert (two tables, so no foreign
-- key); notify is the patient's clinician when it was raised. An alert is open while acknowledged_at is NULL.
CREATE TABLE alerts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    rule TEXT NOT NULL CHECK (rule <> ''),
    severity TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    message TEXT NOT NULL CHECK (message <> ''),
    source TEXT NOT NULL,
    record_type TEXT NOT NULL CHECK (record_type IN ('vital_sign', 'assessment')),
    record_id BIGINT NOT NULL,
    notify TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
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
CREATE FUNCTION alerts_acknowledge_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.acknowledged_at IS NOT NULL THEN
        RAISE EXCEPTION 'an acknowledged alert never changes';
    END IF;
    IF (NEW.id, NEW.patient_id, NEW.rule, NEW.severity, NEW.message, NEW.source, NEW.record_type, NEW.record_id,
        NEW.notify, NEW.raised_at)
       IS DISTINCT FROM (OLD.id, OLD.patient_id, OLD.rule, OLD.severity, OLD.message, OLD.source, OLD.record_type,
                         OLD.record_id, OLD.notify, OLD.raised_at) THEN
        RAISE EXCEPTION 'an alert''s raised facts never change; only its acknowledgement is recorded';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER alerts_acknowledge_only BEFORE UPDATE ON alerts
    FOR EACH ROW EXECUTE FUNCTION alerts_acknowledge_only();
CREATE FUNCTION alerts_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'alerts are never deleted';
END;
$$;
CREATE TRIGGER alerts_no_delete BEFORE DELETE ON alerts
    FOR EACH ROW EXECUTE FUNCTION alerts_never_deleted();
CREATE TRIGGER alerts_no_truncate BEFORE TRUNCATE ON alerts
    FOR EACH STATEMENT EXECUTE FUNCTION alerts_never_deleted();
