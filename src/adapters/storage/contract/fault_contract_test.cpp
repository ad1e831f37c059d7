// What a use case leaves behind when the database fails half-way through it. Each case is a use case that writes
// more than once in one transaction; it runs through a FaultStore over a real SQLite file and a real PostgreSQL
// server, which fails its commit and then each of its transaction operations in turn, with kUnavailable and with
// kInternal (what the adapters report when the database is lost or fails). Every failure must write nothing (the
// census of the whole record, read back through the real store, is unchanged) and reach the caller as the store
// reported it, as the Store port documents. The same use case then succeeds and changes the census, so the check
// that nothing was written can fail. Each case arranges the record through the fixture's real use cases, then hands
// its use case to ExpectEveryFaultWritesNothing, which runs it through app::ClinicUseCases over the fault store.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/fault_store.hpp"
#include "adapters/storage/contract/test_stores.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/clinic_use_cases.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using std::chrono::minutes;

// How many of each kind of record the store holds, and in which state, read through the real store: a use case
// that wrote anything, or changed a record's state, changes it.
using Census = std::map<std::string, std::int64_t>;

Status CountPatientRecords(app::StoreTransaction& tx, const app::Patient& patient, Census& census) {
    census["patients"] += 1;
    census["patient versions"] += patient.version;
    ASSIGN_OR_RETURN(std::vector<app::WeightMeasurement> weights, tx.ListWeights(patient.id));
    census["weights"] += static_cast<std::int64_t>(weights.size());
    ASSIGN_OR_RETURN(std::vector<app::VitalSign> vitals,
                     tx.ListVitalSigns(patient.id, std::nullopt, app::kMaxPageSize));
    census["vital signs"] += static_cast<std::int64_t>(vitals.size());
    ASSIGN_OR_RETURN(std::vector<app::Assessment> assessments, tx.ListAssessments(patient.id));
    census["assessments"] += static_cast<std::int64_t>(assessments.size());
    ASSIGN_OR_RETURN(std::vector<app::HistoryEntry> history, tx.ListHistoryEntries(patient.id));
    census["history entries"] += static_cast<std::int64_t>(history.size());
    ASSIGN_OR_RETURN(std::vector<app::ScreeningRecord> screenings, tx.ListScreenings(patient.id));
    census["screenings"] += static_cast<std::int64_t>(screenings.size());
    ASSIGN_OR_RETURN(std::vector<app::AdverseEvent> adverse_events, tx.ListAdverseEvents(patient.id));
    census["adverse events"] += static_cast<std::int64_t>(adverse_events.size());
    ASSIGN_OR_RETURN(std::vector<app::Note> notes, tx.ListNotes(patient.id, std::nullopt));
    for (const app::Note& note : notes) {
        census["notes"] += 1;
        census["note versions"] += note.version;
        census["note addenda"] += static_cast<std::int64_t>(note.addenda.size());
    }
    ASSIGN_OR_RETURN(std::vector<app::TreatmentCourse> courses, tx.ListCourses(patient.id));
    for (const app::TreatmentCourse& course : courses) {
        census["courses"] += 1;
        census["courses paused or ended"] += course.status == app::CourseStatus::kActive ? 0 : 1;
        ASSIGN_OR_RETURN(std::vector<app::TreatmentSession> sessions, tx.ListSessions(course.id));
        for (const app::TreatmentSession& session : sessions) {
            census["sessions " + std::string(clinical::SessionStateName(session.state))] += 1;
            ASSIGN_OR_RETURN(std::vector<app::SessionTransition> transitions, tx.ListSessionTransitions(session.id));
            census["session transitions"] += static_cast<std::int64_t>(transitions.size());
            ASSIGN_OR_RETURN(std::optional<app::DoseOrderRecord> order, tx.FindDoseOrder(session.id));
            census["dose orders"] += order ? 1 : 0;
            ASSIGN_OR_RETURN(std::vector<app::Administration> given, tx.ListAdministrations(session.id));
            census["administrations"] += static_cast<std::int64_t>(given.size());
            for (const app::Administration& administration : given) {
                census["infusion stops"] += administration.stop ? 1 : 0;
            }
            ASSIGN_OR_RETURN(std::vector<app::SessionMedication> medications, tx.ListSessionMedications(session.id));
            census["session medications"] += static_cast<std::int64_t>(medications.size());
            ASSIGN_OR_RETURN(std::optional<app::RemsFormRecord> form, tx.FindRemsForm(session.id));
            census["REMS forms"] += form ? 1 : 0;
        }
    }
    return Status::Ok();
}

Census TakeCensus(app::Store& store) {
    Census census;
    const Status read = store.Read([&](app::StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(std::vector<app::Patient> patients, tx.ListPatients(PatientId{0}, app::kMaxPageSize));
        for (const app::Patient& patient : patients) {
            RETURN_IF_ERROR(CountPatientRecords(tx, patient, census));
        }
        app::AlertFilter alerts_filter;
        alerts_filter.limit = app::kMaxPageSize;
        ASSIGN_OR_RETURN(std::vector<app::Alert> alerts, tx.ListAlerts(alerts_filter));
        census["alerts"] = static_cast<std::int64_t>(alerts.size());
        app::AuditFilter audit_filter;
        audit_filter.limit = app::kMaxPageSize;
        ASSIGN_OR_RETURN(std::vector<app::AuditEntry> audit, tx.ListAudit(audit_filter));
        census["audit entries"] = static_cast<std::int64_t>(audit.size());
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.error().ToString();
    return census;
}

// `outcome` is `injected`, unchanged, and the census is still `before`.
void ExpectFailedWritingNothing(const Status& outcome, const Error& injected, app::Store& store, const Census& before) {
    ASSERT_FALSE(outcome.ok()) << "the use case succeeded although the store failed";
    EXPECT_EQ(ErrorCodeName(outcome.error().code), ErrorCodeName(injected.code)) << outcome.error().ToString();
    EXPECT_EQ(outcome.error().field, injected.field) << outcome.error().ToString();
    EXPECT_EQ(outcome.error().message, injected.message) << outcome.error().ToString();
    EXPECT_EQ(TakeCensus(store), before) << "the failed use case wrote something";
}

class FaultContractTest : public UseCaseTest {
protected:
    // A use case that writes more than once in one transaction, run on the clinic's use cases it is given.
    using UseCase = std::function<Status(app::ClinicUseCases&)>;

    // Runs `use_case` through a FaultStore over the real store: failing at the commit, then at each of its
    // transaction operations in turn, with kUnavailable and kInternal; then with no fault, when it must succeed.
    void ExpectEveryFaultWritesNothing(const UseCase& use_case) {
        ASSERT_FALSE(HasFailure()) << "the arrangement failed";
        FaultStore faults(store());
        app::ClinicUseCases faulty(faults, clock_, credentials_, zones_);
        const Census before = TakeCensus(store());

        for (const ErrorCode code : {ErrorCode::kUnavailable, ErrorCode::kInternal}) {
            SCOPED_TRACE(ErrorCodeName(code));
            faults.FailCommit(code);
            {
                SCOPED_TRACE("at the commit");
                ExpectFailedWritingNothing(use_case(faulty), InjectedError(code, "commit"), store(), before);
            }
            const int calls = faults.calls();
            EXPECT_GE(calls, 2) << "the use case does not write more than once; it does not belong here";
            for (int call = 1; call <= calls; ++call) {
                SCOPED_TRACE("at call " + std::to_string(call) + " of " + std::to_string(calls));
                faults.FailCall(call, code);
                const Status outcome = use_case(faulty);
                EXPECT_TRUE(faults.fired()) << "the use case made fewer calls than on its full run";
                ExpectFailedWritingNothing(outcome, InjectedError(code, "call " + std::to_string(call)), store(),
                                           before);
            }
        }

        faults.Disarm();
        const Status done = use_case(faulty);
        ASSERT_TRUE(done.ok()) << done.error().ToString();
        EXPECT_NE(TakeCensus(store()), before) << "the census does not see what the use case writes";
    }

    // The first session of an esketamine course, checked in, its pre-dose BP confirmed, a 56-mg order signed,
    // dosing, and one device given: ending it now owes the REMS a monitoring form.
    SessionId DosingSession(PatientId patient) {
        const app::CourseRecord course =
            StartCourse(patient, clinical::Protocol::kEsketamineTrd, clinical::Route::kEsketamineNasal);
        if (course.sessions.empty()) {
            ADD_FAILURE() << "no session to dose";
            return SessionId{};
        }
        const SessionId session = course.sessions.front().id;
        EXPECT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
        clock_.Advance(minutes{5});
        EXPECT_TRUE(
            clinic().patients.RecordVitalSign(nurse_, BloodPressure(patient, 128, 82, clock_.Now()), settings_).ok());
        clock_.Advance(minutes{1});
        EXPECT_TRUE(clinic().sessions.ConfirmPreDose(nurse_, session, settings_).ok());
        const clinical::DoseRequest first_dose{.route = clinical::Route::kEsketamineNasal,
                                               .weight_kg = 70,
                                               .dose_mg = 56,
                                               .first_dose = true,
                                               .age_years = 46};
        Weigh(patient);
        EXPECT_TRUE(clinic().doses.SignDoseOrder(prescriber_, session, first_dose, settings_).ok());
        EXPECT_TRUE(clinic().sessions.StartDosing(nurse_, session).ok());
        const app::NewAdministration device{
            "esketamine", clinical::Route::kEsketamineNasal, 28.0, std::nullopt, 1, "LOT-F", clock_.Now(),
            clock_.Now()};
        EXPECT_TRUE(clinic().doses.RecordAdministration(nurse_, session, device, settings_).ok());
        clock_.Advance(minutes{10});
        return session;
    }
};

TEST_P(FaultContractTest, RegisterPatient) {
    ExpectEveryFaultWritesNothing([&](app::ClinicUseCases& faulty) {
        return StatusOf(faulty.patients.RegisterPatient(nurse_, NewPatient("MRN-F2")));
    });
}

// Also writes every session of the course (an esketamine induction has eight) and each session's first transition.
TEST_P(FaultContractTest, StartCourse) {
    const PatientId patient = Register("MRN-F1");
    SignedScreening(patient, clinical::Product::kEsketamineNasal);
    ExpectEveryFaultWritesNothing([&](app::ClinicUseCases& faulty) {
        return StatusOf(faulty.courses.StartCourse(
            prescriber_, patient,
            app::NewCourse{"treatment-resistant depression (F33.2)", clinical::Protocol::kEsketamineTrd,
                           clinical::Route::kEsketamineNasal, kCourseStart},
            settings_));
    });
}

// A BP of 190/80 mm[Hg] raises the systolic_high alert in the same transaction.
TEST_P(FaultContractTest, RecordVitalSignRaisingAnAlert) {
    const PatientId patient = Register("MRN-F1");
    ExpectEveryFaultWritesNothing([&](app::ClinicUseCases& faulty) {
        return StatusOf(faulty.patients.RecordVitalSign(nurse_, BloodPressure(patient, 190, 80, kStart), settings_));
    });
}

TEST_P(FaultContractTest, SignNote) {
    const PatientId patient = Register("MRN-F1");
    Result<app::Note> draft = clinic().notes.Write(
        nurse_, patient, app::NewNote{app::NoteKind::kProgress, std::nullopt, std::nullopt, "Slept well."});
    ASSERT_TRUE(draft.ok()) << draft.error().ToString();
    ExpectEveryFaultWritesNothing(
        [&](app::ClinicUseCases& faulty) { return StatusOf(faulty.notes.Sign(nurse_, draft->id, draft->version)); });
}

// The transition, its audit entry, the REMS form the ended esketamine session owes and the form's audit entry.
TEST_P(FaultContractTest, AbortSessionOwingARemsForm) {
    const SessionId session = DosingSession(Register("MRN-F1"));
    ExpectEveryFaultWritesNothing([&](app::ClinicUseCases& faulty) {
        return StatusOf(faulty.sessions.Abort(nurse_, session, "fire alarm, building evacuated"));
    });
}

// The medication and its audit entry.
TEST_P(FaultContractTest, RecordSessionMedication) {
    const SessionId session = DosingSession(Register("MRN-F1"));
    const app::NewSessionMedication ondansetron{
        "ondansetron", 4,        clinical::MedicationUnit::kMg,      clinical::MedicationRoute::kPo,
        clock_.Now(),  "nausea", clinical::MedicationOrderKind::kPrn};
    ExpectEveryFaultWritesNothing([&](app::ClinicUseCases& faulty) {
        return StatusOf(faulty.doses.RecordSessionMedication(nurse_, session, ondansetron, settings_));
    });
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& param_info) { return std::string(BackendName(param_info.param)); });

}  // namespace
}  // namespace kclinic::adapters::storage::contract
