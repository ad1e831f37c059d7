#pragma once

// Stable text names of the clinic record's own enumerations, as storage and JSON write them. The clinical core's
// enumerations have theirs next to them (clinical::RouteName, ...). Each Parse is the exact inverse of its Name
// and refuses anything else with kInvalidArgument on the field ("source", "kind", "sign_off", "status", "role"):
// `must be one of <the names>; got "<name>"`.

#include <string_view>

#include "app/records.hpp"
#include "base/enum_names.hpp"
#include "base/result.hpp"

namespace kclinic::app {

inline constexpr auto kVitalSourceNames =
    MakeEnumNames<VitalSource>({{VitalSource::kManual, "manual"}, {VitalSource::kDevice, "device"}});
[[nodiscard]] constexpr std::string_view VitalSourceName(VitalSource source) {
    return kVitalSourceNames.Name(source);
}
[[nodiscard]] Result<VitalSource> ParseVitalSource(std::string_view name);

inline constexpr auto kDeviceReadingStatusNames =
    MakeEnumNames<DeviceReadingStatus>({{DeviceReadingStatus::kValid, "valid"},
                                        {DeviceReadingStatus::kInvalid, "invalid"},
                                        {DeviceReadingStatus::kUnmapped, "unmapped"}});
[[nodiscard]] constexpr std::string_view DeviceReadingStatusName(DeviceReadingStatus status) {
    return kDeviceReadingStatusNames.Name(status);
}
[[nodiscard]] Result<DeviceReadingStatus> ParseDeviceReadingStatus(std::string_view name);

inline constexpr auto kHistoryKindNames = MakeEnumNames<HistoryKind>({{HistoryKind::kDiagnosis, "diagnosis"},
                                                                      {HistoryKind::kCondition, "condition"},
                                                                      {HistoryKind::kAllergy, "allergy"},
                                                                      {HistoryKind::kMedication, "medication"}});
[[nodiscard]] constexpr std::string_view HistoryKindName(HistoryKind kind) {
    return kHistoryKindNames.Name(kind);
}
[[nodiscard]] Result<HistoryKind> ParseHistoryKind(std::string_view name);

inline constexpr auto kSignOffNames =
    MakeEnumNames<SignOff>({{SignOff::kAccepted, "accepted"}, {SignOff::kOverridden, "overridden"}});
[[nodiscard]] constexpr std::string_view SignOffName(SignOff sign_off) {
    return kSignOffNames.Name(sign_off);
}
[[nodiscard]] Result<SignOff> ParseSignOff(std::string_view name);

inline constexpr auto kCourseStatusNames = MakeEnumNames<CourseStatus>(
    {{CourseStatus::kActive, "active"}, {CourseStatus::kPaused, "paused"}, {CourseStatus::kEnded, "ended"}});
[[nodiscard]] constexpr std::string_view CourseStatusName(CourseStatus status) {
    return kCourseStatusNames.Name(status);
}
[[nodiscard]] Result<CourseStatus> ParseCourseStatus(std::string_view name);

inline constexpr auto kNoteKindNames = MakeEnumNames<NoteKind>({{NoteKind::kPreparation, "preparation"},
                                                                {NoteKind::kDosing, "dosing"},
                                                                {NoteKind::kIntegration, "integration"},
                                                                {NoteKind::kProgress, "progress"}});
[[nodiscard]] constexpr std::string_view NoteKindName(NoteKind kind) {
    return kNoteKindNames.Name(kind);
}
[[nodiscard]] Result<NoteKind> ParseNoteKind(std::string_view name);

inline constexpr auto kRemsFormStatusNames =
    MakeEnumNames<RemsFormStatus>({{RemsFormStatus::kDue, "due"}, {RemsFormStatus::kSubmitted, "submitted"}});
[[nodiscard]] constexpr std::string_view RemsFormStatusName(RemsFormStatus status) {
    return kRemsFormStatusNames.Name(status);
}
[[nodiscard]] Result<RemsFormStatus> ParseRemsFormStatus(std::string_view name);

inline constexpr auto kRoleNames = MakeEnumNames<Role>({{Role::kAdmin, "admin"},
                                                        {Role::kPrescriber, "prescriber"},
                                                        {Role::kNurse, "nurse"},
                                                        {Role::kTherapist, "therapist"},
                                                        {Role::kFrontDesk, "front_desk"},
                                                        {Role::kPatient, "patient"}});
[[nodiscard]] constexpr std::string_view RoleName(Role role) {
    return kRoleNames.Name(role);
}
[[nodiscard]] Result<Role> ParseRole(std::string_view name);

}  // namespace kclinic::app
