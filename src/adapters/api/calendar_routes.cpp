// A clinician's own calendar feed (GET, POST and DELETE /api/v1/me/calendar-feed), an admin's revocation of anyone's
// (DELETE /api/v1/users/{email}/calendar-feed), and the feed itself (GET /calendar/{token}), fetched by a calendar
// application with the secret token in its path as its only credential.

#include <optional>
#include <string>
#include <string_view>

#include "adapters/api/routes.hpp"
#include "adapters/calendar/ical_feed.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

constexpr std::string_view kFeedSuffix = ".ics";

std::string FeedPath(const std::string& token) {
    return "/calendar/" + token + std::string(kFeedSuffix);
}

// The absolute URL of `path` as the caller reached this server: its Host, over https when it came over TLS (ours or
// the trusted proxy's, HttpRequest::secure); just `path` when the request named no host.
std::string UrlOf(const HttpRequest& request, const std::string& path) {
    const std::optional<std::string_view> host = request.headers.Find("Host");
    if (!host || host->empty()) {
        return path;
    }
    return (request.secure ? "https://" : "http://") + std::string(*host) + path;
}

// The domain of the feed's UIDs (RFC 5545 §3.8.4.7 suggests the generator's domain): the Host the calendar application
// fetches from, without its port, when it is a plain host name; else "kclinic". Stable for one subscription, whose URL
// does not change.
std::string UidDomain(const HttpRequest& request) {
    std::string_view host = request.headers.Find("Host").value_or("");
    host = host.substr(0, host.find(':'));
    const bool plain = !host.empty() && host.find_first_not_of(
                                            "abcdefghijklmnopqrstuvwxyz"
                                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == std::string_view::npos;
    if (!plain) {
        return "kclinic";
    }
    return FoldAsciiCase(host);
}

calendar::Feed FeedOf(const app::CalendarFeedView& view, const std::string& uid_domain) {
    calendar::Feed feed;
    feed.name = view.name;
    feed.organizer = view.owner_email;
    feed.generated_at = view.generated_at;
    for (const app::FeedAppointment& appointment : view.appointments) {
        calendar::FeedEvent event;
        event.uid = "appointment-" + std::to_string(appointment.id.value) + "@" + uid_domain;
        event.start = appointment.start;
        event.end = appointment.end;
        event.summary = appointment.summary;
        event.location = appointment.room;
        event.cancelled = appointment.cancelled;
        event.sequence = appointment.sequence;
        event.last_modified = appointment.updated_at;
        feed.events.push_back(std::move(event));
    }
    return feed;
}

HttpResponse NoContent() {
    HttpResponse response;
    response.status = 204;
    response.content_type.clear();
    return response;
}

void AddOwnFeed(ApiRouter& api, ApiServices& services) {
    const std::string own = "/api/v1/me/calendar-feed";
    api.Add(Method::kGet, own, Permission::kCalendarFeed, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::optional<app::CalendarFeed> feed,
                                 services.use_cases.calendar_feeds.GetFeed(call.actor, call.principal.email));
                if (!feed) {
                    return Error{ErrorCode::kNotFound, "calendar_feed", "you have no calendar feed"};
                }
                return JsonResponse(200, json::ToJson(*feed));
            });

    api.Add(Method::kPost, own, Permission::kCalendarFeed, Subject::kNone,
            [&services, own](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const app::NewCalendarFeed created,
                                 services.use_cases.calendar_feeds.CreateFeed(call.actor, call.principal.email));
                // The URL holds the token, so it is in this answer only; the server keeps the token's digest.
                Json answer = json::ToJson(created.record);
                answer["url"] = UrlOf(call.request, FeedPath(created.token));
                return Created(own, answer);
            });

    api.Add(Method::kDelete, own, Permission::kCalendarFeed, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                RETURN_IF_ERROR(services.use_cases.calendar_feeds.RevokeFeed(call.actor, call.principal.email));
                return NoContent();
            });

    api.Add(Method::kDelete, "/api/v1/users/{email}/calendar-feed", Permission::kTokenManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                RETURN_IF_ERROR(
                    services.use_cases.calendar_feeds.RevokeFeed(call.actor, call.params.find("email")->second));
                return NoContent();
            });
}

void AddFeed(ApiRouter& api, ApiServices& services) {
    api.AddPublic(Method::kGet, "/calendar/{token}",
                  [&services](const HttpRequest& request, const PathParams& params) -> Result<HttpResponse> {
                      std::string_view token = params.find("token")->second;
                      // Every refusal is the same 404, so a guess learns nothing (app::CalendarFeeds::ReadFeed).
                      if (!token.ends_with(kFeedSuffix)) {
                          return Error{ErrorCode::kNotFound, "token", "no such calendar feed"};
                      }
                      token.remove_suffix(kFeedSuffix.size());
                      ASSIGN_OR_RETURN(const app::CalendarFeedView view,
                                       services.use_cases.calendar_feeds.ReadFeed(token, request.remote_address));
                      HttpResponse response;
                      response.content_type = calendar::kFeedContentType;
                      response.body = calendar::RenderFeed(FeedOf(view, UidDomain(request)));
                      // Patient initials and appointments must not linger in shared caches (RFC 9111 §5.2.2.5).
                      response.headers.Set("Cache-Control", "no-store");
                      return response;
                  });
}

}  // namespace

void AddCalendarFeedRoutes(ApiRouter& api, ApiServices& services) {
    AddOwnFeed(api, services);
    AddFeed(api, services);
}

}  // namespace kclinic::adapters::api
