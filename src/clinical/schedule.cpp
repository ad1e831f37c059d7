#include "clinical/schedule.hpp"

#include "base/text.hpp"
#include "clinical/label_rules.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <utility>

namespace kclinic::clinical {

namespace {

// Day offsets within one week. Twice weekly: ELEKT-D (6 infusions over 3 weeks) and TRANSFORM's esketamine visits
// on days 1, 4, 8, 11, ... [UNVERIFIED]; three a week: Murrough 2013 (6 infusions over 12 days).
constexpr std::array<int, 2> kTwiceWeeklyDays{0, 3};
constexpr std::array<int, 3> kThriceWeeklyDays{0, 2, 4};
constexpr int kDaysPerWeek = 7;
constexpr int kLabelInductionWeeks = 4;     // esketamine twice weekly in weeks 1-4 (USPI), also the SI course
constexpr int kWeeklyMaintenanceWeeks = 4;  // esketamine weekly in weeks 5-8 (USPI)

// "1 day", "3 days".
std::string Days(long long days) {
    return std::to_string(days) + (days == 1 || days == -1 ? " day" : " days");
}

// "2 days after", "1 day after", "the same day as", "3 days before".
std::string DaysRelative(long long days) {
    if (days == 0) {
        return "the same day as";
    }
    return Days(days < 0 ? -days : days) + (days < 0 ? " before" : " after");
}

Status CheckRange(std::string_view field, int value, int min, int max, std::string_view unit) {
    if (value < min || value > max) {
        return OutOfRange(std::string(field), value, min, max, unit);
    }
    return Status::Ok();
}

Status CheckMinDays(const ScheduleSettings& settings) {
    return CheckRange("schedule.min_days_between_sessions", settings.min_days_between_sessions, kMinSessionSpacingDays,
                      kMaxSessionSpacingDays, "days");
}

struct Slot {
    int day = 0;
    std::string_view phase;
    std::vector<int> dose_options_mg;
    std::optional<int> label_dose_mg;
    std::string note;
};

// The first `count` days of a weekly pattern (day offsets within one week) repeated from day 0.
std::vector<int> RepeatWeekly(std::span<const int> week_days, int count) {
    const auto per_week = static_cast<int>(week_days.size());
    std::vector<int> days;
    days.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        days.push_back((i / per_week) * kDaysPerWeek + week_days[static_cast<std::size_t>(i % per_week)]);
    }
    return days;
}

// The smallest gap between consecutive slots, or 0 when there are fewer than two.
int SmallestGapDays(const std::vector<Slot>& slots) {
    int smallest = 0;
    for (std::size_t i = 1; i < slots.size(); ++i) {
        int gap = slots[i].day - slots[i - 1].day;
        if (i == 1 || gap < smallest) {
            smallest = gap;
        }
    }
    return smallest;
}

Status CheckPatternSpacing(const std::vector<Slot>& slots, const ScheduleSettings& settings,
                           std::string_view forcing_field, std::string_view pattern) {
    int gap = SmallestGapDays(slots);
    if (slots.size() > 1 && gap < settings.min_days_between_sessions) {
        return Error{
            ErrorCode::kFailedPrecondition, std::string(forcing_field),
            std::string(pattern) + " puts sessions " + Days(gap) +
                " apart, closer than schedule.min_days_between_sessions = " + Days(settings.min_days_between_sessions)};
    }
    return Status::Ok();
}

Result<std::vector<Slot>> IvInduction(const ScheduleSettings& settings) {
    RETURN_IF_ERROR(CheckRange("schedule.iv_induction_infusions", settings.iv_induction_infusions,
                               kMinIvInductionInfusions, kMaxIvInductionInfusions, "infusions"));
    int per_week = settings.iv_induction_per_week;
    if (per_week != 2 && per_week != 3) {
        return InvalidArgument(
            "schedule.iv_induction_per_week",
            "must be 2 or 3 infusions a week (Singh 2016 studied both); got " + std::to_string(per_week));
    }
    const std::span<const int> week_days =
        per_week == 2 ? std::span<const int>(kTwiceWeeklyDays) : std::span<const int>(kThriceWeeklyDays);
    std::vector<Slot> slots;
    for (int day : RepeatWeekly(week_days, settings.iv_induction_infusions)) {
        slots.push_back(Slot{day, kPhaseInduction, {}, std::nullopt, ""});
    }
    slots.back().note =
        "end of the induction series: assess response; maintenance after the series has no trial-established "
        "schedule [PRACTICE]";
    std::string pattern =
        per_week == 2 ? "twice weekly (days 0, 3, 7, 10, ...)" : "three a week (days 0, 2, 4, 7, ...)";
    RETURN_IF_ERROR(CheckPatternSpacing(slots, settings, "schedule.iv_induction_per_week", pattern));
    return slots;
}

Result<std::vector<Slot>> EsketamineTrd(const ScheduleSettings& settings) {
    int interval_weeks = settings.esketamine_maintenance_interval_weeks;
    if (interval_weeks != 1 && interval_weeks != 2) {
        return InvalidArgument("schedule.esketamine_maintenance_interval_weeks",
                               "must be 1 or 2 weeks (Spravato USPI: weekly or every 2 weeks from week 9); got " +
                                   std::to_string(interval_weeks));
    }
    RETURN_IF_ERROR(CheckRange("schedule.esketamine_maintenance_sessions", settings.esketamine_maintenance_sessions,
                               kMinMaintenanceSessions, kMaxMaintenanceSessions, "sessions"));
    std::vector<Slot> slots;
    // US label: 56 mg on day 1, then 56 or 84 mg; the EU 28-mg start depends on the patient and is ComputeDose's.
    for (int day : RepeatWeekly(kTwiceWeeklyDays, 2 * kLabelInductionWeeks)) {
        slots.push_back(Slot{day, kPhaseInduction, {kEsketamine56Mg, kEsketamine84Mg}, std::nullopt, ""});
    }
    slots.front().dose_options_mg = {kEsketamine56Mg};
    slots.front().label_dose_mg = kEsketamine56Mg;
    slots.front().note = "first TRD dose: 56 mg (Spravato USPI)";
    slots.back().note = "end of week 4: assess therapeutic benefit before continuing (Spravato USPI)";
    int first_maintenance_day = kLabelInductionWeeks * kDaysPerWeek;
    for (int week = 0; week < kWeeklyMaintenanceWeeks; ++week) {
        slots.push_back(Slot{first_maintenance_day + week * kDaysPerWeek,
                             kPhaseMaintenance,
                             {kEsketamine56Mg, kEsketamine84Mg},
                             std::nullopt,
                             ""});
    }
    slots[2 * static_cast<std::size_t>(kLabelInductionWeeks)].note = "weeks 5-8: once weekly (Spravato USPI)";
    int week9_day = (kLabelInductionWeeks + kWeeklyMaintenanceWeeks) * kDaysPerWeek;
    for (int i = 0; i < settings.esketamine_maintenance_sessions; ++i) {
        slots.push_back(Slot{week9_day + i * interval_weeks * kDaysPerWeek,
                             kPhaseMaintenance,
                             {kEsketamine56Mg, kEsketamine84Mg},
                             std::nullopt,
                             ""});
    }
    if (settings.esketamine_maintenance_sessions > 0) {
        slots[2 * kLabelInductionWeeks + kWeeklyMaintenanceWeeks].note =
            std::string("from week 9: ") + (interval_weeks == 1 ? "once weekly" : "every 2 weeks") +
            "; use the least frequent schedule that keeps response or remission and reassess periodically "
            "(Spravato USPI)";
    }
    RETURN_IF_ERROR(CheckPatternSpacing(slots, settings, "schedule.min_days_between_sessions",
                                        "the esketamine-trd label schedule (twice weekly in weeks 1-4)"));
    return slots;
}

Result<std::vector<Slot>> EsketamineSuicidalIdeation(const ScheduleSettings& settings) {
    std::vector<Slot> slots;
    for (int day : RepeatWeekly(kTwiceWeeklyDays, 2 * kLabelInductionWeeks)) {
        slots.push_back(Slot{day, kPhaseAcute, {kEsketamine56Mg, kEsketamine84Mg}, kEsketamine84Mg, ""});
    }
    slots.front().note = "84 mg twice weekly; may lower to 56 mg for tolerability (Spravato USPI)";
    slots.back().note =
        "end of week 4: stop and evaluate benefit; use beyond 4 weeks has not been studied for this "
        "indication (Spravato USPI)";
    RETURN_IF_ERROR(CheckPatternSpacing(slots, settings, "schedule.min_days_between_sessions",
                                        "the esketamine-si label schedule (twice weekly for 4 weeks)"));
    return slots;
}

}  // namespace

Result<Protocol> ParseProtocol(std::string_view name) {
    return kProtocolNames.ParseAlternative("protocol", name);
}

Result<std::vector<PlannedSession>> PlanSchedule(Protocol protocol, std::chrono::sys_days start,
                                                 const ScheduleSettings& settings) {
    RETURN_IF_ERROR(CheckMinDays(settings));
    ASSIGN_OR_RETURN(std::vector<Slot> slots, [&]() -> Result<std::vector<Slot>> {
        switch (protocol) {
            case Protocol::kIvInduction:
                return IvInduction(settings);
            case Protocol::kEsketamineTrd:
                return EsketamineTrd(settings);
            case Protocol::kEsketamineSuicidalIdeation:
                return EsketamineSuicidalIdeation(settings);
        }
        return InvalidArgument("protocol", "unknown protocol");
    }());

    std::vector<PlannedSession> sessions;
    int number = 0;
    for (Slot& slot : std::move(slots)) {
        PlannedSession session;
        session.number = ++number;
        session.date = start + std::chrono::days{slot.day};
        session.phase = std::string(slot.phase);
        session.week = slot.day / kDaysPerWeek + 1;
        session.dose_options_mg = std::move(slot.dose_options_mg);
        session.label_dose_mg = slot.label_dose_mg;
        session.note = std::move(slot.note);
        sessions.push_back(std::move(session));
    }
    return sessions;
}

Status CheckSpacing(std::chrono::sys_days previous, std::chrono::sys_days proposed, const ScheduleSettings& settings) {
    RETURN_IF_ERROR(CheckMinDays(settings));
    std::chrono::sys_days earliest = previous + std::chrono::days{settings.min_days_between_sessions};
    if (proposed < earliest) {
        return Error{
            ErrorCode::kFailedPrecondition, "date",
            FormatDate(proposed) + " is " + DaysRelative((proposed - previous).count()) + " the previous session on " +
                FormatDate(previous) + "; sessions must be at least " + Days(settings.min_days_between_sessions) +
                " apart (schedule.min_days_between_sessions), so the earliest date is " + FormatDate(earliest)};
    }
    return Status::Ok();
}

}  // namespace kclinic::clinical
