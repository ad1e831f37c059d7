-- wrk script: authenticated chart reads. Each request reads a patient's latest 20 vital signs through
-- GET /api/v1/patients/{id}/vitals?limit=20 with an API token (authentication, authorization and an audit entry
-- for the read, as every read of patient data has). KCLINIC_TOKEN and KCLINIC_PATIENT come from the environment.
wrk.method = "GET"
wrk.path = "/api/v1/patients/" .. os.getenv("KCLINIC_PATIENT") .. "/vitals?limit=20"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KCLINIC_TOKEN")

function done(summary, latency, requests)
    io.stderr:write(string.format("non-2xx answers: %d\n", summary.errors.status))
end
