-- The tamper-evident audit log (issue 15 §7; docs/security.md "Audit"): each entry carries the SHA-256 of its own
-- canonical encoding and of the entry before it (sql/audit_chain.hpp), and one row, the chain head, names the last
-- entry and its hash. Every append locks the head for the rest of its transaction, so appends from every process
-- form one chain in id order. Same schema as postgres/migrations/0025_audit_chain.sql in SQLite's dialect.
--
-- The entries already written when this migration runs are not chained (SQLite has no SHA-256 to chain them here):
-- the chain starts after them, at the marker chain_start_id (the highest id then; 0 on a new database), and
-- `kclinic audit verify` reports them as written before the chain began.
ALTER TABLE audit_log ADD COLUMN previous_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

CREATE TABLE audit_chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    chain_start_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, chain_start_id, last_id, last_hash)
    SELECT 1, COALESCE(MAX(id), 0), COALESCE(MAX(id), 0), '' FROM audit_log;

-- The head moves forward only; its marker never moves and it is never removed.
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
    WHEN NEW.chain_start_id <> OLD.chain_start_id OR NEW.id <> OLD.id OR NEW.last_id < OLD.last_id
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_head only moves forward');
END;
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_head only moves forward');
END;
