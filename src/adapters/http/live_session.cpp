// The live session: Beast 1.74 example/websocket/server/chat-multi's websocket_session — a queue drained by
// OnWrite, one write in flight — with client messages decided on the server's worker pool; over a plain TCP stream
// or over TLS (wss), in one class. The only translation unit that compiles Beast's WebSocket stream.

#include "adapters/http/live_session.hpp"

#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "adapters/http/http_error.hpp"
#include "adapters/http/transport.hpp"

namespace kclinic::adapters::http::detail {
namespace {

namespace wire = boost::beast::http;
namespace websocket = boost::beast::websocket;

// A live channel connection after its upgrade (docs/api.md, "Live channel"). Every member function but Shutdown,
// OnMessages, OnDropped and Decide runs on the connection's strand. Frames go out one at a time, control replies
// before events (so "subscribed" precedes the first event of its topic), events taken from the hub one by one: the
// hub's bounded queue is this client's queue. Client messages are decided on a worker, one at a time. The first event
// of each patient waits for its audit entry ("live.receive", written on a worker) before it is written, and no frame
// goes out meanwhile; when the connection ends, one "live.close" entry per patient counts what it received
// (app/live_channel_audit.hpp; docs/security.md "Live channel").
template <class Stream>
class LiveSession final : public Connection, public LiveSink, public std::enable_shared_from_this<LiveSession<Stream>> {
public:
    LiveSession(Stream&& stream, ServerCore& server, LiveClient client)
        : ws_(std::move(stream)),
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
        // Pings an idle client and closes one that stops answering; bounds the opening and closing handshakes. The
        // HTTP connection's read deadline no longer applies (Beast's advanced_server does the same).
        beast::get_lowest_layer(ws_).expires_never();
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
            response.set(wire::field::server, "kclinic");
            HttpResponse headers;
            AddTransportSecurityHeaders(headers, kTls);
            for (const auto& [name, value] : headers.headers) {
                response.set(name, value);
            }
        }));
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
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
    using std::enable_shared_from_this<LiveSession<Stream>>::shared_from_this;

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
            decided = Error{ErrorCode::kInternal, "", std::string("the subscriber threw: ") + error.what()};
        } catch (...) {
            decided = Error{ErrorCode::kInternal, "", "the subscriber threw a non-standard exception"};
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
                topic_ = (*decided)->session ? "session " + std::to_string((*decided)->session->value) : "board";
            } else {
                live_.hub->Unsubscribe(*this);
                held_.reset();  // its queue is gone; so is the event that waited for its audit
            }
            replies_.push_back(std::make_shared<const std::string>(LiveSubscribedMessage(*decided)));
        } else if (const std::optional<std::string_view> withheld = WithheldErrorMessage(decided.error().code)) {
            // As an HTTP answer does (ErrorResponse): the client reads one fixed sentence, the log the store's words.
            server_.Log("live subscribe failed for user " + std::to_string(client_.principal.user.value) + ": " +
                        decided.error().ToString());
            replies_.push_back(std::make_shared<const std::string>(
                LiveErrorMessage(Error{decided.error().code, "", std::string(*withheld)})));
        } else {
            replies_.push_back(std::make_shared<const std::string>(LiveErrorMessage(decided.error())));
        }
        DoWrite();
        DoRead();
    }

    // ----- writing -------------------------------------------------------------------------------------------

    void DoWrite() {
        if (!accepted_ || writing_ || auditing_ || ended_) {
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
            std::optional<LiveDelivery> delivery = held_ ? std::exchange(held_, std::nullopt) : live_.hub->Take(*this);
            if (!delivery) {
                return;  // the hub calls OnMessages when its queue for this client fills again
            }
            // An event addressed to its recipients names no patient (patient 0, app::LiveEvent::recipients): there
            // is no patient's record to audit the receipt of.
            const bool names_patient = delivery->patient.value != 0;
            const auto received = received_.find(delivery->patient.value);
            if (names_patient && received == received_.end()) {
                held_ = std::move(delivery);
                AuditFirstEvent();
                return;
            }
            if (names_patient) {
                ++received->second;
            }
            next = std::move(delivery->message);
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

    // ----- the audit of what the client receives ------------------------------------------------------------

    void AuditFirstEvent() {
        auditing_ = true;
        audit_work_.emplace(server_.io().get_executor());
        net::post(server_.workers(), [self = shared_from_this(), patient = held_->patient, topic = topic_] {
            Status audited = Error{ErrorCode::kInternal, "", "internal error"};
            try {
                audited = self->live_.audit.first_event(self->client_, patient, topic);
            } catch (const std::exception& error) {
                audited = Error{ErrorCode::kInternal, "", error.what()};
            } catch (...) {
                audited = Error{ErrorCode::kInternal, "", "a non-standard exception"};
            }
            net::post(self->executor_, [self, patient, audited = std::move(audited)] {
                self->audit_work_.reset();
                self->OnAudited(patient, audited);
            });
        });
    }

    void OnAudited(app::PatientId patient, const Status& audited) {
        auditing_ = false;
        if (ended_) {
            return;
        }
        if (!audited.ok()) {
            // An event whose receipt cannot be audited is not sent: the client is told to come back later.
            server_.Log("live audit failed: " + audited.error().ToString());
            held_.reset();
            DoClose(websocket::close_reason(websocket::close_code::try_again_later, "audit unavailable"));
            return;
        }
        received_.try_emplace(patient.value, 0);
        DoWrite();
        DoRead();
    }

    // On a worker, after the connection ended (it holds nothing of the session, which ends on its strand); the work
    // guard of its caller keeps the server's Run from returning before it.
    static void AuditClosed(ServerCore& server, const LiveAuditor& audit, const LiveClient& client,
                            const std::map<std::int64_t, std::size_t>& received) {
        for (const auto& [patient, events] : received) {
            if (events == 0) {
                continue;  // audited as about to receive, but the event never went out
            }
            Status audited = Error{ErrorCode::kInternal, "", "internal error"};
            try {
                audited = audit.closed(client, app::PatientId{patient}, events);
            } catch (const std::exception& error) {
                audited = Error{ErrorCode::kInternal, "", error.what()};
            } catch (...) {
                audited = Error{ErrorCode::kInternal, "", "a non-standard exception"};
            }
            if (!audited.ok()) {
                server.Log("live audit of a closed connection failed: " + audited.error().ToString());
            }
        }
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
        held_.reset();
        if (!received_.empty()) {
            net::post(
                server_.workers(),
                [&server = server_, &audit = live_.audit, client = client_, work = net::make_work_guard(server_.io()),
                 received = std::exchange(received_, {})] { AuditClosed(server, audit, client, received); });
        }
        DisarmWriteDeadline();
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(ws_).close();
    }

    websocket::stream<Stream> ws_;
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
    std::string topic_;                                    // the subscribed topic as the audit names it
    std::optional<LiveDelivery> held_;                     // an event waiting for its audit entry
    std::map<std::int64_t, std::size_t> received_;         // by patient id: events written since the audit entry
    std::optional<net::executor_work_guard<net::io_context::executor_type>> audit_work_;

    bool accepted_ = false;
    bool reading_ = false;
    bool deciding_ = false;  // a client message is on a worker
    bool auditing_ = false;  // held_'s audit entry is being written on a worker
    bool writing_ = false;   // a frame or the close frame is being written
    bool close_started_ = false;
    bool ended_ = false;
};

}  // namespace

namespace {

template <class Stream>
void Serve(Stream&& stream, ServerCore& server, LiveClient client, const wire::request<wire::string_body>& upgrade) {
    auto live = std::make_shared<LiveSession<Stream>>(std::forward<Stream>(stream), server, std::move(client));
    if (server.Adopt(live)) {
        live->Start(upgrade);
    }
}

}  // namespace

void ServeLiveSession(beast::tcp_stream&& stream, ServerCore& server, LiveClient client,
                      const wire::request<wire::string_body>& upgrade) {
    Serve(std::move(stream), server, std::move(client), upgrade);
}

void ServeLiveSession(beast::ssl_stream<beast::tcp_stream>&& stream, ServerCore& server, LiveClient client,
                      const wire::request<wire::string_body>& upgrade) {
    Serve(std::move(stream), server, std::move(client), upgrade);
}

}  // namespace kclinic::adapters::http::detail
