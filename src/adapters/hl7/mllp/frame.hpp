#pragma once

// MLLP, the Minimal Lower Layer Protocol that carries HL7 v2 over TCP (HL7 v2.5.1 Implementation Guide, Appendix C
// "Transport"; interop-reference §3.4): each message is framed as 0x0B (VT) + message + 0x1C (FS) + 0x0D (CR).
// Pure: the decoder is fed whatever bytes a socket delivered, in chunks of any size, and says what they held; it
// never reads, writes or waits. One decoder per connection; not thread-safe (one connection is served by one strand
// at a time).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hl7/message/hl7_error.hpp"

namespace kclinic::adapters::hl7::mllp {

inline constexpr char kStartBlock = 0x0B;
inline constexpr char kEndBlock = 0x1C;
inline constexpr char kCarriageReturn = 0x0D;
inline constexpr std::size_t kDefaultMaxMessageBytes = std::size_t{1} << 20;  // 1 MiB

enum class FrameEventKind {
    kMessage,     // a complete frame: `payload` is the message
    kGarbage,     // bytes outside any frame (other than CR/LF between frames), ended by a frame start or Finish
    kTruncated,   // a frame cut short by a new 0x0B or by Finish: `payload` is what arrived (for an AR's MSH-10)
    kTooLarge,    // a frame longer than the limit, discarded to its end (or a new 0x0B): `payload` is its first bytes
    kBadTrailer,  // 0x1C not followed by 0x0D: the frame is dropped, `payload` is its message
};

struct FrameEvent {
    FrameEventKind kind = FrameEventKind::kMessage;
    std::string payload;
    std::size_t byte_count = 0;  // the bytes the event covers: the message, the garbage run, the discarded frame
};

class FrameDecoder {
public:
    // How many of an oversized frame's first bytes a kTooLarge event keeps: enough for its MSH segment.
    static constexpr std::size_t kKeptPrefixBytes = 1024;

    explicit FrameDecoder(std::size_t max_message_bytes = kDefaultMaxMessageBytes)
        : max_message_bytes_(max_message_bytes) {}

    // Consumes `bytes` and appends to `events` what they completed, in order. The events do not depend on how the
    // input was cut into chunks. A kGarbage run longer than the message limit is reported when it reaches it (and
    // counted afresh after), so a peer that never sends 0x0B cannot make the decoder hold a report back forever.
    void Feed(std::string_view bytes, std::vector<FrameEvent>& events);

    // The connection ended: reports a frame in progress as kTruncated and pending garbage as kGarbage.
    void Finish(std::vector<FrameEvent>& events);

    // True while a frame has started and not ended (for the listener's idle timeout: a peer mid-frame).
    [[nodiscard]] bool InFrame() const { return state_ != State::kIdle; }

private:
    enum class State { kIdle, kInFrame, kAfterEndBlock, kDiscarding, kDiscardingAfterEndBlock };

    void FlushGarbage(std::vector<FrameEvent>& events);
    // Appends an event of `kind` carrying the frame so far, and forgets the frame.
    void Emit(std::vector<FrameEvent>& events, FrameEventKind kind);
    void StartFrame();
    // Appends to an oversized frame's kept first bytes what still fits of `bytes`.
    void KeepPrefix(std::string_view bytes);

    std::size_t max_message_bytes_;
    State state_ = State::kIdle;
    std::string buffer_;           // the frame so far (or an oversized frame's first bytes)
    std::size_t frame_bytes_ = 0;  // the frame's length so far, kept or not
    std::size_t garbage_bytes_ = 0;
};

// What to answer a frame that carried no complete message with: an AR error naming what was wrong with the frame
// (kTruncated and kBadTrailer: 100 "Segment sequence error"; kTooLarge: 207, naming its size and the limit), or
// nullopt for kMessage (its text is parsed instead) and kGarbage (there is no message to answer).
[[nodiscard]] std::optional<Hl7Error> FrameError(const FrameEvent& event, std::size_t max_message_bytes);

// "message", "garbage", "truncated", "too_large", "bad_trailer": for metrics' labels and test output.
[[nodiscard]] std::string_view FrameEventKindName(FrameEventKind kind);

// `message` framed for MLLP.
[[nodiscard]] std::string EncodeFrame(std::string_view message);

}  // namespace kclinic::adapters::hl7::mllp
