-- Clinicians' calendar feeds (app/calendar_feeds.hpp; docs/security.md "Calendar feeds"). The secret URL a calendar
-- application subscribes to is stored only as its token's digest, as an API token is. A user has at most one live
-- feed. A feed is revoked once and never restored, changed or deleted: the record of who could read which schedule
-- stays. Same schema as postgres/migrations/0016_calendar_feeds.sql in SQLite's dialect.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_digest TEXT NOT NULL UNIQUE CHECK (token_digest <> ''),
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at INTEGER
);
CREATE UNIQUE INDEX calendar_feeds_live_user ON calendar_feeds (user_id) WHERE revoked_at IS NULL;

CREATE TRIGGER calendar_feeds_revoke_only BEFORE UPDATE ON calendar_feeds
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id <> OLD.id OR NEW.user_id <> OLD.user_id
    OR NEW.token_digest <> OLD.token_digest OR NEW.created_at <> OLD.created_at OR NEW.created_by <> OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a calendar feed is only ever revoked, once');
END;
CREATE TRIGGER calendar_feeds_no_delete BEFORE DELETE ON calendar_feeds
BEGIN
    SELECT RAISE(ABORT, 'a calendar feed is only ever revoked, once');
END;
