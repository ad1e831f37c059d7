#pragma once

// Test support: a JSON client of the kclinic API over one kept-alive connection (reopened after an answer that says
// `Connection: close`), as a browser (session cookie and CSRF token after Login) or a machine (bearer token after
// UseToken).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/testing/http_test_client.hpp"

namespace kclinic::cli::testing {

// NOLINTNEXTLINE(bugprone-exception-escape): clang-tidy 14 sees nlohmann::json's noexcept move as throwing
struct ApiResponse {
    int status = 0;                              // 0 when no response came
    std::map<std::string, std::string> headers;  // names lower-cased
    nlohmann::json body;                         // null when the body was empty or not JSON
    std::string text;

    [[nodiscard]] std::string Header(const std::string& name) const;
    // body.error.code / .field, "" when absent.
    [[nodiscard]] std::string ErrorCode() const;
    [[nodiscard]] std::string ErrorField() const;
    // body.error without its request_id, which names each request (docs/api.md "Errors"): what two answers that
    // must not tell their requests apart are compared by.
    [[nodiscard]] nlohmann::json ErrorWithoutRequestId() const;
};

class ApiClient {
public:
    explicit ApiClient(std::uint16_t port) : port_(port) {}

    // POST /api/v1/auth/login (with `code`, the second factor, unless empty); on 200 keeps the cookie and the CSRF
    // token for later requests.
    ApiResponse Login(const std::string& email, const std::string& password, const std::string& code = "");
    void UseToken(std::string token) { bearer_ = std::move(token); }
    // Forgets the cookie, the CSRF token and the bearer token.
    void Forget();
    // Sends requests without the CSRF header (to test that it is required).
    void OmitCsrf(bool omit) { omit_csrf_ = omit; }
    // The Content-Type sent with a body: "application/json" unless set; empty sends none (to test that it is checked).
    void UseContentType(std::string content_type) { content_type_ = std::move(content_type); }

    ApiResponse Get(const std::string& target, const std::string& extra_headers = "");
    ApiResponse Post(const std::string& target, const nlohmann::json& body, const std::string& extra_headers = "");
    ApiResponse Put(const std::string& target, const nlohmann::json& body, const std::string& extra_headers = "");
    // Any method with a raw body (malformed JSON, a huge body).
    ApiResponse Send(std::string_view method, const std::string& target, std::string_view body,
                     const std::string& extra_headers = "");

    [[nodiscard]] const std::string& csrf_token() const { return csrf_; }
    [[nodiscard]] const std::string& session_cookie() const { return cookie_; }

private:
    std::uint16_t port_;
    std::unique_ptr<adapters::http::testing::TestConnection> connection_;
    std::string cookie_;  // "kclinic_session=..."
    std::string csrf_;
    std::string bearer_;
    bool omit_csrf_ = false;
    std::string content_type_ = "application/json";
};

// The id of the latest audit entry, read by `admin` (an admin's client); 0 when the log is empty.
[[nodiscard]] std::int64_t LatestAuditId(ApiClient& admin);
// The actions audited after entry `after`, without the audit reads themselves: what the requests since then wrote.
[[nodiscard]] std::vector<std::string> AuditedActionsAfter(ApiClient& admin, std::int64_t after);

}  // namespace kclinic::cli::testing
