#pragma once

// Database timings for /metrics: a Store that times every transaction of the store it wraps, from the call to the
// final outcome (so the wait for a pooled connection or a group commit is included, as the caller feels it), into
// kclinic_db_transaction_duration_seconds{kind="read|write",outcome="ok|error"}.

#include <string_view>

#include "adapters/http/metrics.hpp"
#include "app/ports/store.hpp"

namespace kclinic::adapters::api {

class TimedStore final : public app::Store {
public:
    // `store` and `metrics` must outlive this object.
    TimedStore(app::Store& store, http::MetricsRegistry& metrics);

    [[nodiscard]] Status Write(const app::TransactionWork& work) override;
    [[nodiscard]] Status Read(const app::TransactionWork& work) override;
    [[nodiscard]] std::string_view Backend() const override { return store_.Backend(); }

private:
    app::Store& store_;
    http::HistogramFamily& durations_;
};

}  // namespace kclinic::adapters::api
