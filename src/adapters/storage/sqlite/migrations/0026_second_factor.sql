-- The staff's second factor (issue 15 §1, docs/security.md "Second factor"): one TOTP key per user, whether its
-- enrolment was confirmed, the last time step a code was accepted for (each code once), and one-time recovery codes
-- kept only as digests. Same schema as postgres/migrations. Times are epoch milliseconds (UTC).
CREATE TABLE second_factors (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    totp_secret TEXT NOT NULL CHECK (totp_secret <> ''),
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    last_used_step INTEGER,
    CHECK (confirmed_at IS NOT NULL OR last_used_step IS NULL)
);

-- The key of a confirmed second factor never changes: a new key is a new enrolment, after an admin's reset.
CREATE TRIGGER second_factors_key_fixed BEFORE UPDATE ON second_factors
WHEN OLD.confirmed_at IS NOT NULL AND (NEW.totp_secret <> OLD.totp_secret OR NEW.user_id <> OLD.user_id
    OR NEW.confirmed_at IS NOT OLD.confirmed_at)
BEGIN
    SELECT RAISE(ABORT, 'a confirmed second factor keeps its key; an admin resets it to enrol another');
END;

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES second_factors (user_id) ON DELETE CASCADE,
    code_digest TEXT NOT NULL UNIQUE CHECK (code_digest <> ''),
    used_at INTEGER
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- A used recovery code stays used.
CREATE TRIGGER recovery_codes_used_once BEFORE UPDATE ON recovery_codes
WHEN OLD.used_at IS NOT NULL OR NEW.code_digest <> OLD.code_digest OR NEW.user_id <> OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'a recovery code is used once and never changes');
END;

-- A session started by a password alone, for a user who must enrol a second factor before anything else.
ALTER TABLE browser_sessions ADD COLUMN enrolment_only INTEGER NOT NULL DEFAULT 0 CHECK (enrolment_only IN (0, 1));
