#pragma once

// The free-text rules the treatment use cases share (course_records, session_steps, dose_records). Internal to app/.

#include <cstddef>

#include "base/text.hpp"

namespace kclinic::app::treatment_text {

inline constexpr std::size_t kMaxReasonLength = 2000;
// Indications, drugs and lot numbers are one line; a reason may run over several.
inline constexpr TextRule kLineRule{.max_characters = 200};
inline constexpr TextRule kReasonRule{.max_characters = kMaxReasonLength, .multiline = true};

}  // namespace kclinic::app::treatment_text
