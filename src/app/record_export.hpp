#pragma once

// Moving a clinic's data out: the whole clinic record, read in one consistent snapshot and handed, patient by
// patient, to a sink (the CLI writes NDJSON), with the users (no secret of theirs) and the audit log. Every exported
// patient gets a "patient.export" audit entry, and the export as a whole a "record.export" entry, written once the
// snapshot has been read.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/controlled_substances.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// One patient's whole record, each list oldest first.
struct PatientRecordExport {
    Patient patient;
    std::vector<WeightMeasurement> weights;
    std::vector<HistoryEntry> history;
    std::vector<TrialRecord> trials;
    std::vector<ScreeningRecord> screenings;
    std::vector<VitalSign> vital_signs;
    std::vector<Assessment> assessments;
    std::vector<TreatmentCourse> courses;
    std::vector<TreatmentSession> sessions;
    std::vector<SessionTransition> session_transitions;
    std::vector<DoseOrderRecord> dose_orders;
    std::vector<Administration> administrations;  // each with its infusion stop
    std::vector<SessionMedication> session_medications;
    std::vector<OneOffOrder> one_off_orders;
    std::vector<PrnDose> prn_doses;  // the session medications given as PRN doses, with their orders and responses
    std::vector<Alert> alerts;
    std::vector<AdverseEvent> adverse_events;
    std::vector<Note> notes;  // each with its addenda
    std::vector<RemsFormRecord> rems_forms;
    std::vector<Appointment> appointments;  // by start, every status
    std::vector<MissedInduction> missed_inductions;
    std::vector<QuestionnaireAssignment> questionnaire_assignments;  // ended ones included
};

// Receives the export in order: the clinic's settings, its users, every version of its standing-order set, the count
// discrepancies, the rooms and closed days, the devices and the controlled-substance log once, then each patient, then
// the device log reading by reading, then the audit log entry by entry.
// An error from any call stops the export and is returned from RecordExport::Export.
class RecordExportSink {
public:
    virtual ~RecordExportSink() = default;
    // The settings a clinic changed from their defaults, as (name, value) text pairs in name order.
    virtual Status Settings(const std::vector<std::pair<std::string, std::string>>& overrides) = 0;
    // Every version, oldest first (none when the clinic never signed one).
    virtual Status StandingOrderSets(const std::vector<StandingOrderSet>& sets) = 0;
    // Every user, disabled ones included, in id order, without their password hash (the sink must not write it):
    // the audit log names them, and a clinic moving its data needs to know who each name was.
    virtual Status Users(const std::vector<User>& users) = 0;
    // Every count discrepancy of the controlled-substance log, oldest first, each with its resolution once signed:
    // the medical director's alerts, open and closed (issue 14 §2). The log's entries themselves are its reports'.
    virtual Status CountDiscrepancies(const std::vector<CsDiscrepancy>& discrepancies) = 0;
    // Every treatment room or chair (inactive ones included, with the monitors bound to it) in id order, and every
    // closed day in date order.
    virtual Status Schedule(const std::vector<TreatmentRoom>& rooms, const std::vector<ClosedDay>& closed_days) = 0;
    // Every bedside monitor seen, in id order.
    virtual Status Devices(const std::vector<Device>& devices) = 0;
    // The controlled-substance log (21 CFR 1304.04: kept two years, and a clinic moving its data takes it along):
    // every container as received, in id order, and every entry of every container, in the order they were appended.
    virtual Status ControlledSubstances(const std::vector<CsContainer>& containers,
                                        const std::vector<CsEntry>& entries) = 0;
    virtual Status Patient(const PatientRecordExport& record) = 0;
    // The device log, oldest first, one reading at a time (it can be large): assigned readings as well as the ones
    // no session took.
    virtual Status DeviceLog(const DeviceReading& reading) = 0;
    virtual Status Audit(const AuditEntry& entry) = 0;
};

struct ExportSummary {
    int patients = 0;
    int users = 0;
    std::int64_t device_readings = 0;
    std::int64_t audit_entries = 0;
};

class RecordExport {
public:
    // `store` and `clock` must outlive this object.
    RecordExport(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Reads the whole record in one read-only snapshot and passes it to `sink`. The audit entries for every patient
    // handed to the sink are written afterwards, also when the export stopped part-way (their data was read and
    // may have been written out in part).
    // Errors: the sink's; the store's.
    Result<ExportSummary> Export(const Actor& actor, RecordExportSink& sink);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
