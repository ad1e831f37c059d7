#pragma once

// The rules over readings a bedside monitor sends (issue 13 §2): which of them the chart keeps, and when a reading
// that breaches an alert rule raises a new alert rather than continuing the breach episode an earlier one opened. A
// monitor reports every few seconds to once a minute (shared/interop-reference.md §3.4); without these rules every
// message would add a chart row and an alert. The rule table is docs/clinical-rules.md ("Device readings"). Pure
// functions; no state; safe to call from any thread.

#include <optional>
#include <string_view>

#include "clinical/settings.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

// The breach episode an alert rule's finding belongs to. The three blood-pressure rules (systolic, diastolic, both)
// are one episode: a reading whose systolic alone breaches, then one whose systolic and diastolic both do, are the
// same high blood pressure, not two. Every other rule is its own episode (a heart rate too high and then too low are
// two different dangers, each alerted). `rule` is one of clinical/alerts.hpp's kRule codes.
[[nodiscard]] std::string_view AlertEpisodeKey(std::string_view rule);

// Whether a device reading observed at `observed_at` that breaches a rule of episode key K in a session raises a new
// alert: yes unless a device reading of the same session breached a rule of K within the
// settings.device_alert_quiet_minutes before it (`previous_breach_at`, the latest such observed_at at or before
// `observed_at`; nullopt when none). So an episode lasts while breaches keep coming less than that far apart, whether
// its alert is open or already acknowledged (the nurse has seen it; the board keeps showing an open one), and a breach
// after that long without one, including after the monitor fell silent, is a new episode with a new alert.
[[nodiscard]] bool OpensAlertEpisode(TimePoint observed_at, std::optional<TimePoint> previous_breach_at,
                                     const MonitoringSettings& settings);

// Whether a valid device reading of one vital sign (by LOINC code) of a session goes into the chart as a vital sign:
// when it raises an alert (the alert points at a charted reading), when no reading of that code of the session is
// charted yet (`nearest_charted_at` nullopt), or when the charted one nearest to it in time, before or after (a late,
// resent reading lands among later ones), is at least settings.device_chart_interval_seconds from it. Every reading
// stays in the device log either way.
[[nodiscard]] bool KeepsInChart(TimePoint observed_at, std::optional<TimePoint> nearest_charted_at, bool raises_alert,
                                const MonitoringSettings& settings);

}  // namespace kclinic::clinical
