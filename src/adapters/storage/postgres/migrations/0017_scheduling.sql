-- Scheduling (issue 11 §1): treatment rooms and chairs, the clinic's closed days, appointments, and the induction
-- sessions a course missed. Same schema as sqlite/migrations/0017_scheduling.sql in PostgreSQL's dialect. Booleans
-- are integers 0/1, as in SQLite, so the shared queries read them alike; times are epoch milliseconds (UTC); dates
-- 'YYYY-MM-DD' on the clinic's calendar.

-- equipment: clinical::kRoomEquipmentNames; monitor_ids: a JSON array of the bedside monitors' identifiers. A room
-- is never deleted (its appointments keep pointing at it); it is made inactive.
CREATE TABLE treatment_rooms (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    equipment TEXT NOT NULL CHECK (equipment IN ('iv-im', 'esketamine', 'both')),
    monitor_ids TEXT NOT NULL DEFAULT '[]',
    active BIGINT NOT NULL CHECK (active IN (0, 1)),
    version BIGINT NOT NULL CHECK (version >= 1)
);
CREATE FUNCTION treatment_rooms_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'treatment rooms are never deleted; make one inactive';
END;
$$;
CREATE TRIGGER treatment_rooms_no_delete BEFORE DELETE ON treatment_rooms
    FOR EACH ROW EXECUTE FUNCTION treatment_rooms_no_delete();
CREATE TRIGGER treatment_rooms_no_truncate BEFORE TRUNCATE ON treatment_rooms
    FOR EACH STATEMENT EXECUTE FUNCTION treatment_rooms_no_delete();

CREATE TABLE closed_days (
    date TEXT PRIMARY KEY CHECK (length(date) = 10),
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- type: clinical::kAppointmentTypeNames; status: clinical::kAppointmentStatusNames. [start_at, end_at) holds the room,
-- the staff member and the patient; no appointment is longer than a day, so the overlap queries can bound their
-- index range (start_at > from - 1 day). overridden: a JSON array of the soft rules' names a prescriber booked past.
-- An appointment is never deleted; once completed, cancelled or a no-show it never changes again.
CREATE TABLE appointments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    type TEXT NOT NULL CHECK (type IN ('iv-session', 'esketamine-session', 'im-session', 'intake', 'prescriber-review',
                                       'therapy-preparation', 'therapy-integration', 'follow-up')),
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL CHECK (end_at > start_at AND end_at - start_at <= 86400000),
    room_id BIGINT REFERENCES treatment_rooms (id),
    staff TEXT NOT NULL,
    session_id BIGINT REFERENCES treatment_sessions (id),
    status TEXT NOT NULL CHECK (status IN ('booked', 'checked_in', 'completed', 'cancelled', 'no_show')),
    status_reason TEXT NOT NULL DEFAULT '',
    override_reason TEXT NOT NULL DEFAULT '',
    overridden TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1)
);
-- The rules' and the slot search's queries: what overlaps a time in a room, for a staff member, for a patient, and
-- everything in a range (the day plan, the search).
CREATE INDEX appointments_by_room ON appointments (room_id, start_at);
CREATE INDEX appointments_by_staff ON appointments (staff, start_at);
CREATE INDEX appointments_by_patient ON appointments (patient_id, start_at);
CREATE INDEX appointments_by_start ON appointments (start_at);
-- A treatment session holds at most one appointment that holds time.
CREATE UNIQUE INDEX appointments_one_per_session ON appointments (session_id)
    WHERE session_id IS NOT NULL AND status IN ('booked', 'checked_in');
CREATE FUNCTION appointments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'appointments are never deleted; cancel one';
    END IF;
    IF OLD.status IN ('completed', 'cancelled', 'no_show')
       OR (NEW.id, NEW.patient_id, NEW.type, NEW.created_at, NEW.created_by)
          IS DISTINCT FROM (OLD.id, OLD.patient_id, OLD.type, OLD.created_at, OLD.created_by) THEN
        RAISE EXCEPTION 'a completed, cancelled or missed appointment never changes, nor does whose or what it is';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER appointments_guard BEFORE UPDATE OR DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION appointments_guard();
CREATE TRIGGER appointments_no_truncate BEFORE TRUNCATE ON appointments
    FOR EACH STATEMENT EXECUTE FUNCTION appointments_guard();

-- One row the transactions that book update first: it serialises bookings (app::SchedulingTransaction::LockSchedule;
-- a write transaction runs at READ COMMITTED, so the second waits for the first's commit and then reads its
-- booking), so two front-desk users booking the same chair, nurse or patient at the same minute are checked one
-- after the other.
CREATE TABLE schedule_lock (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO schedule_lock (id, generation) VALUES (1, 0);

-- An induction-phase treatment appointment that was missed (no-show) or cancelled, flagged on its course for the
-- prescriber. Append-only.
CREATE TABLE missed_inductions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES treatment_courses (id),
    session_id BIGINT NOT NULL REFERENCES treatment_sessions (id),
    appointment_id BIGINT NOT NULL UNIQUE REFERENCES appointments (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('cancelled', 'no_show')),
    reason TEXT NOT NULL,
    flagged_at BIGINT NOT NULL,
    flagged_by TEXT NOT NULL
);
CREATE INDEX missed_inductions_by_course ON missed_inductions (course_id, id);
CREATE FUNCTION missed_inductions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'missed_inductions is append-only';
END;
$$;
CREATE TRIGGER missed_inductions_no_update_or_delete BEFORE UPDATE OR DELETE ON missed_inductions
    FOR EACH ROW EXECUTE FUNCTION missed_inductions_append_only();
CREATE TRIGGER missed_inductions_no_truncate BEFORE TRUNCATE ON missed_inductions
    FOR EACH STATEMENT EXECUTE FUNCTION missed_inductions_append_only();
