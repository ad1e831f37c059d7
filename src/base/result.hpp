#pragma once

// Expected outcomes (bad input, a value out of its allowed range, a refused transition) come back as values,
// never as exceptions: a Result<T> holds either a T or an Error. Unexpected infrastructure failures are thrown
// by adapters and caught once at the top of each request (see docs/architecture.md).

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/error_code.hpp"

namespace kclinic {

struct Error {
    ErrorCode code = ErrorCode::kInvalidArgument;
    std::string field;    // the input field at fault ("answers[9]", "weight_kg"); empty when none applies
    std::string message;  // one sentence a clinician or an operator can act on

    // "field: message", or just the message when no field applies. One line, for stderr and logs.
    [[nodiscard]] std::string ToString() const;
};

// An invalid value of `field`; message says what was expected.
[[nodiscard]] Error InvalidArgument(std::string field, std::string message);
// `field` outside [min, max] (inclusive); the message names the range, the unit and the value received.
[[nodiscard]] Error OutOfRange(std::string field, double value, double min, double max, std::string_view unit = {});

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor): reads as `return x;`
    Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    // REQUIRES: ok().
    [[nodiscard]] const T& value() const& {
        assert(ok() && "value() called on a Result holding an error");
        return std::get<T>(state_);
    }
    [[nodiscard]] T& value() & {
        assert(ok() && "value() called on a Result holding an error");
        return std::get<T>(state_);
    }
    [[nodiscard]] T&& value() && {
        assert(ok() && "value() called on a Result holding an error");
        return std::get<T>(std::move(state_));
    }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }

    // REQUIRES: !ok().
    [[nodiscard]] const Error& error() const {
        assert(!ok() && "error() called on a Result holding a value");
        return std::get<Error>(state_);
    }

private:
    std::variant<T, Error> state_;
};

// The result of an operation that produces no value.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] static Status Ok() { return {}; }
    [[nodiscard]] bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    // REQUIRES: !ok().
    [[nodiscard]] const Error& error() const {
        assert(!ok_ && "error() called on an OK Status");
        return error_;
    }

private:
    Error error_;
    bool ok_ = true;
};

}  // namespace kclinic
