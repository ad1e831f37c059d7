-- The clinic record, first slice: patients, weights, vital signs, assessments, the audit log and clinic settings.
-- Times are integer milliseconds since the Unix epoch (UTC); dates are 'YYYY-MM-DD' text. Same schema as
-- postgres/migrations/0001_clinic_record.sql in SQLite's dialect.

CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    mrn TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    CONSTRAINT patients_mrn_unique UNIQUE (mrn)
);

CREATE TABLE weights (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    measured_at INTEGER NOT NULL,
    weight_kg REAL NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX weights_by_patient ON weights (patient_id, measured_at);

CREATE TABLE vital_signs (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    loinc TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    observed_at INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'device')),
    device_id TEXT NOT NULL DEFAULT '',
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX vital_signs_by_patient ON vital_signs (patient_id, observed_at);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    instrument TEXT NOT NULL,
    answers TEXT NOT NULL,
    total INTEGER NOT NULL,
    band TEXT NOT NULL,
    band_rule TEXT NOT NULL,
    flags TEXT NOT NULL,
    assessed_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX assessments_by_patient ON assessments (patient_id, assessed_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    origin TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    patient_id INTEGER NOT NULL
);
CREATE INDEX audit_log_by_patient ON audit_log (patient_id, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);

-- The audit log is append-only, enforced by the database itself, not only by the code above it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE clinic_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL
);
