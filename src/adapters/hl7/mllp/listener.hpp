#pragma once

// The MLLP listener: bedside monitors (or their vendor's gateway) connect over TCP and send HL7 v2 messages framed
// by MLLP (frame.hpp); each complete frame is handed to a FrameHandler, whose reply (an ACK) is framed and written
// back. Plain Asio, behind a pimpl so that only listener.cpp compiles it.
//
// Order. HL7's original acknowledgment mode has a sender wait for the ACK of one message before the next, but a
// gateway may pipeline: the frames of one connection are handed to the handler in the order they arrived, without
// waiting for the previous one's reply, and their replies are written in that order whatever order they come in.
// At most `max_pending_frames` frames of a connection are unanswered (handed over or waiting); reading pauses beyond.
//
// Threads. `io_threads` threads run the sockets; every connection has its own strand, and the handler is called on
// it, so it must not block: it answers through its FrameResponder at once, later from any thread (the MLLP feed
// answers from its group committer once the messages are durable), or hands blocking work to the listener's pool of
// `worker_threads` (FrameResponder::Offload; OnWorkers wraps a handler that blocks). A reply from another thread is
// posted back to the connection's strand. Frames of different connections are handled concurrently.
//
// Limits. A frame longer than `max_message_bytes` is discarded to its end and reported to the handler (which answers
// it with an AR); a connection silent for `idle_timeout` with nothing in flight is closed, and so is one whose reply
// cannot be written within `write_timeout`. Beyond `max_connections` a new connection is closed at once, before
// any byte is read (MLLP has no way to say "busy" before a message names itself). Bad bytes never stop the
// connection: the decoder resynchronises at the next frame start.
//
// Metrics (registered in the given registry): kclinic_mllp_open_connections, kclinic_mllp_rejected_connections_total,
// kclinic_mllp_messages_total{ack} (AA, AE, AR: the replies written), kclinic_mllp_parse_errors_total{kind} (frames
// the decoder could not deliver whole: truncated, too_large, bad_trailer, garbage; and messages answered AR).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/hl7/message/hl7_error.hpp"
#include "adapters/hl7/mllp/frame.hpp"
#include "adapters/http/metrics.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::hl7::mllp {

// What to write back for one frame event. An empty `message` writes nothing (garbage between frames has no message
// to answer). `message` is unframed; the listener frames it.
struct FrameReply {
    std::string message;
    AckCode code = AckCode::kAccept;  // what MSA-1 of `message` says, for the metrics
    // Close the connection once `message` (if any) is written, ignoring the frames that followed: for a message
    // that could not be stored (the database is down), so that the sender, which has no ACK, resends it.
    bool close_connection = false;
};

// Who sent a frame: the peer's address and port, for the device log and error messages.
struct Peer {
    std::string address;
    std::uint16_t port = 0;
};

// How a handler answers one frame event. Exactly one of Reply, Fail or Offload must be called, once, from any thread;
// copies share the one answer. Replies are written in the order of their frames, not of the calls. A responder holds
// its connection: REQUIRES that no copy outlives the listener (MllpListener::Run does not return before every frame
// handed over is answered, so answering is enough).
class FrameResponder {
public:
    class Target;  // the connection (listener.cpp)
    FrameResponder(std::shared_ptr<Target> target, std::uint64_t slot) : target_(std::move(target)), slot_(slot) {}

    // Writes `reply` (its message framed; nothing when empty) once the replies of the frames before it are written.
    void Reply(FrameReply reply) const;
    // Closes the connection without a reply, after the replies of the frames before it; `why` is logged.
    void Fail(std::string_view why) const;
    // Runs `work`, which may block, on the listener's workers, and replies with what it returns; Fail when it throws.
    void Offload(std::function<FrameReply()> work) const;

private:
    std::shared_ptr<Target> target_;
    std::uint64_t slot_;
};

// Called on the connection's strand, for every event of every connection, in arrival order per connection; must not
// block (see "Threads"). If it throws before answering, the connection is closed without a reply (the sender resends
// what it has no ACK for) and the exception logged.
using FrameHandler = std::function<void(const FrameEvent& event, const Peer& peer, const FrameResponder& responder)>;

// A blocking handler, for tests and simple uses: runs on the listener's workers (FrameResponder::Offload), so the
// pipelined frames of one connection may be handled concurrently (their replies are still written in order). Each
// event and peer are copied to the worker.
using BlockingFrameHandler = std::function<FrameReply(const FrameEvent& event, const Peer& peer)>;
[[nodiscard]] FrameHandler OnWorkers(BlockingFrameHandler handler);

// One line per event worth an operator's attention. Called from any thread; must be thread-safe.
using ListenerLog = std::function<void(std::string_view line)>;

struct ListenerOptions {
    std::string host = "127.0.0.1";  // an IP address literal; loopback unless told otherwise
    std::uint16_t port = 2575;       // 0: the system picks a free port (see MllpListener::Port)
    int io_threads = 1;
    int worker_threads = 8;  // for FrameResponder::Offload only
    std::size_t max_message_bytes = kDefaultMaxMessageBytes;
    std::size_t max_pending_frames = 16;
    std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};  // monitors often keep a quiet link open
    std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
    int max_connections = 2048;
    ListenerLog log;  // empty: one line to stderr per event
};

class MllpListener {
public:
    // `metrics` must outlive the listener. Nothing is bound until Listen.
    MllpListener(ListenerOptions options, FrameHandler handler, http::MetricsRegistry& metrics);
    // Waits for handlers still running on the workers.
    ~MllpListener();
    MllpListener(const MllpListener&) = delete;
    MllpListener& operator=(const MllpListener&) = delete;

    // Binds and listens. Errors: kInvalidArgument "host" when it is not an IP address; kUnavailable "mllp" when the
    // address cannot be bound. REQUIRES: called once, before Run.
    [[nodiscard]] Status Listen();
    // The bound port (the real one when options.port was 0). REQUIRES: Listen succeeded.
    [[nodiscard]] std::uint16_t Port() const;

    // Serves on io_threads threads (the caller's among them) until Stop() has closed every connection, then
    // returns. REQUIRES: Listen succeeded; called once.
    void Run();

    // Stops accepting and reading; a frame being handled is still answered, then every connection closes and Run
    // returns. Frames received but not yet handled get no ACK, so their senders resend them to the next server.
    // Thread-safe, returns at once; later calls do nothing.
    void Stop();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kclinic::adapters::hl7::mllp
