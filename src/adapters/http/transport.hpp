#pragma once

// What the transport under a request means for it and for its answer, without Beast: whether the client reached the
// server over TLS, which address it came from when a trusted reverse proxy stands in between, and the security
// headers every answer carries (docs/security.md "Transport"). The server applies both to every request and answer.

#include <optional>
#include <string>

#include "adapters/http/http_message.hpp"

namespace kclinic::adapters::http {

// HSTS (RFC 6797 §6.1) for a year on every answer over TLS, subdomains included: a browser that once reached the
// clinic over TLS never again sends a session cookie in the clear.
inline constexpr std::string_view kStrictTransportSecurity = "max-age=31536000; includeSubDomains";
// The policy of an answer that is not a page (JSON, errors, health, metrics): it may load nothing and may not be
// framed. The web front end's pages set their own, stricter-for-pages policy first (web_front_end.cpp).
inline constexpr std::string_view kApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

// Adds to `response` the headers OWASP ASVS 4.0.3 §14.4 asks of every answer: X-Content-Type-Options: nosniff,
// Referrer-Policy: no-referrer, X-Frame-Options: DENY, Content-Security-Policy (kApiContentSecurityPolicy unless the
// response has one), and Strict-Transport-Security when `secure` (the answer goes out over TLS, here or at the
// trusted proxy). A field the response already has is kept.
void AddTransportSecurityHeaders(HttpResponse& response, bool secure);

// The client behind a reverse proxy (docs/operations.md "Behind nginx"). When `request.remote_address` is
// `trusted_proxy` (an address in the canonical form HttpRequest::remote_address has), the proxy's word is taken: the
// last element of X-Forwarded-For (the address the proxy saw; earlier ones are the client's own claims) becomes
// remote_address when it is an IP address, and X-Forwarded-Proto "https" sets `secure`. From any other peer, or
// with no trusted proxy, the forwarded fields are ignored: anyone can send them.
void ResolveForwardedClient(HttpRequest& request, const std::optional<std::string>& trusted_proxy);

// `text` as the canonical text of an IPv4 or IPv6 address ("::1", "192.0.2.7"), or nullopt when it is none.
[[nodiscard]] std::optional<std::string> CanonicalIpAddress(std::string_view text);

}  // namespace kclinic::adapters::http
