// Crash safety: a child process writes and prints every acknowledged write; it is killed with SIGKILL at random
// moments, at least 20 times; after each kill every acknowledged record must be present and intact, and the
// database's own integrity check (SQLite's integrity_check, PostgreSQL's amcheck) must pass. Runs against both
// backends.

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <gtest/gtest.h>

#include <poll.h>
#include <chrono>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "adapters/storage/contract/test_stores.hpp"
#include "adapters/storage/open_store.hpp"

namespace kclinic::adapters::storage::contract {
namespace {

constexpr int kKills = 20;

struct ChildRun {
    std::map<std::int64_t, double> acknowledged;  // vital sign id -> value
    std::string errors;
};

// Starts the writer, lets it run until `kill_after` has passed since its first acknowledgement, kills it with
// SIGKILL, and returns everything it acknowledged before dying.
ChildRun RunAndKill(const std::string& url, std::chrono::milliseconds kill_after) {
    int out[2];
    int err[2];
    EXPECT_EQ(pipe(out), 0);
    EXPECT_EQ(pipe(err), 0);
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        execl(KCLINIC_CRASH_WRITER, KCLINIC_CRASH_WRITER, url.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);

    ChildRun run;
    std::string pending;
    std::string errors;
    bool killed = false;
    const auto started = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::time_point> first_ack;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    char buffer[65536];
    while (open_fds > 0) {
        const auto now = std::chrono::steady_clock::now();
        if (!killed && ((first_ack && now - *first_ack >= kill_after) || now - started > std::chrono::seconds(20))) {
            kill(pid, SIGKILL);
            killed = true;
        }
        if (poll(fds, 2, 5) < 0) {
            break;
        }
        for (pollfd& fd : fds) {
            if (fd.fd < 0 || (fd.revents & (POLLIN | POLLHUP)) == 0) {
                continue;
            }
            const ssize_t n = read(fd.fd, buffer, sizeof(buffer));
            if (n <= 0) {
                close(fd.fd);
                fd.fd = -1;
                --open_fds;
                continue;
            }
            (fd.fd == out[0] ? pending : errors).append(buffer, static_cast<std::size_t>(n));
        }
        std::size_t newline;
        while ((newline = pending.find('\n')) != std::string::npos) {
            std::istringstream line(pending.substr(0, newline));
            pending.erase(0, newline + 1);
            std::int64_t id = 0;
            double value = 0;
            if (line >> id >> value) {
                run.acknowledged[id] = value;
                if (!first_ack) {
                    first_ack = std::chrono::steady_clock::now();
                }
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the writer exited by itself: " << errors;
    run.errors = errors;
    return run;
}

class CrashTest : public ::testing::TestWithParam<Backend> {};

TEST_P(CrashTest, EveryAcknowledgedWriteSurvivesSigkill) {
    Result<std::unique_ptr<TestDatabase>> database = TestDatabase::Create(GetParam());
    ASSERT_TRUE(database.ok()) << database.error().ToString();
    const std::string url = (*database)->url();
    std::mt19937 random(20261121);  // fixed seed: the same "random" kill moments on every run
    std::uniform_int_distribution<int> kill_after_ms(1, 150);
    std::map<std::int64_t, double> all_acknowledged;

    for (int round = 0; round < kKills; ++round) {
        ChildRun run = RunAndKill(url, std::chrono::milliseconds(kill_after_ms(random)));
        ASSERT_FALSE(run.acknowledged.empty()) << "round " << round << ": nothing acknowledged; " << run.errors;
        all_acknowledged.insert(run.acknowledged.begin(), run.acknowledged.end());

        Result<IntegrityReport> integrity = (*database)->IntegrityCheck();
        ASSERT_TRUE(integrity.ok()) << integrity.error().ToString();
        EXPECT_EQ(integrity->verdict, "ok") << "round " << round;
        EXPECT_GT(integrity->relations_checked, 0) << "round " << round << ": the integrity check checked nothing";

        Result<std::unique_ptr<app::Store>> store = OpenStore(url);
        ASSERT_TRUE(store.ok()) << "round " << round << ": " << store.error().ToString();
        int missing = 0;
        Status checked = (*store)->Read([&](app::StoreTransaction& tx) -> Status {
            for (const auto& [id, value] : all_acknowledged) {
                Result<app::VitalSign> vital = tx.GetVitalSign(app::VitalSignId{id});
                if (!vital.ok() || vital->value != value || vital->device_id != "crash-monitor") {
                    ++missing;
                }
            }
            return Status::Ok();
        });
        ASSERT_TRUE(checked.ok()) << checked.error().ToString();
        ASSERT_EQ(missing, 0) << "round " << round << ": acknowledged writes lost or damaged after SIGKILL";
    }
    RecordProperty("acknowledged_writes", static_cast<int>(all_acknowledged.size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::adapters::storage::contract
