#pragma once

// Use cases of dosing in a treatment session: the prescriber's signed dose order and the administrations recorded
// while the session is dosing (session_steps.hpp moves the session). Like HistoryRecords, each takes the acting
// user, checks its input, does all its work in one Store transaction and appends an audit entry for every write of
// patient data in that same transaction; a refusal writes nothing.

#include <optional>
#include <string>
#include <string_view>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/record_time.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

struct NewAdministration {
    std::string drug;  // generic name, 1-200 characters
    clinical::Route route = clinical::Route::kIv;
    double dose_mg = 0;                   // > 0
    std::optional<double> rate_mg_per_h;  // infusions; > 0 when given
    // esketamine only, required: 1 to clinical::kEsketamineMaxDevices devices of 28 mg, dose_mg = 28 x count
    std::optional<int> device_count;
    std::string lot_number;  // 1-200 characters
    // Both checked by clinical::CheckAdministrationTime: not beyond the clock-skew allowance in the future, not
    // older than the late-entry limit, started_at not before the session's pre-dose step, stopped_at not before it.
    TimePoint started_at;
    // Refused for an IV infusion, which ends with StopInfusion.
    std::optional<TimePoint> stopped_at;
};

// The end of a running IV infusion (StopInfusion).
struct NewInfusionStop {
    TimePoint stopped_at;  // the actual end: not before the infusion started (clinical::CheckEntryTime)
    double given_mg = 0;   // the amount actually given: 0 to the infusion's dose_mg
    // A prescriber's reason for accepting an infusion faster than twice the ordered rate; 1-2000 characters when
    // given. Only a prescriber gives it (the API's stop-override route needs dose_order.sign).
    std::optional<std::string> fast_infusion_reason;
    // Why the infusion stopped before its whole dose was given (required then, refused otherwise).
    std::optional<clinical::InfusionStopReason> early_stop_reason = std::nullopt;
};

// Another medication given during a session (clinical/administration.hpp): never the session's ordered drug.
struct NewSessionMedication {
    std::string drug;  // generic name, 1-200 characters; not a ketamine-family drug
    double dose = 0;   // > 0, in `unit`
    clinical::MedicationUnit unit = clinical::MedicationUnit::kMg;
    clinical::MedicationRoute route = clinical::MedicationRoute::kIv;
    TimePoint given_at;      // within the session (from check-in; clinical::CheckEntryTime)
    std::string indication;  // why, 1-200 characters
    clinical::MedicationOrderKind order_kind = clinical::MedicationOrderKind::kPrn;
};

// RecordSessionMedication's work inside `tx`, for a use case that records a session medication as part of its own
// transaction (StandingOrders::GivePrnDose): the same checks, the same record, the same audit entry. `timing` is
// clinical::CheckEntryTime's for the medication's given_at. Errors: RecordSessionMedication's but CheckEntryTime's.
Result<SessionMedication> RecordSessionMedicationIn(StoreTransaction& tx, const Actor& actor, SessionId session,
                                                    const NewSessionMedication& medication,
                                                    clinical::EntryTiming timing, TimePoint now);

class DoseRecords {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    DoseRecords(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // The actor signs, as prescriber, the dose `request` computes to with clinical::ComputeDose(request, settings);
    // the request and the order are stored. For esketamine the record decides request.first_dose: true when no
    // other session of the course has an administration (Spravato USPI: the first TRD dose is 56 mg, EU 28 mg for
    // the low start), and the stored request says so. Errors: ComputeDose's (nothing stored); kInvalidArgument
    // "first_dose" when the request says first_dose but another session of the course was already dosed;
    // kInvalidArgument "route" when the request's route is not the course's; kFailedPrecondition "session_id" when
    // the session is not checked in, held or pre_dose_ok, or already has a dose order (a signed order is never
    // edited); clinical::CheckDoseWeight's against the patient's latest recorded weight (kFailedPrecondition
    // "weight_kg" when the request's weight is not it, or none is recorded, and no weight_reason is given;
    // kInvalidArgument "weight_reason" when one is given for agreeing weights); kInvalidArgument "weight_reason" when
    // blank or over 2000 characters; kNotFound. A weight_reason is stored on the order and audited
    // ("dose_order.weight_accepted").
    Result<DoseOrderRecord> SignDoseOrder(const Actor& actor, SessionId session, const clinical::DoseRequest& request,
                                          const clinical::ClinicSettings& settings,
                                          std::optional<std::string_view> weight_reason = std::nullopt);
    // Records an administration of the session's ordered drug during dosing, flagged late_entry when its times were
    // documented after the fact (settings.records). Errors: kInvalidArgument / kOutOfRange naming the field (see
    // NewAdministration); kInvalidArgument "started_at" / "stopped_at" from clinical::CheckAdministrationTime;
    // kInvalidArgument "stopped_at" for an IV infusion (it ends with StopInfusion); kInvalidArgument "drug" when not
    // the order's drug (clinical::CheckOrderedDrug), "route" when not the dose order's route; kFailedPrecondition
    // "session_id" when the session is not dosing, "dose_mg" when the session's administrations (a stopped infusion
    // counting what it actually gave) would exceed the order's total_mg; kNotFound.
    Result<Administration> RecordAdministration(const Actor& actor, SessionId session,
                                                const NewAdministration& administration,
                                                const clinical::ClinicSettings& settings);
    // Stops a running IV infusion: its actual end and the amount given (with its mL when the order gives the
    // concentration), judged by clinical::AssessInfusionStop; with a reason, the actor accepts as prescriber an
    // infusion that ran faster than twice the ordered rate. A late stopped_at is kept and flagged. Returns the
    // administration with its stop. Errors: CheckEntryTime's on "stopped_at"; AssessInfusionStop's
    // (kInvalidArgument "stopped_at" before the start, kOutOfRange "given_mg", kFailedPrecondition "stopped_at" too
    // fast without a reason, kFailedPrecondition "early_stop_reason" for less than the infusion's dose without one,
    // kInvalidArgument "early_stop_reason" for the whole dose with one); kInvalidArgument "fast_infusion_reason" over
    // 2000 characters or blank; kFailedPrecondition "administration_id" when it is not an IV infusion, is already
    // stopped or is marked entered in error, "session_id" when the session is not dosing, aborted or cancelled;
    // kNotFound.
    Result<Administration> StopInfusion(const Actor& actor, AdministrationId administration,
                                        const NewInfusionStop& stop, const clinical::ClinicSettings& settings);
    // Marks the patient's administration entered in error (app/records.hpp EnteredInError) and returns it marked:
    // it stays in the session's record, but counts toward no session total or dose limit, no first-dose rule, no
    // monitoring clock and no REMS form; a marked infusion is never stopped. Permission: the one that records
    // administrations. Errors: kInvalidArgument "reason" when blank or over 2000 characters; kNotFound
    // "administration_id" when the patient has no such administration (kNotFound for the patient);
    // kFailedPrecondition "entered_in_error" when already marked.
    Result<Administration> MarkAdministrationEnteredInError(const Actor& actor, PatientId patient,
                                                            AdministrationId administration, std::string_view reason);
    // Records another medication given during the session, apart from the dose order. Errors: kInvalidArgument
    // "order_kind" for kStandingOrder (only StandingOrders::GivePrnDose records a dose under a standing order, after
    // its checks); kInvalidArgument naming the field (drug, dose, indication; "drug" for a ketamine-family drug);
    // CheckEntryTime's on
    // "given_at"; kInvalidArgument "given_at" before the session's check-in or after the end of a finished
    // session; kFailedPrecondition "session_id" when the session was never checked in; kNotFound.
    Result<SessionMedication> RecordSessionMedication(const Actor& actor, SessionId session,
                                                      const NewSessionMedication& medication,
                                                      const clinical::ClinicSettings& settings);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace kclinic::app
