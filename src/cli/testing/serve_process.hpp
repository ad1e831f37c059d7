#pragma once

// Test support: `kclinic` as a process. ServeProcess runs `kclinic serve` (the real binary, KCLINIC_BINARY) and reads
// the line it prints once listening; RunKclinic runs any other command to its end, with text on its stdin (how
// `kclinic user add` reads a password); RunProgram does the same for another program (pg_dump, psql).

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace kclinic::cli::testing {

// A running `kclinic serve`; killed (SIGKILL) if a test ends without stopping it.
class ServeProcess {
public:
    // Starts `kclinic ARGS...` with stdout and stderr piped to this object.
    explicit ServeProcess(std::vector<std::string> args);
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    // The next line on stdout, without its newline; "" when none came within 60 s (start-up under the sanitizers,
    // with migrations, can be slow on a busy machine).
    std::string NextLine();
    // The port of a "kclinic serving on http://127.0.0.1:PORT (database: ...)" line read with NextLine; 0 (and a
    // test failure) when the line is not that.
    std::uint16_t ReadPort();
    // Sends `signal` and waits (at most 30 s) for the exit; the exit status, or -1 when it did not exit normally.
    int StopWith(int signal);
    // Everything still unread on stdout, then all of stderr. REQUIRES: the process has exited.
    std::string RestOfOutput();
    // The process id, for measuring it (the benchmarks read its CPU time in /proc).
    [[nodiscard]] pid_t Pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int out_ = -1;
    int err_ = -1;
    bool exited_ = false;
    // Reads stderr as it comes (the server's log: a line per request), so that the server never blocks on a full
    // pipe; RestOfOutput joins it once the process has exited and its end of the pipe is closed.
    std::thread err_reader_;
    std::string err_text_;
};

struct CommandRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `kclinic ARGS...` to its end with `input` on stdin.
[[nodiscard]] CommandRun RunKclinic(const std::vector<std::string>& args, const std::string& input = "");
// Runs the executable at the absolute path `program` (such as /usr/bin/pg_dump) with ARGS to its end, `input` on
// stdin. Its stdout is read to the end before its stderr, so a program must not fill the pipe of stderr first.
[[nodiscard]] CommandRun RunProgram(const std::string& program, const std::vector<std::string>& args,
                                    const std::string& input = "");

}  // namespace kclinic::cli::testing
