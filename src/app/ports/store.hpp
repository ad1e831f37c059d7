#pragma once

// The Store port: the clinic record's durable storage. Use cases call Write or Read with a function that does all
// of its reads and writes through one StoreTransaction, so each use case is atomic and its audit entry is written
// in the same transaction as the data it describes. Adapters: adapters/storage/sqlite and .../postgres; both pass
// the one contract suite in adapters/storage/contract.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

// All operations of one transaction. Errors: kConflict for a unique-key clash (a second patient with the same MRN)
// or a stale version; kNotFound where a record is required; kUnavailable / kInternal when the database fails. An
// error returned from the work function rolls the whole transaction back.
class StoreTransaction {
public:
    virtual ~StoreTransaction() = default;

    virtual Result<PatientId> InsertPatient(const NewPatient& patient, TimePoint created_at,
                                            std::string_view created_by) = 0;
    // kNotFound when no such patient.
    virtual Result<Patient> GetPatient(PatientId id) = 0;
    virtual Result<std::optional<Patient>> FindPatientByMrn(std::string_view mrn) = 0;
    // Patients with id > after, in id order, at most `limit`.
    virtual Result<std::vector<Patient>> ListPatients(PatientId after, int limit) = 0;
    // Replaces the demographics of `patient.id` when its stored version equals `patient.version`, and bumps the
    // version. kConflict when the version is stale, kNotFound when the patient does not exist.
    virtual Status UpdatePatient(const Patient& patient) = 0;

    virtual Status InsertWeight(const WeightMeasurement& weight) = 0;
    // Oldest first.
    virtual Result<std::vector<WeightMeasurement>> ListWeights(PatientId patient) = 0;

    virtual Result<VitalSignId> InsertVitalSign(const NewVitalSign& vital, TimePoint recorded_at,
                                                std::string_view recorded_by) = 0;
    // kNotFound when no such vital sign.
    virtual Result<VitalSign> GetVitalSign(VitalSignId id) = 0;
    // Most recent `limit` observations, oldest first.
    virtual Result<std::vector<VitalSign>> ListVitalSigns(PatientId patient, int limit) = 0;

    // `assessment.id` is ignored; the new id is returned.
    virtual Result<AssessmentId> InsertAssessment(const Assessment& assessment) = 0;
    // Oldest first.
    virtual Result<std::vector<Assessment>> ListAssessments(PatientId patient) = 0;

    // `entry.id` is ignored. The audit log is append-only: there is no update or delete.
    virtual Result<AuditEntryId> AppendAudit(const AuditEntry& entry) = 0;
    virtual Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) = 0;

    // `entry.id` is ignored; the new id is returned.
    virtual Result<HistoryEntryId> InsertHistoryEntry(const HistoryEntry& entry) = 0;
    // Every kind, in the order they were noted (noted_at, then id).
    virtual Result<std::vector<HistoryEntry>> ListHistoryEntries(PatientId patient) = 0;
    // `trial.id` is ignored; the new id is returned.
    virtual Result<TrialId> InsertTrial(const TrialRecord& trial) = 0;
    // In the order they were recorded.
    virtual Result<std::vector<TrialRecord>> ListTrials(PatientId patient) = 0;

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

    // Vital signs observed in [from, to], oldest first (observed_at, then id).
    virtual Result<std::vector<VitalSign>> ListVitalSignsBetween(PatientId patient, TimePoint from, TimePoint to) = 0;

    // Treatment courses, sessions, dose orders and administrations. `id` members of the inserted values are
    // ignored; the new id is returned. Gets return kNotFound when no such record.
    virtual Result<CourseId> InsertCourse(const TreatmentCourse& course) = 0;
    virtual Result<TreatmentCourse> GetCourse(CourseId id) = 0;
    // Every course of the patient, oldest first.
    virtual Result<std::vector<TreatmentCourse>> ListCourses(PatientId patient) = 0;
    // Sets status, status_reason, status_changed_at and status_changed_by of `course.id` when its stored status is
    // `expected`; kConflict when it is not (changed meanwhile), kNotFound when no such course.
    virtual Status UpdateCourseStatus(const TreatmentCourse& course, CourseStatus expected) = 0;
    virtual Result<SessionId> InsertSession(const TreatmentSession& session) = 0;
    virtual Result<TreatmentSession> GetSession(SessionId id) = 0;
    // In session number order.
    virtual Result<std::vector<TreatmentSession>> ListSessions(CourseId course) = 0;
    // Stores the state and the facts of `session` (everything but its course, patient and plan) when its stored
    // state is `expected`; kConflict when it is not, kNotFound when no such session.
    virtual Status UpdateSession(const TreatmentSession& session, clinical::SessionState expected) = 0;
    // kConflict when the session already has a dose order.
    virtual Result<DoseOrderId> InsertDoseOrder(const DoseOrderRecord& order) = 0;
    virtual Result<std::optional<DoseOrderRecord>> FindDoseOrder(SessionId session) = 0;
    virtual Result<AdministrationId> InsertAdministration(const Administration& administration) = 0;
    // In the order they started (started_at, then id).
    virtual Result<std::vector<Administration>> ListAdministrations(SessionId session) = 0;

    // Clinic settings overrides as (name, value) text pairs, in name order; defaults are not stored.
    virtual Result<std::vector<std::pair<std::string, std::string>>> LoadSettings() = 0;
    virtual Status SaveSetting(std::string_view name, std::string_view value, TimePoint changed_at,
                               std::string_view changed_by) = 0;

    // Users. `user.id`, `failed_logins` and `locked_until` are ignored on insert (the login throttle is kept by
    // email, below). kConflict "email" when the email is taken, "patient_id" when another user has that patient.
    virtual Result<UserId> InsertUser(const User& user) = 0;
    // kNotFound when no such user. Each user read carries its email's login throttle.
    virtual Result<User> GetUser(UserId id) = 0;
    // `email` as stored (lower case).
    virtual Result<std::optional<User>> FindUserByEmail(std::string_view email) = 0;
    // Users with id > after, in id order, at most `limit`.
    virtual Result<std::vector<User>> ListUsers(UserId after, int limit) = 0;
    // Stores display_name, password_hash, disabled, updated_at and updated_by of `user.id` (email, role and
    // patient never change). kNotFound when no such user.
    virtual Status UpdateUser(const User& user) = 0;

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

using TransactionWork = std::function<Status(StoreTransaction&)>;

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

    // "sqlite" or "postgres".
    [[nodiscard]] virtual std::string_view Backend() const = 0;
};

}  // namespace kclinic::app
