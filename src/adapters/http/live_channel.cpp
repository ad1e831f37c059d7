#include "adapters/http/live_channel.hpp"

#include <utility>

#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::http {
namespace {

using json::Json;

Error MessageError(std::string message) {
    return InvalidArgument("message", std::move(message));
}

Result<std::optional<LiveTopic>> ParseSubscribe(const Json& value) {
    if (value.is_string() && value.get<std::string>() == "board") {
        return std::optional<LiveTopic>(LiveTopic::Board());
    }
    if (!value.is_object()) {
        return InvalidArgument("subscribe", R"(expected "board" or {"session_id":N})");
    }
    const auto id = value.find("session_id");
    if (id == value.end() || value.size() != 1) {
        return InvalidArgument("subscribe.session_id", R"(expected exactly {"session_id":N})");
    }
    if (!id->is_number_integer() || id->get<std::int64_t>() <= 0) {
        return InvalidArgument("subscribe.session_id", "expected a positive integer session id");
    }
    LiveTopic topic;
    topic.session = app::SessionId{id->get<std::int64_t>()};
    return std::optional<LiveTopic>(topic);
}

}  // namespace

Status CheckLiveOrigin(const HttpRequest& request, const app::Principal& principal) {
    if (principal.method != app::AuthMethod::kSession) {
        return Status::Ok();
    }
    const std::optional<std::string_view> origin = request.headers.Find("Origin");
    const std::optional<std::string_view> host = request.headers.Find("Host");
    const Error refused{ErrorCode::kPermissionDenied, "Origin",
                        "a live connection authenticated by a browser session must come from a page of this server "
                        "(its Origin must name the Host it connects to)"};
    if (!origin || !host) {
        return refused;
    }
    // Origin is "scheme://host[:port]" (RFC 6454 §7); "null" and anything else without a scheme never matches.
    const std::size_t scheme_end = origin->find("://");
    if (scheme_end == std::string_view::npos) {
        return refused;
    }
    // A page reached over TLS (ours or the trusted proxy's) has an https origin; without TLS the server cannot tell
    // whether an untrusted proxy in front of it speaks TLS, so either scheme.
    const std::string_view scheme = origin->substr(0, scheme_end);
    if (!EqualsIgnoringCase(scheme, "https") && (request.secure || !EqualsIgnoringCase(scheme, "http"))) {
        return refused;
    }
    if (!EqualsIgnoringCase(origin->substr(scheme_end + 3), TrimWhitespace(*host))) {
        return refused;
    }
    return Status::Ok();
}

Result<std::optional<LiveTopic>> ParseLiveMessage(std::string_view message) {
    Result<Json> read = json::Parse(message);
    if (!read.ok() && !read.error().field.empty()) {
        return read.error();  // a name given twice, or a number beyond a double's range: named by its field
    }
    if (!read.ok() || !read->is_object()) {
        return MessageError(R"(expected a JSON object such as {"subscribe":"board"})");
    }
    const Json& parsed = *read;
    if (parsed.size() != 1) {
        return MessageError(R"(expected exactly one of "subscribe" and "unsubscribe")");
    }
    if (const auto subscribe = parsed.find("subscribe"); subscribe != parsed.end()) {
        return ParseSubscribe(*subscribe);
    }
    if (const auto unsubscribe = parsed.find("unsubscribe"); unsubscribe != parsed.end()) {
        if (!unsubscribe->is_boolean() || !unsubscribe->get<bool>()) {
            return InvalidArgument("unsubscribe", "expected true");
        }
        return std::optional<LiveTopic>();
    }
    return MessageError(R"(expected exactly one of "subscribe" and "unsubscribe")");
}

std::string LiveSubscribedMessage(const std::optional<LiveTopic>& topic) {
    if (!topic) {
        return Json{{"type", "unsubscribed"}}.dump();
    }
    if (!topic->session) {
        return Json{{"type", "subscribed"}, {"topic", "board"}}.dump();
    }
    return Json{{"type", "subscribed"},
                {"topic", {{"session_id", topic->session->value}, {"patient_id", topic->patient.value}}}}
        .dump();
}

std::string LiveErrorMessage(const Error& error) {
    Json body{{"code", ErrorCodeName(error.code)}, {"message", error.message}};
    if (!error.field.empty()) {
        body["field"] = error.field;
    }
    // A message may quote client input that is not valid UTF-8; replace such bytes rather than fail to answer.
    return Json{{"type", "error"}, {"error", std::move(body)}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

LiveSubscriber RecordLiveSubscriber(app::SessionSteps& sessions) {
    return [&sessions](const LiveClient& client, std::string_view message) -> Result<std::optional<LiveTopic>> {
        Result<std::optional<LiveTopic>> parsed = ParseLiveMessage(message);
        if (!parsed.ok() || !*parsed) {
            return parsed;
        }
        LiveTopic topic = **parsed;
        topic.user = client.principal.email;
        // The role is checked before the session is read, so a refused client causes no audited read.
        if (!app::RoleHolds(client.principal.role, app::Permission::kSessionRead) || !topic.session) {
            RETURN_IF_ERROR(app::Authorize(client.principal, app::Permission::kSessionRead));
            return std::optional<LiveTopic>(topic);
        }
        Result<app::SessionRecord> session =
            sessions.GetSession(app::ActorOf(client.principal, client.remote_address), *topic.session);
        if (!session.ok()) {
            Error error = session.error();
            if (error.code == ErrorCode::kNotFound) {
                error.field = "subscribe.session_id";
            }
            return error;
        }
        topic.patient = session->session.patient;
        if (Status allowed = app::Authorize(client.principal, app::Permission::kSessionRead, topic.patient);
            !allowed.ok()) {
            return allowed.error();
        }
        return std::optional<LiveTopic>(topic);
    };
}

LiveAuditor RecordLiveAuditor(app::LiveChannelAudit& audit) {
    return LiveAuditor{
        [&audit](const LiveClient& client, app::PatientId patient, std::string_view topic) {
            return audit.RecordFirstEvent(app::ActorOf(client.principal, client.remote_address), patient, topic);
        },
        [&audit](const LiveClient& client, app::PatientId patient, std::size_t events) {
            return audit.RecordClosed(app::ActorOf(client.principal, client.remote_address), patient, events);
        }};
}

}  // namespace kclinic::adapters::http
