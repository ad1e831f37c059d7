-- The clinic record, second slice: patient history (diagnoses, conditions, allergies, current medications,
-- antidepressant trials) and eligibility screenings with their findings and signature. Same schema as
-- sqlite/migrations/0002_history_and_screenings.sql in PostgreSQL's dialect. Booleans are integers 0/1, as in
-- SQLite, so the shared queries read and write them alike.

-- Diagnoses and conditions hold canonical ICD-10-CM codes, allergies substance names, medications generic names.
CREATE TABLE history_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    kind TEXT NOT NULL CHECK (kind IN ('diagnosis', 'condition', 'allergy', 'medication')),
    value TEXT NOT NULL CHECK (value <> ''),
    noted_at BIGINT NOT NULL,
    noted_by TEXT NOT NULL
);
CREATE INDEX history_entries_by_patient ON history_entries (patient_id, noted_at);

CREATE TABLE antidepressant_trials (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    drug TEXT NOT NULL,
    weeks BIGINT NOT NULL,
    adequate_dose BIGINT NOT NULL CHECK (adequate_dose IN (0, 1)),
    improvement_percent DOUBLE PRECISION NOT NULL,
    current_episode BIGINT NOT NULL CHECK (current_episode IN (0, 1)),
    started_on TEXT,
    ended_on TEXT,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX antidepressant_trials_by_patient ON antidepressant_trials (patient_id, id);

-- inputs: the clinical::Intake the screening ran on, as the JSON object adapters/json's IntakeToJson writes
-- (keys sorted, absent optionals omitted), which IntakeFromJson reads back; TEXT, not jsonb, so the stored bytes
-- are exactly those written. counted_trial_drugs: a JSON array.
CREATE TABLE screenings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    inputs TEXT NOT NULL,
    decision TEXT NOT NULL
        CHECK (decision IN ('eligible', 'eligible_with_cautions', 'needs_review', 'not_eligible')),
    adequate_failed_trials BIGINT NOT NULL,
    counted_trial_drugs TEXT NOT NULL,
    treatment_resistant BIGINT NOT NULL CHECK (treatment_resistant IN (0, 1)),
    indication_established BIGINT NOT NULL CHECK (indication_established IN (0, 1)),
    screened_at BIGINT NOT NULL,
    screened_by TEXT NOT NULL,
    sign_off TEXT CHECK (sign_off IN ('accepted', 'overridden')),
    sign_reason TEXT NOT NULL DEFAULT '',
    signed_at BIGINT,
    signed_by TEXT,
    CHECK ((sign_off IS NULL) = (signed_at IS NULL) AND (signed_at IS NULL) = (signed_by IS NULL)),
    CHECK (sign_off IS NULL OR sign_off <> 'overridden' OR sign_reason <> '')
);
CREATE INDEX screenings_by_patient ON screenings (patient_id, id);

CREATE TABLE screening_findings (
    screening_id BIGINT NOT NULL REFERENCES screenings (id),
    position BIGINT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('contraindication', 'review', 'caution', 'interaction', 'info')),
    message TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (screening_id, position)
);

-- A signed screening is never edited or deleted, and findings never change: enforced by the database itself.
CREATE FUNCTION screenings_signed_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a signed screening is never edited';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER screenings_signed_no_update_or_delete BEFORE UPDATE OR DELETE ON screenings
    FOR EACH ROW EXECUTE FUNCTION screenings_signed_locked();
CREATE FUNCTION screening_findings_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'screening findings are never edited';
END;
$$;
CREATE TRIGGER screening_findings_no_update BEFORE UPDATE ON screening_findings
    FOR EACH ROW EXECUTE FUNCTION screening_findings_locked();
