-- Users, login throttling, browser sessions and API tokens (docs/security.md). Same schema as
-- postgres/migrations/0007_users_and_access.sql in SQLite's dialect. Booleans are integers 0/1. Passwords are
-- stored only as Argon2id hashes, session and API tokens only as their digests.

-- Emails are stored lower case (ASCII only: the use case checks their syntax), so UNIQUE is case-insensitive. A user
-- of role patient is linked to exactly one patient record, and no other role is linked to one.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL CHECK (email <> '' AND email = lower(email)),
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'prescriber', 'nurse', 'therapist', 'front_desk', 'patient')),
    password_hash TEXT NOT NULL CHECK (password_hash <> ''),
    disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    patient_id INTEGER REFERENCES patients (id),
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email),
    CONSTRAINT users_patient_id_unique UNIQUE (patient_id),
    CHECK ((role = 'patient') = (patient_id IS NOT NULL))
);

-- The audit log names users by email, so a user is disabled, never deleted, and who a user is never changes.
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, 'users are disabled, never deleted');
END;
CREATE TRIGGER users_identity_fixed BEFORE UPDATE ON users
WHEN NEW.id <> OLD.id OR NEW.email <> OLD.email OR NEW.role <> OLD.role OR NEW.patient_id IS NOT OLD.patient_id
    OR NEW.created_at <> OLD.created_at OR NEW.created_by <> OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a user''s email, role and patient never change');
END;

-- Login attempts per email address tried, known or not (app/access_rules.hpp: backoff and lock).
CREATE TABLE login_throttle (
    email TEXT PRIMARY KEY CHECK (email = lower(email)),
    failed_logins INTEGER NOT NULL CHECK (failed_logins > 0),
    locked_until INTEGER
);

CREATE TABLE browser_sessions (
    id INTEGER PRIMARY KEY,
    token_digest TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL CHECK (csrf_token <> ''),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX browser_sessions_open_by_user ON browser_sessions (user_id) WHERE ended_at IS NULL;

-- Only last_seen_at moves, and only until the session ends; an ended session is never reopened.
CREATE TRIGGER browser_sessions_ended_or_fixed BEFORE UPDATE ON browser_sessions
WHEN OLD.ended_at IS NOT NULL OR NEW.id <> OLD.id OR NEW.token_digest <> OLD.token_digest
    OR NEW.user_id <> OLD.user_id OR NEW.csrf_token <> OLD.csrf_token OR NEW.created_at <> OLD.created_at
    OR NEW.expires_at <> OLD.expires_at
BEGIN
    SELECT RAISE(ABORT, 'an ended browser session is never changed, and a session''s token never changes');
END;

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL CHECK (name <> ''),
    token_digest TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at INTEGER
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (user_id, name) WHERE revoked_at IS NULL;

-- A token is revoked once, never restored, changed or deleted: the record of which machines held access stays.
CREATE TRIGGER api_tokens_revoke_only BEFORE UPDATE ON api_tokens
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id <> OLD.id OR NEW.user_id <> OLD.user_id
    OR NEW.name <> OLD.name OR NEW.token_digest <> OLD.token_digest OR NEW.created_at <> OLD.created_at
    OR NEW.created_by <> OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'an API token is only ever revoked, once');
END;
CREATE TRIGGER api_tokens_no_delete BEFORE DELETE ON api_tokens
BEGIN
    SELECT RAISE(ABORT, 'an API token is only ever revoked, once');
END;
