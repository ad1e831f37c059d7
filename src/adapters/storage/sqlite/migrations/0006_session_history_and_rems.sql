-- The clinic record: each treatment session's transition history, and the Spravato REMS Patient Monitoring Forms.
-- Same schema as postgres/migrations/0006_session_history_and_rems.sql in SQLite's dialect. Times are epoch
-- milliseconds; dates 'YYYY-MM-DD'.

-- One row per step of a session through the state machine (clinical::SessionStateName), appended in the same
-- transaction as the step: treatment_sessions keeps only the current state, and the REMS form needs the time
-- monitoring ended and who ended it. from_state is NULL for the row that created the session.
CREATE TABLE session_transitions (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES treatment_sessions (id),
    from_state TEXT CHECK (from_state IS NULL OR from_state IN ('scheduled', 'checked_in', 'pre_dose_ok', 'held',
                                                                'dosing', 'monitoring', 'ready_for_discharge')),
    to_state TEXT NOT NULL CHECK (to_state IN ('scheduled', 'checked_in', 'pre_dose_ok', 'held', 'dosing',
                                               'monitoring', 'ready_for_discharge', 'discharged', 'cancelled',
                                               'aborted')),
    at INTEGER NOT NULL,
    by TEXT NOT NULL CHECK (by <> ''),
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_transitions_by_session ON session_transitions (session_id, id);

-- Sessions created before this migration: their earlier steps were never recorded, so each gets one row with its
-- state as it stood, from_state NULL, keeping "the last row is the current state" true for every session. As for
-- every step, only held, cancelled and aborted carry a reason (state_reason keeps a stale hold reason otherwise).
INSERT INTO session_transitions (session_id, from_state, to_state, at, by, reason)
SELECT id, NULL, state, state_changed_at, state_changed_by,
       CASE WHEN state IN ('held', 'cancelled', 'aborted') THEN state_reason ELSE '' END
FROM treatment_sessions ORDER BY id;

-- The history is append-only, enforced by the database itself.
CREATE TRIGGER session_transitions_no_update BEFORE UPDATE ON session_transitions
BEGIN
    SELECT RAISE(ABORT, 'session_transitions is append-only');
END;
CREATE TRIGGER session_transitions_no_delete BEFORE DELETE ON session_transitions
BEGIN
    SELECT RAISE(ABORT, 'session_transitions is append-only');
END;

-- One Spravato REMS Patient Monitoring Form per outpatient esketamine session, opened (status 'due') in the
-- transaction that ends the session, due 7 days after the treatment date (REMS: within 7 days). Until it is
-- submitted the form is assembled from the record; the submission freezes it in the columns after created_by, all
-- NULL while due. The dose box and whether the 2-hour minimum was met follow from dose_mg and monitoring_minutes
-- (clinical/rems.hpp); lot_numbers is a JSON array of strings. Booleans are integers 0/1.
CREATE TABLE rems_forms (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL UNIQUE REFERENCES treatment_sessions (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    treatment_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('due', 'submitted')),
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    submitted_at INTEGER,
    submitted_by TEXT,
    confirmation_reference TEXT,
    patient_given_name TEXT,
    patient_family_name TEXT,
    patient_birth_date TEXT,
    patient_sex TEXT CHECK (patient_sex IN ('female', 'male', 'other', 'unknown')),
    first_treatment INTEGER CHECK (first_treatment IN (0, 1)),
    benzodiazepine INTEGER CHECK (benzodiazepine IN (0, 1)),
    sedative_hypnotic INTEGER CHECK (sedative_hypnotic IN (0, 1)),
    psychostimulant INTEGER CHECK (psychostimulant IN (0, 1)),
    mao_inhibitor INTEGER CHECK (mao_inhibitor IN (0, 1)),
    opioid INTEGER CHECK (opioid IN (0, 1)),
    monitoring_provider TEXT,
    healthcare_setting TEXT CHECK (healthcare_setting <> ''),
    administered_on TEXT,
    dose_mg REAL CHECK (dose_mg > 0),
    lot_numbers TEXT,
    first_device_at INTEGER,
    monitoring_ended_at INTEGER CHECK (monitoring_ended_at >= first_device_at),
    monitoring_minutes INTEGER CHECK (monitoring_minutes >= 0),
    bp_before_systolic INTEGER,
    bp_before_diastolic INTEGER,
    bp_before_at INTEGER,
    bp_40_systolic INTEGER,
    bp_40_diastolic INTEGER,
    bp_40_at INTEGER,
    bp_end_systolic INTEGER,
    bp_end_diastolic INTEGER,
    bp_end_at INTEGER,
    vitals_acceptable_before INTEGER CHECK (vitals_acceptable_before IN (0, 1)),
    vitals_acceptable_end INTEGER CHECK (vitals_acceptable_end IN (0, 1)),
    sedation INTEGER CHECK (sedation IN (0, 1)),
    dissociation INTEGER CHECK (dissociation IN (0, 1)),
    respiratory_depression INTEGER CHECK (respiratory_depression IN (0, 1)),
    lowest_spo2_percent REAL,
    ready_to_leave_minutes INTEGER CHECK (ready_to_leave_minutes BETWEEN 0 AND 600),
    CHECK (due_date > treatment_date),
    CHECK ((status = 'submitted') = (submitted_at IS NOT NULL)),
    CHECK (status = 'due' OR (submitted_by IS NOT NULL AND confirmation_reference IS NOT NULL AND
                              patient_given_name IS NOT NULL AND patient_family_name IS NOT NULL AND
                              patient_birth_date IS NOT NULL AND patient_sex IS NOT NULL AND
                              first_treatment IS NOT NULL AND benzodiazepine IS NOT NULL AND
                              sedative_hypnotic IS NOT NULL AND psychostimulant IS NOT NULL AND
                              mao_inhibitor IS NOT NULL AND opioid IS NOT NULL AND monitoring_provider IS NOT NULL AND
                              healthcare_setting IS NOT NULL AND administered_on IS NOT NULL AND dose_mg IS NOT NULL AND
                              lot_numbers IS NOT NULL AND first_device_at IS NOT NULL AND
                              monitoring_ended_at IS NOT NULL AND monitoring_minutes IS NOT NULL AND
                              vitals_acceptable_before IS NOT NULL AND vitals_acceptable_end IS NOT NULL AND
                              sedation IS NOT NULL AND dissociation IS NOT NULL AND
                              respiratory_depression IS NOT NULL AND ready_to_leave_minutes IS NOT NULL)),
    CHECK ((bp_before_systolic IS NULL) = (bp_before_diastolic IS NULL) AND
           (bp_before_systolic IS NULL) = (bp_before_at IS NULL)),
    CHECK ((bp_40_systolic IS NULL) = (bp_40_diastolic IS NULL) AND (bp_40_systolic IS NULL) = (bp_40_at IS NULL)),
    CHECK ((bp_end_systolic IS NULL) = (bp_end_diastolic IS NULL) AND (bp_end_systolic IS NULL) = (bp_end_at IS NULL))
);
CREATE INDEX rems_forms_due ON rems_forms (status, due_date, id);

-- A form is never deleted; a due form changes only by being submitted, and a submitted form never changes.
CREATE TRIGGER rems_forms_no_delete BEFORE DELETE ON rems_forms
BEGIN
    SELECT RAISE(ABORT, 'a REMS form is never deleted');
END;
CREATE TRIGGER rems_forms_submitted_no_update BEFORE UPDATE ON rems_forms WHEN OLD.status <> 'due'
BEGIN
    SELECT RAISE(ABORT, 'a submitted REMS form is never edited');
END;
CREATE TRIGGER rems_forms_due_only_submitted BEFORE UPDATE ON rems_forms
WHEN OLD.status = 'due' AND (NEW.status <> 'submitted' OR NEW.session_id <> OLD.session_id OR
                             NEW.patient_id <> OLD.patient_id OR NEW.treatment_date <> OLD.treatment_date OR
                             NEW.due_date <> OLD.due_date OR NEW.created_at <> OLD.created_at OR
                             NEW.created_by <> OLD.created_by)
BEGIN
    SELECT RAISE(ABORT, 'a due REMS form changes only by being submitted');
END;
