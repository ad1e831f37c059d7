#pragma once

// When a clinical time may be recorded, and whether it is a late entry. Every clinical time a person types in (an
// administration's start, a vital sign's measurement, a rating, a weight) is checked here against the moment the
// server records it, so that no use case carries its own idea of "the future" or of "too long ago".
//
// Two rules, clinic policy within the bounds of settings.hpp's RecordSettings (docs/clinical-rules.md, "Record
// times"):
// - A time later than now by more than the clock-skew allowance is refused: a clinician's or a device's clock may be
//   a few minutes off, but nothing can be documented before it happened.
// - A time earlier than now by more than the late-entry window is a late entry (documentation after the fact,
//   which CMS's Program Integrity Manual 100-08 ch. 3 §3.3.2.5 requires to be identified as such); earlier than the
//   late-entry limit it is refused. A late entry is kept and flagged; it never opens or moves a safety gate (the
//   caller decides gates from the record's own events, not from the time a person typed).

#include <string_view>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::clinical {

enum class EntryTiming {
    kContemporaneous,  // within the late-entry window of now (or ahead of it by at most the clock-skew allowance)
    kLate,             // earlier than the window, within the limit: documented after the fact
};
inline constexpr auto kEntryTimingNames =
    MakeEnumNames<EntryTiming>({{EntryTiming::kContemporaneous, "contemporaneous"}, {EntryTiming::kLate, "late"}});

// Where `at` (the time of the event, as given in `field`) stands against `now` (when it is being recorded).
// Errors: kInvalidArgument naming `field` when `at` is after now + records.clock_skew_minutes ("in the future"), or
// before now - records.late_entry_max_hours ("older than the late-entry limit").
[[nodiscard]] Result<EntryTiming> CheckEntryTime(std::string_view field, TimePoint at, TimePoint now,
                                                 const RecordSettings& settings);

}  // namespace kclinic::clinical
