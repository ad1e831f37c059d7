#include "clinical/record_time.hpp"

#include <chrono>
#include <string>

namespace kclinic::clinical {

Result<EntryTiming> CheckEntryTime(std::string_view field, TimePoint at, TimePoint now,
                                   const RecordSettings& settings) {
    const std::chrono::minutes skew{settings.clock_skew_minutes};
    if (at > now + skew) {
        return InvalidArgument(std::string(field), "is in the future: more than " +
                                                       std::to_string(settings.clock_skew_minutes) +
                                                       " min (records.clock_skew_minutes) after the server's clock");
    }
    if (at < now - std::chrono::hours{settings.late_entry_max_hours}) {
        return InvalidArgument(std::string(field), "is older than the late-entry limit of " +
                                                       std::to_string(settings.late_entry_max_hours) +
                                                       " h (records.late_entry_max_hours)");
    }
    if (at < now - std::chrono::minutes{settings.late_entry_after_minutes}) {
        return EntryTiming::kLate;
    }
    return EntryTiming::kContemporaneous;
}

}  // namespace kclinic::clinical
