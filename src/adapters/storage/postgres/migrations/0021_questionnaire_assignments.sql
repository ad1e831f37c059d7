-- The questionnaires clinicians assign to patients to answer in the portal (app/questionnaires.hpp; docs/api.md
-- "Assigned questionnaires"): due first on first_due (the clinic's date, YYYY-MM-DD), then every every_days days when
-- it repeats. An assignment is ended once and never changed otherwise, nor deleted: the record of what was asked of
-- the patient stays. Same schema as sqlite/migrations/0021_questionnaire_assignments.sql in PostgreSQL's dialect.
CREATE TABLE questionnaire_assignments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    instrument TEXT NOT NULL CHECK (instrument <> ''),
    first_due TEXT NOT NULL CHECK (length(first_due) = 10),
    every_days INTEGER CHECK (every_days BETWEEN 1 AND 91),
    assigned_at BIGINT NOT NULL,
    assigned_by TEXT NOT NULL CHECK (assigned_by <> ''),
    ended_at BIGINT,
    ended_by TEXT NOT NULL DEFAULT '',
    CHECK ((ended_at IS NULL) = (ended_by = ''))
);
CREATE INDEX questionnaire_assignments_by_patient ON questionnaire_assignments (patient_id, id);

CREATE FUNCTION questionnaire_assignments_end_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a questionnaire assignment is only ever ended, once';
    END IF;
    IF OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL OR NEW.id <> OLD.id OR NEW.patient_id <> OLD.patient_id
        OR NEW.instrument <> OLD.instrument OR NEW.first_due <> OLD.first_due
        OR NEW.every_days IS DISTINCT FROM OLD.every_days OR NEW.assigned_at <> OLD.assigned_at
        OR NEW.assigned_by <> OLD.assigned_by THEN
        RAISE EXCEPTION 'a questionnaire assignment is only ever ended, once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER questionnaire_assignments_end_only BEFORE UPDATE OR DELETE ON questionnaire_assignments
    FOR EACH ROW EXECUTE FUNCTION questionnaire_assignments_end_only();
