#include "adapters/http/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace kclinic::adapters::http {
namespace {

TEST(MetricsTest, RendersCountersByLabelInTheExpositionFormat) {
    MetricsRegistry registry;
    CounterFamily& requests =
        registry.AddCounter("kclinic_http_requests_total", "HTTP requests answered", {"route", "method", "status"});
    requests.Labels({"/api/v1/patients/{id}", "GET", "200"}).Increment();
    requests.Labels({"/api/v1/patients/{id}", "GET", "200"}).Increment(2);
    requests.Labels({"/", "GET", "200"}).Increment();

    EXPECT_EQ(registry.Render(),
              "# HELP kclinic_http_requests_total HTTP requests answered\n"
              "# TYPE kclinic_http_requests_total counter\n"
              "kclinic_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"} 1\n"
              "kclinic_http_requests_total{route=\"/api/v1/patients/{id}\",method=\"GET\",status=\"200\"} 3\n");
}

TEST(MetricsTest, UnlabelledGaugeAndEmptyFamily) {
    MetricsRegistry registry;
    Gauge& open = registry.AddGauge("kclinic_http_open_connections", "Connections open now").Labels({});
    open.Add(3);
    open.Add(-1);
    registry.AddCounter("kclinic_alerts_raised_total", "Alerts raised", {"rule"});
    EXPECT_EQ(registry.Render(),
              "# HELP kclinic_http_open_connections Connections open now\n"
              "# TYPE kclinic_http_open_connections gauge\n"
              "kclinic_http_open_connections 2\n"
              "# HELP kclinic_alerts_raised_total Alerts raised\n"
              "# TYPE kclinic_alerts_raised_total counter\n");
    open.Set(0.25);
    EXPECT_NE(registry.Render().find("kclinic_http_open_connections 0.25\n"), std::string::npos);
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
    EXPECT_EQ(EscapeLabelValue(R"(a\b"c)"
                               "\nd"),
              R"(a\\b\"c\nd)");
    MetricsRegistry registry;
    registry.AddCounter("odd_total", "Help with a \\ backslash,\na line feed and \"quotes\"", {"value"})
        .Labels({"say \"hi\"\\\n"})
        .Increment();
    EXPECT_EQ(registry.Render(),
              "# HELP odd_total Help with a \\\\ backslash,\\na line feed and \"quotes\"\n"
              "# TYPE odd_total counter\n"
              "odd_total{value=\"say \\\"hi\\\"\\\\\\n\"} 1\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
    MetricsRegistry registry;
    HistogramFamily& durations =
        registry.AddHistogram("request_seconds", "Request duration", {0.25, 0.5, 1}, {"route"});
    Histogram& index = durations.Labels({"/"});
    // Binary fractions, so the sum is exact; 0.25 and 0.5 fall in their own bucket (le is inclusive).
    for (double seconds : {0.125, 0.25, 0.375, 0.5, 0.75, 2.0}) {
        index.Observe(seconds);
    }
    EXPECT_EQ(index.CumulativeCount(0), 2U);
    EXPECT_EQ(index.CumulativeCount(1), 4U);
    EXPECT_EQ(index.CumulativeCount(3), 6U);
    EXPECT_EQ(registry.Render(),
              "# HELP request_seconds Request duration\n"
              "# TYPE request_seconds histogram\n"
              "request_seconds_bucket{route=\"/\",le=\"0.25\"} 2\n"
              "request_seconds_bucket{route=\"/\",le=\"0.5\"} 4\n"
              "request_seconds_bucket{route=\"/\",le=\"1\"} 5\n"
              "request_seconds_bucket{route=\"/\",le=\"+Inf\"} 6\n"
              "request_seconds_sum{route=\"/\"} 4\n"
              "request_seconds_count{route=\"/\"} 6\n");
}

TEST(MetricsTest, UnlabelledHistogramHasOnlyLe) {
    MetricsRegistry registry;
    registry.AddHistogram("db_seconds", "Query time", {0.5}).Labels({}).Observe(0.25);
    EXPECT_EQ(registry.Render(),
              "# HELP db_seconds Query time\n"
              "# TYPE db_seconds histogram\n"
              "db_seconds_bucket{le=\"0.5\"} 1\n"
              "db_seconds_bucket{le=\"+Inf\"} 1\n"
              "db_seconds_sum 0.25\n"
              "db_seconds_count 1\n");
}

TEST(MetricsTest, RegisteringTheSameFamilyAgainReturnsIt) {
    MetricsRegistry registry;
    CounterFamily& first = registry.AddCounter("x_total", "X", {"a"});
    CounterFamily& second = registry.AddCounter("x_total", "X", {"a"});
    EXPECT_EQ(&first, &second);
    EXPECT_EQ(&first.Labels({"1"}), &second.Labels({"1"}));
}

TEST(MetricsTest, FormatsSampleValues) {
    EXPECT_EQ(FormatSampleValue(0), "0");
    EXPECT_EQ(FormatSampleValue(2.5), "2.5");
    EXPECT_EQ(FormatSampleValue(0.0005), "0.0005");
    EXPECT_EQ(FormatSampleValue(100), "100");
    EXPECT_EQ(FormatSampleValue(1e-5), "1e-05");
    EXPECT_EQ(FormatSampleValue(1e21), "1e+21");
    EXPECT_EQ(FormatSampleValue(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(FormatSampleValue(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
}

// Many threads updating the same children lose no update (relaxed atomics are still atomic).
TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
    MetricsRegistry registry;
    CounterFamily& counter = registry.AddCounter("hits_total", "Hits", {"route"});
    HistogramFamily& histogram = registry.AddHistogram("hit_seconds", "Hit time", {1}, {"route"});
    constexpr int kThreads = 4;
    constexpr int kPerThread = 10000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                counter.Labels({i % 2 == 0 ? "/a" : "/b"}).Increment();
                histogram.Labels({t % 2 == 0 ? "/a" : "/b"}).Observe(0.5);
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(counter.Labels({"/a"}).Value() + counter.Labels({"/b"}).Value(), std::uint64_t{kThreads * kPerThread});
    EXPECT_EQ(histogram.Labels({"/a"}).CumulativeCount(1) + histogram.Labels({"/b"}).CumulativeCount(1),
              std::uint64_t{kThreads * kPerThread});
    EXPECT_DOUBLE_EQ(histogram.Labels({"/a"}).Sum() + histogram.Labels({"/b"}).Sum(), kThreads * kPerThread * 0.5);
}

}  // namespace
}  // namespace kclinic::adapters::http
