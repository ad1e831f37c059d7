-- The day's sessions across the clinic (GET /api/v1/sessions?date=, the front desk and the clinic board) are read by
-- planned date; 0003 indexes sessions only by patient. Same index in postgres/migrations/0008_sessions_by_date.sql.
CREATE INDEX treatment_sessions_by_date ON treatment_sessions (planned_date, id);
