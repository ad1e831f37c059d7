#include "clinical/settings.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <sstream>
#include <utility>

#include "base/text.hpp"
#include "clinical/clinic_zone.hpp"
#include "clinical/dose.hpp"
#include "clinical/patient_guidance.hpp"
#include "clinical/schedule.hpp"

namespace kclinic::clinical {
namespace {

constexpr std::string_view kSecondFactorSource =
    "NIST SP 800-63B-4 AAL2 (two factors where health information is reachable); OWASP ASVS 4.0.3 V2.2.3, V2.8 "
    "(level 2); issue 15 §1: required for admin and prescriber by default";

// One registered setting. `access` returns a reference to the field, for reading and for writing.
struct Entry {
    std::string_view name;
    std::string_view source;
    std::string_view description;
    std::string allowed;
    std::function<std::string(const ClinicSettings&)> get;
    std::function<Status(ClinicSettings&, std::string_view)> set;
};

std::string FormatDouble(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

template <typename Access>
Entry IntEntry(std::string_view name, Access access, int min, int max, std::string_view unit, std::string_view source,
               std::string_view description) {
    std::string allowed =
        std::to_string(min) + ".." + std::to_string(max) + (unit.empty() ? "" : " ") + std::string(unit);
    return Entry{name,
                 source,
                 description,
                 allowed,
                 [access](const ClinicSettings& s) { return std::to_string(access(s)); },
                 [access, name, min, max, unit](ClinicSettings& s, std::string_view text) -> Status {
                     int value = 0;
                     const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
                     if (error != std::errc() || end != text.data() + text.size()) {
                         return InvalidArgument(std::string(name),
                                                "expected a whole number (got \"" + std::string(text) + "\")");
                     }
                     if (value < min || value > max) {
                         return OutOfRange(std::string(name), value, min, max, unit);
                     }
                     access(s) = value;
                     return Status::Ok();
                 }};
}

template <typename Access>
Entry DoubleEntry(std::string_view name, Access access, double min, double max, std::string_view unit,
                  std::string_view source, std::string_view description) {
    std::string allowed = FormatDouble(min) + ".." + FormatDouble(max) + (unit.empty() ? "" : " ") + std::string(unit);
    return Entry{name,
                 source,
                 description,
                 allowed,
                 [access](const ClinicSettings& s) { return FormatDouble(access(s)); },
                 [access, name, min, max, unit](ClinicSettings& s, std::string_view text) -> Status {
                     double value = 0;
                     const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
                     if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
                         return InvalidArgument(std::string(name),
                                                "expected a number (got \"" + std::string(text) + "\")");
                     }
                     if (value < min || value > max) {
                         return OutOfRange(std::string(name), value, min, max, unit);
                     }
                     access(s) = value;
                     return Status::Ok();
                 }};
}

template <typename Enum, std::size_t N, typename Access>
Entry ChoiceEntry(std::string_view name, Access access, const EnumNames<Enum, N>& choices, std::string_view source,
                  std::string_view description) {
    return Entry{name,
                 source,
                 description,
                 choices.List("|"),
                 [access, choices](const ClinicSettings& s) { return std::string(choices.Name(access(s))); },
                 [access, choices, name](ClinicSettings& s, std::string_view text) -> Status {
                     if (std::optional<Enum> value = choices.Parse(text)) {
                         access(s) = *value;
                         return Status::Ok();
                     }
                     return InvalidArgument(std::string(name), "must be one of " + choices.List("|") + " (got \"" +
                                                                   std::string(text) + "\")");
                 }};
}

// A text setting whose value `check` validates (naming the setting); `allowed` says what it takes.
template <typename Access, typename Check>
Entry TextEntry(std::string_view name, Access access, std::string allowed, Check check, std::string_view source,
                std::string_view description) {
    return Entry{name,
                 source,
                 description,
                 std::move(allowed),
                 [access](const ClinicSettings& s) { return access(s); },
                 [access, check, name](ClinicSettings& s, std::string_view text) -> Status {
                     RETURN_IF_ERROR(check(name, text));
                     access(s) = std::string(text);
                     return Status::Ok();
                 }};
}

// One weekday's opening hours (hours.monday ... hours.sunday), as text "08:00-18:00" or "closed" (ParseDayHours).
Entry HoursEntry(std::size_t weekday, std::string_view description) {
    const std::string_view name = kWeekdayHoursSettings.at(weekday).setting;
    return Entry{name,
                 "Clinic policy [PRACTICE]: the clinic's own opening hours",
                 description,
                 "HH:MM-HH:MM (24-hour, closing after opening, at most 24:00) or closed",
                 [weekday](const ClinicSettings& s) { return DayHoursText(s.hours.at(weekday)); },
                 [weekday, name](ClinicSettings& s, std::string_view text) -> Status {
                     ASSIGN_OR_RETURN(s.hours.at(weekday), ParseDayHours(name, text));
                     return Status::Ok();
                 }};
}

// The registry. Bounds are safety bounds: where a threshold guards the patient, a clinic may only move it towards
// more caution (the IV ceiling may be lowered, never raised) or between published definitions (⚠ conflicts).
const std::vector<Entry>& Registry() {
    static const std::vector<Entry> entries = {
        TextEntry(
            "clinic.time_zone", [](auto& s) -> auto& { return s.time_zone; },
            "an IANA zone name on this server (/usr/share/zoneinfo)", CheckZoneName,
            "Clinic policy [PRACTICE]: the clinic's own calendar; the Spravato REMS treatment date is the date of "
            "administration at the healthcare setting (Spravato REMS Patient Monitoring Form)",
            "The clinic's time zone: every calendar date derived from a time (the REMS treatment date and due date, "
            "the day a session list covers, \"today\") is the date there, daylight-saving time included."),
        ChoiceEntry(
            "region", [](auto& s) -> auto& { return s.region; }, kRegionNames,
            "Spravato USPI [LABEL-US] vs Spravato EU SmPC EU/1/19/1410 [LABEL-EU]",
            "Which label applies where they differ: EU intake BP gate 150/90 for age >= 65; EU esketamine start "
            "dose 28 mg for age >= 65 or Japanese ancestry."),
        ChoiceEntry(
            "scales.madrs_bands", [](auto& s) -> auto& { return s.scales.madrs_bands; }, kMadrsBandsNames,
            "Snaith et al. 1986; alternative <=12/13-24/25-34/>=35 [UNVERIFIED] (⚠ CONFLICT)",
            "MADRS severity bands reported with each score."),
        IntEntry(
            "scales.madrs_item10_suicidality_min",
            [](auto& s) -> auto& { return s.scales.madrs_item10_suicidality_min; }, 1, 4, "points",
            "MADRS item 10 >= 4 as clinical alert [PRACTICE]; may only be made more sensitive",
            "MADRS item 10 (suicidal thoughts) at or above this raises the suicidality flag."),
        IntEntry(
            "scales.pcl5_provisional_ptsd_min", [](auto& s) -> auto& { return s.scales.pcl5_provisional_ptsd_min; }, 31,
            33, "points", "VA National Center for PTSD; Bovin et al. 2016 (31-33)",
            "PCL-5 total at or above this is a provisional PTSD diagnosis."),
        IntEntry(
            "scales.cadss_dissociation_above", [](auto& s) -> auto& { return s.scales.cadss_dissociation_above; }, 0, 4,
            "points", "Esketamine trials: CADSS total > 4 [TRIAL]; may only be made more sensitive",
            "CADSS (23 items) total above this is reported as dissociation."),
        ChoiceEntry(
            "scales.cssrs_screen_self_report", [](auto& s) -> auto& { return s.scales.cssrs_screen_self_report; },
            kCssrsSelfReportNames,
            "Columbia Lighthouse Project publishes a self-report screener (Posner et al. 2011); a positive answer "
            "needs a clinician's follow-up, so off by default: clinic policy [PRACTICE]",
            "Whether a patient may answer the C-SSRS screener in the portal (patient_allowed) or only staff record it "
            "(clinician_only)."),
        IntEntry(
            "outcomes.madrs_remission_max", [](auto& s) -> auto& { return s.outcomes.madrs_remission_max; }, 10, 12,
            "points", "<=12 esketamine programme (SUSTAIN-1) vs <=10 ESCAPE-TRD, KetECT (⚠ CONFLICT)",
            "MADRS total at or below this is remission; the value used is stored with every result."),
        IntEntry(
            "screening.trd_min_trial_weeks", [](auto& s) -> auto& { return s.screening.trd_min_trial_weeks; }, 4, 8,
            "weeks", "6 esketamine trials (MGH-ATRQ) vs 4 Sforzini Delphi 2022 (⚠ CONFLICT)",
            "Minimum weeks at adequate dose for an antidepressant trial to count towards treatment resistance."),
        IntEntry(
            "screening.trd_failure_below_percent",
            [](auto& s) -> auto& { return s.screening.trd_failure_below_percent; }, 25, 50, "%",
            "<25% Sforzini Delphi 2022 / MGH-ATRQ vs <50% many definitions (PMC8049072) (⚠ CONFLICT)",
            "A trial failed when symptom improvement was below this percentage."),
        ChoiceEntry(
            "screening.pregnancy", [](auto& s) -> auto& { return s.screening.pregnancy; }, kPregnancyPolicyNames,
            "Spravato USPI (embryo-fetal toxicity, not recommended); Ketalar USPI",
            "Whether pregnancy makes a patient not eligible or needs a prescriber's review."),
        ChoiceEntry(
            "screening.racemic_minor", [](auto& s) -> auto& { return s.screening.racemic_minor; }, kMinorPolicyNames,
            "clinical-reference §4.1 (age < 18: hard stop for Spravato, configurable for racemic)",
            "What age under 18 means for racemic ketamine (esketamine under 18 is always not eligible)."),
        IntEntry(
            "screening.intake_bp_caution_systolic",
            [](auto& s) -> auto& { return s.screening.intake_bp_caution_systolic; }, 130, 160, "mmHg",
            "Spravato USPI: BP > 140/90 weigh risk [LABEL-US]",
            "Intake systolic BP above this is a caution (evaluate before treating)."),
        IntEntry(
            "screening.intake_bp_caution_systolic_eu_65_plus",
            [](auto& s) -> auto& { return s.screening.intake_bp_caution_systolic_eu_65_plus; }, 140, 160, "mmHg",
            "EU Spravato SmPC: > 150/90 mmHg for patients >= 65 years [LABEL-EU]",
            "With region eu and age >= 65, intake systolic BP above this is a caution."),
        IntEntry(
            "screening.intake_bp_caution_diastolic",
            [](auto& s) -> auto& { return s.screening.intake_bp_caution_diastolic; }, 80, 100, "mmHg",
            "Spravato USPI: BP > 140/90 weigh risk [LABEL-US]",
            "Intake diastolic BP above this is a caution (evaluate before treating)."),
        IntEntry(
            "screening.intake_bp_review_systolic",
            [](auto& s) -> auto& { return s.screening.intake_bp_review_systolic; }, 160, 200, "mmHg",
            "Spravato USPI outlier SBP >= 180; ACC/AHA 2017 hypertensive urgency > 180 [GUIDE]",
            "Intake systolic BP at or above this needs a prescriber's review."),
        IntEntry(
            "screening.intake_bp_review_diastolic",
            [](auto& s) -> auto& { return s.screening.intake_bp_review_diastolic; }, 100, 120, "mmHg",
            "Spravato USPI outlier DBP >= 110; ACC/AHA 2017 hypertensive urgency > 120 [GUIDE]",
            "Intake diastolic BP at or above this needs a prescriber's review."),
        IntEntry(
            "screening.intake_heart_rate_caution",
            [](auto& s) -> auto& { return s.screening.intake_heart_rate_caution; }, 90, 130, "/min",
            "HR > 110 commonly attributed to the APA consensus [UNVERIFIED]",
            "Intake heart rate above this is a caution."),
        DoubleEntry(
            "dose.iv_max_mg_per_kg", [](auto& s) -> auto& { return s.dose.iv_max_mg_per_kg; }, kIvMinMgPerKg,
            kMaxMgPerKgCeiling, "mg/kg",
            "Fava 2020 (0.1-1.0 mg/kg studied); 1.0 mg/kg clinic titration ceiling [PRACTICE]; may not be raised",
            "Highest IV racemic ketamine dose a clinician may order."),
        DoubleEntry(
            "dose.im_max_mg_per_kg", [](auto& s) -> auto& { return s.dose.im_max_mg_per_kg; }, kImMinMgPerKg,
            kMaxMgPerKgCeiling, "mg/kg",
            "Chilukuri 2014, Loo 2016 (0.1-0.5 mg/kg studied); never above the IV ceiling (IM F ~ 93%)",
            "Highest IM racemic ketamine dose a clinician may order."),
        DoubleEntry(
            "dose.oral_max_mg", [](auto& s) -> auto& { return s.dose.oral_max_mg; }, 10, 300, "mg",
            "Andrade 2019 review: 25-300 mg fixed oral doses studied [REVIEW]",
            "Highest single oral ketamine dose a clinician may order."),
        DoubleEntry(
            "dose.sublingual_max_mg", [](auto& s) -> auto& { return s.dose.sublingual_max_mg; }, 10, 300, "mg",
            "Lara 2013 (10 mg) to KAP lozenges of several hundred mg [PRACTICE] [UNVERIFIED]",
            "Highest single sublingual ketamine dose a clinician may order."),
        IntEntry(
            "schedule.iv_induction_infusions", [](auto& s) -> auto& { return s.schedule.iv_induction_infusions; }, 4,
            kMaxIvInductionInfusions, "infusions", "6 (ELEKT-D, Murrough 2013); up to 12 (KetECT) [TRIAL]",
            "Number of infusions in an IV induction series."),
        IntEntry(
            "schedule.iv_induction_per_week", [](auto& s) -> auto& { return s.schedule.iv_induction_per_week; }, 2, 3,
            "per week", "Singh 2016: twice vs three times weekly similarly effective [TRIAL]",
            "Infusions per week during IV induction."),
        IntEntry(
            "schedule.min_days_between_sessions", [](auto& s) -> auto& { return s.schedule.min_days_between_sessions; },
            1, 3, "days", "Trial patterns (TRANSFORM days 1,4,8,11; Murrough 2013 three a week) [PRACTICE]",
            "Minimum days between two planned dosing days."),
        IntEntry(
            "schedule.esketamine_maintenance_interval_weeks",
            [](auto& s) -> auto& { return s.schedule.esketamine_maintenance_interval_weeks; }, 1, 2, "weeks",
            "Spravato USPI: from week 9 every 2 weeks or once weekly [LABEL-US]",
            "Esketamine maintenance interval from week 9."),
        IntEntry(
            "schedule.esketamine_maintenance_sessions",
            [](auto& s) -> auto& { return s.schedule.esketamine_maintenance_sessions; }, 1, kMaxMaintenanceSessions,
            "sessions", "Planning horizon only; the label sets no end [LABEL-US]",
            "How many maintenance sessions from week 9 a schedule plans ahead."),
        IntEntry(
            "schedule.patients_per_nurse", [](auto& s) -> auto& { return s.schedule.patients_per_nurse; }, 1, 6,
            "patients",
            "No guideline sets a ratio for ketamine sessions (clinical-reference has none) [PRACTICE]; 3 follows "
            "the perianaesthesia ratio for ambulatory (phase II) recovery, 1:3 [UNVERIFIED, ASPAN]; the Spravato "
            "REMS asks only that a healthcare provider monitor each patient",
            "How many patients in dosing or monitoring one nurse may watch at any minute; a treatment that would "
            "exceed it is refused (nurse_overloaded)."),
        // In-session monitoring (clinical-reference §5.2, §5.3). The low and high limits of one vital sign have
        // bounds that cannot meet (heart rate 50-60 vs 90-120, respiratory rate 10-12 vs 20-30), so no pair needs a
        // consistency rule.
        IntEntry(
            "monitoring.systolic_alert_at_or_above",
            [](auto& s) -> auto& { return s.monitoring.systolic_alert_at_or_above; }, 140, 180, "mmHg",
            "Spravato trial outlier SBP >= 180 [LABEL-US]; ACC/AHA 2017 > 180 [GUIDE]; may only be lowered, to the "
            "label's 140 at most",
            "In-session systolic BP at or above this raises an alert."),
        IntEntry(
            "monitoring.diastolic_alert_at_or_above",
            [](auto& s) -> auto& { return s.monitoring.diastolic_alert_at_or_above; }, 90, 110, "mmHg",
            "Spravato trial outlier DBP >= 110 [LABEL-US]; in-session > 100 hold [UNVERIFIED]; may only be lowered, "
            "to the label's 90 at most",
            "In-session diastolic BP at or above this raises an alert."),
        IntEntry(
            "monitoring.heart_rate_alert_above", [](auto& s) -> auto& { return s.monitoring.heart_rate_alert_above; },
            90, 120, "/min",
            "HR > 110 hold, attributed to APA / academic IV protocols [UNVERIFIED]; > 120 one esketamine clinic "
            "[PRACTICE]",
            "In-session heart rate above this raises an alert."),
        IntEntry(
            "monitoring.heart_rate_alert_below", [](auto& s) -> auto& { return s.monitoring.heart_rate_alert_below; },
            50, 60, "/min", "ED ketamine protocol: HR < 50 excluded [PRACTICE]; may only be raised (60: bradycardia)",
            "In-session heart rate below this raises an alert."),
        IntEntry(
            "monitoring.spo2_alert_below", [](auto& s) -> auto& { return s.monitoring.spo2_alert_below; }, 93, 95, "%",
            "Spravato USPI: SpO2 < 93% was the respiratory-depression signal in trials [LABEL-US]; may only be raised",
            "In-session SpO2 below this raises an alert (one reading; the trials counted two in a row)."),
        IntEntry(
            "monitoring.respiratory_rate_alert_below",
            [](auto& s) -> auto& { return s.monitoring.respiratory_rate_alert_below; }, 10, 12, "/min",
            "ED ketamine protocol (West J Emerg Med 2020): RR < 10 excluded [PRACTICE]; may only be raised",
            "In-session respiratory rate below this raises an alert."),
        IntEntry(
            "monitoring.respiratory_rate_alert_above",
            [](auto& s) -> auto& { return s.monitoring.respiratory_rate_alert_above; }, 20, 30, "/min",
            "ED ketamine protocol (West J Emerg Med 2020): RR > 30 excluded [PRACTICE]; may only be lowered",
            "In-session respiratory rate above this raises an alert."),
        IntEntry(
            "monitoring.moaas_sedation_at_or_below",
            [](auto& s) -> auto& { return s.monitoring.moaas_sedation_at_or_below; }, 3, 4, "points",
            "Spravato trials: MOAA/S <= 3 moderate or deeper sedation [LABEL-US adjacent]; 4 (mild) only more "
            "sensitive",
            "A MOAA/S rating at or below this (and above 0, always critical) raises a sedation alert."),
        IntEntry(
            "monitoring.device_chart_interval_seconds",
            [](auto& s) -> auto& { return s.monitoring.device_chart_interval_seconds; }, 15, 300, "s",
            "Clinic policy [PRACTICE]: monitors report about once a minute (GE B40 manual, interop-reference §3.4); "
            "at most 300 s, so the chart keeps a reading at least every 5 minutes, the most frequent interval the ASA "
            "moderate-sedation guideline names (clinical-reference §5.1) [GUIDE]",
            "The chart keeps one bedside-monitor reading per vital sign and session per this many seconds (and every "
            "reading that raises an alert); the device log keeps them all."),
        IntEntry(
            "monitoring.device_alert_quiet_minutes",
            [](auto& s) -> auto& { return s.monitoring.device_alert_quiet_minutes; }, 1, 15, "min",
            "Clinic policy [PRACTICE], after the alarm-fatigue concern of IEC 60601-1-8 (an alarm per condition, not "
            "per sample) [UNVERIFIED]; at most 15 min so a breach that returns after a quarter hour alerts again",
            "A bedside-monitor reading that breaches an alert rule raises a new alert only when the session's device "
            "readings have not breached it in this many minutes (one alert per breach episode)."),
        IntEntry(
            "records.clock_skew_minutes", [](auto& s) -> auto& { return s.records.clock_skew_minutes; }, 1, 10, "min",
            "Clinic policy [PRACTICE]: room for a clinician's or a device's clock running ahead of the server's",
            "A clinical time later than now by more than this is refused as in the future."),
        IntEntry(
            "records.late_entry_after_minutes", [](auto& s) -> auto& { return s.records.late_entry_after_minutes; }, 10,
            120, "min",
            "CMS Program Integrity Manual 100-08 ch. 3 §3.3.2.5: delayed entries must be identified as such; the "
            "window is clinic policy [PRACTICE]",
            "A clinical time earlier than now by more than this is recorded as a late entry."),
        IntEntry(
            "records.late_entry_max_hours", [](auto& s) -> auto& { return s.records.late_entry_max_hours; }, 1, 72, "h",
            "Clinic policy [PRACTICE]: older documentation goes into a signed note, not back-dated entries",
            "A clinical time earlier than now by more than this is refused."),
        IntEntry(
            "records.weight_change_percent", [](auto& s) -> auto& { return s.records.weight_change_percent; }, 5, 25,
            "%",
            "Clinic policy [PRACTICE] (issue 10 §5): an adult's weight rarely moves 10 % in a month, a typing or unit "
            "error (pounds for kilograms) does; weight-based ketamine doses (0.5 mg/kg, clinical-reference §3) "
            "follow the weight",
            "A weight that differs from the latest valid one by more than this percentage, within "
            "records.weight_change_window_days, is refused unless confirmed."),
        IntEntry(
            "records.weight_change_window_days", [](auto& s) -> auto& { return s.records.weight_change_window_days; },
            1, 90, "d", "Clinic policy [PRACTICE] (issue 10 §5: \"within a short time\")",
            "How recent the latest valid weight must be for records.weight_change_percent to apply."),
        // Appointment lengths (clinical/scheduling.hpp, AppointmentLength): a treatment reserves the pre-dose check,
        // the dosing, the monitoring and the turnover; no part may fall below what the label or guideline requires.
        IntEntry(
            "appointments.pre_dose_minutes", [](auto& s) -> auto& { return s.appointments.pre_dose_minutes; }, 5, 60,
            "min",
            "Clinic policy [PRACTICE]: check-in with consent and escort confirmed, the pre-dose BP the label asks for "
            "(Spravato USPI) and, for IV, the line",
            "Time a treatment appointment reserves before dosing starts."),
        IntEntry(
            "appointments.iv_infusion_minutes", [](auto& s) -> auto& { return s.appointments.iv_infusion_minutes; }, 40,
            100, "min",
            "0.5 mg/kg over 40 min (Sanacora 2017 APA consensus [GUIDE]; Andrade 2017: 2-100 min studied, 40 the "
            "convention [REVIEW]); may be lengthened, not shortened",
            "Time an IV session reserves for the infusion."),
        IntEntry(
            "appointments.iv_observation_minutes",
            [](auto& s) -> auto& { return s.appointments.iv_observation_minutes; }, 30, 180, "min",
            "APA consensus: monitor until back to baseline [GUIDE]; ED ketamine protocols observe >= 60 min "
            "[PRACTICE]; no fixed minimum, the discharge criteria decide",
            "Time an IV session reserves after the infusion for monitoring until discharge."),
        IntEntry(
            "appointments.im_observation_minutes",
            [](auto& s) -> auto& { return s.appointments.im_observation_minutes; }, 30, 180, "min",
            "APA consensus: monitor until back to baseline [GUIDE]; ED ketamine protocols observe >= 60 min "
            "[PRACTICE]; no fixed minimum, the discharge criteria decide",
            "Time an IM session reserves after the injection for monitoring until discharge."),
        IntEntry(
            "appointments.esketamine_monitoring_minutes",
            [](auto& s) -> auto& { return s.appointments.esketamine_monitoring_minutes; },
            kEsketamineMinMonitoringMinutes, 240, "min",
            "Spravato USPI / REMS: at least 2 hours after the first device, until clinically stable [LABEL-US]; may "
            "be raised (e.g. hepatic impairment, Child-Pugh B), never lowered",
            "Time an esketamine session reserves from the first device (the label's 5 minutes between devices fall "
            "inside it) to discharge."),
        IntEntry(
            "appointments.turnover_minutes", [](auto& s) -> auto& { return s.appointments.turnover_minutes; }, 0, 60,
            "min", "Clinic policy [PRACTICE]: cleaning and resetting the room or chair",
            "Time a treatment holds its room after the patient leaves."),
        IntEntry(
            "appointments.intake_minutes", [](auto& s) -> auto& { return s.appointments.intake_minutes; }, 15, 180,
            "min", "Clinic policy [PRACTICE]", "Length of an intake consultation."),
        IntEntry(
            "appointments.prescriber_review_minutes",
            [](auto& s) -> auto& { return s.appointments.prescriber_review_minutes; }, 10, 120, "min",
            "Clinic policy [PRACTICE]", "Length of a prescriber review (e.g. the end-of-induction decision)."),
        IntEntry(
            "appointments.therapy_preparation_minutes",
            [](auto& s) -> auto& { return s.appointments.therapy_preparation_minutes; }, 15, 180, "min",
            "Clinic policy [PRACTICE]", "Length of a psychotherapy preparation session."),
        IntEntry(
            "appointments.therapy_integration_minutes",
            [](auto& s) -> auto& { return s.appointments.therapy_integration_minutes; }, 15, 180, "min",
            "Clinic policy [PRACTICE]", "Length of a psychotherapy integration session."),
        IntEntry(
            "appointments.follow_up_minutes", [](auto& s) -> auto& { return s.appointments.follow_up_minutes; }, 10,
            120, "min", "Clinic policy [PRACTICE]", "Length of a follow-up visit."),
        IntEntry(
            "appointments.slot_step_minutes", [](auto& s) -> auto& { return s.appointments.slot_step_minutes; }, 5, 60,
            "min", "Clinic policy [PRACTICE]",
            "The grid of start times a slot search offers, from each day's opening; must divide 60."),
        HoursEntry(0, "Opening hours on Mondays (clinic-local wall-clock time)."),
        HoursEntry(1, "Opening hours on Tuesdays (clinic-local wall-clock time)."),
        HoursEntry(2, "Opening hours on Wednesdays (clinic-local wall-clock time)."),
        HoursEntry(3, "Opening hours on Thursdays (clinic-local wall-clock time)."),
        HoursEntry(4, "Opening hours on Fridays (clinic-local wall-clock time)."),
        HoursEntry(5, "Opening hours on Saturdays (clinic-local wall-clock time)."),
        HoursEntry(6, "Opening hours on Sundays (clinic-local wall-clock time)."),
        IntEntry(
            "reminders.first_lead_hours", [](auto& s) -> auto& { return s.reminders.first_lead_hours; }, 0, 168, "h",
            "Issue 11 §2 (24 h) [PRACTICE]; 0 sends no reminders",
            "Hours before an appointment its first email reminder goes out; 0: no reminders."),
        IntEntry(
            "reminders.second_lead_hours", [](auto& s) -> auto& { return s.reminders.second_lead_hours; }, 0, 72, "h",
            "Issue 11 §2 (2 h) [PRACTICE]; 0 sends no second reminder",
            "Hours before an appointment its second email reminder goes out (fewer than the first); 0: none."),
        TextEntry(
            "portal.crisis_text", [](auto& s) -> auto& { return s.portal.crisis_text; },
            "text of at most " + std::to_string(kCrisisTextMaxChars) +
                " characters, no line breaks; empty: the "
                "portal's standard sentence",
            CheckCrisisText,
            "Clinic policy [PRACTICE]: the clinic's own words to a patient whose questionnaire flagged suicidal "
            "thoughts (clinical-reference §6.2 item 9 handling)",
            "Shown to a patient above the crisis services after a PHQ-9 item 9 answer above 0 or a C-SSRS screen "
            "above none, e.g. the clinic's on-call number and hours."),
        TextEntry(
            "portal.crisis_resources", [](auto& s) -> auto& { return s.portal.crisis_resources; },
            "\"name: contact; name: contact\", at most " + std::to_string(kCrisisResourcesMax) + " services (name " +
                std::to_string(kCrisisNameMaxChars) + ", contact " + std::to_string(kCrisisContactMaxChars) +
                " characters); empty: the region's services",
            [](std::string_view name, std::string_view text) { return StatusOf(ParseCrisisResources(name, text)); },
            "Default (empty): region us: 911 and the 988 Suicide & Crisis Lifeline (SAMHSA, 988lifeline.org); region "
            "eu: 112 (Directive (EU) 2018/1972 Art. 109) [UNVERIFIED: not in clinical-reference]; otherwise the "
            "clinic's own [PRACTICE]",
            "The crisis services a patient sees after a suicidality flag, the most direct first, in place of the "
            "region's."),
        TextEntry(
            "rems.healthcare_setting", [](auto& s) -> auto& { return s.rems.healthcare_setting; },
            "text of at most " + std::to_string(kRemsSettingNameMaxChars) +
                " characters, no line breaks; empty: not configured (no REMS form can be shown or submitted)",
            [](std::string_view name, std::string_view text) {
                return CheckText(name, text, {.max_characters = kRemsSettingNameMaxChars, .required = false});
            },
            "Spravato REMS: the healthcare setting is certified before its first treatment and named on every "
            "Patient Monitoring Form (shared/interop-reference.md §1.2)",
            "The name under which this clinic is certified as a Spravato REMS healthcare setting, printed on every "
            "REMS Patient Monitoring Form."),
        ChoiceEntry(
            "access.second_factor_admin", [](auto& s) -> auto& { return s.access.second_factor_admin; },
            kSecondFactorPolicyNames, kSecondFactorSource, "Whether admins log in with a second factor (TOTP)."),
        ChoiceEntry(
            "access.second_factor_prescriber", [](auto& s) -> auto& { return s.access.second_factor_prescriber; },
            kSecondFactorPolicyNames, kSecondFactorSource, "Whether prescribers log in with a second factor (TOTP)."),
        ChoiceEntry(
            "access.second_factor_nurse", [](auto& s) -> auto& { return s.access.second_factor_nurse; },
            kSecondFactorPolicyNames, kSecondFactorSource, "Whether nurses log in with a second factor (TOTP)."),
        ChoiceEntry(
            "access.second_factor_therapist", [](auto& s) -> auto& { return s.access.second_factor_therapist; },
            kSecondFactorPolicyNames, kSecondFactorSource, "Whether therapists log in with a second factor (TOTP)."),
        ChoiceEntry(
            "access.second_factor_front_desk", [](auto& s) -> auto& { return s.access.second_factor_front_desk; },
            kSecondFactorPolicyNames, kSecondFactorSource,
            "Whether the front desk logs in with a second factor (TOTP)."),
        IntEntry(
            "access.address_failures_before_wait",
            [](auto& s) -> auto& { return s.access.address_failures_before_wait; }, 5, 100, "",
            "OWASP Credential Stuffing Prevention Cheat Sheet; OWASP ASVS 4.0.3 V2.2.1 [PRACTICE]",
            "Failed logins in a row from one client address, over any accounts, before its next attempt waits."),
        IntEntry(
            "access.address_longest_wait_minutes",
            [](auto& s) -> auto& { return s.access.address_longest_wait_minutes; }, 1, 60, "min",
            "OWASP ASVS 4.0.3 V2.2.1 [PRACTICE]: slows guessing without locking a shared address out for long",
            "The longest a client address waits between login attempts after failures (1 s, doubling)."),
    };
    return entries;
}

// Rules that tie two settings together; checked after every change so no combination is unsafe or incoherent.
Status CheckConsistency(const ClinicSettings& s) {
    if (s.screening.intake_bp_review_systolic <= s.screening.intake_bp_caution_systolic) {
        return InvalidArgument("screening.intake_bp_review_systolic",
                               "must be above screening.intake_bp_caution_systolic");
    }
    if (s.screening.intake_bp_review_systolic <= s.screening.intake_bp_caution_systolic_eu_65_plus) {
        return InvalidArgument("screening.intake_bp_review_systolic",
                               "must be above screening.intake_bp_caution_systolic_eu_65_plus");
    }
    if (s.screening.intake_bp_review_diastolic <= s.screening.intake_bp_caution_diastolic) {
        return InvalidArgument("screening.intake_bp_review_diastolic",
                               "must be above screening.intake_bp_caution_diastolic");
    }
    if (s.dose.im_max_mg_per_kg > s.dose.iv_max_mg_per_kg) {
        return InvalidArgument("dose.im_max_mg_per_kg",
                               "may not exceed dose.iv_max_mg_per_kg (IM bioavailability is about 93%)");
    }
    if (s.records.late_entry_max_hours * 60 <= s.records.late_entry_after_minutes) {
        return InvalidArgument("records.late_entry_max_hours", "must be longer than records.late_entry_after_minutes");
    }
    // Three infusions a week put two of them 2 days apart (days 0, 2, 4), so a 3-day minimum cannot be planned.
    if (s.schedule.iv_induction_per_week == 3 && s.schedule.min_days_between_sessions > 2) {
        return InvalidArgument("schedule.min_days_between_sessions",
                               "must be at most 2 days while schedule.iv_induction_per_week is 3");
    }
    // A step that divides the hour keeps every day's grid on the same minutes (08:00, 08:15, ...).
    if (60 % s.appointments.slot_step_minutes != 0) {
        return InvalidArgument("appointments.slot_step_minutes", "must divide 60 (5, 6, 10, 12, 15, 20, 30 or 60)");
    }
    if (s.reminders.second_lead_hours != 0 && s.reminders.second_lead_hours >= s.reminders.first_lead_hours) {
        return InvalidArgument("reminders.second_lead_hours",
                               "must be fewer hours than reminders.first_lead_hours (or 0: no second reminder)");
    }
    return Status::Ok();
}

}  // namespace

std::vector<SettingSpec> AllSettings(const ClinicSettings& settings) {
    const ClinicSettings defaults;
    std::vector<SettingSpec> specs;
    for (const Entry& entry : Registry()) {
        specs.push_back(SettingSpec{std::string(entry.name), entry.get(settings), entry.get(defaults), entry.allowed,
                                    std::string(entry.source), std::string(entry.description)});
    }
    return specs;
}

Status SetSetting(ClinicSettings& settings, std::string_view name, std::string_view value) {
    for (const Entry& entry : Registry()) {
        if (entry.name != name) {
            continue;
        }
        ClinicSettings candidate = settings;
        RETURN_IF_ERROR(entry.set(candidate, value));
        RETURN_IF_ERROR(CheckConsistency(candidate));
        settings = candidate;
        return Status::Ok();
    }
    return Error{ErrorCode::kNotFound, std::string(name), "unknown setting (see `kclinic settings`)"};
}

}  // namespace kclinic::clinical
