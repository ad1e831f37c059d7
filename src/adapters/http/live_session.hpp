#pragma once

// Private to the HTTP server (see server_internal.hpp): a live channel connection after its upgrade (docs/api.md,
// "Live channel"), in the shape of Beast 1.74's example/websocket/server/chat-multi websocket_session.

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "adapters/http/live_channel.hpp"
#include "adapters/http/server_internal.hpp"

namespace boost::beast {
template <class NextLayer>
class ssl_stream;
}  // namespace boost::beast

namespace kclinic::adapters::http::detail {

// Completes the WebSocket handshake that `upgrade` asked for on `stream` (an HTTP connection's, every earlier
// answer on it written; over TLS, wss) and serves the live channel to `client` on it, tracked by `server` in the
// HTTP connection's place. Does nothing (the connection closes) when shutdown has begun. REQUIRES: on the stream's
// strand; server.options().live is set.
void ServeLiveSession(beast::tcp_stream&& stream, ServerCore& server, LiveClient client,
                      const boost::beast::http::request<boost::beast::http::string_body>& upgrade);
void ServeLiveSession(beast::ssl_stream<beast::tcp_stream>&& stream, ServerCore& server, LiveClient client,
                      const boost::beast::http::request<boost::beast::http::string_body>& upgrade);

}  // namespace kclinic::adapters::http::detail
