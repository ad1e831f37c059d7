-- The clinic record, third slice: treatment courses, their sessions (the shared/design.md §3 state machine),
-- signed dose orders and administrations. Same schema as sqlite/migrations/0003_treatment.sql in PostgreSQL's
-- dialect. Booleans are integers 0/1, as in SQLite, so the shared queries read them alike; times are epoch
-- milliseconds; dates 'YYYY-MM-DD'.

CREATE TABLE treatment_courses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    indication TEXT NOT NULL CHECK (indication <> ''),
    protocol TEXT NOT NULL CHECK (protocol IN ('iv-induction', 'esketamine-trd', 'esketamine-si')),
    route TEXT NOT NULL CHECK (route IN ('iv', 'esketamine-nasal', 'im', 'oral', 'sublingual')),
    start_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    status_reason TEXT NOT NULL DEFAULT '',
    started_at BIGINT NOT NULL,
    started_by TEXT NOT NULL,
    status_changed_at BIGINT NOT NULL,
    status_changed_by TEXT NOT NULL
);
CREATE INDEX treatment_courses_by_patient ON treatment_courses (patient_id, id);

-- state: clinical::SessionStateName. checked_in_at starts the window in which pre-dose vitals count.
CREATE TABLE treatment_sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES treatment_courses (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    number BIGINT NOT NULL CHECK (number >= 1),
    planned_date TEXT NOT NULL,
    phase TEXT NOT NULL,
    week BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scheduled', 'checked_in', 'pre_dose_ok', 'held', 'dosing', 'monitoring',
                                         'ready_for_discharge', 'discharged', 'cancelled', 'aborted')),
    consent_confirmed BIGINT NOT NULL CHECK (consent_confirmed IN (0, 1)),
    escort_confirmed BIGINT NOT NULL CHECK (escort_confirmed IN (0, 1)),
    checked_in_at BIGINT,
    bp_override_by TEXT,
    bp_override_reason TEXT,
    state_reason TEXT NOT NULL DEFAULT '',
    state_changed_at BIGINT NOT NULL,
    state_changed_by TEXT NOT NULL,
    UNIQUE (course_id, number),
    CHECK ((bp_override_by IS NULL) = (bp_override_reason IS NULL))
);
CREATE INDEX treatment_sessions_by_patient ON treatment_sessions (patient_id, planned_date);

-- One signed order per session: the request as the prescriber gave it and the numbers ComputeDose returned.
-- notes: a JSON array of strings.
CREATE TABLE dose_orders (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL UNIQUE REFERENCES treatment_sessions (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    route TEXT NOT NULL,
    weight_kg DOUBLE PRECISION NOT NULL,
    request_mg_per_kg DOUBLE PRECISION,
    request_minutes DOUBLE PRECISION,
    request_dose_mg DOUBLE PRECISION,
    concentration_mg_per_ml DOUBLE PRECISION,
    first_dose BIGINT NOT NULL CHECK (first_dose IN (0, 1)),
    age_years DOUBLE PRECISION,
    indication TEXT,
    weight_basis TEXT NOT NULL CHECK (weight_basis IN ('actual', 'ideal', 'adjusted')),
    height_cm DOUBLE PRECISION,
    sex TEXT NOT NULL,
    japanese_ancestry BIGINT NOT NULL CHECK (japanese_ancestry IN (0, 1)),
    total_mg DOUBLE PRECISION NOT NULL,
    rate_mg_per_h DOUBLE PRECISION,
    volume_ml DOUBLE PRECISION,
    rate_ml_per_h DOUBLE PRECISION,
    devices BIGINT,
    rest_minutes_between_devices BIGINT,
    min_administration_minutes BIGINT,
    weight_used_kg DOUBLE PRECISION NOT NULL,
    ideal_body_weight_kg DOUBLE PRECISION,
    mg_per_kg DOUBLE PRECISION,
    minutes DOUBLE PRECISION,
    notes TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    prescriber TEXT NOT NULL
);

CREATE TABLE administrations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES treatment_sessions (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    drug TEXT NOT NULL CHECK (drug <> ''),
    route TEXT NOT NULL,
    dose_mg DOUBLE PRECISION NOT NULL CHECK (dose_mg > 0),
    rate_mg_per_h DOUBLE PRECISION,
    device_count BIGINT,
    lot_number TEXT NOT NULL CHECK (lot_number <> ''),
    started_at BIGINT NOT NULL,
    stopped_at BIGINT,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK (stopped_at IS NULL OR stopped_at >= started_at)
);
CREATE INDEX administrations_by_session ON administrations (session_id, started_at);

-- A signed dose order and a recorded administration are never edited: corrections are new records.
CREATE FUNCTION dose_orders_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a signed dose order is never edited';
END;
$$;
CREATE TRIGGER dose_orders_no_update BEFORE UPDATE ON dose_orders
    FOR EACH ROW EXECUTE FUNCTION dose_orders_locked();
CREATE FUNCTION administrations_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an administration record is never edited';
END;
$$;
CREATE TRIGGER administrations_no_update BEFORE UPDATE ON administrations
    FOR EACH ROW EXECUTE FUNCTION administrations_locked();
