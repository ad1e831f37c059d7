#include "adapters/storage/postgres/pg_event_relay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/postgres/pg_test_support.hpp"

namespace kclinic::adapters::storage::postgres {
namespace {

using namespace std::chrono_literals;

// Generous: the relays' threads run beside other test processes on a shared machine. Nothing asserts how fast an
// event arrives, only that it does before this.
constexpr auto kDeadline = 30s;

// A local bus that keeps what it is handed, and lets a test wait for it.
class RecordingBus final : public app::EventBus {
public:
    void Publish(const app::LiveEvent& event) override {
        {
            const std::lock_guard lock(mutex_);
            events_.push_back(event);
        }
        changed_.notify_all();
    }

    // Waits until at least `count` events arrived; false if the deadline passed first.
    bool WaitForCount(std::size_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kDeadline, [&] { return events_.size() >= count; });
    }

    std::vector<app::LiveEvent> Events() {
        const std::lock_guard lock(mutex_);
        return events_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<app::LiveEvent> events_;
};

// Polls `condition` until it holds or the deadline passes; for the relays' counters, which have no waiter.
bool Eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

app::LiveEvent Vital(std::int64_t patient, const std::string& record_json) {
    return app::LiveEvent{app::LiveEventKind::kVitalSign, app::PatientId{patient}, std::nullopt, record_json};
}

app::LiveEvent SessionStep(std::int64_t patient, std::int64_t session) {
    return app::LiveEvent{app::LiveEventKind::kSessionState, app::PatientId{patient}, app::SessionId{session},
                          R"({"id":)" + std::to_string(session) + R"(,"state":"monitoring"})"};
}

void ExpectSameEvent(const app::LiveEvent& actual, const app::LiveEvent& expected) {
    EXPECT_EQ(actual.kind, expected.kind);
    EXPECT_EQ(actual.patient, expected.patient);
    EXPECT_EQ(actual.session, expected.session);
    EXPECT_EQ(actual.record_json, expected.record_json);
}

class PgEventRelayTest : public pgtest::PgTest {
protected:
    // A relay on this test's database whose log lines are kept rather than printed.
    std::unique_ptr<PgEventRelay> Relay(app::EventBus& local, PgEventRelayOptions options = {}) {
        options.log = [this](std::string_view line) {
            const std::lock_guard lock(log_mutex_);
            log_.emplace_back(line);
        };
        return std::make_unique<PgEventRelay>(dsn_, local, std::move(options));
    }

    static bool Listening(const PgEventRelay& relay) {
        return Eventually([&] { return relay.Stats().listening; });
    }

    std::vector<std::string> Log() {
        const std::lock_guard lock(log_mutex_);
        return log_;
    }

    void Notify(const std::string& payload) {
        const std::unique_ptr<PgConnection> direct = Connect();
        ASSERT_NE(direct, nullptr);
        const Result<std::vector<sql::SqlRow>> sent =
            direct->Query("SELECT pg_notify('kclinic_live', $1)", std::vector<sql::SqlValue>{payload});
        ASSERT_TRUE(sent.ok()) << sent.error().ToString();
    }

    std::mutex log_mutex_;
    std::vector<std::string> log_;
};

TEST_F(PgEventRelayTest, AnEventReachesTheOtherProcessAndItsOwnOnlyOnce) {
    RecordingBus local_a;
    RecordingBus local_b;
    std::unique_ptr<PgEventRelay> a = Relay(local_a);
    std::unique_ptr<PgEventRelay> b = Relay(local_b);
    ASSERT_TRUE(Listening(*a));
    ASSERT_TRUE(Listening(*b));
    EXPECT_NE(a->origin(), b->origin());

    const app::LiveEvent first = SessionStep(3, 41);
    a->Publish(first);
    ASSERT_TRUE(local_b.WaitForCount(1));
    ExpectSameEvent(local_b.Events().at(0), first);

    // NOTIFY delivers in commit order, so by the time B's answer reaches A, A has read its own first event too:
    // had A handed that to its local bus again, it would sit between the two.
    const app::LiveEvent second = Vital(3, R"({"code":"8480-6","id":7,"value":128})");
    b->Publish(second);
    ASSERT_TRUE(local_a.WaitForCount(2));
    const std::vector<app::LiveEvent> seen_by_a = local_a.Events();
    ASSERT_EQ(seen_by_a.size(), 2U);
    ExpectSameEvent(seen_by_a[0], first);
    ExpectSameEvent(seen_by_a[1], second);
    ASSERT_TRUE(local_b.WaitForCount(2));
    EXPECT_EQ(local_b.Events().size(), 2U);

    // A relay counts after it acted, so a count may trail what the other side already saw.
    EXPECT_TRUE(Eventually([&] { return a->Stats().sent == 1 && b->Stats().sent == 1; }));
    EXPECT_TRUE(Eventually([&] { return a->Stats().received == 1 && b->Stats().received == 1; }));
    EXPECT_EQ(a->Stats().dropped + a->Stats().too_large + a->Stats().malformed, 0U);
}

TEST_F(PgEventRelayTest, AnEventOverThePayloadLimitStaysLocalAndIsCounted) {
    RecordingBus local_a;
    RecordingBus local_b;
    std::unique_ptr<PgEventRelay> a = Relay(local_a);
    std::unique_ptr<PgEventRelay> b = Relay(local_b);
    ASSERT_TRUE(Listening(*b));

    const app::LiveEvent huge = Vital(5, R"({"note":")" + std::string(kMaxNotifyPayloadBytes, 'x') + R"("})");
    a->Publish(huge);
    EXPECT_EQ(local_a.Events().size(), 1U);  // this process's watchers still have it
    ASSERT_TRUE(Eventually([&] { return a->Stats().too_large == 1; }));

    // Events go out in order, so once the small one arrives the large one has had its chance.
    const app::LiveEvent small = Vital(5, R"({"id":1})");
    a->Publish(small);
    ASSERT_TRUE(local_b.WaitForCount(1));
    const std::vector<app::LiveEvent> seen_by_b = local_b.Events();
    ASSERT_EQ(seen_by_b.size(), 1U);
    ExpectSameEvent(seen_by_b[0], small);
    EXPECT_TRUE(Eventually([&] { return a->Stats().sent == 1; }));
    const std::vector<std::string> log = Log();
    ASSERT_EQ(log.size(), 1U);
    EXPECT_NE(log[0].find("over NOTIFY's limit"), std::string::npos) << log[0];
}

TEST_F(PgEventRelayTest, ARelayWhoseConnectionsAreTerminatedReconnectsAndRelaysAgain) {
    RecordingBus local_a;
    RecordingBus local_b;
    std::unique_ptr<PgEventRelay> a = Relay(local_a);
    std::unique_ptr<PgEventRelay> b = Relay(local_b);
    ASSERT_TRUE(Listening(*a));
    ASSERT_TRUE(Listening(*b));
    a->Publish(Vital(1, R"({"id":1})"));
    ASSERT_TRUE(local_b.WaitForCount(1));

    // Both listeners and A's sender (B's connects on its first event): every session on the database.
    EXPECT_EQ(TerminateSessions(), 3);
    ASSERT_TRUE(Eventually([&] { return b->Stats().reconnects >= 1; }));
    EXPECT_TRUE(b->Stats().listening);

    // A's sender learns of its loss only by sending; it connects again and sends the event on the new connection.
    const app::LiveEvent after = SessionStep(1, 2);
    a->Publish(after);
    ASSERT_TRUE(local_b.WaitForCount(2));
    ExpectSameEvent(local_b.Events().at(1), after);
    EXPECT_GE(a->Stats().reconnects, 1U);
    EXPECT_EQ(a->Stats().dropped, 0U);
}

TEST_F(PgEventRelayTest, AMalformedNotificationIsSkippedAndCounted) {
    RecordingBus local_a;
    RecordingBus local_b;
    std::unique_ptr<PgEventRelay> a = Relay(local_a);
    std::unique_ptr<PgEventRelay> b = Relay(local_b);
    ASSERT_TRUE(Listening(*b));

    Notify("hello");
    Notify(R"({"origin":"elsewhere","kind":"rumour","patient":1,"session":null,"record":{}})");
    // Sent after the malformed ones, so it arrives after them.
    const app::LiveEvent valid = Vital(2, R"({"id":3})");
    a->Publish(valid);
    ASSERT_TRUE(local_b.WaitForCount(1));
    const std::vector<app::LiveEvent> seen_by_b = local_b.Events();
    ASSERT_EQ(seen_by_b.size(), 1U);
    ExpectSameEvent(seen_by_b[0], valid);
    EXPECT_EQ(b->Stats().malformed, 2U);  // counted before the valid one was read
    EXPECT_TRUE(Eventually([&] { return b->Stats().received == 1; }));
}

TEST_F(PgEventRelayTest, ANotificationFromAnotherProgramInTheRightFormIsDelivered) {
    RecordingBus local;
    std::unique_ptr<PgEventRelay> relay = Relay(local);
    ASSERT_TRUE(Listening(*relay));
    Notify(R"({"origin":"other","kind":"alert","patient":4,"session":null,"record":{"id":9}})");
    ASSERT_TRUE(local.WaitForCount(1));
    ExpectSameEvent(local.Events().at(0),
                    app::LiveEvent{app::LiveEventKind::kAlert, app::PatientId{4}, std::nullopt, R"({"id":9})"});
}

TEST_F(PgEventRelayTest, WithoutADatabaseEventsStayLocalTheQueueIsBoundedAndStopIsPrompt) {
    RecordingBus local;
    PgEventRelayOptions options;
    options.queue_capacity = 1;
    options.log = [](std::string_view /*line*/) {};
    // Port 1 on loopback: refused at once, so both threads keep retrying for the whole test.
    auto relay = std::make_unique<PgEventRelay>("postgresql://kclinic@127.0.0.1:1/none", local, std::move(options));
    for (int i = 1; i <= 3; ++i) {
        relay->Publish(Vital(i, R"({"id":1})"));
    }
    EXPECT_EQ(local.Events().size(), 3U);
    // The sender holds at most one event while it retries, and the queue one more.
    EXPECT_GE(relay->Stats().dropped, 1U);
    relay->Stop();
    const PgEventRelayStats stats = relay->Stats();
    EXPECT_EQ(stats.dropped, 3U);
    EXPECT_EQ(stats.sent, 0U);
    EXPECT_FALSE(stats.listening);

    relay->Publish(Vital(4, R"({"id":1})"));  // after Stop: local only, not counted
    EXPECT_EQ(local.Events().size(), 4U);
    EXPECT_EQ(relay->Stats().dropped, 3U);
}

TEST_F(PgEventRelayTest, CountsReachTheCallback) {
    RecordingBus local_a;
    RecordingBus local_b;
    std::mutex mutex;
    std::vector<RelayCount> counted;
    PgEventRelayOptions options;
    options.counted = [&](RelayCount count) {
        const std::lock_guard lock(mutex);
        counted.push_back(count);
    };
    std::unique_ptr<PgEventRelay> a = Relay(local_a);
    std::unique_ptr<PgEventRelay> b = Relay(local_b, std::move(options));
    ASSERT_TRUE(Listening(*a));
    ASSERT_TRUE(Listening(*b));
    b->Publish(Vital(1, R"({"id":1})"));
    ASSERT_TRUE(local_a.WaitForCount(1));
    a->Publish(Vital(1, R"({"id":2})"));
    ASSERT_TRUE(local_b.WaitForCount(2));
    a.reset();
    b.reset();
    // B counts its send on the sender thread and its receipt on the listener thread: either may come first.
    std::sort(counted.begin(), counted.end());
    EXPECT_EQ(counted, (std::vector<RelayCount>{RelayCount::kSent, RelayCount::kReceived}));
}

}  // namespace
}  // namespace kclinic::adapters::storage::postgres
