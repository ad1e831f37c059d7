#pragma once

// Use cases of the Spravato REMS Patient Monitoring Form (shared/interop-reference.md §1.2; clinical-reference
// §3.8): after every outpatient esketamine session the setting owes the REMS one form within 7 days. The form is
// opened (due) in the transaction that ends the session, assembled from the session's record while due, frozen when
// submitted, and listed while due. Like SessionSteps, each use case takes the acting user, checks its input,
// does all its work in one Store transaction and audits every read and write of patient data in it; a refusal
// writes nothing.
//
// Where the form's fields come from (clinical::AssessRemsMonitoring derives the clinical ones):
//   - patient: the stored demographics; first treatment: no esketamine administration of this patient in another
//     session started before this session's first device;
//   - end of monitoring and monitoring provider: the session's step to ready_for_discharge, or, for a session
//     stopped before it (aborted or cancelled after a device), the step that stopped it: its time and its user;
//   - vital signs: those of the patient observed from check-in to the end of monitoring; assessments: the
//     patient's; concomitant medications: the current medications noted up to the end of monitoring and the
//     session medications given during the session;
//   - healthcare setting: the clinic's REMS-certified setting, the clinic setting rems.healthcare_setting (its
//     configuration, never the caller's word: issue 15 §7).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// A form as the use cases return it: its record (status, due date, submission facts) and its fields, assembled
// from the session's record while due or the submitted snapshot once submitted.
struct RemsFormView {
    RemsFormRecord record;
    RemsMonitoringForm form;
    // What the person submitting should know, e.g. that monitoring lasted under the REMS 2-hour minimum (the form
    // is still submitted: the REMS wants to know) or that a blood pressure the form asks for was not recorded.
    std::vector<std::string> notes;
};

// A form not yet submitted.
struct DueRemsForm {
    RemsFormRecord record;
    bool overdue = false;  // its due date is before today
};

class RemsForms {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    RemsForms(Store& store, const Clock& clock, const TimeZones& zones) : store_(store), clock_(clock), zones_(zones) {}

    // The session's form, audited as "rems_form.read". `settings` (PRECONDITION: within the settings registry's
    // bounds; its rems.healthcare_setting names the setting, its screening.intake_bp_review_* values judge the last
    // BP) are used while the form is due. Errors: kFailedPrecondition "rems.healthcare_setting" while that setting
    // is empty (not configured); kNotFound "session_id" for no such session or a session without a form (an IV
    // session, or one that has not ended).
    Result<RemsFormView> GetForm(const Actor& actor, SessionId session, const clinical::ClinicSettings& settings);

    // Assembles the form as GetForm does, adds the actor's answer to the REMS research question
    // (`ready_to_leave_minutes`, 0-600) and the portal or fax confirmation reference (may be empty; at most 200
    // characters), and stores it as submitted by the actor now, audited as "rems_form.submit". A form whose
    // monitoring lasted under 120 minutes is submitted all the same, with a note saying so. A form that lacks a
    // reading the REMS asks for (clinical::MissingRemsReadings) is submitted only with `missing_readings_reason`, the
    // reason stated by the actor as prescriber (the caller lets only a prescriber give one: the API's
    // rems.submit_missing_readings permission); it is stored on the form and the submission is audited as
    // "rems_form.submit_missing_readings". Errors: GetForm's; kOutOfRange "ready_to_leave_minutes";
    // kInvalidArgument "confirmation_reference"; kInvalidArgument "missing_readings_reason" when blank, over 2,000
    // characters, or given for a form that lacks no reading; kFailedPrecondition "missing_readings_reason" naming the
    // missing readings when a reading is missing and no reason is given; kFailedPrecondition "session_id" when the
    // form is already submitted (a submitted form is never edited).
    Result<RemsFormView> Submit(const Actor& actor, SessionId session, int ready_to_leave_minutes,
                                std::string_view confirmation_reference, const clinical::ClinicSettings& settings,
                                std::optional<std::string_view> missing_readings_reason = std::nullopt);

    // Adds the REMS portal's or fax's confirmation reference (1-200 characters) to a form submitted without one:
    // once, audited as "rems_form.confirm"; nothing else of the form changes. Errors: kInvalidArgument
    // "confirmation_reference"; kNotFound "session_id" as GetForm; kFailedPrecondition "session_id" when the form
    // is not submitted yet; kFailedPrecondition "confirmation_reference" when it already has one.
    Result<RemsFormView> AddConfirmationReference(const Actor& actor, SessionId session,
                                                  std::string_view confirmation_reference);

    // Every form not yet submitted, the earliest due date first, each marked overdue when its due date is before
    // today in the clinic's zone (clinic.time_zone). One audit entry, "rems_form.list". Errors: LoadClinicZone's.
    Result<std::vector<DueRemsForm>> ListDue(const Actor& actor);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

// SessionSteps calls this in the transaction of every session transition, after storing the new state. When
// `session` is an esketamine-nasal session that has ended with at least one device given (discharged, or aborted or
// cancelled after a device), it opens the session's form, dated the first device's date in the clinic's zone
// (clinic.time_zone, read through `zones`) and due 7 days after it, audited as "rems_form.create" by `actor` at
// `now`; for any other session, including one not yet in a final state, it does nothing. Errors: the store's
// (kConflict when the session already has a form); LoadClinicZone's.
Status OpenRemsFormIfOwed(StoreTransaction& tx, const Actor& actor, const TreatmentSession& session, TimePoint now,
                          const TimeZones& zones);

}  // namespace kclinic::app
