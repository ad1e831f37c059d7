-- The controlled-substance log (app/controlled_substances.hpp; docs/api.md "The controlled-substance log"): each
-- container (a vial, an esketamine kit) as received, and the append-only entries that move it. A container never
-- changes but for lock_generation, which LockCsContainer bumps to serialise the movements of one container (the
-- UPDATE holds the row's lock until the transaction ends); an entry never changes and neither is ever deleted
-- (21 CFR 1304.04: records kept complete for two years; a mistake is reversed by a correction entry). Same schema as
-- sqlite/migrations/0024_controlled_substances.sql in PostgreSQL's dialect.
CREATE TABLE cs_containers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product TEXT NOT NULL CHECK (product <> ''),
    lot_number TEXT NOT NULL CHECK (lot_number <> ''),
    expires_on TEXT NOT NULL CHECK (length(expires_on) = 10),
    supplier TEXT NOT NULL CHECK (supplier <> ''),
    invoice TEXT NOT NULL CHECK (invoice <> ''),
    received_at BIGINT NOT NULL,
    received_by TEXT NOT NULL CHECK (received_by <> ''),
    lock_generation BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE cs_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    container_id BIGINT NOT NULL REFERENCES cs_containers (id),
    kind TEXT NOT NULL CHECK (kind <> ''),
    units BIGINT NOT NULL,
    given_units BIGINT NOT NULL DEFAULT 0,
    expected_units BIGINT NOT NULL DEFAULT 0,
    refers_to BIGINT REFERENCES cs_entries (id),
    administration_id BIGINT REFERENCES administrations (id),
    patient_id BIGINT REFERENCES patients (id),
    location TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    witness TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    CHECK (witness <> recorded_by)
);
CREATE INDEX cs_entries_by_container ON cs_entries (container_id, id);

CREATE FUNCTION cs_containers_lock_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a controlled-substance container is never deleted';
    END IF;
    IF NEW.id <> OLD.id OR NEW.product <> OLD.product OR NEW.lot_number <> OLD.lot_number
        OR NEW.expires_on <> OLD.expires_on OR NEW.supplier <> OLD.supplier OR NEW.invoice <> OLD.invoice
        OR NEW.received_at <> OLD.received_at OR NEW.received_by <> OLD.received_by THEN
        RAISE EXCEPTION 'a controlled-substance container is never changed';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER cs_containers_lock_only BEFORE UPDATE OR DELETE ON cs_containers
    FOR EACH ROW EXECUTE FUNCTION cs_containers_lock_only();
CREATE FUNCTION cs_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the controlled-substance log is append-only';
END;
$$;
CREATE TRIGGER cs_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON cs_entries
    FOR EACH ROW EXECUTE FUNCTION cs_entries_append_only();
CREATE TRIGGER cs_entries_no_truncate BEFORE TRUNCATE ON cs_entries
    FOR EACH STATEMENT EXECUTE FUNCTION cs_entries_append_only();
