-- The clinic record, first slice: patients, weights, vital signs, assessments, the audit log and clinic settings.
-- Times are bigint milliseconds since the Unix epoch (UTC); dates are 'YYYY-MM-DD' text. Same schema as
-- sqlite/migrations/0001_clinic_record.sql in PostgreSQL's dialect.

CREATE TABLE patients (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mrn TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    CONSTRAINT patients_mrn_unique UNIQUE (mrn)
);

CREATE TABLE weights (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    measured_at BIGINT NOT NULL,
    weight_kg DOUBLE PRECISION NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX weights_by_patient ON weights (patient_id, measured_at);

CREATE TABLE vital_signs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    loinc TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    observed_at BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'device')),
    device_id TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX vital_signs_by_patient ON vital_signs (patient_id, observed_at);

CREATE TABLE assessments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    instrument TEXT NOT NULL,
    answers TEXT NOT NULL,
    total BIGINT NOT NULL,
    band TEXT NOT NULL,
    band_rule TEXT NOT NULL,
    flags TEXT NOT NULL,
    assessed_at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX assessments_by_patient ON assessments (patient_id, assessed_at);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    origin TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    patient_id BIGINT NOT NULL
);
CREATE INDEX audit_log_by_patient ON audit_log (patient_id, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);

-- The audit log is append-only, enforced by the database itself, not only by the code above it.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE clinic_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL
);
