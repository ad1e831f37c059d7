// The hub without sockets: topics, the message shape, the bounded queue and its drop, and the metrics.

#include "adapters/http/live_hub.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using adapters::json::Json;
using app::LiveEvent;
using app::LiveEventKind;
using app::PatientId;
using app::SessionId;

// Records what the hub tells it; a test takes the messages itself, as a connection would.
class RecordingSink final : public LiveSink {
public:
    void OnMessages() override { ++wakeups; }
    void OnDropped(std::string_view reason) override { dropped_reason = std::string(reason); }

    int wakeups = 0;
    std::optional<std::string> dropped_reason;
};

LiveEvent Vital(std::int64_t patient) {
    return LiveEvent{LiveEventKind::kVitalSign, PatientId{patient}, std::nullopt, R"({"id":1,"code":"8867-4"})"};
}

LiveEvent SessionStep(std::int64_t patient, std::int64_t session) {
    return LiveEvent{LiveEventKind::kSessionState, PatientId{patient}, SessionId{session}, R"({"id":7})"};
}

std::vector<std::string> TakeAll(LiveHub& hub, const LiveSink& sink) {
    std::vector<std::string> messages;
    while (std::optional<LiveDelivery> delivery = hub.Take(sink)) {
        messages.push_back(*delivery->message);
    }
    return messages;
}

std::string Rendered(const MetricsRegistry& metrics) {
    return metrics.Render();
}

TEST(LiveEventMessage, CarriesTheKindTheIdsAndTheRecord) {
    const Json with_session = Json::parse(LiveEventMessage(SessionStep(3, 12)));
    EXPECT_EQ(with_session,
              Json::parse(R"({"type":"session_state","patient_id":3,"session_id":12,"record":{"id":7}})"));

    const Json without_session = Json::parse(LiveEventMessage(Vital(3)));
    EXPECT_EQ(without_session["type"], "vital_sign");
    EXPECT_EQ(without_session["patient_id"], 3);
    EXPECT_FALSE(without_session.contains("session_id"));
    EXPECT_EQ(without_session["record"]["code"], "8867-4");

    LiveEvent empty = Vital(4);
    empty.record_json.clear();
    EXPECT_TRUE(Json::parse(LiveEventMessage(empty))["record"].is_null());
}

TEST(LiveTopic, BoardMatchesEveryEventAndASessionItsOwnAndItsPatients) {
    EXPECT_TRUE(LiveTopic::Board().Matches(Vital(1)));
    EXPECT_TRUE(LiveTopic::Board().Matches(SessionStep(2, 9)));

    const LiveTopic session = LiveTopic::ForSession(SessionId{12}, PatientId{3});
    EXPECT_TRUE(session.Matches(SessionStep(3, 12)));
    EXPECT_TRUE(session.Matches(Vital(3)));             // names only the patient: the session's watchers see it
    EXPECT_FALSE(session.Matches(Vital(4)));            // another patient
    EXPECT_FALSE(session.Matches(SessionStep(3, 11)));  // another session of the same patient
}

// An addressed event (a count discrepancy) reaches the boards of its recipients only, never a session's watchers.
TEST(LiveTopic, AnAddressedEventMatchesOnlyTheBoardsOfItsRecipients) {
    LiveEvent discrepancy{LiveEventKind::kCountDiscrepancy, PatientId{0}, std::nullopt, R"({"count":{"id":31}})"};
    discrepancy.recipients = {"director@clinic.example", "prescriber@clinic.example"};
    LiveTopic board = LiveTopic::Board();
    for (const char* user : {"director@clinic.example", "prescriber@clinic.example"}) {
        board.user = user;
        EXPECT_TRUE(board.Matches(discrepancy)) << user;
    }
    for (const char* user : {"nurse@clinic.example", ""}) {
        board.user = user;
        EXPECT_FALSE(board.Matches(discrepancy)) << user;
        EXPECT_TRUE(board.Matches(Vital(1))) << user;  // the clinic's events stay everyone's
    }
    LiveTopic session = LiveTopic::ForSession(SessionId{12}, PatientId{0});
    session.user = "director@clinic.example";
    EXPECT_FALSE(session.Matches(discrepancy));
}

TEST(LiveHub, QueuesMatchingEventsInOrderAndWakesOnlyAnEmptyQueue) {
    MetricsRegistry metrics;
    LiveHub hub(metrics);
    auto board = std::make_shared<RecordingSink>();
    auto session = std::make_shared<RecordingSink>();
    hub.Subscribe(board, LiveTopic::Board());
    hub.Subscribe(session, LiveTopic::ForSession(SessionId{12}, PatientId{3}));

    hub.Publish(Vital(3));
    hub.Publish(Vital(4));
    hub.Publish(SessionStep(3, 12));

    EXPECT_EQ(board->wakeups, 1);  // woken when the first message arrived; the rest joined a queue not yet drained
    EXPECT_EQ(session->wakeups, 1);
    const std::vector<std::string> on_board = TakeAll(hub, *board);
    ASSERT_EQ(on_board.size(), 3U);
    EXPECT_EQ(Json::parse(on_board[0])["patient_id"], 3);
    EXPECT_EQ(Json::parse(on_board[1])["patient_id"], 4);
    EXPECT_EQ(Json::parse(on_board[2])["type"], "session_state");
    const std::vector<std::string> on_session = TakeAll(hub, *session);
    ASSERT_EQ(on_session.size(), 2U);
    EXPECT_EQ(Json::parse(on_session[0])["type"], "vital_sign");
    EXPECT_EQ(Json::parse(on_session[1])["type"], "session_state");

    hub.Publish(Vital(3));
    EXPECT_EQ(board->wakeups, 2);  // drained, so the next message wakes it again

    const std::string text = Rendered(metrics);
    EXPECT_NE(text.find("kclinic_live_subscribers 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("kclinic_live_events_published_total{kind=\"vital_sign\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("kclinic_live_events_published_total{kind=\"session_state\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("kclinic_live_messages_delivered_total 5\n"), std::string::npos) << text;
}

// The connection audits whose record it sends (docs/security.md, "Live channel"): each delivery names its patient.
TEST(LiveHub, EachDeliveryNamesThePatientWhoseRecordItCarries) {
    MetricsRegistry metrics;
    LiveHub hub(metrics);
    auto board = std::make_shared<RecordingSink>();
    hub.Subscribe(board, LiveTopic::Board());
    hub.Publish(Vital(3));
    hub.Publish(SessionStep(4, 12));
    for (const std::int64_t patient : {3, 4}) {
        const std::optional<LiveDelivery> delivery = hub.Take(*board);
        ASSERT_TRUE(delivery.has_value()) << patient;
        EXPECT_EQ(delivery->patient, PatientId{patient});
        EXPECT_EQ(Json::parse(*delivery->message)["patient_id"], patient);
    }
    EXPECT_FALSE(hub.Take(*board).has_value());
}

TEST(LiveHub, ResubscribingMovesTheSinkToItsNewTopic) {
    MetricsRegistry metrics;
    LiveHub hub(metrics);
    auto sink = std::make_shared<RecordingSink>();
    hub.Subscribe(sink, LiveTopic::ForSession(SessionId{12}, PatientId{3}));
    hub.Subscribe(sink, LiveTopic::ForSession(SessionId{20}, PatientId{5}));
    EXPECT_EQ(hub.SubscriberCount(), 1U);

    hub.Publish(Vital(3));
    hub.Publish(Vital(5));
    const std::vector<std::string> messages = TakeAll(hub, *sink);
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(Json::parse(messages[0])["patient_id"], 5);
}

TEST(LiveHub, UnsubscribedSinksReceiveNothingAndTheirQueueIsGone) {
    MetricsRegistry metrics;
    LiveHub hub(metrics);
    auto sink = std::make_shared<RecordingSink>();
    hub.Subscribe(sink, LiveTopic::Board());
    hub.Publish(Vital(1));
    hub.Unsubscribe(*sink);
    hub.Publish(Vital(2));

    EXPECT_FALSE(hub.Take(*sink).has_value());
    EXPECT_EQ(sink->wakeups, 1);
    EXPECT_EQ(hub.SubscriberCount(), 0U);
    hub.Unsubscribe(*sink);  // a second time: nothing
    EXPECT_NE(Rendered(metrics).find("kclinic_live_subscribers 0\n"), std::string::npos);
}

TEST(LiveHub, ASubscriberWhoseQueueIsFullIsDroppedWithItsReasonAndTheOthersGoOn) {
    MetricsRegistry metrics;
    LiveHub hub(metrics, 4);
    auto slow = std::make_shared<RecordingSink>();
    auto fast = std::make_shared<RecordingSink>();
    hub.Subscribe(slow, LiveTopic::Board());
    hub.Subscribe(fast, LiveTopic::Board());

    for (int i = 0; i < 4; ++i) {
        hub.Publish(Vital(1));
        EXPECT_EQ(TakeAll(hub, *fast).size(), 1U);
    }
    EXPECT_FALSE(slow->dropped_reason);  // exactly full: still subscribed

    hub.Publish(Vital(1));
    EXPECT_EQ(slow->dropped_reason, std::string(kSlowClientReason));
    EXPECT_FALSE(fast->dropped_reason);
    EXPECT_FALSE(hub.Take(*slow).has_value());  // its queue went with it
    EXPECT_EQ(TakeAll(hub, *fast).size(), 1U);
    EXPECT_EQ(hub.SubscriberCount(), 1U);

    const std::string text = Rendered(metrics);
    EXPECT_NE(text.find("kclinic_live_clients_dropped_total 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("kclinic_live_subscribers 1\n"), std::string::npos) << text;
}

TEST(LiveHub, ASinkDestroyedWithoutUnsubscribingIsForgotten) {
    MetricsRegistry metrics;
    LiveHub hub(metrics);
    {
        auto gone = std::make_shared<RecordingSink>();
        hub.Subscribe(gone, LiveTopic::Board());
    }
    hub.Publish(Vital(1));
    EXPECT_EQ(hub.SubscriberCount(), 0U);
    EXPECT_NE(Rendered(metrics).find("kclinic_live_clients_dropped_total 0\n"), std::string::npos);
}

}  // namespace
}  // namespace kclinic::adapters::http
