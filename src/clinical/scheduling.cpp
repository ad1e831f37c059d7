#include "clinical/scheduling.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <unordered_map>
#include <utility>

#include "base/text.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;

constexpr int kMaxSlotCount = 50;
constexpr days kMaxSearchSpan{366};

// Whether [a_start, a_end) and [b_start, b_end) share a minute. An empty interval shares none: the one statement of
// "at the same time" for every rule below.
bool Overlaps(TimePoint a_start, TimePoint a_end, TimePoint b_start, TimePoint b_end) {
    return std::max(a_start, b_start) < std::min(a_end, b_end);
}

bool Overlaps(const Booking& a, const Booking& b) {
    return Overlaps(a.start, a.end, b.start, b.end);
}

// Whether `other` is the candidate itself (its stored version, when rescheduling).
bool IsSelf(const Booking& candidate, const Booking& other) {
    return candidate.id != 0 && other.id == candidate.id;
}

// ISO 8601 weekday - 1: 0 = Monday ... 6 = Sunday, the index of WeeklyHours.
std::size_t WeekdayIndex(sys_days date) {
    return (std::chrono::weekday(date).iso_encoding() - 1) % 7;
}

// Each weekday's name and the setting that holds its hours, in WeeklyHours order.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kWeekdays = {{
    {"Monday", "hours.monday"},
    {"Tuesday", "hours.tuesday"},
    {"Wednesday", "hours.wednesday"},
    {"Thursday", "hours.thursday"},
    {"Friday", "hours.friday"},
    {"Saturday", "hours.saturday"},
    {"Sunday", "hours.sunday"},
}};

bool IsClosedDate(const OpeningHours& hours, sys_days date) {
    return std::find(hours.closed_dates.begin(), hours.closed_dates.end(), date) != hours.closed_dates.end();
}

// An instant as the clinic's wall clock and calendar show it.
struct LocalTime {
    sys_days date;
    minutes time_of_day;
};

LocalTime ToLocal(const ClinicZone& zone, TimePoint at) {
    const auto local = std::chrono::floor<minutes>(at + zone.OffsetAt(at));
    const sys_days date = std::chrono::floor<days>(local);
    return LocalTime{date, local - date};
}

// "09:00 on 2026-03-09".
std::string TimeText(const ClinicZone& zone, TimePoint at) {
    const LocalTime local = ToLocal(zone, at);
    return ClockText(local.time_of_day) + " on " + FormatDate(local.date);
}

// "09:00-10:55 on 2026-03-09"; "22:00-24:00 on 2026-03-09" when it ends at midnight; "23:00 on 2026-03-09 to 01:00
// on 2026-03-10" across midnight.
std::string SpanText(const ClinicZone& zone, TimePoint start, TimePoint end) {
    const LocalTime from = ToLocal(zone, start);
    LocalTime to = ToLocal(zone, end);
    if (to.date == from.date + days{1} && to.time_of_day == minutes{0}) {
        to = LocalTime{from.date, std::chrono::hours{24}};
    }
    if (to.date == from.date) {
        return ClockText(from.time_of_day) + "-" + ClockText(to.time_of_day) + " on " + FormatDate(from.date);
    }
    return TimeText(zone, start) + " to " + TimeText(zone, end);
}

// "an iv-session", "a follow-up".
std::string WithArticle(AppointmentType type) {
    const std::string_view name = AppointmentTypeName(type);
    const bool vowel = name.find_first_of("aeiou") == 0;
    return std::string(vowel ? "an " : "a ") + std::string(name);
}

std::string RoomName(const Room& room) {
    return room.name.empty() ? "room " + std::to_string(room.id) : room.name;
}

// The bookings (other than the candidate) that `collides` selects, in time order.
template <typename Collides>
std::vector<const Booking*> Collisions(const Booking& candidate, const ScheduleContext& context, Collides collides) {
    std::vector<const Booking*> found;
    for (const Booking& other : context.bookings) {
        if (!IsSelf(candidate, other) && Overlaps(candidate, other) && collides(other)) {
            found.push_back(&other);
        }
    }
    std::sort(found.begin(), found.end(), [](const Booking* a, const Booking* b) { return a->start < b->start; });
    return found;
}

// " and 2 more" after the first collision named.
std::string MoreText(std::size_t collisions) {
    return collisions > 1 ? " (and " + std::to_string(collisions - 1) + " more)" : "";
}

// The number of intervals holding each minute, as a step function, built once from a resource's bookings so that
// "at any minute" is one sweep, never a count of overlaps: two bookings that each overlap the candidate but not each
// other hold one place, not two.
class Occupancy {
public:
    void Add(TimePoint start, TimePoint end) {
        if (start < end) {
            events_.emplace_back(start, 1);
            events_.emplace_back(end, -1);
        }
    }

    // Forgets every interval, to index another set.
    void Clear() {
        events_.clear();
        times_.clear();
        counts_.clear();
    }

    // Sorts the events into the step function; call once, after the last Add.
    void Build() {
        // At one instant ends come before starts: [a, b) and [b, c) do not share a minute.
        std::sort(events_.begin(), events_.end());
        int count = 0;
        for (const auto& [at, delta] : events_) {
            count += delta;
            if (!times_.empty() && times_.back() == at) {
                counts_.back() = count;
            } else {
                times_.push_back(at);
                counts_.push_back(count);
            }
        }
        events_.clear();
    }

    // The first instant in [start, end) at which more than `limit` intervals hold, with how many; nullopt when none.
    [[nodiscard]] std::optional<std::pair<TimePoint, int>> FirstAbove(TimePoint start, TimePoint end, int limit) const {
        auto step = std::upper_bound(times_.begin(), times_.end(), start);
        if (step != times_.begin()) {
            const int held = counts_[static_cast<std::size_t>(std::distance(times_.begin(), step)) - 1];
            if (held > limit) {
                return std::pair{start, held};
            }
        }
        for (; step != times_.end() && *step < end; ++step) {
            const int held = counts_[static_cast<std::size_t>(std::distance(times_.begin(), step))];
            if (held > limit) {
                return std::pair{*step, held};
            }
        }
        return std::nullopt;
    }

private:
    std::vector<std::pair<TimePoint, int>> events_;  // (instant, +1 start / -1 end) until Build
    std::vector<TimePoint> times_;                   // from times_[i] until times_[i + 1], counts_[i] hold
    std::vector<int> counts_;
};

// The candidate's nurse: the treatments they watch beside it, swept to the first minute above the ratio.
std::optional<BookingConflict> CheckNurseRatio(const Booking& candidate, const ScheduleContext& context) {
    Occupancy watched;
    watched.Add(candidate.start, candidate.end);
    for (const Booking* other : Collisions(
             candidate, context, [&](const Booking& b) { return IsTreatment(b.type) && b.staff == candidate.staff; })) {
        watched.Add(other->start, other->end);
    }
    watched.Build();
    const int ratio = context.settings.schedule.patients_per_nurse;
    const auto above = watched.FirstAbove(candidate.start, candidate.end, ratio);
    if (!above) {
        return std::nullopt;
    }
    return BookingConflict{BookingRule::kNurseOverloaded,
                           std::string(BookingRuleName(BookingRule::kNurseOverloaded)) + ": " + candidate.staff +
                               " would watch " + std::to_string(above->second) + " patients at " +
                               TimeText(context.zone, above->first) + " (schedule.patients_per_nurse is " +
                               std::to_string(ratio) + ")"};
}

// A one-to-one appointment (not a treatment) takes its clinician whole; a treatment shares its nurse with others up
// to the ratio. So the staff member is double-booked when either side of an overlap is one-to-one.
std::optional<BookingConflict> CheckStaffFree(const Booking& candidate, const ScheduleContext& context) {
    const auto busy = Collisions(candidate, context, [&](const Booking& b) {
        return b.staff == candidate.staff && (!IsTreatment(candidate.type) || !IsTreatment(b.type));
    });
    if (busy.empty()) {
        return std::nullopt;
    }
    return BookingConflict{BookingRule::kStaffDoubleBooked,
                           std::string(BookingRuleName(BookingRule::kStaffDoubleBooked)) + ": " + candidate.staff +
                               " is booked for " + WithArticle(busy.front()->type) + " " +
                               SpanText(context.zone, busy.front()->start, busy.front()->end) + MoreText(busy.size())};
}

// The opening-hours rules on every local date the candidate touches: closed dates and weekdays first, then the
// hours of the day it starts on (it must end by that day's closing, so one running past midnight is outside them).
void CheckHours(const Booking& candidate, const ScheduleContext& context, std::vector<BookingConflict>& conflicts) {
    const ClinicZone& zone = context.zone;
    const sys_days first = zone.LocalDate(candidate.start);
    const sys_days last = zone.LocalDate(std::max(candidate.start, candidate.end - std::chrono::milliseconds{1}));
    for (sys_days date = first; date <= last; date += days{1}) {
        std::string why;
        if (IsClosedDate(context.hours, date)) {
            why = " is a closed date";
        } else if (!context.hours.weekly.at(WeekdayIndex(date))) {
            const auto& [weekday, setting] = kWeekdays.at(WeekdayIndex(date));
            why = " is a " + std::string(weekday) + ", when the clinic is closed (" + std::string(setting) + ")";
        } else {
            continue;
        }
        conflicts.push_back({BookingRule::kClinicClosed,
                             std::string(BookingRuleName(BookingRule::kClinicClosed)) + ": " + FormatDate(date) + why});
        break;
    }
    if (IsClosedDate(context.hours, first)) {
        return;
    }
    const std::optional<DayHours>& hours = context.hours.weekly.at(WeekdayIndex(first));
    if (!hours) {
        return;
    }
    std::string problems;
    if (candidate.start < zone.AtLocal(first, hours->opens)) {
        problems = "starts " + ClockText(ToLocal(zone, candidate.start).time_of_day) + ", before opening at " +
                   ClockText(hours->opens) + " on " + FormatDate(first);
    }
    if (candidate.end > zone.AtLocal(first, hours->closes)) {
        const LocalTime end = ToLocal(zone, candidate.end);
        problems += (problems.empty() ? "" : "; ") + std::string("ends ") +
                    (end.date == first ? ClockText(end.time_of_day) : TimeText(zone, candidate.end)) +
                    ", after closing at " + ClockText(hours->closes) + " on " + FormatDate(first);
    }
    if (!problems.empty()) {
        conflicts.push_back({BookingRule::kOutsideHours,
                             std::string(BookingRuleName(BookingRule::kOutsideHours)) + ": " + problems + " (" +
                                 std::string(kWeekdays.at(WeekdayIndex(first)).second) + " " + DayHoursText(hours) +
                                 (IsTreatment(candidate.type) ? "; monitoring and turnover included)" : ")")});
    }
}

// The spacing between dosing days, on the clinic's local dates, through CheckSpacing: the one statement of it.
Status CheckDaySpacing(sys_days a, sys_days b, const ScheduleSettings& settings) {
    return a <= b ? CheckSpacing(a, b, settings) : CheckSpacing(b, a, settings);
}

std::optional<BookingConflict> CheckSessionSpacing(const Booking& candidate, const ScheduleContext& context) {
    const sys_days date = context.zone.LocalDate(candidate.start);
    std::vector<const Booking*> treatments;
    for (const Booking& other : context.bookings) {
        if (!IsSelf(candidate, other) && other.patient == candidate.patient && IsTreatment(other.type)) {
            treatments.push_back(&other);
        }
    }
    std::sort(treatments.begin(), treatments.end(),
              [](const Booking* a, const Booking* b) { return a->start < b->start; });
    for (const Booking* other : treatments) {
        const Status spacing = CheckDaySpacing(context.zone.LocalDate(other->start), date, context.settings.schedule);
        if (!spacing.ok()) {
            return BookingConflict{BookingRule::kSessionSpacing,
                                   std::string(BookingRuleName(BookingRule::kSessionSpacing)) + ": " +
                                       spacing.error().message + " (the other: " + WithArticle(other->type) + " " +
                                       SpanText(context.zone, other->start, other->end) + ")"};
        }
    }
    return std::nullopt;
}

Status CheckSlotRequest(const SlotRequest& request, const ScheduleContext& context) {
    if (request.count < 1 || request.count > kMaxSlotCount) {
        return OutOfRange("count", request.count, 1, kMaxSlotCount, "slots");
    }
    if (request.to < request.from) {
        return InvalidArgument("to", FormatDate(request.to) + " is before from (" + FormatDate(request.from) + ")");
    }
    if (request.to - request.from > kMaxSearchSpan) {
        return InvalidArgument("to", "a search covers at most " + std::to_string(kMaxSearchSpan.count()) +
                                         " days after from (" + FormatDate(request.from) + ")");
    }
    if (request.length <= minutes{0}) {
        return InvalidArgument("length", "must be positive (got " + std::to_string(request.length.count()) + " min)");
    }
    if (request.room) {
        auto room = std::find_if(context.rooms.begin(), context.rooms.end(),
                                 [&](const Room& r) { return r.id == *request.room; });
        if (room == context.rooms.end()) {
            return InvalidArgument("room",
                                   "room " + std::to_string(*request.room) + " is not one of the clinic's rooms");
        }
        if (!room->active) {
            return InvalidArgument("room", RoomName(*room) + " is not in use");
        }
        if (!RoomFits(room->equipment, request.type)) {
            return InvalidArgument("room", RoomName(*room) + " is equipped for " +
                                               std::string(kRoomEquipmentNames.Name(room->equipment)) + ", not for " +
                                               WithArticle(request.type));
        }
    }
    if (IsTreatment(request.type) && (request.staff ? request.staff->empty() : request.nurses.empty())) {
        return InvalidArgument("nurses", WithArticle(request.type) +
                                             " needs a nurse: name staff or the nurses who "
                                             "may take it");
    }
    return Status::Ok();
}

// One staff member a slot search may offer, with what holds them.
struct StaffOccupancy {
    std::string email;     // empty: the appointment takes no staff member
    Occupancy treatments;  // the treatments they watch (shared up to the ratio)
    Occupancy one_to_one;  // their appointments that are not treatments (take them whole)
};

// What a slot search may offer, in order (rooms in the context's order, staff in the request's), and what holds each
// of them and the patient within the window of days loaded.
class SlotSearch {
public:
    SlotSearch(const SlotRequest& request, const ScheduleContext& context)
        : request_(request),
          context_(context),
          treatment_(IsTreatment(request.type)),
          // A treatment's nurse may watch ratio - 1 others; a one-to-one appointment takes its clinician whole.
          others_allowed_(treatment_ ? context.settings.schedule.patients_per_nurse - 1 : 0) {
        if (request.room) {
            rooms_.emplace_back(request.room);
        } else if (treatment_) {
            for (const Room& room : context.rooms) {
                if (room.active && RoomFits(room.equipment, request.type)) {
                    rooms_.emplace_back(room.id);
                }
            }
        } else {
            rooms_.emplace_back(std::nullopt);  // a consultation needs no treatment room unless one is asked for
        }
        room_occupancy_.resize(rooms_.size());
        for (std::size_t i = 0; i < rooms_.size(); ++i) {
            if (rooms_[i]) {
                room_index_.emplace(*rooms_[i], i);
            }
        }
        if (request.staff) {
            staff_.push_back({*request.staff, {}, {}});
        } else if (treatment_) {
            for (const std::string& nurse : request.nurses) {
                staff_.push_back({nurse, {}, {}});
            }
        } else {
            staff_.push_back({"", {}, {}});
        }
        for (std::size_t i = 0; i < staff_.size(); ++i) {
            if (!staff_[i].email.empty()) {
                staff_index_.emplace(staff_[i].email, i);
            }
        }
        // The patient's dosing days, over the whole search: spacing reaches past any window.
        if (treatment_) {
            for (const Booking& booking : context.bookings) {
                if (Counts(booking) && booking.patient == request.patient && IsTreatment(booking.type)) {
                    dosing_days_.push_back(context.zone.LocalDate(booking.start));
                }
            }
            std::sort(dosing_days_.begin(), dosing_days_.end());
        }
    }

    // Indexes the bookings that overlap [from, to), in place of the previous window's.
    void Load(TimePoint from, TimePoint to) {
        patient_.Clear();
        for (Occupancy& room : room_occupancy_) {
            room.Clear();
        }
        for (StaffOccupancy& member : staff_) {
            member.treatments.Clear();
            member.one_to_one.Clear();
        }
        for (const Booking& booking : context_.bookings) {
            if (!Counts(booking) || !Overlaps(booking.start, booking.end, from, to)) {
                continue;
            }
            if (booking.patient == request_.patient) {
                patient_.Add(booking.start, booking.end);
            }
            if (booking.room) {
                if (auto room = room_index_.find(*booking.room); room != room_index_.end()) {
                    room_occupancy_[room->second].Add(booking.start, booking.end);
                }
            }
            if (auto member = staff_index_.find(booking.staff); member != staff_index_.end()) {
                StaffOccupancy& occupancy = staff_[member->second];
                (IsTreatment(booking.type) ? occupancy.treatments : occupancy.one_to_one)
                    .Add(booking.start, booking.end);
            }
        }
        patient_.Build();
        for (Occupancy& room : room_occupancy_) {
            room.Build();
        }
        for (StaffOccupancy& member : staff_) {
            member.treatments.Build();
            member.one_to_one.Build();
        }
    }

    // Spacing is a property of the day: the nearest dosing day on either side decides it.
    [[nodiscard]] bool SpacingAllows(sys_days date) const {
        if (!treatment_) {
            return true;
        }
        auto next = std::lower_bound(dosing_days_.begin(), dosing_days_.end(), date);
        if (next != dosing_days_.end() && !CheckDaySpacing(date, *next, context_.settings.schedule).ok()) {
            return false;
        }
        return next == dosing_days_.begin() || CheckDaySpacing(*std::prev(next), date, context_.settings.schedule).ok();
    }

    // The slot [start, end) with the first free staff member and the first free room; nullopt when the patient is
    // busy or no staff member or room is free. REQUIRES [start, end) within the window loaded.
    [[nodiscard]] std::optional<Slot> SlotAt(TimePoint start, TimePoint end) const {
        if (patient_.FirstAbove(start, end, 0)) {
            return std::nullopt;
        }
        auto member = std::find_if(staff_.begin(), staff_.end(), [&](const StaffOccupancy& m) {
            return m.email.empty() ||
                   (!m.one_to_one.FirstAbove(start, end, 0) && !m.treatments.FirstAbove(start, end, others_allowed_));
        });
        if (member == staff_.end()) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < rooms_.size(); ++i) {
            if (!rooms_[i] || !room_occupancy_[i].FirstAbove(start, end, 0)) {
                return Slot{start, end, rooms_[i], member->email};
            }
        }
        return std::nullopt;
    }

private:
    // Whether `booking` holds time against the search: all but the appointment being moved.
    [[nodiscard]] bool Counts(const Booking& booking) const {
        return request_.moving_appointment == 0 || booking.id != request_.moving_appointment;
    }

    const SlotRequest& request_;
    const ScheduleContext& context_;
    bool treatment_;
    int others_allowed_;
    std::vector<std::optional<std::int64_t>> rooms_;
    std::vector<Occupancy> room_occupancy_;
    std::unordered_map<std::int64_t, std::size_t> room_index_;
    std::vector<StaffOccupancy> staff_;
    std::unordered_map<std::string_view, std::size_t> staff_index_;
    Occupancy patient_;
    std::vector<sys_days> dosing_days_;
};

}  // namespace

Result<AppointmentType> ParseAppointmentType(std::string_view name) {
    return kAppointmentTypeNames.ParseField("type", name);
}

bool IsTreatment(AppointmentType type) {
    switch (type) {
        case AppointmentType::kIvSession:
        case AppointmentType::kEsketamineSession:
        case AppointmentType::kImSession:
            return true;
        case AppointmentType::kIntake:
        case AppointmentType::kPrescriberReview:
        case AppointmentType::kTherapyPreparation:
        case AppointmentType::kTherapyIntegration:
        case AppointmentType::kFollowUp:
            return false;
    }
    return false;
}

Result<AppointmentType> TreatmentTypeOf(Route route) {
    switch (route) {
        case Route::kIv:
            return AppointmentType::kIvSession;
        case Route::kEsketamineNasal:
            return AppointmentType::kEsketamineSession;
        case Route::kIm:
            return AppointmentType::kImSession;
        case Route::kOral:
        case Route::kSublingual:
            break;
    }
    return InvalidArgument("route", std::string(kRouteNames.Name(route)) +
                                        " ketamine is not given in a treatment room; kclinic schedules iv, "
                                        "esketamine-nasal and im sessions");
}

Result<RoomEquipment> ParseRoomEquipment(std::string_view name) {
    return kRoomEquipmentNames.ParseField("equipment", name);
}

bool RoomFits(RoomEquipment equipment, AppointmentType type) {
    switch (type) {
        case AppointmentType::kIvSession:
        case AppointmentType::kImSession:
            return equipment != RoomEquipment::kEsketamine;
        case AppointmentType::kEsketamineSession:
            return equipment != RoomEquipment::kIvIm;
        case AppointmentType::kIntake:
        case AppointmentType::kPrescriberReview:
        case AppointmentType::kTherapyPreparation:
        case AppointmentType::kTherapyIntegration:
        case AppointmentType::kFollowUp:
            return true;
    }
    return false;
}

Result<AppointmentStatus> ParseAppointmentStatus(std::string_view name) {
    return kAppointmentStatusNames.ParseField("status", name);
}

bool HoldsTime(AppointmentStatus status) {
    return status == AppointmentStatus::kBooked || status == AppointmentStatus::kCheckedIn;
}

OpeningHours OpeningHoursOf(const ClinicSettings& settings, std::vector<sys_days> closed_dates) {
    return OpeningHours{settings.hours, std::move(closed_dates)};
}

minutes AppointmentLength(AppointmentType type, const ClinicSettings& settings) {
    const AppointmentSettings& a = settings.appointments;
    switch (type) {
        case AppointmentType::kIvSession:
            return minutes{a.pre_dose_minutes + a.iv_infusion_minutes + a.iv_observation_minutes + a.turnover_minutes};
        case AppointmentType::kEsketamineSession:
            return minutes{a.pre_dose_minutes + a.esketamine_monitoring_minutes + a.turnover_minutes};
        case AppointmentType::kImSession:
            return minutes{a.pre_dose_minutes + a.im_observation_minutes + a.turnover_minutes};
        case AppointmentType::kIntake:
            return minutes{a.intake_minutes};
        case AppointmentType::kPrescriberReview:
            return minutes{a.prescriber_review_minutes};
        case AppointmentType::kTherapyPreparation:
            return minutes{a.therapy_preparation_minutes};
        case AppointmentType::kTherapyIntegration:
            return minutes{a.therapy_integration_minutes};
        case AppointmentType::kFollowUp:
            return minutes{a.follow_up_minutes};
    }
    return minutes{a.follow_up_minutes};
}

bool IsHardRule(BookingRule rule) {
    switch (rule) {
        case BookingRule::kInThePast:
        case BookingRule::kRoomRequired:
        case BookingRule::kRoomInactive:
        case BookingRule::kRoomNotEquipped:
        case BookingRule::kRoomDoubleBooked:
        case BookingRule::kPatientDoubleBooked:
        case BookingRule::kStaffRequired:
        case BookingRule::kStaffDoubleBooked:
        case BookingRule::kNurseOverloaded:
            return true;
        case BookingRule::kClinicClosed:
        case BookingRule::kOutsideHours:
        case BookingRule::kSessionSpacing:
            return false;
    }
    return true;
}

std::vector<BookingConflict> CheckBooking(const Booking& candidate, const ScheduleContext& context) {
    std::vector<BookingConflict> conflicts;
    const ClinicZone& zone = context.zone;
    const auto conflict = [&](BookingRule rule, const std::string& what) {
        conflicts.push_back({rule, std::string(BookingRuleName(rule)) + ": " + what});
    };
    const bool treatment = IsTreatment(candidate.type);

    if (candidate.start < context.now) {
        conflict(BookingRule::kInThePast,
                 "starts " + TimeText(zone, candidate.start) + ", before now (" + TimeText(zone, context.now) + ")");
    }
    if (treatment && !candidate.room) {
        conflict(BookingRule::kRoomRequired, WithArticle(candidate.type) + " needs a treatment room or chair");
    }
    const Room* room = nullptr;
    if (candidate.room) {
        auto found = std::find_if(context.rooms.begin(), context.rooms.end(),
                                  [&](const Room& r) { return r.id == *candidate.room; });
        if (found == context.rooms.end()) {
            conflict(BookingRule::kRoomInactive,
                     "room " + std::to_string(*candidate.room) + " is not one of the clinic's rooms");
        } else {
            room = &*found;
            if (!room->active) {
                conflict(BookingRule::kRoomInactive, RoomName(*room) + " is not in use");
            }
            if (!RoomFits(room->equipment, candidate.type)) {
                conflict(BookingRule::kRoomNotEquipped, RoomName(*room) + " is equipped for " +
                                                            std::string(kRoomEquipmentNames.Name(room->equipment)) +
                                                            ", not for " + WithArticle(candidate.type));
            }
        }
        const auto in_room = Collisions(candidate, context, [&](const Booking& b) { return b.room == candidate.room; });
        if (!in_room.empty()) {
            conflict(BookingRule::kRoomDoubleBooked,
                     (room != nullptr ? RoomName(*room) : "room " + std::to_string(*candidate.room)) + " holds " +
                         WithArticle(in_room.front()->type) + " " +
                         SpanText(zone, in_room.front()->start, in_room.front()->end) + MoreText(in_room.size()));
        }
    }
    const auto patient_busy =
        Collisions(candidate, context, [&](const Booking& b) { return b.patient == candidate.patient; });
    if (!patient_busy.empty()) {
        conflict(BookingRule::kPatientDoubleBooked,
                 "the patient has " + WithArticle(patient_busy.front()->type) + " " +
                     SpanText(zone, patient_busy.front()->start, patient_busy.front()->end) +
                     MoreText(patient_busy.size()));
    }
    if (treatment && candidate.staff.empty()) {
        conflict(BookingRule::kStaffRequired, WithArticle(candidate.type) + " needs a nurse");
    }
    if (!candidate.staff.empty()) {
        if (auto busy = CheckStaffFree(candidate, context)) {
            conflicts.push_back(std::move(*busy));
        }
        if (treatment) {
            if (auto overloaded = CheckNurseRatio(candidate, context)) {
                conflicts.push_back(std::move(*overloaded));
            }
        }
    }
    CheckHours(candidate, context, conflicts);
    if (treatment) {
        if (auto spacing = CheckSessionSpacing(candidate, context)) {
            conflicts.push_back(std::move(*spacing));
        }
    }
    return conflicts;
}

// The search walks the days in windows that double (1, 2, 4, ... days) and indexes only the bookings that overlap
// the window in hand, so a search whose slots lie in its first days never sorts the months after them; each test is
// then a binary search, and the cost is one pass over the bookings per window plus the grid, not slots x bookings.
// The rules are CheckBooking's (the tests compare the two).
Result<std::vector<Slot>> FindSlots(const SlotRequest& request, const ScheduleContext& context) {
    RETURN_IF_ERROR(CheckSlotRequest(request, context));
    const ClinicZone& zone = context.zone;
    SlotSearch search(request, context);
    const minutes step{context.settings.appointments.slot_step_minutes};
    std::vector<Slot> slots;
    days window{1};
    for (sys_days window_from = request.from; window_from <= request.to; window_from += window, window *= 2) {
        const sys_days window_to = std::min(request.to, window_from + window - days{1});
        search.Load(zone.DayOf(window_from).start, zone.DayOf(window_to).end);
        for (sys_days date = window_from; date <= window_to; date += days{1}) {
            const std::optional<DayHours>& hours = context.hours.weekly.at(WeekdayIndex(date));
            if (!hours || IsClosedDate(context.hours, date) || !search.SpacingAllows(date)) {
                continue;
            }
            const TimePoint opens = zone.AtLocal(date, hours->opens);
            const TimePoint closes = zone.AtLocal(date, hours->closes);
            TimePoint start = opens;
            if (start < context.now) {  // the first grid start not in the past
                start = opens + ((context.now - opens + step - std::chrono::milliseconds{1}) / step) * step;
            }
            for (; start + request.length <= closes; start += step) {
                if (std::optional<Slot> slot = search.SlotAt(start, start + request.length)) {
                    slots.push_back(std::move(*slot));
                    if (slots.size() == static_cast<std::size_t>(request.count)) {
                        return slots;
                    }
                }
            }
        }
    }
    return slots;
}

}  // namespace kclinic::clinical
