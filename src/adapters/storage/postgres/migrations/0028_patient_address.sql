-- The patient's postal address (issue 14 §2): the dispensing log names the person a controlled substance was
-- dispensed to by name and address (21 CFR 1304.22(c)). Empty where the clinic has not recorded one. Same schema as
-- sqlite/migrations.
ALTER TABLE patients ADD COLUMN address TEXT NOT NULL DEFAULT '';
