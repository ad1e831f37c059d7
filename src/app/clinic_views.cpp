#include "app/clinic_views.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <span>
#include <utility>

#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/patient_records.hpp"
#include "app/session_steps.hpp"
#include "app/standing_orders.hpp"
#include "clinical/eligibility.hpp"
#include "clinical/session_state.hpp"

namespace kclinic::app {
namespace {

using clinical::AppointmentStatus;

// The appointment the board shows for a session: one that still stands (booked, checked in or completed) over one
// cancelled or missed, and the latest booked of equals.
bool Stands(const Appointment& appointment) {
    return appointment.status == AppointmentStatus::kBooked || appointment.status == AppointmentStatus::kCheckedIn ||
           appointment.status == AppointmentStatus::kCompleted;
}

std::map<std::int64_t, Appointment> AppointmentsBySession(std::vector<Appointment> appointments) {
    std::map<std::int64_t, Appointment> by_session;
    for (Appointment& appointment : appointments) {
        if (!appointment.session) {
            continue;
        }
        const auto [slot, inserted] = by_session.try_emplace(appointment.session->value, appointment);
        if (!inserted && (Stands(appointment) || !Stands(slot->second))) {
            slot->second = std::move(appointment);
        }
    }
    return by_session;
}

// The latest valid reading of each LOINC code among `vitals` (oldest first), in LOINC order.
std::vector<VitalSign> LatestOfEachSign(const std::vector<const VitalSign*>& vitals) {
    std::map<std::string, const VitalSign*> latest;
    for (const VitalSign* vital : vitals) {
        if (!vital->entered_in_error) {
            latest[vital->loinc] = vital;
        }
    }
    std::vector<VitalSign> signs;
    signs.reserve(latest.size());
    for (const auto& [loinc, vital] : latest) {
        signs.push_back(*vital);
    }
    return signs;
}

template <typename Record, typename KeyOf>
std::map<std::int64_t, std::vector<Record>> GroupBy(std::vector<Record> records, KeyOf key_of) {
    std::map<std::int64_t, std::vector<Record>> groups;
    for (Record& record : records) {
        const std::optional<std::int64_t> key = key_of(record);
        if (key) {
            groups[*key].push_back(std::move(record));
        }
    }
    return groups;
}

// The start of the earliest administration among `given` not entered in error.
std::optional<TimePoint> FirstDoseAt(std::span<const Administration> given) {
    std::optional<TimePoint> first;
    for (const Administration& administration : given) {
        if (!administration.entered_in_error && (!first || administration.started_at < *first)) {
            first = administration.started_at;
        }
    }
    return first;
}

// When a session of a course on `route` may first be ready for discharge, by the session state machine's rule read
// forwards. The discharge gate reads the dose order's route; a session's order is for its course's route
// (DoseRecords::SignDoseOrder refuses any other), so the course's stands in for it.
std::optional<TimePoint> EarliestDischargeAt(clinical::Route route, std::span<const Administration> given,
                                             std::span<const SessionTransition> steps) {
    clinical::SessionFacts facts;
    facts.route = route;
    facts.course_route = route;
    AddDosingFacts(given, steps, facts);
    return clinical::EarliestReadyForDischarge(facts);
}

// The instruments rated at the chair during a session (the session screen's scores).
bool RatedInSession(clinical::Instrument instrument) {
    return instrument == clinical::Instrument::kMoaas || instrument == clinical::Instrument::kCadss ||
           instrument == clinical::Instrument::kCadss6;
}

std::optional<StaffMember> FindStaff(const std::vector<StaffMember>& staff, std::string_view email) {
    const auto found = std::ranges::find(staff, email, &StaffMember::email);
    return found == staff.end() ? std::nullopt : std::optional<StaffMember>(*found);
}

}  // namespace

Result<std::vector<StaffMember>> ActiveStaff(AccessTransaction& tx) {
    std::vector<StaffMember> staff;
    UserId after{0};
    while (true) {
        ASSIGN_OR_RETURN(std::vector<User> page, tx.ListUsers(after, kMaxPageSize));
        for (const User& user : page) {
            if (user.role != Role::kPatient && !user.disabled) {
                staff.push_back(StaffMember{user.id, user.email, user.display_name, user.role});
            }
        }
        if (page.size() < static_cast<std::size_t>(kMaxPageSize)) {
            return staff;
        }
        after = page.back().id;
    }
}

std::vector<AlertThreshold> VitalSignThresholds(const clinical::MonitoringSettings& settings) {
    return {
        {"monitoring.systolic_alert_at_or_above", settings.systolic_alert_at_or_above, "mm[Hg]"},
        {"monitoring.diastolic_alert_at_or_above", settings.diastolic_alert_at_or_above, "mm[Hg]"},
        {"monitoring.heart_rate_alert_above", settings.heart_rate_alert_above, "/min"},
        {"monitoring.heart_rate_alert_below", settings.heart_rate_alert_below, "/min"},
        {"monitoring.spo2_alert_below", settings.spo2_alert_below, "%"},
        {"monitoring.respiratory_rate_alert_below", settings.respiratory_rate_alert_below, "/min"},
        {"monitoring.respiratory_rate_alert_above", settings.respiratory_rate_alert_above, "/min"},
    };
}

Result<ClinicBoard> ClinicViews::Board(const Actor& actor, std::optional<std::chrono::sys_days> date) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<ClinicBoard> {
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        ClinicBoard board;
        board.date = date.value_or(zone.LocalDate(now));
        board.time_zone = zone.name();
        const clinical::LocalDay day = zone.DayOf(board.date);
        ASSIGN_OR_RETURN(std::vector<TreatmentSession> sessions, tx.ListSessionsOn(board.date, day.start, day.end));

        std::vector<SessionId> session_ids;
        std::vector<PatientId> patient_ids;
        for (const TreatmentSession& session : sessions) {
            session_ids.push_back(session.id);
            patient_ids.push_back(session.patient);
        }
        std::sort(patient_ids.begin(), patient_ids.end());
        patient_ids.erase(std::unique(patient_ids.begin(), patient_ids.end()), patient_ids.end());

        ASSIGN_OR_RETURN(std::vector<Patient> patients, tx.GetPatients(patient_ids));
        ASSIGN_OR_RETURN(std::vector<TreatmentCourse> courses, tx.ListPatientsCourses(patient_ids));
        ASSIGN_OR_RETURN(std::vector<Alert> alerts, tx.ListPatientsOpenAlerts(patient_ids));
        ASSIGN_OR_RETURN(std::vector<VitalSign> vitals, tx.ListSessionsVitalSigns(session_ids));
        ASSIGN_OR_RETURN(std::vector<Administration> administrations, tx.ListSessionsAdministrations(session_ids));
        ASSIGN_OR_RETURN(std::vector<SessionTransition> transitions, tx.ListSessionsTransitions(session_ids));
        AppointmentFilter of_the_day;
        of_the_day.from = day.start;
        of_the_day.to = day.end;
        ASSIGN_OR_RETURN(std::vector<Appointment> appointments, tx.ListAppointments(of_the_day));
        ASSIGN_OR_RETURN(std::vector<TreatmentRoom> rooms, tx.ListRooms());
        ASSIGN_OR_RETURN(std::vector<StaffMember> staff, ActiveStaff(tx));

        std::map<std::int64_t, std::vector<const VitalSign*>> vitals_by_session;
        for (const VitalSign& vital : vitals) {
            vitals_by_session[vital.session->value].push_back(&vital);
        }
        const auto alerts_by_patient =
            GroupBy(std::move(alerts), [](const Alert& a) { return std::optional(a.patient.value); });
        const auto given_by_session =
            GroupBy(std::move(administrations), [](const Administration& a) { return std::optional(a.session.value); });
        const auto steps_by_session =
            GroupBy(std::move(transitions), [](const SessionTransition& t) { return std::optional(t.session.value); });
        const std::map<std::int64_t, Appointment> appointment_of = AppointmentsBySession(std::move(appointments));

        for (const TreatmentSession& session : sessions) {
            BoardSession entry;
            entry.session = session;
            const auto patient = std::ranges::find(patients, session.patient, &Patient::id);
            const auto course = std::ranges::find(courses, session.course, &TreatmentCourse::id);
            if (patient == patients.end() || course == courses.end()) {
                return Error{ErrorCode::kInternal, "",
                             "session " + std::to_string(session.id.value) +
                                 " names a patient or course the store does not have"};
            }
            entry.patient = *patient;
            entry.age = clinical::AgeInYears(patient->birth_date, board.date);
            entry.route = course->route;

            const std::vector<Administration> no_administrations;
            const std::vector<SessionTransition> no_transitions;
            const auto given = given_by_session.find(session.id.value);
            const auto steps = steps_by_session.find(session.id.value);
            const std::vector<Administration>& session_given =
                given == given_by_session.end() ? no_administrations : given->second;
            const std::vector<SessionTransition>& session_steps =
                steps == steps_by_session.end() ? no_transitions : steps->second;
            entry.first_dose_at = FirstDoseAt(session_given);
            entry.earliest_discharge_at = EarliestDischargeAt(course->route, session_given, session_steps);

            if (const auto booked = appointment_of.find(session.id.value); booked != appointment_of.end()) {
                entry.appointment = booked->second;
                if (booked->second.room) {
                    const auto room = std::ranges::find(rooms, *booked->second.room, &TreatmentRoom::id);
                    if (room != rooms.end()) {
                        entry.room = *room;
                    }
                }
                if (!booked->second.staff.empty()) {
                    entry.nurse_email = booked->second.staff;
                }
            }
            if (!entry.nurse_email) {
                const auto check_in =
                    std::ranges::find(session_steps, clinical::SessionState::kCheckedIn, &SessionTransition::to_state);
                if (check_in != session_steps.end()) {
                    entry.nurse_email = check_in->by;
                }
            }
            if (entry.nurse_email) {
                entry.nurse = FindStaff(staff, *entry.nurse_email);
            }
            if (const auto in_session = vitals_by_session.find(session.id.value);
                in_session != vitals_by_session.end()) {
                entry.latest_vitals = LatestOfEachSign(in_session->second);
            }
            if (const auto open = alerts_by_patient.find(session.patient.value); open != alerts_by_patient.end()) {
                entry.open_alerts = open->second;
            }
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "board.read", "treatment_session", session.id.value,
                                        session.patient.value));
            board.sessions.push_back(std::move(entry));
        }
        return board;
    });
}

Result<PatientChart> ClinicViews::Chart(const Actor& actor, PatientId patient,
                                        const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<PatientChart> {
        PatientChart chart;
        ASSIGN_OR_RETURN(chart.patient, tx.GetPatient(patient));
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        chart.age = clinical::AgeInYears(chart.patient.birth_date, zone.LocalDate(now));
        if (!chart.patient.clinician.empty()) {
            ASSIGN_OR_RETURN(std::optional<User> clinician, tx.FindUserByEmail(chart.patient.clinician));
            if (clinician) {
                chart.clinician =
                    StaffMember{clinician->id, clinician->email, clinician->display_name, clinician->role};
            }
        }
        ASSIGN_OR_RETURN(chart.history, tx.ListHistoryEntries(patient));
        ASSIGN_OR_RETURN(chart.trials, tx.ListTrials(patient));
        ASSIGN_OR_RETURN(std::vector<ScreeningRecord> screenings, tx.ListScreenings(patient));
        if (!screenings.empty()) {
            chart.latest_screening = std::move(screenings.back());
        }
        ASSIGN_OR_RETURN(std::vector<TreatmentCourse> courses, tx.ListCourses(patient));
        for (TreatmentCourse& course : courses) {
            ChartCourse entry;
            ASSIGN_OR_RETURN(entry.sessions, tx.ListSessions(course.id));
            for (const TreatmentSession& session : entry.sessions) {
                entry.completed += session.state == clinical::SessionState::kDischarged ? 1 : 0;
                entry.planned += session.state == clinical::SessionState::kCancelled ? 0 : 1;
            }
            entry.course = std::move(course);
            chart.courses.push_back(std::move(entry));
        }
        ASSIGN_OR_RETURN(chart.adverse_events, tx.ListAdverseEvents(patient));
        ASSIGN_OR_RETURN(chart.notes, tx.ListNotes(patient, std::nullopt));
        ASSIGN_OR_RETURN(const std::vector<Administration> given, tx.ListPatientAdministrations(patient));
        chart.first_dose_at = FirstDoseAt(given);
        ASSIGN_OR_RETURN(std::vector<Assessment> assessments, tx.ListAssessments(patient));
        for (const clinical::Instrument instrument : kChartInstruments) {
            OutcomeSeries series;
            series.instrument = instrument;
            for (const Assessment& assessment : assessments) {
                if (assessment.instrument == instrument && !assessment.entered_in_error) {
                    series.points.push_back(assessment);
                }
            }
            if (series.points.empty()) {
                continue;
            }
            std::ranges::stable_sort(series.points, {}, &Assessment::assessed_at);
            std::vector<TimePoint> taken_at;
            taken_at.reserve(series.points.size());
            for (const Assessment& point : series.points) {
                taken_at.push_back(point.assessed_at);
            }
            // Without a score before the first dose there is no baseline and so no lines; a baseline of 0 defines
            // no reduction, so no lines either.
            if (const std::optional<std::size_t> baseline =
                    clinical::PreTreatmentBaselineIndex(taken_at, chart.first_dose_at)) {
                const Assessment& point = series.points[*baseline];
                series.baseline = point.id;
                if (Result<clinical::OutcomeLines> lines = clinical::OutcomeLinesFor(instrument, point.total, settings);
                    lines.ok()) {
                    series.lines = *lines;
                }
            }
            chart.outcomes.push_back(std::move(series));
        }
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "chart.read", "patient", patient.value, patient.value));
        return chart;
    });
}

Result<SessionScreen> ClinicViews::Session(const Actor& actor, SessionId session,
                                           const clinical::ClinicSettings& settings) {
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<SessionScreen> {
        SessionScreen screen;
        SessionRecord& record = screen.record;
        ASSIGN_OR_RETURN(record.session, tx.GetSession(session));
        ASSIGN_OR_RETURN(record.dose_order, tx.FindDoseOrder(session));
        ASSIGN_OR_RETURN(record.administrations, tx.ListAdministrations(session));
        ASSIGN_OR_RETURN(record.transitions, tx.ListSessionTransitions(session));
        ASSIGN_OR_RETURN(record.medications, tx.ListSessionMedications(session));
        const PatientId patient = record.session.patient;
        ASSIGN_OR_RETURN(screen.patient, tx.GetPatient(patient));
        ASSIGN_OR_RETURN(screen.course, tx.GetCourse(record.session.course));
        ASSIGN_OR_RETURN(const clinical::ClinicZone zone, LoadClinicZone(tx, zones_));
        screen.age = clinical::AgeInYears(screen.patient.birth_date, zone.LocalDate(now));
        screen.first_dose_at = FirstDoseAt(record.administrations);
        screen.earliest_discharge_at =
            EarliestDischargeAt(screen.course.route, record.administrations, record.transitions);

        const std::array<SessionId, 1> one{session};
        ASSIGN_OR_RETURN(screen.vitals, tx.ListSessionsVitalSigns(one));

        // The in-session ratings: an assessment carries no session, so those taken while it was in progress (as a
        // vital sign's session is decided) are the session's.
        ASSIGN_OR_RETURN(std::vector<Assessment> assessments, tx.ListAssessments(patient));
        for (Assessment& assessment : assessments) {
            if (RatedInSession(assessment.instrument) && InProgressAt(record.session, assessment.assessed_at)) {
                screen.scores.push_back(std::move(assessment));
            }
        }
        std::ranges::stable_sort(screen.scores, {}, &Assessment::assessed_at);

        AlertFilter of_the_session;
        of_the_session.session = session;
        of_the_session.limit = kMaxPageSize;
        while (true) {
            ASSIGN_OR_RETURN(std::vector<Alert> page, tx.ListAlerts(of_the_session));
            const bool last_page = page.size() < static_cast<std::size_t>(kMaxPageSize);
            if (!page.empty()) {
                of_the_session.after_id = page.back().id.value;
            }
            std::ranges::move(page, std::back_inserter(screen.alerts));
            if (last_page) {
                break;
            }
        }
        const std::array<PatientId, 1> of_patient{patient};
        ASSIGN_OR_RETURN(std::vector<Alert> open, tx.ListPatientsOpenAlerts(of_patient));
        for (Alert& alert : open) {
            if (std::ranges::find(screen.alerts, alert.id, &Alert::id) == screen.alerts.end()) {
                screen.alerts.push_back(std::move(alert));
            }
        }
        std::ranges::sort(screen.alerts, {}, &Alert::id);

        ASSIGN_OR_RETURN(screen.adverse_events, tx.ListSessionAdverseEvents(session));
        screen.thresholds = VitalSignThresholds(settings.monitoring);
        ASSIGN_OR_RETURN(screen.prn_doses, tx.ListPrnDoses(session));
        ASSIGN_OR_RETURN(screen.one_off_orders, tx.ListOneOffOrders(session));
        ASSIGN_OR_RETURN(const std::vector<StandingOrderSet> sets, tx.ListStandingOrderSets());
        if (const StandingOrderSet* in_force = SetInForceAt(sets, now)) {
            screen.standing_orders = *in_force;
        }
        RETURN_IF_ERROR(
            RecordAudit(tx, actor, now, "session_screen.read", "treatment_session", session.value, patient.value));
        return screen;
    });
}

Result<std::vector<StaffMember>> ClinicViews::Staff() {
    return store_.Read([](StoreTransaction& tx) { return ActiveStaff(tx); });
}

}  // namespace kclinic::app
