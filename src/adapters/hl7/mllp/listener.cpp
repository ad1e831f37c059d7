// The MLLP listener: an Asio acceptor whose every connection has its own strand (the shape of the HTTP server's
// listener, http_server.cpp), decoding frames as bytes arrive and handing each to the handler on that strand.

#include "adapters/hl7/mllp/listener.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>

namespace kclinic::adapters::hl7::mllp {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using SystemError = boost::system::error_code;

// A failed accept (EMFILE, ENFILE) is retried after this pause instead of at once in a busy loop.
constexpr std::chrono::milliseconds kAcceptRetryPause{100};

void LogToStderr(std::string_view line) {
    std::string text = "kclinic mllp: " + std::string(line) + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);  // one call, so lines from several threads do not interleave
}

// A whole frame whose message was answered AR is counted as "unparseable"; any other event by its kind.
std::string_view ParseErrorLabel(FrameEventKind kind) {
    return kind == FrameEventKind::kMessage ? "unparseable" : FrameEventKindName(kind);
}

}  // namespace

// What a FrameResponder answers: the connection, which writes replies in the order of their slots.
class FrameResponder::Target {
public:
    // `reply`, or none to close without one, for the frame handed over as `slot`. Any thread.
    virtual void Deliver(std::uint64_t slot, std::optional<FrameReply> reply) = 0;
    // Runs `work` on the listener's workers and delivers its reply for `slot`. Any thread.
    virtual void Offload(std::uint64_t slot, std::function<FrameReply()> work) = 0;
    virtual void Log(std::string_view line) = 0;

    Target() = default;
    virtual ~Target() = default;
    Target(const Target&) = delete;
    Target& operator=(const Target&) = delete;
};

void FrameResponder::Reply(FrameReply reply) const {
    target_->Deliver(slot_, std::move(reply));
}

void FrameResponder::Fail(std::string_view why) const {
    target_->Log(why);
    target_->Deliver(slot_, std::nullopt);
}

void FrameResponder::Offload(std::function<FrameReply()> work) const {
    target_->Offload(slot_, std::move(work));
}

FrameHandler OnWorkers(BlockingFrameHandler handler) {
    return [handler = std::move(handler)](const FrameEvent& event, const Peer& peer, const FrameResponder& responder) {
        responder.Offload([handler, event, peer] { return handler(event, peer); });
    };
}

class MllpListener::Impl {
public:
    class Connection;

    Impl(ListenerOptions options, FrameHandler handler, http::MetricsRegistry& metrics)
        : options_(std::move(options)),
          handler_(std::move(handler)),
          open_connections_(metrics.AddGauge("kclinic_mllp_open_connections", "MLLP connections open now").Labels({})),
          rejected_connections_(metrics
                                    .AddCounter("kclinic_mllp_rejected_connections_total",
                                                "MLLP connections closed at once at the connection limit")
                                    .Labels({})),
          messages_(
              metrics.AddCounter("kclinic_mllp_messages_total", "HL7 acknowledgments written, by MSA-1 code", {"ack"})),
          parse_errors_(metrics.AddCounter("kclinic_mllp_parse_errors_total",
                                           "MLLP frames or HL7 messages that could not be taken in, by kind",
                                           {"kind"})),
          strand_(net::make_strand(io_)),
          acceptor_(strand_),
          accept_retry_timer_(strand_),
          workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))) {
        if (!options_.log) {
            options_.log = LogToStderr;
        }
    }

    ~Impl() { workers_.join(); }

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    Status Listen() {
        SystemError ec;
        const net::ip::address address = net::ip::make_address(options_.host, ec);
        if (ec) {
            return InvalidArgument("host",
                                   "expected an IP address such as 127.0.0.1 or ::1 (got \"" + options_.host + "\")");
        }
        const tcp::endpoint endpoint(address, options_.port);
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec) {
            acceptor_.set_option(net::socket_base::reuse_address(true), ec);
        }
        if (!ec) {
            acceptor_.bind(endpoint, ec);
        }
        if (!ec) {
            acceptor_.listen(net::socket_base::max_listen_connections, ec);
        }
        if (ec) {
            SystemError ignored;
            acceptor_.close(ignored);
            return Error{
                ErrorCode::kUnavailable, "mllp",
                "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + ec.message()};
        }
        port_ = acceptor_.local_endpoint().port();
        return Status::Ok();
    }

    [[nodiscard]] std::uint16_t Port() const { return port_; }

    void Run() {
        net::dispatch(strand_, [this] { DoAccept(); });
        std::vector<std::thread> threads;
        for (int i = 1; i < options_.io_threads; ++i) {
            threads.emplace_back([this] { RunIo(); });
        }
        RunIo();
        for (std::thread& thread : threads) {
            thread.join();
        }
    }

    void Stop() {
        net::post(strand_, [this] { BeginShutdown(); });
    }

    // What a connection needs of its listener.
    const ListenerOptions& options() const { return options_; }
    net::thread_pool& workers() { return workers_; }
    void Log(std::string_view line) const { options_.log(line); }
    const FrameHandler& handler() const { return handler_; }
    // Runs offloaded work; nullopt when it threw (logged).
    std::optional<FrameReply> RunGuarded(const std::function<FrameReply()>& work, const Peer& peer) const {
        try {
            return work();
        } catch (const std::exception& error) {
            Log("handler failed for a frame from " + peer.address + ": " + error.what());
        } catch (...) {
            Log("handler failed for a frame from " + peer.address + " with a non-standard exception");
        }
        return std::nullopt;
    }
    void Count(FrameEventKind kind, const FrameReply& reply) {
        if (kind != FrameEventKind::kMessage || reply.code == AckCode::kReject) {
            parse_errors_.Labels({ParseErrorLabel(kind)}).Increment();
        }
        if (!reply.message.empty()) {
            messages_.Labels({AckCodeText(reply.code)}).Increment();
        }
    }
    void Forget(const Connection* connection);

private:
    // A completion handler should never throw; if one does, the thread logs it and goes on serving.
    void RunIo() {
        while (true) {
            try {
                io_.run();
                return;
            } catch (const std::exception& error) {
                Log(std::string("I/O thread: unexpected exception: ") + error.what());
            } catch (...) {
                Log("I/O thread: unexpected non-standard exception");
            }
        }
    }

    void DoAccept();
    void OnAccept(SystemError ec, tcp::socket socket);
    void BeginShutdown();

    ListenerOptions options_;
    FrameHandler handler_;
    http::Gauge& open_connections_;
    http::Counter& rejected_connections_;
    http::CounterFamily& messages_;
    http::CounterFamily& parse_errors_;
    std::uint16_t port_ = 0;

    // Declared before io_ so that it outlives it: destroying io_ destroys handlers that hold connections.
    std::mutex mutex_;
    bool stopping_ = false;                                                         // guarded by mutex_
    std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;  // guarded by mutex_

    net::io_context io_;
    net::strand<net::io_context::executor_type> strand_;  // the acceptor's and the shutdown's
    tcp::acceptor acceptor_;
    net::steady_timer accept_retry_timer_;
    net::thread_pool workers_;  // declared last: joined first, while everything it may touch is alive
};

// One accepted connection. Everything but the constructor and the FrameResponder::Target calls runs on the
// connection's strand (the socket's executor), so its state needs no lock; those calls post to the strand.
class MllpListener::Impl::Connection : public std::enable_shared_from_this<Connection>, public FrameResponder::Target {
public:
    Connection(tcp::socket socket, Impl& listener)
        : socket_(std::move(socket)),
          timer_(socket_.get_executor()),
          listener_(listener),
          decoder_(listener.options().max_message_bytes) {
        SystemError ec;
        const tcp::endpoint remote = socket_.remote_endpoint(ec);
        if (!ec) {
            peer_ = Peer{remote.address().to_string(), remote.port()};
        }
    }

    void Start() {
        net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
            self->ArmTimer();
            self->DoRead();
        });
    }

    // Stop reading; answer the frames handed to the handler, then close. Frames not yet handed over get no ACK.
    void Shutdown() {
        net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->StopReading(); });
    }

    void Deliver(std::uint64_t slot, std::optional<FrameReply> reply) override {
        // Inline when called on the strand (a handler answering at once); else posted to it.
        net::dispatch(socket_.get_executor(), [self = shared_from_this(), slot, reply = std::move(reply)]() mutable {
            self->OnReply(slot, std::move(reply));
        });
    }

    void Offload(std::uint64_t slot, std::function<FrameReply()> work) override {
        net::post(listener_.workers(), [self = shared_from_this(), slot, work = std::move(work)] {
            self->Deliver(slot, self->listener_.RunGuarded(work, self->peer_));
        });
    }

    void Log(std::string_view line) override { listener_.Log(line); }

private:
    // A frame handed to the handler, by slot: its reply once it came. Until then the I/O threads keep running (Run
    // does not return), so that a late reply (from the group committer) never reaches a destroyed listener.
    struct Answer {
        FrameEventKind kind;
        net::executor_work_guard<net::io_context::executor_type> running;
        bool answered = false;
        std::optional<FrameReply> reply;  // none: close without a reply
    };

    void StopReading() {
        stopping_ = true;
        pending_.clear();
        if (reading_) {
            // Ends the pending read as end-of-file, without cancelling a reply being written.
            SystemError ignored;
            socket_.shutdown(tcp::socket::shutdown_receive, ignored);
        }
        CloseIfDone();
    }

    // Frames unanswered: waiting to be handed over, and handed over.
    std::size_t Unanswered() const { return pending_.size() + answers_.size(); }

    void DoRead() {
        if (closed_ || discarding_ || read_ended_ || stopping_ || reading_ ||
            Unanswered() >= listener_.options().max_pending_frames) {
            return;
        }
        reading_ = true;
        socket_.async_read_some(net::buffer(buffer_), [self = shared_from_this()](SystemError ec, std::size_t size) {
            self->OnRead(ec, size);
        });
    }

    void OnRead(SystemError ec, std::size_t size) {
        reading_ = false;
        if (closed_) {
            return;
        }
        std::vector<FrameEvent> events;
        if (ec == net::error::eof || (ec && stopping_)) {
            read_ended_ = true;
            if (!stopping_) {
                decoder_.Finish(events);  // a frame cut off by the peer's close still gets its AR
            }
        } else if (ec) {
            Close();  // reset by the peer: nothing can be answered; unacknowledged messages are resent
            return;
        } else {
            decoder_.Feed(std::string_view(buffer_.data(), size), events);
            ArmTimer();
        }
        for (FrameEvent& event : events) {
            pending_.push_back(std::move(event));
        }
        HandOver();
        DoRead();
        CloseIfDone();
    }

    // Hands every waiting frame to the handler, in order, without waiting for replies: a pipelining gateway's
    // frames reach the group committer together.
    void HandOver() {
        while (!closed_ && !stopping_ && !pending_.empty()) {
            FrameEvent event = std::move(pending_.front());
            pending_.pop_front();
            const std::uint64_t slot = first_slot_ + answers_.size();
            answers_.push_back(Answer{event.kind, net::make_work_guard(listener_.io_), false, std::nullopt});
            const FrameResponder responder(shared_from_this(), slot);
            try {
                listener_.handler()(event, peer_, responder);
            } catch (const std::exception& error) {
                responder.Fail("handler failed for a frame from " + peer_.address + ": " + error.what());
            } catch (...) {
                responder.Fail("handler failed for a frame from " + peer_.address + " with a non-standard exception");
            }
        }
    }

    void OnReply(std::uint64_t slot, std::optional<FrameReply> reply) {
        Answer& answer = answers_[static_cast<std::size_t>(slot - first_slot_)];
        if (answer.answered) {
            return;  // a handler that threw after answering: the first answer stands
        }
        answer.answered = true;
        answer.reply = std::move(reply);
        // The replies now complete from the front, in order.
        while (!answers_.empty() && answers_.front().answered) {
            const Answer done = std::move(answers_.front());
            answers_.pop_front();
            ++first_slot_;
            if (closed_ || discarding_) {
                continue;  // the connection is gone, or the reply follows one that closed it: its sender resends
            }
            if (!done.reply) {
                Close();
                continue;
            }
            listener_.Count(done.kind, *done.reply);
            if (!done.reply->message.empty()) {
                writes_.push_back(EncodeFrame(done.reply->message));
            }
            if (done.reply->close_connection) {
                discarding_ = true;
                StopReading();
            }
        }
        DoWrite();
        DoRead();
        ArmTimer();
        CloseIfDone();
    }

    void DoWrite() {
        if (writing_ || writes_.empty() || closed_) {
            return;
        }
        writing_ = true;
        ArmTimer();
        net::async_write(socket_, net::buffer(writes_.front()),
                         [self = shared_from_this()](SystemError ec, std::size_t /*size*/) { self->OnWrite(ec); });
    }

    void OnWrite(SystemError ec) {
        writing_ = false;
        if (closed_) {
            return;
        }
        if (ec) {
            Close();
            return;
        }
        writes_.pop_front();
        DoWrite();
        ArmTimer();
        CloseIfDone();
    }

    // A write has write_timeout to finish; otherwise the connection may be silent for idle_timeout. A frame with the
    // handler (the database) is waited for, however long it takes.
    void ArmTimer() {
        if (closed_) {
            return;
        }
        timer_.expires_after(writing_ ? listener_.options().write_timeout : listener_.options().idle_timeout);
        timer_.async_wait([self = shared_from_this()](SystemError ec) { self->OnTimer(ec); });
    }

    void OnTimer(SystemError ec) {
        if (ec || closed_) {
            return;  // re-armed or closed
        }
        if (!answers_.empty() && !discarding_ && !writing_) {
            ArmTimer();
            return;
        }
        listener_.Log(std::string(writing_ ? "write timeout" : "idle timeout") + ": closing the connection from " +
                      peer_.address + ":" + std::to_string(peer_.port));
        Close();
    }

    void CloseIfDone() {
        const bool nothing_more = read_ended_ || stopping_;
        if (nothing_more && (answers_.empty() || discarding_) && !writing_ && writes_.empty() && pending_.empty()) {
            Close();
        }
    }

    void Close() {
        if (closed_) {
            return;
        }
        closed_ = true;
        SystemError ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        timer_.cancel();
        listener_.Forget(this);
    }

    tcp::socket socket_;
    net::steady_timer timer_;
    Impl& listener_;
    Peer peer_;
    FrameDecoder decoder_;
    std::array<char, 16384> buffer_{};
    std::deque<FrameEvent> pending_;  // decoded, not yet handed to the handler, in arrival order
    std::deque<Answer> answers_;      // handed to the handler, in arrival order; the front's slot is first_slot_
    std::uint64_t first_slot_ = 0;
    std::deque<std::string> writes_;  // framed replies, in order
    bool reading_ = false;
    bool writing_ = false;
    bool read_ended_ = false;
    bool stopping_ = false;
    bool discarding_ = false;  // a reply asked to close: the replies of the frames after it are not written
    bool closed_ = false;

    friend class MllpListener::Impl;
};

void MllpListener::Impl::DoAccept() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
    }
    acceptor_.async_accept(net::make_strand(io_),
                           [this](SystemError ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void MllpListener::Impl::OnAccept(SystemError ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) {
        return;  // the acceptor was closed by Stop
    }
    if (ec) {
        Log("accept failed: " + ec.message());
        accept_retry_timer_.expires_after(kAcceptRetryPause);
        accept_retry_timer_.async_wait([this](SystemError wait_error) {
            if (!wait_error) {
                DoAccept();
            }
        });
        return;
    }
    std::shared_ptr<Connection> connection;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;  // the socket closes here
        }
        if (connections_.size() >= static_cast<std::size_t>(options_.max_connections)) {
            rejected_connections_.Increment();
        } else {
            connection = std::make_shared<Connection>(std::move(socket), *this);
            connections_.emplace(connection.get(), connection);
        }
    }
    if (connection) {
        open_connections_.Add(1);
        connection->Start();
    }
    DoAccept();
}

void MllpListener::Impl::Forget(const Connection* connection) {
    {
        std::lock_guard lock(mutex_);
        if (connections_.erase(connection) == 0) {
            return;
        }
    }
    open_connections_.Add(-1);
}

void MllpListener::Impl::BeginShutdown() {
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
        for (const auto& [key, weak] : connections_) {
            if (std::shared_ptr<Connection> connection = weak.lock()) {
                open.push_back(std::move(connection));
            }
        }
    }
    SystemError ignored;
    acceptor_.close(ignored);
    accept_retry_timer_.cancel();
    for (const std::shared_ptr<Connection>& connection : open) {
        connection->Shutdown();
    }
}

// ----- the pimpl -------------------------------------------------------------------------------------------------

MllpListener::MllpListener(ListenerOptions options, FrameHandler handler, http::MetricsRegistry& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), metrics)) {}

MllpListener::~MllpListener() = default;

Status MllpListener::Listen() {
    return impl_->Listen();
}

std::uint16_t MllpListener::Port() const {
    return impl_->Port();
}

void MllpListener::Run() {
    impl_->Run();
}

void MllpListener::Stop() {
    impl_->Stop();
}

}  // namespace kclinic::adapters::hl7::mllp
