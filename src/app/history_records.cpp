#include "app/history_records.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/entered_in_error.hpp"
#include "app/patient_records.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"
#include "clinical/condition_codes.hpp"
#include "clinical/plausibility.hpp"

namespace kclinic::app {
namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxReasonLength = 2000;

// Runs the clinical core's intake validation on `probe` (an otherwise empty intake carrying the one value being
// added), so a stored history always passes ValidateIntake at screening time with no second copy of its bounds.
// The intake's field path ("allergies[0]", "antidepressant_trials[0].weeks") is renamed to the use case's
// ("substance", "weeks").
Status ValidateAsIntake(clinical::Intake probe, std::string_view intake_prefix, std::string_view field) {
    // ValidateIntake checks the age before anything else, and the probe stands for no patient: any age within the
    // core's bounds lets the value being added be the only thing that can fail.
    probe.age_years = clinical::kMinAgeYears;
    Status valid = clinical::ValidateIntake(probe);
    if (valid.ok()) {
        return valid;
    }
    Error error = valid.error();
    if (error.field.starts_with(intake_prefix)) {
        const std::string rest = error.field.substr(intake_prefix.size());
        error.field = rest.starts_with(".") ? rest.substr(1) : std::string(field);
    }
    return error;
}

Status CheckName(std::string_view field, std::string_view value) {
    if (value.size() > kMaxNameLength) {
        return InvalidArgument(std::string(field), "must be at most " + std::to_string(kMaxNameLength) + " characters");
    }
    if (std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
        return InvalidArgument(std::string(field), "must not contain control characters");
    }
    return Status::Ok();
}

// The same code or name noted twice goes into the intake once: a screening reads a list as a set.
void AddOnce(std::vector<std::string>& values, const std::string& value) {
    if (std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(value);
    }
}

}  // namespace

Result<HistoryEntry> HistoryRecords::AddEntry(const Actor& actor, PatientId patient, HistoryKind kind,
                                              std::string value, std::string_view action) {
    HistoryEntry entry{HistoryEntryId{}, patient, kind, std::move(value), clock_.Now(), actor.user};
    return store_.Write([&](StoreTransaction& tx) -> Result<HistoryEntry> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(entry.id, tx.InsertHistoryEntry(entry));
        RETURN_IF_ERROR(RecordAudit(tx, actor, entry.noted_at, std::string(action), "history_entry", entry.id.value,
                                    patient.value));
        return entry;
    });
}

Result<HistoryEntry> HistoryRecords::AddDiagnosis(const Actor& actor, PatientId patient, std::string_view code) {
    ASSIGN_OR_RETURN(std::string canonical, clinical::NormalizeIcd10Cm(code, "code"));
    return AddEntry(actor, patient, HistoryKind::kDiagnosis, std::move(canonical), "diagnosis.create");
}

Result<HistoryEntry> HistoryRecords::AddCondition(const Actor& actor, PatientId patient, std::string_view code) {
    ASSIGN_OR_RETURN(std::string canonical, clinical::NormalizeIcd10Cm(code, "code"));
    return AddEntry(actor, patient, HistoryKind::kCondition, std::move(canonical), "condition.create");
}

Result<HistoryEntry> HistoryRecords::AddAllergy(const Actor& actor, PatientId patient, std::string_view substance) {
    clinical::Intake probe;
    probe.allergies = {std::string(substance)};
    RETURN_IF_ERROR(CheckName("substance", substance));
    RETURN_IF_ERROR(ValidateAsIntake(std::move(probe), "allergies[0]", "substance"));
    return AddEntry(actor, patient, HistoryKind::kAllergy, std::string(substance), "allergy.create");
}

Result<HistoryEntry> HistoryRecords::AddMedication(const Actor& actor, PatientId patient,
                                                   std::string_view generic_name) {
    clinical::Intake probe;
    probe.medications = {std::string(generic_name)};
    RETURN_IF_ERROR(CheckName("generic_name", generic_name));
    RETURN_IF_ERROR(ValidateAsIntake(std::move(probe), "medications[0]", "generic_name"));
    return AddEntry(actor, patient, HistoryKind::kMedication, std::string(generic_name), "medication.create");
}

Result<TrialRecord> HistoryRecords::AddAntidepressantTrial(const Actor& actor, PatientId patient,
                                                           const clinical::AntidepressantTrial& trial,
                                                           std::optional<std::chrono::sys_days> started_on,
                                                           std::optional<std::chrono::sys_days> ended_on) {
    clinical::Intake probe;
    probe.antidepressant_trials = {trial};
    RETURN_IF_ERROR(CheckName("drug", trial.drug));
    RETURN_IF_ERROR(ValidateAsIntake(std::move(probe), "antidepressant_trials[0]", "drug"));
    const TimePoint now = clock_.Now();
    if (started_on && ended_on && *ended_on < *started_on) {
        return InvalidArgument("ended_on", "must not be before started_on (" + FormatDate(*started_on) + ")");
    }
    TrialRecord record{TrialId{}, patient, trial, started_on, ended_on, now, actor.user};
    return store_.Write([&](StoreTransaction& tx) -> Result<TrialRecord> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        const std::chrono::sys_days today = zone.LocalDate(now);
        if (started_on && *started_on > today) {
            return InvalidArgument("started_on", "must not be after today (" + FormatDate(today) + ")");
        }
        if (ended_on && *ended_on > today) {
            return InvalidArgument("ended_on", "must not be after today (" + FormatDate(today) + ")");
        }
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(record.id, tx.InsertTrial(record));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "antidepressant_trial.create", "antidepressant_trial",
                                    record.id.value, patient.value));
        return record;
    });
}

Result<PatientHistory> HistoryRecords::History(const Actor& actor, PatientId patient) {
    return store_.Write([&](StoreTransaction& tx) -> Result<PatientHistory> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<HistoryEntry> entries, tx.ListHistoryEntries(patient));
        ASSIGN_OR_RETURN(std::vector<TrialRecord> trials, tx.ListTrials(patient));
        PatientHistory history;
        for (HistoryEntry& entry : std::move(entries)) {
            switch (entry.kind) {
                case HistoryKind::kDiagnosis:
                    history.diagnoses.push_back(std::move(entry));
                    break;
                case HistoryKind::kCondition:
                    history.conditions.push_back(std::move(entry));
                    break;
                case HistoryKind::kAllergy:
                    history.allergies.push_back(std::move(entry));
                    break;
                case HistoryKind::kMedication:
                    history.medications.push_back(std::move(entry));
                    break;
            }
        }
        history.antidepressant_trials = std::move(trials);
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "history.read", "patient", patient.value, patient.value));
        return history;
    });
}

Result<HistoryEntry> HistoryRecords::MarkHistoryEntryEnteredInError(const Actor& actor, PatientId patient,
                                                                    HistoryEntryId entry, std::string_view reason) {
    return MarkEnteredInError(store_, actor, clock_.Now(), patient, entry, reason,
                              {"entry_id", "history entry", "history_entry", "history_entry.entered_in_error"},
                              &HistoryTransaction::ListHistoryEntries,
                              &HistoryTransaction::MarkHistoryEntryEnteredInError);
}

Result<TrialRecord> HistoryRecords::MarkTrialEnteredInError(const Actor& actor, PatientId patient, TrialId trial,
                                                            std::string_view reason) {
    return MarkEnteredInError(
        store_, actor, clock_.Now(), patient, trial, reason,
        {"trial_id", "antidepressant trial", "antidepressant_trial", "antidepressant_trial.entered_in_error"},
        &HistoryTransaction::ListTrials, &HistoryTransaction::MarkTrialEnteredInError);
}

Result<HistoryEntry> HistoryRecords::StopMedication(const Actor& actor, PatientId patient, HistoryEntryId entry,
                                                    std::chrono::sys_days stopped_on, std::string_view reason) {
    RETURN_IF_ERROR(CheckText("reason", reason,
                              TextRule{.max_characters = kMaxReasonLength, .multiline = true, .required = false}));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<HistoryEntry> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        const std::chrono::sys_days today = zone.LocalDate(now);
        if (stopped_on > today) {
            return InvalidArgument("stopped_on", "must not be after today (" + FormatDate(today) + ")");
        }
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<HistoryEntry> entries, tx.ListHistoryEntries(patient));
        ASSIGN_OR_RETURN(HistoryEntry medication,
                         PatientsRecord(std::move(entries), entry, "entry_id", "history entry", patient));
        const std::string named = "history entry " + std::to_string(entry.value);
        if (medication.kind != HistoryKind::kMedication) {
            return Error{
                ErrorCode::kFailedPrecondition, "entry_id",
                named + " is a " + std::string(HistoryKindName(medication.kind)) + "; only a medication is stopped"};
        }
        if (medication.entered_in_error) {
            return Error{ErrorCode::kFailedPrecondition, "entry_id",
                         named + " is marked entered in error; there is nothing to stop"};
        }
        if (medication.stop) {
            return Error{ErrorCode::kFailedPrecondition, "entry_id",
                         named + " was already stopped on " + FormatDate(medication.stop->stopped_on) +
                             "; a stop is never changed"};
        }
        const std::chrono::sys_days noted_on = zone.LocalDate(medication.noted_at);
        if (stopped_on < noted_on) {
            return InvalidArgument("stopped_on",
                                   "must not be before the medication was noted (" + FormatDate(noted_on) + ")");
        }
        const MedicationStop stop{stopped_on, std::string(reason), now, actor.user};
        RETURN_IF_ERROR(tx.StopMedication(entry, stop));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "medication.stop", "history_entry", entry.value, patient.value));
        medication.stop = stop;
        return medication;
    });
}

Result<ScreeningRecord> HistoryRecords::ScreenPatient(const Actor& actor, PatientId patient, clinical::Product product,
                                                      const IntakeExtras& extras,
                                                      const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    // The intake is built inside the transaction, so the snapshot is exactly the history the screening read.
    return store_.Write([&](StoreTransaction& tx) -> Result<ScreeningRecord> {
        ASSIGN_OR_RETURN(Patient stored, tx.GetPatient(patient));
        // What was entered in error feeds no screening, nor does a medication stopped by today.
        ASSIGN_OR_RETURN(std::vector<HistoryEntry> entries, tx.ListHistoryEntries(patient));
        ASSIGN_OR_RETURN(std::vector<TrialRecord> trials, tx.ListTrials(patient));
        entries = WithoutEnteredInError(std::move(entries));
        trials = WithoutEnteredInError(std::move(trials));
        // The clinic's date: in a New York evening a patient whose birthday is tomorrow is not a year older yet (the
        // esketamine under-18 stop and the EU >= 65 gates turn on it), and a medication stopped tomorrow still counts.
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
        const std::chrono::sys_days today = zone.LocalDate(now);
        clinical::Intake intake;
        intake.age_years = clinical::AgeInYears(stored.birth_date, today);
        intake.sex = stored.sex;
        intake.pregnant = extras.pregnant;
        intake.breastfeeding = extras.breastfeeding;
        intake.weight_kg = extras.weight_kg;
        if (!intake.weight_kg) {
            ASSIGN_OR_RETURN(std::vector<WeightMeasurement> weights, tx.ListWeights(patient));
            if (const std::optional<WeightMeasurement> latest = LatestValidWeight(weights)) {
                intake.weight_kg = latest->weight_kg;
            }
        }
        intake.product = product;
        for (const HistoryEntry& entry : entries) {
            switch (entry.kind) {
                case HistoryKind::kDiagnosis:
                    AddOnce(intake.diagnoses, entry.value);
                    break;
                case HistoryKind::kCondition:
                    AddOnce(intake.conditions, entry.value);
                    break;
                case HistoryKind::kAllergy:
                    AddOnce(intake.allergies, entry.value);
                    break;
                case HistoryKind::kMedication:
                    if (IsCurrentMedicationOn(entry, today)) {
                        AddOnce(intake.medications, entry.value);
                    }
                    break;
            }
        }
        for (const TrialRecord& trial : trials) {
            intake.antidepressant_trials.push_back(trial.trial);
        }
        intake.blood_pressure = extras.blood_pressure;
        intake.heart_rate_per_min = extras.heart_rate_per_min;
        intake.acute_suicidal_ideation = extras.acute_suicidal_ideation;
        intake.child_pugh = extras.child_pugh;
        intake.japanese_ancestry = extras.japanese_ancestry;
        intake.hypertensive_encephalopathy_history = extras.hypertensive_encephalopathy_history;
        intake.ketamine_misuse_history = extras.ketamine_misuse_history;

        ASSIGN_OR_RETURN(clinical::Screening screened, clinical::Screen(intake, settings));
        ScreeningRecord record{ScreeningId{}, patient,    std::move(intake), std::move(screened),
                               now,           actor.user, std::nullopt,      clinical::ScreeningSettingsOf(settings)};
        ASSIGN_OR_RETURN(record.id, tx.InsertScreening(record));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "screening.create", "screening", record.id.value, patient.value));
        return record;
    });
}

Result<ScreeningRecord> HistoryRecords::SignScreening(const Actor& actor, ScreeningId screening, SignOff sign_off,
                                                      std::string_view reason) {
    const bool blank = std::all_of(reason.begin(), reason.end(), [](char c) { return c == ' ' || c == '\t'; });
    if (sign_off == SignOff::kOverridden && blank) {
        return InvalidArgument("reason", "is required to override a screening's decision");
    }
    if (reason.size() > kMaxReasonLength) {
        return InvalidArgument("reason", "must be at most " + std::to_string(kMaxReasonLength) + " characters");
    }
    const TimePoint now = clock_.Now();
    const ScreeningSignature signature{sign_off, std::string(reason), now, actor.user};
    return store_.Write([&](StoreTransaction& tx) -> Result<ScreeningRecord> {
        ASSIGN_OR_RETURN(ScreeningRecord current, tx.GetScreening(screening));
        if (current.signature) {
            return Error{ErrorCode::kFailedPrecondition, "screening_id",
                         "screening " + std::to_string(screening.value) + " is already signed by " +
                             current.signature->signed_by + "; a signed screening is never edited"};
        }
        RETURN_IF_ERROR(tx.SignScreening(screening, signature));
        current.signature = signature;
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "screening.sign", "screening", screening.value, current.patient.value));
        return current;
    });
}

Result<ScreeningRecord> HistoryRecords::GetScreening(const Actor& actor, ScreeningId screening) {
    return store_.Write([&](StoreTransaction& tx) -> Result<ScreeningRecord> {
        ASSIGN_OR_RETURN(ScreeningRecord stored, tx.GetScreening(screening));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, clock_.Now(), "screening.read", "screening", screening.value, stored.patient.value));
        return stored;
    });
}

Result<std::vector<ScreeningRecord>> HistoryRecords::ListScreenings(const Actor& actor, PatientId patient) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<ScreeningRecord>> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<ScreeningRecord> screenings, tx.ListScreenings(patient));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, clock_.Now(), "screening.list", "patient", patient.value, patient.value));
        return screenings;
    });
}

}  // namespace kclinic::app
