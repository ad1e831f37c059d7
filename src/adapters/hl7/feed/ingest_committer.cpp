#include "adapters/hl7/feed/ingest_committer.hpp"

#include <exception>
#include <iterator>
#include <string>
#include <utility>

namespace kclinic::adapters::hl7 {

IngestCommitter::IngestCommitter(app::DeviceFeedBatches& feed, const app::Clock& clock, IngestCommitterOptions options,
                                 http::MetricsRegistry& metrics)
    : feed_(feed),
      clock_(clock),
      options_(options),
      commits_(metrics
                   .AddCounter("kclinic_mllp_commits_total",
                               "Transactions that stored bedside-monitor messages (group commit)")
                   .Labels({})),
      committed_messages_(metrics
                              .AddCounter("kclinic_mllp_committed_messages_total",
                                          "Bedside-monitor messages those transactions carried")
                              .Labels({})),
      thread_([this] { Run(); }) {}

IngestCommitter::~IngestCommitter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_all();
    thread_.join();
}

void IngestCommitter::Submit(std::vector<app::DeviceMessage> messages, IngestDone done) {
    const std::size_t count = messages.size();
    if (count == 0) {
        done({});
        return;
    }
    std::unique_lock lock(mutex_);
    std::string refusal;
    if (stopping_) {
        refusal = "the bedside-monitor feed is shutting down";
    } else if (queued_messages_ > 0 && queued_messages_ + count > options_.max_queued) {
        // A submission larger than the whole queue still goes in alone, when the queue is empty.
        refusal = "the bedside-monitor feed has " + std::to_string(queued_messages_) + " messages waiting";
    }
    if (!refusal.empty()) {
        lock.unlock();
        done(std::vector<Result<app::IngestOutcome>>(count, Error{ErrorCode::kUnavailable, {}, refusal}));
        return;
    }
    // The committer sleeps only on an empty queue: only the first submission after that needs to wake it.
    const bool wake = queue_.empty();
    queue_.push_back(Submission{std::move(messages), std::move(done)});
    queued_messages_ += count;
    lock.unlock();
    if (wake) {
        work_ready_.notify_one();
    }
}

void IngestCommitter::Run() {
    std::vector<Submission> batch;
    while (true) {
        batch.clear();
        {
            std::unique_lock lock(mutex_);
            work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // stopping, and every submission has been answered
            }
            // No waiting for more: what queued up during the previous commit forms this batch.
            std::size_t taken = 0;
            while (!queue_.empty() && (batch.empty() || taken + queue_.front().messages.size() <= options_.max_batch)) {
                taken += queue_.front().messages.size();
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            queued_messages_ -= taken;
        }
        Commit(batch);
    }
}

void IngestCommitter::Commit(std::vector<Submission>& batch) {
    std::vector<app::DeviceMessage> messages;
    for (Submission& submission : batch) {
        messages.insert(messages.end(), std::make_move_iterator(submission.messages.begin()),
                        std::make_move_iterator(submission.messages.end()));
    }
    std::vector<Result<app::IngestOutcome>> outcomes;
    try {
        outcomes = feed_.IngestBatch(messages, clock_.Now());
    } catch (const std::exception& error) {
        // Nothing of the batch is known to be stored: no message is acknowledged, and the senders resend.
        outcomes.assign(messages.size(),
                        Error{ErrorCode::kInternal, {}, std::string("storing the batch failed: ") + error.what()});
    }
    commits_.Increment();
    committed_messages_.Increment(messages.size());
    auto next = outcomes.begin();
    for (Submission& submission : batch) {
        const auto count = static_cast<std::ptrdiff_t>(submission.messages.size());
        submission.done(std::vector<Result<app::IngestOutcome>>(std::make_move_iterator(next),
                                                                std::make_move_iterator(next + count)));
        next += count;
    }
}

}  // namespace kclinic::adapters::hl7
