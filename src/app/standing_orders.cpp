#include "app/standing_orders.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/dose_records.hpp"
#include "app/treatment_text.hpp"
#include "base/text.hpp"
#include "clinical/record_time.hpp"
#include "clinical/session_state.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::app {
namespace {

TextRule OptionalReason() {
    TextRule rule = treatment_text::kReasonRule;
    rule.required = false;
    return rule;
}

// The valid blood pressures of `session` as the SBP condition reads them.
Result<std::vector<clinical::SystolicReading>> SessionSystolics(StoreTransaction& tx, SessionId session) {
    const std::vector<SessionId> sessions = {session};
    ASSIGN_OR_RETURN(const std::vector<VitalSign> vitals, tx.ListSessionsVitalSigns(sessions));
    std::vector<clinical::SystolicReading> readings;
    for (const VitalSign& vital : vitals) {
        if (vital.loinc == clinical::kBloodPressurePanelLoinc && !vital.entered_in_error) {
            readings.push_back({vital.observed_at, vital.value});
        }
    }
    return readings;
}

// What the patient's record holds against a PRN drug at `at`: current medications and allergies not marked entered
// in error.
struct RecordLists {
    std::vector<std::string> medications;
    std::vector<std::string> allergies;
};

Result<RecordLists> ListsOf(StoreTransaction& tx, PatientId patient, std::chrono::sys_days on) {
    ASSIGN_OR_RETURN(const std::vector<HistoryEntry> entries, tx.ListHistoryEntries(patient));
    RecordLists lists;
    for (const HistoryEntry& entry : entries) {
        if (IsCurrentMedicationOn(entry, on)) {
            lists.medications.push_back(entry.value);
        } else if (entry.kind == HistoryKind::kAllergy && !entry.entered_in_error) {
            lists.allergies.push_back(entry.value);
        }
    }
    return lists;
}

bool SameOrder(const PrnOrderRef& left, const PrnOrderRef& right) {
    return left.standing_order_set == right.standing_order_set && left.entry_number == right.entry_number &&
           left.one_off_order == right.one_off_order;
}

Error SessionNotOpen(const TreatmentSession& session, std::string_view what) {
    return Error{ErrorCode::kFailedPrecondition, "session_id",
                 std::string(what) + "; session " + std::to_string(session.id.value) + " is " +
                     std::string(clinical::SessionStateName(session.state))};
}

}  // namespace

const StandingOrderSet* SetInForceAt(const std::vector<StandingOrderSet>& sets, TimePoint at) {
    const StandingOrderSet* in_force = nullptr;
    for (const StandingOrderSet& set : sets) {
        if (set.signed_at <= at && (in_force == nullptr || set.version > in_force->version)) {
            in_force = &set;
        }
    }
    return in_force;
}

Result<StandingOrderSet> StandingOrders::SignSet(const Actor& actor, const NewStandingOrderSet& set) {
    const TimePoint now = clock_.Now();
    if (set.entries.empty() || set.entries.size() > clinical::kMaxEntriesPerSet) {
        return InvalidArgument("entries", "a standing-order set holds 1 to " +
                                              std::to_string(clinical::kMaxEntriesPerSet) + " entries (got " +
                                              std::to_string(set.entries.size()) + ")");
    }
    StandingOrderSet record{StandingOrderSetId{}, set.supersedes_version + 1, {}, set.note, now, actor.user};
    for (std::size_t i = 0; i < set.entries.size(); ++i) {
        RETURN_IF_ERROR(clinical::ValidatePrnOrderTerms(set.entries[i], "entries[" + std::to_string(i) + "]"));
        record.entries.push_back({static_cast<int>(i) + 1, set.entries[i]});
    }
    RETURN_IF_ERROR(CheckText("note", set.note, OptionalReason()));
    return store_.Write([&](StoreTransaction& tx) -> Result<StandingOrderSet> {
        ASSIGN_OR_RETURN(const std::vector<StandingOrderSet> sets, tx.ListStandingOrderSets());
        const int latest = sets.empty() ? 0 : sets.back().version;
        if (set.supersedes_version != latest) {
            return Error{ErrorCode::kConflict, "version",
                         "the latest standing-order set is version " + std::to_string(latest) + ", not " +
                             std::to_string(set.supersedes_version) + "; read it and sign again"};
        }
        ASSIGN_OR_RETURN(record.id, tx.InsertStandingOrderSet(record));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "standing_order_set.sign", "standing_order_set", record.id.value, 0,
                                    "version " + std::to_string(record.version)));
        return record;
    });
}

Result<std::vector<StandingOrderSet>> StandingOrders::ListSets() {
    std::vector<StandingOrderSet> sets;
    RETURN_IF_ERROR(store_.Read([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(sets, tx.ListStandingOrderSets());
        return Status::Ok();
    }));
    return sets;
}

Result<StandingOrderSet> StandingOrders::SetInForce(TimePoint at) {
    ASSIGN_OR_RETURN(const std::vector<StandingOrderSet> sets, ListSets());
    const StandingOrderSet* in_force = SetInForceAt(sets, at);
    if (in_force == nullptr) {
        return Error{ErrorCode::kNotFound, "at", "no standing-order set was signed by then"};
    }
    return *in_force;
}

Result<std::vector<StandingOrderSet>> StandingOrders::SetsInForceOn(std::chrono::sys_days date) {
    std::vector<StandingOrderSet> sets;
    clinical::LocalDay day;
    RETURN_IF_ERROR(store_.Read([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        day = zone.DayOf(date);
        ASSIGN_OR_RETURN(sets, tx.ListStandingOrderSets());
        return Status::Ok();
    }));
    std::vector<StandingOrderSet> in_force;
    if (const StandingOrderSet* at_start = SetInForceAt(sets, day.start)) {
        in_force.push_back(*at_start);
    }
    for (const StandingOrderSet& set : sets) {
        if (set.signed_at > day.start && set.signed_at < day.end) {
            in_force.push_back(set);
        }
    }
    return in_force;
}

Result<OneOffOrder> StandingOrders::SignOneOffOrder(const Actor& actor, SessionId session,
                                                    const NewOneOffOrder& order) {
    const TimePoint now = clock_.Now();
    RETURN_IF_ERROR(clinical::ValidatePrnOrderTerms(order.terms));
    return store_.Write([&](StoreTransaction& tx) -> Result<OneOffOrder> {
        ASSIGN_OR_RETURN(const TreatmentSession current, tx.GetSession(session));
        if (!current.checked_in_at || clinical::IsFinal(current.state)) {
            return SessionNotOpen(current, "a one-off order is signed for a session in progress");
        }
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        ASSIGN_OR_RETURN(const RecordLists lists, ListsOf(tx, current.patient, zone.LocalDate(now)));
        const std::vector<clinical::PrnInteraction> interactions =
            clinical::PrnInteractions(order.terms.drug, lists.medications, lists.allergies);
        if (!interactions.empty() && !order.acknowledge_interactions) {
            Error refusal = clinical::InteractionRefusal(interactions);
            refusal.message += " (a prescriber orders it anyway by acknowledging the interactions)";
            return refusal;
        }
        OneOffOrder record{OneOffOrderId{}, session, current.patient, order.terms, {}, now, actor.user};
        for (const clinical::PrnInteraction& interaction : interactions) {
            record.acknowledged_interactions.push_back(interaction.rule_id + ": " + interaction.message);
        }
        ASSIGN_OR_RETURN(record.id, tx.InsertOneOffOrder(record));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "one_off_order.sign", "one_off_order", record.id.value, record.patient.value));
        return record;
    });
}

Result<PrnDose> StandingOrders::GivePrnDose(const Actor& actor, SessionId session, const NewPrnDose& dose,
                                            const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                     clinical::CheckEntryTime("given_at", dose.given_at, now, settings.records));
    if (dose.entry_number.has_value() == dose.one_off_order.has_value()) {
        return InvalidArgument("order",
                               "a PRN dose is given under exactly one order: a standing-order entry "
                               "(entry_number) or a one-off order (one_off_order)");
    }
    return store_.Write([&](StoreTransaction& tx) -> Result<PrnDose> {
        ASSIGN_OR_RETURN(const TreatmentSession current, tx.GetSession(session));
        if (!current.checked_in_at) {
            return SessionNotOpen(current,
                                  "a PRN dose is given during a session, from check-in; it was never checked in");
        }
        RETURN_IF_ERROR(tx.LockSessionPrnDoses(session));
        PrnOrderRef order;
        clinical::PrnOrderTerms terms;
        if (dose.entry_number) {
            ASSIGN_OR_RETURN(const std::vector<StandingOrderSet> sets, tx.ListStandingOrderSets());
            const StandingOrderSet* in_force = SetInForceAt(sets, dose.given_at);
            if (in_force == nullptr) {
                return Error{ErrorCode::kFailedPrecondition, "entry_number",
                             "no standing-order set was in force when the dose was given; a prescriber's one-off order "
                             "is needed"};
            }
            const auto entry = std::ranges::find(in_force->entries, *dose.entry_number, &StandingOrderEntry::number);
            if (entry == in_force->entries.end()) {
                return Error{ErrorCode::kNotFound, "entry_number",
                             "version " + std::to_string(in_force->version) + " of the standing orders has no entry " +
                                 std::to_string(*dose.entry_number)};
            }
            order.standing_order_set = in_force->id;
            order.entry_number = entry->number;
            terms = entry->terms;
        } else {
            Result<OneOffOrder> one_off = tx.GetOneOffOrder(*dose.one_off_order);
            if (!one_off.ok() && one_off.error().code != ErrorCode::kNotFound) {
                return one_off.error();
            }
            if (!one_off.ok() || one_off->session != session) {
                return Error{ErrorCode::kNotFound, "one_off_order",
                             "session " + std::to_string(session.value) + " has no one-off order " +
                                 std::to_string(dose.one_off_order->value)};
            }
            order.one_off_order = one_off->id;
            terms = one_off->terms;
        }
        ASSIGN_OR_RETURN(const std::vector<PrnDose> given, tx.ListPrnDoses(session));
        std::vector<clinical::EarlierPrnDose> earlier;
        for (const PrnDose& prn : given) {
            if (SameOrder(prn.order, order)) {
                earlier.push_back({prn.medication.given_at, prn.medication.dose});
            }
        }
        ASSIGN_OR_RETURN(const std::vector<clinical::SystolicReading> readings, SessionSystolics(tx, session));
        const clinical::PrnDoseRequest request{dose.dose, dose.unit, dose.route, dose.indication, dose.given_at};
        RETURN_IF_ERROR(clinical::CheckPrnDose(terms, request, earlier, readings));
        if (order.standing_order_set) {
            ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
            ASSIGN_OR_RETURN(const RecordLists lists, ListsOf(tx, current.patient, zone.LocalDate(dose.given_at)));
            const std::vector<clinical::PrnInteraction> interactions =
                clinical::PrnInteractions(terms.drug, lists.medications, lists.allergies);
            if (!interactions.empty()) {
                return clinical::InteractionRefusal(interactions);
            }
        }
        const NewSessionMedication medication{terms.drug,
                                              dose.dose,
                                              dose.unit,
                                              dose.route,
                                              dose.given_at,
                                              terms.indication,
                                              order.standing_order_set ? clinical::MedicationOrderKind::kStandingOrder
                                                                       : clinical::MedicationOrderKind::kPrn};
        ASSIGN_OR_RETURN(SessionMedication recorded,
                         RecordSessionMedicationIn(tx, actor, session, medication, timing, now));
        RETURN_IF_ERROR(tx.InsertPrnDose(recorded.id, order));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "prn_dose.give", "session_medication", recorded.id.value,
                                    recorded.patient.value));
        return PrnDose{std::move(recorded), order, std::nullopt};
    });
}

Result<PrnDose> StandingOrders::RecordResponse(const Actor& actor, SessionMedicationId dose,
                                               const NewPrnResponse& response) {
    const TimePoint now = clock_.Now();
    RETURN_IF_ERROR(CheckText("note", response.note, OptionalReason()));
    return store_.Write([&](StoreTransaction& tx) -> Result<PrnDose> {
        ASSIGN_OR_RETURN(PrnDose prn, tx.GetPrnDose(dose));
        if (prn.response) {
            return Error{
                ErrorCode::kConflict, "response",
                "the response to dose " + std::to_string(dose.value) + " was recorded by " + prn.response->recorded_by};
        }
        prn.response = PrnResponse{response.effective, response.note, now, actor.user};
        RETURN_IF_ERROR(tx.InsertPrnResponse(dose, *prn.response));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "prn_dose.response", "session_medication", dose.value,
                                    prn.medication.patient.value));
        return prn;
    });
}

}  // namespace kclinic::app
