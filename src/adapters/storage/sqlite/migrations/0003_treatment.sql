-- The clinic record, third slice: treatment courses, their sessions (the shared/design.md §3 state machine),
-- signed dose orders and administrations. Same schema as postgres/migrations/0003_treatment.sql in SQLite's
-- dialect. Booleans are integers 0/1; times are epoch milliseconds; dates 'YYYY-MM-DD'.

CREATE TABLE treatment_courses (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    indication TEXT NOT NULL CHECK (indication <> ''),
    protocol TEXT NOT NULL CHECK (protocol IN ('iv-induction', 'esketamine-trd', 'esketamine-si')),
    route TEXT NOT NULL CHECK (route IN ('iv', 'esketamine-nasal', 'im', 'oral', 'sublingual')),
    start_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    status_reason TEXT NOT NULL DEFAULT '',
    started_at INTEGER NOT NULL,
    started_by TEXT NOT NULL,
    status_changed_at INTEGER NOT NULL,
    status_changed_by TEXT NOT NULL
);
CREATE INDEX treatment_courses_by_patient ON treatment_courses (patient_id, id);

-- state: clinical::SessionStateName. checked_in_at starts the window in which pre-dose vitals count.
CREATE TABLE treatment_sessions (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    planned_date TEXT NOT NULL,
    phase TEXT NOT NULL,
    week INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scheduled', 'checked_in', 'pre_dose_ok', 'held', 'dosing', 'monitoring',
                                         'ready_for_discharge', 'discharged', 'cancelled', 'aborted')),
    consent_confirmed INTEGER NOT NULL CHECK (consent_confirmed IN (0, 1)),
    escort_confirmed INTEGER NOT NULL CHECK (escort_confirmed IN (0, 1)),
    checked_in_at INTEGER,
    bp_override_by TEXT,
    bp_override_reason TEXT,
    state_reason TEXT NOT NULL DEFAULT '',
    state_changed_at INTEGER NOT NULL,
    state_changed_by TEXT NOT NULL,
    UNIQUE (course_id, number),
    CHECK ((bp_override_by IS NULL) = (bp_override_reason IS NULL))
);
CREATE INDEX treatment_sessions_by_patient ON treatment_sessions (patient_id, planned_date);

-- One signed order per session: the request as the prescriber gave it and the numbers ComputeDose returned.
-- notes: a JSON array of strings.
CREATE TABLE dose_orders (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL UNIQUE REFERENCES treatment_sessions (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    route TEXT NOT NULL,
    weight_kg REAL NOT NULL,
    request_mg_per_kg REAL,
    request_minutes REAL,
    request_dose_mg REAL,
    concentration_mg_per_ml REAL,
    first_dose INTEGER NOT NULL CHECK (first_dose IN (0, 1)),
    age_years REAL,
    indication TEXT,
    weight_basis TEXT NOT NULL CHECK (weight_basis IN ('actual', 'ideal', 'adjusted')),
    height_cm REAL,
    sex TEXT NOT NULL,
    japanese_ancestry INTEGER NOT NULL CHECK (japanese_ancestry IN (0, 1)),
    total_mg REAL NOT NULL,
    rate_mg_per_h REAL,
    volume_ml REAL,
    rate_ml_per_h REAL,
    devices INTEGER,
    rest_minutes_between_devices INTEGER,
    min_administration_minutes INTEGER,
    weight_used_kg REAL NOT NULL,
    ideal_body_weight_kg REAL,
    mg_per_kg REAL,
    minutes REAL,
    notes TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    prescriber TEXT NOT NULL
);

CREATE TABLE administrations (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES treatment_sessions (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    drug TEXT NOT NULL CHECK (drug <> ''),
    route TEXT NOT NULL,
    dose_mg REAL NOT NULL CHECK (dose_mg > 0),
    rate_mg_per_h REAL,
    device_count INTEGER,
    lot_number TEXT NOT NULL CHECK (lot_number <> ''),
    started_at INTEGER NOT NULL,
    stopped_at INTEGER,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK (stopped_at IS NULL OR stopped_at >= started_at)
);
CREATE INDEX administrations_by_session ON administrations (session_id, started_at);

-- A signed dose order and a recorded administration are never edited: corrections are new records.
CREATE TRIGGER dose_orders_no_update BEFORE UPDATE ON dose_orders
BEGIN
    SELECT RAISE(ABORT, 'a signed dose order is never edited');
END;
CREATE TRIGGER administrations_no_update BEFORE UPDATE ON administrations
BEGIN
    SELECT RAISE(ABORT, 'an administration record is never edited');
END;
