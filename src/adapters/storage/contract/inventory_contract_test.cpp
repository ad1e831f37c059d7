// The controlled-substance log (app::ControlledSubstanceLog) on a real SQLite file and a real PostgreSQL server: every
// balance rule and refusal through the use cases (a refusal writes nothing, not even an audit entry), the witness
// rules, counts and their discrepancies, corrections, the inspector's reports, the schema's own append-only guard,
// two nurses drawing from one vial at once on real threads, and two drawing for one administration from two vials.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/storage/contract/recording_export_sink.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/record_export.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::CsAmount;
using app::CsContainerId;
using app::CsContainerStatus;
using clinical::CsMovementKind;
using std::chrono::days;
using std::chrono::hours;

const std::chrono::sys_days kExpiry{std::chrono::year{2027} / 6 / 30};

CsAmount Mg(double mg) {
    return CsAmount{mg, std::nullopt, std::nullopt};
}
CsAmount Ml(double ml) {
    return CsAmount{std::nullopt, ml, std::nullopt};
}

class InventoryContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        witness_ = app::Witness{"rn2@clinic.example", app::Role::kNurse};
    }

    // Receives `count` 10-mL vials of 50 mg/mL into the safe, as nurse_.
    std::vector<CsContainerId> ReceiveVials(int count = 1, const std::string& product = "ketamine_50mg_ml_10ml",
                                            const std::string& location = "safe") {
        const app::CsReceipt receipt{product, "K2611-04", kExpiry, "Acme Wholesale", "INV-88121", location, count};
        Result<std::vector<CsContainerStatus>> received = clinic().inventory.Receive(nurse_, receipt);
        EXPECT_TRUE(received.ok()) << received.error().ToString();
        std::vector<CsContainerId> ids;
        if (received.ok()) {
            for (const CsContainerStatus& status : *received) {
                ids.push_back(status.container.id);
            }
        }
        return ids;
    }

    // A dosing IV session of a new patient with its running 35-mg ketamine infusion.
    app::AdministrationId KetamineAdministration(const std::string& mrn = "MRN-CS") {
        const app::PatientId patient = Register(mrn);
        Weigh(patient);
        const app::CourseRecord course = StartCourse(patient);
        const app::SessionId session = course.sessions[0].id;
        EXPECT_NO_FATAL_FAILURE(StartDosing(patient, session, IvRequest()));
        const app::NewAdministration infusion{"ketamine",   clinical::Route::kIv, 35.0,         52.5,
                                              std::nullopt, "K2611-04",           clock_.Now(), std::nullopt};
        Result<app::Administration> given = clinic().doses.RecordAdministration(nurse_, session, infusion, settings_);
        EXPECT_TRUE(given.ok()) << given.error().ToString();
        patient_ = patient;
        return given.ok() ? given->id : app::AdministrationId{};
    }

    CsContainerStatus Stored(CsContainerId container) {
        Result<CsContainerStatus> read = clinic().inventory.GetContainer(prescriber_, container);
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return read.ok() ? *read : CsContainerStatus{};
    }

    // Runs `refused`, expects it refused with `code` naming `field`, and that nothing was written: the container's
    // entries and the audit log are as before.
    template <typename T>
    void ExpectRefused(CsContainerId container, const std::function<Result<T>()>& refused, ErrorCode code,
                       const std::string& field) {
        const std::size_t entries_before = Stored(container).entries.size();
        const std::size_t audit_before = AuditActions().size();
        ASSERT_TRUE(IsRefusal(refused(), code, field));
        EXPECT_EQ(AuditActions().size(), audit_before) << "refused on " << field;
        EXPECT_EQ(Stored(container).entries.size(), entries_before) << "refused on " << field;
    }

    // The identity of clinical/controlled_substances.hpp, in units.
    static void ExpectBalanced(const clinical::CsBalance& b) {
        EXPECT_EQ(b.received,
                  b.given + b.wasted + b.destroyed + b.returned_to_supplier + b.discrepancy + b.in_hand + b.on_hand);
        EXPECT_GE(b.on_hand, 0);
        EXPECT_GE(b.in_hand, 0);
    }

    // What two nurses drawing at once came to: the draws the store accepted, and those it refused with
    // kFailedPrecondition naming `refusal_field` (any other answer is a test failure).
    struct DrawRace {
        int accepted = 0;
        int refused = 0;
    };
    // nurse_ draws `draw` from containers[0] and a second nurse from containers[1] (the same container for both when
    // equal), `draws_each` times each, on two threads started together, each as fast as the store lets them.
    DrawRace DrawAtOnce(std::array<CsContainerId, 2> containers, const app::CsDraw& draw, int draws_each,
                        const std::string& refusal_field) {
        std::atomic<int> accepted{0};
        std::atomic<int> refused{0};
        std::atomic<bool> go{false};
        auto nurse = [&](const app::Actor& actor, CsContainerId container) {
            while (!go.load()) {
                std::this_thread::yield();
            }
            for (int i = 0; i < draws_each; ++i) {
                Result<CsContainerStatus> drawn = clinic().inventory.Draw(actor, container, draw);
                if (drawn.ok()) {
                    ++accepted;
                } else if (drawn.error().code == ErrorCode::kFailedPrecondition &&
                           drawn.error().field == refusal_field) {
                    ++refused;
                } else {
                    ADD_FAILURE() << drawn.error().ToString();
                }
            }
        };
        std::thread first(nurse, nurse_, containers[0]);
        std::thread second(nurse, app::Actor{"rn2@clinic.example", "10.0.0.9"}, containers[1]);
        go = true;
        first.join();
        second.join();
        return DrawRace{accepted.load(), refused.load()};
    }

    app::Witness witness_;
    app::PatientId patient_;
};

TEST_P(InventoryContractTest, ADrawItsReturnAndItsWitnessedWasteBalanceInMgAndMl) {
    const CsContainerId vial = ReceiveVials().at(0);
    const app::AdministrationId administration = KetamineAdministration();
    Result<CsContainerStatus> drawn =
        clinic().inventory.Draw(nurse_, vial, app::CsDraw{administration, Mg(50), Mg(35)});
    ASSERT_TRUE(drawn.ok()) << drawn.error().ToString();
    const app::CsEntry draw = drawn->entries.back();
    EXPECT_EQ(draw.kind, CsMovementKind::kDraw);
    EXPECT_EQ(draw.units, 1000);  // 50 mg of 50 mg/mL: 1 mL
    EXPECT_EQ(draw.given_units, 700);
    EXPECT_EQ(draw.patient, patient_);
    EXPECT_EQ(drawn->balance.open_draws, std::vector<std::int64_t>{draw.id.value});

    ASSERT_TRUE(clinic().inventory.ReturnToStock(nurse_, draw.id, Ml(0.1)).ok());
    Result<CsContainerStatus> wasted =
        clinic().inventory.Waste(nurse_, vial, draw.id, Mg(10), "remainder after the infusion", witness_);
    ASSERT_TRUE(wasted.ok()) << wasted.error().ToString();
    const clinical::CsBalance& b = wasted->balance;
    EXPECT_EQ(b.received, 10'000);
    EXPECT_EQ(b.given, 700);
    EXPECT_EQ(b.wasted, 200);
    EXPECT_EQ(b.in_hand, 0);
    EXPECT_EQ(b.on_hand, 9100);
    EXPECT_EQ(clinical::UnitsToMicrograms(wasted->product, b.on_hand), 455'000);  // 455 mg
    EXPECT_EQ(*clinical::UnitsToMillilitres(wasted->product, b.on_hand), 9.1);
    EXPECT_TRUE(b.open_draws.empty());
    ExpectBalanced(b);
    EXPECT_EQ(wasted->entries.back().witness, witness_.email);

    // What was read back is what was stored, on both backends.
    const CsContainerStatus stored = Stored(vial);
    ASSERT_EQ(stored.entries.size(), 4U);
    EXPECT_EQ(stored.location, "safe");
    EXPECT_EQ(stored.entries[1].administration, administration);
    EXPECT_EQ(stored.entries[2].refers_to, draw.id);
    EXPECT_EQ(stored.entries[3].reason, "remainder after the infusion");
    EXPECT_EQ(stored.balance.on_hand, 9100);
    const std::vector<std::string> patient_audit = AuditActions(patient_.value);
    EXPECT_NE(std::find(patient_audit.begin(), patient_audit.end(), "inventory.draw"), patient_audit.end());
}

TEST_P(InventoryContractTest, EveryRefusalWritesNothing) {
    const CsContainerId vial = ReceiveVials().at(0);
    const app::AdministrationId administration = KetamineAdministration();
    using Answer = Result<CsContainerStatus>;
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer {
            return clinic().inventory.Draw(nurse_, vial, {administration, Ml(10.001), Mg(0)});
        },
        ErrorCode::kFailedPrecondition, "units");
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer {
            return clinic().inventory.Draw(nurse_, vial, {administration, Mg(50), Mg(36)});
        },
        ErrorCode::kFailedPrecondition, "given");
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer {
            return clinic().inventory.Draw(nurse_, vial, {administration, Mg(10), Mg(20)});
        },
        ErrorCode::kInvalidArgument, "given_units");
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer {
            return clinic().inventory.Draw(nurse_, vial, {administration, Mg(0.00001), Mg(0)});
        },
        ErrorCode::kInvalidArgument, "drawn.mg");
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer {
            return clinic().inventory.Draw(nurse_, vial, {app::AdministrationId{999}, Mg(5), Mg(5)});
        },
        ErrorCode::kNotFound, "administration_id");
    // The witness is another licensed person.
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer {
            return clinic().inventory.Waste(nurse_, vial, std::nullopt, Mg(5), "broken",
                                            app::Witness{nurse_.user, app::Role::kNurse});
        },
        ErrorCode::kPermissionDenied, "witness");
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer {
            return clinic().inventory.Waste(nurse_, vial, std::nullopt, Mg(5), "broken",
                                            app::Witness{"therapist@clinic.example", app::Role::kTherapist});
        },
        ErrorCode::kPermissionDenied, "witness");
    ExpectRefused<CsContainerStatus>(
        vial, [&]() -> Answer { return clinic().inventory.Waste(nurse_, vial, std::nullopt, Mg(5), " ", witness_); },
        ErrorCode::kInvalidArgument, "reason");
    ExpectRefused<CsContainerStatus>(
        vial,
        [&]() -> Answer { return clinic().inventory.Waste(nurse_, vial, std::nullopt, Mg(501), "spill", witness_); },
        ErrorCode::kFailedPrecondition, "units");
    ExpectRefused<CsContainerStatus>(
        vial, [&]() -> Answer { return clinic().inventory.Transfer(nurse_, vial, "safe"); },
        ErrorCode::kInvalidArgument, "location");

    // A remainder in hand holds the container back from the supplier.
    Result<CsContainerStatus> drawn = clinic().inventory.Draw(nurse_, vial, {administration, Mg(50), Mg(35)});
    ASSERT_TRUE(drawn.ok()) << drawn.error().ToString();
    const app::CsEntryId draw = drawn->entries.back().id;
    const app::CsEntryId receipt = drawn->entries.front().id;
    ExpectRefused<CsContainerStatus>(
        vial, [&]() -> Answer { return clinic().inventory.ReturnToSupplier(nurse_, vial, "RA-1"); },
        ErrorCode::kFailedPrecondition, "units");
    ExpectRefused<CsContainerStatus>(
        vial, [&]() -> Answer { return clinic().inventory.ReturnToStock(nurse_, draw, Mg(15.05)); },
        ErrorCode::kFailedPrecondition, "units");
    ExpectRefused<CsContainerStatus>(
        vial, [&]() -> Answer { return clinic().inventory.Correct(prescriber_, receipt, "wrong"); },
        ErrorCode::kFailedPrecondition, "refers_to");

    ASSERT_TRUE(clinic().inventory.Waste(nurse_, vial, draw, Mg(15), "remainder", witness_).ok());
    EXPECT_TRUE(IsRefusal(clinic().inventory.Receive(nurse_, {"ketamine_50mg_ml_10ml", "OLD", kCourseStart - days{1},
                                                              "Acme", "INV-1", "safe", 1}),
                          ErrorCode::kFailedPrecondition, "expires_on"));

    // An expired lot is not drawn from, but may be destroyed before a witness.
    Result<std::vector<CsContainerStatus>> short_dated = clinic().inventory.Receive(
        nurse_, {"ketamine_50mg_ml_10ml", "K-SHORT", kCourseStart + days{1}, "Acme", "INV-2", "safe", 1});
    ASSERT_TRUE(short_dated.ok()) << short_dated.error().ToString();
    const CsContainerId old_vial = short_dated->at(0).container.id;
    clock_.Advance(days{2});
    ExpectRefused<CsContainerStatus>(
        old_vial,
        [&]() -> Answer {
            return clinic().inventory.Draw(nurse_, old_vial, {administration, Mg(5), Mg(0)});
        },
        ErrorCode::kFailedPrecondition, "expires_on");
    Result<CsContainerStatus> destroyed =
        clinic().inventory.Destroy(prescriber_, old_vial, CsAmount{}, "expired", witness_);
    ASSERT_TRUE(destroyed.ok()) << destroyed.error().ToString();
    EXPECT_EQ(destroyed->balance.on_hand, 0);
    EXPECT_EQ(destroyed->balance.destroyed, 10'000);
    EXPECT_TRUE(destroyed->expired);
    ExpectBalanced(destroyed->balance);
}

TEST_P(InventoryContractTest, ADrawIsForAnAdministrationOfTheContainersDrug) {
    const CsContainerId kit = ReceiveVials(1, "esketamine_56mg_kit").at(0);
    const app::AdministrationId ketamine = KetamineAdministration();
    ExpectRefused<CsContainerStatus>(
        kit,
        [&]() -> Result<CsContainerStatus> {
            return clinic().inventory.Draw(nurse_, kit, {ketamine, {std::nullopt, std::nullopt, 1}, {}});
        },
        ErrorCode::kInvalidArgument, "given.devices");
    ExpectRefused<CsContainerStatus>(
        kit,
        [&]() -> Result<CsContainerStatus> {
            return clinic().inventory.Draw(
                nurse_, kit, {ketamine, {std::nullopt, std::nullopt, 1}, {std::nullopt, std::nullopt, 1}});
        },
        ErrorCode::kInvalidArgument, "administration_id");
}

TEST_P(InventoryContractTest, ACountsDiscrepancyStaysOpenUntilTheMedicalDirectorSignsIt) {
    const std::vector<CsContainerId> vials = ReceiveVials(2);
    const CsContainerId elsewhere = ReceiveVials(1, "ketamine_100mg_ml_5ml", "safe 2").at(0);
    // Every container holding stock in the location is counted, and only those.
    ExpectRefused<std::vector<CsContainerStatus>>(
        vials[0],
        [&] {
            return clinic().inventory.Count(nurse_, "safe", {{vials[0], Ml(10)}}, "", witness_);
        },
        ErrorCode::kInvalidArgument, "found");
    ExpectRefused<std::vector<CsContainerStatus>>(
        vials[0],
        [&] {
            return clinic().inventory.Count(nurse_, "safe",
                                            {{vials[0], Ml(10)}, {vials[1], Ml(10)}, {elsewhere, Ml(5)}}, "", witness_);
        },
        ErrorCode::kInvalidArgument, "found");
    ExpectRefused<std::vector<CsContainerStatus>>(
        vials[0],
        [&] {
            return clinic().inventory.Count(nurse_, "safe", {{vials[0], Ml(10)}, {vials[1], Ml(10)}}, "",
                                            app::Witness{nurse_.user, app::Role::kNurse});
        },
        ErrorCode::kPermissionDenied, "witness");

    Result<std::vector<CsContainerStatus>> counted =
        clinic().inventory.Count(nurse_, "safe", {{vials[0], Ml(10)}, {vials[1], Ml(9.5)}}, "end of day", witness_);
    ASSERT_TRUE(counted.ok()) << counted.error().ToString();
    ASSERT_EQ(counted->size(), 2U);
    const CsContainerStatus& short_vial = counted->at(1);
    EXPECT_EQ(short_vial.balance.discrepancy, 500);
    EXPECT_EQ(short_vial.balance.on_hand, 9500);
    ExpectBalanced(short_vial.balance);
    const app::CsEntryId count = short_vial.entries.back().id;
    EXPECT_EQ(short_vial.entries.back().expected_units, 10'000);

    Result<std::vector<app::CsDiscrepancy>> open = clinic().inventory.ListDiscrepancies(prescriber_, true);
    ASSERT_TRUE(open.ok()) << open.error().ToString();
    ASSERT_EQ(open->size(), 1U);
    EXPECT_EQ(open->at(0).count.id, count);
    EXPECT_FALSE(open->at(0).resolution.has_value());

    ExpectRefused<app::CsDiscrepancy>(
        vials[1], [&] { return clinic().inventory.Resolve(prescriber_, count, ""); }, ErrorCode::kInvalidArgument,
        "explanation");
    Result<app::CsDiscrepancy> resolved =
        clinic().inventory.Resolve(prescriber_, count, "0.5 mL spilled on drawing, waste not recorded");
    ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
    ASSERT_TRUE(resolved->resolution.has_value());
    EXPECT_EQ(resolved->resolution->recorded_by, prescriber_.user);
    EXPECT_TRUE(clinic().inventory.ListDiscrepancies(prescriber_, true)->empty());
    EXPECT_EQ(clinic().inventory.ListDiscrepancies(prescriber_, false)->size(), 1U);
    ExpectRefused<app::CsDiscrepancy>(
        vials[1], [&] { return clinic().inventory.Resolve(prescriber_, count, "again"); },
        ErrorCode::kFailedPrecondition, "refers_to");
}

// Once an admin designates a medical director, only they sign a discrepancy's explanation; a designation replaces
// the one before, is only of an active prescriber, and ends when the director is disabled.
TEST_P(InventoryContractTest, OnlyTheDesignatedMedicalDirectorSignsADiscrepancy) {
    AddUser(prescriber_.user, app::Role::kPrescriber);
    AddUser("director@clinic.example", app::Role::kPrescriber);
    AddUser(nurse_.user, app::Role::kNurse);
    const CsContainerId vial = ReceiveVials().at(0);
    Result<std::vector<CsContainerStatus>> counted =
        clinic().inventory.Count(nurse_, "safe", {{vial, Ml(9.9)}}, "", witness_);
    ASSERT_TRUE(counted.ok()) << counted.error().ToString();
    const app::CsEntryId count = counted->at(0).entries.back().id;

    EXPECT_TRUE(IsRefusal(clinic().users.DesignateMedicalDirector(admin_, nurse_.user), ErrorCode::kFailedPrecondition,
                          "email"));
    EXPECT_TRUE(IsRefusal(clinic().users.DesignateMedicalDirector(admin_, "nobody@clinic.example"),
                          ErrorCode::kNotFound, "email"));
    Result<app::User> first = clinic().users.DesignateMedicalDirector(admin_, prescriber_.user);
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    EXPECT_TRUE(first->medical_director);
    EXPECT_EQ(AuditActions().back(), "user.medical_director");
    EXPECT_TRUE(IsRefusal(clinic().users.DesignateMedicalDirector(admin_, prescriber_.user),
                          ErrorCode::kFailedPrecondition, "email"));
    Result<app::User> second = clinic().users.DesignateMedicalDirector(admin_, "Director@Clinic.Example");
    ASSERT_TRUE(second.ok()) << second.error().ToString();
    Result<std::optional<app::User>> director =
        store().Read([](app::StoreTransaction& tx) { return tx.FindMedicalDirector(); });
    ASSERT_TRUE(director.ok() && director->has_value());
    EXPECT_EQ((*director)->email, "director@clinic.example");
    // The schema itself keeps it to one.
    EXPECT_FALSE(ExecuteDirectly("UPDATE users SET medical_director = 1").ok());

    // The prescriber who stood in before may no longer sign; the director does.
    ExpectRefused<app::CsDiscrepancy>(
        vial, [&] { return clinic().inventory.Resolve(prescriber_, count, "0.1 mL spilled"); },
        ErrorCode::kPermissionDenied, "actor");
    const app::Actor director_actor{"director@clinic.example", "10.0.0.5"};
    Result<app::CsDiscrepancy> resolved = clinic().inventory.Resolve(director_actor, count, "0.1 mL spilled");
    ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
    EXPECT_EQ(resolved->resolution->recorded_by, "director@clinic.example");

    // Disabled, the director is no longer one.
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "director@clinic.example").ok());
    director = store().Read([](app::StoreTransaction& tx) { return tx.FindMedicalDirector(); });
    ASSERT_TRUE(director.ok());
    EXPECT_FALSE(director->has_value());
}

// A count's discrepancy is an alert to those who sign it (issue 14 §2): every active prescriber while no medical
// director is designated, then the director alone; one alert per discrepancy, open until the director's signature,
// which no one else's action gives; in the export, open and then signed.
TEST_P(InventoryContractTest, ACountDiscrepancyAlertsWhoSignsItUntilTheDirectorSigns) {
    AddUser(prescriber_.user, app::Role::kPrescriber);
    AddUser("director@clinic.example", app::Role::kPrescriber);
    AddUser("retired@clinic.example", app::Role::kPrescriber);
    AddUser(nurse_.user, app::Role::kNurse);
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "retired@clinic.example").ok());
    const app::Actor director{"director@clinic.example", "10.0.0.5"};
    const std::vector<CsContainerId> vials = ReceiveVials(2);

    Result<std::vector<std::string>> signers = clinic().inventory.DiscrepancySigners();
    ASSERT_TRUE(signers.ok()) << signers.error().ToString();
    EXPECT_EQ(*signers, (std::vector<std::string>{prescriber_.user, "director@clinic.example"}));

    // One count, two containers, one of them short: one alert, for every prescriber.
    Result<std::vector<CsContainerStatus>> counted =
        clinic().inventory.Count(nurse_, "safe", {{vials[0], Ml(10)}, {vials[1], Ml(9.9)}}, "", witness_);
    ASSERT_TRUE(counted.ok()) << counted.error().ToString();
    const app::CsEntryId count = counted->at(1).entries.back().id;
    for (const app::Actor& actor : {prescriber_, director}) {
        Result<std::vector<app::CsDiscrepancy>> alerts = clinic().inventory.DiscrepancyAlerts(actor);
        ASSERT_TRUE(alerts.ok()) << alerts.error().ToString();
        ASSERT_EQ(alerts->size(), 1U) << actor.user;
        EXPECT_EQ(alerts->at(0).count.id, count);
    }
    EXPECT_TRUE(clinic().inventory.DiscrepancyAlerts(nurse_)->empty());

    // Designated, the director alone is alerted; the prescriber who stood in can neither see nor close it.
    ASSERT_TRUE(clinic().users.DesignateMedicalDirector(admin_, director.user).ok());
    EXPECT_EQ(*clinic().inventory.DiscrepancySigners(), std::vector<std::string>{director.user});
    EXPECT_TRUE(clinic().inventory.DiscrepancyAlerts(prescriber_)->empty());
    ExpectRefused<app::CsDiscrepancy>(
        vials[1], [&] { return clinic().inventory.Resolve(prescriber_, count, "spilled"); },
        ErrorCode::kPermissionDenied, "actor");
    ExpectRefused<app::CsDiscrepancy>(
        vials[1], [&] { return clinic().inventory.Resolve(nurse_, count, "spilled"); }, ErrorCode::kPermissionDenied,
        "actor");
    // A later count that matches the book raises nothing and closes nothing.
    ASSERT_TRUE(clinic().inventory.Count(nurse_, "safe", {{vials[0], Ml(10)}, {vials[1], Ml(9.9)}}, "", witness_).ok());
    EXPECT_EQ(clinic().inventory.DiscrepancyAlerts(director)->size(), 1U);

    RecordingExportSink exported;
    ASSERT_TRUE(app::RecordExport(store(), clock_).Export(admin_, exported).ok());
    ASSERT_EQ(exported.count_discrepancies.size(), 1U);
    EXPECT_FALSE(exported.count_discrepancies[0].resolution.has_value());

    ASSERT_TRUE(clinic().inventory.Resolve(director, count, "0.1 mL spilled while capping").ok());
    EXPECT_TRUE(clinic().inventory.DiscrepancyAlerts(director)->empty());
    ASSERT_TRUE(app::RecordExport(store(), clock_).Export(admin_, exported).ok());
    ASSERT_EQ(exported.count_discrepancies.size(), 1U);
    ASSERT_TRUE(exported.count_discrepancies[0].resolution.has_value());
    EXPECT_EQ(exported.count_discrepancies[0].resolution->recorded_by, director.user);
    EXPECT_EQ(exported.count_discrepancies[0].resolution->reason, "0.1 mL spilled while capping");
}

TEST_P(InventoryContractTest, ACorrectionReversesAnEntryAndTheReportsShowIt) {
    const CsContainerId vial = ReceiveVials().at(0);
    const app::AdministrationId administration = KetamineAdministration();
    const app::TimePoint from = clock_.Now();
    Result<CsContainerStatus> wrong = clinic().inventory.Draw(nurse_, vial, {administration, Mg(35), Mg(35)});
    ASSERT_TRUE(wrong.ok()) << wrong.error().ToString();
    const app::CsEntryId mistaken = wrong->entries.back().id;
    Result<CsContainerStatus> corrected =
        clinic().inventory.Correct(prescriber_, mistaken, "drawn from the wrong vial");
    ASSERT_TRUE(corrected.ok()) << corrected.error().ToString();
    EXPECT_EQ(corrected->balance.on_hand, 10'000);
    EXPECT_EQ(corrected->balance.given, 0);
    EXPECT_EQ(corrected->entries.back().refers_to, mistaken);
    ASSERT_TRUE(clinic().inventory.Draw(nurse_, vial, {administration, Mg(35), Mg(35)}).ok());
    ASSERT_TRUE(clinic().inventory.Waste(nurse_, vial, std::nullopt, Mg(5), "vial cracked", witness_).ok());
    clock_.Advance(hours{1});

    Result<std::vector<app::CsDispensingLine>> log =
        clinic().inventory.DispensingLog(prescriber_, "ketamine", from, clock_.Now());
    ASSERT_TRUE(log.ok()) << log.error().ToString();
    ASSERT_EQ(log->size(), 2U);
    EXPECT_EQ(log->at(0).corrected_by, corrected->entries.back().id);
    EXPECT_FALSE(log->at(1).corrected_by.has_value());
    EXPECT_TRUE(clinic().inventory.DispensingLog(prescriber_, "esketamine", from, clock_.Now())->empty());
    EXPECT_TRUE(IsRefusal(clinic().inventory.DispensingLog(prescriber_, "ketamine", clock_.Now(), from),
                          ErrorCode::kInvalidArgument, "to"));

    // As of the moment before the first draw (an inventory at a moment counts what was recorded by then).
    Result<std::vector<app::CsInventoryLine>> before =
        clinic().inventory.Inventory(prescriber_, from - std::chrono::milliseconds{1});
    ASSERT_TRUE(before.ok()) << before.error().ToString();
    ASSERT_EQ(before->size(), 1U);
    EXPECT_EQ(before->at(0).balance.on_hand, 10'000);
    Result<std::vector<app::CsInventoryLine>> now = clinic().inventory.Inventory(prescriber_, clock_.Now());
    ASSERT_TRUE(now.ok());
    EXPECT_EQ(now->at(0).balance.on_hand, 10'000 - 700 - 100);
    EXPECT_TRUE(IsRefusal(clinic().inventory.Inventory(prescriber_, clock_.Now() + hours{1}),
                          ErrorCode::kInvalidArgument, "at"));

    Result<std::vector<app::CsLoss>> losses = clinic().inventory.Losses(prescriber_, from, clock_.Now());
    ASSERT_TRUE(losses.ok());
    ASSERT_EQ(losses->size(), 1U);
    EXPECT_EQ(losses->at(0).entry.reason, "vial cracked");
    EXPECT_EQ(losses->at(0).container.id, vial);
}

TEST_P(InventoryContractTest, TheLogIsAppendOnlyInTheSchemaItself) {
    const CsContainerId vial = ReceiveVials().at(0);
    EXPECT_FALSE(ExecuteDirectly("UPDATE cs_entries SET units = 1").ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM cs_entries").ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE cs_containers SET lot_number = 'X'").ok());
    EXPECT_FALSE(ExecuteDirectly("DELETE FROM cs_containers").ok());
    EXPECT_EQ(Stored(vial).balance.on_hand, 10'000);
}

// Two nurses draw from one multi-dose vial at once, on two threads, each as fast as the store lets them: every draw
// the store accepts is judged against what the other left, so the vial is never overdrawn and the balance holds.
TEST_P(InventoryContractTest, TwoNursesDrawingFromOneVialAtOnceNeverOverdrawIt) {
    const CsContainerId vial = ReceiveVials().at(0);  // 10 mL
    const app::AdministrationId administration = KetamineAdministration();
    constexpr int kDrawsEach = 8;  // 16 draws of 1 mL wanted, 10 mL there
    const DrawRace race = DrawAtOnce({vial, vial}, {administration, Ml(1), Mg(0)}, kDrawsEach, "units");
    EXPECT_EQ(race.accepted, 10);
    EXPECT_EQ(race.refused, 2 * kDrawsEach - 10);
    const CsContainerStatus stored = Stored(vial);
    EXPECT_EQ(stored.balance.on_hand, 0);
    EXPECT_EQ(stored.balance.in_hand, 10'000);
    ExpectBalanced(stored.balance);
}

// Two nurses draw for one administration at once, each from their own vial: the draws given are checked against the
// administration's dose across both containers, so together they never give more than it records (35 mg).
TEST_P(InventoryContractTest, TwoNursesDrawingForOneAdministrationFromTwoVialsNeverExceedItsDose) {
    const std::vector<CsContainerId> vials = ReceiveVials(2);  // 500 mg each
    const app::AdministrationId administration = KetamineAdministration();
    constexpr int kDrawsEach = 6;  // 12 draws of 5 mg given wanted, 35 mg recorded: 7 fit
    const DrawRace race = DrawAtOnce({vials[0], vials[1]}, {administration, Mg(5), Mg(5)}, kDrawsEach, "given");
    EXPECT_EQ(race.accepted, 7);
    EXPECT_EQ(race.refused, 2 * kDrawsEach - 7);
    const CsContainerStatus one = Stored(vials[0]);
    const CsContainerStatus other = Stored(vials[1]);
    EXPECT_EQ(one.balance.given + other.balance.given, 700);  // 35 mg of 50 mg/mL, in uL
    ExpectBalanced(one.balance);
    ExpectBalanced(other.balance);
}

INSTANTIATE_TEST_SUITE_P(Backends, InventoryContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
