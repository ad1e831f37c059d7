#include "adapters/storage/contract/use_case_fixture.hpp"

#include <utility>

namespace kclinic::adapters::storage::contract {

void UseCaseTest::SetUp() {
    Result<std::unique_ptr<TestStore>> opened = OpenTestStore(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    test_store_ = std::move(opened).value();
    use_cases_ = std::make_unique<app::ClinicUseCases>(store(), clock_, credentials_);
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

app::CourseRecord UseCaseTest::StartCourse(app::PatientId patient, clinical::Protocol protocol, clinical::Route route) {
    Result<app::CourseRecord> course = clinic().courses.StartCourse(
        prescriber_, patient, app::NewCourse{"treatment-resistant depression (F33.2)", protocol, route, kCourseStart},
        settings_);
    EXPECT_TRUE(course.ok()) << course.error().ToString();
    return course.ok() ? *course : app::CourseRecord{};
}

Status UseCaseTest::ExecuteDirectly(const std::string& statement) {
    ASSIGN_OR_RETURN(std::unique_ptr<sql::SqlConnection> connection, database().ConnectDirectly());
    return connection->Execute(statement);
}

}  // namespace kclinic::adapters::storage::contract
