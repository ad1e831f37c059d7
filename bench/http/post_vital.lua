-- wrk script: durable vitals writes. Each request records one heart rate through POST /api/v1/patients/{id}/vitals
-- (a committed, audited write that also runs the alert rules). KCLINIC_TOKEN and KCLINIC_PATIENT come from the
-- environment (bench/http_bench sets them).
wrk.method = "POST"
wrk.path = "/api/v1/patients/" .. os.getenv("KCLINIC_PATIENT") .. "/vitals"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KCLINIC_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"loinc":"8867-4","value":72,"unit":"/min"}'

-- wrk counts answers outside 2xx/3xx; the driver refuses a run that has any, so errors cannot pass as speed.
function done(summary, latency, requests)
    io.stderr:write(string.format("non-2xx answers: %d\n", summary.errors.status))
end
