// The tamper-evident audit log (issue 15 §7) on both backends: the chain holds through the use cases, and a change
// made behind the server's back (raw SQL with the append-only triggers out of the way, as the database's owner could)
// is found, naming the first broken entry.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

class AuditChainContractTest : public UseCaseTest {
protected:
    // A patient registered and read three times: five entries (patient.create, patient.read x3, and the
    // registration's own), whatever their exact number, chained.
    std::int64_t WriteSomeEntries() {
        const app::PatientId patient = Register("MRN-1");
        for (int i = 0; i < 3; ++i) {
            EXPECT_TRUE(clinic().patients.GetPatient(nurse_, patient).ok());
        }
        return static_cast<std::int64_t>(Audit().size());
    }

    app::AuditChainCheck Check() {
        Result<app::AuditChainCheck> check = Error{ErrorCode::kInternal, "", "not run"};
        const Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
            check = tx.CheckAuditChain();
            return StatusOf(check);
        });
        EXPECT_TRUE(read.ok()) << read.error().ToString();
        return check.ok() ? *check : app::AuditChainCheck{};
    }

    // Runs `statement` on the audit log past kclinic, with its append-only triggers out of the way.
    void Tamper(const std::string& statement) {
        const bool postgres = database().backend() == Backend::kPostgres;
        const std::vector<std::string> statements =
            postgres ? std::vector<std::string>{"ALTER TABLE audit_log DISABLE TRIGGER USER", statement,
                                                "ALTER TABLE audit_log ENABLE TRIGGER USER"}
                     : std::vector<std::string>{"DROP TRIGGER IF EXISTS audit_log_no_update",
                                                "DROP TRIGGER IF EXISTS audit_log_no_delete", statement};
        for (const std::string& each : statements) {
            const Status done = ExecuteDirectly(each);
            ASSERT_TRUE(done.ok()) << each << ": " << done.error().ToString();
        }
    }
};

TEST_P(AuditChainContractTest, EveryEntryIsChainedWithContiguousIdsAndTheCheckHolds) {
    const std::int64_t entries = WriteSomeEntries();
    const std::vector<app::AuditEntry> audit = Audit();
    for (std::size_t i = 0; i < audit.size(); ++i) {
        EXPECT_EQ(audit[i].id.value, static_cast<std::int64_t>(i) + 1);
    }
    const app::AuditChainCheck check = Check();
    EXPECT_FALSE(check.first_broken_id.has_value()) << check.problem;
    EXPECT_EQ(check.chained_entries, entries);
    EXPECT_EQ(check.entries_before_chain, 0);
    EXPECT_EQ(check.head_hash.size(), 64U);

    // The use case audits its own check, and that entry joins the chain.
    Result<app::AuditChainCheck> verified = clinic().patients.CheckAuditChain(admin_);
    ASSERT_TRUE(verified.ok()) << verified.error().ToString();
    EXPECT_EQ(verified->chained_entries, entries);
    EXPECT_EQ(Audit().back().action, "audit.verify");
    EXPECT_EQ(Audit().back().detail, "intact entries=" + std::to_string(entries) + " head=" + check.head_hash);
    EXPECT_EQ(Check().chained_entries, entries + 1);
}

TEST_P(AuditChainContractTest, AnEditedEntryIsTheFirstBroken) {
    WriteSomeEntries();
    Tamper("UPDATE audit_log SET actor = 'someone.else@clinic.example' WHERE id = 2");
    const app::AuditChainCheck check = Check();
    EXPECT_EQ(check.first_broken_id, std::optional<std::int64_t>(2)) << check.problem;
    EXPECT_NE(check.problem.find("content does not match its hash"), std::string::npos) << check.problem;

    // The server goes on appending after the head; the check still names the first break.
    EXPECT_TRUE(clinic().patients.GetPatient(nurse_, app::PatientId{1}).ok());
    EXPECT_EQ(Check().first_broken_id, std::optional<std::int64_t>(2));
}

TEST_P(AuditChainContractTest, ADeletedEntryBreaksTheOneAfterIt) {
    WriteSomeEntries();
    Tamper("DELETE FROM audit_log WHERE id = 2");
    const app::AuditChainCheck check = Check();
    EXPECT_EQ(check.first_broken_id, std::optional<std::int64_t>(3)) << check.problem;
    EXPECT_NE(check.problem.find("entry 2 is missing"), std::string::npos) << check.problem;
}

TEST_P(AuditChainContractTest, DeletingTheLastEntriesIsFoundAgainstTheHead) {
    const std::int64_t entries = WriteSomeEntries();
    Tamper("DELETE FROM audit_log WHERE id >= " + std::to_string(entries - 1));
    const app::AuditChainCheck check = Check();
    EXPECT_EQ(check.first_broken_id, std::optional<std::int64_t>(entries - 1)) << check.problem;
    EXPECT_NE(check.problem.find("entries at its end were deleted"), std::string::npos) << check.problem;
}

TEST_P(AuditChainContractTest, AnInsertedEntryIsTheFirstBroken) {
    const std::int64_t entries = WriteSomeEntries();
    const std::string id = std::to_string(entries + 1);
    // Inserted without a hash, and then one with a made-up link and hash: both break the chain at that entry.
    Tamper(
        "INSERT INTO audit_log (id, at, actor, origin, action, record_type, record_id, patient_id, detail) "
        "VALUES (" +
        id + ", 0, 'x', 'x', 'patient.read', 'patient', 1, 1, '')");
    app::AuditChainCheck check = Check();
    EXPECT_EQ(check.first_broken_id, std::optional<std::int64_t>(entries + 1)) << check.problem;
    Tamper("DELETE FROM audit_log WHERE id = " + id);
    Tamper(
        "INSERT INTO audit_log (id, at, actor, origin, action, record_type, record_id, patient_id, detail, "
        "previous_hash, hash) VALUES (" +
        id + ", 0, 'x', 'x', 'patient.read', 'patient', 1, 1, '', '" + Check().head_hash + "', '" +
        std::string(64, 'a') + "')");
    check = Check();
    EXPECT_EQ(check.first_broken_id, std::optional<std::int64_t>(entries + 1)) << check.problem;
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChainContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
