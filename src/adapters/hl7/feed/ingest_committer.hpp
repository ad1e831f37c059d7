#pragma once

// Group commit for the bedside-monitor feed (issue 13 §5): the MLLP listener's workers, one per connection with a
// frame in flight, hand their parsed messages to one committer thread, which stores whatever is waiting in ONE
// transaction (app::DeviceFeedBatches::IngestBatch) and then wakes each worker with its messages' outcomes. One commit,
// so one fsync, makes a whole batch durable: the store's cost per message falls as the load rises, while a lone message
// waits for no one (the committer takes what is queued at once, without waiting for more).
//
// Bounds. A batch carries at most `max_batch` messages (a submission is never split: an HL7 batch frame larger than
// that is one transaction alone). At most `max_queued` messages wait; Ingest blocks beyond, which stops that
// connection's worker, so its frames queue in the listener and its reading pauses (listener.hpp "Order"), and the
// sender feels the backpressure as TCP flow control.
//
// Outcomes are IngestBatch's: an error for a message only when it could not be stored alone either; nothing was
// stored then, so the caller sends no ACK and the sender resends.
//
// Thread-safety: Ingest may be called from any number of threads at once. One mutex guards the queue; it is held
// only to append or take submissions, never while the store works. The committer thread alone calls the store.
//
// Metrics (registered in the given registry): kclinic_mllp_commits_total (transactions IngestBatch ran),
// kclinic_mllp_committed_messages_total (messages they carried; the ratio is the average batch).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/http/metrics.hpp"
#include "app/device_feed.hpp"
#include "app/device_feed_batch.hpp"
#include "app/ports/clock.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::hl7 {

struct IngestCommitterOptions {
    std::size_t max_batch = 256;    // the most messages one transaction carries
    std::size_t max_queued = 4096;  // the most messages waiting for the committer; Ingest blocks beyond
};

class IngestCommitter {
public:
    // `feed`, `clock` and `metrics` must outlive this object. Starts the committer thread.
    IngestCommitter(app::DeviceFeedBatches& feed, const app::Clock& clock, IngestCommitterOptions options,
                    http::MetricsRegistry& metrics);
    // Commits and answers what is queued, then joins the committer thread. REQUIRES: no Ingest call is running
    // or starts (the listener has stopped).
    ~IngestCommitter();
    IngestCommitter(const IngestCommitter&) = delete;
    IngestCommitter& operator=(const IngestCommitter&) = delete;

    // Stores `messages` with whatever other messages are waiting, at the clock's time of their transaction, and
    // returns once that transaction has committed (or failed): one outcome per message, in order, as
    // app::DeviceFeedBatches::IngestBatch gives them. Blocks while the queue is full. Thread-safe.
    std::vector<Result<app::IngestOutcome>> Ingest(std::vector<app::DeviceMessage> messages);

private:
    struct Submission;

    void Run();
    void Commit(std::vector<Submission*>& batch);

    app::DeviceFeedBatches& feed_;
    const app::Clock& clock_;
    const IngestCommitterOptions options_;
    http::Counter& commits_;
    http::Counter& committed_messages_;

    std::mutex mutex_;
    std::condition_variable work_ready_;  // the committer waits for a submission
    std::condition_variable room_;        // submitters wait for room in the queue
    std::deque<Submission*> queue_;       // guarded by mutex_; each owned by its waiting Ingest call
    std::size_t queued_messages_ = 0;     // guarded by mutex_
    bool stopping_ = false;               // guarded by mutex_
    std::thread thread_;                  // declared last: started once everything above exists
};

}  // namespace kclinic::adapters::hl7
