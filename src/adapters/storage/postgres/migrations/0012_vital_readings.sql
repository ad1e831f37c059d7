-- Vital signs and weights (issue 10 §5, §6). Same schema as sqlite/migrations/0012_vital_readings.sql.
--
-- A blood pressure is one reading: one vital_signs row with loinc 85354-9 (the FHIR BP panel), the systolic in
-- `value`, the diastolic and the optional mean arterial pressure in their own columns; no other vital sign has them.
-- Rows written before this migration keep their separate systolic (8480-6) and diastolic (8462-4) rows.
ALTER TABLE vital_signs ADD COLUMN diastolic DOUBLE PRECISION;
ALTER TABLE vital_signs ADD COLUMN mean_arterial DOUBLE PRECISION;
ALTER TABLE vital_signs ADD CONSTRAINT vital_signs_blood_pressure
    CHECK ((diastolic IS NOT NULL) = (loinc = '85354-9') AND (diastolic IS NULL OR diastolic < value) AND
           (mean_arterial IS NULL OR (diastolic IS NOT NULL AND mean_arterial > diastolic AND mean_arterial < value)));
-- The treatment session in progress when the vital sign was observed (NULL when none was), and the same session
-- on the alert it raised.
ALTER TABLE vital_signs ADD COLUMN session_id BIGINT REFERENCES treatment_sessions (id);
CREATE INDEX vital_signs_by_session ON vital_signs (session_id, observed_at);
ALTER TABLE alerts ADD COLUMN session_id BIGINT REFERENCES treatment_sessions (id);

-- "Entered in error" (app::EnteredInError): all three NULL while the record is valid, all three set once marked.
ALTER TABLE vital_signs ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE vital_signs ADD COLUMN entered_in_error_at BIGINT;
ALTER TABLE vital_signs ADD COLUMN entered_in_error_by TEXT;
ALTER TABLE vital_signs ADD CONSTRAINT vital_signs_entered_in_error_whole
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL) AND
           (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
-- A weight that differs from the latest valid one by more than the clinic's limit is stored only confirmed.
ALTER TABLE weights ADD COLUMN confirmed BIGINT NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1));
ALTER TABLE weights ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE weights ADD COLUMN entered_in_error_at BIGINT;
ALTER TABLE weights ADD COLUMN entered_in_error_by TEXT;
ALTER TABLE weights ADD CONSTRAINT weights_entered_in_error_whole
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL) AND
           (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));

-- A vital sign or weight is never edited or deleted: the one change is its mark, set once from NULL.
CREATE FUNCTION vital_signs_only_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'vital signs are never deleted; mark one entered in error';
    END IF;
    IF OLD.entered_in_error_reason IS NOT NULL OR NEW.entered_in_error_reason IS NULL
       OR (NEW.id, NEW.patient_id, NEW.loinc, NEW.value, NEW.unit, NEW.observed_at, NEW.source, NEW.device_id,
           NEW.recorded_at, NEW.recorded_by, NEW.late_entry, NEW.diastolic, NEW.mean_arterial, NEW.session_id)
          IS DISTINCT FROM
          (OLD.id, OLD.patient_id, OLD.loinc, OLD.value, OLD.unit, OLD.observed_at, OLD.source, OLD.device_id,
           OLD.recorded_at, OLD.recorded_by, OLD.late_entry, OLD.diastolic, OLD.mean_arterial, OLD.session_id) THEN
        RAISE EXCEPTION 'a vital sign never changes; it can only be marked entered in error, once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER vital_signs_only_marked BEFORE UPDATE OR DELETE ON vital_signs
    FOR EACH ROW EXECUTE FUNCTION vital_signs_only_marked();
CREATE TRIGGER vital_signs_no_truncate BEFORE TRUNCATE ON vital_signs
    FOR EACH STATEMENT EXECUTE FUNCTION vital_signs_only_marked();

CREATE FUNCTION weights_only_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'weights are never deleted; mark one entered in error';
    END IF;
    IF OLD.entered_in_error_reason IS NOT NULL OR NEW.entered_in_error_reason IS NULL
       OR (NEW.id, NEW.patient_id, NEW.measured_at, NEW.weight_kg, NEW.recorded_by, NEW.recorded_at, NEW.late_entry,
           NEW.confirmed)
          IS DISTINCT FROM
          (OLD.id, OLD.patient_id, OLD.measured_at, OLD.weight_kg, OLD.recorded_by, OLD.recorded_at, OLD.late_entry,
           OLD.confirmed) THEN
        RAISE EXCEPTION 'a weight never changes; it can only be marked entered in error, once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER weights_only_marked BEFORE UPDATE OR DELETE ON weights
    FOR EACH ROW EXECUTE FUNCTION weights_only_marked();
CREATE TRIGGER weights_no_truncate BEFORE TRUNCATE ON weights
    FOR EACH STATEMENT EXECUTE FUNCTION weights_only_marked();
