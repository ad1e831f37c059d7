// OpenEventRelay, the bus a server process publishes live events on: on PostgreSQL, events published through one
// process's relay reach the local bus of every other process on the database; on SQLite there is no relay (one
// process per file). The relay's own cases (exactly once, the payload limit, reconnecting, malformed
// notifications) are in postgres/pg_event_relay_pgtest.cpp.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/storage/contract/test_stores.hpp"
#include "adapters/storage/open_store.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using namespace std::chrono_literals;

class RecordingBus final : public app::EventBus {
public:
    void Publish(const app::LiveEvent& event) override {
        {
            const std::lock_guard lock(mutex_);
            events_.push_back(event);
        }
        changed_.notify_all();
    }

    // Waits up to `timeout` for a first event; true when there is one.
    bool WaitForAny(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return !events_.empty(); });
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

class EventRelayContractTest : public ::testing::TestWithParam<Backend> {};

TEST_P(EventRelayContractTest, EventsOfOneProcessReachTheOthersOnPostgres) {
    Result<std::unique_ptr<TestStore>> opened = OpenTestStore(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    const std::string url = (*opened)->database().url();

    RecordingBus local_a;
    RecordingBus local_b;
    std::mutex counted_mutex;
    std::vector<std::string> counted_by_b;
    Result<std::unique_ptr<app::EventBus>> a = OpenEventRelay(url, local_a);
    Result<std::unique_ptr<app::EventBus>> b = OpenEventRelay(url, local_b, [&](std::string_view what) {
        const std::lock_guard lock(counted_mutex);
        counted_by_b.emplace_back(what);
    });
    ASSERT_TRUE(a.ok()) << a.error().ToString();
    ASSERT_TRUE(b.ok()) << b.error().ToString();
    if (GetParam() == Backend::kSqlite) {
        EXPECT_EQ(*a, nullptr);
        EXPECT_EQ(*b, nullptr);
        return;
    }
    ASSERT_NE(*a, nullptr);
    ASSERT_NE(*b, nullptr);

    // B begins to listen on its own thread, and what is sent before that never reaches it (best effort): publish
    // until the first event arrives, within a generous deadline.
    const app::LiveEvent event{app::LiveEventKind::kAlert, app::PatientId{12}, std::nullopt,
                               R"({"id":5,"rule":"systolic_high"})"};
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::size_t published = 0;
    do {
        (*a)->Publish(event);
        ++published;
    } while (!local_b.WaitForAny(100ms) && std::chrono::steady_clock::now() < deadline);
    const std::vector<app::LiveEvent> seen_by_b = local_b.Events();
    ASSERT_FALSE(seen_by_b.empty());
    EXPECT_EQ(seen_by_b[0].kind, app::LiveEventKind::kAlert);
    EXPECT_EQ(seen_by_b[0].patient, app::PatientId{12});
    EXPECT_EQ(seen_by_b[0].record_json, event.record_json);
    EXPECT_EQ(local_a.Events().size(), published);  // A's own watchers had each at once, once

    b.value().reset();  // stops B's threads, so its counts are final
    const std::lock_guard lock(counted_mutex);
    EXPECT_FALSE(counted_by_b.empty());
    for (const std::string& what : counted_by_b) {
        EXPECT_EQ(what, "received");
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, EventRelayContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

TEST(EventRelayContract, AnUnknownDatabaseUrlIsRefused) {
    RecordingBus local;
    Result<std::unique_ptr<app::EventBus>> relay = OpenEventRelay("mysql://clinic", local);
    ASSERT_FALSE(relay.ok());
    EXPECT_EQ(relay.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(relay.error().field, "--db");
}

}  // namespace
}  // namespace kclinic::adapters::storage::contract
