// Finding a patient by MRN or by name (PatientRecords::SearchPatients, app/patient_search.hpp), on a real SQLite file
// and a real PostgreSQL server: both backends must find exactly the same patients for the same text, including
// where their own case folding would differ (letters beyond A-Z), and each search is audited with what it looked for.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/patient_records.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::PatientId;

class PatientSearchContractTest : public UseCaseTest {
protected:
    // The MRNs a search finds, in the order answered; a test failure (and nothing) when it is refused.
    std::vector<std::string> Found(const app::PatientSearch& search, PatientId after = PatientId{}, int limit = 100) {
        Result<std::vector<app::Patient>> found = clinic().patients.SearchPatients(nurse_, search, after, limit);
        EXPECT_TRUE(found.ok()) << found.error().ToString();
        std::vector<std::string> mrns;
        for (const app::Patient& patient : found.ok() ? *found : std::vector<app::Patient>{}) {
            mrns.push_back(patient.mrn);
        }
        return mrns;
    }
    std::vector<std::string> ByName(const std::string& name) { return Found(app::PatientSearch{std::nullopt, name}); }
    std::vector<std::string> ByMrn(const std::string& mrn) { return Found(app::PatientSearch{mrn, std::nullopt}); }

    using Mrns = std::vector<std::string>;
};

TEST_P(PatientSearchContractTest, ByMrnFindsExactlyThatPatientOrNone) {
    Register("MRN-1");
    Register("MRN-10");
    Register("mrn-1");
    EXPECT_EQ(ByMrn("MRN-1"), Mrns{"MRN-1"});
    EXPECT_EQ(ByMrn("mrn-1"), Mrns{"mrn-1"});
    EXPECT_EQ(ByMrn("MRN-"), Mrns{});  // exact, never a prefix
    EXPECT_EQ(ByMrn("MRN-2"), Mrns{});
    EXPECT_EQ(ByMrn("MRN-1 "), Mrns{});
}

TEST_P(PatientSearchContractTest, ByNameFindsAPrefixOfEitherNameOrFamilyCommaGivenIgnoringCaseOfAToZ) {
    Register("LOVELACE", "Ada", "Lovelace");
    Register("LOVEJOY", "Bob", "Lovejoy");
    Register("HOPPER", "Grace", "Hopper");
    Register("TURING", "Alan", "Turing");
    Register("ZOLA", "Émile", "Zola");
    Register("ALVAREZ", "José", "Álvarez");
    Register("OBRIEN", "Mary Ann", "O'Brien");
    Register("PERCENT", "Pat", "100%_Sure");

    EXPECT_EQ(ByName("lov"), (Mrns{"LOVELACE", "LOVEJOY"}));
    EXPECT_EQ(ByName("LOVE"), (Mrns{"LOVELACE", "LOVEJOY"}));
    EXPECT_EQ(ByName("Lovelace, A"), Mrns{"LOVELACE"});
    EXPECT_EQ(ByName(" lovelace ,  ada "), Mrns{"LOVELACE"});
    EXPECT_EQ(ByName("Lovelace, Bob"), Mrns{});
    EXPECT_EQ(ByName("hopper,"), Mrns{"HOPPER"});
    EXPECT_EQ(ByName("a"), (Mrns{"LOVELACE", "TURING"}));  // given names Ada and Alan; "Álvarez" is not "a..."
    EXPECT_EQ(ByName("mary a"), Mrns{"OBRIEN"});
    EXPECT_EQ(ByName("O'B"), Mrns{"OBRIEN"});
    // Beyond A-Z, a letter must be as stored: PostgreSQL's lower() would fold É and SQLite's would not, so neither
    // backend folds it and both answer alike.
    EXPECT_EQ(ByName("Émile"), Mrns{"ZOLA"});
    EXPECT_EQ(ByName("émile"), Mrns{});
    EXPECT_EQ(ByName("JOS"), Mrns{"ALVAREZ"});
    EXPECT_EQ(ByName("JOSÉ"), Mrns{});
    EXPECT_EQ(ByName("Álv"), Mrns{"ALVAREZ"});
    // No character is a wildcard.
    EXPECT_EQ(ByName("%"), Mrns{});
    EXPECT_EQ(ByName("_"), Mrns{});
    EXPECT_EQ(ByName("100%_"), Mrns{"PERCENT"});
}

TEST_P(PatientSearchContractTest, PagesByIdLikeTheList) {
    const PatientId first = Register("A-1", "Ann", "One");
    Register("B-1", "Bea", "Other");
    const PatientId third = Register("A-2", "Ann", "Two");
    const app::PatientSearch ann{std::nullopt, "ann"};
    EXPECT_EQ(Found(ann, PatientId{}, 1), Mrns{"A-1"});
    EXPECT_EQ(Found(ann, first, 1), Mrns{"A-2"});
    EXPECT_EQ(Found(ann, third, 1), Mrns{});
    const app::PatientSearch mrn{"A-1", std::nullopt};
    EXPECT_EQ(Found(mrn, PatientId{}, 1), Mrns{"A-1"});
    EXPECT_EQ(Found(mrn, first, 1), Mrns{});
}

TEST_P(PatientSearchContractTest, EachSearchIsAuditedWithWhatItLookedFor) {
    Register("MRN-1");
    ByMrn("MRN-1");
    ByName("Lovelace, A");
    const std::vector<app::AuditEntry> audit = Audit();
    ASSERT_GE(audit.size(), 2U);
    const app::AuditEntry& by_mrn = audit[audit.size() - 2];
    const app::AuditEntry& by_name = audit.back();
    EXPECT_EQ(by_mrn.action, "patient.search");
    EXPECT_EQ(by_mrn.detail, "mrn=MRN-1");
    EXPECT_EQ(by_mrn.actor, nurse_.user);
    EXPECT_EQ(by_name.action, "patient.search");
    EXPECT_EQ(by_name.detail, "name=Lovelace, A");
    EXPECT_EQ(by_name.patient_id, 0);
    // Every other entry keeps an empty detail.
    EXPECT_EQ(audit.front().action, "patient.create");
    EXPECT_EQ(audit.front().detail, "");
}

TEST_P(PatientSearchContractTest, RefusesAnUnclearSearchNamingTheFieldAndAuditsNothing) {
    Register("MRN-1");
    const std::size_t audited = Audit().size();
    struct Refusal {
        app::PatientSearch search;
        int limit;
        std::string field;
    };
    const std::vector<Refusal> refusals = {
        {{"MRN-1", "Ada"}, 10, "mrn"},      {{std::nullopt, std::nullopt}, 10, "name"},
        {{std::nullopt, "  "}, 10, "name"}, {{std::nullopt, ", Ada"}, 10, "name"},
        {{"", std::nullopt}, 10, "mrn"},    {{"MRN-1", std::nullopt}, 0, "limit"},
    };
    for (const Refusal& refusal : refusals) {
        Result<std::vector<app::Patient>> found =
            clinic().patients.SearchPatients(nurse_, refusal.search, PatientId{}, refusal.limit);
        ASSERT_FALSE(found.ok()) << refusal.field;
        EXPECT_EQ(found.error().field, refusal.field);
    }
    EXPECT_EQ(Audit().size(), audited);
}

INSTANTIATE_TEST_SUITE_P(Backends, PatientSearchContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& param_info) { return std::string(BackendName(param_info.param)); });

}  // namespace
}  // namespace kclinic::adapters::storage::contract
