-- The clinic's medical director (issue 14 §2, app::User::medical_director): a prescriber an admin designates, who
-- signs the explanation of a controlled-substance count's discrepancy. At most one user at a time, guarded by the
-- partial unique index. Same schema as postgres/migrations.
ALTER TABLE users ADD COLUMN medical_director INTEGER NOT NULL DEFAULT 0 CHECK (medical_director IN (0, 1));
CREATE UNIQUE INDEX users_one_medical_director ON users (medical_director) WHERE medical_director = 1;
