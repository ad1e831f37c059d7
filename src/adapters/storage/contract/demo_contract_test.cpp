// The demo clinic of `kclinic serve --demo` (app/demo_clinic.hpp), seeded through the use cases into a real SQLite
// file and a real PostgreSQL database: every step of the pathway is there, the monitoring session is in monitoring
// now, the REMS forms are submitted but one, a second seeding adds nothing, and users already there are kept.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/access_rules.hpp"
#include "app/demo_clinic.hpp"
#include "base/text.hpp"
#include "clinical/controlled_substances.hpp"
#include "clinical/scheduling.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;
using clinical::SessionState;

// One demo patient's record as stored, read without audit entries.
struct StoredPatient {
    app::Patient patient;
    std::vector<app::HistoryEntry> history;
    std::vector<app::ScreeningRecord> screenings;
    std::vector<app::TreatmentCourse> courses;
    std::vector<app::TreatmentSession> sessions;
    std::vector<app::Assessment> assessments;
    std::vector<app::AdverseEvent> adverse_events;
    std::vector<app::Note> notes;
    std::vector<app::Alert> alerts;
    std::vector<std::optional<app::RemsFormRecord>> rems_forms;  // one per session
};

// The value of a read; a failed read is a test failure (and an empty value).
template <typename T>
T Must(Result<T> result) {
    EXPECT_TRUE(result.ok()) << result.error().ToString();
    return result.ok() ? std::move(result).value() : T{};
}

class DemoContractTest : public UseCaseTest {
protected:
    app::DemoClinicSummary Seed() {
        Result<app::DemoClinicSummary> seeded = app::DemoClinic(store(), credentials_, zones_).Seed(kNow);
        EXPECT_TRUE(seeded.ok()) << seeded.error().ToString();
        return seeded.ok() ? *seeded : app::DemoClinicSummary{};
    }

    // Every patient's record by MRN.
    std::map<std::string, StoredPatient> Patients() {
        std::map<std::string, StoredPatient> patients;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            std::vector<app::Patient> all;
            all = Must(tx.ListPatients(PatientId{0}, app::kMaxPageSize));
            for (const app::Patient& patient : all) {
                StoredPatient& stored = patients[patient.mrn];
                stored.patient = patient;
                stored.history = Must(tx.ListHistoryEntries(patient.id));
                stored.screenings = Must(tx.ListScreenings(patient.id));
                stored.courses = Must(tx.ListCourses(patient.id));
                for (const app::TreatmentCourse& course : stored.courses) {
                    std::vector<app::TreatmentSession> sessions;
                    sessions = Must(tx.ListSessions(course.id));
                    stored.sessions.insert(stored.sessions.end(), sessions.begin(), sessions.end());
                }
                for (const app::TreatmentSession& session : stored.sessions) {
                    std::optional<app::RemsFormRecord> form;
                    form = Must(tx.FindRemsForm(session.id));
                    stored.rems_forms.push_back(form);
                }
                stored.assessments = Must(tx.ListAssessments(patient.id));
                stored.adverse_events = Must(tx.ListAdverseEvents(patient.id));
                stored.notes = Must(tx.ListNotes(patient.id, std::nullopt));
                app::AlertFilter filter;
                filter.patient = patient.id;
                filter.limit = app::kMaxPageSize;
                stored.alerts = Must(tx.ListAlerts(filter));
            }
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return patients;
    }

    std::vector<app::User> Users() {
        std::vector<app::User> users;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            users = Must(tx.ListUsers(app::UserId{0}, app::kMaxPageSize));
            return Status::Ok();
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return users;
    }

    // The whole audit log, oldest first, read page by page without audit entries of its own (ReadAudit stops at one
    // page, and the demo writes many).
    std::vector<app::AuditEntry> WholeAudit() {
        std::vector<app::AuditEntry> audit;
        Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            app::AuditFilter filter;
            filter.limit = app::kMaxPageSize;
            for (;;) {
                const std::vector<app::AuditEntry> page = Must(tx.ListAudit(filter));
                audit.insert(audit.end(), page.begin(), page.end());
                if (page.size() < static_cast<std::size_t>(filter.limit)) {
                    return Status::Ok();
                }
                filter.after_id = page.back().id.value;
            }
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return audit;
    }

    static std::size_t CountIn(const std::vector<app::TreatmentSession>& sessions, SessionState state) {
        return static_cast<std::size_t>(std::count_if(sessions.begin(), sessions.end(),
                                                      [state](const auto& session) { return session.state == state; }));
    }

    static std::vector<int> Totals(const StoredPatient& patient, clinical::Instrument instrument) {
        std::vector<int> totals;
        for (const app::Assessment& assessment : patient.assessments) {
            if (assessment.instrument == instrument) {
                totals.push_back(assessment.total);
            }
        }
        return totals;
    }

    const app::TimePoint kNow = At(0) + std::chrono::hours{5};  // 2026-09-21T19:13:20Z
};

TEST_P(DemoContractTest, SeedsEveryStepOfThePathway) {
    const app::DemoClinicSummary summary = Seed();
    ASSERT_TRUE(summary.seeded);
    EXPECT_EQ(summary.patients, 53);
    EXPECT_EQ(summary.rems_forms_due, 1);
    // The pathway's 16, and the four esketamine sessions of the week's Monday, each submitted that afternoon.
    EXPECT_EQ(summary.rems_forms_submitted, 20);
    EXPECT_GE(summary.alerts, 1);

    std::map<std::string, StoredPatient> patients = Patients();
    ASSERT_EQ(patients.size(), 53U);
    for (const auto& [mrn, stored] : patients) {
        EXPECT_EQ(mrn.rfind("DEMO-", 0), 0U);
        EXPECT_EQ(stored.patient.family_name, "Demo");
        EXPECT_EQ(stored.patient.clinician, "prescriber@demo.kclinic.example");
        EXPECT_FALSE(stored.history.empty()) << mrn;
    }

    // Intake only; then a screening awaiting sign-off; then signed with no course.
    EXPECT_TRUE(patients["DEMO-0001"].screenings.empty());
    ASSERT_EQ(patients["DEMO-0002"].screenings.size(), 1U);
    EXPECT_FALSE(patients["DEMO-0002"].screenings[0].signature);
    ASSERT_EQ(patients["DEMO-0003"].screenings.size(), 1U);
    EXPECT_TRUE(patients["DEMO-0003"].screenings[0].signature);
    EXPECT_TRUE(patients["DEMO-0003"].courses.empty());

    // A course starting tomorrow: every session still scheduled.
    const StoredPatient& starting = patients["DEMO-0004"];
    ASSERT_EQ(starting.courses.size(), 1U);
    EXPECT_EQ(CountIn(starting.sessions, SessionState::kScheduled), starting.sessions.size());
    EXPECT_EQ(starting.sessions[0].planned_date, std::chrono::floor<std::chrono::days>(kNow) + std::chrono::days{1});

    // Mid-induction: three infusions discharged, scores falling, nausea and a transient hypertension whose alert the
    // prescriber acknowledged, notes signed and a draft.
    const StoredPatient& induction = patients["DEMO-0005"];
    EXPECT_EQ(CountIn(induction.sessions, SessionState::kDischarged), 3U);
    const std::vector<int> madrs = Totals(induction, clinical::Instrument::kMadrs);
    ASSERT_EQ(madrs.size(), 4U);
    EXPECT_TRUE(std::is_sorted(madrs.rbegin(), madrs.rend())) << "MADRS should fall";
    ASSERT_EQ(induction.adverse_events.size(), 2U);
    EXPECT_EQ(induction.adverse_events[0].term, "nausea");
    EXPECT_EQ(induction.adverse_events[1].term, "bp_above_limit");
    EXPECT_TRUE(std::any_of(induction.alerts.begin(), induction.alerts.end(), [](const app::Alert& alert) {
        return alert.rule == "systolic_high" && alert.acknowledged_at.has_value();
    }));
    EXPECT_TRUE(std::any_of(induction.notes.begin(), induction.notes.end(),
                            [](const app::Note& note) { return note.signed_at.has_value(); }));
    EXPECT_TRUE(std::any_of(induction.notes.begin(), induction.notes.end(),
                            [](const app::Note& note) { return !note.signed_at.has_value(); }));

    // Issue 14 §1: the medical director's standing orders in two versions, and two PRN doses of the induction given
    // under them (ondansetron for the nausea, labetalol for the sustained BP rise), each with its response.
    const Result<std::vector<app::StandingOrderSet>> standing_orders = clinic().standing_orders.ListSets();
    ASSERT_TRUE(standing_orders.ok()) << standing_orders.error().ToString();
    ASSERT_EQ(standing_orders->size(), 2U);
    EXPECT_EQ(standing_orders->back().entries.size(), 2U);
    std::vector<app::PrnDose> prn_doses;
    ASSERT_TRUE(store()
                    .Read([&](app::StoreTransaction& tx) -> Status {
                        for (const app::TreatmentSession& session : induction.sessions) {
                            ASSIGN_OR_RETURN(std::vector<app::PrnDose> doses, tx.ListPrnDoses(session.id));
                            prn_doses.insert(prn_doses.end(), doses.begin(), doses.end());
                        }
                        return Status::Ok();
                    })
                    .ok());
    ASSERT_EQ(prn_doses.size(), 2U);
    EXPECT_EQ(prn_doses[0].medication.drug, "ondansetron");
    EXPECT_EQ(prn_doses[1].medication.drug, "labetalol");
    for (const app::PrnDose& dose : prn_doses) {
        EXPECT_GT(dose.order.entry_number, 0);
        EXPECT_TRUE(dose.response.has_value());
    }

    // Maintenance esketamine: 13 sessions discharged, the first maintenance one among them; every REMS form
    // submitted but the last, which is due.
    const StoredPatient& maintenance = patients["DEMO-0006"];
    EXPECT_EQ(CountIn(maintenance.sessions, SessionState::kDischarged), 13U);
    EXPECT_EQ(maintenance.sessions[12].phase, "maintenance");
    std::size_t submitted = 0;
    std::size_t due = 0;
    for (const std::optional<app::RemsFormRecord>& form : maintenance.rems_forms) {
        if (form) {
            (form->status == app::RemsFormStatus::kSubmitted ? submitted : due) += 1;
        }
    }
    EXPECT_EQ(submitted, 12U);
    EXPECT_EQ(due, 1U);
    ASSERT_TRUE(maintenance.rems_forms[12]);
    EXPECT_EQ(maintenance.rems_forms[12]->status, app::RemsFormStatus::kDue);

    // Relapse: remission at the end of the ended course, then MADRS rising at follow-up.
    const StoredPatient& relapse = patients["DEMO-0007"];
    ASSERT_EQ(relapse.courses.size(), 1U);
    EXPECT_EQ(relapse.courses[0].status, app::CourseStatus::kEnded);
    const std::vector<int> relapse_madrs = Totals(relapse, clinical::Instrument::kMadrs);
    ASSERT_GE(relapse_madrs.size(), 4U);
    EXPECT_LE(*std::min_element(relapse_madrs.begin(), relapse_madrs.end()), 10);
    EXPECT_GE(relapse_madrs.back(), 30);

    // One session in monitoring now, of a patient whose clinician is the demo prescriber.
    const StoredPatient& monitored = patients["DEMO-0008"];
    ASSERT_EQ(CountIn(monitored.sessions, SessionState::kMonitoring), 1U);
    EXPECT_EQ(CountIn(monitored.sessions, SessionState::kDischarged), 4U);
    ASSERT_TRUE(summary.monitoring_session);
    EXPECT_EQ(monitored.sessions[4].id, *summary.monitoring_session);
    EXPECT_EQ(monitored.sessions[4].state, SessionState::kMonitoring);
    EXPECT_EQ(*summary.monitoring_patient, monitored.patient.id);

    // The patients on whom the screening's rules fire, their histories written as a clinic writes them: not every
    // screening says eligible.
    struct ScreeningCase {
        std::string mrn;
        std::vector<std::string> rules;
        clinical::Decision decision;
    };
    const std::vector<ScreeningCase> screenings = {
        {"DEMO-0009", {"interaction.benzodiazepine"}, clinical::Decision::kEligibleWithCautions},
        {"DEMO-0010", {"interaction.psychostimulant"}, clinical::Decision::kEligibleWithCautions},
        {"DEMO-0011", {"bp.elevated"}, clinical::Decision::kEligibleWithCautions},
        {"DEMO-0012", {"indication.off_label_ptsd"}, clinical::Decision::kNeedsReview},
        {"DEMO-0013",
         {"interaction.opioid", "review.drug_not_recognised", "indication.trd_established"},
         clinical::Decision::kNeedsReview},
    };
    for (const ScreeningCase& expected : screenings) {
        const StoredPatient& stored = patients[expected.mrn];
        ASSERT_EQ(stored.screenings.size(), 1U) << expected.mrn;
        const clinical::Screening& result = stored.screenings[0].result;
        EXPECT_EQ(result.decision, expected.decision) << expected.mrn;
        for (const std::string& rule : expected.rules) {
            EXPECT_TRUE(std::ranges::any_of(
                result.findings, [&rule](const clinical::Finding& finding) { return finding.rule_id == rule; }))
                << expected.mrn << " lacks " << rule;
        }
    }
    // Zoloft and Lexapro are two different antidepressants; Seroquel XR augmentation is no trial of its own.
    EXPECT_EQ(patients["DEMO-0013"].screenings[0].result.counted_trial_drugs,
              (std::vector<std::string>{"sertraline", "escitalopram"}));

    // Staff of every role (two nurses) and the patient's own login, under the .example domain.
    const std::vector<app::User> users = Users();
    ASSERT_EQ(users.size(), 7U);
    for (const app::User& user : users) {
        EXPECT_NE(user.email.find("@demo.kclinic.example"), std::string::npos);
        EXPECT_EQ(user.patient.has_value(), user.role == app::Role::kPatient) << user.email;
        if (user.patient) {
            EXPECT_EQ(*user.patient, maintenance.patient.id);
        }
    }
    ASSERT_EQ(summary.logins.size(), 6U);
    for (const app::DemoLogin& login : summary.logins) {
        EXPECT_TRUE(login.added);
        EXPECT_GE(login.password.size(), 15U);  // enough as the only factor (NIST SP 800-63B-4)
    }
    // The printed logins work without an authenticator app: the demo clinic requires a second factor of no role.
    Result<clinical::ClinicSettings> settings = clinic().settings.LoadClinicSettings();
    ASSERT_TRUE(settings.ok()) << settings.error().ToString();
    for (const app::Role role : {app::Role::kAdmin, app::Role::kPrescriber, app::Role::kNurse}) {
        EXPECT_FALSE(app::SecondFactorRequired(settings->access, role));
    }
    // Its REMS forms name its configured REMS-certified setting (issue 15 §7).
    EXPECT_FALSE(settings->rems.healthcare_setting.empty());

    // Every record was written at or before now.
    const std::vector<app::AuditEntry> audit = WholeAudit();
    ASSERT_GT(audit.size(), static_cast<std::size_t>(app::kMaxPageSize));
    for (const app::AuditEntry& entry : audit) {
        EXPECT_LE(entry.at, kNow) << entry.action;
    }
}

// The safe (issue 14 §2): 55 containers from two deliveries, one small lot past its expiry now; every draw of the
// last week for an administration, each container balancing with no remainder left in hand, every waste witnessed
// by someone other than the nurse who wasted; one count by both nurses finding one vial 0.2 mL short, explained and
// signed by the prescriber (the medical director).
TEST_P(DemoContractTest, StocksTheSafeWithAWeekOfDrawsAndOneExplainedDiscrepancy) {
    const app::DemoClinicSummary summary = Seed();
    ASSERT_TRUE(summary.seeded);
    std::vector<app::CsContainer> containers;
    std::vector<app::CsEntry> entries;
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        containers = Must(tx.ListCsContainers());
        entries = Must(tx.ListAllCsEntries());
        return Status::Ok();
    });
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(containers.size(), 55U);
    EXPECT_EQ(summary.safe_containers, 55);
    const std::chrono::sys_days today = std::chrono::floor<std::chrono::days>(kNow);
    EXPECT_EQ(std::count_if(containers.begin(), containers.end(),
                            [today](const app::CsContainer& container) { return container.expires_on < today; }),
              1);

    for (const app::CsContainer& container : containers) {
        std::vector<clinical::CsMovement> movements;
        for (const app::CsEntry& entry : entries) {
            if (entry.container == container.id) {
                std::optional<std::int64_t> refers_to;
                if (entry.refers_to) {
                    refers_to = entry.refers_to->value;
                }
                movements.push_back(clinical::CsMovement{entry.id.value, entry.kind, entry.units, entry.given_units,
                                                         entry.expected_units, refers_to});
            }
        }
        const Result<clinical::CsBalance> balance = clinical::Balance(movements);
        ASSERT_TRUE(balance.ok()) << balance.error().ToString();
        EXPECT_EQ(balance->in_hand, 0) << container.lot_number;
        EXPECT_TRUE(balance->open_draws.empty()) << container.lot_number;
        EXPECT_TRUE(balance->open_discrepancies.empty()) << container.lot_number;
    }

    int draws = 0;
    int wastes = 0;
    int returns = 0;
    std::vector<app::CsEntry> counts;
    std::vector<app::CsEntry> resolutions;
    for (const app::CsEntry& entry : entries) {
        switch (entry.kind) {
            case clinical::CsMovementKind::kDraw:
                ++draws;
                EXPECT_TRUE(entry.administration && entry.patient) << entry.id.value;
                EXPECT_GE(entry.recorded_at, app::TimePoint{today - std::chrono::days{7}});
                break;
            case clinical::CsMovementKind::kWaste:
                ++wastes;
                EXPECT_TRUE(entry.refers_to);
                EXPECT_FALSE(entry.witness.empty());
                EXPECT_NE(entry.witness, entry.recorded_by);
                break;
            case clinical::CsMovementKind::kReturnToStock:
                ++returns;
                break;
            case clinical::CsMovementKind::kCount:
                counts.push_back(entry);
                EXPECT_NE(entry.witness, entry.recorded_by);
                break;
            case clinical::CsMovementKind::kResolution:
                resolutions.push_back(entry);
                break;
            default:
                break;
        }
    }
    EXPECT_GT(draws, 10);
    EXPECT_EQ(draws, summary.safe_draws);
    EXPECT_GT(wastes, 0);
    EXPECT_EQ(wastes, summary.safe_wastes);
    EXPECT_GT(returns, 0);
    EXPECT_EQ(returns, summary.safe_returns);
    EXPECT_FALSE(counts.empty());
    EXPECT_EQ(summary.safe_counts, 1);
    std::vector<app::CsEntry> short_counts;
    std::copy_if(counts.begin(), counts.end(), std::back_inserter(short_counts),
                 [](const app::CsEntry& count) { return count.units != count.expected_units; });
    ASSERT_EQ(short_counts.size(), 1U);
    EXPECT_EQ(short_counts[0].expected_units - short_counts[0].units, 200);  // 0.2 mL
    EXPECT_EQ(summary.safe_discrepancies, 1);
    ASSERT_EQ(resolutions.size(), 1U);
    EXPECT_EQ(resolutions[0].refers_to, short_counts[0].id);
    EXPECT_EQ(resolutions[0].recorded_by, "prescriber@demo.kclinic.example");
    const Result<std::optional<app::User>> director =
        store().Read([](app::StoreTransaction& tx) { return tx.FindMedicalDirector(); });
    ASSERT_TRUE(director.ok() && director->has_value());
    EXPECT_EQ((*director)->email, "prescriber@demo.kclinic.example");  // who signed it
    EXPECT_FALSE(resolutions[0].reason.empty());

    // The inspector's reports come out of it: the dispensing log names each draw's patient by name and address
    // (21 CFR 1304.22(c)), and the record of losses holds the explained discrepancy.
    const app::TimePoint week_before = app::TimePoint{today - std::chrono::days{8}};
    const app::TimePoint after = kNow + std::chrono::days{1};
    const std::vector<app::CsDispensingLine> dispensed =
        Must(clinic().inventory.DispensingLog(prescriber_, "ketamine", week_before, after));
    EXPECT_FALSE(dispensed.empty());
    for (const app::CsDispensingLine& line : dispensed) {
        EXPECT_EQ(std::optional<PatientId>(line.patient.id), line.draw.patient);
        EXPECT_EQ(line.patient.family_name, "Demo");
        EXPECT_NE(line.patient.address.find("Example Street"), std::string::npos) << line.patient.mrn;
    }
    const std::vector<app::CsLoss> losses = Must(clinic().inventory.Losses(prescriber_, week_before, after));
    EXPECT_TRUE(std::any_of(losses.begin(), losses.end(), [&](const app::CsLoss& loss) {
        return loss.entry.id == short_counts[0].id && loss.resolution.has_value();
    }));
}

TEST_P(DemoContractTest, ASecondSeedingAddsNothing) {
    ASSERT_TRUE(Seed().seeded);
    const std::size_t patients = Patients().size();
    const std::size_t users = Users().size();
    const std::size_t audit = WholeAudit().size();

    const app::DemoClinicSummary again = Seed();
    EXPECT_FALSE(again.seeded);
    EXPECT_EQ(again.patients, 0);
    EXPECT_TRUE(again.logins.empty());
    EXPECT_FALSE(again.monitoring_session);
    EXPECT_EQ(Patients().size(), patients);
    EXPECT_EQ(Users().size(), users);
    // Only the audited look at the patient list.
    const std::vector<app::AuditEntry> after = WholeAudit();
    ASSERT_EQ(after.size(), audit + 1);
    EXPECT_EQ(after.back().action, "patient.list");
}

TEST_P(DemoContractTest, KeepsTheUsersAlreadyThere) {
    Result<app::User> admin = clinic().users.AddUser(
        app::Actor{"cli:root", "cli"},
        app::NewUser{"Admin@Demo.Kclinic.Example", "The Real Admin", app::Role::kAdmin, "a long admin passphrase", {}});
    ASSERT_TRUE(admin.ok()) << admin.error().ToString();

    const app::DemoClinicSummary summary = Seed();
    ASSERT_TRUE(summary.seeded);
    ASSERT_EQ(summary.logins.size(), 6U);
    EXPECT_EQ(summary.logins[0].email, "admin@demo.kclinic.example");
    EXPECT_FALSE(summary.logins[0].added);
    EXPECT_TRUE(summary.logins[0].password.empty());
    EXPECT_TRUE(summary.logins[1].added);

    const std::vector<app::User> stored = Users();
    ASSERT_EQ(stored.size(), 7U);
    EXPECT_EQ(stored[0].id, admin->id);
    EXPECT_EQ(stored[0].display_name, "The Real Admin");
    EXPECT_EQ(stored[0].password_hash, admin->password_hash);
    EXPECT_TRUE(credentials_.VerifyPassword(stored[0].password_hash, "a long admin passphrase"));
}

// kNow is a Monday evening (19:13 UTC, the clinic's zone): that day is over, Tuesday to Friday lie ahead. Every chair
// holds at least three treatments on every weekday, in the hands of the two demo nurses, never more patients at a
// minute than schedule.patients_per_nurse (counted here, minute by minute); Monday's happened (completed with the
// session discharged, or one no-show), the later ones are booked with their sessions scheduled; consultations
// fill the plan's column without a room.
TEST_P(DemoContractTest, BooksAFullWeekByRoom) {
    const app::DemoClinicSummary summary = Seed();
    ASSERT_TRUE(summary.seeded);
    const app::Actor front_desk{"frontdesk@demo.kclinic.example", "127.0.0.1"};
    const std::chrono::sys_days monday = std::chrono::floor<std::chrono::days>(kNow);
    ASSERT_EQ(std::chrono::weekday{monday}, std::chrono::Monday);
    const std::vector<std::string> nurses{"nurse@demo.kclinic.example", "nurse2@demo.kclinic.example"};
    int no_shows = 0;
    int consultations = 0;
    for (int day = 0; day < 5; ++day) {
        const std::chrono::sys_days date = monday + std::chrono::days{day};
        const Result<app::DayPlan> plan = clinic().scheduling.GetDayPlan(front_desk, date, settings_);
        ASSERT_TRUE(plan.ok()) << plan.error().ToString();
        std::vector<app::Appointment> treatments;
        std::chrono::minutes chair_minutes{0};
        int chairs = 0;
        for (const app::DayPlanRoom& column : plan->rooms) {
            if (!column.room) {
                consultations += static_cast<int>(column.appointments.size());
                continue;
            }
            ++chairs;
            int in_chair = 0;
            for (const app::DayPlanEntry& entry : column.appointments) {
                const app::Appointment& appointment = entry.appointment;
                ASSERT_TRUE(clinical::IsTreatment(appointment.type)) << FormatDate(date);
                if (appointment.status == clinical::AppointmentStatus::kCancelled) {
                    continue;
                }
                ++in_chair;
                chair_minutes += std::chrono::duration_cast<std::chrono::minutes>(appointment.end - appointment.start);
                treatments.push_back(appointment);
                EXPECT_TRUE(appointment.session.has_value());
                ASSERT_TRUE(entry.session_state.has_value());
                if (appointment.end <= kNow) {
                    if (appointment.status == clinical::AppointmentStatus::kNoShow) {
                        ++no_shows;
                        EXPECT_EQ(*entry.session_state, SessionState::kScheduled);
                    } else {
                        EXPECT_EQ(appointment.status, clinical::AppointmentStatus::kCompleted) << entry.patient_name;
                        EXPECT_EQ(*entry.session_state, SessionState::kDischarged) << entry.patient_name;
                    }
                } else if (appointment.start > kNow) {
                    EXPECT_EQ(appointment.status, clinical::AppointmentStatus::kBooked) << entry.patient_name;
                    EXPECT_EQ(*entry.session_state, SessionState::kScheduled) << entry.patient_name;
                }
            }
            EXPECT_GE(in_chair, 3) << column.room->name << " on " << FormatDate(date);
        }
        EXPECT_EQ(chairs, 4) << FormatDate(date);
        // Busy most of the open hours: the four chairs' treatments fill at least 60 % of 4 x 10 hours.
        EXPECT_GE(chair_minutes.count(), 4 * 600 * 6 / 10) << FormatDate(date);
        // The nurse ratio at every minute of the day, counted here rather than by the rules.
        for (const app::Appointment& appointment : treatments) {
            EXPECT_NE(std::find(nurses.begin(), nurses.end(), appointment.staff), nurses.end()) << appointment.staff;
        }
        for (const std::string& nurse : nurses) {
            for (app::TimePoint at = app::TimePoint{date}; at < app::TimePoint{date + std::chrono::days{1}};
                 at += std::chrono::minutes{1}) {
                const auto watched = std::count_if(treatments.begin(), treatments.end(), [&](const auto& a) {
                    return a.staff == nurse && a.status != clinical::AppointmentStatus::kNoShow && a.start <= at &&
                           at < a.end;
                });
                ASSERT_LE(watched, settings_.schedule.patients_per_nurse) << nurse << " on " << FormatDate(date);
            }
        }
    }
    EXPECT_EQ(no_shows, 1);  // session 1 of one IV induction series: flagged on the course
    EXPECT_GE(consultations, 30);
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::adapters::storage::contract
