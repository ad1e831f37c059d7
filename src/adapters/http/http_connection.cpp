// An HTTP connection: Beast 1.74 example/advanced/server's http_session — each async step a DoX/OnX pair, pipelined
// requests queued and answered in order — with handlers moved off the I/O threads onto the server's worker pool.
// One class over both transports, as example/advanced/server-flex does it: a plain TCP stream, or an OpenSSL stream
// over it whose handshake comes first. The only translation unit that compiles Beast's HTTP parser and serializer.

#include "adapters/http/http_connection.hpp"

#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "adapters/http/http_error.hpp"
#include "adapters/http/live_channel.hpp"
#include "adapters/http/live_session.hpp"
#include "adapters/http/transport.hpp"

namespace kclinic::adapters::http::detail {
namespace {

namespace wire = boost::beast::http;
namespace websocket = boost::beast::websocket;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// After the last response of a connection the server shuts its sending side and reads (discarding) until the
// client closes, for at most this long. Closing at once while request bytes are still unread makes the kernel send
// a reset, which can destroy the response before the client reads it (RFC 9112 §9.6); a 413 is the usual case.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kReadChunkBytes = 4096;
// The interim answer to `Expect: 100-continue` (RFC 9110 §15.2.1), always HTTP/1.1: only a 1.1 client expects it.
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

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

// Who may open the live channel: an authenticated principal whose upgrade passes the Origin rule and sends no query
// parameter (the channel takes none: a client subscribes by message), as the API gate checks its routes'.
Result<app::Principal> AdmitLiveClient(const LiveEndpoint& live, const HttpRequest& request) {
    ASSIGN_OR_RETURN(app::Principal principal, live.authenticate(request));
    RETURN_IF_ERROR(CheckQueryParameters(request, {}));
    RETURN_IF_ERROR(CheckLiveOrigin(request, principal));
    return principal;
}

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
    std::string request_id = RequestIdFor(std::nullopt);
    // A WebSocket upgrade to the live path: the message Beast accepts, and once authenticated, who sent it.
    std::optional<wire::request<wire::string_body>> upgrade;
    std::optional<app::Principal> principal;
    std::string remote_address;     // the client's, as ResolveForwardedClient found it
    bool forwarded_secure = false;  // the trusted proxy's client reached it over TLS
};

// One connection over `Stream`, PlainStream or TlsStream. Every member function but Start and Shutdown runs on the
// connection's strand.
//
// Reading, a handler on a worker and writing run at the same time (pipelining), so the connection's state is where
// it is in its life (phase_), what its read is doing (read_), whether a handler holds a request (handler_running_)
// and whether a response is being written (outgoing_).
template <class Stream>
class HttpConnection final : public Connection, public std::enable_shared_from_this<HttpConnection<Stream>> {
public:
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

    HttpConnection(Stream&& stream, ServerCore& server)
        : stream_(std::move(stream)), executor_(stream_.get_executor()), timer_(executor_), server_(server) {
        beast::error_code ec;
        const tcp::endpoint peer = Socket().remote_endpoint(ec);
        if (!ec) {
            remote_address_ = peer.address().to_string();
        }
    }
    // Forget throws only when locking a mutex or allocating fails; ending the process then is the right outcome.
    ~HttpConnection() override { server_.Forget(this); }  // NOLINT(bugprone-exception-escape)
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Serves requests; `at_limit`: answers 503 without reading a request, then closes (the server is at its
    // connection limit). Over TLS the handshake comes first.
    void Start(bool at_limit) {
        net::dispatch(executor_, [self = shared_from_this(), at_limit] {
            if constexpr (kTls) {
                self->Lowest().expires_after(self->server_.options().read_timeout);
                self->stream_.async_handshake(net::ssl::stream_base::server, [self, at_limit](beast::error_code ec) {
                    self->OnHandshake(ec, at_limit);
                });
            } else {
                self->Begin(at_limit);
            }
        });
    }

    void Shutdown() override {
        net::post(executor_, beast::bind_front_handler(&HttpConnection::OnShutdown, shared_from_this()));
    }

private:
    using std::enable_shared_from_this<HttpConnection<Stream>>::shared_from_this;

    // Where the connection is in its life; it only moves down this list.
    enum class Phase {
        kOpen,       // reading requests
        kUpgrading,  // a live upgrade request was read: whatever follows it is not HTTP, so nothing more is read
        kClosing,    // no further request will be read; the ones taken are answered, the last with Connection: close
        kLingering,  // everything answered and the sending side shut; reading and discarding until the client closes
        kClosed,     // the socket is closed, or handed to a live session
    };
    // What the one read a connection may have pending is for.
    enum class Read {
        kNone,
        kAwaiting,    // the first bytes of the next request (no stream timeout: the idle timer bounds it)
        kReceiving,   // a request that has begun to arrive, bounded by read_timeout
        kDiscarding,  // whatever the client still sends while lingering
    };

    // ----- starting ------------------------------------------------------------------------------------------

    void OnHandshake(beast::error_code ec, bool at_limit) {
        if (phase_ == Phase::kClosed) {
            return;  // shut down during the handshake
        }
        if (ec) {
            Close();  // not TLS, no protocol or cipher in common, or too slow: nothing can be answered
            return;
        }
        Begin(at_limit);
    }

    void Begin(bool at_limit) {
        if (!at_limit) {
            DoRead();
            return;
        }
        phase_ = Phase::kClosing;
        Exchange refusal;
        refusal.response =
            ProtocolErrorResponse(503, "unavailable", "the server is at its connection limit; retry shortly");
        refusal.response.headers.Set("Retry-After", "1");
        refusal.counted = false;
        queue_.push_back(std::move(refusal));
        DoHandle();
    }

    [[nodiscard]] beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }
    [[nodiscard]] tcp::socket& Socket() { return Lowest().socket(); }

    // ----- reading -------------------------------------------------------------------------------------------

    void DoRead() {
        if (phase_ != Phase::kOpen || read_ != Read::kNone ||
            queue_.size() >= static_cast<std::size_t>(server_.options().max_pipelined)) {
            return;  // a full pipeline resumes reading in OnWrite
        }
        if (buffer_.size() > 0) {
            ReadRequest();
            return;
        }
        read_ = Read::kAwaiting;
        // Waiting for the first byte of the next request has no stream timeout: the idle timer closes the
        // connection, and only while nothing is in flight (a slow handler must not cost the client its answer).
        if (queue_.empty()) {
            ArmIdleTimer();
        }
        Lowest().expires_never();
        stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                                beast::bind_front_handler(&HttpConnection::OnFirstBytes, shared_from_this()));
    }

    void OnFirstBytes(beast::error_code ec, std::size_t bytes) {
        read_ = Read::kNone;
        if (phase_ == Phase::kClosed) {
            return;
        }
        if (phase_ == Phase::kLingering) {
            ec ? Close() : DoDiscard();
            return;
        }
        DisarmIdleTimer();
        if (ec == net::error::eof && !queue_.empty()) {
            StopReading();  // the client sent all it will send and still waits for the answers
            return;
        }
        if (ec) {
            Close();
            return;
        }
        buffer_.commit(bytes);
        if (phase_ != Phase::kOpen) {
            buffer_.consume(buffer_.size());  // a request that arrived after shutdown began: not read
            FinishIfDone();
            return;
        }
        ReadRequest();
    }

    void ReadRequest() {
        read_ = Read::kReceiving;
        parser_.emplace();
        parser_->body_limit(static_cast<std::uint64_t>(server_.options().body_limit_bytes));
        parser_->header_limit(static_cast<std::uint32_t>(server_.options().header_limit_bytes));
        Lowest().expires_after(server_.options().read_timeout);
        wire::async_read_header(stream_, buffer_, *parser_,
                                beast::bind_front_handler(&HttpConnection::OnHeader, shared_from_this()));
    }

    // The head is in; the body, if any, follows. A client that sent `Expect: 100-continue` (curl does for bodies over
    // 1 KiB) waits for "100 Continue" before it sends the body, or for a final answer instead (RFC 9110 §10.1.1): a
    // body over the limit was already refused by the parser (413 without reading it). The interim answer goes out
    // only when no earlier response is pending or being written, so it cannot overtake one of them; otherwise the
    // client sends its body after its own wait, which RFC 9110 allows.
    void OnHeader(beast::error_code ec, std::size_t bytes) {
        if (ec || parser_->is_done() || phase_ == Phase::kClosed) {
            OnRead(ec, bytes);
            return;
        }
        const wire::request<wire::string_body>& head = parser_->get();
        const bool expects_continue = head.version() >= 11 && beast::iequals(head[wire::field::expect], "100-continue");
        if (expects_continue && queue_.empty() && !outgoing_) {
            sending_continue_ = true;
            Lowest().expires_after(server_.options().write_timeout);
            net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                             beast::bind_front_handler(&HttpConnection::OnContinueSent, shared_from_this()));
            return;
        }
        ReadBody();
    }

    void OnContinueSent(beast::error_code ec, std::size_t /*bytes*/) {
        sending_continue_ = false;
        if (ec || phase_ == Phase::kClosed) {
            read_ = Read::kNone;
            Close();
            return;
        }
        ReadBody();
        DoWrite();  // a response held back while the interim one was written
    }

    void ReadBody() {
        Lowest().expires_after(server_.options().read_timeout);
        wire::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&HttpConnection::OnRead, shared_from_this()));
    }

    void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
        read_ = Read::kNone;
        if (phase_ == Phase::kClosed) {
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
        if (const auto incoming = message.find("X-Request-Id"); incoming != message.end()) {
            exchange.request_id = RequestIdFor(View(incoming->value()));
        }
        exchange.method = FromVerb(message.method());
        exchange.version = message.version();
        exchange.head = exchange.method == Method::kHead;
        if (!message.keep_alive()) {
            StopReading();
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
            request.secure = kTls;
            ResolveForwardedClient(request, server_.options().trusted_proxy);
            exchange.remote_address = request.remote_address;
            exchange.forwarded_secure = request.secure;
            request.request_id = exchange.request_id;
            if (const std::optional<LiveEndpoint>& live = server_.options().live; live && request.path == live->path) {
                exchange.route = live->path;
                if (websocket::is_upgrade(message)) {
                    exchange.upgrade.emplace(std::move(message));
                    if (phase_ == Phase::kOpen) {
                        phase_ = Phase::kUpgrading;
                    }
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
        StopReading();
        queue_.push_back(std::move(refusal));
        DoHandle();
    }

    // No further request will be read; those already taken are answered.
    void StopReading() {
        if (phase_ == Phase::kOpen || phase_ == Phase::kUpgrading) {
            phase_ = Phase::kClosing;
        }
    }

    // ----- handling ------------------------------------------------------------------------------------------

    void DoHandle() {
        if (phase_ == Phase::kClosed || handler_running_ || handled_ == queue_.size()) {
            return;
        }
        Exchange& next = queue_[handled_];
        if (!next.request) {
            Answered(std::move(next.response), next.route);
            return;
        }
        handler_running_.emplace(server_.io().get_executor());
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
            Result<app::Principal> admitted = AdmitLiveClient(*server_.options().live, request);
            if (admitted.ok()) {
                principal = std::move(admitted).value();
            } else {
                refusal = ErrorResponse(admitted.error());
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
            self->handler_running_.reset();
            self->OnUpgradeDecided(std::move(principal), std::move(refusal));
        });
    }

    void OnUpgradeDecided(std::optional<app::Principal> principal, HttpResponse refusal) {
        Exchange& exchange = queue_[handled_];
        if (principal && phase_ != Phase::kUpgrading) {
            principal.reset();  // shutdown began while the client was being authenticated
            refusal = ProtocolErrorResponse(503, "unavailable", "the server is shutting down");
        }
        if (!principal) {
            exchange.upgrade.reset();
            StopReading();  // the client has left HTTP behind: it gets the refusal and the connection ends
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
                      self->handler_running_.reset();
                      self->Answered(std::move(response), route);
                  });
    }

    void Answered(HttpResponse response, std::string_view route) {
        Exchange& exchange = queue_[handled_];
        exchange.response = std::move(response);
        exchange.route = route;
        exchange.request.reset();
        ++handled_;
        server_.Record(exchange.request_id, route, exchange.method, exchange.response, Clock::now() - exchange.received,
                       exchange.counted);
        DoWrite();
        DoHandle();
    }

    // ----- writing -------------------------------------------------------------------------------------------

    void DoWrite() {
        if (phase_ == Phase::kClosed || outgoing_ || sending_continue_ || handled_ == 0) {
            return;
        }
        Exchange& exchange = queue_.front();
        if (exchange.principal) {
            if (phase_ == Phase::kUpgrading) {
                HandOff(exchange);
                return;
            }
            exchange.principal.reset();
            exchange.upgrade.reset();
            exchange.response = ProtocolErrorResponse(503, "unavailable", "the server is shutting down");
        }
        // The last answer this connection will give says so; earlier ones keep the connection for the rest.
        const bool last = phase_ == Phase::kClosing && queue_.size() == 1 && read_ != Read::kReceiving;
        HttpResponse& response = exchange.response;
        AddTransportSecurityHeaders(response, kTls || exchange.forwarded_secure);
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
        Lowest().expires_after(server_.options().write_timeout);
        wire::async_write(stream_, out, beast::bind_front_handler(&HttpConnection::OnWrite, shared_from_this()));
    }

    void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
        const bool last = !outgoing_->keep_alive();
        outgoing_.reset();
        if (ec) {
            Close();
            return;
        }
        queue_.pop_front();
        --handled_;
        if (last) {
            Linger();
            return;
        }
        DoWrite();
        DoRead();
        if (queue_.empty() && read_ != Read::kReceiving) {
            ArmIdleTimer();
        }
        FinishIfDone();
    }

    // Every earlier answer is written: the socket becomes a live session's, tracked by the server in this
    // connection's place, and this connection ends without touching it again.
    void HandOff(Exchange& exchange) {
        const wire::request<wire::string_body> upgrade = std::move(*exchange.upgrade);
        LiveClient client{std::move(*exchange.principal), exchange.remote_address};
        queue_.clear();
        handled_ = 0;
        phase_ = Phase::kClosed;
        ++timer_generation_;
        timer_.cancel();
        ServeLiveSession(std::move(stream_), server_, std::move(client), upgrade);
    }

    // ----- closing -------------------------------------------------------------------------------------------

    void OnShutdown() {
        StopReading();
        if (queue_.empty() && read_ != Read::kReceiving && !outgoing_) {
            Close();  // idle keep-alive: nothing to finish, and no reason to wait for the client's side to close
            return;
        }
        FinishIfDone();
    }

    // Once closing, the connection ends when every request it took is answered.
    void FinishIfDone() {
        if (phase_ != Phase::kClosing || !queue_.empty() || read_ == Read::kReceiving || outgoing_) {
            return;
        }
        Linger();
    }

    void Linger() {
        if (phase_ == Phase::kLingering || phase_ == Phase::kClosed) {
            return;
        }
        phase_ = Phase::kLingering;
        beast::error_code ignored;
        // Over TLS too the TCP sending side alone: every answer is framed by its Content-Length, so no close_notify
        // is needed to end it (RFC 8446 §6.1 leaves that to the application protocol), and waiting for the
        // client's would only hold the connection open.
        Socket().shutdown(tcp::socket::shutdown_send, ignored);
        ++timer_generation_;
        timer_.expires_after(kLingerTimeout);
        timer_.async_wait(beast::bind_front_handler(&HttpConnection::OnTimer, shared_from_this(), timer_generation_));
        if (read_ == Read::kNone) {
            DoDiscard();
        }
    }

    void DoDiscard() {
        read_ = Read::kDiscarding;
        buffer_.consume(buffer_.size());
        Lowest().expires_never();  // the linger timer bounds it
        stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                                beast::bind_front_handler(&HttpConnection::OnDiscard, shared_from_this()));
    }

    void OnDiscard(beast::error_code ec, std::size_t /*bytes*/) {
        read_ = Read::kNone;
        ec ? Close() : DoDiscard();
    }

    void ArmIdleTimer() {
        if (phase_ == Phase::kLingering || phase_ == Phase::kClosed) {
            return;
        }
        ++timer_generation_;
        timer_.expires_after(server_.options().idle_timeout);
        timer_.async_wait(beast::bind_front_handler(&HttpConnection::OnTimer, shared_from_this(), timer_generation_));
    }

    void DisarmIdleTimer() {
        ++timer_generation_;
        timer_.cancel();
    }

    void OnTimer(std::uint64_t generation, beast::error_code ec) {
        if (ec == net::error::operation_aborted || generation != timer_generation_ || phase_ == Phase::kClosed) {
            return;  // re-armed or disarmed since
        }
        if (phase_ == Phase::kLingering || (queue_.empty() && read_ != Read::kReceiving)) {
            Close();
        }
    }

    void Close() {
        if (phase_ == Phase::kClosed) {
            return;
        }
        phase_ = Phase::kClosed;
        ++timer_generation_;
        timer_.cancel();
        beast::error_code ignored;
        Socket().shutdown(tcp::socket::shutdown_both, ignored);
        Lowest().close();
    }

    Stream stream_;
    const beast::tcp_stream::executor_type executor_;  // the connection's strand, read by workers too
    beast::flat_buffer buffer_;
    std::optional<wire::request_parser<wire::string_body>> parser_;
    net::steady_timer timer_;  // the idle timeout, then the linger timeout
    std::uint64_t timer_generation_ = 0;
    ServerCore& server_;
    std::string remote_address_;

    Phase phase_ = Phase::kOpen;
    Read read_ = Read::kNone;
    // Requests in arrival order; the first `handled_` have their response. Their number is bounded by
    // max_pipelined (reading pauses there).
    std::deque<Exchange> queue_;
    std::size_t handled_ = 0;
    // Set while queue_[handled_] is on a worker; keeps Run from returning meanwhile, even when no socket operation
    // is pending.
    std::optional<net::executor_work_guard<net::io_context::executor_type>> handler_running_;
    // The response being written; the last one of the connection when it does not keep it alive.
    std::optional<wire::response<wire::string_body>> outgoing_;
    bool sending_continue_ = false;  // a "100 Continue" is being written (OnHeader); no response may start meanwhile
};

}  // namespace

namespace {

template <class Stream>
void Serve(Stream&& stream, ServerCore& server, bool at_limit) {
    auto connection = std::make_shared<HttpConnection<Stream>>(std::move(stream), server);
    if (server.Adopt(connection)) {
        connection->Start(at_limit);
    }
}

}  // namespace

void ServeHttpConnection(tcp::socket&& socket, ServerCore& server, bool at_limit) {
    if (const std::shared_ptr<net::ssl::context> tls = server.TlsContext()) {
        Serve(TlsStream(std::move(socket), *tls), server, at_limit);
    } else {
        Serve(PlainStream(std::move(socket)), server, at_limit);
    }
}

}  // namespace kclinic::adapters::http::detail
