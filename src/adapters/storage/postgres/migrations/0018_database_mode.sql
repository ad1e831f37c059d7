-- Whether this database is a test-mode one (docs/cli.md "Test clock"; docs/security.md "Test mode"): the only kind of
-- database on which `kclinic serve --test-clock` may move the clinic's clock. One row, written when kclinic first
-- opens the database after this migration (sql::RecordDatabaseMode): test mode only on a database created in it, and
-- production on every database that held a schema before. It is never changed, deleted or replaced, so a production
-- database can never become a test-mode one. Same schema as sqlite/migrations/0018_database_mode.sql in PostgreSQL's
-- dialect.
CREATE TABLE database_mode (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    test_mode BIGINT NOT NULL CHECK (test_mode IN (0, 1)),
    recorded_at BIGINT NOT NULL
);

CREATE FUNCTION database_mode_never_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a database''s mode is recorded once, when it is created, and never changed';
END;
$$;
CREATE TRIGGER database_mode_no_update BEFORE UPDATE OR DELETE ON database_mode
    FOR EACH ROW EXECUTE FUNCTION database_mode_never_changed();
CREATE TRIGGER database_mode_no_truncate BEFORE TRUNCATE ON database_mode
    FOR EACH STATEMENT EXECUTE FUNCTION database_mode_never_changed();
