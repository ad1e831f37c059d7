#include "adapters/api/store_metrics.hpp"

#include <gtest/gtest.h>

namespace kclinic::adapters::api {
namespace {

// A store whose transactions succeed or fail as told, without a database: what is tested is the timing wrapper.
class ScriptedStore final : public app::Store {
public:
    Status next = Status::Ok();
    Status Write(const app::TransactionWork&) override { return next; }
    Status Read(const app::TransactionWork&) override { return next; }
    [[nodiscard]] std::string_view Backend() const override { return "scripted"; }
};

TEST(TimedStore, CountsEachTransactionByKindAndOutcome) {
    ScriptedStore store;
    http::MetricsRegistry metrics;
    TimedStore timed(store, metrics);
    const app::TransactionWork nothing = [](app::StoreTransaction&) { return Status::Ok(); };
    EXPECT_TRUE(timed.Write(nothing).ok());
    EXPECT_TRUE(timed.Read(nothing).ok());
    EXPECT_TRUE(timed.Read(nothing).ok());
    store.next = Error{ErrorCode::kConflict, "version", "stale"};
    EXPECT_EQ(timed.Write(nothing).error().code, ErrorCode::kConflict);  // the outcome passes through unchanged
    EXPECT_EQ(timed.Backend(), "scripted");

    const std::string text = metrics.Render();
    EXPECT_NE(text.find("kclinic_db_transaction_duration_seconds_count{kind=\"write\",outcome=\"ok\"} 1"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("kclinic_db_transaction_duration_seconds_count{kind=\"read\",outcome=\"ok\"} 2"),
              std::string::npos);
    EXPECT_NE(text.find("kclinic_db_transaction_duration_seconds_count{kind=\"write\",outcome=\"error\"} 1"),
              std::string::npos);
}

}  // namespace
}  // namespace kclinic::adapters::api
