-- A course starts on a signed screening of the patient for its product (clinical/course_gate.hpp): the course keeps
-- which screening it rests on and, where that screening needed review, the prescriber's reason to treat anyway.
-- Courses started before this migration rest on none (screening_id NULL). Neither ever changes once stored. Same
-- schema as postgres/migrations/0011_course_screening.sql in SQLite's dialect.
ALTER TABLE treatment_courses ADD COLUMN screening_id INTEGER REFERENCES screenings (id);
ALTER TABLE treatment_courses ADD COLUMN screening_override_reason TEXT NOT NULL DEFAULT '';
CREATE TRIGGER treatment_courses_screening_fixed BEFORE UPDATE ON treatment_courses
WHEN NEW.screening_id IS NOT OLD.screening_id
     OR NEW.screening_override_reason IS NOT OLD.screening_override_reason
BEGIN
    SELECT RAISE(ABORT, 'a treatment course keeps the screening it started on and its override reason');
END;
