// The clinic's schedule (app/scheduling.hpp): rooms and chairs, closed days, the appointment types with their
// lengths, appointments and their steps (reschedule, cancel, no-show, check in, complete), the slot search, a
// course's series booked in one step and its re-proposal after a missed induction session, the day plan by room and
// each clinician's own schedule. A booking rule that refuses answers 409 with the rule's name as the error's field
// and the rule's message, which names what collided (clinical::CheckBooking), so the front desk sees which rule and
// why. Appointments and rooms are versioned: GET answers an ETag, and every change sends it back in If-Match.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/record_json.hpp"
#include "adapters/json/schedule_json.hpp"
#include "base/text.hpp"
#include "clinical/scheduling.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;
using std::chrono::sys_days;

// How far a listing reaches when the caller gives no `to`: a week, the front desk's usual view.
constexpr std::chrono::days kDefaultListDays{7};
// The most slots one search answers (clinical::FindSlots' bound).
constexpr int kMaxSlots = 50;

std::string AppointmentLocation(app::AppointmentId id) {
    return "/api/v1/appointments/" + std::to_string(id.value);
}

std::string RoomLocation(app::RoomId id) {
    return "/api/v1/rooms/" + std::to_string(id.value);
}

HttpResponse AppointmentResponse(int status, const app::Appointment& appointment) {
    return VersionedResponse(status, json::ToJson(appointment), appointment.version,
                             AppointmentLocation(appointment.id));
}

HttpResponse OutcomeResponse(const app::AppointmentOutcome& outcome) {
    HttpResponse response = JsonResponse(200, json::ToJson(outcome));
    response.headers.Set("ETag", EntityTag(outcome.appointment.version));
    return response;
}

Json ArrayOf(const auto& items) {
    Json array = Json::array();
    for (const auto& item : items) {
        array.push_back(json::ToJson(item));
    }
    return array;
}

Result<sys_days> RequiredQueryDate(const HttpRequest& request, std::string_view name) {
    ASSIGN_OR_RETURN(const std::optional<sys_days> date, QueryDate(request, name));
    if (!date) {
        return InvalidArgument(std::string(name), "is required: a calendar date YYYY-MM-DD");
    }
    return *date;
}

// `from` and `to` of a listing: RFC 3339 times; `from` defaults to now, `to` to a week after `from`.
Result<app::AppointmentFilter> ListWindow(const ApiCall& call) {
    app::AppointmentFilter filter;
    ASSIGN_OR_RETURN(const std::optional<app::TimePoint> from, QueryTime(call.request, "from"));
    ASSIGN_OR_RETURN(const std::optional<app::TimePoint> to, QueryTime(call.request, "to"));
    filter.from = from.value_or(call.now);
    filter.to = to.value_or(filter.from + kDefaultListDays);
    return filter;
}

HttpResponse AppointmentList(const std::vector<app::Appointment>& appointments) {
    return JsonResponse(200, Json{{"items", ArrayOf(appointments)}});
}

// ---- Rooms and closed days ------------------------------------------------------------------------------------

// A room's fields as POST and PUT take them; `active` only on PUT.
struct RoomBody {
    app::NewRoom room;
    bool active = true;
};

Result<RoomBody> ReadRoom(const HttpRequest& request, bool with_active) {
    ObjectReader body(request.body);
    RoomBody read;
    read.room.name = body.String("name");
    const std::string equipment = body.String("equipment");
    read.room.monitor_ids = body.OptionalStringArray("monitor_ids");
    if (with_active) {
        read.active = body.Boolean("active");
    }
    RETURN_IF_ERROR(body.Finish());
    ASSIGN_OR_RETURN(read.room.equipment, clinical::ParseRoomEquipment(equipment));
    return read;
}

void AddRooms(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/rooms", Permission::kAppointmentRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::vector<app::TreatmentRoom> rooms,
                                 services.use_cases.scheduling.ListRooms(call.actor));
                return JsonResponse(200, Json{{"items", ArrayOf(rooms)}});
            });

    api.Add(Method::kPost, "/api/v1/rooms", Permission::kRoomManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const RoomBody body, ReadRoom(call.request, false));
                ASSIGN_OR_RETURN(const app::TreatmentRoom room,
                                 services.use_cases.scheduling.CreateRoom(call.actor, body.room));
                return VersionedResponse(201, json::ToJson(room), room.version, RoomLocation(room.id));
            });

    api.Add(Method::kPut, "/api/v1/rooms/{id}", Permission::kRoomManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::int64_t version, RequiredIfMatch(call.request));
                ASSIGN_OR_RETURN(const RoomBody body, ReadRoom(call.request, true));
                app::TreatmentRoom changed{app::RoomId{call.id},  body.room.name, body.room.equipment,
                                           body.room.monitor_ids, body.active,    version};
                ASSIGN_OR_RETURN(const app::TreatmentRoom room,
                                 services.use_cases.scheduling.UpdateRoom(call.actor, changed));
                return VersionedResponse(200, json::ToJson(room), room.version, RoomLocation(room.id));
            });
}

void AddClosedDays(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/closed-days", Permission::kAppointmentRead, Subject::kNone, {"from", "to"},
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const sys_days from, RequiredQueryDate(call.request, "from"));
                ASSIGN_OR_RETURN(const sys_days to, RequiredQueryDate(call.request, "to"));
                ASSIGN_OR_RETURN(const std::vector<app::ClosedDay> days,
                                 services.use_cases.scheduling.ListClosedDays(call.actor, from, to));
                return JsonResponse(200, Json{{"items", ArrayOf(days)}});
            });

    api.Add(Method::kPost, "/api/v1/closed-days", Permission::kRoomManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const sys_days date = body.Date("date");
                const std::string reason = body.String("reason");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const app::ClosedDay day,
                                 services.use_cases.scheduling.AddClosedDay(call.actor, date, reason));
                return Created("/api/v1/closed-days/" + FormatDate(day.date), json::ToJson(day));
            });

    api.Add(Method::kDelete, "/api/v1/closed-days/{date}", Permission::kRoomManage, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                const auto capture = call.params.find("date");
                const std::optional<sys_days> date =
                    capture == call.params.end() ? std::nullopt : ParseDate(capture->second);
                if (!date) {
                    return InvalidArgument("date", "must be a calendar date YYYY-MM-DD");
                }
                RETURN_IF_ERROR(services.use_cases.scheduling.RemoveClosedDay(call.actor, *date));
                HttpResponse response;
                response.status = 204;
                return response;
            });
}

// ---- Appointments -----------------------------------------------------------------------------------------------

Result<app::AppointmentRequest> ReadBooking(const HttpRequest& request) {
    ObjectReader body(request.body);
    app::AppointmentRequest booking;
    const std::string type = body.String("type");
    booking.patient = app::PatientId{body.Integer("patient_id")};
    booking.start = body.Time("start");
    if (const std::optional<std::int64_t> room = body.OptionalInteger("room_id")) {
        booking.room = app::RoomId{*room};
    }
    booking.staff = body.OptionalString("staff").value_or("");
    if (const std::optional<std::int64_t> session = body.OptionalInteger("session_id")) {
        booking.session = app::SessionId{*session};
    }
    booking.override_reason = body.OptionalString("override_reason").value_or("");
    RETURN_IF_ERROR(body.Finish());
    ASSIGN_OR_RETURN(booking.type, clinical::ParseAppointmentType(type));
    return booking;
}

void AddAppointmentReads(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/appointment-types", Permission::kAppointmentRead, Subject::kNone,
            [&services](ApiCall&) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                return JsonResponse(200, Json{{"items", json::AppointmentTypesJson(settings)}});
            });

    api.Add(Method::kGet, "/api/v1/appointments", Permission::kAppointmentRead, Subject::kNone,
            {"from", "to", "room_id", "staff", "patient_id", "session_id"},
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::AppointmentFilter filter, ListWindow(call));
                ASSIGN_OR_RETURN(const std::optional<std::int64_t> room, QueryId(call.request, "room_id"));
                ASSIGN_OR_RETURN(const std::optional<std::int64_t> patient, QueryId(call.request, "patient_id"));
                ASSIGN_OR_RETURN(const std::optional<std::int64_t> session, QueryId(call.request, "session_id"));
                if (room) {
                    filter.room = app::RoomId{*room};
                }
                if (patient) {
                    filter.patient = app::PatientId{*patient};
                }
                if (session) {
                    filter.session = app::SessionId{*session};
                }
                if (const std::optional<std::string_view> staff = call.request.QueryParameter("staff")) {
                    filter.staff = std::string(*staff);
                }
                ASSIGN_OR_RETURN(const std::vector<app::Appointment> appointments,
                                 services.use_cases.scheduling.ListAppointments(call.actor, filter));
                return AppointmentList(appointments);
            });

    // A patient's own appointments: under /patients/{id}, so a patient reaches theirs and no one else's.
    api.Add(Method::kGet, "/api/v1/patients/{id}/appointments", Permission::kAppointmentRead, Subject::kPathPatient,
            {"from", "to"}, [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::AppointmentFilter filter, ListWindow(call));
                filter.patient = app::PatientId{call.id};
                ASSIGN_OR_RETURN(const std::vector<app::Appointment> appointments,
                                 services.use_cases.scheduling.ListAppointments(call.actor, filter));
                return AppointmentList(appointments);
            });

    // The caller's own schedule: the appointments they are the staff member of.
    api.Add(Method::kGet, "/api/v1/me/schedule", Permission::kAppointmentRead, Subject::kNone, {"from", "to"},
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::AppointmentFilter filter, ListWindow(call));
                filter.staff = call.principal.email;
                ASSIGN_OR_RETURN(const std::vector<app::Appointment> appointments,
                                 services.use_cases.scheduling.ListAppointments(call.actor, filter));
                return AppointmentList(appointments);
            });

    api.Add(Method::kGet, "/api/v1/appointments/{id}", Permission::kAppointmentRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const app::Appointment appointment,
                                 services.use_cases.scheduling.GetAppointment(call.actor, app::AppointmentId{call.id}));
                return AppointmentResponse(200, appointment);
            });

    // Whether the patient was reminded: each reminder's delivery status, attempts and last error, never its text.
    api.Add(Method::kGet, "/api/v1/appointments/{id}/reminders", Permission::kAppointmentRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::vector<app::OutboxMessage> reminders,
                                 services.use_cases.scheduling.ListReminders(call.actor, app::AppointmentId{call.id}));
                return JsonResponse(200, Json{{"items", ArrayOf(reminders)}});
            });

    api.Add(Method::kGet, "/api/v1/schedule/day", Permission::kAppointmentRead, Subject::kNone, {"date"},
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const sys_days date, RequiredQueryDate(call.request, "date"));
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::DayPlan plan,
                                 services.use_cases.scheduling.GetDayPlan(call.actor, date, settings));
                return JsonResponse(200, json::ToJson(plan));
            });

    api.Add(Method::kGet, "/api/v1/slots", Permission::kAppointmentRead, Subject::kNone,
            {"type", "patient_id", "from", "to", "room_id", "staff", "count", "appointment_id"},
            [&services](ApiCall& call) -> Result<HttpResponse> {
                app::SlotSearch search;
                const std::optional<std::string_view> type = call.request.QueryParameter("type");
                if (!type) {
                    return InvalidArgument("type", "is required: one of " + clinical::kAppointmentTypeNames.List());
                }
                ASSIGN_OR_RETURN(search.type, clinical::ParseAppointmentType(*type));
                ASSIGN_OR_RETURN(const std::optional<std::int64_t> patient, QueryId(call.request, "patient_id"));
                if (!patient) {
                    return InvalidArgument("patient_id", "is required: the patient the slot is for");
                }
                search.patient = app::PatientId{*patient};
                ASSIGN_OR_RETURN(search.from, RequiredQueryDate(call.request, "from"));
                ASSIGN_OR_RETURN(search.to, RequiredQueryDate(call.request, "to"));
                ASSIGN_OR_RETURN(const std::optional<std::int64_t> room, QueryId(call.request, "room_id"));
                if (room) {
                    search.room = app::RoomId{*room};
                }
                if (const std::optional<std::string_view> staff = call.request.QueryParameter("staff")) {
                    search.staff = std::string(*staff);
                }
                ASSIGN_OR_RETURN(const std::optional<int> count, QueryCount(call.request, "count", kMaxSlots));
                search.count = count.value_or(search.count);
                ASSIGN_OR_RETURN(const std::optional<std::int64_t> moving, QueryId(call.request, "appointment_id"));
                if (moving) {
                    search.moving = app::AppointmentId{*moving};
                }
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const std::vector<clinical::Slot> slots,
                                 services.use_cases.scheduling.FindSlots(call.actor, search, settings));
                return JsonResponse(200, Json{{"items", ArrayOf(slots)}});
            });
}

void AddAppointmentChanges(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kPost, "/api/v1/appointments", Permission::kAppointmentBook, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const app::AppointmentRequest booking, ReadBooking(call.request));
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::Appointment appointment,
                                 services.use_cases.scheduling.Book(call.actor, booking, settings));
                return AppointmentResponse(201, appointment);
            });

    api.Add(Method::kPost, "/api/v1/appointments/{id}/reschedule", Permission::kAppointmentBook, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                app::RescheduleRequest request;
                ASSIGN_OR_RETURN(request.version, RequiredIfMatch(call.request));
                ObjectReader body(call.request.body);
                request.start = body.Time("start");
                if (const std::optional<std::int64_t> room = body.OptionalInteger("room_id")) {
                    request.room = app::RoomId{*room};
                }
                request.staff = body.OptionalString("staff").value_or("");
                request.override_reason = body.OptionalString("override_reason").value_or("");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::Appointment appointment,
                                 services.use_cases.scheduling.Reschedule(call.actor, app::AppointmentId{call.id},
                                                                          request, settings));
                return AppointmentResponse(200, appointment);
            });

    api.Add(Method::kPost, "/api/v1/appointments/{id}/cancel", Permission::kAppointmentBook, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::int64_t version, RequiredIfMatch(call.request));
                ObjectReader body(call.request.body);
                const std::string reason = body.String("reason");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::AppointmentOutcome outcome,
                                 services.use_cases.scheduling.Cancel(call.actor, app::AppointmentId{call.id}, version,
                                                                      reason, settings));
                return OutcomeResponse(outcome);
            });

    api.Add(Method::kPost, "/api/v1/appointments/{id}/no-show", Permission::kAppointmentBook, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const std::int64_t version, RequiredIfMatch(call.request));
                RETURN_IF_ERROR(ObjectReader(call.request.body).Finish());
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::AppointmentOutcome outcome,
                                 services.use_cases.scheduling.MarkNoShow(call.actor, app::AppointmentId{call.id},
                                                                          version, settings));
                return OutcomeResponse(outcome);
            });

    using Step = Result<app::Appointment> (app::Scheduling::*)(const app::Actor&, app::AppointmentId, std::int64_t);
    const auto add_step = [&api, &services](std::string_view pattern, Step step) {
        api.Add(Method::kPost, pattern, Permission::kAppointmentCheckIn, Subject::kNone,
                [&services, step](ApiCall& call) -> Result<HttpResponse> {
                    ASSIGN_OR_RETURN(const std::int64_t version, RequiredIfMatch(call.request));
                    RETURN_IF_ERROR(ObjectReader(call.request.body).Finish());
                    ASSIGN_OR_RETURN(
                        const app::Appointment appointment,
                        (services.use_cases.scheduling.*step)(call.actor, app::AppointmentId{call.id}, version));
                    return AppointmentResponse(200, appointment);
                });
    };
    add_step("/api/v1/appointments/{id}/check-in", &app::Scheduling::CheckIn);
    add_step("/api/v1/appointments/{id}/complete", &app::Scheduling::Complete);
}

// ---- A course's series ----------------------------------------------------------------------------------------

void AddCourseSeries(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kPost, "/api/v1/courses/{id}/book-sessions", Permission::kAppointmentBook, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                std::optional<app::RoomId> room;
                if (const std::optional<std::int64_t> id = body.OptionalInteger("room_id")) {
                    room = app::RoomId{*id};
                }
                const std::optional<std::string> staff = body.OptionalString("staff");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(const app::SeriesBooking booked,
                                 services.use_cases.scheduling.BookCourseSessions(call.actor, app::CourseId{call.id},
                                                                                  room, staff, settings));
                return JsonResponse(
                    200, Json{{"appointments", ArrayOf(booked.appointments)}, {"sessions", ArrayOf(booked.sessions)}});
            });

    api.Add(Method::kGet, "/api/v1/courses/{id}/proposal", Permission::kAppointmentRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, SettingsInForce(services));
                ASSIGN_OR_RETURN(
                    const std::vector<app::ProposedSession> proposal,
                    services.use_cases.scheduling.ProposeCourseSessions(call.actor, app::CourseId{call.id}, settings));
                return JsonResponse(200, Json{{"items", ArrayOf(proposal)}});
            });

    api.Add(Method::kGet, "/api/v1/courses/{id}/missed-inductions", Permission::kAppointmentRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(
                    const std::vector<app::MissedInduction> missed,
                    services.use_cases.scheduling.ListMissedInductions(call.actor, app::CourseId{call.id}));
                return JsonResponse(200, Json{{"items", ArrayOf(missed)}});
            });
}

}  // namespace

void AddScheduleRoutes(ApiRouter& api, ApiServices& services) {
    AddRooms(api, services);
    AddClosedDays(api, services);
    AddAppointmentReads(api, services);
    AddAppointmentChanges(api, services);
    AddCourseSeries(api, services);
}

}  // namespace kclinic::adapters::api
