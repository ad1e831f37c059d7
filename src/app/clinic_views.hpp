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
#include "app/session_steps.hpp"
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
    std::vector<Assessment> points;  // valid assessments, oldest first
    // The pre-treatment baseline among `points` (clinical::PreTreatmentBaselineIndex against the chart's
    // first_dose_at); none when no total was taken before the first dose.
    std::optional<AssessmentId> baseline;
    std::optional<clinical::OutcomeLines> lines;  // from the baseline; none without one, or when its total is 0
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
    // The start of the patient's treatment: the earliest administration of any session, not entered in error; none
    // before the first dose. The outcome baselines are the scores taken before it.
    std::optional<TimePoint> first_dose_at;
};

// One in-session alert threshold in force, as a chart draws it: the setting (clinical::MonitoringSettings, named as
// in GET /api/v1/settings), its value and the unit of the vital sign it applies to (UCUM, as vital signs carry it).
struct AlertThreshold {
    std::string setting;  // "monitoring.systolic_alert_at_or_above"
    int value = 0;
    std::string unit;  // "mm[Hg]"
};

// The thresholds of `settings` that a vital sign's alert rule compares against (clinical::EvaluateVitalSign), in the
// order of docs/clinical-rules.md "In-session alerts".
[[nodiscard]] std::vector<AlertThreshold> VitalSignThresholds(const clinical::MonitoringSettings& settings);

// The session screen (issue 12 §2) in one read: the session as SessionSteps::GetSession answers it, with what a nurse
// at the chair watches.
struct SessionScreen {
    SessionRecord record;
    Patient patient;
    int age = 0;  // whole years on the clinic's today
    TreatmentCourse course;
    std::optional<TimePoint> first_dose_at;          // the earliest valid administration's start
    std::optional<TimePoint> earliest_discharge_at;  // clinical::EarliestReadyForDischarge, as on the board
    std::vector<VitalSign> vitals;  // every vital sign recorded in the session, oldest first, marked too
    // The patient's MOAA/S and CADSS ratings (the in-session instruments) taken while the session was in progress
    // (InProgressAt: from check-in until its step to discharged, aborted or cancelled), oldest first, marked too.
    std::vector<Assessment> scores;
    std::vector<Alert> alerts;                 // the session's alerts and every open alert of the patient, in id order
    std::vector<AdverseEvent> adverse_events;  // linked to the session, by onset
    std::vector<AlertThreshold> thresholds;    // VitalSignThresholds of the settings in force
    // Issue 14 §1: the PRN doses given in the session (each also in record.medications) with their orders and
    // responses, the session's one-off orders, and the standing-order set in force now (what a nurse may give next).
    std::vector<PrnDose> prn_doses;
    std::vector<OneOffOrder> one_off_orders;
    std::optional<StandingOrderSet> standing_orders;
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
    // their sessions, adverse events, notes and the outcome series, each against its pre-treatment baseline. Audited as
    // "chart.read" with the patient. The caller holds chart.read, whose roles hold every permission the chart draws on
    // (note.read included: notes come whole). Errors: kNotFound when no such patient; LoadClinicZone's.
    Result<PatientChart> Chart(const Actor& actor, PatientId patient, const clinical::ClinicSettings& settings);

    // The screen of `session` under `settings`. Audited as "session_screen.read" (record treatment_session, with its
    // patient). The caller holds session.read, whose roles hold every permission the screen draws on (patient,
    // schedule, vital, assessment, alert and adverse event reads). Errors: kNotFound when no such session;
    // LoadClinicZone's.
    Result<SessionScreen> Session(const Actor& actor, SessionId session, const clinical::ClinicSettings& settings);

    // Every active staff member (ActiveStaff), for colleagues to see names instead of addresses. No patient data,
    // so no audit entry.
    Result<std::vector<StaffMember>> Staff();

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;
};

}  // namespace kclinic::app
