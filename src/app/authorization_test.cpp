#include "app/authorization.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "app/record_names.hpp"

namespace kclinic::app {
namespace {

// The role matrix as issue 4 and docs/security.md state it, written out here by hand rather than copied from the
// code: one letter per role that holds the permission. A admin, P prescriber, N nurse, T therapist, F front desk,
// S a patient (their own record only).
const std::map<std::string, std::string> kExpected = {
    {"patient.list", "APNTF"},
    {"patient.read", "PNTFS"},
    {"patient.register", "PNF"},
    {"patient.update", "PNF"},
    {"weight.record", "PN"},
    {"history.read", "PNTS"},
    {"history.record", "PN"},
    {"screening.read", "PNT"},
    {"screening.run", "PN"},
    {"screening.sign", "P"},
    {"schedule.read", "PNTFS"},
    {"calendar_feed.own", "PNT"},
    {"course.manage", "P"},
    // Issue 11 §4: the front desk books and reschedules, nurses check in, clinicians see their own schedule,
    // prescribers override soft rules, the admin manages rooms and closed days.
    {"appointment.read", "PNTFS"},
    {"appointment.book", "PF"},
    {"appointment.override", "P"},
    {"appointment.check_in", "PN"},
    {"room.manage", "A"},
    {"session.read", "PNT"},
    {"session.check_in", "PN"},
    {"session.cancel", "PNF"},
    {"session.advance", "PN"},
    {"session.override_bp_gate", "P"},
    {"dose_order.sign", "P"},
    {"administration.record", "PN"},
    {"standing_order.read", "PN"},
    {"standing_order.sign", "P"},
    {"prn_dose.give", "PN"},
    {"vital.read", "PNTS"},
    {"vital.record", "PN"},
    {"assessment.read", "PNTS"},
    {"assessment.record", "PNT"},
    {"assessment.self_report", "S"},
    {"questionnaire.assign", "PNT"},
    {"alert.read", "PNT"},
    {"alert.acknowledge", "PNT"},
    {"adverse_event.read", "PNT"},
    {"adverse_event.record", "PN"},
    {"note.read", "PNT"},
    {"note.write_therapy", "PT"},
    {"note.write_clinical", "PN"},
    {"rems.read", "PN"},
    {"rems.submit", "PN"},
    {"rems.submit_missing_readings", "P"},
    {"settings.read", "APNTF"},
    {"settings.change", "A"},
    {"user.manage", "A"},
    {"token.manage", "A"},
    {"audit.read", "A"},
    {"export.run", "A"},
    {"portal.read", "S"},
    // Issue 12 §1: the chart in one request for the clinical roles; every staff member sees colleagues' names.
    {"chart.read", "PNT"},
    {"staff.read", "APNTF"},
    // Issue 13 §2: the admin and the clinicians at the chairs see and bind monitors; clinicians place their readings.
    {"device.read", "APN"},
    {"device.bind", "APN"},
    {"device_reading.read", "PN"},
    {"device_reading.assign", "PN"},
    // Issue 14 §2-§3: licensed clinicians handle the controlled-substance stock; the medical director (a prescriber)
    // alone corrects the log and signs a count's discrepancy.
    {"inventory.read", "PN"},
    {"inventory.receive", "PN"},
    {"inventory.draw", "PN"},
    {"inventory.witness", "PN"},
    {"inventory.count", "PN"},
    {"inventory.destroy", "PN"},
    {"inventory.correct", "P"},
    {"inventory.sign_discrepancy", "P"},
};

const std::map<char, Role> kRoleLetters = {{'A', Role::kAdmin},     {'P', Role::kPrescriber}, {'N', Role::kNurse},
                                           {'T', Role::kTherapist}, {'F', Role::kFrontDesk},  {'S', Role::kPatient}};

constexpr PatientId kOwnPatient{7};
constexpr PatientId kOtherPatient{8};

Principal PrincipalWith(Role role) {
    Principal principal;
    principal.user = UserId{1};
    principal.email = "someone@clinic.example";
    principal.role = role;
    if (role == Role::kPatient) {
        principal.patient = kOwnPatient;
    }
    return principal;
}

TEST(Authorization, EveryRoleHoldsExactlyTheExpectedPermissions) {
    std::set<std::string> seen;
    for (const AccessRule& rule : AccessMatrix()) {
        const std::string name(rule.name);
        ASSERT_TRUE(kExpected.count(name) == 1) << "permission " << name << " is missing from the expected table";
        EXPECT_TRUE(seen.insert(name).second) << "permission " << name << " is listed twice";
        EXPECT_EQ(PermissionName(rule.permission), rule.name);
        const std::string& letters = kExpected.at(name);
        for (const auto& [letter, role] : kRoleLetters) {
            const bool expected = letters.find(letter) != std::string::npos;
            const Principal principal = PrincipalWith(role);
            // A subject is given as a patient's own record; staff are not limited by it.
            const Status decided = Authorize(principal, rule.permission, kOwnPatient);
            EXPECT_EQ(decided.ok(), expected) << RoleName(role) << " / " << name;
            EXPECT_EQ(RoleHolds(role, rule.permission), expected) << RoleName(role) << " / " << name;
            if (!decided.ok()) {
                EXPECT_EQ(decided.error().code, ErrorCode::kPermissionDenied);
                EXPECT_NE(decided.error().message.find(name), std::string::npos) << decided.error().message;
            }
            if (role != Role::kPatient) {
                EXPECT_EQ(Authorize(principal, rule.permission).ok(), expected) << RoleName(role) << " / " << name;
                EXPECT_EQ(Authorize(principal, rule.permission, kOtherPatient).ok(), expected)
                    << RoleName(role) << " / " << name;
            }
        }
    }
    EXPECT_EQ(seen.size(), kExpected.size()) << "the expected table names a permission the matrix lacks";
}

// The chart gathers what several permissions guard, so only a role holding every one of them may read it: a role
// that held chart.read without note.read would read notes through the chart.
TEST(Authorization, TheChartIsReadOnlyByRolesHoldingEverythingItShows) {
    for (const auto& [letter, role] : kRoleLetters) {
        if (!RoleHolds(role, Permission::kChartRead)) {
            continue;
        }
        for (const Permission part :
             {Permission::kPatientRead, Permission::kHistoryRead, Permission::kScreeningRead, Permission::kScheduleRead,
              Permission::kAdverseEventRead, Permission::kNoteRead, Permission::kAssessmentRead}) {
            EXPECT_TRUE(RoleHolds(role, part)) << RoleName(role) << " reads the chart without " << PermissionName(part);
        }
    }
}

// The session screen (GET /api/v1/sessions/{id}/screen) is guarded by session.read alone, so every role holding it
// must hold each permission whose records the screen shows.
TEST(Authorization, TheSessionScreenIsReadOnlyByRolesHoldingEverythingItShows) {
    for (const auto& [letter, role] : kRoleLetters) {
        if (!RoleHolds(role, Permission::kSessionRead)) {
            continue;
        }
        for (const Permission part :
             {Permission::kPatientRead, Permission::kScheduleRead, Permission::kVitalRead, Permission::kAssessmentRead,
              Permission::kAlertRead, Permission::kAdverseEventRead, Permission::kSettingsRead}) {
            EXPECT_TRUE(RoleHolds(role, part))
                << RoleName(role) << " reads the session screen without " << PermissionName(part);
        }
    }
}

TEST(Authorization, APatientSeesOnlyTheirOwnRecord) {
    const Principal patient = PrincipalWith(Role::kPatient);
    EXPECT_TRUE(Authorize(patient, Permission::kPatientRead, kOwnPatient).ok());
    EXPECT_TRUE(Authorize(patient, Permission::kSelfReportRecord, kOwnPatient).ok());
    // A patient answers through the portal's self-report rule, never staff's rating route.
    EXPECT_FALSE(Authorize(patient, Permission::kAssessmentRecord, kOwnPatient).ok());
    EXPECT_TRUE(Authorize(patient, Permission::kPortalRead, kOwnPatient).ok());
    for (const std::optional<PatientId>& subject :
         {std::optional<PatientId>(kOtherPatient), std::optional<PatientId>()}) {
        for (Permission permission : {Permission::kPatientRead, Permission::kVitalRead, Permission::kPortalRead,
                                      Permission::kSelfReportRecord}) {
            Status decided = Authorize(patient, permission, subject);
            ASSERT_FALSE(decided.ok()) << PermissionName(permission);
            EXPECT_EQ(decided.error().code, ErrorCode::kPermissionDenied);
            EXPECT_NE(decided.error().message.find("own record"), std::string::npos) << decided.error().message;
        }
    }
    // A patient principal without a linked record sees nothing.
    Principal unlinked = patient;
    unlinked.patient.reset();
    EXPECT_FALSE(Authorize(unlinked, Permission::kPortalRead, kOwnPatient).ok());
}

TEST(Authorization, RefusalsNameTheRoleAndTheAction) {
    Status decided = Authorize(PrincipalWith(Role::kTherapist), Permission::kDoseOrderSign, kOwnPatient);
    ASSERT_FALSE(decided.ok());
    EXPECT_EQ(decided.error().ToString(), "role therapist may not sign a dose order (dose_order.sign)");
    decided = Authorize(PrincipalWith(Role::kFrontDesk), Permission::kNoteRead);
    ASSERT_FALSE(decided.ok());
    EXPECT_EQ(decided.error().ToString(), "role front_desk may not read notes of every kind (note.read)");
}

TEST(Authorization, TheCliActsAsAnAdmin) {
    const Principal cli = CliPrincipal("ada");
    EXPECT_EQ(cli.email, "cli:ada");
    EXPECT_EQ(cli.method, AuthMethod::kCli);
    EXPECT_TRUE(Authorize(cli, Permission::kUserManage).ok());
    EXPECT_FALSE(Authorize(cli, Permission::kNoteRead).ok());
    const Actor actor = ActorOf(cli, "cli");
    EXPECT_EQ(actor.user, "cli:ada");
    EXPECT_EQ(actor.origin, "cli");
}

// docs/security.md shows the matrix between two markers; it must be exactly the table the code generates, so the
// document cannot drift from what Authorize enforces.
TEST(Authorization, SecurityDocShowsTheMatrixTheCodeEnforces) {
    std::ifstream file(std::string(KCLINIC_SOURCE_DIR) + "/docs/security.md");
    ASSERT_TRUE(file) << "docs/security.md is missing";
    std::stringstream buffer;
    buffer << file.rdbuf();
    const std::string doc = buffer.str();
    const std::string begin = "<!-- access-matrix:begin (generated from src/app/authorization.cpp) -->\n";
    const std::string end = "<!-- access-matrix:end -->";
    const std::size_t from = doc.find(begin);
    const std::size_t to = doc.find(end);
    ASSERT_NE(from, std::string::npos) << "missing marker: " << begin;
    ASSERT_NE(to, std::string::npos) << "missing marker: " << end;
    EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), AccessMatrixMarkdown())
        << "replace the table in docs/security.md with:\n"
        << AccessMatrixMarkdown();
}

}  // namespace
}  // namespace kclinic::app
