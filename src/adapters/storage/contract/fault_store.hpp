#pragma once

// A Store for tests that fails where it is told, as a database does in an outage: the Nth operation a use case asks
// of its transactions, or the commit of its write. It forwards everything else to a real Store (OpenTestStore's),
// so what a failed use case left behind can be read back from the real database. LevelDB tests its engine the
// same way, through a fault-injecting Env over the real one.

#include <optional>
#include <string_view>

#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::storage::contract {

// What a fault returns: `code` (kUnavailable or kInternal, as the adapters report a lost or failing database), field
// "", and a message naming the fault, so a test can tell the injected error from one the use case made up.
[[nodiscard]] Error InjectedError(ErrorCode code, std::string_view where);

// Not thread-safe: one test thread drives it and the use cases it serves.
class FaultStore final : public app::Store {
public:
    // `real` must outlive this object.
    explicit FaultStore(app::Store& real) : real_(real) {}

    // The `call`th transaction operation from now (1: the next one, in a Write or a Read) returns
    // InjectedError(code, "call N") instead of reaching the database; the operations before it go through.
    void FailCall(int call, ErrorCode code);
    // The next Write whose work succeeds returns InjectedError(code, "commit") and nothing the work wrote persists:
    // the work ran to the end, the commit did not.
    void FailCommit(ErrorCode code);
    // Injects nothing from now on; counting starts again.
    void Disarm();

    // Whether the fault armed last has been injected.
    [[nodiscard]] bool fired() const { return fired_; }
    // The transaction operations counted since the last FailCall, FailCommit or Disarm.
    [[nodiscard]] int calls() const { return calls_; }

    [[nodiscard]] Status Write(const app::TransactionWork& work) override;
    [[nodiscard]] Status Read(const app::TransactionWork& work) override;
    [[nodiscard]] std::string_view Backend() const override { return real_.Backend(); }

    // The error for the operation about to run, counting it; nullopt lets it through. For FaultTransaction.
    [[nodiscard]] std::optional<Error> NextCall();

private:
    app::Store& real_;
    int failing_call_ = 0;  // 0: no operation fails
    bool failing_commit_ = false;
    ErrorCode code_ = ErrorCode::kUnavailable;
    int calls_ = 0;
    bool fired_ = false;
};

}  // namespace kclinic::adapters::storage::contract
