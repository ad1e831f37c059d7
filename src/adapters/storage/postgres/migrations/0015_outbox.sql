-- The transactional outbox (issue 11 §2): messages written in the same transaction as what they are about (an
-- appointment's reminders with its booking), delivered later by the sender loop (adapters/mail). Same schema as
-- sqlite/migrations/0015_outbox.sql in PostgreSQL's dialect.
--
-- appointment_id has no foreign key: the appointments table arrives with a later migration (0017), and a message
-- need not be about an appointment. idempotency_key is unique, so a reminder written twice is refused, and it is
-- the Message-ID the receiver sees, so a receiver can drop the one duplicate a crash between the server's 250 and
-- the mark can send. next_attempt_at is NULL until the message is claimed: a claim sets it to the end of the
-- sender's lease and counts the attempt, and a failed attempt sets it to the retry time: a pending message is due
-- once due_at and next_attempt_at, where set, have passed.
CREATE TABLE outbox_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE CHECK (idempotency_key <> ''),
    recipient TEXT NOT NULL CHECK (recipient <> ''),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    appointment_id BIGINT,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts BIGINT NOT NULL CHECK (attempts >= 0),
    next_attempt_at BIGINT,
    last_error TEXT NOT NULL,
    sent_at BIGINT CHECK ((sent_at IS NOT NULL) = (status = 'sent')),
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_messages_due ON outbox_messages (status, due_at);
CREATE INDEX outbox_messages_by_appointment ON outbox_messages (appointment_id, id);

-- What a message says, to whom and when never changes; a message sent, failed or cancelled is final; none is
-- deleted (the outbox is the clinic's record of what it told a patient, and when).
CREATE FUNCTION outbox_messages_delivery_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'outbox messages are never deleted';
    END IF;
    IF OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'an outbox message sent, failed or cancelled never changes';
    END IF;
    IF (NEW.id, NEW.idempotency_key, NEW.recipient, NEW.subject, NEW.body, NEW.appointment_id, NEW.due_at,
        NEW.created_at)
       IS DISTINCT FROM (OLD.id, OLD.idempotency_key, OLD.recipient, OLD.subject, OLD.body, OLD.appointment_id,
                         OLD.due_at, OLD.created_at) THEN
        RAISE EXCEPTION 'an outbox message''s content never changes; only its delivery is recorded';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER outbox_messages_delivery_only BEFORE UPDATE OR DELETE ON outbox_messages
    FOR EACH ROW EXECUTE FUNCTION outbox_messages_delivery_only();
CREATE TRIGGER outbox_messages_no_truncate BEFORE TRUNCATE ON outbox_messages
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_messages_delivery_only();
