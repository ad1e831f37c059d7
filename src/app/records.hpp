#pragma once

// The clinic record as the use cases see it: plain values, no storage or JSON types. Every clinical record keeps
// who wrote it and when (shared/design.md §2). Times are milliseconds since the Unix epoch, UTC.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clinical/eligibility.hpp"
#include "clinical/scales.hpp"

namespace kclinic::app {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// Strong ids: a PatientId cannot be passed where a VitalSignId is expected.
template <typename Tag>
struct Id {
    std::int64_t value = 0;
    friend bool operator==(Id, Id) = default;
    friend auto operator<=>(Id, Id) = default;
};
using PatientId = Id<struct PatientTag>;
using VitalSignId = Id<struct VitalSignTag>;
using AssessmentId = Id<struct AssessmentTag>;
using AuditEntryId = Id<struct AuditEntryTag>;
using HistoryEntryId = Id<struct HistoryEntryTag>;
using TrialId = Id<struct TrialTag>;
using ScreeningId = Id<struct ScreeningTag>;

// Who is acting and from where; every use case takes one and writes it to the audit log.
struct Actor {
    std::string user;    // a user's email, or "system:<component>" for the CLI and device feeds
    std::string origin;  // "cli", an IP address, "mllp:<device>"
};

struct NewPatient {
    std::string mrn;  // medical record number, unique per clinic
    std::string given_name;
    std::string family_name;
    std::chrono::sys_days birth_date;
    clinical::Sex sex = clinical::Sex::kUnknown;
};

struct Patient {
    PatientId id;
    std::string mrn;
    std::string given_name;
    std::string family_name;
    std::chrono::sys_days birth_date;
    clinical::Sex sex = clinical::Sex::kUnknown;
    std::int64_t version = 1;  // bumped by every update; the HTTP layer's ETag
    TimePoint created_at;
    std::string created_by;
};

struct WeightMeasurement {
    PatientId patient;
    TimePoint measured_at;
    double weight_kg = 0;
    std::string recorded_by;
};

enum class VitalSource { kManual, kDevice };

struct NewVitalSign {
    PatientId patient;
    std::string loinc;  // e.g. 8480-6 systolic BP (clinical-reference §7.1)
    double value = 0;
    std::string unit;  // UCUM, e.g. mm[Hg]
    TimePoint observed_at;
    VitalSource source = VitalSource::kManual;
    std::string device_id;  // empty for manual entry
};

struct VitalSign {
    VitalSignId id;
    PatientId patient;
    std::string loinc;
    double value = 0;
    std::string unit;
    TimePoint observed_at;
    VitalSource source = VitalSource::kManual;
    std::string device_id;
    TimePoint recorded_at;
    std::string recorded_by;
};

struct Assessment {
    AssessmentId id;
    PatientId patient;
    clinical::Instrument instrument = clinical::Instrument::kPhq9;
    std::vector<int> answers;
    int total = 0;
    std::string band;
    std::string band_rule;
    std::vector<std::string> flags;
    TimePoint assessed_at;
    TimePoint recorded_at;
    std::string recorded_by;
};

// The single-valued parts of a patient's history. Diagnoses and conditions are canonical ICD-10-CM codes
// ("F33.2"); allergies are substance names; medications are current medications by generic name ("a/b" for
// combinations).
enum class HistoryKind { kDiagnosis, kCondition, kAllergy, kMedication };

struct HistoryEntry {
    HistoryEntryId id;
    PatientId patient;
    HistoryKind kind = HistoryKind::kDiagnosis;
    std::string value;  // the code or the name, as above
    TimePoint noted_at;
    std::string noted_by;
};

// One prior antidepressant trial as recorded: the screening fields plus when it ran, where known.
struct TrialRecord {
    TrialId id;
    PatientId patient;
    clinical::AntidepressantTrial trial;
    std::optional<std::chrono::sys_days> started_on;
    std::optional<std::chrono::sys_days> ended_on;  // absent: ongoing or not recorded
    TimePoint recorded_at;
    std::string recorded_by;
};

// A patient's whole history, each list oldest first.
struct PatientHistory {
    std::vector<HistoryEntry> diagnoses;
    std::vector<HistoryEntry> conditions;
    std::vector<HistoryEntry> allergies;
    std::vector<HistoryEntry> medications;
    std::vector<TrialRecord> antidepressant_trials;
};

// A prescriber's sign-off on a screening: the decision accepted, or overridden with a reason.
enum class SignOff { kAccepted, kOverridden };

struct ScreeningSignature {
    SignOff sign_off = SignOff::kAccepted;
    std::string reason;  // required for kOverridden; may be empty for kAccepted
    TimePoint signed_at;
    std::string signed_by;
};

// One run of the eligibility screening: the exact intake it ran on (the inputs snapshot), its result (decision,
// every finding, the trial count) and, once signed, the signature. A signed screening is never edited.
struct ScreeningRecord {
    ScreeningId id;
    PatientId patient;
    clinical::Intake inputs;
    clinical::Screening result;
    TimePoint screened_at;
    std::string screened_by;
    std::optional<ScreeningSignature> signature;
};

struct AuditEntry {
    AuditEntryId id;
    TimePoint at;
    std::string actor;
    std::string origin;
    std::string action;       // "patient.create", "patient.read", "vital.create", ...
    std::string record_type;  // "patient", "vital_sign", ...
    std::int64_t record_id = 0;
    std::int64_t patient_id = 0;  // 0 when the entry concerns no patient
};

}  // namespace kclinic::app
