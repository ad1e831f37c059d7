#include "adapters/http/operational_routes.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using adapters::json::Json;

HttpResponse Get(const Router& router, const std::string& path) {
    HttpRequest request;
    request.path = path;
    request.target = path;
    RouteMatch match = router.Match(request);
    if (match.handler == nullptr) {
        ADD_FAILURE() << path << " is not routed";
        return match.refusal;
    }
    return (*match.handler)(request, match.params);
}

TEST(OperationalRoutesTest, RefuseAnyQueryParameterNamingIt) {
    MetricsRegistry metrics;
    Router router;
    AddOperationalRoutes(router, metrics, ServiceInfo{"0.1.0", "sqlite"}, [] { return Status::Ok(); });
    for (const std::string path : {"/healthz", "/metrics"}) {
        HttpRequest request;
        request.path = path;
        request.target = path + "?verbose=1";
        request.query = {{"verbose", "1"}};
        RouteMatch match = router.Match(request);
        ASSERT_NE(match.handler, nullptr) << path;
        const HttpResponse response = (*match.handler)(request, match.params);
        EXPECT_EQ(response.status, 400) << path;
        EXPECT_EQ(Json::parse(response.body)["error"]["field"], "verbose") << path;
    }
}

TEST(OperationalRoutesTest, HealthzIsOkWhenTheProbeIs) {
    MetricsRegistry metrics;
    Router router;
    AddOperationalRoutes(router, metrics, ServiceInfo{"0.1.0", "sqlite"}, [] { return Status::Ok(); });
    HttpResponse response = Get(router, "/healthz");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(response.headers.Find("Cache-Control"), "no-store");
    EXPECT_EQ(Json::parse(response.body), Json::parse(R"({"status":"ok","database":"ok"})"));
}

TEST(OperationalRoutesTest, HealthzIs503WithTheReasonWhenTheProbeFailsOrThrows) {
    MetricsRegistry metrics;
    Router failing;
    AddOperationalRoutes(failing, metrics, ServiceInfo{"0.1.0", "postgres"}, [] {
        return Status(Error{ErrorCode::kUnavailable, "", "cannot reach the PostgreSQL server"});
    });
    HttpResponse response = Get(failing, "/healthz");
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(Json::parse(response.body), Json::parse(R"({"status":"unavailable","database":"unavailable",
                              "reason":"cannot reach the PostgreSQL server"})"));

    Router throwing;
    AddOperationalRoutes(throwing, metrics, ServiceInfo{"0.1.0", "sqlite"},
                         []() -> Status { throw std::runtime_error("disk I/O error"); });
    HttpResponse thrown = Get(throwing, "/healthz");
    EXPECT_EQ(thrown.status, 503);
    EXPECT_EQ(Json::parse(thrown.body)["reason"], "disk I/O error");
}

TEST(OperationalRoutesTest, MetricsRendersTheRegistryAtEachRequest) {
    MetricsRegistry metrics;
    Router router;
    AddOperationalRoutes(router, metrics, ServiceInfo{"0.1.0", "sqlite"}, [] { return Status::Ok(); });
    Counter& hits = metrics.AddCounter("hits_total", "Hits").Labels({});
    hits.Increment();
    HttpResponse first = Get(router, "/metrics");
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(first.body.find("hits_total 1\n"), std::string::npos) << first.body;
    hits.Increment();
    EXPECT_NE(Get(router, "/metrics").body.find("hits_total 2\n"), std::string::npos);
}

TEST(OperationalRoutesTest, MetricsSayWhatRunsAndNoPageAtTheRoot) {
    MetricsRegistry metrics;
    Router router;
    AddOperationalRoutes(router, metrics, ServiceInfo{"0.1.0", "sqlite"}, [] { return Status::Ok(); });
    EXPECT_NE(Get(router, "/metrics").body.find("kclinic_build_info{version=\"0.1.0\",backend=\"sqlite\"} 1\n"),
              std::string::npos);
    // `/` belongs to the web front end now (web_front_end_test.cpp).
    HttpRequest root;
    root.path = "/";
    root.target = "/";
    EXPECT_EQ(router.Match(root).handler, nullptr);
}

}  // namespace
}  // namespace kclinic::adapters::http
