#pragma once

// The clinic record as the use cases see it: plain values, no storage or JSON types. Every clinical record keeps
// who wrote it and when (shared/design.md §2). Times are milliseconds since the Unix epoch, UTC.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/scales.hpp"
#include "clinical/schedule.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::app {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// Strong ids: a PatientId cannot be passed where a VitalSignId is expected.
template <typename Tag>
struct Id {
    std::int64_t value = 0;
    friend bool operator==(Id, Id) = default;
    friend auto operator<=>(Id, Id) = default;
};
using PatientId = Id<struct PatientTag>;
using VitalSignId = Id<struct VitalSignTag>;
using AssessmentId = Id<struct AssessmentTag>;
using AuditEntryId = Id<struct AuditEntryTag>;
using HistoryEntryId = Id<struct HistoryEntryTag>;
using TrialId = Id<struct TrialTag>;
using ScreeningId = Id<struct ScreeningTag>;
using CourseId = Id<struct CourseTag>;
using SessionId = Id<struct SessionTag>;
using DoseOrderId = Id<struct DoseOrderTag>;
using AdministrationId = Id<struct AdministrationTag>;
using UserId = Id<struct UserTag>;
using BrowserSessionId = Id<struct BrowserSessionTag>;
using ApiTokenId = Id<struct ApiTokenTag>;

// Who is acting and from where; every use case takes one and writes it to the audit log.
struct Actor {
    std::string user;    // a user's email, or "system:<component>" for the CLI and device feeds
    std::string origin;  // "cli", an IP address, "mllp:<device>"
};

struct NewPatient {
    std::string mrn;  // medical record number, unique per clinic
    std::string given_name;
    std::string family_name;
    std::chrono::sys_days birth_date;
    clinical::Sex sex = clinical::Sex::kUnknown;
};

struct Patient {
    PatientId id;
    std::string mrn;
    std::string given_name;
    std::string family_name;
    std::chrono::sys_days birth_date;
    clinical::Sex sex = clinical::Sex::kUnknown;
    std::int64_t version = 1;  // bumped by every update; the HTTP layer's ETag
    TimePoint created_at;
    std::string created_by;
};

struct WeightMeasurement {
    PatientId patient;
    TimePoint measured_at;
    double weight_kg = 0;
    std::string recorded_by;
};

enum class VitalSource { kManual, kDevice };

struct NewVitalSign {
    PatientId patient;
    std::string loinc;  // e.g. 8480-6 systolic BP (clinical-reference §7.1)
    double value = 0;
    std::string unit;  // UCUM, e.g. mm[Hg]
    TimePoint observed_at;
    VitalSource source = VitalSource::kManual;
    std::string device_id;  // empty for manual entry
};

struct VitalSign {
    VitalSignId id;
    PatientId patient;
    std::string loinc;
    double value = 0;
    std::string unit;
    TimePoint observed_at;
    VitalSource source = VitalSource::kManual;
    std::string device_id;
    TimePoint recorded_at;
    std::string recorded_by;
};

struct Assessment {
    AssessmentId id;
    PatientId patient;
    clinical::Instrument instrument = clinical::Instrument::kPhq9;
    std::vector<int> answers;
    int total = 0;
    std::string band;
    std::string band_rule;
    std::vector<std::string> flags;
    TimePoint assessed_at;
    TimePoint recorded_at;
    std::string recorded_by;
};

// The single-valued parts of a patient's history. Diagnoses and conditions are canonical ICD-10-CM codes
// ("F33.2"); allergies are substance names; medications are current medications by generic name ("a/b" for
// combinations).
enum class HistoryKind { kDiagnosis, kCondition, kAllergy, kMedication };

struct HistoryEntry {
    HistoryEntryId id;
    PatientId patient;
    HistoryKind kind = HistoryKind::kDiagnosis;
    std::string value;  // the code or the name, as above
    TimePoint noted_at;
    std::string noted_by;
};

// One prior antidepressant trial as recorded: the screening fields plus when it ran, where known.
struct TrialRecord {
    TrialId id;
    PatientId patient;
    clinical::AntidepressantTrial trial;
    std::optional<std::chrono::sys_days> started_on;
    std::optional<std::chrono::sys_days> ended_on;  // absent: ongoing or not recorded
    TimePoint recorded_at;
    std::string recorded_by;
};

// A patient's whole history, each list oldest first.
struct PatientHistory {
    std::vector<HistoryEntry> diagnoses;
    std::vector<HistoryEntry> conditions;
    std::vector<HistoryEntry> allergies;
    std::vector<HistoryEntry> medications;
    std::vector<TrialRecord> antidepressant_trials;
};

// A prescriber's sign-off on a screening: the decision accepted, or overridden with a reason.
enum class SignOff { kAccepted, kOverridden };

struct ScreeningSignature {
    SignOff sign_off = SignOff::kAccepted;
    std::string reason;  // required for kOverridden; may be empty for kAccepted
    TimePoint signed_at;
    std::string signed_by;
};

// One run of the eligibility screening: the exact intake it ran on (the inputs snapshot), its result (decision,
// every finding, the trial count) and, once signed, the signature. A signed screening is never edited.
struct ScreeningRecord {
    ScreeningId id;
    PatientId patient;
    clinical::Intake inputs;
    clinical::Screening result;
    TimePoint screened_at;
    std::string screened_by;
    std::optional<ScreeningSignature> signature;
};

// A treatment course: one protocol for one indication, its sessions planned from the start date by
// clinical::PlanSchedule. Paused courses keep their sessions but none can be checked in; an ended course is final.
enum class CourseStatus { kActive, kPaused, kEnded };

struct TreatmentCourse {
    CourseId id;
    PatientId patient;
    std::string indication;  // free text, e.g. "treatment-resistant depression (F33.2)"
    clinical::Protocol protocol = clinical::Protocol::kIvInduction;
    clinical::Route route = clinical::Route::kIv;
    std::chrono::sys_days start_date;
    CourseStatus status = CourseStatus::kActive;
    std::string status_reason;  // why it was last paused or ended; empty while never changed
    TimePoint started_at;
    std::string started_by;
    TimePoint status_changed_at;
    std::string status_changed_by;
};

// One dosing session of a course, with where it stands in the design.md §3 state machine and the facts recorded
// on the way (consent and escort at check-in, a prescriber's BP-gate override).
struct TreatmentSession {
    SessionId id;
    CourseId course;
    PatientId patient;
    int number = 0;  // 1-based, from the plan
    std::chrono::sys_days planned_date;
    std::string phase;  // clinical::kPhaseInduction, ...
    int week = 0;
    clinical::SessionState state = clinical::SessionState::kScheduled;
    bool consent_confirmed = false;
    bool escort_confirmed = false;
    std::optional<TimePoint> checked_in_at;
    std::optional<clinical::GateOverride> bp_override;
    std::string state_reason;  // the reason given for held, cancelled or aborted; empty otherwise
    TimePoint state_changed_at;
    std::string state_changed_by;
};

// A prescriber's signed dose order for one session: the request as given and the order clinical::ComputeDose
// returned for it (only accepted orders are stored).
struct DoseOrderRecord {
    DoseOrderId id;
    SessionId session;
    PatientId patient;
    clinical::DoseRequest request;
    clinical::DoseOrder order;
    TimePoint signed_at;
    std::string prescriber;
};

// One administration of a drug within a session: an infusion, an injection, a dose by mouth, or one or more
// esketamine nasal devices.
struct Administration {
    AdministrationId id;
    SessionId session;
    PatientId patient;
    std::string drug;  // generic name, e.g. "ketamine", "esketamine"
    clinical::Route route = clinical::Route::kIv;
    double dose_mg = 0;
    std::optional<double> rate_mg_per_h;  // infusions
    std::optional<int> device_count;      // esketamine: 28-mg devices in this administration
    std::string lot_number;
    TimePoint started_at;
    std::optional<TimePoint> stopped_at;  // absent: still running
    TimePoint recorded_at;
    std::string recorded_by;
};

struct AuditEntry {
    AuditEntryId id;
    TimePoint at;
    std::string actor;
    std::string origin;
    std::string action;       // "patient.create", "patient.read", "vital.create", ...
    std::string record_type;  // "patient", "vital_sign", ...
    std::int64_t record_id = 0;
    std::int64_t patient_id = 0;  // 0 when the entry concerns no patient
};

// The people who use kclinic and what each may do (app/authorization.hpp holds the matrix; shared/design.md §2).
enum class Role { kAdmin, kPrescriber, kNurse, kTherapist, kFrontDesk, kPatient };

struct User {
    UserId id;
    std::string email;  // lower case; unique
    std::string display_name;
    Role role = Role::kFrontDesk;
    std::string password_hash;  // the Credentials port's encoded hash; never shown, logged or exported
    bool disabled = false;
    std::optional<PatientId> patient;  // the patient's own record: set for role patient, never for another role
    int failed_logins = 0;             // login attempts on this email since the last success (LoginThrottle)
    std::optional<TimePoint> locked_until;
    TimePoint created_at;
    std::string created_by;
    TimePoint updated_at;
    std::string updated_by;
};

// Login attempts on one email address since its last successful login, and the time before which the next is
// refused. Kept for every address tried, known or not, so an unknown address is throttled exactly like a real one.
struct LoginThrottle {
    int failed_logins = 0;
    std::optional<TimePoint> locked_until;
};

// A browser session: the cookie's token is stored only as its digest. Valid while not ended, before expires_at,
// and within the idle timeout of last_seen_at (app/access_rules.hpp).
struct BrowserSession {
    BrowserSessionId id;
    std::string token_digest;
    UserId user;
    std::string csrf_token;  // sent by the browser in a header on every state-changing request
    TimePoint created_at;
    TimePoint last_seen_at;
    TimePoint expires_at;  // absolute: created_at + the session lifetime
    std::optional<TimePoint> ended_at;
};

// A bearer token for a machine, created by an admin for a user and shown once; stored only as its digest.
struct ApiToken {
    ApiTokenId id;
    UserId user;
    std::string name;  // unique among the user's tokens that are not revoked
    std::string token_digest;
    TimePoint created_at;
    std::string created_by;
    std::optional<TimePoint> revoked_at;
};

}  // namespace kclinic::app
