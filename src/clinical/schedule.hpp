#pragma once

// Protocol schedules: the planned dosing dates of an IV ketamine induction series or an esketamine course, from a
// start date, with the label's dose options and decision points. Pure: the start date comes in as a parameter and
// nothing reads a clock. Sources: clinical-reference §2.1 (IV series), §3.3 (esketamine label schedule).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"

namespace kclinic::clinical {

enum class Protocol {
    kIvInduction,                 // racemic ketamine IV induction series (ELEKT-D; Murrough 2013)
    kEsketamineTrd,               // Spravato, treatment-resistant depression (USPI)
    kEsketamineSuicidalIdeation,  // Spravato, MDD with acute suicidal ideation or behaviour (USPI)
};

inline constexpr auto kProtocolNames =
    MakeEnumNames<Protocol>({{Protocol::kIvInduction, "iv-induction"},
                             {Protocol::kEsketamineTrd, "esketamine-trd"},
                             {Protocol::kEsketamineSuicidalIdeation, "esketamine-si"}});
[[nodiscard]] constexpr std::string_view ProtocolName(Protocol protocol) {
    return kProtocolNames.Name(protocol);
}
// Inverse of ProtocolName (exact, case-sensitive). Error kInvalidArgument on field "protocol":
// `must be iv-induction, esketamine-trd or esketamine-si; got "<name>"`.
[[nodiscard]] Result<Protocol> ParseProtocol(std::string_view name);

// Phase names used in PlannedSession::phase.
inline constexpr std::string_view kPhaseInduction = "induction";      // IV series; esketamine TRD weeks 1-4
inline constexpr std::string_view kPhaseMaintenance = "maintenance";  // esketamine TRD week 5 onward
inline constexpr std::string_view kPhaseAcute = "acute";              // esketamine SI: the 4-week course

// Ranges of the ScheduleSettings fields within which this module can plan (inclusive). They guard the computation
// only: the settings registry (settings.cpp) may allow a clinic a narrower range, e.g. 4-12 infusions.
inline constexpr int kMinIvInductionInfusions = 1;
inline constexpr int kMaxIvInductionInfusions = 12;  // most infusions studied in one series (KetECT, Singh 2016)
inline constexpr int kMinSessionSpacingDays = 1;     // bounds of min_days_between_sessions: 7 keeps the weekly
inline constexpr int kMaxSessionSpacingDays = 7;     // label phases plannable
inline constexpr int kMinMaintenanceSessions = 0;
inline constexpr int kMaxMaintenanceSessions = 26;  // a year at the every-2-weeks interval

struct PlannedSession {
    int number = 0;                         // 1-based, in date order
    std::chrono::sys_days date = {};        // the planned dosing day
    std::string phase = {};                 // kPhaseInduction, kPhaseMaintenance or kPhaseAcute
    int week = 0;                           // 1-based treatment week: days 0-6 from the start are week 1
    std::vector<int> dose_options_mg = {};  // label dose options, ascending; empty for weight-based IV ketamine
    std::optional<int> label_dose_mg = std::nullopt;  // the dose the label names for this session, where it names one
    std::string note = {};                            // a decision point or label reminder; empty when none
};

// Plans every dosing session of `protocol` starting on `start` (session 1 is on `start`).
//
// kIvInduction: settings.iv_induction_infusions infusions (1-12) at settings.iv_induction_per_week (2 or 3) a week:
//   twice weekly on days 0, 3, 7, 10, 14, 17, ... (ELEKT-D); three a week on days 0, 2, 4, 7, 9, 11, ... (Murrough
//   2013). Phase "induction"; no dose options (weight-based, see ComputeDose).
// kEsketamineTrd: weeks 1-4 twice weekly on days 0, 3, 7, 10, 14, 17, 21, 24 (TRANSFORM's visit pattern
//   [UNVERIFIED]; the label gives no minimum interval), phase "induction"; weeks 5-8 weekly on days 28, 35, 42, 49,
//   then from week 9 (day 56) every settings.esketamine_maintenance_interval_weeks (1 or 2) weeks for
//   settings.esketamine_maintenance_sessions (0-26) sessions, phase "maintenance". Session 1 offers 56 mg (label
//   dose 56); later sessions 56 or 84 mg (US label; EU 28-mg starts are enforced by ComputeDose). The last induction
//   session carries the end-of-week-4 decision note.
// kEsketamineSuicidalIdeation: 84 mg twice weekly for 4 weeks (days 0, 3, ..., 24; 8 sessions), phase "acute",
//   options 56 or 84 mg with label dose 84; the last session carries the stop-and-evaluate note.
//
// Errors (kOutOfRange or kInvalidArgument on the dotted setting name, e.g. "schedule.iv_induction_per_week"): a
// setting this protocol uses outside its range (min_days_between_sessions must be 1-7), or a pattern that would put
// two sessions closer than settings.min_days_between_sessions (kFailedPrecondition naming the setting that forces
// the pattern, e.g. three a week with a 3-day minimum).
[[nodiscard]] Result<std::vector<PlannedSession>> PlanSchedule(Protocol protocol, std::chrono::sys_days start,
                                                               const ScheduleSettings& settings);

// Whether a session may be moved to `proposed` given the previous dosing day. OK when proposed is at least
// settings.min_days_between_sessions days after previous. Errors: kFailedPrecondition on field "date" naming both
// dates (YYYY-MM-DD) and the earliest allowed date; kOutOfRange on "schedule.min_days_between_sessions" when the
// setting is outside 1-7.
[[nodiscard]] Status CheckSpacing(std::chrono::sys_days previous, std::chrono::sys_days proposed,
                                  const ScheduleSettings& settings);

}  // namespace kclinic::clinical
