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
        app::VitalSignId{7}, app::PatientId{3}, "8480-6", 128, "mm[Hg]", kAt, app::VitalSource::kManual, "", "", kAt,
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

// A blood pressure is one record with its components by name; a marked record shows its mark and the FHIR status
// entered-in-error, a valid one null and final; the session is null outside one.
TEST(RecordJson, VitalsAndWeightsShowTheirReadingSessionAndMark) {
    app::VitalSign bp{
        app::VitalSignId{8}, app::PatientId{3}, "85354-9", 150, "mm[Hg]", kAt, app::VitalSource::kManual, "", "", kAt,
        "nurse@example.org"};
    bp.diastolic = 95;
    bp.mean_arterial = 113;
    bp.session = app::SessionId{27};
    Json json = ToJson(bp);
    EXPECT_EQ(json["systolic"], 150.0);
    EXPECT_EQ(json["diastolic"], 95.0);
    EXPECT_EQ(json["mean_arterial"], 113.0);
    EXPECT_FALSE(json.contains("value"));
    EXPECT_EQ(json["session_id"], 27);
    EXPECT_TRUE(json["entered_in_error"].is_null());
    EXPECT_EQ(json["status"], "final");

    bp.session.reset();
    bp.entered_in_error = app::EnteredInError{"wrong patient", kAt, "nurse@example.org"};
    json = ToJson(bp);
    EXPECT_TRUE(json["session_id"].is_null());
    EXPECT_EQ(json["entered_in_error"]["reason"], "wrong patient");
    EXPECT_EQ(json["entered_in_error"]["marked_at"], "2026-09-21T14:13:20.123Z");
    EXPECT_EQ(json["status"], "entered-in-error");

    app::WeightMeasurement weight;
    weight.id = app::WeightId{4};
    weight.weight_kg = 80;
    weight.confirmed = true;
    weight.entered_in_error = app::EnteredInError{"scale not zeroed", kAt, "nurse@example.org"};
    json = ToJson(weight);
    EXPECT_EQ(json["id"], 4);
    EXPECT_EQ(json["confirmed"], true);
    EXPECT_EQ(json["entered_in_error"]["marked_by"], "nurse@example.org");
    EXPECT_EQ(json["status"], "entered-in-error");

    app::Alert alert;
    alert.session = app::SessionId{27};
    EXPECT_EQ(ToJson(alert)["session_id"], 27);
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

TEST(RecordJson, RemsFormLeavesOutReadingsTheRecordLacksAndCarriesTheSubmittedForm) {
    app::RemsMonitoringForm form;
    form.patient_birth_date = sys_days{year{1980} / 3 / 14};
    form.administered_on = sys_days{year{2026} / 9 / 21};
    form.monitoring.dose_mg = 56;
    form.monitoring.dose = clinical::RemsDose::k56Mg;
    form.monitoring.first_device_at = kAt;
    form.monitoring.monitoring_ended_at = kAt + std::chrono::minutes(125);
    form.monitoring.monitoring_minutes = 125;
    form.monitoring.bp_before_administration = clinical::TimedBloodPressure{{132, 84}, kAt};
    Json json = ToJson(form);
    EXPECT_EQ(json["dose"], "56_mg");
    EXPECT_EQ(json["bp_before_administration"]["systolic"], 132);
    EXPECT_FALSE(json.contains("bp_40_minutes_after"));
    EXPECT_FALSE(json.contains("ready_to_leave_minutes"));

    app::RemsFormRecord record;
    record.treatment_date = form.administered_on;
    record.due_date = form.administered_on + std::chrono::days(7);
    record.created_at = kAt;
    EXPECT_EQ(ToJson(record)["status"], "due");
    EXPECT_FALSE(ToJson(record).contains("submission"));
    form.ready_to_leave_minutes = 60;
    record.status = app::RemsFormStatus::kSubmitted;
    record.submission = app::RemsSubmission{form, "", kAt, "nurse@example.org"};
    json = ToJson(record);
    EXPECT_EQ(json["due_date"], "2026-09-28");
    EXPECT_EQ(json["submission"]["form"]["ready_to_leave_minutes"], 60);
    EXPECT_FALSE(json["submission"].contains("confirmation_reference"));
}

TEST(RecordJson, NoteCarriesItsAddendaInOrderAndItsSignature) {
    app::Note note;
    note.kind = app::NoteKind::kIntegration;
    note.body = "Integration: themes of the session.";
    note.created_at = kAt;
    note.updated_at = kAt;
    Json json = ToJson(note);
    EXPECT_EQ(json["kind"], "integration");
    EXPECT_FALSE(json["signed"]);
    EXPECT_FALSE(json.contains("signed_at"));
    note.signed_at = kAt;
    note.signed_by = "therapist@example.org";
    note.addenda = {app::NoteAddendum{app::AddendumId{1}, app::NoteId{}, "first", kAt, "a"},
                    app::NoteAddendum{app::AddendumId{2}, app::NoteId{}, "second", kAt, "b"}};
    json = ToJson(note);
    EXPECT_TRUE(json["signed"]);
    ASSERT_EQ(json["addenda"].size(), 2U);
    EXPECT_EQ(json["addenda"][1]["body"], "second");
}

}  // namespace
}  // namespace kclinic::adapters::json
