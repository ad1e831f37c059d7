#include "app/record_names.hpp"

#include <array>
#include <string>
#include <utility>

namespace kclinic::app {
namespace {

// One table per enumeration: the name of each value, in enum order, so Name and Parse cannot drift apart.
template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<VitalSource, 2> kVitalSources{{{VitalSource::kManual, "manual"}, {VitalSource::kDevice, "device"}}};
constexpr NameTable<HistoryKind, 4> kHistoryKinds{{{HistoryKind::kDiagnosis, "diagnosis"},
                                                   {HistoryKind::kCondition, "condition"},
                                                   {HistoryKind::kAllergy, "allergy"},
                                                   {HistoryKind::kMedication, "medication"}}};
constexpr NameTable<SignOff, 2> kSignOffs{{{SignOff::kAccepted, "accepted"}, {SignOff::kOverridden, "overridden"}}};
constexpr NameTable<CourseStatus, 3> kCourseStatuses{
    {{CourseStatus::kActive, "active"}, {CourseStatus::kPaused, "paused"}, {CourseStatus::kEnded, "ended"}}};
constexpr NameTable<NoteKind, 4> kNoteKinds{{{NoteKind::kPreparation, "preparation"},
                                             {NoteKind::kDosing, "dosing"},
                                             {NoteKind::kIntegration, "integration"},
                                             {NoteKind::kProgress, "progress"}}};
constexpr NameTable<RemsFormStatus, 2> kRemsFormStatuses{
    {{RemsFormStatus::kDue, "due"}, {RemsFormStatus::kSubmitted, "submitted"}}};
constexpr NameTable<Role, 6> kRoles{{{Role::kAdmin, "admin"},
                                     {Role::kPrescriber, "prescriber"},
                                     {Role::kNurse, "nurse"},
                                     {Role::kTherapist, "therapist"},
                                     {Role::kFrontDesk, "front_desk"},
                                     {Role::kPatient, "patient"}}};

template <typename Enum, std::size_t N>
std::string_view NameIn(const NameTable<Enum, N>& table, Enum value) {
    for (const auto& [entry, name] : table) {
        if (entry == value) {
            return name;
        }
    }
    return table.front().second;  // unreachable: every table lists every enumerator
}

template <typename Enum, std::size_t N>
Result<Enum> ParseIn(const NameTable<Enum, N>& table, std::string_view field, std::string_view name) {
    std::string allowed;
    for (const auto& [entry, entry_name] : table) {
        if (entry_name == name) {
            return entry;
        }
        allowed += (allowed.empty() ? "" : ", ") + std::string(entry_name);
    }
    return InvalidArgument(std::string(field), "must be one of " + allowed + "; got \"" + std::string(name) + "\"");
}

}  // namespace

std::string_view VitalSourceName(VitalSource source) {
    return NameIn(kVitalSources, source);
}
Result<VitalSource> ParseVitalSource(std::string_view name) {
    return ParseIn(kVitalSources, "source", name);
}

std::string_view HistoryKindName(HistoryKind kind) {
    return NameIn(kHistoryKinds, kind);
}
Result<HistoryKind> ParseHistoryKind(std::string_view name) {
    return ParseIn(kHistoryKinds, "kind", name);
}

std::string_view SignOffName(SignOff sign_off) {
    return NameIn(kSignOffs, sign_off);
}
Result<SignOff> ParseSignOff(std::string_view name) {
    return ParseIn(kSignOffs, "sign_off", name);
}

std::string_view CourseStatusName(CourseStatus status) {
    return NameIn(kCourseStatuses, status);
}
Result<CourseStatus> ParseCourseStatus(std::string_view name) {
    return ParseIn(kCourseStatuses, "status", name);
}

std::string_view NoteKindName(NoteKind kind) {
    return NameIn(kNoteKinds, kind);
}
Result<NoteKind> ParseNoteKind(std::string_view name) {
    return ParseIn(kNoteKinds, "kind", name);
}

std::string_view RemsFormStatusName(RemsFormStatus status) {
    return NameIn(kRemsFormStatuses, status);
}
Result<RemsFormStatus> ParseRemsFormStatus(std::string_view name) {
    return ParseIn(kRemsFormStatuses, "status", name);
}

std::string_view RoleName(Role role) {
    return NameIn(kRoles, role);
}
Result<Role> ParseRole(std::string_view name) {
    return ParseIn(kRoles, "role", name);
}

}  // namespace kclinic::app
