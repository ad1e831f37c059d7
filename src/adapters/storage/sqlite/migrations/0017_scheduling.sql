-- Scheduling (issue 11 §1): treatment rooms and chairs, the clinic's closed days, appointments, and the induction
-- sessions a course missed. Same schema as postgres/migrations/0017_scheduling.sql in SQLite's dialect. Booleans are
-- integers 0/1; times are epoch milliseconds (UTC); dates 'YYYY-MM-DD' on the clinic's calendar.

-- equipment: clinical::kRoomEquipmentNames; monitor_ids: a JSON array of the bedside monitors' identifiers. A room
-- is never deleted (its appointments keep pointing at it); it is made inactive.
CREATE TABLE treatment_rooms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    equipment TEXT NOT NULL CHECK (equipment IN ('iv-im', 'esketamine', 'both')),
    monitor_ids TEXT NOT NULL DEFAULT '[]',
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    version INTEGER NOT NULL CHECK (version >= 1)
);
CREATE TRIGGER treatment_rooms_no_delete BEFORE DELETE ON treatment_rooms
BEGIN
    SELECT RAISE(ABORT, 'treatment rooms are never deleted; make one inactive');
END;

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
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    type TEXT NOT NULL CHECK (type IN ('iv-session', 'esketamine-session', 'im-session', 'intake', 'prescriber-review',
                                       'therapy-preparation', 'therapy-integration', 'follow-up')),
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL CHECK (end_at > start_at AND end_at - start_at <= 86400000),
    room_id INTEGER REFERENCES treatment_rooms (id),
    staff TEXT NOT NULL,
    session_id INTEGER REFERENCES treatment_sessions (id),
    status TEXT NOT NULL CHECK (status IN ('booked', 'checked_in', 'completed', 'cancelled', 'no_show')),
    status_reason TEXT NOT NULL DEFAULT '',
    override_reason TEXT NOT NULL DEFAULT '',
    overridden TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1)
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
CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
BEGIN
    SELECT RAISE(ABORT, 'appointments are never deleted; cancel one');
END;
CREATE TRIGGER appointments_final_or_same_owner BEFORE UPDATE ON appointments
WHEN OLD.status IN ('completed', 'cancelled', 'no_show') OR NEW.id <> OLD.id OR NEW.patient_id <> OLD.patient_id OR
     NEW.type <> OLD.type OR NEW.created_at <> OLD.created_at OR NEW.created_by <> OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a completed, cancelled or missed appointment never changes, nor does whose or what it is');
END;

-- One row the transactions that book update first: it serialises bookings (app::SchedulingTransaction::LockSchedule),
-- so two front-desk users booking the same chair, nurse or patient at the same minute are checked one after the
-- other.
CREATE TABLE schedule_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO schedule_lock (id, generation) VALUES (1, 0);

-- An induction-phase treatment appointment that was missed (no-show) or cancelled, flagged on its course for the
-- prescriber. Append-only.
CREATE TABLE missed_inductions (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
    session_id INTEGER NOT NULL REFERENCES treatment_sessions (id),
    appointment_id INTEGER NOT NULL UNIQUE REFERENCES appointments (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('cancelled', 'no_show')),
    reason TEXT NOT NULL,
    flagged_at INTEGER NOT NULL,
    flagged_by TEXT NOT NULL
);
CREATE INDEX missed_inductions_by_course ON missed_inductions (course_id, id);
CREATE TRIGGER missed_inductions_no_update BEFORE UPDATE ON missed_inductions
BEGIN
    SELECT RAISE(ABORT, 'missed_inductions is append-only');
END;
CREATE TRIGGER missed_inductions_no_delete BEFORE DELETE ON missed_inductions
BEGIN
    SELECT RAISE(ABORT, 'missed_inductions is append-only');
END;
