-- Clinicians' calendar feeds (app/calendar_feeds.hpp; docs/security.md "Calendar feeds"). The secret URL a calendar
-- application subscribes to is stored only as its token's digest, as an API token is. A user has at most one live
-- feed. A feed is revoked once and never restored, changed or deleted: the record of who could read which schedule
-- stays. Same schema as sqlite/migrations/0016_calendar_feeds.sql in PostgreSQL's dialect.
CREATE TABLE calendar_feeds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_digest TEXT NOT NULL UNIQUE CHECK (token_digest <> ''),
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX calendar_feeds_live_user ON calendar_feeds (user_id) WHERE revoked_at IS NULL;

CREATE FUNCTION calendar_feeds_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a calendar feed is only ever revoked, once';
    END IF;
    IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id <> OLD.id OR NEW.user_id <> OLD.user_id
        OR NEW.token_digest <> OLD.token_digest OR NEW.created_at <> OLD.created_at
        OR NEW.created_by <> OLD.created_by THEN
        RAISE EXCEPTION 'a calendar feed is only ever revoked, once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER calendar_feeds_revoke_only BEFORE UPDATE OR DELETE ON calendar_feeds
    FOR EACH ROW EXECUTE FUNCTION calendar_feeds_revoke_only();
