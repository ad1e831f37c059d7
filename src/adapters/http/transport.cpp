#include "adapters/http/transport.hpp"

#include <arpa/inet.h>

#include <array>

namespace kclinic::adapters::http {
namespace {

void SetUnlessPresent(Headers& headers, std::string name, std::string_view value) {
    if (!headers.Find(name)) {
        headers.Set(std::move(name), std::string(value));
    }
}

}  // namespace

void AddTransportSecurityHeaders(HttpResponse& response, bool secure) {
    SetUnlessPresent(response.headers, "X-Content-Type-Options", "nosniff");
    SetUnlessPresent(response.headers, "Referrer-Policy", "no-referrer");
    SetUnlessPresent(response.headers, "X-Frame-Options", "DENY");
    SetUnlessPresent(response.headers, "Content-Security-Policy", kApiContentSecurityPolicy);
    if (secure) {
        SetUnlessPresent(response.headers, "Strict-Transport-Security", kStrictTransportSecurity);
    }
}

std::optional<std::string> CanonicalIpAddress(std::string_view text) {
    const std::string address(text);
    std::array<unsigned char, 16> binary{};
    std::array<char, INET6_ADDRSTRLEN> canonical{};
    for (const int family : {AF_INET, AF_INET6}) {
        if (inet_pton(family, address.c_str(), binary.data()) == 1 &&
            inet_ntop(family, binary.data(), canonical.data(), canonical.size()) != nullptr) {
            return std::string(canonical.data());
        }
    }
    return std::nullopt;
}

void ResolveForwardedClient(HttpRequest& request, const std::optional<std::string>& trusted_proxy) {
    if (!trusted_proxy || request.remote_address != *trusted_proxy) {
        return;
    }
    if (const std::optional<std::string_view> forwarded = request.headers.Find("X-Forwarded-For")) {
        const std::size_t comma = forwarded->rfind(',');
        const std::string_view last = comma == std::string_view::npos ? *forwarded : forwarded->substr(comma + 1);
        if (std::optional<std::string> client = CanonicalIpAddress(TrimWhitespace(last))) {
            request.remote_address = std::move(*client);
        }
    }
    if (EqualsIgnoringCase(request.headers.Find("X-Forwarded-Proto").value_or(""), "https")) {
        request.secure = true;
    }
}

}  // namespace kclinic::adapters::http
