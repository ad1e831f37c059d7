#include "adapters/storage/contract/fault_store.hpp"

#include <string>
#include <type_traits>
#include <utility>

namespace kclinic::adapters::storage::contract {
namespace {

// One transaction of a FaultStore: each operation asks the store whether to fail, and otherwise runs on the real
// transaction underneath.
class FaultTransaction final : public app::StoreTransaction {
public:
    FaultTransaction(app::StoreTransaction& real, FaultStore& faults) : real_(real), faults_(faults) {}

    // app::PatientTransaction
    Result<app::PatientId> InsertPatient(const app::NewPatient& patient, app::TimePoint created_at,
                                         std::string_view created_by) override {
        return Call(&app::StoreTransaction::InsertPatient, patient, created_at, created_by);
    }
    Result<app::Patient> GetPatient(app::PatientId id) override { return Call(&app::StoreTransaction::GetPatient, id); }
    Result<std::optional<app::Patient>> FindPatientByMrn(std::string_view mrn) override {
        return Call(&app::StoreTransaction::FindPatientByMrn, mrn);
    }
    Result<std::vector<app::Patient>> ListPatients(app::PatientId after, int limit) override {
        return Call(&app::StoreTransaction::ListPatients, after, limit);
    }
    Result<std::vector<app::Patient>> FindPatientsByName(const app::PatientNameSearch& search, app::PatientId after,
                                                         int limit) override {
        return Call(&app::StoreTransaction::FindPatientsByName, search, after, limit);
    }
    Result<std::vector<app::Patient>> FindPatientsByWords(std::span<const std::string> words, app::PatientId after,
                                                          int limit) override {
        return Call(&app::StoreTransaction::FindPatientsByWords, words, after, limit);
    }
    Result<std::vector<app::Patient>> GetPatients(std::span<const app::PatientId> ids) override {
        return Call(&app::StoreTransaction::GetPatients, ids);
    }
    Status UpdatePatient(const app::Patient& patient) override {
        return Call(&app::StoreTransaction::UpdatePatient, patient);
    }
    Result<app::WeightId> InsertWeight(const app::WeightMeasurement& weight) override {
        return Call(&app::StoreTransaction::InsertWeight, weight);
    }
    Result<app::WeightMeasurement> GetWeight(app::WeightId id) override {
        return Call(&app::StoreTransaction::GetWeight, id);
    }
    Result<std::vector<app::WeightMeasurement>> ListWeights(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListWeights, patient);
    }
    Status MarkWeightEnteredInError(app::WeightId id, const app::EnteredInError& mark) override {
        return Call(&app::StoreTransaction::MarkWeightEnteredInError, id, mark);
    }
    Result<app::VitalSignId> InsertVitalSign(const app::NewVitalSign& vital, app::TimePoint recorded_at,
                                             std::string_view recorded_by, bool late_entry) override {
        return Call(&app::StoreTransaction::InsertVitalSign, vital, recorded_at, recorded_by, late_entry);
    }
    Result<app::VitalSign> GetVitalSign(app::VitalSignId id) override {
        return Call(&app::StoreTransaction::GetVitalSign, id);
    }
    Result<std::vector<app::VitalSign>> ListVitalSigns(app::PatientId patient, std::optional<app::SessionId> session,
                                                       int limit) override {
        return Call(&app::StoreTransaction::ListVitalSigns, patient, session, limit);
    }
    Result<std::vector<app::VitalSign>> ListVitalSignsBetween(app::PatientId patient, app::TimePoint from,
                                                              app::TimePoint to) override {
        return Call(&app::StoreTransaction::ListVitalSignsBetween, patient, from, to);
    }
    Result<std::vector<app::VitalSign>> ListSessionsVitalSigns(std::span<const app::SessionId> sessions) override {
        return Call(&app::StoreTransaction::ListSessionsVitalSigns, sessions);
    }
    Status MarkVitalSignEnteredInError(app::VitalSignId id, const app::EnteredInError& mark) override {
        return Call(&app::StoreTransaction::MarkVitalSignEnteredInError, id, mark);
    }
    Result<app::AssessmentId> InsertAssessment(const app::Assessment& assessment) override {
        return Call(&app::StoreTransaction::InsertAssessment, assessment);
    }
    Result<std::vector<app::Assessment>> ListAssessments(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListAssessments, patient);
    }
    Status MarkAssessmentEnteredInError(app::AssessmentId id, const app::EnteredInError& mark) override {
        return Call(&app::StoreTransaction::MarkAssessmentEnteredInError, id, mark);
    }

    // app::AuditTransaction
    Status AppendAudit(const app::AuditEntry& entry) override {
        return Call(&app::StoreTransaction::AppendAudit, entry);
    }
    Result<std::vector<app::AuditEntry>> ListAudit(const app::AuditFilter& filter) override {
        return Call(&app::StoreTransaction::ListAudit, filter);
    }
    Result<app::AuditChainCheck> CheckAuditChain() override { return Call(&app::StoreTransaction::CheckAuditChain); }

    // app::HistoryTransaction
    Result<app::HistoryEntryId> InsertHistoryEntry(const app::HistoryEntry& entry) override {
        return Call(&app::StoreTransaction::InsertHistoryEntry, entry);
    }
    Result<std::vector<app::HistoryEntry>> ListHistoryEntries(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListHistoryEntries, patient);
    }
    Result<app::TrialId> InsertTrial(const app::TrialRecord& trial) override {
        return Call(&app::StoreTransaction::InsertTrial, trial);
    }
    Result<std::vector<app::TrialRecord>> ListTrials(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListTrials, patient);
    }
    Status MarkHistoryEntryEnteredInError(app::HistoryEntryId id, const app::EnteredInError& mark) override {
        return Call(&app::StoreTransaction::MarkHistoryEntryEnteredInError, id, mark);
    }
    Status MarkTrialEnteredInError(app::TrialId id, const app::EnteredInError& mark) override {
        return Call(&app::StoreTransaction::MarkTrialEnteredInError, id, mark);
    }
    Status StopMedication(app::HistoryEntryId id, const app::MedicationStop& stop) override {
        return Call(&app::StoreTransaction::StopMedication, id, stop);
    }
    Result<app::ScreeningId> InsertScreening(const app::ScreeningRecord& screening) override {
        return Call(&app::StoreTransaction::InsertScreening, screening);
    }
    Result<app::ScreeningRecord> GetScreening(app::ScreeningId id) override {
        return Call(&app::StoreTransaction::GetScreening, id);
    }
    Status SignScreening(app::ScreeningId id, const app::ScreeningSignature& signature) override {
        return Call(&app::StoreTransaction::SignScreening, id, signature);
    }
    Result<std::vector<app::ScreeningRecord>> ListScreenings(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListScreenings, patient);
    }

    // app::TreatmentTransaction
    Result<app::CourseId> InsertCourse(const app::TreatmentCourse& course) override {
        return Call(&app::StoreTransaction::InsertCourse, course);
    }
    Result<app::TreatmentCourse> GetCourse(app::CourseId id) override {
        return Call(&app::StoreTransaction::GetCourse, id);
    }
    Result<std::vector<app::TreatmentCourse>> ListCourses(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListCourses, patient);
    }
    Result<std::vector<app::TreatmentCourse>> ListPatientsCourses(std::span<const app::PatientId> patients) override {
        return Call(&app::StoreTransaction::ListPatientsCourses, patients);
    }
    Status UpdateCourseStatus(const app::TreatmentCourse& course, app::CourseStatus expected) override {
        return Call(&app::StoreTransaction::UpdateCourseStatus, course, expected);
    }
    Result<app::SessionId> InsertSession(const app::TreatmentSession& session) override {
        return Call(&app::StoreTransaction::InsertSession, session);
    }
    Result<app::TreatmentSession> GetSession(app::SessionId id) override {
        return Call(&app::StoreTransaction::GetSession, id);
    }
    Result<std::vector<app::TreatmentSession>> ListSessions(app::CourseId course) override {
        return Call(&app::StoreTransaction::ListSessions, course);
    }
    Result<std::vector<app::TreatmentSession>> ListSessionsOn(std::chrono::sys_days date, app::TimePoint from,
                                                              app::TimePoint to) override {
        return Call(&app::StoreTransaction::ListSessionsOn, date, from, to);
    }
    Status UpdateSession(const app::TreatmentSession& session, clinical::SessionState expected) override {
        return Call(&app::StoreTransaction::UpdateSession, session, expected);
    }
    Result<std::vector<app::SessionTransition>> ListSessionTransitions(app::SessionId session) override {
        return Call(&app::StoreTransaction::ListSessionTransitions, session);
    }
    Result<std::vector<app::SessionTransition>> ListSessionsTransitions(
        std::span<const app::SessionId> sessions) override {
        return Call(&app::StoreTransaction::ListSessionsTransitions, sessions);
    }
    Result<app::DoseOrderId> InsertDoseOrder(const app::DoseOrderRecord& record) override {
        return Call(&app::StoreTransaction::InsertDoseOrder, record);
    }
    Result<std::optional<app::DoseOrderRecord>> FindDoseOrder(app::SessionId session) override {
        return Call(&app::StoreTransaction::FindDoseOrder, session);
    }
    Result<app::AdministrationId> InsertAdministration(const app::Administration& given) override {
        return Call(&app::StoreTransaction::InsertAdministration, given);
    }
    Result<std::vector<app::Administration>> ListAdministrations(app::SessionId session) override {
        return Call(&app::StoreTransaction::ListAdministrations, session);
    }
    Result<std::vector<app::Administration>> ListSessionsAdministrations(
        std::span<const app::SessionId> sessions) override {
        return Call(&app::StoreTransaction::ListSessionsAdministrations, sessions);
    }
    Result<std::vector<app::Administration>> ListPatientAdministrations(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListPatientAdministrations, patient);
    }
    Result<app::Administration> GetAdministration(app::AdministrationId id) override {
        return Call(&app::StoreTransaction::GetAdministration, id);
    }
    Status MarkAdministrationEnteredInError(app::AdministrationId id, const app::EnteredInError& mark) override {
        return Call(&app::StoreTransaction::MarkAdministrationEnteredInError, id, mark);
    }
    Status InsertInfusionStop(app::AdministrationId administration, const app::InfusionStop& stop) override {
        return Call(&app::StoreTransaction::InsertInfusionStop, administration, stop);
    }
    Result<app::SessionMedicationId> InsertSessionMedication(const app::SessionMedication& medication) override {
        return Call(&app::StoreTransaction::InsertSessionMedication, medication);
    }
    Result<std::vector<app::SessionMedication>> ListSessionMedications(app::SessionId session) override {
        return Call(&app::StoreTransaction::ListSessionMedications, session);
    }

    // app::RemsTransaction
    Result<app::RemsFormId> InsertRemsForm(const app::RemsFormRecord& form) override {
        return Call(&app::StoreTransaction::InsertRemsForm, form);
    }
    Result<std::optional<app::RemsFormRecord>> FindRemsForm(app::SessionId session) override {
        return Call(&app::StoreTransaction::FindRemsForm, session);
    }
    Status SubmitRemsForm(app::RemsFormId id, const app::RemsSubmission& submission) override {
        return Call(&app::StoreTransaction::SubmitRemsForm, id, submission);
    }
    Status SetRemsConfirmationReference(app::RemsFormId id, std::string_view confirmation_reference) override {
        return Call(&app::StoreTransaction::SetRemsConfirmationReference, id, confirmation_reference);
    }
    Result<std::vector<app::RemsFormRecord>> ListDueRemsForms() override {
        return Call(&app::StoreTransaction::ListDueRemsForms);
    }

    // app::AlertTransaction
    Result<app::AlertId> InsertAlert(const app::Alert& alert) override {
        return Call(&app::StoreTransaction::InsertAlert, alert);
    }
    Result<app::Alert> GetAlert(app::AlertId id) override { return Call(&app::StoreTransaction::GetAlert, id); }
    Status AcknowledgeAlert(app::AlertId id, app::TimePoint at, std::string_view by, std::string_view note) override {
        return Call(&app::StoreTransaction::AcknowledgeAlert, id, at, by, note);
    }
    Result<std::vector<app::Alert>> ListAlerts(const app::AlertFilter& filter) override {
        return Call(&app::StoreTransaction::ListAlerts, filter);
    }
    Result<std::vector<app::Alert>> ListPatientsOpenAlerts(std::span<const app::PatientId> patients) override {
        return Call(&app::StoreTransaction::ListPatientsOpenAlerts, patients);
    }

    // app::AdverseEventTransaction
    Result<app::AdverseEventId> InsertAdverseEvent(const app::AdverseEvent& event) override {
        return Call(&app::StoreTransaction::InsertAdverseEvent, event);
    }
    Result<app::AdverseEvent> GetAdverseEvent(app::AdverseEventId id) override {
        return Call(&app::StoreTransaction::GetAdverseEvent, id);
    }
    Status UpdateAdverseEvent(const app::AdverseEvent& event) override {
        return Call(&app::StoreTransaction::UpdateAdverseEvent, event);
    }
    Result<std::vector<app::AdverseEvent>> ListAdverseEvents(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListAdverseEvents, patient);
    }
    Result<std::vector<app::AdverseEvent>> ListSessionAdverseEvents(app::SessionId session) override {
        return Call(&app::StoreTransaction::ListSessionAdverseEvents, session);
    }

    // app::NoteTransaction
    Result<app::NoteId> InsertNote(const app::Note& note) override {
        return Call(&app::StoreTransaction::InsertNote, note);
    }
    Result<app::Note> GetNote(app::NoteId id) override { return Call(&app::StoreTransaction::GetNote, id); }
    Result<std::vector<app::Note>> ListNotes(app::PatientId patient, std::optional<app::NoteKind> kind) override {
        return Call(&app::StoreTransaction::ListNotes, patient, kind);
    }
    Status UpdateNoteBody(app::NoteId id, std::int64_t expected_version, std::string_view body,
                          app::TimePoint updated_at) override {
        return Call(&app::StoreTransaction::UpdateNoteBody, id, expected_version, body, updated_at);
    }
    Status SignNote(app::NoteId id, std::int64_t expected_version, app::TimePoint signed_at,
                    std::string_view signed_by) override {
        return Call(&app::StoreTransaction::SignNote, id, expected_version, signed_at, signed_by);
    }
    Result<app::AddendumId> InsertNoteAddendum(const app::NoteAddendum& addendum) override {
        return Call(&app::StoreTransaction::InsertNoteAddendum, addendum);
    }

    // app::SettingsTransaction
    Result<std::vector<std::pair<std::string, std::string>>> LoadSettings() override {
        return Call(&app::StoreTransaction::LoadSettings);
    }
    Status SaveSetting(std::string_view name, std::string_view value, app::TimePoint changed_at,
                       std::string_view changed_by) override {
        return Call(&app::StoreTransaction::SaveSetting, name, value, changed_at, changed_by);
    }

    // app::SchedulingTransaction
    Result<app::RoomId> InsertRoom(const app::TreatmentRoom& room) override {
        return Call(&app::StoreTransaction::InsertRoom, room);
    }
    Result<app::TreatmentRoom> GetRoom(app::RoomId id) override { return Call(&app::StoreTransaction::GetRoom, id); }
    Result<std::vector<app::TreatmentRoom>> ListRooms() override { return Call(&app::StoreTransaction::ListRooms); }
    Status UpdateRoom(const app::TreatmentRoom& room) override {
        return Call(&app::StoreTransaction::UpdateRoom, room);
    }
    Status InsertClosedDay(const app::ClosedDay& day) override {
        return Call(&app::StoreTransaction::InsertClosedDay, day);
    }
    Status DeleteClosedDay(std::chrono::sys_days date) override {
        return Call(&app::StoreTransaction::DeleteClosedDay, date);
    }
    Result<std::vector<app::ClosedDay>> ListClosedDays(std::chrono::sys_days from, std::chrono::sys_days to) override {
        return Call(&app::StoreTransaction::ListClosedDays, from, to);
    }
    Result<app::AppointmentId> InsertAppointment(const app::Appointment& appointment) override {
        return Call(&app::StoreTransaction::InsertAppointment, appointment);
    }
    Result<app::Appointment> GetAppointment(app::AppointmentId id) override {
        return Call(&app::StoreTransaction::GetAppointment, id);
    }
    Result<std::vector<app::Appointment>> ListAppointments(const app::AppointmentFilter& filter) override {
        return Call(&app::StoreTransaction::ListAppointments, filter);
    }
    Result<std::vector<clinical::Booking>> ListHeldBookings(app::TimePoint from, app::TimePoint to,
                                                            std::optional<app::PatientId> patient) override {
        return Call(&app::StoreTransaction::ListHeldBookings, from, to, patient);
    }
    Status UpdateAppointment(const app::Appointment& appointment) override {
        return Call(&app::StoreTransaction::UpdateAppointment, appointment);
    }
    Status LockSchedule() override { return Call(&app::StoreTransaction::LockSchedule); }
    Status MoveSessionDate(app::SessionId session, std::chrono::sys_days date) override {
        return Call(&app::StoreTransaction::MoveSessionDate, session, date);
    }
    Result<app::MissedInductionId> InsertMissedInduction(const app::MissedInduction& missed) override {
        return Call(&app::StoreTransaction::InsertMissedInduction, missed);
    }
    Result<std::vector<app::MissedInduction>> ListMissedInductions(app::CourseId course) override {
        return Call(&app::StoreTransaction::ListMissedInductions, course);
    }

    // app::AccessTransaction
    Result<app::UserId> InsertUser(const app::User& user) override {
        return Call(&app::StoreTransaction::InsertUser, user);
    }
    Result<app::User> GetUser(app::UserId id) override { return Call(&app::StoreTransaction::GetUser, id); }
    Result<std::optional<app::User>> FindUserByEmail(std::string_view email) override {
        return Call(&app::StoreTransaction::FindUserByEmail, email);
    }
    Result<std::optional<app::User>> FindPatientUser(app::PatientId patient) override {
        return Call(&app::StoreTransaction::FindPatientUser, patient);
    }
    Result<std::vector<app::User>> ListUsers(app::UserId after, int limit) override {
        return Call(&app::StoreTransaction::ListUsers, after, limit);
    }
    Status UpdateUser(const app::User& user) override { return Call(&app::StoreTransaction::UpdateUser, user); }
    Result<app::LoginThrottle> GetLoginThrottle(std::string_view email) override {
        return Call(&app::StoreTransaction::GetLoginThrottle, email);
    }
    Result<std::optional<int>> CountLoginAttempt(std::string_view email, app::TimePoint now) override {
        return Call(&app::StoreTransaction::CountLoginAttempt, email, now);
    }
    Status LockLogin(std::string_view email, app::TimePoint until) override {
        return Call(&app::StoreTransaction::LockLogin, email, until);
    }
    Status ClearLoginThrottle(std::string_view email) override {
        return Call(&app::StoreTransaction::ClearLoginThrottle, email);
    }
    Result<app::BrowserSessionId> InsertBrowserSession(const app::BrowserSession& session) override {
        return Call(&app::StoreTransaction::InsertBrowserSession, session);
    }
    Result<std::optional<app::BrowserSession>> FindBrowserSession(std::string_view token_digest) override {
        return Call(&app::StoreTransaction::FindBrowserSession, token_digest);
    }
    Status TouchBrowserSession(app::BrowserSessionId id, app::TimePoint at) override {
        return Call(&app::StoreTransaction::TouchBrowserSession, id, at);
    }
    Status EndBrowserSession(app::BrowserSessionId id, app::TimePoint at) override {
        return Call(&app::StoreTransaction::EndBrowserSession, id, at);
    }
    Status EndUserBrowserSessions(app::UserId user, app::TimePoint at) override {
        return Call(&app::StoreTransaction::EndUserBrowserSessions, user, at);
    }
    Result<std::optional<app::SecondFactor>> FindSecondFactor(app::UserId user) override {
        return Call(&app::StoreTransaction::FindSecondFactor, user);
    }
    Status BeginSecondFactor(const app::SecondFactor& factor) override {
        return Call(&app::StoreTransaction::BeginSecondFactor, factor);
    }
    Status ConfirmSecondFactor(app::UserId user, app::TimePoint at, std::int64_t step,
                               const std::vector<std::string>& recovery_code_digests) override {
        return Call(&app::StoreTransaction::ConfirmSecondFactor, user, at, step, recovery_code_digests);
    }
    Result<bool> UseTotpStep(app::UserId user, std::int64_t step) override {
        return Call(&app::StoreTransaction::UseTotpStep, user, step);
    }
    Result<bool> UseRecoveryCode(app::UserId user, std::string_view code_digest, app::TimePoint at) override {
        return Call(&app::StoreTransaction::UseRecoveryCode, user, code_digest, at);
    }
    Status DeleteSecondFactor(app::UserId user) override {
        return Call(&app::StoreTransaction::DeleteSecondFactor, user);
    }
    Result<app::ApiTokenId> InsertApiToken(const app::ApiToken& token) override {
        return Call(&app::StoreTransaction::InsertApiToken, token);
    }
    Result<app::ApiToken> GetApiToken(app::ApiTokenId id) override {
        return Call(&app::StoreTransaction::GetApiToken, id);
    }
    Result<std::optional<app::ApiToken>> FindApiToken(std::string_view token_digest) override {
        return Call(&app::StoreTransaction::FindApiToken, token_digest);
    }
    Result<std::vector<app::ApiToken>> ListApiTokens(app::UserId user) override {
        return Call(&app::StoreTransaction::ListApiTokens, user);
    }
    Status RevokeApiToken(app::ApiTokenId id, app::TimePoint at) override {
        return Call(&app::StoreTransaction::RevokeApiToken, id, at);
    }
    Status RevokeUserApiTokens(app::UserId user, app::TimePoint at) override {
        return Call(&app::StoreTransaction::RevokeUserApiTokens, user, at);
    }

    // app::OutboxTransaction
    Result<app::OutboxMessageId> InsertOutboxMessage(const app::OutboxMessage& message) override {
        return Call(&app::StoreTransaction::InsertOutboxMessage, message);
    }
    Result<std::vector<app::OutboxMessage>> ClaimDueOutboxMessages(app::TimePoint now, app::TimePoint lease_until,
                                                                   int limit) override {
        return Call(&app::StoreTransaction::ClaimDueOutboxMessages, now, lease_until, limit);
    }
    Status UpdateOutboxDelivery(const app::OutboxMessage& message) override {
        return Call(&app::StoreTransaction::UpdateOutboxDelivery, message);
    }
    Status CancelOutboxMessages(app::AppointmentId appointment) override {
        return Call(&app::StoreTransaction::CancelOutboxMessages, appointment);
    }
    Result<std::vector<app::OutboxMessage>> ListOutboxMessages(const app::OutboxFilter& filter) override {
        return Call(&app::StoreTransaction::ListOutboxMessages, filter);
    }

    // app::CalendarFeedTransaction
    Result<app::CalendarFeedId> InsertCalendarFeed(const app::CalendarFeed& feed) override {
        return Call(&app::StoreTransaction::InsertCalendarFeed, feed);
    }
    Result<std::optional<app::CalendarFeed>> FindCalendarFeed(std::string_view token_digest) override {
        return Call(&app::StoreTransaction::FindCalendarFeed, token_digest);
    }
    Result<std::optional<app::CalendarFeed>> FindLiveCalendarFeed(app::UserId user) override {
        return Call(&app::StoreTransaction::FindLiveCalendarFeed, user);
    }
    Status RevokeCalendarFeed(app::CalendarFeedId id, app::TimePoint at) override {
        return Call(&app::StoreTransaction::RevokeCalendarFeed, id, at);
    }

    // app::DeviceTransaction
    Result<std::vector<app::DeviceId>> SaveDevicesSeen(std::span<const app::Device> seen) override {
        return Call(&app::StoreTransaction::SaveDevicesSeen, seen);
    }
    Result<app::Device> GetDevice(app::DeviceId id) override { return Call(&app::StoreTransaction::GetDevice, id); }
    Result<std::vector<app::Device>> ListDevices() override { return Call(&app::StoreTransaction::ListDevices); }
    Result<std::vector<bool>> InsertDeviceMessages(std::span<const app::DeviceMessageRecord> messages) override {
        return Call(&app::StoreTransaction::InsertDeviceMessages, messages);
    }
    Status CountDeviceErrors(app::DeviceId device, int count, std::string_view error, app::TimePoint at) override {
        return Call(&app::StoreTransaction::CountDeviceErrors, device, count, error, at);
    }
    Result<std::vector<app::DeviceReadingId>> InsertDeviceReadings(std::span<const app::DeviceReading> readings) override {
        return Call(&app::StoreTransaction::InsertDeviceReadings, readings);
    }
    Result<app::DeviceReading> GetDeviceReading(app::DeviceReadingId id) override {
        return Call(&app::StoreTransaction::GetDeviceReading, id);
    }
    Result<std::vector<app::DeviceReading>> ListDeviceReadings(const app::DeviceReadingFilter& filter) override {
        return Call(&app::StoreTransaction::ListDeviceReadings, filter);
    }
    Status AssignDeviceReading(const app::DeviceReading& assigned) override {
        return Call(&app::StoreTransaction::AssignDeviceReading, assigned);
    }
    Result<std::optional<app::TimePoint>> LatestDeviceBreach(app::SessionId session, std::string_view episode_key,
                                                             app::TimePoint at) override {
        return Call(&app::StoreTransaction::LatestDeviceBreach, session, episode_key, at);
    }
    Result<std::optional<app::TimePoint>> NearestDeviceVitalSign(app::PatientId patient, std::string_view loinc,
                                                                 app::TimePoint at) override {
        return Call(&app::StoreTransaction::NearestDeviceVitalSign, patient, loinc, at);
    }
    Status LockSessionDeviceFeed(app::SessionId session) override {
        return Call(&app::StoreTransaction::LockSessionDeviceFeed, session);
    }
    // app::QuestionnaireTransaction
    Result<app::QuestionnaireAssignmentId> InsertQuestionnaireAssignment(
        const app::QuestionnaireAssignment& assignment) override {
        return Call(&app::StoreTransaction::InsertQuestionnaireAssignment, assignment);
    }
    Result<std::vector<app::QuestionnaireAssignment>> ListQuestionnaireAssignments(app::PatientId patient) override {
        return Call(&app::StoreTransaction::ListQuestionnaireAssignments, patient);
    }
    Status EndQuestionnaireAssignment(app::QuestionnaireAssignmentId id, app::TimePoint at,
                                      std::string_view by) override {
        return Call(&app::StoreTransaction::EndQuestionnaireAssignment, id, at, by);
    }
    // app::InventoryTransaction
    Result<app::CsContainerId> InsertCsContainer(const app::CsContainer& container) override {
        return Call(&app::StoreTransaction::InsertCsContainer, container);
    }
    Result<app::CsContainer> GetCsContainer(app::CsContainerId id) override {
        return Call(&app::StoreTransaction::GetCsContainer, id);
    }
    Result<std::vector<app::CsContainer>> ListCsContainers() override {
        return Call(&app::StoreTransaction::ListCsContainers);
    }
    Status LockCsContainer(app::CsContainerId id) override { return Call(&app::StoreTransaction::LockCsContainer, id); }
    Result<std::optional<app::User>> FindMedicalDirector() override {
        return Call(&app::StoreTransaction::FindMedicalDirector);
    }
    Status LockAdministrationDraws(app::AdministrationId administration) override {
        return Call(&app::StoreTransaction::LockAdministrationDraws, administration);
    }
    Result<app::CsEntryId> InsertCsEntry(const app::CsEntry& entry) override {
        return Call(&app::StoreTransaction::InsertCsEntry, entry);
    }
    Result<app::CsEntry> GetCsEntry(app::CsEntryId id) override { return Call(&app::StoreTransaction::GetCsEntry, id); }
    Result<std::vector<app::CsEntry>> ListCsEntries(app::CsContainerId container) override {
        return Call(&app::StoreTransaction::ListCsEntries, container);
    }
    Result<std::vector<app::CsEntry>> ListAllCsEntries() override {
        return Call(&app::StoreTransaction::ListAllCsEntries);
    }

    // app::StandingOrderTransaction
    Result<app::StandingOrderSetId> InsertStandingOrderSet(const app::StandingOrderSet& set) override {
        return Call(&app::StoreTransaction::InsertStandingOrderSet, set);
    }
    Result<std::vector<app::StandingOrderSet>> ListStandingOrderSets() override {
        return Call(&app::StoreTransaction::ListStandingOrderSets);
    }
    Result<app::OneOffOrderId> InsertOneOffOrder(const app::OneOffOrder& order) override {
        return Call(&app::StoreTransaction::InsertOneOffOrder, order);
    }
    Result<app::OneOffOrder> GetOneOffOrder(app::OneOffOrderId id) override {
        return Call(&app::StoreTransaction::GetOneOffOrder, id);
    }
    Result<std::vector<app::OneOffOrder>> ListOneOffOrders(app::SessionId session) override {
        return Call(&app::StoreTransaction::ListOneOffOrders, session);
    }
    Status InsertPrnDose(app::SessionMedicationId dose, const app::PrnOrderRef& order) override {
        return Call(&app::StoreTransaction::InsertPrnDose, dose, order);
    }
    Result<app::PrnDose> GetPrnDose(app::SessionMedicationId dose) override {
        return Call(&app::StoreTransaction::GetPrnDose, dose);
    }
    Result<std::vector<app::PrnDose>> ListPrnDoses(app::SessionId session) override {
        return Call(&app::StoreTransaction::ListPrnDoses, session);
    }
    Status InsertPrnResponse(app::SessionMedicationId dose, const app::PrnResponse& response) override {
        return Call(&app::StoreTransaction::InsertPrnResponse, dose, response);
    }
    Status LockSessionPrnDoses(app::SessionId session) override {
        return Call(&app::StoreTransaction::LockSessionPrnDoses, session);
    }

private:
    template <typename Operation, typename... Args>
    std::invoke_result_t<Operation, app::StoreTransaction&, Args&...> Call(Operation operation, Args&... args) {
        if (std::optional<Error> injected = faults_.NextCall()) {
            return *std::move(injected);
        }
        return (real_.*operation)(args...);
    }

    app::StoreTransaction& real_;
    FaultStore& faults_;
};

}  // namespace

Error InjectedError(ErrorCode code, std::string_view where) {
    return Error{code, "", "injected fault at " + std::string(where)};
}

void FaultStore::FailCall(int call, ErrorCode code) {
    Disarm();
    failing_call_ = call;
    code_ = code;
}

void FaultStore::FailCommit(ErrorCode code) {
    Disarm();
    failing_commit_ = true;
    code_ = code;
}

void FaultStore::Disarm() {
    failing_call_ = 0;
    failing_commit_ = false;
    calls_ = 0;
    fired_ = false;
}

std::optional<Error> FaultStore::NextCall() {
    ++calls_;
    if (calls_ != failing_call_) {
        return std::nullopt;
    }
    fired_ = true;
    return InjectedError(code_, "call " + std::to_string(calls_));
}

Status FaultStore::Write(const app::TransactionWork& work) {
    return real_.Write([&](app::StoreTransaction& real) -> Status {
        FaultTransaction faulty(real, *this);
        RETURN_IF_ERROR(work(faulty));
        if (failing_commit_ && !fired_) {
            // The real store rolls back what the work wrote, as a commit the database refused leaves nothing.
            fired_ = true;
            return InjectedError(code_, "commit");
        }
        return Status::Ok();
    });
}

Status FaultStore::Read(const app::TransactionWork& work) {
    return real_.Read([&](app::StoreTransaction& real) -> Status {
        FaultTransaction faulty(real, *this);
        return work(faulty);
    });
}

}  // namespace kclinic::adapters::storage::contract
