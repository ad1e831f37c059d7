#include "adapters/json/schedule_json.hpp"

#include <utility>

#include "adapters/json/json_fields.hpp"
#include "adapters/json/record_json.hpp"
#include "base/text.hpp"
#include "clinical/day_hours.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::adapters::json {
namespace {

Json EntryJson(const app::DayPlanEntry& entry) {
    Json json = ToJson(entry.appointment);
    json["patient_name"] = entry.patient_name;
    json["patient_initials"] = entry.patient_initials;
    json["staff_name"] = entry.staff_name;
    json["session_state"] =
        entry.session_state ? Json(clinical::SessionStateName(*entry.session_state)) : Json(nullptr);
    json["local_start"] = DayPlanClockText(entry.local_start);
    json["local_end"] = DayPlanClockText(entry.local_end);
    return json;
}

}  // namespace

std::string DayPlanClockText(std::chrono::minutes from_midnight) {
    constexpr std::chrono::minutes kDay{24 * 60};
    if (from_midnight < std::chrono::minutes{0}) {
        return clinical::ClockText(from_midnight + kDay) + "-1d";
    }
    if (from_midnight >= kDay) {
        return clinical::ClockText(from_midnight - kDay) + "+1d";
    }
    return clinical::ClockText(from_midnight);
}

Json ToJson(const app::DayPlan& plan) {
    Json rooms = Json::array();
    for (const app::DayPlanRoom& column : plan.rooms) {
        Json appointments = Json::array();
        for (const app::DayPlanEntry& entry : column.appointments) {
            appointments.push_back(EntryJson(entry));
        }
        rooms.push_back(Json{{"room", column.room ? ToJson(*column.room) : Json(nullptr)},
                             {"appointments", std::move(appointments)}});
    }
    return Json{
        {"date", FormatDate(plan.date)},
        {"time_zone", plan.time_zone},
        {"hours", clinical::DayHoursText(plan.hours)},
        {"closed_day", plan.closed ? ToJson(*plan.closed) : Json(nullptr)},
        {"rooms", std::move(rooms)},
    };
}

Json ToJson(const clinical::Slot& slot) {
    return Json{
        {"start", FormatTime(slot.start)},
        {"end", FormatTime(slot.end)},
        {"room_id", slot.room ? Json(*slot.room) : Json(nullptr)},
        {"staff", slot.staff},
    };
}

Json ToJson(const app::ProposedSession& proposed) {
    return Json{{"session", ToJson(proposed.session)},
                {"slot", proposed.slot ? ToJson(*proposed.slot) : Json(nullptr)}};
}

Json ToJson(const app::AppointmentOutcome& outcome) {
    Json proposal = Json::array();
    for (const app::ProposedSession& proposed : outcome.proposal) {
        proposal.push_back(ToJson(proposed));
    }
    return Json{
        {"appointment", ToJson(outcome.appointment)},
        {"missed_induction", outcome.missed_induction ? ToJson(*outcome.missed_induction) : Json(nullptr)},
        {"proposal", std::move(proposal)},
    };
}

Json AppointmentTypesJson(const clinical::ClinicSettings& settings) {
    Json types = Json::array();
    for (const auto& entry : clinical::kAppointmentTypeNames.Entries()) {
        types.push_back(Json{{"type", entry.name},
                             {"treatment", clinical::IsTreatment(entry.value)},
                             {"minutes", clinical::AppointmentLength(entry.value, settings).count()}});
    }
    return types;
}

}  // namespace kclinic::adapters::json
