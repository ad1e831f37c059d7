#include "adapters/json/record_json.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "app/access_rules.hpp"

namespace kclinic::adapters::json {
namespace {

using std::chrono::sys_days;
using std::chrono::year;

const app::TimePoint kAt{std::chrono::milliseconds{1'790'000'000'123LL}};  // 2026-09-21T14:13:20.123Z

TEST(RecordJson, TimesAreIsoUtcWithMilliseconds) {
    EXPECT_EQ(FormatTime(kAt), "2026-09-21T14:13:20.123Z");
}

TEST(RecordJson, AbsentOptionalsAreLeftOutNotNull) {
    app::VitalSign manual{
        app::VitalSignId{7}, app::PatientId{3}, "8480-6", 128, "mm[Hg]", kAt, app::VitalSource::kManual, "", kAt,
        "nurse@example.org"};
    Json json = ToJson(manual);
    EXPECT_EQ(json["source"], "manual");
    EXPECT_FALSE(json.contains("device_id"));

    app::Administration running;
    running.drug = "ketamine";
    running.route = clinical::Route::kIv;
    running.started_at = kAt;
    running.recorded_at = kAt;
    json = ToJson(running);
    EXPECT_EQ(json["route"], "iv");
    EXPECT_FALSE(json.contains("stopped_at"));
    EXPECT_FALSE(json.contains("device_count"));
    running.stopped_at = kAt + std::chrono::minutes(40);
    EXPECT_EQ(ToJson(running)["stopped_at"], "2026-09-21T14:53:20.123Z");
}

TEST(RecordJson, SessionCarriesItsStateAndOverride) {
    app::TreatmentSession session;
    session.id = app::SessionId{5};
    session.course = app::CourseId{2};
    session.patient = app::PatientId{3};
    session.number = 1;
    session.planned_date = sys_days{year{2026} / 9 / 21};
    session.phase = "induction";
    session.state = clinical::SessionState::kPreDoseOk;
    session.checked_in_at = kAt;
    session.bp_override = clinical::GateOverride{"dr@example.org", "stable on recheck"};
    session.state_changed_at = kAt;
    Json json = ToJson(session);
    EXPECT_EQ(json["state"], "pre_dose_ok");
    EXPECT_EQ(json["planned_date"], "2026-09-21");
    EXPECT_EQ(json["bp_override"]["reason"], "stable on recheck");
    EXPECT_FALSE(json.contains("state_reason"));
}

TEST(RecordJson, ScreeningSignatureOnlyOnceSigned) {
    app::ScreeningRecord screening;
    screening.screened_at = kAt;
    EXPECT_FALSE(ToJson(screening).contains("signature"));
    screening.signature = app::ScreeningSignature{app::SignOff::kOverridden, "reviewed with cardiology", kAt, "dr"};
    Json json = ToJson(screening);
    EXPECT_EQ(json["signature"]["sign_off"], "overridden");
    EXPECT_EQ(json["signature"]["reason"], "reviewed with cardiology");
}

TEST(RecordJson, UsersAndTokensNeverCarryTheirSecrets) {
    app::User user;
    user.id = app::UserId{4};
    user.email = "ada@clinic.example";
    user.role = app::Role::kPatient;
    user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    user.patient = app::PatientId{9};
    user.created_at = kAt;
    user.updated_at = kAt;
    Json json = ToJson(user);
    EXPECT_EQ(json["role"], "patient");
    EXPECT_EQ(json["patient_id"], 9);
    EXPECT_FALSE(json.contains("locked_until"));
    EXPECT_FALSE(json.contains("needs_admin_unlock"));
    EXPECT_EQ(json.dump().find("argon2id"), std::string::npos) << json.dump();
    user.locked_until = kAt;
    EXPECT_EQ(ToJson(user)["locked_until"], "2026-09-21T14:13:20.123Z");
    user.locked_until = app::kLockedUntilUnlocked;
    json = ToJson(user);
    EXPECT_EQ(json["needs_admin_unlock"], true);
    EXPECT_FALSE(json.contains("locked_until"));

    app::ApiToken token;
    token.name = "monitor bridge";
    token.token_digest = "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8";
    token.created_at = kAt;
    json = ToJson(token);
    EXPECT_EQ(json["name"], "monitor bridge");
    EXPECT_FALSE(json.contains("revoked_at"));
    EXPECT_EQ(json.dump().find(token.token_digest), std::string::npos) << json.dump();
}

}  // namespace
}  // namespace kclinic::adapters::json
