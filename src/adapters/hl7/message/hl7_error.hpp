#pragma once

// What went wrong with an HL7 v2 message, as a value the ACK builder turns into MSA-1 and an ERR segment. Bad input
// never throws here: every parser in this folder returns an Hl7Result<T>, a T or one Hl7Error that names the
// segment and field at fault ("MSH-10 is empty").

#include <cassert>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kclinic::adapters::hl7 {

// MSA-1, HL7 table 0008 (original acknowledgement mode).
enum class AckCode {
    kAccept,  // AA: stored
    kError,   // AE: understood, but not accepted as it stands (a bad value, a rule refused it)
    kReject,  // AR: not understood, or a message type, version or processing id this receiver does not take
};
// "AA", "AE", "AR".
[[nodiscard]] std::string_view AckCodeText(AckCode code);

// ERR-3, HL7 table 0357 "Message error condition codes" (v2.5 and later); the enumerator is the code's number.
enum class ErrorCondition {
    kSegmentSequenceError = 100,
    kRequiredFieldMissing = 101,
    kDataTypeError = 102,
    kTableValueNotFound = 103,
    kUnsupportedMessageType = 200,
    kUnsupportedEventCode = 201,
    kUnsupportedProcessingId = 202,
    kUnsupportedVersionId = 203,
    kApplicationInternalError = 207,
};
// The code's text in table 0357 ("Required field missing").
[[nodiscard]] std::string_view ErrorConditionText(ErrorCondition condition);

// ERR-4, HL7 table 0516.
enum class Severity { kError, kWarning, kInformation };
// "E", "W", "I".
[[nodiscard]] std::string_view SeverityText(Severity severity);

// ERR-2 (data type ERL): where in the message the error is. Numbers are 1-based; 0 means "not narrowed down".
struct ErrorLocation {
    std::string segment;               // "MSH", "OBX"; empty: the message as a whole
    std::size_t segment_sequence = 0;  // which occurrence of `segment` (the third OBX is 3)
    std::size_t field = 0;             // field position (MSH-10 is 10)
    std::size_t repetition = 0;
    std::size_t component = 0;
    std::size_t subcomponent = 0;

    // "MSH-10", "OBX[3]-5", "PID-3.1", or "the message".
    [[nodiscard]] std::string ToString() const;
};

struct Hl7Error {
    AckCode ack = AckCode::kReject;
    ErrorCondition condition = ErrorCondition::kApplicationInternalError;
    Severity severity = Severity::kError;
    ErrorLocation location;
    std::string message;  // one sentence an interface engineer can act on, naming the location: "MSH-10 is empty"
};

// A T, or the Hl7Error that prevented it.
template <typename T>
class [[nodiscard]] Hl7Result {
public:
    Hl7Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor): reads as `return x;`
    Hl7Result(Hl7Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    // REQUIRES: ok().
    [[nodiscard]] const T& value() const& {
        assert(ok() && "value() called on an Hl7Result holding an error");
        return std::get<T>(state_);
    }
    [[nodiscard]] T&& value() && {
        assert(ok() && "value() called on an Hl7Result holding an error");
        return std::get<T>(std::move(state_));
    }
    const T* operator->() const { return &value(); }

    // REQUIRES: !ok().
    [[nodiscard]] const Hl7Error& error() const {
        assert(!ok() && "error() called on an Hl7Result holding a value");
        return std::get<Hl7Error>(state_);
    }

private:
    std::variant<T, Hl7Error> state_;
};

}  // namespace kclinic::adapters::hl7
