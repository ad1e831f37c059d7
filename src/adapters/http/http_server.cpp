// The server: Beast 1.74 example/advanced/server's listener, which gives every accepted socket its own strand,
// with a signal set, a connection limit and a graceful drain. The connections are in http_connection.cpp and
// live_session.cpp (see server_internal.hpp).

#include "adapters/http/http_server.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "adapters/http/http_connection.hpp"
#include "adapters/http/server_internal.hpp"
#include "adapters/http/transport.hpp"

namespace kclinic::adapters::http {
namespace detail {
namespace {

// A failed accept (EMFILE, ENFILE) is retried after this pause instead of at once in a busy loop.
constexpr std::chrono::milliseconds kAcceptRetryPause{100};

const std::vector<double> kDurationBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};

void LogToStderr(std::string_view line) {
    std::string text = "kclinic http: " + std::string(line) + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);  // one call, so lines from several threads do not interleave
}

}  // namespace

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
      reload_signals_(strand_),
      drain_timer_(strand_),
      accept_retry_timer_(strand_),
      workers_(static_cast<std::size_t>(
          options_.worker_threads > 0 ? options_.worker_threads
                                      : static_cast<int>(std::max(2U, 2 * std::thread::hardware_concurrency())))) {
    if (!options_.log) {
        options_.log = LogToStderr;
    }
    if (options_.tls) {
        tls_ = std::make_unique<TlsCertificates>(*options_.tls);
    }
}

Status ServerCore::Listen() {
    beast::error_code ec;
    const net::ip::address address = net::ip::make_address(options_.host, ec);
    if (ec) {
        return InvalidArgument("host",
                               "expected an IP address such as 127.0.0.1 or ::1 (got \"" + options_.host + "\")");
    }
    if (options_.trusted_proxy) {
        std::optional<std::string> proxy = CanonicalIpAddress(*options_.trusted_proxy);
        if (!proxy) {
            return InvalidArgument("trusted_proxy", "expected the proxy's IP address such as 127.0.0.1 or ::1 (got \"" +
                                                        *options_.trusted_proxy + "\")");
        }
        options_.trusted_proxy = std::move(proxy);
    }
    if (tls_) {
        RETURN_IF_ERROR(tls_->Reload());
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

Status ServerCore::ReloadTls() {
    return tls_->Reload();
}

void ServerCore::ReloadTlsOnSignal(int signal, std::function<void(const Status&)> reloaded) {
    reloaded_ = std::move(reloaded);
    reload_signals_.add(signal);
    reload_signals_.async_wait(beast::bind_front_handler(&ServerCore::OnReloadSignal, this));
}

void ServerCore::OnReloadSignal(beast::error_code ec, int /*signal*/) {
    if (ec) {
        return;  // cancelled once drained
    }
    const Status reloaded = ReloadTls();
    if (reloaded_) {
        reloaded_(reloaded);
    }
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;  // Finish may have run already: a wait armed now would keep Run from returning
        }
    }
    reload_signals_.async_wait(beast::bind_front_handler(&ServerCore::OnReloadSignal, this));
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
    bool at_limit = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;  // accepted just before the acceptor closed: the socket closes here
        }
        at_limit = connections_.size() >= static_cast<std::size_t>(options_.max_connections);
    }
    if (at_limit) {
        rejected_connections_.Increment();
    }
    ServeHttpConnection(std::move(socket), *this, at_limit);
    DoAccept();
}

bool ServerCore::Adopt(const std::shared_ptr<Connection>& connection) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return false;
        }
        connections_.emplace(connection.get(), connection);
    }
    open_connections_.Add(1);
    return true;
}

void ServerCore::Forget(const Connection* connection) {
    bool drained = false;
    bool post = false;
    {
        std::lock_guard lock(mutex_);
        if (connections_.erase(connection) == 0) {
            return;  // a connection refused by Adopt
        }
        drained = stopping_ && connections_.empty();
        post = running_;
    }
    open_connections_.Add(-1);
    if (drained && post) {
        net::post(strand_, [this] { Finish(); });
    }
}

void ServerCore::Record(std::string_view request_id, std::string_view route, Method method, HttpResponse& response,
                        Clock::duration elapsed, bool counted) {
    const std::optional<ErrorSummary> error = StampRequestId(response, request_id);
    if (!counted) {
        return;
    }
    const std::chrono::duration<double> seconds = elapsed;
    requests_.Labels({route, MethodName(method), std::to_string(response.status)}).Increment();
    durations_.Labels({route}).Observe(seconds.count());
    if (options_.access_log) {
        options_.access_log(AccessRecord{request_id, method, route, response.status, seconds, response.actor_user_id,
                                         error ? &*error : nullptr});
    }
}

std::string RequestIdFor(std::optional<std::string_view> incoming) {
    const auto plausible = [](std::string_view id) {
        return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
        });
    };
    if (incoming && plausible(*incoming)) {
        return std::string(*incoming);
    }
    std::array<unsigned char, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::array<char, 33> hex{};
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    return std::string(hex.data(), 32);
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
                Log("stopping at once: " + std::to_string(connections_.size()) + " connections abandoned");
                io_.stop();
            }
            return;
        }
        stopping_ = true;
        for (const auto& [key, weak] : connections_) {
            if (std::shared_ptr<Connection> connection = weak.lock()) {
                open.push_back(std::move(connection));
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
    for (const std::shared_ptr<Connection>& connection : open) {
        connection->Shutdown();
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
        open = connections_.size();
    }
    Log("drain deadline passed with " + std::to_string(open) + " connections still open; stopping without them");
    io_.stop();
}

// Every connection is gone: nothing is left to keep Run going once the signal wait and the timers are cancelled.
void ServerCore::Finish() {
    beast::error_code ignored;
    signals_.cancel(ignored);
    reload_signals_.cancel(ignored);
    drain_timer_.cancel();
    accept_retry_timer_.cancel();
}

}  // namespace detail

// ----- the pimpl -------------------------------------------------------------------------------------------------

class HttpServer::Impl final : public detail::ServerCore {
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

Status HttpServer::ReloadTls() {
    return impl_->ReloadTls();
}

void HttpServer::ReloadTlsOnSignal(int signal, std::function<void(const Status&)> reloaded) {
    impl_->ReloadTlsOnSignal(signal, std::move(reloaded));
}

void HttpServer::Run() {
    impl_->Run();
}

void HttpServer::Stop() {
    impl_->Stop();
}

}  // namespace kclinic::adapters::http
