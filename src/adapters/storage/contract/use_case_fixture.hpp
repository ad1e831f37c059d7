#pragma once

// The fixture of the use-case contract tests, the app layer's real tests: each case runs on a fresh database of the
// backend it is given (the test parameter), with a Store on it, a clock the case moves, every use case of the clinic
// over them (app::ClinicUseCases, as `kclinic serve` builds it) and the steps most cases begin with. A step that
// fails is a test failure.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/storage/contract/test_stores.hpp"
#include "app/clinic_use_cases.hpp"
#include "app/ports/clock.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/schedule.hpp"
#include "clinical/settings.hpp"

namespace kclinic::adapters::storage::contract {

// Where the fixture's clock starts, At(0): 2026-09-21T14:13:20Z; and that day, when its courses start.
inline const app::TimePoint kStart = At(0);
inline const std::chrono::sys_days kCourseStart{std::chrono::year{2026} / 9 / 21};

// A clock that says kStart until the case moves it.
class StepClock final : public app::Clock {
public:
    [[nodiscard]] app::TimePoint Now() const override { return now_; }
    void Advance(std::chrono::milliseconds by) { now_ += by; }
    void Set(app::TimePoint at) { now_ = at; }

private:
    app::TimePoint now_ = kStart;
};

// One blood-pressure reading of `patient` (loinc 85354-9: systolic and diastolic together), entered by hand.
inline app::NewVitalSign BloodPressure(app::PatientId patient, double systolic, double diastolic, app::TimePoint at) {
    app::NewVitalSign vital{patient, "85354-9", systolic, "mm[Hg]", at, app::VitalSource::kManual, ""};
    vital.diastolic = diastolic;
    return vital;
}

class UseCaseTest : public ::testing::TestWithParam<Backend> {
protected:
    // Opens the store and builds the use cases. A fixture with a SetUp of its own calls this first.
    void SetUp() override;

    [[nodiscard]] app::Store& store() { return test_store_->store(); }
    [[nodiscard]] TestDatabase& database() { return test_store_->database(); }
    [[nodiscard]] app::ClinicUseCases& clinic() { return *use_cases_; }

    // Ada Example, female, born 1980-03-14, with `mrn`.
    [[nodiscard]] static app::NewPatient NewPatient(const std::string& mrn);
    // Registers `patient` as nurse_; PatientId{} (and a test failure) when refused.
    app::PatientId Register(const app::NewPatient& patient);
    app::PatientId Register(const std::string& mrn) { return Register(NewPatient(mrn)); }
    // Starts a course for `indication` on kCourseStart as prescriber_, with settings_, on a screening
    // SignedScreening stores for the route's product first; an empty record (and a test failure) when refused.
    app::CourseRecord StartCourse(app::PatientId patient,
                                  clinical::Protocol protocol = clinical::Protocol::kIvInduction,
                                  clinical::Route route = clinical::Route::kIv,
                                  const std::string& indication = "treatment-resistant depression (F33.2)");
    // Stores a screening of `patient` for `product` that decided `decision`, signed (accepted) by prescriber_ now,
    // straight into the store, with no history and no audit entry: the screening a course is started on, arranged
    // without the eligibility rules that history_contract_test covers. Its id; ScreeningId{} when refused.
    app::ScreeningId SignedScreening(app::PatientId patient, clinical::Product product,
                                     clinical::Decision decision = clinical::Decision::kEligible);
    // Records `kg` as `patient`'s weight, measured now, as nurse_: a dose order is signed on the latest recorded
    // weight (clinical::CheckDoseWeight). A test failure when refused.
    void Weigh(app::PatientId patient, double kg = 70);
    // Checks `session` of `patient` in (consent and escort confirmed), records a BP inside the gate (128/78) two
    // minutes later and confirms pre-dose a minute after that; a test failure when a step is refused.
    void CheckInAndConfirm(app::PatientId patient, app::SessionId session);
    // CheckInAndConfirm, then `request` signed by prescriber_ and the session moved to dosing by nurse_.
    void StartDosing(app::PatientId patient, app::SessionId session, const clinical::DoseRequest& request);
    // An esketamine order of `dose_mg` for a 46-year-old on 70 kg (the weight Weigh records by default).
    static clinical::DoseRequest EsketamineRequest(double dose_mg);
    // Adds an active user with `email` and `role` (a patient's named clinician must be one); a test failure when
    // refused.
    void AddUser(const std::string& email, app::Role role);

    // The audit log (of one patient when given), oldest first, read without an audit entry of its own; its actions.
    std::vector<app::AuditEntry> Audit(std::optional<std::int64_t> patient_id = std::nullopt) {
        return ReadAudit(store(), patient_id);
    }
    std::vector<std::string> AuditActions(std::optional<std::int64_t> patient_id = std::nullopt) {
        return ReadAuditActions(store(), patient_id);
    }

    // Runs one statement on a connection of its own, past the use cases: proves what the schema itself refuses.
    Status ExecuteDirectly(const std::string& statement);

    StepClock clock_;
    clinical::ClinicSettings settings_;  // the defaults
    // The cheapest password hashing, so that adding users costs tests no time.
    const crypto::SodiumCredentials credentials_{crypto::PasswordHashCost::kTestOnlyMinimum};
    const OsTimeZones zones_;  // the OS's IANA database, as `kclinic serve` reads it
    const app::Actor nurse_{"nurse@clinic.example", "10.0.0.7"};
    const app::Actor prescriber_{"doctor@clinic.example", "10.0.0.8"};
    const app::Actor admin_{"admin@clinic.example", "10.0.0.1"};

private:
    std::unique_ptr<TestStore> test_store_;
    std::unique_ptr<app::ClinicUseCases> use_cases_;
};

}  // namespace kclinic::adapters::storage::contract
