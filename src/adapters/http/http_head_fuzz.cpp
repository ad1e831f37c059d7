// libFuzzer target for the HTTP request head as the server reads it (issue 15 §3): Beast's request parser with the
// server's own limits (ServerOptions' defaults: 8 KiB of header, 1 MiB of body), fed in chunks whose sizes the input
// chooses, then what http_connection.cpp does with a parsed message before any route sees it: the request target
// (ParseTarget: path and percent-decoded query), the header fields, the WebSocket upgrade test, and the checks every
// API route makes first (the body's Content-Type, the query parameters declared). The only translation unit of the
// fuzz build that compiles Beast. Under ASan/UBSan any memory error or undefined behaviour is a finding, and so is
// an exception escaping (the connection would be dropped without an answer).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "adapters/http/http_message.hpp"
#include "adapters/http/http_server.hpp"

namespace {

namespace wire = boost::beast::http;
using namespace kclinic::adapters::http;

std::string_view View(boost::beast::string_view text) {
    return {text.data(), text.size()};
}

// The parsed message as the server hands it to the router (http_connection.cpp, OnRead).
void Handle(wire::request<wire::string_body>& message) {
    const kclinic::Result<RequestTarget> target = ParseTarget(View(message.target()));
    if (!target.ok()) {
        return;
    }
    HttpRequest request;
    request.target = std::string(View(message.target()));
    request.path = target.value().path;
    request.query = target.value().query;
    for (const auto& field : message) {
        request.headers.Add(std::string(View(field.name_string())), std::string(View(field.value())));
    }
    request.body = message.body();
    (void)boost::beast::websocket::is_upgrade(message);
    (void)message.keep_alive();
    (void)DeclaresJsonBody(request.headers, request.body);
    (void)CheckQueryParameters(request, {"limit", "after", "q"});
    (void)request.QueryParameter("q");
    (void)request.headers.Find("Authorization");
    (void)request.headers.Find("Cookie");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ServerOptions options;
    wire::request_parser<wire::string_body> parser;
    parser.body_limit(static_cast<std::uint64_t>(options.body_limit_bytes));
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit_bytes));
    parser.eager(true);
    // Chunks of 1 to 64 bytes, by the input's first byte: a header split anywhere must read the same.
    const std::size_t chunk = size == 0 ? 1 : (data[0] % 64) + 1;
    std::string pending;
    for (std::size_t at = 0; at < size && !parser.is_done(); at += chunk) {
        pending.append(reinterpret_cast<const char*>(data) + at, std::min(chunk, size - at));
        boost::system::error_code error;
        const std::size_t used = parser.put(boost::asio::buffer(pending.data(), pending.size()), error);
        pending.erase(0, used);
        if (error == wire::error::need_more) {
            continue;
        }
        if (error) {
            return 0;  // refused: the server answers 400, 413 or 431 and closes
        }
    }
    if (!parser.is_done()) {
        if (!parser.got_some()) {
            return 0;  // nothing arrived: the server closes without an answer (Beast asserts on put_eof here)
        }
        boost::system::error_code error;
        parser.put_eof(error);
        if (error || !parser.is_done()) {
            return 0;
        }
    }
    wire::request<wire::string_body> message = parser.release();
    Handle(message);
    return 0;
}
