// The one contract suite for the Store port: every case runs against a real SQLite file and a real PostgreSQL
// server (started by the postgres.server_start CTest fixture), through the app layer's use cases, so both adapters
// are held to exactly the same behaviour.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/contract/use_case_fixture.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

using app::Actor;
using app::PatientId;

// A blood-pressure reading with `value` as its systolic and the lowest plausible diastolic.
app::NewVitalSign Systolic(PatientId patient, double value, int seconds) {
    return BloodPressure(patient, value, 20, At(seconds));
}

class StoreContractTest : public UseCaseTest {};

TEST_P(StoreContractTest, RegistersAndReadsAPatientWithAuditEntries) {
    Result<app::Patient> created = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1"));
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    EXPECT_GT(created->id.value, 0);
    EXPECT_EQ(created->mrn, "MRN-1");
    EXPECT_EQ(created->version, 1);
    EXPECT_EQ(created->created_at, At(0));
    EXPECT_EQ(created->created_by, "nurse@clinic.example");

    Result<app::Patient> read = clinic().patients.GetPatient(nurse_, created->id);
    ASSERT_TRUE(read.ok()) << read.error().ToString();
    EXPECT_EQ(read->given_name, "Ada");
    EXPECT_EQ(read->family_name, "Example");
    EXPECT_EQ(read->birth_date, std::chrono::sys_days{std::chrono::year{1980} / 3 / 14});
    EXPECT_EQ(read->sex, clinical::Sex::kFemale);

    const std::vector<app::AuditEntry> audit = Audit(created->id.value);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(audit[0].action, "patient.create");
    EXPECT_EQ(audit[1].action, "patient.read");
    EXPECT_EQ(audit[1].actor, "nurse@clinic.example");
    EXPECT_EQ(audit[1].origin, "10.0.0.7");
    EXPECT_EQ(audit[1].record_type, "patient");
    EXPECT_EQ(audit[1].record_id, created->id.value);
}

TEST_P(StoreContractTest, DuplicateMrnIsAConflictAndWritesNothing) {
    ASSERT_TRUE(clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1")).ok());
    Result<app::Patient> again = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().ToString(), "mrn: a patient with MRN MRN-1 already exists");
    Result<std::vector<app::Patient>> all = clinic().patients.ListPatients(nurse_, PatientId{}, 10);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 1u);
    const std::vector<app::AuditEntry> audit = Audit(std::nullopt);
    ASSERT_EQ(audit.size(), 2u);  // the first create and the listing; the refused create left no entry
    EXPECT_EQ(audit[0].action, "patient.create");
    EXPECT_EQ(audit[1].action, "patient.list");
}

TEST_P(StoreContractTest, InvalidPatientInputIsRefusedBeforeTheStore) {
    app::NewPatient unnamed = NewPatient("MRN-2");
    unnamed.given_name.clear();
    EXPECT_EQ(clinic().patients.RegisterPatient(nurse_, unnamed).error().ToString(), "given_name: is required");
    app::NewPatient unborn = NewPatient("MRN-3");
    unborn.birth_date = std::chrono::sys_days{std::chrono::year{2030} / 1 / 1};
    EXPECT_EQ(clinic().patients.RegisterPatient(nurse_, unborn).error().field, "birth_date");
    EXPECT_EQ(clinic().patients.ListPatients(nurse_, PatientId{}, 0).error().field, "limit");
}

TEST_P(StoreContractTest, UpdateNeedsTheCurrentVersion) {
    Result<app::Patient> created = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1"));
    ASSERT_TRUE(created.ok());
    app::Patient edited = *created;
    edited.family_name = "Renamed";
    Status first = store().Write([&](app::StoreTransaction& tx) { return tx.UpdatePatient(edited); });
    ASSERT_TRUE(first.ok()) << first.error().ToString();
    Status stale = store().Write([&](app::StoreTransaction& tx) { return tx.UpdatePatient(edited); });
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
    EXPECT_EQ(stale.error().field, "version");
    Result<app::Patient> read = clinic().patients.GetPatient(nurse_, created->id);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->family_name, "Renamed");
    EXPECT_EQ(read->version, 2);
}

TEST_P(StoreContractTest, FailedWorkRollsBackEverything) {
    Status failed = store().Write([&](app::StoreTransaction& tx) -> Status {
        Result<PatientId> id = tx.InsertPatient(NewPatient("MRN-ROLLBACK"), At(0), "test");
        EXPECT_TRUE(id.ok());
        return Error{ErrorCode::kFailedPrecondition, "", "refused after writing"};
    });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().message, "refused after writing");
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::optional<app::Patient>> found = tx.FindPatientByMrn("MRN-ROLLBACK");
        EXPECT_TRUE(found.ok());
        EXPECT_FALSE(found.ok() && found->has_value());
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
}

TEST_P(StoreContractTest, ListsPatientsByKeysetPages) {
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-" + std::to_string(i))).ok());
    }
    Result<std::vector<app::Patient>> first = clinic().patients.ListPatients(nurse_, PatientId{}, 2);
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first->size(), 2u);
    Result<std::vector<app::Patient>> rest = clinic().patients.ListPatients(nurse_, first->back().id, 10);
    ASSERT_TRUE(rest.ok());
    ASSERT_EQ(rest->size(), 3u);
    EXPECT_EQ(rest->front().mrn, "MRN-2");
}

TEST_P(StoreContractTest, RecordsVitalSignsAndRefusesImpossibleOnes) {
    Result<app::Patient> patient = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1"));
    ASSERT_TRUE(patient.ok());
    clock_.Set(At(600));  // every reading below is timed up to At(600), not in the future (clinical::CheckEntryTime)
    for (int minute = 0; minute < 5; ++minute) {
        ASSERT_TRUE(
            clinic().patients.RecordVitalSign(nurse_, Systolic(patient->id, 120.5 + minute, minute * 60), {}).ok());
    }
    Result<app::RecordedVitalSign> impossible =
        clinic().patients.RecordVitalSign(nurse_, Systolic(patient->id, 301, 400), {});
    ASSERT_FALSE(impossible.ok());
    EXPECT_EQ(impossible.error().ToString(), "systolic: must be between 40 and 300 mm[Hg] (got 301 mm[Hg])");
    Result<app::RecordedVitalSign> unusual =
        clinic().patients.RecordVitalSign(nurse_, Systolic(patient->id, 45, 500), {});
    EXPECT_TRUE(unusual.ok());  // unusual but possible: accepted
    Result<app::RecordedVitalSign> orphan =
        clinic().patients.RecordVitalSign(nurse_, Systolic(PatientId{999999}, 120, 0), {});
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);

    Result<std::vector<app::VitalSign>> latest = clinic().patients.ListVitalSigns(nurse_, patient->id, std::nullopt, 3);
    ASSERT_TRUE(latest.ok());
    ASSERT_EQ(latest->size(), 3u);
    EXPECT_EQ(latest->front().value, 123.5);  // the latest three, oldest first
    EXPECT_EQ(latest->back().value, 45.0);
    EXPECT_EQ(latest->back().unit, "mm[Hg]");
    EXPECT_EQ(latest->back().observed_at, At(500));
    EXPECT_EQ(latest->back().recorded_by, "nurse@clinic.example");

    app::NewVitalSign device = Systolic(patient->id, 118, 600);
    device.source = app::VitalSource::kDevice;
    EXPECT_EQ(clinic().patients.RecordVitalSign(nurse_, device, {}).error().field, "device_id");
    device.device_id = "monitor-3";
    Result<app::RecordedVitalSign> from_device = clinic().patients.RecordVitalSign(nurse_, device, {});
    ASSERT_TRUE(from_device.ok());
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        Result<app::VitalSign> stored = tx.GetVitalSign(from_device->vital.id);
        EXPECT_TRUE(stored.ok());
        if (stored.ok()) {
            EXPECT_EQ(stored->source, app::VitalSource::kDevice);
            EXPECT_EQ(stored->device_id, "monitor-3");
        }
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
}

TEST_P(StoreContractTest, RecordsAssessmentsWithTheirScoreAndFlags) {
    Result<app::Patient> patient = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1"));
    ASSERT_TRUE(patient.ok());
    const std::vector<int> answers = {2, 3, 2, 2, 1, 3, 2, 1, 1};
    Result<app::RecordedAssessment> phq9 =
        clinic().patients.RecordAssessment(nurse_, patient->id, clinical::Instrument::kPhq9, answers, At(10), {});
    ASSERT_TRUE(phq9.ok()) << phq9.error().ToString();
    const std::vector<int> invalid = {4, 0, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(clinic()
                  .patients.RecordAssessment(nurse_, patient->id, clinical::Instrument::kPhq9, invalid, At(11), {})
                  .error()
                  .field,
              "answers[1]");
    Result<std::vector<app::Assessment>> listed = clinic().patients.ListAssessments(nurse_, patient->id);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1u);
    const app::Assessment& stored = listed->front();
    EXPECT_EQ(stored.instrument, clinical::Instrument::kPhq9);
    EXPECT_EQ(stored.answers, answers);
    EXPECT_EQ(stored.total, 17);
    EXPECT_EQ(stored.band, "moderately_severe");
    EXPECT_EQ(stored.band_rule, "kroenke_2001");
    EXPECT_NE(std::find(stored.flags.begin(), stored.flags.end(), "suicidality"), stored.flags.end());
    EXPECT_EQ(stored.assessed_at, At(10));
}

TEST_P(StoreContractTest, RecordsWeightsInTimeOrder) {
    Result<app::Patient> patient = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1"));
    ASSERT_TRUE(patient.ok());
    ASSERT_TRUE(clinic().patients.RecordWeight(nurse_, patient->id, At(100), 70.25, false, settings_).ok());
    ASSERT_TRUE(clinic().patients.RecordWeight(nurse_, patient->id, At(50), 71.0, false, settings_).ok());
    EXPECT_EQ(clinic().patients.RecordWeight(nurse_, patient->id, At(60), 251, false, settings_).error().field,
              "weight_kg");
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::vector<app::WeightMeasurement>> weights = tx.ListWeights(patient->id);
        EXPECT_TRUE(weights.ok());
        if (weights.ok()) {
            EXPECT_EQ(weights->size(), 2u);
            EXPECT_EQ(weights->front().weight_kg, 71.0);
            EXPECT_EQ(weights->back().weight_kg, 70.25);
        }
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
}

TEST_P(StoreContractTest, AuditLogFiltersAndPages) {
    Result<app::Patient> a = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-A"));
    Result<app::Patient> b =
        clinic().patients.RegisterPatient(Actor{"doctor@clinic.example", "10.0.0.8"}, NewPatient("MRN-B"));
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_TRUE(clinic().patients.GetPatient(nurse_, b->id).ok());
    app::AuditFilter by_nurse;
    by_nurse.actor = "nurse@clinic.example";
    Result<std::vector<app::AuditEntry>> nurse_entries = clinic().patients.ListAudit(nurse_, by_nurse);
    ASSERT_TRUE(nurse_entries.ok());
    ASSERT_EQ(nurse_entries->size(), 2u);
    EXPECT_EQ((*nurse_entries)[0].action, "patient.create");
    EXPECT_EQ((*nurse_entries)[1].action, "patient.read");
    app::AuditFilter reads_of_b;
    reads_of_b.patient_id = b->id.value;
    reads_of_b.action = "patient.read";
    Result<std::vector<app::AuditEntry>> b_reads = clinic().patients.ListAudit(nurse_, reads_of_b);
    ASSERT_TRUE(b_reads.ok());
    ASSERT_EQ(b_reads->size(), 1u);
    app::AuditFilter page;
    page.limit = 1;
    page.after_id = (*nurse_entries)[0].id.value;
    Result<std::vector<app::AuditEntry>> next = clinic().patients.ListAudit(nurse_, page);
    ASSERT_TRUE(next.ok());
    ASSERT_EQ(next->size(), 1u);
    EXPECT_GT(next->front().id.value, page.after_id);
}

TEST_P(StoreContractTest, SettingsAreUpserted) {
    Status saved = store().Write([&](app::StoreTransaction& tx) -> Status {
        if (Status first = tx.SaveSetting("dose.iv_max_mg_per_kg", "0.8", At(0), "admin"); !first.ok()) {
            return first;
        }
        if (Status second = tx.SaveSetting("region", "eu", At(1), "admin"); !second.ok()) {
            return second;
        }
        return tx.SaveSetting("dose.iv_max_mg_per_kg", "0.7", At(2), "admin");
    });
    ASSERT_TRUE(saved.ok()) << saved.error().ToString();
    Status read = store().Read([&](app::StoreTransaction& tx) -> Status {
        Result<std::vector<std::pair<std::string, std::string>>> settings = tx.LoadSettings();
        EXPECT_TRUE(settings.ok());
        if (settings.ok()) {
            const std::vector<std::pair<std::string, std::string>> expected = {{"dose.iv_max_mg_per_kg", "0.7"},
                                                                               {"region", "eu"}};
            EXPECT_EQ(*settings, expected);
        }
        return Status::Ok();
    });
    EXPECT_TRUE(read.ok());
}

// Many writers at once: no lost write and no error surfaced (SQLite: group commit, never SQLITE_BUSY).
TEST_P(StoreContractTest, ConcurrentWritersLoseNothing) {
    Result<app::Patient> patient = clinic().patients.RegisterPatient(nurse_, NewPatient("MRN-1"));
    ASSERT_TRUE(patient.ok());
    constexpr int kThreads = 16;
    constexpr int kWritesPerThread = 25;
    // Every reading is timed up to At(kThreads * 1000), before the server's now (clinical::CheckEntryTime).
    clock_.Set(At(kThreads * 1000));
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    std::vector<std::vector<std::int64_t>> ids(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            const Actor device{"system:monitor-" + std::to_string(t), "test"};
            for (int i = 0; i < kWritesPerThread; ++i) {
                Result<app::RecordedVitalSign> vital =
                    clinic().patients.RecordVitalSign(device, Systolic(patient->id, 100 + t, t * 1000 + i), {});
                if (!vital.ok()) {
                    ++failures;
                    continue;
                }
                ids[t].push_back(vital->vital.id.value);
                if (i % 5 == 0) {
                    const std::vector<int> answers = {5};
                    if (!clinic()
                             .patients
                             .RecordAssessment(device, patient->id, clinical::Instrument::kMoaas, answers,
                                               At(t * 1000 + i), {})
                             .ok()) {
                        ++failures;
                    }
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
    std::set<std::int64_t> unique_ids;
    for (const auto& per_thread : ids) {
        unique_ids.insert(per_thread.begin(), per_thread.end());
    }
    EXPECT_EQ(unique_ids.size(), static_cast<std::size_t>(kThreads * kWritesPerThread));
    Result<std::vector<app::VitalSign>> stored =
        clinic().patients.ListVitalSigns(nurse_, patient->id, std::nullopt, app::kMaxPageSize);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->size(), static_cast<std::size_t>(kThreads * kWritesPerThread));
    Result<std::vector<app::Assessment>> assessments = clinic().patients.ListAssessments(nurse_, patient->id);
    ASSERT_TRUE(assessments.ok());
    EXPECT_EQ(assessments->size(), static_cast<std::size_t>(kThreads * kWritesPerThread / 5));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
