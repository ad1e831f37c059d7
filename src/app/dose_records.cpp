#include "app/dose_records.hpp"

#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "app/audit.hpp"
#include "app/treatment_text.hpp"
#include "base/text.hpp"
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

}  // namespace

Result<DoseOrderRecord> DoseRecords::SignDoseOrder(const Actor& actor, SessionId session,
                                                   const clinical::DoseRequest& request,
                                                   const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(clinical::DoseOrder order, clinical::ComputeDose(request, settings));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<DoseOrderRecord> {
        ASSIGN_OR_RETURN(TreatmentSession current, tx.GetSession(session));
        ASSIGN_OR_RETURN(TreatmentCourse course, tx.GetCourse(current.course));
        if (request.route != course.route) {
            return InvalidArgument("route", "the course is given by " + std::string(clinical::RouteName(course.route)) +
                                                ", not " + std::string(clinical::RouteName(request.route)));
        }
        const SessionState state = current.state;
        if (state != SessionState::kCheckedIn && state != SessionState::kHeld && state != SessionState::kPreDoseOk) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "a dose order is signed for a checked-in session before dosing; session " +
                             std::to_string(session.value) + " is " + std::string(clinical::SessionStateName(state))};
        }
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> existing, tx.FindDoseOrder(session));
        if (existing) {
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "session " + std::to_string(session.value) + " already has a dose order signed by " +
                             existing->prescriber + "; a signed order is never edited"};
        }
        DoseOrderRecord record{DoseOrderId{}, session, current.patient, request, order, now, actor.user};
        ASSIGN_OR_RETURN(record.id, tx.InsertDoseOrder(record));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "dose_order.sign", "dose_order", record.id.value, record.patient.value));
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
            return Error{ErrorCode::kFailedPrecondition, "session_id",
                         "administrations are recorded while dosing; session " + std::to_string(session.value) +
                             " is " + std::string(clinical::SessionStateName(current.state))};
        }
        ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                         CheckAdministrationTime(tx, current, administration, now, settings.records));
        ASSIGN_OR_RETURN(std::optional<DoseOrderRecord> order, tx.FindDoseOrder(session));
        // A session in dosing always has its order: StartDosing requires it.
        if (!order) {
            return Error{ErrorCode::kInternal, "session_id", "a dosing session has no dose order"};
        }
        if (order->order.route != administration.route) {
            return InvalidArgument("route", "the signed order is for " +
                                                std::string(clinical::RouteName(order->order.route)) + ", not " +
                                                std::string(clinical::RouteName(administration.route)));
        }
        ASSIGN_OR_RETURN(std::vector<Administration> given, tx.ListAdministrations(session));
        double total_mg = administration.dose_mg;
        for (const Administration& earlier : given) {
            total_mg += earlier.dose_mg;
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
                              timing == clinical::EntryTiming::kLate};
        ASSIGN_OR_RETURN(record.id, tx.InsertAdministration(record));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "administration.create", "administration", record.id.value,
                                    record.patient.value));
        return record;
    });
}

}  // namespace kclinic::app
