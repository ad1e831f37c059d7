-- Issue 10 §5, wrong entries: an assessment, an administration, a history entry or an antidepressant trial found to
-- be wrong is marked entered in error (reason, when, by whom: all NULL or all set), never edited or deleted; a
-- current medication is stopped with its date; a dose order keeps the prescriber's reason for a weight that is not
-- the patient's latest recorded one. Same schema as
-- postgres/migrations/0013_entered_in_error_and_medication_stops.sql in SQLite's dialect.

ALTER TABLE assessments ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE assessments ADD COLUMN entered_in_error_at INTEGER;
ALTER TABLE assessments ADD COLUMN entered_in_error_by TEXT
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
           AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
ALTER TABLE administrations ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE administrations ADD COLUMN entered_in_error_at INTEGER;
ALTER TABLE administrations ADD COLUMN entered_in_error_by TEXT
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
           AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
ALTER TABLE antidepressant_trials ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE antidepressant_trials ADD COLUMN entered_in_error_at INTEGER;
ALTER TABLE antidepressant_trials ADD COLUMN entered_in_error_by TEXT
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
           AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
ALTER TABLE history_entries ADD COLUMN entered_in_error_reason TEXT;
ALTER TABLE history_entries ADD COLUMN entered_in_error_at INTEGER;
ALTER TABLE history_entries ADD COLUMN entered_in_error_by TEXT
    CHECK ((entered_in_error_reason IS NULL) = (entered_in_error_at IS NULL)
           AND (entered_in_error_at IS NULL) = (entered_in_error_by IS NULL));
-- The stop of a medication: the date it was stopped ('YYYY-MM-DD'), an optional reason ('' when none), and who
-- recorded the stop when; all NULL (the reason '') while it is current. Only a medication is stopped.
ALTER TABLE history_entries ADD COLUMN stopped_on TEXT;
ALTER TABLE history_entries ADD COLUMN stop_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE history_entries ADD COLUMN stop_recorded_at INTEGER;
ALTER TABLE history_entries ADD COLUMN stop_recorded_by TEXT
    CHECK ((stopped_on IS NULL) = (stop_recorded_at IS NULL)
           AND (stop_recorded_at IS NULL) = (stop_recorded_by IS NULL)
           AND (stopped_on IS NULL OR kind = 'medication')
           AND (stopped_on IS NOT NULL OR stop_reason = ''));
-- The prescriber's reason to sign an order on a weight other than the latest recorded one; '' when none was needed.
ALTER TABLE dose_orders ADD COLUMN weight_reason TEXT NOT NULL DEFAULT '';

-- Each row is frozen but for its mark, set once from NULL; a marked row is final. A history entry's stop is set
-- once too. No row is deleted.
CREATE TRIGGER assessments_mark_only BEFORE UPDATE ON assessments
WHEN OLD.entered_in_error_at IS NOT NULL OR NEW.entered_in_error_at IS NULL
     OR NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.instrument IS NOT OLD.instrument
     OR NEW.answers IS NOT OLD.answers OR NEW.total IS NOT OLD.total OR NEW.band IS NOT OLD.band
     OR NEW.band_rule IS NOT OLD.band_rule OR NEW.flags IS NOT OLD.flags OR NEW.assessed_at IS NOT OLD.assessed_at
     OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by
     OR NEW.late_entry IS NOT OLD.late_entry
BEGIN
    SELECT RAISE(ABORT, 'an assessment is never edited; it is marked entered in error once');
END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'an assessment is never deleted; it is marked entered in error');
END;

DROP TRIGGER administrations_no_update;
CREATE TRIGGER administrations_mark_only BEFORE UPDATE ON administrations
WHEN OLD.entered_in_error_at IS NOT NULL OR NEW.entered_in_error_at IS NULL
     OR NEW.id IS NOT OLD.id OR NEW.session_id IS NOT OLD.session_id OR NEW.patient_id IS NOT OLD.patient_id
     OR NEW.drug IS NOT OLD.drug OR NEW.route IS NOT OLD.route OR NEW.dose_mg IS NOT OLD.dose_mg
     OR NEW.rate_mg_per_h IS NOT OLD.rate_mg_per_h OR NEW.device_count IS NOT OLD.device_count
     OR NEW.lot_number IS NOT OLD.lot_number OR NEW.started_at IS NOT OLD.started_at
     OR NEW.stopped_at IS NOT OLD.stopped_at OR NEW.recorded_at IS NOT OLD.recorded_at
     OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.late_entry IS NOT OLD.late_entry
BEGIN
    SELECT RAISE(ABORT, 'an administration record is never edited; it is marked entered in error once');
END;
CREATE TRIGGER administrations_no_delete BEFORE DELETE ON administrations
BEGIN
    SELECT RAISE(ABORT, 'an administration record is never deleted; it is marked entered in error');
END;

CREATE TRIGGER antidepressant_trials_mark_only BEFORE UPDATE ON antidepressant_trials
WHEN OLD.entered_in_error_at IS NOT NULL OR NEW.entered_in_error_at IS NULL
     OR NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.drug IS NOT OLD.drug
     OR NEW.weeks IS NOT OLD.weeks OR NEW.adequate_dose IS NOT OLD.adequate_dose
     OR NEW.improvement_percent IS NOT OLD.improvement_percent OR NEW.current_episode IS NOT OLD.current_episode
     OR NEW.started_on IS NOT OLD.started_on OR NEW.ended_on IS NOT OLD.ended_on
     OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by
BEGIN
    SELECT RAISE(ABORT, 'an antidepressant trial is never edited; it is marked entered in error once');
END;
CREATE TRIGGER antidepressant_trials_no_delete BEFORE DELETE ON antidepressant_trials
BEGIN
    SELECT RAISE(ABORT, 'an antidepressant trial is never deleted; it is marked entered in error');
END;

CREATE TRIGGER history_entries_mark_or_stop_only BEFORE UPDATE ON history_entries
WHEN OLD.entered_in_error_at IS NOT NULL
     OR NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.kind IS NOT OLD.kind
     OR NEW.value IS NOT OLD.value OR NEW.noted_at IS NOT OLD.noted_at OR NEW.noted_by IS NOT OLD.noted_by
     OR (OLD.stopped_on IS NOT NULL
         AND (NEW.stopped_on IS NOT OLD.stopped_on OR NEW.stop_reason IS NOT OLD.stop_reason
              OR NEW.stop_recorded_at IS NOT OLD.stop_recorded_at OR NEW.stop_recorded_by IS NOT OLD.stop_recorded_by))
BEGIN
    SELECT RAISE(ABORT, 'a history entry is never edited; it is stopped once or marked entered in error once');
END;
CREATE TRIGGER history_entries_no_delete BEFORE DELETE ON history_entries
BEGIN
    SELECT RAISE(ABORT, 'a history entry is never deleted; it is marked entered in error');
END;
