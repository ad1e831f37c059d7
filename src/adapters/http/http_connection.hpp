#pragma once

// Private to the HTTP server (see server_internal.hpp): one accepted connection speaking HTTP/1.1, in the shape of
// Beast 1.74's example/advanced/server http_session, with each request handled on the server's worker pool. Its
// behaviour (limits, timeouts, pipelining, keep-alive, the drain on Stop, the live upgrade) is the one
// http_server.hpp describes.

#include "adapters/http/server_internal.hpp"

namespace kclinic::adapters::http::detail {

// Serves `socket`, just accepted by `server`, as an HTTP connection that `server` tracks until it closes (or, after
// a live upgrade, until the live session that takes its socket closes). `at_limit`: the server is at its connection
// limit, so the connection answers 503 without reading a request and closes. Does nothing (the socket closes) when
// shutdown has begun. REQUIRES: on the server's strand.
void ServeHttpConnection(tcp::socket&& socket, ServerCore& server, bool at_limit);

}  // namespace kclinic::adapters::http::detail
