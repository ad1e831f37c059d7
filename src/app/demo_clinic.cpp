#include "app/demo_clinic.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/clinic_settings.hpp"
#include "app/clinic_use_cases.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::app {
namespace {

using clinical::Instrument;
using clinical::Protocol;
using clinical::Route;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year;

// The demo's own clock: each step runs with it set to the step's time, so the use cases stamp the records with the
// times a clinic would have seen.
class DemoClock final : public Clock {
public:
    [[nodiscard]] TimePoint Now() const override { return now_; }
    void Set(TimePoint at) { now_ = at; }

private:
    TimePoint now_{};
};

struct StaffMember {
    Role role;
    std::string_view local_part;
    std::string_view display_name;
    std::string_view password;
};

// Fixed demo passwords that pass CheckPasswordPolicy (15+ characters, not the address, not on the common list).
// They are printed by `kclinic serve --demo` and in README.md: a database seeded with them must hold no real patient.
constexpr std::array<StaffMember, 6> kStaff{{
    {Role::kAdmin, "admin", "Demo Admin", "demo-admin-pass"},
    {Role::kPrescriber, "prescriber", "Dr Demo Prescriber", "demo-prescriber-pass"},
    {Role::kNurse, "nurse", "Demo Nurse", "demo-nurse-pass"},
    {Role::kTherapist, "therapist", "Demo Therapist", "demo-therapist-pass"},
    {Role::kFrontDesk, "frontdesk", "Demo Front Desk", "demo-frontdesk-pass"},
    {Role::kPatient, "patient", "Devon Demo", "demo-patient-pass"},
}};

// A second nurse, so that four chairs can run at once within schedule.patients_per_nurse (3 by default). Not among
// the printed logins (one per role); README.md names the password.
constexpr StaffMember kSecondNurse{Role::kNurse, "nurse2", "Demo Nurse Two", "demo-nurse2-pass"};

std::string DemoEmail(std::string_view local_part) {
    return std::string(local_part) + "@" + std::string(kDemoEmailDomain);
}

constexpr std::string_view kRemsSetting = "Demo Clinic, 1 Example Street (synthetic REMS-certified setting)";
constexpr std::string_view kMrnPrefix = "DEMO-";

// `total` spread as evenly as the items allow, earlier items taking the remainder: a plausible answer sheet with the
// wanted total. PRECONDITION: 0 <= total <= items x max_item.
std::vector<int> Spread(int total, int items, [[maybe_unused]] int max_item) {
    assert(total >= 0 && total <= items * max_item && "a demo score outside its scale");
    std::vector<int> answers(static_cast<std::size_t>(items), total / items);
    for (int item = 0; item < total % items; ++item) {
        ++answers[static_cast<std::size_t>(item)];
    }
    return answers;
}

// MADRS: 10 items of 0-6.
std::vector<int> Madrs(int total) {
    return Spread(total, 10, 6);
}

// PHQ-9: 9 items of 0-3, item 9 (thoughts of self-harm) left at 0 so that no demo score raises a suicidality alert
// the demo could not follow up as a clinic would; at most 24.
std::vector<int> Phq9(int total) {
    std::vector<int> answers = Spread(total, 8, 3);
    answers.push_back(0);
    return answers;
}

class Seeder {
public:
    Seeder(Store& store, const Credentials& credentials, const TimeZones& zones, TimePoint now,
           clinical::ClinicSettings settings)
        : use_cases_(store, clock_, credentials, zones),
          settings_(std::move(settings)),
          now_(now),
          today_(std::chrono::floor<days>(now)),
          week_start_(today_ - (std::chrono::weekday{today_} - std::chrono::Monday)) {}

    // The audited looks at what is there already, at `now`: true when a patient exists (then nothing is seeded).
    Result<bool> HoldsPatients() {
        clock_.Set(now_);
        ASSIGN_OR_RETURN(std::vector<Patient> some, use_cases_.patients.ListPatients(system_, PatientId{0}, 1));
        return !some.empty();
    }

    Status FindExistingUsers() {
        UserId after{0};
        for (;;) {
            ASSIGN_OR_RETURN(std::vector<User> page, use_cases_.users.ListUsers(system_, after, kMaxPageSize));
            for (const User& user : page) {
                existing_emails_.insert(user.email);
            }
            if (page.size() < static_cast<std::size_t>(kMaxPageSize)) {
                return Status::Ok();
            }
            after = page.back().id;
        }
    }

    void Plan() {
        PlanStaff();
        PlanRooms();
        PlanRemsCertification();
        PlanStandingOrders();
        PlanFreshIntake();
        PlanAwaitingSignOff();
        PlanScreened();
        PlanCourseAboutToStart();
        PlanMidInduction();
        PlanMaintenance();
        PlanRelapse();
        PlanMonitoringNow();
        PlanBenzodiazepineUser();
        PlanStimulantUser();
        PlanHypertension();
        PlanPtsd();
        PlanBrandNameHistory();
        PlanImCourse();
        PlanWeek();
        PlanBookedWeek();
        PlanSafe();
    }

    // Runs the steps in time order (steps at the same time in the order planned), the clock at each step's time. A
    // step may plan further steps at or after its own time (what happens at the appointments a booking made).
    Status Run() {
        while (!steps_.empty()) {
            const auto next = steps_.begin();
            const TimePoint at = next->first;
            const Step step = std::move(next->second);
            steps_.erase(next);
            assert(at <= now_ && "a demo step planned after now");
            running_at_ = at;
            clock_.Set(at);
            if (Status done = step.run(); !done.ok()) {
                Error error = done.error();
                error.message = "demo clinic, " + step.what + ": " + error.message;
                return error;
            }
        }
        summary_.seeded = true;
        summary_.rems_forms_due = rems_forms_owed_ - summary_.rems_forms_submitted;
        return Status::Ok();
    }

    DemoClinicSummary TakeSummary() { return std::move(summary_); }

private:
    struct Step {
        std::string what;
        std::function<Status()> run;
    };

    // A demo patient as the steps learn it: its ids are known only once the step that creates them has run.
    struct DemoPatient {
        std::string mrn;
        PatientId id;
        int age_years = 0;
        double weight_kg = 0;
        std::optional<CourseId> course;
        std::vector<SessionId> sessions;  // the course's, in number order
        std::optional<ScreeningId> screening;
        TimePoint course_started_at{};      // when the prescriber started the course
        bool books_its_own_course = false;  // one of the week's patients: PlanWeek books their course
        bool misses_first_session = false;  // a no-show at session 1
        bool cancels_visit = false;         // asks to move their visit: it is cancelled
    };

    // ----- time -------------------------------------------------------------------------------------------------

    // `offset` days from today (negative: before), at hh:mm UTC.
    [[nodiscard]] TimePoint Day(int offset, int hour, int minute = 0) const {
        return TimePoint{today_ + days{offset}} + hours{hour} + minutes{minute};
    }

    void At(TimePoint at, std::string what, std::function<Status()> run) {
        assert((!running_at_ || at >= *running_at_) && "a demo step planned before the step that plans it");
        steps_.emplace(at, Step{std::move(what), std::move(run)});  // after the steps already planned at `at`
    }

    // At, for what happens at a booked appointment: only what has happened by `now`.
    void AtIfPast(TimePoint at, std::string what, std::function<Status()> run) {
        if (at <= now_) {
            At(at, std::move(what), std::move(run));
        }
    }

    // ----- building blocks, each one or more steps through a use case -------------------------------------------

    DemoPatient& Register(TimePoint at, int number, const std::string& given_name, sys_days birth_date,
                          clinical::Sex sex, double weight_kg) {
        auto patient = std::make_unique<DemoPatient>();
        DemoPatient& p = *patient;
        demo_patients_.push_back(std::move(patient));
        std::string digits = std::to_string(number);
        p.mrn = std::string(kMrnPrefix) + std::string(4 - digits.size(), '0') + digits;
        p.age_years = static_cast<int>((today_ - birth_date).count() / 365);
        p.weight_kg = weight_kg;
        // A made-up address (the dispensing log names it, 21 CFR 1304.22(c)).
        const std::string address = std::to_string(10 + number) + " Example Street\nSpringfield, IL 62701";
        At(at, "register " + p.mrn, [this, &p, given_name, birth_date, sex, address] {
            Result<Patient> created = use_cases_.patients.RegisterPatient(
                front_desk_, NewPatient{p.mrn, given_name, "Demo", birth_date, sex, DemoEmail("prescriber"), address});
            if (created.ok()) {
                p.id = created->id;
                ++summary_.patients;
            }
            return StatusOf(created);
        });
        At(at + minutes{10}, "weigh " + p.mrn, [this, &p, at] {
            return StatusOf(
                use_cases_.patients.RecordWeight(nurse_, p.id, at + minutes{10}, p.weight_kg, false, settings_));
        });
        return p;
    }

    void Vital(DemoPatient& p, TimePoint at, NewVitalSign vital) {
        At(at, "vital sign " + vital.loinc + " of " + p.mrn, [this, &p, at, vital]() mutable {
            vital.patient = p.id;
            vital.observed_at = at;
            Result<RecordedVitalSign> recorded = use_cases_.patients.RecordVitalSign(nurse_, vital, settings_);
            if (recorded.ok()) {
                ++summary_.vital_signs;
                summary_.alerts += static_cast<int>(recorded->alerts.size());
            }
            return StatusOf(recorded);
        });
    }

    void Vital(DemoPatient& p, TimePoint at, std::string_view code, double value, const std::string& unit) {
        NewVitalSign vital;
        vital.loinc = std::string(code);
        vital.value = value;
        vital.unit = unit;
        Vital(p, at, std::move(vital));
    }

    // One reading, one record (clinical/vital_signs.hpp).
    void Bp(DemoPatient& p, TimePoint at, int systolic, int diastolic) {
        NewVitalSign vital;
        vital.loinc = std::string(clinical::kBloodPressurePanelLoinc);
        vital.value = systolic;
        vital.diastolic = diastolic;
        vital.unit = "mm[Hg]";
        Vital(p, at, std::move(vital));
    }

    void Assess(DemoPatient& p, TimePoint at, Instrument instrument, const std::vector<int>& answers) {
        At(at, "assessment of " + p.mrn, [this, &p, at, instrument, answers] {
            Result<RecordedAssessment> recorded =
                use_cases_.patients.RecordAssessment(nurse_, p.id, instrument, answers, at, settings_);
            if (recorded.ok()) {
                ++summary_.assessments;
                summary_.alerts += static_cast<int>(recorded->alerts.size());
            }
            return StatusOf(recorded);
        });
    }

    void Scores(DemoPatient& p, TimePoint at, int madrs, int phq9) {
        Assess(p, at, Instrument::kMadrs, Madrs(madrs));
        Assess(p, at + minutes{2}, Instrument::kPhq9, Phq9(phq9));
    }

    // What a patient's history holds, each entry as a clinic would write it (brand names included).
    struct DemoHistory {
        std::vector<std::string> diagnoses;      // ICD-10-CM
        std::vector<std::string> conditions;     // ICD-10-CM
        std::vector<std::string> failed_trials;  // oldest first
        std::vector<std::string> medications;    // current
        std::string allergy;                     // empty: none
    };

    // Most demo patients: a recurrent major depressive episode (F33.2) after failed antidepressant trials in this
    // episode, the history that brings a patient to a ketamine clinic (clinical-reference §1: treatment resistance
    // is two or more failed adequate trials).
    static DemoHistory RecurrentMdd(std::vector<std::string> failed_trials, std::vector<std::string> medications,
                                    std::string allergy = "") {
        return DemoHistory{{"F33.2"}, {}, std::move(failed_trials), std::move(medications), std::move(allergy)};
    }

    // Notes `history`. Each trial ran 8 weeks at an adequate dose with 15 % improvement, the last ending a month
    // before `at`.
    void History(DemoPatient& p, TimePoint at, const DemoHistory& history) {
        for (const std::string& code : history.diagnoses) {
            At(at, "diagnosis of " + p.mrn,
               [this, &p, code] { return StatusOf(use_cases_.history.AddDiagnosis(clinician_, p.id, code)); });
        }
        for (const std::string& code : history.conditions) {
            At(at, "condition of " + p.mrn,
               [this, &p, code] { return StatusOf(use_cases_.history.AddCondition(clinician_, p.id, code)); });
        }
        for (const std::string& medication : history.medications) {
            At(at, "medication of " + p.mrn, [this, &p, medication] {
                return StatusOf(use_cases_.history.AddMedication(clinician_, p.id, medication));
            });
        }
        if (!history.allergy.empty()) {
            At(at, "allergy of " + p.mrn, [this, &p, allergy = history.allergy] {
                return StatusOf(use_cases_.history.AddAllergy(clinician_, p.id, allergy));
            });
        }
        const std::vector<std::string>& failed_trials = history.failed_trials;
        const sys_days visit = std::chrono::floor<days>(at);
        for (std::size_t i = 0; i < failed_trials.size(); ++i) {
            const sys_days ended = visit - days{30 + 90 * static_cast<int>(failed_trials.size() - 1 - i)};
            const sys_days started = ended - days{7 * 8};
            const clinical::AntidepressantTrial trial{failed_trials[i], 8, true, 15.0, true};
            At(at, "antidepressant trial of " + p.mrn, [this, &p, trial, started, ended] {
                return StatusOf(use_cases_.history.AddAntidepressantTrial(clinician_, p.id, trial, started, ended));
            });
        }
    }

    // The intake screening (seated BP `bp`, HR 72), signed by the prescriber 15 minutes later when `sign`.
    void Screen(DemoPatient& p, TimePoint at, clinical::Product product, bool sign,
                clinical::BloodPressure bp = clinical::BloodPressure{126, 80}) {
        At(at, "screening of " + p.mrn, [this, &p, product, bp] {
            IntakeExtras extras;
            extras.pregnant = false;
            extras.blood_pressure = bp;
            extras.heart_rate_per_min = 72;
            Result<ScreeningRecord> screened =
                use_cases_.history.ScreenPatient(prescriber_, p.id, product, extras, settings_);
            if (screened.ok()) {
                p.screening = screened->id;
            }
            return StatusOf(screened);
        });
        if (sign) {
            At(at + minutes{15}, "screening sign-off of " + p.mrn, [this, &p] {
                return StatusOf(use_cases_.history.SignScreening(prescriber_, *p.screening, SignOff::kAccepted, ""));
            });
        }
    }

    // `needed`: the sessions the demo goes on to use; a clinic whose schedule settings plan fewer cannot be seeded.
    void StartCourse(DemoPatient& p, TimePoint at, Protocol protocol, Route route, sys_days start_date,
                     std::size_t needed) {
        p.course_started_at = at;
        At(at, "course of " + p.mrn, [this, &p, protocol, route, start_date, needed]() -> Status {
            ASSIGN_OR_RETURN(
                CourseRecord course,
                use_cases_.courses.StartCourse(
                    prescriber_, p.id, NewCourse{"treatment-resistant depression (F33.2)", protocol, route, start_date},
                    settings_));
            if (course.sessions.size() < needed) {
                return Error{ErrorCode::kFailedPrecondition, "schedule",
                             "the clinic's schedule settings plan " + std::to_string(course.sessions.size()) +
                                 " sessions; the demo needs " + std::to_string(needed)};
            }
            p.course = course.course.id;
            for (const TreatmentSession& session : course.sessions) {
                p.sessions.push_back(session.id);
            }
            ++summary_.courses;
            return Status::Ok();
        });
    }

    // Check-in, a pre-dose BP and heart rate, pre-dose OK and the prescriber's signed dose order: the session is
    // ready for dosing at t0 + 10 min. The order is kept in `order` for the administrations.
    void PreDose(DemoPatient& p, std::size_t index, TimePoint t0, const clinical::DoseRequest& request,
                 const std::shared_ptr<clinical::DoseOrder>& order) {
        const std::string what = " of " + p.mrn + " session " + std::to_string(index + 1);
        At(t0, "check-in" + what,
           [this, &p, index] { return StatusOf(use_cases_.sessions.CheckIn(nurse_, p.sessions[index], true, true)); });
        Bp(p, t0 + minutes{5}, 124 + static_cast<int>(index % 4) * 2, 78 + static_cast<int>(index % 3));
        Vital(p, t0 + minutes{5}, clinical::kHeartRateLoinc, 70 + static_cast<double>(index % 5), "/min");
        At(t0 + minutes{6}, "pre-dose check" + what, [this, &p, index] {
            return StatusOf(use_cases_.sessions.ConfirmPreDose(nurse_, p.sessions[index], settings_));
        });
        At(t0 + minutes{8}, "dose order" + what, [this, &p, index, request, order] {
            Result<DoseOrderRecord> signed_order =
                use_cases_.doses.SignDoseOrder(prescriber_, p.sessions[index], request, settings_);
            if (signed_order.ok()) {
                *order = signed_order->order;
            }
            return StatusOf(signed_order);
        });
        At(t0 + minutes{10}, "dosing" + what,
           [this, &p, index] { return StatusOf(use_cases_.sessions.StartDosing(nurse_, p.sessions[index])); });
    }

    void Finish(DemoPatient& p, std::size_t index, TimePoint ready_at, TimePoint discharged_at) {
        At(ready_at, "ready for discharge of " + p.mrn,
           [this, &p, index] { return StatusOf(use_cases_.sessions.ReadyForDischarge(nurse_, p.sessions[index])); });
        At(discharged_at, "discharge of " + p.mrn, [this, &p, index] {
            Result<TreatmentSession> discharged = use_cases_.sessions.Discharge(nurse_, p.sessions[index], true);
            if (discharged.ok()) {
                ++summary_.sessions_discharged;
            }
            return StatusOf(discharged);
        });
    }

    // A racemic ketamine infusion of 0.5 mg/kg over 40 min (APA consensus, clinical-reference §2) from t0 + 10 min,
    // monitored until t0 + 90 min. With `hypertensive`, the BP 20 min into the infusion is 182/96: the systolic alert
    // (>= 180, settings.monitoring) fires, the prescriber acknowledges it, and a transient hypertension is logged.
    // The medical director's standing orders (issue 14 §1): version 1 with ondansetron for nausea, version 2 adding
    // labetalol for a sustained BP rise during the infusion.
    void PlanStandingOrders() {
        const clinical::PrnOrderTerms ondansetron{
            "ondansetron",
            4,
            clinical::MedicationUnit::kMg,
            {clinical::MedicationRoute::kPo, clinical::MedicationRoute::kOdt, clinical::MedicationRoute::kIv},
            "nausea",
            std::nullopt,
            2,
            8,
            30};
        const clinical::PrnOrderTerms labetalol{"labetalol",
                                                10,
                                                clinical::MedicationUnit::kMg,
                                                {clinical::MedicationRoute::kIv},
                                                "SBP above threshold",
                                                clinical::SbpCondition{160, 5},
                                                3,
                                                30,
                                                10};
        At(Day(-120, 8), "standing orders, version 1", [this, ondansetron] {
            return StatusOf(use_cases_.standing_orders.SignSet(
                prescriber_, NewStandingOrderSet{{ondansetron}, "Antiemetic for the infusion chairs.", 0}));
        });
        At(Day(-40, 8), "standing orders, version 2", [this, ondansetron, labetalol] {
            return StatusOf(use_cases_.standing_orders.SignSet(
                prescriber_, NewStandingOrderSet{
                                 {ondansetron, labetalol}, "Labetalol for a sustained BP rise (APA consensus).", 1}));
        });
    }

    // A PRN dose under entry `entry` of the standing orders in force, given in session `index` at `given_at`, and
    // the response recorded at `response_at`.
    void PrnDoseWithResponse(DemoPatient& p, std::size_t index, TimePoint given_at, int entry, double dose,
                             clinical::MedicationRoute route, const std::string& indication, TimePoint response_at,
                             const std::string& response) {
        const auto given_id = std::make_shared<SessionMedicationId>();
        At(given_at, "PRN " + indication + " for " + p.mrn,
           [this, &p, index, given_at, entry, dose, route, indication, given_id] {
               NewPrnDose prn;
               prn.entry_number = entry;
               prn.dose = dose;
               prn.unit = clinical::MedicationUnit::kMg;
               prn.route = route;
               prn.indication = indication;
               prn.given_at = given_at;
               Result<PrnDose> given =
                   use_cases_.standing_orders.GivePrnDose(nurse_, p.sessions[index], prn, settings_);
               if (given.ok()) {
                   *given_id = given->medication.id;
               }
               return StatusOf(given);
           });
        At(response_at, "PRN response for " + p.mrn, [this, given_id, response] {
            return StatusOf(
                use_cases_.standing_orders.RecordResponse(nurse_, *given_id, NewPrnResponse{true, response}));
        });
    }

    void IvSession(DemoPatient& p, std::size_t index, TimePoint t0, bool hypertensive) {
        if (t0 >= TimePoint{week_start_}) {
            Seat(p, index, t0, clinical::AppointmentType::kIvSession, kIvChair, t0 + minutes{96});
        }
        auto order = std::make_shared<clinical::DoseOrder>();
        PreDose(p, index, t0, IvRequest(p), order);
        if (hypertensive) {
            Bp(p, t0 + minutes{30}, 182, 96);
            At(t0 + minutes{33}, "alert acknowledgement of " + p.mrn, [this, &p] {
                AlertFilter filter;
                filter.patient = p.id;
                filter.open_only = true;
                Result<std::vector<Alert>> open = use_cases_.alerts.ListAlerts(prescriber_, filter);
                if (!open.ok()) {
                    return Status(open.error());
                }
                for (const Alert& alert : *open) {
                    Result<Alert> seen = use_cases_.alerts.Acknowledge(
                        prescriber_, alert.id, "Seen at the bedside; recheck in 5 min, infusion continues.");
                    if (!seen.ok()) {
                        return Status(seen.error());
                    }
                }
                return Status::Ok();
            });
            Bp(p, t0 + minutes{38}, 164, 90);
            // The SBP stayed at or above 160 for 8 minutes: labetalol under the standing order's entry 2.
            PrnDoseWithResponse(p, index, t0 + minutes{39}, 2, 10, clinical::MedicationRoute::kIv,
                                "SBP above threshold", t0 + minutes{80}, "BP 128/80 by the end of monitoring.");
        } else {
            Bp(p, t0 + minutes{30}, 136, 84);
        }
        Vital(p, t0 + minutes{30}, clinical::kSpo2PulseOximetryLoinc, 97, "%");
        // The infusion is recorded running when it starts and stopped with the amount given when it ends.
        const auto infusion_id = std::make_shared<AdministrationId>();
        At(t0 + minutes{10}, "infusion of " + p.mrn, [this, &p, index, t0, order, infusion_id] {
            const NewAdministration infusion{"ketamine",           Route::kIv,   order->total_mg,
                                             order->rate_mg_per_h, std::nullopt, "DEMO-LOT-K" + p.mrn.substr(5),
                                             t0 + minutes{10},     std::nullopt};
            Result<Administration> running =
                use_cases_.doses.RecordAdministration(nurse_, p.sessions[index], infusion, settings_);
            if (running.ok()) {
                *infusion_id = running->id;
            }
            return StatusOf(running);
        });
        DrawKetamine(nurse_, t0 + minutes{10}, infusion_id, order);
        At(t0 + minutes{50}, "end of the infusion of " + p.mrn, [this, t0, order, infusion_id] {
            return StatusOf(use_cases_.doses.StopInfusion(
                nurse_, *infusion_id, NewInfusionStop{t0 + minutes{50}, order->total_mg, std::nullopt}, settings_));
        });
        At(t0 + minutes{51}, "monitoring of " + p.mrn,
           [this, &p, index] { return StatusOf(use_cases_.sessions.StartMonitoring(nurse_, p.sessions[index])); });
        Bp(p, t0 + minutes{80}, 128, 80);
        if (hypertensive) {
            NewAdverseEvent event;
            event.term = "bp_above_limit";
            event.detail =
                "BP 182/96 mmHg 20 min into the infusion, 164/90 at 28 min; labetalol 10 mg IV under the standing "
                "order, 128/80 after it.";
            event.grade = 2;
            event.onset_at = t0 + minutes{30};
            event.resolved_at = t0 + minutes{80};
            event.outcome = clinical::AdverseEventOutcome::kRecovered;
            event.actions = {clinical::AdverseEventAction::kExtendedObservation,
                             clinical::AdverseEventAction::kPrnDrugGiven};
            event.relatedness = clinical::Relatedness::kProbable;
            AdverseEventAt(p, index, t0 + minutes{85}, event);
        }
        Finish(p, index, t0 + minutes{90}, t0 + minutes{95});
    }

    // An esketamine session: `dose_mg` in 28-mg devices 5 min apart from t0 + 10 min (Spravato USPI), monitored for
    // the REMS 2 hours, discharged at t0 + 140 min; the REMS form is submitted at `submit_at` when given.
    void EsketamineSession(DemoPatient& p, std::size_t index, TimePoint t0, int dose_mg,
                           std::optional<TimePoint> submit_at) {
        if (t0 >= TimePoint{week_start_}) {
            Seat(p, index, t0, clinical::AppointmentType::kEsketamineSession, kEsketamineChair, t0 + minutes{141});
        }
        const auto order = std::make_shared<clinical::DoseOrder>();
        PreDose(p, index, t0, EsketamineRequest(p, dose_mg), order);
        const int devices = dose_mg / clinical::kEsketamineDeviceMg;
        Devices(p, index, t0 + minutes{10}, devices);
        const TimePoint last_device = t0 + minutes{10 + 5 * (devices - 1)};
        At(last_device + minutes{1}, "monitoring of " + p.mrn,
           [this, &p, index] { return StatusOf(use_cases_.sessions.StartMonitoring(nurse_, p.sessions[index])); });
        Assess(p, t0 + minutes{50}, Instrument::kMoaas, {4});
        Bp(p, t0 + minutes{50}, 138, 86);
        Vital(p, t0 + minutes{50}, clinical::kSpo2PulseOximetryLoinc, 97, "%");
        Bp(p, t0 + minutes{125}, 126, 80);
        Finish(p, index, t0 + minutes{135}, t0 + minutes{140});
        ++rems_forms_owed_;
        if (submit_at) {
            At(*submit_at, "REMS form of " + p.mrn, [this, &p, index] {
                Result<RemsFormView> sent = use_cases_.rems.Submit(
                    nurse_, p.sessions[index], 90, "DEMO-REMS-" + std::to_string(p.sessions[index].value), settings_);
                if (sent.ok()) {
                    ++summary_.rems_forms_submitted;
                }
                return StatusOf(sent);
            });
        }
    }

    clinical::DoseRequest EsketamineRequest(const DemoPatient& p, int dose_mg) const {
        clinical::DoseRequest request;
        request.route = Route::kEsketamineNasal;
        request.weight_kg = p.weight_kg;
        request.dose_mg = dose_mg;
        request.age_years = p.age_years;
        return request;
    }

    void Devices(DemoPatient& p, std::size_t index, TimePoint first, int count) {
        for (int device = 0; device < count; ++device) {
            const TimePoint at = first + minutes{5 * device};
            const auto device_id = std::make_shared<AdministrationId>();
            At(at, "esketamine device of " + p.mrn, [this, &p, index, at, device_id]() -> Status {
                const NewAdministration given{"esketamine",
                                              Route::kEsketamineNasal,
                                              static_cast<double>(clinical::kEsketamineDeviceMg),
                                              std::nullopt,
                                              1,
                                              "DEMO-LOT-E" + p.mrn.substr(5),
                                              at,
                                              at};
                ASSIGN_OR_RETURN(const Administration recorded,
                                 use_cases_.doses.RecordAdministration(nurse_, p.sessions[index], given, settings_));
                *device_id = recorded.id;
                return Status::Ok();
            });
            DrawEsketamineDevice(nurse_, at, device_id, count);
        }
    }

    void AdverseEventAt(DemoPatient& p, std::optional<std::size_t> index, TimePoint at, NewAdverseEvent event) {
        At(at, "adverse event of " + p.mrn, [this, &p, index, event]() mutable {
            if (index) {
                event.session = p.sessions[*index];
            }
            Result<AdverseEvent> logged = use_cases_.adverse_events.Record(nurse_, p.id, event);
            if (logged.ok()) {
                ++summary_.adverse_events;
            }
            return StatusOf(logged);
        });
    }

    // A note by `author`, signed 10 minutes after writing when `sign`; dosing notes belong to session `index`.
    void NoteAt(DemoPatient& p, TimePoint at, const Actor& author, NoteKind kind, const std::string& body, bool sign,
                std::optional<std::size_t> index = std::nullopt) {
        auto written = std::make_shared<Note>();
        At(at, "note of " + p.mrn, [this, &p, &author, kind, body, index, written] {
            NewNote note{kind, p.course, std::nullopt, body};
            if (index) {
                note.session = p.sessions[*index];
            }
            Result<Note> stored = use_cases_.notes.Write(author, p.id, note);
            if (stored.ok()) {
                *written = *stored;
                ++summary_.notes;
            }
            return StatusOf(stored);
        });
        if (sign) {
            At(at + minutes{10}, "note sign-off of " + p.mrn, [this, &author, written] {
                return StatusOf(use_cases_.notes.Sign(author, written->id, written->version));
            });
        }
    }

    // ----- the clinic --------------------------------------------------------------------------------------------

    void PlanStaff() {
        // The printed logins must work without an authenticator app, so the demo clinic requires a second factor of
        // no role; `kclinic serve --demo` says so (docs/security.md "Second factor": a real clinic keeps admins and
        // prescribers required).
        for (const std::string_view role : {"admin", "prescriber"}) {
            At(Day(-150, 6), "setting access.second_factor_" + std::string(role), [this, role] {
                return StatusOf(use_cases_.settings.ChangeSetting(system_, "access.second_factor_" + std::string(role),
                                                                  "optional"));
            });
        }
        for (const StaffMember& member : kStaff) {
            const std::string email = DemoEmail(member.local_part);
            const bool added = !existing_emails_.contains(email);
            summary_.logins.push_back(
                DemoLogin{member.role, email, added ? std::string(member.password) : std::string(), added});
            if (!added || member.role == Role::kPatient) {
                continue;  // the patient's user is added once their record exists (PlanMaintenance)
            }
            AddStaffUser(member);
        }
        if (!existing_emails_.contains(DemoEmail(kSecondNurse.local_part))) {
            AddStaffUser(kSecondNurse);
        }
    }

    void AddStaffUser(const StaffMember& member) {
        const std::string email = DemoEmail(member.local_part);
        At(Day(-150, 7), "user " + email, [this, member, email] {
            return StatusOf(
                use_cases_.users.AddUser(system_, NewUser{email, std::string(member.display_name), member.role,
                                                          std::string(member.password), std::nullopt}));
        });
        if (member.role == Role::kPrescriber) {
            // The demo's prescriber is its medical director: they sign the count's discrepancy.
            At(Day(-150, 7) + minutes{1}, "medical director " + email,
               [this, email] { return StatusOf(use_cases_.users.DesignateMedicalDirector(system_, email)); });
        }
    }

    // An intake only: demographics, weight and history, no screening yet.
    void PlanFreshIntake() {
        DemoPatient& p = Register(Day(-1, 9), 1, "Avery", sys_days{year{1988} / 5 / 12}, clinical::Sex::kFemale, 64);
        History(p, Day(-1, 9, 20), RecurrentMdd({"sertraline", "venlafaxine"}, {"venlafaxine"}, "penicillin"));
    }

    // Screened for esketamine, not yet signed: the prescriber's queue.
    void PlanAwaitingSignOff() {
        DemoPatient& p = Register(Day(-2, 10), 2, "Blake", sys_days{year{1975} / 11 / 3}, clinical::Sex::kMale, 88);
        History(p, Day(-2, 10, 20), RecurrentMdd({"escitalopram", "bupropion", "mirtazapine"}, {"mirtazapine"}));
        Screen(p, Day(-2, 11), clinical::Product::kEsketamineNasal, false);
    }

    // Screened and signed for IV ketamine, prepared by the therapist; no course yet.
    void PlanScreened() {
        DemoPatient& p = Register(Day(-9, 9), 3, "Casey", sys_days{year{1991} / 2 / 20}, clinical::Sex::kOther, 71);
        History(p, Day(-9, 9, 20), RecurrentMdd({"fluoxetine", "duloxetine"}, {"duloxetine"}, "latex"));
        Scores(p, Day(-9, 9, 40), 31, 18);
        Screen(p, Day(-9, 10), clinical::Product::kKetamineIv, true);
        NoteAt(p, Day(-6, 15), therapist_, NoteKind::kPreparation,
               "Preparation session: expectations, set and setting, the escort and no-driving rule discussed. Ready to "
               "begin.",
               true);
    }

    // Screened, signed and a course started today: session 1 tomorrow.
    void PlanCourseAboutToStart() {
        DemoPatient& p = Register(Day(-12, 14), 4, "Jordan", sys_days{year{1969} / 8 / 30}, clinical::Sex::kMale, 79);
        History(p, Day(-12, 14, 20), RecurrentMdd({"sertraline", "venlafaxine", "nortriptyline"}, {"nortriptyline"}));
        Scores(p, Day(-12, 14, 40), 33, 20);
        Screen(p, Day(-12, 15), clinical::Product::kKetamineIv, true);
        StartCourse(p, now_ - hours{3}, Protocol::kIvInduction, Route::kIv, today_ + days{1}, 1);
    }

    // An IV induction series (twice weekly, ELEKT-D) half done: sessions 1-3 discharged, MADRS and PHQ-9 falling,
    // nausea after session 2, a transient hypertension in session 3; session 4 is tomorrow.
    void PlanMidInduction() {
        DemoPatient& p = Register(Day(-30, 9), 5, "Emerson", sys_days{year{1983} / 7 / 9}, clinical::Sex::kFemale, 67);
        History(p, Day(-30, 9, 20), RecurrentMdd({"citalopram", "sertraline"}, {"sertraline"}));
        Scores(p, Day(-30, 9, 40), 35, 21);
        Screen(p, Day(-30, 10), clinical::Product::kKetamineIv, true);
        NoteAt(p, Day(-20, 15), therapist_, NoteKind::kPreparation,
               "Preparation: goals for the series agreed; integration sessions booked after each infusion.", true);
        StartCourse(p, Day(-15, 10), Protocol::kIvInduction, Route::kIv, today_ - days{8}, 4);
        const std::array<int, 3> plan_days{0, 3, 7};  // twice weekly (clinical/schedule.hpp)
        const std::array<int, 3> madrs{34, 27, 21};
        const std::array<int, 3> phq9{20, 16, 12};
        for (std::size_t index = 0; index < plan_days.size(); ++index) {
            const int day = -8 + plan_days[index];
            Scores(p, Day(day, 12, 30), madrs[index], phq9[index]);
            IvSession(p, index, Day(day, 13), index == 2);
        }
        NoteAt(p, Day(-7, 15), therapist_, NoteKind::kIntegration,
               "Integration after infusion 1: vivid imagery, felt safe; wants to work on sleep routine.", true);
        NewAdverseEvent nausea;
        nausea.term = "nausea";
        nausea.detail = "Mild nausea 30 min after the infusion ended; ondansetron 4 mg by mouth, settled.";
        nausea.grade = 1;
        nausea.onset_at = Day(-5, 14, 20);
        nausea.resolved_at = Day(-5, 14, 50);
        nausea.outcome = clinical::AdverseEventOutcome::kRecovered;
        nausea.actions = {clinical::AdverseEventAction::kPrnDrugGiven};
        nausea.relatedness = clinical::Relatedness::kProbable;
        AdverseEventAt(p, 1, Day(-5, 15), nausea);
        PrnDoseWithResponse(p, 1, Day(-5, 14, 25), 1, 4, clinical::MedicationRoute::kPo, "nausea", Day(-5, 14, 50),
                            "Nausea settled within 20 min.");
        NoteAt(p, now_ - hours{1}, therapist_, NoteKind::kIntegration,
               "Integration after infusion 3 (draft): less rumination this week.", false);
    }

    // Esketamine for TRD (Spravato USPI): induction twice weekly, then weekly, then the first maintenance session
    // every 2 weeks. 13 sessions discharged, each REMS form submitted the next day but the last one's, which is due.
    // This patient has the demo's patient login.
    void PlanMaintenance() {
        DemoPatient& p = Register(Day(-75, 9), 6, "Devon", sys_days{year{1979} / 4 / 17}, clinical::Sex::kMale, 82);
        if (summary_.logins.back().added) {
            At(Day(-75, 9, 30), "patient user", [this, &p] {
                const StaffMember& member = kStaff.back();
                return StatusOf(use_cases_.users.AddUser(
                    system_, NewUser{DemoEmail(member.local_part), std::string(member.display_name), member.role,
                                     std::string(member.password), p.id}));
            });
        }
        History(p, Day(-75, 9, 20),
                RecurrentMdd({"paroxetine", "venlafaxine", "bupropion"}, {"bupropion"}, "sulfonamides"));
        Scores(p, Day(-75, 9, 40), 36, 22);
        Screen(p, Day(-75, 10), clinical::Product::kEsketamineNasal, true);
        StartCourse(p, Day(-70, 10), Protocol::kEsketamineTrd, Route::kEsketamineNasal, today_ - days{61}, 13);
        // The planned days of kEsketamineTrd from its start (clinical/schedule.hpp): 0, 3, ..., 24, 28, 35, 42, 49,
        // then every 2 weeks from 56.
        const std::array<int, 13> plan_days{0, 3, 7, 10, 14, 17, 21, 24, 28, 35, 42, 49, 56};
        const std::array<int, 13> madrs{36, 33, 30, 28, 24, 22, 19, 17, 15, 14, 12, 11, 12};
        for (std::size_t index = 0; index < plan_days.size(); ++index) {
            const int day = -61 + plan_days[index];
            if (index % 4 == 0) {
                Scores(p, Day(day, 8, 30), madrs[index], std::min(24, madrs[index] * 2 / 3));
            }
            const bool last = index + 1 == plan_days.size();
            EsketamineSession(p, index, Day(day, 9), index == 0 ? 56 : 84,
                              last ? std::nullopt : std::optional<TimePoint>(Day(day + 1, 10)));
        }
        NewAdverseEvent dissociation;
        dissociation.term = "dissociation";
        dissociation.detail = "Felt detached from surroundings 20-50 min after the first device; reassured.";
        dissociation.grade = 1;
        dissociation.onset_at = Day(-61, 9, 30);
        dissociation.resolved_at = Day(-61, 10, 0);
        dissociation.outcome = clinical::AdverseEventOutcome::kRecovered;
        dissociation.actions = {clinical::AdverseEventAction::kNone};
        dissociation.relatedness = clinical::Relatedness::kCertain;
        AdverseEventAt(p, 0, Day(-61, 11, 30), dissociation);
        NewAdverseEvent dizziness = dissociation;
        dizziness.term = "dizziness";
        dizziness.detail = "Dizzy on standing at 90 min; observed seated a further 20 min.";
        dizziness.onset_at = Day(-47, 10, 40);
        dizziness.resolved_at = Day(-47, 11, 0);
        dizziness.actions = {clinical::AdverseEventAction::kExtendedObservation};
        dizziness.relatedness = clinical::Relatedness::kProbable;
        AdverseEventAt(p, 4, Day(-47, 11, 30), dizziness);
        NoteAt(p, Day(-61, 11, 35), nurse_, NoteKind::kDosing,
               "Dosing note: 2 devices 5 min apart, well tolerated; transient dissociation resolved by 50 min.", true,
               0);
        NoteAt(p, Day(-33, 15), therapist_, NoteKind::kIntegration,
               "Integration at week 5: mood lifting, back at work part-time; moving to weekly sessions.", true);
        NoteAt(p, Day(-5, 12), prescriber_, NoteKind::kProgress,
               "Week 9: MADRS 12 (response held). Continue maintenance every 2 weeks per label.", true);
    }

    // An IV induction series four months ago with response and remission (MADRS 34 -> 9), the course ended, then
    // scores rising again at follow-up: a relapse (clinical/outcomes.hpp) for the prescriber to act on.
    void PlanRelapse() {
        DemoPatient& p = Register(Day(-140, 9), 7, "Rowan", sys_days{year{1986} / 12 / 1}, clinical::Sex::kFemale, 59);
        History(p, Day(-140, 9, 20), RecurrentMdd({"sertraline", "vortioxetine"}, {"vortioxetine"}));
        Scores(p, Day(-140, 9, 40), 34, 21);
        Screen(p, Day(-140, 10), clinical::Product::kKetamineIv, true);
        StartCourse(p, Day(-134, 10), Protocol::kIvInduction, Route::kIv, today_ - days{130}, 6);
        const std::array<int, 6> plan_days{0, 3, 7, 10, 14, 17};
        const std::array<int, 6> madrs{34, 29, 22, 16, 12, 9};
        for (std::size_t index = 0; index < plan_days.size(); ++index) {
            const int day = -130 + plan_days[index];
            Scores(p, Day(day, 10, 30), madrs[index], std::min(24, madrs[index] * 2 / 3));
            IvSession(p, index, Day(day, 11), false);
        }
        At(Day(-110, 12), "end of course of " + p.mrn, [this, &p] {
            return StatusOf(use_cases_.courses.EndCourse(
                prescriber_, *p.course, "Induction series complete: response and remission (MADRS 9)."));
        });
        const std::array<int, 4> follow_up_days{-85, -55, -25, -4};
        const std::array<int, 4> follow_up_madrs{10, 16, 24, 30};
        for (std::size_t visit = 0; visit < follow_up_days.size(); ++visit) {
            Scores(p, Day(follow_up_days[visit], 16), follow_up_madrs[visit], follow_up_madrs[visit] * 2 / 3);
        }
        NoteAt(p, Day(-4, 16, 30), prescriber_, NoteKind::kProgress,
               "Follow-up: MADRS 30, up from 9 at the end of induction. Relapse. Offer a booster series; review in "
               "one week.",
               true);
        NoteAt(p, Day(-4, 17), therapist_, NoteKind::kProgress,
               "Call with patient (draft): sleep worse for three weeks.", false);
    }

    // Esketamine for TRD, sessions 1-4 discharged with their REMS forms submitted, and session 5 today: checked in,
    // pre-dose OK, the dose order signed, 56 mg given, in monitoring now.
    void PlanMonitoringNow() {
        DemoPatient& p = Register(Day(-25, 9), 8, "Finley", sys_days{year{1994} / 9 / 23}, clinical::Sex::kFemale, 62);
        History(p, Day(-25, 9, 20), RecurrentMdd({"escitalopram", "sertraline"}, {"sertraline"}));
        Scores(p, Day(-25, 9, 40), 32, 19);
        Screen(p, Day(-25, 10), clinical::Product::kEsketamineNasal, true);
        NoteAt(p, Day(-20, 15), therapist_, NoteKind::kPreparation,
               "Preparation: REMS monitoring explained; partner will drive home after each session.", true);
        StartCourse(p, Day(-16, 10), Protocol::kEsketamineTrd, Route::kEsketamineNasal, today_ - days{14}, 5);
        const std::array<int, 4> plan_days{0, 3, 7, 10};
        for (std::size_t index = 0; index < plan_days.size(); ++index) {
            const int day = -14 + plan_days[index];
            EsketamineSession(p, index, Day(day, 14), 56, Day(day + 1, 9));
        }
        Scores(p, Day(-7, 13, 30), 26, 16);

        const TimePoint t0 = now_ - minutes{75};
        // Session 5 was booked in the esketamine chair when the course began, and the patient checked in on arrival.
        Seat(p, 4, t0, clinical::AppointmentType::kEsketamineSession, kEsketamineChair, std::nullopt);
        const auto order = std::make_shared<clinical::DoseOrder>();
        PreDose(p, 4, t0, EsketamineRequest(p, 56), order);
        Devices(p, 4, t0 + minutes{10}, 2);
        At(t0 + minutes{16}, "monitoring of " + p.mrn, [this, &p] {
            Result<TreatmentSession> monitoring = use_cases_.sessions.StartMonitoring(nurse_, p.sessions[4]);
            if (monitoring.ok()) {
                summary_.monitoring_session = monitoring->id;
                summary_.monitoring_patient = p.id;
                summary_.monitoring_device = std::string(kRooms.at(kEsketamineChair).monitor);
            }
            return StatusOf(monitoring);
        });
        Assess(p, t0 + minutes{40}, Instrument::kMoaas, {4});
        Bp(p, t0 + minutes{40}, 134, 84);
        Vital(p, t0 + minutes{40}, clinical::kSpo2PulseOximetryLoinc, 97, "%");
    }

    // The patients on whom the screening's rules fire, so that not every screening says eligible. Their histories are
    // written as a clinic writes them, brand names and strengths included, and go through the same use cases.

    // A benzodiazepine alongside the antidepressant: the sedation interaction (Spravato USPI §7). Signed.
    void PlanBenzodiazepineUser() {
        DemoPatient& p = Register(Day(-3, 9), 9, "Harper", sys_days{year{1972} / 6 / 2}, clinical::Sex::kFemale, 70);
        History(p, Day(-3, 9, 20), RecurrentMdd({"sertraline", "duloxetine"}, {"duloxetine", "clonazepam 0.5 mg"}));
        Screen(p, Day(-3, 10), clinical::Product::kKetamineIv, true);
    }

    // ADHD treated with Adderall (amphetamine salts): the BP interaction of psychostimulants, for esketamine.
    void PlanStimulantUser() {
        DemoPatient& p = Register(Day(-3, 13), 10, "Quinn", sys_days{year{1990} / 10 / 8}, clinical::Sex::kMale, 76);
        History(
            p, Day(-3, 13, 20),
            DemoHistory{{"F33.2", "F90.0"}, {}, {"escitalopram", "bupropion"}, {"bupropion", "Adderall XR 20 mg"}, ""});
        Screen(p, Day(-3, 14), clinical::Product::kEsketamineNasal, false);
    }

    // Essential hypertension (I10) on two antihypertensives, the intake BP still above 140/90: the BP caution.
    void PlanHypertension() {
        DemoPatient& p = Register(Day(-2, 13), 11, "Morgan", sys_days{year{1961} / 1 / 27}, clinical::Sex::kMale, 91);
        History(p, Day(-2, 13, 20),
                DemoHistory{{"F33.2"},
                            {"I10"},
                            {"sertraline", "venlafaxine"},
                            {"venlafaxine", "lisinopril 20 mg", "amlodipine 5 mg"},
                            ""});
        Screen(p, Day(-2, 14), clinical::Product::kKetamineIv, false, clinical::BloodPressure{152, 94});
    }

    // Chronic PTSD (F43.12) without a depressive disorder: racemic ketamine for PTSD is off-label with conflicting
    // trials, a prescriber's review.
    void PlanPtsd() {
        DemoPatient& p = Register(Day(-1, 13), 12, "Riley", sys_days{year{1989} / 3 / 5}, clinical::Sex::kFemale, 66);
        History(p, Day(-1, 13, 20), DemoHistory{{"F43.12"}, {}, {"sertraline"}, {"sertraline", "prazosin 2 mg"}, ""});
        Screen(p, Day(-1, 14), clinical::Product::kKetamineIv, false);
    }

    // A history written in brand names: Zoloft and Lexapro are two different antidepressants (treatment resistant),
    // Seroquel XR augmentation is no antidepressant trial, Norco is an opioid, and St John's wort, which the drug
    // dictionary does not know, is a review.
    void PlanBrandNameHistory() {
        DemoPatient& p = Register(Day(-1, 15), 13, "Sage", sys_days{year{1981} / 12 / 14}, clinical::Sex::kFemale, 68);
        History(p, Day(-1, 15, 20),
                DemoHistory{{"F33.2"},
                            {},
                            {"Zoloft", "Lexapro", "Seroquel XR"},
                            {"Wellbutrin XL 300 mg", "Norco 10/325", "St John's wort"},
                            ""});
        Screen(p, Day(-1, 16), clinical::Product::kEsketamineNasal, false);
    }

    // ----- the schedule -----------------------------------------------------------------------------------------

    // Four chairs, each with its bedside monitor: two for IV and IM infusions, one reclining chair for esketamine's
    // two hours of monitoring, and one equipped for both.
    struct DemoRoom {
        std::string_view name;
        clinical::RoomEquipment equipment;
        std::string_view monitor;
    };
    static constexpr std::array<DemoRoom, 4> kRooms{{
        {"Chair 1", clinical::RoomEquipment::kIvIm, "MON-0101"},
        {"Chair 2", clinical::RoomEquipment::kIvIm, "MON-0102"},
        {"Chair 3", clinical::RoomEquipment::kEsketamine, "MON-0103"},
        {"Chair 4", clinical::RoomEquipment::kBoth, "MON-0104"},
    }};

    // The clinic's REMS-certified setting, which every REMS form names (rems.healthcare_setting), unless the clinic
    // configured its own before seeding.
    void PlanRemsCertification() {
        At(Day(-150, 6), "setting rems.healthcare_setting", [this]() -> Status {
            if (!settings_.rems.healthcare_setting.empty()) {
                return Status::Ok();
            }
            ASSIGN_OR_RETURN(settings_,
                             use_cases_.settings.ChangeSetting(system_, "rems.healthcare_setting", kRemsSetting));
            return Status::Ok();
        });
    }

    void PlanRooms() {
        for (const DemoRoom& room : kRooms) {
            At(Day(-150, 7, 30), "room " + std::string(room.name), [this, room]() -> Status {
                ASSIGN_OR_RETURN(const TreatmentRoom created,
                                 use_cases_.scheduling.CreateRoom(
                                     admin_, NewRoom{std::string(room.name), room.equipment,
                                                     std::vector<std::string>{std::string(room.monitor)}}));
                rooms_.push_back(created.id);
                ++summary_.rooms;
                return Status::Ok();
            });
        }
    }

    // Books `request` as the front desk; when only soft rules refuse it (the demo starts at whatever hour it is run,
    // so the session in monitoring, and the earlier sessions laid out in days before it, may fall outside the
    // clinic's hours or on a closed weekday), the prescriber books it past them with a reason, as a clinic would for
    // an out-of-hours session.
    Result<Appointment> BookAtAnyHour(AppointmentRequest request) {
        Result<Appointment> booked = use_cases_.scheduling.Book(front_desk_, request, settings_);
        if (!booked.ok() && booked.error().code == ErrorCode::kFailedPrecondition) {
            const std::optional<clinical::BookingRule> rule = clinical::kBookingRuleNames.Parse(booked.error().field);
            if (rule && !clinical::IsHardRule(*rule)) {
                request.override_reason = "Demo clinic: its days are laid out back from the hour the demo was started.";
                booked = use_cases_.scheduling.Book(prescriber_, request, settings_);
            }
        }
        if (booked.ok()) {
            ++summary_.appointments;
        }
        return booked;
    }

    // The chairs by what the demo seats in them (PlanRooms' order).
    static constexpr std::size_t kIvChair = 0;
    static constexpr std::size_t kImChair = 1;
    static constexpr std::size_t kEsketamineChair = 2;

    // The appointment of a session the demo runs at `t0`, in chair `chair` with the demo nurse: booked when its
    // course was started, checked in at `t0`, and completed at `completed_at` when given.
    void Seat(DemoPatient& p, std::size_t index, TimePoint t0, clinical::AppointmentType type, std::size_t chair,
              std::optional<TimePoint> completed_at) {
        const std::string what = " of " + p.mrn + " session " + std::to_string(index + 1);
        auto appointment = std::make_shared<Appointment>();
        At(p.course_started_at + minutes{5}, "appointment" + what,
           [this, &p, index, t0, type, chair, appointment]() -> Status {
               AppointmentRequest request;
               request.type = type;
               request.patient = p.id;
               request.start = t0;
               request.room = rooms_.at(chair);
               request.staff = nurse_.user;
               request.session = p.sessions[index];
               ASSIGN_OR_RETURN(*appointment, BookAtAnyHour(request));
               return Status::Ok();
           });
        At(t0, "arrival" + what, [this, appointment]() -> Status {
            ASSIGN_OR_RETURN(*appointment,
                             use_cases_.scheduling.CheckIn(nurse_, appointment->id, appointment->version));
            return Status::Ok();
        });
        if (completed_at) {
            At(*completed_at, "appointment completed" + what, [this, appointment] {
                return StatusOf(use_cases_.scheduling.Complete(nurse_, appointment->id, appointment->version));
            });
        }
    }

    // A racemic ketamine IM injection of 0.5 mg/kg (50 mg/mL) at t0 + 10 min, monitored for an hour (APA consensus,
    // clinical-reference §2), discharged at t0 + 75 min.
    void ImSession(DemoPatient& p, std::size_t index, TimePoint t0) {
        if (t0 >= TimePoint{week_start_}) {
            Seat(p, index, t0, clinical::AppointmentType::kImSession, kImChair, t0 + minutes{76});
        }
        const auto order = std::make_shared<clinical::DoseOrder>();
        PreDose(p, index, t0, ImRequest(p), order);
        const auto injection_id = std::make_shared<AdministrationId>();
        At(t0 + minutes{10}, "injection of " + p.mrn, [this, &p, index, t0, order, injection_id]() -> Status {
            const NewAdministration injection{"ketamine",       Route::kIm,      order->total_mg,
                                              std::nullopt,     std::nullopt,    "DEMO-LOT-K" + p.mrn.substr(5),
                                              t0 + minutes{10}, t0 + minutes{11}};
            ASSIGN_OR_RETURN(const Administration given,
                             use_cases_.doses.RecordAdministration(nurse_, p.sessions[index], injection, settings_));
            *injection_id = given.id;
            return Status::Ok();
        });
        DrawKetamine(nurse_, t0 + minutes{10}, injection_id, order);
        At(t0 + minutes{12}, "monitoring of " + p.mrn,
           [this, &p, index] { return StatusOf(use_cases_.sessions.StartMonitoring(nurse_, p.sessions[index])); });
        Bp(p, t0 + minutes{40}, 130, 82);
        Finish(p, index, t0 + minutes{70}, t0 + minutes{75});
    }

    static clinical::DoseRequest IvRequest(const DemoPatient& p) {
        clinical::DoseRequest request;
        request.route = Route::kIv;
        request.weight_kg = p.weight_kg;
        request.mg_per_kg = 0.5;
        request.minutes = 40;
        request.concentration_mg_per_ml = 10;
        return request;
    }

    static clinical::DoseRequest ImRequest(const DemoPatient& p) {
        clinical::DoseRequest request;
        request.route = Route::kIm;
        request.weight_kg = p.weight_kg;
        request.mg_per_kg = 0.5;
        request.concentration_mg_per_ml = 50;
        return request;
    }

    // A racemic ketamine series given IM (the IV induction's twice-weekly spacing): sessions 1-3 discharged in the
    // IM chair, session 4 from today booked with the rest (PlanBookedWeek).
    void PlanImCourse() {
        DemoPatient& p = Register(Day(-21, 9), 14, "Parker", sys_days{year{1977} / 3 / 8}, clinical::Sex::kMale, 84);
        History(p, Day(-21, 9, 20), RecurrentMdd({"citalopram", "duloxetine"}, {"duloxetine"}));
        Scores(p, Day(-21, 9, 40), 30, 18);
        Screen(p, Day(-21, 10), clinical::Product::kKetamineIm, true);
        StartCourse(p, Day(-12, 10), Protocol::kIvInduction, Route::kIm, today_ - days{10}, 4);
        const std::array<int, 3> plan_days{0, 3, 7};
        for (std::size_t index = 0; index < plan_days.size(); ++index) {
            ImSession(p, index, Day(-10 + plan_days[index], 10));
        }
        Scores(p, Day(-3, 12), 22, 13);
    }

    // ----- the week: Monday to Friday of the week `now` falls in, its chairs busy most of the open hours ----------

    // The week's treatment patients, 12 starting a course on each of Monday, Tuesday and Wednesday (so each chair
    // holds three on each weekday: Monday's come back on Thursday and Tuesday's on Friday, at the protocols'
    // twice-weekly spacing); three more come for an intake consultation.
    static constexpr int kWeekCourses = 36;
    static constexpr int kFirstWeekMrn = 15;
    static constexpr std::array<std::string_view, kWeekCourses + 3> kWeekNames{
        "Alex",   "Bailey", "Cameron", "Dakota", "Eden",    "Frankie", "Gray",  "Hayden", "Indigo", "Jesse",
        "Kai",    "Lane",   "Marlowe", "Noel",   "Oakley",  "Peyton",  "Reese", "Sawyer", "Tatum",  "Uri",
        "Val",    "Wren",   "Ximena",  "Yael",   "Zion",    "Arden",   "Blair", "Carmen", "Dana",   "Ellis",
        "Fallon", "Gale",   "Hollis",  "Jamie",  "Kendall", "Lennon",  "Micah", "Nico",   "Ollie"};
    // The trials that failed before each came (two adequate trials in this episode: treatment resistant).
    static constexpr std::array<std::array<std::string_view, 2>, 5> kFailedTrials{{{"sertraline", "venlafaxine"},
                                                                                   {"escitalopram", "duloxetine"},
                                                                                   {"fluoxetine", "bupropion"},
                                                                                   {"citalopram", "mirtazapine"},
                                                                                   {"paroxetine", "vortioxetine"}}};

    // The week's bookings were made on the Friday before it, at noon (each course in one step, then the visits
    // around the sessions); everything that happened by `now` happened as booked, but for one missed session, one
    // missed consultation and one cancelled one.
    void PlanWeek() {
        const TimePoint booked_at = TimePoint{week_start_ - days{3}} + hours{12};
        for (int n = 0; n < kWeekCourses; ++n) {
            PlanWeekCourse(n, booked_at);
        }
        for (int n = 0; n < 3; ++n) {
            const int number = kWeekCourses + n;
            DemoPatient& p = Register(TimePoint{week_start_ - days{5 - n}} + hours{11}, kFirstWeekMrn + number,
                                      std::string(kWeekNames.at(static_cast<std::size_t>(number))),
                                      sys_days{year{1970 + 9 * n} / 6 / 15}, clinical::Sex::kFemale, 60 + 5 * n);
            History(p, TimePoint{week_start_ - days{5 - n}} + hours{11} + minutes{20},
                    DemoHistory{{"F33.1"}, {}, {}, {}, ""});
            BookVisit(p, clinical::AppointmentType::kIntake, prescriber_, week_start_ + days{1 + n},
                      booked_at + hours{3} + minutes{n}, false);
        }
    }

    // Week patient `n`: registered, screened and signed weeks before, the course started the week before, booked
    // on the Friday before in one chair, and a visit around the sessions.
    void PlanWeekCourse(int n, TimePoint booked_at) {
        const int start_day = n / 12;                             // 0 Monday, 1 Tuesday, 2 Wednesday
        const auto chair = static_cast<std::size_t>(n % 12 / 3);  // three patients a day in each chair
        const int k = n % 3;
        Route route = Route::kIv;
        if (chair == kEsketamineChair || (chair == 3 && k == 0)) {
            route = Route::kEsketamineNasal;
        } else if ((chair == kImChair || chair == 3) && k == 2) {
            route = Route::kIm;
        }
        const Protocol protocol = route == Route::kEsketamineNasal ? Protocol::kEsketamineTrd : Protocol::kIvInduction;
        const clinical::Product product = route == Route::kEsketamineNasal ? clinical::Product::kEsketamineNasal
                                          : route == Route::kIm            ? clinical::Product::kKetamineIm
                                                                           : clinical::Product::kKetamineIv;
        const TimePoint registered = TimePoint{week_start_ - days{28 - n % 14}} + hours{9 + 2 * k};
        DemoPatient& p =
            Register(registered, kFirstWeekMrn + n, std::string(kWeekNames.at(static_cast<std::size_t>(n))),
                     sys_days{year{1958 + (n * 7) % 45} / (1 + n % 12) / (1 + (n * 5) % 28)},
                     n % 2 == 0 ? clinical::Sex::kFemale : clinical::Sex::kMale, 52 + (n * 11) % 45);
        p.books_its_own_course = true;
        p.misses_first_session = n == 4;
        const auto& trials = kFailedTrials.at(static_cast<std::size_t>(n) % kFailedTrials.size());
        History(p, registered + minutes{20},
                RecurrentMdd({std::string(trials[0]), std::string(trials[1])}, {std::string(trials[1])}));
        Screen(p, registered + hours{1}, product, true);
        StartCourse(p, TimePoint{week_start_ - days{7 - n % 5}} + hours{11}, protocol, route,
                    week_start_ + days{start_day}, 2);
        At(booked_at + minutes{n}, "the course of " + p.mrn + " booked", [this, &p, chair]() -> Status {
            ASSIGN_OR_RETURN(const SeriesBooking series,
                             use_cases_.scheduling.BookCourseSessions(front_desk_, *p.course, rooms_.at(chair),
                                                                      std::nullopt, settings_));
            summary_.appointments += static_cast<int>(series.appointments.size());
            for (const Appointment& appointment : series.appointments) {
                RunTreatment(p, appointment);
            }
            return Status::Ok();
        });
        // Around the sessions, spread over the week as a therapist's and a prescriber's days are: two in three of
        // Wednesday's patients prepare with the therapist on Monday or Tuesday and the third sees the prescriber
        // first; the others have an integration session one or two days after their first session (even n) or a
        // prescriber's review the day after it (odd n).
        const TimePoint visit_booked_at = booked_at + hours{2} + minutes{n};
        if (start_day == 2 && k < 2) {
            BookVisit(p, clinical::AppointmentType::kTherapyPreparation, therapist_, week_start_ + days{k},
                      visit_booked_at, n == 28);
        } else if (start_day == 2) {
            BookVisit(p, clinical::AppointmentType::kPrescriberReview, prescriber_, week_start_ + days{1},
                      visit_booked_at, false);
        } else if (n % 2 == 0) {
            BookVisit(p, clinical::AppointmentType::kTherapyIntegration, therapist_,
                      week_start_ + days{start_day + 1 + n % 4 / 2}, visit_booked_at, false);
        } else {
            BookVisit(p, clinical::AppointmentType::kPrescriberReview, prescriber_, week_start_ + days{start_day + 1},
                      visit_booked_at, false);
        }
        if (n == 20) {
            p.cancels_visit = true;
        }
    }

    // The request for a visit of `type` with `clinician` in their first free slot within two weeks from `from`.
    Result<AppointmentRequest> FirstFreeVisit(const DemoPatient& p, clinical::AppointmentType type,
                                              const Actor& clinician, sys_days from) {
        SlotSearch search;
        search.type = type;
        search.patient = p.id;
        search.from = from;
        search.to = from + days{14};
        search.staff = clinician.user;
        search.count = 1;
        ASSIGN_OR_RETURN(const std::vector<clinical::Slot> slots,
                         use_cases_.scheduling.FindSlots(front_desk_, search, settings_));
        if (slots.empty()) {
            return Error{ErrorCode::kFailedPrecondition, "slot", "no free slot within two weeks"};
        }
        AppointmentRequest request;
        request.type = type;
        request.patient = p.id;
        request.start = slots.front().start;
        request.staff = clinician.user;
        return request;
    }

    // A consultation booked at `booked_at` in `clinician`'s first free slot from `from`; by `now` the patient came
    // and it was completed (or, with `no_show`, did not come), or (for the patient who asked) it was cancelled the
    // day after booking.
    void BookVisit(DemoPatient& p, clinical::AppointmentType type, const Actor& clinician, sys_days from,
                   TimePoint booked_at, bool no_show) {
        At(booked_at, std::string(clinical::AppointmentTypeName(type)) + " of " + p.mrn,
           [this, &p, type, &clinician, from, booked_at, no_show]() -> Status {
               ASSIGN_OR_RETURN(const AppointmentRequest request, FirstFreeVisit(p, type, clinician, from));
               ASSIGN_OR_RETURN(const Appointment booked, BookAtAnyHour(request));
               auto appointment = std::make_shared<Appointment>(booked);
               const std::string what = " of " + p.mrn + "'s " + std::string(clinical::AppointmentTypeName(type));
               if (p.cancels_visit) {
                   At(booked_at + days{1}, "cancellation" + what, [this, appointment] {
                       return StatusOf(use_cases_.scheduling.Cancel(front_desk_, appointment->id, appointment->version,
                                                                    "The patient asked to come the week after.",
                                                                    settings_));
                   });
               } else if (no_show) {
                   AtIfPast(booked.start + minutes{20}, "no-show" + what, [this, appointment] {
                       return StatusOf(use_cases_.scheduling.MarkNoShow(front_desk_, appointment->id,
                                                                        appointment->version, settings_));
                   });
               } else {
                   AtIfPast(booked.start, "arrival" + what, [this, appointment]() -> Status {
                       ASSIGN_OR_RETURN(*appointment,
                                        use_cases_.scheduling.CheckIn(nurse_, appointment->id, appointment->version));
                       return Status::Ok();
                   });
                   AtIfPast(booked.end - minutes{5}, "end" + what, [this, appointment] {
                       return StatusOf(use_cases_.scheduling.Complete(nurse_, appointment->id, appointment->version));
                   });
               }
               return Status::Ok();
           });
    }

    // What happened by `now` at a treatment appointment of the week: the patient arrived, was dosed, monitored and
    // discharged in the booked chair by the booked nurse, the prescriber signing the dose order (or, for the patient
    // who misses session 1, did not come: a missed induction session, flagged on the course).
    void RunTreatment(DemoPatient& p, const Appointment& booked) {
        const auto found = std::find(p.sessions.begin(), p.sessions.end(), *booked.session);
        assert(found != p.sessions.end() && "a booked session not of the patient's course");
        const auto index = static_cast<std::size_t>(found - p.sessions.begin());
        const SessionId session = *found;
        const TimePoint t0 = booked.start;
        const Actor nurse{booked.staff, "demo"};
        const std::string what = " of " + p.mrn + " session " + std::to_string(index + 1);
        auto appointment = std::make_shared<Appointment>(booked);
        if (p.misses_first_session && index == 0) {
            AtIfPast(t0 + minutes{20}, "no-show" + what, [this, appointment] {
                return StatusOf(
                    use_cases_.scheduling.MarkNoShow(front_desk_, appointment->id, appointment->version, settings_));
            });
            return;
        }
        AtIfPast(t0, "arrival" + what, [this, nurse, appointment]() -> Status {
            ASSIGN_OR_RETURN(*appointment, use_cases_.scheduling.CheckIn(nurse, appointment->id, appointment->version));
            return Status::Ok();
        });
        AtIfPast(t0 + minutes{1}, "check-in" + what,
                 [this, nurse, session] { return StatusOf(use_cases_.sessions.CheckIn(nurse, session, true, true)); });
        const auto blood_pressure = [this, &p, nurse](TimePoint at, int systolic, int diastolic) {
            AtIfPast(at, "blood pressure of " + p.mrn, [this, &p, nurse, at, systolic, diastolic] {
                NewVitalSign vital;
                vital.patient = p.id;
                vital.observed_at = at;
                vital.loinc = std::string(clinical::kBloodPressurePanelLoinc);
                vital.value = systolic;
                vital.diastolic = diastolic;
                vital.unit = "mm[Hg]";
                Result<RecordedVitalSign> recorded = use_cases_.patients.RecordVitalSign(nurse, vital, settings_);
                if (recorded.ok()) {
                    ++summary_.vital_signs;
                    summary_.alerts += static_cast<int>(recorded->alerts.size());
                }
                return StatusOf(recorded);
            });
        };
        blood_pressure(t0 + minutes{4}, 120 + static_cast<int>(index % 3) * 4, 76 + static_cast<int>(index % 4));
        AtIfPast(t0 + minutes{6}, "pre-dose check" + what, [this, nurse, session] {
            return StatusOf(use_cases_.sessions.ConfirmPreDose(nurse, session, settings_));
        });
        clinical::DoseRequest request = IvRequest(p);
        const clinical::AppointmentType type = booked.type;
        if (type == clinical::AppointmentType::kImSession) {
            request = ImRequest(p);
        } else if (type == clinical::AppointmentType::kEsketamineSession) {
            request = EsketamineRequest(p, index == 0 ? 56 : 84);
        }
        const auto order = std::make_shared<clinical::DoseOrder>();
        AtIfPast(t0 + minutes{8}, "dose order" + what, [this, session, request, order]() -> Status {
            ASSIGN_OR_RETURN(const DoseOrderRecord signed_order,
                             use_cases_.doses.SignDoseOrder(prescriber_, session, request, settings_));
            *order = signed_order.order;
            return Status::Ok();
        });
        AtIfPast(t0 + minutes{10}, "dosing" + what,
                 [this, nurse, session] { return StatusOf(use_cases_.sessions.StartDosing(nurse, session)); });
        const std::string lot = "DEMO-LOT-W" + p.mrn.substr(5);
        TimePoint dosed_at = t0 + minutes{12};
        TimePoint ready_at = t0 + minutes{60};
        if (type == clinical::AppointmentType::kIvSession) {
            const auto infusion = std::make_shared<AdministrationId>();
            AtIfPast(t0 + minutes{11}, "infusion" + what, [this, nurse, session, t0, order, lot, infusion]() -> Status {
                const NewAdministration running{"ketamine",   Route::kIv, order->total_mg,  order->rate_mg_per_h,
                                                std::nullopt, lot,        t0 + minutes{11}, std::nullopt};
                ASSIGN_OR_RETURN(const Administration given,
                                 use_cases_.doses.RecordAdministration(nurse, session, running, settings_));
                *infusion = given.id;
                return Status::Ok();
            });
            DrawKetamine(nurse, t0 + minutes{11}, infusion, order);
            AtIfPast(t0 + minutes{51}, "end of the infusion" + what, [this, nurse, t0, order, infusion] {
                return StatusOf(use_cases_.doses.StopInfusion(
                    nurse, *infusion, NewInfusionStop{t0 + minutes{51}, order->total_mg, std::nullopt}, settings_));
            });
            dosed_at = t0 + minutes{52};
            ready_at = t0 + minutes{100};
        } else if (type == clinical::AppointmentType::kImSession) {
            const auto injection_id = std::make_shared<AdministrationId>();
            AtIfPast(
                t0 + minutes{11}, "injection" + what, [this, nurse, session, t0, order, lot, injection_id]() -> Status {
                    const NewAdministration injection{"ketamine",   Route::kIm, order->total_mg,  std::nullopt,
                                                      std::nullopt, lot,        t0 + minutes{11}, t0 + minutes{12}};
                    ASSIGN_OR_RETURN(const Administration given,
                                     use_cases_.doses.RecordAdministration(nurse, session, injection, settings_));
                    *injection_id = given.id;
                    return Status::Ok();
                });
            DrawKetamine(nurse, t0 + minutes{11}, injection_id, order);
            dosed_at = t0 + minutes{13};
            ready_at = t0 + minutes{60};
        } else {
            const int devices = static_cast<int>(*request.dose_mg) / clinical::kEsketamineDeviceMg;
            for (int device = 0; device < devices; ++device) {
                const TimePoint at = t0 + minutes{11 + 5 * device};
                const auto device_id = std::make_shared<AdministrationId>();
                AtIfPast(at, "esketamine device" + what, [this, nurse, session, at, lot, device_id]() -> Status {
                    const NewAdministration given{"esketamine",
                                                  Route::kEsketamineNasal,
                                                  static_cast<double>(clinical::kEsketamineDeviceMg),
                                                  std::nullopt,
                                                  1,
                                                  lot,
                                                  at,
                                                  at};
                    ASSIGN_OR_RETURN(const Administration recorded,
                                     use_cases_.doses.RecordAdministration(nurse, session, given, settings_));
                    *device_id = recorded.id;
                    return Status::Ok();
                });
                DrawEsketamineDevice(nurse, at, device_id, devices);
            }
            dosed_at = t0 + minutes{11 + 5 * devices - 4};
            ready_at = t0 + minutes{11 + 120};  // the REMS 2 hours from the first device
        }
        AtIfPast(dosed_at, "monitoring" + what,
                 [this, nurse, session] { return StatusOf(use_cases_.sessions.StartMonitoring(nurse, session)); });
        blood_pressure(dosed_at + minutes{25}, 132 - static_cast<int>(index % 3) * 3, 82);
        AtIfPast(ready_at, "ready for discharge" + what,
                 [this, nurse, session] { return StatusOf(use_cases_.sessions.ReadyForDischarge(nurse, session)); });
        const TimePoint discharged_at = ready_at + minutes{4};
        const bool esketamine = type == clinical::AppointmentType::kEsketamineSession;
        AtIfPast(discharged_at, "discharge" + what, [this, nurse, session, esketamine]() -> Status {
            RETURN_IF_ERROR(StatusOf(use_cases_.sessions.Discharge(nurse, session, true)));
            ++summary_.sessions_discharged;
            rems_forms_owed_ += esketamine ? 1 : 0;
            return Status::Ok();
        });
        AtIfPast(discharged_at + minutes{1}, "appointment completed" + what, [this, nurse, appointment] {
            return StatusOf(use_cases_.scheduling.Complete(nurse, appointment->id, appointment->version));
        });
        if (esketamine) {
            // The REMS form the same afternoon (Spravato REMS: within 7 days of the session).
            AtIfPast(discharged_at + minutes{15}, "REMS form" + what, [this, nurse, session] {
                Result<RemsFormView> sent =
                    use_cases_.rems.Submit(nurse, session, 90, "DEMO-REMS-" + std::to_string(session.value), settings_);
                if (sent.ok()) {
                    ++summary_.rems_forms_submitted;
                }
                return StatusOf(sent);
            });
        }
    }

    // The week ahead, booked shortly before `now`: every active course's remaining sessions, each in the first slot
    // that fits its protocol's spacing (a free chair equipped for the route, the nurse within the ratio), then for
    // each patient the visit their step of the pathway calls for, in the first free slot of its clinician from the
    // day given.
    void PlanBookedWeek() {
        for (const std::unique_ptr<DemoPatient>& patient : demo_patients_) {
            DemoPatient& p = *patient;
            At(now_ - minutes{20}, "remaining sessions of " + p.mrn, [this, &p]() -> Status {
                if (!p.course || p.books_its_own_course) {
                    return Status::Ok();
                }
                ASSIGN_OR_RETURN(const CourseRecord course, use_cases_.courses.GetCourse(front_desk_, *p.course));
                if (course.course.status != CourseStatus::kActive) {
                    return Status::Ok();
                }
                ASSIGN_OR_RETURN(const SeriesBooking series,
                                 use_cases_.scheduling.BookCourseSessions(front_desk_, *p.course, std::nullopt,
                                                                          std::nullopt, settings_));
                summary_.appointments += static_cast<int>(series.appointments.size());
                return Status::Ok();
            });
        }
        struct Visit {
            std::size_t patient;  // index in demo_patients_, in registration order
            clinical::AppointmentType type;
            const Actor* clinician;
            int from_day;  // days from today
        };
        using Type = clinical::AppointmentType;
        const std::array<Visit, 14> visits{{
            {0, Type::kIntake, &prescriber_, 1},             // Avery: the intake consultation
            {1, Type::kPrescriberReview, &prescriber_, 1},   // Blake: the screening awaiting sign-off
            {2, Type::kTherapyPreparation, &therapist_, 1},  // Casey: preparation before a first course
            {2, Type::kPrescriberReview, &prescriber_, 2},   //        and the decision to start it
            {3, Type::kTherapyPreparation, &therapist_, 0},  // Jordan: preparation before session 1
            {4, Type::kTherapyIntegration, &therapist_, 2},  // Emerson: integration after infusion 4
            {5, Type::kFollowUp, &prescriber_, 3},           // Devon: maintenance follow-up
            {6, Type::kPrescriberReview, &prescriber_, 4},   // Rowan: the relapse, "review in one week"
            {7, Type::kTherapyIntegration, &therapist_, 1},  // Finley: integration after today's session
            {8, Type::kFollowUp, &prescriber_, 2},           // Harper: the benzodiazepine to review
            {9, Type::kPrescriberReview, &prescriber_, 1},   // Quinn: the stimulant, screening unsigned
            {10, Type::kPrescriberReview, &prescriber_, 3},  // Morgan: the blood pressure caution
            {11, Type::kPrescriberReview, &prescriber_, 2},  // Riley: PTSD, off-label
            {12, Type::kPrescriberReview, &prescriber_, 4},  // Sage: the history in brand names
        }};
        for (const Visit& visit : visits) {
            DemoPatient& p = *demo_patients_.at(visit.patient);
            At(now_ - minutes{15}, std::string(clinical::AppointmentTypeName(visit.type)) + " of " + p.mrn,
               [this, &p, visit]() -> Status {
                   ASSIGN_OR_RETURN(const AppointmentRequest request,
                                    FirstFreeVisit(p, visit.type, *visit.clinician, today_ + days{visit.from_day}));
                   return StatusOf(BookAtAnyHour(request));
               });
        }
    }

    // ----- the controlled-substance safe (issue 14 §2) ---------------------------------------------------------

    // One container of the safe as the demo follows it: what is on hand by the book after the last step (each step
    // answers the container's balance, which the demo copies), so the next draw picks a container that holds it.
    struct SafeContainer {
        CsContainerId id;
        std::int64_t on_hand = 0;  // in the product's counting unit
    };

    static constexpr std::string_view kSafe = "safe";
    static constexpr std::string_view kKetamineVial = "ketamine_50mg_ml_10ml";  // what the demo draws ketamine from
    static constexpr std::int64_t kMicrolitresPerMg = 20;                       // at 50 mg/mL
    // A nurse draws up to the next half millilitre mark above the dose: the rest is the remainder.
    static constexpr std::int64_t kDrawStepMicrolitres = 500;
    static constexpr std::string_view kSupplier = "Demo Pharma Wholesale (synthetic)";
    static constexpr std::int64_t kSpilledMicrolitres = 200;  // what yesterday's count finds missing: 0.2 mL

    // The draws cover the administrations of the last seven days: the log began with the deliveries of two weeks ago.
    [[nodiscard]] TimePoint DrawsFrom() const { return Day(-7, 0); }

    // The other demo nurse: the witness of a nurse's waste and the second counter of a count.
    static Witness WitnessFor(const Actor& nurse) {
        const std::string other =
            nurse.user == DemoEmail(kSecondNurse.local_part) ? DemoEmail("nurse") : DemoEmail(kSecondNurse.local_part);
        return Witness{other, Role::kNurse};
    }

    static CsAmount AmountOf(const clinical::CsProduct& product, std::int64_t units) {
        CsAmount amount;
        if (product.unit == clinical::CountingUnit::kDevice) {
            amount.devices = units;
        } else {
            amount.ml = static_cast<double>(units) / 1000.0;
        }
        return amount;
    }

    void Keep(const CsContainerStatus& status) {
        for (SafeContainer& kept : safe_[status.container.product]) {
            if (kept.id == status.container.id) {
                kept.on_hand = status.balance.on_hand;
            }
        }
    }

    // The first container of `product` holding `units` on hand, or an error naming what ran out (the demo's
    // deliveries are sized for its week: clinic settings that book more sessions can exhaust them).
    Result<CsContainerId> ContainerHolding(std::string_view product, std::int64_t units) {
        for (const SafeContainer& container : safe_[std::string(product)]) {
            if (container.on_hand >= units) {
                return container.id;
            }
        }
        return Error{ErrorCode::kFailedPrecondition, "safe",
                     "no " + std::string(product) + " container of the demo's safe holds " + std::to_string(units)};
    }

    void Receive(TimePoint at, std::string_view product, std::string_view lot, sys_days expires_on,
                 std::string_view invoice, int containers) {
        At(at, "receipt of " + std::string(lot), [this, product, lot, expires_on, invoice, containers]() -> Status {
            const CsReceipt receipt{std::string(product), std::string(lot),   expires_on, std::string(kSupplier),
                                    std::string(invoice), std::string(kSafe), containers};
            ASSIGN_OR_RETURN(const std::vector<CsContainerStatus> received,
                             use_cases_.inventory.Receive(nurse_, receipt));
            for (const CsContainerStatus& status : received) {
                safe_[status.container.product].push_back(SafeContainer{status.container.id, status.balance.on_hand});
                ++summary_.safe_containers;
            }
            return Status::Ok();
        });
    }

    // The remainder of draw `draw` (`units` in hand): every other one goes back into the vial, the rest is wasted
    // before the other nurse.
    Status SettleRemainder(const Actor& nurse, CsContainerId container, const clinical::CsProduct& product,
                           CsEntryId draw, std::int64_t units) {
        const CsAmount amount = AmountOf(product, units);
        if (summary_.safe_draws % 2 == 0) {
            ASSIGN_OR_RETURN(const CsContainerStatus returned, use_cases_.inventory.ReturnToStock(nurse, draw, amount));
            Keep(returned);
            ++summary_.safe_returns;
            return Status::Ok();
        }
        ASSIGN_OR_RETURN(
            const CsContainerStatus wasted,
            use_cases_.inventory.Waste(nurse, container, draw, amount, "remainder after the dose", WitnessFor(nurse)));
        Keep(wasted);
        ++summary_.safe_wastes;
        return Status::Ok();
    }

    // The draw for a ketamine administration of the last week (recorded by the step planned just before, at the same
    // time): up to the next half-millilitre mark above the order's dose from a 50 mg/mL vial, the dose given, the
    // remainder settled five minutes later.
    void DrawKetamine(const Actor& nurse, TimePoint at, const std::shared_ptr<AdministrationId>& administration,
                      const std::shared_ptr<clinical::DoseOrder>& order) {
        if (at < DrawsFrom()) {
            return;
        }
        auto drawn = std::make_shared<std::pair<CsContainerId, CsEntryId>>();
        auto remainder = std::make_shared<std::int64_t>(0);
        AtIfPast(at, "ketamine draw", [this, nurse, administration, order, drawn, remainder]() -> Status {
            ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(kKetamineVial));
            // The order's dose to 0.1 mg comes to whole microlitres at 50 mg/mL (0.1 mg = 2 uL).
            const auto given = static_cast<std::int64_t>(std::llround(order->total_mg * kMicrolitresPerMg));
            const std::int64_t units = (given / kDrawStepMicrolitres + 1) * kDrawStepMicrolitres;
            ASSIGN_OR_RETURN(const CsContainerId container, ContainerHolding(kKetamineVial, units));
            ASSIGN_OR_RETURN(
                const CsContainerStatus status,
                use_cases_.inventory.Draw(nurse, container,
                                          CsDraw{*administration, AmountOf(product, units), AmountOf(product, given)}));
            Keep(status);
            ++summary_.safe_draws;
            *drawn = {container, CsEntryId{status.balance.open_draws.back()}};
            *remainder = units - given;
            return Status::Ok();
        });
        AtIfPast(at + minutes{5}, "ketamine remainder", [this, nurse, drawn, remainder]() -> Status {
            ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(kKetamineVial));
            return SettleRemainder(nurse, drawn->first, product, drawn->second, *remainder);
        });
    }

    // The draw for one esketamine device of the last week: one device from a kit of the session's size (2 devices
    // for 56 mg, 3 for 84 mg), given whole (a device is not split: nothing to waste).
    void DrawEsketamineDevice(const Actor& nurse, TimePoint at, const std::shared_ptr<AdministrationId>& administration,
                              int devices_in_session) {
        if (at < DrawsFrom()) {
            return;
        }
        const std::string_view kit = devices_in_session == 3 ? "esketamine_84mg_kit" : "esketamine_56mg_kit";
        AtIfPast(at, "esketamine draw", [this, nurse, administration, kit]() -> Status {
            ASSIGN_OR_RETURN(const clinical::CsProduct product, clinical::FindCsProduct(kit));
            ASSIGN_OR_RETURN(const CsContainerId container, ContainerHolding(kit, 1));
            ASSIGN_OR_RETURN(
                const CsContainerStatus status,
                use_cases_.inventory.Draw(nurse, container,
                                          CsDraw{*administration, AmountOf(product, 1), AmountOf(product, 1)}));
            Keep(status);
            ++summary_.safe_draws;
            return Status::Ok();
        });
    }

    // The safe: two deliveries (one small lot of 100 mg/mL expiring three days before today, so it is expired now),
    // the week's draws (planned with the administrations), and yesterday evening's count by both nurses, which finds
    // the ketamine vial in use 0.2 mL short; the prescriber, as medical director, explains and signs it.
    void PlanSafe() {
        Receive(Day(-14, 8), kKetamineVial, "DEMO-K50-2611", today_ + days{420}, "DEMO-INV-1001", 8);
        Receive(Day(-14, 8, 2), "ketamine_10mg_ml_20ml", "DEMO-K10-2609", today_ + days{300}, "DEMO-INV-1001", 2);
        Receive(Day(-14, 8, 4), "ketamine_100mg_ml_5ml", "DEMO-K100-2512", today_ - days{3}, "DEMO-INV-1001", 1);
        Receive(Day(-14, 8, 6), "esketamine_56mg_kit", "DEMO-E56-2610", today_ + days{500}, "DEMO-INV-1002", 12);
        Receive(Day(-14, 8, 8), "esketamine_84mg_kit", "DEMO-E84-2610", today_ + days{500}, "DEMO-INV-1002", 10);
        Receive(Day(-4, 7, 30), kKetamineVial, "DEMO-K50-2702", today_ + days{450}, "DEMO-INV-1107", 6);
        Receive(Day(-4, 7, 32), "esketamine_56mg_kit", "DEMO-E56-2612", today_ + days{520}, "DEMO-INV-1107", 8);
        Receive(Day(-4, 7, 34), "esketamine_84mg_kit", "DEMO-E84-2612", today_ + days{520}, "DEMO-INV-1107", 8);
        auto count = std::make_shared<CsEntryId>();
        At(Day(-1, 19), "count of the safe", [this, count]() -> Status {
            ASSIGN_OR_RETURN(const std::vector<CsContainerStatus> in_safe,
                             use_cases_.inventory.ListContainers(nurse_, std::string(kSafe), false));
            // The vial found short: the first one in use, else the first one.
            std::optional<CsContainerId> short_one;
            for (const bool in_use : {true, false}) {
                for (const CsContainerStatus& status : in_safe) {
                    const bool opened = status.balance.on_hand < status.balance.received;
                    if (!short_one && status.container.product == kKetamineVial && (opened || !in_use) &&
                        status.balance.on_hand >= kSpilledMicrolitres) {
                        short_one = status.container.id;
                    }
                }
            }
            std::vector<CsFound> found;
            for (const CsContainerStatus& status : in_safe) {
                const std::int64_t missing = status.container.id == short_one ? kSpilledMicrolitres : 0;
                found.push_back(
                    CsFound{status.container.id, AmountOf(status.product, status.balance.on_hand - missing)});
            }
            ASSIGN_OR_RETURN(
                const std::vector<CsContainerStatus> counted,
                use_cases_.inventory.Count(nurse_, std::string(kSafe), found, "end-of-day count", WitnessFor(nurse_)));
            ++summary_.safe_counts;
            for (const CsContainerStatus& status : counted) {
                Keep(status);
                if (!status.balance.open_discrepancies.empty()) {
                    *count = CsEntryId{status.balance.open_discrepancies.back()};
                    ++summary_.safe_discrepancies;
                }
            }
            return Status::Ok();
        });
        At(Day(-1, 19, 40), "explanation of the count's discrepancy", [this, count] {
            return StatusOf(use_cases_.inventory.Resolve(
                prescriber_, *count,
                "0.2 mL spilled when a syringe was capped at an afternoon infusion; the nurse recorded the dose but "
                "not the spill. Recorded as a loss; staff reminded that a spill is wasted before a witness at once "
                "(clinic policy)."));
        });
    }

    // ----- state ------------------------------------------------------------------------------------------------

    DemoClock clock_;
    ClinicUseCases use_cases_;
    clinical::ClinicSettings settings_;  // in force; PlanRemsCertification configures the REMS setting
    const TimePoint now_;
    const sys_days today_;
    const sys_days week_start_;  // the Monday of the week `now` falls in

    // Who does what: the demo staff as a clinic's would, from the demo's own origin in the audit log.
    const Actor system_{"system:demo", "demo"};
    const Actor admin_{DemoEmail("admin"), "demo"};
    const Actor front_desk_{DemoEmail("frontdesk"), "demo"};
    const Actor nurse_{DemoEmail("nurse"), "demo"};
    const Actor prescriber_{DemoEmail("prescriber"), "demo"};
    const Actor clinician_ = prescriber_;
    const Actor therapist_{DemoEmail("therapist"), "demo"};

    std::set<std::string> existing_emails_;
    std::vector<std::unique_ptr<DemoPatient>> demo_patients_;
    std::multimap<TimePoint, Step> steps_;                    // by time; steps at one time in the order planned
    std::optional<TimePoint> running_at_;                     // the time of the step running, once Run has begun
    std::vector<RoomId> rooms_;                               // the chairs, in the order PlanRooms adds them
    std::map<std::string, std::vector<SafeContainer>> safe_;  // by product code, in the order received
    int rems_forms_owed_ = 0;
    DemoClinicSummary summary_;
};

}  // namespace

Result<DemoClinicSummary> DemoClinic::Seed(TimePoint now) {
    DemoClock settings_clock;
    settings_clock.Set(now);
    ASSIGN_OR_RETURN(clinical::ClinicSettings settings,
                     ClinicSettingsRecords(store_, settings_clock, zones_).LoadClinicSettings());
    Seeder seeder(store_, credentials_, zones_, now, std::move(settings));
    ASSIGN_OR_RETURN(bool holds_patients, seeder.HoldsPatients());
    if (holds_patients) {
        return DemoClinicSummary{};
    }
    RETURN_IF_ERROR(seeder.FindExistingUsers());
    seeder.Plan();
    RETURN_IF_ERROR(seeder.Run());
    return seeder.TakeSummary();
}

}  // namespace kclinic::app
