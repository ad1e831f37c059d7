-- Issue 14 §1: the medical director's standing-order sets (versioned), prescribers' one-off orders for one session,
-- the PRN doses given under either (each a session medication, linked here to its order) and their responses. Same
-- schema as the SQLite migration of the same name in PostgreSQL's dialect. Every table is append-only: a new
-- version supersedes a set, a response is recorded once.

-- A version is in force from signed_at until the next version's signed_at.
CREATE TABLE standing_order_sets (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
    note TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    signed_by TEXT NOT NULL CHECK (signed_by <> '')
);

-- The terms of an entry or a one-off order: clinical::PrnOrderTerms. routes: a JSON array of
-- clinical::kMedicationRouteNames; sbp_* both null or both set.
CREATE TABLE standing_order_entries (
    set_id BIGINT NOT NULL REFERENCES standing_order_sets (id),
    entry_number INTEGER NOT NULL CHECK (entry_number >= 1),
    drug TEXT NOT NULL CHECK (drug <> ''),
    dose DOUBLE PRECISION NOT NULL CHECK (dose > 0),
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg', 'g', 'mL', 'units')),
    routes TEXT NOT NULL,
    indication TEXT NOT NULL CHECK (indication <> ''),
    sbp_at_or_above INTEGER,
    sbp_sustained_minutes INTEGER,
    max_doses_per_session INTEGER NOT NULL CHECK (max_doses_per_session >= 1),
    max_total_per_session DOUBLE PRECISION,
    min_interval_minutes INTEGER NOT NULL CHECK (min_interval_minutes >= 0),
    PRIMARY KEY (set_id, entry_number),
    CHECK ((sbp_at_or_above IS NULL) = (sbp_sustained_minutes IS NULL))
);

-- acknowledged_interactions: a JSON array of the messages the prescriber acknowledged.
CREATE TABLE one_off_orders (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES treatment_sessions (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    drug TEXT NOT NULL CHECK (drug <> ''),
    dose DOUBLE PRECISION NOT NULL CHECK (dose > 0),
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg', 'g', 'mL', 'units')),
    routes TEXT NOT NULL,
    indication TEXT NOT NULL CHECK (indication <> ''),
    sbp_at_or_above INTEGER,
    sbp_sustained_minutes INTEGER,
    max_doses_per_session INTEGER NOT NULL CHECK (max_doses_per_session >= 1),
    max_total_per_session DOUBLE PRECISION,
    min_interval_minutes INTEGER NOT NULL CHECK (min_interval_minutes >= 0),
    acknowledged_interactions TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    signed_by TEXT NOT NULL CHECK (signed_by <> ''),
    CHECK ((sbp_at_or_above IS NULL) = (sbp_sustained_minutes IS NULL))
);
CREATE INDEX one_off_orders_by_session ON one_off_orders (session_id);

-- Exactly one order per dose: an entry of a set, or a one-off order.
CREATE TABLE prn_doses (
    session_medication_id BIGINT PRIMARY KEY REFERENCES session_medications (id),
    set_id BIGINT,
    entry_number INTEGER,
    one_off_order_id BIGINT REFERENCES one_off_orders (id),
    FOREIGN KEY (set_id, entry_number) REFERENCES standing_order_entries (set_id, entry_number),
    CHECK ((set_id IS NULL) = (entry_number IS NULL)),
    CHECK ((set_id IS NULL) <> (one_off_order_id IS NULL))
);

CREATE TABLE prn_responses (
    session_medication_id BIGINT PRIMARY KEY REFERENCES prn_doses (session_medication_id),
    effective INTEGER NOT NULL CHECK (effective IN (0, 1)),
    note TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL CHECK (recorded_by <> '')
);

-- The per-session lock that serialises PRN doses (app::StandingOrderTransaction::LockSessionPrnDoses).
CREATE TABLE prn_session_locks (
    session_id BIGINT PRIMARY KEY REFERENCES treatment_sessions (id),
    generation BIGINT NOT NULL
);

CREATE FUNCTION standing_orders_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: a record is never edited or deleted', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER standing_order_sets_append_only BEFORE UPDATE OR DELETE ON standing_order_sets
    FOR EACH ROW EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER standing_order_sets_no_truncate BEFORE TRUNCATE ON standing_order_sets
    FOR EACH STATEMENT EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER standing_order_entries_append_only BEFORE UPDATE OR DELETE ON standing_order_entries
    FOR EACH ROW EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER standing_order_entries_no_truncate BEFORE TRUNCATE ON standing_order_entries
    FOR EACH STATEMENT EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER one_off_orders_append_only BEFORE UPDATE OR DELETE ON one_off_orders
    FOR EACH ROW EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER one_off_orders_no_truncate BEFORE TRUNCATE ON one_off_orders
    FOR EACH STATEMENT EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER prn_doses_append_only BEFORE UPDATE OR DELETE ON prn_doses
    FOR EACH ROW EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER prn_doses_no_truncate BEFORE TRUNCATE ON prn_doses
    FOR EACH STATEMENT EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER prn_responses_append_only BEFORE UPDATE OR DELETE ON prn_responses
    FOR EACH ROW EXECUTE FUNCTION standing_orders_append_only();
CREATE TRIGGER prn_responses_no_truncate BEFORE TRUNCATE ON prn_responses
    FOR EACH STATEMENT EXECUTE FUNCTION standing_orders_append_only();
