#pragma once

// The `/api/v1/live` channel's protocol and its decisions, without Beast (docs/api.md, "Live channel"): who may
// open the channel (the injected authentication and the Origin rule), what a client's text message asks for, and
// the control messages the server answers with. http_server.cpp carries them over a WebSocket; the LiveHub carries
// the events.
//
// Client messages (text frames, one JSON object each):
//   {"subscribe":"board"}                  every event of the clinic
//   {"subscribe":{"session_id":12}}        one treatment session: its own events and those of its patient
//   {"unsubscribe":true}                   stop receiving events (a client watches one topic at a time)
// Server answers: {"type":"subscribed","topic":"board"}, {"type":"subscribed","topic":{"session_id":12,
// "patient_id":3}}, {"type":"unsubscribed"}, or {"type":"error","error":{"code":...,"message":...,"field":...}}.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/http_message.hpp"
#include "adapters/http/live_hub.hpp"
#include "app/authorization.hpp"
#include "app/live_channel_audit.hpp"
#include "app/session_steps.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::http {

// Who opened a live connection.
struct LiveClient {
    app::Principal principal;
    std::string remote_address;  // the Actor's origin for the audited reads a subscription makes
};

// Authenticates the upgrade request (on a worker thread: it may read the database); `kclinic serve` gives the API's
// own (adapters/api AuthenticateRequest: a bearer token, else the session cookie). An error is answered as plain
// HTTP with the status of its code (401 for kUnauthenticated) and the connection closes.
using LiveAuthenticator = std::function<Result<app::Principal>(const HttpRequest& request)>;

// Decides one client message (on a worker thread): the topic to watch, nullopt to stop watching, or the error the
// client receives as an error message (the connection stays open).
using LiveSubscriber =
    std::function<Result<std::optional<LiveTopic>>(const LiveClient& client, std::string_view message)>;

// What a live connection received, for the audit log (app/live_channel_audit.hpp), called on a worker thread. The
// connection calls `first_event` before it writes the first event of a patient, and writes it only when that
// returned OK (an error closes the connection, the event unsent); `topic` is "board" or "session N". It calls
// `closed` once per patient whose events it wrote, when it ends. Both must be set.
struct LiveAuditor {
    std::function<Status(const LiveClient& client, app::PatientId patient, std::string_view topic)> first_event;
    std::function<Status(const LiveClient& client, app::PatientId patient, std::size_t events)> closed;
};

// Cross-site WebSocket hijacking: a browser sends its cookies with a WebSocket upgrade from any site, and the
// same-origin policy does not apply to WebSockets, so a cookie-authenticated upgrade must come from a page of this
// server: its Origin's host (and port) must equal the Host header. SameSite=Strict cookies already stop most
// cross-site sends; this makes the rule explicit. Over TLS (request.secure) the Origin's scheme must be https.
// Bearer-token clients are not browsers acting on ambient credentials and need no Origin. Error
// kPermissionDenied "Origin".
[[nodiscard]] Status CheckLiveOrigin(const HttpRequest& request, const app::Principal& principal);

// The subscription a client message asks for, before any access decision: a topic with only the session id set,
// nullopt for an unsubscribe. Errors kInvalidArgument naming the field: "message" (not a JSON object, or not exactly
// one of subscribe and unsubscribe), "subscribe" (neither "board" nor an object), "subscribe.session_id" (not a
// positive integer, or other fields beside it), "unsubscribe" (not true).
[[nodiscard]] Result<std::optional<LiveTopic>> ParseLiveMessage(std::string_view message);

// {"type":"subscribed",...} for a topic, {"type":"unsubscribed"} for nullopt.
[[nodiscard]] std::string LiveSubscribedMessage(const std::optional<LiveTopic>& topic);
// {"type":"error","error":{"code":...,"message":...,"field":...}} ("field" only when the error names one).
[[nodiscard]] std::string LiveErrorMessage(const Error& error);

// The subscriber over the clinic record: both the board and a session need the session.read permission (the board
// shows every patient's session, so a role without it, and every patient, is refused); a session's patient is found
// with SessionSteps::GetSession, an audited read, and then authorised for that patient. `sessions` must outlive the
// function. Errors: ParseLiveMessage's; kPermissionDenied; kNotFound "session_id" for no such session.
[[nodiscard]] LiveSubscriber RecordLiveSubscriber(app::SessionSteps& sessions);

// The auditor over the clinic record: LiveChannelAudit's entries by the connection's user from its address. `audit`
// must outlive the auditor.
[[nodiscard]] LiveAuditor RecordLiveAuditor(app::LiveChannelAudit& audit);

}  // namespace kclinic::adapters::http
