#include "adapters/storage/contract/use_case_fixture.hpp"

#include <utility>

#include "clinical/course_gate.hpp"

namespace kclinic::adapters::storage::contract {

void UseCaseTest::SetUp() {
    Result<std::unique_ptr<TestStore>> opened = OpenTestStore(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    test_store_ = std::move(opened).value();
    use_cases_ = std::make_unique<app::ClinicUseCases>(store(), clock_, credentials_, zones_);
}

app::NewPatient UseCaseTest::NewPatient(const std::string& mrn) {
    return app::NewPatient{mrn, "Ada", "Example", std::chrono::sys_days{std::chrono::year{1980} / 3 / 14},
                           clinical::Sex::kFemale};
}

app::PatientId UseCaseTest::Register(const app::NewPatient& patient) {
    Result<app::Patient> created = clinic().patients.RegisterPatient(nurse_, patient);
    EXPECT_TRUE(created.ok()) << created.error().ToString();
    return created.ok() ? created->id : app::PatientId{};
}

app::PatientId UseCaseTest::Register(const std::string& mrn, const std::string& given, const std::string& family) {
    app::NewPatient patient = NewPatient(mrn);
    patient.given_name = given;
    patient.family_name = family;
    return Register(patient);
}

app::ScreeningId UseCaseTest::SignedScreening(app::PatientId patient, clinical::Product product,
                                              clinical::Decision decision) {
    app::ScreeningRecord screening;
    screening.patient = patient;
    screening.inputs.age_years = 46;
    screening.inputs.product = product;
    screening.result.decision = decision;
    screening.screened_at = clock_.Now();
    screening.screened_by = prescriber_.user;
    Result<app::ScreeningId> stored = store().Write([&](app::StoreTransaction& tx) -> Result<app::ScreeningId> {
        ASSIGN_OR_RETURN(const app::ScreeningId id, tx.InsertScreening(screening));
        RETURN_IF_ERROR(
            tx.SignScreening(id, app::ScreeningSignature{app::SignOff::kAccepted, "", clock_.Now(), prescriber_.user}));
        return id;
    });
    EXPECT_TRUE(stored.ok()) << stored.error().ToString();
    return stored.ok() ? *stored : app::ScreeningId{};
}

void UseCaseTest::Weigh(app::PatientId patient, double kg) {
    Result<app::WeightMeasurement> weighed =
        clinic().patients.RecordWeight(nurse_, patient, clock_.Now(), kg, false, settings_);
    EXPECT_TRUE(weighed.ok()) << weighed.error().ToString();
}

void UseCaseTest::CheckInAndConfirm(app::PatientId patient, app::SessionId session) {
    ASSERT_TRUE(clinic().sessions.CheckIn(nurse_, session, true, true).ok());
    clock_.Advance(std::chrono::minutes{2});
    Result<app::RecordedVitalSign> reading =
        clinic().patients.RecordVitalSign(nurse_, BloodPressure(patient, 128, 78, clock_.Now()), settings_);
    ASSERT_TRUE(reading.ok()) << reading.error().ToString();
    clock_.Advance(std::chrono::minutes{1});
    Result<app::TreatmentSession> confirmed = clinic().sessions.ConfirmPreDose(nurse_, session, settings_);
    ASSERT_TRUE(confirmed.ok()) << confirmed.error().ToString();
}

void UseCaseTest::StartDosing(app::PatientId patient, app::SessionId session, const clinical::DoseRequest& request) {
    ASSERT_NO_FATAL_FAILURE(CheckInAndConfirm(patient, session));
    Result<app::DoseOrderRecord> order = clinic().doses.SignDoseOrder(prescriber_, session, request, settings_);
    ASSERT_TRUE(order.ok()) << order.error().ToString();
    ASSERT_TRUE(clinic().sessions.StartDosing(nurse_, session).ok());
}

clinical::DoseRequest UseCaseTest::EsketamineRequest(double dose_mg) {
    clinical::DoseRequest request;
    request.route = clinical::Route::kEsketamineNasal;
    request.weight_kg = 70;
    request.dose_mg = dose_mg;
    request.age_years = 46;
    return request;
}

clinical::DoseRequest UseCaseTest::IvRequest(double mg_per_kg, double weight_kg) {
    clinical::DoseRequest request;
    request.route = clinical::Route::kIv;
    request.weight_kg = weight_kg;
    request.mg_per_kg = mg_per_kg;
    request.minutes = 40;
    request.concentration_mg_per_ml = 10;
    return request;
}

void UseCaseTest::RecordBp(app::PatientId patient, int systolic, int diastolic, std::optional<app::TimePoint> at) {
    Result<app::RecordedVitalSign> recorded = clinic().patients.RecordVitalSign(
        nurse_, BloodPressure(patient, systolic, diastolic, at.value_or(clock_.Now())), settings_);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
}

void UseCaseTest::AddUser(const std::string& email, app::Role role) {
    Result<app::User> added =
        clinic().users.AddUser(admin_, app::NewUser{email, "A. Clinician", role, "tulip-granite-lantern", {}});
    EXPECT_TRUE(added.ok()) << added.error().ToString();
}

app::CourseRecord UseCaseTest::StartCourse(app::PatientId patient, clinical::Protocol protocol, clinical::Route route,
                                           const std::string& indication) {
    SignedScreening(patient, clinical::ProductOfRoute(route));
    Result<app::CourseRecord> course = clinic().courses.StartCourse(
        prescriber_, patient, app::NewCourse{indication, protocol, route, kCourseStart}, settings_);
    EXPECT_TRUE(course.ok()) << course.error().ToString();
    return course.ok() ? *course : app::CourseRecord{};
}

Status UseCaseTest::ExecuteDirectly(const std::string& statement) {
    ASSIGN_OR_RETURN(std::unique_ptr<sql::SqlConnection> connection, database().ConnectDirectly());
    return connection->Execute(statement);
}

app::SessionRecord UseCaseTest::StoredSession(app::SessionId session) {
    app::SessionRecord record;
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        Result<app::TreatmentSession> stored = tx.GetSession(session);
        if (!stored.ok()) {
            return stored.error();
        }
        Result<std::optional<app::DoseOrderRecord>> order = tx.FindDoseOrder(session);
        if (!order.ok()) {
            return order.error();
        }
        Result<std::vector<app::Administration>> given = tx.ListAdministrations(session);
        if (!given.ok()) {
            return given.error();
        }
        Result<std::vector<app::SessionTransition>> transitions = tx.ListSessionTransitions(session);
        if (!transitions.ok()) {
            return transitions.error();
        }
        Result<std::vector<app::SessionMedication>> medications = tx.ListSessionMedications(session);
        if (!medications.ok()) {
            return medications.error();
        }
        record = app::SessionRecord{*stored, *order, *given, *transitions, *medications};
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.error().ToString();
    return record;
}

}  // namespace kclinic::adapters::storage::contract
