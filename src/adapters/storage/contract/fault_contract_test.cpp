// What a use case leaves behind when the database fails half-way through it. Each case is a use case that writes
// more than once in one transaction; it runs through a FaultStore over a real SQLite file and a real PostgreSQL
// server, which fails its commit and then each of its transaction operations in turn, with kUnavailable and with
// kInternal (what the adapters report when the database is lost or fails). Every failure must write nothing (the
// census of the whole record, read back through the real store, is unchanged) and reach the caller as the store
// reported it, as the Store port documents. The same use case then succeeds and changes the census, so the check
// that nothing was written can fail.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/storage/contract/fault_store.hpp"
#include "adapters/storage/contract/test_stores.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/course_records.hpp"
#include "app/dose_records.hpp"
#include "app/note_records.hpp"
#include "app/patient_records.hpp"
#include "app/session_steps.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using app::SessionId;
using std::chrono::minutes;

const app::Actor kNurse{"nurse@clinic.example", "10.0.0.7"};
const app::Actor kPrescriber{"doctor@clinic.example", "10.0.0.8"};

// The use cases, all over one store.
struct UseCases {
    UseCases(app::Store& store, const app::Clock& clock)
        : patients(store, clock),
          courses(store, clock),
          sessions(store, clock),
          doses(store, clock),
          notes(store, clock) {}

    app::PatientRecords patients;
    app::CourseRecords courses;
    app::SessionSteps sessions;
    app::DoseRecords doses;
    app::NoteRecords notes;
    clinical::ClinicSettings settings;
};

// What a case's arrangement made for its use case to act on.
struct Subject {
    PatientId patient;
    SessionId session;
    app::Note note;
};

// A use case that writes more than once in one transaction. `arrange` brings the record to where `run` succeeds
// (through the real store; it reports its own failures); `run` is the use case, through the fault store.
struct FaultCase {
    std::string name;
    std::function<Subject(UseCases&, StepClock&)> arrange;
    std::function<Status(UseCases&, const Subject&)> run;
};

void PrintTo(const FaultCase& fault_case, std::ostream* out) {
    *out << fault_case.name;
}

// How many of each kind of record the store holds, and in which state, read through the real store: a use case
// that wrote anything, or changed a record's state, changes it.
using Census = std::map<std::string, std::int64_t>;

Status CountPatientRecords(app::StoreTransaction& tx, const app::Patient& patient, Census& census) {
    census["patients"] += 1;
    census["patient versions"] += patient.version;
    ASSIGN_OR_RETURN(std::vector<app::WeightMeasurement> weights, tx.ListWeights(patient.id));
    census["weights"] += static_cast<std::int64_t>(weights.size());
    ASSIGN_OR_RETURN(std::vector<app::VitalSign> vitals, tx.ListVitalSigns(patient.id, app::kMaxPageSize));
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

// Arrangements, through the real store.

PatientId RegisterAda(UseCases& use_cases) {
    Result<app::Patient> registered = use_cases.patients.RegisterPatient(
        kNurse, app::NewPatient{"MRN-F1", "Ada", "Example", std::chrono::sys_days{std::chrono::year{1980} / 3 / 14},
                                clinical::Sex::kFemale});
    EXPECT_TRUE(registered.ok()) << registered.error().ToString();
    return registered.ok() ? registered->id : PatientId{};
}

app::NewCourse EsketamineCourse() {
    return app::NewCourse{"treatment-resistant depression (F33.2)", clinical::Protocol::kEsketamineTrd,
                          clinical::Route::kEsketamineNasal, kCourseStart};
}

// The first session of an esketamine course, checked in, its pre-dose BP confirmed, a 56-mg order signed, dosing,
// and one device given: ending it now owes the REMS a monitoring form.
SessionId DosingSession(UseCases& use_cases, StepClock& clock, PatientId patient) {
    Result<app::CourseRecord> course =
        use_cases.courses.StartCourse(kPrescriber, patient, EsketamineCourse(), use_cases.settings);
    EXPECT_TRUE(course.ok()) << course.error().ToString();
    if (!course.ok() || course->sessions.empty()) {
        ADD_FAILURE() << "no session to dose";
        return SessionId{};
    }
    const SessionId session = course->sessions.front().id;
    EXPECT_TRUE(use_cases.sessions.CheckIn(kNurse, session, true, true).ok());
    clock.Advance(minutes{5});
    for (const auto& [loinc, value] : {std::pair{"8480-6", 128.0}, std::pair{"8462-4", 82.0}}) {
        EXPECT_TRUE(use_cases.patients
                        .RecordVitalSign(kNurse,
                                         app::NewVitalSign{patient, loinc, value, "mm[Hg]", clock.Now(),
                                                           app::VitalSource::kManual, ""},
                                         use_cases.settings)
                        .ok());
    }
    clock.Advance(minutes{1});
    EXPECT_TRUE(use_cases.sessions.ConfirmPreDose(kNurse, session, use_cases.settings).ok());
    const clinical::DoseRequest first_dose{.route = clinical::Route::kEsketamineNasal,
                                           .weight_kg = 70,
                                           .dose_mg = 56,
                                           .first_dose = true,
                                           .age_years = 46};
    EXPECT_TRUE(use_cases.doses.SignDoseOrder(kPrescriber, session, first_dose, use_cases.settings).ok());
    EXPECT_TRUE(use_cases.sessions.StartDosing(kNurse, session).ok());
    const app::NewAdministration device{
        "esketamine", clinical::Route::kEsketamineNasal, 28.0, std::nullopt, 1, "LOT-F", clock.Now(), clock.Now()};
    EXPECT_TRUE(use_cases.doses.RecordAdministration(kNurse, session, device).ok());
    clock.Advance(minutes{10});
    return session;
}

Subject Nothing(UseCases&, StepClock&) {
    return Subject{};
}

Subject OnePatient(UseCases& use_cases, StepClock&) {
    return Subject{RegisterAda(use_cases), SessionId{}, app::Note{}};
}

Subject OnePatientWithADraftNote(UseCases& use_cases, StepClock& clock) {
    Subject subject = OnePatient(use_cases, clock);
    Result<app::Note> draft = use_cases.notes.Write(
        kNurse, subject.patient, app::NewNote{app::NoteKind::kProgress, std::nullopt, std::nullopt, "Slept well."});
    EXPECT_TRUE(draft.ok()) << draft.error().ToString();
    subject.note = draft.ok() ? *draft : app::Note{};
    return subject;
}

Subject OnePatientDosing(UseCases& use_cases, StepClock& clock) {
    Subject subject = OnePatient(use_cases, clock);
    subject.session = DosingSession(use_cases, clock, subject.patient);
    return subject;
}

// The use cases under test, through the fault store.

Status RegisterAnotherPatient(UseCases& use_cases, const Subject&) {
    return StatusOf(use_cases.patients.RegisterPatient(
        kNurse, app::NewPatient{"MRN-F2", "Grace", "Example", std::chrono::sys_days{std::chrono::year{1975} / 12 / 9},
                                clinical::Sex::kFemale}));
}

// Also writes every session of the course (an esketamine induction has eight) and each session's first transition.
Status StartACourse(UseCases& use_cases, const Subject& subject) {
    return StatusOf(
        use_cases.courses.StartCourse(kPrescriber, subject.patient, EsketamineCourse(), use_cases.settings));
}

// A systolic BP of 190 mm[Hg] raises the systolic_high alert in the same transaction.
Status RecordAHighSystolic(UseCases& use_cases, const Subject& subject) {
    return StatusOf(use_cases.patients.RecordVitalSign(
        kNurse, app::NewVitalSign{subject.patient, "8480-6", 190, "mm[Hg]", At(0), app::VitalSource::kManual, ""},
        use_cases.settings));
}

Status SignTheNote(UseCases& use_cases, const Subject& subject) {
    return StatusOf(use_cases.notes.Sign(kNurse, subject.note.id, subject.note.version));
}

// The transition, its audit entry, the REMS form the ended esketamine session owes and the form's audit entry.
Status AbortTheSession(UseCases& use_cases, const Subject& subject) {
    return StatusOf(use_cases.sessions.Abort(kNurse, subject.session, "fire alarm, building evacuated"));
}

const std::vector<FaultCase> kFaultCases = {
    {"RegisterPatient", Nothing, RegisterAnotherPatient},
    {"StartCourse", OnePatient, StartACourse},
    {"RecordVitalSignRaisingAnAlert", OnePatient, RecordAHighSystolic},
    {"SignNote", OnePatientWithADraftNote, SignTheNote},
    {"AbortSessionOwingARemsForm", OnePatientDosing, AbortTheSession},
};

// `outcome` is `injected`, unchanged, and the census is still `before`.
void ExpectFailedWritingNothing(const Status& outcome, const Error& injected, app::Store& store, const Census& before) {
    ASSERT_FALSE(outcome.ok()) << "the use case succeeded although the store failed";
    EXPECT_EQ(ErrorCodeName(outcome.error().code), ErrorCodeName(injected.code)) << outcome.error().ToString();
    EXPECT_EQ(outcome.error().field, injected.field) << outcome.error().ToString();
    EXPECT_EQ(outcome.error().message, injected.message) << outcome.error().ToString();
    EXPECT_EQ(TakeCensus(store), before) << "the failed use case wrote something";
}

class FaultContractTest : public ::testing::TestWithParam<std::tuple<Backend, FaultCase>> {};

TEST_P(FaultContractTest, AFailureAnywhereWritesNothingAndReachesTheCallerUnchanged) {
    const auto& [backend, fault_case] = GetParam();
    Result<std::unique_ptr<TestStore>> opened = OpenTestStore(backend);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    app::Store& store = (*opened)->store();
    StepClock clock;
    UseCases real(store, clock);
    const Subject subject = fault_case.arrange(real, clock);
    ASSERT_FALSE(HasFailure()) << "the arrangement failed";
    FaultStore faults(store);
    UseCases faulty(faults, clock);
    const Census before = TakeCensus(store);

    for (const ErrorCode code : {ErrorCode::kUnavailable, ErrorCode::kInternal}) {
        SCOPED_TRACE(ErrorCodeName(code));
        faults.FailCommit(code);
        {
            SCOPED_TRACE("at the commit");
            ExpectFailedWritingNothing(fault_case.run(faulty, subject), InjectedError(code, "commit"), store, before);
        }
        const int calls = faults.calls();
        EXPECT_GE(calls, 2) << "the use case does not write more than once; it does not belong here";
        for (int call = 1; call <= calls; ++call) {
            SCOPED_TRACE("at call " + std::to_string(call) + " of " + std::to_string(calls));
            faults.FailCall(call, code);
            const Status outcome = fault_case.run(faulty, subject);
            EXPECT_TRUE(faults.fired()) << "the use case made fewer calls than on its full run";
            ExpectFailedWritingNothing(outcome, InjectedError(code, "call " + std::to_string(call)), store, before);
        }
    }

    faults.Disarm();
    const Status done = fault_case.run(faulty, subject);
    ASSERT_TRUE(done.ok()) << done.error().ToString();
    EXPECT_NE(TakeCensus(store), before) << "the census does not see what the use case writes";
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultContractTest,
                         ::testing::Combine(::testing::Values(Backend::kSqlite, Backend::kPostgres),
                                            ::testing::ValuesIn(kFaultCases)),
                         [](const auto& param_info) {
                             return std::string(BackendName(std::get<0>(param_info.param))) + "_" +
                                    std::get<1>(param_info.param).name;
                         });

}  // namespace
}  // namespace kclinic::adapters::storage::contract
