-- Issue 14 §1: the medical director's standing-order sets (versioned), prescribers' one-off orders for one session,
-- the PRN doses given under either (each a session medication, linked here to its order) and their responses. Same
-- schema as the PostgreSQL migration of the same name in SQLite's dialect. Every table is append-only: a new
-- version supersedes a set, a response is recorded once.

-- A version is in force from signed_at until the next version's signed_at.
CREATE TABLE standing_order_sets (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
    note TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    signed_by TEXT NOT NULL CHECK (signed_by <> '')
);

-- The terms of an entry or a one-off order: clinical::PrnOrderTerms. routes: a JSON array of
-- clinical::kMedicationRouteNames; sbp_* both null or both set.
CREATE TABLE standing_order_entries (
    set_id INTEGER NOT NULL REFERENCES standing_order_sets (id),
    entry_number INTEGER NOT NULL CHECK (entry_number >= 1),
    drug TEXT NOT NULL CHECK (drug <> ''),
    dose REAL NOT NULL CHECK (dose > 0),
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg', 'g', 'mL', 'units')),
    routes TEXT NOT NULL,
    indication TEXT NOT NULL CHECK (indication <> ''),
    sbp_at_or_above INTEGER,
    sbp_sustained_minutes INTEGER,
    max_doses_per_session INTEGER NOT NULL CHECK (max_doses_per_session >= 1),
    max_total_per_session REAL,
    min_interval_minutes INTEGER NOT NULL CHECK (min_interval_minutes >= 0),
    PRIMARY KEY (set_id, entry_number),
    CHECK ((sbp_at_or_above IS NULL) = (sbp_sustained_minutes IS NULL))
);

-- acknowledged_interactions: a JSON array of the messages the prescriber acknowledged.
CREATE TABLE one_off_orders (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES treatment_sessions (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    drug TEXT NOT NULL CHECK (drug <> ''),
    dose REAL NOT NULL CHECK (dose > 0),
    unit TEXT NOT NULL CHECK (unit IN ('mg', 'mcg', 'g', 'mL', 'units')),
    routes TEXT NOT NULL,
    indication TEXT NOT NULL CHECK (indication <> ''),
    sbp_at_or_above INTEGER,
    sbp_sustained_minutes INTEGER,
    max_doses_per_session INTEGER NOT NULL CHECK (max_doses_per_session >= 1),
    max_total_per_session REAL,
    min_interval_minutes INTEGER NOT NULL CHECK (min_interval_minutes >= 0),
    acknowledged_interactions TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    signed_by TEXT NOT NULL CHECK (signed_by <> ''),
    CHECK ((sbp_at_or_above IS NULL) = (sbp_sustained_minutes IS NULL))
);
CREATE INDEX one_off_orders_by_session ON one_off_orders (session_id);

-- Exactly one order per dose: an entry of a set, or a one-off order.
CREATE TABLE prn_doses (
    session_medication_id INTEGER PRIMARY KEY REFERENCES session_medications (id),
    set_id INTEGER,
    entry_number INTEGER,
    one_off_order_id INTEGER REFERENCES one_off_orders (id),
    FOREIGN KEY (set_id, entry_number) REFERENCES standing_order_entries (set_id, entry_number),
    CHECK ((set_id IS NULL) = (entry_number IS NULL)),
    CHECK ((set_id IS NULL) <> (one_off_order_id IS NULL))
);

CREATE TABLE prn_responses (
    session_medication_id INTEGER PRIMARY KEY REFERENCES prn_doses (session_medication_id),
    effective INTEGER NOT NULL CHECK (effective IN (0, 1)),
    note TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL CHECK (recorded_by <> '')
);

-- The per-session lock that serialises PRN doses (app::StandingOrderTransaction::LockSessionPrnDoses).
CREATE TABLE prn_session_locks (
    session_id INTEGER PRIMARY KEY REFERENCES treatment_sessions (id),
    generation INTEGER NOT NULL
);

CREATE TRIGGER standing_order_sets_no_update BEFORE UPDATE ON standing_order_sets
BEGIN
    SELECT RAISE(ABORT, 'standing_order_sets is append-only: a record is never edited');
END;
CREATE TRIGGER standing_order_sets_no_delete BEFORE DELETE ON standing_order_sets
BEGIN
    SELECT RAISE(ABORT, 'standing_order_sets is append-only: a record is never deleted');
END;
CREATE TRIGGER standing_order_entries_no_update BEFORE UPDATE ON standing_order_entries
BEGIN
    SELECT RAISE(ABORT, 'standing_order_entries is append-only: a record is never edited');
END;
CREATE TRIGGER standing_order_entries_no_delete BEFORE DELETE ON standing_order_entries
BEGIN
    SELECT RAISE(ABORT, 'standing_order_entries is append-only: a record is never deleted');
END;
CREATE TRIGGER one_off_orders_no_update BEFORE UPDATE ON one_off_orders
BEGIN
    SELECT RAISE(ABORT, 'one_off_orders is append-only: a record is never edited');
END;
CREATE TRIGGER one_off_orders_no_delete BEFORE DELETE ON one_off_orders
BEGIN
    SELECT RAISE(ABORT, 'one_off_orders is append-only: a record is never deleted');
END;
CREATE TRIGGER prn_doses_no_update BEFORE UPDATE ON prn_doses
BEGIN
    SELECT RAISE(ABORT, 'prn_doses is append-only: a record is never edited');
END;
CREATE TRIGGER prn_doses_no_delete BEFORE DELETE ON prn_doses
BEGIN
    SELECT RAISE(ABORT, 'prn_doses is append-only: a record is never deleted');
END;
CREATE TRIGGER prn_responses_no_update BEFORE UPDATE ON prn_responses
BEGIN
    SELECT RAISE(ABORT, 'prn_responses is append-only: a record is never edited');
END;
CREATE TRIGGER prn_responses_no_delete BEFORE DELETE ON prn_responses
BEGIN
    SELECT RAISE(ABORT, 'prn_responses is append-only: a record is never deleted');
END;
