#pragma once

// A small metrics registry and its Prometheus text exposition (format 0.0.4,
// https://prometheus.io/docs/instrumenting/exposition_formats/), served at /metrics. The HTTP server registers its
// own families here; other adapters add theirs (database timings, alerts raised, WebSocket subscribers) to the same
// registry, which the composition root owns.
//
// A family is one metric name with fixed label names; each distinct tuple of label values is one child, created on
// first use and kept for the registry's lifetime, so a reference to it may be cached. Updating a child is a relaxed
// atomic operation (no lock); finding a child takes a shared lock, creating one an exclusive lock. Label values must
// come from bounded sets (route patterns, never raw paths), since every child lives forever.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kclinic::adapters::http {

// A count that only goes up (requests served, alerts raised).
class Counter {
public:
    static constexpr std::string_view kType = "counter";

    void Increment(std::uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }
    void RenderSamples(std::string& out, std::string_view name, std::string_view labels) const;

private:
    std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down (open connections, subscribers).
class Gauge {
public:
    static constexpr std::string_view kType = "gauge";

    void Set(double value) { value_.store(value, std::memory_order_relaxed); }
    void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
    [[nodiscard]] double Value() const { return value_.load(std::memory_order_relaxed); }
    void RenderSamples(std::string& out, std::string_view name, std::string_view labels) const;

private:
    std::atomic<double> value_{0.0};
};

// Observations counted into buckets with fixed upper bounds (inclusive, as Prometheus's `le`), plus their sum.
class Histogram {
public:
    static constexpr std::string_view kType = "histogram";

    // `bounds` (strictly increasing, finite) must outlive the histogram: its family owns them.
    explicit Histogram(std::span<const double> bounds);

    void Observe(double value);
    // Observations so far with a value <= bounds[i]; i == bounds.size() counts every observation (+Inf).
    [[nodiscard]] std::uint64_t CumulativeCount(std::size_t i) const;
    [[nodiscard]] double Sum() const { return sum_.load(std::memory_order_relaxed); }
    // Renders name_bucket for every bound and +Inf, then name_sum and name_count. The count is the +Inf bucket
    // read in the same pass, so the two always agree even while other threads observe.
    void RenderSamples(std::string& out, std::string_view name, std::string_view labels) const;

private:
    std::span<const double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
    std::atomic<double> sum_{0.0};
};

class MetricFamily {
public:
    // `bucket_bounds` only for a histogram family.
    MetricFamily(std::string name, std::string help, std::vector<std::string> label_names,
                 std::vector<double> bucket_bounds = {});
    virtual ~MetricFamily();
    MetricFamily(const MetricFamily&) = delete;
    MetricFamily& operator=(const MetricFamily&) = delete;

    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] const std::vector<std::string>& label_names() const { return label_names_; }
    [[nodiscard]] const std::vector<double>& bucket_bounds() const { return bucket_bounds_; }
    [[nodiscard]] virtual std::string_view type() const = 0;
    // Appends "# HELP", "# TYPE" and one block of samples per child, children in label-value order.
    virtual void Render(std::string& out) const = 0;

protected:
    // HELP and TYPE lines.
    void RenderHeader(std::string& out) const;
    // `a="x",b="y"` for these values under this family's label names, values escaped.
    [[nodiscard]] std::string RenderLabels(const std::vector<std::string>& values) const;

private:
    std::string name_;
    std::string help_;
    std::vector<std::string> label_names_;
    std::vector<double> bucket_bounds_;
};

// Orders label-value tuples so that a lookup by string_views needs no allocation.
struct LabelValuesLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
            return std::string_view(x) < std::string_view(y);
        });
    }
};

template <typename Metric>
class Family final : public MetricFamily {
public:
    using MetricFamily::MetricFamily;

    // The child for these label values, one per label name in order. Thread-safe; the reference stays valid for
    // the registry's lifetime. REQUIRES: values.size() == label_names().size().
    Metric& Labels(std::initializer_list<std::string_view> values);

    [[nodiscard]] std::string_view type() const override { return Metric::kType; }
    void Render(std::string& out) const override;

private:
    [[nodiscard]] std::unique_ptr<Metric> NewChild() const;

    mutable std::shared_mutex mutex_;
    std::map<std::vector<std::string>, std::unique_ptr<Metric>, LabelValuesLess> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class MetricsRegistry {
public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    // Registers a family, or returns the one already registered under `name` when it has the same type, label
    // names (and bounds). REQUIRES: `name` and each label name are valid Prometheus names
    // ([a-zA-Z_:][a-zA-Z0-9_:]*, labels without ':' and not starting with "__"; "le" is reserved for histograms);
    // no family of another type or labels has this name. Thread-safe.
    CounterFamily& AddCounter(std::string name, std::string help, std::vector<std::string> label_names = {});
    GaugeFamily& AddGauge(std::string name, std::string help, std::vector<std::string> label_names = {});
    // REQUIRES: `bucket_bounds` non-empty, finite, strictly increasing.
    HistogramFamily& AddHistogram(std::string name, std::string help, std::vector<double> bucket_bounds,
                                  std::vector<std::string> label_names = {});

    // Every family in registration order, in the text exposition format. Thread-safe.
    [[nodiscard]] std::string Render() const;

private:
    template <typename FamilyType>
    FamilyType& Register(std::unique_ptr<FamilyType> family);

    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<MetricFamily>> families_;
};

// The Content-Type of the exposition.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// Label-value escaping of the exposition format: backslash, double quote and line feed become \\, \" and \n.
[[nodiscard]] std::string EscapeLabelValue(std::string_view value);

// A sample value: the shortest decimal that reads back to the same double, in %g style ("0.0005", "100", "1e-05",
// "1e+06"), or "+Inf", "-Inf", "NaN".
[[nodiscard]] std::string FormatSampleValue(double value);

}  // namespace kclinic::adapters::http
