#pragma once

// Use cases of the clinic record's second slice: a patient's history (diagnoses, conditions, allergies, current
// medications, antidepressant trials) and eligibility screening on it, with a prescriber's sign-off. Like
// PatientRecords, each takes the acting user, checks its input, does all its work in one Store transaction and
// appends an audit entry for every read or write of patient data in that same transaction.

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// The parts of a screening intake that the stored history does not hold, taken at the screening visit.
struct IntakeExtras {
    std::optional<bool> pregnant;  // absent: not recorded
    bool breastfeeding = false;
    std::optional<clinical::BloodPressure> blood_pressure;  // seated intake BP
    std::optional<int> heart_rate_per_min;
    bool acute_suicidal_ideation = false;
    std::optional<double> weight_kg;  // absent: the patient's latest recorded weight, if any
    std::optional<clinical::ChildPugh> child_pugh;
    bool japanese_ancestry = false;
    bool hypertensive_encephalopathy_history = false;
    bool ketamine_misuse_history = false;
};

class HistoryRecords {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    HistoryRecords(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // Notes an ICD-10-CM code (stored in canonical form, "f332" -> "F33.2"), noted now by the actor. Errors:
    // kInvalidArgument "code" when it is malformed; kNotFound when the patient does not exist.
    Result<HistoryEntry> AddDiagnosis(const Actor& actor, PatientId patient, std::string_view code);
    // A medical condition, as an ICD-10-CM code; errors as AddDiagnosis.
    Result<HistoryEntry> AddCondition(const Actor& actor, PatientId patient, std::string_view code);
    // A substance name. kInvalidArgument "substance" when empty, only separators, over 200 characters or holding
    // control characters; kNotFound as above.
    Result<HistoryEntry> AddAllergy(const Actor& actor, PatientId patient, std::string_view substance);
    // A current medication by generic name ("a/b" for a combination); kInvalidArgument "generic_name" as above.
    Result<HistoryEntry> AddMedication(const Actor& actor, PatientId patient, std::string_view generic_name);
    // A prior trial. Errors: kInvalidArgument / kOutOfRange naming the field ("drug", "weeks",
    // "improvement_percent") with the clinical core's bounds; kInvalidArgument "ended_on" before started_on,
    // "started_on" / "ended_on" after today; kNotFound as above.
    Result<TrialRecord> AddAntidepressantTrial(const Actor& actor, PatientId patient,
                                               const clinical::AntidepressantTrial& trial,
                                               std::optional<std::chrono::sys_days> started_on,
                                               std::optional<std::chrono::sys_days> ended_on);
    // Mark the patient's history entry (diagnosis, condition, allergy, medication) or antidepressant trial entered in
    // error (app/records.hpp EnteredInError) and return it marked: it stays in the history, but no new screening
    // reads it (signed screenings keep the snapshot they ran on) nor does the REMS form. Errors: kInvalidArgument
    // "reason" when blank or over 2000 characters; kNotFound "entry_id" / "trial_id" when the patient has no such
    // record (kNotFound for the patient); kFailedPrecondition "entered_in_error" when already marked.
    Result<HistoryEntry> MarkHistoryEntryEnteredInError(const Actor& actor, PatientId patient, HistoryEntryId entry,
                                                        std::string_view reason);
    Result<TrialRecord> MarkTrialEnteredInError(const Actor& actor, PatientId patient, TrialId trial,
                                                std::string_view reason);
    // Stops the patient's current medication `entry` on `stopped_on`, with an optional reason (empty: none), and
    // returns it with its stop: from that date it is no longer current for the screening and the REMS form; it stays
    // in the history. Errors: kInvalidArgument "stopped_on" after today (UTC) or before the day it was noted;
    // kInvalidArgument "reason" over 2000 characters or blank but not empty; kNotFound "entry_id" when the patient
    // has no such entry (kNotFound for the patient); kFailedPrecondition "entry_id" when it is not a medication, is
    // marked entered in error or is already stopped (a stop is never changed).
    Result<HistoryEntry> StopMedication(const Actor& actor, PatientId patient, HistoryEntryId entry,
                                        std::chrono::sys_days stopped_on, std::string_view reason);
    // The whole history, each list oldest first. kNotFound when the patient does not exist.
    Result<PatientHistory> History(const Actor& actor, PatientId patient);

    // Builds a clinical::Intake from the stored demographics (age in whole years on the Clock's date), history and
    // `extras`, runs clinical::Screen with `settings` (PRECONDITION: within the settings registry's bounds, e.g.
    // from ClinicSettingsRecords::LoadClinicSettings) and stores the intake, the decision and every finding,
    // unsigned. Errors: kNotFound for the patient; ValidateIntake's errors (naming the intake field) for out-of-range
    // extras; nothing is stored on error.
    Result<ScreeningRecord> ScreenPatient(const Actor& actor, PatientId patient, clinical::Product product,
                                          const IntakeExtras& extras, const clinical::ClinicSettings& settings);
    // Signs a screening for the actor: its decision accepted, or overridden with a reason. Errors:
    // kInvalidArgument "reason" when overriding without one (or a reason over 2000 characters); kNotFound for the
    // screening; kFailedPrecondition when it is already signed (a signed screening is never edited).
    Result<ScreeningRecord> SignScreening(const Actor& actor, ScreeningId screening, SignOff sign_off,
                                          std::string_view reason);
    // kNotFound when no such screening.
    Result<ScreeningRecord> GetScreening(const Actor& actor, ScreeningId screening);
    // Every screening of the patient, oldest first, signed or not. kNotFound when the patient does not exist.
    Result<std::vector<ScreeningRecord>> ListScreenings(const Actor& actor, PatientId patient);

private:
    Result<HistoryEntry> AddEntry(const Actor& actor, PatientId patient, HistoryKind kind, std::string value,
                                  std::string_view action);

    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;  // the clinic's "today" (clinic.time_zone)
};

}  // namespace kclinic::app
