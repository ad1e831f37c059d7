#include "clinical/questionnaire_schedule.hpp"

#include <string>

namespace kclinic::clinical {

Status CheckCadence(const QuestionnaireCadence& cadence, std::chrono::sys_days today) {
    if (cadence.first_due < today) {
        return InvalidArgument("first_due", "must be today or later (the clinic's date)");
    }
    if (cadence.first_due > today + std::chrono::days{kQuestionnaireMaxLeadDays}) {
        return InvalidArgument("first_due",
                               "must be at most " + std::to_string(kQuestionnaireMaxLeadDays) + " days from today");
    }
    if (cadence.every_days && (*cadence.every_days < 1 || *cadence.every_days > kQuestionnaireMaxEveryDays)) {
        return OutOfRange("every_days", *cadence.every_days, 1, kQuestionnaireMaxEveryDays, "days");
    }
    return Status::Ok();
}

std::optional<std::chrono::sys_days> NextDue(const QuestionnaireCadence& cadence,
                                             std::optional<std::chrono::sys_days> latest_answer) {
    if (!latest_answer || *latest_answer < cadence.first_due) {
        return cadence.first_due;
    }
    if (!cadence.every_days) {
        return std::nullopt;
    }
    // The due dates are first_due + k * every; the next one is the first strictly after the answer's date.
    const int every = *cadence.every_days;
    const auto periods_done = ((*latest_answer - cadence.first_due).count() / every) + 1;
    return cadence.first_due + std::chrono::days{periods_done * every};
}

}  // namespace kclinic::clinical
