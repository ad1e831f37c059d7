-- Issue 10 §2: the stop of an IV infusion, its own step (the actual end and the amount actually given), and the
-- other medications given during a session (PRN or standing order), kept apart from the dose order's total. Same
-- schema as postgres/migrations/0010_infusion_stops_and_session_medications.sql in SQLite's dialect. Both tables are
-- append-only, like the administrations they sit beside: a correction is a new record.

-- At most one stop per infusion (the primary key). fast_infusion_reason and fast_infusion_accepted_by: a
-- prescriber's acceptance of an infusion faster than twice the ordered rate; both empty when none was needed.
CREATE TABLE infusion_stops (
    administration_id INTEGER PRIMARY KEY REFERENCES administrations (id),
    stopped_at INTEGER NOT NULL,
    given_mg REAL NOT NULL CHECK (given_mg >= 0),
    given_ml REAL CHECK (given_ml IS NULL OR given_ml >= 0),
    fast_infusion_reason TEXT NOT NULL DEFAULT '',
    fast_infusion_accepted_by TEXT NOT NULL DEFAULT '',
    late_entry INTEGER NOT NULL CHECK (late_entry IN (0, 1)),
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK ((fast_infusion_reason = '') = (fast_infusion_accepted_by = ''))
);
CREATE TRIGGER infusion_stops_no_update BEFORE UPDATE ON infusion_stops
BEGIN
    SELECT RAISE(ABORT, 'an infusion stop is never edited');
END;
CREATE TRIGGER infusion_stops_no_delete BEFORE DELETE ON infusion_stops
BEGIN
    SELECT RAISE(ABORT, 'an infusion stop is never deleted');
END;

-- unit: clinical::kMedicationUnitNames; route: kMedicationRouteNames; order_kind: kMedicationOrderKindNames.
CREATE TABLE session_medications (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES treatment_sessions (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    drug TEXT NOT NULL CHECK (drug <> ''),
    dose REAL NOT NULL CHECK (dose > 0),
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg', 'g', 'mL', 'units')),
    route TEXT NOT NULL CHECK (route IN ('iv', 'im', 'sc', 'po', 'sl', 'odt', 'nasal', 'inhaled', 'transdermal',
                                         'topical', 'rectal')),
    given_at INTEGER NOT NULL,
    indication TEXT NOT NULL CHECK (indication <> ''),
    order_kind TEXT NOT NULL CHECK (order_kind IN ('prn', 'standing_order')),
    late_entry INTEGER NOT NULL CHECK (late_entry IN (0, 1)),
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX session_medications_by_session ON session_medications (session_id, given_at);
CREATE TRIGGER session_medications_no_update BEFORE UPDATE ON session_medications
BEGIN
    SELECT RAISE(ABORT, 'a session medication is never edited');
END;
CREATE TRIGGER session_medications_no_delete BEFORE DELETE ON session_medications
BEGIN
    SELECT RAISE(ABORT, 'a session medication is never deleted');
END;
