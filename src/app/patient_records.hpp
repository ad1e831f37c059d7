#pragma once

// Use cases of the clinic record's first slice: registering, updating and reading patients, weights, vital signs
// and assessments (raising the alerts clinical/alerts.hpp finds in them), and reading the audit log. Each takes the
// acting user, checks its input, does all its work in one Store transaction, and appends an audit entry for every
// read or write of patient data in that same transaction, so an audited action and its audit entry commit or
// vanish together.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/scales.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// Limits on one listing, so no request can ask for the whole database at once.
inline constexpr int kMaxPageSize = 500;

// What a patient search looks for: one of the two.
struct PatientSearch {
    std::optional<std::string> mrn;   // exactly, as registered
    std::optional<std::string> name;  // app/patient_search.hpp
};

// A patient as the quick search lists them: enough to pick the right one and see where their treatment stands.
struct PatientSummary {
    Patient patient;
    int age = 0;                                    // whole years on the clinic's today
    std::optional<TreatmentCourse> current_course;  // the latest course not ended (active or paused), if any
};

// A recorded vital sign or assessment with the alerts it raised (none when every rule stayed quiet), each already
// stored and audited with it, for the caller to push to the clinician.
struct RecordedVitalSign {
    VitalSign vital;
    std::vector<Alert> alerts;
};

struct RecordedAssessment {
    Assessment assessment;
    std::vector<Alert> alerts;
};

// The patient's latest weight (by measured_at, then id) not marked entered in error, the weight every rule reads;
// nullopt when there is none. `weights` is in ListWeights order (oldest first).
[[nodiscard]] std::optional<WeightMeasurement> LatestValidWeight(const std::vector<WeightMeasurement>& weights);

class PatientRecords {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    PatientRecords(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // Errors: kInvalidArgument naming the field (empty or over-long MRN or names, a birth date in the future or
    // more than 120 years ago, a clinician that is not an email address, or not the email of an active user with a
    // clinical role: prescriber, nurse or therapist); kConflict "mrn" when the MRN is taken. The clinician is stored
    // as the user's own address (lower case).
    Result<Patient> RegisterPatient(const Actor& actor, const NewPatient& patient);
    // Replaces the demographics (MRN, names, birth date, sex, clinician) of `changed.id` with those of `changed`
    // when `changed.version` is the stored version, and returns the patient with its new version; the other members
    // of `changed` are ignored. Errors: RegisterPatient's; kConflict "version" when the patient changed since
    // `changed` was read; kNotFound when no such patient.
    Result<Patient> UpdatePatient(const Actor& actor, const Patient& changed);
    // kNotFound when no such patient.
    Result<Patient> GetPatient(const Actor& actor, PatientId id);
    // Patients with id > after, in id order; limit 1..kMaxPageSize. One audit entry for the listing.
    Result<std::vector<Patient>> ListPatients(const Actor& actor, PatientId after, int limit);
    // As ListPatients, only the patients `search` finds: by MRN exactly (the one patient with that MRN, or none),
    // or by name (app/patient_search.hpp). One audit entry, "patient.search", whose detail is what was searched
    // ("mrn=MRN-1", "name=Lovelace, A"): a search names a patient, and the audit log says who looked for whom.
    // Errors: kInvalidArgument "mrn" (blank, over 64 characters, or sent with a name: a search is by one or the
    // other), "name" (ParsePatientNameSearch's, or neither sent); kOutOfRange "limit".
    Result<std::vector<Patient>> SearchPatients(const Actor& actor, const PatientSearch& search, PatientId after,
                                                int limit);
    // The quick search: the patients with id > after, in id order, each of the words of `q` (ParseQuickSearch)
    // starting a word of whose MRN or names, folded alike (PatientSearchText), with their age and current course;
    // limit 1..kMaxPageSize. One audit entry, "patient.search", detail "q=<q>". Errors: kInvalidArgument "q"
    // (ParseQuickSearch's); kOutOfRange "limit"; LoadClinicZone's.
    Result<std::vector<PatientSummary>> QuickSearch(const Actor& actor, std::string_view q, PatientId after, int limit);

    // Every clinical time below (measured_at, observed_at, assessed_at) goes through clinical::CheckEntryTime
    // under settings.records: refused (kInvalidArgument naming the field) more than the clock-skew allowance in the
    // future or older than the late-entry limit; stored with late_entry when documented after the fact.
    //
    // weight_kg must be 30-250 kg (kOutOfRange "weight_kg"). A weight that differs from the latest valid one by
    // more than settings.records allows is refused (kFailedPrecondition "confirmed", clinical::CheckWeightChange)
    // unless `confirmed`, which is stored with it. Returns the weight as stored, with its id.
    Result<WeightMeasurement> RecordWeight(const Actor& actor, PatientId patient, TimePoint measured_at,
                                           double weight_kg, bool confirmed, const clinical::ClinicSettings& settings);
    // The weight history, oldest first, marked ones included (with their mark). kNotFound when no such patient.
    Result<std::vector<WeightMeasurement>> ListWeights(const Actor& actor, PatientId patient);

    // Validates the reading (clinical::ValidateVitalSign: a blood pressure is one reading of systolic, diastolic
    // and optional mean arterial pressure; a lone component is refused naming the missing field); kInvalidArgument
    // "device_id" for a device reading without one; kNotFound when the patient does not exist. Stores it with the
    // patient's treatment session in progress at observed_at (checked in at or before it, not discharged, cancelled
    // or aborted by then), decided from the session's own history; a `vital.session` the caller names must be that
    // session (kInvalidArgument "session_id" otherwise). Raises the alerts clinical::EvaluateVitalSign finds under
    // settings.monitoring, for the patient's clinician, with the same session.
    Result<RecordedVitalSign> RecordVitalSign(const Actor& actor, const NewVitalSign& vital,
                                              const clinical::ClinicSettings& settings);
    // The most recent `limit` (1..kMaxPageSize) vital signs, oldest first, marked ones included (with their mark);
    // only those recorded in `session` when given (kNotFound "session_id" when it is not this patient's session).
    Result<std::vector<VitalSign>> ListVitalSigns(const Actor& actor, PatientId patient,
                                                  std::optional<SessionId> session, int limit);

    // Entered in error (docs/clinical-rules.md): the vital sign (a whole blood-pressure reading) or weight stays in
    // the record with the mark, and every rule, gate, form and total leaves it out from then on. Audited as
    // "vital_sign.entered_in_error" / "weight.entered_in_error" with the record's id. Errors: kInvalidArgument
    // "reason" (blank or too long); kNotFound when the record does not exist or is not `patient`'s;
    // kFailedPrecondition "entered_in_error" when it is already marked. Returns the marked record.
    Result<VitalSign> MarkVitalSignEnteredInError(const Actor& actor, PatientId patient, VitalSignId id,
                                                  std::string_view reason);
    Result<WeightMeasurement> MarkWeightEnteredInError(const Actor& actor, PatientId patient, WeightId id,
                                                       std::string_view reason);

    // Scores `answers` with the clinical core (settings.scales) and stores answers, total, band, band rule and
    // flags. Raises the alerts clinical::EvaluateAssessment finds under settings.monitoring, for the patient's
    // clinician. kNotFound when the patient does not exist.
    Result<RecordedAssessment> RecordAssessment(const Actor& actor, PatientId patient, clinical::Instrument instrument,
                                                std::span<const int> answers, TimePoint assessed_at,
                                                const clinical::ClinicSettings& settings);
    // A patient's own answers to a questionnaire (the portal), recorded as RecordAssessment records them, once
    // clinical::CheckSelfReport allows them: only a patient-reported instrument (the C-SSRS screener only where
    // settings.scales.cssrs_screen_self_report allows it), dated within the clock-skew allowance of now. Errors:
    // kPermissionDenied "instrument", kInvalidArgument "assessed_at" (CheckSelfReport's); RecordAssessment's.
    Result<RecordedAssessment> RecordSelfReport(const Actor& actor, PatientId patient, clinical::Instrument instrument,
                                                std::span<const int> answers, TimePoint assessed_at,
                                                const clinical::ClinicSettings& settings);
    // Every assessment, oldest first, those marked entered in error included (with their marks).
    Result<std::vector<Assessment>> ListAssessments(const Actor& actor, PatientId patient);
    // Marks the patient's assessment entered in error (app/records.hpp EnteredInError) and returns it marked: kept
    // and listed, but no rule, form or score over time reads it again. The alerts it already raised stay. Errors:
    // kInvalidArgument "reason" when blank or over 2000 characters; kNotFound "assessment_id" when the patient has
    // no such assessment (kNotFound for the patient); kFailedPrecondition "entered_in_error" when already marked.
    Result<Assessment> MarkAssessmentEnteredInError(const Actor& actor, PatientId patient, AssessmentId assessment,
                                                    std::string_view reason);

    // The audit log, filtered. Reading it is itself audited. Errors: kOutOfRange "limit"; kInvalidArgument "actor"
    // (blank), "action" (not shaped as one: lower-case words joined by dots, "patient.read"), "to" (not later than
    // `from`).
    Result<std::vector<AuditEntry>> ListAudit(const Actor& actor, const AuditFilter& filter);
    // Checks the audit log's hash chain end to end (AuditTransaction::CheckAuditChain), audited as "audit.verify"
    // with its outcome, which becomes the chain's next entry. A broken chain is no error but a check naming its
    // first broken entry. Errors: the store's.
    Result<AuditChainCheck> CheckAuditChain(const Actor& actor);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;  // the clinic's "today" (clinic.time_zone)
};

}  // namespace kclinic::app
