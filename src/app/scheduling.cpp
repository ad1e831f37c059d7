#include "app/scheduling.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/patient_records.hpp"
#include "app/patient_search.hpp"
#include "app/record_names.hpp"
#include "app/reminders.hpp"
#include "app/treatment_text.hpp"
#include "base/text.hpp"

namespace kclinic::app {
namespace {

using clinical::AppointmentStatus;
using clinical::AppointmentType;
using std::chrono::days;
using std::chrono::sys_days;

constexpr TextRule kNameRule{.max_characters = 100};
constexpr TextRule kClosedDayReasonRule{.max_characters = 200};
constexpr TextRule kCancelReasonRule{.max_characters = 500, .multiline = true};
constexpr std::size_t kMaxMonitors = 10;
// The longest range one listing of appointments covers: a quarter, what a calendar view pages by.
constexpr int kMaxListDays = 92;
constexpr int kMaxClosedDayRangeDays = 366;

std::optional<std::int64_t> RoomValue(const std::optional<RoomId>& room) {
    return room ? std::optional<std::int64_t>(room->value) : std::nullopt;
}

clinical::Booking BookingOf(const Appointment& appointment) {
    return clinical::Booking{appointment.id.value, appointment.type, appointment.patient.value,
                             appointment.start,    appointment.end,  RoomValue(appointment.room),
                             appointment.staff};
}

// The local dates [from, to] as the instants they cover.
TimePoint StartOfDay(const clinical::ClinicZone& zone, sys_days date) {
    return zone.DayOf(date).start;
}

Status CheckRoom(const NewRoom& room) {
    RETURN_IF_ERROR(CheckText("name", room.name, kNameRule));
    if (room.monitor_ids.size() > kMaxMonitors) {
        return InvalidArgument("monitor_ids", "at most " + std::to_string(kMaxMonitors) + " monitors per room (got " +
                                                  std::to_string(room.monitor_ids.size()) + ")");
    }
    for (const std::string& monitor : room.monitor_ids) {
        RETURN_IF_ERROR(CheckText("monitor_ids", monitor, kNameRule));
    }
    return Status::Ok();
}

// Room names are unique ignoring ASCII case: "Chair 2" and "chair 2" are one chair to the front desk.
Status CheckRoomNameFree(StoreTransaction& tx, const std::string& name, RoomId self) {
    ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
    for (const TreatmentRoom& other : rooms) {
        if (other.id != self && FoldAsciiCase(other.name) == FoldAsciiCase(name)) {
            return Error{ErrorCode::kConflict, "name", "a room named \"" + other.name + "\" already exists"};
        }
    }
    return Status::Ok();
}

// The active users with `role`, in id order.
Result<std::vector<User>> ActiveUsersWith(StoreTransaction& tx, Role role) {
    std::vector<User> found;
    UserId after{};
    while (true) {
        ASSIGN_OR_RETURN(const std::vector<User> page, tx.ListUsers(after, kMaxPageSize));
        for (const User& user : page) {
            if (user.role == role && !user.disabled) {
                found.push_back(user);
            }
        }
        if (page.size() < static_cast<std::size_t>(kMaxPageSize)) {
            return found;
        }
        after = page.back().id;
    }
}

// The clinic's nurses' emails, in id order: who the slot search offers a treatment to.
Result<std::vector<std::string>> NurseEmails(StoreTransaction& tx) {
    ASSIGN_OR_RETURN(const std::vector<User> nurses, ActiveUsersWith(tx, Role::kNurse));
    std::vector<std::string> emails;
    emails.reserve(nurses.size());
    for (const User& nurse : nurses) {
        emails.push_back(nurse.email);
    }
    return emails;
}

// `staff` as stored (lower case), or empty. A clinician of the clinic: an active prescriber, nurse or therapist; a
// treatment is watched by a nurse or a prescriber.
Result<std::string> CheckStaff(StoreTransaction& tx, const std::string& staff, AppointmentType type) {
    if (staff.empty()) {
        return std::string();
    }
    std::string email = FoldAsciiCase(staff);
    ASSIGN_OR_RETURN(const std::optional<User> user, tx.FindUserByEmail(email));
    const bool clinician =
        user && !user->disabled &&
        (user->role == Role::kPrescriber || user->role == Role::kNurse || user->role == Role::kTherapist);
    if (!clinician) {
        return InvalidArgument("staff", email +
                                            " is not an active clinician of the clinic (prescriber, nurse or "
                                            "therapist)");
    }
    if (clinical::IsTreatment(type) && user->role == Role::kTherapist) {
        return InvalidArgument("staff", "an " + std::string(clinical::AppointmentTypeName(type)) +
                                            " is watched by a nurse or a prescriber, not by " + email + " (therapist)");
    }
    return email;
}

// Whether the actor may book past the soft rules: an active prescriber.
Result<bool> IsPrescriber(StoreTransaction& tx, const Actor& actor) {
    ASSIGN_OR_RETURN(const std::optional<User> user, tx.FindUserByEmail(FoldAsciiCase(actor.user)));
    return user && !user->disabled && user->role == Role::kPrescriber;
}

Status CheckOverrideReason(const std::string& reason) {
    if (reason.empty()) {
        return Status::Ok();
    }
    return CheckText("override_reason", reason, treatment_text::kReasonRule);
}

// The appointment of `session` that holds time, if any.
Result<std::optional<Appointment>> HoldingAppointmentOf(StoreTransaction& tx, SessionId session) {
    // Every appointment a session ever had lies between these instants (1970 and 2286).
    AppointmentFilter filter{
        TimePoint{}, TimePoint{std::chrono::milliseconds{10'000'000'000'000LL}}, {}, {}, {}, session, true};
    ASSIGN_OR_RETURN(const std::vector<Appointment> held, tx.ListAppointments(filter));
    return held.empty() ? std::nullopt : std::optional<Appointment>(held.front());
}

// Checks that `session` may be linked to an appointment of `type` for `patient`; returns it.
Result<TreatmentSession> CheckSessionLink(StoreTransaction& tx, SessionId id, PatientId patient, AppointmentType type,
                                          std::optional<AppointmentId> self) {
    if (!clinical::IsTreatment(type)) {
        return InvalidArgument("session_id", "a treatment session is booked as a treatment, not as an " +
                                                 std::string(clinical::AppointmentTypeName(type)));
    }
    ASSIGN_OR_RETURN(TreatmentSession session, tx.GetSession(id));
    const auto refuse = [&](const std::string& why) {
        return Error{ErrorCode::kFailedPrecondition, "session_id", "session " + std::to_string(id.value) + " " + why};
    };
    if (session.patient != patient) {
        return refuse("is another patient's");
    }
    if (session.state != clinical::SessionState::kScheduled) {
        return refuse("is " + std::string(clinical::SessionStateName(session.state)) + ", not scheduled");
    }
    ASSIGN_OR_RETURN(const TreatmentCourse course, tx.GetCourse(session.course));
    if (course.status != CourseStatus::kActive) {
        return refuse("belongs to a " + std::string(CourseStatusName(course.status)) + " course");
    }
    Result<AppointmentType> route_type = clinical::TreatmentTypeOf(course.route);
    if (!route_type.ok() || *route_type != type) {
        return refuse("is a " + std::string(clinical::RouteName(course.route)) + " session, not an " +
                      std::string(clinical::AppointmentTypeName(type)));
    }
    ASSIGN_OR_RETURN(const std::optional<Appointment> held, HoldingAppointmentOf(tx, id));
    if (held && (!self || held->id != *self)) {
        return refuse("already has appointment " + std::to_string(held->id.value));
    }
    return session;
}

// What the rules look at around [from, to): the rooms, the opening hours with the closed dates, and the appointments
// that hold time and overlap it (unless `others` leaves them to the slot search, which reads them window by window),
// with the patient's within the spacing window on either side; `moving` (the appointment being rescheduled) left out.
enum class OthersInRange { kRead, kLeftToTheSearch };
struct ScheduleData {
    std::vector<clinical::Room> rooms;
    clinical::OpeningHours hours;
    std::vector<clinical::Booking> bookings;
};

Result<ScheduleData> LoadSchedule(StoreTransaction& tx, const clinical::ClinicZone& zone,
                                  const clinical::ClinicSettings& settings, TimePoint from, TimePoint to,
                                  PatientId patient, std::optional<AppointmentId> moving, OthersInRange others) {
    ScheduleData data;
    ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
    for (const TreatmentRoom& room : rooms) {
        data.rooms.push_back(clinical::Room{room.id.value, room.name, room.equipment, room.active});
    }
    ASSIGN_OR_RETURN(const std::vector<ClosedDay> closed,
                     tx.ListClosedDays(zone.LocalDate(from) - days{1}, zone.LocalDate(to) + days{1}));
    std::vector<sys_days> closed_dates;
    closed_dates.reserve(closed.size());
    for (const ClosedDay& day : closed) {
        closed_dates.push_back(day.date);
    }
    data.hours = clinical::OpeningHoursOf(settings, std::move(closed_dates));

    if (others == OthersInRange::kRead) {
        ASSIGN_OR_RETURN(data.bookings, tx.ListHeldBookings(from, to, std::nullopt));
    }
    // The spacing rule looks this far on either side (a day more, for the local dates at the window's edges).
    const days spacing{settings.schedule.min_days_between_sessions + 1};
    ASSIGN_OR_RETURN(const std::vector<clinical::Booking> own,
                     tx.ListHeldBookings(from - spacing, to + spacing, patient));
    data.bookings.insert(data.bookings.end(), own.begin(), own.end());
    std::sort(data.bookings.begin(), data.bookings.end(),
              [](const clinical::Booking& a, const clinical::Booking& b) { return a.id < b.id; });
    data.bookings.erase(
        std::unique(data.bookings.begin(), data.bookings.end(),
                    [](const clinical::Booking& a, const clinical::Booking& b) { return a.id == b.id; }),
        data.bookings.end());
    if (moving) {
        std::erase_if(data.bookings, [&](const clinical::Booking& booking) { return booking.id == moving->value; });
    }
    return data;
}

// The rules' verdict on `candidate`: the soft rules' names it is booked past (with `override_reason`), or the refusal.
Result<std::vector<std::string>> CheckRules(StoreTransaction& tx, const Actor& actor, const clinical::ClinicZone& zone,
                                            const clinical::ClinicSettings& settings, TimePoint now,
                                            const Appointment& candidate, const std::string& override_reason,
                                            std::optional<AppointmentId> moving) {
    ASSIGN_OR_RETURN(const ScheduleData data, LoadSchedule(tx, zone, settings, candidate.start, candidate.end,
                                                           candidate.patient, moving, OthersInRange::kRead));
    const clinical::ScheduleContext context{zone, data.hours, data.rooms, data.bookings, settings, now};
    const std::vector<clinical::BookingConflict> conflicts = clinical::CheckBooking(BookingOf(candidate), context);
    if (conflicts.empty()) {
        if (!override_reason.empty()) {
            return InvalidArgument("override_reason", "the booking breaks no rule, so there is nothing to override");
        }
        return std::vector<std::string>{};
    }
    std::string messages;
    std::vector<std::string> soft;
    std::optional<clinical::BookingRule> first_hard;
    for (const clinical::BookingConflict& conflict : conflicts) {
        messages += (messages.empty() ? "" : "; ") + conflict.message;
        if (clinical::IsHardRule(conflict.rule)) {
            first_hard = first_hard.value_or(conflict.rule);
        } else {
            soft.emplace_back(clinical::BookingRuleName(conflict.rule));
        }
    }
    if (first_hard) {
        return Error{ErrorCode::kFailedPrecondition, std::string(clinical::BookingRuleName(*first_hard)), messages};
    }
    if (override_reason.empty()) {
        return Error{ErrorCode::kFailedPrecondition, soft.front(),
                     messages + " (a prescriber may book past this with a reason)"};
    }
    ASSIGN_OR_RETURN(const bool prescriber, IsPrescriber(tx, actor));
    if (!prescriber) {
        return Error{ErrorCode::kPermissionDenied, "override_reason", "only a prescriber may book past " + messages};
    }
    return soft;
}

std::string JoinNames(const std::vector<std::string>& names) {
    std::string joined;
    for (const std::string& name : names) {
        joined += (joined.empty() ? "" : ", ") + name;
    }
    return joined;
}

Status AuditAppointment(StoreTransaction& tx, const Actor& actor, TimePoint now, std::string_view action,
                        const Appointment& appointment, std::string_view detail = {}) {
    return RecordAudit(tx, actor, now, action, "appointment", appointment.id.value, appointment.patient.value, detail);
}

// Audits a booking past soft rules, besides the booking's own entry.
Status AuditOverride(StoreTransaction& tx, const Actor& actor, TimePoint now, const Appointment& appointment) {
    if (appointment.overridden.empty()) {
        return Status::Ok();
    }
    return AuditAppointment(tx, actor, now, "appointment.override", appointment,
                            JoinNames(appointment.overridden) + ": " + appointment.override_reason);
}

Result<Appointment> GetAtVersion(StoreTransaction& tx, AppointmentId id, std::int64_t version) {
    ASSIGN_OR_RETURN(Appointment appointment, tx.GetAppointment(id));
    if (appointment.version != version) {
        return Error{ErrorCode::kConflict, "version",
                     "appointment " + std::to_string(id.value) + " was changed by someone else (version " +
                         std::to_string(appointment.version) + ", not " + std::to_string(version) + ")"};
    }
    return appointment;
}

// One step of an appointment's status: from which status to which, in words for the refusal, and its audit action.
struct StatusStep {
    AppointmentStatus from;
    AppointmentStatus to;
    std::string_view done;  // "cancelled"
    std::string_view action;
};
constexpr StatusStep kCancelStep{AppointmentStatus::kBooked, AppointmentStatus::kCancelled, "cancelled",
                                 "appointment.cancel"};
constexpr StatusStep kNoShowStep{AppointmentStatus::kBooked, AppointmentStatus::kNoShow, "marked a no-show",
                                 "appointment.no_show"};
constexpr StatusStep kCheckInStep{AppointmentStatus::kBooked, AppointmentStatus::kCheckedIn, "checked in",
                                  "appointment.check_in"};
constexpr StatusStep kCompleteStep{AppointmentStatus::kCheckedIn, AppointmentStatus::kCompleted, "completed",
                                   "appointment.complete"};

// Takes appointment `id` at `version` one `step` (with `reason` as its status reason), stores and audits it.
Result<Appointment> StepStatus(StoreTransaction& tx, const Actor& actor, TimePoint now, AppointmentId id,
                               std::int64_t version, const StatusStep& step, std::string_view reason = {}) {
    ASSIGN_OR_RETURN(Appointment appointment, GetAtVersion(tx, id, version));
    if (appointment.status != step.from) {
        return Error{ErrorCode::kFailedPrecondition, "status",
                     "appointment " + std::to_string(id.value) + " is " +
                         std::string(clinical::kAppointmentStatusNames.Name(appointment.status)) + "; only a " +
                         std::string(clinical::kAppointmentStatusNames.Name(step.from)) + " appointment can be " +
                         std::string(step.done)};
    }
    appointment.status = step.to;
    appointment.status_reason = std::string(reason);
    appointment.updated_at = now;
    appointment.updated_by = actor.user;
    RETURN_IF_ERROR(tx.UpdateAppointment(appointment));
    appointment.version += 1;
    RETURN_IF_ERROR(AuditAppointment(tx, actor, now, step.action, appointment));
    return appointment;
}

// The induction phases: the IV series and esketamine's first four weeks (TRD) or its acute course (suicidal ideation),
// where the label and protocol set the sessions' spacing (clinical/schedule.hpp).
bool IsInductionPhase(const TreatmentSession& session) {
    return session.phase == clinical::kPhaseInduction || session.phase == clinical::kPhaseAcute;
}

// The local date a session took place or is booked on, for the spacing of the sessions after it.
std::optional<sys_days> SessionDay(const TreatmentSession& session, const std::optional<Appointment>& held,
                                   const clinical::ClinicZone& zone) {
    switch (session.state) {
        case clinical::SessionState::kCancelled:
        case clinical::SessionState::kAborted:
            return std::nullopt;
        case clinical::SessionState::kScheduled:
            return held ? std::optional<sys_days>(zone.LocalDate(held->start)) : std::nullopt;
        default:
            return session.checked_in_at ? zone.LocalDate(*session.checked_in_at) : session.planned_date;
    }
}

// The first date on or after `from` that the protocol's spacing allows after `previous` (clinical::CheckSpacing, the
// rule's one statement).
Result<sys_days> EarliestAfter(std::optional<sys_days> previous, sys_days from,
                               const clinical::ScheduleSettings& settings) {
    if (!previous) {
        return from;
    }
    sys_days date = std::max(from, *previous);
    for (int step = 0; step <= clinical::kMaxSessionSpacingDays + 1; ++step, date += days{1}) {
        Status spaced = clinical::CheckSpacing(*previous, date, settings);
        if (spaced.ok()) {
            return date;
        }
        if (spaced.error().code != ErrorCode::kFailedPrecondition) {
            return spaced.error();
        }
    }
    return Error{ErrorCode::kInternal, "", "no date satisfies the session spacing"};
}

// Where BookCourseSessions puts each remaining session, and ProposeCourseSessions proposes it.
struct SeriesPlan {
    TreatmentCourse course;
    std::vector<ProposedSession> proposal;
};

Result<SeriesPlan> PlanSeries(StoreTransaction& tx, const clinical::ClinicZone& zone,
                              const clinical::ClinicSettings& settings, TimePoint now, CourseId course_id,
                              std::optional<RoomId> room, const std::optional<std::string>& staff) {
    SeriesPlan plan;
    ASSIGN_OR_RETURN(plan.course, tx.GetCourse(course_id));
    Result<AppointmentType> type = clinical::TreatmentTypeOf(plan.course.route);
    if (!type.ok()) {
        return Error{ErrorCode::kFailedPrecondition, "route",
                     "a " + std::string(clinical::RouteName(plan.course.route)) +
                         " course is not given in a treatment room, so its sessions are not booked"};
    }
    if (room) {
        RETURN_IF_ERROR(tx.GetRoom(*room));
    }
    ASSIGN_OR_RETURN(const std::vector<std::string> nurses, NurseEmails(tx));
    ASSIGN_OR_RETURN(const std::vector<TreatmentSession> sessions, tx.ListSessions(course_id));
    const std::chrono::minutes length = clinical::AppointmentLength(*type, settings);
    const sys_days today = zone.LocalDate(now);
    std::vector<clinical::Booking> proposed;  // earlier sessions' proposals, which later ones must not collide with
    std::optional<sys_days> previous;
    for (const TreatmentSession& session : sessions) {
        ASSIGN_OR_RETURN(const std::optional<Appointment> held, HoldingAppointmentOf(tx, session.id));
        if (session.state != clinical::SessionState::kScheduled || held) {
            if (const std::optional<sys_days> day = SessionDay(session, held, zone)) {
                previous = day;
            }
            continue;
        }
        ASSIGN_OR_RETURN(const sys_days from,
                         EarliestAfter(previous, std::max(session.planned_date, today), settings.schedule));
        const sys_days to = from + days{kSeriesSearchDays};
        ASSIGN_OR_RETURN(ScheduleData data,
                         LoadSchedule(tx, zone, settings, StartOfDay(zone, from), StartOfDay(zone, to + days{1}),
                                      plan.course.patient, {}, OthersInRange::kRead));
        data.bookings.insert(data.bookings.end(), proposed.begin(), proposed.end());
        clinical::SlotRequest request;
        request.type = *type;
        request.patient = plan.course.patient.value;
        request.length = length;
        request.from = from;
        request.to = to;
        request.room = RoomValue(room);
        request.staff = staff;
        request.nurses = nurses;
        request.count = 1;
        const clinical::ScheduleContext context{zone, data.hours, data.rooms, data.bookings, settings, now};
        ASSIGN_OR_RETURN(const std::vector<clinical::Slot> slots, clinical::FindSlots(request, context));
        ProposedSession entry{session, std::nullopt};
        if (!slots.empty()) {
            entry.slot = slots.front();
            proposed.push_back(clinical::Booking{0, *type, plan.course.patient.value, slots.front().start,
                                                 slots.front().end, slots.front().room, slots.front().staff});
            previous = zone.LocalDate(slots.front().start);
        }
        plan.proposal.push_back(std::move(entry));
    }
    return plan;
}

// Flags the course when `appointment` was an induction-phase treatment session, and re-proposes its remaining plan.
Result<AppointmentOutcome> AfterMissed(StoreTransaction& tx, const Actor& actor, const clinical::ClinicZone& zone,
                                       const clinical::ClinicSettings& settings, TimePoint now,
                                       Appointment appointment) {
    AppointmentOutcome outcome;
    outcome.appointment = std::move(appointment);
    const Appointment& missed = outcome.appointment;
    if (!missed.session || !clinical::IsTreatment(missed.type)) {
        return outcome;
    }
    ASSIGN_OR_RETURN(const TreatmentSession session, tx.GetSession(*missed.session));
    if (!IsInductionPhase(session)) {
        return outcome;
    }
    const std::string what = missed.status == AppointmentStatus::kNoShow ? "no-show" : "cancelled";
    MissedInduction flag{MissedInductionId{},
                         session.course,
                         session.id,
                         missed.id,
                         missed.patient,
                         missed.status,
                         missed.status == AppointmentStatus::kNoShow
                             ? "no-show for session " + std::to_string(session.number) + " on " +
                                   FormatDate(zone.LocalDate(missed.start))
                             : missed.status_reason,
                         now,
                         actor.user};
    ASSIGN_OR_RETURN(flag.id, tx.InsertMissedInduction(flag));
    RETURN_IF_ERROR(RecordAudit(tx, actor, now, "course.missed_induction", "course", session.course.value,
                                missed.patient.value, what + ": session " + std::to_string(session.number)));
    outcome.missed_induction = std::move(flag);
    ASSIGN_OR_RETURN(SeriesPlan plan, PlanSeries(tx, zone, settings, now, session.course, std::nullopt, std::nullopt));
    outcome.proposal = std::move(plan.proposal);
    return outcome;
}

// Where an appointment's linked session follows it: its planned date becomes the appointment's local date.
Status FollowWithSession(StoreTransaction& tx, const Appointment& appointment, const clinical::ClinicZone& zone) {
    if (!appointment.session) {
        return Status::Ok();
    }
    return tx.MoveSessionDate(*appointment.session, zone.LocalDate(appointment.start));
}

// The initials of a name: "Ada Example" -> "A.E." (the first byte of each part; a name starting with a non-ASCII
// letter keeps that letter's whole UTF-8 sequence).
std::string Initial(const std::string& name) {
    if (name.empty()) {
        return "";
    }
    std::size_t length = 1;
    while (length < name.size() && (static_cast<unsigned char>(name[length]) & 0xC0U) == 0x80U) {
        ++length;
    }
    return name.substr(0, length) + ".";
}

// The reminders settings.reminders asks for: each lead time that is on (0 turns one off).
ReminderPolicy ReminderPolicyOf(const clinical::ClinicSettings& settings) {
    ReminderPolicy policy;
    for (const int lead : {settings.reminders.first_lead_hours, settings.reminders.second_lead_hours}) {
        if (lead > 0) {
            policy.leads.emplace_back(lead);
        }
    }
    return policy;
}

}  // namespace

Result<TreatmentRoom> Scheduling::CreateRoom(const Actor& actor, const NewRoom& room) {
    RETURN_IF_ERROR(CheckRoom(room));
    return store_.Write([&](StoreTransaction& tx) -> Result<TreatmentRoom> {
        RETURN_IF_ERROR(CheckRoomNameFree(tx, room.name, RoomId{}));
        TreatmentRoom created{RoomId{}, room.name, room.equipment, room.monitor_ids, true, 1};
        ASSIGN_OR_RETURN(created.id, tx.InsertRoom(created));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "room.create", "room", created.id.value, 0, room.name));
        return created;
    });
}

Result<TreatmentRoom> Scheduling::UpdateRoom(const Actor& actor, const TreatmentRoom& room) {
    RETURN_IF_ERROR(CheckRoom(NewRoom{room.name, room.equipment, room.monitor_ids}));
    return store_.Write([&](StoreTransaction& tx) -> Result<TreatmentRoom> {
        RETURN_IF_ERROR(CheckRoomNameFree(tx, room.name, room.id));
        RETURN_IF_ERROR(tx.UpdateRoom(room));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "room.update", "room", room.id.value, 0, room.name));
        return tx.GetRoom(room.id);
    });
}

Result<std::vector<TreatmentRoom>> Scheduling::ListRooms(const Actor& /*actor*/) {
    // Rooms are no patient data: read without an audit entry.
    return store_.Read([&](StoreTransaction& tx) { return tx.ListRooms(); });
}

Result<ClosedDay> Scheduling::AddClosedDay(const Actor& actor, sys_days date, std::string_view reason) {
    RETURN_IF_ERROR(CheckText("reason", reason, kClosedDayReasonRule));
    return store_.Write([&](StoreTransaction& tx) -> Result<ClosedDay> {
        ClosedDay day{date, std::string(reason), actor.user};
        RETURN_IF_ERROR(tx.InsertClosedDay(day));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "closed_day.add", "closed_day", 0, 0,
                                    FormatDate(date) + ": " + day.reason));
        return day;
    });
}

Status Scheduling::RemoveClosedDay(const Actor& actor, sys_days date) {
    return store_.Write([&](StoreTransaction& tx) -> Status {
        RETURN_IF_ERROR(tx.DeleteClosedDay(date));
        return RecordAudit(tx, actor, clock_.Now(), "closed_day.remove", "closed_day", 0, 0, FormatDate(date));
    });
}

Result<std::vector<ClosedDay>> Scheduling::ListClosedDays(const Actor& /*actor*/, sys_days from, sys_days to) {
    if (to < from || to - from > days{kMaxClosedDayRangeDays}) {
        return InvalidArgument(
            "to", "must be on or after from and at most " + std::to_string(kMaxClosedDayRangeDays) + " days after it");
    }
    return store_.Read([&](StoreTransaction& tx) { return tx.ListClosedDays(from, to); });
}

Result<Appointment> Scheduling::Book(const Actor& actor, const AppointmentRequest& request,
                                     const clinical::ClinicSettings& settings) {
    RETURN_IF_ERROR(CheckOverrideReason(request.override_reason));
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<Appointment> {
        RETURN_IF_ERROR(tx.LockSchedule());
        RETURN_IF_ERROR(tx.GetPatient(request.patient));
        if (request.room) {
            RETURN_IF_ERROR(tx.GetRoom(*request.room));
        }
        Appointment appointment;
        appointment.patient = request.patient;
        appointment.type = request.type;
        appointment.start = request.start;
        appointment.end = request.start + clinical::AppointmentLength(request.type, settings);
        appointment.room = request.room;
        ASSIGN_OR_RETURN(appointment.staff, CheckStaff(tx, request.staff, request.type));
        if (request.session) {
            RETURN_IF_ERROR(CheckSessionLink(tx, *request.session, request.patient, request.type, std::nullopt));
            appointment.session = request.session;
        }
        ASSIGN_OR_RETURN(appointment.overridden, CheckRules(tx, actor, zone, settings, now, appointment,
                                                            request.override_reason, std::nullopt));
        appointment.override_reason = request.override_reason;
        appointment.created_at = now;
        appointment.created_by = actor.user;
        appointment.updated_at = now;
        appointment.updated_by = actor.user;
        ASSIGN_OR_RETURN(appointment.id, tx.InsertAppointment(appointment));
        RETURN_IF_ERROR(FollowWithSession(tx, appointment, zone));
        RETURN_IF_ERROR(WriteReminders(tx, appointment, ReminderPolicyOf(settings), zone, now));
        RETURN_IF_ERROR(AuditAppointment(tx, actor, now, "appointment.book", appointment));
        RETURN_IF_ERROR(AuditOverride(tx, actor, now, appointment));
        return appointment;
    });
}

Result<Appointment> Scheduling::Reschedule(const Actor& actor, AppointmentId id, const RescheduleRequest& request,
                                           const clinical::ClinicSettings& settings) {
    RETURN_IF_ERROR(CheckOverrideReason(request.override_reason));
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<Appointment> {
        RETURN_IF_ERROR(tx.LockSchedule());
        ASSIGN_OR_RETURN(Appointment appointment, GetAtVersion(tx, id, request.version));
        if (appointment.status != AppointmentStatus::kBooked) {
            return Error{ErrorCode::kFailedPrecondition, "status",
                         "appointment " + std::to_string(id.value) + " is " +
                             std::string(clinical::kAppointmentStatusNames.Name(appointment.status)) +
                             "; only a booked appointment can be rescheduled"};
        }
        if (request.room) {
            RETURN_IF_ERROR(tx.GetRoom(*request.room));
        }
        appointment.start = request.start;
        appointment.end = request.start + clinical::AppointmentLength(appointment.type, settings);
        appointment.room = request.room;
        ASSIGN_OR_RETURN(appointment.staff, CheckStaff(tx, request.staff, appointment.type));
        if (appointment.session) {
            RETURN_IF_ERROR(
                CheckSessionLink(tx, *appointment.session, appointment.patient, appointment.type, appointment.id));
        }
        ASSIGN_OR_RETURN(appointment.overridden,
                         CheckRules(tx, actor, zone, settings, now, appointment, request.override_reason, id));
        appointment.override_reason = request.override_reason;
        appointment.updated_at = now;
        appointment.updated_by = actor.user;
        RETURN_IF_ERROR(tx.UpdateAppointment(appointment));
        appointment.version += 1;
        RETURN_IF_ERROR(FollowWithSession(tx, appointment, zone));
        // The old time's reminders must not go out; the new time's are keyed by the new version.
        RETURN_IF_ERROR(tx.CancelOutboxMessages(appointment.id));
        RETURN_IF_ERROR(WriteReminders(tx, appointment, ReminderPolicyOf(settings), zone, now));
        RETURN_IF_ERROR(AuditAppointment(tx, actor, now, "appointment.reschedule", appointment));
        RETURN_IF_ERROR(AuditOverride(tx, actor, now, appointment));
        return appointment;
    });
}

Result<AppointmentOutcome> Scheduling::Cancel(const Actor& actor, AppointmentId id, std::int64_t version,
                                              std::string_view reason, const clinical::ClinicSettings& settings) {
    RETURN_IF_ERROR(CheckText("reason", reason, kCancelReasonRule));
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<AppointmentOutcome> {
        RETURN_IF_ERROR(tx.LockSchedule());
        ASSIGN_OR_RETURN(Appointment appointment, StepStatus(tx, actor, now, id, version, kCancelStep, reason));
        RETURN_IF_ERROR(tx.CancelOutboxMessages(appointment.id));
        return AfterMissed(tx, actor, zone, settings, now, std::move(appointment));
    });
}

Result<AppointmentOutcome> Scheduling::MarkNoShow(const Actor& actor, AppointmentId id, std::int64_t version,
                                                  const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<AppointmentOutcome> {
        RETURN_IF_ERROR(tx.LockSchedule());
        ASSIGN_OR_RETURN(Appointment appointment, StepStatus(tx, actor, now, id, version, kNoShowStep));
        if (now < appointment.start) {  // the error rolls the step back
            return Error{ErrorCode::kFailedPrecondition, "start",
                         "appointment " + std::to_string(id.value) + " has not started yet; cancel it instead"};
        }
        RETURN_IF_ERROR(tx.CancelOutboxMessages(appointment.id));
        return AfterMissed(tx, actor, zone, settings, now, std::move(appointment));
    });
}

Result<Appointment> Scheduling::CheckIn(const Actor& actor, AppointmentId id, std::int64_t version) {
    return store_.Write([&](StoreTransaction& tx) -> Result<Appointment> {
        return StepStatus(tx, actor, clock_.Now(), id, version, kCheckInStep);
    });
}

Result<Appointment> Scheduling::Complete(const Actor& actor, AppointmentId id, std::int64_t version) {
    return store_.Write([&](StoreTransaction& tx) -> Result<Appointment> {
        return StepStatus(tx, actor, clock_.Now(), id, version, kCompleteStep);
    });
}

Result<Appointment> Scheduling::GetAppointment(const Actor& actor, AppointmentId id) {
    return store_.Write([&](StoreTransaction& tx) -> Result<Appointment> {
        ASSIGN_OR_RETURN(Appointment appointment, tx.GetAppointment(id));
        RETURN_IF_ERROR(AuditAppointment(tx, actor, clock_.Now(), "appointment.read", appointment));
        return appointment;
    });
}

Result<std::vector<OutboxMessage>> Scheduling::ListReminders(const Actor& actor, AppointmentId id) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<OutboxMessage>> {
        ASSIGN_OR_RETURN(const Appointment appointment, tx.GetAppointment(id));
        OutboxFilter filter;
        filter.appointment = id;
        ASSIGN_OR_RETURN(std::vector<OutboxMessage> messages, tx.ListOutboxMessages(filter));
        RETURN_IF_ERROR(AuditAppointment(tx, actor, clock_.Now(), "appointment.reminders", appointment));
        return messages;
    });
}

Result<std::vector<Appointment>> Scheduling::ListAppointments(const Actor& actor, const AppointmentFilter& filter) {
    if (filter.to <= filter.from || filter.to - filter.from > days{kMaxListDays}) {
        return InvalidArgument("to",
                               "must be after from and at most " + std::to_string(kMaxListDays) + " days after it");
    }
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<Appointment>> {
        ASSIGN_OR_RETURN(std::vector<Appointment> appointments, tx.ListAppointments(filter));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "appointment.list", "appointment", 0,
                                    filter.patient ? filter.patient->value : 0,
                                    filter.staff ? "staff " + *filter.staff : std::string()));
        return appointments;
    });
}

Result<std::vector<clinical::Slot>> Scheduling::FindSlots(const Actor& actor, const SlotSearch& search,
                                                          const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<clinical::Slot>> {
        RETURN_IF_ERROR(tx.GetPatient(search.patient));
        if (search.room) {
            RETURN_IF_ERROR(tx.GetRoom(*search.room));
        }
        clinical::SlotRequest request;
        request.type = search.type;
        request.patient = search.patient.value;
        request.length = clinical::AppointmentLength(search.type, settings);
        request.from = search.from;
        request.to = search.to;
        request.room = RoomValue(search.room);
        if (search.staff) {
            ASSIGN_OR_RETURN(request.staff, CheckStaff(tx, *search.staff, search.type));
        }
        ASSIGN_OR_RETURN(request.nurses, NurseEmails(tx));
        request.count = search.count;
        request.moving_appointment = search.moving ? search.moving->value : 0;
        // The range is checked by FindSlots; an inverted one loads nothing.
        const TimePoint from = StartOfDay(zone, search.from);
        const TimePoint to = std::max(from, StartOfDay(zone, search.to + days{1}));
        ASSIGN_OR_RETURN(const ScheduleData data, LoadSchedule(tx, zone, settings, from, to, search.patient,
                                                               search.moving, OthersInRange::kLeftToTheSearch));
        const clinical::ScheduleContext context{zone, data.hours, data.rooms, data.bookings, settings, now};
        // The range's appointments window by window: a search answered in its first days reads only those (issue
        // 11 §5, docs/benchmarks.md). The search leaves out the appointment being moved.
        const auto overlapping = [&](TimePoint window_from,
                                     TimePoint window_to) -> Result<std::vector<clinical::Booking>> {
            return tx.ListHeldBookings(window_from, window_to, std::nullopt);
        };
        ASSIGN_OR_RETURN(std::vector<clinical::Slot> slots, clinical::FindSlots(request, context, overlapping));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "slot.search", "patient", search.patient.value,
                                    search.patient.value,
                                    std::string(clinical::AppointmentTypeName(search.type)) + " " +
                                        FormatDate(search.from) + ".." + FormatDate(search.to)));
        return slots;
    });
}

Result<SeriesBooking> Scheduling::BookCourseSessions(const Actor& actor, CourseId course, std::optional<RoomId> room,
                                                     std::optional<std::string> staff,
                                                     const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<SeriesBooking> {
        RETURN_IF_ERROR(tx.LockSchedule());
        if (staff) {
            ASSIGN_OR_RETURN(staff, CheckStaff(tx, *staff, AppointmentType::kIvSession));
        }
        ASSIGN_OR_RETURN(const SeriesPlan plan, PlanSeries(tx, zone, settings, now, course, room, staff));
        if (plan.course.status != CourseStatus::kActive) {
            return Error{ErrorCode::kFailedPrecondition, "course_id",
                         "course " + std::to_string(course.value) + " is " +
                             std::string(CourseStatusName(plan.course.status)) + "; only an active course is booked"};
        }
        SeriesBooking booked;
        for (const ProposedSession& proposed : plan.proposal) {
            if (!proposed.slot) {
                return Error{ErrorCode::kFailedPrecondition, "session_id",
                             "no slot fits session " + std::to_string(proposed.session.number) + " within " +
                                 std::to_string(kSeriesSearchDays) + " days of " +
                                 FormatDate(proposed.session.planned_date)};
            }
            Appointment appointment;
            appointment.patient = plan.course.patient;
            ASSIGN_OR_RETURN(appointment.type, clinical::TreatmentTypeOf(plan.course.route));
            appointment.start = proposed.slot->start;
            appointment.end = proposed.slot->end;
            if (proposed.slot->room) {
                appointment.room = RoomId{*proposed.slot->room};
            }
            appointment.staff = proposed.slot->staff;
            appointment.session = proposed.session.id;
            appointment.created_at = now;
            appointment.created_by = actor.user;
            appointment.updated_at = now;
            appointment.updated_by = actor.user;
            ASSIGN_OR_RETURN(appointment.id, tx.InsertAppointment(appointment));
            RETURN_IF_ERROR(FollowWithSession(tx, appointment, zone));
            RETURN_IF_ERROR(WriteReminders(tx, appointment, ReminderPolicyOf(settings), zone, now));
            RETURN_IF_ERROR(AuditAppointment(tx, actor, now, "appointment.book", appointment));
            ASSIGN_OR_RETURN(TreatmentSession session, tx.GetSession(proposed.session.id));
            booked.sessions.push_back(std::move(session));
            booked.appointments.push_back(std::move(appointment));
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "course.book_series", "course", course.value,
                                    plan.course.patient.value,
                                    std::to_string(booked.appointments.size()) + " sessions"));
        return booked;
    });
}

Result<std::vector<ProposedSession>> Scheduling::ProposeCourseSessions(const Actor& actor, CourseId course,
                                                                       const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<ProposedSession>> {
        ASSIGN_OR_RETURN(SeriesPlan plan, PlanSeries(tx, zone, settings, now, course, std::nullopt, std::nullopt));
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "course.propose", "course", course.value, plan.course.patient.value));
        return std::move(plan.proposal);
    });
}

Result<std::vector<MissedInduction>> Scheduling::ListMissedInductions(const Actor& actor, CourseId course) {
    return store_.Write([&](StoreTransaction& tx) -> Result<std::vector<MissedInduction>> {
        ASSIGN_OR_RETURN(const TreatmentCourse read, tx.GetCourse(course));
        ASSIGN_OR_RETURN(std::vector<MissedInduction> missed, tx.ListMissedInductions(course));
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "course.missed_inductions", "course", course.value,
                                    read.patient.value));
        return missed;
    });
}

Result<DayPlan> Scheduling::GetDayPlan(const Actor& actor, sys_days date, const clinical::ClinicSettings& settings) {
    ASSIGN_OR_RETURN(const clinical::ClinicZone zone, ClinicZoneOf(settings, zones_));
    const clinical::LocalDay day = zone.DayOf(date);
    return store_.Write([&](StoreTransaction& tx) -> Result<DayPlan> {
        DayPlan plan;
        plan.date = date;
        plan.time_zone = zone.name();
        plan.hours = settings.hours.at(std::chrono::weekday{date}.iso_encoding() - 1);
        ASSIGN_OR_RETURN(const std::vector<ClosedDay> closed, tx.ListClosedDays(date, date));
        if (!closed.empty()) {
            plan.closed = closed.front();
        }
        ASSIGN_OR_RETURN(const std::vector<TreatmentRoom> rooms, tx.ListRooms());
        ASSIGN_OR_RETURN(const std::vector<Appointment> appointments,
                         tx.ListAppointments(AppointmentFilter{day.start, day.end, {}, {}, {}, {}, false}));
        std::map<PatientId, Patient> patients;
        std::map<std::string, std::string, std::less<>> staff_names;
        std::map<std::optional<std::int64_t>, std::vector<DayPlanEntry>> by_room;
        for (const Appointment& appointment : appointments) {
            auto patient = patients.find(appointment.patient);
            if (patient == patients.end()) {
                ASSIGN_OR_RETURN(Patient read, tx.GetPatient(appointment.patient));
                patient = patients.emplace(appointment.patient, std::move(read)).first;
            }
            DayPlanEntry entry;
            entry.appointment = appointment;
            entry.patient_name = patient->second.given_name + " " + patient->second.family_name;
            entry.patient_initials = Initial(patient->second.given_name) + Initial(patient->second.family_name);
            if (!appointment.staff.empty()) {
                auto staff = staff_names.find(appointment.staff);
                if (staff == staff_names.end()) {
                    ASSIGN_OR_RETURN(const std::optional<User> user, tx.FindUserByEmail(appointment.staff));
                    const bool named = user && !user->display_name.empty();
                    staff =
                        staff_names.emplace(appointment.staff, named ? user->display_name : appointment.staff).first;
                }
                entry.staff_name = staff->second;
            }
            if (appointment.session) {
                ASSIGN_OR_RETURN(const TreatmentSession session, tx.GetSession(*appointment.session));
                entry.session_state = session.state;
            }
            const auto local_minutes = [&](TimePoint at) {
                return std::chrono::floor<std::chrono::minutes>(at + zone.OffsetAt(at) - TimePoint{date});
            };
            entry.local_start = local_minutes(appointment.start);
            entry.local_end = local_minutes(appointment.end);
            by_room[RoomValue(appointment.room)].push_back(std::move(entry));
        }
        for (const TreatmentRoom& room : rooms) {
            auto held = by_room.find(room.id.value);
            if (!room.active && held == by_room.end()) {
                continue;
            }
            plan.rooms.push_back(
                DayPlanRoom{room, held == by_room.end() ? std::vector<DayPlanEntry>{} : std::move(held->second)});
        }
        if (auto roomless = by_room.find(std::nullopt); roomless != by_room.end()) {
            plan.rooms.push_back(DayPlanRoom{std::nullopt, std::move(roomless->second)});
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, clock_.Now(), "schedule.day", "schedule", 0, 0, FormatDate(date)));
        return plan;
    });
}

}  // namespace kclinic::app
