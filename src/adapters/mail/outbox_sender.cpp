#include "adapters/mail/outbox_sender.hpp"

#include <algorithm>
#include <vector>

namespace kclinic::adapters::mail {
namespace {

// A claim outlasts the longest delivery (the SMTP timeout) with room to record its outcome, so no other sender
// takes a message still being delivered.
std::chrono::milliseconds Lease(const SmtpSettings& settings) {
    return 2 * settings.timeout + std::chrono::seconds{30};
}

}  // namespace

std::chrono::minutes RetryDelay(int attempts) {
    std::chrono::minutes delay = kFirstRetryDelay;
    for (int i = 1; i < attempts && delay < kMaxRetryDelay; ++i) {
        delay *= 2;
    }
    return std::min(delay, kMaxRetryDelay);
}

app::OutboxMessage DeliveryOutcome(const app::OutboxMessage& claimed, const SmtpDelivery& delivery,
                                   app::TimePoint now) {
    app::OutboxMessage outcome = claimed;
    outcome.next_attempt_at.reset();
    switch (delivery.outcome) {
        case SmtpDelivery::Outcome::kDelivered:
            outcome.status = app::OutboxStatus::kSent;
            outcome.sent_at = now;
            outcome.last_error.clear();
            return outcome;
        case SmtpDelivery::Outcome::kPermanent:
            outcome.status = app::OutboxStatus::kFailed;
            outcome.last_error = delivery.detail;
            return outcome;
        case SmtpDelivery::Outcome::kTransient:
            break;
    }
    const app::TimePoint retry = now + RetryDelay(claimed.attempts);
    if (claimed.attempts >= kMaxAttempts || retry > claimed.due_at + kMaxLateness) {
        outcome.status = app::OutboxStatus::kFailed;
        outcome.last_error = delivery.detail + " (gave up after " + std::to_string(claimed.attempts) + " attempts)";
        return outcome;
    }
    outcome.status = app::OutboxStatus::kPending;
    outcome.next_attempt_at = retry;
    outcome.last_error = delivery.detail;
    return outcome;
}

OutboxSender::OutboxSender(app::Store& store, const app::Clock& clock, SmtpClient client, OutboxSenderOptions options,
                           std::ostream& log, bool start_thread)
    : store_(store), clock_(clock), client_(std::move(client)), options_(options), log_(log) {
    if (start_thread) {
        thread_ = std::thread([this] { Loop(); });
    }
}

OutboxSender::~OutboxSender() {
    {
        const std::scoped_lock lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

Result<int> OutboxSender::DeliverDue() {
    const app::TimePoint now = clock_.Now();
    std::vector<app::OutboxMessage> claimed;
    RETURN_IF_ERROR(store_.Write([&](app::StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(claimed,
                         tx.ClaimDueOutboxMessages(
                             now, now + std::chrono::duration_cast<app::TimePoint::duration>(Lease(client_.settings())),
                             options_.batch));
        return Status::Ok();
    }));
    for (const app::OutboxMessage& message : claimed) {
        const app::TimePoint started = clock_.Now();
        // A message claimed long after it was due (the sender was not running) is not sent at all: a reminder
        // arriving after the appointment began would only confuse.
        const SmtpDelivery delivery =
            started > message.due_at + kMaxLateness
                ? SmtpDelivery{SmtpDelivery::Outcome::kPermanent, "not sent: claimed more than " +
                                                                      std::to_string(kMaxLateness.count()) +
                                                                      " min after it was due (was the sender stopped?)"}
                : client_.Deliver(message, started);
        const app::OutboxMessage outcome = DeliveryOutcome(message, delivery, clock_.Now());
        const Status recorded =
            store_.Write([&outcome](app::StoreTransaction& tx) { return tx.UpdateOutboxDelivery(outcome); });
        if (!recorded.ok()) {
            // Cancelled meanwhile, or the lease ran out and another sender holds it: the store keeps theirs.
            log_ << "outbox: message " << message.id.value << " (" << message.idempotency_key
                 << "): outcome not recorded: " << recorded.error().ToString() << std::endl;
        } else if (outcome.status != app::OutboxStatus::kSent) {
            log_ << "outbox: message " << message.id.value << " (" << message.idempotency_key << ") "
                 << app::kOutboxStatusNames.Name(outcome.status) << ": " << outcome.last_error << std::endl;
        }
    }
    return static_cast<int>(claimed.size());
}

void OutboxSender::Loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        Result<int> delivered = DeliverDue();
        if (!delivered.ok()) {
            log_ << "outbox: " << delivered.error().ToString() << std::endl;
        }
        lock.lock();
        // A full batch: more may be due, so look again at once.
        if (!delivered.ok() || *delivered < options_.batch) {
            wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
        }
    }
}

}  // namespace kclinic::adapters::mail
