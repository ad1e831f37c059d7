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

    // Another day has its own sessions: the second induction session is planned later.
    const std::chrono::sys_days later = iv.sessions[1].planned_date;
    const app::ClinicBoard other_day = Board(later);
    ASSERT_FALSE(other_day.sessions.empty());
    for (const app::BoardSession& entry : other_day.sessions) {
        EXPECT_EQ(entry.session.planned_date, later);
    }
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
    // PHQ-9 totals 18 (baseline), a wrong 27 marked entered in error, then 4.
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
    EXPECT_EQ(phq9.lines->baseline_total, 18);
    EXPECT_EQ(phq9.lines->response_max_total, 9);
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
