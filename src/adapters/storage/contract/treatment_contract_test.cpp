// The storage contract for the clinic record's third slice (treatment courses, the session state machine, dose
// orders, administrations): every case runs against a real SQLite file and a real PostgreSQL server, through the
// app layer's use cases, as in store_contract_test.cpp. Every refusal is checked to write nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::PatientId;
using app::SessionId;
using app::TimePoint;
using clinical::SessionState;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year;

class TreatmentContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-T");
        Weigh(patient_);
    }

    clinical::DoseRequest EsketamineRequest() {
        clinical::DoseRequest request;
        request.route = clinical::Route::kEsketamineNasal;
        request.weight_kg = 70;
        request.dose_mg = 56;
        request.first_dose = true;
        request.age_years = 46;
        return request;
    }

    const Actor frontdesk_{"desk@clinic.example", "10.0.0.9"};
    PatientId patient_;
};

TEST_P(TreatmentContractTest, StartsACourseWithItsPlannedSessions) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    ASSERT_EQ(course.sessions.size(), 6U);  // the default IV induction series
    Result<app::CourseRecord> read = clinic().courses.GetCourse(nurse_, course.course.id);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(read->course.indication, "treatment-resistant depression (F33.2)");
    EXPECT_EQ(read->course.protocol, clinical::Protocol::kIvInduction);
    EXPECT_EQ(read->course.route, clinical::Route::kIv);
    EXPECT_EQ(read->course.start_date, (sys_days{year{2026} / 9 / 21}));
    EXPECT_EQ(read->course.status, app::CourseStatus::kActive);
    EXPECT_EQ(read->course.started_by, "doctor@clinic.example");
    ASSERT_EQ(read->sessions.size(), 6U);
    EXPECT_EQ(read->sessions[1].planned_date, (sys_days{year{2026} / 9 / 24}));  // twice weekly: days 0, 3
    for (const app::TreatmentSession& session : read->sessions) {
        EXPECT_EQ(session.state, SessionState::kScheduled);
        EXPECT_EQ(session.phase, "induction");
        EXPECT_EQ(session.patient, patient_);
    }
    const std::vector<std::string> expected = {"patient.create", "weight.create", "course.create", "course.read"};
    EXPECT_EQ(AuditActions(), expected);
}

TEST_P(TreatmentContractTest, CourseInputIsRefusedWritingNothing) {
    const std::size_t audit_before = AuditActions().size();
    Result<app::CourseRecord> wrong_route = clinic().courses.StartCourse(
        prescriber_, patient_,
        app::NewCourse{"TRD", clinical::Protocol::kEsketamineTrd, clinical::Route::kIv, sys_days{year{2026} / 9 / 21}},
        settings_);
    ASSERT_FALSE(wrong_route.ok());
    EXPECT_EQ(wrong_route.error().field, "route");
    Result<app::CourseRecord> blank = clinic().courses.StartCourse(
        prescriber_, patient_,
        app::NewCourse{" ", clinical::Protocol::kIvInduction, clinical::Route::kIv, sys_days{year{2026} / 9 / 21}},
        settings_);
    ASSERT_FALSE(blank.ok());
    EXPECT_EQ(blank.error().field, "indication");
    Result<app::CourseRecord> no_patient = clinic().courses.StartCourse(
        prescriber_, PatientId{999},
        app::NewCourse{"TRD", clinical::Protocol::kIvInduction, clinical::Route::kIv, sys_days{year{2026} / 9 / 21}},
        settings_);
    ASSERT_FALSE(no_patient.ok());
    EXPECT_EQ(no_patient.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(AuditActions().size(), audit_before);
}

TEST_P(TreatmentContractTest, ListsAPatientsCoursesWithTheirSessions) {
    const app::CourseRecord iv = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    ASSERT_TRUE(clinic().courses.EndCourse(prescriber_, iv.course.id, "switched to esketamine").ok());
    const app::CourseRecord esketamine =
        StartCourse(patient_, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
    Result<app::Patient> other = clinic().patients.RegisterPatient(
        nurse_, app::NewPatient{"MRN-O", "Bo", "Other", sys_days{year{1990} / 1 / 2}, clinical::Sex::kMale});
    ASSERT_TRUE(other.ok()) << other.error().ToString();

    Result<std::vector<app::CourseRecord>> listed = clinic().courses.ListCourses(nurse_, patient_);
    ASSERT_TRUE(listed.ok()) << listed.error().ToString();
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].course.id, iv.course.id);
    EXPECT_EQ((*listed)[0].course.status, app::CourseStatus::kEnded);
    ASSERT_EQ((*listed)[0].sessions.size(), iv.sessions.size());
    EXPECT_EQ((*listed)[0].sessions[0].state, SessionState::kCancelled);
    EXPECT_EQ((*listed)[1].course.id, esketamine.course.id);
    ASSERT_EQ((*listed)[1].sessions.size(), esketamine.sessions.size());
    for (std::size_t i = 0; i < esketamine.sessions.size(); ++i) {
        EXPECT_EQ((*listed)[1].sessions[i].id, esketamine.sessions[i].id);
        EXPECT_EQ((*listed)[1].sessions[i].number, static_cast<int>(i + 1));
    }
    EXPECT_EQ(ReadAuditActions(store(), patient_.value).back(), "course.list");

    Result<std::vector<app::CourseRecord>> none = clinic().courses.ListCourses(nurse_, other->id);
    ASSERT_TRUE(none.ok()) << none.error().ToString();
    EXPECT_TRUE(none->empty());

    const std::size_t audit_before = AuditActions().size();
    Result<std::vector<app::CourseRecord>> missing = clinic().courses.ListCourses(nurse_, PatientId{999});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(AuditActions().size(), audit_before);
}

TEST_P(TreatmentContractTest, ListsTheSessionsPlannedOnADayAcrossPatients) {
    const app::CourseRecord first = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    Result<app::Patient> other = clinic().patients.RegisterPatient(
        nurse_, app::NewPatient{"MRN-O", "Bo", "Other", sys_days{year{1990} / 1 / 2}, clinical::Sex::kMale});
    ASSERT_TRUE(other.ok()) << other.error().ToString();
    // The other patient starts three days later, so their first session falls on this patient's second.
    SignedScreening(other->id, clinical::Product::kKetamineIv);
    Result<app::CourseRecord> second = clinic().courses.StartCourse(
        prescriber_, other->id,
        app::NewCourse{"TRD", clinical::Protocol::kIvInduction, clinical::Route::kIv, sys_days{year{2026} / 9 / 24}},
        settings_);
    ASSERT_TRUE(second.ok()) << second.error().ToString();
    ASSERT_GE(first.sessions.size(), 2u);
    ASSERT_TRUE(clinic().sessions.Cancel(nurse_, second->sessions[0].id, "patient unwell").ok());

    Result<std::vector<app::TreatmentSession>> day =
        clinic().sessions.ListSessionsOn(frontdesk_, sys_days{year{2026} / 9 / 24});
    ASSERT_TRUE(day.ok()) << day.error().ToString();
    ASSERT_EQ(day->size(), 2u);
    EXPECT_EQ((*day)[0].id, first.sessions[1].id);  // id order
    EXPECT_EQ((*day)[0].patient, patient_);
    EXPECT_EQ((*day)[0].state, SessionState::kScheduled);
    EXPECT_EQ((*day)[1].id, second->sessions[0].id);
    EXPECT_EQ((*day)[1].patient, other->id);
    EXPECT_EQ((*day)[1].state, SessionState::kCancelled);  // every state: the board shows cancellations too
    for (const app::TreatmentSession& session : *day) {
        EXPECT_EQ(session.planned_date, (sys_days{year{2026} / 9 / 24}));
    }
    const std::vector<app::AuditEntry> audit = ReadAudit(store());
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "session.list");
    EXPECT_EQ(audit.back().actor, "desk@clinic.example");
    EXPECT_EQ(audit.back().record_type, "session_day");
    EXPECT_EQ(audit.back().record_id, 20260924);
    EXPECT_EQ(audit.back().patient_id, 0);

    Result<std::vector<app::TreatmentSession>> empty =
        clinic().sessions.ListSessionsOn(frontdesk_, sys_days{year{2026} / 9 / 22});
    ASSERT_TRUE(empty.ok()) << empty.error().ToString();
    EXPECT_TRUE(empty->empty());
}

// A patient checked in late in the evening is still in the chair after midnight: the session stays on the next day's
// list (and on the clinic board, which reads it) until it ends, instead of vanishing from both at 00:00 while the
// patient is being monitored. Found when the demo clinic's session in monitoring, checked in 75 minutes before the
// demo started, was missing from the board of a demo started just after midnight.
TEST_P(TreatmentContractTest, ASessionStillInTheClinicStaysOnTheDaysListPastMidnight) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    ASSERT_FALSE(course.sessions.empty());
    const SessionId evening = course.sessions[0].id;  // planned for kCourseStart, 2026-09-21
    clock_.Set(app::TimePoint{sys_days{year{2026} / 9 / 21}} + std::chrono::hours{23} + std::chrono::minutes{5});
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, evening));
    const auto listed_on = [&](sys_days date) {
        Result<std::vector<app::TreatmentSession>> day = clinic().sessions.ListSessionsOn(frontdesk_, date);
        EXPECT_TRUE(day.ok()) << day.error().ToString();
        std::vector<std::int64_t> ids;
        for (const app::TreatmentSession& session : day.ok() ? *day : std::vector<app::TreatmentSession>{}) {
            ids.push_back(session.id.value);
        }
        return std::find(ids.begin(), ids.end(), evening.value) != ids.end();
    };
    EXPECT_TRUE(listed_on(sys_days{year{2026} / 9 / 21}));
    EXPECT_TRUE(listed_on(sys_days{year{2026} / 9 / 22})) << "still in the clinic after midnight";
    EXPECT_TRUE(listed_on(sys_days{year{2026} / 9 / 23})) << "still not ended two days later";
    EXPECT_FALSE(listed_on(sys_days{year{2026} / 9 / 20})) << "checked in after that day";

    clock_.Advance(std::chrono::hours{1});
    ASSERT_TRUE(clinic().sessions.Abort(nurse_, evening, "patient left against advice").ok());
    EXPECT_TRUE(listed_on(sys_days{year{2026} / 9 / 21})) << "checked in that day";
    EXPECT_FALSE(listed_on(sys_days{year{2026} / 9 / 22})) << "ended: gone from the later days";
}

TEST_P(TreatmentContractTest, PausedCourseRefusesCheckInAndEndingCancelsPlannedSessions) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    ASSERT_FALSE(course.sessions.empty());
    const SessionId first = course.sessions[0].id;
    Result<app::TreatmentCourse> paused =
        clinic().courses.PauseCourse(prescriber_, course.course.id, "patient travelling");
    ASSERT_TRUE(paused.ok()) << paused.error().ToString();
    EXPECT_EQ(paused->status, app::CourseStatus::kPaused);
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        first, [&] { return clinic().sessions.CheckIn(nurse_, first, true, true); }, "course_id");
    Result<app::TreatmentCourse> again = clinic().courses.PauseCourse(prescriber_, course.course.id, "again");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
    ASSERT_TRUE(clinic().courses.ResumeCourse(prescriber_, course.course.id).ok());
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, first, true, true).ok());

    Result<app::TreatmentCourse> ended = clinic().courses.EndCourse(prescriber_, course.course.id, "remission");
    ASSERT_TRUE(ended.ok()) << ended.error().ToString();
    EXPECT_EQ(ended->status_reason, "remission");
    Result<app::CourseRecord> read = clinic().courses.GetCourse(nurse_, course.course.id);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->course.status, app::CourseStatus::kEnded);
    EXPECT_EQ(read->sessions[0].state, SessionState::kCheckedIn);  // under way: left to its own state machine
    for (std::size_t i = 1; i < read->sessions.size(); ++i) {
        EXPECT_EQ(read->sessions[i].state, SessionState::kCancelled);
        EXPECT_EQ(read->sessions[i].state_reason, "course ended: remission");
    }
    Result<app::TreatmentCourse> after_end = clinic().courses.ResumeCourse(prescriber_, course.course.id);
    ASSERT_FALSE(after_end.ok());
    EXPECT_EQ(after_end.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(TreatmentContractTest, IvSessionHappyPathWithEachRefusal) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    ASSERT_FALSE(course.sessions.empty());
    const SessionId session = course.sessions[0].id;

    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.CheckIn(nurse_, session, true, false); }, "escort_confirmed");
    // Racemic ketamine's escort rule is clinic practice (clinical-reference §5.5), not the esketamine label's.
    const Result<app::TreatmentSession> no_escort = clinic().sessions.CheckIn(nurse_, session, true, false);
    ASSERT_FALSE(no_escort.ok());
    EXPECT_EQ(no_escort.error().message,
              "no escort home is confirmed; after racemic ketamine a responsible adult takes the patient home and the "
              "patient does not drive for the rest of the day (clinical-reference §5.5 [PRACTICE])");
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.CheckIn(nurse_, session, false, true); }, "consent_confirmed");
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.StartDosing(nurse_, session); }, "state");
    Result<app::TreatmentSession> checked_in = clinic().sessions.CheckIn(nurse_, session, true, true);
    ASSERT_TRUE(checked_in.ok()) << checked_in.error().ToString();
    EXPECT_EQ(checked_in->checked_in_at, kStart);

    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.ConfirmPreDose(nurse_, session, settings_); }, "pre_dose_bp");
    clock_.Advance(minutes{5});
    RecordBp(patient_, 128, 82);
    clock_.Advance(minutes{1});
    Result<app::TreatmentSession> pre_dose = clinic().sessions.ConfirmPreDose(nurse_, session, settings_);
    ASSERT_TRUE(pre_dose.ok()) << pre_dose.error().ToString();
    EXPECT_EQ(pre_dose->state, SessionState::kPreDoseOk);

    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.StartDosing(nurse_, session); }, "dose_order");
    ExpectRefusedWritingNothing<app::DoseOrderRecord>(
        session, [&] { return clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(1.5), settings_); },
        "mg_per_kg", ErrorCode::kOutOfRange);
    Result<app::DoseOrderRecord> order = clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(), settings_);
    ASSERT_TRUE(order.ok()) << order.error().ToString();
    EXPECT_DOUBLE_EQ(order->order.total_mg, 35.0);
    ExpectRefusedWritingNothing<app::DoseOrderRecord>(
        session, [&] { return clinic().doses.SignDoseOrder(prescriber_, session, IvRequest(), settings_); },
        "session_id");
    Result<app::TreatmentSession> dosing = clinic().sessions.StartDosing(nurse_, session);
    ASSERT_TRUE(dosing.ok()) << dosing.error().ToString();

    const TimePoint infusion_start = clock_.Now();
    app::NewAdministration infusion{"ketamine", clinical::Route::kIv, 35.0,        52.5, std::nullopt,
                                    "LOT-K-1",  infusion_start,       std::nullopt};
    app::NewAdministration too_much = infusion;
    too_much.dose_mg = 40;
    ExpectRefusedWritingNothing<app::Administration>(
        session, [&] { return clinic().doses.RecordAdministration(nurse_, session, too_much, settings_); }, "dose_mg");
    Result<app::Administration> running = clinic().doses.RecordAdministration(nurse_, session, infusion, settings_);
    ASSERT_TRUE(running.ok()) << running.error().ToString();
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.StartMonitoring(nurse_, session); }, "administration_ended_at");
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.Hold(nurse_, session, "BP"); }, "state");

    // The whole dose was given as one running infusion; a second session keeps the rest of this path short.
    const SessionId second = course.sessions[1].id;
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, second, true, true).ok());
    clock_.Advance(minutes{1});
    RecordBp(patient_, 150, 95);
    clock_.Advance(minutes{1});
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        second, [&] { return clinic().sessions.ConfirmPreDose(nurse_, second, settings_); }, "pre_dose_bp");
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        second, [&] { return clinic().sessions.Hold(nurse_, second, " "); }, "reason");
    Result<app::TreatmentSession> held = clinic().sessions.Hold(nurse_, second, "BP 150/95; recheck in 15 min");
    ASSERT_TRUE(held.ok()) << held.error().ToString();
    EXPECT_EQ(held->state_reason, "BP 150/95; recheck in 15 min");
    clock_.Advance(minutes{15});
    RecordBp(patient_, 134, 84);
    clock_.Advance(minutes{1});
    // The hold is over: its reason stays in the session's history, not on the session.
    Result<app::TreatmentSession> resumed = clinic().sessions.ConfirmPreDose(nurse_, second, settings_);
    ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
    EXPECT_EQ(resumed->state_reason, "");
    ASSERT_TRUE(clinic().doses.SignDoseOrder(prescriber_, second, IvRequest(), settings_).ok());
    ASSERT_TRUE(clinic().sessions.StartDosing(nurse_, second).ok());
    app::NewAdministration full = infusion;
    full.started_at = clock_.Now();
    Result<app::Administration> full_infusion = clinic().doses.RecordAdministration(nurse_, second, full, settings_);
    ASSERT_TRUE(full_infusion.ok()) << full_infusion.error().ToString();
    clock_.Advance(minutes{40});
    const TimePoint infusion_end = clock_.Now();
    ASSERT_TRUE(
        clinic()
            .doses
            .StopInfusion(nurse_, full_infusion->id, app::NewInfusionStop{infusion_end, 35.0, std::nullopt}, settings_)
            .ok());
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, second).ok());
    clock_.Advance(minutes{30});
    ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, second).ok());
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        second, [&] { return clinic().sessions.Discharge(nurse_, second, false); }, "discharge_criteria_confirmed");
    Result<app::TreatmentSession> discharged = clinic().sessions.Discharge(nurse_, second, true);
    ASSERT_TRUE(discharged.ok()) << discharged.error().ToString();
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        second, [&] { return clinic().sessions.Abort(nurse_, second, "late"); }, "state");

    Result<app::SessionRecord> read = clinic().sessions.GetSession(nurse_, second);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(read->session.state, SessionState::kDischarged);
    EXPECT_EQ(read->session.state_changed_by, "nurse@clinic.example");
    EXPECT_EQ(read->session.state_changed_at, clock_.Now());
    ASSERT_TRUE(read->dose_order.has_value());
    EXPECT_EQ(read->dose_order->prescriber, "doctor@clinic.example");
    EXPECT_EQ(read->dose_order->request.mg_per_kg, 0.5);
    EXPECT_EQ(read->dose_order->order.rate_mg_per_h, 52.5);
    EXPECT_EQ(read->dose_order->order.volume_ml, 3.5);
    ASSERT_EQ(read->administrations.size(), 1U);
    EXPECT_EQ(read->administrations[0].lot_number, "LOT-K-1");
    EXPECT_EQ(read->administrations[0].stopped_at, infusion_end);
    EXPECT_EQ(read->session.state_reason, "") << "a discharged session still shows its earlier hold's reason";
    const bool hold_kept = std::any_of(read->transitions.begin(), read->transitions.end(), [](const auto& step) {
        return step.to_state == SessionState::kHeld && step.reason == "BP 150/95; recheck in 15 min";
    });
    EXPECT_TRUE(hold_kept) << "the hold's reason is not in the session's history";

    // The first session, its infusion still running, is aborted with a reason.
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.Abort(nurse_, session, ""); }, "reason");
    Result<app::TreatmentSession> aborted = clinic().sessions.Abort(nurse_, session, "line tissued");
    ASSERT_TRUE(aborted.ok()) << aborted.error().ToString();
    EXPECT_EQ(aborted->state, SessionState::kAborted);
    EXPECT_EQ(StoredSession(session).session.state_reason, "line tissued");
}

TEST_P(TreatmentContractTest, EsketamineSessionHappyPathWithEachRefusal) {
    const app::CourseRecord course =
        StartCourse(patient_, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
    ASSERT_FALSE(course.sessions.empty());
    const SessionId session = course.sessions[0].id;
    const Result<app::TreatmentSession> no_escort = clinic().sessions.CheckIn(nurse_, session, true, false);
    ASSERT_FALSE(no_escort.ok());
    EXPECT_EQ(no_escort.error().message,
              "no escort home is confirmed; the patient must not drive until the next day after a restful sleep "
              "(Spravato USPI)");
    const std::size_t audit_start = AuditActions().size();
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
    clock_.Advance(minutes{2});
    RecordBp(patient_, 150, 95);
    clock_.Advance(minutes{1});
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.ConfirmPreDose(nurse_, session, settings_, ""); }, "bp_override");
    Result<app::TreatmentSession> overridden =
        clinic().sessions.ConfirmPreDose(prescriber_, session, settings_, "treated hypertension, stable for years");
    ASSERT_TRUE(overridden.ok()) << overridden.error().ToString();
    ASSERT_TRUE(StoredSession(session).session.bp_override.has_value());
    EXPECT_EQ(StoredSession(session).session.bp_override->prescriber, "doctor@clinic.example");

    clinical::DoseRequest iv_on_esketamine = IvRequest();
    ExpectRefusedWritingNothing<app::DoseOrderRecord>(
        session, [&] { return clinic().doses.SignDoseOrder(prescriber_, session, iv_on_esketamine, settings_); },
        "route", ErrorCode::kInvalidArgument);
    Result<app::DoseOrderRecord> order =
        clinic().doses.SignDoseOrder(prescriber_, session, EsketamineRequest(), settings_);
    ASSERT_TRUE(order.ok()) << order.error().ToString();
    EXPECT_EQ(order->order.devices, 2);
    ASSERT_TRUE(clinic().sessions.StartDosing(nurse_, session).ok());
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.StartMonitoring(nurse_, session); }, "first_esketamine_device_at");
    const TimePoint first_device = clock_.Now();
    app::NewAdministration devices{"esketamine", clinical::Route::kEsketamineNasal, 56.0, std::nullopt, 2, "LOT-S-9",
                                   first_device, first_device + minutes{5}};
    clock_.Advance(minutes{5});
    app::NewAdministration wrong_count = devices;
    wrong_count.device_count = 3;
    ExpectRefusedWritingNothing<app::Administration>(
        session, [&] { return clinic().doses.RecordAdministration(nurse_, session, wrong_count, settings_); },
        "dose_mg", ErrorCode::kInvalidArgument);
    ASSERT_TRUE(clinic().doses.RecordAdministration(nurse_, session, devices, settings_).ok());
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());

    clock_.Advance(minutes{90});  // 95 minutes since the first device
    const app::SessionRecord before = StoredSession(session);
    Result<app::TreatmentSession> early = clinic().sessions.ReadyForDischarge(nurse_, session);
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(early.error().message,
              "monitoring for 95 min since the first esketamine device; 120 min required (Spravato REMS)");
    EXPECT_EQ(StoredSession(session).session.state, before.session.state);
    clock_.Advance(minutes{25});
    ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, session).ok());
    ASSERT_TRUE(clinic().sessions.Discharge(nurse_, session, true).ok());

    std::vector<std::string> actions = AuditActions();
    actions.erase(actions.begin(), actions.begin() + static_cast<std::ptrdiff_t>(audit_start));
    const std::vector<std::string> expected = {
        "session.checked_in", "vital_sign.create",     "session.pre_dose_ok", "dose_order.sign",
        "session.dosing",     "administration.create", "session.monitoring",  "session.ready_for_discharge",
        "session.discharged", "rems_form.create"};  // one BP reading, one record: one vital_sign.create
    EXPECT_EQ(actions, expected);
}

// The pre-dose gate follows the intake rule for the patient's age: in the EU, 150/90 from 65 (EU SmPC), else 140/90.
TEST_P(TreatmentContractTest, PreDoseGateIsTheEuGateFromAge65InTheEuRegion) {
    Result<app::Patient> older = clinic().patients.RegisterPatient(
        nurse_, app::NewPatient{"MRN-65", "Grace", "Example", sys_days{year{1950} / 1 / 2}, clinical::Sex::kFemale});
    ASSERT_TRUE(older.ok()) << older.error().ToString();
    patient_ = older->id;
    const app::CourseRecord course =
        StartCourse(patient_, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
    ASSERT_GE(course.sessions.size(), 1U);
    const SessionId session = course.sessions[0].id;
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
    clock_.Advance(minutes{2});
    RecordBp(patient_, 145, 85);
    clock_.Advance(minutes{1});
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.ConfirmPreDose(nurse_, session, settings_); }, "pre_dose_bp");
    clinical::ClinicSettings eu = settings_;
    eu.region = clinical::Region::kEu;
    Result<app::TreatmentSession> confirmed = clinic().sessions.ConfirmPreDose(nurse_, session, eu);
    ASSERT_TRUE(confirmed.ok()) << confirmed.error().ToString();
    EXPECT_FALSE(confirmed->bp_override.has_value());
}

TEST_P(TreatmentContractTest, CancelsFromScheduledAndNothingFollows) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kIvInduction, clinical::Route::kIv);
    ASSERT_FALSE(course.sessions.empty());
    const SessionId session = course.sessions[0].id;
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.Cancel(nurse_, session, ""); }, "reason");
    Result<app::TreatmentSession> cancelled = clinic().sessions.Cancel(nurse_, session, "patient unwell");
    ASSERT_TRUE(cancelled.ok()) << cancelled.error().ToString();
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.CheckIn(nurse_, session, true, true); }, "state");
    Result<app::TreatmentSession> missing = clinic().sessions.CheckIn(nurse_, SessionId{9999}, true, true);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, TreatmentContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
