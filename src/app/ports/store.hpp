#pragma once

// The Store port: the clinic record's durable storage. Use cases call Write or Read with a function that does all
// of its reads and writes through one StoreTransaction, so each use case is atomic and its audit entry is written
// in the same transaction as the data it describes. Adapters: adapters/storage/sqlite and .../postgres; both pass
// the one contract suite in adapters/storage/contract.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// Which audit entries to list; unset members do not filter.
struct AuditFilter {
    std::optional<std::string> actor;
    std::optional<std::int64_t> patient_id;
    std::optional<std::string> action;
    std::optional<TimePoint> from;  // inclusive
    std::optional<TimePoint> to;    // exclusive
    std::int64_t after_id = 0;      // keyset pagination: entries with id > after_id
    int limit = 100;
};

// What AuditTransaction::CheckAuditChain found in the tamper-evident audit log (docs/security.md "Audit").
struct AuditChainCheck {
    std::int64_t chained_entries = 0;       // entries checked against the chain
    std::int64_t entries_before_chain = 0;  // written before the chain began (its migration): not covered by it
    std::string head_hash;                  // the last chained entry's SHA-256, hex; empty while none is chained
    // The first entry that does not fit the chain (edited, inserted, or the one after a deleted entry) and why;
    // unset while the chain holds. An entry deleted from the end is named by the id the chain head still names.
    std::optional<std::int64_t> first_broken_id;
    std::string problem;
};

// Which patients a name search finds (app/patient_search.hpp reads a request's text into it). Both texts are already
// folded to lower case in A-Z only (FoldAsciiCase, base/text.hpp); the store folds the stored names the same way and compares
// the rest code point for code point, so both backends find exactly the same patients.
struct PatientNameSearch {
    std::string prefix;                // without `given`: the given or the family name starts with it
    std::optional<std::string> given;  // "family, given": the family name starts with `prefix` and the given name
                                       // with `given`
};

// Which alerts to list; unset members do not filter.
struct AlertFilter {
    std::optional<PatientId> patient;
    std::optional<std::string> notify;  // the clinician the alerts were raised for
    std::optional<SessionId> session;   // the session the alerts' vital signs were recorded in
    bool open_only = false;             // only alerts not yet acknowledged
    std::int64_t after_id = 0;          // keyset pagination: alerts with id > after_id
    int limit = 100;
};

// The operations of one transaction, by aggregate. StoreTransaction below is all of them in one object; a helper
// that touches one aggregate takes only its part (RecordAudit takes an AuditTransaction&). Errors, for every
// operation of every part: kConflict for a unique-key clash (a second patient with the same MRN) or a stale version;
// kNotFound where a record is required; kUnavailable / kInternal when the database fails.

// A patient and what is measured of them: demographics, weights, vital signs and assessments.
class PatientTransaction {
public:
    virtual ~PatientTransaction() = default;

    virtual Result<PatientId> InsertPatient(const NewPatient& patient, TimePoint created_at,
                                            std::string_view created_by) = 0;
    // kNotFound when no such patient.
    virtual Result<Patient> GetPatient(PatientId id) = 0;
    virtual Result<std::optional<Patient>> FindPatientByMrn(std::string_view mrn) = 0;
    // Patients with id > after, in id order, at most `limit`.
    virtual Result<std::vector<Patient>> ListPatients(PatientId after, int limit) = 0;
    // As ListPatients, only the patients whose names match `search`.
    virtual Result<std::vector<Patient>> FindPatientsByName(const PatientNameSearch& search, PatientId after,
                                                            int limit) = 0;
    // As ListPatients, only the patients each of whose `words` starts one word of their search text: the MRN, the
    // given and the family names, folded by app::FoldForSearch (app/patient_search.hpp). `words` are already folded
    // and non-empty. The store keeps the search text with the patient (InsertPatient, UpdatePatient).
    virtual Result<std::vector<Patient>> FindPatientsByWords(std::span<const std::string> words, PatientId after,
                                                             int limit) = 0;
    // The patients of `ids` that exist, in id order: one read for a screen that shows many patients.
    virtual Result<std::vector<Patient>> GetPatients(std::span<const PatientId> ids) = 0;
    // Replaces the demographics of `patient.id` when its stored version equals `patient.version`, and bumps the
    // version. kConflict when the version is stale, kNotFound when the patient does not exist.
    virtual Status UpdatePatient(const Patient& patient) = 0;

    // `weight.id` and `weight.entered_in_error` are ignored (a weight is stored valid); the new id is returned.
    virtual Result<WeightId> InsertWeight(const WeightMeasurement& weight) = 0;
    // kNotFound when no such weight.
    virtual Result<WeightMeasurement> GetWeight(WeightId id) = 0;
    // Oldest first (measured_at, then id), marked ones included.
    virtual Result<std::vector<WeightMeasurement>> ListWeights(PatientId patient) = 0;
    // Marks a valid weight entered in error. kNotFound when no such weight; kFailedPrecondition "entered_in_error"
    // when it is already marked (the stored mark is left as it was).
    virtual Status MarkWeightEnteredInError(WeightId id, const EnteredInError& mark) = 0;

    // Stores `vital` with its session as given (the use case decides it) and no mark.
    virtual Result<VitalSignId> InsertVitalSign(const NewVitalSign& vital, TimePoint recorded_at,
                                                std::string_view recorded_by, bool late_entry) = 0;
    // kNotFound when no such vital sign.
    virtual Result<VitalSign> GetVitalSign(VitalSignId id) = 0;
    // Most recent `limit` observations, oldest first, marked ones included; only those of `session` when given.
    virtual Result<std::vector<VitalSign>> ListVitalSigns(PatientId patient, std::optional<SessionId> session,
                                                          int limit) = 0;
    // Vital signs observed in [from, to], oldest first (observed_at, then id), marked ones included.
    virtual Result<std::vector<VitalSign>> ListVitalSignsBetween(PatientId patient, TimePoint from, TimePoint to) = 0;
    // Every vital sign recorded in one of `sessions`, oldest first (observed_at, then id), marked ones included.
    virtual Result<std::vector<VitalSign>> ListSessionsVitalSigns(std::span<const SessionId> sessions) = 0;
    // Marks a valid vital sign (a whole blood-pressure reading) entered in error. kNotFound when no such vital
    // sign; kFailedPrecondition "entered_in_error" when it is already marked (the stored mark is left as it was).
    virtual Status MarkVitalSignEnteredInError(VitalSignId id, const EnteredInError& mark) = 0;

    // `assessment.id` is ignored; the new id is returned.
    virtual Result<AssessmentId> InsertAssessment(const Assessment& assessment) = 0;
    // Oldest first.
    virtual Result<std::vector<Assessment>> ListAssessments(PatientId patient) = 0;
    // Marks an assessment entered in error; nothing else of it ever changes. kNotFound when no such assessment;
    // kFailedPrecondition "entered_in_error" when it is already marked (the stored mark is left as it was).
    virtual Status MarkAssessmentEnteredInError(AssessmentId id, const EnteredInError& mark) = 0;
};

// The audit log.
class AuditTransaction {
public:
    virtual ~AuditTransaction() = default;

    // `entry.id` is ignored. The audit log is append-only: there is no update or delete. The entry is written when
    // the transaction's work has returned OK, just before it commits, with the next id of the tamper-evident chain
    // and its hash (so ListAudit in the same transaction does not see it yet); a failure to write it fails the
    // transaction.
    virtual Status AppendAudit(const AuditEntry& entry) = 0;
    virtual Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) = 0;
    // Recomputes every chained entry's hash from its content and the entry before it, oldest first, and compares the
    // end of the chain with the chain head. A broken chain is no error but a check with first_broken_id set.
    virtual Result<AuditChainCheck> CheckAuditChain() = 0;
};

// The patient history (diagnoses, conditions, allergies, medications; earlier treatment trials) and eligibility
// screenings.
class HistoryTransaction {
public:
    virtual ~HistoryTransaction() = default;

    // `entry.id` is ignored; the new id is returned.
    virtual Result<HistoryEntryId> InsertHistoryEntry(const HistoryEntry& entry) = 0;
    // Every kind, in the order they were noted (noted_at, then id).
    virtual Result<std::vector<HistoryEntry>> ListHistoryEntries(PatientId patient) = 0;
    // `trial.id` is ignored; the new id is returned.
    virtual Result<TrialId> InsertTrial(const TrialRecord& trial) = 0;
    // In the order they were recorded.
    virtual Result<std::vector<TrialRecord>> ListTrials(PatientId patient) = 0;
    // Mark a history entry or a trial entered in error, as PatientTransaction::MarkAssessmentEnteredInError.
    virtual Status MarkHistoryEntryEnteredInError(HistoryEntryId id, const EnteredInError& mark) = 0;
    virtual Status MarkTrialEnteredInError(TrialId id, const EnteredInError& mark) = 0;
    // Stores the stop of a medication entry. kNotFound when no such entry; kFailedPrecondition "entry_id" when it
    // is already stopped (the stored stop is left as it was).
    virtual Status StopMedication(HistoryEntryId id, const MedicationStop& stop) = 0;

    // Stores the screening, its inputs snapshot and every finding (in order); `screening.id` and
    // `screening.signature` are ignored (a screening is stored unsigned). The new id is returned.
    virtual Result<ScreeningId> InsertScreening(const ScreeningRecord& screening) = 0;
    // kNotFound when no such screening.
    virtual Result<ScreeningRecord> GetScreening(ScreeningId id) = 0;
    // Signs an unsigned screening. kNotFound when no such screening; kFailedPrecondition when it is already signed
    // (the stored signature is left as it was).
    virtual Status SignScreening(ScreeningId id, const ScreeningSignature& signature) = 0;
    // Every screening of the patient, oldest first.
    virtual Result<std::vector<ScreeningRecord>> ListScreenings(PatientId patient) = 0;
};

// Treatment courses, their sessions with each session's transitions, dose orders and administrations.
class TreatmentTransaction {
public:
    virtual ~TreatmentTransaction() = default;

    // Treatment courses, sessions, dose orders and administrations. `id` members of the inserted values are
    // ignored; the new id is returned. Gets return kNotFound when no such record.
    virtual Result<CourseId> InsertCourse(const TreatmentCourse& course) = 0;
    virtual Result<TreatmentCourse> GetCourse(CourseId id) = 0;
    // Every course of the patient, oldest first.
    virtual Result<std::vector<TreatmentCourse>> ListCourses(PatientId patient) = 0;
    // Every course of each of `patients`, in id order (so each patient's oldest first).
    virtual Result<std::vector<TreatmentCourse>> ListPatientsCourses(std::span<const PatientId> patients) = 0;
    // Sets status, status_reason, status_changed_at and status_changed_by of `course.id` when its stored status is
    // `expected`; kConflict when it is not (changed meanwhile), kNotFound when no such course.
    virtual Status UpdateCourseStatus(const TreatmentCourse& course, CourseStatus expected) = 0;
    // Also appends the session's first transition: no from_state, to session.state, at state_changed_at, by
    // state_changed_by.
    virtual Result<SessionId> InsertSession(const TreatmentSession& session) = 0;
    virtual Result<TreatmentSession> GetSession(SessionId id) = 0;
    // In session number order.
    virtual Result<std::vector<TreatmentSession>> ListSessions(CourseId course) = 0;
    // Every session of every course planned for `date`, checked in within [from, to) (the instants of that day in the
    // clinic's zone), or checked in before `to` and not ended yet (not discharged, cancelled or aborted), in any
    // state, in id order: the day's list of the clinic. The last keeps a patient who is still in the chair on the list
    // past midnight, and on every later day's until the session ends.
    virtual Result<std::vector<TreatmentSession>> ListSessionsOn(std::chrono::sys_days date, TimePoint from,
                                                                 TimePoint to) = 0;
    // Stores the state and the facts of `session` (everything but its course, patient and plan) when its stored
    // state is `expected`, and appends the transition from `expected` to session.state at state_changed_at by
    // state_changed_by (with state_reason when the new state is held, cancelled or aborted); kConflict when the
    // stored state is not `expected` (nothing is written), kNotFound when no such session.
    virtual Status UpdateSession(const TreatmentSession& session, clinical::SessionState expected) = 0;
    // Every transition of the session in the order they were appended; empty when no such session. The history is
    // append-only: there is no update or delete.
    virtual Result<std::vector<SessionTransition>> ListSessionTransitions(SessionId session) = 0;
    // The transitions of each of `sessions`, in the order they were appended (id order).
    virtual Result<std::vector<SessionTransition>> ListSessionsTransitions(std::span<const SessionId> sessions) = 0;
    // kConflict when the session already has a dose order.
    virtual Result<DoseOrderId> InsertDoseOrder(const DoseOrderRecord& order) = 0;
    virtual Result<std::optional<DoseOrderRecord>> FindDoseOrder(SessionId session) = 0;
    virtual Result<AdministrationId> InsertAdministration(const Administration& administration) = 0;
    // In the order they started (started_at, then id).
    virtual Result<std::vector<Administration>> ListAdministrations(SessionId session) = 0;
    // The administrations of each of `sessions`, with their stops, in the order they started (started_at, then id).
    virtual Result<std::vector<Administration>> ListSessionsAdministrations(std::span<const SessionId> sessions) = 0;
    // Every administration of the patient, all sessions, in the order they started (started_at, then id).
    virtual Result<std::vector<Administration>> ListPatientAdministrations(PatientId patient) = 0;
    // The administration with its stop, if any; kNotFound when no such administration.
    virtual Result<Administration> GetAdministration(AdministrationId id) = 0;
    // Marks an administration entered in error, as PatientTransaction::MarkAssessmentEnteredInError.
    virtual Status MarkAdministrationEnteredInError(AdministrationId id, const EnteredInError& mark) = 0;
    // Appends the stop of an IV infusion; kConflict when `administration` already has one (a stop is never changed).
    virtual Status InsertInfusionStop(AdministrationId administration, const InfusionStop& stop) = 0;
    // Stores `medication` (its id is ignored) and returns the new id.
    virtual Result<SessionMedicationId> InsertSessionMedication(const SessionMedication& medication) = 0;
    // The medications given in the session, in the order given (given_at, then id).
    virtual Result<std::vector<SessionMedication>> ListSessionMedications(SessionId session) = 0;
};

// The Spravato REMS Patient Monitoring Forms.
class RemsTransaction {
public:
    virtual ~RemsTransaction() = default;

    // REMS Patient Monitoring Forms. Stores `form` as due (its id, status and submission are ignored) and returns
    // the new id; kConflict when the session already has a form.
    virtual Result<RemsFormId> InsertRemsForm(const RemsFormRecord& form) = 0;
    // The session's form, with its submission once submitted; nullopt when the session has none.
    virtual Result<std::optional<RemsFormRecord>> FindRemsForm(SessionId session) = 0;
    // Stores `submission` on a due form and marks it submitted. kNotFound when no such form; kFailedPrecondition
    // when it is already submitted (the stored submission is left as it was).
    virtual Status SubmitRemsForm(RemsFormId id, const RemsSubmission& submission) = 0;
    // Sets the confirmation reference of submitted form `id` whose reference is still empty; nothing else changes.
    virtual Status SetRemsConfirmationReference(RemsFormId id, std::string_view confirmation_reference) = 0;
    // Every form still due, the earliest due date first (then id).
    virtual Result<std::vector<RemsFormRecord>> ListDueRemsForms() = 0;
};

// Clinical alerts.
class AlertTransaction {
public:
    virtual ~AlertTransaction() = default;

    // `alert.id` and its acknowledgement members are ignored: an alert is stored open. The new id is returned.
    virtual Result<AlertId> InsertAlert(const Alert& alert) = 0;
    // kNotFound when no such alert.
    virtual Result<Alert> GetAlert(AlertId id) = 0;
    // Acknowledges an open alert: who, when and an optional note. kNotFound when no such alert;
    // kFailedPrecondition "alert_id" when it is already acknowledged (the stored acknowledgement is left as it was).
    virtual Status AcknowledgeAlert(AlertId id, TimePoint at, std::string_view by, std::string_view note) = 0;
    // In id order (the order they were raised), at most `filter.limit`.
    virtual Result<std::vector<Alert>> ListAlerts(const AlertFilter& filter) = 0;
    // The alerts of each of `patients` not yet acknowledged, in id order: what a board of many patients shows.
    virtual Result<std::vector<Alert>> ListPatientsOpenAlerts(std::span<const PatientId> patients) = 0;
};

// Adverse events.
class AdverseEventTransaction {
public:
    virtual ~AdverseEventTransaction() = default;

    // Adverse events. `event.id` is ignored; the new id is returned. The database refuses (kInternal) an event whose
    // values break its CHECK constraints (the clinical::CheckAdverseEvent rules that need no clock).
    virtual Result<AdverseEventId> InsertAdverseEvent(const AdverseEvent& event) = 0;
    // kNotFound when no such adverse event.
    virtual Result<AdverseEvent> GetAdverseEvent(AdverseEventId id) = 0;
    // Stores the follow-up of `event.id` (detail, grade, resolved_at, outcome, actions, relatedness, serious_criteria,
    // updated_at, updated_by) when its stored version equals `event.version`, and bumps the version. The patient,
    // session, term, onset and recorder are never changed (the database refuses it). kConflict "version" when the
    // version is stale; kNotFound when no such adverse event.
    virtual Status UpdateAdverseEvent(const AdverseEvent& event) = 0;
    // A patient's adverse events, by onset (onset_at, then id).
    virtual Result<std::vector<AdverseEvent>> ListAdverseEvents(PatientId patient) = 0;
    // The adverse events linked to one treatment session, by onset.
    virtual Result<std::vector<AdverseEvent>> ListSessionAdverseEvents(SessionId session) = 0;
};

// Clinical notes and their addenda.
class NoteTransaction {
public:
    virtual ~NoteTransaction() = default;

    // Clinical notes. Stores `note` as an unsigned draft at version 1; its id, signature and addenda are ignored.
    // The new id is returned.
    virtual Result<NoteId> InsertNote(const Note& note) = 0;
    // The note with its addenda in the order they were written. kNotFound when no such note.
    virtual Result<Note> GetNote(NoteId id) = 0;
    // A patient's notes, oldest first (created_at, then id), each with its addenda; only those of `kind` when given.
    virtual Result<std::vector<Note>> ListNotes(PatientId patient, std::optional<NoteKind> kind) = 0;
    // Replaces the body of an unsigned note whose stored version is `expected_version`, sets updated_at and bumps the
    // version. kFailedPrecondition "note_id" when the note is signed; kConflict "version" when the version is stale;
    // kNotFound when no such note.
    virtual Status UpdateNoteBody(NoteId id, std::int64_t expected_version, std::string_view body,
                                  TimePoint updated_at) = 0;
    // Signs an unsigned note whose stored version is `expected_version` and bumps the version; a signed note never
    // changes again (the database refuses it). kFailedPrecondition "note_id" when it is already signed (the stored
    // signature is left as it was); kConflict "version" when stale; kNotFound when no such note.
    virtual Status SignNote(NoteId id, std::int64_t expected_version, TimePoint signed_at,
                            std::string_view signed_by) = 0;
    // Appends an addendum to a signed note; `addendum.id` is ignored and the new id returned. Addenda are never
    // changed or deleted. The database refuses (kInternal) an addendum to an unsigned or missing note.
    virtual Result<AddendumId> InsertNoteAddendum(const NoteAddendum& addendum) = 0;
};

// The clinic's settings.
class SettingsTransaction {
public:
    virtual ~SettingsTransaction() = default;

    // Clinic settings overrides as (name, value) text pairs, in name order; defaults are not stored.
    virtual Result<std::vector<std::pair<std::string, std::string>>> LoadSettings() = 0;
    virtual Status SaveSetting(std::string_view name, std::string_view value, TimePoint changed_at,
                               std::string_view changed_by) = 0;
};

// Which appointments to list: those of the given room / staff member / patient / session that overlap
// [from, to); unset members do not filter.
struct AppointmentFilter {
    TimePoint from;
    TimePoint to;
    std::optional<RoomId> room;
    std::optional<std::string> staff;
    std::optional<PatientId> patient;
    std::optional<SessionId> session;
    bool holding_time_only = false;  // only booked and checked-in ones (clinical::HoldsTime)
};

// The clinic's day plan: treatment rooms, closed days and appointments.
class SchedulingTransaction {
public:
    virtual ~SchedulingTransaction() = default;

    // kConflict "name" when another room has that name.
    virtual Result<RoomId> InsertRoom(const TreatmentRoom& room) = 0;
    // kNotFound when no such room.
    virtual Result<TreatmentRoom> GetRoom(RoomId id) = 0;
    // Every room, active or not, in id order.
    virtual Result<std::vector<TreatmentRoom>> ListRooms() = 0;
    // Replaces name, equipment, monitors and active when the stored version equals `room.version`, and bumps it.
    // kConflict when stale or the name is taken; kNotFound when no such room.
    virtual Status UpdateRoom(const TreatmentRoom& room) = 0;

    // kConflict "date" when that date is already closed.
    virtual Status InsertClosedDay(const ClosedDay& day) = 0;
    // kNotFound when that date is not closed.
    virtual Status DeleteClosedDay(std::chrono::sys_days date) = 0;
    // The closed days in [from, to], in date order.
    virtual Result<std::vector<ClosedDay>> ListClosedDays(std::chrono::sys_days from, std::chrono::sys_days to) = 0;

    virtual Result<AppointmentId> InsertAppointment(const Appointment& appointment) = 0;
    // kNotFound when no such appointment.
    virtual Result<Appointment> GetAppointment(AppointmentId id) = 0;
    // The appointments `filter` selects, by start then id.
    virtual Result<std::vector<Appointment>> ListAppointments(const AppointmentFilter& filter) = 0;
    // The appointments that hold time (booked or checked in) and overlap [from, to), only `patient`'s when set, as
    // the booking rules read them, by start then id. The slot search reads these window by window, so they carry
    // only the columns the rules look at (docs/benchmarks.md).
    virtual Result<std::vector<clinical::Booking>> ListHeldBookings(TimePoint from, TimePoint to,
                                                                    std::optional<PatientId> patient) = 0;
    // Replaces start, end, room, staff, session, status, status_reason, override_reason, overridden, updated_at and
    // updated_by when the stored version equals `appointment.version`, and bumps it. kConflict when stale, kNotFound
    // when no such appointment.
    virtual Status UpdateAppointment(const Appointment& appointment) = 0;

    // Serialises the transactions that change the schedule: waits until every other open transaction that called it
    // has ended, and holds it until this one ends. A booking calls it before it reads the schedule, so two bookings
    // of the same room, staff member or patient at the same minute are checked one after the other.
    virtual Status LockSchedule() = 0;

    // Moves a scheduled session's planned_date to `date` (the local day its appointment is booked on); nothing else of
    // it changes and no transition is appended. kFailedPrecondition "session_id" when it is no longer scheduled;
    // kNotFound when no such session.
    virtual Status MoveSessionDate(SessionId session, std::chrono::sys_days date) = 0;

    // Flags a course's missed induction session. kConflict "appointment" when that appointment is already flagged.
    virtual Result<MissedInductionId> InsertMissedInduction(const MissedInduction& missed) = 0;
    // The course's flags in the order they were raised.
    virtual Result<std::vector<MissedInduction>> ListMissedInductions(CourseId course) = 0;
};

// Which outbox messages to list; unset members do not filter.
struct OutboxFilter {
    std::optional<AppointmentId> appointment;
    std::optional<OutboxStatus> status;
    std::int64_t after_id = 0;
    int limit = 100;
};

// The transactional outbox: messages written with the change they are about, delivered by a sender loop.
class OutboxTransaction {
public:
    virtual ~OutboxTransaction() = default;

    // kConflict "idempotency_key" when a message with that key exists.
    virtual Result<OutboxMessageId> InsertOutboxMessage(const OutboxMessage& message) = 0;
    // Claims the pending messages due at `now` (due_at, and next_attempt_at where set, not after it), oldest due
    // first, at most `limit`: each one's attempt is counted (attempts + 1) and next_attempt_at set to
    // `lease_until`, and they are returned as claimed. A claimed message is not due again before `lease_until`, so
    // no other sender (another server process on the same database) takes it while this one delivers it; if this
    // sender dies, the message is due again when the lease ends, never lost. Two concurrent claims never take the
    // same message: PostgreSQL re-checks the claim's condition on each row it locks, SQLite has one writer.
    virtual Result<std::vector<OutboxMessage>> ClaimDueOutboxMessages(TimePoint now, TimePoint lease_until,
                                                                      int limit) = 0;
    // Records the outcome of the attempt `message` was claimed for (its id and attempts as the claim returned
    // them): status (sent, failed, or pending again with next_attempt_at), last_error, sent_at. kConflict
    // "outbox_message" when the message is no longer pending or was claimed again since (its lease ended), so a
    // late outcome never overwrites a newer one.
    virtual Status UpdateOutboxDelivery(const OutboxMessage& message) = 0;
    // Cancels the pending messages about `appointment` (it was cancelled or moved); none is no error.
    virtual Status CancelOutboxMessages(AppointmentId appointment) = 0;
    virtual Result<std::vector<OutboxMessage>> ListOutboxMessages(const OutboxFilter& filter) = 0;
};

// Who may use the system: users, the login throttle, browser sessions and API tokens.
class AccessTransaction {
public:
    virtual ~AccessTransaction() = default;

    // Users. `user.id`, `failed_logins` and `locked_until` are ignored on insert (the login throttle is kept by
    // email, below). kConflict "email" when the email is taken, "patient_id" when another user has that patient.
    virtual Result<UserId> InsertUser(const User& user) = 0;
    // kNotFound when no such user. Each user read carries its email's login throttle.
    virtual Result<User> GetUser(UserId id) = 0;
    // `email` as stored (lower case).
    virtual Result<std::optional<User>> FindUserByEmail(std::string_view email) = 0;
    // The portal user of `patient` (role patient, at most one per patient); nullopt when the patient has none.
    virtual Result<std::optional<User>> FindPatientUser(PatientId patient) = 0;
    // Users with id > after, in id order, at most `limit`.
    virtual Result<std::vector<User>> ListUsers(UserId after, int limit) = 0;
    // Stores display_name, password_hash, disabled, medical_director, updated_at and updated_by of `user.id` (email,
    // role and patient never change). kNotFound when no such user; kConflict "medical_director" when another user is
    // the medical director already.
    virtual Status UpdateUser(const User& user) = 0;
    // The user designated medical director; nullopt when none is.
    virtual Result<std::optional<User>> FindMedicalDirector() = 0;

    // Login throttling by email address (lower case), whether or not a user has it. No state: zero attempts.
    virtual Result<LoginThrottle> GetLoginThrottle(std::string_view email) = 0;
    // Counts one more login attempt on `email` and returns the count since the last ClearLoginThrottle, this one
    // included; or, while the address is locked at `now` (locked_until > now), writes nothing and returns nullopt.
    // The check and the count are one statement, so concurrent attempts cannot slip past a lock.
    virtual Result<std::optional<int>> CountLoginAttempt(std::string_view email, TimePoint now) = 0;
    // Refuses attempts on `email` before `until` (keeps a later lock already set).
    virtual Status LockLogin(std::string_view email, TimePoint until) = 0;
    // Forgets the attempts and the lock on `email`.
    virtual Status ClearLoginThrottle(std::string_view email) = 0;

    // Browser sessions. `session.id` is ignored; kConflict when the token digest is taken.
    virtual Result<BrowserSessionId> InsertBrowserSession(const BrowserSession& session) = 0;
    virtual Result<std::optional<BrowserSession>> FindBrowserSession(std::string_view token_digest) = 0;
    // Sets last_seen_at of a session not ended. kNotFound when no such session is open.
    virtual Status TouchBrowserSession(BrowserSessionId id, TimePoint at) = 0;
    // Ends an open session at `at`. kNotFound when no such session is open (never existed or already ended).
    virtual Status EndBrowserSession(BrowserSessionId id, TimePoint at) = 0;
    // Ends every open session of `user` at `at`; none open is no error.
    virtual Status EndUserBrowserSessions(UserId user, TimePoint at) = 0;

    // Second factors (one per user) and their recovery codes, stored as digests.
    // The user's second factor, confirmed or not; nullopt when none.
    virtual Result<std::optional<SecondFactor>> FindSecondFactor(UserId user) = 0;
    // Stores `factor` (user, totp_secret, created_at) as the user's unconfirmed second factor, replacing an
    // unconfirmed one. kConflict "second_factor" when the user has a confirmed one.
    virtual Status BeginSecondFactor(const SecondFactor& factor) = 0;
    // Confirms the user's unconfirmed second factor at `at` with `step` as its last used step, and stores the digests
    // of its recovery codes (replacing any). kNotFound "second_factor" when the user has no unconfirmed one.
    virtual Status ConfirmSecondFactor(UserId user, TimePoint at, std::int64_t step,
                                       const std::vector<std::string>& recovery_code_digests) = 0;
    // Records `step` as the last used of the user's confirmed second factor when it comes after the last used one;
    // false, writing nothing, when it does not (the code was used already) or there is no confirmed factor. The check
    // and the write are one statement, so two logins with the same code cannot both succeed.
    virtual Result<bool> UseTotpStep(UserId user, std::int64_t step) = 0;
    // Marks the user's unused recovery code of that digest used at `at`; false, writing nothing, when there is none
    // (used already or never issued). One statement, as UseTotpStep.
    virtual Result<bool> UseRecoveryCode(UserId user, std::string_view code_digest, TimePoint at) = 0;
    // Removes the user's second factor and its recovery codes; none is no error.
    virtual Status DeleteSecondFactor(UserId user) = 0;

    // API tokens. `token.id` and `revoked_at` are ignored; kConflict "name" when the user has a token of that name
    // that is not revoked.
    virtual Result<ApiTokenId> InsertApiToken(const ApiToken& token) = 0;
    // kNotFound when no such token.
    virtual Result<ApiToken> GetApiToken(ApiTokenId id) = 0;
    virtual Result<std::optional<ApiToken>> FindApiToken(std::string_view token_digest) = 0;
    // Every token of `user`, revoked ones included, in id order.
    virtual Result<std::vector<ApiToken>> ListApiTokens(UserId user) = 0;
    // Revokes a token that is not revoked. kNotFound when no such token is live (never existed or revoked).
    virtual Status RevokeApiToken(ApiTokenId id, TimePoint at) = 0;
    // Revokes every live token of `user` at `at`; none is no error.
    virtual Status RevokeUserApiTokens(UserId user, TimePoint at) = 0;
};

// Clinicians' calendar feeds (the secret URLs of their schedules).
class CalendarFeedTransaction {
public:
    virtual ~CalendarFeedTransaction() = default;

    // `feed.id` and `revoked_at` are ignored (a feed is stored live). kConflict "user" when the user has a live feed
    // already; kConflict when the token digest is taken.
    virtual Result<CalendarFeedId> InsertCalendarFeed(const CalendarFeed& feed) = 0;
    // The feed whose token has that digest, live or revoked; nullopt when none.
    virtual Result<std::optional<CalendarFeed>> FindCalendarFeed(std::string_view token_digest) = 0;
    // The user's live feed; nullopt when none.
    virtual Result<std::optional<CalendarFeed>> FindLiveCalendarFeed(UserId user) = 0;
    // Revokes a live feed. kNotFound when no such feed is live (never existed or revoked).
    virtual Status RevokeCalendarFeed(CalendarFeedId id, TimePoint at) = 0;
};

// Which device readings to list (the unassigned ones staff assign); unset members do not filter.
struct DeviceReadingFilter {
    std::optional<DeviceId> device;
    bool unassigned_only = true;  // only readings with no patient (every status: staff see what the device sent)
    std::int64_t after_id = 0;    // keyset pagination: readings with id > after_id
    int limit = 100;
};

// One accepted message of a device, as InsertDeviceMessages records it.
struct DeviceMessageRecord {
    DeviceId device;
    std::string_view control_id;  // MSH-10
    TimePoint received_at;
};

// Bedside monitors and their device log (app/device_feed.hpp). The writes the feed makes for every message take many
// at once (issue 13 §5: a group commit's messages in a few statements, not a few statements each); order is kept.
class DeviceTransaction {
public:
    virtual ~DeviceTransaction() = default;

    // For each of `seen`: the device with its key, created (first seen at its first_seen_at, no message yet) when
    // there is none; either way its sending_application, sending_facility, equipment_id and location become those of
    // `seen`. Their ids, in the order of `seen`. REQUIRES: no key twice in `seen`.
    virtual Result<std::vector<DeviceId>> SaveDevicesSeen(std::span<const Device> seen) = 0;
    // kNotFound "device_id" when no such device.
    virtual Result<Device> GetDevice(DeviceId id) = 0;
    // Every device, in id order.
    virtual Result<std::vector<Device>> ListDevices() = 0;
    // Records that each device of `messages` sent that message (device + MSH-10 is the key that makes a resend
    // harmless) and counts the recorded ones on their devices (message count; last message time and id: of the last
    // one recorded, in the order of `messages`). Whether each was recorded, in that order: false when its device had
    // already sent that one, in an earlier transaction or earlier in `messages`, also when another open transaction
    // is recording it (this one then waits for that one to end); the transaction stays usable either way.
    virtual Result<std::vector<bool>> InsertDeviceMessages(std::span<const DeviceMessageRecord> messages) = 0;
    // Adds `count` (> 0) to the device's error count and makes `error`, at `at`, its last error.
    virtual Status CountDeviceErrors(DeviceId device, int count, std::string_view error, TimePoint at) = 0;

    // Each reading's `id` is ignored; the new ids are returned in the order of `readings`, and ascend in it (the
    // device log's order is the order the readings came).
    virtual Result<std::vector<DeviceReadingId>> InsertDeviceReadings(std::span<const DeviceReading> readings) = 0;
    // kNotFound "reading_id" when no such reading.
    virtual Result<DeviceReading> GetDeviceReading(DeviceReadingId id) = 0;
    // In id order (the order they came), at most `filter.limit`.
    virtual Result<std::vector<DeviceReading>> ListDeviceReadings(const DeviceReadingFilter& filter) = 0;
    // Sets an unassigned reading's patient, session, vital sign, assigned_at and assigned_by. kFailedPrecondition
    // "reading_id" when it is already assigned (then nothing changes); kNotFound when no such reading.
    virtual Status AssignDeviceReading(const DeviceReading& assigned) = 0;
    // The observed_at of the latest device reading of `session` at or before `at` whose breach episode is
    // `episode_key`; nullopt when none.
    virtual Result<std::optional<TimePoint>> LatestDeviceBreach(SessionId session, std::string_view episode_key,
                                                                TimePoint at) = 0;
    // The observed_at of `patient`'s valid device vital sign of `loinc` (source device, not marked entered in error)
    // nearest to `at`, before or after; nullopt when none.
    virtual Result<std::optional<TimePoint>> NearestDeviceVitalSign(PatientId patient, std::string_view loinc,
                                                                    TimePoint at) = 0;
    // Serialises the device readings of `session`: waits until every other open transaction that locked it has
    // ended, and holds it until this one ends, so two messages for one session (two monitors in a room, or a resend
    // racing the original) chart and alert one after the other.
    virtual Status LockSessionDeviceFeed(SessionId session) = 0;
};

// Standing-order sets, one-off orders and the PRN doses given under them (app/standing_orders.hpp). All append-only.
class StandingOrderTransaction {
public:
    virtual ~StandingOrderTransaction() = default;

    // `set.id` is ignored. kConflict "version" when that version exists (another prescriber signed one first).
    virtual Result<StandingOrderSetId> InsertStandingOrderSet(const StandingOrderSet& set) = 0;
    // Every version with its entries, oldest first.
    virtual Result<std::vector<StandingOrderSet>> ListStandingOrderSets() = 0;
    // `order.id` is ignored.
    virtual Result<OneOffOrderId> InsertOneOffOrder(const OneOffOrder& order) = 0;
    // kNotFound "order_id" when no such order.
    virtual Result<OneOffOrder> GetOneOffOrder(OneOffOrderId id) = 0;
    // The one-off orders of `session`, in id order.
    virtual Result<std::vector<OneOffOrder>> ListOneOffOrders(SessionId session) = 0;
    // Links session medication `dose` to the order it was given under.
    virtual Status InsertPrnDose(SessionMedicationId dose, const PrnOrderRef& order) = 0;
    // The PRN dose recorded as session medication `dose`, with its order and response. kNotFound "dose_id" when that
    // is no PRN dose.
    virtual Result<PrnDose> GetPrnDose(SessionMedicationId dose) = 0;
    // The PRN doses of `session` with their orders and responses, in given_at order.
    virtual Result<std::vector<PrnDose>> ListPrnDoses(SessionId session) = 0;
    // kConflict "response" when the dose has one already.
    virtual Status InsertPrnResponse(SessionMedicationId dose, const PrnResponse& response) = 0;
    // Serialises the PRN doses of `session` (as LockSessionDeviceFeed): two nurses giving a dose under one order at
    // once are checked one after the other, so neither passes a limit the other's dose reached.
    virtual Status LockSessionPrnDoses(SessionId session) = 0;
};

// The questionnaires clinicians assign to patients (app/questionnaires.hpp).
class QuestionnaireTransaction {
public:
    virtual ~QuestionnaireTransaction() = default;

    // `assignment.id`, `ended_at` and `ended_by` are ignored (an assignment is stored in force). PRECONDITION: the
    // patient exists (the use case reads it first).
    virtual Result<QuestionnaireAssignmentId> InsertQuestionnaireAssignment(
        const QuestionnaireAssignment& assignment) = 0;
    // Every assignment of `patient`, ended ones included, in id order; none when the patient has none (or does not
    // exist).
    virtual Result<std::vector<QuestionnaireAssignment>> ListQuestionnaireAssignments(PatientId patient) = 0;
    // Ends an assignment in force at `at` by `by`. kNotFound "assignment_id" when no such assignment is in force
    // (never existed or already ended).
    virtual Status EndQuestionnaireAssignment(QuestionnaireAssignmentId id, TimePoint at, std::string_view by) = 0;
};

// The controlled-substance log (app/controlled_substances.hpp): containers as received and their append-only
// entries. There is no update or delete.
class InventoryTransaction {
public:
    virtual ~InventoryTransaction() = default;

    // `container.id` is ignored; the new id is returned.
    virtual Result<CsContainerId> InsertCsContainer(const CsContainer& container) = 0;
    // kNotFound "container_id" when no such container.
    virtual Result<CsContainer> GetCsContainer(CsContainerId id) = 0;
    // Every container, in id order.
    virtual Result<std::vector<CsContainer>> ListCsContainers() = 0;
    // Serialises the movements of one container: waits until every other open transaction that locked it has
    // ended, and holds it until this one ends, so two nurses drawing from one vial at once are judged one after the
    // other against the balance the first left. kNotFound "container_id" when no such container.
    virtual Status LockCsContainer(CsContainerId id) = 0;
    // Serialises the draws for one administration, whatever their containers: waits until every other open
    // transaction that locked it has ended, and holds it until this one ends, so two draws for one administration
    // from two vials are judged one after the other against its dose. Taken before LockCsContainer (one order, no
    // deadlock). kNotFound "administration_id" when no such administration.
    virtual Status LockAdministrationDraws(AdministrationId administration) = 0;
    // `entry.id` is ignored; the new id is returned.
    virtual Result<CsEntryId> InsertCsEntry(const CsEntry& entry) = 0;
    // kNotFound "entry_id" when no such entry.
    virtual Result<CsEntry> GetCsEntry(CsEntryId id) = 0;
    // The container's entries in id order (the order they were appended).
    virtual Result<std::vector<CsEntry>> ListCsEntries(CsContainerId container) = 0;
    // Every entry of every container, in id order.
    virtual Result<std::vector<CsEntry>> ListAllCsEntries() = 0;
};

// All operations of one transaction. An error returned from the work function rolls the whole transaction back.
class StoreTransaction : public PatientTransaction,
                         public AuditTransaction,
                         public HistoryTransaction,
                         public TreatmentTransaction,
                         public RemsTransaction,
                         public AlertTransaction,
                         public AdverseEventTransaction,
                         public NoteTransaction,
                         public SettingsTransaction,
                         public SchedulingTransaction,
                         public AccessTransaction,
                         public OutboxTransaction,
                         public CalendarFeedTransaction,
                         public DeviceTransaction,
                         public QuestionnaireTransaction,
                         public StandingOrderTransaction,
                         public InventoryTransaction {};

using TransactionWork = std::function<Status(StoreTransaction&)>;

// Work that produces a value: a function of the transaction that returns a Result<T>.
template <typename Work>
using WorkResult = std::invoke_result_t<Work&, StoreTransaction&>;
template <typename Work>
concept ValueWork = std::same_as<WorkResult<Work>, Result<typename WorkResult<Work>::value_type>>;

class Store {
public:
    virtual ~Store() = default;

    // Runs `work` in one write transaction and returns its status once the outcome is final: on OK the
    // transaction is committed durably (it survives a crash of the process or the machine); on error nothing it
    // wrote persists. Thread-safe; blocks the caller. `work` may run on another thread and must touch only the
    // transaction and what its caller owns. It runs at most once.
    [[nodiscard]] virtual Status Write(const TransactionWork& work) = 0;

    // Runs `work` in a read-only transaction that sees one consistent snapshot. Thread-safe.
    [[nodiscard]] virtual Status Read(const TransactionWork& work) = 0;

    // Write and Read for work that returns a Result<T>: the value once the transaction is committed, or the error
    // (and then nothing the work wrote persists).
    template <ValueWork Work>
    [[nodiscard]] WorkResult<Work> Write(Work&& work) {
        std::optional<typename WorkResult<Work>::value_type> produced;
        RETURN_IF_ERROR(Write(Keeping(work, produced)));
        return std::move(*produced);
    }
    template <ValueWork Work>
    [[nodiscard]] WorkResult<Work> Read(Work&& work) {
        std::optional<typename WorkResult<Work>::value_type> produced;
        RETURN_IF_ERROR(Read(Keeping(work, produced)));
        return std::move(*produced);
    }

    // "sqlite" or "postgres".
    [[nodiscard]] virtual std::string_view Backend() const = 0;

private:
    // `work` as a TransactionWork that keeps its value in `produced`.
    template <typename Work, typename T>
    static TransactionWork Keeping(Work& work, std::optional<T>& produced) {
        return [&work, &produced](StoreTransaction& tx) -> Status {
            ASSIGN_OR_RETURN(produced, work(tx));
            return Status::Ok();
        };
    }
};

}  // namespace kclinic::app
