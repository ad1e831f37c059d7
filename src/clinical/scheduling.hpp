#pragma once

// Scheduling: appointment types and lengths, rooms and what they are equipped for, the clinic's opening hours, the
// rules that refuse a booking, and the search for free slots. Pure: the caller gathers the day's bookings, rooms and
// hours (from the store) and passes the time in; nothing here reads a clock. Every number is a setting with its
// source (clinical/settings.hpp, docs/clinical-rules.md "Scheduling").
//
// A booking rule is hard (nobody may override it: it describes something impossible or unsafe, such as one chair
// holding two patients) or soft (a prescriber may book past it with a reason, which is stored and audited, such as
// an urgent session after closing time). Which is which is fixed here, in IsHardRule, and documented in
// docs/clinical-rules.md.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/clinic_zone.hpp"
#include "clinical/day_hours.hpp"
#include "clinical/dose.hpp"
#include "clinical/schedule.hpp"
#include "clinical/settings.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

enum class AppointmentType {
    kIvSession,           // racemic ketamine IV infusion: dosing + monitoring + turnover (a treatment)
    kEsketamineSession,   // Spravato: devices + at least 2 h monitoring + turnover (a treatment)
    kImSession,           // racemic ketamine IM injection + monitoring + turnover (a treatment)
    kIntake,              // intake consultation
    kPrescriberReview,    // prescriber review (e.g. the end-of-induction decision)
    kTherapyPreparation,  // psychotherapy: preparation before a ketamine-assisted session
    kTherapyIntegration,  // psychotherapy: integration after one
    kFollowUp,            // follow-up visit
};
inline constexpr auto kAppointmentTypeNames =
    MakeEnumNames<AppointmentType>({{AppointmentType::kIvSession, "iv-session"},
                                    {AppointmentType::kEsketamineSession, "esketamine-session"},
                                    {AppointmentType::kImSession, "im-session"},
                                    {AppointmentType::kIntake, "intake"},
                                    {AppointmentType::kPrescriberReview, "prescriber-review"},
                                    {AppointmentType::kTherapyPreparation, "therapy-preparation"},
                                    {AppointmentType::kTherapyIntegration, "therapy-integration"},
                                    {AppointmentType::kFollowUp, "follow-up"}});
[[nodiscard]] constexpr std::string_view AppointmentTypeName(AppointmentType type) {
    return kAppointmentTypeNames.Name(type);
}
// Inverse of AppointmentTypeName. Error kInvalidArgument on field "type" listing the names.
[[nodiscard]] Result<AppointmentType> ParseAppointmentType(std::string_view name);

// Whether the type is a dosing session (needs an equipped room and a nurse, counts for the nurse ratio and the
// spacing between sessions).
[[nodiscard]] bool IsTreatment(AppointmentType type);
// The treatment type of a course's route: iv -> iv-session, esketamine-nasal -> esketamine-session, im ->
// im-session. Error kInvalidArgument "route" for oral and sublingual, which kclinic does not schedule in a chair.
[[nodiscard]] Result<AppointmentType> TreatmentTypeOf(Route route);

// What a treatment room or chair is equipped for.
enum class RoomEquipment {
    kIvIm,        // an infusion pump and what IV and IM dosing needs
    kEsketamine,  // a reclining chair where a patient can be watched for 2 h after the devices
    kBoth,
};
inline constexpr auto kRoomEquipmentNames = MakeEnumNames<RoomEquipment>(
    {{RoomEquipment::kIvIm, "iv-im"}, {RoomEquipment::kEsketamine, "esketamine"}, {RoomEquipment::kBoth, "both"}});
// Inverse of the names. Error kInvalidArgument on field "equipment" listing the names.
[[nodiscard]] Result<RoomEquipment> ParseRoomEquipment(std::string_view name);
// Whether a room so equipped can hold an appointment of `type` (every room holds the non-treatment types).
[[nodiscard]] bool RoomFits(RoomEquipment equipment, AppointmentType type);

enum class AppointmentStatus { kBooked, kCheckedIn, kCompleted, kCancelled, kNoShow };
inline constexpr auto kAppointmentStatusNames = MakeEnumNames<AppointmentStatus>({
    {AppointmentStatus::kBooked, "booked"},
    {AppointmentStatus::kCheckedIn, "checked_in"},
    {AppointmentStatus::kCompleted, "completed"},
    {AppointmentStatus::kCancelled, "cancelled"},
    {AppointmentStatus::kNoShow, "no_show"},
});
// Inverse of the names. Error kInvalidArgument on field "status" listing the names.
[[nodiscard]] Result<AppointmentStatus> ParseAppointmentStatus(std::string_view name);
// Whether an appointment in this status holds its room, staff and patient (booked or checked in).
[[nodiscard]] bool HoldsTime(AppointmentStatus status);

// The week's hours (DayHours, WeeklyHours and ParseDayHours are in clinical/day_hours.hpp, which the settings share)
// and the dates the clinic is closed.
struct OpeningHours {
    WeeklyHours weekly = kDefaultWeeklyHours;
    std::vector<std::chrono::sys_days> closed_dates;  // holidays, in any order
};
// The hours the settings name (hours.monday ... hours.sunday) with the clinic's closed dates.
[[nodiscard]] OpeningHours OpeningHoursOf(const ClinicSettings& settings,
                                          std::vector<std::chrono::sys_days> closed_dates);

// One appointment as the rules see it. Times are UTC instants; [start, end) holds the room, the staff member and the
// patient. For a treatment, `end` includes the monitoring and the turnover (AppointmentLength).
struct Booking {
    std::int64_t id = 0;  // 0 for the candidate; excluded from its own conflicts when rescheduling
    AppointmentType type = AppointmentType::kFollowUp;
    std::int64_t patient = 0;
    TimePoint start;
    TimePoint end;
    std::optional<std::int64_t> room;  // required for a treatment
    std::string staff;                 // the responsible clinician's email (the nurse for a treatment); may be empty
                                       // for a non-treatment appointment
};

struct Room {
    std::int64_t id = 0;
    std::string name;
    RoomEquipment equipment = RoomEquipment::kBoth;
    bool active = true;  // an inactive room takes no new bookings
};

// The length of an appointment of `type`, from settings.appointments. A treatment is pre_dose_minutes + its dosing
// and monitoring + turnover_minutes: IV iv_infusion_minutes + iv_observation_minutes; IM im_observation_minutes;
// esketamine esketamine_monitoring_minutes, counted from the first device like the discharge gate
// (session_state.hpp), so the label's 5 minutes between devices fall inside it and the dose does not change the
// length. The others: their own duration setting.
[[nodiscard]] std::chrono::minutes AppointmentLength(AppointmentType type, const ClinicSettings& settings);

// The rules a booking can break.
enum class BookingRule {
    kInThePast,            // hard: starts before now
    kRoomRequired,         // hard: a treatment without a room
    kRoomInactive,         // hard: the room is not in use
    kRoomNotEquipped,      // hard: the room is not equipped for the treatment's route
    kRoomDoubleBooked,     // hard: the room holds another appointment at some minute
    kPatientDoubleBooked,  // hard: the patient has another appointment at some minute
    kStaffRequired,        // hard: a treatment without a nurse
    kStaffDoubleBooked,    // hard: the staff member has a one-to-one appointment (not a treatment) at some minute
                           // while the candidate needs them, or the candidate is one-to-one and they are busy
    kNurseOverloaded,      // hard: the nurse would watch more than schedule.patients_per_nurse at some minute
    kClinicClosed,         // soft: a closed date or a weekday without hours
    kOutsideHours,         // soft: starts before opening or ends (monitoring included) after closing
    kSessionSpacing,       // soft: a treatment closer than schedule.min_days_between_sessions to another
};
inline constexpr auto kBookingRuleNames = MakeEnumNames<BookingRule>({
    {BookingRule::kInThePast, "in_the_past"},
    {BookingRule::kRoomRequired, "room_required"},
    {BookingRule::kRoomInactive, "room_inactive"},
    {BookingRule::kRoomNotEquipped, "room_not_equipped"},
    {BookingRule::kRoomDoubleBooked, "room_double_booked"},
    {BookingRule::kPatientDoubleBooked, "patient_double_booked"},
    {BookingRule::kStaffRequired, "staff_required"},
    {BookingRule::kStaffDoubleBooked, "staff_double_booked"},
    {BookingRule::kNurseOverloaded, "nurse_overloaded"},
    {BookingRule::kClinicClosed, "clinic_closed"},
    {BookingRule::kOutsideHours, "outside_hours"},
    {BookingRule::kSessionSpacing, "session_spacing"},
});
[[nodiscard]] constexpr std::string_view BookingRuleName(BookingRule rule) {
    return kBookingRuleNames.Name(rule);
}
[[nodiscard]] bool IsHardRule(BookingRule rule);

// One broken rule, with a message for the front desk that names the rule and what it collided with, in the clinic's
// local time (e.g. `room_double_booked: Chair 2 is booked 09:00-10:45 on 2026-03-09`).
struct BookingConflict {
    BookingRule rule = BookingRule::kInThePast;
    std::string message;
};

// What the rules look at. `bookings` are the other appointments that hold time (HoldsTime) and may overlap the
// candidate or, for the spacing rule, lie within schedule.min_days_between_sessions days of it: the caller may pass
// more, never fewer. `rooms` holds at least the candidate's room.
struct ScheduleContext {
    const ClinicZone& zone;
    const OpeningHours& hours;
    const std::vector<Room>& rooms;
    const std::vector<Booking>& bookings;
    const ClinicSettings& settings;
    TimePoint now;
};

// Every rule `candidate` breaks, hard ones first, in BookingRule order, at most one conflict per rule (naming the
// earliest collision and how many more); empty when it may be booked. REQUIRES candidate.start < candidate.end.
// Times are the clinic's local "HH:MM on YYYY-MM-DD"; messages start with the rule's name:
//   in_the_past: starts 08:00 on 2026-03-09, before now (10:15 on 2026-03-09)
//   room_required: an iv-session needs a treatment room or chair
//   room_inactive: Chair 2 is not in use  |  room 7 is not one of the clinic's rooms
//   room_not_equipped: Chair 2 is equipped for esketamine, not for an iv-session
//   room_double_booked: Chair 2 holds an iv-session 09:00-11:10 on 2026-03-09 (and 1 more)
//   patient_double_booked: the patient has a follow-up 09:00-09:30 on 2026-03-09
//   staff_required: an iv-session needs a nurse
//   staff_double_booked: nurse@clinic is booked for an intake 09:00-10:00 on 2026-03-09
//   nurse_overloaded: nurse@clinic would watch 4 patients at 09:40 on 2026-03-09 (schedule.patients_per_nurse is 3)
//   clinic_closed: 2026-12-25 is a closed date  |  2026-03-08 is a Sunday, when the clinic is closed (hours.sunday)
//   outside_hours: ends 19:10, after closing at 18:00 on 2026-03-09 (hours.monday 08:00-18:00; monitoring and
//                  turnover included)  |  starts 07:30, before opening at 08:00 on 2026-03-09 (hours.monday ...)
//   session_spacing: CheckSpacing's message on the two local dates (the other: an iv-session 09:00-11:10 on ...)
// The nurse ratio is swept over the minutes the candidate holds (two treatments that each overlap it but not each
// other hold one place, not two). A treatment shares its nurse up to the ratio; any other appointment takes its
// clinician whole (staff_double_booked). The hours rules look at every local date the candidate touches, so one
// running past midnight is outside the hours, and clinic_closed when the next day is closed.
[[nodiscard]] std::vector<BookingConflict> CheckBooking(const Booking& candidate, const ScheduleContext& context);

// What to search for: an appointment of `type` for `patient`, lasting `length`, in the local dates [from, to].
struct SlotRequest {
    AppointmentType type = AppointmentType::kFollowUp;
    std::int64_t patient = 0;
    std::chrono::minutes length{0};
    std::chrono::sys_days from;
    std::chrono::sys_days to;
    std::optional<std::int64_t> room;     // only this room
    std::optional<std::string> staff;     // only this staff member
    std::vector<std::string> nurses;      // for a treatment without `staff`: the nurses who may take it, in order
    int count = 5;                        // how many slots, 1-50
    std::int64_t moving_appointment = 0;  // when rescheduling: the appointment being moved, whose own time is free
};

struct Slot {
    TimePoint start;
    TimePoint end;
    std::optional<std::int64_t> room;
    std::string staff;
};

// The first `request.count` slots, in time order, that break no rule at all (soft ones included: CheckBooking finds
// nothing for the booking a slot describes), starting on the settings.appointments.slot_step_minutes grid from each
// local day's opening time (ClinicZone::AtLocal, so the days the clocks move open at their local hour), skipping
// closed dates and weekdays, days the spacing rule excludes for a treatment, and starts before `context.now`. For
// each start: the first staff member who is free (`staff`, or for a treatment the first of `nurses` within the
// ratio; a non-treatment without `staff` takes none) and the first room that is free (`room`, or for a treatment
// the first active, fitting room in `context.rooms` order; a non-treatment without `room` takes none). Fewer than
// `count` when the range holds fewer. Errors, each kInvalidArgument on the field named (kOutOfRange for "count"):
// "count" (1-50); "to" (before `from`, or more than 366 days after it); "length" (not positive); "room" (not in
// `context.rooms`, not in use, or not equipped for the type); "nurses" (a treatment with neither `staff` nor
// `nurses`).
[[nodiscard]] Result<std::vector<Slot>> FindSlots(const SlotRequest& request, const ScheduleContext& context);

}  // namespace kclinic::clinical
