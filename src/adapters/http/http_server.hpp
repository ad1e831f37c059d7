#pragma once

// The HTTP/1.1 server: Boost.Beast and Asio in the shape of Beast 1.74's advanced_server example, behind a pimpl so
// that only the server's own files (http_server.cpp, http_connection.cpp, live_session.cpp) compile them.
//
// Threads. `io_threads` threads run one io_context; every connection has its own strand, so its handlers never run
// concurrently. Route handlers block (they call the database), so they never run on an I/O thread: each request
// is handed to a pool of `worker_threads` and its response is posted back to the connection's strand. A connection
// has at most one handler running, so requests pipelined on it are handled, and answered, in order, and the
// workers' queue holds at most one request per connection.
//
// Limits. A request body over `body_limit_bytes` is answered 413 and the connection closed; header fields over
// `header_limit_bytes` 431. A request must arrive completely within `read_timeout` of its first byte, a response
// be written within `write_timeout`; a keep-alive connection with nothing in flight is closed after `idle_timeout`.
// At most `max_pipelined` requests of one connection wait for their answer (reading pauses beyond). Beyond
// `max_connections` open connections a new one is answered 503 and closed.
//
// Request ids. Each request is named by the X-Request-Id it came with when that is a plausible id (a reverse proxy's
// $request_id: 1 to 64 letters, digits, '-', '_', '.'), otherwise by 32 random hex digits; the answer carries it
// (StampRequestId) and so does its access-log record.
//
// Metrics (registered in the given registry): kclinic_http_requests_total{route,method,status},
// kclinic_http_request_duration_seconds{route} (from the request fully read to its response ready),
// kclinic_http_open_connections, kclinic_http_rejected_connections_total.
//
// The live channel (ServerOptions::live; protocol in live_channel.hpp and docs/api.md). A WebSocket upgrade request
// to its path is authenticated on a worker thread, answered as plain HTTP when refused (401, 403 for a foreign
// Origin), otherwise accepted on the same connection and strand, which then speaks WebSocket: client messages are
// decided on a worker one at a time, events come from the LiveHub, at most one frame is being written at a time,
// idle connections are pinged (Beast's suggested server timeouts), a message over `max_message_bytes` closes the
// connection (1009), and Stop() sends every live client a close frame (1001, "server shutting down"). A live
// connection counts against `max_connections` like any other.
//
// TLS (ServerOptions::tls; docs/security.md "Transport"). Every connection then begins with a TLS handshake (within
// `read_timeout`) and the same HTTP and live channel (wss) follow over it, in the same connection code. Only TLS 1.2
// and 1.3 with forward-secret AEAD ciphers are offered (tls_certificates.hpp). ReloadTls swaps the certificate for
// the handshakes that follow; open connections keep theirs. Every answer carries the security headers of
// transport.hpp, and over TLS Strict-Transport-Security too.
//
// A trusted proxy (ServerOptions::trusted_proxy): requests from that address are taken to come from the client its
// X-Forwarded-For names, over TLS when its X-Forwarded-Proto says https (ResolveForwardedClient); from any other
// address those fields are ignored.

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/http_error.hpp"
#include "adapters/http/live_channel.hpp"
#include "adapters/http/live_hub.hpp"
#include "adapters/http/metrics.hpp"
#include "adapters/http/router.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::http {

// Receives one line (no trailing newline) per event worth an operator's attention: a handler that threw, a drain
// that missed its deadline. Called from any thread; must be thread-safe.
using LogSink = std::function<void(std::string_view line)>;

// One answered request, as the access log records it: no path value, query string, header or body, which carry
// health information, only the route's pattern.
struct AccessRecord {
    std::string_view request_id;
    Method method = Method::kOther;
    std::string_view route;  // the pattern ("/api/v1/patients/{id}"), or "unmatched"
    int status = 0;
    std::chrono::duration<double> duration{};  // from the request fully read to its response ready
    std::optional<std::int64_t> actor_user_id;
    const ErrorSummary* error = nullptr;  // an error answer's code and message; null otherwise
};

// Receives every answered request. Called from the connections' strands, concurrently; must be thread-safe.
using AccessLogSink = std::function<void(const AccessRecord& record)>;

// The PEM files of the listener's certificate (chain: the server's certificate first, then its intermediates) and
// private key.
struct TlsFiles {
    std::string certificate_file;
    std::string private_key_file;
};

// Where and how the live channel is served.
struct LiveEndpoint {
    std::string path = "/api/v1/live";
    LiveHub* hub = nullptr;  // REQUIRES: non-null; outlives the server
    LiveAuthenticator authenticate;
    LiveSubscriber subscribe;
    LiveAuditor audit;                                     // REQUIRES: both functions set
    std::size_t max_message_bytes = std::size_t{4} << 10;  // a client message; subscriptions are tiny
};

struct ServerOptions {
    std::string host = "127.0.0.1";  // an IP address literal; loopback unless told otherwise
    std::uint16_t port = 8080;       // 0: the system picks a free port (see HttpServer::Port)
    int io_threads = 1;
    int worker_threads = 0;  // 0: twice the hardware threads
    std::size_t body_limit_bytes = std::size_t{1} << 20;
    std::size_t header_limit_bytes = std::size_t{8} << 10;
    std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
    std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    int max_pipelined = 8;
    int max_connections = 512;
    // How long Stop() waits for in-flight requests before closing their connections anyway.
    std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
    LogSink log;                       // empty: one line to stderr per event
    AccessLogSink access_log;          // empty: no access log
    std::optional<LiveEndpoint> live;  // empty: no live channel (its path is then an ordinary route)
    std::optional<TlsFiles> tls;       // empty: plain HTTP (loopback, or behind a TLS-terminating proxy)
    // The reverse proxy's IP address whose X-Forwarded-For and X-Forwarded-Proto are believed; empty: nobody's.
    std::optional<std::string> trusted_proxy;
};

class HttpServer {
public:
    // `metrics` must outlive the server. Nothing is bound until Listen.
    HttpServer(ServerOptions options, Router router, MetricsRegistry& metrics);
    // Waits for handlers still running on the workers (after a drain that missed its deadline).
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Loads the TLS certificate (when options.tls is set), binds and listens. Errors: kInvalidArgument "host" when it
    // is not an IP address, "trusted_proxy" when that is not one; TlsCertificates::Reload's errors ("tls_certificate",
    // "tls_key"); kUnavailable "listen" when the address cannot be bound (in use, not local, no permission).
    // REQUIRES: called once, before Run.
    [[nodiscard]] Status Listen();
    // The bound port (the real one when options.port was 0). REQUIRES: Listen succeeded.
    [[nodiscard]] std::uint16_t Port() const;

    // Calls Stop() when one of `signals` (SIGTERM, SIGINT) arrives; a second one while draining stops at once
    // without waiting for in-flight requests. REQUIRES: before Run.
    void StopOnSignals(std::initializer_list<int> signals);

    // Reads options.tls's files again; the handshakes that follow use the new certificate and key, open connections
    // keep the ones they began with. Errors: those of Listen's loading; the certificate in force then stays.
    // REQUIRES: options.tls is set and Listen succeeded. Thread-safe.
    [[nodiscard]] Status ReloadTls();
    // Calls ReloadTls each time `signal` (SIGHUP) arrives, then `reloaded` with its outcome (on the server's strand).
    // REQUIRES: options.tls is set; before Run.
    void ReloadTlsOnSignal(int signal, std::function<void(const Status&)> reloaded);

    // Serves on io_threads threads (the caller's among them) until Stop() has drained every connection or its
    // deadline passed, then returns. REQUIRES: Listen succeeded; called once.
    void Run();

    // Graceful shutdown: stops accepting, closes idle keep-alive connections, lets requests already received (or
    // being received) finish and their responses be written, each closing its connection, then lets Run return.
    // After drain_timeout, connections still open are abandoned and Run returns anyway. Thread-safe, may be called
    // from a handler or before Run, returns at once; later calls do nothing.
    void Stop();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kclinic::adapters::http
