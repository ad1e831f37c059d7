#pragma once

// What the patient portal tells a patient in plain words (shared/design.md §4): how to prepare for a session of
// their route, which of their scores are their own questionnaires, and where to get help at once when a
// questionnaire flagged suicidal thoughts. Static data with its sources; docs/clinical-rules.md ("Patient portal")
// lists each entry.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

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

// The crisis services of the clinic's region, the most direct first: the defaults of setting
// portal.crisis_resources.
[[nodiscard]] std::span<const CrisisResource> CrisisResources(Region region);

// Bounds of the clinic's own crisis texts (settings portal.crisis_text and portal.crisis_resources), in characters
// (Unicode code points): short enough to read at once on a phone in a crisis. Clinic policy [PRACTICE].
inline constexpr std::size_t kCrisisTextMaxChars = 500;
inline constexpr std::size_t kCrisisResourcesMax = 5;
inline constexpr std::size_t kCrisisNameMaxChars = 80;
inline constexpr std::size_t kCrisisContactMaxChars = 200;

// The clinic's own crisis services as setting `setting` (portal.crisis_resources) writes them:
// "name: contact; name: contact", each entry's name before its first colon, entries separated by semicolons,
// surrounding spaces ignored. Empty text: no services of the clinic's own (the region's apply). The result views
// `text`; each entry's source names the setting. Errors (field `setting`): kInvalidArgument for an entry without a
// colon, an empty name or contact, a control character, more than kCrisisResourcesMax entries, or a name or contact
// longer than kCrisisNameMaxChars / kCrisisContactMaxChars.
[[nodiscard]] Result<std::vector<CrisisResource>> ParseCrisisResources(std::string_view setting, std::string_view text);

// Checks setting `setting` (portal.crisis_text): at most kCrisisTextMaxChars characters, no control character.
// Error kInvalidArgument naming `setting`.
[[nodiscard]] Status CheckCrisisText(std::string_view setting, std::string_view text);

// The crisis services the portal shows a patient: the clinic's own (portal.crisis_resources) when set, else those of
// its region. The result views `settings`. PRECONDITION: `settings` holds values SetSetting accepted.
[[nodiscard]] std::vector<CrisisResource> CrisisResourcesOf(const ClinicSettings& settings);

// True for the questionnaires a patient fills in themselves, rater Rater::kPatient in the instrument table (PHQ-9,
// GAD-7, QIDS-SR16, PCL-5): the scores the portal shows them. Clinician-rated scales, the in-session dissociation and
// sedation ratings and the C-SSRS triage are not shown.
[[nodiscard]] bool IsSelfReport(Instrument instrument);

}  // namespace kclinic::clinical
