-- Vital signs and weights (issue 10 §5, §6). Same schema as postgres/migrations/0012_vital_readings.sql in SQLite's
-- dialect.
--
-- A blood pressure is one reading: one vital_signs row with loinc 85354-9 (the FHIR BP panel), the systolic in
-- `value`, the diastolic and the optional mean arterial pressure in their own columns; no other vital sign has them.
-- Rows written before this migration keep their separate systolic (8480-6) and diastolic (8462-4) rows.
ALTER TABLE vital_signs ADD COLUMN diastolic REAL
    CHECK ((diastolic IS NOT NULL) = (loinc = '85354-9') AND (diastolic IS NULL OR diastolic < value));
ALTER TABLE vital_signs ADD COLUMN mean_arterial REAL
    CHECK (mean_arterial IS NULL OR (diastolic IS NOT NULL AND mean_arterial > diastolic AND mean_arterial < value));
-- The treatment session in progress when the vital sign was observed (NULL when none was), and the same session
-- on the alert it raised.
ALTER TABLE vital_signs ADD COLUMN session_id INTEGER REFERENCES treatment_sessions (id);
CREATE INDEX vital_signs_by_session ON vital_signs (session_id, observed_at);
ALTER TABLE alerts ADD COLUMN session_id INTEGER REFERENCES treatment_sessions (id);

-- "Entered in error" (app::EnteredInError): all three NULL while the record is valid, all three set once marked.
ALTER TABLE vital_signs ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE vital_signs ADD COLUMN entered_in_error_at INTEGER;
ALTER TABLE vital_signs ADD COLUMN entered_in_error_by TEXT
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL) AND
           (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
-- A weight that differs from the latest valid one by more than the clinic's limit is stored only confirmed.
ALTER TABLE weights ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1));
ALTER TABLE weights ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE weights ADD COLUMN entered_in_error_at INTEGER;
ALTER TABLE weights ADD COLUMN entered_in_error_by TEXT
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL) AND
           (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));

-- A vital sign or weight is never edited or deleted: the one change is its mark, set once from NULL.
CREATE TRIGGER vital_signs_only_marked BEFORE UPDATE ON vital_signs
WHEN NOT (OLD.entered_in_error_reason IS NULL AND NEW.entered_in_error_reason IS NOT NULL AND
          NEW.id = OLD.id AND NEW.patient_id = OLD.patient_id AND NEW.loinc = OLD.loinc AND NEW.value = OLD.value AND
          NEW.unit = OLD.unit AND NEW.observed_at = OLD.observed_at AND NEW.source = OLD.source AND
          NEW.device_id = OLD.device_id AND NEW.recorded_at = OLD.recorded_at AND
          NEW.recorded_by = OLD.recorded_by AND NEW.late_entry = OLD.late_entry AND
          NEW.diastolic IS OLD.diastolic AND NEW.mean_arterial IS OLD.mean_arterial AND
          NEW.session_id IS OLD.session_id)
BEGIN
    SELECT RAISE(ABORT, 'a vital sign never changes; it can only be marked entered in error, once');
END;
CREATE TRIGGER vital_signs_no_delete BEFORE DELETE ON vital_signs
BEGIN
    SELECT RAISE(ABORT, 'vital signs are never deleted; mark one entered in error');
END;
CREATE TRIGGER weights_only_marked BEFORE UPDATE ON weights
WHEN NOT (OLD.entered_in_error_reason IS NULL AND NEW.entered_in_error_reason IS NOT NULL AND
          NEW.id = OLD.id AND NEW.patient_id = OLD.patient_id AND NEW.measured_at = OLD.measured_at AND
          NEW.weight_kg = OLD.weight_kg AND NEW.recorded_by = OLD.recorded_by AND
          NEW.recorded_at = OLD.recorded_at AND NEW.late_entry = OLD.late_entry AND NEW.confirmed = OLD.confirmed)
BEGIN
    SELECT RAISE(ABORT, 'a weight never changes; it can only be marked entered in error, once');
END;
CREATE TRIGGER weights_no_delete BEFORE DELETE ON weights
BEGIN
    SELECT RAISE(ABORT, 'weights are never deleted; mark one entered in error');
END;
