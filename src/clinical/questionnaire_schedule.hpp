#pragma once

// When a questionnaire a clinician assigned to a patient is due (issue 12 §3: "questionnaires due (PHQ-9, GAD-7 and
// what a clinician assigns)"). An assignment is due first on its first date (the clinic's calendar date) and, when it
// repeats, every `every_days` days after that. No guideline sets a cadence for between-session questionnaires: the
// clinician chooses it [PRACTICE]; the recall period of each instrument (PHQ-9 and GAD-7: the last 2 weeks; QIDS-SR16:
// 7 days; PCL-5 and the C-SSRS screener: the last month; clinical-reference §6) is the clinician's guide, not a rule
// here. docs/clinical-rules.md ("Assigned questionnaires") lists these rules. Pure functions.

#include <chrono>
#include <optional>

#include "base/result.hpp"

namespace kclinic::clinical {

// The longest repeat interval and how far ahead a first date may lie: a quarter (13 weeks) and a year, long enough
// for any maintenance course's reviews [PRACTICE].
inline constexpr int kQuestionnaireMaxEveryDays = 91;
inline constexpr int kQuestionnaireMaxLeadDays = 366;

struct QuestionnaireCadence {
    std::chrono::sys_days first_due;
    std::optional<int> every_days;  // absent: once
};

// Checks a new assignment's cadence on the clinic's date `today`. Errors: kInvalidArgument "first_due" before
// today or more than kQuestionnaireMaxLeadDays after it; kOutOfRange "every_days"
// outside 1..kQuestionnaireMaxEveryDays.
[[nodiscard]] Status CheckCadence(const QuestionnaireCadence& cadence, std::chrono::sys_days today);

// The date the assignment is next due, given the clinic's date of the latest answer that counts for it (one given
// after the assignment was made); nullopt once a one-time assignment is answered. An answer counts for the due
// dates on or before its own date: answered on or after a due date, the assignment is next due on its first date
// after the answer (a late answer makes up the missed date, it does not leave the next one due at once); an answer
// before the first date counts for none. PRECONDITION: CheckCadence accepted `cadence` on the day it was made.
[[nodiscard]] std::optional<std::chrono::sys_days> NextDue(const QuestionnaireCadence& cadence,
                                                           std::optional<std::chrono::sys_days> latest_answer);

}  // namespace kclinic::clinical
