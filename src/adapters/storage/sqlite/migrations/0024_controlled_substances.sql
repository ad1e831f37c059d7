-- The controlled-substance log (app/controlled_substances.hpp; docs/api.md "The controlled-substance log"): each
-- container (a vial, an esketamine kit) as received, and the append-only entries that move it. A container never
-- changes but for lock_generation, which LockCsContainer bumps to serialise the movements of one container; an entry
-- never changes and neither is ever deleted (21 CFR 1304.04: records kept complete for two years; a mistake is
-- reversed by a correction entry). Same schema as postgres/migrations/0024_controlled_substances.sql in SQLite's
-- dialect.
CREATE TABLE cs_containers (
    id INTEGER PRIMARY KEY,
    product TEXT NOT NULL CHECK (product <> ''),
    lot_number TEXT NOT NULL CHECK (lot_number <> ''),
    expires_on TEXT NOT NULL CHECK (length(expires_on) = 10),
    supplier TEXT NOT NULL CHECK (supplier <> ''),
    invoice TEXT NOT NULL CHECK (invoice <> ''),
    received_at INTEGER NOT NULL,
    received_by TEXT NOT NULL CHECK (received_by <> ''),
    lock_generation INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE cs_entries (
    id INTEGER PRIMARY KEY,
    container_id INTEGER NOT NULL REFERENCES cs_containers (id),
    kind TEXT NOT NULL CHECK (kind <> ''),
    units INTEGER NOT NULL,
    given_units INTEGER NOT NULL DEFAULT 0,
    expected_units INTEGER NOT NULL DEFAULT 0,
    refers_to INTEGER REFERENCES cs_entries (id),
    administration_id INTEGER REFERENCES administrations (id),
    patient_id INTEGER REFERENCES patients (id),
    location TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    witness TEXT NOT NULL DEFAULT '',
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    CHECK (witness <> recorded_by)
);
CREATE INDEX cs_entries_by_container ON cs_entries (container_id, id);

CREATE TRIGGER cs_containers_lock_only BEFORE UPDATE ON cs_containers
WHEN NEW.id <> OLD.id OR NEW.product <> OLD.product OR NEW.lot_number <> OLD.lot_number
    OR NEW.expires_on <> OLD.expires_on OR NEW.supplier <> OLD.supplier OR NEW.invoice <> OLD.invoice
    OR NEW.received_at <> OLD.received_at OR NEW.received_by <> OLD.received_by
BEGIN
    SELECT RAISE(ABORT, 'a controlled-substance container is never changed');
END;
CREATE TRIGGER cs_containers_no_delete BEFORE DELETE ON cs_containers
BEGIN
    SELECT RAISE(ABORT, 'a controlled-substance container is never deleted');
END;
CREATE TRIGGER cs_entries_no_update BEFORE UPDATE ON cs_entries
BEGIN
    SELECT RAISE(ABORT, 'the controlled-substance log is append-only');
END;
CREATE TRIGGER cs_entries_no_delete BEFORE DELETE ON cs_entries
BEGIN
    SELECT RAISE(ABORT, 'the controlled-substance log is append-only');
END;
