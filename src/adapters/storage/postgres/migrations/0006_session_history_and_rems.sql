-- The clinic record: each treatment session's transition history.
-- Same schema as sqlite/migrations/0006_session_history_and_rems.sql in PostgreSQL's dialect. Booleans are integers
-- 0/1, as in SQLite, so the shared queries read them alike; times are epoch milliseconds; dates 'YYYY-MM-DD'.

-- One row per step of a session through the state machine (clinical::SessionStateName), appended in the same
-- transaction as the step: treatment_sessions keeps only the current state, and the REMS form needs the time
-- monitoring ended and who ended it. from_state is NULL for the row that created the session.
CREATE TABLE session_transitions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES treatment_sessions (id),
    from_state TEXT CHECK (from_state IS NULL OR from_state IN ('scheduled', 'checked_in', 'pre_dose_ok', 'held',
                                                                'dosing', 'monitoring', 'ready_for_discharge')),
    to_state TEXT NOT NULL CHECK (to_state IN ('scheduled', 'checked_in', 'pre_dose_ok', 'held', 'dosing',
                                               'monitoring', 'ready_for_discharge', 'discharged', 'cancelled',
                                               'aborted')),
    at BIGINT NOT NULL,
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
CREATE FUNCTION session_transitions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'session_transitions is append-only';
END;
$$;
CREATE TRIGGER session_transitions_no_update_or_delete BEFORE UPDATE OR DELETE ON session_transitions
    FOR EACH ROW EXECUTE FUNCTION session_transitions_append_only();
CREATE TRIGGER session_transitions_no_truncate BEFORE TRUNCATE ON session_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION session_transitions_append_only();

