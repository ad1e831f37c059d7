#pragma once

// Who may do what: one decision, Authorize, over one role matrix written as data (authorization.cpp), which
// docs/security.md shows as a table generated from the same data (a test keeps the two equal). It is policy, not a
// clinical rule. The HTTP layer authenticates a request (app/authentication.hpp), then calls Authorize with the
// permission of the use case it is about to run and, for patient data, the patient it concerns; the use cases
// themselves take the resulting Actor and do not decide access again.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "app/records.hpp"
#include "base/result.hpp"

namespace kclinic::app {

// One permission per group of use cases that always share the same roles. Stable names in PermissionName.
enum class Permission {
    kPatientList,
    kPatientRead,
    kPatientRegister,
    kPatientUpdate,
    kWeightRecord,
    kHistoryRead,
    kHistoryRecord,
    kScreeningRead,
    kScreeningRun,
    kScreeningSign,
    kScheduleRead,
    kCalendarFeed,
    kCourseManage,
    kAppointmentRead,
    kAppointmentBook,
    kAppointmentOverride,
    kAppointmentCheckIn,
    kRoomManage,
    kSessionRead,
    kSessionCheckIn,
    kSessionCancel,
    kSessionAdvance,
    kSessionOverrideBpGate,
    kDoseOrderSign,
    kAdministrationRecord,
    kStandingOrderRead,
    kStandingOrderSign,
    kPrnDoseGive,
    kVitalRead,
    kVitalRecord,
    kAssessmentRead,
    kAssessmentRecord,
    kSelfReportRecord,
    kQuestionnaireAssign,
    kAlertRead,
    kAlertAcknowledge,
    kAdverseEventRead,
    kAdverseEventRecord,
    kNoteRead,
    kNoteWriteTherapy,
    kNoteWriteClinical,
    kRemsRead,
    kRemsSubmit,
    kRemsSubmitMissingReadings,
    kSettingsRead,
    kSettingsChange,
    kUserManage,
    kTokenManage,
    kAuditRead,
    kExport,
    kPortalRead,
    kChartRead,
    kStaffRead,
    kDeviceRead,
    kDeviceBind,
    kDeviceReadingRead,
    kDeviceReadingAssign,
    kInventoryRead,
    kInventoryReceive,
    kInventoryDraw,
    kInventoryWitness,
    kInventoryCount,
    kInventoryDestroy,
    kInventoryCorrect,
    kInventorySignDiscrepancy,
};

// How the caller proved who they are.
enum class AuthMethod {
    kSession,   // a browser session cookie (state-changing requests also need the session's CSRF token)
    kApiToken,  // a bearer API token
    kCli,       // the command line: whoever can open the database acts as an admin through the operating system
};

// The authenticated caller of a request.
struct Principal {
    UserId user;  // 0 for the CLI
    std::string email;
    Role role = Role::kPatient;
    std::optional<PatientId> patient;  // role patient: the only record they may see
    AuthMethod method = AuthMethod::kSession;
    std::optional<BrowserSessionId> browser_session;  // kSession only
    std::string csrf_token;                           // kSession only: what Authentication::CheckCsrf compares
    // kSession only: logged in by password alone while the role requires a second factor the user has not enrolled;
    // the HTTP layer lets such a session enrol one and log out, nothing else (docs/security.md "Second factor").
    bool enrolment_only = false;
};

// The Actor a use case records for `principal` acting from `origin` (an IP address, "cli").
[[nodiscard]] Actor ActorOf(const Principal& principal, std::string origin);

// The CLI's principal: role admin, method kCli, email "cli:<os_user>" (as the record commands audit it).
[[nodiscard]] Principal CliPrincipal(std::string_view os_user);

// One row of the matrix: which roles hold `permission`. A patient holds it only for their own record.
struct AccessRule {
    Permission permission;
    std::string_view name;    // stable: "dose_order.sign"
    std::string_view allows;  // the use cases it covers, in words
    std::uint8_t roles;       // bit (1 << Role) for each role that holds it
    std::string_view note;    // why these roles, where it is not obvious
};

// Every permission, in enum order.
[[nodiscard]] std::span<const AccessRule> AccessMatrix();
[[nodiscard]] std::string_view PermissionName(Permission permission);
[[nodiscard]] bool RoleHolds(Role role, Permission permission);

// OK when `principal` may use `permission` on `subject` (the patient whose data it touches; nullopt when none).
// Staff roles hold a permission for every patient; role patient holds it only when `subject` is their own patient.
// Error kPermissionDenied naming the role and what was refused.
[[nodiscard]] Status Authorize(const Principal& principal, Permission permission,
                               std::optional<PatientId> subject = std::nullopt);

// The matrix as the Markdown table docs/security.md shows: one row per permission, one column per role ("yes", "own"
// for a patient's own record, or empty).
[[nodiscard]] std::string AccessMatrixMarkdown();

}  // namespace kclinic::app
