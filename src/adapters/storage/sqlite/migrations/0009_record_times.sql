-- Issue 10, "time cannot be bent": late entries flagged, a REMS form's missing readings explained, and a submitted
-- form's confirmation reference added once. Same schema as postgres/migrations/0009_record_times.sql in SQLite's
-- dialect.

-- A clinical time documented after the fact (clinical::EntryTiming::kLate when recorded; CMS PIM 100-08
-- §3.3.2.5). Rows recorded before this migration were never judged: 0, as the record cannot say more.
ALTER TABLE weights ADD COLUMN late_entry INTEGER NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
ALTER TABLE vital_signs ADD COLUMN late_entry INTEGER NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
ALTER TABLE assessments ADD COLUMN late_entry INTEGER NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
ALTER TABLE administrations ADD COLUMN late_entry INTEGER NOT NULL DEFAULT 0 CHECK (late_entry IN (0, 1));
-- Weights had no time of recording; the weights before this migration get their measurement time, the only time
-- the record holds for them.
ALTER TABLE weights ADD COLUMN recorded_at INTEGER NOT NULL DEFAULT 0;
UPDATE weights SET recorded_at = measured_at;

-- A prescriber's stated reason for submitting a form that lacks a reading the REMS asks for; '' when none.
ALTER TABLE rems_forms ADD COLUMN missing_readings_reason TEXT NOT NULL DEFAULT '';

-- A submitted form still never changes, except that the confirmation reference the REMS portal gives may be added
-- once, later, to a form submitted without one.
DROP TRIGGER rems_forms_submitted_no_update;
CREATE TRIGGER rems_forms_submitted_no_update BEFORE UPDATE ON rems_forms
WHEN OLD.status <> 'due' AND NOT (OLD.confirmation_reference = '' AND NEW.confirmation_reference <> '' AND
                                  NEW.id = OLD.id AND NEW.session_id = OLD.session_id AND
                                  NEW.patient_id = OLD.patient_id AND NEW.treatment_date = OLD.treatment_date AND
                                  NEW.due_date = OLD.due_date AND NEW.status = OLD.status AND
                                  NEW.created_at = OLD.created_at AND NEW.created_by = OLD.created_by AND
                                  NEW.submitted_at = OLD.submitted_at AND NEW.submitted_by = OLD.submitted_by AND
                                  NEW.missing_readings_reason = OLD.missing_readings_reason AND
                                  NEW.patient_given_name = OLD.patient_given_name AND
                                  NEW.patient_family_name = OLD.patient_family_name AND
                                  NEW.patient_birth_date = OLD.patient_birth_date AND
                                  NEW.patient_sex = OLD.patient_sex AND NEW.first_treatment = OLD.first_treatment AND
                                  NEW.benzodiazepine = OLD.benzodiazepine AND
                                  NEW.sedative_hypnotic = OLD.sedative_hypnotic AND
                                  NEW.psychostimulant = OLD.psychostimulant AND
                                  NEW.mao_inhibitor = OLD.mao_inhibitor AND NEW.opioid = OLD.opioid AND
                                  NEW.monitoring_provider = OLD.monitoring_provider AND
                                  NEW.healthcare_setting = OLD.healthcare_setting AND
                                  NEW.administered_on = OLD.administered_on AND NEW.dose_mg = OLD.dose_mg AND
                                  NEW.lot_numbers = OLD.lot_numbers AND NEW.first_device_at = OLD.first_device_at AND
                                  NEW.monitoring_ended_at = OLD.monitoring_ended_at AND
                                  NEW.monitoring_minutes = OLD.monitoring_minutes AND
                                  NEW.bp_before_systolic IS OLD.bp_before_systolic AND
                                  NEW.bp_before_diastolic IS OLD.bp_before_diastolic AND
                                  NEW.bp_before_at IS OLD.bp_before_at AND
                                  NEW.bp_40_systolic IS OLD.bp_40_systolic AND
                                  NEW.bp_40_diastolic IS OLD.bp_40_diastolic AND NEW.bp_40_at IS OLD.bp_40_at AND
                                  NEW.bp_end_systolic IS OLD.bp_end_systolic AND
                                  NEW.bp_end_diastolic IS OLD.bp_end_diastolic AND NEW.bp_end_at IS OLD.bp_end_at AND
                                  NEW.vitals_acceptable_before = OLD.vitals_acceptable_before AND
                                  NEW.vitals_acceptable_end = OLD.vitals_acceptable_end AND
                                  NEW.sedation = OLD.sedation AND NEW.dissociation = OLD.dissociation AND
                                  NEW.respiratory_depression = OLD.respiratory_depression AND
                                  NEW.lowest_spo2_percent IS OLD.lowest_spo2_percent AND
                                  NEW.ready_to_leave_minutes = OLD.ready_to_leave_minutes)
BEGIN
    SELECT RAISE(ABORT, 'a submitted REMS form is never edited, except to add its confirmation reference once');
END;
