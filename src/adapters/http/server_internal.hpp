#pragma once

// Private to the HTTP server (http_server.cpp, http_connection.cpp, live_session.cpp); only http_server.hpp is
// public. What a connection needs of the server: its options, router, io_context and worker pool, the request
// metrics, the TLS context of new connections (tls_certificates.hpp), and the table of open connections that the
// connection limit and shutdown use. Asio appears here and in those three files and tls_certificates.cpp only;
// Beast's HTTP parser and WebSocket stream each in the one file that uses them, OpenSSL's stream in both.

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/error.hpp>

#include "adapters/http/http_server.hpp"
#include "adapters/http/tls_certificates.hpp"

namespace kclinic::adapters::http::detail {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// The id of a request that came with `incoming` as its X-Request-Id (see http_server.hpp); thread-safe.
[[nodiscard]] std::string RequestIdFor(std::optional<std::string_view> incoming);

// An open connection as the server tracks it for the connection limit and for shutdown: an HTTP connection, or the
// live session it became.
class Connection {
public:
    virtual ~Connection() = default;
    // Begins a graceful close; called from any thread (implementations post to their strand).
    virtual void Shutdown() = 0;
};

// The server's state and its accepting, signal and shutdown logic; HttpServer::Impl is this class under the name
// the public header declares. Thread-safe where marked; the rest runs on the server's own strand.
class ServerCore {
public:
    ServerCore(ServerOptions options, Router router, MetricsRegistry& metrics);

    Status Listen();
    [[nodiscard]] std::uint16_t Port() const { return port_; }
    void StopOnSignals(std::initializer_list<int> signals);
    Status ReloadTls();
    void ReloadTlsOnSignal(int signal, std::function<void(const Status&)> reloaded);
    void Run();
    void Stop();

    // For the connections; thread-safe.
    [[nodiscard]] const ServerOptions& options() const { return options_; }
    [[nodiscard]] const Router& router() const { return router_; }
    [[nodiscard]] net::io_context& io() { return io_; }
    [[nodiscard]] net::thread_pool& workers() { return workers_; }
    // The TLS context for a connection accepted now; null when the server speaks plain HTTP.
    [[nodiscard]] std::shared_ptr<net::ssl::context> TlsContext() const { return tls_ ? tls_->Current() : nullptr; }
    void Log(std::string_view line) const { options_.log(line); }
    // Counts and logs an answer; stamps it with its request's id first (StampRequestId).
    void Record(std::string_view request_id, std::string_view route, Method method, HttpResponse& response,
                Clock::duration elapsed, bool counted);
    // Tracks an open connection: one just accepted, or a live session taking over an HTTP connection's socket.
    // False once shutdown has begun: the caller drops it, which closes its socket.
    [[nodiscard]] bool Adopt(const std::shared_ptr<Connection>& connection);
    // Called by every connection's destructor.
    void Forget(const Connection* connection);

private:
    void DoAccept();
    void OnAccept(beast::error_code ec, tcp::socket socket);
    void OnSignal(beast::error_code ec, int signal);
    void OnReloadSignal(beast::error_code ec, int signal);
    void BeginShutdown(bool at_once);
    void OnDrainDeadline(beast::error_code ec);
    void Finish();
    void RunIo();

    // State the connections use; declared first so that it outlives io_ and workers_, whose destruction may destroy
    // the last connections.
    ServerOptions options_;
    Router router_;
    std::unique_ptr<TlsCertificates> tls_;  // null: plain HTTP
    CounterFamily& requests_;
    HistogramFamily& durations_;
    Gauge& open_connections_;
    Counter& rejected_connections_;

    mutable std::mutex mutex_;  // guards the members below
    std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;
    bool running_ = false;   // inside Run: posting to io_ is allowed
    bool stopping_ = false;  // Stop has begun

    net::io_context io_;
    // Accepting, signals and the drain deadline run on one strand of their own.
    net::strand<net::io_context::executor_type> strand_;
    tcp::acceptor acceptor_;
    net::signal_set signals_;
    net::signal_set reload_signals_;
    std::function<void(const Status&)> reloaded_;
    net::steady_timer drain_timer_;
    net::steady_timer accept_retry_timer_;
    std::uint16_t port_ = 0;
    // Last: destroyed (joined) first, while io_ can still take the completions of handlers that were running.
    net::thread_pool workers_;
};

}  // namespace kclinic::adapters::http::detail
