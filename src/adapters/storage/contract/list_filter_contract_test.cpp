// The filters of the audit log and alert listings say no instead of guessing (issue 10 §6), on a real SQLite file and
// a real PostgreSQL server: a filter that could only ever match nothing (a blank actor, an action that is not one, an
// empty time window) is refused naming it, not answered with an empty list an auditor would believe; a clinician's
// address in another case finds that clinician's alerts.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;

class ListFilterContractTest : public UseCaseTest {};

TEST_P(ListFilterContractTest, AnAuditFilterThatCanOnlyMatchNothingIsRefusedNamingIt) {
    Register("MRN-1");
    const std::size_t audited = Audit().size();
    const auto refused = [&](const app::AuditFilter& filter) {
        Result<std::vector<app::AuditEntry>> listed = clinic().patients.ListAudit(admin_, filter);
        return listed.ok() ? std::string("(listed)") : listed.error().field;
    };
    app::AuditFilter blank_actor;
    blank_actor.actor = " ";
    EXPECT_EQ(refused(blank_actor), "actor");
    for (const std::string action : {"", "patient", "Patient.Create", "patient.", ".create", "patient create"}) {
        app::AuditFilter filter;
        filter.action = action;
        EXPECT_EQ(refused(filter), "action") << action;
    }
    app::AuditFilter empty_window;
    empty_window.from = At(60);
    empty_window.to = At(60);
    EXPECT_EQ(refused(empty_window), "to");
    EXPECT_EQ(Audit().size(), audited);  // a refused reading is not a reading

    app::AuditFilter created;
    created.action = "patient.create";
    created.from = At(-1);
    created.to = At(1);
    Result<std::vector<app::AuditEntry>> listed = clinic().patients.ListAudit(admin_, created);
    ASSERT_TRUE(listed.ok()) << listed.error().ToString();
    EXPECT_EQ(listed->size(), 1U);
}

TEST_P(ListFilterContractTest, AlertsOfAClinicianAreFoundByTheirAddressInAnyCase) {
    AddUser("dr.grey@clinic.example", app::Role::kPrescriber);
    app::NewPatient named = NewPatient("MRN-1");
    named.clinician = "dr.grey@clinic.example";
    const PatientId with_clinician = Register(named);
    const PatientId without = Register("MRN-2");
    for (const PatientId patient : {with_clinician, without}) {
        ASSERT_TRUE(
            clinic().patients.RecordVitalSign(nurse_, BloodPressure(patient, 190, 80, clock_.Now()), settings_).ok());
    }
    const auto notified = [&](const std::string& notify) {
        app::AlertFilter filter;
        filter.notify = notify;
        Result<std::vector<app::Alert>> alerts = clinic().alerts.ListAlerts(nurse_, filter);
        std::vector<std::int64_t> patients;
        for (const app::Alert& alert : alerts.ok() ? *alerts : std::vector<app::Alert>{}) {
            patients.push_back(alert.patient.value);
        }
        return alerts.ok() ? patients : std::vector<std::int64_t>{-1};
    };
    EXPECT_EQ(notified("dr.grey@clinic.example"), std::vector<std::int64_t>{with_clinician.value});
    EXPECT_EQ(notified("Dr.Grey@Clinic.Example"), std::vector<std::int64_t>{with_clinician.value});
    EXPECT_EQ(notified(""), std::vector<std::int64_t>{without.value});  // raised for no named clinician
    EXPECT_EQ(notified("dr.grey"), std::vector<std::int64_t>{-1});      // not an address: refused
    app::AlertFilter malformed;
    malformed.notify = "dr.grey";
    EXPECT_EQ(clinic().alerts.ListAlerts(nurse_, malformed).error().field, "notify");
}

INSTANTIATE_TEST_SUITE_P(Backends, ListFilterContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& param_info) { return std::string(BackendName(param_info.param)); });

}  // namespace
}  // namespace kclinic::adapters::storage::contract
