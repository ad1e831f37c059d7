// Standing orders and PRN doses through their use cases (app::StandingOrders), on a real SQLite file and a real
// PostgreSQL server (issue 14 §1): versions supersede each other and the set in force at a time or on a day reads
// back; every rule a PRN dose must pass refuses on both backends and writes nothing; a one-off order covers what the
// record speaks against only when the prescriber acknowledges it; a response is recorded once; PRN doses are session
// medications, never part of the ketamine total.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/recording_export_sink.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/record_export.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using app::TimePoint;
using clinical::MedicationRoute;
using clinical::MedicationUnit;
using std::chrono::minutes;

clinical::PrnOrderTerms Ondansetron() {
    return {"ondansetron",
            4,
            MedicationUnit::kMg,
            {MedicationRoute::kIv, MedicationRoute::kOdt},
            "nausea",
            std::nullopt,
            2,
            8,
            30};
}

clinical::PrnOrderTerms Labetalol() {
    return {"labetalol",
            10,
            MedicationUnit::kMg,
            {MedicationRoute::kIv},
            "SBP above threshold",
            clinical::SbpCondition{160, 10},
            3,
            30,
            10};
}

clinical::PrnOrderTerms Clonidine() {
    return {"clonidine",
            0.1,
            MedicationUnit::kMg,
            {MedicationRoute::kPo},
            "SBP above threshold",
            clinical::SbpCondition{170, 15},
            1,
            std::nullopt,
            0};
}

class StandingOrderContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-PRN");
        Weigh(patient_);
    }

    app::StandingOrders& orders() { return clinic().standing_orders; }

    app::StandingOrderSet Sign(std::vector<clinical::PrnOrderTerms> entries, int supersedes) {
        Result<app::StandingOrderSet> set =
            orders().SignSet(prescriber_, app::NewStandingOrderSet{std::move(entries), "", supersedes});
        EXPECT_TRUE(set.ok()) << set.error().ToString();
        return set.ok() ? *set : app::StandingOrderSet{};
    }

    // A session of a new IV course, checked in and dosing; the standing orders ondansetron (1) and labetalol (2).
    SessionId DosingSession() {
        const app::CourseRecord course = StartCourse(patient_);
        const SessionId session = course.sessions[0].id;
        EXPECT_NO_FATAL_FAILURE(StartDosing(patient_, session, IvRequest()));
        return session;
    }

    app::NewPrnDose Entry(int number, double dose, MedicationRoute route, std::string indication) {
        app::NewPrnDose prn;
        prn.entry_number = number;
        prn.dose = dose;
        prn.unit = MedicationUnit::kMg;
        prn.route = route;
        prn.indication = std::move(indication);
        prn.given_at = clock_.Now();
        return prn;
    }

    Result<app::PrnDose> Give(SessionId session, const app::NewPrnDose& dose) {
        return orders().GivePrnDose(nurse_, session, dose, settings_);
    }

    // Expects `dose` refused with `code` on `field` and a message that starts with `rule`, with nothing written.
    void ExpectRefused(SessionId session, const app::NewPrnDose& dose, ErrorCode code, const std::string& field,
                       const std::string& rule) {
        const std::size_t medications = StoredSession(session).medications.size();
        const std::size_t audit = AuditActions().size();
        const Result<app::PrnDose> refused = Give(session, dose);
        ASSERT_TRUE(IsRefusal(refused, code, field));
        EXPECT_EQ(refused.error().message.rfind(rule, 0), 0U) << refused.error().message;
        EXPECT_EQ(StoredSession(session).medications.size(), medications);
        EXPECT_EQ(AuditActions().size(), audit);
    }

    PatientId patient_;
};

TEST_P(StandingOrderContractTest, VersionsSupersedeAndTheSetInForceReadsBack) {
    EXPECT_TRUE(IsRefusal(orders().SetInForce(clock_.Now()), ErrorCode::kNotFound, "at"));
    const app::StandingOrderSet first = Sign({Ondansetron()}, 0);
    EXPECT_EQ(first.version, 1);
    const TimePoint first_in_force = clock_.Now();
    clock_.Advance(std::chrono::hours{26});
    // A stale edit (superseding version 0 again) is refused; so is an invalid entry; neither writes.
    EXPECT_TRUE(IsRefusal(orders().SignSet(prescriber_, {{Labetalol()}, "", 0}), ErrorCode::kConflict, "version"));
    clinical::PrnOrderTerms bad = Labetalol();
    bad.sbp_condition->systolic_at_or_above_mmhg = 120;
    EXPECT_TRUE(IsRefusal(orders().SignSet(prescriber_, {{Ondansetron(), bad}, "", 1}), ErrorCode::kOutOfRange,
                          "entries[1].sbp_condition.systolic_at_or_above_mmhg"));
    const app::StandingOrderSet second = Sign({Ondansetron(), Labetalol()}, 1);
    EXPECT_EQ(second.version, 2);

    Result<app::StandingOrderSet> then = orders().SetInForce(first_in_force + minutes{1});
    ASSERT_TRUE(then.ok()) << then.error().ToString();
    EXPECT_EQ(then->version, 1);
    ASSERT_EQ(then->entries.size(), 1U);
    EXPECT_EQ(then->entries[0].terms.drug, "ondansetron");
    EXPECT_EQ(then->entries[0].terms.routes, Ondansetron().routes);
    Result<app::StandingOrderSet> now = orders().SetInForce(clock_.Now());
    ASSERT_TRUE(now.ok());
    EXPECT_EQ(now->version, 2);
    ASSERT_EQ(now->entries.size(), 2U);
    EXPECT_EQ(now->entries[1].number, 2);
    ASSERT_TRUE(now->entries[1].terms.sbp_condition.has_value());
    EXPECT_EQ(now->entries[1].terms.sbp_condition->sustained_minutes, 10);
    EXPECT_EQ(now->entries[1].terms.max_total_per_session, 30);

    // The day of the second signing shows the first (in force at its start) and the second.
    const auto day = std::chrono::floor<std::chrono::days>(clock_.Now());
    Result<std::vector<app::StandingOrderSet>> on_day = orders().SetsInForceOn(day);
    ASSERT_TRUE(on_day.ok()) << on_day.error().ToString();
    ASSERT_EQ(on_day->size(), 2U);
    EXPECT_EQ((*on_day)[0].version, 1);
    EXPECT_EQ((*on_day)[1].version, 2);
    Result<std::vector<app::StandingOrderSet>> before = orders().SetsInForceOn(day - std::chrono::days{5});
    ASSERT_TRUE(before.ok());
    EXPECT_TRUE(before->empty());
    const std::vector<std::string> actions = AuditActions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "standing_order_set.sign"), 2);
}

TEST_P(StandingOrderContractTest, EveryRuleOfAStandingOrderDoseRefusesAndWritesNothing) {
    const SessionId session = DosingSession();
    // No set in force yet.
    ExpectRefused(session, Entry(1, 4, MedicationRoute::kIv, "nausea"), ErrorCode::kFailedPrecondition, "entry_number",
                  "no standing-order set");
    Sign({Ondansetron(), Labetalol()}, 0);
    clock_.Advance(minutes{1});
    ExpectRefused(session, Entry(3, 4, MedicationRoute::kIv, "nausea"), ErrorCode::kNotFound, "entry_number",
                  "version 1");
    app::NewPrnDose both = Entry(1, 4, MedicationRoute::kIv, "nausea");
    both.one_off_order = app::OneOffOrderId{1};
    ExpectRefused(session, both, ErrorCode::kInvalidArgument, "order", "a PRN dose");
    ExpectRefused(session, Entry(1, 4, MedicationRoute::kIm, "nausea"), ErrorCode::kInvalidArgument, "route",
                  "prn.route: ");
    ExpectRefused(session, Entry(1, 4, MedicationRoute::kIv, "anxiety"), ErrorCode::kInvalidArgument, "indication",
                  "prn.indication: ");
    ExpectRefused(session, Entry(1, 8, MedicationRoute::kIv, "nausea"), ErrorCode::kOutOfRange, "dose",
                  "prn.dose_above_order: ");

    Result<app::PrnDose> first = Give(session, Entry(1, 4, MedicationRoute::kIv, "nausea"));
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    EXPECT_EQ(first->medication.order_kind, clinical::MedicationOrderKind::kStandingOrder);
    EXPECT_EQ(first->order.entry_number, 1);
    clock_.Advance(minutes{20});
    ExpectRefused(session, Entry(1, 4, MedicationRoute::kOdt, "nausea"), ErrorCode::kFailedPrecondition, "given_at",
                  "prn.min_interval: ");
    clock_.Advance(minutes{10});
    ASSERT_TRUE(Give(session, Entry(1, 4, MedicationRoute::kOdt, "nausea")).ok());
    clock_.Advance(minutes{40});
    ExpectRefused(session, Entry(1, 4, MedicationRoute::kIv, "nausea"), ErrorCode::kFailedPrecondition, "order",
                  "prn.max_doses: ");

    // Labetalol: the SBP must stay at or above 160 for 10 minutes.
    RecordBp(patient_, 168, 95);
    clock_.Advance(minutes{5});
    ExpectRefused(session, Entry(2, 10, MedicationRoute::kIv, "SBP above threshold"), ErrorCode::kFailedPrecondition,
                  "sbp_condition", "prn.sbp_condition: ");
    clock_.Advance(minutes{5});
    RecordBp(patient_, 171, 96);
    Result<app::PrnDose> labetalol = Give(session, Entry(2, 10, MedicationRoute::kIv, "SBP above threshold"));
    ASSERT_TRUE(labetalol.ok()) << labetalol.error().ToString();

    // PRN doses are session medications, never an administration of the ketamine order.
    const app::SessionRecord stored = StoredSession(session);
    EXPECT_EQ(stored.medications.size(), 3U);
    EXPECT_TRUE(stored.administrations.empty());
    const std::vector<std::string> actions = AuditActions(patient_.value);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "prn_dose.give"), 3);
}

TEST_P(StandingOrderContractTest, TheRecordStopsAStandingOrderAndAOneOffOrderMustAcknowledgeIt) {
    ASSERT_TRUE(clinic().history.AddMedication(nurse_, patient_, "Catapres 0.1 mg").ok());
    ASSERT_TRUE(clinic().history.AddAllergy(nurse_, patient_, "Zofran").ok());
    const SessionId session = DosingSession();
    Sign({Ondansetron(), Labetalol(), Clonidine()}, 0);
    clock_.Advance(minutes{1});
    ExpectRefused(session, Entry(1, 4, MedicationRoute::kIv, "nausea"), ErrorCode::kFailedPrecondition, "drug",
                  "prn.allergy: ");
    RecordBp(patient_, 180, 100);
    clock_.Advance(minutes{16});
    RecordBp(patient_, 182, 101);
    ExpectRefused(session, Entry(3, 0.1, MedicationRoute::kPo, "SBP above threshold"), ErrorCode::kFailedPrecondition,
                  "drug", "prn.duplicate_therapy: ");

    // The prescriber orders ondansetron anyway, for this session, having seen the allergy.
    app::NewOneOffOrder one_off{Ondansetron(), false};
    one_off.terms.max_doses_per_session = 1;
    one_off.terms.max_total_per_session = std::nullopt;
    EXPECT_TRUE(
        IsRefusal(orders().SignOneOffOrder(prescriber_, session, one_off), ErrorCode::kFailedPrecondition, "drug"));
    one_off.acknowledge_interactions = true;
    Result<app::OneOffOrder> signed_order = orders().SignOneOffOrder(prescriber_, session, one_off);
    ASSERT_TRUE(signed_order.ok()) << signed_order.error().ToString();
    ASSERT_EQ(signed_order->acknowledged_interactions.size(), 1U);
    EXPECT_EQ(signed_order->acknowledged_interactions[0].rfind("prn.allergy: ", 0), 0U);

    app::NewPrnDose under_order = Entry(0, 4, MedicationRoute::kIv, "nausea");
    under_order.entry_number.reset();
    under_order.one_off_order = signed_order->id;
    under_order.given_at = clock_.Now();
    Result<app::PrnDose> given = Give(session, under_order);
    ASSERT_TRUE(given.ok()) << given.error().ToString();
    EXPECT_EQ(given->medication.order_kind, clinical::MedicationOrderKind::kPrn);
    EXPECT_EQ(given->order.one_off_order, signed_order->id);
    clock_.Advance(minutes{1});
    under_order.given_at = clock_.Now();
    ExpectRefused(session, under_order, ErrorCode::kFailedPrecondition, "order", "prn.max_doses: ");

    // An order the session does not have.
    under_order.one_off_order = app::OneOffOrderId{signed_order->id.value + 100};
    ExpectRefused(session, under_order, ErrorCode::kNotFound, "one_off_order", "session ");
}

TEST_P(StandingOrderContractTest, AResponseIsRecordedOnce) {
    const SessionId session = DosingSession();
    Sign({Ondansetron()}, 0);
    clock_.Advance(minutes{1});
    Result<app::PrnDose> given = Give(session, Entry(1, 4, MedicationRoute::kIv, "nausea"));
    ASSERT_TRUE(given.ok()) << given.error().ToString();
    clock_.Advance(minutes{20});
    Result<app::PrnDose> answered = orders().RecordResponse(nurse_, given->medication.id, {true, "nausea settled"});
    ASSERT_TRUE(answered.ok()) << answered.error().ToString();
    ASSERT_TRUE(answered->response.has_value());
    EXPECT_TRUE(answered->response->effective);
    EXPECT_EQ(answered->response->recorded_at, clock_.Now());
    EXPECT_TRUE(IsRefusal(orders().RecordResponse(nurse_, given->medication.id, {false, ""}), ErrorCode::kConflict,
                          "response"));
    EXPECT_TRUE(IsRefusal(
        orders().RecordResponse(nurse_, app::SessionMedicationId{given->medication.id.value + 50}, {false, ""}),
        ErrorCode::kNotFound, "dose_id"));
    std::vector<app::PrnDose> doses;
    ASSERT_TRUE(store()
                    .Read([&](app::StoreTransaction& tx) -> Status {
                        ASSIGN_OR_RETURN(doses, tx.ListPrnDoses(session));
                        return Status::Ok();
                    })
                    .ok());
    ASSERT_EQ(doses.size(), 1U);
    ASSERT_TRUE(doses[0].response.has_value());
    EXPECT_EQ(doses[0].response->note, "nausea settled");
    // The export carries the set's versions and the dose with its order and response.
    RecordingExportSink exported;
    ASSERT_TRUE(app::RecordExport(store(), clock_).Export(admin_, exported).ok());
    ASSERT_EQ(exported.standing_order_sets.size(), 1U);
    EXPECT_EQ(exported.standing_order_sets[0].entries.size(), 1U);
    ASSERT_EQ(exported.patients.size(), 1U);
    const std::vector<app::PrnDose>& prn_doses = exported.patients[0].prn_doses;
    ASSERT_EQ(prn_doses.size(), 1U);
    EXPECT_EQ(prn_doses[0].order.entry_number, 1);
    EXPECT_TRUE(prn_doses[0].response.has_value());

    // The schema itself keeps responses and links append-only.
    EXPECT_FALSE(ExecuteDirectly("UPDATE prn_responses SET effective = 0").ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM prn_doses").ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE standing_order_entries SET dose = 40").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StandingOrderContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
