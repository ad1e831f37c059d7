#pragma once

// Group commit for the bedside-monitor feed (issue 13 §5): many messages in ONE transaction, so that one commit (one
// fsync) makes them all durable. The MLLP listener's group committer (adapters/hl7/feed/ingest_committer.hpp) hands
// it whatever the connections sent meanwhile; the rules for each message are DeviceFeed::Ingest's
// (app/device_feed.hpp), and so are the ACKs the caller derives from the outcomes.

#include <span>
#include <vector>

#include "app/device_feed.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "base/result.hpp"

namespace kclinic::app {

class DeviceFeedBatches {
public:
    // `store` and `clock` must outlive this object. Thread-safe when the store is.
    DeviceFeedBatches(Store& store, const Clock& clock) : store_(store), feed_(store, clock) {}

    // DeviceFeed::Ingest for many messages in ONE transaction, in their order: one outcome per message, in the same
    // order, each what Ingest would have answered had the messages come one after another (a message sent twice in
    // `messages` is stored once, the second copy answered `duplicate`; an IngestRejected one has its device's error
    // counted in the same transaction and costs the others nothing). When that transaction fails (a message the
    // store cannot take, a failed commit), nothing of it persists and each message is tried again with
    // DeviceFeed::Ingest in a transaction of its own, so an error reaches only the messages the store cannot take
    // alone. Empty `messages`: nothing happens.
    std::vector<Result<IngestOutcome>> IngestBatch(std::span<const DeviceMessage> messages, TimePoint now);

private:
    Store& store_;
    DeviceFeed feed_;  // for each message alone, when the batch's transaction failed
};

}  // namespace kclinic::app
