#pragma once

// The demo clinic of `kclinic serve --demo` (docs/cli.md): a synthetic clinic, never real people, seeded only through
// the use cases, so every rule, refusal and audit entry of a real clinic applies to it. Its staff hold one user of each
// role under the reserved demo.kclinic.example domain (RFC 2606 .example); its patients, all named "Demo" with MRNs
// DEMO-0001..., stand at every step of the pathway: a fresh intake, a screening awaiting sign-off, a signed screening,
// a course about to start, an IV induction series under way, esketamine maintenance with its REMS forms, a relapse
// after response, and one esketamine session in monitoring now, in its chair; and five screenings on which the rules
// fire (a benzodiazepine, a stimulant, hypertension, PTSD, a history in brand names), and a patient on an IM series.
// Its safe holds ketamine vials and esketamine kits received two weeks ago and topped up four days ago (one small lot
// now past its expiry), every ketamine and esketamine administration of the last seven days is drawn from it with its
// remainder wasted before the other nurse or returned to stock, and yesterday evening's count by both nurses found one
// vial 0.2 mL short, explained and signed by the prescriber as medical director. The clinic has four chairs with their
// bedside monitors and two nurses, and its week (Monday to Friday of the week `now` falls in) is fully booked through
// the scheduling use cases: thirty-six more patients start IV, esketamine or IM courses on its Monday to Wednesday and
// return at the protocols' spacing, three a day in every chair, with therapy, reviews and intakes around them; what
// lies before `now` happened as booked (checked in, dosed, monitored, discharged, completed; one missed induction
// session, one missed and one cancelled consultation). Every other active course's remaining sessions are booked in the
// first slots that fit, and a consultation, review or therapy session for every patient of the pathway. Events months
// back are recorded by stepping a clock of the demo's own through time up to the real `now`, so every record carries
// the time it would have carried in a clinic.

#include <optional>
#include <string>
#include <vector>

#include "app/ports/credentials.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// The email domain of every demo user: .example is reserved for documentation (RFC 2606 §3), so no real mailbox.
inline constexpr std::string_view kDemoEmailDomain = "demo.kclinic.example";

// One demo login. `password` is empty when the user existed before seeding (its password is whatever it was).
struct DemoLogin {
    Role role = Role::kAdmin;
    std::string email;
    std::string password;
    bool added = false;  // false: a user with this email was there already and was kept as it was
};

// What seeding did.
struct DemoClinicSummary {
    // False when the database already held a patient: then nothing was added (only the audited look at the patient
    // list was written) and every count below is 0.
    bool seeded = false;
    int patients = 0;
    int courses = 0;
    int sessions_discharged = 0;
    int vital_signs = 0;
    int assessments = 0;
    int alerts = 0;
    int adverse_events = 0;
    int notes = 0;
    int rems_forms_submitted = 0;
    int rems_forms_due = 0;
    int rooms = 0;         // treatment chairs
    int appointments = 0;  // every appointment booked (the week, the courses' remaining sessions, visits)
    // The controlled-substance safe (issue 14 §2): containers received, draws for the last week's administrations,
    // their remainders wasted before a witness or returned to stock, counts of the safe and the discrepancies found
    // (each explained and signed by the medical director).
    int safe_containers = 0;
    int safe_draws = 0;
    int safe_wastes = 0;
    int safe_returns = 0;
    int safe_counts = 0;
    int safe_discrepancies = 0;
    std::vector<DemoLogin> logins;  // one per role, in Role order (the second nurse is not among them)
    // The esketamine session in state monitoring at `now`, and its patient, whose named clinician is the demo
    // prescriber. Present when seeded.
    std::optional<SessionId> monitoring_session;
    std::optional<PatientId> monitoring_patient;
    // The bedside monitor of that session's chair (its room's monitor id), which the demo's simulated monitor sends
    // as; empty when no session is in monitoring.
    std::string monitoring_device;
};

class DemoClinic {
public:
    // `store`, `credentials` and `zones` must outlive this object.
    DemoClinic(Store& store, const Credentials& credentials, const TimeZones& zones)
        : store_(store), credentials_(credentials), zones_(zones) {}

    // Seeds the demo clinic when the database holds no patient yet, its last event at `now`; users already there
    // are kept (only the missing demo emails are added). Deterministic apart from `now`: the same records, at the
    // same times before `now`, on every run. Errors: the first use case's refusal or the store's error, with the
    // step that failed in its message; what was seeded before it stays (each step is its own transaction).
    Result<DemoClinicSummary> Seed(TimePoint now);

private:
    Store& store_;
    const Credentials& credentials_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
