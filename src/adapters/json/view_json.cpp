#include "adapters/json/view_json.hpp"

#include <string>
#include <utility>

#include "adapters/json/record_json.hpp"
#include "adapters/json/standing_order_json.hpp"
#include "app/record_names.hpp"
#include "base/text.hpp"
#include "clinical/schedule.hpp"
#include "clinical/scheduling.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::adapters::json {
namespace {

std::string DisplayName(const app::Patient& patient) {
    return patient.given_name + " " + patient.family_name;
}

Json OptionalTime(const std::optional<app::TimePoint>& time) {
    return time ? Json(FormatTime(*time)) : Json(nullptr);
}

template <typename Record>
Json ArrayOf(const std::vector<Record>& records) {
    Json items = Json::array();
    for (const Record& record : records) {
        items.push_back(ToJson(record));
    }
    return items;
}

Json BoardSessionJson(const app::BoardSession& entry) {
    Json room = nullptr;
    if (entry.room) {
        room = Json{{"id", entry.room->id.value}, {"name", entry.room->name}};
    }
    Json appointment = nullptr;
    if (entry.appointment) {
        appointment = Json{{"id", entry.appointment->id.value},
                           {"start", FormatTime(entry.appointment->start)},
                           {"end", FormatTime(entry.appointment->end)},
                           {"status", clinical::kAppointmentStatusNames.Name(entry.appointment->status)}};
    }
    Json nurse = nullptr;
    if (entry.nurse_email) {
        nurse = Json{{"email", *entry.nurse_email},
                     {"display_name", entry.nurse ? Json(entry.nurse->display_name) : Json(nullptr)}};
    }
    return Json{
        {"session", ToJson(entry.session)},
        {"state", clinical::SessionStateName(entry.session.state)},
        {"route", clinical::RouteName(entry.route)},
        {"patient", Json{{"id", entry.patient.id.value},
                         {"display_name", DisplayName(entry.patient)},
                         {"mrn", entry.patient.mrn},
                         {"birth_date", FormatDate(entry.patient.birth_date)},
                         {"age", entry.age}}},
        {"room", std::move(room)},
        {"appointment", std::move(appointment)},
        {"nurse", std::move(nurse)},
        {"first_dose_at", OptionalTime(entry.first_dose_at)},
        {"earliest_discharge_at", OptionalTime(entry.earliest_discharge_at)},
        {"latest_vitals", ArrayOf(entry.latest_vitals)},
        {"open_alerts", ArrayOf(entry.open_alerts)},
    };
}

Json CourseSummaryJson(const app::TreatmentCourse& course) {
    return Json{{"id", course.id.value},
                {"route", clinical::RouteName(course.route)},
                {"protocol", clinical::ProtocolName(course.protocol)},
                {"status", app::CourseStatusName(course.status)},
                {"start_date", FormatDate(course.start_date)}};
}

Json OutcomeJson(const app::OutcomeSeries& series) {
    Json points = Json::array();
    for (const app::Assessment& point : series.points) {
        points.push_back(Json{{"assessment_id", point.id.value},
                              {"total", point.total},
                              {"band", point.band},
                              {"assessed_at", FormatTime(point.assessed_at)}});
    }
    Json json{{"instrument", clinical::InstrumentName(series.instrument)},
              {"points", std::move(points)},
              {"baseline_assessment_id", series.baseline ? Json(series.baseline->value) : Json(nullptr)}};
    if (series.lines) {
        json["baseline_total"] = series.lines->baseline_total;
        json["response_max_total"] = series.lines->response_max_total;
        json["response_rule"] = series.lines->response_rule;
        json["remission_max_total"] = series.lines->remission_max_total;
        json["remission_rule"] = series.lines->remission_rule;
    } else {
        json["baseline_total"] = nullptr;
        json["response_max_total"] = nullptr;
        json["response_rule"] = nullptr;
        json["remission_max_total"] = nullptr;
        json["remission_rule"] = nullptr;
    }
    return json;
}

}  // namespace

Json ToJson(const app::StaffMember& member) {
    return Json{{"id", member.id.value},
                {"email", member.email},
                {"display_name", member.display_name},
                {"role", app::RoleName(member.role)}};
}

Json ToJson(const app::PatientSummary& summary) {
    Json json = ToJson(summary.patient);
    json["display_name"] = DisplayName(summary.patient);
    json["age"] = summary.age;
    json["current_course"] = summary.current_course ? CourseSummaryJson(*summary.current_course) : Json(nullptr);
    return json;
}

Json ToJson(const app::ClinicBoard& board) {
    Json sessions = Json::array();
    for (const app::BoardSession& entry : board.sessions) {
        sessions.push_back(BoardSessionJson(entry));
    }
    return Json{{"date", FormatDate(board.date)}, {"time_zone", board.time_zone}, {"sessions", std::move(sessions)}};
}

Json ToJson(const app::PatientChart& chart) {
    Json patient = ToJson(chart.patient);
    patient["display_name"] = DisplayName(chart.patient);
    patient["age"] = chart.age;
    // The history by kind as a chart shows it: what is valid now first, every entry (marked and stopped ones too)
    // under "history" for the full record.
    Json diagnoses = Json::array();
    Json allergies = Json::array();
    Json medications = Json::array();
    for (const app::HistoryEntry& entry : chart.history) {
        if (entry.entered_in_error) {
            continue;
        }
        switch (entry.kind) {
            case app::HistoryKind::kDiagnosis:
            case app::HistoryKind::kCondition:
                diagnoses.push_back(ToJson(entry));
                break;
            case app::HistoryKind::kAllergy:
                allergies.push_back(ToJson(entry));
                break;
            case app::HistoryKind::kMedication:
                if (!entry.stop) {
                    medications.push_back(ToJson(entry));
                }
                break;
        }
    }
    Json courses = Json::array();
    for (const app::ChartCourse& course : chart.courses) {
        Json json = ToJson(course.course);
        json["sessions"] = ArrayOf(course.sessions);
        json["sessions_planned"] = course.planned;
        json["sessions_completed"] = course.completed;
        courses.push_back(std::move(json));
    }
    Json outcomes = Json::array();
    for (const app::OutcomeSeries& series : chart.outcomes) {
        outcomes.push_back(OutcomeJson(series));
    }
    return Json{
        {"patient", std::move(patient)},
        {"clinician", chart.clinician ? ToJson(*chart.clinician) : Json(nullptr)},
        {"diagnoses", std::move(diagnoses)},
        {"allergies", std::move(allergies)},
        {"current_medications", std::move(medications)},
        {"history", ArrayOf(chart.history)},
        {"trials", ArrayOf(chart.trials)},
        {"latest_screening", chart.latest_screening ? ToJson(*chart.latest_screening) : Json(nullptr)},
        {"courses", std::move(courses)},
        {"adverse_events", ArrayOf(chart.adverse_events)},
        {"notes", ArrayOf(chart.notes)},
        {"outcomes", std::move(outcomes)},
        {"first_dose_at", OptionalTime(chart.first_dose_at)},
    };
}

Json ToJson(const app::SessionRecord& record) {
    Json json = ToJson(record.session);
    if (record.dose_order) {
        json["dose_order"] = ToJson(*record.dose_order);
    }
    json["administrations"] = ArrayOf(record.administrations);
    json["transitions"] = ArrayOf(record.transitions);
    json["medications"] = ArrayOf(record.medications);
    return json;
}

Json ToJson(const app::SessionScreen& screen) {
    Json patient = ToJson(screen.patient);
    patient["display_name"] = DisplayName(screen.patient);
    patient["age"] = screen.age;
    Json thresholds = Json::array();
    for (const app::AlertThreshold& threshold : screen.thresholds) {
        thresholds.push_back(Json{{"name", threshold.setting}, {"value", threshold.value}, {"unit", threshold.unit}});
    }
    return Json{
        {"session", ToJson(screen.record)},
        {"patient", std::move(patient)},
        {"course", ToJson(screen.course)},
        {"route", clinical::RouteName(screen.course.route)},
        {"first_dose_at", OptionalTime(screen.first_dose_at)},
        {"earliest_discharge_at", OptionalTime(screen.earliest_discharge_at)},
        {"vitals", ArrayOf(screen.vitals)},
        {"scores", ArrayOf(screen.scores)},
        {"alerts", ArrayOf(screen.alerts)},
        {"adverse_events", ArrayOf(screen.adverse_events)},
        {"alert_thresholds", std::move(thresholds)},
        {"prn_doses", ArrayOf(screen.prn_doses)},
        {"one_off_orders", ArrayOf(screen.one_off_orders)},
        {"standing_orders", screen.standing_orders ? ToJson(*screen.standing_orders) : Json(nullptr)},
    };
}

}  // namespace kclinic::adapters::json
