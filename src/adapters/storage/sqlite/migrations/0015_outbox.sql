-- The transactional outbox (issue 11 §2): messages written in the same transaction as what they are about (an
-- appointment's reminders with its booking), delivered later by the sender loop (adapters/mail). Same schema as
-- postgres/migrations/0015_outbox.sql in SQLite's dialect.
--
-- appointment_id has no foreign key: the appointments table arrives with a later migration (0017), and a message
-- need not be about an appointment. idempotency_key is unique, so a reminder written twice is refused, and it is
-- the Message-ID the receiver sees, so a receiver can drop the one duplicate a crash between the server's 250 and
-- the mark can send. next_attempt_at is NULL until the message is claimed: a claim sets it to the end of the
-- sender's lease and counts the attempt, and a failed attempt sets it to the retry time: a pending message is due
-- once due_at and next_attempt_at, where set, have passed.
CREATE TABLE outbox_messages (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE CHECK (idempotency_key <> ''),
    recipient TEXT NOT NULL CHECK (recipient <> ''),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    appointment_id INTEGER,
    due_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at INTEGER,
    last_error TEXT NOT NULL,
    sent_at INTEGER CHECK ((sent_at IS NOT NULL) = (status = 'sent')),
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_messages_due ON outbox_messages (status, due_at);
CREATE INDEX outbox_messages_by_appointment ON outbox_messages (appointment_id, id);

-- What a message says, to whom and when never changes; a message sent, failed or cancelled is final; none is
-- deleted (the outbox is the clinic's record of what it told a patient, and when).
CREATE TRIGGER outbox_messages_content_fixed BEFORE UPDATE ON outbox_messages
WHEN NOT (NEW.id = OLD.id AND NEW.idempotency_key = OLD.idempotency_key AND NEW.recipient = OLD.recipient AND
          NEW.subject = OLD.subject AND NEW.body = OLD.body AND NEW.appointment_id IS OLD.appointment_id AND
          NEW.due_at = OLD.due_at AND NEW.created_at = OLD.created_at)
BEGIN
    SELECT RAISE(ABORT, 'an outbox message''s content never changes; only its delivery is recorded');
END;
CREATE TRIGGER outbox_messages_final BEFORE UPDATE ON outbox_messages WHEN OLD.status <> 'pending'
BEGIN
    SELECT RAISE(ABORT, 'an outbox message sent, failed or cancelled never changes');
END;
CREATE TRIGGER outbox_messages_no_delete BEFORE DELETE ON outbox_messages
BEGIN
    SELECT RAISE(ABORT, 'outbox messages are never deleted');
END;
