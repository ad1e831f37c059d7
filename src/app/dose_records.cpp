#include "app/dose_records.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "app/audit.hpp"
#include "app/entered_in_error.hpp"
#include "app/patient_records.hpp"
#include "app/treatment_text.hpp"
#include "base/text.hpp"
#include "clinical/administration.hpp"
#include "clinical/record_time.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::app {
namespace {

using clinical::SessionState;

// The administration's own fields, before the session is read. Errors as RecordAdministration's, for its fields.
Status CheckAdministration(const NewAdministration& administration) {
    RETURN_IF_ERROR(CheckText("drug", administration.drug, treatment_text::kLineRule));
    RETURN_IF_ERROR(CheckText("lot_number", administration.lot_number, treatment_text::kLineRule));
    if (!(administration.dose_mg > 0)) {
        return InvalidArgument("dose_mg", "must be above 0 mg");
    }
    if (administration.rate_mg_per_h && !(*administration.rate_mg_per_h > 0)) {
        return InvalidArgument("rate_mg_per_h", "must be above 0 mg/h when given");
    }
    if (administration.route == clinical::Route::kEsketamineNasal) {
        if (!administration.device_count) {
            return InvalidArgument("device_count", "is required for esketamine (28-mg devices)");
        }
        const int devices = *administration.device_count;
        if (devices < 1 || devices > clinical::kEsketamineMaxDevices) {
            return OutOfRange("device_count", devices, 1, clinical::kEsketamineMaxDevices, "devices");
        }
        if (std::abs(administration.dose_mg - clinical::kEsketamineDeviceMg * devices) > 1e-9) {
            return InvalidArgument(
                "dose_mg", "must be 28 mg per device: " + std::to_string(clinical::kEsketamineDeviceMg * devices) +
                               " mg for " + std::to_string(devices) + " devices");
        }
    } else if (administration.device_count) {
        return InvalidArgument("device_count", "applies to esketamine nasal devices only");
    }
    // The demo recorded a 40-minute infusion as given in 11 seconds in one request: an infusion is recorded
    // running, and its end (with the amount actually given) is its own step.
    if (administration.route == clinical::Route::kIv && administration.stopped_at) {
        return InvalidArgument("stopped_at",
                               "an IV infusion is recorded running; stop it with its own step, giving the actual end "
                               "and the amount given");
    }
    return Status::Ok();
}

// The administration's times against the server's clock and the session's own history (clinical::
// CheckAdministrationTime): nothing given before the session's latest step to pre_dose_ok. A session older than
// the transition history has no such step; its check-in bounds the dose instead.
Result<clinical::EntryTiming> CheckAdministrationTime(StoreTransaction& tx, const TreatmentSession& session,
                                                      const NewAdministration& administration, TimePoint now,
                                                      const clinical::RecordSettings& settings) {
    ASSIGN_OR_RETURN(std::vector<SessionTransition> transitions, tx.ListSessionTransitions(session.id));
    std::optional<TimePoint> pre_dose_ok_at = session.checked_in_at;
    for (const SessionTransition& transition : transitions) {
        if (transition.to_state == SessionState::kPreDoseOk) {
            pre_dose_ok_at = transition.at;
        }
    }
    if (!pre_dose_ok_at) {
        return Error{ErrorCode::kInternal, "session_id", "a dosing session has no recorded check-in or pre-dose step"};
    }
    return clinical::CheckAdministrationTime(administration.started_at, administration.stopped_at, *pre_dose_ok_at, now,
                                             settings);
}

// The other session of `session`'s course that was already dosed (has an administration not marked entered in
// error), if any: then `session` is not the course's first treatment.
Result<std::optional<SessionId>> EarlierDosedSession(StoreTransaction& tx, const TreatmentSession& session) {
    ASSIGN_OR_RETURN(std::vector<TreatmentSession> course_sessions, tx.ListSessions(session.course));
    ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListPatientAdministrations(session.patient));
    for (const Administration& administration : WithoutEnteredInError(std::move(given))) {
        const bool in_course =
            std::any_of(course_sessions.begin(), course_sessions.end(),
                        [&](const TreatmentSession& other) { return other.id == administration.session; });
        if (in_course && administration.session != session.id) {
            return std::optional<SessionId>{administration.session};
        }
    }
    return std::optional<SessionId>{};
}

// A session medication's own fields, before the session is read. Errors as RecordSessionMedication's.
Status CheckSessionMedication(const NewSessionMedication& medication) {
    RETURN_IF_ERROR(CheckText("drug", medication.drug, treatment_text::kLineRule));
    RETURN_IF_ERROR(clinical::CheckSessionMedicationDrug(medication.drug));
    if (!(medication.dose > 0) || !std::isfinite(medication.dose)) {
        return InvalidArgument("dose",
                               "must be above 0 " + std::string(clinical::kMedicationUnitNames.Name(medication.unit)));
    }
    return CheckText("indication", medication.indication, treatment_text::kLineRule);
}

Error SessionIs(SessionId session, SessionState state, std::string_view what) {
    return Error{ErrorCode::kFailedPrecondition, "session_id",
                 std::string(what) + "; session " + std::to_string(session.value) + " is " +
                     std::string(clinical::SessionStateName(state))};
}

}  // namespace

Result<DoseOrderRecord> DoseRecords::SignDoseOrder(const Actor& actor, SessionId session,
                                                   const clinical::DoseRequest& request,
                                                   const clinical::ClinicSettings& settings,
                                                   std::optional<std::string_view> weight_reason) {
    const TimePoint now = clock_.Now();
    if (weight_reason) {
        RETURN_IF_ERROR(CheckText("weight_reason", *weight_reason, treatment_text::kReasonRule));
    }
    return store_.Write([&](StoreTransaction& tx) -> Result<DoseOrderRecord> {
        ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(session));
        clinical::DoseRequest derived = request;
        if (request.route == clinical::Route::kEsketamineNasal) {
            // The label's first-dose rule follows the record, not the caller (issue 10): a session is the course's
            // first treatment when no other session of the course was dosed.
            ASSIGN_OR_RETURN(std::optional<SessionId> dosed, EarlierDosedSession(tx, current));
            if (dosed && request.first_dose) {
                return InvalidArgument("first_dose", "session " + std::to_string(session.value) +
                                                         " is not the course's first treatment: session " +
                                                         std::to_string(dosed->value) + " of the course was dosed");
            }
            derived.first_dose = !dosed;
        }
        ASSIGN_OR_RETURN(clinical::DoseOrder order, clinical::ComputeDose(derived, settings));
        ASSIGN_OR_RETURN(TreatmentCourse course, tx.GetCourse(current.course));
        if (request.route != course.route) {
            return InvalidArgument("route", "the course is given by " + std::string(clinical::RouteName(course.route)) +
                                                ", not " + std::string(clinical::RouteName(request.route)));
        }
        const SessionState state = current.state;
        if (state != SessionState::kCheckedIn && state != SessionState::kHeld && state != SessionState::kPreDoseOk) {
            return SessionIs(session, state, "a dose order is signed for a checked-in session before dosing");
        }
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> existing, tx.FindDoseOrder(session));
        if (existing) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "session " + std::to_string(session.value) + " already has a dose order signed by " +
                             existing->prescriber + "; a signed order is never edited"};
        }
        // The latest weight not marked entered in error.
        ASSIGN_OR_RETURN(const std::vector<WeightMeasurement> weights, tx.ListWeights(current.patient));
        const std::optional<WeightMeasurement> latest = LatestValidWeight(weights);
        const std::optional<double> latest_kg = latest ? std::optional<double>{latest->weight_kg} : std::nullopt;
        RETURN_IF_ERROR(clinical::CheckDoseWeight(request.weight_kg, latest_kg, weight_reason.has_value()));
        DoseOrderRecord record{DoseOrderId{}, session, current.patient, derived,
                               order,         now,     actor.user,      std::string(weight_reason.value_or(""))};
        ASSIGN_OR_RETURN(record.id, tx.InsertDoseOrder(record));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "dose_order.sign", "dose_order", record.id.value, record.patient.value));
        if (weight_reason) {
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "dose_order.weight_accepted", "dose_order", record.id.value,
                                        record.patient.value));
        }
        return record;
    });
}

Result<Administration> DoseRecords::RecordAdministration(const Actor& actor, SessionId session,
                                                         const NewAdministration& administration,
                                                         const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    RETURN_IF_ERROR(CheckAdministration(administration));
    return store_.Write([&](StoreTransaction& tx) -> Result<Administration> {
        ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(session));
        if (current.state != SessionState::kDosing) {
            return SessionIs(session, current.state, "administrations are recorded while dosing");
        }
        ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                         CheckAdministrationTime(tx, current, administration, now, settings.records));
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session));
        // A session in dosing always has its order: StartDosing requires it.
        if (!order) {
            return Error{ErrorCode::kInternal, "session_id", "a dosing session has no dose order"};
        }
        RETURN_IF_ERROR(clinical::CheckOrderedDrug(order->order.route, administration.drug));
        if (order->order.route != administration.route) {
            return InvalidArgument("route", "the signed order is for " +
                                                std::string(clinical::RouteName(order->order.route)) + ", not " +
                                                std::string(clinical::RouteName(administration.route)));
        }
        ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session));
        double total_mg = administration.dose_mg;
        for (const Administration& earlier : WithoutEnteredInError(std::move(given))) {
            // A stopped infusion counts what it actually gave; one entered in error was not given.
            total_mg += earlier.stop ? earlier.stop->given_mg : earlier.dose_mg;
        }
        // A small tolerance: the order's total is rounded to 0.1 mg.
        if (total_mg > order->order.total_mg + 0.05) {
            return Error{ErrorCode::kFailedPrecondition, "dose_mg",
                         "this administration would bring the session to " + FormatNumber(total_mg) +
                             " mg; the signed order is " + FormatNumber(order->order.total_mg) + " mg"};
        }
        Administration record{AdministrationId{},
                              session,
                              current.patient,
                              administration.drug,
                              administration.route,
                              administration.dose_mg,
                              administration.rate_mg_per_h,
                              administration.device_count,
                              administration.lot_number,
                              administration.started_at,
                              administration.stopped_at,
                              now,
                              actor.user,
                              timing == clinical::EntryTiming::kLate,
                              std::nullopt};
        ASSIGN_OR_RETURN(record.id, tx.InsertAdministration(record));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "administration.create", "administration", record.id.value,
                                    record.patient.value));
        return record;
    });
}

Result<Administration> DoseRecords::StopInfusion(const Actor& actor, AdministrationId administration,
                                                 const NewInfusionStop& stop,
                                                 const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    if (stop.fast_infusion_reason) {
        RETURN_IF_ERROR(CheckText("fast_infusion_reason", *stop.fast_infusion_reason, treatment_text::kReasonRule));
    }
    ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                     clinical::CheckEntryTime("stopped_at", stop.stopped_at, now, settings.records));
    return store_.Write([&](StoreTransaction& tx) -> Result<Administration> {
        ASSIGN_OR_RETURN(Administration infusion, tx.GetAdministration(administration));
        if (infusion.entered_in_error) {
            return Error{ErrorCode::kFailedPrecondition, "administration_id",
                         "administration " + std::to_string(administration.value) +
                             " is marked entered in error; it was not given, so it has no stop"};
        }
        if (infusion.route != clinical::Route::kIv || infusion.stopped_at) {
            return Error{ErrorCode::kFailedPrecondition, "administration_id",
                         "administration " + std::to_string(administration.value) +
                             (infusion.route != clinical::Route::kIv
                                  ? " is " + std::string(clinical::RouteName(infusion.route)) +
                                        ", not an IV infusion; only a running infusion is stopped"
                                  : " is already stopped; a stop is never changed")};
        }
        ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(infusion.session));
        // While dosing; and after an abort or a cancellation, so an infusion stopped for that reason gets its end.
        const SessionState state = current.state;
        if (state != SessionState::kDosing && state != SessionState::kAborted && state != SessionState::kCancelled) {
            return SessionIs(current.id, state, "an infusion is stopped while dosing (or once aborted or cancelled)");
        }
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(infusion.session));
        // An IV administration exists only against a signed IV order (RecordAdministration), which has its minutes.
        if (!order || !order->order.minutes) {
            return Error{ErrorCode::kInternal, "administration_id", "an IV infusion has no IV dose order"};
        }
        clinical::InfusionStopFacts facts;
        facts.order_total_mg = order->order.total_mg;
        facts.order_minutes = *order->order.minutes;
        facts.concentration_mg_per_ml = order->request.concentration_mg_per_ml;
        facts.administration_mg = infusion.dose_mg;
        facts.started_at = infusion.started_at;
        facts.stopped_at = stop.stopped_at;
        facts.given_mg = stop.given_mg;
        facts.fast_infusion_reason = stop.fast_infusion_reason;
        facts.early_stop_reason = stop.early_stop_reason;
        ASSIGN_OR_RETURN(const clinical::InfusionStopAssessment assessed, clinical::AssessInfusionStop(facts));
        if (stop.fast_infusion_reason && !assessed.faster_than_ordered) {
            return InvalidArgument("fast_infusion_reason",
                                   "the infusion ran no faster than twice the ordered rate, so there is nothing to "
                                   "accept; stop it without a reason");
        }
        InfusionStop record{stop.stopped_at,
                            stop.given_mg,
                            assessed.given_ml,
                            std::nullopt,
                            timing == clinical::EntryTiming::kLate,
                            now,
                            actor.user,
                            stop.early_stop_reason};
        if (assessed.faster_than_ordered) {
            record.fast_infusion_accepted = clinical::GateOverride{actor.user, *stop.fast_infusion_reason};
        }
        RETURN_IF_ERROR(tx.InsertInfusionStop(administration, record));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "administration.stop", "administration", administration.value,
                                    infusion.patient.value));
        infusion.stopped_at = record.stopped_at;
        infusion.stop = std::move(record);
        return infusion;
    });
}

Result<Administration> DoseRecords::MarkAdministrationEnteredInError(const Actor& actor, PatientId patient,
                                                                     AdministrationId administration,
                                                                     std::string_view reason) {
    return MarkEnteredInError(
        store_, actor, clock_.Now(), patient, administration, reason,
        {"administration_id", "administration", "administration", "administration.entered_in_error"},
        &TreatmentTransaction::GetAdministration, &TreatmentTransaction::MarkAdministrationEnteredInError);
}

Result<SessionMedication> RecordSessionMedicationIn(StoreTransaction& tx, const Actor& actor, SessionId session,
                                                    const NewSessionMedication& medication,
                                                    clinical::EntryTiming timing, TimePoint now) {
    RETURN_IF_ERROR(CheckSessionMedication(medication));
    ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(session));
    if (!current.checked_in_at) {
        return SessionIs(session, current.state,
                         "a session medication is given during a session, from check-in; it was never checked in");
    }
    if (medication.given_at < *current.checked_in_at) {
        return InvalidArgument("given_at", "is before the session's check-in");
    }
    if (clinical::IsFinal(current.state) && medication.given_at > current.state_changed_at) {
        return InvalidArgument(
            "given_at", "is after the session ended (" + std::string(clinical::SessionStateName(current.state)) + ")");
    }
    SessionMedication record{SessionMedicationId{},
                             session,
                             current.patient,
                             medication.drug,
                             medication.dose,
                             medication.unit,
                             medication.route,
                             medication.given_at,
                             medication.indication,
                             medication.order_kind,
                             timing == clinical::EntryTiming::kLate,
                             now,
                             actor.user};
    ASSIGN_OR_RETURN(record.id, tx.InsertSessionMedication(record));
    RETURN_IF_ERROR(RecordAudit(tx, actor, now, "session_medication.create", "session_medication", record.id.value,
                                record.patient.value));
    return record;
}

Result<SessionMedication> DoseRecords::RecordSessionMedication(const Actor& actor, SessionId session,
                                                               const NewSessionMedication& medication,
                                                               const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    // Only StandingOrders::GivePrnDose may say a dose was given under a standing order: it checks the order set in
    // force, the entry's dose, route and limit per session and the patient's allergies. A free-form entry claiming
    // one would put a dose on the record as standing-order care that no one checked against the orders.
    if (medication.order_kind == clinical::MedicationOrderKind::kStandingOrder) {
        return InvalidArgument("order_kind",
                               "a dose under a standing order is given as a PRN dose (POST "
                               "/api/v1/sessions/{id}/prn-doses), which checks the order set's rules");
    }
    RETURN_IF_ERROR(CheckSessionMedication(medication));
    ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                     clinical::CheckEntryTime("given_at", medication.given_at, now, settings.records));
    return store_.Write([&](StoreTransaction& tx) -> Result<SessionMedication> {
        return RecordSessionMedicationIn(tx, actor, session, medication, timing, now);
    });
}

}  // namespace kclinic::app
