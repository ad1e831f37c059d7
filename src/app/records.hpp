#pragma once

// The clinic record as the use cases see it: plain values, no storage or JSON types. Every clinical record keeps
// who wrote it and when (shared/design.md §2). Times are milliseconds since the Unix epoch, UTC.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/administration.hpp"
#include "clinical/adverse_events.hpp"
#include "clinical/alerts.hpp"
#include "clinical/controlled_substances.hpp"
#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/rems.hpp"
#include "clinical/scales.hpp"
#include "clinical/schedule.hpp"
#include "clinical/scheduling.hpp"
#include "clinical/session_state.hpp"
#include "clinical/standing_orders.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::app {

using clinical::TimePoint;

// Strong ids: a PatientId cannot be passed where a VitalSignId is expected.
template <typename Tag>
struct Id {
    std::int64_t value = 0;
    friend bool operator==(Id, Id) = default;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the literal 0 of the rewritten `a < b` here.
    friend auto operator<=>(Id, Id) = default;
};
using PatientId = Id<struct PatientTag>;
using VitalSignId = Id<struct VitalSignTag>;
using WeightId = Id<struct WeightTag>;
using AssessmentId = Id<struct AssessmentTag>;
using AuditEntryId = Id<struct AuditEntryTag>;
using HistoryEntryId = Id<struct HistoryEntryTag>;
using TrialId = Id<struct TrialTag>;
using ScreeningId = Id<struct ScreeningTag>;
using CourseId = Id<struct CourseTag>;
using SessionId = Id<struct SessionTag>;
using DoseOrderId = Id<struct DoseOrderTag>;
using AdministrationId = Id<struct AdministrationTag>;
using SessionMedicationId = Id<struct SessionMedicationTag>;
using StandingOrderSetId = Id<struct StandingOrderSetTag>;
using OneOffOrderId = Id<struct OneOffOrderTag>;
using AlertId = Id<struct AlertTag>;
using AdverseEventId = Id<struct AdverseEventTag>;
using NoteId = Id<struct NoteTag>;
using AddendumId = Id<struct AddendumTag>;
using SessionTransitionId = Id<struct SessionTransitionTag>;
using RemsFormId = Id<struct RemsFormTag>;
using UserId = Id<struct UserTag>;
using BrowserSessionId = Id<struct BrowserSessionTag>;
using ApiTokenId = Id<struct ApiTokenTag>;
using RoomId = Id<struct RoomTag>;
using AppointmentId = Id<struct AppointmentTag>;
using OutboxMessageId = Id<struct OutboxMessageTag>;
using MissedInductionId = Id<struct MissedInductionTag>;
using CalendarFeedId = Id<struct CalendarFeedTag>;
using DeviceId = Id<struct DeviceTag>;
using DeviceReadingId = Id<struct DeviceReadingTag>;
using QuestionnaireAssignmentId = Id<struct QuestionnaireAssignmentTag>;
using CsContainerId = Id<struct CsContainerTag>;
using CsEntryId = Id<struct CsEntryTag>;

// Who is acting and from where; every use case takes one and writes it to the audit log.
struct Actor {
    std::string user;    // a user's email, or "system:<component>" for the CLI and device feeds
    std::string origin;  // "cli", an IP address, "mllp:<device>"
};

// A record found to be wrong is never edited or deleted: it is marked "entered in error" with the reason, by whom
// and when, and stays in the record for the audit trail, while every rule, chart, form and total leaves it out (the
// FHIR status `entered-in-error`, hl7.org/fhir/R4/valueset-observation-status.html; CMS PIM 100-08 §3.3.2.5 on
// amendments). A mark is final.
struct EnteredInError {
    std::string reason;
    TimePoint marked_at;
    std::string marked_by;
};

// The records of `records` that are not marked entered in error, in their order: what every rule, total, gate,
// form and screening reads (a listing shows them all, with their marks).
template <typename Record>
std::vector<Record> WithoutEnteredInError(std::vector<Record> records) {
    std::erase_if(records, [](const Record& record) { return record.entered_in_error.has_value(); });
    return records;
}

struct NewPatient {
    std::string mrn;  // medical record number, unique per clinic
    std::string given_name;
    std::string family_name;
    std::chrono::sys_days birth_date;
    clinical::Sex sex = clinical::Sex::kUnknown;
    std::string clinician{};  // the named clinician's email, to whom this patient's alerts go; empty when none
    // The postal address, lines separated by newlines (kMaxPatientAddressLength); empty when not recorded. The
    // dispensing log names it (21 CFR 1304.22(c)).
    std::string address{};
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
    std::string clinician{};  // as NewPatient::clinician
    std::string address{};    // as NewPatient::address
};

struct WeightMeasurement {
    WeightId id;  // ignored by InsertWeight, which returns the new one
    PatientId patient;
    TimePoint measured_at;
    double weight_kg = 0;
    std::string recorded_by;
    TimePoint recorded_at;
    // The clinical time was documented after the fact (clinical::EntryTiming::kLate at recording; CMS PIM 100-08
    // §3.3.2.5). The same flag on VitalSign, Assessment and Administration.
    bool late_entry = false;
    // The recorder confirmed the weight, as one that differs from the latest valid weight by more than the clinic's
    // plausibility limit must be (clinical::CheckWeightChange).
    bool confirmed = false;
    std::optional<EnteredInError> entered_in_error{};  // absent while the weight is valid
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
    // The device message (its MSH-10 message control id) a device reading came in; empty for manual entry.
    std::string device_message_id{};
    // Only for a blood-pressure reading (loinc clinical::kBloodPressurePanelLoinc), whose `value` is the systolic:
    // the diastolic and the optional mean arterial pressure measured with it, in mm[Hg] (one reading, one record).
    std::optional<double> diastolic{};
    std::optional<double> mean_arterial{};
    // The treatment session in progress at observed_at. A caller may name it; the use case decides it from the
    // record and refuses a name that does not match.
    std::optional<SessionId> session{};
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
    std::string device_message_id;  // see NewVitalSign
    TimePoint recorded_at;
    std::string recorded_by;
    bool late_entry = false;                           // see WeightMeasurement
    std::optional<double> diastolic{};                 // see NewVitalSign
    std::optional<double> mean_arterial{};             // see NewVitalSign
    std::optional<SessionId> session{};                // the session in progress at observed_at; absent when none was
    std::optional<EnteredInError> entered_in_error{};  // absent while the reading is valid
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
    bool late_entry = false;                              // see WeightMeasurement
    std::optional<EnteredInError> entered_in_error = {};  // absent: valid
};

// The single-valued parts of a patient's history. Diagnoses and conditions are canonical ICD-10-CM codes
// ("F33.2"); allergies are substance names; medications are current medications by generic name ("a/b" for
// combinations).
enum class HistoryKind { kDiagnosis, kCondition, kAllergy, kMedication };

// The stop of a current medication (HistoryRecords::StopMedication): from `stopped_on` it is no longer current for
// the screening and the REMS form; it stays in the history with its stop. Set once, never changed.
struct MedicationStop {
    std::chrono::sys_days stopped_on;
    std::string reason;  // optional; empty when none was given
    TimePoint recorded_at;
    std::string recorded_by;
};

struct HistoryEntry {
    HistoryEntryId id;
    PatientId patient;
    HistoryKind kind = HistoryKind::kDiagnosis;
    std::string value;  // the code or the name, as above
    TimePoint noted_at;
    std::string noted_by;
    std::optional<EnteredInError> entered_in_error = {};  // absent: valid
    std::optional<MedicationStop> stop = {};              // a medication, once stopped
};

// Whether `entry` is a medication the patient takes on `date`: a medication entry not marked entered in error and
// not stopped on or before that date (from its stop date it is no longer current).
inline bool IsCurrentMedicationOn(const HistoryEntry& entry, std::chrono::sys_days date) {
    return entry.kind == HistoryKind::kMedication && !entry.entered_in_error &&
           (!entry.stop || date < entry.stop->stopped_on);
}

// One prior antidepressant trial as recorded: the screening fields plus when it ran, where known.
struct TrialRecord {
    TrialId id;
    PatientId patient;
    clinical::AntidepressantTrial trial;
    std::optional<std::chrono::sys_days> started_on;
    std::optional<std::chrono::sys_days> ended_on;  // absent: ongoing or not recorded
    TimePoint recorded_at;
    std::string recorded_by;
    std::optional<EnteredInError> entered_in_error = {};  // absent: valid
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

// One run of the eligibility screening: the exact intake it ran on (the inputs snapshot), the thresholds it ran with
// (the settings snapshot), its result (decision, every finding, the trial count) and, once signed, the signature. A
// signed screening is never edited.
struct ScreeningRecord {
    ScreeningId id;
    PatientId patient;
    clinical::Intake inputs;
    clinical::Screening result;
    TimePoint screened_at;
    std::string screened_by;
    std::optional<ScreeningSignature> signature;
    // The clinic settings clinical::Screen read (clinical::ScreeningSettingsOf), as they were when it ran, so the
    // findings can be re-explained after a threshold changes. Empty for a screening stored before migration 0030.
    std::vector<clinical::SettingValue> settings = {};
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
    // The signed screening the course started on (clinical/course_gate.hpp); ScreeningId{} for a course started
    // before courses needed one. Fixed once stored, as is the override reason.
    ScreeningId screening{};
    // The prescriber's reason to treat although that screening needed review; empty when it did not.
    std::string screening_override_reason{};
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

// One step of a session through the state machine, appended in the same transaction as the step itself and never
// changed, so the time each state began (check-in, the first dose, the end of monitoring) and who moved the session
// there stay known after the session moves on.
struct SessionTransition {
    SessionTransitionId id;
    SessionId session;
    std::optional<clinical::SessionState> from_state;  // absent for the row that created the session
    clinical::SessionState to_state = clinical::SessionState::kScheduled;
    TimePoint at;
    std::string by;      // the acting user
    std::string reason;  // the reason a step to held, cancelled or aborted requires; empty for every other step
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
    // The prescriber's reason to sign on a weight other than the patient's latest recorded one
    // (clinical::CheckDoseWeight); empty when the weights agreed.
    std::string weight_reason = {};
};

// The end of an IV infusion, recorded by its own step (DoseRecords::StopInfusion) once and never changed: when it
// actually ended and how much was actually given.
struct InfusionStop {
    TimePoint stopped_at;
    double given_mg = 0;
    std::optional<double> given_ml;  // when the order gives the vial concentration
    // A prescriber's acceptance of an infusion that ran faster than twice the ordered rate
    // (clinical::AssessInfusionStop), with the reason; absent when none was needed.
    std::optional<clinical::GateOverride> fast_infusion_accepted;
    bool late_entry = false;  // stopped_at was documented late (clinical::CheckEntryTime)
    TimePoint recorded_at;
    std::string recorded_by;
    // Why it stopped before the whole dose was given (clinical::AssessInfusionStop); absent when it gave it all.
    std::optional<clinical::InfusionStopReason> early_stop_reason = std::nullopt;
};

// One administration of the session's ordered drug: an infusion, an injection, a dose by mouth, or one or more
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
    // When it ended; absent: still running. An IV infusion's is its stop's stopped_at.
    std::optional<TimePoint> stopped_at;
    TimePoint recorded_at;
    std::string recorded_by;
    bool late_entry = false;           // see WeightMeasurement
    std::optional<InfusionStop> stop;  // an IV infusion, once stopped
    // Absent: valid. A marked administration counts toward no total, limit, first-dose rule or REMS form.
    std::optional<EnteredInError> entered_in_error = {};
};

// Another medication given during a session (an antiemetic, a benzodiazepine, an antihypertensive), under a PRN or
// a standing order: its own record, never part of the dose order's total. Never changed once recorded.
struct SessionMedication {
    SessionMedicationId id;
    SessionId session;
    PatientId patient;
    std::string drug;  // generic name
    double dose = 0;
    clinical::MedicationUnit unit = clinical::MedicationUnit::kMg;
    clinical::MedicationRoute route = clinical::MedicationRoute::kIv;
    TimePoint given_at;
    std::string indication;  // why it was given, e.g. "nausea"
    clinical::MedicationOrderKind order_kind = clinical::MedicationOrderKind::kPrn;
    bool late_entry = false;  // given_at was documented late (clinical::CheckEntryTime)
    TimePoint recorded_at;
    std::string recorded_by;
};

// One entry of a standing-order set: its number in the set (1, 2, ...) and what it allows.
struct StandingOrderEntry {
    int number = 0;
    clinical::PrnOrderTerms terms;
};

// A version of the clinic's standing orders (issue 14 §1), signed by the medical director. It is in force from
// signed_at until the next version is signed: versions supersede each other and are never changed or deleted, so the
// set in force at any earlier time can still be read.
struct StandingOrderSet {
    StandingOrderSetId id;
    int version = 0;  // 1, 2, ...: one more than the version it supersedes
    std::vector<StandingOrderEntry> entries;
    std::string note;  // why this version (optional; empty when none was given)
    TimePoint signed_at;
    std::string signed_by;
};

// A prescriber's order for one session: a PRN drug the standing orders do not cover (or a patient they do not cover).
// The interactions the record showed when it was signed are kept with it, as the prescriber acknowledged them.
struct OneOffOrder {
    OneOffOrderId id;
    SessionId session;
    PatientId patient;
    clinical::PrnOrderTerms terms;
    std::vector<std::string> acknowledged_interactions;  // "prn.allergy: ..." messages; empty when none were shown
    TimePoint signed_at;
    std::string signed_by;
};

// The order a PRN dose was given under: an entry of a standing-order set, or a one-off order.
struct PrnOrderRef {
    std::optional<StandingOrderSetId> standing_order_set;
    int entry_number = 0;  // with standing_order_set
    std::optional<OneOffOrderId> one_off_order;
};

// How the patient responded to a PRN dose, recorded once, after the dose.
struct PrnResponse {
    bool effective = false;
    std::string note;  // optional
    TimePoint recorded_at;
    std::string recorded_by;
};

// A PRN dose: the session medication it was recorded as (order_kind standing_order or prn), the order it was given
// under and the response once recorded. Never part of the ketamine total (SessionMedication).
struct PrnDose {
    SessionMedication medication;
    PrnOrderRef order;
    std::optional<PrnResponse> response;
};

// An alert a rule (clinical/alerts.hpp) raised over a recorded vital sign or assessment, for the patient's named
// clinician. It stays open until a person acknowledges it; then it never changes, and no alert is ever deleted.
struct Alert {
    AlertId id;
    PatientId patient;
    std::string rule;  // clinical::kRule... code, e.g. "systolic_high"
    clinical::AlertSeverity severity = clinical::AlertSeverity::kWarning;
    std::string message;
    std::string source;
    std::string record_type;  // "vital_sign" or "assessment": the record that raised it
    std::int64_t record_id = 0;
    std::optional<SessionId> session{};  // the session in progress when its record was observed; absent if none
    std::string notify;                  // the patient's named clinician when raised; empty when none was named
    TimePoint raised_at;
    std::optional<TimePoint> acknowledged_at;  // absent while open
    std::string acknowledged_by;               // empty while open
    std::string acknowledgement_note;          // optional, even once acknowledged
};

// An adverse event as logged and followed up: its term from the fixed list and its scales are those of
// clinical/adverse_events.hpp (CTCAE grade, WHO-UMC relatedness, 21 CFR 312.32(a) seriousness, ICH E2B outcome).
// Follow-ups change the description and the scales, never the patient, session, term or onset.
struct AdverseEvent {
    AdverseEventId id;
    PatientId patient;
    std::optional<SessionId> session;  // the treatment session it occurred in or after, if any
    std::string term;                  // a code of clinical::AdverseEventTerms()
    std::string detail;                // free text; required for "other_serious"
    int grade = clinical::kMinAdverseEventGrade;
    TimePoint onset_at;
    std::optional<TimePoint> resolved_at;  // absent while not resolved
    clinical::AdverseEventOutcome outcome = clinical::AdverseEventOutcome::kUnknown;
    std::vector<clinical::AdverseEventAction> actions;  // a set, in enum order
    clinical::Relatedness relatedness = clinical::Relatedness::kUnassessable;
    std::vector<clinical::SeriousCriterion> serious_criteria;  // a set, in enum order; empty: not serious
    std::int64_t version = 1;                                  // bumped by every follow-up
    TimePoint recorded_at;
    std::string recorded_by;
    TimePoint updated_at;  // the last follow-up; recorded_at until there is one
    std::string updated_by;
};

// The clinical notes of a course of care (shared/design.md §2): preparation before treatment, the dosing session,
// integration (psychotherapy) after it, and progress.
enum class NoteKind { kPreparation, kDosing, kIntegration, kProgress };

// A later addition to a signed note; append-only.
struct NoteAddendum {
    AddendumId id;
    NoteId note;
    std::string body;
    TimePoint written_at;
    std::string written_by;
};

// A clinical note. Its author edits it as a draft until signing it; a signed note never changes again and later
// changes are addenda (shared/design.md §2).
struct Note {
    NoteId id;
    PatientId patient;
    std::optional<CourseId> course;
    std::optional<SessionId> session;  // required for a dosing note
    NoteKind kind = NoteKind::kProgress;
    std::string body;
    std::string author;
    TimePoint created_at;
    TimePoint updated_at;      // the last edit of the body; created_at until there is one
    std::int64_t version = 1;  // bumped by every edit and by signing
    std::optional<TimePoint> signed_at;
    std::string signed_by;              // empty while unsigned
    std::vector<NoteAddendum> addenda;  // in the order they were written
};

// The Spravato REMS Patient Monitoring Form of one outpatient esketamine session (shared/interop-reference.md §1.2,
// clinical-reference §3.8): who was treated, who monitored where and when, and the clinical fields
// clinical::AssessRemsMonitoring derives from the session's record.
struct RemsMonitoringForm {
    std::string patient_given_name;
    std::string patient_family_name;
    std::chrono::sys_days patient_birth_date;
    clinical::Sex patient_sex = clinical::Sex::kUnknown;
    bool first_treatment = false;           // no earlier esketamine session of this patient in this record was dosed
    std::string monitoring_provider;        // the user who ended monitoring (see RemsForms)
    std::string healthcare_setting;         // the clinic's REMS-certified setting, as configured
    std::chrono::sys_days administered_on;  // the date of the first device in the clinic's zone (clinic.time_zone)
    clinical::RemsMonitoring monitoring;
    // The REMS research question, answered by the clinician at submission: had there been no 2-hour minimum, how
    // many minutes after dosing the patient would have been ready to leave. Absent until submitted.
    std::optional<int> ready_to_leave_minutes;
};

enum class RemsFormStatus { kDue, kSubmitted };

// A form as sent to the REMS: the assembled form frozen at that moment, with who sent it and the reference the
// portal or fax confirmation gave.
struct RemsSubmission {
    RemsMonitoringForm form;
    std::string confirmation_reference;  // empty when none was given (it may be added once later)
    TimePoint submitted_at;
    std::string submitted_by;
    // A prescriber's stated reason for submitting a form that lacks a reading the REMS asks for (a BP before the
    // first device, about 40 min after it, or before the end); empty when none was missing.
    std::string missing_readings_reason = {};
};

// The REMS form owed for one session: opened (due) in the transaction that ends the session, submitted once. A
// submitted form is never edited.
struct RemsFormRecord {
    RemsFormId id;
    SessionId session;
    PatientId patient;
    std::chrono::sys_days treatment_date;  // the date of the first device in the clinic's zone (clinic.time_zone)
    std::chrono::sys_days due_date;        // treatment_date + 7 days (REMS: submit within 7 days)
    RemsFormStatus status = RemsFormStatus::kDue;
    TimePoint created_at;
    std::string created_by;
    std::optional<RemsSubmission> submission;  // present once submitted
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
    std::string detail;           // what a search looked for ("name=lovelace, a"); empty for most actions
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
    // The clinic's medical director (issue 14 §2): an active prescriber an admin designated; at most one user at a
    // time. Signs the explanation of a count's discrepancy (ControlledSubstanceLog::Resolve).
    bool medical_director = false;
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
    // Started by a password alone for a user whose role needs a second factor and who has none yet: it may only
    // enrol one (and log out); docs/security.md "Second factor".
    bool enrolment_only = false;
};

// A user's second factor (RFC 6238 TOTP): the shared key, whether enrolment was confirmed with a first code, the last
// time step accepted (each code is accepted once), and how many one-time recovery codes are left unused. One per
// user; an admin's reset removes it with its recovery codes.
struct SecondFactor {
    UserId user;
    std::string totp_secret;  // base32 (RFC 4648); never shown again once enrolment is confirmed
    TimePoint created_at;
    std::optional<TimePoint> confirmed_at;       // nullopt: enrolment begun, not confirmed
    std::optional<std::int64_t> last_used_step;  // app/second_factor.hpp TotpStepAt
    int recovery_codes_left = 0;                 // read only: counted from the stored recovery codes
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

// A clinician's calendar feed: the secret URL their calendar application subscribes to (app/calendar_feeds.hpp).
// Like an API token, its token is shown once and stored only as its digest. A user has at most one live feed; a
// revoked feed is never restored.
struct CalendarFeed {
    CalendarFeedId id;  // ignored by InsertCalendarFeed, which returns the new one
    UserId user;        // whose appointments it shows
    std::string token_digest;
    TimePoint created_at;
    std::string created_by;
    std::optional<TimePoint> revoked_at;
};

// A questionnaire a clinician assigned to a patient to answer in the portal (app/questionnaires.hpp): due first on
// `first_due` (the clinic's date), then every `every_days` days when it repeats (clinical::NextDue). Ended once and
// never changed otherwise: the record of what was asked of the patient stays.
struct QuestionnaireAssignment {
    QuestionnaireAssignmentId id;  // ignored by InsertQuestionnaireAssignment, which returns the new one
    PatientId patient;
    clinical::Instrument instrument = clinical::Instrument::kPhq9;  // one a patient may answer (PatientMayAnswer)
    std::chrono::sys_days first_due;
    std::optional<int> every_days;  // absent: once
    TimePoint assigned_at;
    std::string assigned_by;
    std::optional<TimePoint> ended_at;  // absent: in force
    std::string ended_by;               // empty while in force
};

// A treatment room or chair (clinical::RoomFits decides which appointment types it holds).
struct TreatmentRoom {
    RoomId id;         // ignored by InsertRoom, which returns the new one
    std::string name;  // unique, e.g. "Chair 2"
    clinical::RoomEquipment equipment = clinical::RoomEquipment::kBoth;
    std::vector<std::string> monitor_ids;  // the bedside monitors' identifiers in this room (for the HL7 feed)
    bool active = true;                    // an inactive room keeps its history and takes no new bookings
    std::int64_t version = 1;              // optimistic concurrency, bumped by UpdateRoom
};

// A day the clinic is closed (a holiday), on its local calendar.
struct ClosedDay {
    std::chrono::sys_days date;
    std::string reason;  // e.g. "Thanksgiving"
    std::string created_by;
};

// One appointment. [start, end) is the time it holds its room, staff member and patient: for a treatment, the
// dosing, the monitoring and the turnover (clinical::AppointmentLength).
struct Appointment {
    AppointmentId id;  // ignored by InsertAppointment, which returns the new one
    PatientId patient;
    clinical::AppointmentType type = clinical::AppointmentType::kFollowUp;
    TimePoint start;
    TimePoint end;
    std::optional<RoomId> room;        // required for a treatment
    std::string staff;                 // the responsible clinician's email (the nurse for a treatment)
    std::optional<SessionId> session;  // the treatment session it is for
    clinical::AppointmentStatus status = clinical::AppointmentStatus::kBooked;
    std::string status_reason;            // why cancelled; empty otherwise
    std::string override_reason;          // the prescriber's reason for booking past soft rules; empty when none
    std::vector<std::string> overridden;  // the soft rules' names it was booked past
    TimePoint created_at;
    std::string created_by;
    TimePoint updated_at;
    std::string updated_by;
    std::int64_t version = 1;  // optimistic concurrency, bumped by UpdateAppointment
};

// An induction-phase treatment appointment (session phase clinical::kPhaseInduction or kPhaseAcute) that was missed
// (no-show) or cancelled, flagged on its course for the prescriber: the induction series is given at a set spacing
// (clinical/schedule.hpp), so a gap in it is a clinical matter, not only a scheduling one. Never changed or deleted.
struct MissedInduction {
    MissedInductionId id;  // ignored by InsertMissedInduction, which returns the new one
    CourseId course;
    SessionId session;
    AppointmentId appointment;
    PatientId patient;
    clinical::AppointmentStatus outcome = clinical::AppointmentStatus::kNoShow;  // kNoShow or kCancelled
    std::string reason;  // the cancellation's reason, or what the no-show was marked with
    TimePoint flagged_at;
    std::string flagged_by;
};

// A bedside monitor the HL7 feed has heard from (app/device_feed.hpp). It is bound to a room by its `key` being one of
// the room's monitor_ids; the record keeps what it sent and how its feed fares.
struct Device {
    DeviceId id;
    std::string key;                  // its identity (DeviceKey, docs/clinical-rules.md "Device readings"); unique
    std::string sending_application;  // MSH-3 of its latest message
    std::string sending_facility;     // MSH-4 of its latest message
    std::string equipment_id;         // OBX-18 of its latest message; empty when it sent none
    std::string location;             // PV1-3 (bed or chair) of its latest message, a hint for binding; may be empty
    TimePoint first_seen_at;
    std::optional<TimePoint> last_message_at;  // its latest accepted message; absent before one
    std::string last_message_control_id;       // that message's MSH-10
    std::int64_t message_count = 0;            // accepted messages (a resend is not counted again)
    std::int64_t error_count = 0;              // rejected messages and observations that could not be used
    std::string last_error;                    // the latest of those; empty when none
    std::optional<TimePoint> last_error_at;
};

// What became of one observation of a device message.
enum class DeviceReadingStatus {
    kValid,     // mapped to a vital sign and plausible: charted and alerted on per the rules
    kInvalid,   // mapped, but flagged invalid (OBX-11 X, implausible value or time): kept, never charted or alerted
    kUnmapped,  // a code kclinic does not map to a vital sign: kept raw and reported
};

// One observation of a device message as the device log keeps it, every one, never deleted: its vital sign (for a
// blood pressure, one reading of the panel, as VitalSign), what the device sent, and where it went. Only its
// assignment (patient, session, vital sign, assigned_at/by) is ever set later, once, by AssignDeviceReadings.
struct DeviceReading {
    DeviceReadingId id;
    DeviceId device;
    std::string message_control_id;  // MSH-10 of the message it came in
    TimePoint received_at;
    DeviceReadingStatus status = DeviceReadingStatus::kValid;
    std::string status_reason;  // why invalid or unmapped; empty when valid
    std::string loinc;          // empty when unmapped
    double value = 0;           // as VitalSign::value (a blood pressure's systolic); 0 when unmapped
    std::optional<double> diastolic{};
    std::optional<double> mean_arterial{};
    std::string unit;  // UCUM; empty when unmapped
    TimePoint observed_at;
    // What the device sent in OBX-3 (code, coding system, text), OBX-5 and OBX-6, before any mapping; for a blood
    // pressure paired from its component observations, their codes joined with "+".
    std::string raw_code;
    std::string raw_system;
    std::string raw_text;
    std::string raw_value;
    std::string raw_unit;
    std::optional<RoomId> room{};             // the room the device was bound to when it came
    std::optional<PatientId> patient{};       // absent while unassigned
    std::optional<SessionId> session{};       // the session it was recorded in; absent when none
    std::optional<VitalSignId> vital_sign{};  // the chart's vital sign it became; absent when not charted
    std::string alert_episode;       // the breach episode key of the rule it breached (AlertEpisodeKey); or empty
    std::optional<AlertId> alert{};  // the alert it raised, when it opened an episode
    std::optional<TimePoint> assigned_at{};  // set when staff assigned it (it came unassigned)
    std::string assigned_by;
};

enum class OutboxStatus { kPending, kSent, kFailed, kCancelled };
inline constexpr auto kOutboxStatusNames = MakeEnumNames<OutboxStatus>({{OutboxStatus::kPending, "pending"},
                                                                        {OutboxStatus::kSent, "sent"},
                                                                        {OutboxStatus::kFailed, "failed"},
                                                                        {OutboxStatus::kCancelled, "cancelled"}});

// A message waiting to be delivered (the transactional outbox): written in the same transaction as what it is
// about, delivered later by a sender loop, at most once per idempotency key.
struct OutboxMessage {
    OutboxMessageId id;           // ignored by InsertOutboxMessage
    std::string idempotency_key;  // unique, e.g. "reminder:<appointment id>:<version>:24h"; also the Message-ID
    std::string recipient;        // an email address
    std::string subject;
    std::string body;                          // plain text
    std::optional<AppointmentId> appointment;  // what it is about, where it is about an appointment
    TimePoint due_at;                          // not sent before
    OutboxStatus status = OutboxStatus::kPending;
    int attempts = 0;
    std::optional<TimePoint> next_attempt_at;  // when pending after a failed attempt
    std::string last_error;                    // the last attempt's error; empty when none
    std::optional<TimePoint> sent_at;
    TimePoint created_at;
};

// One container of a controlled substance (a vial, an esketamine device kit) as received: what it is, which lot,
// until when it may be used, from whom. Never changed; where it is and what is left follow from its entries.
struct CsContainer {
    CsContainerId id;     // ignored by InsertCsContainer, which returns the new one
    std::string product;  // a code of clinical::CsProducts()
    std::string lot_number;
    std::chrono::sys_days expires_on;  // the last day the lot may be used
    std::string supplier;
    std::string invoice;  // the supplier's invoice or packing slip number (21 CFR 1304.22(a)(2)(iv))
    TimePoint received_at;
    std::string received_by;
};

// One entry of the controlled-substance log: a movement of one container (clinical::CsMovement) with who, when and
// why. Append-only: never changed or deleted; a correction is a new entry that refers to the one it reverses.
struct CsEntry {
    CsEntryId id;  // ignored by InsertCsEntry, which returns the new one
    CsContainerId container;
    clinical::CsMovementKind kind = clinical::CsMovementKind::kReceipt;
    std::int64_t units = 0;        // in the container's counting unit; see clinical::CsMovement
    std::int64_t given_units = 0;  // a draw's amount given
    std::optional<CsEntryId> refers_to{};
    std::optional<AdministrationId> administration{};  // a draw: the administration it was drawn for
    std::optional<PatientId> patient{};                // a draw: that administration's patient
    std::string location;                              // receipt, transfer: where the container is from now on
    std::string reference;            // return to supplier: the supplier's return authorisation; else empty
    std::string reason;               // waste, destruction, correction (why); resolution (the explanation); count note
    std::string witness;              // waste, destruction: the witness's email; count: the second counter's
    std::int64_t expected_units = 0;  // count: on hand by the book when counted
    TimePoint recorded_at;
    std::string recorded_by;
};

}  // namespace kclinic::app
