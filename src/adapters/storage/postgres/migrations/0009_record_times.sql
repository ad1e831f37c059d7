-- Issue 10, "time cannot be bent": late entries flagged, a REMS form's missing readings explained, and a submitted
-- form's confirmation reference added once. Same schema as sqlite/migrations/0009_record_times.sql.

-- A clinical time documented after the fact (clinical::EntryTiming::kLate when recorded; CMS PIM 100-08
-- §3.3.2.5). Rows recorded before this migration were never judged: 0, as the record cannot say more.
ALTER TABLE weights ADD COLUMN late_entry BIGINT NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
ALTER TABLE vital_signs ADD COLUMN late_entry BIGINT NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
ALTER TABLE assessments ADD COLUMN late_entry BIGINT NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
ALTER TABLE administrations ADD COLUMN late_entry BIGINT NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
-- Weights had no time of recording; the weights before this migration get their measurement time, the only time
-- the record holds for them.
ALTER TABLE weights ADD COLUMN recorded_at BIGINT;
UPDATE weights SET recorded_at = measured_at;
ALTER TABLE weights ALTER COLUMN recorded_at SET NOT NULL;

-- A prescriber's stated reason for submitting a form that lacks a reading the REMS asks for; '' when none.
ALTER TABLE rems_forms ADD COLUMN missing_readings_reason TEXT NOT NULL DEFAULT '';

-- A submitted form still never changes, except that the confirmation reference the REMS portal gives may be added
-- once, later, to a form submitted without one.
CREATE OR REPLACE FUNCTION rems_forms_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a REMS form is never deleted';
    END IF;
    IF OLD.status <> 'due' THEN
        IF OLD.confirmation_reference = '' AND NEW.confirmation_reference <> '' AND
           (to_jsonb(NEW) - 'confirmation_reference') = (to_jsonb(OLD) - 'confirmation_reference') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a submitted REMS form is never edited, except to add its confirmation reference once';
    END IF;
    IF NEW.status <> 'submitted' OR NEW.session_id <> OLD.session_id OR NEW.patient_id <> OLD.patient_id OR
       NEW.treatment_date <> OLD.treatment_date OR NEW.due_date <> OLD.due_date OR NEW.created_at <> OLD.created_at OR
       NEW.created_by <> OLD.created_by THEN
        RAISE EXCEPTION 'a due REMS form changes only by being submitted';
    END IF;
    RETURN NEW;
END;
$$;
