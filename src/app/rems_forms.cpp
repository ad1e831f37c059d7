#include "app/rems_forms.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/treatment_text.hpp"
#include "base/text.hpp"
#include "clinical/rems.hpp"
#include "clinical/session_state.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::app {
namespace {

using clinical::SessionState;
using std::chrono::days;

constexpr std::size_t kMaxTextLength = 200;
constexpr int kMaxReadyToLeaveMinutes = 600;
// Spravato REMS (clinical-reference §3.8): the Patient Monitoring Form is submitted within 7 days of the session.
constexpr days kRemsSubmissionWindow{7};

std::vector<Administration> EsketamineDevices(const std::vector<Administration>& administrations) {
    std::vector<Administration> devices;
    std::copy_if(administrations.begin(), administrations.end(), std::back_inserter(devices),
                 [](const Administration& given) { return given.route == clinical::Route::kEsketamineNasal; });
    return devices;
}

// The step that ended monitoring: the one to ready_for_discharge, or else the one that stopped the session.
std::optional<SessionTransition> EndOfMonitoring(const std::vector<SessionTransition>& transitions) {
    std::optional<SessionTransition> stopped;
    for (const SessionTransition& transition : transitions) {
        if (transition.to_state == SessionState::kReadyForDischarge) {
            return transition;
        }
        if (transition.to_state == SessionState::kAborted || transition.to_state == SessionState::kCancelled) {
            stopped = transition;
        }
    }
    return stopped;
}

// The clinic's REMS-certified healthcare setting (rems.healthcare_setting), which a form due names; a clinic that
// has not configured it cannot show or submit one, as the REMS would refuse a form that names no certified setting.
Result<std::string_view> CertifiedSetting(const clinical::ClinicSettings& settings) {
    if (settings.rems.healthcare_setting.empty()) {
        return Error{ErrorCode::kFailedPrecondition, "rems.healthcare_setting",
                     "the clinic's REMS-certified healthcare setting is not configured; an admin sets it first "
                     "(setting rems.healthcare_setting)"};
    }
    return std::string_view(settings.rems.healthcare_setting);
}

// Assembles the session's form from its record (see rems_forms.hpp for where each field comes from), dated
// `treatment_date`, the date its form record was opened with (the first device's, in the clinic's zone).
Result<RemsMonitoringForm> AssembleForm(StoreTransaction& tx, const TreatmentSession& session,
                                        std::chrono::sys_days treatment_date, std::string_view setting_name,
                                        const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(Patient patient, tx.GetPatient(session.patient));
    ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session.id));
    ASSIGN_OR_RETURN(std::vector<SessionTransition> transitions, tx.ListSessionTransitions(session.id));
    const std::vector<Administration> devices = EsketamineDevices(WithoutEnteredInError(std::move(given)));
    const std::optional<SessionTransition> end = EndOfMonitoring(transitions);
    // A form is opened only when a session ends with a device given, after its step to ready_for_discharge or
    // the step that stopped it; anything else is a broken record.
    if (devices.empty() || !end) {
        return Error{ErrorCode::kInternal, "session_id",
                     "session " + std::to_string(session.id.value) +
                         " has a REMS form but no esketamine device or no recorded end of monitoring"};
    }
    clinical::RemsSessionFacts facts;
    for (const Administration& device : devices) {
        facts.devices.push_back(clinical::RemsDevice{device.dose_mg, device.lot_number, device.started_at});
    }
    facts.monitoring_ended_at = end->at;
    facts.pre_dose_bp_overridden = session.bp_override.has_value();
    const TimePoint first_device = devices.front().started_at;  // ListAdministrations: in the order they started
    ASSIGN_OR_RETURN(std::vector<VitalSign> vitals,
                     tx.ListVitalSignsBetween(session.patient, session.checked_in_at.value_or(first_device), end->at));
    for (const VitalSign& vital : vitals) {
        if (vital.entered_in_error) {
            continue;  // a reading entered in error is no reading the form may report
        }
        if (vital.loinc == clinical::kBloodPressurePanelLoinc && vital.diastolic) {
            // The form reads a blood pressure as its systolic and diastolic at one instant: this reading's.
            facts.vitals.push_back(
                clinical::RemsVital{std::string(clinical::kSystolicBpLoinc), vital.value, vital.observed_at});
            facts.vitals.push_back(
                clinical::RemsVital{std::string(clinical::kDiastolicBpLoinc), *vital.diastolic, vital.observed_at});
        } else {
            facts.vitals.push_back(clinical::RemsVital{vital.loinc, vital.value, vital.observed_at});
        }
    }
    ASSIGN_OR_RETURN(std::vector<Assessment> assessments, tx.ListAssessments(session.patient));
    for (const Assessment& assessment : WithoutEnteredInError(std::move(assessments))) {
        facts.assessments.push_back(clinical::RemsAssessment{assessment.instrument, assessment.total, assessment.flags,
                                                             assessment.assessed_at});
    }
    ASSIGN_OR_RETURN(std::vector<HistoryEntry> history, tx.ListHistoryEntries(session.patient));
    for (const HistoryEntry& entry : history) {
        if (IsCurrentMedicationOn(entry, treatment_date) && entry.noted_at <= end->at) {
            facts.medications.push_back(entry.value);
        }
    }
    // The form asks which of these classes the patient takes; one given during the session counts too.
    ASSIGN_OR_RETURN(std::vector<SessionMedication> given_in_session, tx.ListSessionMedications(session.id));
    for (const SessionMedication& medication : given_in_session) {
        facts.medications.push_back(medication.drug);
    }
    ASSIGN_OR_RETURN(clinical::RemsMonitoring monitoring, clinical::AssessRemsMonitoring(facts, settings));
    ASSIGN_OR_RETURN(std::vector<Administration> earlier, tx.ListPatientAdministrations(session.patient));
    const bool dosed_before = std::any_of(earlier.begin(), earlier.end(), [&](const Administration& other) {
        return !other.entered_in_error && other.session != session.id &&
               other.route == clinical::Route::kEsketamineNasal && other.started_at < first_device;
    });

    RemsMonitoringForm form;
    form.patient_given_name = patient.given_name;
    form.patient_family_name = patient.family_name;
    form.patient_birth_date = patient.birth_date;
    form.patient_sex = patient.sex;
    form.first_treatment = !dosed_before;
    form.monitoring_provider = end->by;
    form.healthcare_setting = std::string(setting_name);
    form.administered_on = treatment_date;
    form.monitoring = std::move(monitoring);
    return form;
}

std::vector<std::string> NotesOn(const RemsMonitoringForm& form) {
    const clinical::RemsMonitoring& monitoring = form.monitoring;
    std::vector<std::string> notes;
    if (!monitoring.monitoring_minimum_met) {
        notes.push_back("monitoring lasted " + std::to_string(monitoring.monitoring_minutes) +
                        " min from the first device, under the REMS minimum of " +
                        std::to_string(clinical::kEsketamineMinMonitoringMinutes) +
                        " min; the form reports it as it happened");
    }
    if (!monitoring.bp_before_administration) {
        notes.emplace_back("no blood pressure recorded before the first device");
    }
    if (!monitoring.bp_40_minutes_after) {
        notes.emplace_back("no blood pressure recorded 30 to 50 min after the first device");
    }
    if (!monitoring.bp_before_end) {
        notes.emplace_back("no blood pressure recorded between the first device and the end of monitoring");
    }
    if (!monitoring.lowest_spo2_percent) {
        notes.emplace_back("no pulse oximetry recorded between the first device and the end of monitoring");
    }
    return notes;
}

// A form lacking a reading the REMS asks for is submitted only with a prescriber's stated reason, and a reason is
// given only for such a form. Errors as RemsForms::Submit's for "missing_readings_reason".
Status CheckMissingReadingsReason(const RemsMonitoringForm& form, std::optional<std::string_view> reason) {
    const std::vector<std::string> missing = clinical::MissingRemsReadings(form.monitoring);
    if (reason) {
        RETURN_IF_ERROR(CheckText("missing_readings_reason", *reason, treatment_text::kReasonRule));
        if (missing.empty()) {
            return InvalidArgument("missing_readings_reason", "the form lacks no reading the REMS asks for");
        }
        return Status::Ok();
    }
    if (!missing.empty()) {
        std::string names;
        for (const std::string& name : missing) {
            names += (names.empty() ? "" : ", ") + name;
        }
        return Error{ErrorCode::kFailedPrecondition, "missing_readings_reason",
                     "the form lacks " + names +
                         "; a prescriber submits it only with a stated reason (Spravato REMS: BP before dosing, about "
                         "40 min after, and before the end of monitoring)"};
    }
    return Status::Ok();
}

Error NoForm(SessionId session) {
    return Error{ErrorCode::kNotFound, "session_id",
                 "session " + std::to_string(session.value) +
                     " has no REMS monitoring form: one is opened when an esketamine session ends after a device "
                     "was given"};
}

// The session's form record and its fields: the submitted snapshot, or assembled now while due.
Result<RemsFormView> ReadForm(StoreTransaction& tx, SessionId session, std::string_view setting_name,
                              const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(TreatmentSession stored, tx.GetSession(session));
    ASSIGN_OR_RETURN(std::optional<RemsFormRecord> record, tx.FindRemsForm(session));
    if (!record) {
        return NoForm(session);
    }
    RemsFormView view;
    view.record = std::move(record).value();
    if (view.record.submission) {
        view.form = view.record.submission->form;
    } else {
        ASSIGN_OR_RETURN(RemsMonitoringForm assembled,
                         AssembleForm(tx, stored, view.record.treatment_date, setting_name, settings));
        view.form = std::move(assembled);
    }
    view.notes = NotesOn(view.form);
    if (view.record.submission && !view.record.submission->missing_readings_reason.empty()) {
        view.notes.push_back("submitted without every reading the REMS asks for; the prescriber's reason: " +
                             view.record.submission->missing_readings_reason);
    }
    return view;
}

}  // namespace

Status OpenRemsFormIfOwed(StoreTransaction& tx, const Actor& actor, const TreatmentSession& session, TimePoint now,
                          const TimeZones& zones) {
    if (!clinical::IsFinal(session.state)) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(TreatmentCourse course, tx.GetCourse(session.course));
    if (course.route != clinical::Route::kEsketamineNasal) {
        return Status::Ok();
    }
    ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session.id));
    const std::vector<Administration> devices = EsketamineDevices(WithoutEnteredInError(std::move(given)));
    if (devices.empty()) {
        return Status::Ok();
    }
    RemsFormRecord form;
    form.session = session.id;
    form.patient = session.patient;
    // The REMS treatment date is the date of administration at the healthcare setting: the clinic's calendar day, so
    // a 19:30 session in New York (00:30 UTC) is dated that day, not the next.
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones));
    form.treatment_date = zone.LocalDate(devices.front().started_at);
    form.due_date = form.treatment_date + kRemsSubmissionWindow;
    form.created_at = now;
    form.created_by = actor.user;
    ASSIGN_OR_RETURN(RemsFormId id, tx.InsertRemsForm(form));
    return RecordAudit(tx, actor, now, "rems_form.create", "rems_form", id.value, session.patient.value);
}

Result<RemsFormView> RemsForms::GetForm(const Actor& actor, SessionId session,
                                        const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(const std::string_view setting_name, CertifiedSetting(settings));
    return store_.Write([&](StoreTransaction& tx) -> Result<RemsFormView> {
        ASSIGN_OR_RETURN(RemsFormView view, ReadForm(tx, session, setting_name, settings));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "rems_form.read", "rems_form", view.record.id.value,
                                    view.record.patient.value));
        return view;
    });
}

Result<RemsFormView> RemsForms::Submit(const Actor& actor, SessionId session, int ready_to_leave_minutes,
                                       std::string_view confirmation_reference,
                                       const clinical::ClinicSettings& settings,
                                       std::optional<std::string_view> missing_readings_reason) {
    ASSIGN_OR_RETURN(const std::string_view setting_name, CertifiedSetting(settings));
    RETURN_IF_ERROR(CheckText("confirmation_reference", confirmation_reference,
                              {.max_characters = kMaxTextLength, .required = false}));
    if (ready_to_leave_minutes < 0 || ready_to_leave_minutes > kMaxReadyToLeaveMinutes) {
        return OutOfRange("ready_to_leave_minutes", ready_to_leave_minutes, 0, kMaxReadyToLeaveMinutes, "min");
    }
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<RemsFormView> {
        ASSIGN_OR_RETURN(RemsFormView view, ReadForm(tx, session, setting_name, settings));
        if (view.record.submission) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "the REMS form of session " + std::to_string(session.value) + " was submitted by " +
                             view.record.submission->submitted_by + "; a submitted form is never edited"};
        }
        RETURN_IF_ERROR(CheckMissingReadingsReason(view.form, missing_readings_reason));
        view.form.ready_to_leave_minutes = ready_to_leave_minutes;
        RemsSubmission submission{view.form, std::string(confirmation_reference), now, actor.user,
                                  std::string(missing_readings_reason.value_or(""))};
        RETURN_IF_ERROR(tx.SubmitRemsForm(view.record.id, submission));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now,
                                    missing_readings_reason ? "rems_form.submit_missing_readings" : "rems_form.submit",
                                    "rems_form", view.record.id.value, view.record.patient.value));
        // Read back, so the notes say what the stored form says.
        return ReadForm(tx, session, setting_name, settings);
    });
}

Result<RemsFormView> RemsForms::AddConfirmationReference(const Actor& actor, SessionId session,
                                                         std::string_view confirmation_reference) {
    RETURN_IF_ERROR(CheckText("confirmation_reference", confirmation_reference, {.max_characters = kMaxTextLength}));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<RemsFormView> {
        ASSIGN_OR_RETURN(std::optional<RemsFormRecord> record, tx.FindRemsForm(session));
        if (!record) {
            return NoForm(session);
        }
        if (!record->submission) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "the REMS form of session " + std::to_string(session.value) +
                             " is not submitted yet; its confirmation reference is given when it is submitted"};
        }
        if (!record->submission->confirmation_reference.empty()) {
            return Error{ErrorCode::kFailedPrecondition, "confirmation_reference",
                         "the REMS form of session " + std::to_string(session.value) +
                             " already has the confirmation reference " + record->submission->confirmation_reference +
                             "; it is added once"};
        }
        RETURN_IF_ERROR(tx.SetRemsConfirmationReference(record->id, confirmation_reference));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "rems_form.confirm", "rems_form", record->id.value, record->patient.value));
        // A submitted form is its snapshot: the setting and settings are not read.
        return ReadForm(tx, session, record->submission->form.healthcare_setting, clinical::ClinicSettings{});
    });
}

Result<std::vector<DueRemsForm>> RemsForms::ListDue(const Actor& actor) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<DueRemsForm>> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        const std::chrono::sys_days today = zone.LocalDate(now);
        ASSIGN_OR_RETURN(std::vector<RemsFormRecord> listed, tx.ListDueRemsForms());
        std::vector<DueRemsForm> due;
        for (RemsFormRecord& record : listed) {
            const bool overdue = record.due_date < today;
            due.push_back(DueRemsForm{std::move(record), overdue});
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "rems_form.list", "rems_form", 0, 0));
        return due;
    });
}

}  // namespace kclinic::app
