#pragma once

// The clinic record's queries, written once over SqlConnection for both backends. A SqlTransaction assumes the
// caller has already begun a transaction on the connection (the backend owns BEGIN/COMMIT, savepoints and
// group commit); it only reads and writes.

#include <vector>

#include "adapters/storage/sql/sql_connection.hpp"
#include "app/ports/store.hpp"

namespace kclinic::adapters::storage::sql {

class SqlTransaction final : public app::StoreTransaction {
public:
    explicit SqlTransaction(SqlConnection& connection) : connection_(connection) {}

    // app::PatientTransaction: sql_patients.cpp.
    Result<app::PatientId> InsertPatient(const app::NewPatient& patient, app::TimePoint created_at,
                                         std::string_view created_by) override;
    Result<app::Patient> GetPatient(app::PatientId id) override;
    Result<std::optional<app::Patient>> FindPatientByMrn(std::string_view mrn) override;
    Result<std::vector<app::Patient>> ListPatients(app::PatientId after, int limit) override;
    Result<std::vector<app::Patient>> FindPatientsByName(const app::PatientNameSearch& search, app::PatientId after,
                                                         int limit) override;
    Result<std::vector<app::Patient>> FindPatientsByWords(std::span<const std::string> words, app::PatientId after,
                                                          int limit) override;
    Result<std::vector<app::Patient>> GetPatients(std::span<const app::PatientId> ids) override;
    Status UpdatePatient(const app::Patient& patient) override;
    Result<app::WeightId> InsertWeight(const app::WeightMeasurement& weight) override;
    Result<app::WeightMeasurement> GetWeight(app::WeightId id) override;
    Result<std::vector<app::WeightMeasurement>> ListWeights(app::PatientId patient) override;
    Status MarkWeightEnteredInError(app::WeightId id, const app::EnteredInError& mark) override;
    Result<app::VitalSignId> InsertVitalSign(const app::NewVitalSign& vital, app::TimePoint recorded_at,
                                             std::string_view recorded_by, bool late_entry) override;
    Result<app::VitalSign> GetVitalSign(app::VitalSignId id) override;
    Result<std::vector<app::VitalSign>> ListVitalSigns(app::PatientId patient, std::optional<app::SessionId> session,
                                                       int limit) override;
    Result<std::vector<app::VitalSign>> ListVitalSignsBetween(app::PatientId patient, app::TimePoint from,
                                                              app::TimePoint to) override;
    Result<std::vector<app::VitalSign>> ListSessionsVitalSigns(std::span<const app::SessionId> sessions) override;
    Status MarkVitalSignEnteredInError(app::VitalSignId id, const app::EnteredInError& mark) override;
    Result<app::AssessmentId> InsertAssessment(const app::Assessment& assessment) override;
    Result<std::vector<app::Assessment>> ListAssessments(app::PatientId patient) override;
    Status MarkAssessmentEnteredInError(app::AssessmentId id, const app::EnteredInError& mark) override;

    // app::AuditTransaction: sql_audit.cpp.
    Status AppendAudit(const app::AuditEntry& entry) override;
    Result<std::vector<app::AuditEntry>> ListAudit(const app::AuditFilter& filter) override;
    Result<app::AuditChainCheck> CheckAuditChain() override;
    // Writes the entries AppendAudit collected, chained, and moves the chain head past them. The backend calls it
    // once the work has returned OK, as the last statement before its COMMIT (or its savepoint's RELEASE), so the
    // chain head's lock is held as briefly as possible. Errors: the database's.
    [[nodiscard]] Status WritePendingAudit();

    // app::HistoryTransaction: sql_history.cpp.
    Result<app::HistoryEntryId> InsertHistoryEntry(const app::HistoryEntry& entry) override;
    Result<std::vector<app::HistoryEntry>> ListHistoryEntries(app::PatientId patient) override;
    Result<app::TrialId> InsertTrial(const app::TrialRecord& trial) override;
    Result<std::vector<app::TrialRecord>> ListTrials(app::PatientId patient) override;
    Status MarkHistoryEntryEnteredInError(app::HistoryEntryId id, const app::EnteredInError& mark) override;
    Status MarkTrialEnteredInError(app::TrialId id, const app::EnteredInError& mark) override;
    Status StopMedication(app::HistoryEntryId id, const app::MedicationStop& stop) override;
    Result<app::ScreeningId> InsertScreening(const app::ScreeningRecord& screening) override;
    Result<app::ScreeningRecord> GetScreening(app::ScreeningId id) override;
    Status SignScreening(app::ScreeningId id, const app::ScreeningSignature& signature) override;
    Result<std::vector<app::ScreeningRecord>> ListScreenings(app::PatientId patient) override;

    // app::TreatmentTransaction: sql_treatment.cpp.
    Result<app::CourseId> InsertCourse(const app::TreatmentCourse& course) override;
    Result<app::TreatmentCourse> GetCourse(app::CourseId id) override;
    Result<std::vector<app::TreatmentCourse>> ListCourses(app::PatientId patient) override;
    Result<std::vector<app::TreatmentCourse>> ListPatientsCourses(std::span<const app::PatientId> patients) override;
    Status UpdateCourseStatus(const app::TreatmentCourse& course, app::CourseStatus expected) override;
    Result<app::SessionId> InsertSession(const app::TreatmentSession& session) override;
    Result<app::TreatmentSession> GetSession(app::SessionId id) override;
    Result<std::vector<app::TreatmentSession>> ListSessions(app::CourseId course) override;
    Result<std::vector<app::TreatmentSession>> ListSessionsOn(std::chrono::sys_days date, app::TimePoint from,
                                                              app::TimePoint to) override;
    Status UpdateSession(const app::TreatmentSession& session, clinical::SessionState expected) override;
    Result<std::vector<app::SessionTransition>> ListSessionTransitions(app::SessionId session) override;
    Result<std::vector<app::SessionTransition>> ListSessionsTransitions(
        std::span<const app::SessionId> sessions) override;
    Result<app::DoseOrderId> InsertDoseOrder(const app::DoseOrderRecord& record) override;
    Result<std::optional<app::DoseOrderRecord>> FindDoseOrder(app::SessionId session) override;
    Result<app::AdministrationId> InsertAdministration(const app::Administration& given) override;
    Result<std::vector<app::Administration>> ListAdministrations(app::SessionId session) override;
    Result<std::vector<app::Administration>> ListSessionsAdministrations(
        std::span<const app::SessionId> sessions) override;
    Result<std::vector<app::Administration>> ListPatientAdministrations(app::PatientId patient) override;
    // The infusion stop is read with its administration.
    Result<app::Administration> GetAdministration(app::AdministrationId id) override;
    Status MarkAdministrationEnteredInError(app::AdministrationId id, const app::EnteredInError& mark) override;
    Status InsertInfusionStop(app::AdministrationId administration, const app::InfusionStop& stop) override;
    Result<app::SessionMedicationId> InsertSessionMedication(const app::SessionMedication& medication) override;
    Result<std::vector<app::SessionMedication>> ListSessionMedications(app::SessionId session) override;

    // app::RemsTransaction: sql_rems.cpp.
    Result<app::RemsFormId> InsertRemsForm(const app::RemsFormRecord& form) override;
    Result<std::optional<app::RemsFormRecord>> FindRemsForm(app::SessionId session) override;
    Status SubmitRemsForm(app::RemsFormId id, const app::RemsSubmission& submission) override;
    Status SetRemsConfirmationReference(app::RemsFormId id, std::string_view confirmation_reference) override;
    Result<std::vector<app::RemsFormRecord>> ListDueRemsForms() override;

    // app::AlertTransaction: sql_alerts.cpp.
    Result<app::AlertId> InsertAlert(const app::Alert& alert) override;
    Result<app::Alert> GetAlert(app::AlertId id) override;
    Status AcknowledgeAlert(app::AlertId id, app::TimePoint at, std::string_view by, std::string_view note) override;
    Result<std::vector<app::Alert>> ListAlerts(const app::AlertFilter& filter) override;
    Result<std::vector<app::Alert>> ListPatientsOpenAlerts(std::span<const app::PatientId> patients) override;

    // app::AdverseEventTransaction: sql_adverse_events.cpp.
    Result<app::AdverseEventId> InsertAdverseEvent(const app::AdverseEvent& event) override;
    Result<app::AdverseEvent> GetAdverseEvent(app::AdverseEventId id) override;
    Status UpdateAdverseEvent(const app::AdverseEvent& event) override;
    Result<std::vector<app::AdverseEvent>> ListAdverseEvents(app::PatientId patient) override;
    Result<std::vector<app::AdverseEvent>> ListSessionAdverseEvents(app::SessionId session) override;

    // app::NoteTransaction: sql_notes.cpp.
    Result<app::NoteId> InsertNote(const app::Note& note) override;
    Result<app::Note> GetNote(app::NoteId id) override;
    Result<std::vector<app::Note>> ListNotes(app::PatientId patient, std::optional<app::NoteKind> kind) override;
    Status UpdateNoteBody(app::NoteId id, std::int64_t expected_version, std::string_view body,
                          app::TimePoint updated_at) override;
    Status SignNote(app::NoteId id, std::int64_t expected_version, app::TimePoint signed_at,
                    std::string_view signed_by) override;
    Result<app::AddendumId> InsertNoteAddendum(const app::NoteAddendum& addendum) override;

    // app::SettingsTransaction: sql_settings.cpp.
    Result<std::vector<std::pair<std::string, std::string>>> LoadSettings() override;
    Status SaveSetting(std::string_view name, std::string_view value, app::TimePoint changed_at,
                       std::string_view changed_by) override;

    // app::SchedulingTransaction: sql_scheduling.cpp.
    Result<app::RoomId> InsertRoom(const app::TreatmentRoom& room) override;
    Result<app::TreatmentRoom> GetRoom(app::RoomId id) override;
    Result<std::vector<app::TreatmentRoom>> ListRooms() override;
    Status UpdateRoom(const app::TreatmentRoom& room) override;
    Status InsertClosedDay(const app::ClosedDay& day) override;
    Status DeleteClosedDay(std::chrono::sys_days date) override;
    Result<std::vector<app::ClosedDay>> ListClosedDays(std::chrono::sys_days from, std::chrono::sys_days to) override;
    Result<app::AppointmentId> InsertAppointment(const app::Appointment& appointment) override;
    Result<app::Appointment> GetAppointment(app::AppointmentId id) override;
    Result<std::vector<app::Appointment>> ListAppointments(const app::AppointmentFilter& filter) override;
    Result<std::vector<clinical::Booking>> ListHeldBookings(app::TimePoint from, app::TimePoint to,
                                                            std::optional<app::PatientId> patient) override;
    Status UpdateAppointment(const app::Appointment& appointment) override;
    Status LockSchedule() override;
    Status MoveSessionDate(app::SessionId session, std::chrono::sys_days date) override;
    Result<app::MissedInductionId> InsertMissedInduction(const app::MissedInduction& missed) override;
    Result<std::vector<app::MissedInduction>> ListMissedInductions(app::CourseId course) override;

    // app::AccessTransaction: sql_access.cpp.
    Result<app::UserId> InsertUser(const app::User& user) override;
    Result<app::User> GetUser(app::UserId id) override;
    Result<std::optional<app::User>> FindUserByEmail(std::string_view email) override;
    Result<std::optional<app::User>> FindPatientUser(app::PatientId patient) override;
    Result<std::vector<app::User>> ListUsers(app::UserId after, int limit) override;
    Status UpdateUser(const app::User& user) override;
    Result<std::optional<app::User>> FindMedicalDirector() override;
    Result<app::LoginThrottle> GetLoginThrottle(std::string_view email) override;
    Result<std::optional<int>> CountLoginAttempt(std::string_view email, app::TimePoint now) override;
    Status LockLogin(std::string_view email, app::TimePoint until) override;
    Status ClearLoginThrottle(std::string_view email) override;
    Result<app::BrowserSessionId> InsertBrowserSession(const app::BrowserSession& session) override;
    Result<std::optional<app::BrowserSession>> FindBrowserSession(std::string_view token_digest) override;
    Status TouchBrowserSession(app::BrowserSessionId id, app::TimePoint at) override;
    Status EndBrowserSession(app::BrowserSessionId id, app::TimePoint at) override;
    Status EndUserBrowserSessions(app::UserId user, app::TimePoint at) override;
    Result<std::optional<app::SecondFactor>> FindSecondFactor(app::UserId user) override;
    Status BeginSecondFactor(const app::SecondFactor& factor) override;
    Status ConfirmSecondFactor(app::UserId user, app::TimePoint at, std::int64_t step,
                               const std::vector<std::string>& recovery_code_digests) override;
    Result<bool> UseTotpStep(app::UserId user, std::int64_t step) override;
    Result<bool> UseRecoveryCode(app::UserId user, std::string_view code_digest, app::TimePoint at) override;
    Status DeleteSecondFactor(app::UserId user) override;
    Result<app::ApiTokenId> InsertApiToken(const app::ApiToken& token) override;
    Result<app::ApiToken> GetApiToken(app::ApiTokenId id) override;
    Result<std::optional<app::ApiToken>> FindApiToken(std::string_view token_digest) override;
    Result<std::vector<app::ApiToken>> ListApiTokens(app::UserId user) override;
    Status RevokeApiToken(app::ApiTokenId id, app::TimePoint at) override;
    Status RevokeUserApiTokens(app::UserId user, app::TimePoint at) override;

    // app::OutboxTransaction: sql_outbox.cpp.
    Result<app::OutboxMessageId> InsertOutboxMessage(const app::OutboxMessage& message) override;
    Result<std::vector<app::OutboxMessage>> ClaimDueOutboxMessages(app::TimePoint now, app::TimePoint lease_until,
                                                                   int limit) override;
    Status UpdateOutboxDelivery(const app::OutboxMessage& message) override;
    Status CancelOutboxMessages(app::AppointmentId appointment) override;
    Result<std::vector<app::OutboxMessage>> ListOutboxMessages(const app::OutboxFilter& filter) override;

    // app::CalendarFeedTransaction: sql_access.cpp (a feed's token is a credential, kept as API tokens are).
    Result<app::CalendarFeedId> InsertCalendarFeed(const app::CalendarFeed& feed) override;
    Result<std::optional<app::CalendarFeed>> FindCalendarFeed(std::string_view token_digest) override;
    Result<std::optional<app::CalendarFeed>> FindLiveCalendarFeed(app::UserId user) override;
    Status RevokeCalendarFeed(app::CalendarFeedId id, app::TimePoint at) override;

    // app::DeviceTransaction: sql_devices.cpp.
    Result<std::vector<app::DeviceId>> SaveDevicesSeen(std::span<const app::Device> seen) override;
    Result<app::Device> GetDevice(app::DeviceId id) override;
    Result<std::vector<app::Device>> ListDevices() override;
    Result<std::vector<bool>> InsertDeviceMessages(std::span<const app::DeviceMessageRecord> messages) override;
    Status CountDeviceErrors(app::DeviceId device, int count, std::string_view error, app::TimePoint at) override;
    Result<std::vector<app::DeviceReadingId>> InsertDeviceReadings(std::span<const app::DeviceReading> readings) override;
    Result<app::DeviceReading> GetDeviceReading(app::DeviceReadingId id) override;
    Result<std::vector<app::DeviceReading>> ListDeviceReadings(const app::DeviceReadingFilter& filter) override;
    Status AssignDeviceReading(const app::DeviceReading& assigned) override;
    Result<std::optional<app::TimePoint>> LatestDeviceBreach(app::SessionId session, std::string_view episode_key,
                                                             app::TimePoint at) override;
    Result<std::optional<app::TimePoint>> NearestDeviceVitalSign(app::PatientId patient, std::string_view loinc,
                                                                 app::TimePoint at) override;
    Status LockSessionDeviceFeed(app::SessionId session) override;

    // app::QuestionnaireTransaction: sql_questionnaires.cpp.
    Result<app::QuestionnaireAssignmentId> InsertQuestionnaireAssignment(
        const app::QuestionnaireAssignment& assignment) override;
    Result<std::vector<app::QuestionnaireAssignment>> ListQuestionnaireAssignments(app::PatientId patient) override;
    Status EndQuestionnaireAssignment(app::QuestionnaireAssignmentId id, app::TimePoint at,
                                      std::string_view by) override;

    // app::StandingOrderTransaction: sql_standing_orders.cpp.
    Result<app::StandingOrderSetId> InsertStandingOrderSet(const app::StandingOrderSet& set) override;
    Result<std::vector<app::StandingOrderSet>> ListStandingOrderSets() override;
    Result<app::OneOffOrderId> InsertOneOffOrder(const app::OneOffOrder& order) override;
    Result<app::OneOffOrder> GetOneOffOrder(app::OneOffOrderId id) override;
    Result<std::vector<app::OneOffOrder>> ListOneOffOrders(app::SessionId session) override;
    Status InsertPrnDose(app::SessionMedicationId dose, const app::PrnOrderRef& order) override;
    Result<app::PrnDose> GetPrnDose(app::SessionMedicationId dose) override;
    Result<std::vector<app::PrnDose>> ListPrnDoses(app::SessionId session) override;
    Status InsertPrnResponse(app::SessionMedicationId dose, const app::PrnResponse& response) override;
    Status LockSessionPrnDoses(app::SessionId session) override;
    // app::InventoryTransaction: sql_inventory.cpp.
    Result<app::CsContainerId> InsertCsContainer(const app::CsContainer& container) override;
    Result<app::CsContainer> GetCsContainer(app::CsContainerId id) override;
    Result<std::vector<app::CsContainer>> ListCsContainers() override;
    Status LockCsContainer(app::CsContainerId id) override;
    Status LockAdministrationDraws(app::AdministrationId administration) override;
    Result<app::CsEntryId> InsertCsEntry(const app::CsEntry& entry) override;
    Result<app::CsEntry> GetCsEntry(app::CsEntryId id) override;
    Result<std::vector<app::CsEntry>> ListCsEntries(app::CsContainerId container) override;
    Result<std::vector<app::CsEntry>> ListAllCsEntries() override;

private:
    SqlConnection& connection_;
    std::vector<app::AuditEntry> pending_audit_;  // appended, not yet written (WritePendingAudit)
};

// Gives every patient stored without a search text (registered before migration 0020) the one
// app::PatientSearchText makes, in one transaction of its own. Run by each store when it opens, after the
// migrations; a second run finds nothing to do. Errors: the database's.
[[nodiscard]] Status BackfillPatientSearchText(SqlConnection& connection);

}  // namespace kclinic::adapters::storage::sql
