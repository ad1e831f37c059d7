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
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Role;
using http::LiveClient;
using http::LiveTopic;

class LiveContractTest : public UseCaseTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(UseCaseTest::SetUp());
        subscribe_ = http::RecordLiveSubscriber(clinic().sessions);
        patient_ = Register("MRN-L");
        const app::CourseRecord course = StartCourse(patient_);
        ASSERT_FALSE(course.sessions.empty());
        session_ = course.sessions.front().id;
    }

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

// Issue 15 §7: the live connection's audit over the record names the user, the address and the patient, with the
// topic on the first event and the count at the end (docs/security.md "Live channel").
TEST_P(LiveContractTest, TheAuditorRecordsWhoReceivedWhichPatientsEvents) {
    const http::LiveAuditor audit = http::RecordLiveAuditor(clinic().live_channel);
    const LiveClient nurse = Client(Role::kNurse);
    ASSERT_TRUE(audit.first_event(nurse, patient_, "board").ok());
    ASSERT_TRUE(audit.closed(nurse, patient_, 3).ok());
    const std::vector<app::AuditEntry> entries = Audit(patient_.value);
    ASSERT_GE(entries.size(), 2U);
    const app::AuditEntry& received = entries[entries.size() - 2];
    EXPECT_EQ(received.action, "live.receive");
    EXPECT_EQ(received.actor, "someone@clinic.example");
    EXPECT_EQ(received.origin, "192.0.2.10");
    EXPECT_EQ(received.patient_id, patient_.value);
    EXPECT_EQ(received.detail, "topic=board");
    const app::AuditEntry& closed = entries.back();
    EXPECT_EQ(closed.action, "live.close");
    EXPECT_EQ(closed.patient_id, patient_.value);
    EXPECT_EQ(closed.detail, "events=3");
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::adapters::storage::contract
