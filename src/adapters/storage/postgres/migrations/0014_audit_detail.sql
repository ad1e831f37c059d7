-- What a search looked for (a patient search's MRN or name), kept with its audit entry, so an audit after an incident
-- sees who searched for whom, not only that someone listed patients. Empty for every other action and for every
-- entry written before this migration. The audit log stays append-only (0001's triggers cover the new column).
-- Same schema as sqlite/migrations/0014_audit_detail.sql in PostgreSQL's dialect.
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
