#pragma once

// The fixture of the use-case contract tests, the app layer's real tests: each case runs on a fresh database of the
// backend it is given (the test parameter), with a Store on it, a clock the case moves, every use case of the clinic
// over them (app::ClinicUseCases, as `kclinic serve` builds it) and the steps most cases begin with. A step that
// fails is a test failure.

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/clock/os_time_zones.hpp"
#include "adapters/crypto/sodium_credentials.hpp"
#include "adapters/storage/contract/test_stores.hpp"
#include "app/clinic_use_cases.hpp"
#include "app/ports/clock.hpp"
#include "app/records.hpp"
#include "base/error_code.hpp"
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

// Whether `outcome` (a Status or a Result) is a refusal with `code` naming `field`; what it was when not.
template <typename Outcome>
::testing::AssertionResult IsRefusal(const Outcome& outcome, ErrorCode code, std::string_view field) {
    if (outcome.ok()) {
        return ::testing::AssertionFailure()
               << "expected a refusal (" << ErrorCodeName(code) << ") naming " << field << ", but it was allowed";
    }
    if (outcome.error().code != code || outcome.error().field != field) {
        return ::testing::AssertionFailure()
               << "expected a refusal (" << ErrorCodeName(code) << ") naming " << field << ", got ("
               << ErrorCodeName(outcome.error().code) << ") " << outcome.error().ToString();
    }
    return ::testing::AssertionSuccess();
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
    // Registers NewPatient(mrn) named `given` `family` as nurse_.
    app::PatientId Register(const std::string& mrn, const std::string& given, const std::string& family);
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
    // An IV order of `mg_per_kg` over 40 minutes at 10 mg/mL for a patient on `weight_kg` (by default the weight
    // Weigh records): 0.5 mg/kg on 70 kg is 35 mg at 52.5 mg/h.
    static clinical::DoseRequest IvRequest(double mg_per_kg = 0.5, double weight_kg = 70);
    // Records a blood pressure of `patient` as nurse_, observed `at` (default now); a test failure when refused.
    void RecordBp(app::PatientId patient, int systolic, int diastolic, std::optional<app::TimePoint> at = std::nullopt);
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

    // `session` with its order, administrations, transitions and medications, read without an audit entry.
    app::SessionRecord StoredSession(app::SessionId session);
    // Runs `refused`, expects it refused with `code` naming `field`, and checks that nothing was written: the session's
    // state and times, its order, administrations and transitions, and the audit log are as before.
    template <typename T>
    void ExpectRefusedWritingNothing(app::SessionId session, const std::function<Result<T>()>& refused,
                                     const std::string& field, ErrorCode code = ErrorCode::kFailedPrecondition) {
        const app::SessionRecord before = StoredSession(session);
        const std::size_t audit_before = AuditActions().size();
        ASSERT_TRUE(IsRefusal(refused(), code, field));
        const app::SessionRecord after = StoredSession(session);
        EXPECT_EQ(after.session.state, before.session.state);
        EXPECT_EQ(after.session.state_changed_at, before.session.state_changed_at);
        EXPECT_EQ(after.session.checked_in_at, before.session.checked_in_at);
        EXPECT_EQ(after.dose_order.has_value(), before.dose_order.has_value());
        EXPECT_EQ(after.administrations.size(), before.administrations.size());
        EXPECT_EQ(after.transitions.size(), before.transitions.size());
        EXPECT_EQ(AuditActions().size(), audit_before);
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
