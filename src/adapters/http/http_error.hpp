#pragma once

// The one table from the project's ErrorCode to an HTTP status, and the one shape of every error body:
//   {"error":{"code":"not_found","message":"no patient with id 9","field":"id"}}
// ("field" only when the error names one). docs/api.md lists the table and the protocol-level codes.

#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/http_message.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::http {

// kInvalidArgument 400, kOutOfRange 422, kNotFound 404, kConflict 409, kFailedPrecondition 409,
// kPermissionDenied 403, kUnauthenticated 401, kUnavailable 503, kInternal 500.
[[nodiscard]] int HttpStatusFor(ErrorCode code);

// The response for an expected outcome: the status from HttpStatusFor and the body above, code = ErrorCodeName.
[[nodiscard]] HttpResponse ErrorResponse(const Error& error);

// An error of the HTTP layer itself that no ErrorCode names (405 method_not_allowed, 413 payload_too_large, 431
// header_fields_too_large, 400 bad_request for a malformed message, 415 unsupported_media_type naming
// "Content-Type"): the same body shape with `code` (and `field`, when not empty) as given.
[[nodiscard]] HttpResponse ProtocolErrorResponse(int status, std::string_view code, std::string_view message,
                                                 std::string_view field = {});

// 500 {"error":{"code":"internal","message":"internal error; the server log has the details"}}: what a client sees
// when a handler throws. The exception's text goes to the log, never to the client.
[[nodiscard]] HttpResponse InternalErrorResponse();

// The one fixed sentence a client reads in place of the message of a kUnavailable or kInternal error (a failed
// dependency or a bug speaks in the store's words: addresses, SQL, quoted values; OWASP ASVS 4.0.3 §7.4.1), whose
// message belongs in the server's log; nullopt for every other code, whose message is meant for the client. The HTTP
// answers (ErrorResponse) and the live channel's error messages both use it.
[[nodiscard]] std::optional<std::string_view> WithheldErrorMessage(ErrorCode code);

// An error answer's code and message, for the server's log.
struct ErrorSummary {
    std::string code;
    std::string message;
};

// Every answer carries its request's id in an X-Request-Id header; an error body (the shape above) also as
// "request_id" in its "error" object, where a user copying the error text takes it along. Returns the error's code
// and what the log says of it (HttpResponse::error_code, log_detail) for an answer written by the functions above,
// nullopt for any other.
std::optional<ErrorSummary> StampRequestId(HttpResponse& response, std::string_view request_id);

}  // namespace kclinic::adapters::http
