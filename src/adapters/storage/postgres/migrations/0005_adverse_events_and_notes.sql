-- The clinic record: adverse events (clinical/adverse_events.hpp) and clinical notes with their addenda. Same
-- schema as sqlite/migrations/0005_adverse_events_and_notes.sql in PostgreSQL's dialect. Booleans are integers 0/1,
-- as in SQLite, so the shared queries read them alike; times are epoch milliseconds. The CHECK constraints mirror the
-- enums' stable names and the rules of clinical::CheckAdverseEvent that need no clock.

-- One row per event, followed up in place (version bumped by each follow-up). Actions and serious criteria are
-- sets: one 0/1 column each, named after their stable names (action_*, serious_* in enum order).
CREATE TABLE adverse_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    session_id BIGINT REFERENCES treatment_sessions (id),
    term TEXT NOT NULL CHECK (term IN (
        'sedation', 'dissociation', 'respiratory_depression', 'abuse_misuse', 'bp_above_limit', 'tachycardia',
        'bradycardia', 'spo2_below_limit', 'supplemental_oxygen_given', 'respiratory_rate_abnormal',
        'anxiety_panic', 'agitation_emergence_reaction', 'hallucinations', 'euphoria', 'confusion',
        'suicidal_ideation_new_or_worse', 'mania_hypomania', 'nausea', 'vomiting', 'dizziness', 'vertigo',
        'headache', 'hypoesthesia_paraesthesia', 'dysgeusia', 'blurred_vision_diplopia', 'nystagmus', 'dysarthria',
        'tremor', 'nasal_discomfort_throat_irritation', 'infusion_site_reaction', 'urinary_symptoms',
        'lft_abnormality', 'cognitive_complaints', 'craving_escalating_use', 'diversion_missing_doses', 'fall',
        'driving_incident', 'pregnancy', 'other_serious')),
    detail TEXT NOT NULL,
    grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),
    onset_at BIGINT NOT NULL,
    resolved_at BIGINT,
    outcome TEXT NOT NULL
        CHECK (outcome IN ('recovered', 'recovering', 'not_recovered', 'recovered_with_sequelae', 'fatal', 'unknown')),
    relatedness TEXT NOT NULL
        CHECK (relatedness IN ('certain', 'probable', 'possible', 'unlikely', 'conditional', 'unassessable')),
    version BIGINT NOT NULL CHECK (version >= 1),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    action_none INTEGER NOT NULL CHECK (action_none IN (0, 1)),
    action_infusion_paused INTEGER NOT NULL CHECK (action_infusion_paused IN (0, 1)),
    action_infusion_stopped INTEGER NOT NULL CHECK (action_infusion_stopped IN (0, 1)),
    action_dose_reduced INTEGER NOT NULL CHECK (action_dose_reduced IN (0, 1)),
    action_prn_drug_given INTEGER NOT NULL CHECK (action_prn_drug_given IN (0, 1)),
    action_extended_observation INTEGER NOT NULL CHECK (action_extended_observation IN (0, 1)),
    action_supplemental_oxygen INTEGER NOT NULL CHECK (action_supplemental_oxygen IN (0, 1)),
    action_ems_ed_transfer INTEGER NOT NULL CHECK (action_ems_ed_transfer IN (0, 1)),
    action_course_held INTEGER NOT NULL CHECK (action_course_held IN (0, 1)),
    action_course_stopped INTEGER NOT NULL CHECK (action_course_stopped IN (0, 1)),
    serious_death INTEGER NOT NULL CHECK (serious_death IN (0, 1)),
    serious_life_threatening INTEGER NOT NULL CHECK (serious_life_threatening IN (0, 1)),
    serious_hospitalization INTEGER NOT NULL CHECK (serious_hospitalization IN (0, 1)),
    serious_disability INTEGER NOT NULL CHECK (serious_disability IN (0, 1)),
    serious_congenital_anomaly INTEGER NOT NULL CHECK (serious_congenital_anomaly IN (0, 1)),
    serious_important_medical_event INTEGER NOT NULL CHECK (serious_important_medical_event IN (0, 1)),
    CHECK (resolved_at IS NULL OR resolved_at >= onset_at),
    -- ICH E2B(R3) E.i.7: only a recovered event (with or without sequelae) has ended.
    CHECK ((resolved_at IS NOT NULL) = (outcome IN ('recovered', 'recovered_with_sequelae'))),
    -- CTCAE grade 5 is death related to the event: the outcome fatal and the 21 CFR 312.32(a) criterion death.
    CHECK ((grade = 5) = (outcome = 'fatal') AND (grade = 5) = (serious_death = 1)),
    -- At least one action; "none" alone.
    CHECK (action_none + action_infusion_paused + action_infusion_stopped + action_dose_reduced
           + action_prn_drug_given + action_extended_observation + action_supplemental_oxygen
           + action_ems_ed_transfer + action_course_held + action_course_stopped >= 1),
    CHECK (action_none = 0 OR action_infusion_paused + action_infusion_stopped + action_dose_reduced
           + action_prn_drug_given + action_extended_observation + action_supplemental_oxygen
           + action_ems_ed_transfer + action_course_held + action_course_stopped = 0),
    CHECK (term <> 'other_serious' OR (detail <> '' AND
           serious_death + serious_life_threatening + serious_hospitalization + serious_disability
           + serious_congenital_anomaly + serious_important_medical_event >= 1))
);
CREATE INDEX adverse_events_by_patient ON adverse_events (patient_id, onset_at);
CREATE INDEX adverse_events_by_session ON adverse_events (session_id, onset_at);

-- A note is a draft its author edits until signing it; a dosing note names its session.
CREATE TABLE notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    course_id BIGINT REFERENCES treatment_courses (id),
    session_id BIGINT REFERENCES treatment_sessions (id),
    kind TEXT NOT NULL CHECK (kind IN ('preparation', 'dosing', 'integration', 'progress')),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    signed_at BIGINT,
    signed_by TEXT,
    CHECK ((signed_at IS NULL) = (signed_by IS NULL)),
    CHECK (kind <> 'dosing' OR session_id IS NOT NULL)
);
CREATE INDEX notes_by_patient ON notes (patient_id, created_at);

CREATE TABLE note_addenda (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note_id BIGINT NOT NULL REFERENCES notes (id),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    written_at BIGINT NOT NULL,
    written_by TEXT NOT NULL
);
CREATE INDEX note_addenda_by_note ON note_addenda (note_id, written_at);

-- Enforced by the database itself, not only by the code above it: an adverse event keeps what identifies it and is
-- never deleted; a signed note never changes; notes and addenda are never deleted, addenda never edited, and an
-- addendum follows only a signed note.
CREATE FUNCTION adverse_events_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'adverse events are never deleted';
    END IF;
    IF NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.session_id IS DISTINCT FROM OLD.session_id
       OR NEW.term IS DISTINCT FROM OLD.term OR NEW.onset_at IS DISTINCT FROM OLD.onset_at
       OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by THEN
        RAISE EXCEPTION 'an adverse event keeps its patient, session, term, onset and recorder';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER adverse_events_no_identity_change_or_delete BEFORE UPDATE OR DELETE ON adverse_events
    FOR EACH ROW EXECUTE FUNCTION adverse_events_locked();
CREATE TRIGGER adverse_events_no_truncate BEFORE TRUNCATE ON adverse_events
    FOR EACH STATEMENT EXECUTE FUNCTION adverse_events_locked();

CREATE FUNCTION notes_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'notes are never deleted';
    END IF;
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a signed note is never edited; add an addendum';
    END IF;
    IF NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.author IS DISTINCT FROM OLD.author
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'a note keeps its patient, author and creation time';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER notes_signed_no_update_no_delete BEFORE UPDATE OR DELETE ON notes
    FOR EACH ROW EXECUTE FUNCTION notes_locked();
CREATE TRIGGER notes_no_truncate BEFORE TRUNCATE ON notes
    FOR EACH STATEMENT EXECUTE FUNCTION notes_locked();

CREATE FUNCTION note_addenda_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT signed_at FROM notes WHERE id = NEW.note_id) IS NULL THEN
            RAISE EXCEPTION 'an addendum is added only to a signed note';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'note addenda are append-only';
END;
$$;
CREATE TRIGGER note_addenda_signed_note_only_append_only BEFORE INSERT OR UPDATE OR DELETE ON note_addenda
    FOR EACH ROW EXECUTE FUNCTION note_addenda_locked();
CREATE TRIGGER note_addenda_no_truncate BEFORE TRUNCATE ON note_addenda
    FOR EACH STATEMENT EXECUTE FUNCTION note_addenda_locked();
