#pragma once

// The one list of error codes for the whole project. Adapters map each code to an HTTP status and an HL7
// acknowledgement code in one table each; the CLI maps every code it can meet to exit status 2.

#include <string_view>

namespace kclinic {

enum class ErrorCode {
    kInvalidArgument,     // malformed or missing input
    kOutOfRange,          // a well-formed value outside its allowed range
    kNotFound,            // the record does not exist (or is not visible to the caller)
    kConflict,            // the record changed or already exists
    kFailedPrecondition,  // a rule refuses the operation in the record's current state
    kPermissionDenied,    // the caller's role may not do this
    kUnauthenticated,     // no valid credentials
    kUnavailable,         // a dependency is down; retrying may help
    kInternal,            // a bug; never an expected outcome
};

// Stable lower_snake_case name, used in JSON error bodies ("invalid_argument").
[[nodiscard]] std::string_view ErrorCodeName(ErrorCode code);

}  // namespace kclinic
