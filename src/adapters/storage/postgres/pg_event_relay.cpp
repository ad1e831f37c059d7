#include "adapters/storage/postgres/pg_event_relay.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <utility>

#include "adapters/json/relay_payload.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage::postgres {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct ConnectionDeleter {
    void operator()(PGconn* conn) const { PQfinish(conn); }
};
using ConnectionPtr = std::unique_ptr<PGconn, ConnectionDeleter>;

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

struct FreeDeleter {
    void operator()(void* memory) const { PQfreemem(memory); }
};

// libpq's messages end in a newline and may go on over more lines ("server closed the connection unexpectedly\n\t
// This probably means..."); the first line says what happened.
std::string FirstLine(const char* message) {
    const std::string_view text = message != nullptr ? message : "";
    std::string line(text.substr(0, text.find('\n')));
    return line.empty() ? "no message from libpq" : line;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

// 128 random bits in hex: two processes (or two relays in one test process) never share an origin.
std::string RandomOrigin() {
    std::random_device random;
    constexpr std::string_view kDigits = "0123456789abcdef";
    std::string origin;
    for (int word = 0; word < 4; ++word) {
        std::uint32_t bits = random();
        for (int digit = 0; digit < 8; ++digit) {
            origin += kDigits[bits & 0xFU];
            bits >>= 4U;
        }
    }
    return origin;
}

// Waits until the connection's socket is ready for `events`: >0 ready (or closed, which reading then reports),
// 0 after `timeout`, <0 when there is no socket or poll failed.
int WaitSocket(PGconn* conn, short events, milliseconds timeout) {
    pollfd descriptor{PQsocket(conn), events, 0};
    if (descriptor.fd < 0) {
        return -1;
    }
    int ready = 0;
    do {
        ready = ::poll(&descriptor, 1, static_cast<int>(std::max<milliseconds::rep>(timeout.count(), 0)));
    } while (ready < 0 && errno == EINTR);
    return ready;
}

milliseconds Remaining(Clock::time_point deadline) {
    return std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
}

// Connects without waiting past `options.io_timeout`, and gives up when `stopping` turns true (looked at every
// poll_interval). Null, with the reason in `error`, when no connection was made.
template <typename Stopping>
ConnectionPtr Connect(const std::string& dsn, const PgEventRelayOptions& options, Stopping stopping,
                      std::string& error) {
    // TCP keepalives on the listener's otherwise silent connection: a server that vanished without closing it
    // (a network partition) is found out in about a minute rather than after the system's two-hour default. The
    // DSN comes last, so its own settings win.
    const std::array<const char*, 7> keywords = {"fallback_application_name",
                                                 "client_encoding",
                                                 "keepalives_idle",
                                                 "keepalives_interval",
                                                 "keepalives_count",
                                                 "dbname",
                                                 nullptr};
    const std::array<const char*, 7> values = {"kclinic", "UTF8", "30", "10", "3", dsn.c_str(), nullptr};
    ConnectionPtr conn(PQconnectStartParams(keywords.data(), values.data(), /*expand_dbname=*/1));
    if (conn == nullptr) {
        error = "out of memory";
        return nullptr;
    }
    // Notices would go to stderr, which is not the relay's to write on; nothing here acts on them.
    PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);
    if (PQstatus(conn.get()) == CONNECTION_BAD) {
        error = FirstLine(PQerrorMessage(conn.get()));
        return nullptr;
    }
    // libpq's nonblocking connection loop: start as if PQconnectPoll had asked to write, then wait for what it
    // asks next. PQconnectPoll enforces no timeout of its own.
    const Clock::time_point deadline = Clock::now() + options.io_timeout;
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
        if (status == PGRES_POLLING_FAILED) {
            error = FirstLine(PQerrorMessage(conn.get()));
            return nullptr;
        }
        const short events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT;
        int ready = 0;
        while (ready == 0) {
            if (stopping()) {
                error = "the relay is stopping";
                return nullptr;
            }
            const milliseconds remaining = Remaining(deadline);
            if (remaining.count() <= 0) {
                error = "no connection within " + std::to_string(options.io_timeout.count()) + " ms";
                return nullptr;
            }
            ready = WaitSocket(conn.get(), events, std::min(remaining, options.poll_interval));
        }
        if (ready < 0) {
            error = std::string("poll: ") + std::strerror(errno);
            return nullptr;
        }
        status = PQconnectPoll(conn.get());
    }
    return conn;
}

enum class Outcome {
    kOk,
    kFailed,          // the server refused the statement; the connection is still good
    kConnectionLost,  // the connection is gone or stuck and must be replaced
};

// Runs one statement with text parameters, waiting on the socket rather than in libpq so that no answer within
// `timeout` counts as a lost connection instead of hanging the thread. `error` says why when not kOk.
Outcome RunStatement(PGconn* conn, const std::string& sql, std::span<const char* const> params, milliseconds timeout,
                     std::string& error) {
    if (PQsendQueryParams(conn, sql.c_str(), static_cast<int>(params.size()), nullptr, params.data(), nullptr, nullptr,
                          /*resultFormat=text*/ 0) == 0) {
        error = FirstLine(PQerrorMessage(conn));
        return Outcome::kConnectionLost;
    }
    const Clock::time_point deadline = Clock::now() + timeout;
    Outcome outcome = Outcome::kOk;
    while (true) {
        while (PQisBusy(conn) != 0) {
            const milliseconds remaining = Remaining(deadline);
            if (remaining.count() <= 0) {
                error = "no answer within " + std::to_string(timeout.count()) + " ms";
                return Outcome::kConnectionLost;
            }
            if (WaitSocket(conn, POLLIN, remaining) < 0 || PQconsumeInput(conn) == 0) {
                error = FirstLine(PQerrorMessage(conn));
                return Outcome::kConnectionLost;
            }
        }
        ResultPtr result(PQgetResult(conn));
        if (result == nullptr) {
            break;
        }
        const ExecStatusType status = PQresultStatus(result.get());
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && outcome == Outcome::kOk) {
            error = FirstLine(PQresultErrorMessage(result.get()));
            outcome = Outcome::kFailed;
        }
    }
    if (PQstatus(conn) == CONNECTION_BAD) {
        return Outcome::kConnectionLost;
    }
    return outcome;
}

}  // namespace

PgEventRelay::PgEventRelay(std::string dsn, app::EventBus& local, PgEventRelayOptions options)
    : dsn_(std::move(dsn)), local_(local), options_(std::move(options)), origin_(RandomOrigin()) {
    sender_ = std::thread([this] { RunSender(); });
    listener_ = std::thread([this] { RunListener(); });
}

PgEventRelay::~PgEventRelay() {
    Stop();
}

void PgEventRelay::Publish(const app::LiveEvent& event) {
    local_.Publish(event);
    bool queued = false;
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        if (queue_.size() < options_.queue_capacity) {
            queue_.push_back(event);
            queued = true;
        }
    }
    if (!queued) {
        Count(RelayCount::kDropped);
        return;
    }
    wake_.notify_all();
}

void PgEventRelay::Stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (listener_.joinable()) {
        listener_.join();
    }
    if (sender_.joinable()) {
        sender_.join();
    }
}

PgEventRelayStats PgEventRelay::Stats() const {
    PgEventRelayStats stats;
    stats.sent = sent_.load(std::memory_order_relaxed);
    stats.received = received_.load(std::memory_order_relaxed);
    stats.dropped = dropped_.load(std::memory_order_relaxed);
    stats.too_large = too_large_.load(std::memory_order_relaxed);
    stats.malformed = malformed_.load(std::memory_order_relaxed);
    stats.reconnects = reconnects_.load();
    stats.listening = listening_.load();
    return stats;
}

void PgEventRelay::RunSender() {
    ConnectionPtr conn;
    bool connected_before = false;
    bool outage_reported = false;
    milliseconds backoff = options_.reconnect_initial;
    const std::string notify = "SELECT pg_notify($1, $2)";

    // A connection for the next event: the one there is, or a new one, retried with backoff until it is made or
    // the relay stops (then null).
    const auto connection = [&]() -> PGconn* {
        while (conn == nullptr) {
            if (Stopping()) {
                return nullptr;  // a stopping sender sends only over the connection it has
            }
            std::string error;
            conn = Connect(
                dsn_, options_, [this] { return Stopping(); }, error);
            if (conn != nullptr) {
                if (connected_before) {
                    Count(RelayCount::kReconnect);
                    Log("live event relay: sending again");
                }
                connected_before = true;
                outage_reported = false;
                backoff = options_.reconnect_initial;
                break;
            }
            if (!outage_reported) {
                Log("live event relay: cannot connect to send events (" + error +
                    "); retrying, and events beyond the queue are dropped meanwhile");
                outage_reported = true;
            }
            if (SleepUnlessStopping(backoff)) {
                return nullptr;
            }
            backoff = std::min(backoff * 2, options_.reconnect_max);
        }
        return conn.get();
    };

    while (true) {
        app::LiveEvent event;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // stopping, and everything queued has been handled
            }
            event = std::move(queue_.front());
            queue_.pop_front();
        }
        Result<std::string> payload = json::RelayPayload(origin_, event);
        if (!payload.ok()) {
            Count(RelayCount::kDropped);
            Log("live event relay: an event was not relayed: " + payload.error().ToString());
            continue;
        }
        if (payload->size() > kMaxNotifyPayloadBytes) {
            Count(RelayCount::kTooLarge);
            Log("live event relay: a " + std::string(app::LiveEventKindName(event.kind)) + " event of " +
                std::to_string(payload->size()) + " bytes is over NOTIFY's limit of " +
                std::to_string(kMaxNotifyPayloadBytes) + " and reaches only this process's watchers");
            continue;
        }
        const std::array<const char*, 2> params = {options_.channel.c_str(), payload->c_str()};
        bool sent = false;
        // Two tries: a connection the server closed while it sat idle (a restart, pg_terminate_backend) is found
        // out only by using it, and the event should not be lost to that when a new connection works.
        for (int attempt = 0; attempt < 2 && !sent; ++attempt) {
            PGconn* current = connection();
            if (current == nullptr) {
                break;
            }
            std::string error;
            const Outcome outcome = RunStatement(current, notify, params, options_.io_timeout, error);
            if (outcome == Outcome::kOk) {
                sent = true;
            } else if (outcome == Outcome::kFailed) {
                // The server refused this event (its NOTIFY queue is full, a smaller payload limit): trying it
                // again would not help.
                Log("live event relay: PostgreSQL refused an event: " + error);
                break;
            } else {
                conn.reset();
                Log("live event relay: lost the connection that sends events (" + error + "); reconnecting");
            }
        }
        Count(sent ? RelayCount::kSent : RelayCount::kDropped);
    }
}

void PgEventRelay::RunListener() {
    const auto stopping = [this] { return Stopping(); };
    bool connected_before = false;
    bool outage_reported = false;
    milliseconds backoff = options_.reconnect_initial;
    while (!stopping()) {
        std::string error;
        ConnectionPtr conn = Connect(dsn_, options_, stopping, error);
        if (conn != nullptr) {
            const std::unique_ptr<char, FreeDeleter> channel(
                PQescapeIdentifier(conn.get(), options_.channel.c_str(), options_.channel.size()));
            if (channel == nullptr) {
                error = FirstLine(PQerrorMessage(conn.get()));
                conn.reset();
            } else if (RunStatement(conn.get(), std::string("LISTEN ") + channel.get(), {}, options_.io_timeout,
                                    error) != Outcome::kOk) {
                conn.reset();
            }
        }
        if (conn == nullptr) {
            if (stopping()) {
                break;
            }
            if (!outage_reported) {
                Log("live event relay: cannot listen for other processes' events (" + error + "); retrying");
                outage_reported = true;
            }
            if (SleepUnlessStopping(backoff)) {
                break;
            }
            backoff = std::min(backoff * 2, options_.reconnect_max);
            continue;
        }

        // Listening before counting the reconnect: whoever sees the count sees the LISTEN in effect.
        listening_.store(true);
        if (connected_before) {
            Count(RelayCount::kReconnect);
            Log("live event relay: listening again");
        }
        connected_before = true;
        outage_reported = false;
        backoff = options_.reconnect_initial;

        error.clear();
        while (error.empty() && !stopping()) {
            // Notifications that arrived with the LISTEN's answer are already read, so look before waiting.
            while (PGnotify* raw = PQnotifies(conn.get())) {
                const std::unique_ptr<PGnotify, FreeDeleter> notification(raw);
                Receive(notification->extra != nullptr ? notification->extra : "");
            }
            const int ready = WaitSocket(conn.get(), POLLIN, options_.poll_interval);
            if (ready < 0) {
                error = std::string("poll: ") + std::strerror(errno);
            } else if (ready > 0 && PQconsumeInput(conn.get()) == 0) {
                error = FirstLine(PQerrorMessage(conn.get()));
            } else if (PQstatus(conn.get()) == CONNECTION_BAD) {
                error = FirstLine(PQerrorMessage(conn.get()));
            }
        }
        listening_.store(false);
        if (!error.empty()) {
            Log("live event relay: lost the listening connection (" + error +
                "); other processes' events are not delivered here until it is back");
            outage_reported = true;
        }
    }
}

void PgEventRelay::Receive(std::string_view payload) {
    Result<json::RelayedEvent> relayed = json::ParseRelayPayload(payload);
    if (!relayed.ok()) {
        // Only the first is logged: anyone who may NOTIFY on the database could flood the log otherwise. The
        // payload itself stays out of the log, since it may carry patient data.
        if (malformed_.load(std::memory_order_relaxed) == 0) {
            Log("live event relay: skipped a notification on " + options_.channel + " that is not a relayed event (" +
                relayed.error().ToString() + "); further ones are only counted");
        }
        Count(RelayCount::kMalformed);
        return;
    }
    if (relayed->origin == origin_) {
        return;  // this process's own event, which its watchers had when it was published
    }
    local_.Publish(std::move(relayed).value().event);
    Count(RelayCount::kReceived);
}

void PgEventRelay::Count(RelayCount count) {
    switch (count) {
        case RelayCount::kSent:
            sent_.fetch_add(1, std::memory_order_relaxed);
            break;
        case RelayCount::kReceived:
            received_.fetch_add(1, std::memory_order_relaxed);
            break;
        case RelayCount::kDropped:
            dropped_.fetch_add(1, std::memory_order_relaxed);
            break;
        case RelayCount::kTooLarge:
            too_large_.fetch_add(1, std::memory_order_relaxed);
            break;
        case RelayCount::kMalformed:
            malformed_.fetch_add(1, std::memory_order_relaxed);
            break;
        case RelayCount::kReconnect:
            reconnects_.fetch_add(1);
            break;
    }
    if (options_.counted) {
        options_.counted(count);
    }
}

void PgEventRelay::Log(std::string_view line) const {
    if (options_.log) {
        options_.log(line);
        return;
    }
    std::cerr << line << std::endl;
}

bool PgEventRelay::Stopping() const {
    const std::lock_guard lock(mutex_);
    return stopping_;
}

bool PgEventRelay::SleepUnlessStopping(milliseconds delay) {
    std::unique_lock lock(mutex_);
    return wake_.wait_for(lock, delay, [this] { return stopping_; });
}

}  // namespace kclinic::adapters::storage::postgres
