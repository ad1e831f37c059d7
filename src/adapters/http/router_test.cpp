#include "adapters/http/router.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using adapters::json::Json;

// A handler that answers with its own name and the parameters it received, so a test sees which one ran.
Handler Named(std::string name) {
    return [name = std::move(name)](const HttpRequest&, const PathParams& params) {
        Json body{{"handler", name}, {"params", Json::object()}};
        for (const auto& [key, value] : params) {
            body["params"][key] = value;
        }
        return HttpResponse{200, std::string(kJsonContentType), {}, body.dump()};
    };
}

HttpRequest Request(Method method, std::string path) {
    HttpRequest request;
    request.method = method;
    request.path = std::move(path);
    request.target = request.path;
    return request;
}

Router ClinicRouter() {
    Router router;
    router.Add(Method::kGet, "/", Named("index"));
    router.Add(Method::kGet, "/api/v1/patients", Named("list"));
    router.Add(Method::kPost, "/api/v1/patients", Named("create"));
    router.Add(Method::kGet, "/api/v1/patients/{id}", Named("show"));
    router.Add(Method::kPatch, "/api/v1/patients/{id}", Named("update"));
    router.Add(Method::kGet, "/api/v1/patients/search", Named("search"));
    router.Add(Method::kGet, "/api/v1/patients/{id}/vitals/{vital}", Named("vital"));
    router.Add(Method::kDelete, "/api/v1/patients/{id}/vitals/{vital}", Named("delete_vital"));
    return router;
}

// The handler's JSON answer for a request that must match.
Json Answer(const Router& router, Method method, const std::string& path) {
    const HttpRequest request = Request(method, path);
    RouteMatch match = router.Match(request);
    if (match.handler == nullptr) {
        ADD_FAILURE() << MethodName(method) << " " << path << " matched nothing: " << match.refusal.body;
        return {};
    }
    return Json::parse((*match.handler)(request, match.params).body);
}

TEST(RouterTest, MatchesLiteralsAndCapturesAndReportsThePattern) {
    const Router router = ClinicRouter();
    EXPECT_EQ(Answer(router, Method::kGet, "/")["handler"], "index");
    EXPECT_EQ(Answer(router, Method::kGet, "/api/v1/patients")["handler"], "list");
    EXPECT_EQ(Answer(router, Method::kPost, "/api/v1/patients")["handler"], "create");

    const Json show = Answer(router, Method::kGet, "/api/v1/patients/42");
    EXPECT_EQ(show["handler"], "show");
    EXPECT_EQ(show["params"], Json::parse(R"({"id":"42"})"));
    EXPECT_EQ(Answer(router, Method::kPatch, "/api/v1/patients/42")["handler"], "update");

    const Json vital = Answer(router, Method::kGet, "/api/v1/patients/7/vitals/8");
    EXPECT_EQ(vital["params"], Json::parse(R"({"id":"7","vital":"8"})"));

    EXPECT_EQ(router.Match(Request(Method::kGet, "/api/v1/patients/42")).route, "/api/v1/patients/{id}");
    EXPECT_EQ(router.Match(Request(Method::kGet, "/nowhere")).route, kUnmatchedRoute);
}

TEST(RouterTest, ALiteralSegmentBeatsACapture) {
    const Router router = ClinicRouter();
    EXPECT_EQ(Answer(router, Method::kGet, "/api/v1/patients/search")["handler"], "search");
    // The literal pattern wins for the path, so a method only the capture pattern has is not allowed there.
    RouteMatch match = router.Match(Request(Method::kPatch, "/api/v1/patients/search"));
    EXPECT_EQ(match.handler, nullptr);
    EXPECT_EQ(match.refusal.status, 405);
}

TEST(RouterTest, CapturesArePercentDecodedPerSegment) {
    const Router router = ClinicRouter();
    const Json show = Answer(router, Method::kGet, "/api/v1/patients/a%2Fb%20c");
    EXPECT_EQ(show["params"]["id"], "a/b c");
}

TEST(RouterTest, UnknownPathsAre404WithTheJsonError) {
    const Router router = ClinicRouter();
    for (const std::string path : {"/api", "/api/v1/patients/", "/api/v1//patients", "/api/v1/patients/1/vitals",
                                   "/API/v1/patients", "/api/v1/patients/1/vitals/2/3", "/api/v1/patients/%zz"}) {
        RouteMatch match = router.Match(Request(Method::kGet, path));
        EXPECT_EQ(match.handler, nullptr) << path;
        EXPECT_EQ(match.route, kUnmatchedRoute) << path;
        EXPECT_EQ(match.refusal.status, 404) << path;
        const Json body = Json::parse(match.refusal.body);
        EXPECT_EQ(body["error"]["code"], "not_found") << path;
        EXPECT_EQ(body["error"]["message"], "nothing at " + path) << path;
        EXPECT_FALSE(body["error"].contains("field")) << path;
    }
}

TEST(RouterTest, AKnownPathWithAnotherMethodIs405WithAllow) {
    const Router router = ClinicRouter();
    struct Case {
        Method method;
        std::string path;
        std::string allow;
    };
    const std::vector<Case> cases = {
        {Method::kDelete, "/api/v1/patients", "GET, HEAD, POST"},
        {Method::kPut, "/api/v1/patients/1", "GET, HEAD, PATCH"},
        {Method::kOther, "/", "GET, HEAD"},
        {Method::kPost, "/api/v1/patients/1/vitals/2", "GET, HEAD, DELETE"},
    };
    for (const Case& c : cases) {
        RouteMatch match = router.Match(Request(c.method, c.path));
        EXPECT_EQ(match.handler, nullptr) << c.path;
        EXPECT_EQ(match.refusal.status, 405) << c.path;
        EXPECT_EQ(match.refusal.headers.Find("Allow"), c.allow) << c.path;
        EXPECT_EQ(Json::parse(match.refusal.body)["error"]["code"], "method_not_allowed") << c.path;
        EXPECT_NE(match.route, kUnmatchedRoute) << c.path;
    }
}

TEST(RouterTest, HeadUsesTheGetHandlerUnlessItHasItsOwn) {
    Router router = ClinicRouter();
    EXPECT_EQ(Answer(router, Method::kHead, "/api/v1/patients")["handler"], "list");
    router.Add(Method::kHead, "/api/v1/patients", Named("head"));
    EXPECT_EQ(Answer(router, Method::kHead, "/api/v1/patients")["handler"], "head");
}

TEST(RouterTest, FallbackTakesUnmatchedGetAndHeadOutsideThePathsThePatternsClaim) {
    Router router = ClinicRouter();
    router.Add(Method::kGet, "/healthz", Named("health"));
    router.SetFallback("app", Named("app"));
    for (const std::string path : {"/patients/12", "/board", "/a//b", "/assets/x-1.js", "/%2e%2e/etc"}) {
        for (Method method : {Method::kGet, Method::kHead}) {
            const HttpRequest request = Request(method, path);
            RouteMatch match = router.Match(request);
            ASSERT_NE(match.handler, nullptr) << path;
            EXPECT_EQ(match.route, "app") << path;
            EXPECT_TRUE(match.params.empty());
            EXPECT_EQ(Json::parse((*match.handler)(request, match.params).body)["handler"], "app") << path;
        }
    }
    // Patterns still win, and the paths under a pattern's first literal segment keep the ordinary 404.
    EXPECT_EQ(Answer(router, Method::kGet, "/")["handler"], "index");
    EXPECT_EQ(Answer(router, Method::kGet, "/api/v1/patients/7")["handler"], "show");
    // "/%61pi" is "/api" percent-encoded; "/%zz" does not decode.
    for (const std::string path : {"/api/v1/nothing", "/api", "/healthz/more", "/%61pi/v1/x", "/%zz"}) {
        RouteMatch match = router.Match(Request(Method::kGet, path));
        EXPECT_EQ(match.handler, nullptr) << path;
        EXPECT_EQ(match.refusal.status, 404) << path;
        EXPECT_EQ(match.route, kUnmatchedRoute) << path;
    }
    // Other methods are not the application's: 404 as before.
    RouteMatch post = router.Match(Request(Method::kPost, "/patients/12"));
    EXPECT_EQ(post.handler, nullptr);
    EXPECT_EQ(post.refusal.status, 404);
}

}  // namespace
}  // namespace kclinic::adapters::http
