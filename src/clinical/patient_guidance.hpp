#pragma once

// What the patient portal tells a patient in plain words (shared/design.md §4): how to prepare for a session of
// their route, which of their scores are their own questionnaires, and where to get help at once when a
// questionnaire flagged suicidal thoughts. Static data with its sources; docs/clinical-rules.md ("Patient portal")
// lists each entry.

#include <span>
#include <string_view>

#include "clinical/dose.hpp"
#include "clinical/scales.hpp"
#include "clinical/settings.hpp"

namespace kclinic::clinical {

// A text shown to a patient, with the source it follows.
struct PatientText {
    std::string_view text;
    std::string_view source;
};

// How to prepare for, and get home from, a session given by `route`. Never fails: every route has its text.
[[nodiscard]] PatientText PreparationInstructions(Route route);

// A service a patient can reach at once in a crisis.
struct CrisisResource {
    std::string_view name;
    std::string_view contact;  // what to do: "call or text 988"
    std::string_view source;
};

// The crisis services of the clinic's region, the most direct first.
[[nodiscard]] std::span<const CrisisResource> CrisisResources(Region region);

// True for the questionnaires a patient fills in themselves, rater Rater::kPatient in the instrument table (PHQ-9,
// GAD-7, QIDS-SR16, PCL-5): the scores the portal shows them. Clinician-rated scales, the in-session dissociation and
// sedation ratings and the C-SSRS triage are not shown.
[[nodiscard]] bool IsSelfReport(Instrument instrument);

}  // namespace kclinic::clinical
