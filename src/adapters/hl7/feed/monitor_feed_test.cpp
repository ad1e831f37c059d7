// The feed's group committer at its bound (ingest_committer.hpp "Bounds"), through the real listener, MonitorFeed,
// IngestCommitter and a SQLite store, with real MLLP clients: a frame that finds the committer's queue full gets no
// ACK and its connection is closed (so that its sender resends it), while the frames taken before it are stored and
// acknowledged.

#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/clock/system_clock.hpp"
#include "adapters/hl7/feed/ingest_committer.hpp"
#include "adapters/hl7/feed/monitor_feed.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/client.hpp"
#include "adapters/hl7/mllp/listener.hpp"
#include "adapters/hl7/sim/monitor_simulator.hpp"
#include "adapters/http/live_hub.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/storage/contract/test_stores.hpp"
#include "app/device_feed.hpp"
#include "app/device_feed_batch.hpp"

namespace kclinic::adapters::hl7 {
namespace {

using namespace std::chrono_literals;
using storage::contract::Backend;

// The committer's clock: its first reading (the committer's, as it begins storing its first batch) waits until the
// test opens the gate, so that the test knows the committer is busy and its queue fills up behind it.
class GateClock final : public app::Clock {
public:
    [[nodiscard]] app::TimePoint Now() const override {
        std::unique_lock lock(mutex_);
        if (!entered_) {
            entered_ = true;
            changed_.notify_all();
            changed_.wait(lock, [this] { return open_; });
        }
        return system_.Now();
    }
    void AwaitEntered() const {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return entered_; });
    }
    void Open() const {
        const std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }

private:
    SystemClock system_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    mutable bool entered_ = false;  // guarded by mutex_
    mutable bool open_ = false;     // guarded by mutex_
};

// A simulated monitor's ORU^R01 from bed `bed` with MSH-10 `control_id`.
std::string MonitorMessage(int bed, const std::string& control_id) {
    const sim::SimulatedBed simulated(bed, sim::Scenario::kNormal, 11);
    const SystemClock clock;
    return EncodeOruR01(
        sim::SimulatedMessage(simulated, simulated.At(10), clock.Now(), sim::Codes::kLoinc, control_id));
}

// Sends `message` on a fresh connection to `port`: its ACK, or the error of a connection closed without one.
Result<std::string> SendAlone(std::uint16_t port, const std::string& message) {
    ASSIGN_OR_RETURN(std::unique_ptr<mllp::MllpClient> client, mllp::MllpClient::Connect("127.0.0.1", port, 10s));
    return client->Exchange(message, 60s);
}

// "AA" for an ACK that accepts, else what it was.
std::string AckCode(const Result<std::string>& ack) {
    if (!ack.ok()) {
        return "no ACK: " + ack.error().message;
    }
    const std::size_t msa = ack->find("MSA|");
    return msa == std::string::npos ? *ack : ack->substr(msa + 4, 2);
}

TEST(MllpGroupCommitTest, AFrameBeyondAFullQueueGetsNoAckAndItsConnectionClosedAndItsResendIsStored) {
    Result<std::unique_ptr<storage::contract::TestStore>> opened = storage::contract::OpenTestStore(Backend::kSqlite);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    app::Store& store = (*opened)->store();
    const SystemClock clock;
    const GateClock committer_clock;
    http::MetricsRegistry metrics;
    http::LiveHub events(metrics);
    app::DeviceFeed feed(store, clock);
    app::DeviceFeedBatches batches(store, clock);
    // One message may wait while the committer works: a second one waiting is one too many.
    IngestCommitter committer(batches, committer_clock, IngestCommitterOptions{.max_batch = 256, .max_queued = 1},
                              metrics);
    MonitorFeed monitor_feed(feed, committer, clock, events, MonitorFeedOptions{});
    mllp::ListenerOptions options;
    options.port = 0;
    options.log = [](std::string_view) {};
    mllp::MllpListener listener(
        options,
        [&monitor_feed](const mllp::FrameEvent& event, const mllp::Peer& peer, const mllp::FrameResponder& responder) {
            monitor_feed.Answer(event, peer, responder);
        },
        metrics);
    ASSERT_TRUE(listener.Listen().ok());
    std::thread io([&listener] { listener.Run(); });
    const std::uint16_t port = listener.Port();

    // The first message is taken by the committer, which then waits at the gate.
    std::future<Result<std::string>> first =
        std::async(std::launch::async, SendAlone, port, MonitorMessage(1, "QUEUE-1"));
    committer_clock.AwaitEntered();
    // Two more while it waits: whichever reaches the committer first waits in the queue, the other finds it full.
    // The refusal comes at once, before the gate opens.
    const std::vector<std::string> control_ids = {"QUEUE-2", "QUEUE-3"};
    std::promise<void> one_answered;
    std::once_flag answered_once;
    std::vector<std::future<Result<std::string>>> later;
    for (std::size_t i = 0; i < control_ids.size(); ++i) {
        later.push_back(std::async(std::launch::async, [&, i] {
            Result<std::string> ack = SendAlone(port, MonitorMessage(static_cast<int>(i) + 2, control_ids[i]));
            std::call_once(answered_once, [&one_answered] { one_answered.set_value(); });
            return ack;
        }));
    }
    // A guard, not a measure: the refusal takes no time; without it (a refused frame left hanging) the test fails.
    const bool refused_at_once = one_answered.get_future().wait_for(60s) == std::future_status::ready;
    committer_clock.Open();
    EXPECT_TRUE(refused_at_once) << "no connection was answered while the committer was busy";

    EXPECT_EQ(AckCode(first.get()), "AA");
    std::vector<std::string> refused;
    for (std::size_t i = 0; i < later.size(); ++i) {
        const Result<std::string> ack = later[i].get();
        if (ack.ok()) {
            EXPECT_EQ(AckCode(ack), "AA") << control_ids[i];
        } else {
            EXPECT_EQ(ack.error().code, ErrorCode::kUnavailable) << ack.error().message;
            refused.push_back(control_ids[i]);
        }
    }
    ASSERT_EQ(refused.size(), 1U) << "exactly one of the two finds the queue full";

    // Its sender resends it, as it would any message without an ACK: stored now, once.
    const int bed = refused.front() == "QUEUE-2" ? 2 : 3;
    EXPECT_EQ(AckCode(SendAlone(port, MonitorMessage(bed, refused.front()))), "AA");
    listener.Stop();
    io.join();

    const app::Actor nurse{"nurse@clinic.example", "test"};
    app::DeviceReadingFilter all;
    all.unassigned_only = false;
    all.limit = 500;
    const Result<std::vector<app::DeviceReading>> readings = feed.ListDeviceReadings(nurse, all);
    ASSERT_TRUE(readings.ok()) << readings.error().message;
    std::map<std::string, int> per_message;
    for (const app::DeviceReading& reading : *readings) {
        ++per_message[reading.message_control_id];
    }
    ASSERT_EQ(per_message.size(), 3U);
    EXPECT_EQ(per_message["QUEUE-1"], per_message[refused.front()]);
    EXPECT_GT(per_message[refused.front()], 0);
}

}  // namespace
}  // namespace kclinic::adapters::hl7
