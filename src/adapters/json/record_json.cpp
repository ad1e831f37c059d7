#include "adapters/json/record_json.hpp"

#include <string>
#include <utility>

#include "adapters/json/json_fields.hpp"
#include "app/access_rules.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::json {
namespace {

void PutTimeIfPresent(Json& json, const char* key, const std::optional<app::TimePoint>& time) {
    if (time) {
        json[key] = FormatTime(*time);
    }
}

void PutDateIfPresent(Json& json, const char* key, const std::optional<std::chrono::sys_days>& date) {
    if (date) {
        json[key] = FormatDate(*date);
    }
}

// A reading the record lacks is left out, as every absent value is.
void PutBloodPressureIfPresent(Json& json, const char* key,
                               const std::optional<clinical::TimedBloodPressure>& reading) {
    if (reading) {
        json[key] = Json{{"systolic", reading->value.systolic_mmhg},
                         {"diastolic", reading->value.diastolic_mmhg},
                         {"observed_at", FormatTime(reading->observed_at)}};
    }
}

// An observation (a weight, a vital sign) shows its mark, or null while it is valid, and the FHIR Observation.status
// that goes with it (final or entered-in-error); the other markable records show the mark alone (EnteredInErrorJson).
void PutEnteredInError(Json& json, const std::optional<app::EnteredInError>& mark) {
    json["entered_in_error"] = EnteredInErrorJson(mark);
    json["status"] = mark ? "entered-in-error" : "final";
}

}  // namespace

Json ToJson(const app::Patient& patient) {
    return Json{
        {"id", patient.id.value},
        {"mrn", patient.mrn},
        {"given_name", patient.given_name},
        {"family_name", patient.family_name},
        {"birth_date", FormatDate(patient.birth_date)},
        {"sex", clinical::SexName(patient.sex)},
        {"version", patient.version},
        {"created_at", FormatTime(patient.created_at)},
        {"created_by", patient.created_by},
        {"clinician", patient.clinician},
        {"address", patient.address},
    };
}

Json ToJson(const app::WeightMeasurement& weight) {
    Json json{
        {"id", weight.id.value},
        {"patient_id", weight.patient.value},
        {"measured_at", FormatTime(weight.measured_at)},
        {"weight_kg", weight.weight_kg},
        {"recorded_at", FormatTime(weight.recorded_at)},
        {"recorded_by", weight.recorded_by},
        {"late_entry", weight.late_entry},
        {"confirmed", weight.confirmed},
    };
    PutEnteredInError(json, weight.entered_in_error);
    return json;
}

Json ToJson(const app::VitalSign& vital) {
    Json json{
        {"id", vital.id.value},
        {"patient_id", vital.patient.value},
        {"loinc", vital.loinc},
        {"unit", vital.unit},
        {"observed_at", FormatTime(vital.observed_at)},
        {"source", app::VitalSourceName(vital.source)},
        {"recorded_at", FormatTime(vital.recorded_at)},
        {"recorded_by", vital.recorded_by},
        {"late_entry", vital.late_entry},
        {"session_id", vital.session ? Json(vital.session->value) : Json(nullptr)},
    };
    if (vital.diastolic) {
        // A blood-pressure reading (85354-9) shows its components by name, as the request gave them.
        json["systolic"] = vital.value;
        json["diastolic"] = *vital.diastolic;
        PutIfPresent(json, "mean_arterial", vital.mean_arterial);
    } else {
        json["value"] = vital.value;
    }
    PutIfNotEmpty(json, "device_id", vital.device_id);
    PutIfNotEmpty(json, "device_message_id", vital.device_message_id);
    PutEnteredInError(json, vital.entered_in_error);
    return json;
}

Json EnteredInErrorJson(const std::optional<app::EnteredInError>& mark) {
    if (!mark) {
        return nullptr;
    }
    return Json{{"reason", mark->reason}, {"marked_at", FormatTime(mark->marked_at)}, {"marked_by", mark->marked_by}};
}

Json ToJson(const app::Assessment& assessment) {
    return Json{
        {"id", assessment.id.value},
        {"patient_id", assessment.patient.value},
        {"instrument", clinical::InstrumentName(assessment.instrument)},
        {"answers", assessment.answers},
        {"total", assessment.total},
        {"band", assessment.band},
        {"band_rule", assessment.band_rule},
        {"flags", assessment.flags},
        {"assessed_at", FormatTime(assessment.assessed_at)},
        {"recorded_at", FormatTime(assessment.recorded_at)},
        {"recorded_by", assessment.recorded_by},
        {"late_entry", assessment.late_entry},
        {"entered_in_error", EnteredInErrorJson(assessment.entered_in_error)},
    };
}

Json ToJson(const app::HistoryEntry& entry) {
    Json json{
        {"id", entry.id.value},
        {"patient_id", entry.patient.value},
        {"kind", app::HistoryKindName(entry.kind)},
        {"value", entry.value},
        {"noted_at", FormatTime(entry.noted_at)},
        {"noted_by", entry.noted_by},
        {"entered_in_error", EnteredInErrorJson(entry.entered_in_error)},
    };
    if (entry.kind == app::HistoryKind::kMedication) {
        json["stop"] = nullptr;
        if (entry.stop) {
            json["stop"] = Json{{"stopped_on", FormatDate(entry.stop->stopped_on)},
                                {"reason", entry.stop->reason},
                                {"recorded_at", FormatTime(entry.stop->recorded_at)},
                                {"recorded_by", entry.stop->recorded_by}};
        }
    }
    return json;
}

Json ToJson(const app::TrialRecord& trial) {
    Json json{
        {"id", trial.id.value},
        {"patient_id", trial.patient.value},
        {"drug", trial.trial.drug},
        {"weeks", trial.trial.weeks},
        {"adequate_dose", trial.trial.adequate_dose},
        {"improvement_percent", trial.trial.improvement_percent},
        {"current_episode", trial.trial.current_episode},
        {"recorded_at", FormatTime(trial.recorded_at)},
        {"recorded_by", trial.recorded_by},
        {"entered_in_error", EnteredInErrorJson(trial.entered_in_error)},
    };
    PutDateIfPresent(json, "started_on", trial.started_on);
    PutDateIfPresent(json, "ended_on", trial.ended_on);
    return json;
}

Json ToJson(const app::ScreeningRecord& screening) {
    Json json{
        {"id", screening.id.value},
        {"patient_id", screening.patient.value},
        {"inputs", IntakeToJson(screening.inputs)},
        {"result", ToJson(screening.result)},
        {"screened_at", FormatTime(screening.screened_at)},
        {"screened_by", screening.screened_by},
    };
    // The thresholds the screening ran with, so its findings read as they were decided.
    Json settings = Json::object();
    for (const clinical::SettingValue& setting : screening.settings) {
        settings[setting.name] = setting.value;
    }
    json["settings"] = std::move(settings);
    if (screening.signature) {
        Json signature{
            {"sign_off", app::SignOffName(screening.signature->sign_off)},
            {"signed_at", FormatTime(screening.signature->signed_at)},
            {"signed_by", screening.signature->signed_by},
        };
        PutIfNotEmpty(signature, "reason", screening.signature->reason);
        json["signature"] = std::move(signature);
    }
    return json;
}

Json ToJson(const app::TreatmentCourse& course) {
    Json json{
        {"id", course.id.value},
        {"patient_id", course.patient.value},
        {"indication", course.indication},
        {"protocol", clinical::ProtocolName(course.protocol)},
        {"route", clinical::RouteName(course.route)},
        {"start_date", FormatDate(course.start_date)},
        {"status", app::CourseStatusName(course.status)},
        {"started_at", FormatTime(course.started_at)},
        {"started_by", course.started_by},
        {"status_changed_at", FormatTime(course.status_changed_at)},
        {"status_changed_by", course.status_changed_by},
    };
    PutIfNotEmpty(json, "status_reason", course.status_reason);
    if (course.screening.value != 0) {
        json["screening_id"] = course.screening.value;
    }
    PutIfNotEmpty(json, "screening_override_reason", course.screening_override_reason);
    return json;
}

Json ToJson(const app::TreatmentSession& session) {
    Json json{
        {"id", session.id.value},
        {"course_id", session.course.value},
        {"patient_id", session.patient.value},
        {"number", session.number},
        {"planned_date", FormatDate(session.planned_date)},
        {"phase", session.phase},
        {"week", session.week},
        {"state", clinical::SessionStateName(session.state)},
        {"consent_confirmed", session.consent_confirmed},
        {"escort_confirmed", session.escort_confirmed},
        {"state_changed_at", FormatTime(session.state_changed_at)},
        {"state_changed_by", session.state_changed_by},
    };
    PutTimeIfPresent(json, "checked_in_at", session.checked_in_at);
    if (session.bp_override) {
        json["bp_override"] = {{"prescriber", session.bp_override->prescriber},
                               {"reason", session.bp_override->reason}};
    }
    PutIfNotEmpty(json, "state_reason", session.state_reason);
    return json;
}

Json ToJson(const clinical::DoseRequest& request) {
    Json json{
        {"route", clinical::RouteName(request.route)},
        {"weight_kg", request.weight_kg},
        {"first_dose", request.first_dose},
        {"weight_basis", clinical::WeightBasisName(request.weight_basis)},
        {"japanese_ancestry", request.japanese_ancestry},
    };
    PutIfPresent(json, "mg_per_kg", request.mg_per_kg);
    PutIfPresent(json, "minutes", request.minutes);
    PutIfPresent(json, "dose_mg", request.dose_mg);
    PutIfPresent(json, "concentration_mg_per_ml", request.concentration_mg_per_ml);
    PutIfPresent(json, "age_years", request.age_years);
    if (request.indication) {
        json["indication"] = clinical::EsketamineIndicationName(*request.indication);
    }
    PutIfPresent(json, "height_cm", request.height_cm);
    PutIfNotEmpty(json, "sex", request.sex);
    return json;
}

Json ToJson(const app::DoseOrderRecord& record) {
    return Json{
        {"id", record.id.value},
        {"session_id", record.session.value},
        {"patient_id", record.patient.value},
        {"request", ToJson(record.request)},
        {"order", ToJson(record.order)},
        {"signed_at", FormatTime(record.signed_at)},
        {"prescriber", record.prescriber},
        {"weight_reason", record.weight_reason.empty() ? Json(nullptr) : Json(record.weight_reason)},
    };
}

Json ToJson(const app::Administration& administration) {
    Json json{
        {"id", administration.id.value},
        {"session_id", administration.session.value},
        {"patient_id", administration.patient.value},
        {"drug", administration.drug},
        {"route", clinical::RouteName(administration.route)},
        {"dose_mg", administration.dose_mg},
        {"lot_number", administration.lot_number},
        {"started_at", FormatTime(administration.started_at)},
        {"recorded_at", FormatTime(administration.recorded_at)},
        {"recorded_by", administration.recorded_by},
        {"late_entry", administration.late_entry},
        {"entered_in_error", EnteredInErrorJson(administration.entered_in_error)},
    };
    PutIfPresent(json, "rate_mg_per_h", administration.rate_mg_per_h);
    PutIfPresent(json, "device_count", administration.device_count);
    PutTimeIfPresent(json, "stopped_at", administration.stopped_at);
    if (administration.stop) {
        const app::InfusionStop& stop = *administration.stop;
        Json stop_json{
            {"stopped_at", FormatTime(stop.stopped_at)},
            {"given_mg", stop.given_mg},
            {"late_entry", stop.late_entry},
            {"recorded_at", FormatTime(stop.recorded_at)},
            {"recorded_by", stop.recorded_by},
        };
        PutIfPresent(stop_json, "given_ml", stop.given_ml);
        if (stop.early_stop_reason) {
            stop_json["early_stop_reason"] = clinical::kInfusionStopReasonNames.Name(*stop.early_stop_reason);
        }
        if (stop.fast_infusion_accepted) {
            stop_json["fast_infusion_accepted"] = {{"prescriber", stop.fast_infusion_accepted->prescriber},
                                                   {"reason", stop.fast_infusion_accepted->reason}};
        }
        json["stop"] = std::move(stop_json);
    }
    return json;
}

Json ToJson(const app::SessionMedication& medication) {
    return Json{
        {"id", medication.id.value},
        {"session_id", medication.session.value},
        {"patient_id", medication.patient.value},
        {"drug", medication.drug},
        {"dose", medication.dose},
        {"unit", clinical::kMedicationUnitNames.Name(medication.unit)},
        {"route", clinical::kMedicationRouteNames.Name(medication.route)},
        {"given_at", FormatTime(medication.given_at)},
        {"indication", medication.indication},
        {"order_kind", clinical::kMedicationOrderKindNames.Name(medication.order_kind)},
        {"late_entry", medication.late_entry},
        {"recorded_at", FormatTime(medication.recorded_at)},
        {"recorded_by", medication.recorded_by},
    };
}

Json ToJson(const app::SessionTransition& transition) {
    Json json{
        {"id", transition.id.value},
        {"session_id", transition.session.value},
        {"to_state", clinical::SessionStateName(transition.to_state)},
        {"at", FormatTime(transition.at)},
        {"by", transition.by},
    };
    if (transition.from_state) {
        json["from_state"] = clinical::SessionStateName(*transition.from_state);
    }
    PutIfNotEmpty(json, "reason", transition.reason);
    return json;
}

Json ToJson(const app::Alert& alert) {
    Json json{
        {"id", alert.id.value},
        {"patient_id", alert.patient.value},
        {"rule", alert.rule},
        {"severity", clinical::AlertSeverityName(alert.severity)},
        {"message", alert.message},
        {"source", alert.source},
        {"record_type", alert.record_type},
        {"record_id", alert.record_id},
        {"raised_at", FormatTime(alert.raised_at)},
        {"session_id", alert.session ? Json(alert.session->value) : Json(nullptr)},
    };
    PutIfNotEmpty(json, "notify", alert.notify);
    PutTimeIfPresent(json, "acknowledged_at", alert.acknowledged_at);
    PutIfNotEmpty(json, "acknowledged_by", alert.acknowledged_by);
    PutIfNotEmpty(json, "acknowledgement_note", alert.acknowledgement_note);
    return json;
}

Json ToJson(const app::AdverseEvent& event) {
    Json actions = Json::array();
    for (clinical::AdverseEventAction action : event.actions) {
        actions.push_back(clinical::AdverseEventActionName(action));
    }
    Json serious_criteria = Json::array();
    for (clinical::SeriousCriterion criterion : event.serious_criteria) {
        serious_criteria.push_back(clinical::SeriousCriterionName(criterion));
    }
    Json json{
        {"id", event.id.value},
        {"patient_id", event.patient.value},
        {"term", event.term},
        {"grade", event.grade},
        {"onset_at", FormatTime(event.onset_at)},
        {"outcome", clinical::AdverseEventOutcomeName(event.outcome)},
        {"actions", std::move(actions)},
        {"relatedness", clinical::RelatednessName(event.relatedness)},
        {"serious", !event.serious_criteria.empty()},
        {"serious_criteria", std::move(serious_criteria)},
        {"version", event.version},
        {"recorded_at", FormatTime(event.recorded_at)},
        {"recorded_by", event.recorded_by},
        {"updated_at", FormatTime(event.updated_at)},
        {"updated_by", event.updated_by},
    };
    if (event.session) {
        json["session_id"] = event.session->value;
    }
    PutIfNotEmpty(json, "detail", event.detail);
    PutTimeIfPresent(json, "resolved_at", event.resolved_at);
    return json;
}

Json ToJson(const app::NoteAddendum& addendum) {
    return Json{{"id", addendum.id.value},
                {"note_id", addendum.note.value},
                {"body", addendum.body},
                {"written_at", FormatTime(addendum.written_at)},
                {"written_by", addendum.written_by}};
}

Json ToJson(const app::Note& note) {
    Json addenda = Json::array();
    for (const app::NoteAddendum& addendum : note.addenda) {
        addenda.push_back(ToJson(addendum));
    }
    Json json{
        {"id", note.id.value},
        {"patient_id", note.patient.value},
        {"kind", app::NoteKindName(note.kind)},
        {"body", note.body},
        {"author", note.author},
        {"created_at", FormatTime(note.created_at)},
        {"updated_at", FormatTime(note.updated_at)},
        {"version", note.version},
        {"signed", note.signed_at.has_value()},
        {"addenda", std::move(addenda)},
    };
    if (note.course) {
        json["course_id"] = note.course->value;
    }
    if (note.session) {
        json["session_id"] = note.session->value;
    }
    PutTimeIfPresent(json, "signed_at", note.signed_at);
    PutIfNotEmpty(json, "signed_by", note.signed_by);
    return json;
}

Json ToJson(const app::RemsMonitoringForm& form) {
    const clinical::RemsMonitoring& monitoring = form.monitoring;
    Json json{
        {"patient",
         {{"given_name", form.patient_given_name},
          {"family_name", form.patient_family_name},
          {"birth_date", FormatDate(form.patient_birth_date)},
          {"sex", clinical::SexName(form.patient_sex)}}},
        {"first_treatment", form.first_treatment},
        {"concomitant_medications",
         {{"benzodiazepine", monitoring.concomitant.benzodiazepine},
          {"non_benzodiazepine_sedative_hypnotic", monitoring.concomitant.sedative_hypnotic},
          {"psychostimulant", monitoring.concomitant.psychostimulant},
          {"mao_inhibitor", monitoring.concomitant.mao_inhibitor},
          {"opioid", monitoring.concomitant.opioid}}},
        {"monitoring_provider", form.monitoring_provider},
        {"healthcare_setting", form.healthcare_setting},
        {"administered_on", FormatDate(form.administered_on)},
        {"dose", clinical::RemsDoseName(monitoring.dose)},
        {"dose_mg", monitoring.dose_mg},
        {"lot_numbers", monitoring.lot_numbers},
        {"first_device_at", FormatTime(monitoring.first_device_at)},
        {"monitoring_ended_at", FormatTime(monitoring.monitoring_ended_at)},
        {"monitoring_minutes", monitoring.monitoring_minutes},
        {"monitoring_minimum_met", monitoring.monitoring_minimum_met},
        {"vitals_acceptable_before_administration", monitoring.vitals_acceptable_before_administration},
        {"vitals_acceptable_before_end", monitoring.vitals_acceptable_before_end},
        {"sedation", monitoring.sedation},
        {"dissociation", monitoring.dissociation},
        {"respiratory_depression", monitoring.respiratory_depression},
    };
    PutBloodPressureIfPresent(json, "bp_before_administration", monitoring.bp_before_administration);
    PutBloodPressureIfPresent(json, "bp_40_minutes_after", monitoring.bp_40_minutes_after);
    PutBloodPressureIfPresent(json, "bp_before_end", monitoring.bp_before_end);
    PutIfPresent(json, "lowest_spo2_percent", monitoring.lowest_spo2_percent);
    PutIfPresent(json, "ready_to_leave_minutes", form.ready_to_leave_minutes);
    return json;
}

Json ToJson(const app::RemsFormRecord& form) {
    Json json{
        {"id", form.id.value},
        {"session_id", form.session.value},
        {"patient_id", form.patient.value},
        {"treatment_date", FormatDate(form.treatment_date)},
        {"due_date", FormatDate(form.due_date)},
        {"status", app::RemsFormStatusName(form.status)},
        {"created_at", FormatTime(form.created_at)},
        {"created_by", form.created_by},
    };
    if (form.submission) {
        json["submission"] = {{"form", ToJson(form.submission->form)},
                              {"submitted_at", FormatTime(form.submission->submitted_at)},
                              {"submitted_by", form.submission->submitted_by}};
        PutIfNotEmpty(json["submission"], "confirmation_reference", form.submission->confirmation_reference);
        PutIfNotEmpty(json["submission"], "missing_readings_reason", form.submission->missing_readings_reason);
    }
    return json;
}

Json ToJson(const app::AuditEntry& entry) {
    Json json{
        {"id", entry.id.value},         {"at", FormatTime(entry.at)},     {"actor", entry.actor},
        {"origin", entry.origin},       {"action", entry.action},         {"record_type", entry.record_type},
        {"record_id", entry.record_id}, {"patient_id", entry.patient_id},
    };
    PutIfNotEmpty(json, "detail", entry.detail);
    return json;
}

Json ToJson(const app::User& user) {
    Json json{
        {"id", user.id.value},
        {"email", user.email},
        {"display_name", user.display_name},
        {"role", app::RoleName(user.role)},
        {"disabled", user.disabled},
        {"medical_director", user.medical_director},
        {"failed_logins", user.failed_logins},
        {"created_at", FormatTime(user.created_at)},
        {"created_by", user.created_by},
        {"updated_at", FormatTime(user.updated_at)},
        {"updated_by", user.updated_by},
    };
    if (user.patient) {
        json["patient_id"] = user.patient->value;
    }
    if (user.locked_until == app::kLockedUntilUnlocked) {
        json["needs_admin_unlock"] = true;
    } else {
        PutTimeIfPresent(json, "locked_until", user.locked_until);
    }
    return json;
}

Json ToJson(const app::ApiToken& token) {
    Json json{
        {"id", token.id.value},
        {"user_id", token.user.value},
        {"name", token.name},
        {"created_at", FormatTime(token.created_at)},
        {"created_by", token.created_by},
    };
    PutTimeIfPresent(json, "revoked_at", token.revoked_at);
    return json;
}

Json ToJson(const app::TreatmentRoom& room) {
    return Json{
        {"id", room.id.value},
        {"name", room.name},
        {"equipment", clinical::kRoomEquipmentNames.Name(room.equipment)},
        {"monitor_ids", room.monitor_ids},
        {"active", room.active},
        {"version", room.version},
    };
}

Json ToJson(const app::ClosedDay& day) {
    return Json{{"date", FormatDate(day.date)}, {"reason", day.reason}, {"created_by", day.created_by}};
}

Json ToJson(const app::Appointment& appointment) {
    Json json{
        {"id", appointment.id.value},
        {"patient_id", appointment.patient.value},
        {"type", clinical::AppointmentTypeName(appointment.type)},
        {"start", FormatTime(appointment.start)},
        {"end", FormatTime(appointment.end)},
        {"room_id", appointment.room ? Json(appointment.room->value) : Json(nullptr)},
        {"staff", appointment.staff},
        {"session_id", appointment.session ? Json(appointment.session->value) : Json(nullptr)},
        {"status", clinical::kAppointmentStatusNames.Name(appointment.status)},
        {"overridden", appointment.overridden},
        {"created_at", FormatTime(appointment.created_at)},
        {"created_by", appointment.created_by},
        {"updated_at", FormatTime(appointment.updated_at)},
        {"updated_by", appointment.updated_by},
        {"version", appointment.version},
    };
    PutIfNotEmpty(json, "status_reason", appointment.status_reason);
    PutIfNotEmpty(json, "override_reason", appointment.override_reason);
    return json;
}

Json ToJson(const app::MissedInduction& missed) {
    return Json{
        {"id", missed.id.value},
        {"course_id", missed.course.value},
        {"session_id", missed.session.value},
        {"appointment_id", missed.appointment.value},
        {"patient_id", missed.patient.value},
        {"outcome", clinical::kAppointmentStatusNames.Name(missed.outcome)},
        {"reason", missed.reason},
        {"flagged_at", FormatTime(missed.flagged_at)},
        {"flagged_by", missed.flagged_by},
    };
}

Json ToJson(const app::QuestionnaireAssignment& assignment) {
    return Json{
        {"id", assignment.id.value},
        {"patient_id", assignment.patient.value},
        {"instrument", clinical::InstrumentName(assignment.instrument)},
        {"first_due", FormatDate(assignment.first_due)},
        {"every_days", assignment.every_days ? Json(*assignment.every_days) : Json(nullptr)},
        {"assigned_at", FormatTime(assignment.assigned_at)},
        {"assigned_by", assignment.assigned_by},
        {"ended_at", assignment.ended_at ? Json(FormatTime(*assignment.ended_at)) : Json(nullptr)},
        {"ended_by", assignment.ended_at ? Json(assignment.ended_by) : Json(nullptr)},
    };
}

Json ToJson(const app::OutboxMessage& message) {
    Json json{
        {"id", message.id.value},
        {"idempotency_key", message.idempotency_key},
        {"recipient", message.recipient},
        {"subject", message.subject},
        {"appointment_id", message.appointment ? Json(message.appointment->value) : Json(nullptr)},
        {"due_at", FormatTime(message.due_at)},
        {"status", app::kOutboxStatusNames.Name(message.status)},
        {"attempts", message.attempts},
        {"created_at", FormatTime(message.created_at)},
    };
    PutTimeIfPresent(json, "next_attempt_at", message.next_attempt_at);
    PutIfNotEmpty(json, "last_error", message.last_error);
    PutTimeIfPresent(json, "sent_at", message.sent_at);
    return json;
}

Json ToJson(const app::CalendarFeed& feed) {
    Json json{
        {"id", feed.id.value},
        {"user_id", feed.user.value},
        {"created_at", FormatTime(feed.created_at)},
        {"created_by", feed.created_by},
    };
    PutTimeIfPresent(json, "revoked_at", feed.revoked_at);
    return json;
}

}  // namespace kclinic::adapters::json
