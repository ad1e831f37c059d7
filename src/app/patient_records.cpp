#include "app/patient_records.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "app/audit.hpp"
#include "base/text.hpp"
#include "clinical/plausibility.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::app {
namespace {

constexpr std::size_t kMaxMrnLength = 64;
constexpr std::size_t kMaxNameLength = 200;

Status CheckText(std::string_view field, const std::string& value, std::size_t max_length) {
    if (value.empty()) {
        return InvalidArgument(std::string(field), "is required");
    }
    if (value.size() > max_length) {
        return InvalidArgument(std::string(field), "must be at most " + std::to_string(max_length) + " characters");
    }
    for (char c : value) {
        if (static_cast<unsigned char>(c) < 0x20) {
            return InvalidArgument(std::string(field), "must not contain control characters");
        }
    }
    return Status::Ok();
}

Status CheckPageSize(int limit) {
    if (limit < 1 || limit > kMaxPageSize) {
        return OutOfRange("limit", limit, 1, kMaxPageSize);
    }
    return Status::Ok();
}

}  // namespace

Result<Patient> PatientRecords::RegisterPatient(const Actor& actor, const NewPatient& patient) {
    for (const Status& status :
         {CheckText("mrn", patient.mrn, kMaxMrnLength), CheckText("given_name", patient.given_name, kMaxNameLength),
          CheckText("family_name", patient.family_name, kMaxNameLength)}) {
        if (!status.ok()) {
            return status.error();
        }
    }
    const TimePoint now = clock_.Now();
    const auto today = std::chrono::floor<std::chrono::days>(now);
    const std::chrono::sys_days oldest =
        std::chrono::sys_days{std::chrono::year_month_day{today} - std::chrono::years{clinical::kMaxAgeYears}};
    if (patient.birth_date > today || patient.birth_date < oldest) {
        return InvalidArgument("birth_date", "must be between " + FormatDate(oldest) + " and today");
    }
    std::optional<Patient> stored;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<PatientId> id = tx.InsertPatient(patient, now, actor.user);
        if (!id.ok()) {
            return id.error();
        }
        Result<Patient> created = tx.GetPatient(*id);
        if (!created.ok()) {
            return created.error();
        }
        stored = std::move(created).value();
        return RecordAudit(tx, actor, now, "patient.create", "patient", id->value, id->value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*stored);
}

Result<Patient> PatientRecords::GetPatient(const Actor& actor, PatientId id) {
    std::optional<Patient> found;
    // A read of patient data is audited, so it runs as a write transaction: the audit entry must be durable.
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<Patient> patient = tx.GetPatient(id);
        if (!patient.ok()) {
            return patient.error();
        }
        found = std::move(patient).value();
        return RecordAudit(tx, actor, clock_.Now(), "patient.read", "patient", id.value, id.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*found);
}

Result<std::vector<Patient>> PatientRecords::ListPatients(const Actor& actor, PatientId after, int limit) {
    if (Status page = CheckPageSize(limit); !page.ok()) {
        return page.error();
    }
    std::vector<Patient> patients;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<std::vector<Patient>> listed = tx.ListPatients(after, limit);
        if (!listed.ok()) {
            return listed.error();
        }
        patients = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "patient.list", "patient", after.value, 0);
    });
    if (!status.ok()) {
        return status.error();
    }
    return patients;
}

Status PatientRecords::RecordWeight(const Actor& actor, PatientId patient, TimePoint measured_at, double weight_kg) {
    if (!(weight_kg >= clinical::kMinWeightKg && weight_kg <= clinical::kMaxWeightKg)) {
        return OutOfRange("weight_kg", weight_kg, clinical::kMinWeightKg, clinical::kMaxWeightKg, "kg");
    }
    return store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        if (Status inserted = tx.InsertWeight(WeightMeasurement{patient, measured_at, weight_kg, actor.user});
            !inserted.ok()) {
            return inserted;
        }
        return RecordAudit(tx, actor, clock_.Now(), "weight.create", "patient", patient.value, patient.value);
    });
}

Result<VitalSign> PatientRecords::RecordVitalSign(const Actor& actor, const NewVitalSign& vital) {
    if (Status valid = clinical::ValidateVitalSign(vital.loinc, vital.value, vital.unit); !valid.ok()) {
        return valid.error();
    }
    if (vital.source == VitalSource::kDevice && vital.device_id.empty()) {
        return InvalidArgument("device_id", "is required for a device reading");
    }
    std::optional<VitalSign> stored;
    const TimePoint now = clock_.Now();
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(vital.patient); !exists.ok()) {
            return exists.error();
        }
        Result<VitalSignId> id = tx.InsertVitalSign(vital, now, actor.user);
        if (!id.ok()) {
            return id.error();
        }
        stored = VitalSign{*id,          vital.patient,   vital.loinc, vital.value, vital.unit, vital.observed_at,
                           vital.source, vital.device_id, now,         actor.user};
        return RecordAudit(tx, actor, now, "vital_sign.create", "vital_sign", id->value, vital.patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return std::move(*stored);
}

Result<std::vector<VitalSign>> PatientRecords::ListVitalSigns(const Actor& actor, PatientId patient, int limit) {
    if (Status page = CheckPageSize(limit); !page.ok()) {
        return page.error();
    }
    std::vector<VitalSign> vitals;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        Result<std::vector<VitalSign>> listed = tx.ListVitalSigns(patient, limit);
        if (!listed.ok()) {
            return listed.error();
        }
        vitals = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "vital_sign.list", "patient", patient.value, patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return vitals;
}

Result<Assessment> PatientRecords::RecordAssessment(const Actor& actor, PatientId patient,
                                                    clinical::Instrument instrument, std::span<const int> answers,
                                                    TimePoint assessed_at, const clinical::ScaleSettings& settings) {
    Result<clinical::ScaleResult> scored = clinical::Score(instrument, answers, settings);
    if (!scored.ok()) {
        return scored.error();
    }
    const TimePoint now = clock_.Now();
    Assessment assessment;
    assessment.patient = patient;
    assessment.instrument = instrument;
    assessment.answers = scored->answers;
    assessment.total = scored->total;
    assessment.band = scored->band;
    assessment.band_rule = scored->band_rule;
    assessment.flags = scored->flags;
    assessment.assessed_at = assessed_at;
    assessment.recorded_at = now;
    assessment.recorded_by = actor.user;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        Result<AssessmentId> id = tx.InsertAssessment(assessment);
        if (!id.ok()) {
            return id.error();
        }
        assessment.id = *id;
        return RecordAudit(tx, actor, now, "assessment.create", "assessment", id->value, patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return assessment;
}

Result<std::vector<Assessment>> PatientRecords::ListAssessments(const Actor& actor, PatientId patient) {
    std::vector<Assessment> assessments;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        if (Result<Patient> exists = tx.GetPatient(patient); !exists.ok()) {
            return exists.error();
        }
        Result<std::vector<Assessment>> listed = tx.ListAssessments(patient);
        if (!listed.ok()) {
            return listed.error();
        }
        assessments = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "assessment.list", "patient", patient.value, patient.value);
    });
    if (!status.ok()) {
        return status.error();
    }
    return assessments;
}

Result<std::vector<AuditEntry>> PatientRecords::ListAudit(const Actor& actor, const AuditFilter& filter) {
    if (Status page = CheckPageSize(filter.limit); !page.ok()) {
        return page.error();
    }
    std::vector<AuditEntry> entries;
    Status status = store_.Write([&](StoreTransaction& tx) -> Status {
        Result<std::vector<AuditEntry>> listed = tx.ListAudit(filter);
        if (!listed.ok()) {
            return listed.error();
        }
        entries = std::move(listed).value();
        return RecordAudit(tx, actor, clock_.Now(), "audit.list", "audit_log", filter.after_id,
                           filter.patient_id.value_or(0));
    });
    if (!status.ok()) {
        return status.error();
    }
    return entries;
}

}  // namespace kclinic::app
