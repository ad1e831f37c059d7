#include "adapters/http/transport.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace kclinic::adapters::http {
namespace {

TEST(AddTransportSecurityHeadersTest, AddsEveryHeaderAndHstsOnlyOverTls) {
    for (const bool secure : {false, true}) {
        HttpResponse response;
        AddTransportSecurityHeaders(response, secure);
        EXPECT_EQ(response.headers.Find("X-Content-Type-Options"), "nosniff") << secure;
        EXPECT_EQ(response.headers.Find("Referrer-Policy"), "no-referrer") << secure;
        EXPECT_EQ(response.headers.Find("X-Frame-Options"), "DENY") << secure;
        EXPECT_EQ(response.headers.Find("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'")
            << secure;
        EXPECT_EQ(response.headers.Find("Strict-Transport-Security"),
                  secure ? std::optional<std::string_view>("max-age=31536000; includeSubDomains") : std::nullopt);
    }
}

TEST(AddTransportSecurityHeadersTest, KeepsAPolicyTheResponseSetItself) {
    HttpResponse page;
    page.headers.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    AddTransportSecurityHeaders(page, true);
    EXPECT_EQ(page.headers.Find("Content-Security-Policy"), "default-src 'self'; frame-ancestors 'none'");
    EXPECT_EQ(page.headers.size(), 5U);  // no second field of any name
}

TEST(ResolveForwardedClientTest, BelievesOnlyTheTrustedProxy) {
    struct Case {
        std::string name;
        std::string peer;
        std::optional<std::string> trusted_proxy;
        std::vector<std::pair<std::string, std::string>> fields;
        std::string address;  // remote_address afterwards
        bool secure;
    };
    const std::vector<Case> cases = {
        {"no proxy configured",
         "127.0.0.1",
         std::nullopt,
         {{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"}},
         "127.0.0.1",
         false},
        {"a peer that is not the proxy",
         "198.51.100.4",
         "127.0.0.1",
         {{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"}},
         "198.51.100.4",
         false},
        {"the proxy",
         "127.0.0.1",
         "127.0.0.1",
         {{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"}},
         "203.0.113.9",
         true},
        {"the proxy, plain HTTP at its side",
         "127.0.0.1",
         "127.0.0.1",
         {{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "http"}},
         "203.0.113.9",
         false},
        {"the last element is the proxy's own view; earlier ones are the client's claims",
         "::1",
         "::1",
         {{"X-Forwarded-For", "10.0.0.1, 2001:db8::7"}},
         "2001:db8::7",
         false},
        {"spaces and an unusual spelling are made canonical",
         "127.0.0.1",
         "127.0.0.1",
         {{"X-Forwarded-For", " 2001:DB8:0::7 "}, {"X-Forwarded-Proto", "HTTPS"}},
         "2001:db8::7",
         true},
        {"a forwarded value that is not an address is ignored",
         "127.0.0.1",
         "127.0.0.1",
         {{"X-Forwarded-For", "unknown"}},
         "127.0.0.1",
         false},
        {"nothing forwarded", "127.0.0.1", "127.0.0.1", {}, "127.0.0.1", false},
    };
    for (const Case& c : cases) {
        HttpRequest request;
        request.remote_address = c.peer;
        for (const auto& [name, value] : c.fields) {
            request.headers.Add(name, value);
        }
        ResolveForwardedClient(request, c.trusted_proxy);
        EXPECT_EQ(request.remote_address, c.address) << c.name;
        EXPECT_EQ(request.secure, c.secure) << c.name;
    }
}

TEST(CanonicalIpAddressTest, AcceptsAddressesOnly) {
    EXPECT_EQ(CanonicalIpAddress("127.0.0.1"), "127.0.0.1");
    EXPECT_EQ(CanonicalIpAddress("0:0:0:0:0:0:0:1"), "::1");
    EXPECT_EQ(CanonicalIpAddress("localhost"), std::nullopt);
    EXPECT_EQ(CanonicalIpAddress("127.0.0.1:80"), std::nullopt);
    EXPECT_EQ(CanonicalIpAddress(""), std::nullopt);
}

}  // namespace
}  // namespace kclinic::adapters::http
