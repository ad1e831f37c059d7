#pragma once

// Questionnaires a clinician assigns to a patient to answer in the portal (issue 12 §3, "questionnaires due (PHQ-9,
// GAD-7 and what a clinician assigns)"): an instrument the patient may answer themselves (clinical::PatientMayAnswer),
// once or repeating, from a first due date on the clinic's calendar (clinical/questionnaire_schedule.hpp). An
// assignment is due from its date until the patient answers that instrument (any answer given after the assignment
// was made and not marked entered in error counts); a one-time assignment is then done, a repeating one next due on
// its first date after the answer. There is no default cadence for PHQ-9 or GAD-7: the portal offers them at any time
// and lists as due only what a clinician assigned (docs/clinical-rules.md "Assigned questionnaires"). Each use case
// runs in one Store transaction and audits there (questionnaire.assign, questionnaire.list, questionnaire.end); a
// refusal writes nothing. Who may call them is decided before, by Authorize (Permission::kQuestionnaireAssign to
// assign and end, kAssessmentRead to list). Thread-safe when the store is.

#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/clinic_zone.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// An assignment with where it stands on the clinic's date it was read.
struct AssignedQuestionnaire {
    QuestionnaireAssignment assignment;
    std::optional<TimePoint> last_answered_at;      // the latest answer given since it was assigned
    std::optional<std::chrono::sys_days> next_due;  // absent: ended, or a one-time assignment answered
    bool due = false;                               // in force and next_due is today or earlier
};

struct NewQuestionnaireAssignment {
    clinical::Instrument instrument = clinical::Instrument::kPhq9;
    std::optional<std::chrono::sys_days> first_due;  // absent: today (the clinic's date)
    std::optional<int> every_days;                   // absent: once
};

// Where each of `assignments` stands on `today`, given the patient's `assessments` (none entered in error), each
// answer dated on the clinic's calendar by `zone`. In the order given.
[[nodiscard]] std::vector<AssignedQuestionnaire> WithDueDates(std::span<const QuestionnaireAssignment> assignments,
                                                              std::span<const Assessment> assessments,
                                                              const clinical::ClinicZone& zone,
                                                              std::chrono::sys_days today);

class Questionnaires {
public:
    // `store`, `clock` and `zones` must outlive this object.
    Questionnaires(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // Assigns `request` to `patient` now, `settings` being the settings in force. Errors: kNotFound "patient";
    // kInvalidArgument "instrument" for one the patient may not answer in the portal (a clinician-rated scale, or
    // the C-SSRS screener while scales.cssrs_screen_self_report is clinician_only); kConflict "instrument" while an
    // assignment of that instrument is in force (end it first); clinical::CheckCadence's ("first_due",
    // "every_days"); LoadClinicZone's.
    Result<AssignedQuestionnaire> Assign(const Actor& actor, PatientId patient,
                                         const NewQuestionnaireAssignment& request,
                                         const clinical::ClinicSettings& settings);

    // Every assignment of `patient`, ended ones included, in the order made. Errors: kNotFound "patient";
    // LoadClinicZone's.
    Result<std::vector<AssignedQuestionnaire>> List(const Actor& actor, PatientId patient);

    // Ends assignment `id` of `patient` now; it is no longer due. Errors: kNotFound "patient"; kNotFound
    // "assignment_id" when the patient has no such assignment in force; LoadClinicZone's.
    Result<AssignedQuestionnaire> End(const Actor& actor, PatientId patient, QuestionnaireAssignmentId id);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
