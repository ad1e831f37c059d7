#include "app/patient_records.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "app/access_rules.hpp"
#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/entered_in_error.hpp"
#include "app/patient_search.hpp"
#include "app/record_names.hpp"
#include "app/session_steps.hpp"
#include "app/treatment_text.hpp"
#include "app/vital_sign_steps.hpp"
#include "base/text.hpp"
#include "clinical/alerts.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/plausibility.hpp"
#include "clinical/record_time.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::app {
namespace {

constexpr std::size_t kMaxMrnLength = 64;

Status CheckPageSize(int limit) {
    if (limit < 1 || limit > kMaxPageSize) {
        return OutOfRange("limit", limit, 1, kMaxPageSize);
    }
    return Status::Ok();
}

// The named clinician is optional; when given it is a user's email address, as Actor::user is, so alerts reach
// an account. 254 characters is the longest address SMTP carries (RFC 5321).
constexpr std::size_t kMaxEmailLength = 254;

Status CheckClinician(const std::string& clinician) {
    if (clinician.empty()) {
        return Status::Ok();
    }
    if (clinician.size() > kMaxEmailLength) {
        return InvalidArgument("clinician", "must be at most " + std::to_string(kMaxEmailLength) + " characters");
    }
    const std::size_t at = clinician.find('@');
    const bool spaced = std::any_of(clinician.begin(), clinician.end(),
                                    [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
    if (spaced || at == 0 || at == std::string::npos || at + 1 == clinician.size() ||
        clinician.find('@', at + 1) != std::string::npos) {
        return InvalidArgument("clinician", "must be a user's email address, or empty when none is named");
    }
    return Status::Ok();
}

// The named clinician must be someone who can act on the patient's alerts: an active user with a clinical role
// (docs/clinical-rules.md, "In-session alerts"). Returns the address as the user's own (lower case); empty stays
// empty.
Result<std::string> CheckNamedClinician(StoreTransaction& tx, const std::string& clinician) {
    if (clinician.empty()) {
        return clinician;
    }
    ASSIGN_OR_RETURN(const std::string email, NormalizeEmail(clinician, "clinician"));
    ASSIGN_OR_RETURN(const std::optional<User> user, tx.FindUserByEmail(email));
    const auto refuse = [&clinician](const std::string& why) {
        return InvalidArgument("clinician", "\"" + clinician + "\" " + why +
                                                "; the named clinician is an active prescriber, nurse or therapist");
    };
    if (!user) {
        return refuse("is not a user");
    }
    if (user->disabled) {
        return refuse("is a disabled user");
    }
    if (user->role != Role::kPrescriber && user->role != Role::kNurse && user->role != Role::kTherapist) {
        return refuse("is a user with role " + std::string(RoleName(user->role)));
    }
    return user->email;
}

// The checks RegisterPatient and UpdatePatient share; `patient` is a NewPatient or a Patient.
template <typename Demographics>
Status CheckDemographics(const Demographics& patient, std::chrono::sys_days today) {
    RETURN_IF_ERROR(CheckText("mrn", patient.mrn, {.max_characters = kMaxMrnLength}));
    RETURN_IF_ERROR(CheckText("given_name", patient.given_name, {.max_characters = kMaxPatientNameLength}));
    RETURN_IF_ERROR(CheckText("family_name", patient.family_name, {.max_characters = kMaxPatientNameLength}));
    RETURN_IF_ERROR(CheckClinician(patient.clinician));
    RETURN_IF_ERROR(CheckText("address", patient.address,
                              {.max_characters = kMaxPatientAddressLength, .multiline = true, .required = false}));
    const std::chrono::sys_days oldest =
        std::chrono::sys_days{std::chrono::year_month_day{today} - std::chrono::years{clinical::kMaxAgeYears}};
    if (patient.birth_date > today || patient.birth_date < oldest) {
        return InvalidArgument("birth_date", "must be between " + FormatDate(oldest) + " and today");
    }
    return Status::Ok();
}

// An audit action as use cases write them: lower-case words (letters, digits, '_') joined by dots, "patient.read".
bool IsAuditActionShaped(std::string_view action) {
    bool word = false;
    bool dotted = false;
    for (char c : action) {
        if (c == '.') {
            if (!word) {
                return false;
            }
            dotted = true;
            word = false;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
            word = true;
        } else {
            return false;
        }
    }
    return dotted && word;
}

// A filter that could only ever match nothing is a typo, not an answer: an auditor must not read "no entries" from
// it. Refused naming the field.
Status CheckAuditFilter(const AuditFilter& filter) {
    RETURN_IF_ERROR(CheckPageSize(filter.limit));
    if (filter.actor && IsBlank(*filter.actor)) {
        return InvalidArgument("actor", "must not be blank when given");
    }
    if (filter.action && !IsAuditActionShaped(*filter.action)) {
        return InvalidArgument("action",
                               "must be an audit action, lower-case words joined by dots such as patient.read");
    }
    if (filter.from && filter.to && *filter.to <= *filter.from) {
        return InvalidArgument("to", "must be later than from");
    }
    return Status::Ok();
}

}  // namespace

Result<std::optional<SessionId>> SessionInProgressAt(StoreTransaction& tx, PatientId patient, TimePoint at) {
    std::optional<SessionId> found;
    TimePoint found_checked_in{};
    ASSIGN_OR_RETURN(std::vector<TreatmentCourse> courses, tx.ListCourses(patient));
    for (const TreatmentCourse& course : courses) {
        ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessions(course.id));
        for (const TreatmentSession& session : sessions) {
            if (InProgressAt(session, at) && (!found || *session.checked_in_at > found_checked_in)) {
                found = session.id;
                found_checked_in = *session.checked_in_at;
            }
        }
    }
    return found;
}

Result<std::vector<Alert>> RaiseAlerts(StoreTransaction& tx, const Actor& actor, TimePoint now, const Patient& patient,
                                       std::string_view record_type, std::int64_t record_id,
                                       std::optional<SessionId> session,
                                       const std::vector<clinical::AlertFinding>& findings) {
    std::vector<Alert> raised;
    for (const clinical::AlertFinding& finding : findings) {
        Alert alert;
        alert.patient = patient.id;
        alert.rule = finding.rule;
        alert.severity = finding.severity;
        alert.message = finding.message;
        alert.source = finding.source;
        alert.record_type = std::string(record_type);
        alert.record_id = record_id;
        alert.session = session;
        alert.notify = patient.clinician;
        alert.raised_at = now;
        ASSIGN_OR_RETURN(alert.id, tx.InsertAlert(alert));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "alert.create", "alert", alert.id.value, patient.id.value));
        raised.push_back(std::move(alert));
    }
    return raised;
}

std::optional<WeightMeasurement> LatestValidWeight(const std::vector<WeightMeasurement>& weights) {
    const auto latest = std::find_if(weights.rbegin(), weights.rend(),
                                     [](const WeightMeasurement& weight) { return !weight.entered_in_error; });
    return latest == weights.rend() ? std::nullopt : std::optional<WeightMeasurement>(*latest);
}

Result<Patient> PatientRecords::RegisterPatient(const Actor& actor, const NewPatient& patient) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<Patient> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        RETURN_IF_ERROR(CheckDemographics(patient, zone.LocalDate(now)));
        NewPatient named = patient;
        ASSIGN_OR_RETURN(named.clinician, CheckNamedClinician(tx, patient.clinician));
        ASSIGN_OR_RETURN(PatientId id, tx.InsertPatient(named, now, actor.user));
        ASSIGN_OR_RETURN(Patient created, tx.GetPatient(id));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "patient.create", "patient", id.value, id.value));
        return created;
    });
}

Result<Patient> PatientRecords::UpdatePatient(const Actor& actor, const Patient& changed) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<Patient> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        RETURN_IF_ERROR(CheckDemographics(changed, zone.LocalDate(now)));
        // The store checks the version and the MRN's uniqueness in the same statement, so a concurrent update
        // cannot slip between a check here and the write.
        Patient named = changed;
        ASSIGN_OR_RETURN(named.clinician, CheckNamedClinician(tx, changed.clinician));
        RETURN_IF_ERROR(tx.UpdatePatient(named));
        ASSIGN_OR_RETURN(Patient updated, tx.GetPatient(changed.id));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "patient.update", "patient", changed.id.value, changed.id.value));
        return updated;
    });
}

Result<Patient> PatientRecords::GetPatient(const Actor& actor, PatientId id) {
    // A read of patient data is audited, so it runs as a write transaction: the audit entry must be durable.
    return store_.Write([&](StoreTransaction& tx) -> Result<Patient> {
        ASSIGN_OR_RETURN(Patient patient, tx.GetPatient(id));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "patient.read", "patient", id.value, id.value));
        return patient;
    });
}

Result<std::vector<Patient>> PatientRecords::ListPatients(const Actor& actor, PatientId after, int limit) {
    RETURN_IF_ERROR(CheckPageSize(limit));
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<Patient>> {
        ASSIGN_OR_RETURN(std::vector<Patient> patients, tx.ListPatients(after, limit));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "patient.list", "patient", after.value, 0));
        return patients;
    });
}

Result<std::vector<Patient>> PatientRecords::SearchPatients(const Actor& actor, const PatientSearch& search,
                                                            PatientId after, int limit) {
    RETURN_IF_ERROR(CheckPageSize(limit));
    if (search.mrn && search.name) {
        return InvalidArgument("mrn", "search by mrn or by name, not both");
    }
    if (!search.mrn && !search.name) {
        return InvalidArgument("name", "is required: search by mrn or by name");
    }
    std::optional<PatientNameSearch> by_name;
    if (search.mrn) {
        RETURN_IF_ERROR(CheckText("mrn", *search.mrn, {.max_characters = kMaxMrnLength}));
    } else {
        ASSIGN_OR_RETURN(by_name, ParsePatientNameSearch(*search.name));
    }
    const std::string detail = search.mrn ? "mrn=" + *search.mrn : "name=" + *search.name;
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<Patient>> {
        std::vector<Patient> found;
        if (by_name) {
            ASSIGN_OR_RETURN(found, tx.FindPatientsByName(*by_name, after, limit));
        } else {
            ASSIGN_OR_RETURN(std::optional<Patient> patient, tx.FindPatientByMrn(*search.mrn));
            if (patient && patient->id > after) {
                found.push_back(std::move(*patient));
            }
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "patient.search", "patient", after.value, 0, detail));
        return found;
    });
}

Result<std::vector<PatientSummary>> PatientRecords::QuickSearch(const Actor& actor, std::string_view q, PatientId after,
                                                                int limit) {
    RETURN_IF_ERROR(CheckPageSize(limit));
    ASSIGN_OR_RETURN(const std::vector<std::string> words, ParseQuickSearch(q));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<PatientSummary>> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        const std::chrono::sys_days today = zone.LocalDate(now);
        ASSIGN_OR_RETURN(std::vector<Patient> found, tx.FindPatientsByWords(words, after, limit));
        std::vector<PatientId> ids;
        ids.reserve(found.size());
        for (const Patient& patient : found) {
            ids.push_back(patient.id);
        }
        ASSIGN_OR_RETURN(const std::vector<TreatmentCourse> courses, tx.ListPatientsCourses(ids));
        std::vector<PatientSummary> summaries;
        summaries.reserve(found.size());
        for (Patient& patient : found) {
            PatientSummary summary;
            summary.age = clinical::AgeInYears(patient.birth_date, today);
            for (const TreatmentCourse& course : courses) {  // id order: the latest not ended wins
                if (course.patient == patient.id && course.status != CourseStatus::kEnded) {
                    summary.current_course = course;
                }
            }
            summary.patient = std::move(patient);
            summaries.push_back(std::move(summary));
        }
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "patient.search", "patient", after.value, 0, "q=" + std::string(q)));
        return summaries;
    });
}

Result<WeightMeasurement> PatientRecords::RecordWeight(const Actor& actor, PatientId patient, TimePoint measured_at,
                                                       double weight_kg, bool confirmed,
                                                       const clinical::ClinicSettings& settings) {
    if (!(weight_kg >= clinical::kMinWeightKg && weight_kg <= clinical::kMaxWeightKg)) {
        return OutOfRange("weight_kg", weight_kg, clinical::kMinWeightKg, clinical::kMaxWeightKg, "kg");
    }
    const TimePoint now = clock_.Now();
    ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                     clinical::CheckEntryTime("measured_at", measured_at, now, settings.records));
    WeightMeasurement weight;
    weight.patient = patient;
    weight.measured_at = measured_at;
    weight.weight_kg = weight_kg;
    weight.recorded_by = actor.user;
    weight.recorded_at = now;
    weight.late_entry = timing == clinical::EntryTiming::kLate;
    weight.confirmed = confirmed;
    return store_.Write([&](StoreTransaction& tx) -> Result<WeightMeasurement> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<WeightMeasurement> earlier, tx.ListWeights(patient));
        const std::optional<WeightMeasurement> latest = LatestValidWeight(earlier);
        std::optional<clinical::WeightReading> compared;
        if (latest) {
            compared = clinical::WeightReading{latest->weight_kg, latest->measured_at};
        }
        RETURN_IF_ERROR(clinical::CheckWeightChange(weight_kg, measured_at, compared, confirmed, settings.records));
        ASSIGN_OR_RETURN(weight.id, tx.InsertWeight(weight));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "weight.create", "weight", weight.id.value, patient.value));
        return weight;
    });
}

Result<std::vector<WeightMeasurement>> PatientRecords::ListWeights(const Actor& actor, PatientId patient) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<WeightMeasurement>> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<WeightMeasurement> weights, tx.ListWeights(patient));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "weight.list", "patient", patient.value, patient.value));
        return weights;
    });
}

Result<WeightMeasurement> PatientRecords::MarkWeightEnteredInError(const Actor& actor, PatientId patient, WeightId id,
                                                                   std::string_view reason) {
    return MarkEnteredInError(store_, actor, clock_.Now(), patient, id, reason,
                              {"weight_id", "weight", "weight", "weight.entered_in_error"},
                              &PatientTransaction::GetWeight, &PatientTransaction::MarkWeightEnteredInError);
}

Result<RecordedVitalSign> PatientRecords::RecordVitalSign(const Actor& actor, const NewVitalSign& vital,
                                                          const clinical::ClinicSettings& settings) {
    const clinical::VitalSignEntry entry{vital.loinc, vital.value, vital.unit, vital.diastolic, vital.mean_arterial};
    RETURN_IF_ERROR(clinical::ValidateVitalSign(entry));
    if (vital.source == VitalSource::kDevice && vital.device_id.empty()) {
        return InvalidArgument("device_id", "is required for a device reading");
    }
    const std::vector<clinical::AlertFinding> findings = clinical::EvaluateVitalSign(entry, settings.monitoring);
    const TimePoint now = clock_.Now();
    ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                     clinical::CheckEntryTime("observed_at", vital.observed_at, now, settings.records));
    const bool late_entry = timing == clinical::EntryTiming::kLate;
    return store_.Write([&](StoreTransaction& tx) -> Result<RecordedVitalSign> {
        ASSIGN_OR_RETURN(Patient patient, tx.GetPatient(vital.patient));
        NewVitalSign stored = vital;
        ASSIGN_OR_RETURN(stored.session, SessionInProgressAt(tx, vital.patient, vital.observed_at));
        if (vital.session && vital.session != stored.session) {
            return InvalidArgument("session_id",
                                   "is " + std::to_string(vital.session->value) + ", but " +
                                       (stored.session ? "the session in progress at observed_at is " +
                                                             std::to_string(stored.session->value)
                                                       : std::string("no session of this patient was in progress at "
                                                                     "observed_at")));
        }
        ASSIGN_OR_RETURN(VitalSignId id, tx.InsertVitalSign(stored, now, actor.user, late_entry));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "vital_sign.create", "vital_sign", id.value, vital.patient.value));
        ASSIGN_OR_RETURN(std::vector<Alert> alerts,
                         RaiseAlerts(tx, actor, now, patient, "vital_sign", id.value, stored.session, findings));
        ASSIGN_OR_RETURN(VitalSign recorded, tx.GetVitalSign(id));
        return RecordedVitalSign{std::move(recorded), std::move(alerts)};
    });
}

Result<std::vector<VitalSign>> PatientRecords::ListVitalSigns(const Actor& actor, PatientId patient,
                                                              std::optional<SessionId> session, int limit) {
    RETURN_IF_ERROR(CheckPageSize(limit));
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<VitalSign>> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        if (session) {
            ASSIGN_OR_RETURN(const TreatmentSession found, tx.GetSession(*session));
            if (found.patient != patient) {
                return Error{
                    ErrorCode::kNotFound, "session_id",
                    "no session " + std::to_string(session->value) + " of patient " + std::to_string(patient.value)};
            }
        }
        ASSIGN_OR_RETURN(std::vector<VitalSign> vitals, tx.ListVitalSigns(patient, session, limit));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, clock_.Now(), "vital_sign.list", "patient", patient.value, patient.value));
        return vitals;
    });
}

Result<VitalSign> PatientRecords::MarkVitalSignEnteredInError(const Actor& actor, PatientId patient, VitalSignId id,
                                                              std::string_view reason) {
    return MarkEnteredInError(store_, actor, clock_.Now(), patient, id, reason,
                              {"vital_sign_id", "vital sign", "vital_sign", "vital_sign.entered_in_error"},
                              &PatientTransaction::GetVitalSign, &PatientTransaction::MarkVitalSignEnteredInError);
}

Result<RecordedAssessment> PatientRecords::RecordAssessment(const Actor& actor, PatientId patient,
                                                            clinical::Instrument instrument,
                                                            std::span<const int> answers, TimePoint assessed_at,
                                                            const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(clinical::ScaleResult scored, clinical::Score(instrument, answers, settings.scales));
    const std::vector<clinical::AlertFinding> findings = clinical::EvaluateAssessment(scored, settings.monitoring);
    const TimePoint now = clock_.Now();
    ASSIGN_OR_RETURN(const clinical::EntryTiming timing,
                     clinical::CheckEntryTime("assessed_at", assessed_at, now, settings.records));
    Assessment assessment;
    assessment.patient = patient;
    assessment.instrument = instrument;
    assessment.answers = scored.answers;
    assessment.total = scored.total;
    assessment.band = scored.band;
    assessment.band_rule = scored.band_rule;
    assessment.flags = scored.flags;
    assessment.assessed_at = assessed_at;
    assessment.recorded_at = now;
    assessment.recorded_by = actor.user;
    assessment.late_entry = timing == clinical::EntryTiming::kLate;
    return store_.Write([&](StoreTransaction& tx) -> Result<RecordedAssessment> {
        ASSIGN_OR_RETURN(Patient stored_patient, tx.GetPatient(patient));
        ASSIGN_OR_RETURN(assessment.id, tx.InsertAssessment(assessment));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "assessment.create", "assessment", assessment.id.value, patient.value));
        // An in-session rating's alert (sedation, dissociation) belongs to the session as a vital sign's does; only an
        // alert needs the session, so a quiet rating does not look for it.
        std::optional<SessionId> session;
        if (!findings.empty()) {
            ASSIGN_OR_RETURN(session, SessionInProgressAt(tx, patient, assessed_at));
        }
        ASSIGN_OR_RETURN(std::vector<Alert> alerts, RaiseAlerts(tx, actor, now, stored_patient, "assessment",
                                                                assessment.id.value, session, findings));
        return RecordedAssessment{assessment, std::move(alerts)};
    });
}

Result<RecordedAssessment> PatientRecords::RecordSelfReport(const Actor& actor, PatientId patient,
                                                            clinical::Instrument instrument,
                                                            std::span<const int> answers, TimePoint assessed_at,
                                                            const clinical::ClinicSettings& settings) {
    RETURN_IF_ERROR(clinical::CheckSelfReport(instrument, assessed_at, clock_.Now(), settings));
    return RecordAssessment(actor, patient, instrument, answers, assessed_at, settings);
}

Result<std::vector<Assessment>> PatientRecords::ListAssessments(const Actor& actor, PatientId patient) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<Assessment>> {
        RETURN_IF_ERROR(tx.GetPatient(patient));
        ASSIGN_OR_RETURN(std::vector<Assessment> assessments, tx.ListAssessments(patient));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, clock_.Now(), "assessment.list", "patient", patient.value, patient.value));
        return assessments;
    });
}

Result<Assessment> PatientRecords::MarkAssessmentEnteredInError(const Actor& actor, PatientId patient,
                                                                AssessmentId assessment, std::string_view reason) {
    return MarkEnteredInError(store_, actor, clock_.Now(), patient, assessment, reason,
                              {"assessment_id", "assessment", "assessment", "assessment.entered_in_error"},
                              &PatientTransaction::ListAssessments, &PatientTransaction::MarkAssessmentEnteredInError);
}

Result<std::vector<AuditEntry>> PatientRecords::ListAudit(const Actor& actor, const AuditFilter& filter) {
    RETURN_IF_ERROR(CheckAuditFilter(filter));
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<AuditEntry>> {
        ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, tx.ListAudit(filter));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "audit.list", "audit_log", filter.after_id,
                                    filter.patient_id.value_or(0)));
        return entries;
    });
}

Result<AuditChainCheck> PatientRecords::CheckAuditChain(const Actor& actor) {
    return store_.Write([&](StoreTransaction& tx) -> Result<AuditChainCheck> {
        ASSIGN_OR_RETURN(AuditChainCheck check, tx.CheckAuditChain());
        const std::string outcome = check.first_broken_id ? "broken_at=" + std::to_string(*check.first_broken_id)
                                                          : "intact entries=" + std::to_string(check.chained_entries) +
                                                                " head=" + check.head_hash;
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "audit.verify", "audit_log", 0, 0, outcome));
        return check;
    });
}

}  // namespace kclinic::app
