// libFuzzer target for everything a peer's bytes reach before the store (issue 13 §4): the MLLP decoder, fed in
// chunks whose sizes the input chooses, then each frame's text through the batch splitter, the ORU^R01 parser, the
// code map, the blood-pressure pairing and the ACK builder. Under ASan/UBSan any out-of-bounds read, overflow or
// undefined behaviour is a finding; so is an exception escaping, since bad input must come back as a value.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/batch.hpp"
#include "adapters/hl7/message/code_map.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/frame.hpp"

namespace {

using namespace kclinic::adapters::hl7;

void Answer(std::string_view text) {
    AckOptions options;
    options.control_id = "FUZZ";
    auto parsed = ParseOruR01(text);
    if (!parsed.ok()) {
        const Hl7Error& error = parsed.error();
        options.code = error.ack;
        (void)BuildAck(AckContextOfText(text), options, {&error, 1});
        return;
    }
    const MappedObservations mapped = MapObservations(parsed.value());
    (void)GroupBloodPressures(mapped.readings);
    (void)BuildAck(AckContextOf(parsed.value().header), options, UnmappedWarnings(mapped));
    (void)EncodeOruR01(parsed.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    // The input as a message or batch text on its own...
    if (IsBatch(input)) {
        auto batch = SplitBatch(input);
        if (batch.ok()) {
            for (const std::string_view message : batch.value().messages) {
                Answer(message);
            }
        }
        (void)BatchControlId(input);
    } else {
        Answer(input);
    }
    // ...and as a byte stream, cut into chunks of 1 to 16 bytes by its own first byte, with a small frame limit so
    // that oversized frames are reached too.
    const std::size_t chunk = size == 0 ? 1 : (data[0] % 16) + 1;
    mllp::FrameDecoder decoder(512);
    std::vector<mllp::FrameEvent> events;
    for (std::size_t at = 0; at < size; at += chunk) {
        decoder.Feed(input.substr(at, chunk), events);
    }
    decoder.Finish(events);
    for (const mllp::FrameEvent& event : events) {
        if (event.kind == mllp::FrameEventKind::kMessage) {
            Answer(event.payload);
        } else {
            (void)mllp::FrameError(event, 512);
        }
    }
    return 0;
}
