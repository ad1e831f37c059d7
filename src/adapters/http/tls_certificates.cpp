#include "adapters/http/tls_certificates.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <string>
#include <utility>

#include <boost/asio/ssl/context.hpp>

namespace kclinic::adapters::http::detail {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's server-side TLS recommendations, "intermediate" configuration (version 5.7,
// https://ssl-config.mozilla.org/guidelines/5.7.json), without its DHE suites: ECDHE only, AES-GCM or
// ChaCha20-Poly1305. No CBC, RC4, 3DES, NULL, EXPORT or anonymous suite can be negotiated; sslscan checks that in the
// TLS test.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

// OpenSSL's queued errors, oldest first, as one line; clears the queue.
std::string OpenSslErrors() {
    std::string errors;
    while (const unsigned long code = ERR_get_error()) {
        std::array<char, 256> text{};
        ERR_error_string_n(code, text.data(), text.size());
        errors += (errors.empty() ? "" : "; ") + std::string(text.data());
    }
    return errors.empty() ? "no detail from OpenSSL" : errors;
}

Result<std::shared_ptr<ssl::context>> NewContext(const TlsFiles& files) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* handle = context->native_handle();
    ERR_clear_error();
    if (SSL_CTX_set_min_proto_version(handle, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(handle, kTls12Ciphers) != 1 || SSL_CTX_set_ciphersuites(handle, kTls13Suites) != 1 ||
        SSL_CTX_set1_groups_list(handle, kGroups) != 1) {
        return Error{ErrorCode::kInternal, "tls", "OpenSSL refused the protocol settings: " + OpenSslErrors()};
    }
    SSL_CTX_set_options(handle, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(handle, files.certificate_file.c_str()) != 1) {
        return Error{ErrorCode::kInvalidArgument, "tls_certificate",
                     files.certificate_file + ": not a readable PEM certificate chain (" + OpenSslErrors() + ")"};
    }
    // OpenSSL checks here that the key is the certificate's (SSL_CTX_use_PrivateKey(3)).
    if (SSL_CTX_use_PrivateKey_file(handle, files.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
        return Error{ErrorCode::kInvalidArgument, "tls_key",
                     files.private_key_file + ": not a readable PEM private key, or not the key of the certificate in " +
                         files.certificate_file + " (" + OpenSslErrors() + ")"};
    }
    return context;
}

}  // namespace

TlsCertificates::TlsCertificates(TlsFiles files) : files_(std::move(files)) {}

Status TlsCertificates::Reload() {
    ASSIGN_OR_RETURN(std::shared_ptr<ssl::context> context, NewContext(files_));
    std::lock_guard lock(mutex_);
    current_ = std::move(context);
    return Status::Ok();
}

std::shared_ptr<ssl::context> TlsCertificates::Current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace kclinic::adapters::http::detail
