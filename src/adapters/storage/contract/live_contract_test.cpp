// The live channel's decision over the clinic record (adapters/http/live_channel): the subscriber that finds a
// session's patient with an audited read and authorises it, on a real SQLite file and a real PostgreSQL server.
// Every refusal is checked to write nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/live_channel.hpp"
#include "adapters/storage/contract/test_stores.hpp"
#include "app/course_records.hpp"
#include "app/dose_records.hpp"
#include "app/patient_records.hpp"
#include "app/record_names.hpp"
#include "app/session_steps.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::Role;
using app::TimePoint;
using http::LiveClient;
using http::LiveTopic;
using std::chrono::sys_days;
using std::chrono::year;

const TimePoint kStart{std::chrono::milliseconds{1'790'000'000'000LL}};  // 2026-09-21T14:13:20Z

class FixedClock final : public app::Clock {
public:
    [[nodiscard]] TimePoint Now() const override { return kStart; }
};

class LiveContractTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        Result<std::unique_ptr<TestStore>> opened = OpenTestStore(GetParam());
        ASSERT_TRUE(opened.ok()) << opened.error().ToString();
        test_store_ = std::move(opened).value();
        patients_ = std::make_unique<app::PatientRecords>(store(), clock_);
        courses_ = std::make_unique<app::CourseRecords>(store(), clock_);
        sessions_ = std::make_unique<app::SessionSteps>(store(), clock_);
        doses_ = std::make_unique<app::DoseRecords>(store(), clock_);
        subscribe_ = http::RecordLiveSubscriber(*sessions_);

        Result<app::Patient> patient = patients_->RegisterPatient(
            admin_, app::NewPatient{"MRN-L", "Ada", "Example", sys_days{year{1980} / 3 / 14}, clinical::Sex::kFemale});
        ASSERT_TRUE(patient.ok()) << patient.error().ToString();
        patient_ = patient->id;
        Result<app::CourseRecord> course = courses_->StartCourse(
            admin_, patient_,
            app::NewCourse{"treatment-resistant depression (F33.2)", clinical::Protocol::kIvInduction,
                           clinical::Route::kIv, sys_days{year{2026} / 9 / 21}},
            settings_);
        ASSERT_TRUE(course.ok()) << course.error().ToString();
        ASSERT_FALSE(course->sessions.empty());
        session_ = course->sessions.front().id;
    }

    app::Store& store() { return test_store_->store(); }

    static LiveClient Client(Role role, std::optional<app::PatientId> patient = std::nullopt) {
        app::Principal principal;
        principal.user = app::UserId{7};
        principal.email = "someone@clinic.example";
        principal.role = role;
        principal.patient = patient;
        principal.method = app::AuthMethod::kApiToken;
        return LiveClient{principal, "192.0.2.10"};
    }

    std::string SessionMessage() const {
        return R"({"subscribe":{"session_id":)" + std::to_string(session_.value) + "}}";
    }

    std::vector<std::string> AuditActions() { return ReadAuditActions(store()); }

    FixedClock clock_;
    clinical::ClinicSettings settings_;
    const Actor admin_{"admin@clinic.example", "cli"};
    std::unique_ptr<TestStore> test_store_;
    std::unique_ptr<app::PatientRecords> patients_;
    std::unique_ptr<app::CourseRecords> courses_;
    std::unique_ptr<app::SessionSteps> sessions_;
    std::unique_ptr<app::DoseRecords> doses_;
    http::LiveSubscriber subscribe_;
    app::PatientId patient_;
    app::SessionId session_;
};

TEST_P(LiveContractTest, ASessionSubscriptionFindsItsPatientWithAnAuditedRead) {
    const std::size_t audited = AuditActions().size();
    Result<std::optional<LiveTopic>> topic = subscribe_(Client(Role::kNurse), SessionMessage());
    ASSERT_TRUE(topic.ok()) << topic.error().ToString();
    ASSERT_TRUE(topic->has_value());
    EXPECT_EQ((*topic)->session, session_);
    EXPECT_EQ((*topic)->patient, patient_);

    const std::vector<app::AuditEntry> audit = ReadAudit(store());
    ASSERT_EQ(audit.size(), audited + 1);
    EXPECT_EQ(audit.back().action, "session.read");
    EXPECT_EQ(audit.back().actor, "someone@clinic.example");
    EXPECT_EQ(audit.back().origin, "192.0.2.10");
}

TEST_P(LiveContractTest, TheBoardAndUnsubscribingNeedNoRead) {
    const std::vector<std::string> before = AuditActions();
    Result<std::optional<LiveTopic>> board = subscribe_(Client(Role::kTherapist), R"({"subscribe":"board"})");
    ASSERT_TRUE(board.ok()) << board.error().ToString();
    ASSERT_TRUE(board->has_value());
    EXPECT_FALSE((*board)->session);

    Result<std::optional<LiveTopic>> off = subscribe_(Client(Role::kTherapist), R"({"unsubscribe":true})");
    ASSERT_TRUE(off.ok()) << off.error().ToString();
    EXPECT_FALSE(off->has_value());
    EXPECT_EQ(AuditActions(), before);
}

TEST_P(LiveContractTest, RefusalsWriteNothing) {
    const std::vector<std::string> before = AuditActions();
    struct Case {
        LiveClient client;
        std::string message;
        ErrorCode code;
        std::string field;
    };
    const std::vector<Case> cases = {
        {Client(Role::kFrontDesk), SessionMessage(), ErrorCode::kPermissionDenied, ""},
        {Client(Role::kFrontDesk), R"({"subscribe":"board"})", ErrorCode::kPermissionDenied, ""},
        {Client(Role::kAdmin), R"({"subscribe":"board"})", ErrorCode::kPermissionDenied, ""},
        {Client(Role::kPatient, patient_), SessionMessage(), ErrorCode::kPermissionDenied, ""},
        {Client(Role::kPatient, patient_), R"({"subscribe":"board"})", ErrorCode::kPermissionDenied, ""},
        {Client(Role::kNurse), R"({"subscribe":{"session_id":999999}})", ErrorCode::kNotFound, "subscribe.session_id"},
        {Client(Role::kNurse), R"({"subscribe":{"session_id":"12"}})", ErrorCode::kInvalidArgument,
         "subscribe.session_id"},
        {Client(Role::kNurse), "not json", ErrorCode::kInvalidArgument, "message"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(app::RoleName(c.client.principal.role)) + " " + c.message);
        Result<std::optional<LiveTopic>> refused = subscribe_(c.client, c.message);
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().code, c.code) << refused.error().ToString();
        EXPECT_EQ(refused.error().field, c.field);
    }
    EXPECT_EQ(AuditActions(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::adapters::storage::contract
