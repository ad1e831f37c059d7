#include "base/result.hpp"

#include "base/enum_names.hpp"
#include "base/text.hpp"

namespace kclinic {

std::string_view ErrorCodeName(ErrorCode code) {
    static constexpr auto kErrorCodeNames = MakeEnumNames<ErrorCode>({
        {ErrorCode::kInvalidArgument, "invalid_argument"},
        {ErrorCode::kOutOfRange, "out_of_range"},
        {ErrorCode::kNotFound, "not_found"},
        {ErrorCode::kConflict, "conflict"},
        {ErrorCode::kFailedPrecondition, "failed_precondition"},
        {ErrorCode::kPermissionDenied, "permission_denied"},
        {ErrorCode::kUnauthenticated, "unauthenticated"},
        {ErrorCode::kUnavailable, "unavailable"},
        {ErrorCode::kInternal, "internal"},
    });
    return kErrorCodeNames.Name(code);
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
