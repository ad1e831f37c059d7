// The live channel's protocol without a socket: client messages, the control messages, and the Origin rule.

#include "adapters/http/live_channel.hpp"

#include <gtest/gtest.h>

#include <string>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using adapters::json::Json;

TEST(ParseLiveMessage, ReadsTheBoardASessionAndUnsubscribe) {
    Result<std::optional<LiveTopic>> board = ParseLiveMessage(R"({"subscribe":"board"})");
    ASSERT_TRUE(board.ok());
    ASSERT_TRUE(board->has_value());
    EXPECT_FALSE((*board)->session);

    Result<std::optional<LiveTopic>> session = ParseLiveMessage(R"( {"subscribe":{"session_id":12}} )");
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE(session->has_value());
    EXPECT_EQ((*session)->session, app::SessionId{12});

    Result<std::optional<LiveTopic>> off = ParseLiveMessage(R"({"unsubscribe":true})");
    ASSERT_TRUE(off.ok());
    EXPECT_FALSE(off->has_value());
}

TEST(ParseLiveMessage, NamesTheFieldOfEveryMalformedMessage) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "message"},
        {"{", "message"},
        {"[]", "message"},
        {R"("board")", "message"},
        {"{}", "message"},
        {R"({"subscribe":"board","unsubscribe":true})", "message"},
        {R"({"watch":"board"})", "message"},
        {R"({"subscribe":"everything"})", "subscribe"},
        {R"({"subscribe":12})", "subscribe"},
        {R"({"subscribe":{}})", "subscribe.session_id"},
        {R"({"subscribe":{"session_id":12,"patient_id":3}})", "subscribe.session_id"},
        {R"({"subscribe":{"session_id":0}})", "subscribe.session_id"},
        {R"({"subscribe":{"session_id":-4}})", "subscribe.session_id"},
        {R"({"subscribe":{"session_id":1.5}})", "subscribe.session_id"},
        {R"({"subscribe":{"session_id":"12"}})", "subscribe.session_id"},
        {R"({"unsubscribe":false})", "unsubscribe"},
        {R"({"unsubscribe":"board"})", "unsubscribe"},
        // A name given twice used to be read as its last value (issue 15 §3): which one a reader keeps is a guess.
        {R"({"subscribe":"board","subscribe":{"session_id":12}})", "subscribe"},
        {R"({"subscribe":{"session_id":12,"session_id":13}})", "subscribe.session_id"},
        {R"({"subscribe":{"session_id":1e309}})", "subscribe.session_id"},
    };
    for (const auto& [message, field] : cases) {
        Result<std::optional<LiveTopic>> parsed = ParseLiveMessage(message);
        ASSERT_FALSE(parsed.ok()) << message;
        EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << message;
        EXPECT_EQ(parsed.error().field, field) << message;
    }
}

TEST(LiveMessages, SayWhatWasSubscribedAndCarryErrorsInTheApiShape) {
    EXPECT_EQ(Json::parse(LiveSubscribedMessage(LiveTopic::Board())), Json::parse(R"({"type":"subscribed",
        "topic":"board"})"));
    EXPECT_EQ(Json::parse(LiveSubscribedMessage(LiveTopic::ForSession(app::SessionId{12}, app::PatientId{3}))),
              Json::parse(R"({"type":"subscribed","topic":{"session_id":12,"patient_id":3}})"));
    EXPECT_EQ(Json::parse(LiveSubscribedMessage(std::nullopt)), Json::parse(R"({"type":"unsubscribed"})"));

    EXPECT_EQ(Json::parse(LiveErrorMessage(InvalidArgument("subscribe", "expected \"board\""))),
              Json::parse(R"({"type":"error","error":{"code":"invalid_argument","message":"expected \"board\"",
                  "field":"subscribe"}})"));
    const Json unnamed = Json::parse(LiveErrorMessage(Error{ErrorCode::kPermissionDenied, "", "no \xff"}));
    EXPECT_FALSE(unnamed["error"].contains("field"));
    EXPECT_EQ(unnamed["error"]["code"], "permission_denied");
}

HttpRequest Upgrade(std::optional<std::string> origin, std::string host = "127.0.0.1:8080") {
    HttpRequest request;
    request.headers.Add("Host", std::move(host));
    if (origin) {
        request.headers.Add("Origin", std::move(*origin));
    }
    return request;
}

app::Principal By(app::AuthMethod method) {
    app::Principal principal;
    principal.role = app::Role::kNurse;
    principal.method = method;
    return principal;
}

TEST(CheckLiveOrigin, ACookieUpgradeMustComeFromThisServersOwnPages) {
    const app::Principal cookie = By(app::AuthMethod::kSession);
    EXPECT_TRUE(CheckLiveOrigin(Upgrade("http://127.0.0.1:8080"), cookie).ok());
    EXPECT_TRUE(CheckLiveOrigin(Upgrade("https://Clinic.Example", "clinic.example"), cookie).ok());

    for (const std::optional<std::string>& origin :
         {std::optional<std::string>(), std::optional<std::string>("http://evil.example"),
          std::optional<std::string>("http://127.0.0.1:9999"), std::optional<std::string>("null"),
          std::optional<std::string>("127.0.0.1:8080"), std::optional<std::string>("file://127.0.0.1:8080")}) {
        const Status refused = CheckLiveOrigin(Upgrade(origin), cookie);
        ASSERT_FALSE(refused.ok()) << origin.value_or("(none)");
        EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
        EXPECT_EQ(refused.error().field, "Origin");
    }
}

TEST(CheckLiveOrigin, OverTlsTheOriginIsHttps) {
    const app::Principal cookie = By(app::AuthMethod::kSession);
    HttpRequest secure = Upgrade("https://127.0.0.1:8080");
    secure.secure = true;
    EXPECT_TRUE(CheckLiveOrigin(secure, cookie).ok());
    HttpRequest downgraded = Upgrade("http://127.0.0.1:8080");
    downgraded.secure = true;
    EXPECT_FALSE(CheckLiveOrigin(downgraded, cookie).ok());
}

TEST(CheckLiveOrigin, ABearerTokenNeedsNoOrigin) {
    EXPECT_TRUE(CheckLiveOrigin(Upgrade(std::nullopt), By(app::AuthMethod::kApiToken)).ok());
    EXPECT_TRUE(CheckLiveOrigin(Upgrade("http://elsewhere.example"), By(app::AuthMethod::kApiToken)).ok());
}

}  // namespace
}  // namespace kclinic::adapters::http
