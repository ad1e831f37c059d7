-- Issue 10 §5, wrong entries: an assessment, an administration, a history entry or an antidepressant trial found to
-- be wrong is marked entered in error (reason, when, by whom: all NULL or all set), never edited or deleted; a
-- current medication is stopped with its date; a dose order keeps the prescriber's reason for a weight that is not
-- the patient's latest recorded one. Same schema as
-- sqlite/migrations/0013_entered_in_error_and_medication_stops.sql.

ALTER TABLE assessments ADD COLUMN entered_in_error_reason TEXT, ADD COLUMN entered_in_error_at BIGINT,
    ADD COLUMN entered_in_error_by TEXT,
    ADD CONSTRAINT assessments_entered_in_error_whole
        CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
               AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
ALTER TABLE administrations ADD COLUMN entered_in_error_reason TEXT, ADD COLUMN entered_in_error_at BIGINT,
    ADD COLUMN entered_in_error_by TEXT,
    ADD CONSTRAINT administrations_entered_in_error_whole
        CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
               AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
ALTER TABLE antidepressant_trials ADD COLUMN entered_in_error_reason TEXT, ADD COLUMN entered_in_error_at BIGINT,
    ADD COLUMN entered_in_error_by TEXT,
    ADD CONSTRAINT antidepressant_trials_entered_in_error_whole
        CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
               AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
ALTER TABLE history_entries ADD COLUMN entered_in_error_reason TEXT, ADD COLUMN entered_in_error_at BIGINT,
    ADD COLUMN entered_in_error_by TEXT,
    ADD CONSTRAINT history_entries_entered_in_error_whole
        CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
               AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
-- The stop of a medication: the date it was stopped ('YYYY-MM-DD'), an optional reason ('' when none), and who
-- recorded the stop when; all NULL (the reason '') while it is current. Only a medication is stopped.
ALTER TABLE history_entries ADD COLUMN stopped_on TEXT, ADD COLUMN stop_reason TEXT NOT NULL DEFAULT '',
    ADD COLUMN stop_recorded_at BIGINT, ADD COLUMN stop_recorded_by TEXT,
    ADD CONSTRAINT history_entries_stop_whole
        CHECK ((stopped_on IS NULL) = (stop_recorded_at IS NULL)
               AND (stop_recorded_at IS NULL) = (stop_recorded_by IS NULL)
               AND (stopped_on IS NULL OR kind = 'medication')
               AND (stopped_on IS NOT NULL OR stop_reason = ''));
-- The prescriber's reason to sign an order on a weight other than the latest recorded one; '' when none was needed.
ALTER TABLE dose_orders ADD COLUMN weight_reason TEXT NOT NULL DEFAULT '';

-- Each row is frozen but for its mark, set once from NULL; a marked row is final. A history entry's stop is set
-- once too. No row is deleted.
CREATE FUNCTION entered_in_error_mark_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mark CONSTANT text[] := ARRAY['entered_in_error_reason', 'entered_in_error_at', 'entered_in_error_by'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% rows are never deleted; they are marked entered in error', TG_TABLE_NAME;
    END IF;
    IF OLD.entered_in_error_at IS NOT NULL OR NEW.entered_in_error_at IS NULL
       OR (to_jsonb(NEW) - mark) IS DISTINCT FROM (to_jsonb(OLD) - mark) THEN
        RAISE EXCEPTION '% rows are never edited; one is marked entered in error once', TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER assessments_mark_only BEFORE UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION entered_in_error_mark_only();
DROP TRIGGER administrations_no_update ON administrations;
DROP FUNCTION administrations_locked();
CREATE TRIGGER administrations_mark_only BEFORE UPDATE OR DELETE ON administrations
    FOR EACH ROW EXECUTE FUNCTION entered_in_error_mark_only();
CREATE TRIGGER antidepressant_trials_mark_only BEFORE UPDATE OR DELETE ON antidepressant_trials
    FOR EACH ROW EXECUTE FUNCTION entered_in_error_mark_only();

CREATE FUNCTION history_entries_mark_or_stop_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mark CONSTANT text[] := ARRAY['entered_in_error_reason', 'entered_in_error_at', 'entered_in_error_by'];
    stop CONSTANT text[] := ARRAY['stopped_on', 'stop_reason', 'stop_recorded_at', 'stop_recorded_by'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a history entry is never deleted; it is marked entered in error';
    END IF;
    IF OLD.entered_in_error_at IS NOT NULL
       OR (to_jsonb(NEW) - mark - stop) IS DISTINCT FROM (to_jsonb(OLD) - mark - stop)
       OR (OLD.stopped_on IS NOT NULL AND (to_jsonb(NEW) - mark) IS DISTINCT FROM (to_jsonb(OLD) - mark)) THEN
        RAISE EXCEPTION 'a history entry is never edited; it is stopped once or marked entered in error once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER history_entries_mark_or_stop_only BEFORE UPDATE OR DELETE ON history_entries
    FOR EACH ROW EXECUTE FUNCTION history_entries_mark_or_stop_only();
