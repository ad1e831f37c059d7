#pragma once

// Stable text names of the clinic record's own enumerations, as storage and JSON write them. The clinical core's
// enumerations have theirs next to them (clinical::RouteName, ...). Each Parse is the exact inverse of its Name
// and refuses anything else with kInvalidArgument naming the field.

#include <string_view>

#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

[[nodiscard]] std::string_view VitalSourceName(VitalSource source);  // "manual", "device"
[[nodiscard]] Result<VitalSource> ParseVitalSource(std::string_view name);

[[nodiscard]] std::string_view HistoryKindName(HistoryKind kind);  // "diagnosis", "condition", ...
[[nodiscard]] Result<HistoryKind> ParseHistoryKind(std::string_view name);

[[nodiscard]] std::string_view SignOffName(SignOff sign_off);  // "accepted", "overridden"
[[nodiscard]] Result<SignOff> ParseSignOff(std::string_view name);

[[nodiscard]] std::string_view CourseStatusName(CourseStatus status);  // "active", "paused", "ended"
[[nodiscard]] Result<CourseStatus> ParseCourseStatus(std::string_view name);

[[nodiscard]] std::string_view NoteKindName(NoteKind kind);  // "preparation", "dosing", "integration", "progress"
[[nodiscard]] Result<NoteKind> ParseNoteKind(std::string_view name);

[[nodiscard]] std::string_view RemsFormStatusName(RemsFormStatus status);  // "due", "submitted"
[[nodiscard]] Result<RemsFormStatus> ParseRemsFormStatus(std::string_view name);

// "admin", "prescriber", "nurse", "therapist", "front_desk", "patient"
[[nodiscard]] std::string_view RoleName(Role role);
[[nodiscard]] Result<Role> ParseRole(std::string_view name);

}  // namespace kclinic::app
