-- The quick patient search (GET /api/v1/patients?q=, issue 12 §1): each patient's MRN and names folded for search by
-- app::PatientSearchText (A-Z and the accented Latin letters to their base letters, apostrophes dropped), kept by the
-- store on every insert and update. The fold is C++, not SQL: PostgreSQL has no unaccent without an extension and
-- SQLite folds only A-Z, so this column is what both backends compare, byte for byte. Patients registered before
-- this migration get theirs when the store opens (sql::BackfillPatientSearchText): until then it is NULL.
ALTER TABLE patients ADD COLUMN search_text TEXT;
