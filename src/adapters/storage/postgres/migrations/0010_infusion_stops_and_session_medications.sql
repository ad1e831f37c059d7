-- Issue 10 §2: the stop of an IV infusion, its own step (the actual end and the amount actually given), and the
-- other medications given during a session (PRN or standing order), kept apart from the dose order's total. Same
-- schema as sqlite/migrations/0010_infusion_stops_and_session_medications.sql in PostgreSQL's dialect. Both tables
-- are append-only, like the administrations they sit beside: a correction is a new record.

-- At most one stop per infusion (the primary key). fast_infusion_reason and fast_infusion_accepted_by: a
-- prescriber's acceptance of an infusion faster than twice the ordered rate; both empty when none was needed.
CREATE TABLE infusion_stops (
    administration_id BIGINT PRIMARY KEY REFERENCES administrations (id),
    stopped_at BIGINT NOT NULL,
    given_mg DOUBLE PRECISION NOT NULL CHECK (given_mg >= 0),
    given_ml DOUBLE PRECISION CHECK (given_ml IS NULL OR given_ml >= 0),
    fast_infusion_reason TEXT NOT NULL DEFAULT '',
    fast_infusion_accepted_by TEXT NOT NULL DEFAULT '',
    late_entry BIGINT NOT NULL CHECK (late_entry IN (0, 1)),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK ((fast_infusion_reason = '') = (fast_infusion_accepted_by = ''))
);

-- unit: clinical::kMedicationUnitNames; route: kMedicationRouteNames; order_kind: kMedicationOrderKindNames.
CREATE TABLE session_medications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES treatment_sessions (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    drug TEXT NOT NULL CHECK (drug <> ''),
    dose DOUBLE PRECISION NOT NULL CHECK (dose > 0),
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg', 'g', 'mL', 'units')),
    route TEXT NOT NULL CHECK (route IN ('iv', 'im', 'sc', 'po', 'sl', 'odt', 'nasal', 'inhaled', 'transdermal',
                                         'topical', 'rectal')),
    given_at BIGINT NOT NULL,
    indication TEXT NOT NULL CHECK (indication <> ''),
    order_kind TEXT NOT NULL CHECK (order_kind IN ('prn', 'standing_order')),
    late_entry BIGINT NOT NULL CHECK (late_entry IN (0, 1)),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX session_medications_by_session ON session_medications (session_id, given_at);

CREATE FUNCTION infusion_stops_and_session_medications_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: a record is never edited or deleted', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER infusion_stops_no_update_or_delete BEFORE UPDATE OR DELETE ON infusion_stops
    FOR EACH ROW EXECUTE FUNCTION infusion_stops_and_session_medications_append_only();
CREATE TRIGGER infusion_stops_no_truncate BEFORE TRUNCATE ON infusion_stops
    FOR EACH STATEMENT EXECUTE FUNCTION infusion_stops_and_session_medications_append_only();
CREATE TRIGGER session_medications_no_update_or_delete BEFORE UPDATE OR DELETE ON session_medications
    FOR EACH ROW EXECUTE FUNCTION infusion_stops_and_session_medications_append_only();
CREATE TRIGGER session_medications_no_truncate BEFORE TRUNCATE ON session_medications
    FOR EACH STATEMENT EXECUTE FUNCTION infusion_stops_and_session_medications_append_only();
