#pragma once

// The sender loop of the transactional outbox (issue 11 §2): a thread of `kclinic serve --smtp` that claims the
// messages due (OutboxTransaction::ClaimDueOutboxMessages), delivers each through SMTP and records the outcome
// (UpdateOutboxDelivery): sent, failed with the server's text, or pending again after a backoff.
//
// Never lost: a message is claimed for a lease longer than one delivery may take; a sender that dies leaves it due
// again when the lease ends. Never sent twice concurrently: a claim is exclusive, on PostgreSQL across processes
// too. At most one duplicate: the outcome is recorded right after the server's 250; a crash between the 250 and that
// commit leaves the message pending, and it is sent once more when the lease ends. That second copy carries the same
// Message-ID (MessageIdOf its idempotency key), by which a receiving system or mail client may drop it; no sender
// can close the window without the server's help (RFC 5321 has no transaction a client can commit with the
// server), so it is documented (docs/architecture.md "Outbox") rather than hidden.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "adapters/mail/smtp_client.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::mail {

// Retry policy (clinic policy [PRACTICE], docs/clinical-rules.md "Appointment reminders"): after the n-th failed
// attempt, wait 1 min doubled n-1 times, at most 1 h; give up after kMaxAttempts attempts, and on a message more
// than kMaxLateness past its due time (a reminder the patient would read after the appointment began: the shortest
// lead time a clinic may set is 1 h), which is failed without being sent when a sender claims it that late.
inline constexpr std::chrono::minutes kFirstRetryDelay{1};
inline constexpr std::chrono::minutes kMaxRetryDelay{60};
inline constexpr int kMaxAttempts = 8;
inline constexpr std::chrono::minutes kMaxLateness{60};

// How long to wait after failed attempt number `attempts` (1 for the first).
[[nodiscard]] std::chrono::minutes RetryDelay(int attempts);

// The outcome to record for `claimed` (as ClaimDueOutboxMessages returned it, attempts counting this one) after
// `delivery` at `now`: sent; failed on a permanent refusal, the last attempt, or a retry that would fall past
// kMaxLateness; else pending with next_attempt_at = now + RetryDelay. last_error carries delivery.detail (empty when
// sent).
[[nodiscard]] app::OutboxMessage DeliveryOutcome(const app::OutboxMessage& claimed, const SmtpDelivery& delivery,
                                                 app::TimePoint now);

struct OutboxSenderOptions {
    std::chrono::milliseconds poll_interval{5000};  // how often the loop looks for due messages
    int batch = 20;                                 // messages claimed at a time
};

// Thread-safety: the constructor starts the loop's thread; the destructor stops it (waking it at once, then waiting
// for the delivery in progress, which the SMTP timeout bounds). The loop alone touches the SmtpClient; the store and
// the clock are thread-safe; `log` is written by the loop only. DeliverDue may be called by tests on a sender whose
// loop is not started (start_thread false); never while the loop runs.
class OutboxSender {
public:
    // `store`, `clock` and `log` must outlive the sender.
    OutboxSender(app::Store& store, const app::Clock& clock, SmtpClient client, OutboxSenderOptions options,
                 std::ostream& log, bool start_thread = true);
    ~OutboxSender();
    OutboxSender(const OutboxSender&) = delete;
    OutboxSender& operator=(const OutboxSender&) = delete;

    // One pass: claims up to `batch` due messages, delivers each and records its outcome. Returns how many were
    // claimed. Errors: the store's (the claimed messages are due again when their lease ends).
    Result<int> DeliverDue();

private:
    void Loop();

    app::Store& store_;
    const app::Clock& clock_;
    const SmtpClient client_;
    const OutboxSenderOptions options_;
    std::ostream& log_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
    std::thread thread_;     // last: started once everything above is built
};

}  // namespace kclinic::adapters::mail
