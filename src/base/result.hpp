#pragma once

// Expected outcomes (bad input, a value out of its allowed range, a refused transition) come back as values,
// never as exceptions: a Result<T> holds either a T or an Error. Unexpected infrastructure failures are thrown
// by adapters and caught once at the top of each request (see docs/architecture.md).
//
// Code that only passes an error on to its caller says so with one line, in the shape of abseil's
// RETURN_IF_ERROR / ASSIGN_OR_RETURN (SerenityOS calls the same thing TRY):
//
//     Result<Patient> PatientRecords::GetPatient(const Actor& actor, PatientId id) {
//         return store_.Write([&](StoreTransaction& tx) -> Result<Patient> {
//             ASSIGN_OR_RETURN(Patient patient, tx.GetPatient(id));    // a Result<T>: its value, or return the error
//             RETURN_IF_ERROR(RecordAudit(tx, actor, now, ...));        // a Status or a Result<T>: return the error
//             return patient;
//         });
//     }
//
// Both evaluate their expression once and return its Error unchanged (any function that returns a Status or a
// Result<U> accepts an Error). Where an error is mapped or given context, write the `if (!x.ok())` out instead.

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
    using value_type = T;

    // By reference, not by value: a returned value is moved once, into the Result, not twice (a by-value parameter
    // costs ComputeDose a second move of its DoseOrder, measurable in bench/clinical_bench).
    Result(const T& value) : state_(value) {}          // NOLINT(google-explicit-constructor): reads as `return x;`
    Result(T&& value) : state_(std::move(value)) {}    // NOLINT(google-explicit-constructor)
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

// The outcome of `result` without its value, so outcomes of any type compare and pass on alike.
template <typename T>
[[nodiscard]] Status StatusOf(const Result<T>& result) {
    return result.ok() ? Status::Ok() : Status(result.error());
}

}  // namespace kclinic

// RETURN_IF_ERROR(expr): evaluates expr (a Status or a Result<T>) once and returns its error from the enclosing
// function when it is not OK.
#define RETURN_IF_ERROR(...) \
    KCLINIC_RETURN_IF_ERROR_IMPL(KCLINIC_RESULT_CONCAT(kclinic_checked_, __LINE__), __VA_ARGS__)

// ASSIGN_OR_RETURN(declaration, expr): evaluates expr (a Result<T>) once; returns its error from the enclosing
// function when it is not OK, else moves its value into `declaration` ("Patient patient", "const auto x", or a
// variable already declared). A statement, not an expression: it declares a hidden Result on its line.
#define ASSIGN_OR_RETURN(declaration, ...) \
    KCLINIC_ASSIGN_OR_RETURN_IMPL(KCLINIC_RESULT_CONCAT(kclinic_result_, __LINE__), declaration, __VA_ARGS__)

#define KCLINIC_RESULT_CONCAT_INNER(a, b) a##b
#define KCLINIC_RESULT_CONCAT(a, b) KCLINIC_RESULT_CONCAT_INNER(a, b)
// The hidden variables are named by line, so the macros nest (a transaction's work inside RETURN_IF_ERROR) without
// shadowing. `declaration` is a declaration, so it cannot be parenthesised.
#define KCLINIC_RETURN_IF_ERROR_IMPL(checked, ...)                \
    do {                                                          \
        if (const auto& checked = (__VA_ARGS__); !checked.ok()) { \
            return checked.error();                               \
        }                                                         \
    } while (false)
#define KCLINIC_ASSIGN_OR_RETURN_IMPL(result, declaration, ...) \
    auto result = (__VA_ARGS__);                                \
    if (!result.ok()) {                                         \
        return result.error();                                  \
    }                                                           \
    declaration = std::move(result).value()  // NOLINT(bugprone-macro-parentheses)
