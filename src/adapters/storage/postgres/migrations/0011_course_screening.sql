-- A course starts on a signed screening of the patient for its product (clinical/course_gate.hpp): the course keeps
-- which screening it rests on and, where that screening needed review, the prescriber's reason to treat anyway.
-- Courses started before this migration rest on none (screening_id NULL). Neither ever changes once stored. Same
-- schema as sqlite/migrations/0011_course_screening.sql.
ALTER TABLE treatment_courses ADD COLUMN screening_id BIGINT REFERENCES screenings (id);
ALTER TABLE treatment_courses ADD COLUMN screening_override_reason TEXT NOT NULL DEFAULT '';
CREATE FUNCTION treatment_courses_screening_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.screening_id IS DISTINCT FROM OLD.screening_id
       OR NEW.screening_override_reason IS DISTINCT FROM OLD.screening_override_reason THEN
        RAISE EXCEPTION 'a treatment course keeps the screening it started on and its override reason';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER treatment_courses_screening_fixed BEFORE UPDATE ON treatment_courses
    FOR EACH ROW EXECUTE FUNCTION treatment_courses_screening_fixed();
