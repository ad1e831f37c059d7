#include "app/record_export.hpp"

#include <chrono>
#include <iterator>
#include <string>

#include "app/audit.hpp"

namespace kclinic::app {
namespace {

// Pages small enough that one page of patients or audit entries never holds much memory.
constexpr int kPatientPage = 100;
constexpr int kAuditPage = 500;
constexpr int kAlertPage = 500;
constexpr int kDeviceReadingPage = 500;
// Every date a closed day can have (stored as ISO 8601 text, so four-digit years).
constexpr std::chrono::sys_days kFirstDay{std::chrono::year{1} / 1 / 1};
constexpr std::chrono::sys_days kLastDay{std::chrono::year{9999} / 12 / 31};

// Appends every value of `listed` to `into`, or returns its error.
template <typename T>
Status Append(Result<std::vector<T>> listed, std::vector<T>& into) {
    ASSIGN_OR_RETURN(std::vector<T> values, std::move(listed));
    into.insert(into.end(), std::make_move_iterator(values.begin()), std::make_move_iterator(values.end()));
    return Status::Ok();
}

Status ReadPatient(StoreTransaction& tx, PatientRecordExport& record) {
    const PatientId id = record.patient.id;
    RETURN_IF_ERROR(Append(tx.ListWeights(id), record.weights));
    RETURN_IF_ERROR(Append(tx.ListHistoryEntries(id), record.history));
    RETURN_IF_ERROR(Append(tx.ListTrials(id), record.trials));
    RETURN_IF_ERROR(Append(tx.ListScreenings(id), record.screenings));
    RETURN_IF_ERROR(Append(tx.ListVitalSignsBetween(id, TimePoint{}, TimePoint::max()), record.vital_signs));
    RETURN_IF_ERROR(Append(tx.ListAssessments(id), record.assessments));
    RETURN_IF_ERROR(Append(tx.ListCourses(id), record.courses));
    RETURN_IF_ERROR(Append(tx.ListAdverseEvents(id), record.adverse_events));
    RETURN_IF_ERROR(Append(tx.ListNotes(id, std::nullopt), record.notes));
    for (const TreatmentCourse& course : record.courses) {
        RETURN_IF_ERROR(Append(tx.ListSessions(course.id), record.sessions));
    }
    for (const TreatmentSession& session : record.sessions) {
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session.id));
        if (order) {
            record.dose_orders.push_back(std::move(*order));
        }
        ASSIGN_OR_RETURN(std::optional<RemsFormRecord> form, tx.FindRemsForm(session.id));
        if (form) {
            record.rems_forms.push_back(std::move(*form));
        }
        RETURN_IF_ERROR(Append(tx.ListAdministrations(session.id), record.administrations));
        RETURN_IF_ERROR(Append(tx.ListSessionMedications(session.id), record.session_medications));
        RETURN_IF_ERROR(Append(tx.ListOneOffOrders(session.id), record.one_off_orders));
        RETURN_IF_ERROR(Append(tx.ListPrnDoses(session.id), record.prn_doses));
        RETURN_IF_ERROR(Append(tx.ListSessionTransitions(session.id), record.session_transitions));
    }
    for (const TreatmentCourse& course : record.courses) {
        RETURN_IF_ERROR(Append(tx.ListMissedInductions(course.id), record.missed_inductions));
    }
    AppointmentFilter appointments;
    appointments.from = TimePoint{};
    appointments.to = TimePoint::max();
    appointments.patient = id;
    RETURN_IF_ERROR(Append(tx.ListAppointments(appointments), record.appointments));
    RETURN_IF_ERROR(Append(tx.ListQuestionnaireAssignments(id), record.questionnaire_assignments));
    AlertFilter alerts;
    alerts.patient = id;
    alerts.limit = kAlertPage;
    for (;;) {
        const std::size_t before = record.alerts.size();
        RETURN_IF_ERROR(Append(tx.ListAlerts(alerts), record.alerts));
        if (record.alerts.size() - before < static_cast<std::size_t>(kAlertPage)) {
            return Status::Ok();
        }
        alerts.after_id = record.alerts.back().id.value;
    }
}

}  // namespace

Result<ExportSummary> RecordExport::Export(const Actor& actor, RecordExportSink& sink) {
    ExportSummary summary;
    // Filled as the read goes, not returned from it: the patients already handed to the sink are audited also when
    // the read fails part-way.
    std::vector<PatientId> exported;
    const Status read = store_.Read([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(const auto settings, tx.LoadSettings());
        RETURN_IF_ERROR(sink.Settings(settings));
        std::vector<User> users;
        for (UserId after{};;) {
            ASSIGN_OR_RETURN(std::vector<User> page, tx.ListUsers(after, kPatientPage));
            for (User& user : page) {
                after = user.id;
                user.password_hash.clear();  // never leaves the database
                users.push_back(std::move(user));
            }
            if (static_cast<int>(page.size()) < kPatientPage) {
                break;
            }
        }
        summary.users = static_cast<int>(users.size());
        RETURN_IF_ERROR(sink.Users(users));
        ASSIGN_OR_RETURN(const std::vector<StandingOrderSet> standing_orders, tx.ListStandingOrderSets());
        RETURN_IF_ERROR(sink.StandingOrderSets(standing_orders));
        ASSIGN_OR_RETURN(const std::vector<CsDiscrepancy> discrepancies, CountDiscrepancies(tx, false));
        RETURN_IF_ERROR(sink.CountDiscrepancies(discrepancies));
        ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
        ASSIGN_OR_RETURN(const std::vector<ClosedDay> closed_days, tx.ListClosedDays(kFirstDay, kLastDay));
        RETURN_IF_ERROR(sink.Schedule(rooms, closed_days));
        ASSIGN_OR_RETURN(const std::vector<Device> devices, tx.ListDevices());
        RETURN_IF_ERROR(sink.Devices(devices));
        ASSIGN_OR_RETURN(const std::vector<CsContainer> containers, tx.ListCsContainers());
        ASSIGN_OR_RETURN(const std::vector<CsEntry> entries, tx.ListAllCsEntries());
        RETURN_IF_ERROR(sink.ControlledSubstances(containers, entries));
        for (PatientId after{};;) {
            ASSIGN_OR_RETURN(std::vector<Patient> patients, tx.ListPatients(after, kPatientPage));
            for (Patient& patient : patients) {
                after = patient.id;
                PatientRecordExport record;
                record.patient = std::move(patient);
                RETURN_IF_ERROR(ReadPatient(tx, record));
                exported.push_back(record.patient.id);
                RETURN_IF_ERROR(sink.Patient(record));
            }
            if (static_cast<int>(patients.size()) < kPatientPage) {
                break;
            }
        }
        DeviceReadingFilter readings;
        readings.unassigned_only = false;
        readings.limit = kDeviceReadingPage;
        for (;;) {
            ASSIGN_OR_RETURN(const std::vector<DeviceReading> page, tx.ListDeviceReadings(readings));
            for (const DeviceReading& reading : page) {
                readings.after_id = reading.id.value;
                RETURN_IF_ERROR(sink.DeviceLog(reading));
                ++summary.device_readings;
            }
            if (static_cast<int>(page.size()) < kDeviceReadingPage) {
                break;
            }
        }
        AuditFilter filter;
        filter.limit = kAuditPage;
        for (;;) {
            ASSIGN_OR_RETURN(std::vector<AuditEntry> page, tx.ListAudit(filter));
            for (const AuditEntry& entry : page) {
                filter.after_id = entry.id.value;
                RETURN_IF_ERROR(sink.Audit(entry));
                ++summary.audit_entries;
            }
            if (static_cast<int>(page.size()) < kAuditPage) {
                break;
            }
        }
        return Status::Ok();
    });
    summary.patients = static_cast<int>(exported.size());

    const TimePoint now = clock_.Now();
    const Status audited = store_.Write([&](StoreTransaction& tx) -> Status {
        for (PatientId patient : exported) {
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "patient.export", "patient", patient.value, patient.value));
        }
        return RecordAudit(tx, actor, now, "record.export", "clinic", 0, 0);
    });
    RETURN_IF_ERROR(read);
    RETURN_IF_ERROR(audited);
    return summary;
}

}  // namespace kclinic::app
