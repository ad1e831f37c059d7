// Who may start a course and who may record what (issue 10 §3), on both backends: a course starts only on the
// patient's latest signed screening for its product whose decision allows it (a needs-review screening with a
// prescriber's override reason, kept on the course and audited), never beside another open course for the same
// indication; a patient records only patient-reported questionnaires, dated now; a patient's named clinician is an
// active user with a clinical role. Every refusal writes nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "adapters/storage/contract/test_stores.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "clinical/course_gate.hpp"
#include "clinical/scales.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::PatientId;
using app::Role;
using clinical::Decision;
using clinical::Instrument;
using clinical::Product;
using clinical::Protocol;
using clinical::Route;

constexpr std::string_view kIndication = "treatment-resistant depression (F33.2)";

class CourseSafetyContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        patient_ = Register("MRN-C");
    }

    Result<app::CourseRecord> Start(const std::string& indication = std::string(kIndication),
                                    const std::string& override_reason = "", Route route = Route::kIv) {
        const Protocol protocol = route == Route::kEsketamineNasal ? Protocol::kEsketamineTrd : Protocol::kIvInduction;
        return clinic().courses.StartCourse(prescriber_, patient_,
                                            app::NewCourse{indication, protocol, route, kCourseStart, override_reason},
                                            settings_);
    }

    // Expects `started` refused with `code` on `field`, and nothing written: no course, no audit entry.
    void ExpectRefused(const Result<app::CourseRecord>& started, ErrorCode code, const std::string& field,
                       std::size_t courses_before, std::size_t audit_before) {
        ASSERT_TRUE(IsRefusal(started, code, field));
        EXPECT_EQ(Courses().size(), courses_before);
        EXPECT_EQ(AuditActions().size(), audit_before);
    }

    std::vector<app::TreatmentCourse> Courses() {
        std::vector<app::TreatmentCourse> courses;
        const Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            ASSIGN_OR_RETURN(courses, tx.ListCourses(patient_));
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return courses;
    }

    std::vector<app::Assessment> Assessments() {
        std::vector<app::Assessment> assessments;
        const Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            ASSIGN_OR_RETURN(assessments, tx.ListAssessments(patient_));
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return assessments;
    }

    Result<app::RecordedAssessment> SelfReport(Instrument instrument, const std::vector<int>& answers,
                                               app::TimePoint assessed_at) {
        return clinic().patients.RecordSelfReport(patient_user_, patient_, instrument, answers, assessed_at, settings_);
    }

    const Actor patient_user_{"ada@example.org", "10.0.0.20"};
    PatientId patient_;
};

TEST_P(CourseSafetyContractTest, ACourseNeedsASignedScreeningForItsProduct) {
    const std::size_t audit_before = AuditActions().size();
    ExpectRefused(Start(), ErrorCode::kFailedPrecondition, "screening", 0, audit_before);

    // Screened, not signed.
    Result<app::ScreeningRecord> unsigned_screening =
        clinic().history.ScreenPatient(nurse_, patient_, Product::kKetamineIv, {}, settings_);
    ASSERT_TRUE(unsigned_screening.ok()) << unsigned_screening.error().ToString();
    std::size_t audit = AuditActions().size();
    ExpectRefused(Start(), ErrorCode::kFailedPrecondition, "screening", 0, audit);

    // Signed and eligible, but for esketamine: an IV course still has no screening of its own.
    SignedScreening(patient_, Product::kEsketamineNasal);
    audit = AuditActions().size();
    ExpectRefused(Start(), ErrorCode::kFailedPrecondition, "screening", 0, audit);

    const app::ScreeningId screening = SignedScreening(patient_, Product::kKetamineIv);
    Result<app::CourseRecord> started = Start();
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    EXPECT_EQ(started->course.screening, screening);
    EXPECT_EQ(started->course.screening_override_reason, "");
    Result<app::CourseRecord> read = clinic().courses.GetCourse(nurse_, started->course.id);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(read->course.screening, screening);
}

TEST_P(CourseSafetyContractTest, TheLatestScreeningDecidesAndAContraindicationIsNeverOverridden) {
    SignedScreening(patient_, Product::kKetamineIv, Decision::kEligible);
    SignedScreening(patient_, Product::kKetamineIv, Decision::kNotEligible);
    const std::size_t audit = AuditActions().size();
    ExpectRefused(Start(), ErrorCode::kFailedPrecondition, "screening", 0, audit);
    ExpectRefused(Start(std::string(kIndication), "benefit outweighs the risk"), ErrorCode::kFailedPrecondition,
                  "screening", 0, audit);
}

TEST_P(CourseSafetyContractTest, ANeedsReviewScreeningStartsACourseOnlyWithAnOverrideKeptAndAudited) {
    const app::ScreeningId screening = SignedScreening(patient_, Product::kKetamineIv, Decision::kNeedsReview);
    const std::size_t audit = AuditActions().size();
    ExpectRefused(Start(), ErrorCode::kFailedPrecondition, "screening", 0, audit);
    ExpectRefused(Start(std::string(kIndication), "  "), ErrorCode::kFailedPrecondition, "screening", 0, audit);

    Result<app::CourseRecord> started = Start(std::string(kIndication), "BP 182/104 rechecked at 138/86 on amlodipine");
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    EXPECT_EQ(started->course.screening, screening);
    const std::vector<app::TreatmentCourse> stored = Courses();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].screening, screening);
    EXPECT_EQ(stored[0].screening_override_reason, "BP 182/104 rechecked at 138/86 on amlodipine");
    const std::vector<app::AuditEntry> entries = Audit(patient_.value);
    ASSERT_GE(entries.size(), 2u);
    EXPECT_EQ(entries[entries.size() - 2].action, "course.create");
    EXPECT_EQ(entries.back().action, "course.screening_override");
    EXPECT_EQ(entries.back().actor, prescriber_.user);
    EXPECT_EQ(entries.back().record_id, started->course.id.value);

    // The schema keeps the screening and the reason a course started on.
    EXPECT_FALSE(ExecuteDirectly("UPDATE treatment_courses SET screening_override_reason = 'edited'").ok());
    EXPECT_FALSE(ExecuteDirectly("UPDATE treatment_courses SET screening_id = NULL").ok());
}

TEST_P(CourseSafetyContractTest, AnOverrideOfAScreeningThatNeedsNoneIsRefused) {
    SignedScreening(patient_, Product::kKetamineIv, Decision::kEligibleWithCautions);
    const std::size_t audit = AuditActions().size();
    ExpectRefused(Start(std::string(kIndication), "just in case"), ErrorCode::kInvalidArgument,
                  "screening_override_reason", 0, audit);
    EXPECT_TRUE(Start().ok());
}

TEST_P(CourseSafetyContractTest, OneOpenCourseAnIndicationActiveOrPaused) {
    SignedScreening(patient_, Product::kKetamineIv);
    SignedScreening(patient_, Product::kEsketamineNasal);
    Result<app::CourseRecord> first = Start();
    ASSERT_TRUE(first.ok()) << first.error().ToString();

    std::size_t audit = AuditActions().size();
    // The same indication as written differently, and on another route: still the same condition being treated.
    ExpectRefused(Start("Treatment-resistant  depression (f33.2)", "", Route::kEsketamineNasal),
                  ErrorCode::kFailedPrecondition, "indication", 1, audit);
    ASSERT_TRUE(clinic().courses.PauseCourse(prescriber_, first->course.id, "patient travelling").ok());
    audit = AuditActions().size();
    ExpectRefused(Start(), ErrorCode::kFailedPrecondition, "indication", 1, audit);

    // Another indication is another course.
    Result<app::CourseRecord> other = Start("PTSD (F43.10)");
    ASSERT_TRUE(other.ok()) << other.error().ToString();

    // Once the first course ended, the indication may start again.
    ASSERT_TRUE(clinic().courses.EndCourse(prescriber_, first->course.id, "relapse: new induction").ok());
    Result<app::CourseRecord> again = Start();
    ASSERT_TRUE(again.ok()) << again.error().ToString();
}

TEST_P(CourseSafetyContractTest, APatientRecordsOnlyPatientReportedQuestionnaires) {
    for (const auto& [instrument, answers] : std::vector<std::pair<Instrument, std::vector<int>>>{
             {Instrument::kMadrs, {3, 3, 3, 3, 3, 3, 3, 3, 3, 0}},
             {Instrument::kHamd17, std::vector<int>(17, 0)},
             {Instrument::kMoaas, {5}},
             {Instrument::kCadss6, std::vector<int>(6, 0)},
             {Instrument::kCssrsScreen, std::vector<int>(7, 0)},
         }) {
        const std::size_t audit = AuditActions().size();
        Result<app::RecordedAssessment> refused = SelfReport(instrument, answers, clock_.Now());
        ASSERT_TRUE(IsRefusal(refused, ErrorCode::kPermissionDenied, "instrument"))
            << clinical::InstrumentName(instrument);
        EXPECT_EQ(AuditActions().size(), audit);
    }
    EXPECT_TRUE(Assessments().empty());

    for (const auto& [instrument, answers] : std::vector<std::pair<Instrument, std::vector<int>>>{
             {Instrument::kPhq9, {1, 1, 0, 0, 0, 0, 0, 0, 0}},
             {Instrument::kGad7, {1, 1, 1, 1, 1, 1, 1}},
             {Instrument::kQidsSr16, std::vector<int>(16, 1)},
             {Instrument::kPcl5, std::vector<int>(20, 1)},
         }) {
        Result<app::RecordedAssessment> recorded = SelfReport(instrument, answers, clock_.Now());
        ASSERT_TRUE(recorded.ok()) << clinical::InstrumentName(instrument) << ": " << recorded.error().ToString();
        EXPECT_EQ(recorded->assessment.recorded_by, patient_user_.user);
    }
    EXPECT_EQ(Assessments().size(), 4u);

    // The clinic may let patients answer the C-SSRS screener; its positive answers still raise the alert.
    settings_.scales.cssrs_screen_self_report = clinical::CssrsSelfReport::kPatientAllowed;
    Result<app::RecordedAssessment> cssrs = SelfReport(Instrument::kCssrsScreen, {1, 0, 0, 0, 0, 0, 0}, clock_.Now());
    ASSERT_TRUE(cssrs.ok()) << cssrs.error().ToString();
    EXPECT_EQ(Assessments().size(), 5u);
}

TEST_P(CourseSafetyContractTest, APatientsAnswersAreDatedNow) {
    const std::vector<int> answers{1, 1, 0, 0, 0, 0, 0, 0, 0};
    for (const std::chrono::minutes offset : {std::chrono::minutes{-6}, std::chrono::minutes{-60 * 24 * 7},
                                              std::chrono::minutes{6}, std::chrono::minutes{60 * 24}}) {
        const std::size_t audit = AuditActions().size();
        Result<app::RecordedAssessment> refused = SelfReport(Instrument::kPhq9, answers, clock_.Now() + offset);
        ASSERT_TRUE(IsRefusal(refused, ErrorCode::kInvalidArgument, "assessed_at")) << offset.count();
        EXPECT_EQ(AuditActions().size(), audit);
    }
    EXPECT_TRUE(Assessments().empty());
    EXPECT_TRUE(SelfReport(Instrument::kPhq9, answers, clock_.Now() - std::chrono::minutes{5}).ok());
    EXPECT_TRUE(SelfReport(Instrument::kPhq9, answers, clock_.Now() + std::chrono::minutes{5}).ok());
}

TEST_P(CourseSafetyContractTest, TheNamedClinicianIsAnActiveUserWithAClinicalRole) {
    AddUser("prescriber@clinic.example", Role::kPrescriber);
    AddUser("nurse@clinic.example", Role::kNurse);
    AddUser("therapist@clinic.example", Role::kTherapist);
    AddUser("desk@clinic.example", Role::kFrontDesk);
    AddUser("admin@clinic.example", Role::kAdmin);
    AddUser("gone@clinic.example", Role::kPrescriber);
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "gone@clinic.example").ok());

    for (const std::string clinician :
         {"nobody@clinic.example", "desk@clinic.example", "admin@clinic.example", "gone@clinic.example"}) {
        app::NewPatient patient = NewPatient("MRN-" + clinician);
        patient.clinician = clinician;
        const std::size_t audit = AuditActions().size();
        Result<app::Patient> registered = clinic().patients.RegisterPatient(nurse_, patient);
        ASSERT_TRUE(IsRefusal(registered, ErrorCode::kInvalidArgument, "clinician")) << clinician;
        EXPECT_EQ(AuditActions().size(), audit);

        Result<app::Patient> current = clinic().patients.GetPatient(nurse_, patient_);
        ASSERT_TRUE(current.ok());
        app::Patient changed = *current;
        changed.clinician = clinician;
        Result<app::Patient> updated = clinic().patients.UpdatePatient(nurse_, changed);
        ASSERT_FALSE(updated.ok()) << clinician;
        EXPECT_EQ(updated.error().field, "clinician") << updated.error().ToString();
    }

    int n = 0;
    for (const std::string clinician :
         {"prescriber@clinic.example", "Nurse@Clinic.Example", "therapist@clinic.example"}) {
        app::NewPatient patient = NewPatient("MRN-OK-" + std::to_string(++n));
        patient.clinician = clinician;
        Result<app::Patient> registered = clinic().patients.RegisterPatient(nurse_, patient);
        ASSERT_TRUE(registered.ok()) << clinician << ": " << registered.error().ToString();
    }
    Result<app::Patient> current = clinic().patients.GetPatient(nurse_, patient_);
    ASSERT_TRUE(current.ok());
    app::Patient changed = *current;
    changed.clinician = "therapist@clinic.example";
    Result<app::Patient> updated = clinic().patients.UpdatePatient(nurse_, changed);
    ASSERT_TRUE(updated.ok()) << updated.error().ToString();
    EXPECT_EQ(updated->clinician, "therapist@clinic.example");
    // Naming none stays allowed.
    changed = *updated;
    changed.clinician = "";
    EXPECT_TRUE(clinic().patients.UpdatePatient(nurse_, changed).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, CourseSafetyContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
