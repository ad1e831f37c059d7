-- The staff's second factor (issue 15 §1, docs/security.md "Second factor"): one TOTP key per user, whether its
-- enrolment was confirmed, the last time step a code was accepted for (each code once), and one-time recovery codes
-- kept only as digests. Same schema as sqlite/migrations. Times are epoch milliseconds (UTC).
CREATE TABLE second_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    totp_secret TEXT NOT NULL CHECK (totp_secret <> ''),
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_used_step BIGINT,
    CHECK (confirmed_at IS NOT NULL OR last_used_step IS NULL)
);

-- The key of a confirmed second factor never changes: a new key is a new enrolment, after an admin's reset.
CREATE FUNCTION second_factors_key_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.confirmed_at IS NOT NULL AND (NEW.totp_secret <> OLD.totp_secret OR NEW.user_id <> OLD.user_id
        OR NEW.confirmed_at IS DISTINCT FROM OLD.confirmed_at) THEN
        RAISE EXCEPTION 'a confirmed second factor keeps its key; an admin resets it to enrol another';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER second_factors_key_fixed BEFORE UPDATE ON second_factors
    FOR EACH ROW EXECUTE FUNCTION second_factors_key_fixed();

CREATE TABLE recovery_codes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES second_factors (user_id) ON DELETE CASCADE,
    code_digest TEXT NOT NULL UNIQUE CHECK (code_digest <> ''),
    used_at BIGINT
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- A used recovery code stays used.
CREATE FUNCTION recovery_codes_used_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.used_at IS NOT NULL OR NEW.code_digest <> OLD.code_digest OR NEW.user_id <> OLD.user_id THEN
        RAISE EXCEPTION 'a recovery code is used once and never changes';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER recovery_codes_used_once BEFORE UPDATE ON recovery_codes
    FOR EACH ROW EXECUTE FUNCTION recovery_codes_used_once();

-- A session started by a password alone, for a user who must enrol a second factor before anything else.
ALTER TABLE browser_sessions ADD COLUMN enrolment_only BIGINT NOT NULL DEFAULT 0 CHECK (enrolment_only IN (0, 1));
