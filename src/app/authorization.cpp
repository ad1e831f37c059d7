#include "app/authorization.hpp"

#include <array>
#include <utility>

#include "app/record_names.hpp"

namespace kclinic::app {
namespace {

constexpr auto kAllRoles = kRoleNames.Values();

constexpr std::uint8_t Bit(Role role) {
    return static_cast<std::uint8_t>(1U << static_cast<unsigned>(role));
}

template <typename... R>
constexpr std::uint8_t RolesOf(R... roles) {
    return static_cast<std::uint8_t>((Bit(roles) | ...));
}

constexpr Role kA = Role::kAdmin;
constexpr Role kP = Role::kPrescriber;
constexpr Role kN = Role::kNurse;
constexpr Role kT = Role::kTherapist;
constexpr Role kF = Role::kFrontDesk;
constexpr Role kOwn = Role::kPatient;  // a patient, for their own record only

// The role matrix (issue 4 §2 "Access"; shared/design.md §2 roles). Admins run the system (users, tokens, settings,
// the audit log, export), find patients by demographics to give them a portal login, and read no chart; prescribers
// hold every clinical permission and alone sign screenings and dose orders and override the BP gate; nurses record the
// session (vitals, administrations, assessments) and move it along; therapists read the chart and scores and write
// therapy notes but order nothing; the front desk registers and schedules and never reads clinical data; a patient
// reads their own record and portal.
constexpr std::array kMatrix = {
    AccessRule{Permission::kPatientList, "patient.list", "list and search patients (demographics)",
               RolesOf(kA, kP, kN, kT, kF),
               "the front desk finds patients to schedule them; an admin finds the patient a portal login is for"},
    AccessRule{Permission::kPatientRead, "patient.read", "read a patient's demographics and weights",
               RolesOf(kP, kN, kT, kF, kOwn), ""},
    AccessRule{Permission::kPatientRegister, "patient.register", "register a patient", RolesOf(kP, kN, kF), ""},
    AccessRule{Permission::kPatientUpdate, "patient.update", "change a patient's demographics", RolesOf(kP, kN, kF),
               ""},
    AccessRule{Permission::kWeightRecord, "weight.record", "record a weight", RolesOf(kP, kN),
               "weight sets the dose, so only clinical staff record it"},
    AccessRule{Permission::kHistoryRead, "history.read",
               "read diagnoses, conditions, allergies, medications, antidepressant trials", RolesOf(kP, kN, kT, kOwn),
               ""},
    AccessRule{Permission::kHistoryRecord, "history.record",
               "add to the history, stop a medication, mark an entry or a trial entered in error", RolesOf(kP, kN),
               "nurses take the intake history"},
    AccessRule{Permission::kScreeningRead, "screening.read", "read screenings and their findings", RolesOf(kP, kN, kT),
               ""},
    AccessRule{Permission::kScreeningRun, "screening.run", "run the eligibility screening on the stored history",
               RolesOf(kP, kN), "a prescriber signs it"},
    AccessRule{Permission::kScreeningSign, "screening.sign", "sign a screening (accept or override)", RolesOf(kP),
               "only a prescriber signs screenings"},
    AccessRule{Permission::kScheduleRead, "schedule.read",
               "read treatment courses and their planned sessions (dates and states)", RolesOf(kP, kN, kT, kF, kOwn),
               "what the front desk schedules by; no dose, vitals or notes"},
    AccessRule{Permission::kCalendarFeed, "calendar_feed.own",
               "create, see and revoke one's own calendar feed (the secret URL of one's appointments)",
               RolesOf(kP, kN, kT), "clinicians subscribe to their own schedule (issue 11 §3)"},
    AccessRule{Permission::kCourseManage, "course.manage", "start, pause, resume and end a treatment course",
               RolesOf(kP), "starting a course is a prescribing decision"},
    AccessRule{Permission::kAppointmentRead, "appointment.read",
               "read appointments, the rooms, the day plan by room and free slots", RolesOf(kP, kN, kT, kF, kOwn),
               "clinicians read their own schedule and the clinic's day; a patient only their own appointments"},
    AccessRule{Permission::kAppointmentBook, "appointment.book",
               "book, reschedule, cancel and mark no-show appointments; book a course's planned sessions",
               RolesOf(kP, kF), "the front desk books and reschedules (issue 11 §4); prescribers book too"},
    AccessRule{Permission::kAppointmentOverride, "appointment.override",
               "book past a soft scheduling rule (hours, closed day, session spacing) with a reason", RolesOf(kP),
               "a prescriber's decision, never a hard rule (docs/clinical-rules.md)"},
    AccessRule{Permission::kAppointmentCheckIn, "appointment.check_in",
               "mark a patient arrived for an appointment, and the appointment completed", RolesOf(kP, kN),
               "nurses check in (issue 11 §4)"},
    AccessRule{Permission::kRoomManage, "room.manage", "add and change treatment rooms and chairs, and closed days",
               RolesOf(kA), "clinic configuration, like the settings"},
    AccessRule{Permission::kSessionRead, "session.read",
               "read a treatment session's record (dose order, administrations, BP override)", RolesOf(kP, kN, kT), ""},
    AccessRule{Permission::kSessionCheckIn, "session.check_in",
               "check a patient in (records consent and escort confirmed)", RolesOf(kP, kN),
               "confirming consent is clinical, so the front desk does not check in"},
    AccessRule{Permission::kSessionCancel, "session.cancel", "cancel a session that has not started",
               RolesOf(kP, kN, kF), "scheduling: the front desk cancels when a patient calls"},
    AccessRule{Permission::kSessionAdvance, "session.advance",
               "pre-dose OK, hold, start dosing, monitoring, ready for discharge, discharge, abort", RolesOf(kP, kN),
               ""},
    AccessRule{Permission::kSessionOverrideBpGate, "session.override_bp_gate",
               "confirm pre-dose with a blood pressure above the gate, with a reason", RolesOf(kP),
               "the prescriber overrides the gate (design.md §3)"},
    AccessRule{Permission::kDoseOrderSign, "dose_order.sign", "sign a dose order", RolesOf(kP),
               "only a prescriber orders doses"},
    AccessRule{Permission::kAdministrationRecord, "administration.record",
               "record an administration, stop an infusion, record another medication given in a session, mark an "
               "administration entered in error",
               RolesOf(kP, kN), ""},
    AccessRule{Permission::kStandingOrderRead, "standing_order.read",
               "read the standing-order sets, every version and the one in force on a date", RolesOf(kP, kN), ""},
    AccessRule{Permission::kStandingOrderSign, "standing_order.sign", "sign a new version of the standing-order set",
               RolesOf(kP), "the medical director, a prescriber, signs standing orders (issue 14 §1)"},
    AccessRule{Permission::kPrnDoseGive, "prn_dose.give",
               "give a PRN dose under a standing or one-off order, record its response", RolesOf(kP, kN), ""},
    AccessRule{Permission::kVitalRead, "vital.read", "read vital signs", RolesOf(kP, kN, kT, kOwn), ""},
    AccessRule{Permission::kVitalRecord, "vital.record", "record a vital sign", RolesOf(kP, kN), ""},
    AccessRule{Permission::kAssessmentRead, "assessment.read", "read rating-scale scores", RolesOf(kP, kN, kT, kOwn),
               "therapists read scores"},
    AccessRule{Permission::kAssessmentRecord, "assessment.record", "record a rating scale, mark one entered in error",
               RolesOf(kP, kN, kT),
               "staff record every instrument; patients answer theirs through assessment.self_report"},
    AccessRule{Permission::kSelfReportRecord, "assessment.self_report",
               "answer one's own questionnaire in the portal (patient-reported instruments, dated now)", RolesOf(kOwn),
               "design.md §4; clinical::CheckSelfReport decides which instruments (docs/clinical-rules.md)"},
    AccessRule{Permission::kQuestionnaireAssign, "questionnaire.assign",
               "assign a questionnaire for a patient to answer in the portal, end an assignment", RolesOf(kP, kN, kT),
               "the roles that record scores; assignments are listed with assessment.read"},
    AccessRule{Permission::kAlertRead, "alert.read", "read alerts", RolesOf(kP, kN, kT), ""},
    AccessRule{Permission::kAlertAcknowledge, "alert.acknowledge", "acknowledge an alert", RolesOf(kP, kN, kT),
               "a therapist may be the named clinician of a suicidality alert"},
    AccessRule{Permission::kAdverseEventRead, "adverse_event.read", "read adverse events", RolesOf(kP, kN, kT), ""},
    AccessRule{Permission::kAdverseEventRecord, "adverse_event.record", "record or resolve an adverse event",
               RolesOf(kP, kN), ""},
    AccessRule{Permission::kNoteRead, "note.read", "read notes of every kind", RolesOf(kP, kN, kT),
               "the front desk never reads clinical notes"},
    AccessRule{Permission::kNoteWriteTherapy, "note.write_therapy",
               "write, sign and add to preparation and integration notes", RolesOf(kP, kT),
               "the therapy notes; signing stays with the author"},
    AccessRule{Permission::kNoteWriteClinical, "note.write_clinical",
               "write, sign and add to dosing and progress notes", RolesOf(kP, kN), ""},
    AccessRule{Permission::kRemsRead, "rems.read", "read REMS monitoring forms and the list of forms due",
               RolesOf(kP, kN), ""},
    AccessRule{Permission::kRemsSubmit, "rems.submit", "mark a REMS form submitted", RolesOf(kP, kN), ""},
    AccessRule{Permission::kRemsSubmitMissingReadings, "rems.submit_missing_readings",
               "submit a REMS form lacking a required reading, with a reason", RolesOf(kP),
               "the prescriber answers for a form without every reading (issue 10)"},
    AccessRule{Permission::kSettingsRead, "settings.read", "read the clinic settings", RolesOf(kA, kP, kN, kT, kF), ""},
    AccessRule{Permission::kSettingsChange, "settings.change", "change a clinic setting within its bounds", RolesOf(kA),
               "admins manage settings (issue 4); every change is audited"},
    AccessRule{Permission::kUserManage, "user.manage", "add, list, disable and unlock users, set passwords",
               RolesOf(kA), ""},
    AccessRule{Permission::kTokenManage, "token.manage",
               "create, list and revoke API tokens; revoke anyone's calendar feed", RolesOf(kA), ""},
    AccessRule{Permission::kAuditRead, "audit.read", "read the audit log", RolesOf(kA), "admin only"},
    AccessRule{Permission::kExport, "export.run", "export the whole clinic record", RolesOf(kA),
               "an operator's task; every exported patient is audited"},
    AccessRule{Permission::kPortalRead, "portal.read", "read the patient portal", RolesOf(kOwn), ""},
    AccessRule{Permission::kChartRead, "chart.read",
               "read a patient's chart in one: history, trials, screening, courses, adverse events, notes, outcomes",
               RolesOf(kP, kN, kT),
               "only roles that hold each permission the chart draws on (a test checks it); a patient has the portal"},
    AccessRule{Permission::kStaffRead, "staff.read", "list the active staff: names, roles and addresses",
               RolesOf(kA, kP, kN, kT, kF), "no patient data: colleagues see each other's names (issue 12 §1)"},
    // Issue 13 §2: bedside monitors. The admin configures them with the rooms; the nurse at the chairs moves a monitor
    // and places readings that came while no session was checked in; the prescriber can do what the nurse does.
    AccessRule{Permission::kDeviceRead, "device.read",
               "list the bedside monitors seen: identity, room, last message, message and error counts",
               RolesOf(kA, kP, kN), "no patient data; who runs the chairs sees whether their monitors report"},
    AccessRule{Permission::kDeviceBind, "device.bind", "bind a bedside monitor to a room or chair, and unbind it",
               RolesOf(kA, kP, kN),
               "decides whose session a monitor feeds: clinic configuration and the nurse moving "
               "a monitor to another chair"},
    AccessRule{Permission::kDeviceReadingRead, "device_reading.read",
               "list bedside-monitor readings no session took (unassigned device data)", RolesOf(kP, kN),
               "a person's vital signs, not yet whose: the clinicians who would assign them"},
    AccessRule{Permission::kDeviceReadingAssign, "device_reading.assign",
               "assign unassigned bedside-monitor readings to a patient and session (charting them)", RolesOf(kP, kN),
               "as vital.record: the readings enter the chart"},
    // Issue 14 §2-§3: the controlled-substance log. Only licensed clinicians touch the stock (21 CFR 1301.76(a):
    // controlled substances are handled by those the registrant authorises; clinic policy: prescribers and nurses).
    // Corrections and the signing of a count's discrepancy are the medical director's (a prescriber: clinic policy).
    AccessRule{Permission::kInventoryRead, "inventory.read",
               "read the controlled-substance log: stock, entries, discrepancies, the inspector's reports",
               RolesOf(kP, kN), "the dispensing log names patients; the clinicians accountable for the stock"},
    AccessRule{Permission::kInventoryReceive, "inventory.receive",
               "receive controlled-substance stock, transfer it between locations, return it to the supplier",
               RolesOf(kP, kN), ""},
    AccessRule{Permission::kInventoryDraw, "inventory.draw",
               "draw for an administration, return a remainder to stock, waste (with a witness)", RolesOf(kP, kN), ""},
    AccessRule{Permission::kInventoryWitness, "inventory.witness",
               "witness a waste or destruction, or be the second counter of a count, with one's own credentials",
               RolesOf(kP, kN), "a second licensed person, never the one who acts (checked by the use case)"},
    AccessRule{Permission::kInventoryCount, "inventory.count", "count a storage location (with a second counter)",
               RolesOf(kP, kN), ""},
    AccessRule{Permission::kInventoryDestroy, "inventory.destroy", "destroy expired or damaged stock (with a witness)",
               RolesOf(kP, kN), ""},
    AccessRule{Permission::kInventoryCorrect, "inventory.correct",
               "correct a controlled-substance entry (a reversing entry with a reason)", RolesOf(kP),
               "clinic policy: the medical director answers for the record"},
    AccessRule{Permission::kInventorySignDiscrepancy, "inventory.sign_discrepancy",
               "explain and sign a count's discrepancy", RolesOf(kP),
               "clinic policy: the medical director investigates a loss (21 CFR 1301.76(b))"},
};

// Every permission once, in enum order, so a permission's rule is found by its value.
constexpr bool InEnumOrder() {
    for (std::size_t i = 0; i < kMatrix.size(); ++i) {
        if (static_cast<std::size_t>(kMatrix[i].permission) != i) {
            return false;
        }
    }
    return kMatrix.size() == static_cast<std::size_t>(Permission::kInventorySignDiscrepancy) + 1;
}
static_assert(InEnumOrder(), "kMatrix must list every Permission once, in enum order");

const AccessRule& RuleOf(Permission permission) {
    return kMatrix.at(static_cast<std::size_t>(permission));
}

}  // namespace

Actor ActorOf(const Principal& principal, std::string origin) {
    return Actor{principal.email, std::move(origin)};
}

Principal CliPrincipal(std::string_view os_user) {
    Principal principal;
    principal.email = "cli:" + std::string(os_user);
    principal.role = Role::kAdmin;
    principal.method = AuthMethod::kCli;
    return principal;
}

std::span<const AccessRule> AccessMatrix() {
    return kMatrix;
}

std::string_view PermissionName(Permission permission) {
    return RuleOf(permission).name;
}

bool RoleHolds(Role role, Permission permission) {
    return (RuleOf(permission).roles & Bit(role)) != 0;
}

Status Authorize(const Principal& principal, Permission permission, std::optional<PatientId> subject) {
    const AccessRule& rule = RuleOf(permission);
    if (!RoleHolds(principal.role, permission)) {
        return Error{ErrorCode::kPermissionDenied, "",
                     "role " + std::string(RoleName(principal.role)) + " may not " + std::string(rule.allows) + " (" +
                         std::string(rule.name) + ")"};
    }
    if (principal.role == Role::kPatient && (!principal.patient || !subject || *subject != *principal.patient)) {
        return Error{ErrorCode::kPermissionDenied, "",
                     "a patient may only see their own record (" + std::string(rule.name) + ")"};
    }
    return Status::Ok();
}

std::string AccessMatrixMarkdown() {
    std::string table = "| permission | allows |";
    std::string rule_line = "|---|---|";
    for (Role role : kAllRoles) {
        table += " " + std::string(RoleName(role)) + " |";
        rule_line += "---|";
    }
    table += " note |\n" + rule_line + "---|\n";
    for (const AccessRule& rule : kMatrix) {
        table += "| `" + std::string(rule.name) + "` | " + std::string(rule.allows) + " |";
        for (Role role : kAllRoles) {
            const bool holds = (rule.roles & Bit(role)) != 0;
            table += holds ? (role == Role::kPatient ? " own |" : " yes |") : " |";
        }
        table += (rule.note.empty() ? std::string() : " " + std::string(rule.note)) + " |\n";
    }
    return table;
}

}  // namespace kclinic::app
