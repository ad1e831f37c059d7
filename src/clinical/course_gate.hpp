#pragma once

// When a treatment course may start (docs/clinical-rules.md, "Starting a course"). A course is a prescribing decision
// that rests on an eligibility screening: the patient's latest screening for the product the course gives must be
// signed by a prescriber, and its decision must allow treatment; a screening that needs review allows it only with a
// prescriber's stated override. A patient has at most one open (active or paused) course per indication, so that two
// schedules never dose the same condition at once. Pure functions; the use case (app/course_records) reads the
// record and stores the override.

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.hpp"
#include "clinical/dose.hpp"
#include "clinical/eligibility.hpp"

namespace kclinic::clinical {

// The product a course on `route` gives, the one its screening must have screened.
[[nodiscard]] Product ProductOfRoute(Route route);

// The patient's latest screening for a course's product, as the gate needs it.
struct ScreeningForCourse {
    std::int64_t id = 0;
    Decision decision = Decision::kEligible;
    bool signed_off = false;  // a prescriber has signed it (accepted or overridden)
};

// The id of the screening a course for `product` starts on, when `latest` (nullopt: the patient has no screening for
// `product`) lets it start, with `override_reason` (empty when none) the prescriber's reason to treat despite a
// needs_review decision. Errors:
//   kFailedPrecondition "screening": no screening for the product; the latest one unsigned; its decision
//     not_eligible (a contraindication is never overridden here); needs_review with no override reason.
//   kInvalidArgument "screening_override_reason": a reason given for a decision that needs none (eligible,
//     eligible_with_cautions), so that no course carries an override of nothing.
[[nodiscard]] Result<std::int64_t> CheckScreeningAllowsCourse(Product product,
                                                              const std::optional<ScreeningForCourse>& latest,
                                                              std::string_view override_reason);

// Whether two indications name the same condition as written: letter case and blanks around or between words are
// ignored ("TRD  (F33.2)" is "trd (f33.2)"); anything else is a different indication.
[[nodiscard]] bool SameIndication(std::string_view a, std::string_view b);

}  // namespace kclinic::clinical
