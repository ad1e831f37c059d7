#include "app/record_names.hpp"

namespace kclinic::app {

Result<VitalSource> ParseVitalSource(std::string_view name) {
    return kVitalSourceNames.ParseField("source", name);
}

Result<DeviceReadingStatus> ParseDeviceReadingStatus(std::string_view name) {
    return kDeviceReadingStatusNames.ParseField("status", name);
}

Result<HistoryKind> ParseHistoryKind(std::string_view name) {
    return kHistoryKindNames.ParseField("kind", name);
}

Result<SignOff> ParseSignOff(std::string_view name) {
    return kSignOffNames.ParseField("sign_off", name);
}

Result<CourseStatus> ParseCourseStatus(std::string_view name) {
    return kCourseStatusNames.ParseField("status", name);
}

Result<NoteKind> ParseNoteKind(std::string_view name) {
    return kNoteKindNames.ParseField("kind", name);
}

Result<RemsFormStatus> ParseRemsFormStatus(std::string_view name) {
    return kRemsFormStatusNames.ParseField("status", name);
}

Result<Role> ParseRole(std::string_view name) {
    return kRoleNames.ParseField("role", name);
}

}  // namespace kclinic::app
