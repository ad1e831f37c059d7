// The screens' read models (app/clinic_views.hpp) and the quick patient search (PatientRecords::QuickSearch), on a
// real SQLite file and a real PostgreSQL server: the batch reads answer the same on both, each read is audited as the
// docs say, and every figure is the one the rules elsewhere decide.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "adapters/storage/sql/sql_transaction.hpp"
#include "app/clinic_views.hpp"
#include "app/patient_records.hpp"
#include "clinical/label_rules.hpp"
#include "clinical/session_state.hpp"
#include "clinical/settings.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using app::TimePoint;
using clinical::Route;
using std::chrono::minutes;

using Mrns = std::vector<std::string>;

class ClinicViewsContractTest : public UseCaseTest {
protected:
    // The MRNs the quick search finds, in the order answered; a test failure (and nothing) when refused.
    Mrns Quick(const std::string& q, PatientId after = PatientId{}, int limit = 100) {
        Result<std::vector<app::PatientSummary>> found = clinic().patients.QuickSearch(nurse_, q, after, limit);
        EXPECT_TRUE(found.ok()) << q << ": " << found.error().ToString();
        Mrns mrns;
        for (const app::PatientSummary& summary : found.ok() ? *found : std::vector<app::PatientSummary>{}) {
            mrns.push_back(summary.patient.mrn);
        }
        return mrns;
    }

    app::Administration Give(SessionId session, const app::NewAdministration& given) {
        Result<app::Administration> recorded = clinic().doses.RecordAdministration(nurse_, session, given, settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        return recorded.ok() ? *recorded : app::Administration{};
    }

    app::NewAdministration Devices(int count, TimePoint at) const {
        return app::NewAdministration{
            "esketamine", Route::kEsketamineNasal, 28.0 * count, std::nullopt, count, "LOT-S-1", at, std::nullopt};
    }

    app::RecordedVitalSign Vital(PatientId patient, const std::string& loinc, double value, const std::string& unit) {
        app::NewVitalSign vital{patient, loinc, value, unit, clock_.Now(), app::VitalSource::kManual, ""};
        Result<app::RecordedVitalSign> recorded = clinic().patients.RecordVitalSign(nurse_, vital, settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        return recorded.ok() ? *recorded : app::RecordedVitalSign{};
    }

    // A rating of `patient` taken a minute after the previous step, as nurse_; a test failure when refused.
    app::RecordedAssessment Rate(PatientId patient, clinical::Instrument instrument, const std::vector<int>& answers) {
        clock_.Advance(minutes{1});
        Result<app::RecordedAssessment> recorded =
            clinic().patients.RecordAssessment(nurse_, patient, instrument, answers, clock_.Now(), settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        return recorded.ok() ? *recorded : app::RecordedAssessment{};
    }

    app::ClinicBoard Board(std::optional<std::chrono::sys_days> date = std::nullopt) {
        Result<app::ClinicBoard> board = clinic().views.Board(nurse_, date);
        EXPECT_TRUE(board.ok()) << board.error().ToString();
        return board.ok() ? *board : app::ClinicBoard{};
    }
};

TEST_P(ClinicViewsContractTest, QuickSearchFindsNamesInAnyOrderIgnoringCaseAndAccentsAndMrnPrefixes) {
    Register("MRN-0001", "Ada", "Lovelace");
    Register("MRN-0002", "Émile", "Zola");
    Register("MRN-0103", "José", "Álvarez");
    Register("MRN-0104", "Mary Ann", "O'Brien");
    Register("MRN-0105", "Lena", "Smith-Jones");
    Register("X-9", "Jürgen", "Weiß");
    Register("PCT", "Pat", "100%_Sure");

    EXPECT_EQ(Quick("lovelace ada"), Mrns{"MRN-0001"});
    EXPECT_EQ(Quick("Ada Lovelace"), Mrns{"MRN-0001"});
    EXPECT_EQ(Quick("LOVELACE, A"), Mrns{"MRN-0001"});
    // Accents fold on both sides, whichever side carries them.
    EXPECT_EQ(Quick("emile"), Mrns{"MRN-0002"});
    EXPECT_EQ(Quick("ÉMILE ZOLA"), Mrns{"MRN-0002"});
    EXPECT_EQ(Quick("alvarez jose"), Mrns{"MRN-0103"});
    EXPECT_EQ(Quick("Álv"), Mrns{"MRN-0103"});
    EXPECT_EQ(Quick("weiss jurgen"), Mrns{"X-9"});
    EXPECT_EQ(Quick("Weiß"), Mrns{"X-9"});
    // Apostrophes drop, hyphenated names are found whole and by each part, a word inside a name is a word.
    EXPECT_EQ(Quick("obrien"), Mrns{"MRN-0104"});
    EXPECT_EQ(Quick("O'Bri ann"), Mrns{"MRN-0104"});
    EXPECT_EQ(Quick("jones"), Mrns{"MRN-0105"});
    EXPECT_EQ(Quick("smith-j"), Mrns{"MRN-0105"});
    // Prefixes of words only: "ace" is inside "Lovelace" but starts no word.
    EXPECT_EQ(Quick("ace"), Mrns{});
    // An MRN, whole or its beginning, in any case.
    EXPECT_EQ(Quick("MRN-0001"), Mrns{"MRN-0001"});
    EXPECT_EQ(Quick("mrn-01"), (Mrns{"MRN-0103", "MRN-0104", "MRN-0105"}));
    EXPECT_EQ(Quick("mrn-01 smith"), Mrns{"MRN-0105"});
    // No character is a wildcard.
    EXPECT_EQ(Quick("%"), Mrns{});
    EXPECT_EQ(Quick("_"), Mrns{});
    EXPECT_EQ(Quick("100%_"), Mrns{"PCT"});
    // Pages by id.
    EXPECT_EQ(Quick("mrn-01", PatientId{}, 2), (Mrns{"MRN-0103", "MRN-0104"}));
}

TEST_P(ClinicViewsContractTest, QuickSearchAnswersAgeAndCurrentCourseAndIsAuditedAsASearch) {
    const PatientId with_course = Register("MRN-1", "Ada", "Lovelace");
    Register("MRN-2", "Ada", "Byron");
    const app::CourseRecord course =
        StartCourse(with_course, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    Result<std::vector<app::PatientSummary>> found = clinic().patients.QuickSearch(nurse_, "ada", PatientId{}, 10);
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    ASSERT_EQ(found->size(), 2U);
    // Born 1980-03-14; the fixture's today is 2026-09-21.
    EXPECT_EQ((*found)[0].age, 46);
    ASSERT_TRUE((*found)[0].current_course.has_value());
    EXPECT_EQ((*found)[0].current_course->id, course.course.id);
    EXPECT_EQ((*found)[0].current_course->route, Route::kEsketamineNasal);
    EXPECT_FALSE((*found)[1].current_course.has_value());
    // An ended course is no longer current.
    ASSERT_TRUE(clinic().courses.EndCourse(prescriber_, course.course.id, "completed the series").ok());
    found = clinic().patients.QuickSearch(nurse_, "lovelace", PatientId{}, 10);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 1U);
    EXPECT_FALSE((*found)[0].current_course.has_value());

    const app::AuditEntry last = Audit().back();
    EXPECT_EQ(last.action, "patient.search");
    EXPECT_EQ(last.detail, "q=lovelace");
    EXPECT_EQ(last.actor, nurse_.user);
}

TEST_P(ClinicViewsContractTest, QuickSearchRefusesAnUnclearSearchAndAuditsNothing) {
    Register("MRN-1");
    const std::size_t audited = Audit().size();
    for (const auto& [q, limit, field] : std::vector<std::tuple<std::string, int, std::string>>{
             {"", 10, "q"}, {" , ", 10, "q"}, {"a b c d e f g", 10, "q"}, {"ada", 0, "limit"}}) {
        Result<std::vector<app::PatientSummary>> found = clinic().patients.QuickSearch(nurse_, q, PatientId{}, limit);
        ASSERT_FALSE(found.ok()) << q;
        EXPECT_EQ(found.error().field, field) << q;
    }
    EXPECT_EQ(Audit().size(), audited);
}

// Patients stored before migration 0020 have no search text; the store fills it when it opens.
TEST_P(ClinicViewsContractTest, PatientsStoredBeforeTheSearchTextGetItWhenTheStoreOpens) {
    const PatientId old = Register("MRN-OLD", "Émile", "Zola");
    ASSERT_TRUE(ExecuteDirectly("UPDATE patients SET search_text = NULL").ok());
    EXPECT_EQ(Quick("zola"), Mrns{});
    Result<std::unique_ptr<sql::SqlConnection>> connection = database().ConnectDirectly();
    ASSERT_TRUE(connection.ok()) << connection.error().ToString();
    ASSERT_TRUE(sql::BackfillPatientSearchText(**connection).ok());
    EXPECT_EQ(Quick("emile zola"), Mrns{"MRN-OLD"});
    // A renamed patient is found by the new name only.
    Result<app::Patient> stored = clinic().patients.GetPatient(nurse_, old);
    ASSERT_TRUE(stored.ok());
    app::Patient renamed = *stored;
    renamed.family_name = "Zweig";
    ASSERT_TRUE(clinic().patients.UpdatePatient(nurse_, renamed).ok());
    EXPECT_EQ(Quick("zola"), Mrns{});
    EXPECT_EQ(Quick("zweig"), Mrns{"MRN-OLD"});
}

TEST_P(ClinicViewsContractTest, TheBoardShowsEachSessionOfTheDayWithWhatTheRulesDecide) {
    AddUser("nurse@clinic.example", app::Role::kNurse);
    const PatientId ada = Register("MRN-1", "Ada", "Lovelace");
    const PatientId bob = Register("MRN-2", "Bob", "Byron");
    Weigh(ada);
    const app::CourseRecord esketamine = StartCourse(ada, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const app::CourseRecord iv = StartCourse(bob);
    const SessionId esketamine_session = esketamine.sessions.front().id;
    const SessionId iv_session = iv.sessions.front().id;

    ASSERT_NO_FATAL_FAILURE(StartDosing(ada, esketamine_session, EsketamineRequest(56)));
    clock_.Advance(minutes{1});
    const TimePoint device_at = clock_.Now();
    Give(esketamine_session, Devices(2, device_at));
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, esketamine_session).ok());
    clock_.Advance(minutes{10});
    Vital(ada, "8867-4", 88, "/min");
    clock_.Advance(minutes{5});
    Vital(ada, "8867-4", 84, "/min");
    // A BP above both alert thresholds raises an open alert.
    const app::RecordedVitalSign high = [&] {
        Result<app::RecordedVitalSign> recorded =
            clinic().patients.RecordVitalSign(nurse_, BloodPressure(ada, 185, 112, clock_.Now()), settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        return recorded.ok() ? *recorded : app::RecordedVitalSign{};
    }();
    ASSERT_FALSE(high.alerts.empty());
    // A later reading marked entered in error is not the latest.
    clock_.Advance(minutes{1});
    const app::RecordedVitalSign wrong = Vital(ada, "8867-4", 61, "/min");
    ASSERT_TRUE(clinic()
                    .patients.MarkVitalSignEnteredInError(nurse_, ada, wrong.vital.id, "monitor on the wrong patient")
                    .ok());

    const std::size_t audited = Audit().size();
    const app::ClinicBoard board = Board();
    EXPECT_EQ(board.date, kCourseStart);
    EXPECT_EQ(board.time_zone, "UTC");
    ASSERT_EQ(board.sessions.size(), 2U);
    const app::BoardSession& first = board.sessions[0];
    const app::BoardSession& second = board.sessions[1];
    EXPECT_EQ(first.session.id, esketamine_session);
    EXPECT_EQ(first.patient.given_name, "Ada");
    EXPECT_EQ(first.age, 46);
    EXPECT_EQ(first.route, Route::kEsketamineNasal);
    EXPECT_EQ(first.session.state, clinical::SessionState::kMonitoring);
    ASSERT_TRUE(first.first_dose_at.has_value());
    EXPECT_EQ(*first.first_dose_at, device_at);
    ASSERT_TRUE(first.earliest_discharge_at.has_value());
    // The device was given after the step to dosing, so the 2 hours count from it.
    EXPECT_EQ(*first.earliest_discharge_at, device_at + minutes{clinical::kEsketamineMinMonitoringMinutes});
    ASSERT_TRUE(first.nurse.has_value());
    EXPECT_EQ(first.nurse->display_name, "A. Clinician");
    // The latest valid reading of each sign: the BP panel and the heart rate of 84 (61 is marked), in LOINC order.
    ASSERT_EQ(first.latest_vitals.size(), 2U);
    EXPECT_EQ(first.latest_vitals[0].loinc, "85354-9");
    EXPECT_EQ(first.latest_vitals[0].value, 185);
    EXPECT_EQ(first.latest_vitals[1].loinc, "8867-4");
    EXPECT_EQ(first.latest_vitals[1].value, 84);
    ASSERT_EQ(first.open_alerts.size(), high.alerts.size());
    EXPECT_EQ(first.open_alerts.front().id, high.alerts.front().id);

    EXPECT_EQ(second.session.id, iv_session);
    EXPECT_EQ(second.route, Route::kIv);
    EXPECT_EQ(second.session.state, clinical::SessionState::kScheduled);
    EXPECT_FALSE(second.first_dose_at.has_value());
    EXPECT_FALSE(second.earliest_discharge_at.has_value());
    EXPECT_FALSE(second.nurse.has_value());
    EXPECT_TRUE(second.latest_vitals.empty());
    EXPECT_TRUE(second.open_alerts.empty());

    // An acknowledged alert leaves the board.
    ASSERT_TRUE(clinic().alerts.Acknowledge(nurse_, high.alerts.front().id, "rechecked").ok());
    EXPECT_EQ(Board().sessions[0].open_alerts.size(), high.alerts.size() - 1);

    // One audit entry per session shown, naming its patient.
    const std::vector<app::AuditEntry> audit = Audit();
    ASSERT_GE(audit.size(), audited + 2);
    EXPECT_EQ(audit[audited].action, "board.read");
    EXPECT_EQ(audit[audited].record_id, esketamine_session.value);
    EXPECT_EQ(audit[audited].patient_id, ada.value);
    EXPECT_EQ(audit[audited + 1].patient_id, bob.value);

    // Another day has its own sessions: the second induction session is planned later. The esketamine session, still
    // in monitoring, is on it too: a session stays on every day's board from its check-in until it ends.
    const std::chrono::sys_days later = iv.sessions[1].planned_date;
    const app::ClinicBoard other_day = Board(later);
    ASSERT_FALSE(other_day.sessions.empty());
    int still_in_the_clinic = 0;
    for (const app::BoardSession& entry : other_day.sessions) {
        if (entry.session.id == esketamine_session) {
            ++still_in_the_clinic;
            EXPECT_EQ(entry.session.state, clinical::SessionState::kMonitoring);
            continue;
        }
        EXPECT_EQ(entry.session.planned_date, later);
    }
    EXPECT_EQ(still_in_the_clinic, 1);
}

TEST_P(ClinicViewsContractTest, TheBoardShowsTheBookedRoomAndNurse) {
    AddUser("nurse@clinic.example", app::Role::kNurse);
    const PatientId ada = Register("MRN-1");
    const app::CourseRecord iv = StartCourse(ada);
    Result<app::TreatmentRoom> room =
        clinic().scheduling.CreateRoom(admin_, app::NewRoom{"Chair 3", clinical::RoomEquipment::kBoth, {}});
    ASSERT_TRUE(room.ok()) << room.error().ToString();
    // 15:00 on the fixture's day, within the default opening hours.
    const TimePoint start = std::chrono::sys_days{kCourseStart} + std::chrono::hours{15};
    Result<app::Appointment> booked =
        clinic().scheduling.Book(prescriber_,
                                 app::AppointmentRequest{clinical::AppointmentType::kIvSession, ada, start, room->id,
                                                         "nurse@clinic.example", iv.sessions.front().id, ""},
                                 settings_);
    ASSERT_TRUE(booked.ok()) << booked.error().ToString();
    const app::ClinicBoard board = Board();
    ASSERT_EQ(board.sessions.size(), 1U);
    ASSERT_TRUE(board.sessions[0].appointment.has_value());
    EXPECT_EQ(board.sessions[0].appointment->id, booked->id);
    ASSERT_TRUE(board.sessions[0].room.has_value());
    EXPECT_EQ(board.sessions[0].room->name, "Chair 3");
    ASSERT_TRUE(board.sessions[0].nurse_email.has_value());
    EXPECT_EQ(*board.sessions[0].nurse_email, "nurse@clinic.example");
}

TEST_P(ClinicViewsContractTest, TheChartGathersTheRecordAndDrawsTheOutcomeLinesFromTheRules) {
    AddUser("doctor@clinic.example", app::Role::kPrescriber);
    app::NewPatient registered = NewPatient("MRN-1");
    registered.clinician = "doctor@clinic.example";
    const PatientId ada = Register(registered);
    ASSERT_TRUE(clinic().history.AddDiagnosis(nurse_, ada, "F33.2").ok());
    Result<app::HistoryEntry> stopped = clinic().history.AddMedication(nurse_, ada, "sertraline 50 mg");
    ASSERT_TRUE(stopped.ok());
    ASSERT_TRUE(clinic().history.AddMedication(nurse_, ada, "bupropion 150 mg").ok());
    ASSERT_TRUE(clinic().history.StopMedication(nurse_, ada, stopped->id, kCourseStart, "tapered").ok());
    const app::CourseRecord course = StartCourse(ada);
    ASSERT_TRUE(clinic().sessions.Cancel(nurse_, course.sessions.back().id, "patient travelling").ok());
    ASSERT_TRUE(
        clinic().notes.Write(nurse_, ada, app::NewNote{app::NoteKind::kProgress, {}, {}, "Calm, oriented."}).ok());
    // PHQ-9 totals 18, a wrong 27 marked entered in error, then 4; no dose yet, so the latest valid total (4) is the
    // pre-treatment baseline.
    const auto score = [&](std::vector<int> answers) {
        clock_.Advance(minutes{1});
        Result<app::RecordedAssessment> recorded = clinic().patients.RecordAssessment(
            nurse_, ada, clinical::Instrument::kPhq9, answers, clock_.Now(), settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        return recorded.ok() ? recorded->assessment.id : app::AssessmentId{};
    };
    score({2, 2, 2, 2, 2, 2, 2, 2, 2});
    const app::AssessmentId wrong = score({3, 3, 3, 3, 3, 3, 3, 3, 3});
    ASSERT_TRUE(clinic().patients.MarkAssessmentEnteredInError(nurse_, ada, wrong, "another patient's form").ok());
    score({1, 1, 1, 1, 0, 0, 0, 0, 0});

    Result<app::PatientChart> chart = clinic().views.Chart(nurse_, ada, settings_);
    ASSERT_TRUE(chart.ok()) << chart.error().ToString();
    EXPECT_EQ(chart->patient.mrn, "MRN-1");
    EXPECT_EQ(chart->age, 46);
    ASSERT_TRUE(chart->clinician.has_value());
    EXPECT_EQ(chart->clinician->role, app::Role::kPrescriber);
    EXPECT_EQ(chart->history.size(), 3U);
    ASSERT_TRUE(chart->latest_screening.has_value());
    ASSERT_EQ(chart->courses.size(), 1U);
    EXPECT_EQ(chart->courses[0].sessions.size(), course.sessions.size());
    EXPECT_EQ(chart->courses[0].planned, static_cast<int>(course.sessions.size()) - 1);
    EXPECT_EQ(chart->courses[0].completed, 0);
    ASSERT_EQ(chart->notes.size(), 1U);
    EXPECT_EQ(chart->notes[0].body, "Calm, oriented.");
    ASSERT_EQ(chart->outcomes.size(), 1U);
    const app::OutcomeSeries& phq9 = chart->outcomes[0];
    EXPECT_EQ(phq9.instrument, clinical::Instrument::kPhq9);
    ASSERT_EQ(phq9.points.size(), 2U);
    EXPECT_EQ(phq9.points[0].total, 18);
    EXPECT_EQ(phq9.points[1].total, 4);
    ASSERT_TRUE(phq9.lines.has_value());
    EXPECT_EQ(phq9.lines->baseline_total, 4);
    EXPECT_EQ(phq9.lines->response_max_total, 2);
    EXPECT_EQ(phq9.lines->remission_max_total, 4);

    const app::AuditEntry last = Audit().back();
    EXPECT_EQ(last.action, "chart.read");
    EXPECT_EQ(last.patient_id, ada.value);

    const std::size_t audited = Audit().size();
    Result<app::PatientChart> missing = clinic().views.Chart(nurse_, PatientId{999}, settings_);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Audit().size(), audited);
}

// clinical-reference §1.2: response is measured against the score recorded before the first dose, so the chart's
// baseline is the latest valid total before it, not the first ever taken; with none before it there is no baseline.
TEST_P(ClinicViewsContractTest, TheChartsBaselineIsTheLatestTotalBeforeTheFirstDose) {
    const PatientId ada = Register("MRN-1");
    Weigh(ada);
    const app::CourseRecord course = StartCourse(ada, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const auto score = [&](clinical::Instrument instrument, const std::vector<int>& answers) {
        return Rate(ada, instrument, answers).assessment;
    };
    const auto chart = [&] {
        Result<app::PatientChart> read = clinic().views.Chart(nurse_, ada, settings_);
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return read.ok() ? *read : app::PatientChart{};
    };
    // PHQ-9 20 at intake, then 16 on the day of the first dose (a wrong 27 in between, marked entered in error).
    score(clinical::Instrument::kPhq9, {3, 3, 2, 2, 2, 2, 2, 2, 2});
    const app::Assessment wrong = score(clinical::Instrument::kPhq9, {3, 3, 3, 3, 3, 3, 3, 3, 3});
    ASSERT_TRUE(clinic().patients.MarkAssessmentEnteredInError(nurse_, ada, wrong.id, "another patient's form").ok());
    const app::Assessment before_dose = score(clinical::Instrument::kPhq9, {2, 2, 2, 2, 2, 2, 2, 2, 0});
    ASSERT_EQ(before_dose.total, 16);

    // No dose yet: every total is pre-treatment, the latest is the baseline.
    app::PatientChart read = chart();
    EXPECT_FALSE(read.first_dose_at.has_value());
    ASSERT_EQ(read.outcomes.size(), 1U);
    ASSERT_TRUE(read.outcomes[0].baseline.has_value());
    EXPECT_EQ(*read.outcomes[0].baseline, before_dose.id);

    const SessionId session = course.sessions.front().id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(ada, session, EsketamineRequest(56)));
    clock_.Advance(minutes{1});
    const TimePoint dosed_at = clock_.Now();
    const app::Administration first = Give(session, Devices(1, dosed_at));
    // After the dose: PHQ-9 7, and a first GAD-7 (no GAD-7 was taken before the dose).
    score(clinical::Instrument::kPhq9, {1, 1, 1, 1, 1, 1, 1, 0, 0});
    score(clinical::Instrument::kGad7, {2, 2, 2, 2, 2, 2, 2});

    read = chart();
    ASSERT_TRUE(read.first_dose_at.has_value());
    EXPECT_EQ(*read.first_dose_at, dosed_at);
    ASSERT_EQ(read.outcomes.size(), 2U);
    const app::OutcomeSeries& phq9 = read.outcomes[0];
    ASSERT_EQ(phq9.points.size(), 3U);
    ASSERT_TRUE(phq9.baseline.has_value());
    EXPECT_EQ(*phq9.baseline, before_dose.id);
    ASSERT_TRUE(phq9.lines.has_value());
    EXPECT_EQ(phq9.lines->baseline_total, 16);
    EXPECT_EQ(phq9.lines->response_max_total, 8);
    const app::OutcomeSeries& gad7 = read.outcomes[1];
    EXPECT_EQ(gad7.instrument, clinical::Instrument::kGad7);
    ASSERT_EQ(gad7.points.size(), 1U);
    EXPECT_FALSE(gad7.baseline.has_value());
    EXPECT_FALSE(gad7.lines.has_value());

    // A dose marked entered in error was not given: the treatment starts with the next valid one, and the scores
    // taken before that are pre-treatment.
    clock_.Advance(minutes{2});
    const TimePoint second_at = clock_.Now();
    Give(session, Devices(1, second_at));
    ASSERT_TRUE(
        clinic().doses.MarkAdministrationEnteredInError(nurse_, ada, first.id, "recorded on the wrong patient").ok());
    read = chart();
    ASSERT_TRUE(read.first_dose_at.has_value());
    EXPECT_EQ(*read.first_dose_at, second_at);
    ASSERT_EQ(read.outcomes.size(), 2U);
    ASSERT_TRUE(read.outcomes[0].lines.has_value());
    EXPECT_EQ(read.outcomes[0].lines->baseline_total, 7);
    ASSERT_TRUE(read.outcomes[1].lines.has_value());
    EXPECT_EQ(read.outcomes[1].lines->baseline_total, 14);
}

TEST_P(ClinicViewsContractTest, TheSessionScreenGathersTheSessionWithWhatTheRulesDecide) {
    AddUser("nurse@clinic.example", app::Role::kNurse);
    const PatientId ada = Register("MRN-1", "Ada", "Lovelace");
    const PatientId bob = Register("MRN-2", "Bob", "Byron");
    Weigh(ada);
    const app::CourseRecord course = StartCourse(ada, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const app::CourseRecord other = StartCourse(bob);
    const SessionId session = course.sessions.front().id;
    // A MOAA/S before check-in is no rating of the session.
    Rate(ada, clinical::Instrument::kMoaas, {5});
    clock_.Advance(minutes{1});

    ASSERT_NO_FATAL_FAILURE(StartDosing(ada, session, EsketamineRequest(56)));
    clock_.Advance(minutes{1});
    const TimePoint device_at = clock_.Now();
    Give(session, Devices(2, device_at));
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());
    clock_.Advance(minutes{10});
    const app::RecordedVitalSign heart = Vital(ada, "8867-4", 88, "/min");
    const app::RecordedVitalSign high = [&] {
        Result<app::RecordedVitalSign> recorded =
            clinic().patients.RecordVitalSign(nurse_, BloodPressure(ada, 185, 112, clock_.Now()), settings_);
        EXPECT_TRUE(recorded.ok()) << recorded.error().ToString();
        return recorded.ok() ? *recorded : app::RecordedVitalSign{};
    }();
    ASSERT_EQ(high.alerts.size(), 1U);
    ASSERT_TRUE(clinic().alerts.Acknowledge(nurse_, high.alerts.front().id, "rechecked").ok());
    const app::RecordedAssessment moaas = Rate(ada, clinical::Instrument::kMoaas, {4});
    const app::RecordedAssessment cadss = Rate(ada, clinical::Instrument::kCadss, std::vector<int>(23, 0));
    // A PHQ-9 is no in-session rating, but its item 9 raises an open suicidality alert of the patient.
    const app::RecordedAssessment phq9 = Rate(ada, clinical::Instrument::kPhq9, {1, 1, 1, 1, 1, 1, 1, 1, 1});
    ASSERT_FALSE(phq9.alerts.empty());
    // Bob's alert is not Ada's.
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(bob, other.sessions.front().id));
    Vital(bob, "8867-4", 130, "/min");
    app::NewAdverseEvent nausea;
    nausea.session = session;
    nausea.term = "nausea";
    nausea.grade = 1;
    nausea.onset_at = clock_.Now();
    nausea.actions = {clinical::AdverseEventAction::kNone};
    Result<app::AdverseEvent> event = clinic().adverse_events.Record(nurse_, ada, nausea);
    ASSERT_TRUE(event.ok()) << event.error().ToString();
    ASSERT_TRUE(clinic().sessions.Abort(nurse_, session, "patient asked to stop").ok());
    // A rating after the session ended is not the session's.
    Rate(ada, clinical::Instrument::kMoaas, {5});

    clinical::ClinicSettings settings = settings_;
    settings.monitoring.systolic_alert_at_or_above = 160;
    const std::size_t audited = Audit().size();
    Result<app::SessionScreen> screen = clinic().views.Session(nurse_, session, settings);
    ASSERT_TRUE(screen.ok()) << screen.error().ToString();
    EXPECT_EQ(screen->record.session.id, session);
    EXPECT_EQ(screen->record.session.state, clinical::SessionState::kAborted);
    ASSERT_TRUE(screen->record.dose_order.has_value());
    ASSERT_EQ(screen->record.administrations.size(), 1U);
    EXPECT_FALSE(screen->record.transitions.empty());
    EXPECT_EQ(screen->patient.id, ada);
    EXPECT_EQ(screen->age, 46);
    EXPECT_EQ(screen->course.id, course.course.id);
    EXPECT_EQ(screen->course.route, Route::kEsketamineNasal);
    ASSERT_TRUE(screen->first_dose_at.has_value());
    EXPECT_EQ(*screen->first_dose_at, device_at);
    ASSERT_TRUE(screen->earliest_discharge_at.has_value());
    EXPECT_EQ(*screen->earliest_discharge_at, device_at + minutes{clinical::kEsketamineMinMonitoringMinutes});
    // Every vital sign of the session, oldest first: the pre-dose BP CheckInAndConfirm took, the heart rate, the
    // high BP.
    ASSERT_EQ(screen->vitals.size(), 3U);
    EXPECT_EQ(screen->vitals[1].id, heart.vital.id);
    EXPECT_EQ(screen->vitals[2].id, high.vital.id);
    ASSERT_EQ(screen->scores.size(), 2U);
    EXPECT_EQ(screen->scores[0].id, moaas.assessment.id);
    EXPECT_EQ(screen->scores[1].id, cadss.assessment.id);
    // The session's alert (acknowledged) and the patient's open ones, in id order; none of Bob's.
    ASSERT_EQ(screen->alerts.size(), 1 + phq9.alerts.size());
    EXPECT_EQ(screen->alerts[0].id, high.alerts.front().id);
    EXPECT_TRUE(screen->alerts[0].acknowledged_at.has_value());
    EXPECT_EQ(screen->alerts[1].id, phq9.alerts.front().id);
    ASSERT_EQ(screen->adverse_events.size(), 1U);
    EXPECT_EQ(screen->adverse_events[0].id, event->id);
    // The thresholds are the settings in force, each named as the settings list names it, with its value there.
    ASSERT_EQ(screen->thresholds.size(), 7U);
    EXPECT_EQ(screen->thresholds[0].setting, "monitoring.systolic_alert_at_or_above");
    EXPECT_EQ(screen->thresholds[0].value, 160);
    EXPECT_EQ(screen->thresholds[0].unit, "mm[Hg]");
    const std::vector<clinical::SettingSpec> all = clinical::AllSettings(settings);
    for (const app::AlertThreshold& threshold : screen->thresholds) {
        const auto spec = std::ranges::find(all, threshold.setting, &clinical::SettingSpec::name);
        ASSERT_NE(spec, all.end()) << threshold.setting;
        EXPECT_EQ(spec->value, std::to_string(threshold.value)) << threshold.setting;
    }

    // One audit entry naming the session and its patient.
    const std::vector<app::AuditEntry> audit = Audit();
    ASSERT_EQ(audit.size(), audited + 1);
    EXPECT_EQ(audit.back().action, "session_screen.read");
    EXPECT_EQ(audit.back().record_id, session.value);
    EXPECT_EQ(audit.back().patient_id, ada.value);
    EXPECT_EQ(audit.back().actor, nurse_.user);

    Result<app::SessionScreen> missing = clinic().views.Session(nurse_, SessionId{999}, settings_);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Audit().size(), audited + 1);
}

TEST_P(ClinicViewsContractTest, TheScreenOfASessionNotYetCheckedInHasNoDoseNoReadingsAndNoRatings) {
    const PatientId ada = Register("MRN-1");
    const app::CourseRecord course = StartCourse(ada);
    const std::vector<int> responds_readily = {5};
    Result<app::RecordedAssessment> before = clinic().patients.RecordAssessment(
        nurse_, ada, clinical::Instrument::kMoaas, responds_readily, clock_.Now(), settings_);
    ASSERT_TRUE(before.ok()) << before.error().ToString();
    Result<app::SessionScreen> screen = clinic().views.Session(nurse_, course.sessions.front().id, settings_);
    ASSERT_TRUE(screen.ok()) << screen.error().ToString();
    EXPECT_EQ(screen->record.session.state, clinical::SessionState::kScheduled);
    EXPECT_FALSE(screen->record.dose_order.has_value());
    EXPECT_FALSE(screen->first_dose_at.has_value());
    EXPECT_FALSE(screen->earliest_discharge_at.has_value());
    EXPECT_TRUE(screen->vitals.empty());
    EXPECT_TRUE(screen->scores.empty());
    EXPECT_TRUE(screen->alerts.empty());
    EXPECT_TRUE(screen->adverse_events.empty());
    EXPECT_EQ(screen->course.route, Route::kIv);
}

TEST_P(ClinicViewsContractTest, TheStaffDirectoryListsActiveStaffOnlyAndIsNotAudited) {
    AddUser("nurse@clinic.example", app::Role::kNurse);
    AddUser("desk@clinic.example", app::Role::kFrontDesk);
    AddUser("gone@clinic.example", app::Role::kTherapist);
    const PatientId ada = Register("MRN-1");
    ASSERT_TRUE(
        clinic()
            .users
            .AddUser(admin_, app::NewUser{"ada@example.org", "Ada", app::Role::kPatient, "tulip-granite-lantern", ada})
            .ok());
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "gone@clinic.example").ok());
    const std::size_t audited = Audit().size();
    Result<std::vector<app::StaffMember>> staff = clinic().views.Staff();
    ASSERT_TRUE(staff.ok()) << staff.error().ToString();
    std::vector<std::string> emails;
    for (const app::StaffMember& member : *staff) {
        emails.push_back(member.email);
    }
    EXPECT_EQ(emails, (std::vector<std::string>{"nurse@clinic.example", "desk@clinic.example"}));
    EXPECT_EQ(Audit().size(), audited);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClinicViewsContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& param_info) { return std::string(BackendName(param_info.param)); });

}  // namespace
}  // namespace kclinic::adapters::storage::contract
