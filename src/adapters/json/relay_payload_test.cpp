#include "adapters/json/relay_payload.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "adapters/json/live_events.hpp"

namespace kclinic::adapters::json {
namespace {

const app::TimePoint kAt{std::chrono::milliseconds{1'790'000'000'123LL}};

app::TreatmentSession SessionInMonitoring() {
    app::TreatmentSession session;
    session.id = app::SessionId{41};
    session.course = app::CourseId{5};
    session.patient = app::PatientId{3};
    session.number = 2;
    session.planned_date = std::chrono::sys_days{std::chrono::year{2026} / 9 / 21};
    session.phase = "induction";
    session.state = clinical::SessionState::kMonitoring;
    session.state_changed_at = kAt;
    session.state_changed_by = "nurse@example.org";
    return session;
}

TEST(RelayPayload, ReadsBackWhatItWrote) {
    const app::LiveEvent event = SessionStateEvent(SessionInMonitoring());
    Result<std::string> payload = RelayPayload("f00d", event);
    ASSERT_TRUE(payload.ok()) << payload.error().ToString();
    EXPECT_EQ(payload->find('\n'), std::string::npos);  // compact: one line

    Result<RelayedEvent> relayed = ParseRelayPayload(*payload);
    ASSERT_TRUE(relayed.ok()) << relayed.error().ToString();
    EXPECT_EQ(relayed->origin, "f00d");
    EXPECT_EQ(relayed->event.kind, app::LiveEventKind::kSessionState);
    EXPECT_EQ(relayed->event.patient, app::PatientId{3});
    EXPECT_EQ(relayed->event.session, app::SessionId{41});
    EXPECT_EQ(relayed->event.record_json, event.record_json);
}

TEST(RelayPayload, AnEventWithoutSessionCarriesNull) {
    const app::LiveEvent event{app::LiveEventKind::kVitalSign, app::PatientId{9}, std::nullopt, R"({"id":1})"};
    Result<std::string> payload = RelayPayload("a", event);
    ASSERT_TRUE(payload.ok());
    EXPECT_NE(payload->find(R"("session":null)"), std::string::npos) << *payload;
    Result<RelayedEvent> relayed = ParseRelayPayload(*payload);
    ASSERT_TRUE(relayed.ok()) << relayed.error().ToString();
    EXPECT_FALSE(relayed->event.session.has_value());
}

// An event addressed to its recipients (a count discrepancy) crosses to the other server processes with them.
TEST(RelayPayload, AnAddressedEventKeepsItsRecipientsAndNamesNoPatient) {
    app::LiveEvent event{app::LiveEventKind::kCountDiscrepancy, app::PatientId{0}, std::nullopt, R"({"count":{}})"};
    event.recipients = {"director@clinic.example"};
    Result<std::string> payload = RelayPayload("a", event);
    ASSERT_TRUE(payload.ok()) << payload.error().ToString();
    Result<RelayedEvent> relayed = ParseRelayPayload(*payload);
    ASSERT_TRUE(relayed.ok()) << relayed.error().ToString();
    EXPECT_EQ(relayed->event.kind, app::LiveEventKind::kCountDiscrepancy);
    EXPECT_EQ(relayed->event.patient, app::PatientId{0});
    EXPECT_EQ(relayed->event.recipients, event.recipients);
}

TEST(RelayPayload, RefusesARecordThatIsNotAnObject) {
    for (const char* record : {"", "[1]", "{", "42"}) {
        const app::LiveEvent event{app::LiveEventKind::kAlert, app::PatientId{1}, std::nullopt, record};
        Result<std::string> payload = RelayPayload("a", event);
        ASSERT_FALSE(payload.ok()) << record;
        EXPECT_EQ(payload.error().field, "record_json");
    }
}

struct Malformed {
    const char* payload;
    const char* field;
};

TEST(RelayPayload, RefusesEveryMalformedPayloadNamingTheField) {
    const std::vector<Malformed> cases = {
        {"hello", ""},
        {"[]", ""},
        {R"({"kind":"alert","patient":1,"session":null,"record":{}})", "origin"},
        {R"({"origin":"","kind":"alert","patient":1,"session":null,"record":{}})", "origin"},
        {R"({"origin":7,"kind":"alert","patient":1,"session":null,"record":{}})", "origin"},
        {R"({"origin":"a","kind":"rumour","patient":1,"session":null,"record":{}})", "kind"},
        {R"({"origin":"a","patient":1,"session":null,"record":{}})", "kind"},
        {R"({"origin":"a","kind":"alert","patient":0,"session":null,"record":{}})", "patient"},
        {R"({"origin":"a","kind":"alert","patient":"1","session":null,"record":{}})", "patient"},
        {R"({"origin":"a","kind":"alert","patient":1.5,"session":null,"record":{}})", "patient"},
        {R"({"origin":"a","kind":"alert","session":null,"record":{}})", "patient"},
        {R"({"origin":"a","kind":"alert","patient":1,"session":-2,"record":{}})", "session"},
        {R"({"origin":"a","kind":"alert","patient":1,"session":null,"record":"{}"})", "record"},
        {R"({"origin":"a","kind":"alert","patient":1,"session":null})", "record"},
        {R"({"origin":"a","kind":"alert","patient":1,"session":null,"record":{},"extra":1})", "extra"},
        {R"({"origin":"a","kind":"count_discrepancy","patient":0,"session":null,"record":{},"recipients":[]})",
         "recipients"},
        {R"({"origin":"a","kind":"count_discrepancy","patient":0,"session":null,"record":{},"recipients":[""]})",
         "recipients"},
        {R"({"origin":"a","kind":"count_discrepancy","patient":0,"session":null,"record":{},"recipients":"d"})",
         "recipients"},
        {R"({"origin":"a","kind":"count_discrepancy","patient":3,"session":null,"record":{},"recipients":["d"]})",
         "patient"},
    };
    for (const Malformed& malformed : cases) {
        Result<RelayedEvent> relayed = ParseRelayPayload(malformed.payload);
        ASSERT_FALSE(relayed.ok()) << malformed.payload;
        EXPECT_EQ(relayed.error().code, ErrorCode::kInvalidArgument) << malformed.payload;
        EXPECT_EQ(relayed.error().field, malformed.field) << malformed.payload;
    }
}

}  // namespace
}  // namespace kclinic::adapters::json
