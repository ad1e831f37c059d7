#include "adapters/api/store_metrics.hpp"

#include <chrono>

namespace kclinic::adapters::api {
namespace {

template <typename Run>
Status Timed(http::HistogramFamily& durations, std::string_view kind, Run run) {
    const auto start = std::chrono::steady_clock::now();
    Status status = run();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    durations.Labels({kind, status.ok() ? "ok" : "error"}).Observe(took.count());
    return status;
}

}  // namespace

TimedStore::TimedStore(app::Store& store, http::MetricsRegistry& metrics)
    : store_(store),
      durations_(metrics.AddHistogram(
          "kclinic_db_transaction_duration_seconds",
          "Database transactions from the call to their final outcome (commit or rollback), by kind and outcome",
          {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5},
          {"kind", "outcome"})) {}

Status TimedStore::Write(const app::TransactionWork& work) {
    return Timed(durations_, "write", [&] { return store_.Write(work); });
}

Status TimedStore::Read(const app::TransactionWork& work) {
    return Timed(durations_, "read", [&] { return store_.Read(work); });
}

}  // namespace kclinic::adapters::api
