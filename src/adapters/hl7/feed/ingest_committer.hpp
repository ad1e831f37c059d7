#pragma once

// Group commit for the bedside-monitor feed (issue 13 §5): the MLLP connections hand their parsed messages to one
// committer thread, which stores whatever is waiting in ONE transaction (app::DeviceFeedBatches::IngestBatch) and then
// calls each submission's `done` with its messages' outcomes. One commit, so one fsync, makes a whole batch durable:
// the store's cost per message falls as the load rises, while a lone message waits for no one (the committer takes
// what is queued at once, without waiting for more).
//
// Asynchronous, so that no thread waits per message: a connection's strand submits and goes on reading (a pipelining
// gateway's frames join the same batch), and `done` runs on the committer thread, which hands the ACK back to the
// connection (monitor_feed.cpp). Thread wake-ups are per batch, not per message: the committer sleeps only when the
// queue is empty, and a submission wakes it only then.
//
// Bounds. A batch carries at most `max_batch` messages (a submission is never split: an HL7 batch frame larger than
// that is one transaction alone). At most `max_queued` messages wait; a submission beyond is answered at once with
// kUnavailable for each of its messages (no ACK: its sender resends), never queued. The listener's own bound
// (max_pending_frames per connection) is what normally holds the queue back, as TCP flow control on the sender.
//
// Outcomes are IngestBatch's: an error for a message only when it could not be stored alone either; nothing was
// stored then, so the caller sends no ACK and the sender resends.
//
// Thread-safety: Submit may be called from any number of threads at once. One mutex guards the queue; it is held
// only to append or take submissions, never while the store works or `done` runs. The committer thread alone calls
// the store.
//
// Metrics (registered in the given registry): kclinic_mllp_commits_total (transactions IngestBatch ran),
// kclinic_mllp_committed_messages_total (messages they carried; the ratio is the average batch).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
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
    std::size_t max_queued = 4096;  // the most messages waiting for the committer; Submit refuses beyond
};

// What a submission's messages came to: one outcome per message, in order. Called once, on the committer thread (or
// on the submitting thread, for a submission refused at once); must not block for long nor throw.
using IngestDone = std::function<void(std::vector<Result<app::IngestOutcome>> outcomes)>;

class IngestCommitter {
public:
    // `feed`, `clock` and `metrics` must outlive this object. Starts the committer thread.
    IngestCommitter(app::DeviceFeedBatches& feed, const app::Clock& clock, IngestCommitterOptions options,
                    http::MetricsRegistry& metrics);
    // Commits and answers what is queued, then joins the committer thread. REQUIRES: no Submit call is running
    // or starts (the listener has stopped).
    ~IngestCommitter();
    IngestCommitter(const IngestCommitter&) = delete;
    IngestCommitter& operator=(const IngestCommitter&) = delete;

    // Queues `messages` to be stored with whatever other messages are waiting, at the clock's time of their
    // transaction, and returns at once; `done` gets their outcomes once that transaction has committed (or failed),
    // as app::DeviceFeedBatches::IngestBatch gives them. Submissions are stored in the order they were queued, so
    // one connection's messages keep their order. kUnavailable for each message, at once, when the queue is full or
    // the committer is stopping. Empty `messages`: `done` gets no outcomes, at once. Thread-safe; never blocks.
    void Submit(std::vector<app::DeviceMessage> messages, IngestDone done);

private:
    // One Submit call's messages, waiting for the committer.
    struct Submission {
        std::vector<app::DeviceMessage> messages;
        IngestDone done;
    };

    void Run();
    void Commit(std::vector<Submission>& batch);

    app::DeviceFeedBatches& feed_;
    const app::Clock& clock_;
    const IngestCommitterOptions options_;
    http::Counter& commits_;
    http::Counter& committed_messages_;

    std::mutex mutex_;
    std::condition_variable work_ready_;  // the committer waits for a submission
    std::deque<Submission> queue_;        // guarded by mutex_
    std::size_t queued_messages_ = 0;     // guarded by mutex_
    bool stopping_ = false;               // guarded by mutex_
    std::thread thread_;                  // declared last: started once everything above exists
};

}  // namespace kclinic::adapters::hl7
