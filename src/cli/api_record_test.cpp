// The routes of alerts, adverse events, notes, REMS forms and the patient portal as a client meets them: a real
// `kclinic serve` over SQLite and over PostgreSQL, spoken to over real HTTP (docs/api.md).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/json/clinical_json.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

class ApiRecordTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        for (const std::string role : {"admin", "prescriber", "nurse", "therapist"}) {
            server_->AddUser(role + "@clinic.example", role);
        }
        ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
        const ApiResponse registered = nurse.Post("/api/v1/patients", {{"mrn", "MRN-1"},
                                                                       {"given_name", "Ada"},
                                                                       {"family_name", "Example"},
                                                                       {"birth_date", "1980-01-02"},
                                                                       {"sex", "female"},
                                                                       {"clinician", "prescriber@clinic.example"}});
        ASSERT_EQ(registered.status, 201) << registered.text;
        patient_ = registered.body["id"].get<std::int64_t>();
        admin_ = std::make_unique<ApiClient>(server_->ClientWithToken("admin@clinic.example"));
    }

    [[nodiscard]] std::string PatientPath(const std::string& rest) const {
        return "/api/v1/patients/" + std::to_string(patient_) + rest;
    }

    // The number of audit entries but the audit reads themselves.
    std::size_t AuditCount() {
        const ApiResponse audit = admin_->Get("/api/v1/audit?limit=500");
        EXPECT_EQ(audit.status, 200) << audit.text;
        std::size_t count = 0;
        for (const Json& entry : audit.body["items"]) {
            count += entry["action"] != "audit.list" ? 1 : 0;
        }
        return count;
    }

    std::unique_ptr<ClinicServer> server_;
    std::unique_ptr<ApiClient> admin_;  // one token: creating one is audited too
    std::int64_t patient_ = 0;
};

TEST_P(ApiRecordTest, AnAlertIsListedOpenThenAcknowledgedOnce) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const ApiResponse vital = nurse.Post(
        PatientPath("/vitals"), {{"loinc", "85354-9"}, {"systolic", 185}, {"diastolic", 90}, {"unit", "mm[Hg]"}});
    ASSERT_EQ(vital.status, 201) << vital.text;
    ASSERT_EQ(vital.body["alerts"].size(), 1U);
    const std::int64_t alert = vital.body["alerts"][0]["id"].get<std::int64_t>();

    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    const ApiResponse open = prescriber.Get("/api/v1/alerts?open=true&notify=prescriber%40clinic.example&patient_id=" +
                                            std::to_string(patient_));
    ASSERT_EQ(open.status, 200) << open.text;
    ASSERT_EQ(open.body["items"].size(), 1U);
    EXPECT_EQ(open.body["items"][0]["rule"], "systolic_high");
    EXPECT_EQ(prescriber.Get("/api/v1/alerts?open=maybe").ErrorField(), "open");
    EXPECT_EQ(prescriber.Get("/api/v1/alerts?patient_id=x").ErrorField(), "patient_id");

    EXPECT_EQ(
        prescriber.Post("/api/v1/alerts/" + std::to_string(alert) + "/acknowledge", {{"notes", "typo"}}).ErrorField(),
        "notes");
    const ApiResponse acknowledged =
        prescriber.Post("/api/v1/alerts/" + std::to_string(alert) + "/acknowledge", {{"note", "Rechecked: 150/88"}});
    ASSERT_EQ(acknowledged.status, 200) << acknowledged.text;
    EXPECT_EQ(acknowledged.body["acknowledged_by"], "prescriber@clinic.example");
    EXPECT_EQ(acknowledged.body["acknowledgement_note"], "Rechecked: 150/88");
    const ApiResponse again =
        prescriber.Post("/api/v1/alerts/" + std::to_string(alert) + "/acknowledge", Json::object());
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "alert_id");
    EXPECT_TRUE(prescriber.Get("/api/v1/alerts?open=true").body["items"].empty());
    EXPECT_EQ(prescriber.Get("/api/v1/alerts").body["items"].size(), 1U);
}

TEST_P(ApiRecordTest, AnAdverseEventIsLoggedThenFollowedUpUnderItsVersion) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    Json event = {{"term", "nausea"},
                  {"grade", 2},
                  {"onset_at", "2026-01-10T10:05:00Z"},
                  {"outcome", "recovering"},
                  {"actions", {"prn_drug_given"}},
                  {"relatedness", "probable"}};
    const std::size_t audit_before = AuditCount();
    Json bad_action = event;
    bad_action["actions"] = {"prn_drug_given", "prayed"};
    const ApiResponse refused = nurse.Post(PatientPath("/adverse-events"), bad_action);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.ErrorField(), "actions[1]");
    EXPECT_EQ(AuditCount(), audit_before);

    const ApiResponse logged = nurse.Post(PatientPath("/adverse-events"), event);
    ASSERT_EQ(logged.status, 201) << logged.text;
    EXPECT_EQ(logged.Header("etag"), "\"1\"");
    EXPECT_EQ(logged.body["serious"], false);
    const std::string location = logged.Header("location");
    const std::int64_t id = logged.body["id"].get<std::int64_t>();
    EXPECT_EQ(location, "/api/v1/adverse-events/" + std::to_string(id));

    const ApiResponse read = nurse.Get(location);
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.Header("etag"), "\"1\"");
    const ApiResponse listed = nurse.Get(PatientPath("/adverse-events"));
    ASSERT_EQ(listed.body["items"].size(), 1U);

    const Json follow_up = {{"grade", 2},
                            {"resolved_at", "2026-01-10T11:00:00Z"},
                            {"outcome", "recovered"},
                            {"actions", {"prn_drug_given"}},
                            {"relatedness", "probable"},
                            {"serious_criteria", Json::array()}};
    EXPECT_EQ(nurse.Put(location, follow_up).status, 428);
    Json partial = follow_up;
    partial.erase("serious_criteria");
    EXPECT_EQ(nurse.Put(location, partial, "If-Match: \"1\"\r\n").ErrorField(), "serious_criteria");
    const ApiResponse updated = nurse.Put(location, follow_up, "If-Match: \"1\"\r\n");
    ASSERT_EQ(updated.status, 200) << updated.text;
    EXPECT_EQ(updated.Header("etag"), "\"2\"");
    EXPECT_EQ(updated.body["outcome"], "recovered");
    EXPECT_EQ(nurse.Put(location, follow_up, "If-Match: \"1\"\r\n").status, 412);

    EXPECT_EQ(nurse.Get("/api/v1/sessions/999999/adverse-events").status, 404);
}

TEST_P(ApiRecordTest, NotesAreWrittenSignedAndAddedToOnTheirFamilysPaths) {
    ApiClient therapist = server_->ClientWithToken("therapist@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const ApiResponse wrong_family =
        therapist.Post(PatientPath("/therapy-notes"), {{"kind", "progress"}, {"body", "Mood 6/10"}});
    EXPECT_EQ(wrong_family.status, 400);
    EXPECT_EQ(wrong_family.ErrorField(), "kind");

    const ApiResponse draft =
        therapist.Post(PatientPath("/therapy-notes"), {{"kind", "integration"}, {"body", "Integration 1.\nGrief."}});
    ASSERT_EQ(draft.status, 201) << draft.text;
    const std::string id = std::to_string(draft.body["id"].get<std::int64_t>());
    EXPECT_EQ(draft.Header("location"), "/api/v1/notes/" + id);
    EXPECT_EQ(draft.Header("etag"), "\"1\"");

    // A clinical-notes path does not know a therapy note.
    const ApiResponse elsewhere = nurse.Put("/api/v1/clinical-notes/" + id, {{"body", "x"}}, "If-Match: \"1\"\r\n");
    EXPECT_EQ(elsewhere.status, 404);
    EXPECT_EQ(elsewhere.ErrorField(), "note_id");

    const ApiResponse edited = therapist.Put("/api/v1/therapy-notes/" + id,
                                             {{"body", "Integration 1.\nGrief, relief."}}, "If-Match: \"1\"\r\n");
    ASSERT_EQ(edited.status, 200) << edited.text;
    EXPECT_EQ(edited.Header("etag"), "\"2\"");
    EXPECT_EQ(therapist.Post("/api/v1/therapy-notes/" + id + "/sign", Json::object(), "If-Match: \"1\"\r\n").status,
              412);
    const ApiResponse signed_note =
        therapist.Post("/api/v1/therapy-notes/" + id + "/sign", Json::object(), "If-Match: \"2\"\r\n");
    ASSERT_EQ(signed_note.status, 200) << signed_note.text;
    EXPECT_EQ(signed_note.body["signed"], true);
    EXPECT_EQ(therapist.Put("/api/v1/therapy-notes/" + id, {{"body", "late"}}, "If-Match: \"3\"\r\n").status, 409);

    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    const ApiResponse addendum =
        prescriber.Post("/api/v1/therapy-notes/" + id + "/addenda", {{"body", "Reviewed; continue."}});
    ASSERT_EQ(addendum.status, 201) << addendum.text;
    EXPECT_EQ(addendum.body["note_id"].get<std::int64_t>(), draft.body["id"].get<std::int64_t>());

    const ApiResponse progress = nurse.Post(PatientPath("/clinical-notes"), {{"kind", "progress"}, {"body", "Well."}});
    ASSERT_EQ(progress.status, 201) << progress.text;
    const ApiResponse integration_only = nurse.Get(PatientPath("/notes?kind=integration"));
    ASSERT_EQ(integration_only.body["items"].size(), 1U);
    EXPECT_EQ(integration_only.body["items"][0]["addenda"].size(), 1U);
    EXPECT_EQ(nurse.Get(PatientPath("/notes")).body["items"].size(), 2U);
    EXPECT_EQ(nurse.Get(PatientPath("/notes?kind=diary")).ErrorField(), "kind");
    EXPECT_EQ(nurse.Get("/api/v1/notes/" + id).Header("etag"), "\"3\"");
}

// Issue 15 §7: the form's healthcare setting is the clinic's configuration (rems.healthcare_setting); a caller
// naming one is refused, and until an admin configures it no form is shown or submitted.
TEST_P(ApiRecordTest, RemsFormsNameTheConfiguredSettingAndASessionThatOwesOne) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const ApiResponse due = nurse.Get("/api/v1/rems-forms/due");
    ASSERT_EQ(due.status, 200) << due.text;
    EXPECT_TRUE(due.body["items"].empty());
    const ApiResponse unconfigured = nurse.Get("/api/v1/sessions/999999/rems-form");
    EXPECT_EQ(unconfigured.status, 409) << unconfigured.text;
    EXPECT_EQ(unconfigured.ErrorField(), "rems.healthcare_setting");
    EXPECT_EQ(nurse.Post("/api/v1/sessions/999999/rems-form/submit", {{"ready_to_leave_minutes", 90}}).ErrorField(),
              "rems.healthcare_setting");

    EXPECT_EQ(admin_->Put("/api/v1/settings/rems.healthcare_setting", {{"value", "Example\nClinic"}}).ErrorField(),
              "rems.healthcare_setting");
    EXPECT_EQ(admin_->Put("/api/v1/settings/rems.healthcare_setting", {{"value", std::string(201, 'x')}}).status, 400);
    const ApiResponse configured =
        admin_->Put("/api/v1/settings/rems.healthcare_setting", {{"value", "Example Clinic"}});
    ASSERT_EQ(configured.status, 200) << configured.text;

    const ApiResponse caller_named = nurse.Get("/api/v1/sessions/999999/rems-form?healthcare_setting=Elsewhere");
    EXPECT_EQ(caller_named.status, 400);
    EXPECT_EQ(caller_named.ErrorField(), "healthcare_setting");
    EXPECT_EQ(nurse.Get("/api/v1/sessions/999999/rems-form").status, 404);
    const ApiResponse caller_body = nurse.Post("/api/v1/sessions/999999/rems-form/submit",
                                               {{"healthcare_setting", "Elsewhere"}, {"ready_to_leave_minutes", 90}});
    EXPECT_EQ(caller_body.status, 400);
    EXPECT_EQ(caller_body.ErrorField(), "healthcare_setting");
    EXPECT_EQ(nurse.Post("/api/v1/sessions/999999/rems-form/submit", {{"ready_to_leave_minutes", 90}}).status, 404);
    EXPECT_EQ(nurse.Post("/api/v1/sessions/999999/rems-form/submit", Json::object()).ErrorField(),
              "ready_to_leave_minutes");
}

// Issue 10: only a prescriber submits a form lacking a reading, with a reason; the confirmation reference comes later.
TEST_P(ApiRecordTest, RemsMissingReadingsNeedAPrescriberAndTheConfirmationComesLater) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ASSERT_EQ(admin_->Put("/api/v1/settings/rems.healthcare_setting", {{"value", "Example Clinic"}}).status, 200);
    const Json with_reason = {{"ready_to_leave_minutes", 90}, {"missing_readings_reason", "cuff failed at 40 min"}};
    EXPECT_EQ(nurse.Post("/api/v1/sessions/999999/rems-form/submit-missing-readings", with_reason).status, 403);
    EXPECT_EQ(prescriber.Post("/api/v1/sessions/999999/rems-form/submit-missing-readings", with_reason).status, 404);
    EXPECT_EQ(
        prescriber.Post("/api/v1/sessions/999999/rems-form/submit-missing-readings", {{"ready_to_leave_minutes", 90}})
            .ErrorField(),
        "missing_readings_reason");
    // The plain submit knows no reason field.
    EXPECT_EQ(nurse.Post("/api/v1/sessions/999999/rems-form/submit", with_reason).ErrorField(),
              "missing_readings_reason");

    const ApiResponse confirm =
        nurse.Post("/api/v1/sessions/999999/rems-form/confirmation", {{"confirmation_reference", "PMF-1"}});
    EXPECT_EQ(confirm.status, 404);
    EXPECT_EQ(confirm.ErrorField(), "session_id");
    EXPECT_EQ(nurse.Post("/api/v1/sessions/999999/rems-form/confirmation", Json::object()).ErrorField(),
              "confirmation_reference");
    EXPECT_EQ(
        nurse.Post("/api/v1/sessions/999999/rems-form/confirmation", {{"confirmation_reference", " "}}).ErrorField(),
        "confirmation_reference");
}

// Issue 10: a clinical time in the future is refused naming its field; one documented late is kept and flagged.
TEST_P(ApiRecordTest, ClinicalTimesAreCheckedAndLateEntriesFlagged) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const ApiResponse future =
        nurse.Post(PatientPath("/vitals"),
                   {{"loinc", "8867-4"}, {"value", 72}, {"unit", "/min"}, {"observed_at", "2999-01-01T00:00:00Z"}});
    EXPECT_EQ(future.status, 400) << future.text;
    EXPECT_EQ(future.ErrorField(), "observed_at");
    EXPECT_EQ(
        nurse.Post(PatientPath("/weights"), {{"weight_kg", 70}, {"measured_at", "2999-01-01T00:00:00Z"}}).ErrorField(),
        "measured_at");
    EXPECT_EQ(
        nurse.Post(PatientPath("/weights"), {{"weight_kg", 70}, {"measured_at", "2000-01-01T00:00:00Z"}}).ErrorField(),
        "measured_at");

    const std::string an_hour_ago = adapters::json::FormatTime(
        std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now() - std::chrono::hours{1}));
    const ApiResponse late = nurse.Post(
        PatientPath("/vitals"), {{"loinc", "8867-4"}, {"value", 72}, {"unit", "/min"}, {"observed_at", an_hour_ago}});
    ASSERT_EQ(late.status, 201) << late.text;
    EXPECT_EQ(late.body["late_entry"], true);
    EXPECT_TRUE(late.body.contains("recorded_at"));
    const ApiResponse now = nurse.Post(PatientPath("/vitals"), {{"loinc", "8867-4"}, {"value", 74}, {"unit", "/min"}});
    ASSERT_EQ(now.status, 201) << now.text;
    EXPECT_EQ(now.body["late_entry"], false);

    const ApiResponse weight = nurse.Post(PatientPath("/weights"), {{"weight_kg", 70}, {"measured_at", an_hour_ago}});
    ASSERT_EQ(weight.status, 201) << weight.text;
    EXPECT_EQ(weight.body["late_entry"], true);
    const ApiResponse weights = nurse.Get(PatientPath("/weights"));
    ASSERT_EQ(weights.status, 200) << weights.text;
    ASSERT_EQ(weights.body["items"].size(), 1U);
    EXPECT_EQ(weights.body["items"][0]["late_entry"], true);
}

TEST_P(ApiRecordTest, APatientSeesTheirPortalAndCrisisServicesAfterASuicidalityAnswer) {
    server_->AddUser("ada@example.org", "patient", patient_);
    ApiClient patient = server_->ClientWithToken("ada@example.org");
    const ApiResponse first = patient.Get(PatientPath("/portal"));
    ASSERT_EQ(first.status, 200) << first.text;
    EXPECT_EQ(first.body["given_name"], "Ada");
    EXPECT_EQ(first.body["suicidality_flagged"], false);
    EXPECT_TRUE(first.body["crisis_resources"].empty());

    // A patient answers through the portal, and only the patient-reported questionnaires, dated now.
    const ApiResponse staff_route =
        patient.Post(PatientPath("/assessments"), {{"instrument", "phq9"}, {"answers", {1, 1, 0, 0, 0, 0, 0, 0, 2}}});
    EXPECT_EQ(staff_route.status, 403) << staff_route.text;
    const ApiResponse clinician_rated = patient.Post(
        PatientPath("/portal/assessments"), {{"instrument", "madrs"}, {"answers", {3, 3, 3, 3, 3, 3, 3, 3, 3, 0}}});
    EXPECT_EQ(clinician_rated.status, 403) << clinician_rated.text;
    EXPECT_EQ(clinician_rated.ErrorField(), "instrument");
    const ApiResponse back_dated = patient.Post(
        PatientPath("/portal/assessments"),
        {{"instrument", "phq9"}, {"answers", {1, 1, 0, 0, 0, 0, 0, 0, 2}}, {"assessed_at", "2020-01-01T09:00:00Z"}});
    EXPECT_EQ(back_dated.status, 400) << back_dated.text;
    EXPECT_EQ(back_dated.ErrorField(), "assessed_at");
    const ApiResponse answered = patient.Post(PatientPath("/portal/assessments"),
                                              {{"instrument", "phq9"}, {"answers", {1, 1, 0, 0, 0, 0, 0, 0, 2}}});
    ASSERT_EQ(answered.status, 201) << answered.text;
    // Staff record a patient's paper questionnaire through their own route, not the portal's.
    EXPECT_EQ(server_->ClientWithToken("nurse@clinic.example")
                  .Post(PatientPath("/portal/assessments"),
                        {{"instrument", "phq9"}, {"answers", {0, 0, 0, 0, 0, 0, 0, 0, 0}}})
                  .status,
              403);
    const ApiResponse portal = patient.Get(PatientPath("/portal"));
    ASSERT_EQ(portal.status, 200) << portal.text;
    EXPECT_EQ(portal.body["suicidality_flagged"], true);
    ASSERT_FALSE(portal.body["crisis_resources"].empty());
    EXPECT_NE(portal.body["crisis_resources"].dump().find("988"), std::string::npos);  // region us by default
    ASSERT_EQ(portal.body["recent_scores"].size(), 1U);
    EXPECT_EQ(portal.body["recent_scores"][0]["instrument"], "phq9");
    EXPECT_EQ(portal.body["recent_scores"][0]["total"], 4);

    // Staff do not read the portal; a patient reads no other record.
    EXPECT_EQ(server_->ClientWithToken("nurse@clinic.example").Get(PatientPath("/portal")).status, 403);
    EXPECT_EQ(patient.Get("/api/v1/patients/" + std::to_string(patient_ + 1) + "/portal").status, 403);
}

TEST_P(ApiRecordTest, AClinicianAssignsAQuestionnaireThePatientSeesDueAndAnswers) {
    server_->AddUser("ada@example.org", "patient", patient_);
    server_->AddUser("desk@clinic.example", "front_desk");
    ApiClient patient = server_->ClientWithToken("ada@example.org");
    ApiClient therapist = server_->ClientWithToken("therapist@clinic.example");

    // Who may assign: the clinical roles; not the front desk, an admin or the patient.
    for (const std::string refused : {"desk@clinic.example", "admin@clinic.example", "ada@example.org"}) {
        EXPECT_EQ(
            server_->ClientWithToken(refused).Post(PatientPath("/questionnaires"), {{"instrument", "gad7"}}).status,
            403)
            << refused;
    }
    EXPECT_EQ(therapist.Post(PatientPath("/questionnaires"), {{"instrument", "madrs"}}).ErrorField(), "instrument");
    EXPECT_EQ(therapist.Post(PatientPath("/questionnaires"), {{"instrument", "cssrs-screen"}}).ErrorField(),
              "instrument");  // the clinic keeps it clinician-only by default
    EXPECT_EQ(therapist.Post(PatientPath("/questionnaires"), {{"instrument", "gad7"}, {"every_days", 0}}).ErrorField(),
              "every_days");
    EXPECT_EQ(therapist.Post(PatientPath("/questionnaires"), {{"instrument", "gad7"}, {"first_due", "2001-01-01"}})
                  .ErrorField(),
              "first_due");
    EXPECT_EQ(therapist.Post(PatientPath("/questionnaires"), {{"instrument", "gad7"}, {"every", 7}}).ErrorField(),
              "every");  // an unknown field is refused, not ignored

    const ApiResponse assigned = therapist.Post(PatientPath("/questionnaires"), {{"instrument", "gad7"}});
    ASSERT_EQ(assigned.status, 201) << assigned.text;
    EXPECT_EQ(assigned.body["instrument"], "gad7");
    EXPECT_EQ(assigned.body["due"], true);
    EXPECT_TRUE(assigned.body["every_days"].is_null());
    EXPECT_EQ(assigned.body["assigned_by"], "therapist@clinic.example");
    EXPECT_EQ(therapist.Post(PatientPath("/questionnaires"), {{"instrument", "gad7"}}).status, 409);
    const ApiResponse weekly =
        therapist.Post(PatientPath("/questionnaires"), {{"instrument", "phq9"}, {"every_days", 7}});
    ASSERT_EQ(weekly.status, 201) << weekly.text;

    const ApiResponse before = patient.Get(PatientPath("/portal"));
    ASSERT_EQ(before.status, 200) << before.text;
    EXPECT_EQ(before.body["time_zone"], "UTC");
    ASSERT_EQ(before.body["questionnaires"].size(), 2U);
    EXPECT_EQ(before.body["questionnaires"][0]["due"], true);

    ASSERT_EQ(
        patient.Post(PatientPath("/portal/assessments"), {{"instrument", "gad7"}, {"answers", {1, 1, 1, 0, 0, 0, 0}}})
            .status,
        201);
    const ApiResponse after = patient.Get(PatientPath("/portal"));
    ASSERT_EQ(after.body["questionnaires"].size(), 1U);
    EXPECT_EQ(after.body["questionnaires"][0]["instrument"], "phq9");

    // Staff list every assignment, answered and ended ones included; the patient reads their own list too.
    const ApiResponse listed = therapist.Get(PatientPath("/questionnaires"));
    ASSERT_EQ(listed.status, 200) << listed.text;
    ASSERT_EQ(listed.body["questionnaires"].size(), 2U);
    EXPECT_EQ(listed.body["questionnaires"][0]["due"], false);
    EXPECT_TRUE(listed.body["questionnaires"][0]["next_due"].is_null());
    EXPECT_FALSE(listed.body["questionnaires"][0]["last_answered_at"].is_null());
    EXPECT_EQ(server_->ClientWithToken("desk@clinic.example").Get(PatientPath("/questionnaires")).status, 403);

    const std::string weekly_path =
        PatientPath("/questionnaires/" + std::to_string(weekly.body["id"].get<std::int64_t>()));
    EXPECT_EQ(patient.Send("DELETE", weekly_path, "").status, 403);
    const ApiResponse ended = server_->ClientWithToken("nurse@clinic.example").Send("DELETE", weekly_path, "");
    ASSERT_EQ(ended.status, 200) << ended.text;
    EXPECT_EQ(ended.body["ended_by"], "nurse@clinic.example");
    EXPECT_EQ(server_->ClientWithToken("nurse@clinic.example").Send("DELETE", weekly_path, "").ErrorField(),
              "assignment_id");
    EXPECT_TRUE(patient.Get(PatientPath("/portal")).body["questionnaires"].empty());
}

TEST_P(ApiRecordTest, ThePortalShowsTheClinicsOwnCrisisServicesAfterAPositiveCssrsScreen) {
    server_->AddUser("ada@example.org", "patient", patient_);
    ApiClient patient = server_->ClientWithToken("ada@example.org");
    EXPECT_EQ(admin_->Put("/api/v1/settings/portal.crisis_resources", {{"value", "no colon"}}).ErrorField(),
              "portal.crisis_resources");
    EXPECT_EQ(admin_->Put("/api/v1/settings/portal.crisis_text", {{"value", std::string(501, 'x')}}).ErrorField(),
              "portal.crisis_text");
    ASSERT_EQ(admin_->Put("/api/v1/settings/portal.crisis_text", {{"value", "Call us first: 555-0100."}}).status, 200);
    ASSERT_EQ(admin_
                  ->Put("/api/v1/settings/portal.crisis_resources",
                        {{"value", "Clinic on-call: call 555-0100, any hour; Emergency services: call 911"}})
                  .status,
              200);
    ASSERT_EQ(admin_->Put("/api/v1/settings/scales.cssrs_screen_self_report", {{"value", "patient_allowed"}}).status,
              200);

    // Q1 yes, Q2 yes, Q3 yes (method): triage "moderate"; a skipped question answered yes is refused.
    EXPECT_EQ(patient
                  .Post(PatientPath("/portal/assessments"),
                        {{"instrument", "cssrs-screen"}, {"answers", {1, 0, 1, 0, 0, 0, 0}}})
                  .ErrorField(),
              "answers[3]");
    const ApiResponse screen = patient.Post(PatientPath("/portal/assessments"),
                                            {{"instrument", "cssrs-screen"}, {"answers", {1, 1, 1, 0, 0, 0, 0}}});
    ASSERT_EQ(screen.status, 201) << screen.text;
    EXPECT_EQ(screen.body["band"], "moderate");
    ASSERT_EQ(screen.body["alerts"].size(), 1U);
    EXPECT_EQ(screen.body["alerts"][0]["rule"], "suicidality");
    EXPECT_EQ(screen.body["alerts"][0]["notify"], "prescriber@clinic.example");

    const ApiResponse portal = patient.Get(PatientPath("/portal"));
    ASSERT_EQ(portal.status, 200) << portal.text;
    EXPECT_EQ(portal.body["suicidality_flagged"], true);
    EXPECT_EQ(portal.body["crisis_text"], "Call us first: 555-0100.");
    ASSERT_EQ(portal.body["crisis_resources"].size(), 2U);
    EXPECT_EQ(portal.body["crisis_resources"][0]["name"], "Clinic on-call");
    EXPECT_EQ(portal.body["crisis_resources"][0]["contact"], "call 555-0100, any hour");
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiRecordTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
