#pragma once

// Use cases of the clinic's schedule (issue 11 §1): treatment rooms and chairs, closed days, appointments (book,
// reschedule, cancel, no-show, check in, complete), the slot search, booking a course's planned sessions in one step,
// the flag and re-proposal after a missed induction session, and the day plan by room. The rules are the pure core's
// (clinical/scheduling.hpp: CheckBooking, FindSlots, AppointmentLength); these use cases gather what the rules look
// at from the store (the clinic's zone, rooms, opening hours and closed days, the bookings that overlap and the
// patient's treatments within the spacing window) and store the outcome. Like HistoryRecords, each takes the acting
// user, checks its input, does all its work in one Store transaction and appends an audit entry for every read or
// write of patient data in that same transaction; a refusal writes nothing.
//
// Booking refusals. A hard rule broken (clinical::IsHardRule) refuses with kFailedPrecondition whose field is the
// rule's name (clinical::BookingRuleName, e.g. "room_double_booked") and whose message is the rule's message (all
// broken rules' messages, "; "-separated, hard ones first). Soft rules broken refuse the same way unless the actor is
// a prescriber (an active user with role prescriber) and gives an `override_reason`: then the appointment is booked
// with the reason and the names of the rules it was booked past (Appointment::override_reason, overridden), and the
// override is audited as "appointment.override" besides the booking's own entry. An override reason from anyone else
// is kPermissionDenied "override_reason"; one given where no soft rule is broken is kInvalidArgument
// "override_reason"; no reason overrides a hard rule.
//
// Reminders (app/reminders.hpp): booking an appointment writes its reminder emails into the outbox in the same
// transaction, one per lead time of settings.reminders still in the future, to the patient's portal user (none for a
// patient without one); rescheduling cancels the old time's pending reminders and writes the new time's; cancelling
// and marking a no-show cancel them.
//
// Concurrency: every use case that books or moves an appointment first takes the store's schedule lock
// (SchedulingTransaction::LockSchedule), so two front-desk users booking the same chair, nurse or patient at the
// same minute are checked one after the other and the second is refused, on both backends.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/scheduling.hpp"
#include "clinical/session_state.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// A room or chair to add.
struct NewRoom {
    std::string name;  // 1-100 characters, no control characters; unique (ignoring ASCII case)
    clinical::RoomEquipment equipment = clinical::RoomEquipment::kBoth;
    std::vector<std::string> monitor_ids{};  // each 1-100 characters, no control characters, at most 10
};

// An appointment to book. Its end is start + clinical::AppointmentLength(type, settings).
struct AppointmentRequest {
    clinical::AppointmentType type = clinical::AppointmentType::kFollowUp;
    PatientId patient;
    TimePoint start;
    std::optional<RoomId> room{};        // required for a treatment (the room_required rule)
    std::string staff{};                 // a clinician's email: the nurse for a treatment (staff_required)
    std::optional<SessionId> session{};  // the treatment session it is for
    std::string override_reason{};       // a prescriber's reason to book past the soft rules; empty for none
};

// Where and when to move an appointment; `version` is the one the caller read (kConflict "version" when stale).
struct RescheduleRequest {
    std::int64_t version = 0;
    TimePoint start;
    std::optional<RoomId> room{};
    std::string staff{};
    std::string override_reason{};  // as AppointmentRequest::override_reason
};

// What the slot search looks for: `count` free slots for an appointment of `type` for `patient` on the clinic's
// local dates [from, to], only in `room` / with `staff` when given. A treatment without `staff` takes the first free
// nurse of the clinic (the active users with role nurse, in id order).
struct SlotSearch {
    clinical::AppointmentType type = clinical::AppointmentType::kFollowUp;
    PatientId patient;
    std::chrono::sys_days from;
    std::chrono::sys_days to;
    std::optional<RoomId> room{};
    std::optional<std::string> staff{};
    int count = 5;                          // 1-50
    std::optional<AppointmentId> moving{};  // when rescheduling: the appointment being moved, whose time is free
};

// Where one of a course's remaining sessions would go: the first slot that fits from its planned date (or the earliest
// date the protocol's spacing allows after the session before it) within kSeriesSearchDays; nullopt when none does.
struct ProposedSession {
    TreatmentSession session;
    std::optional<clinical::Slot> slot;
};
// How far past a session's planned date (or the earliest date the spacing allows) the series booking and the
// re-proposal look for its slot.
inline constexpr int kSeriesSearchDays = 28;

// A course's sessions booked in one step: the appointments made, in session order (each session's planned_date now
// the booked local date).
struct SeriesBooking {
    std::vector<Appointment> appointments;
    std::vector<TreatmentSession> sessions;
};

// What cancelling or marking a no-show did. For an induction-phase treatment session (phase "induction" or "acute")
// the course is flagged (`missed_induction`) and the course's remaining sessions re-proposed (`proposal`); nothing is
// booked by itself.
struct AppointmentOutcome {
    Appointment appointment;
    std::optional<MissedInduction> missed_induction;
    std::vector<ProposedSession> proposal;
};

// One appointment on the day plan: what the front desk and the nurses need at a glance.
struct DayPlanEntry {
    Appointment appointment;
    std::string patient_name;      // "Ada Example"
    std::string patient_initials;  // "A.E."
    std::string staff_name;        // the staff member's display name, else their email; empty when no staff member
    std::optional<clinical::SessionState> session_state;  // the linked treatment session's state, when linked
    // Wall-clock times in the clinic's zone, from the date's local midnight: local_end passes 24 h for one that runs
    // past midnight, and local_start is negative for one that began the day before.
    std::chrono::minutes local_start{0};
    std::chrono::minutes local_end{0};
};

// One room's column of the day plan; `room` is nullopt for the appointments that take no room (consultations).
struct DayPlanRoom {
    std::optional<TreatmentRoom> room;
    std::vector<DayPlanEntry> appointments;  // by start, then id
};

// The clinic's day on its local calendar.
struct DayPlan {
    std::chrono::sys_days date;
    std::string time_zone;                    // the clinic's IANA zone the times are shown in
    std::optional<clinical::DayHours> hours;  // that weekday's opening hours; nullopt when closed that weekday
    std::optional<ClosedDay> closed;          // when the date is a closed day
    std::vector<DayPlanRoom> rooms;  // every room in id order (inactive ones only when they hold an appointment), then
                                     // the appointments without a room
};

class Scheduling {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    Scheduling(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // Rooms and chairs (audited as "room.create" / "room.update"; no patient data). Errors: kInvalidArgument "name"
    // (blank, over 100 characters, control characters), "monitor_ids" (over 10, one blank, over 100 characters or
    // with control characters); kConflict "name" when another room has that name (ignoring ASCII case).
    Result<TreatmentRoom> CreateRoom(const Actor& actor, const NewRoom& room);
    // Replaces name, equipment, monitors and active of `room.id` at `room.version` (kConflict "version" when stale;
    // kNotFound "room_id"). A room made inactive keeps its appointments and takes no new ones (room_inactive).
    Result<TreatmentRoom> UpdateRoom(const Actor& actor, const TreatmentRoom& room);
    // Every room, active or not, in id order.
    Result<std::vector<TreatmentRoom>> ListRooms(const Actor& actor);

    // Closed days (holidays) on the clinic's calendar, audited as "closed_day.add" / "closed_day.remove". Errors:
    // kInvalidArgument "reason" (blank, over 200 characters, control characters); kConflict "date" when already
    // closed; kNotFound "date" to remove a date that is not closed. Appointments already booked on the date stay
    // booked (the day plan shows them; the front desk moves them).
    Result<ClosedDay> AddClosedDay(const Actor& actor, std::chrono::sys_days date, std::string_view reason);
    Status RemoveClosedDay(const Actor& actor, std::chrono::sys_days date);
    // The closed days in [from, to], in date order. kInvalidArgument "to" when before `from` or more than 366 days
    // after it.
    Result<std::vector<ClosedDay>> ListClosedDays(const Actor& actor, std::chrono::sys_days from,
                                                  std::chrono::sys_days to);

    // Books an appointment ("appointment.book"). The booking rules as above. Errors besides them: kNotFound
    // "patient_id", "room_id", "session_id"; kInvalidArgument "staff" (not an active clinician of the clinic: role
    // prescriber, nurse or therapist; a treatment needs a nurse or a prescriber), "override_reason" (over 2000
    // characters, control characters); kFailedPrecondition "session_id" when the session is not the patient's,
    // not scheduled, already has an appointment that holds time, or `type` is not its course route's treatment type
    // (clinical::TreatmentTypeOf), and kInvalidArgument "session_id" for a session given with a type that is not a
    // treatment.
    Result<Appointment> Book(const Actor& actor, const AppointmentRequest& request,
                             const clinical::ClinicSettings& settings);
    // Moves a booked appointment to a new start, room and staff member, keeping its type, patient and session
    // ("appointment.reschedule"); the rules as for Book with the appointment's own old time free. A linked session's
    // planned_date follows the new local date. kFailedPrecondition "status" when it is not booked; kConflict
    // "version"; kNotFound "appointment_id".
    Result<Appointment> Reschedule(const Actor& actor, AppointmentId id, const RescheduleRequest& request,
                                   const clinical::ClinicSettings& settings);
    // booked -> cancelled with a reason ("appointment.cancel"); kInvalidArgument "reason" (blank, over 500
    // characters, control characters). The linked session stays scheduled, to be booked again.
    Result<AppointmentOutcome> Cancel(const Actor& actor, AppointmentId id, std::int64_t version,
                                      std::string_view reason, const clinical::ClinicSettings& settings);
    // booked -> no_show, once its start has passed ("appointment.no_show"); kFailedPrecondition "start" before it.
    Result<AppointmentOutcome> MarkNoShow(const Actor& actor, AppointmentId id, std::int64_t version,
                                          const clinical::ClinicSettings& settings);
    // booked -> checked_in: the patient has arrived ("appointment.check_in"). A treatment session's own check-in
    // (consent and escort) stays SessionSteps::CheckIn.
    Result<Appointment> CheckIn(const Actor& actor, AppointmentId id, std::int64_t version);
    // checked_in -> completed ("appointment.complete").
    Result<Appointment> Complete(const Actor& actor, AppointmentId id, std::int64_t version);
    // Each of Cancel, MarkNoShow, CheckIn, Complete: kFailedPrecondition "status" from any other status; kConflict
    // "version"; kNotFound "appointment_id".

    // kNotFound "appointment_id". Audited as "appointment.read".
    Result<Appointment> GetAppointment(const Actor& actor, AppointmentId id);
    // The reminder emails written for the appointment (every version's, app/reminders.hpp), in id order, with their
    // delivery status, attempts and last error: whether the patient was reminded. kNotFound "appointment_id".
    // Audited as "appointment.reminders".
    Result<std::vector<OutboxMessage>> ListReminders(const Actor& actor, AppointmentId id);
    // The appointments `filter` selects, by start then id (a clinician's own schedule: filter.staff; a patient's:
    // filter.patient). One audit entry for the listing ("appointment.list"; the patient's id when filter.patient).
    // kInvalidArgument "to" when not after `from` or more than 92 days after it.
    Result<std::vector<Appointment>> ListAppointments(const Actor& actor, const AppointmentFilter& filter);

    // The next free slots (clinical::FindSlots over the rooms, the opening hours and closed days, the bookings in the
    // range and the clinic's nurses); length clinical::AppointmentLength(type, settings). Audited as "slot.search"
    // for the patient. Errors: FindSlots' (kInvalidArgument "count", "to", "room", "nurses"); kNotFound
    // "patient_id", "room_id".
    Result<std::vector<clinical::Slot>> FindSlots(const Actor& actor, const SlotSearch& search,
                                                  const clinical::ClinicSettings& settings);

    // Books every scheduled session of `course` that has no appointment holding time, in number order, each in the
    // first slot from its planned date (or the earliest date the protocol's spacing allows after the session before
    // it, booked or done) within kSeriesSearchDays, in `room` / with `staff` when given; each session's planned_date
    // becomes its booked local date. All in one transaction or none ("appointment.book" for each, "course.book_series"
    // once). Errors: kFailedPrecondition "course_id" when the course is not active; kFailedPrecondition "session_id"
    // naming the session for which no slot fits; kFailedPrecondition "route" for a route not scheduled in a chair;
    // kNotFound "course_id", "room_id".
    Result<SeriesBooking> BookCourseSessions(const Actor& actor, CourseId course, std::optional<RoomId> room,
                                             std::optional<std::string> staff,
                                             const clinical::ClinicSettings& settings);
    // The course's remaining plan re-proposed as BookCourseSessions would book it, booking nothing
    // ("course.propose"). Errors as BookCourseSessions', except that a session with no slot is proposed without one.
    Result<std::vector<ProposedSession>> ProposeCourseSessions(const Actor& actor, CourseId course,
                                                               const clinical::ClinicSettings& settings);
    // The course's missed or cancelled induction sessions, oldest first. kNotFound "course_id".
    Result<std::vector<MissedInduction>> ListMissedInductions(const Actor& actor, CourseId course);

    // The day plan for the clinic's local `date`: every room with its appointments (any status) that overlap the
    // day, then those without a room. One audit entry ("schedule.day"). Errors: ClinicZoneOf's.
    Result<DayPlan> GetDayPlan(const Actor& actor, std::chrono::sys_days date,
                               const clinical::ClinicSettings& settings);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
