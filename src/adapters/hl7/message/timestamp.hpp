#pragma once

// HL7 v2 date/time values (data type DTM, v2.5.1 §2A.22; the TS of older versions is a DTM in its first
// component): YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ].

#include <optional>
#include <string>
#include <string_view>

#include "clinical/clinic_zone.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::adapters::hl7 {

// The instant `text` names, to the millisecond, or nullopt when it is not a DTM with at least the minute
// (YYYYMMDDHHMM: a vital sign needs its time of day) and real calendar values, or its offset is malformed.
// A time without an offset is the sender's wall clock (HL7 leaves it to local agreement), read in `local_zone`,
// the clinic's time zone.
[[nodiscard]] std::optional<clinical::TimePoint> ParseDateTime(std::string_view text,
                                                               const clinical::ClinicZone& local_zone);

// `at` as a DTM in UTC to the second: "20261207143005+0000".
[[nodiscard]] std::string FormatDateTime(clinical::TimePoint at);

}  // namespace kclinic::adapters::hl7
