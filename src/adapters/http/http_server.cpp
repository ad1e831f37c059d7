// The only translation unit that compiles Beast and Asio (compile time on a 2-core CI matters; see
// docs/architecture.md). Shape: Beast 1.74 example/advanced/server — a listener, one session per connection on its
// own strand, each async step a DoX/OnX pair — with handlers moved off the I/O threads onto a worker pool. The live
// channel's WebSocket session follows example/websocket/server/chat-multi: a queue drained by OnWrite, one write in
// flight.

#include "adapters/http/http_server.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "adapters/http/http_error.hpp"

namespace kclinic::adapters::http {
namespace {

namespace beast = boost::beast;
namespace wire = boost::beast::http;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// After the last response of a connection the server shuts its sending side and reads (discarding) until the
// client closes, for at most this long. Closing at once while request bytes are still unread makes the kernel send
// a reset, which can destroy the response before the client reads it (RFC 9112 §9.6); a 413 is the usual case.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kReadChunkBytes = 4096;
// A failed accept (EMFILE, ENFILE) is retried after this pause instead of at once in a busy loop.
constexpr std::chrono::milliseconds kAcceptRetryPause{100};

const std::vector<double> kDurationBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};

Method FromVerb(wire::verb verb) {
    switch (verb) {
        case wire::verb::get:
            return Method::kGet;
        case wire::verb::head:
            return Method::kHead;
        case wire::verb::post:
            return Method::kPost;
        case wire::verb::put:
            return Method::kPut;
        case wire::verb::patch:
            return Method::kPatch;
        case wire::verb::delete_:
            return Method::kDelete;
        case wire::verb::options:
            return Method::kOptions;
        default:
            return Method::kOther;
    }
}

// Beast 1.74 speaks boost::string_view.
std::string_view View(beast::string_view text) {
    return {text.data(), text.size()};
}

// The server sets these itself from the response's content and the connection's state.
bool IsFramingField(std::string_view name) {
    const beast::string_view field(name.data(), name.size());
    return beast::iequals(field, "Content-Length") || beast::iequals(field, "Transfer-Encoding") ||
           beast::iequals(field, "Connection") || beast::iequals(field, "Content-Type");
}

void LogToStderr(std::string_view line) {
    std::string text = "kclinic http: " + std::string(line) + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);  // one call, so lines from several threads do not interleave
}

// An open connection as the server tracks it for the connection limit and for shutdown: an HTTP session, or the
// live WebSocket session it became.
class Connection {
public:
    virtual ~Connection() = default;
    // Begins a graceful close; called from any thread (implementations post to their strand).
    virtual void Shutdown() = 0;
};

// The server's state and its accepting, signal and shutdown logic; HttpServer::Impl is this class under the name
// the public header declares.
class ServerCore {
public:
    ServerCore(ServerOptions options, Router router, MetricsRegistry& metrics);

    Status Listen();
    [[nodiscard]] std::uint16_t Port() const { return port_; }
    void StopOnSignals(std::initializer_list<int> signals);
    void Run();
    void Stop();

    // For the sessions.
    [[nodiscard]] const ServerOptions& options() const { return options_; }
    [[nodiscard]] const Router& router() const { return router_; }
    [[nodiscard]] net::io_context& io() { return io_; }
    [[nodiscard]] net::thread_pool& workers() { return workers_; }
    void Log(std::string_view line) const { options_.log(line); }
    void Record(std::string_view route, Method method, int status, Clock::duration elapsed);
    // Tracks a connection that did not come from the acceptor (a live session taking over an HTTP connection's
    // socket). False once shutdown has begun: the caller drops it, which closes its socket.
    [[nodiscard]] bool Adopt(const std::shared_ptr<Connection>& connection);
    // Called by every connection's destructor.
    void Forget(const Connection* connection);

private:
    void DoAccept();
    void OnAccept(beast::error_code ec, tcp::socket socket);
    void OnSignal(beast::error_code ec, int signal);
    void BeginShutdown(bool at_once);
    void OnDrainDeadline(beast::error_code ec);
    void Finish();
    void RunIo();

    // State the sessions use; declared first so that it outlives io_ and workers_, whose destruction may destroy
    // the last sessions.
    ServerOptions options_;
    Router router_;
    CounterFamily& requests_;
    HistogramFamily& durations_;
    Gauge& open_connections_;
    Counter& rejected_connections_;

    mutable std::mutex mutex_;  // guards the members below
    std::unordered_map<const Connection*, std::weak_ptr<Connection>> sessions_;
    bool running_ = false;   // inside Run: posting to io_ is allowed
    bool stopping_ = false;  // Stop has begun

    net::io_context io_;
    // Accepting, signals and the drain deadline run on one strand of their own.
    net::strand<net::io_context::executor_type> strand_;
    tcp::acceptor acceptor_;
    net::signal_set signals_;
    net::steady_timer drain_timer_;
    net::steady_timer accept_retry_timer_;
    std::uint16_t port_ = 0;
    // Last: destroyed (joined) first, while io_ can still take the completions of handlers that were running.
    net::thread_pool workers_;
};

// One request and, once known, its response, in the connection's order.
struct Exchange {
    std::optional<HttpRequest> request;  // still to be handled; empty when the response was decided on reading
    HttpResponse response;
    std::string_view route = kUnmatchedRoute;
    Method method = Method::kOther;
    unsigned version = 11;
    bool head = false;
    bool counted = true;  // recorded in the request metrics (a connection refused at the limit is not)
    Clock::time_point received = Clock::now();
    // A WebSocket upgrade to the live path: the message Beast accepts, and once authenticated, who sent it.
    std::optional<wire::request<wire::string_body>> upgrade;
    std::optional<app::Principal> principal;
};

// A live channel connection after its upgrade (docs/api.md, "Live channel"). Every member function but Shutdown,
// OnMessages, OnDropped and Decide runs on the connection's strand. Frames go out one at a time, control replies
// before events (so "subscribed" precedes the first event of its topic), events taken from the hub one by one: the
// hub's bounded queue is this client's queue. Client messages are decided on a worker, one at a time.
class LiveSession final : public Connection, public LiveSink, public std::enable_shared_from_this<LiveSession> {
public:
    LiveSession(tcp::socket&& socket, ServerCore& server, LiveClient client)
        : ws_(std::move(socket)),
          executor_(ws_.get_executor()),
          write_deadline_(executor_),
          server_(server),
          live_(*server.options().live),
          client_(std::move(client)) {}
    // Unsubscribe and Forget throw only when locking a mutex or allocating fails; ending the process is right then.
    ~LiveSession() override {  // NOLINT(bugprone-exception-escape)
        live_.hub->Unsubscribe(*this);
        server_.Forget(this);
    }
    LiveSession(const LiveSession&) = delete;
    LiveSession& operator=(const LiveSession&) = delete;

    // Completes the handshake for `upgrade`. REQUIRES: on the socket's strand.
    void Start(const wire::request<wire::string_body>& upgrade) {
        // Pings an idle client and closes one that stops answering; bounds the opening and closing handshakes.
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& response) { response.set(wire::field::server, "kclinic"); }));
        ws_.read_message_max(live_.max_message_bytes);
        ws_.async_accept(upgrade, beast::bind_front_handler(&LiveSession::OnAccept, shared_from_this()));
    }

    void Shutdown() override {
        net::post(executor_, [self = shared_from_this()] {
            self->DoClose(websocket::close_reason(websocket::close_code::going_away, "server shutting down"));
        });
    }

    void OnMessages() override {
        net::post(executor_, beast::bind_front_handler(&LiveSession::DoWrite, shared_from_this()));
    }

    void OnDropped(std::string_view reason) override {
        net::post(executor_, [self = shared_from_this(), reason = std::string(reason)] {
            self->DoClose(websocket::close_reason(websocket::close_code::try_again_later, reason));
        });
    }

private:
    // A client that sends requests without reading the answers stops being read beyond this many unsent replies.
    static constexpr std::size_t kMaxPendingReplies = 8;

    void OnAccept(beast::error_code ec) {
        if (ec) {
            return;  // a failed or timed-out handshake: the session ends with this handler
        }
        accepted_ = true;
        if (close_reason_) {
            StartClose();  // shutdown began during the handshake
        }
        DoRead();
    }

    // ----- client messages -----------------------------------------------------------------------------------

    void DoRead() {
        if (reading_ || deciding_ || ended_ || replies_.size() >= kMaxPendingReplies) {
            return;
        }
        reading_ = true;
        ws_.async_read(read_buffer_, beast::bind_front_handler(&LiveSession::OnRead, shared_from_this()));
    }

    void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
        reading_ = false;
        if (ec) {
            // The client closed, a message went over the limit (Beast has sent 1009), the client stopped answering
            // pings, or the connection broke: nothing more to do here.
            End();
            return;
        }
        std::string message = beast::buffers_to_string(read_buffer_.data());
        read_buffer_.consume(read_buffer_.size());
        if (close_reason_) {
            DoRead();  // closing: read on until the client's close frame
            return;
        }
        deciding_ = true;
        work_.emplace(server_.io().get_executor());
        net::post(server_.workers(),
                  [self = shared_from_this(), message = std::move(message)] { self->Decide(message); });
    }

    // On a worker thread: the subscriber may read the database.
    void Decide(const std::string& message) {
        Result<std::optional<LiveTopic>> decided = Error{ErrorCode::kInternal, "", "internal error"};
        try {
            decided = live_.subscribe(client_, message);
        } catch (const std::exception& error) {
            server_.Log(std::string("live subscribe failed: ") + error.what());
            decided = Error{ErrorCode::kInternal, "", "internal error; the server log has the details"};
        } catch (...) {
            server_.Log("live subscribe failed with a non-standard exception");
            decided = Error{ErrorCode::kInternal, "", "internal error; the server log has the details"};
        }
        net::post(executor_, [self = shared_from_this(), decided = std::move(decided)] {
            self->work_.reset();
            self->OnDecided(decided);
        });
    }

    void OnDecided(const Result<std::optional<LiveTopic>>& decided) {
        deciding_ = false;
        if (ended_ || close_reason_) {
            return;  // a subscription decided while the connection closed must not outlive it
        }
        if (decided.ok()) {
            if (*decided) {
                live_.hub->Subscribe(shared_from_this(), **decided);
            } else {
                live_.hub->Unsubscribe(*this);
            }
            replies_.push_back(std::make_shared<const std::string>(LiveSubscribedMessage(*decided)));
        } else {
            replies_.push_back(std::make_shared<const std::string>(LiveErrorMessage(decided.error())));
        }
        DoWrite();
        DoRead();
    }

    // ----- writing -------------------------------------------------------------------------------------------

    void DoWrite() {
        if (!accepted_ || writing_ || ended_) {
            return;
        }
        if (close_reason_) {
            StartClose();
            return;
        }
        std::shared_ptr<const std::string> next;
        if (!replies_.empty()) {
            next = std::move(replies_.front());
            replies_.pop_front();
        } else {
            next = live_.hub->Take(*this);
        }
        if (!next) {
            return;  // the hub calls OnMessages when its queue for this client fills again
        }
        outgoing_ = std::move(next);
        writing_ = true;
        ArmWriteDeadline();
        ws_.text(true);
        ws_.async_write(net::buffer(*outgoing_), beast::bind_front_handler(&LiveSession::OnWrite, shared_from_this()));
    }

    void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
        writing_ = false;
        outgoing_.reset();
        DisarmWriteDeadline();
        if (ec) {
            End();
            return;
        }
        DoWrite();
        DoRead();
    }

    // ----- closing -------------------------------------------------------------------------------------------

    // Sends a close frame with `reason` once the frame being written is out; no event or reply follows it.
    void DoClose(const websocket::close_reason& reason) {
        if (close_reason_ || ended_) {
            return;
        }
        close_reason_ = reason;
        live_.hub->Unsubscribe(*this);
        replies_.clear();
        if (accepted_ && !writing_) {
            StartClose();
        }
    }

    void StartClose() {
        if (close_started_ || ended_) {
            return;
        }
        close_started_ = true;
        writing_ = true;
        // Bounds the close like a write: a client that stopped reading may never take the frames before it.
        ArmWriteDeadline();
        ws_.async_close(*close_reason_, beast::bind_front_handler(&LiveSession::OnClose, shared_from_this()));
    }

    void OnClose(beast::error_code /*ec*/) {
        writing_ = false;
        End();  // closed cleanly or not, the connection is over
    }

    // A write that does not finish within write_timeout means the client stopped reading: the socket is closed
    // without a close handshake, which could not get through either.
    void ArmWriteDeadline() {
        ++deadline_generation_;
        write_deadline_.expires_after(server_.options().write_timeout);
        write_deadline_.async_wait(
            beast::bind_front_handler(&LiveSession::OnWriteDeadline, shared_from_this(), deadline_generation_));
    }

    void DisarmWriteDeadline() {
        ++deadline_generation_;
        write_deadline_.cancel();
    }

    void OnWriteDeadline(std::uint64_t generation, beast::error_code ec) {
        if (ec == net::error::operation_aborted || generation != deadline_generation_ || ended_) {
            return;
        }
        End();
    }

    // Closes the socket: pending operations complete with errors and the session is destroyed after the last.
    void End() {
        if (ended_) {
            return;
        }
        ended_ = true;
        live_.hub->Unsubscribe(*this);
        replies_.clear();
        DisarmWriteDeadline();
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(ws_).close();
    }

    websocket::stream<beast::tcp_stream> ws_;
    const beast::tcp_stream::executor_type executor_;  // the connection's strand, used by workers and publishers
    net::steady_timer write_deadline_;
    std::uint64_t deadline_generation_ = 0;
    ServerCore& server_;
    const LiveEndpoint& live_;
    const LiveClient client_;  // read by the worker deciding a message, never written after construction

    beast::flat_buffer read_buffer_;
    std::deque<std::shared_ptr<const std::string>> replies_;  // answers to client messages, not yet written
    std::shared_ptr<const std::string> outgoing_;             // the frame being written
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
    std::optional<websocket::close_reason> close_reason_;  // set once a close is decided

    bool accepted_ = false;
    bool reading_ = false;
    bool deciding_ = false;  // a client message is on a worker
    bool writing_ = false;   // a frame or the close frame is being written
    bool close_started_ = false;
    bool ended_ = false;
};

// One connection. Every member function but Start, StartRefused and Shutdown runs on the connection's strand.
class Session final : public Connection, public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket&& socket, ServerCore& server)
        : stream_(std::move(socket)), executor_(stream_.get_executor()), idle_timer_(executor_), server_(server) {
        beast::error_code ec;
        const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
        if (!ec) {
            remote_address_ = peer.address().to_string();
        }
    }
    // Forget throws only when locking a mutex or allocating fails; ending the process then is the right outcome.
    ~Session() override { server_.Forget(this); }  // NOLINT(bugprone-exception-escape)
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void Start() { net::dispatch(executor_, beast::bind_front_handler(&Session::DoRead, shared_from_this())); }

    // Answers 503 without reading a request, then closes: the server is at its connection limit.
    void StartRefused() {
        net::dispatch(executor_, [self = shared_from_this()] {
            self->closing_ = true;
            Exchange refusal;
            refusal.response =
                ProtocolErrorResponse(503, "unavailable", "the server is at its connection limit; retry shortly");
            refusal.response.headers.Set("Retry-After", "1");
            refusal.counted = false;
            self->queue_.push_back(std::move(refusal));
            self->DoHandle();
        });
    }

    void Shutdown() override {
        net::post(executor_, beast::bind_front_handler(&Session::OnShutdown, shared_from_this()));
    }

private:
    // ----- reading -------------------------------------------------------------------------------------------

    void DoRead() {
        if (closed_ || closing_ || reading_ || upgrading_ ||
            queue_.size() >= static_cast<std::size_t>(server_.options().max_pipelined)) {
            return;  // a full pipeline resumes reading in OnWrite
        }
        reading_ = true;
        if (buffer_.size() > 0) {
            ReadRequest();
            return;
        }
        // Waiting for the first byte of the next request has no stream timeout: the idle timer closes the
        // connection, and only while nothing is in flight (a slow handler must not cost the client its answer).
        if (queue_.empty()) {
            ArmIdleTimer();
        }
        stream_.expires_never();
        stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                                beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
    }

    void OnFirstBytes(beast::error_code ec, std::size_t bytes) {
        reading_ = false;
        DisarmIdleTimer();
        if (lingering_) {
            ec ? Close() : DoDiscard();
            return;
        }
        if (ec == net::error::eof && !queue_.empty()) {
            closing_ = true;  // the client sent all it will send and still waits for the answers
            return;
        }
        if (ec) {
            Close();
            return;
        }
        buffer_.commit(bytes);
        if (closing_) {
            buffer_.consume(buffer_.size());  // a request that arrived after shutdown began: not read
            FinishIfDone();
            return;
        }
        ReadRequest();
    }

    void ReadRequest() {
        reading_ = true;
        receiving_ = true;
        parser_.emplace();
        parser_->body_limit(static_cast<std::uint64_t>(server_.options().body_limit_bytes));
        parser_->header_limit(static_cast<std::uint32_t>(server_.options().header_limit_bytes));
        stream_.expires_after(server_.options().read_timeout);
        wire::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
    }

    void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
        reading_ = false;
        receiving_ = false;
        if (closed_) {
            return;
        }
        if (ec == wire::error::body_limit) {
            RefuseMessage(413, "payload_too_large",
                          "the request body exceeds " + std::to_string(server_.options().body_limit_bytes) + " bytes");
            return;
        }
        if (ec == wire::error::header_limit) {
            RefuseMessage(
                431, "header_fields_too_large",
                "the request header exceeds " + std::to_string(server_.options().header_limit_bytes) + " bytes");
            return;
        }
        if (ec && ec.category() == wire::make_error_code(wire::error::bad_method).category() &&
            ec != wire::error::end_of_stream && ec != wire::error::partial_message) {
            RefuseMessage(400, "bad_request", "malformed HTTP request: " + ec.message());
            return;
        }
        if (ec) {
            Close();  // timeout, reset, or the client left in the middle of a request
            return;
        }

        wire::request<wire::string_body> message = parser_->release();
        Exchange exchange;
        exchange.method = FromVerb(message.method());
        exchange.version = message.version();
        exchange.head = exchange.method == Method::kHead;
        if (!message.keep_alive()) {
            closing_ = true;
        }
        Result<RequestTarget> target = ParseTarget(View(message.target()));
        if (target.ok()) {
            HttpRequest& request = exchange.request.emplace();
            request.method = exchange.method;
            request.target = std::string(View(message.target()));
            request.path = std::move(target.value().path);
            request.query = std::move(target.value().query);
            for (const auto& field : message) {
                request.headers.Add(std::string(View(field.name_string())), std::string(View(field.value())));
            }
            request.body = std::move(message.body());
            request.remote_address = remote_address_;
            if (const std::optional<LiveEndpoint>& live = server_.options().live; live && request.path == live->path) {
                exchange.route = live->path;
                if (websocket::is_upgrade(message)) {
                    exchange.upgrade.emplace(std::move(message));
                    upgrading_ = true;  // whatever follows an upgrade request is not HTTP
                } else {
                    exchange.request.reset();
                    exchange.response =
                        ProtocolErrorResponse(426, "upgrade_required", "the live channel speaks WebSocket only");
                    exchange.response.headers.Set("Upgrade", "websocket");
                }
            }
        } else {
            exchange.response = ErrorResponse(target.error());
        }
        queue_.push_back(std::move(exchange));
        DoHandle();
        DoRead();
    }

    // A message the parser refused: answered in its turn, then the connection closes (its framing is lost).
    void RefuseMessage(int status, std::string_view code, const std::string& message) {
        Exchange refusal;
        if (parser_->is_header_done()) {
            refusal.method = FromVerb(parser_->get().method());
        }
        refusal.response = ProtocolErrorResponse(status, code, message);
        closing_ = true;
        queue_.push_back(std::move(refusal));
        DoHandle();
    }

    // ----- handling ------------------------------------------------------------------------------------------

    void DoHandle() {
        if (closed_ || handling_ || handled_ == queue_.size()) {
            return;
        }
        Exchange& next = queue_[handled_];
        if (!next.request) {
            Answered(std::move(next.response), next.route);
            return;
        }
        handling_ = true;
        // Keeps Run from returning while the worker holds this request, even when no socket operation is pending.
        work_.emplace(server_.io().get_executor());
        if (next.upgrade) {
            net::post(server_.workers(), [self = shared_from_this(), request = std::move(*next.request)] {
                self->AuthenticateUpgrade(request);
            });
            return;
        }
        net::post(server_.workers(),
                  [self = shared_from_this(), request = std::move(*next.request)] { self->Handle(request); });
    }

    // On a worker thread: the authentication may read the database.
    void AuthenticateUpgrade(const HttpRequest& request) {
        std::optional<app::Principal> principal;
        HttpResponse refusal;
        try {
            Result<app::Principal> authenticated = server_.options().live->authenticate(request);
            const Status allowed =
                authenticated.ok() ? CheckLiveOrigin(request, *authenticated) : Status(authenticated.error());
            if (allowed.ok()) {
                principal = std::move(authenticated).value();
            } else {
                refusal = ErrorResponse(allowed.error());
            }
        } catch (const std::exception& error) {
            server_.Log(std::string("live upgrade: authentication failed: ") + error.what());
            refusal = InternalErrorResponse();
        } catch (...) {
            server_.Log("live upgrade: authentication failed with a non-standard exception");
            refusal = InternalErrorResponse();
        }
        net::post(executor_, [self = shared_from_this(), principal = std::move(principal),
                              refusal = std::move(refusal)]() mutable {
            self->handling_ = false;
            self->work_.reset();
            self->OnUpgradeDecided(std::move(principal), std::move(refusal));
        });
    }

    void OnUpgradeDecided(std::optional<app::Principal> principal, HttpResponse refusal) {
        Exchange& exchange = queue_[handled_];
        if (principal && closing_) {
            principal.reset();  // shutdown began while the client was being authenticated
            refusal = ProtocolErrorResponse(503, "unavailable", "the server is shutting down");
        }
        if (!principal) {
            exchange.upgrade.reset();
            closing_ = true;  // the client has left HTTP behind: it gets the refusal and the connection ends
            Answered(std::move(refusal), exchange.route);
            return;
        }
        exchange.principal = std::move(principal);
        Answered(HttpResponse{101, "", {}, ""}, exchange.route);  // written by Beast's handshake, in HandOff
    }

    // On a worker thread: touches only the request, the router and the strand.
    void Handle(const HttpRequest& request) {
        RouteMatch match = server_.router().Match(request);
        HttpResponse response;
        if (match.handler == nullptr) {
            response = std::move(match.refusal);
        } else {
            try {
                response = (*match.handler)(request, match.params);
            } catch (const std::exception& error) {
                server_.Log(std::string(MethodName(request.method)) + " " + std::string(match.route) +
                            ": handler failed: " + error.what());
                response = InternalErrorResponse();
            } catch (...) {
                server_.Log(std::string(MethodName(request.method)) + " " + std::string(match.route) +
                            ": handler failed with a non-standard exception");
                response = InternalErrorResponse();
            }
        }
        net::post(executor_,
                  [self = shared_from_this(), response = std::move(response), route = match.route]() mutable {
                      self->handling_ = false;
                      self->work_.reset();
                      self->Answered(std::move(response), route);
                  });
    }

    void Answered(HttpResponse response, std::string_view route) {
        Exchange& exchange = queue_[handled_];
        exchange.response = std::move(response);
        exchange.route = route;
        exchange.request.reset();
        ++handled_;
        if (exchange.counted) {
            server_.Record(route, exchange.method, exchange.response.status, Clock::now() - exchange.received);
        }
        DoWrite();
        DoHandle();
    }

    // ----- writing -------------------------------------------------------------------------------------------

    void DoWrite() {
        if (closed_ || writing_ || handled_ == 0) {
            return;
        }
        Exchange& exchange = queue_.front();
        if (exchange.principal) {
            if (!closing_) {
                HandOff(exchange);
                return;
            }
            exchange.principal.reset();
            exchange.upgrade.reset();
            exchange.response = ProtocolErrorResponse(503, "unavailable", "the server is shutting down");
        }
        // The last answer this connection will give says so; earlier ones keep the connection for the rest.
        const bool last = closing_ && queue_.size() == 1 && !receiving_;
        HttpResponse& response = exchange.response;
        wire::response<wire::string_body>& out =
            outgoing_.emplace(static_cast<wire::status>(response.status), exchange.version);
        out.set(wire::field::server, "kclinic");
        if (!response.content_type.empty()) {
            out.set(wire::field::content_type, response.content_type);
        }
        for (const auto& [name, value] : response.headers) {
            if (!IsFramingField(name)) {
                out.insert(name, value);
            }
        }
        out.body() = std::move(response.body);
        out.keep_alive(!last);
        out.prepare_payload();
        if (exchange.head) {
            out.body().clear();  // HEAD: the GET response's headers, Content-Length included, and no body
        }
        closes_after_write_ = last;
        writing_ = true;
        stream_.expires_after(server_.options().write_timeout);
        wire::async_write(stream_, out, beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
    }

    void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
        writing_ = false;
        outgoing_.reset();
        if (ec) {
            Close();
            return;
        }
        queue_.pop_front();
        --handled_;
        if (closes_after_write_) {
            Linger();
            return;
        }
        DoWrite();
        DoRead();
        if (queue_.empty() && !receiving_) {
            ArmIdleTimer();
        }
        FinishIfDone();
    }

    // Every earlier answer is written: the socket becomes a live session's, tracked by the server in this
    // connection's place, and this session ends without touching it again.
    void HandOff(Exchange& exchange) {
        const wire::request<wire::string_body> upgrade = std::move(*exchange.upgrade);
        LiveClient client{std::move(*exchange.principal), remote_address_};
        queue_.clear();
        handled_ = 0;
        closed_ = true;
        ++timer_generation_;
        idle_timer_.cancel();
        auto live = std::make_shared<LiveSession>(stream_.release_socket(), server_, std::move(client));
        if (server_.Adopt(live)) {
            live->Start(upgrade);
        }
    }

    // ----- closing -------------------------------------------------------------------------------------------

    void OnShutdown() {
        closing_ = true;
        if (queue_.empty() && !receiving_ && !writing_) {
            Close();  // idle keep-alive: nothing to finish, and no reason to wait for the client's side to close
            return;
        }
        FinishIfDone();
    }

    // Once closing, the connection ends when every request it took is answered.
    void FinishIfDone() {
        if (closed_ || lingering_ || !closing_ || !queue_.empty() || receiving_ || writing_) {
            return;
        }
        Linger();
    }

    void Linger() {
        if (lingering_ || closed_) {
            return;
        }
        lingering_ = true;
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        ++timer_generation_;
        idle_timer_.expires_after(kLingerTimeout);
        idle_timer_.async_wait(beast::bind_front_handler(&Session::OnTimer, shared_from_this(), timer_generation_));
        if (!reading_) {
            DoDiscard();
        }
    }

    void DoDiscard() {
        reading_ = true;
        buffer_.consume(buffer_.size());
        stream_.expires_never();  // the linger timer bounds it
        stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                                beast::bind_front_handler(&Session::OnDiscard, shared_from_this()));
    }

    void OnDiscard(beast::error_code ec, std::size_t /*bytes*/) {
        reading_ = false;
        ec ? Close() : DoDiscard();
    }

    void ArmIdleTimer() {
        if (closed_ || lingering_) {
            return;
        }
        ++timer_generation_;
        idle_timer_.expires_after(server_.options().idle_timeout);
        idle_timer_.async_wait(beast::bind_front_handler(&Session::OnTimer, shared_from_this(), timer_generation_));
    }

    void DisarmIdleTimer() {
        if (lingering_) {
            return;  // the linger timer stays
        }
        ++timer_generation_;
        idle_timer_.cancel();
    }

    void OnTimer(std::uint64_t generation, beast::error_code ec) {
        if (ec == net::error::operation_aborted || generation != timer_generation_ || closed_) {
            return;  // re-armed or disarmed since
        }
        if (lingering_ || (queue_.empty() && !receiving_)) {
            Close();
        }
    }

    void Close() {
        if (closed_) {
            return;
        }
        closed_ = true;
        ++timer_generation_;
        idle_timer_.cancel();
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    const beast::tcp_stream::executor_type executor_;  // the connection's strand, read by workers too
    beast::flat_buffer buffer_;
    std::optional<wire::request_parser<wire::string_body>> parser_;
    net::steady_timer idle_timer_;  // the idle timeout, then the linger timeout
    std::uint64_t timer_generation_ = 0;
    ServerCore& server_;
    std::string remote_address_;

    // Requests in arrival order; the first `handled_` have their response. Their number is bounded by
    // max_pipelined (reading pauses there).
    std::deque<Exchange> queue_;
    std::size_t handled_ = 0;
    std::optional<wire::response<wire::string_body>> outgoing_;  // the one being written
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;

    bool reading_ = false;    // a read of any kind is pending
    bool receiving_ = false;  // a request has begun to arrive and is being read
    bool handling_ = false;   // queue_[handled_] is on a worker
    bool upgrading_ = false;  // a live upgrade request was read: no further request will be
    bool writing_ = false;
    bool closes_after_write_ = false;
    bool closing_ = false;    // no further request will be read
    bool lingering_ = false;  // everything answered; sending side shut
    bool closed_ = false;
};

}  // namespace

// ----- the server ----------------------------------------------------------------------------------------------

ServerCore::ServerCore(ServerOptions options, Router router, MetricsRegistry& metrics)
    : options_(std::move(options)),
      router_(std::move(router)),
      requests_(metrics.AddCounter("kclinic_http_requests_total", "HTTP requests answered, by route pattern",
                                   {"route", "method", "status"})),
      durations_(metrics.AddHistogram("kclinic_http_request_duration_seconds",
                                      "Seconds from a request fully read to its response ready, by route pattern",
                                      kDurationBuckets, {"route"})),
      open_connections_(metrics.AddGauge("kclinic_http_open_connections", "HTTP connections open now").Labels({})),
      rejected_connections_(
          metrics
              .AddCounter("kclinic_http_rejected_connections_total", "Connections answered 503 at the connection limit")
              .Labels({})),
      strand_(net::make_strand(io_)),
      acceptor_(strand_),
      signals_(strand_),
      drain_timer_(strand_),
      accept_retry_timer_(strand_),
      workers_(static_cast<std::size_t>(
          options_.worker_threads > 0 ? options_.worker_threads
                                      : static_cast<int>(std::max(2U, 2 * std::thread::hardware_concurrency())))) {
    if (!options_.log) {
        options_.log = LogToStderr;
    }
}

Status ServerCore::Listen() {
    beast::error_code ec;
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
        beast::error_code ignored;
        acceptor_.close(ignored);
        return Error{ErrorCode::kUnavailable, "listen",
                     "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + ec.message()};
    }
    port_ = acceptor_.local_endpoint().port();
    return Status::Ok();
}

void ServerCore::StopOnSignals(std::initializer_list<int> signals) {
    for (int signal : signals) {
        signals_.add(signal);
    }
    signals_.async_wait(beast::bind_front_handler(&ServerCore::OnSignal, this));
}

void ServerCore::Run() {
    {
        std::lock_guard lock(mutex_);
        running_ = true;
    }
    net::dispatch(strand_, [this] { DoAccept(); });
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) {
        threads.emplace_back([this] { RunIo(); });
    }
    RunIo();
    for (std::thread& thread : threads) {
        thread.join();
    }
    std::lock_guard lock(mutex_);
    running_ = false;
}

// A completion handler should never throw; if one does, the thread logs it and goes on serving rather than let
// the exception end the process through io_context::run.
void ServerCore::RunIo() {
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

void ServerCore::Stop() {
    net::post(strand_, [this] { BeginShutdown(false); });
}

void ServerCore::DoAccept() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
    }
    // Each connection gets its own strand (Beast advanced_server).
    acceptor_.async_accept(net::make_strand(io_), beast::bind_front_handler(&ServerCore::OnAccept, this));
}

void ServerCore::OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) {
        return;  // the acceptor was closed by Stop
    }
    if (ec) {
        Log("accept failed: " + ec.message());
        accept_retry_timer_.expires_after(kAcceptRetryPause);
        accept_retry_timer_.async_wait([this](beast::error_code wait_error) {
            if (!wait_error) {
                DoAccept();
            }
        });
        return;
    }
    bool refuse = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;  // accepted just before the acceptor closed: the socket closes here
        }
        refuse = sessions_.size() >= static_cast<std::size_t>(options_.max_connections);
    }
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
        std::lock_guard lock(mutex_);
        sessions_.emplace(session.get(), session);
    }
    open_connections_.Add(1);
    if (refuse) {
        rejected_connections_.Increment();
        session->StartRefused();
    } else {
        session->Start();
    }
    DoAccept();
}

bool ServerCore::Adopt(const std::shared_ptr<Connection>& connection) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return false;
        }
        sessions_.emplace(connection.get(), connection);
    }
    open_connections_.Add(1);
    return true;
}

void ServerCore::Forget(const Connection* connection) {
    bool drained = false;
    bool post = false;
    {
        std::lock_guard lock(mutex_);
        if (sessions_.erase(connection) == 0) {
            return;  // a live session refused by Adopt
        }
        drained = stopping_ && sessions_.empty();
        post = running_;
    }
    open_connections_.Add(-1);
    if (drained && post) {
        net::post(strand_, [this] { Finish(); });
    }
}

void ServerCore::Record(std::string_view route, Method method, int status, Clock::duration elapsed) {
    requests_.Labels({route, MethodName(method), std::to_string(status)}).Increment();
    durations_.Labels({route}).Observe(std::chrono::duration<double>(elapsed).count());
}

void ServerCore::OnSignal(beast::error_code ec, int /*signal*/) {
    if (ec) {
        return;  // cancelled once drained
    }
    bool again = false;
    {
        std::lock_guard lock(mutex_);
        again = stopping_;
    }
    if (!again) {
        // Waits for a second signal; armed before BeginShutdown, whose Finish cancels it when nothing is open.
        signals_.async_wait(beast::bind_front_handler(&ServerCore::OnSignal, this));
    }
    BeginShutdown(again);
}

void ServerCore::BeginShutdown(bool at_once) {
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            if (at_once) {
                Log("stopping at once: " + std::to_string(sessions_.size()) + " connections abandoned");
                io_.stop();
            }
            return;
        }
        stopping_ = true;
        for (const auto& [key, weak] : sessions_) {
            if (std::shared_ptr<Connection> session = weak.lock()) {
                open.push_back(std::move(session));
            }
        }
    }
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_timer_.cancel();
    if (open.empty()) {
        Finish();
        return;
    }
    for (const std::shared_ptr<Connection>& session : open) {
        session->Shutdown();
    }
    drain_timer_.expires_after(options_.drain_timeout);
    drain_timer_.async_wait(beast::bind_front_handler(&ServerCore::OnDrainDeadline, this));
}

void ServerCore::OnDrainDeadline(beast::error_code ec) {
    if (ec) {
        return;  // drained in time
    }
    std::size_t open = 0;
    {
        std::lock_guard lock(mutex_);
        open = sessions_.size();
    }
    Log("drain deadline passed with " + std::to_string(open) + " connections still open; stopping without them");
    io_.stop();
}

// Every connection is gone: nothing is left to keep Run going once the signal wait and the timers are cancelled.
void ServerCore::Finish() {
    beast::error_code ignored;
    signals_.cancel(ignored);
    drain_timer_.cancel();
    accept_retry_timer_.cancel();
}

// ----- the pimpl -------------------------------------------------------------------------------------------------

class HttpServer::Impl final : public ServerCore {
public:
    using ServerCore::ServerCore;
};

HttpServer::HttpServer(ServerOptions options, Router router, MetricsRegistry& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), metrics)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Listen() {
    return impl_->Listen();
}

std::uint16_t HttpServer::Port() const {
    return impl_->Port();
}

void HttpServer::StopOnSignals(std::initializer_list<int> signals) {
    impl_->StopOnSignals(signals);
}

void HttpServer::Run() {
    impl_->Run();
}

void HttpServer::Stop() {
    impl_->Stop();
}

}  // namespace kclinic::adapters::http
