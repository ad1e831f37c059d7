#pragma once

// Private to the HTTP server (see server_internal.hpp): the TLS settings and the certificate the listener's new
// handshakes use, swapped whole on reload. OpenSSL appears only in tls_certificates.cpp; this header names its
// context without including it.

#include <memory>
#include <mutex>

#include "adapters/http/http_server.hpp"
#include "base/result.hpp"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace kclinic::adapters::http::detail {

// The server's TLS context: TLS 1.2 and 1.3 only, Mozilla's "intermediate" ciphers (forward-secret ECDHE with an AEAD
// for TLS 1.2, every TLS 1.3 suite), no compression (CRIME), no renegotiation; the certificate chain and key of
// `files`. Thread-safe.
class TlsCertificates {
public:
    explicit TlsCertificates(TlsFiles files);

    // Reads the files into a new context and makes it the current one. Errors: kInvalidArgument "tls_certificate"
    // when the certificate file is unreadable or holds no PEM certificate, "tls_key" when the key file is unreadable,
    // holds no PEM private key, or holds another certificate's key; the current context (if any) then
    // stays in force. kInternal "tls" when OpenSSL refuses the protocol settings.
    Status Reload();

    // The context for a new handshake; null before the first successful Reload. Connections keep the one they
    // started with: OpenSSL's SSL_new(3) takes its own reference to the context, so dropping it here on a reload
    // ends nothing.
    [[nodiscard]] std::shared_ptr<boost::asio::ssl::context> Current() const;

private:
    const TlsFiles files_;
    mutable std::mutex mutex_;  // guards current_
    std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace kclinic::adapters::http::detail
