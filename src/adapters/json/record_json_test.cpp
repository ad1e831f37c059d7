#include "adapters/json/record_json.hpp"

#include <gtest/gtest.h>

#include <chrono>

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

}  // namespace
}  // namespace kclinic::adapters::json
