#pragma once

// A clinic's tunable clinical thresholds. Every field has a default taken from a named source and bounds a
// clinic may move it within; the registry (AllSettings / SetSetting) is the one place that knows those bounds,
// and docs/clinical-rules.md lists the same table. Code that applies a rule reads the field; it never carries a
// second copy of the number.

#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.hpp"
#include "base/result.hpp"
#include "clinical/day_hours.hpp"
#include "clinical/label_rules.hpp"

namespace kclinic::clinical {

// Which published MADRS severity bands to report (⚠ the sources conflict; clinical-reference §6.4).
enum class MadrsBands {
    kSnaith1986,   // 0-6 normal, 7-19 mild, 20-34 moderate, >=35 severe (Snaith et al. 1986)
    kAlternative,  // <=12 normal, 13-24 mild, 25-34 moderate, >=35 severe (common in practice; source unverified)
};
inline constexpr auto kMadrsBandsNames =
    MakeEnumNames<MadrsBands>({{MadrsBands::kSnaith1986, "snaith"}, {MadrsBands::kAlternative, "alternative"}});

// Regulatory region whose label rules apply where US and EU labels differ (start doses, the >=65 BP gate).
enum class Region { kUs, kEu };
inline constexpr auto kRegionNames = MakeEnumNames<Region>({{Region::kUs, "us"}, {Region::kEu, "eu"}});

// What pregnancy does to an eligibility decision.
enum class PregnancyPolicy { kNotEligible, kReview };
inline constexpr auto kPregnancyPolicyNames = MakeEnumNames<PregnancyPolicy>(
    {{PregnancyPolicy::kNotEligible, "not_eligible"}, {PregnancyPolicy::kReview, "review"}});

// What age under 18 does for racemic ketamine (for esketamine it is always a hard stop).
enum class MinorPolicy { kReview, kNotEligible };
inline constexpr auto kMinorPolicyNames =
    MakeEnumNames<MinorPolicy>({{MinorPolicy::kReview, "review"}, {MinorPolicy::kNotEligible, "not_eligible"}});

// Whether a patient may answer the C-SSRS screener themselves in the portal. Columbia publishes a self-report form
// of the screener, but a positive answer needs a clinician's same-day risk assessment, so by default only staff
// record it (docs/clinical-rules.md, "Who records what").
enum class CssrsSelfReport { kClinicianOnly, kPatientAllowed };
inline constexpr auto kCssrsSelfReportNames = MakeEnumNames<CssrsSelfReport>(
    {{CssrsSelfReport::kClinicianOnly, "clinician_only"}, {CssrsSelfReport::kPatientAllowed, "patient_allowed"}});

struct ScaleSettings {
    MadrsBands madrs_bands = MadrsBands::kSnaith1986;
    int madrs_item10_suicidality_min = 4;  // MADRS item 10 at or above this flags suicidality [PRACTICE]
    int pcl5_provisional_ptsd_min = 33;    // PCL-5 total at or above this: provisional PTSD (VA NCPTSD, 31-33)
    int cadss_dissociation_above = 4;      // CADSS-23 total above this: dissociation (esketamine trials)
    CssrsSelfReport cssrs_screen_self_report = CssrsSelfReport::kClinicianOnly;  // [PRACTICE], Posner 2011
};

struct OutcomeSettings {
    int madrs_remission_max = 12;  // MADRS remission: total at or below (⚠ 10 ESCAPE-TRD vs 12 esketamine programme)
};

struct ScreeningSettings {
    int trd_min_trial_weeks = 6;         // adequate trial duration (⚠ 4 Delphi vs 6 esketamine trials)
    int trd_failure_below_percent = 25;  // a trial failed if improvement < this (⚠ 25 vs 50)
    PregnancyPolicy pregnancy = PregnancyPolicy::kNotEligible;
    MinorPolicy racemic_minor = MinorPolicy::kReview;
    int intake_bp_caution_systolic = 140;  // intake BP above either value: caution, evaluate (Spravato USPI)
    int intake_bp_caution_diastolic = 90;
    int intake_bp_caution_systolic_eu_65_plus = 150;  // region kEu, age >= 65: systolic caution gate (EU SmPC)
    int intake_bp_review_systolic = 180;              // intake BP at or above either value: clinician review
    int intake_bp_review_diastolic = 110;
    int intake_heart_rate_caution = 110;  // intake heart rate above this: caution [UNVERIFIED attribution]
};

struct DoseSettings {
    double iv_max_mg_per_kg = 1.0;     // ceiling for IV racemic ketamine; may be lowered, never raised
    double im_max_mg_per_kg = 0.5;     // ceiling for IM racemic ketamine (studied 0.1-0.5 mg/kg)
    double oral_max_mg = 300.0;        // ceiling for one oral dose (studied 25-300 mg)
    double sublingual_max_mg = 300.0;  // ceiling for one sublingual dose [PRACTICE]
};

struct ScheduleSettings {
    int iv_induction_infusions = 6;                 // infusions in an IV induction series (ELEKT-D, Murrough 2013)
    int iv_induction_per_week = 2;                  // 2 or 3 infusions a week (Singh 2016: twice weekly suffices)
    int min_days_between_sessions = 2;              // minimum spacing between planned dosing days [PRACTICE]
    int esketamine_maintenance_interval_weeks = 2;  // from week 9: every 1 or 2 weeks (Spravato USPI)
    int esketamine_maintenance_sessions = 4;        // how many maintenance sessions to plan ahead
    // How many patients in dosing or monitoring one nurse may watch at any minute (the booking rule
    // nurse_overloaded). No guideline sets it for ketamine clinics [PRACTICE]; 3 is the ambulatory (phase II)
    // recovery ratio of perianaesthesia nursing [UNVERIFIED]; docs/clinical-rules.md "Scheduling".
    int patients_per_nurse = 3;
};

// In-session monitoring: a vital sign or a sedation rating at or past one of these raises an alert for the patient's
// named clinician (clinical/alerts.hpp). No guideline sets numeric limits for psychiatric ketamine sessions
// (clinical-reference §5); the defaults are the published values of §5.2 and §5.3, and each may only move towards
// more caution (or between published values where the sources differ).
struct MonitoringSettings {
    int systolic_alert_at_or_above = 180;   // Spravato trial outlier SBP >= 180 [LABEL-US]; ACC/AHA 2017 > 180
    int diastolic_alert_at_or_above = 110;  // Spravato trial outlier DBP >= 110 [LABEL-US]
    int heart_rate_alert_above = 110;       // HR > 110 hold, attributed to APA / academic protocols [UNVERIFIED]
    int heart_rate_alert_below = 50;        // ED ketamine protocol excludes HR < 50 [PRACTICE]
    int spo2_alert_below = 93;              // SpO2 < 93 %: respiratory-depression signal, Spravato USPI [LABEL-US]
    int respiratory_rate_alert_below = 10;  // ED ketamine protocol excludes RR < 10 [PRACTICE]
    int respiratory_rate_alert_above = 30;  // ED ketamine protocol excludes RR > 30 [PRACTICE]
    int moaas_sedation_at_or_below = 3;     // MOAA/S <= 3: moderate or deeper sedation (Spravato trials)
    // Bedside-monitor feeds (clinical/device_readings.hpp). Clinic policy [PRACTICE] within the bounds in
    // settings.cpp: a monitor reports about once a minute (GE B40 manual, interop-reference §3.4).
    int device_chart_interval_seconds = 60;  // the chart keeps one device reading per code per this many seconds
    int device_alert_quiet_minutes = 5;      // a device breach this long after the last one is a new episode
};

// When a clinical time may be recorded (clinical/record_time.hpp). No regulation sets these numbers: they are clinic
// policy [PRACTICE], bounded so that a late entry stays identifiable and a wrong clock cannot document the future.
struct RecordSettings {
    int clock_skew_minutes = 5;          // a time up to this far ahead of the server's clock is accepted [PRACTICE]
    int late_entry_after_minutes = 30;   // a time earlier than this before now is a late entry (CMS PIM 3.3.2.5)
    int late_entry_max_hours = 24;       // a time earlier than this before now is refused [PRACTICE]
    int weight_change_percent = 10;      // a weight this much off the latest valid one needs confirming [PRACTICE]
    int weight_change_window_days = 30;  // ... when that one was measured within this many days [PRACTICE]
};

// How long each appointment type holds its room, its clinician and its patient (clinical/scheduling.hpp,
// AppointmentLength). A treatment is the pre-dose check, the dosing, the monitoring the rules require and the room's
// turnover; each part is a setting so a clinic can fit its own routine, never below what the label requires.
struct AppointmentSettings {
    int pre_dose_minutes = 15;        // check-in, consent and escort, pre-dose BP, IV line [PRACTICE]
    int iv_infusion_minutes = 40;     // 0.5 mg/kg over 40 min (Sanacora 2017 APA consensus) [GUIDE]
    int iv_observation_minutes = 60;  // after the infusion, until back to baseline (APA) [PRACTICE]
    int im_observation_minutes = 60;  // after an IM injection, until back to baseline (APA) [PRACTICE]
    // From the first device; the label's 5 minutes between devices fall inside it. Never below the REMS minimum.
    int esketamine_monitoring_minutes = kEsketamineMinMonitoringMinutes;
    int turnover_minutes = 15;  // cleaning and resetting the room or chair after a treatment [PRACTICE]
    int intake_minutes = 60;    // the non-treatment types' lengths are clinic policy [PRACTICE]
    int prescriber_review_minutes = 30;
    int therapy_preparation_minutes = 60;
    int therapy_integration_minutes = 60;
    int follow_up_minutes = 30;
    int slot_step_minutes = 15;  // the grid a slot search offers start times on, from each day's opening; divides 60
};

// The clinic's weekly opening hours (hours.monday ... hours.sunday): Monday to Friday 08:00-18:00, closed at the
// weekend [PRACTICE]. Closed dates (holidays) are records, not settings.
inline constexpr WeeklyHours kDefaultWeeklyHours = {DayHours{std::chrono::hours{8}, std::chrono::hours{18}},
                                                    DayHours{std::chrono::hours{8}, std::chrono::hours{18}},
                                                    DayHours{std::chrono::hours{8}, std::chrono::hours{18}},
                                                    DayHours{std::chrono::hours{8}, std::chrono::hours{18}},
                                                    DayHours{std::chrono::hours{8}, std::chrono::hours{18}},
                                                    std::nullopt,
                                                    std::nullopt};

// When the email reminders of an appointment go out, in hours before its start; 0 turns one off. The second, when
// on, comes after the first (fewer hours before the start). Issue 11 §2 defaults [PRACTICE].
struct ReminderSettings {
    int first_lead_hours = 24;
    int second_lead_hours = 2;
};

// What the patient portal shows after a suicidality flag (clinical/patient_guidance.hpp): the clinic's own words and
// crisis services. Empty: the portal's standard sentence and the region's services (CrisisResources). Clinic policy
// [PRACTICE]: a clinic knows its on-call number and its local crisis line.
struct PortalSettings {
    std::string crisis_text;       // shown above the services, at most kCrisisTextMaxChars characters
    std::string crisis_resources;  // "name: contact; name: contact" (ParseCrisisResources)
};

// The clinic's Spravato REMS certification (shared/interop-reference.md §1.2): a healthcare setting must be enrolled in
// the REMS before its first treatment, and each Patient Monitoring Form names it. Configuration of the clinic, never
// a caller's word (issue 15 §7). Empty until an admin sets it: a form cannot be shown or submitted before then.
struct RemsSettings {
    std::string healthcare_setting;  // the name the setting is certified under, at most kRemsSettingNameMaxChars
};
inline constexpr std::size_t kRemsSettingNameMaxChars = 200;

// Whether a staff role must log in with a second factor.
enum class SecondFactorPolicy { kRequired, kOptional };
inline constexpr auto kSecondFactorPolicyNames = MakeEnumNames<SecondFactorPolicy>(
    {{SecondFactorPolicy::kRequired, "required"}, {SecondFactorPolicy::kOptional, "optional"}});

// Access to the record (docs/security.md). A second factor per staff role: NIST SP 800-63B-4 asks for AAL2 (two
// factors) where personal health information is reachable, and OWASP ASVS 4.0.3 V2 (level 2) for multi-factor
// authentication; required by default for the roles that change users and settings or prescribe, optional for the
// others until the clinic has handed out authenticators. Patients (the portal) are not offered one yet.
// Login throttling per client address, besides the one per email (app/access_rules.hpp): credential stuffing
// spreads its guesses over many accounts from few addresses (OWASP Credential Stuffing Prevention Cheat Sheet).
struct AccessSettings {
    SecondFactorPolicy second_factor_admin = SecondFactorPolicy::kRequired;
    SecondFactorPolicy second_factor_prescriber = SecondFactorPolicy::kRequired;
    SecondFactorPolicy second_factor_nurse = SecondFactorPolicy::kOptional;
    SecondFactorPolicy second_factor_therapist = SecondFactorPolicy::kOptional;
    SecondFactorPolicy second_factor_front_desk = SecondFactorPolicy::kOptional;
    // Failed logins in a row from one client address (any accounts) before its next attempt waits: 1 s, doubling
    // with each further failure up to address_longest_wait_minutes. A clinic behind one NAT address shares it, so
    // it is set well above one person's typing errors [PRACTICE].
    int address_failures_before_wait = 20;
    int address_longest_wait_minutes = 15;
};

struct ClinicSettings {
    // The clinic's IANA time zone: it decides every calendar date the record derives from a time (the REMS treatment
    // date, the day a session list covers, "today"). Clinic policy [PRACTICE]; clinical/clinic_zone.hpp.
    std::string time_zone = "UTC";
    // Where US and EU labels differ: the EU >=65 intake BP gate (150/90) and EU esketamine start doses (28 mg
    // for patients >=65 or of Japanese ancestry).
    Region region = Region::kUs;
    ScaleSettings scales;
    OutcomeSettings outcomes;
    ScreeningSettings screening;
    DoseSettings dose;
    ScheduleSettings schedule;
    MonitoringSettings monitoring;
    RecordSettings records;
    AppointmentSettings appointments;
    WeeklyHours hours = kDefaultWeeklyHours;
    ReminderSettings reminders;
    PortalSettings portal;
    AccessSettings access;
    RemsSettings rems;
};

// One tunable setting as documented: its name, its default, what a clinic may set it to, and the source.
struct SettingSpec {
    std::string name;           // dotted, e.g. "screening.trd_min_trial_weeks"
    std::string value;          // current value, as text
    std::string default_value;  // as text
    std::string allowed;        // "4..8 weeks" or "snaith|alternative"
    std::string source;         // label, guideline or paper
    std::string description;
};

// One setting's value as text, by name: what a record keeps of the settings it was made with.
struct SettingValue {
    std::string name;
    std::string value;
    bool operator==(const SettingValue&) const = default;
};

// Every setting with its current value in `settings`, in a stable order.
[[nodiscard]] std::vector<SettingSpec> AllSettings(const ClinicSettings& settings);

// Sets `name` to `value` (text, as on a command line). Errors: kNotFound for an unknown name; kOutOfRange or
// kInvalidArgument (naming the allowed values) when the value is outside the setting's bounds. For clinic.time_zone
// only the name's shape is checked here (CheckZoneName); whether the zone exists is the time-zone database's to say,
// which the app layer asks before storing it (app/clinic_settings.hpp).
[[nodiscard]] Status SetSetting(ClinicSettings& settings, std::string_view name, std::string_view value);

}  // namespace kclinic::clinical
