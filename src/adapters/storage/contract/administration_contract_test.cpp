// The contract of what may be given in a treatment session and how an infusion ends (issue 10 §2), on a real SQLite
// file and a real PostgreSQL server through the app layer's use cases: only the ordered drug counts toward the
// order, an IV infusion ends with its own step (the actual end and the amount given; far faster than ordered needs a
// prescriber's reason), other medications are session medications, and the first esketamine dose of a course
// follows the label from the record. Every refusal is checked to write nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using app::TimePoint;
using clinical::Route;
using std::chrono::minutes;
using std::chrono::seconds;

class AdministrationContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-A");
        Weigh(patient_);
    }

    // The whole 35-mg infusion of IvRequest(), running from `start`; StartInfusion records it from now.
    static app::NewAdministration Infusion(TimePoint start) {
        return app::NewAdministration{"ketamine", Route::kIv, 35.0, 52.5, std::nullopt, "LOT-K-1", start, std::nullopt};
    }
    app::AdministrationId StartInfusion(SessionId session) {
        Result<app::Administration> running =
            clinic().doses.RecordAdministration(nurse_, session, Infusion(clock_.Now()), settings_);
        EXPECT_TRUE(running.ok()) << running.error().ToString();
        return running.ok() ? running->id : app::AdministrationId{};
    }

    app::SessionRecord Read(SessionId session) {
        Result<app::SessionRecord> read = clinic().sessions.GetSession(nurse_, session);
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return read.ok() ? *read : app::SessionRecord{};
    }

    PatientId patient_;
};

// The demo's 40-minute order was recorded as given in 11 seconds: an infusion is not recorded as ended with its
// start; it ends with its own step.
TEST_P(AdministrationContractTest, AnInfusionIsNotRecordedAsEndedWithItsStart) {
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, IvRequest()));
    app::NewAdministration in_eleven_seconds = Infusion(clock_.Now());
    clock_.Advance(seconds{11});
    in_eleven_seconds.stopped_at = clock_.Now();
    ExpectRefusedWritingNothing<app::Administration>(
        session, [&] { return clinic().doses.RecordAdministration(nurse_, session, in_eleven_seconds, settings_); },
        "stopped_at", ErrorCode::kInvalidArgument);
}

// The running infusion blocks monitoring until it is stopped; the stop records the actual end and the amount given
// (with its volume at the order's 10 mg/mL), and it counts toward the order as given.
TEST_P(AdministrationContractTest, AnInfusionEndsWithItsOwnStep) {
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, IvRequest()));
    const app::AdministrationId running = StartInfusion(session);
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.StartMonitoring(nurse_, session); }, "administration_ended_at",
        ErrorCode::kFailedPrecondition);

    clock_.Advance(minutes{30});
    const TimePoint pump_alarm = clock_.Now();
    clock_.Advance(minutes{2});
    ExpectRefusedWritingNothing<app::Administration>(
        session,
        [&] {
            return clinic().doses.StopInfusion(nurse_, running, app::NewInfusionStop{pump_alarm, 40, std::nullopt},
                                               settings_);
        },
        "given_mg", ErrorCode::kOutOfRange);
    ExpectRefusedWritingNothing<app::Administration>(
        session,
        [&] {
            return clinic().doses.StopInfusion(
                nurse_, running, app::NewInfusionStop{clock_.Now() + minutes{10}, 20, std::nullopt}, settings_);
        },
        "stopped_at", ErrorCode::kInvalidArgument);  // in the future
    ExpectRefusedWritingNothing<app::Administration>(
        session,
        [&] {
            return clinic().doses.StopInfusion(
                nurse_, running,
                app::NewInfusionStop{pump_alarm, 26.25, "not needed", clinical::InfusionStopReason::kAdverseReaction},
                settings_);
        },
        "fast_infusion_reason", ErrorCode::kInvalidArgument);
    // Issue 15 §7: less than the whole dose says why it stopped early.
    ExpectRefusedWritingNothing<app::Administration>(
        session,
        [&] {
            return clinic().doses.StopInfusion(nurse_, running, app::NewInfusionStop{pump_alarm, 26.25, std::nullopt},
                                               settings_);
        },
        "early_stop_reason", ErrorCode::kFailedPrecondition);
    // Stopped after 30 of the 40 minutes for a reaction, with three quarters of the dose given.
    Result<app::Administration> stopped = clinic().doses.StopInfusion(
        nurse_, running,
        app::NewInfusionStop{pump_alarm, 26.25, std::nullopt, clinical::InfusionStopReason::kAdverseReaction},
        settings_);
    ASSERT_TRUE(stopped.ok()) << stopped.error().ToString();
    ASSERT_TRUE(stopped->stop.has_value());
    EXPECT_EQ(stopped->stopped_at, pump_alarm);
    ExpectRefusedWritingNothing<app::Administration>(
        session,
        [&] {
            return clinic().doses.StopInfusion(nurse_, running, app::NewInfusionStop{pump_alarm, 26.25, std::nullopt},
                                               settings_);
        },
        "administration_id", ErrorCode::kFailedPrecondition);

    const app::SessionRecord read = Read(session);
    ASSERT_EQ(read.administrations.size(), 1U);
    const app::Administration& infusion = read.administrations[0];
    EXPECT_EQ(infusion.dose_mg, 35.0);  // as started
    EXPECT_EQ(infusion.stopped_at, pump_alarm);
    ASSERT_TRUE(infusion.stop.has_value());
    EXPECT_EQ(infusion.stop->stopped_at, pump_alarm);
    EXPECT_DOUBLE_EQ(infusion.stop->given_mg, 26.25);
    EXPECT_EQ(infusion.stop->given_ml, std::optional<double>(2.63));
    EXPECT_FALSE(infusion.stop->fast_infusion_accepted.has_value());
    EXPECT_EQ(infusion.stop->early_stop_reason, clinical::InfusionStopReason::kAdverseReaction);
    EXPECT_FALSE(infusion.stop->late_entry);
    EXPECT_EQ(infusion.stop->recorded_at, clock_.Now());
    EXPECT_EQ(infusion.stop->recorded_by, "nurse@clinic.example");

    // What was given counts toward the order: the remaining 8.75 mg may still be given, not more.
    app::NewAdministration rest = Infusion(clock_.Now());
    rest.dose_mg = 8.75;
    app::NewAdministration too_much = rest;
    too_much.dose_mg = 9;
    ExpectRefusedWritingNothing<app::Administration>(
        session, [&] { return clinic().doses.RecordAdministration(nurse_, session, too_much, settings_); }, "dose_mg",
        ErrorCode::kFailedPrecondition);
    Result<app::Administration> second = clinic().doses.RecordAdministration(nurse_, session, rest, settings_);
    ASSERT_TRUE(second.ok()) << second.error().ToString();
    clock_.Advance(minutes{10});
    ASSERT_TRUE(
        clinic()
            .doses.StopInfusion(nurse_, second->id, app::NewInfusionStop{clock_.Now(), 8.75, std::nullopt}, settings_)
            .ok());
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());

    const std::vector<std::string> actions = AuditActions(patient_.value);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "administration.stop"), 2);
}

// The demo's 40-minute order given in 11 seconds: refused unless a prescriber accepts it with a reason, which the
// stop keeps with the prescriber's name.
TEST_P(AdministrationContractTest, AnInfusionFarFasterThanOrderedNeedsAPrescribersReason) {
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, IvRequest()));
    const app::AdministrationId running = StartInfusion(session);
    clock_.Advance(seconds{11});
    const app::NewInfusionStop in_eleven_seconds{clock_.Now(), 35, std::nullopt};
    ExpectRefusedWritingNothing<app::Administration>(
        session, [&] { return clinic().doses.StopInfusion(nurse_, running, in_eleven_seconds, settings_); },
        "stopped_at", ErrorCode::kFailedPrecondition);
    ExpectRefusedWritingNothing<app::TreatmentSession>(
        session, [&] { return clinic().sessions.StartMonitoring(nurse_, session); }, "administration_ended_at",
        ErrorCode::kFailedPrecondition);
    app::NewInfusionStop accepted = in_eleven_seconds;
    accepted.fast_infusion_reason = "pump programmed as a bolus; patient observed, vitals stable";
    Result<app::Administration> stopped = clinic().doses.StopInfusion(prescriber_, running, accepted, settings_);
    ASSERT_TRUE(stopped.ok()) << stopped.error().ToString();
    const app::SessionRecord read = Read(session);
    ASSERT_EQ(read.administrations.size(), 1U);
    ASSERT_TRUE(read.administrations[0].stop.has_value());
    ASSERT_TRUE(read.administrations[0].stop->fast_infusion_accepted.has_value());
    EXPECT_EQ(read.administrations[0].stop->fast_infusion_accepted->prescriber, "doctor@clinic.example");
    EXPECT_EQ(read.administrations[0].stop->fast_infusion_accepted->reason,
              "pump programmed as a bolus; patient observed, vitals stable");
    EXPECT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());
}

// An esketamine administration is not an infusion: nothing to stop.
TEST_P(AdministrationContractTest, OnlyAnIvInfusionIsStopped) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, EsketamineRequest(56)));
    Result<app::Administration> devices = clinic().doses.RecordAdministration(
        nurse_, session,
        app::NewAdministration{"esketamine", Route::kEsketamineNasal, 56.0, std::nullopt, 2, "LOT-S-1", clock_.Now(),
                               std::nullopt},
        settings_);
    ASSERT_TRUE(devices.ok()) << devices.error().ToString();
    ExpectRefusedWritingNothing<app::Administration>(
        session,
        [&] {
            return clinic().doses.StopInfusion(nurse_, devices->id,
                                               app::NewInfusionStop{clock_.Now(), 56, std::nullopt}, settings_);
        },
        "administration_id", ErrorCode::kFailedPrecondition);
    Result<app::Administration> unknown =
        clinic().doses.StopInfusion(nurse_, app::AdministrationId{devices->id.value + 100},
                                    app::NewInfusionStop{clock_.Now(), 1, std::nullopt}, settings_);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

// Ondansetron for nausea and midazolam for agitation are session medications: their own records, shown with the
// session, never part of the ketamine total; ketamine itself is never one.
TEST_P(AdministrationContractTest, OtherMedicationsAreRecordedApartFromTheOrder) {
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    const app::NewSessionMedication before_check_in{"ondansetron",
                                                    4,
                                                    clinical::MedicationUnit::kMg,
                                                    clinical::MedicationRoute::kPo,
                                                    clock_.Now(),
                                                    "nausea",
                                                    clinical::MedicationOrderKind::kPrn};
    ExpectRefusedWritingNothing<app::SessionMedication>(
        session, [&] { return clinic().doses.RecordSessionMedication(nurse_, session, before_check_in, settings_); },
        "session_id", ErrorCode::kFailedPrecondition);
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, IvRequest()));
    const TimePoint start = clock_.Now();
    const app::AdministrationId infusion = StartInfusion(session);
    clock_.Advance(minutes{15});
    app::NewSessionMedication ondansetron = before_check_in;
    ondansetron.given_at = clock_.Now();
    app::NewSessionMedication ketamine = ondansetron;
    ketamine.drug = "Ketamine";
    ExpectRefusedWritingNothing<app::SessionMedication>(
        session, [&] { return clinic().doses.RecordSessionMedication(nurse_, session, ketamine, settings_); }, "drug",
        ErrorCode::kInvalidArgument);
    // A free-form entry cannot claim a standing order: only a PRN dose under the order set is checked against it.
    app::NewSessionMedication claims_standing_order = ondansetron;
    claims_standing_order.order_kind = clinical::MedicationOrderKind::kStandingOrder;
    ExpectRefusedWritingNothing<app::SessionMedication>(
        session,
        [&] { return clinic().doses.RecordSessionMedication(nurse_, session, claims_standing_order, settings_); },
        "order_kind", ErrorCode::kInvalidArgument);
    app::NewSessionMedication no_indication = ondansetron;
    no_indication.indication = " ";
    ExpectRefusedWritingNothing<app::SessionMedication>(
        session, [&] { return clinic().doses.RecordSessionMedication(nurse_, session, no_indication, settings_); },
        "indication", ErrorCode::kInvalidArgument);
    app::NewSessionMedication before_the_session = ondansetron;
    before_the_session.given_at = start - minutes{10};  // before check-in
    ExpectRefusedWritingNothing<app::SessionMedication>(
        session, [&] { return clinic().doses.RecordSessionMedication(nurse_, session, before_the_session, settings_); },
        "given_at", ErrorCode::kInvalidArgument);
    Result<app::SessionMedication> given =
        clinic().doses.RecordSessionMedication(nurse_, session, ondansetron, settings_);
    ASSERT_TRUE(given.ok()) << given.error().ToString();
    clock_.Advance(minutes{5});
    const app::NewSessionMedication midazolam{"midazolam",
                                              1,
                                              clinical::MedicationUnit::kMg,
                                              clinical::MedicationRoute::kIv,
                                              clock_.Now() - minutes{1},
                                              "agitation during the infusion",
                                              clinical::MedicationOrderKind::kPrn};
    ASSERT_TRUE(clinic().doses.RecordSessionMedication(prescriber_, session, midazolam, settings_).ok());

    const app::SessionRecord read = Read(session);
    ASSERT_EQ(read.medications.size(), 2U);
    EXPECT_EQ(read.medications[0].id, given->id);
    EXPECT_EQ(read.medications[0].drug, "ondansetron");
    EXPECT_EQ(read.medications[0].dose, 4);
    EXPECT_EQ(read.medications[0].unit, clinical::MedicationUnit::kMg);
    EXPECT_EQ(read.medications[0].route, clinical::MedicationRoute::kPo);
    EXPECT_EQ(read.medications[0].indication, "nausea");
    EXPECT_EQ(read.medications[0].order_kind, clinical::MedicationOrderKind::kPrn);
    EXPECT_EQ(read.medications[0].recorded_by, "nurse@clinic.example");
    EXPECT_EQ(read.medications[1].drug, "midazolam");
    EXPECT_EQ(read.medications[1].route, clinical::MedicationRoute::kIv);
    EXPECT_EQ(read.medications[1].recorded_by, "doctor@clinic.example");
    ASSERT_EQ(read.administrations.size(), 1U);  // the ketamine total is the infusion alone

    // The session record ends at discharge: nothing is recorded as given after it.
    clock_.Advance(minutes{20});
    ASSERT_TRUE(
        clinic()
            .doses.StopInfusion(nurse_, infusion, app::NewInfusionStop{clock_.Now(), 35, std::nullopt}, settings_)
            .ok());
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());
    clock_.Advance(minutes{30});
    ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, session).ok());
    ASSERT_TRUE(clinic().sessions.Discharge(nurse_, session, true).ok());
    clock_.Advance(minutes{10});
    app::NewSessionMedication after_discharge = ondansetron;
    after_discharge.given_at = clock_.Now() - minutes{1};
    ExpectRefusedWritingNothing<app::SessionMedication>(
        session, [&] { return clinic().doses.RecordSessionMedication(nurse_, session, after_discharge, settings_); },
        "given_at", ErrorCode::kInvalidArgument);
    // Documented later, within the session, it is a late entry.
    app::NewSessionMedication documented_late = ondansetron;
    documented_late.drug = "labetalol";
    documented_late.dose = 10;
    documented_late.route = clinical::MedicationRoute::kIv;
    documented_late.indication = "BP 182/100 during monitoring";
    documented_late.given_at = clock_.Now() - minutes{45};
    Result<app::SessionMedication> late =
        clinic().doses.RecordSessionMedication(nurse_, session, documented_late, settings_);
    ASSERT_TRUE(late.ok()) << late.error().ToString();
    EXPECT_TRUE(late->late_entry);
    EXPECT_FALSE(given->late_entry);
}

// A benzodiazepine given during an esketamine session ticks the REMS form's concomitant-medication box.
TEST_P(AdministrationContractTest, TheRemsFormCountsABenzodiazepineGivenDuringTheSession) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, EsketamineRequest(56)));
    ASSERT_TRUE(
        clinic()
            .doses
            .RecordAdministration(nurse_, session,
                                  app::NewAdministration{"esketamine", Route::kEsketamineNasal, 56.0, std::nullopt, 2,
                                                         "LOT-S-1", clock_.Now(), std::nullopt},
                                  settings_)
            .ok());
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, session).ok());
    clock_.Advance(minutes{30});
    ASSERT_TRUE(clinic()
                    .doses
                    .RecordSessionMedication(nurse_, session,
                                             app::NewSessionMedication{"lorazepam", 1, clinical::MedicationUnit::kMg,
                                                                       clinical::MedicationRoute::kSl, clock_.Now(),
                                                                       "anxiety", clinical::MedicationOrderKind::kPrn},
                                             settings_)
                    .ok());
    clock_.Advance(minutes{91});
    ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, session).ok());
    ASSERT_TRUE(clinic().sessions.Discharge(nurse_, session, true).ok());
    settings_.rems.healthcare_setting = "Clinic";  // its REMS certification
    Result<app::RemsFormView> form = clinic().rems.GetForm(nurse_, session, settings_);
    ASSERT_TRUE(form.ok()) << form.error().ToString();
    EXPECT_TRUE(form->form.monitoring.concomitant.benzodiazepine);
    EXPECT_FALSE(form->form.monitoring.concomitant.opioid);
}

TEST_P(AdministrationContractTest, KetamineOnAnEsketamineSessionIsRefused) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, EsketamineRequest(56)));
    const app::NewAdministration ketamine{
        "ketamine", Route::kEsketamineNasal, 56.0, std::nullopt, 2, "LOT-K-2", clock_.Now(), std::nullopt};
    ExpectRefusedWritingNothing<app::Administration>(
        session, [&] { return clinic().doses.RecordAdministration(nurse_, session, ketamine, settings_); }, "drug",
        ErrorCode::kInvalidArgument);
    app::NewAdministration esketamine = ketamine;
    esketamine.drug = "esketamine";
    ASSERT_TRUE(clinic().doses.RecordAdministration(nurse_, session, esketamine, settings_).ok());
}

TEST_P(AdministrationContractTest, EsketamineOnAnIvSessionIsRefused) {
    const app::CourseRecord course = StartCourse(patient_);
    const SessionId session = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(StartDosing(patient_, session, IvRequest()));
    const app::NewAdministration esketamine{"esketamine", Route::kIv, 35.0,         52.5,
                                            std::nullopt, "LOT-S-1",  clock_.Now(), std::nullopt};
    ExpectRefusedWritingNothing<app::Administration>(
        session, [&] { return clinic().doses.RecordAdministration(nurse_, session, esketamine, settings_); }, "drug",
        ErrorCode::kInvalidArgument);
}

// Spravato USPI §2.2: the first TRD dose is 56 mg. The record knows which session is the course's first treatment,
// whatever the caller says.
TEST_P(AdministrationContractTest, TheFirstEsketamineDoseOfACourseFollowsTheLabelFromTheRecord) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const SessionId first = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, first));
    ExpectRefusedWritingNothing<app::DoseOrderRecord>(
        first, [&] { return clinic().doses.SignDoseOrder(prescriber_, first, EsketamineRequest(84), settings_); },
        "dose_mg", ErrorCode::kInvalidArgument);
    Result<app::DoseOrderRecord> order =
        clinic().doses.SignDoseOrder(prescriber_, first, EsketamineRequest(56), settings_);
    ASSERT_TRUE(order.ok()) << order.error().ToString();
    EXPECT_TRUE(order->request.first_dose);  // derived from the record, and stored so
    ASSERT_TRUE(clinic().sessions.StartDosing(nurse_, first).ok());
    const TimePoint device = clock_.Now();
    ASSERT_TRUE(clinic()
                    .doses
                    .RecordAdministration(nurse_, first,
                                          app::NewAdministration{"esketamine", Route::kEsketamineNasal, 56.0,
                                                                 std::nullopt, 2, "LOT-S-1", device, std::nullopt},
                                          settings_)
                    .ok());
    ASSERT_TRUE(clinic().sessions.StartMonitoring(nurse_, first).ok());
    clock_.Advance(minutes{121});
    ASSERT_TRUE(clinic().sessions.ReadyForDischarge(nurse_, first).ok());
    ASSERT_TRUE(clinic().sessions.Discharge(nurse_, first, true).ok());

    // The second session is not the first treatment: a caller who says it is is refused, and 84 mg is allowed.
    clock_.Advance(std::chrono::hours{72});
    const SessionId second = course.sessions[1].id;
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, second));
    clinical::DoseRequest claimed_first = EsketamineRequest(56);
    claimed_first.first_dose = true;
    ExpectRefusedWritingNothing<app::DoseOrderRecord>(
        second, [&] { return clinic().doses.SignDoseOrder(prescriber_, second, claimed_first, settings_); },
        "first_dose", ErrorCode::kInvalidArgument);
    Result<app::DoseOrderRecord> raised =
        clinic().doses.SignDoseOrder(prescriber_, second, EsketamineRequest(84), settings_);
    ASSERT_TRUE(raised.ok()) << raised.error().ToString();
    EXPECT_FALSE(raised->request.first_dose);
}

// A session checked in but never dosed is not a treatment: the next session is still the first.
TEST_P(AdministrationContractTest, ASessionWithoutAnAdministrationIsNotTheFirstTreatment) {
    const app::CourseRecord course = StartCourse(patient_, clinical::Protocol::kEsketamineTrd, Route::kEsketamineNasal);
    const SessionId cancelled = course.sessions[0].id;
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, cancelled));
    ASSERT_TRUE(clinic().sessions.Cancel(nurse_, cancelled, "patient unwell").ok());
    clock_.Advance(std::chrono::hours{72});
    const SessionId next = course.sessions[1].id;
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient_, next));
    ExpectRefusedWritingNothing<app::DoseOrderRecord>(
        next, [&] { return clinic().doses.SignDoseOrder(prescriber_, next, EsketamineRequest(84), settings_); },
        "dose_mg", ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdministrationContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
