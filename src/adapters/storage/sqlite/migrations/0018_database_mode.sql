-- Whether this database is a test-mode one (docs/cli.md "Test clock"; docs/security.md "Test mode"): the only kind of
-- database on which `kclinic serve --test-clock` may move the clinic's clock. One row, written when kclinic first
-- opens the database after this migration (sql::RecordDatabaseMode): test mode only on a database created in it, and
-- production on every database that held a schema before. It is never changed, deleted or replaced, so a production
-- database can never become a test-mode one. Same schema as postgres/migrations/0018_database_mode.sql in SQLite's
-- dialect.
CREATE TABLE database_mode (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    test_mode INTEGER NOT NULL CHECK (test_mode IN (0, 1)),
    recorded_at INTEGER NOT NULL
);

CREATE TRIGGER database_mode_no_update BEFORE UPDATE ON database_mode
BEGIN
    SELECT RAISE(ABORT, 'a database''s mode is recorded once, when it is created, and never changed');
END;
CREATE TRIGGER database_mode_no_delete BEFORE DELETE ON database_mode
BEGIN
    SELECT RAISE(ABORT, 'a database''s mode is recorded once, when it is created, and never changed');
END;
