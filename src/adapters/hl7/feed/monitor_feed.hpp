#pragma once

// The bedside-monitor feed from frame to ACK (issue 13; docs/hl7.md): what the MLLP listener does with each frame.
// A message is parsed as ORU^R01 (message/oru_r01.hpp), its codes mapped to LOINC and UCUM and its blood-pressure
// components paired (message/code_map.hpp), handed to the record through the group committer (ingest_committer.hpp,
// app::DeviceFeedBatches::IngestBatch), and answered:
// - AA once Ingest accepted it, durably (a resend of a stored message too); a code the map does not know is kept raw
//   and named in a warning ERR segment of the AA;
// - AE, with an ERR segment saying what was wrong, when Ingest refused it (no MSH-10, no device identity, ...);
// - AR when the frame or the message could not be read, or is not an ORU^R01 this receiver takes;
// - for a batch (FHS/BHS ... BTS/FTS), a batch of the ACKs of its messages, each answered as above;
// - nothing, and the connection closed, when the record could not be written (the database is down): the sender,
//   which has no ACK, resends on its next connection, and the device + MSH-10 key makes the resend harmless.
// After an AA the new vital signs and their alerts are published to the live channel, before the ACK is written.
//
// Threads (issue 13 §5: no thread waits per message). A frame is parsed and mapped on its connection's strand and
// handed to the committer without waiting; the committer's thread builds the ACKs of the batch it committed and hands
// each to its connection. The cases that write to the record outside the group commit (an AR counted on its sender,
// a batch frame) run on the listener's workers (FrameResponder::Offload).

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/hl7/feed/ingest_committer.hpp"
#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/code_map.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/frame.hpp"
#include "adapters/hl7/mllp/listener.hpp"
#include "app/device_feed.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/event_bus.hpp"
#include "clinical/clinic_zone.hpp"

namespace kclinic::adapters::hl7 {

// The record's view of a parsed message: the device's identity (MSH-3, MSH-4, the first OBX-18, PV1-3), MSH-10, and
// each observation, the blood pressures as one reading each (GroupBloodPressures), the unmapped kept raw.
[[nodiscard]] app::DeviceMessage ToDeviceMessage(const OruR01& message, const MappedObservations& mapped,
                                                 clinical::TimePoint received_at);

struct MonitorFeedOptions {
    std::size_t max_message_bytes = mllp::kDefaultMaxMessageBytes;  // the listener's, for the AR of a frame over it
    // The zone a monitor's time without an offset is read in: the clinic's (monitors show local wall time).
    clinical::ClinicZone local_zone = clinical::ClinicZone::Utc();
};

class MonitorFeed {
public:
    // `feed`, `committer`, `clock` and `events` must outlive this object. `committer` stores what `feed` is asked
    // to (its own feed); `feed` counts the errors of messages answered AR.
    MonitorFeed(app::DeviceFeed& feed, IngestCommitter& committer, const app::Clock& clock, app::EventBus& events,
                MonitorFeedOptions options);

    // The listener's handler. Thread-safe (as DeviceFeed is): called for many connections at once; never blocks. The
    // reply goes to `responder` once the frame's messages are committed with whatever the other connections sent
    // meanwhile.
    void Answer(const mllp::FrameEvent& event, const mllp::Peer& peer, const mllp::FrameResponder& responder);

private:
    // One message (alone in its frame or from a batch) parsed and mapped: why it could not be read, else what the
    // record stores and what its ACK echoes.
    struct Prepared {
        std::optional<Hl7Error> unreadable;
        AckContext context;
        std::vector<Hl7Error> warnings;  // the unmapped codes, for the AA
        app::DeviceMessage message;
    };
    Prepared Prepare(std::string_view text, clinical::TimePoint now) const;
    // A batch frame (FHS/BHS ... BTS/FTS): blocks until its messages are committed. On a worker.
    mllp::FrameReply AnswerBatch(std::string_view text, clinical::TimePoint now);
    // The ACK of a prepared message from the record's outcome; no ACK and a closed connection for an error.
    mllp::FrameReply Acknowledge(const Prepared& prepared, const Result<app::IngestOutcome>& outcome,
                                 clinical::TimePoint now);
    // An AR for `text` (whatever of its MSH could be read is echoed) naming `error`; the sender named by its MSH, if
    // any, gets the error counted (a write of its own: blocks).
    mllp::FrameReply Reject(std::string_view text, const Hl7Error& error, clinical::TimePoint now);
    // An ACK's options: `code`, a new control id, `now`, kclinic as the sender when the message named no receiver.
    AckOptions AckOptionsFor(AckCode code, clinical::TimePoint now);
    // The ACK's own MSH-10: unique per process run ("K", the start time in ms, a sequence number).
    std::string NextControlId();

    app::DeviceFeed& feed_;
    IngestCommitter& committer_;
    const app::Clock& clock_;
    app::EventBus& events_;
    MonitorFeedOptions options_;
    std::string control_id_prefix_;
    std::atomic<std::uint64_t> next_control_number_{1};
};

}  // namespace kclinic::adapters::hl7
