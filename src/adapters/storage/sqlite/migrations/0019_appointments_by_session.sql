-- A treatment session's appointments, whatever their status: the API's listing by session_id (GET
-- /api/v1/appointments?session_id=) and any lookup of a session's appointment history. The partial unique index
-- appointments_one_per_session (0017) covers only those that hold time (booked, checked in); without this one a
-- lookup over every status reads the whole start_at range. Consultations carry no session, so they stay out.
CREATE INDEX appointments_by_session ON appointments (session_id) WHERE session_id IS NOT NULL;
