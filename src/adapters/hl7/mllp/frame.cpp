#include "adapters/hl7/mllp/frame.hpp"

#include <algorithm>

namespace kclinic::adapters::hl7::mllp {

void FrameDecoder::FlushGarbage(std::vector<FrameEvent>& events) {
    if (garbage_bytes_ > 0) {
        events.push_back(FrameEvent{FrameEventKind::kGarbage, {}, garbage_bytes_});
        garbage_bytes_ = 0;
    }
}

void FrameDecoder::Emit(std::vector<FrameEvent>& events, FrameEventKind kind) {
    const std::size_t byte_count = frame_bytes_;
    events.push_back(FrameEvent{kind, std::move(buffer_), byte_count});
    buffer_.clear();
    frame_bytes_ = 0;
}

void FrameDecoder::KeepPrefix(std::string_view bytes) {
    if (buffer_.size() < kKeptPrefixBytes) {
        buffer_.append(bytes.substr(0, kKeptPrefixBytes - buffer_.size()));
    }
}

void FrameDecoder::StartFrame() {
    buffer_.clear();
    frame_bytes_ = 0;
    state_ = State::kInFrame;
}

void FrameDecoder::Feed(std::string_view bytes, std::vector<FrameEvent>& events) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const char c = bytes[i];
        switch (state_) {
            case State::kIdle:
                if (c == kStartBlock) {
                    FlushGarbage(events);
                    StartFrame();
                } else if (c != '\r' && c != '\n') {
                    // CR and LF between frames are tolerated silently: some senders end a frame with 0x1C 0x0D 0x0A.
                    if (++garbage_bytes_ >= max_message_bytes_) {
                        FlushGarbage(events);
                    }
                }
                ++i;
                break;
            case State::kInFrame: {
                // The run up to the next protocol byte is taken in one go.
                std::size_t end = i;
                while (end < bytes.size() && bytes[end] != kEndBlock && bytes[end] != kStartBlock) {
                    ++end;
                }
                const std::size_t run = end - i;
                frame_bytes_ += run;
                if (frame_bytes_ > max_message_bytes_) {
                    if (buffer_.size() > kKeptPrefixBytes) {
                        buffer_.resize(kKeptPrefixBytes);
                    }
                    KeepPrefix(bytes.substr(i, run));
                    state_ = State::kDiscarding;
                    i = end;
                    break;
                }
                buffer_.append(bytes.substr(i, run));
                i = end;
                if (i < bytes.size()) {
                    if (bytes[i] == kEndBlock) {
                        state_ = State::kAfterEndBlock;
                    } else {
                        // A new frame starts before this one ended: the sender gave up on it.
                        Emit(events, FrameEventKind::kTruncated);
                        StartFrame();
                    }
                    ++i;
                }
                break;
            }
            case State::kAfterEndBlock:
                // HL7 text holds no 0x1C, so without its CR the frame ended here: it is dropped, and the byte is
                // read again as the start of what follows.
                Emit(events, c == kCarriageReturn ? FrameEventKind::kMessage : FrameEventKind::kBadTrailer);
                state_ = State::kIdle;
                if (c == kCarriageReturn) {
                    ++i;
                }
                break;
            case State::kDiscarding: {
                std::size_t end = i;
                while (end < bytes.size() && bytes[end] != kEndBlock && bytes[end] != kStartBlock) {
                    ++end;
                }
                KeepPrefix(bytes.substr(i, end - i));
                frame_bytes_ += end - i;
                i = end;
                if (i < bytes.size()) {
                    if (bytes[i] == kEndBlock) {
                        state_ = State::kDiscardingAfterEndBlock;
                    } else {
                        Emit(events, FrameEventKind::kTooLarge);
                        StartFrame();
                    }
                    ++i;
                }
                break;
            }
            case State::kDiscardingAfterEndBlock:
                if (c == kCarriageReturn) {
                    Emit(events, FrameEventKind::kTooLarge);
                    state_ = State::kIdle;
                    ++i;
                } else {
                    // A 0x1C inside the oversized frame's bytes: still discarding.
                    KeepPrefix(std::string_view(&kEndBlock, 1));
                    frame_bytes_ += 1;
                    state_ = State::kDiscarding;
                }
                break;
        }
    }
}

void FrameDecoder::Finish(std::vector<FrameEvent>& events) {
    switch (state_) {
        case State::kIdle:
            FlushGarbage(events);
            break;
        case State::kInFrame:
        case State::kAfterEndBlock:
            Emit(events, FrameEventKind::kTruncated);
            break;
        case State::kDiscarding:
        case State::kDiscardingAfterEndBlock:
            Emit(events, FrameEventKind::kTooLarge);
            break;
    }
    state_ = State::kIdle;
}

std::optional<Hl7Error> FrameError(const FrameEvent& event, std::size_t max_message_bytes) {
    const auto reject = [](ErrorCondition condition, std::string message) {
        return Hl7Error{AckCode::kReject, condition, Severity::kError, {}, std::move(message)};
    };
    switch (event.kind) {
        case FrameEventKind::kMessage:
        case FrameEventKind::kGarbage:
            return std::nullopt;
        case FrameEventKind::kTruncated:
            return reject(ErrorCondition::kSegmentSequenceError,
                          "the frame ended after " + std::to_string(event.byte_count) +
                              " bytes without its end block (0x1C 0x0D): the message is incomplete");
        case FrameEventKind::kTooLarge:
            return reject(ErrorCondition::kApplicationInternalError,
                          "the frame is " + std::to_string(event.byte_count) + " bytes, more than the limit of " +
                              std::to_string(max_message_bytes));
        case FrameEventKind::kBadTrailer:
            return reject(ErrorCondition::kSegmentSequenceError,
                          "the frame's end block 0x1C is not followed by 0x0D: the message is not accepted");
    }
    return std::nullopt;
}

std::string_view FrameEventKindName(FrameEventKind kind) {
    switch (kind) {
        case FrameEventKind::kMessage:
            return "message";
        case FrameEventKind::kGarbage:
            return "garbage";
        case FrameEventKind::kTruncated:
            return "truncated";
        case FrameEventKind::kTooLarge:
            return "too_large";
        case FrameEventKind::kBadTrailer:
            return "bad_trailer";
    }
    return "message";
}

std::string EncodeFrame(std::string_view message) {
    std::string frame;
    frame.reserve(message.size() + 3);
    frame.push_back(kStartBlock);
    frame.append(message);
    frame.push_back(kEndBlock);
    frame.push_back(kCarriageReturn);
    return frame;
}

}  // namespace kclinic::adapters::hl7::mllp
