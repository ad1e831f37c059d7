// The storage contract for the whole-record export: one consistent snapshot of every patient's record, the
// settings and the audit log, on a real SQLite file and a real PostgreSQL server; every exported patient audited.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "adapters/json/ndjson_export.hpp"
#include "adapters/storage/contract/use_case_fixture.hpp"
#include "app/record_export.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

namespace json = adapters::json;

// Keeps what the export hands over; fails on the patient numbered `fail_at_patient` (1-based) when set.
class RecordingSink final : public app::RecordExportSink {
public:
    explicit RecordingSink(int fail_at_patient = 0) : fail_at_patient_(fail_at_patient) {}

    Status Settings(const std::vector<std::pair<std::string, std::string>>& overrides) override {
        settings = overrides;
        return Status::Ok();
    }
    Status StandingOrderSets(const std::vector<app::StandingOrderSet>& sets) override {
        standing_order_sets = sets;
        return Status::Ok();
    }
    Status Users(const std::vector<app::User>& exported) override {
        users = exported;
        return Status::Ok();
    }
    Status CountDiscrepancies(const std::vector<app::CsDiscrepancy>& exported) override {
        count_discrepancies = exported;
        return Status::Ok();
    }
    Status Patient(const app::PatientRecordExport& record) override {
        if (static_cast<int>(patients.size()) + 1 == fail_at_patient_) {
            return Error{ErrorCode::kUnavailable, "out", "disk full"};
        }
        patients.push_back(record);
        return Status::Ok();
    }
    Status Audit(const app::AuditEntry& entry) override {
        audit.push_back(entry);
        return Status::Ok();
    }

    std::vector<std::pair<std::string, std::string>> settings;
    std::vector<app::StandingOrderSet> standing_order_sets;
    std::vector<app::User> users;
    std::vector<app::CsDiscrepancy> count_discrepancies;
    std::vector<app::PatientRecordExport> patients;
    std::vector<app::AuditEntry> audit;

private:
    int fail_at_patient_;
};

class ExportContractTest : public UseCaseTest {
protected:
    app::Actor exporter_{"cli:admin", "cli"};
};

TEST_P(ExportContractTest, ExportsEveryPatientsWholeRecordTheSettingsAndTheAuditLog) {
    const app::PatientId first = Register("MRN-1");
    const app::PatientId second = Register("MRN-2");
    app::PatientRecords& patients = clinic().patients;
    ASSERT_TRUE(clinic().settings.ChangeSetting(nurse_, "schedule.iv_induction_per_week", "3").ok());
    ASSERT_TRUE(patients.RecordWeight(nurse_, first, At(-60), 71.5, false, settings_).ok());
    ASSERT_TRUE(
        patients.RecordVitalSign(nurse_, BloodPressure(first, 128, 82, At(-30)), clinical::ClinicSettings{}).ok());
    const std::vector<int> phq9 = {1, 1, 1, 1, 1, 1, 1, 1, 0};
    ASSERT_TRUE(
        patients.RecordAssessment(nurse_, first, clinical::Instrument::kPhq9, phq9, At(-20), clinical::ClinicSettings{})
            .ok());
    ASSERT_TRUE(clinic().history.AddDiagnosis(nurse_, first, "F33.2").ok());
    const app::CourseRecord course = StartCourse(first);
    Result<app::Note> note = clinic().notes.Write(
        nurse_, first, app::NewNote{app::NoteKind::kPreparation, course.course.id, {}, "Set and setting."});
    ASSERT_TRUE(note.ok()) << note.error().ToString();
    app::NewAdverseEvent nausea;
    nausea.term = "nausea";
    nausea.grade = 1;
    nausea.onset_at = At(-10);
    nausea.actions = {clinical::AdverseEventAction::kNone};
    nausea.relatedness = clinical::Relatedness::kProbable;
    Result<app::AdverseEvent> event = clinic().adverse_events.Record(nurse_, first, nausea);
    ASSERT_TRUE(event.ok()) << event.error().ToString();
    const std::size_t audit_before = Audit().size();

    RecordingSink sink;
    Result<app::ExportSummary> summary = app::RecordExport(store(), clock_).Export(exporter_, sink);
    ASSERT_TRUE(summary.ok()) << summary.error().ToString();

    EXPECT_EQ(summary->patients, 2);
    ASSERT_EQ(sink.settings.size(), 1U);
    EXPECT_EQ(sink.settings[0].first, "schedule.iv_induction_per_week");
    EXPECT_EQ(sink.settings[0].second, "3");
    ASSERT_EQ(sink.patients.size(), 2U);
    const app::PatientRecordExport& exported = sink.patients[0];
    EXPECT_EQ(exported.patient.id, first);
    ASSERT_EQ(exported.weights.size(), 1U);
    EXPECT_DOUBLE_EQ(exported.weights[0].weight_kg, 71.5);
    ASSERT_EQ(exported.vital_signs.size(), 1U);
    EXPECT_DOUBLE_EQ(exported.vital_signs[0].value, 128);
    ASSERT_EQ(exported.assessments.size(), 1U);
    EXPECT_EQ(exported.assessments[0].total, 8);
    ASSERT_EQ(exported.history.size(), 1U);
    EXPECT_EQ(exported.history[0].value, "F33.2");
    ASSERT_EQ(exported.courses.size(), 1U);
    EXPECT_EQ(exported.sessions.size(), course.sessions.size());
    EXPECT_EQ(exported.session_transitions.size(), course.sessions.size());  // each created as scheduled
    ASSERT_EQ(exported.notes.size(), 1U);
    EXPECT_EQ(exported.notes[0].body, "Set and setting.");
    ASSERT_EQ(exported.adverse_events.size(), 1U);
    EXPECT_EQ(exported.adverse_events[0].term, "nausea");
    EXPECT_TRUE(exported.dose_orders.empty());
    EXPECT_EQ(sink.patients[1].patient.id, second);
    EXPECT_TRUE(sink.patients[1].vital_signs.empty());

    // The audit log as it stood when the snapshot was taken, then one entry per exported patient and one for the
    // export itself.
    EXPECT_EQ(sink.audit.size(), audit_before);
    EXPECT_EQ(summary->audit_entries, static_cast<std::int64_t>(audit_before));
    const std::vector<app::AuditEntry> after = Audit();
    ASSERT_EQ(after.size(), audit_before + 3);
    EXPECT_EQ(after[audit_before].action, "patient.export");
    EXPECT_EQ(after[audit_before].patient_id, first.value);
    EXPECT_EQ(after[audit_before + 1].patient_id, second.value);
    EXPECT_EQ(after[audit_before + 2].action, "record.export");
    EXPECT_EQ(after[audit_before + 2].actor, "cli:admin");
}

// Users are in the export (issue 15 §7), disabled ones too, with no secret: no password hash reaches the sink, and
// the NDJSON has a "user" line per user with none of it; the NDJSON also carries every kind of patient record the
// export reads (alerts, adverse events, notes, transitions and REMS forms included).
TEST_P(ExportContractTest, ExportsTheUsersWithoutAnySecret) {
    AddUser("nurse@clinic.example", app::Role::kNurse);
    AddUser("doctor@clinic.example", app::Role::kPrescriber);
    ASSERT_TRUE(clinic().users.DisableUser(admin_, "nurse@clinic.example").ok());
    const app::PatientId patient = Register("MRN-1");
    StartCourse(patient);
    Result<app::Note> note = clinic().notes.Write(
        nurse_, patient, app::NewNote{app::NoteKind::kProgress, std::nullopt, {}, "Tolerated well."});
    ASSERT_TRUE(note.ok()) << note.error().ToString();

    RecordingSink sink;
    Result<app::ExportSummary> summary = app::RecordExport(store(), clock_).Export(exporter_, sink);
    ASSERT_TRUE(summary.ok()) << summary.error().ToString();
    EXPECT_EQ(summary->users, 2);
    ASSERT_EQ(sink.users.size(), 2U);
    EXPECT_EQ(sink.users[0].email, "nurse@clinic.example");
    EXPECT_TRUE(sink.users[0].disabled);
    EXPECT_EQ(sink.users[1].role, app::Role::kPrescriber);
    for (const app::User& user : sink.users) {
        EXPECT_TRUE(user.password_hash.empty()) << user.email;
    }

    std::ostringstream ndjson;
    json::NdjsonExportSink lines(ndjson, store().Backend(), At(0));
    ASSERT_TRUE(app::RecordExport(store(), clock_).Export(exporter_, lines).ok());
    std::map<std::string, int> types;
    std::istringstream read(ndjson.str());
    for (std::string line; std::getline(read, line);) {
        const nlohmann::json parsed = nlohmann::json::parse(line);
        ++types[parsed.at("type").get<std::string>()];
        if (parsed.at("type") == "user") {
            EXPECT_FALSE(parsed.at("record").contains("password_hash")) << line;
        }
        EXPECT_EQ(line.find("$argon2"), std::string::npos) << line;
    }
    EXPECT_EQ(types["user"], 2);
    EXPECT_EQ(types["note"], 1);
    EXPECT_GT(types["session_transition"], 0);
    EXPECT_GT(types["treatment_session"], 0);
}

TEST_P(ExportContractTest, AFailingSinkStopsTheExportAndWhatWasReadIsStillAudited) {
    const app::PatientId first = Register("MRN-1");
    const app::PatientId second = Register("MRN-2");
    Register("MRN-3");
    const std::size_t audit_before = Audit().size();

    RecordingSink sink(/*fail_at_patient=*/2);
    Result<app::ExportSummary> summary = app::RecordExport(store(), clock_).Export(exporter_, sink);
    ASSERT_FALSE(summary.ok());
    EXPECT_EQ(summary.error().message, "disk full");
    EXPECT_TRUE(sink.audit.empty());
    const std::vector<app::AuditEntry> after = Audit();
    // The second patient was read and handed over (the sink may have written part of it); the third never was.
    ASSERT_EQ(after.size(), audit_before + 3);
    EXPECT_EQ(after[audit_before].action, "patient.export");
    EXPECT_EQ(after[audit_before].patient_id, first.value);
    EXPECT_EQ(after[audit_before + 1].patient_id, second.value);
    EXPECT_EQ(after[audit_before + 2].action, "record.export");
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
