-- The thresholds a screening ran with (issue 15 §7): "name=value" lines of the settings clinical::Screen reads (region
-- and screening.*), so a stored screening can be re-explained after the clinic changes a threshold. A screening
-- stored before this migration has none (''). Same schema as sqlite/migrations.
ALTER TABLE screenings ADD COLUMN settings TEXT NOT NULL DEFAULT '';
