-- Stopping an IV infusion is its own session step (issue 15 §7): one stopped before its whole dose was given keeps
-- why (clinical::InfusionStopReason); '' for a stop that gave it all, and for every stop recorded before this
-- migration. Same schema as sqlite/migrations. infusion_stops stays append-only (its triggers, migration 0010).
ALTER TABLE infusion_stops ADD COLUMN early_stop_reason TEXT NOT NULL DEFAULT ''
    CHECK (early_stop_reason IN ('', 'adverse_reaction', 'patient_request', 'iv_access_problem', 'clinician_decision',
                                 'other'));
