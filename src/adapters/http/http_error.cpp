#include "adapters/http/http_error.hpp"

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

// What a client reads for kUnavailable and kInternal (docs/api.md "Errors").
constexpr std::string_view kUnavailableMessage =
    "the server cannot reach its database or another service it needs just now; retry shortly";
constexpr std::string_view kInternalMessage = "internal error; the server log has the details";

HttpResponse ErrorBody(int status, std::string_view code, std::string_view message, std::string_view field) {
    json::Json error{{"code", code}, {"message", message}};
    if (!field.empty()) {
        error["field"] = field;
    }
    // A message may quote client input that is not valid UTF-8; replace such bytes rather than fail to answer.
    std::string body =
        json::Json{{"error", std::move(error)}}.dump(-1, ' ', false, json::Json::error_handler_t::replace);
    HttpResponse response{status, std::string(kJsonContentType), {}, std::move(body)};
    response.error_code = code;
    response.log_detail = message;
    return response;
}

}  // namespace

int HttpStatusFor(ErrorCode code) {
    // RFC 9110 §15. kOutOfRange is 422 (Unprocessable Content, §15.5.21): the request was well formed and
    // understood, and one value lies outside its allowed range, which is not what 400 (malformed) says.
    // kFailedPrecondition is 409 (Conflict, §15.5.10: "a conflict with the current state of the target
    // resource"): a rule refuses the operation in the record's present state and may accept it in another. 412
    // stays reserved for a failed If-Match, which the handler that checks the header answers itself.
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return 400;
        case ErrorCode::kOutOfRange:
            return 422;
        case ErrorCode::kNotFound:
            return 404;
        case ErrorCode::kConflict:
            return 409;
        case ErrorCode::kFailedPrecondition:
            return 409;
        case ErrorCode::kPermissionDenied:
            return 403;
        case ErrorCode::kUnauthenticated:
            return 401;
        case ErrorCode::kUnavailable:
            return 503;
        case ErrorCode::kInternal:
            return 500;
    }
    return 500;
}

HttpResponse ErrorResponse(const Error& error) {
    // A failed dependency or a bug speaks in the store's words: the database's address and port, SQL, a PostgreSQL
    // message quoting a value. None of it helps the client and some of it helps an attacker (OWASP ASVS 4.0.3
    // §7.4.1), so the client reads one fixed sentence and the log the cause (HttpResponse::log_detail, never sent).
    const std::optional<std::string_view> withheld = WithheldErrorMessage(error.code);
    if (!withheld) {
        return ErrorBody(HttpStatusFor(error.code), ErrorCodeName(error.code), error.message, error.field);
    }
    HttpResponse response = ErrorBody(HttpStatusFor(error.code), ErrorCodeName(error.code), *withheld, {});
    response.log_detail = error.message;
    return response;
}

std::optional<std::string_view> WithheldErrorMessage(ErrorCode code) {
    if (code == ErrorCode::kUnavailable) {
        return kUnavailableMessage;
    }
    if (code == ErrorCode::kInternal) {
        return kInternalMessage;
    }
    return std::nullopt;
}

HttpResponse ProtocolErrorResponse(int status, std::string_view code, std::string_view message,
                                   std::string_view field) {
    return ErrorBody(status, code, message, field);
}

std::optional<ErrorSummary> StampRequestId(HttpResponse& response, std::string_view request_id) {
    response.headers.Set("X-Request-Id", std::string(request_id));
    if (response.error_code.empty()) {
        return std::nullopt;
    }
    // ErrorBody's body, {"error":{...}}, ends with the error object's brace and its own: the id goes in before them,
    // on the connection's thread without parsing the body again.
    constexpr std::string_view kClosing = "}}";
    if (response.body.ends_with(kClosing)) {
        response.body.insert(response.body.size() - kClosing.size(),
                             ",\"request_id\":" + json::Json(request_id).dump(-1, ' ', false,
                                                                           json::Json::error_handler_t::replace));
    }
    return ErrorSummary{response.error_code, response.log_detail};
}

HttpResponse InternalErrorResponse() {
    return ErrorBody(500, ErrorCodeName(ErrorCode::kInternal), kInternalMessage, {});
}

}  // namespace kclinic::adapters::http
