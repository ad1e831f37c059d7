// GET and POST /api/v1/test/clock: the test clock of `kclinic serve --test-clock` (docs/api.md "Test clock"), which
// exists only on a database created in test mode. Without the option these routes are not registered at all, so a
// production server answers them 404 like any unknown path.

#include <chrono>
#include <optional>

#include "adapters/api/routes.hpp"
#include "adapters/json/clinical_json.hpp"

namespace kclinic::adapters::api {
namespace {

HttpResponse ClockResponse(app::TimePoint now) {
    return JsonResponse(200, Json{{"now", json::FormatTime(now)}, {"test_clock", true}});
}

}  // namespace

void AddTestClockRoutes(ApiRouter& api, ApiServices& services) {
    app::TestClockMoves& moves = *services.test_clock;
    // Any signed-in user may read it: the banner that says the clinic runs on a test clock shows its time.
    api.Add(Method::kGet, "/api/v1/test/clock", std::nullopt, Subject::kNone,
            [&moves](ApiCall&) -> Result<HttpResponse> { return ClockResponse(moves.Now()); });

    // Moving it is a clinic-wide change, as a setting is: admins only (settings.change), and audited.
    api.Add(Method::kPost, "/api/v1/test/clock", app::Permission::kSettingsChange, Subject::kNone,
            [&moves](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::optional<std::int64_t> minutes = body.OptionalInteger("advance_minutes");
                const std::optional<app::TimePoint> to = body.OptionalTime("set");
                RETURN_IF_ERROR(body.Finish());
                if (minutes.has_value() == to.has_value()) {
                    return InvalidArgument(minutes ? "set" : "advance_minutes",
                                           "send exactly one of advance_minutes (whole minutes forward) and set (an "
                                           "RFC 3339 instant after the clock's time)");
                }
                if (minutes) {
                    if (*minutes < 1 || *minutes > app::kMaxTestClockMove.count()) {
                        return OutOfRange("advance_minutes", static_cast<double>(*minutes), 1,
                                          static_cast<double>(app::kMaxTestClockMove.count()), "min");
                    }
                    ASSIGN_OR_RETURN(const app::TimePoint now,
                                     moves.Advance(call.actor, std::chrono::minutes{*minutes}));
                    return ClockResponse(now);
                }
                ASSIGN_OR_RETURN(const app::TimePoint now, moves.MoveTo(call.actor, *to));
                return ClockResponse(now);
            });
}

}  // namespace kclinic::adapters::api
