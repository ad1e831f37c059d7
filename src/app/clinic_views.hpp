#pragma once

// Read models for the clinic's screens (issue 12 §1: "each screen should load in one or two requests"): the clinic
// board of one day and a patient's chart, each gathered in one read of the store with batch reads (never one query
// per row), and audited in the same transaction. They add no rule of their own: each figure comes from the rule that
// decides it elsewhere (the discharge gate from clinical::EarliestReadyForDischarge, the outcome lines from
// clinical::OutcomeLinesFor, the course's plan from the stored sessions).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/outcomes.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// A staff member as colleagues see them: no password hash, no login state.
struct StaffMember {
    UserId id;
    std::string email;
    std::string display_name;
    Role role = Role::kNurse;
};

// One treatment session on the board.
struct BoardSession {
    TreatmentSession session;
    clinical::Route route = clinical::Route::kIv;  // the course's route
    Patient patient;
    int age = 0;                                     // whole years on the board's date
    std::optional<Appointment> appointment;          // the booked appointment linked to the session, if any
    std::optional<TreatmentRoom> room;               // the appointment's room
    std::optional<StaffMember> nurse;                // the appointment's staff member, else who checked the patient in
    std::optional<std::string> nurse_email;          // set with `nurse`, and alone when that user no longer exists
    std::optional<TimePoint> first_dose_at;          // the earliest valid administration's start
    std::optional<TimePoint> earliest_discharge_at;  // clinical::EarliestReadyForDischarge
    std::vector<VitalSign> latest_vitals;            // the latest valid reading of each LOINC code in the session
    std::vector<Alert> open_alerts;                  // the patient's alerts not yet acknowledged, any session
};

struct ClinicBoard {
    std::chrono::sys_days date;
    std::string time_zone;               // the clinic's zone the day is in
    std::vector<BoardSession> sessions;  // SessionSteps::ListSessionsOn's, in id order
};

// A course on the chart with its planned sessions (dates and states, the schedule's view).
struct ChartCourse {
    TreatmentCourse course;
    std::vector<TreatmentSession> sessions;  // in number order
    int completed = 0;                       // sessions discharged
    int planned = 0;                         // every session not cancelled
};

// One instrument's totals over time, with the lines a chart draws.
struct OutcomeSeries {
    clinical::Instrument instrument = clinical::Instrument::kPhq9;
    std::vector<Assessment> points;               // valid assessments, oldest first
    std::optional<clinical::OutcomeLines> lines;  // from the first point as the baseline; none when its total is 0
};

struct PatientChart {
    Patient patient;
    int age = 0;  // whole years on the clinic's today
    std::optional<StaffMember> clinician;
    std::vector<HistoryEntry> history;  // diagnoses, conditions, allergies, medications, in the order noted
    std::vector<TrialRecord> trials;
    std::optional<ScreeningRecord> latest_screening;
    std::vector<ChartCourse> courses;  // oldest first
    std::vector<AdverseEvent> adverse_events;
    std::vector<Note> notes;              // oldest first, with addenda
    std::vector<OutcomeSeries> outcomes;  // PHQ-9, MADRS, QIDS-SR16, GAD-7, PCL-5, in that order, empty series left out
};

// The instruments the chart's outcome series cover, in the order it answers them (issue 12 §2).
inline constexpr clinical::Instrument kChartInstruments[] = {clinical::Instrument::kPhq9, clinical::Instrument::kMadrs,
                                                             clinical::Instrument::kQidsSr16,
                                                             clinical::Instrument::kGad7, clinical::Instrument::kPcl5};

// Every active staff user (role other than patient, not disabled), in id order, read page by page in `tx`.
[[nodiscard]] Result<std::vector<StaffMember>> ActiveStaff(AccessTransaction& tx);

class ClinicViews {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    ClinicViews(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // The board of the clinic's day `date` (today in the clinic's zone when nullopt): every session
    // SessionSteps::ListSessionsOn lists, each with its patient, route, appointment and room, nurse, first dose,
    // earliest discharge, latest vital signs and open alerts. One read of each kind for the whole day. Audited as
    // "board.read" once per session shown (record treatment_session, with its patient), so each patient's audit
    // trail says who saw them on the board. Errors: LoadClinicZone's.
    Result<ClinicBoard> Board(const Actor& actor, std::optional<std::chrono::sys_days> date);

    // The chart of `patient` under `settings`: demographics, history, trials, the latest screening, courses with
    // their sessions, adverse events, notes and the outcome series. Audited as "chart.read" with the patient. The
    // caller holds chart.read, whose roles hold every permission the chart draws on (note.read included: notes come
    // whole). Errors: kNotFound when no such patient; LoadClinicZone's.
    Result<PatientChart> Chart(const Actor& actor, PatientId patient, const clinical::ClinicSettings& settings);

    // Every active staff member (ActiveStaff), for colleagues to see names instead of addresses. No patient data,
    // so no audit entry.
    Result<std::vector<StaffMember>> Staff();

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
