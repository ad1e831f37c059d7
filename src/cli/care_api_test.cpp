// The care pathway's routes as a client meets them, on a real `kclinic serve` over SQLite and over PostgreSQL: the
// history and screening with its sign-off, a course from its start to a discharged session, the day's list, and
// each refusal answered with its field and writing nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/json/clinical_json.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

// Today's date, "YYYY-MM-DD" in UTC, by the real clock: the server's.
std::string UtcToday() {
    const std::time_t at = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&at, &parts);
    char text[16];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return {text, length};
}

class CareApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        server_->AddStaff();
        ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
        const std::int64_t patient_id = RegisterPatient(nurse, "MRN-C", "Ada", "Example", "female");
        ASSERT_NE(patient_id, 0);
        patient_ = "/api/v1/patients/" + std::to_string(patient_id);
        // A dose order is signed on the latest recorded weight (docs/clinical-rules.md, dose.recorded_weight).
        ASSERT_EQ(nurse.Post(patient_ + "/weights", {{"weight_kg", 70}}).status, 201);
    }

    [[nodiscard]] std::int64_t PatientId() const { return std::stoll(patient_.substr(patient_.rfind('/') + 1)); }

    std::unique_ptr<ClinicServer> server_;
    std::string patient_;  // "/api/v1/patients/<id>"
};

TEST_P(CareApiTest, HistoryAndScreeningWithItsSignOff) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");

    const ApiResponse diagnosis = nurse.Post(patient_ + "/history", {{"kind", "diagnosis"}, {"value", "f332"}});
    ASSERT_EQ(diagnosis.status, 201) << diagnosis.text;
    EXPECT_EQ(diagnosis.body["value"], "F33.2");
    ASSERT_EQ(nurse.Post(patient_ + "/history", {{"kind", "medication"}, {"value", "sertraline"}}).status, 201);
    for (const char* drug : {"sertraline", "escitalopram"}) {
        const ApiResponse trial = nurse.Post(patient_ + "/trials", {{"drug", drug},
                                                                    {"weeks", 8},
                                                                    {"adequate_dose", true},
                                                                    {"improvement_percent", 10},
                                                                    {"current_episode", true}});
        ASSERT_EQ(trial.status, 201) << trial.text;
    }

    const std::int64_t before = LatestAuditId(admin);
    const ApiResponse malformed = nurse.Post(patient_ + "/history", {{"kind", "diagnosis"}, {"value", "nope"}});
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(malformed.ErrorField(), "value");
    const ApiResponse unknown_kind = nurse.Post(patient_ + "/history", {{"kind", "hobby"}, {"value", "chess"}});
    EXPECT_EQ(unknown_kind.ErrorField(), "kind");
    const ApiResponse huge_weeks = nurse.Post(patient_ + "/trials", {{"drug", "bupropion"},
                                                                     {"weeks", 9999999999},
                                                                     {"adequate_dose", true},
                                                                     {"improvement_percent", 10},
                                                                     {"current_episode", true}});
    EXPECT_EQ(huge_weeks.status, 400);
    EXPECT_EQ(huge_weeks.ErrorField(), "weeks");
    const ApiResponse implausible =
        nurse.Post(patient_ + "/screenings", {{"product", "ketamine-iv"}, {"heart_rate", 400}});
    EXPECT_EQ(implausible.status, 422);
    EXPECT_EQ(implausible.ErrorField(), "heart_rate");
    EXPECT_EQ(nurse.Post(patient_ + "/screenings", {{"product", "ketamine-iv"}, {"child_pugh", "z"}}).ErrorField(),
              "child_pugh");
    EXPECT_TRUE(AuditedActionsAfter(admin, before).empty());

    const ApiResponse diagnoses = nurse.Get(patient_ + "/history?kind=diagnosis");
    ASSERT_EQ(diagnoses.status, 200) << diagnoses.text;
    ASSERT_EQ(diagnoses.body["items"].size(), 1U);
    EXPECT_EQ(diagnoses.body["items"][0]["kind"], "diagnosis");
    const ApiResponse first_entry = nurse.Get(patient_ + "/history?limit=1");
    EXPECT_EQ(first_entry.body["items"].size(), 1U);
    EXPECT_TRUE(first_entry.body.contains("next_after"));
    EXPECT_EQ(nurse.Get(patient_ + "/trials").body["items"].size(), 2U);

    const ApiResponse screened =
        nurse.Post(patient_ + "/screenings", {{"product", "ketamine-iv"},
                                              {"blood_pressure", {{"systolic", 128}, {"diastolic", 82}}},
                                              {"heart_rate", 70},
                                              {"weight_kg", 70.5}});
    ASSERT_EQ(screened.status, 201) << screened.text;
    const std::string location = screened.Header("location");
    EXPECT_EQ(location, "/api/v1/screenings/" + std::to_string(screened.body["id"].get<std::int64_t>()));
    EXPECT_EQ(screened.body["inputs"]["diagnoses"], Json::array({"F33.2"}));
    EXPECT_FALSE(screened.body.contains("signature"));

    EXPECT_EQ(nurse.Post(location + "/sign", {{"sign_off", "accepted"}}).status, 403);
    const ApiResponse no_reason = prescriber.Post(location + "/sign", {{"sign_off", "overridden"}});
    EXPECT_EQ(no_reason.status, 400);
    EXPECT_EQ(no_reason.ErrorField(), "reason");
    const ApiResponse signed_off =
        prescriber.Post(location + "/sign", {{"sign_off", "overridden"}, {"reason", "reviewed in clinic"}});
    ASSERT_EQ(signed_off.status, 200) << signed_off.text;
    EXPECT_EQ(signed_off.body["signature"]["sign_off"], "overridden");
    EXPECT_EQ(signed_off.body["signature"]["signed_by"], "prescriber@clinic.example");
    const ApiResponse again = prescriber.Post(location + "/sign", {{"sign_off", "accepted"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "screening_id");

    const ApiResponse listed = server_->ClientWithToken("therapist@clinic.example").Get(patient_ + "/screenings");
    ASSERT_EQ(listed.status, 200) << listed.text;
    ASSERT_EQ(listed.body["items"].size(), 1U);
    EXPECT_EQ(listed.body["items"][0]["signature"]["reason"], "reviewed in clinic");
    EXPECT_EQ(nurse.Get(location).body["id"], screened.body["id"]);
    EXPECT_EQ(nurse.Get("/api/v1/screenings/999999").status, 404);

    // Issue 15 §7: the screening shows the thresholds it ran with, also after the clinic has moved one.
    EXPECT_EQ(screened.body["settings"]["screening.intake_bp_caution_systolic"], "140") << screened.text;
    ASSERT_EQ(admin.Put("/api/v1/settings/screening.intake_bp_caution_systolic", {{"value", 130}}).status, 200);
    const ApiResponse reread = nurse.Get(location);
    ASSERT_EQ(reread.status, 200) << reread.text;
    EXPECT_EQ(reread.body["settings"], screened.body["settings"]);
    EXPECT_EQ(reread.body["result"]["decision"], screened.body["result"]["decision"]);
    EXPECT_EQ(reread.body["result"]["findings"].size(), screened.body["result"]["findings"].size());
    EXPECT_EQ(reread.body["settings"]["screening.intake_bp_caution_systolic"], "140");
}

// The drug dictionary through the history and screening routes: a medication noted under its brand name screens as
// its generic ingredient, and one the dictionary does not know is a review naming it.
// Wrong entries: an assessment, a history entry and a trial are marked entered in error, kept with their marks and
// left out of the next screening; a medication is stopped with its date.
TEST_P(CareApiTest, WrongEntriesAreMarkedAndAMedicationStopped) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");

    const ApiResponse scored =
        nurse.Post(patient_ + "/assessments", {{"instrument", "phq9"}, {"answers", {1, 1, 1, 1, 1, 1, 1, 1, 0}}});
    ASSERT_EQ(scored.status, 201) << scored.text;
    EXPECT_TRUE(scored.body["entered_in_error"].is_null());
    const std::string assessment =
        patient_ + "/assessments/" + std::to_string(scored.body["id"].get<std::int64_t>()) + "/entered-in-error";
    EXPECT_EQ(desk.Post(assessment, {{"reason", "x"}}).status, 403);
    EXPECT_EQ(nurse.Post(assessment, {{"reason", "x"}, {"note", "y"}}).ErrorField(), "note");
    EXPECT_EQ(nurse.Post(assessment, Json::object()).ErrorField(), "reason");
    const std::int64_t before = LatestAuditId(admin);
    const ApiResponse marked = nurse.Post(assessment, {{"reason", "another patient's answers"}});
    ASSERT_EQ(marked.status, 200) << marked.text;
    EXPECT_EQ(AuditedActionsAfter(admin, before), std::vector<std::string>{"assessment.entered_in_error"});
    EXPECT_EQ(marked.body["entered_in_error"]["reason"], "another patient's answers");
    const ApiResponse listed = nurse.Get(patient_ + "/assessments");
    ASSERT_EQ(listed.body["items"].size(), 1U);
    EXPECT_EQ(listed.body["items"][0]["entered_in_error"]["reason"], "another patient's answers");

    const ApiResponse medication = nurse.Post(patient_ + "/history", {{"kind", "medication"}, {"value", "alprazolam"}});
    const ApiResponse diagnosis = nurse.Post(patient_ + "/history", {{"kind", "diagnosis"}, {"value", "F31.9"}});
    const ApiResponse trial = nurse.Post(patient_ + "/trials", {{"drug", "sertraline"},
                                                                {"weeks", 8},
                                                                {"adequate_dose", true},
                                                                {"improvement_percent", 10},
                                                                {"current_episode", true}});
    ASSERT_EQ(medication.status, 201);
    ASSERT_EQ(diagnosis.status, 201);
    ASSERT_EQ(trial.status, 201);
    EXPECT_TRUE(medication.body["stop"].is_null());
    EXPECT_FALSE(diagnosis.body.contains("stop"));
    const std::string medication_entry =
        patient_ + "/history/" + std::to_string(medication.body["id"].get<std::int64_t>());
    const std::string diagnosis_entry =
        patient_ + "/history/" + std::to_string(diagnosis.body["id"].get<std::int64_t>());

    EXPECT_EQ(nurse.Post(medication_entry + "/stop", Json::object()).ErrorField(), "stopped_on");
    EXPECT_EQ(nurse.Post(medication_entry + "/stop", {{"stopped_on", "2999-01-01"}}).ErrorField(), "stopped_on");
    const ApiResponse not_a_medication = nurse.Post(diagnosis_entry + "/stop", {{"stopped_on", UtcToday()}});
    EXPECT_EQ(not_a_medication.status, 409);
    EXPECT_EQ(not_a_medication.ErrorField(), "entry_id");
    EXPECT_EQ(desk.Post(medication_entry + "/stop", {{"stopped_on", UtcToday()}}).status, 403);
    const ApiResponse stopped =
        nurse.Post(medication_entry + "/stop", {{"stopped_on", UtcToday()}, {"reason", "tapered off"}});
    ASSERT_EQ(stopped.status, 200) << stopped.text;
    EXPECT_EQ(stopped.body["stop"]["stopped_on"], UtcToday());
    EXPECT_EQ(stopped.body["stop"]["reason"], "tapered off");

    ASSERT_EQ(nurse.Post(diagnosis_entry + "/entered-in-error", {{"reason", "never diagnosed"}}).status, 200);
    const std::string trial_mark =
        patient_ + "/trials/" + std::to_string(trial.body["id"].get<std::int64_t>()) + "/entered-in-error";
    const ApiResponse trial_marked = nurse.Post(trial_mark, {{"reason", "duplicate"}});
    ASSERT_EQ(trial_marked.status, 200) << trial_marked.text;
    EXPECT_EQ(trial_marked.body["entered_in_error"]["reason"], "duplicate");
    EXPECT_EQ(nurse.Post(patient_ + "/trials/999999/entered-in-error", {{"reason", "x"}}).status, 404);

    const ApiResponse history = nurse.Get(patient_ + "/history");
    ASSERT_EQ(history.body["items"].size(), 2U);  // both kept
    const ApiResponse screened = server_->ClientWithToken("prescriber@clinic.example")
                                     .Post(patient_ + "/screenings", {{"product", "ketamine-iv"}, {"pregnant", false}});
    ASSERT_EQ(screened.status, 201) << screened.text;
    EXPECT_TRUE(screened.body["inputs"]["medications"].empty());
    EXPECT_TRUE(screened.body["inputs"]["diagnoses"].empty());
    EXPECT_TRUE(screened.body["inputs"]["antidepressant_trials"].empty());
}

TEST_P(CareApiTest, ScreeningReadsBrandNamesAndFlagsUnknownDrugs) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ASSERT_EQ(nurse.Post(patient_ + "/history", {{"kind", "diagnosis"}, {"value", "F33.2"}}).status, 201);
    for (const char* medication : {"Xanax 0.5 mg", "kratom"}) {
        const ApiResponse noted = nurse.Post(patient_ + "/history", {{"kind", "medication"}, {"value", medication}});
        ASSERT_EQ(noted.status, 201) << noted.text;
        EXPECT_EQ(noted.body["value"], medication);  // stored as written
    }
    const ApiResponse screened =
        nurse.Post(patient_ + "/screenings",
                   {{"product", "ketamine-iv"}, {"blood_pressure", {{"systolic", 128}, {"diastolic", 82}}}});
    ASSERT_EQ(screened.status, 201) << screened.text;
    EXPECT_EQ(screened.body["result"]["decision"], "needs_review");
    std::string benzodiazepine;
    std::string unknown;
    for (const Json& finding : screened.body["result"]["findings"]) {
        if (finding["rule"] == "interaction.benzodiazepine") {
            benzodiazepine = finding["message"].get<std::string>();
        }
        if (finding["rule"] == "review.drug_not_recognised") {
            unknown = finding["message"].get<std::string>();
        }
    }
    EXPECT_NE(benzodiazepine.find("xanax 0.5 mg = alprazolam"), std::string::npos) << screened.text;
    EXPECT_NE(unknown.find("medications: kratom"), std::string::npos) << screened.text;
}

// Issue 10 §5, §6 through the API: one BP reading in one request, vitals and alerts by session, entered in error,
// a weight that needs confirming.
TEST_P(CareApiTest, VitalReadingsSessionsMarksAndWeights) {
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    server_->SignedScreening(PatientId(), "ketamine-iv");
    const ApiResponse started = prescriber.Post(
        patient_ + "/courses",
        {{"indication", "TRD (F33.2)"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", UtcToday()}});
    ASSERT_EQ(started.status, 201) << started.text;
    const std::int64_t session_id = started.body["sessions"][0]["id"].get<std::int64_t>();
    const std::string session = "/api/v1/sessions/" + std::to_string(session_id);
    ASSERT_EQ(nurse.Post(session + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}}).status, 200);

    const ApiResponse lone =
        nurse.Post(patient_ + "/vitals", {{"loinc", "8480-6"}, {"value", 150}, {"unit", "mm[Hg]"}});
    EXPECT_EQ(lone.status, 400);
    EXPECT_EQ(lone.ErrorField(), "diastolic");
    EXPECT_EQ(
        nurse.Post(patient_ + "/vitals", {{"loinc", "85354-9"}, {"systolic", 150}, {"unit", "mm[Hg]"}}).ErrorField(),
        "diastolic");
    EXPECT_EQ(nurse
                  .Post(patient_ + "/vitals",
                        {{"loinc", "85354-9"}, {"systolic", 90}, {"diastolic", 120}, {"unit", "mm[Hg]"}})
                  .ErrorField(),
              "diastolic");
    EXPECT_EQ(nurse
                  .Post(patient_ + "/vitals", {{"loinc", "85354-9"},
                                               {"systolic", 150},
                                               {"diastolic", 90},
                                               {"unit", "mm[Hg]"},
                                               {"session_id", session_id + 1000}})
                  .ErrorField(),
              "session_id");
    const ApiResponse high = nurse.Post(patient_ + "/vitals", {{"loinc", "85354-9"},
                                                               {"systolic", 190},
                                                               {"diastolic", 115},
                                                               {"mean_arterial", 140},
                                                               {"unit", "mm[Hg]"},
                                                               {"session_id", session_id}});
    ASSERT_EQ(high.status, 201) << high.text;
    EXPECT_EQ(high.body["systolic"], 190.0);
    EXPECT_EQ(high.body["diastolic"], 115.0);
    EXPECT_EQ(high.body["mean_arterial"], 140.0);
    EXPECT_EQ(high.body["session_id"], session_id);
    EXPECT_TRUE(high.body["entered_in_error"].is_null());
    ASSERT_EQ(high.body["alerts"].size(), 1U);
    EXPECT_EQ(high.body["alerts"][0]["rule"], "blood_pressure_high");
    EXPECT_EQ(high.body["alerts"][0]["session_id"], session_id);

    const ApiResponse in_session = nurse.Get(patient_ + "/vitals?session=" + std::to_string(session_id));
    ASSERT_EQ(in_session.status, 200) << in_session.text;
    EXPECT_EQ(in_session.body["items"].size(), 1U);
    EXPECT_EQ(nurse.Get(patient_ + "/vitals?session=x").ErrorField(), "session");
    const ApiResponse alerts = prescriber.Get("/api/v1/alerts?session=" + std::to_string(session_id));
    ASSERT_EQ(alerts.status, 200) << alerts.text;
    ASSERT_EQ(alerts.body["items"].size(), 1U);
    EXPECT_EQ(prescriber.Get("/api/v1/alerts?session=0").ErrorField(), "session");

    const std::string mark_vital =
        patient_ + "/vitals/" + std::to_string(high.body["id"].get<std::int64_t>()) + "/entered-in-error";
    EXPECT_EQ(desk.Post(mark_vital, {{"reason", "typo"}}).status, 403);
    EXPECT_EQ(nurse.Post(mark_vital, {{"reason", " "}}).ErrorField(), "reason");
    EXPECT_EQ(nurse.Post(patient_ + "/vitals/x/entered-in-error", {{"reason", "typo"}}).ErrorField(), "vital_id");
    EXPECT_EQ(nurse.Post(patient_ + "/vitals/999999/entered-in-error", {{"reason", "typo"}}).status, 404);
    const ApiResponse marked = nurse.Post(mark_vital, {{"reason", "cuff on the wrong arm"}});
    ASSERT_EQ(marked.status, 200) << marked.text;
    EXPECT_EQ(marked.body["entered_in_error"]["reason"], "cuff on the wrong arm");
    EXPECT_EQ(marked.body["status"], "entered-in-error");
    const ApiResponse twice = nurse.Post(mark_vital, {{"reason", "again"}});
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.ErrorField(), "entered_in_error");

    const ApiResponse first = nurse.Post(patient_ + "/weights", {{"weight_kg", 70}});
    ASSERT_EQ(first.status, 201) << first.text;
    EXPECT_EQ(first.body["confirmed"], false);
    const ApiResponse jump = nurse.Post(patient_ + "/weights", {{"weight_kg", 154}});
    EXPECT_EQ(jump.status, 409);
    EXPECT_EQ(jump.ErrorField(), "confirmed");
    const ApiResponse confirmed = nurse.Post(patient_ + "/weights", {{"weight_kg", 80}, {"confirmed", true}});
    ASSERT_EQ(confirmed.status, 201) << confirmed.text;
    EXPECT_EQ(confirmed.body["confirmed"], true);
    const ApiResponse weight_marked = nurse.Post(
        patient_ + "/weights/" + std::to_string(confirmed.body["id"].get<std::int64_t>()) + "/entered-in-error",
        {{"reason", "scale not zeroed"}});
    ASSERT_EQ(weight_marked.status, 200) << weight_marked.text;
    const ApiResponse weights = nurse.Get(patient_ + "/weights");
    ASSERT_EQ(weights.body["items"].size(), 3U);  // the setup's 70 kg, this 70 kg, the marked 80 kg
    EXPECT_EQ(weights.body["items"][2]["status"], "entered-in-error");
}

TEST_P(CareApiTest, ACourseFromItsStartToADischargedSession) {
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient desk = server_->ClientWithToken("front_desk@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const std::string today = UtcToday();

    const ApiResponse unscreened = prescriber.Post(
        patient_ + "/courses",
        {{"indication", "TRD (F33.2)"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", today}});
    EXPECT_EQ(unscreened.status, 409) << unscreened.text;
    EXPECT_EQ(unscreened.ErrorField(), "screening");
    server_->SignedScreening(PatientId(), "ketamine-iv");
    const ApiResponse wrong_route = prescriber.Post(patient_ + "/courses", {{"indication", "TRD (F33.2)"},
                                                                            {"protocol", "iv-induction"},
                                                                            {"route", "esketamine-nasal"},
                                                                            {"start_date", today}});
    EXPECT_EQ(wrong_route.status, 400);
    EXPECT_EQ(wrong_route.ErrorField(), "route");
    const ApiResponse started = prescriber.Post(
        patient_ + "/courses",
        {{"indication", "TRD (F33.2)"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", today}});
    ASSERT_EQ(started.status, 201) << started.text;
    EXPECT_TRUE(started.body.contains("screening_id"));
    EXPECT_FALSE(started.body.contains("screening_override_reason"));
    const ApiResponse twice = prescriber.Post(
        patient_ + "/courses",
        {{"indication", "trd (f33.2)"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", today}});
    EXPECT_EQ(twice.status, 409) << twice.text;
    EXPECT_EQ(twice.ErrorField(), "indication");
    const std::string course = started.Header("location");
    ASSERT_GE(started.body["sessions"].size(), 2U);
    const std::string session =
        "/api/v1/sessions/" + std::to_string(started.body["sessions"][0]["id"].get<std::int64_t>());
    const std::string second =
        "/api/v1/sessions/" + std::to_string(started.body["sessions"][1]["id"].get<std::int64_t>());

    const ApiResponse day = desk.Get("/api/v1/sessions?date=" + today);
    ASSERT_EQ(day.status, 200) << day.text;
    ASSERT_EQ(day.body["items"].size(), 1U);
    EXPECT_EQ(day.body["items"][0]["state"], "scheduled");
    EXPECT_EQ(desk.Get("/api/v1/sessions").ErrorField(), "date");
    EXPECT_EQ(desk.Get(patient_ + "/courses").body["items"].size(), 1U);

    // Paused, the course admits no check-in; resumed, it does.
    ASSERT_EQ(prescriber.Post(course + "/pause", {{"reason", "travelling"}}).status, 200);
    const ApiResponse while_paused =
        nurse.Post(session + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}});
    EXPECT_EQ(while_paused.status, 409);
    EXPECT_EQ(while_paused.ErrorField(), "course_id");
    ASSERT_EQ(prescriber.Send("POST", course + "/resume", "").status, 200);
    EXPECT_EQ(prescriber.Send("POST", course + "/resume", "").ErrorField(), "course_id");

    EXPECT_EQ(desk.Post(session + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}}).status, 403);
    const std::int64_t before = LatestAuditId(admin);
    const ApiResponse no_escort =
        nurse.Post(session + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", false}});
    EXPECT_EQ(no_escort.status, 409);
    EXPECT_EQ(no_escort.ErrorField(), "escort_confirmed");
    EXPECT_TRUE(AuditedActionsAfter(admin, before).empty());
    const ApiResponse checked_in =
        nurse.Post(session + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}});
    ASSERT_EQ(checked_in.status, 200) << checked_in.text;
    EXPECT_EQ(checked_in.body["state"], "checked_in");

    EXPECT_EQ(nurse.Post(session + "/pre-dose", Json::object()).ErrorField(), "pre_dose_bp");
    ASSERT_EQ(nurse
                  .Post(patient_ + "/vitals",
                        {{"loinc", "85354-9"}, {"systolic", 150}, {"diastolic", 85}, {"unit", "mm[Hg]"}})
                  .status,
              201);
    EXPECT_EQ(nurse.Post(session + "/pre-dose", Json::object()).ErrorField(), "pre_dose_bp");  // above the gate
    EXPECT_EQ(nurse.Post(session + "/pre-dose", {{"override_reason", "x"}}).ErrorField(), "override_reason");
    EXPECT_EQ(nurse.Post(session + "/pre-dose-override", {{"override_reason", "x"}}).status, 403);
    const ApiResponse overridden =
        prescriber.Post(session + "/pre-dose-override", {{"override_reason", "repeat 138/84 by hand"}});
    ASSERT_EQ(overridden.status, 200) << overridden.text;
    EXPECT_EQ(overridden.body["state"], "pre_dose_ok");
    EXPECT_EQ(overridden.body["bp_override"]["prescriber"], "prescriber@clinic.example");

    EXPECT_EQ(nurse.Send("POST", session + "/start-dosing", "").ErrorField(), "dose_order");
    EXPECT_EQ(nurse.Post(session + "/dose-order", {{"route", "iv"}, {"weight_kg", 70}}).status, 403);
    const ApiResponse too_much =
        prescriber.Post(session + "/dose-order", {{"route", "iv"}, {"weight_kg", 70}, {"mg_per_kg", 5}});
    EXPECT_EQ(too_much.status, 422);
    EXPECT_EQ(too_much.ErrorField(), "mg_per_kg");
    EXPECT_EQ(prescriber.Post(session + "/dose-order", {{"route", "iv"}, {"weight_kg", 70}, {"weight_basis", "x"}})
                  .ErrorField(),
              "weight_basis");
    EXPECT_EQ(prescriber.Post(session + "/dose-order", {{"route", "iv"}, {"weight_kg", 70}, {"dose", 35}}).ErrorField(),
              "dose");
    // Not the recorded 70 kg: refused without the prescriber's reason, and a reason for the recorded weight too.
    const ApiResponse other_weight = prescriber.Post(session + "/dose-order", {{"route", "iv"}, {"weight_kg", 80}});
    EXPECT_EQ(other_weight.status, 409);
    EXPECT_EQ(other_weight.ErrorField(), "weight_kg");
    EXPECT_EQ(prescriber.Post(session + "/dose-order", {{"route", "iv"}, {"weight_kg", 70}, {"weight_reason", "same"}})
                  .ErrorField(),
              "weight_reason");
    const ApiResponse order = prescriber.Post(
        session + "/dose-order",
        {{"route", "iv"}, {"weight_kg", 70}, {"mg_per_kg", 0.5}, {"minutes", 40}, {"concentration_mg_per_ml", 10}});
    ASSERT_EQ(order.status, 201) << order.text;
    EXPECT_EQ(order.body["order"]["total_mg"], 35.0);
    EXPECT_TRUE(order.body["weight_reason"].is_null());
    EXPECT_EQ(order.body["request"]["mg_per_kg"], 0.5);
    EXPECT_EQ(prescriber.Post(session + "/dose-order", {{"route", "iv"}, {"weight_kg", 70}}).ErrorField(),
              "session_id");

    ASSERT_EQ(nurse.Send("POST", session + "/start-dosing", "").status, 200);
    EXPECT_EQ(nurse.Send("POST", session + "/start-dosing", "{\"now\":true}").ErrorField(), "now");
    const ApiResponse over = nurse.Post(session + "/administrations",
                                        {{"drug", "ketamine"}, {"route", "iv"}, {"dose_mg", 99}, {"lot_number", "L1"}});
    EXPECT_EQ(over.status, 409);
    EXPECT_EQ(over.ErrorField(), "dose_mg");
    // Not before the pre-dose step (issue 10): the infusion starts now, to the millisecond.
    const std::string given_at =
        adapters::json::FormatTime(std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    const Json infusion = {{"drug", "ketamine"},    {"route", "iv"},      {"dose_mg", 35},
                           {"rate_mg_per_h", 52.5}, {"lot_number", "L1"}, {"started_at", given_at}};
    Json ended_with_its_start = infusion;
    ended_with_its_start["stopped_at"] = given_at;
    EXPECT_EQ(nurse.Post(session + "/administrations", ended_with_its_start).ErrorField(), "stopped_at");
    Json esketamine = infusion;
    esketamine["drug"] = "esketamine";
    EXPECT_EQ(nurse.Post(session + "/administrations", esketamine).ErrorField(), "drug");
    const ApiResponse given = nurse.Post(session + "/administrations", infusion);
    ASSERT_EQ(given.status, 201) << given.text;
    EXPECT_TRUE(given.body["entered_in_error"].is_null());
    const std::string administration = "/api/v1/administrations/" + std::to_string(given.body["id"].get<int>());
    EXPECT_EQ(nurse.Send("POST", session + "/start-monitoring", "").ErrorField(), "administration_ended_at");

    // The 40-minute order given in no time: refused to the nurse, accepted by a prescriber with a reason.
    const Json stop = {{"stopped_at", given_at}, {"given_mg", 35}};
    const ApiResponse too_fast = nurse.Post(administration + "/stop", stop);
    EXPECT_EQ(too_fast.status, 409);
    EXPECT_EQ(too_fast.ErrorField(), "stopped_at");
    EXPECT_EQ(nurse.Post(administration + "/stop", {{"given_mg", "35"}}).ErrorField(), "given_mg");
    EXPECT_EQ(nurse.Post(administration + "/stop", {{"given_mg", 35}, {"fast_infusion_reason", "x"}}).ErrorField(),
              "fast_infusion_reason");  // only on stop-override
    // Issue 15 §7: less than the infusion's dose needs the reason it stopped early, one of the documented ones.
    const ApiResponse unexplained = nurse.Post(administration + "/stop", {{"stopped_at", given_at}, {"given_mg", 0}});
    EXPECT_EQ(unexplained.status, 409) << unexplained.text;
    EXPECT_EQ(unexplained.ErrorField(), "early_stop_reason");
    EXPECT_EQ(
        nurse
            .Post(administration + "/stop", {{"stopped_at", given_at}, {"given_mg", 0}, {"early_stop_reason", "bored"}})
            .ErrorField(),
        "early_stop_reason");
    Json accepted = stop;
    accepted["fast_infusion_reason"] = "pump set as a bolus; observed, vitals stable";
    EXPECT_EQ(nurse.Post(administration + "/stop-override", accepted).status, 403);
    const ApiResponse stopped = prescriber.Post(administration + "/stop-override", accepted);
    ASSERT_EQ(stopped.status, 200) << stopped.text;
    EXPECT_EQ(stopped.body["stop"]["given_mg"], 35.0);
    EXPECT_EQ(stopped.body["stop"]["given_ml"], 3.5);
    EXPECT_EQ(stopped.body["stop"]["fast_infusion_accepted"]["prescriber"], "prescriber@clinic.example");
    EXPECT_FALSE(stopped.body["stop"].contains("early_stop_reason"));  // the whole dose was given
    EXPECT_EQ(prescriber.Post(administration + "/stop-override", accepted).ErrorField(), "administration_id");
    EXPECT_EQ(prescriber.Post("/api/v1/administrations/999999/stop", stop).status, 404);

    // Ondansetron is a session medication, apart from the ketamine total.
    const Json ondansetron = {{"drug", "ondansetron"},  {"dose", 4},          {"unit", "mg"}, {"route", "po"},
                              {"indication", "nausea"}, {"order_kind", "prn"}};
    Json ketamine_as_prn = ondansetron;
    ketamine_as_prn["drug"] = "ketamine";
    EXPECT_EQ(nurse.Post(session + "/medications", ketamine_as_prn).ErrorField(), "drug");
    Json bad_unit = ondansetron;
    bad_unit["unit"] = "drops";
    EXPECT_EQ(nurse.Post(session + "/medications", bad_unit).ErrorField(), "unit");
    Json bad_kind = ondansetron;
    bad_kind["order_kind"] = "stat";
    EXPECT_EQ(nurse.Post(session + "/medications", bad_kind).ErrorField(), "order_kind");
    Json claims_standing_order = ondansetron;  // only POST .../prn-doses checks a dose against the standing orders
    claims_standing_order["order_kind"] = "standing_order";
    const ApiResponse refused = nurse.Post(session + "/medications", claims_standing_order);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.ErrorField(), "order_kind");
    EXPECT_NE(refused.text.find("prn-doses"), std::string::npos) << refused.text;
    EXPECT_EQ(desk.Post(session + "/medications", ondansetron).status, 403);
    const ApiResponse medication = nurse.Post(session + "/medications", ondansetron);
    ASSERT_EQ(medication.status, 201) << medication.text;
    EXPECT_EQ(medication.body["order_kind"], "prn");
    EXPECT_EQ(medication.body["late_entry"], false);
    ASSERT_EQ(nurse.Send("POST", session + "/start-monitoring", "").status, 200);
    ASSERT_EQ(nurse.Send("POST", session + "/ready-for-discharge", "").status, 200);
    EXPECT_EQ(nurse.Post(session + "/discharge", {{"discharge_criteria_confirmed", false}}).ErrorField(),
              "discharge_criteria_confirmed");
    const ApiResponse discharged = nurse.Post(session + "/discharge", {{"discharge_criteria_confirmed", true}});
    ASSERT_EQ(discharged.status, 200) << discharged.text;
    EXPECT_EQ(discharged.body["state"], "discharged");
    EXPECT_EQ(nurse.Post(session + "/abort", {{"reason", "late"}}).ErrorField(), "state");

    const ApiResponse record = server_->ClientWithToken("therapist@clinic.example").Get(session);
    ASSERT_EQ(record.status, 200) << record.text;
    EXPECT_EQ(record.body["dose_order"]["order"]["total_mg"], 35.0);
    ASSERT_EQ(record.body["administrations"].size(), 1U);
    EXPECT_EQ(record.body["administrations"][0]["stop"]["recorded_by"], "prescriber@clinic.example");
    ASSERT_EQ(record.body["medications"].size(), 1U);
    EXPECT_EQ(record.body["medications"][0]["drug"], "ondansetron");
    std::vector<std::string> states;
    for (const Json& transition : record.body["transitions"]) {
        states.push_back(transition["to_state"]);
    }
    const std::vector<std::string> expected = {"scheduled",  "checked_in",          "pre_dose_ok", "dosing",
                                               "monitoring", "ready_for_discharge", "discharged"};
    EXPECT_EQ(states, expected);

    // An administration found to be wrong is marked entered in error, by the permission that records it, and stays.
    const std::string mark =
        patient_ + "/administrations/" + std::to_string(given.body["id"].get<int>()) + "/entered-in-error";
    EXPECT_EQ(desk.Post(mark, {{"reason", "wrong chart"}}).status, 403);
    EXPECT_EQ(nurse.Post(mark, {{"reason", " "}}).ErrorField(), "reason");
    EXPECT_EQ(nurse.Post(patient_ + "/administrations/999999/entered-in-error", {{"reason", "x"}}).ErrorField(),
              "administration_id");
    EXPECT_EQ(nurse.Post(patient_ + "/administrations/x/entered-in-error", {{"reason", "x"}}).ErrorField(),
              "administration_id");
    const ApiResponse marked = nurse.Post(mark, {{"reason", "documented in the wrong chart"}});
    ASSERT_EQ(marked.status, 200) << marked.text;
    EXPECT_EQ(marked.body["entered_in_error"]["reason"], "documented in the wrong chart");
    EXPECT_EQ(marked.body["entered_in_error"]["marked_by"], "nurse@clinic.example");
    const ApiResponse again = nurse.Post(mark, {{"reason", "again"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "entered_in_error");
    const ApiResponse with_mark = nurse.Get(session);
    ASSERT_EQ(with_mark.body["administrations"].size(), 1U);
    EXPECT_EQ(with_mark.body["administrations"][0]["entered_in_error"]["reason"], "documented in the wrong chart");

    // The front desk cancels the next session when the patient calls; the schedule keeps that reason but shows no
    // BP override or clinical reason.
    const ApiResponse cancelled = desk.Post(second + "/cancel", {{"reason", "patient called"}});
    ASSERT_EQ(cancelled.status, 200) << cancelled.text;
    EXPECT_EQ(desk.Post(second + "/hold", {{"reason", "x"}}).status, 403);
    const ApiResponse schedule = desk.Get(course);
    ASSERT_EQ(schedule.status, 200) << schedule.text;
    EXPECT_FALSE(schedule.body["sessions"][0].contains("bp_override"));
    EXPECT_EQ(schedule.body["sessions"][0]["state"], "discharged");
    EXPECT_EQ(schedule.body["sessions"][1]["state_reason"], "patient called");
    EXPECT_EQ(desk.Get(session).status, 403);

    const ApiResponse ended = prescriber.Post(course + "/end", {{"reason", "remission"}});
    ASSERT_EQ(ended.status, 200) << ended.text;
    EXPECT_EQ(ended.body["status"], "ended");
    EXPECT_EQ(prescriber.Post(course + "/end", {{"reason", "again"}}).ErrorField(), "course_id");
}

// The session state machine's refusals the discharged-session test does not meet, each a 409 naming the precondition
// that failed, and each writing nothing: consent, a step out of order, a blank reason, an IV infusion whose end is not
// recorded, and esketamine's device and 2-hour monitoring rules (Spravato REMS).
TEST_P(CareApiTest, EveryRefusalOfTheSessionStateMachine) {
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const std::string today = UtcToday();
    std::string course;  // the latest course started
    const auto first_session = [&](const Json& plan) {
        const ApiResponse started = prescriber.Post(patient_ + "/courses", plan);
        EXPECT_EQ(started.status, 201) << started.text;
        course = started.Header("location");
        return "/api/v1/sessions/" + std::to_string(started.body["sessions"][0]["id"].get<std::int64_t>());
    };
    const auto refused = [&](const std::string& target, const Json& body, const std::string& field) {
        const std::int64_t before = LatestAuditId(admin);
        const ApiResponse response = nurse.Post(target, body);
        EXPECT_EQ(response.status, 409) << target << ": " << response.text;
        EXPECT_EQ(response.ErrorCode(), "failed_precondition") << target;
        EXPECT_EQ(response.ErrorField(), field) << target << ": " << response.text;
        EXPECT_TRUE(AuditedActionsAfter(admin, before).empty()) << target << " wrote something";
    };
    const auto step = [&](const std::string& target, const Json& body) {
        const ApiResponse response = nurse.Post(target, body);
        ASSERT_EQ(response.status, 200) << target << ": " << response.text;
    };

    server_->SignedScreening(PatientId(), "ketamine-iv");
    server_->SignedScreening(PatientId(), "esketamine-nasal");
    // IV: consent, order of steps, reasons, and an infusion without its end.
    const std::string iv = first_session(
        {{"indication", "TRD (F33.2)"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", today}});
    refused(iv + "/check-in", {{"consent_confirmed", false}, {"escort_confirmed", true}}, "consent_confirmed");
    refused(iv + "/start-dosing", Json::object(), "state");
    refused(iv + "/discharge", {{"discharge_criteria_confirmed", true}}, "state");
    step(iv + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}});
    refused(iv + "/hold", {{"reason", "   "}}, "reason");
    refused(iv + "/start-monitoring", Json::object(), "state");
    ASSERT_EQ(nurse
                  .Post(patient_ + "/vitals",
                        {{"loinc", "85354-9"}, {"systolic", 128}, {"diastolic", 80}, {"unit", "mm[Hg]"}})
                  .status,
              201);
    step(iv + "/pre-dose", Json::object());
    ASSERT_EQ(prescriber
                  .Post(iv + "/dose-order", {{"route", "iv"},
                                             {"weight_kg", 70},
                                             {"mg_per_kg", 0.5},
                                             {"minutes", 40},
                                             {"concentration_mg_per_ml", 10}})
                  .status,
              201);
    step(iv + "/start-dosing", Json::object());
    ASSERT_EQ(
        nurse
            .Post(
                iv + "/administrations",
                {{"drug", "ketamine"}, {"route", "iv"}, {"dose_mg", 35}, {"rate_mg_per_h", 52.5}, {"lot_number", "L1"}})
            .status,
        201);
    refused(iv + "/start-monitoring", Json::object(), "administration_ended_at");
    refused(iv + "/cancel", {{"reason", ""}}, "reason");
    step(iv + "/abort", {{"reason", "infusion pump failure"}});
    refused(iv + "/abort", {{"reason", "again"}}, "state");

    // Esketamine: monitoring needs a device administration, and discharge readiness 2 hours after the first device.
    ASSERT_EQ(prescriber.Post(course + "/end", {{"reason", "switched to esketamine"}}).status, 200);
    const std::string esk = first_session({{"indication", "TRD (F33.2)"},
                                           {"protocol", "esketamine-trd"},
                                           {"route", "esketamine-nasal"},
                                           {"start_date", today}});
    step(esk + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}});
    ASSERT_EQ(nurse
                  .Post(patient_ + "/vitals",
                        {{"loinc", "85354-9"}, {"systolic", 126}, {"diastolic", 78}, {"unit", "mm[Hg]"}})
                  .status,
              201);
    step(esk + "/pre-dose", Json::object());
    // The record, not the caller, says whether this is the course's first treatment.
    EXPECT_EQ(
        prescriber.Post(esk + "/dose-order", {{"route", "esketamine-nasal"}, {"weight_kg", 70}, {"first_dose", true}})
            .ErrorField(),
        "first_dose");
    EXPECT_EQ(prescriber.Post(esk + "/dose-order", {{"route", "esketamine-nasal"}, {"weight_kg", 70}, {"dose_mg", 84}})
                  .ErrorField(),
              "dose_mg");
    const ApiResponse esk_order =
        prescriber.Post(esk + "/dose-order", {{"route", "esketamine-nasal"}, {"weight_kg", 70}, {"dose_mg", 56}});
    ASSERT_EQ(esk_order.status, 201) << esk_order.text;
    EXPECT_EQ(esk_order.body["request"]["first_dose"], true);
    step(esk + "/start-dosing", Json::object());
    refused(esk + "/start-monitoring", Json::object(), "first_esketamine_device_at");
    ASSERT_EQ(nurse
                  .Post(esk + "/administrations", {{"drug", "esketamine"},
                                                   {"route", "esketamine-nasal"},
                                                   {"dose_mg", 56},
                                                   {"device_count", 2},
                                                   {"lot_number", "E1"}})
                  .status,
              201);
    step(esk + "/start-monitoring", Json::object());
    refused(esk + "/ready-for-discharge", Json::object(), "first_esketamine_device_at");
}

// An admin sets the clinic's zone through the settings API; a zone the server's database lacks is refused naming the
// setting, and nothing changes.
TEST_P(CareApiTest, TheClinicsTimeZoneIsASetting) {
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const auto zone_in = [](const ApiResponse& settings) {
        for (const auto& setting : settings.body["settings"]) {
            if (setting["name"] == "clinic.time_zone") {
                return setting["value"].get<std::string>();
            }
        }
        return std::string("(not listed)");
    };
    EXPECT_EQ(zone_in(admin.Get("/api/v1/settings")), "UTC");
    const ApiResponse changed = admin.Put("/api/v1/settings/clinic.time_zone", {{"value", "America/New_York"}});
    ASSERT_EQ(changed.status, 200) << changed.text;
    EXPECT_EQ(zone_in(changed), "America/New_York");
    for (const char* zone : {"Mars/Olympus_Mons", "../../etc/passwd"}) {
        const ApiResponse refused = admin.Put("/api/v1/settings/clinic.time_zone", {{"value", zone}});
        EXPECT_EQ(refused.status, 400) << zone << ": " << refused.text;
        EXPECT_EQ(refused.ErrorField(), "clinic.time_zone") << zone;
    }
    EXPECT_EQ(zone_in(admin.Get("/api/v1/settings")), "America/New_York");
}

TEST_P(CareApiTest, APatientSeesTheirOwnScheduleOnly) {
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    server_->SignedScreening(PatientId(), "ketamine-iv");
    const ApiResponse started = prescriber.Post(
        patient_ + "/courses",
        {{"indication", "TRD"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", "2026-09-21"}});
    ASSERT_EQ(started.status, 201) << started.text;
    const std::int64_t own = std::stoll(patient_.substr(patient_.rfind('/') + 1));
    server_->AddUser("patient@clinic.example", "patient", own);
    ApiClient patient = server_->ClientWithToken("patient@clinic.example");
    const ApiResponse courses = patient.Get(patient_ + "/courses");
    ASSERT_EQ(courses.status, 200) << courses.text;
    ASSERT_EQ(courses.body["items"].size(), 1U);
    EXPECT_EQ(courses.body["items"][0]["sessions"][0]["planned_date"], "2026-09-21");
    EXPECT_EQ(patient.Get(started.Header("location")).status, 403);
    EXPECT_EQ(patient.Get("/api/v1/sessions?date=2026-09-21").status, 403);
    EXPECT_EQ(patient.Get(patient_ + "/screenings").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, CareApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
