#include "cli/testing/api_client.hpp"

#include <gtest/gtest.h>

namespace kclinic::cli::testing {

std::string ApiResponse::Header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
}

std::string ApiResponse::ErrorCode() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

nlohmann::json ApiResponse::ErrorWithoutRequestId() const {
    if (!body.is_object() || !body.contains("error")) {
        return nullptr;
    }
    nlohmann::json error = body["error"];
    error.erase("request_id");
    return error;
}

std::string ApiResponse::ErrorField() const {
    return body.is_object() && body.contains("error") ? body["error"].value("field", "") : "";
}

ApiResponse ApiClient::Login(const std::string& email, const std::string& password, const std::string& code) {
    Forget();
    nlohmann::json body{{"email", email}, {"password", password}};
    if (!code.empty()) {
        body["code"] = code;
    }
    ApiResponse response = Post("/api/v1/auth/login", body);
    if (response.status == 200) {
        const std::string set_cookie = response.Header("set-cookie");
        cookie_ = set_cookie.substr(0, set_cookie.find(';'));
        csrf_ = response.body.value("csrf_token", "");
    }
    return response;
}

void ApiClient::Forget() {
    cookie_.clear();
    csrf_.clear();
    bearer_.clear();
}

ApiResponse ApiClient::Get(const std::string& target, const std::string& extra_headers) {
    return Send("GET", target, "", extra_headers);
}

ApiResponse ApiClient::Post(const std::string& target, const nlohmann::json& body, const std::string& extra_headers) {
    return Send("POST", target, body.dump(), extra_headers);
}

ApiResponse ApiClient::Put(const std::string& target, const nlohmann::json& body, const std::string& extra_headers) {
    return Send("PUT", target, body.dump(), extra_headers);
}

ApiResponse ApiClient::Send(std::string_view method, const std::string& target, std::string_view body,
                            const std::string& extra_headers) {
    std::string headers = extra_headers;
    if (!bearer_.empty()) {
        headers += "Authorization: Bearer " + bearer_ + "\r\n";
    }
    if (!cookie_.empty()) {
        headers += "Cookie: " + cookie_ + "\r\n";
        if (!omit_csrf_ && method != "GET" && method != "HEAD") {
            headers += "X-CSRF-Token: " + csrf_ + "\r\n";
        }
    }
    if (!body.empty() && !content_type_.empty()) {
        headers += "Content-Type: " + content_type_ + "\r\n";
    }
    if (!connection_) {
        connection_ = adapters::http::testing::TestConnection::Connect(port_);
        if (!connection_) {
            ADD_FAILURE() << "cannot connect to port " << port_;
            return {};
        }
    }
    std::optional<adapters::http::testing::TestResponse> raw = connection_->Exchange(method, target, body, headers);
    // The next request opens a new connection after one the server closes (a 413 does).
    if (!raw || raw->Header("connection") == "close") {
        connection_.reset();
    }
    ApiResponse response;
    if (!raw) {
        ADD_FAILURE() << "no response to " << method << " " << target;
        return response;
    }
    response.status = raw->status;
    response.headers = raw->headers;
    response.text = raw->body;
    response.body = nlohmann::json::parse(raw->body, nullptr, false);
    if (response.body.is_discarded()) {
        response.body = nullptr;
    }
    return response;
}

std::int64_t LatestAuditId(ApiClient& admin) {
    std::int64_t latest = 0;
    for (std::string after = "0";;) {
        const ApiResponse audit = admin.Get("/api/v1/audit?limit=500&after=" + after);
        EXPECT_EQ(audit.status, 200) << audit.text;
        if (audit.status != 200 || audit.body["items"].empty()) {
            return latest;
        }
        latest = audit.body["items"].back()["id"].get<std::int64_t>();
        if (!audit.body.contains("next_after")) {
            return latest;
        }
        after = std::to_string(latest);
    }
}

std::vector<std::string> AuditedActionsAfter(ApiClient& admin, std::int64_t after) {
    const ApiResponse audit = admin.Get("/api/v1/audit?limit=500&after=" + std::to_string(after));
    EXPECT_EQ(audit.status, 200) << audit.text;
    std::vector<std::string> actions;
    for (const nlohmann::json& entry : audit.body["items"]) {
        if (entry["action"] != "audit.list") {
            actions.push_back(entry["action"]);
        }
    }
    return actions;
}

}  // namespace kclinic::cli::testing
