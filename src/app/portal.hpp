#pragma once

// The patient portal (shared/design.md §4): what a patient sees of their own record in one read. Role-agnostic, like
// every use case: the HTTP layer lets a patient reach only their own record. It reads in one Store transaction and
// audits the read there ("portal.read"), as every read of patient data.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "app/ports/time_zones.hpp"
#include "app/questionnaires.hpp"
#include "app/records.hpp"
#include "base/result.hpp"
#include "clinical/patient_guidance.hpp"
#include "clinical/settings.hpp"

namespace kclinic::app {

// How much the portal shows: the next sessions and the latest scores, enough for a patient's plan and progress
// chart without turning a long maintenance course into one huge page.
inline constexpr std::size_t kPortalUpcomingSessions = 10;
inline constexpr std::size_t kPortalRecentScores = 50;

// A planned session: when and where it stands, nothing clinical.
struct PortalSession {
    SessionId id;
    std::chrono::sys_days planned_date;
    clinical::SessionState state = clinical::SessionState::kScheduled;
    clinical::Route route = clinical::Route::kIv;
};

// One of the patient's own questionnaire scores (clinical::IsSelfReport).
struct PortalScore {
    AssessmentId id;
    clinical::Instrument instrument = clinical::Instrument::kPhq9;
    int total = 0;
    std::string band;
    TimePoint assessed_at;
};

struct PortalPreparation {
    clinical::Route route = clinical::Route::kIv;
    clinical::PatientText instructions;
};

// A crisis service as the portal shows it (clinical::CrisisResourcesOf: the clinic's own or its region's).
struct PortalCrisisResource {
    std::string name;
    std::string contact;
    std::string source;
};

struct PortalView {
    PatientId patient;
    std::string given_name;
    // The clinic's IANA time zone (clinic.time_zone): the portal shows every time in it, since a patient may not read
    // the clinic's settings.
    std::string time_zone;
    // The questionnaires clinicians assigned that are in force and not done, which the patient may answer now
    // (clinical::PatientMayAnswer under the settings in force), soonest due first.
    std::vector<AssignedQuestionnaire> questionnaires;
    // Sessions of active courses planned for today or later and not yet ended, soonest first, at most
    // kPortalUpcomingSessions.
    std::vector<PortalSession> upcoming_sessions;
    // The latest kPortalRecentScores self-report scores, oldest first (a chart's order).
    std::vector<PortalScore> recent_scores;
    // The instructions of each route of the patient's active courses, in course order, each route once. The clinic
    // record holds no instructions of its own, so these are the fixed texts of clinical::PreparationInstructions.
    std::vector<PortalPreparation> preparation;
    // True when the latest assessment of an instrument that screens for suicidality (PHQ-9 item 9, the C-SSRS
    // screener; clinical-reference §6.2, §6.8) flagged it; then crisis_text holds the clinic's own words
    // (portal.crisis_text, possibly empty) and crisis_resources its services (clinical::CrisisResourcesOf).
    bool suicidality_flagged = false;
    std::string crisis_text;
    std::vector<PortalCrisisResource> crisis_resources;
};

class PortalRecords {
public:
    // `store`, `clock` and `zones` must outlive this object. Thread-safe when the store is.
    PortalRecords(Store& store, const Clock& clock, const TimeZones& zones)
        : store_(store), clock_(clock), zones_(zones) {}

    // The portal of `patient` today (the clinic's date, clinic.time_zone) under `settings`, the settings in force.
    // kNotFound when no such patient; LoadClinicZone's errors.
    Result<PortalView> Read(const Actor& actor, PatientId patient, const clinical::ClinicSettings& settings);

private:
    Store& store_;
    const Clock& clock_;
    const TimeZones& zones_;  // the clinic's "today" (clinic.time_zone)
};

}  // namespace kclinic::app
