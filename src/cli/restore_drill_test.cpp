// The restore drill (docs/operations.md): a clinic's database backed up and restored with the tools the docs name
// (`kclinic backup` / `kclinic restore` for SQLite, `pg_dump` / `pg_restore` for PostgreSQL) exports record for record
// what the original exports; a truncated or damaged backup is refused with a clear error and restores nothing.
// The record is the demo clinic's (every step of the care pathway, the audit log, the monitor's readings), seeded by
// a real `kclinic serve --demo`.

#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

namespace contract = adapters::storage::contract;

const std::string kPgDump = "/usr/bin/pg_dump";
const std::string kPgRestore = "/usr/bin/pg_restore";
const std::string kPsql = "/usr/bin/psql";

// `kclinic export` of the database at `url`, without its first line (the export's own header, which names the
// moment of the export): the record, one NDJSON line per record. Empty, with a test failure, when it fails.
std::vector<std::string> ExportedRecord(const std::string& url) {
    const CommandRun run = RunKclinic({"export", "--format", "ndjson", "--db", url});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> lines;
    std::istringstream text(run.out);
    for (std::string line; std::getline(text, line);) {
        lines.push_back(line);
    }
    EXPECT_FALSE(lines.empty()) << "no export header";
    if (!lines.empty()) {
        EXPECT_NE(lines.front().find(R"("type":"export")"), std::string::npos) << lines.front();
        lines.erase(lines.begin());
    }
    return lines;
}

// Where two exports first differ, for a readable failure instead of two multi-megabyte dumps.
void ExpectSameRecord(const std::vector<std::string>& original, const std::vector<std::string>& restored) {
    const std::size_t common = std::min(original.size(), restored.size());
    for (std::size_t i = 0; i < common; ++i) {
        if (original[i] != restored[i]) {
            ADD_FAILURE() << "record line " << i + 2 << " differs\n  original: " << original[i].substr(0, 400)
                          << "\n  restored: " << restored[i].substr(0, 400);
            return;
        }
    }
    EXPECT_EQ(original.size(), restored.size()) << "the exports have different numbers of records";
}

std::string FileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The demo clinic, seeded by `kclinic serve --demo` on a fresh database of `backend` and stopped; nullptr (with a
// test failure) when the server did not start or stop cleanly. The database stays with the returned object.
std::unique_ptr<ClinicServer> SeededDemoClinic(contract::Backend backend) {
    std::unique_ptr<ClinicServer> server = ClinicServer::Start(backend, {"--demo"});
    if (server == nullptr) {
        return nullptr;
    }
    EXPECT_EQ(server->Stop(), 0);
    return server;
}

// Backups damaged as disks, networks and people damage them: cut short, and overwritten in the middle.
struct DamagedBackup {
    std::string what;
    std::string bytes;
};

std::vector<DamagedBackup> DamagedCopiesOf(const std::string& backup) {
    const std::string bytes = FileBytes(backup);
    std::string overwritten = bytes;
    // A whole page in the middle (SQLite's pages and pg_dump's blocks are both far larger than this), page-aligned.
    const std::size_t middle = (bytes.size() / 2) / 4096 * 4096;
    for (std::size_t i = middle; i < std::min(bytes.size(), middle + 4096); ++i) {
        overwritten[i] = static_cast<char>(0xA5);
    }
    return {
        {"truncated to half", bytes.substr(0, bytes.size() / 2)},
        {"truncated by one byte", bytes.substr(0, bytes.size() - 1)},
        {"a page in the middle overwritten", overwritten},
        {"not a backup at all", "patient,mrn\n1,MRN-1\n"},
    };
}

TEST(RestoreDrillTest, SqliteBackupRestoresRecordForRecordAndADamagedOneIsRefused) {
    std::unique_ptr<ClinicServer> clinic = SeededDemoClinic(contract::Backend::kSqlite);
    ASSERT_NE(clinic, nullptr);
    const std::string original_url = clinic->database().url();
    auto target = contract::TestDatabase::Create(contract::Backend::kSqlite);
    ASSERT_TRUE(target.ok()) << target.error().message;
    const std::string folder = std::filesystem::path((*target)->url().substr(7)).parent_path().string();
    const std::string backup = folder + "/clinic-backup.db";

    // The backup first: an export writes audit entries of its own, which the restored copy must not be asked for.
    const CommandRun backed_up = RunKclinic({"backup", "--db", original_url, "--to", backup});
    ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
    const CommandRun restored = RunKclinic({"restore", "--from", backup, "--db", (*target)->url()});
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    const std::vector<std::string> record = ExportedRecord((*target)->url());
    ExpectSameRecord(ExportedRecord(original_url), record);
    EXPECT_GT(record.size(), 1000U) << "the demo clinic's record should be large";

    // Each damaged copy, carried with the backup's checksum file as a copy of the folder would be, is refused with
    // exit 2 and a line that says why, and the database it was to replace keeps every byte. So is a sound copy
    // without its checksum file: nothing vouches for its bytes.
    const std::string restored_file = (*target)->url().substr(7);
    const std::string checksum = FileBytes(backup + ".sha256");
    ASSERT_FALSE(checksum.empty()) << "kclinic backup wrote no checksum file";
    for (const DamagedBackup& damaged : DamagedCopiesOf(backup)) {
        SCOPED_TRACE(damaged.what);
        const std::string path = folder + "/damaged.db";
        WriteFile(path, damaged.bytes);
        WriteFile(path + ".sha256", checksum);
        const std::string before = FileBytes(restored_file);
        const CommandRun refused = RunKclinic({"restore", "--from", path, "--db", (*target)->url(), "--replace"});
        EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
        EXPECT_NE(refused.err.find("does not match its checksum"), std::string::npos) << refused.err;
        EXPECT_TRUE(FileBytes(restored_file) == before) << "a refused restore changed the database";
    }
    const std::string unvouched = folder + "/unvouched.db";
    std::filesystem::copy_file(backup, unvouched);
    const CommandRun refused = RunKclinic({"restore", "--from", unvouched, "--db", (*target)->url(), "--replace"});
    EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("no checksum beside the backup"), std::string::npos) << refused.err;
}

TEST(RestoreDrillTest, PgDumpRestoresRecordForRecordAndADamagedDumpRestoresNothing) {
    std::unique_ptr<ClinicServer> clinic = SeededDemoClinic(contract::Backend::kPostgres);
    ASSERT_NE(clinic, nullptr);
    const std::string original_url = clinic->database().url();
    auto target = contract::TestDatabase::Create(contract::Backend::kPostgres);
    ASSERT_TRUE(target.ok()) << target.error().message;
    const std::string folder = (std::filesystem::temp_directory_path() / "kclinic_restore_drill_XXXXXX").string();
    std::string folder_template = folder;
    ASSERT_NE(mkdtemp(folder_template.data()), nullptr);
    const std::string dump = folder_template + "/kclinic.dump";

    // The commands of docs/operations.md, as an operator types them.
    const CommandRun dumped = RunProgram(kPgDump, {"--format=custom", "--file=" + dump, original_url});
    ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
    const auto restore = [&](const std::string& from) {
        return RunProgram(kPgRestore, {"--single-transaction", "--exit-on-error", "--clean", "--if-exists",
                                       "--no-owner", "--dbname=" + (*target)->url(), from});
    };
    const auto table_count = [&] {
        const CommandRun counted =
            RunProgram(kPsql, {"--no-psqlrc", "-At", "-c", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                               (*target)->url()});
        EXPECT_EQ(counted.exit_code, 0) << counted.err;
        return counted.out;
    };

    // A damaged dump into the empty database: pg_restore fails, and its single transaction leaves no table behind.
    for (const DamagedBackup& damaged : DamagedCopiesOf(dump)) {
        SCOPED_TRACE(damaged.what);
        const std::string path = folder_template + "/damaged.dump";
        WriteFile(path, damaged.bytes);
        const CommandRun refused = restore(path);
        EXPECT_NE(refused.exit_code, 0) << "pg_restore took a damaged dump";
        EXPECT_NE(refused.err.find("pg_restore: error:"), std::string::npos) << refused.err;
        EXPECT_EQ(table_count(), "0\n") << "a failed restore left tables behind";
    }

    const CommandRun restored = restore(dump);
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    const std::vector<std::string> record = ExportedRecord((*target)->url());
    ExpectSameRecord(ExportedRecord(original_url), record);
    EXPECT_GT(record.size(), 1000U) << "the demo clinic's record should be large";
    std::filesystem::remove_all(folder_template);
}

}  // namespace
}  // namespace kclinic::cli::testing
