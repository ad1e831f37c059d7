#include "adapters/http/metrics.hpp"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>

namespace kclinic::adapters::http {
namespace {

bool IsNameChar(char c, bool first, bool colon_allowed) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return letter || (!first && c >= '0' && c <= '9') || (colon_allowed && c == ':');
}

bool IsValidName(std::string_view name, bool colon_allowed) {
    if (name.empty()) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!IsNameChar(name[i], i == 0, colon_allowed)) {
            return false;
        }
    }
    return true;
}

// HELP text escapes backslash and line feed only (the format's rule; quotes stay as they are there).
std::string EscapeHelp(std::string_view help) {
    std::string escaped;
    for (char c : help) {
        if (c == '\\') {
            escaped += "\\\\";
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

void AppendSample(std::string& out, std::string_view name, std::string_view labels, std::string_view value) {
    out += name;
    if (!labels.empty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += value;
    out += '\n';
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
    std::string escaped;
    escaped.reserve(value.size());
    for (char c : value) {
        if (c == '\\') {
            escaped += "\\\\";
        } else if (c == '"') {
            escaped += "\\\"";
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

std::string FormatSampleValue(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    std::array<char, 32> buffer{};
    // %g-style on the shortest round-trip digits: "0.0005" and "100", but "1e-05" and "1e+06" (what the Go client
    // writes, so `le` labels read the same as other exporters').
    const auto [end, error] =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::general);
    assert(error == std::errc() && "32 characters hold any double");
    return {buffer.data(), end};
}

// ----- metrics -------------------------------------------------------------------------------------------------

void Counter::RenderSamples(std::string& out, std::string_view name, std::string_view labels) const {
    AppendSample(out, name, labels, std::to_string(Value()));
}

void Gauge::RenderSamples(std::string& out, std::string_view name, std::string_view labels) const {
    AppendSample(out, name, labels, FormatSampleValue(Value()));
}

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::Observe(double value) {
    const auto bucket = static_cast<std::size_t>(std::ranges::lower_bound(bounds_, value) - bounds_.begin());
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

std::uint64_t Histogram::CumulativeCount(std::size_t i) const {
    std::uint64_t count = 0;
    for (std::size_t bucket = 0; bucket <= i && bucket <= bounds_.size(); ++bucket) {
        count += buckets_[bucket].load(std::memory_order_relaxed);
    }
    return count;
}

void Histogram::RenderSamples(std::string& out, std::string_view name, std::string_view labels) const {
    const std::string bucket_name = std::string(name) + "_bucket";
    const std::string separator = labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        std::string bucket_labels(labels);
        bucket_labels += separator;
        bucket_labels += "le=\"";
        bucket_labels += i < bounds_.size() ? FormatSampleValue(bounds_[i]) : "+Inf";
        bucket_labels += '"';
        AppendSample(out, bucket_name, bucket_labels, std::to_string(cumulative));
    }
    AppendSample(out, std::string(name) + "_sum", labels, FormatSampleValue(Sum()));
    AppendSample(out, std::string(name) + "_count", labels, std::to_string(cumulative));
}

// ----- families ------------------------------------------------------------------------------------------------

MetricFamily::MetricFamily(std::string name, std::string help, std::vector<std::string> label_names,
                           std::vector<double> bucket_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bucket_bounds_(std::move(bucket_bounds)) {
    assert(IsValidName(name_, true) && "a metric name matches [a-zA-Z_:][a-zA-Z0-9_:]*");
    for (const std::string& label : label_names_) {
        assert(IsValidName(label, false) && !label.starts_with("__") && "a label name matches [a-zA-Z_][a-zA-Z0-9_]*");
        (void)label;
    }
}

MetricFamily::~MetricFamily() = default;

void MetricFamily::RenderHeader(std::string& out) const {
    out += "# HELP " + name_ + " " + EscapeHelp(help_) + "\n";
    out += "# TYPE " + name_ + " " + std::string(type()) + "\n";
}

std::string MetricFamily::RenderLabels(const std::vector<std::string>& values) const {
    std::string labels;
    for (std::size_t i = 0; i < values.size(); ++i) {
        labels += (i == 0 ? "" : ",") + label_names_[i] + "=\"" + EscapeLabelValue(values[i]) + "\"";
    }
    return labels;
}

template <typename Metric>
std::unique_ptr<Metric> Family<Metric>::NewChild() const {
    return std::make_unique<Metric>();
}

template <>
std::unique_ptr<Histogram> Family<Histogram>::NewChild() const {
    return std::make_unique<Histogram>(bucket_bounds());
}

template <typename Metric>
Metric& Family<Metric>::Labels(std::initializer_list<std::string_view> values) {
    assert(values.size() == label_names().size() && "one value per label name");
    const std::span<const std::string_view> key(values.begin(), values.size());
    {
        std::shared_lock lock(mutex_);
        if (auto found = children_.find(key); found != children_.end()) {
            return *found->second;
        }
    }
    std::unique_lock lock(mutex_);
    auto [child, inserted] = children_.try_emplace(std::vector<std::string>(values.begin(), values.end()));
    if (inserted) {
        child->second = NewChild();
    }
    return *child->second;
}

template <typename Metric>
void Family<Metric>::Render(std::string& out) const {
    RenderHeader(out);
    std::shared_lock lock(mutex_);
    for (const auto& [values, metric] : children_) {
        metric->RenderSamples(out, name(), RenderLabels(values));
    }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ----- registry ------------------------------------------------------------------------------------------------

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

template <typename FamilyType>
FamilyType& MetricsRegistry::Register(std::unique_ptr<FamilyType> family) {
    std::lock_guard lock(mutex_);
    for (const auto& existing : families_) {
        if (existing->name() == family->name()) {
            auto* same = dynamic_cast<FamilyType*>(existing.get());
            assert(same != nullptr && same->label_names() == family->label_names() &&
                   same->bucket_bounds() == family->bucket_bounds() &&
                   "a metric name is registered once, with one type and one set of labels");
            return *same;
        }
    }
    families_.push_back(std::move(family));
    return static_cast<FamilyType&>(*families_.back());
}

CounterFamily& MetricsRegistry::AddCounter(std::string name, std::string help, std::vector<std::string> label_names) {
    return Register(std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(label_names)));
}

GaugeFamily& MetricsRegistry::AddGauge(std::string name, std::string help, std::vector<std::string> label_names) {
    return Register(std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(label_names)));
}

HistogramFamily& MetricsRegistry::AddHistogram(std::string name, std::string help, std::vector<double> bucket_bounds,
                                               std::vector<std::string> label_names) {
    assert(!bucket_bounds.empty() &&
           std::ranges::adjacent_find(bucket_bounds, std::greater_equal<>()) == bucket_bounds.end() &&
           std::ranges::all_of(bucket_bounds, [](double b) { return std::isfinite(b); }) &&
           "histogram bounds are finite and strictly increasing");
    assert(std::ranges::find(label_names, "le") == label_names.end() && "le is the histogram's own label");
    return Register(std::make_unique<HistogramFamily>(std::move(name), std::move(help), std::move(label_names),
                                                      std::move(bucket_bounds)));
}

std::string MetricsRegistry::Render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& family : families_) {
        family->Render(out);
    }
    return out;
}

}  // namespace kclinic::adapters::http
