#include "base/result.hpp"

#include "base/text.hpp"

namespace kclinic {

std::string_view ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return "invalid_argument";
        case ErrorCode::kOutOfRange:
            return "out_of_range";
        case ErrorCode::kNotFound:
            return "not_found";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kFailedPrecondition:
            return "failed_precondition";
        case ErrorCode::kPermissionDenied:
            return "permission_denied";
        case ErrorCode::kUnauthenticated:
            return "unauthenticated";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kInternal:
            return "internal";
    }
    return "internal";
}

std::string Error::ToString() const {
    return field.empty() ? message : field + ": " + message;
}

Error InvalidArgument(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(field), std::move(message)};
}

Error OutOfRange(std::string field, double value, double min, double max, std::string_view unit) {
    std::string suffix = unit.empty() ? std::string() : " " + std::string(unit);
    std::string message = "must be between " + FormatNumber(min) + " and " + FormatNumber(max) + suffix + " (got " +
                          FormatNumber(value) + suffix + ")";
    return Error{ErrorCode::kOutOfRange, std::move(field), std::move(message)};
}

}  // namespace kclinic
