#include "adapters/storage/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "adapters/storage/sql/sql_transaction.hpp"

namespace kclinic::adapters::storage::sqlite {
namespace {

// One savepoint name serves every job: jobs run one after another, and each releases its savepoint before the next
// begins.
constexpr std::string_view kSavepoint = "SAVEPOINT kclinic_job";
constexpr std::string_view kRelease = "RELEASE kclinic_job";
constexpr std::string_view kRollbackTo = "ROLLBACK TO kclinic_job";

// Transaction control goes through Query rather than Execute so that its statements are prepared once and cached.
Status Control(SqliteConnection& connection, std::string_view statement) {
    return StatusOf(connection.Query(statement, {}));
}

bool Exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

Error SystemError(ErrorCode code, const std::string& what, int err) {
    return Error{code, {}, what + ": " + std::strerror(err)};
}

// "ok", or the first problems PRAGMA integrity_check reports.
Status CheckIntegrity(SqliteConnection& connection, const std::string& path) {
    auto rows = connection.Query("PRAGMA integrity_check", {});
    if (!rows.ok()) {
        return Error{ErrorCode::kFailedPrecondition, {}, path + " failed its integrity check: " + rows.error().message};
    }
    std::string problems;
    for (const auto& row : *rows) {
        const auto* text = row.columns.empty() ? nullptr : std::get_if<std::string>(&row.columns.front());
        if (text != nullptr && *text == "ok" && rows->size() == 1) {
            return Status::Ok();
        }
        if (!problems.empty()) {
            problems += "; ";
        }
        problems += text == nullptr ? std::string("(no message)") : *text;
    }
    return Error{ErrorCode::kFailedPrecondition, {}, path + " failed its integrity check: " + problems};
}

// Makes a rename or link in `path`'s folder durable: without it a crash can forget the new directory entry even
// though the file's data reached the disk.
void SyncParentDirectory(const std::string& path) {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) {
        parent = ".";
    }
    const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Copies the database `source` reads into the new file `target`, which appears complete or not at all: the copy is
// written to a temporary file beside it and linked into place with link(2), which also refuses to replace a file
// that appeared meanwhile. The copy is switched to a rollback journal so that it is one self-contained file.
Status CopyToNewFile(sqlite3* source, const std::string& target, bool check_integrity) {
    std::string temp = target + ".XXXXXX";
    // mkstemp's mode 0600 suits a file full of patient data.
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        return SystemError(ErrorCode::kUnavailable, "cannot create a file beside " + target, errno);
    }
    ::close(fd);
    struct RemoveOnExit {
        const std::string& path;
        ~RemoveOnExit() {
            ::unlink(path.c_str());
            ::unlink((path + "-journal").c_str());
            ::unlink((path + "-wal").c_str());
            ::unlink((path + "-shm").c_str());
        }
    } remove_temp{temp};

    {
        ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> copy, SqliteConnection::Open(temp, OpenMode::kReadWrite));
        sqlite3* dest = copy->handle();
        sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
        if (backup == nullptr) {
            return Error{ErrorCode::kUnavailable, {}, "cannot copy into " + target + ": " + sqlite3_errmsg(dest)};
        }
        // All pages in one step: the source is read in one transaction, so the copy is one consistent snapshot
        // even while other connections write.
        const int step = sqlite3_backup_step(backup, -1);
        const int finish = sqlite3_backup_finish(backup);
        if (step != SQLITE_DONE || finish != SQLITE_OK) {
            const int code = step != SQLITE_DONE ? step : finish;
            return Error{(code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB ? ErrorCode::kInternal
                                                                                           : ErrorCode::kUnavailable,
                         {},
                         "copying into " + target + " failed: " + sqlite3_errstr(code)};
        }
        // The copied header still says WAL (it is the source's); a backup should not need a -wal file beside it.
        RETURN_IF_ERROR(copy->Query("PRAGMA journal_mode = DELETE", {}));
        if (check_integrity) {
            if (const Status status = CheckIntegrity(*copy, target); !status.ok()) {
                return Error{ErrorCode::kInternal, {}, status.error().message};
            }
        }
    }  // closed: with synchronous=FULL its commit has already reached the disk

    if (::link(temp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        if (err == EEXIST) {
            return Error{ErrorCode::kConflict, {}, target + " already exists; it is never overwritten"};
        }
        return SystemError(ErrorCode::kUnavailable, "cannot create " + target, err);
    }
    SyncParentDirectory(target);
    return Status::Ok();
}

// A backup's checksum file, in the format of coreutils' sha256sum ("<hex>  <name>"), so that `sha256sum -c` checks
// it too. PRAGMA integrity_check sees only the structure of the b-trees: a backup cut short by part of its last page,
// or with bytes changed inside a record, passes it. The checksum sees every byte.
std::string ChecksumPath(const std::string& backup_path) {
    return backup_path + ".sha256";
}

// The SHA-256 of the file's bytes in lower-case hex, read in chunks (a backup can be larger than memory).
Result<std::string> FileSha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return SystemError(ErrorCode::kUnavailable, "cannot read " + path, errno);
    }
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::array<char, std::size_t{64} * 1024> chunk{};
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()),
                                  static_cast<unsigned long long>(in.gcount()));
    }
    if (in.bad()) {
        return SystemError(ErrorCode::kUnavailable, "cannot read " + path, errno);
    }
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state, digest.data());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data());
}

// Writes the checksum file of the finished backup at `backup_path`, complete or not at all (a temporary file
// linked into place, as the backup itself is).
Status WriteChecksumFile(const std::string& backup_path) {
    ASSIGN_OR_RETURN(std::string digest, FileSha256(backup_path));
    const std::string target = ChecksumPath(backup_path);
    std::string temp = target + ".XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        return SystemError(ErrorCode::kUnavailable, "cannot create a file beside " + target, errno);
    }
    const std::string line = digest + "  " + std::filesystem::path(backup_path).filename().string() + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    const int write_err = errno;
    ::close(fd);
    const bool linked = written && ::link(temp.c_str(), target.c_str()) == 0;
    const int err = written ? errno : write_err;
    ::unlink(temp.c_str());
    if (!linked) {
        return SystemError(ErrorCode::kUnavailable, "cannot write " + target, err);
    }
    SyncParentDirectory(target);
    return Status::Ok();
}

// OK when the backup's bytes are those its checksum file records. The name in the checksum file is not compared: a
// backup may be renamed, or copied with its checksum file under another name.
Status VerifyChecksumFile(const std::string& backup_path) {
    const std::string checksum_path = ChecksumPath(backup_path);
    std::ifstream in(checksum_path);
    std::string recorded;
    if (!in || !(in >> recorded)) {
        return Error{ErrorCode::kFailedPrecondition,
                     {},
                     "no checksum beside the backup (" + checksum_path +
                         ", written by kclinic backup): a backup is restored only when its bytes are known to be "
                         "those backed up, so keep and copy it with its .sha256 file"};
    }
    ASSIGN_OR_RETURN(std::string actual, FileSha256(backup_path));
    if (recorded != actual) {
        return Error{ErrorCode::kFailedPrecondition,
                     {},
                     backup_path + " does not match its checksum in " + checksum_path +
                         ": the backup is damaged or incomplete; nothing was restored"};
    }
    return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, const SqliteOptions& options) {
    if (options.reader_count < 1) {
        return InvalidArgument("reader_count", "needs at least one reader connection");
    }
    if (options.max_batch < 1) {
        return InvalidArgument("max_batch", "must be at least 1");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> writer,
                     SqliteConnection::Open(path, OpenMode::kReadWriteCreate, options.connection));
    // Before any reader opens and before the writer thread starts: nothing may see a half-migrated schema.
    ASSIGN_OR_RETURN(const sql::MigratedDatabase migrated,
                     sql::MigrateAndRecordMode(*writer, SqliteMigrations(), options.new_database_mode));
    RETURN_IF_ERROR(sql::BackfillPatientSearchText(*writer));
    std::vector<std::unique_ptr<SqliteConnection>> readers;
    for (int i = 0; i < options.reader_count; ++i) {
        ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> reader,
                         SqliteConnection::Open(path, OpenMode::kReadOnly, options.connection));
        readers.push_back(std::move(reader));
    }
    return std::unique_ptr<SqliteStore>(new SqliteStore(options, migrated.mode, std::move(writer), std::move(readers)));
}

SqliteStore::SqliteStore(const SqliteOptions& options, sql::DatabaseMode mode, std::unique_ptr<SqliteConnection> writer,
                         std::vector<std::unique_ptr<SqliteConnection>> readers)
    : options_(options), mode_(mode), writer_(std::move(writer)), readers_(std::move(readers)) {
    for (auto& reader : readers_) {
        idle_readers_.push_back(reader.get());
    }
    writer_thread_ = std::thread([this] { WriterLoop(); });
}

SqliteStore::~SqliteStore() {
    {
        std::lock_guard lock(queue_mutex_);
        stopping_ = true;
    }
    queue_cv_.notify_all();
    writer_thread_.join();
}

Status SqliteStore::Write(const app::TransactionWork& work) {
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
        // From inside another Write's work: queueing would wait for the writer, which is waiting for this call.
        return Error{ErrorCode::kInternal, {}, "Store::Write called from inside a Write; use the transaction given"};
    }
    Job job;
    job.work = &work;
    std::future<void> done = job.done.get_future();
    {
        std::lock_guard lock(queue_mutex_);
        if (stopping_) {
            return Error{ErrorCode::kUnavailable, {}, "the SQLite store is shutting down"};
        }
        queue_.push_back(&job);
    }
    queue_cv_.notify_one();
    done.wait();
    if (job.exception) {
        std::rethrow_exception(job.exception);
    }
    return job.status;
}

Status SqliteStore::Read(const app::TransactionWork& work) {
    SqliteConnection* reader = AcquireReader();
    // Also on an exception from `work`: the connection goes back to the pool with no transaction open, or the
    // next Read on it would continue this one's snapshot.
    struct EndOnExit {
        SqliteStore& store;
        SqliteConnection* reader;
        ~EndOnExit() {
            if (reader->InTransaction()) {
                static_cast<void>(Control(*reader, "ROLLBACK"));
            }
            store.ReleaseReader(reader);
        }
    } end{*this, reader};

    RETURN_IF_ERROR(Control(*reader, "BEGIN"));
    Status result;
    {
        sql::SqlTransaction tx(*reader);
        result = work(tx);
    }
    RETURN_IF_ERROR(result);
    return Control(*reader, "COMMIT");
}

SqliteWriterStats SqliteStore::Stats() const {
    std::lock_guard lock(queue_mutex_);
    SqliteWriterStats stats = stats_;
    stats.queued = static_cast<std::int64_t>(queue_.size());
    return stats;
}

void SqliteStore::WriterLoop() {
    std::vector<Job*> batch;
    while (true) {
        {
            std::unique_lock lock(queue_mutex_);
            queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // stopping, and every queued job has been answered
            }
            // No waiting for more callers: whatever queued up during the previous commit's fsync forms the next
            // batch, so a lone writer pays no added latency and a busy store batches by itself.
            const auto n = std::min(queue_.size(), static_cast<std::size_t>(options_.max_batch));
            batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        }
        RunBatch(batch);
    }
}

void SqliteStore::RunBatch(std::span<Job* const> batch) {
    // A failure of the shared transaction reaches every job that had succeeded on its own; a job that failed or
    // threw keeps its own outcome, which is the more precise answer (its changes are gone either way).
    auto fail_batch = [&](const Error& error) {
        for (Job* job : batch) {
            if (job->status.ok() && !job->exception) {
                job->status = error;
            }
        }
    };

    std::optional<Error> batch_error;
    if (const Status begin = Control(*writer_, "BEGIN IMMEDIATE"); !begin.ok()) {
        batch_error = begin.error();
    } else {
        for (Job* job : batch) {
            if (const Status status = Control(*writer_, kSavepoint); !status.ok()) {
                batch_error = status.error();
                break;
            }
            RunJob(*job);
            if (!writer_->InTransaction()) {
                // SQLite rolls the whole transaction back by itself after some errors (a full disk, an I/O error),
                // taking the earlier jobs' released savepoints with it.
                batch_error = !job->status.ok()
                                  ? job->status.error()
                                  : Error{ErrorCode::kUnavailable, {}, "SQLite rolled back the write transaction"};
                break;
            }
            const bool keep = job->status.ok() && !job->exception;
            Status end = keep ? Control(*writer_, kRelease) : Control(*writer_, kRollbackTo);
            if (end.ok() && !keep) {
                end = Control(*writer_, kRelease);
            }
            if (!end.ok()) {
                batch_error = end.error();
                break;
            }
        }
        if (!batch_error) {
            // COMMIT returns after the WAL has been fsynced (synchronous=FULL): the acknowledgements below are
            // durable ones.
            if (const Status commit = Control(*writer_, "COMMIT"); !commit.ok()) {
                batch_error = commit.error();
            }
        }
        // A failed COMMIT (a deferred constraint, an I/O error) can leave the transaction open.
        if (writer_->InTransaction()) {
            static_cast<void>(Control(*writer_, "ROLLBACK"));
        }
    }
    if (batch_error) {
        fail_batch(*batch_error);
    }

    {
        std::lock_guard lock(queue_mutex_);
        if (!batch_error) {
            ++stats_.commits;
        }
        for (const Job* job : batch) {
            ++(job->status.ok() && !job->exception ? stats_.writes_ok : stats_.writes_failed);
        }
    }
    for (Job* job : batch) {
        // The promise is moved out first: the caller may return, destroying `job`, as soon as it is fulfilled.
        std::promise<void> done = std::move(job->done);
        done.set_value();
    }
}

void SqliteStore::RunJob(Job& job) {
    try {
        sql::SqlTransaction tx(*writer_);
        job.status = (*job.work)(tx);
    } catch (...) {
        // Rethrown on the caller's thread, where the project's one top-level handler catches it.
        job.exception = std::current_exception();
    }
}

SqliteConnection* SqliteStore::AcquireReader() {
    std::unique_lock lock(readers_mutex_);
    readers_cv_.wait(lock, [this] { return !idle_readers_.empty(); });
    SqliteConnection* reader = idle_readers_.back();
    idle_readers_.pop_back();
    return reader;
}

void SqliteStore::ReleaseReader(SqliteConnection* reader) {
    {
        std::lock_guard lock(readers_mutex_);
        idle_readers_.push_back(reader);
    }
    readers_cv_.notify_one();
}

Result<std::unique_ptr<app::Store>> OpenSqliteStore(const std::string& path, const SqliteOptions& options) {
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(path, options));
    return std::unique_ptr<app::Store>(std::move(store));
}

Status BackupSqlite(const std::string& database_path, const std::string& backup_path) {
    if (!Exists(database_path)) {
        return Error{ErrorCode::kNotFound, {}, "no SQLite database at " + database_path};
    }
    for (const std::string& path : {backup_path, ChecksumPath(backup_path)}) {
        if (Exists(path)) {
            return Error{ErrorCode::kConflict, {}, path + " already exists; it is never overwritten"};
        }
    }
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> source,
                     SqliteConnection::Open(database_path, OpenMode::kReadOnly));
    RETURN_IF_ERROR(CopyToNewFile(source->handle(), backup_path, /*check_integrity=*/true));
    return WriteChecksumFile(backup_path);
}

Status RestoreSqlite(const std::string& backup_path, const std::string& database_path, IfTargetExists if_exists) {
    if (!Exists(backup_path)) {
        return Error{ErrorCode::kNotFound, {}, "no backup at " + backup_path};
    }
    RETURN_IF_ERROR(VerifyChecksumFile(backup_path));
    auto source = SqliteConnection::Open(backup_path, OpenMode::kReadOnly);
    if (!source.ok()) {
        return Error{ErrorCode::kFailedPrecondition,
                     {},
                     backup_path + " is not a readable SQLite database: " + source.error().message};
    }
    RETURN_IF_ERROR(CheckIntegrity(*source.value(), backup_path));
    // A kclinic database records its migrations; restoring anything else, or a schema this binary cannot read,
    // would only fail later and less clearly.
    auto version = source.value()->Query("SELECT max(version) FROM schema_migrations", {});
    const auto* reached = version.ok() && !version->empty() && !version->front().columns.empty()
                              ? std::get_if<std::int64_t>(&version->front().columns.front())
                              : nullptr;
    if (reached == nullptr) {
        return Error{ErrorCode::kFailedPrecondition, {}, backup_path + " is not a kclinic database"};
    }
    const auto known = SqliteMigrations();
    const int newest = known.empty() ? 0 : known.back().version;
    if (*reached > newest) {
        return Error{ErrorCode::kFailedPrecondition,
                     {},
                     backup_path + " has schema version " + std::to_string(*reached) +
                         ", newer than this kclinic knows (" + std::to_string(newest) + ")"};
    }

    if (!Exists(database_path)) {
        // Journal files without their database would be applied to the restored one when it is first opened.
        for (const char* suffix : {"-wal", "-shm", "-journal"}) {
            if (Exists(database_path + suffix)) {
                return Error{ErrorCode::kConflict,
                             {},
                             database_path + suffix + " is left from an earlier database; move it aside first"};
            }
        }
        return CopyToNewFile(source.value()->handle(), database_path, /*check_integrity=*/false);
    }
    if (if_exists == IfTargetExists::kRefuse) {
        return Error{ErrorCode::kConflict,
                     {},
                     database_path + " already exists; restoring over it must be asked for explicitly"};
    }
    // Through SQLite rather than by renaming files: the copy is one write transaction on the target, so its WAL
    // or journal is honoured and a crash leaves either the old content or the new.
    auto target = SqliteConnection::Open(database_path, OpenMode::kReadWrite);
    if (!target.ok()) {
        return Error{ErrorCode::kUnavailable,
                     {},
                     target.error().message +
                         "; if it is damaged, move it and its -wal and -shm files aside and "
                         "restore to the free path"};
    }
    sqlite3* dest = target.value()->handle();
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source.value()->handle(), "main");
    if (backup == nullptr) {
        return Error{ErrorCode::kUnavailable, {}, "cannot restore into " + database_path + ": " + sqlite3_errmsg(dest)};
    }
    const int step = sqlite3_backup_step(backup, -1);
    const int finish = sqlite3_backup_finish(backup);
    if (step != SQLITE_DONE || finish != SQLITE_OK) {
        const int code = step != SQLITE_DONE ? step : finish;
        return Error{ErrorCode::kUnavailable,
                     {},
                     "restoring into " + database_path + " failed: " + sqlite3_errstr(code) +
                         ((code & 0xff) == SQLITE_BUSY ? " (is kclinic still running on it?)" : "")};
    }
    return Status::Ok();
}

}  // namespace kclinic::adapters::storage::sqlite
