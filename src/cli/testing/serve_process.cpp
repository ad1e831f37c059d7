#include "cli/testing/serve_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <regex>
#include <thread>

namespace kclinic::cli::testing {
namespace {

pid_t Spawn(std::string binary, std::vector<std::string> args, int in, int out, int err) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (in >= 0) {
            dup2(in, STDIN_FILENO);
        }
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        std::vector<char*> argv{binary.data()};
        for (std::string& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        // Every other descriptor of the test process closes on exec: the child must not hold a test's pipes open.
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

std::string ReadAll(int fd) {
    std::string text;
    std::array<char, 4096> chunk{};
    ssize_t got = 0;
    while ((got = read(fd, chunk.data(), chunk.size())) > 0) {
        text.append(chunk.data(), static_cast<std::size_t>(got));
    }
    return text;
}

}  // namespace

ServeProcess::ServeProcess(std::vector<std::string> args) {
    std::array<int, 2> out_pipe{};
    std::array<int, 2> err_pipe{};
    if (pipe2(out_pipe.data(), O_CLOEXEC) != 0 || pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe failed";
        return;
    }
    pid_ = Spawn(KCLINIC_BINARY, std::move(args), -1, out_pipe[1], err_pipe[1]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_ = out_pipe[0];
    err_ = err_pipe[0];
}

ServeProcess::~ServeProcess() {
    if (pid_ > 0 && !exited_) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    close(out_);
    close(err_);
}

std::string ServeProcess::NextLine() {
    std::string line;
    std::array<char, 1> byte{};
    pollfd fd{out_, POLLIN, 0};
    while (poll(&fd, 1, 60000) > 0 && read(out_, byte.data(), 1) == 1) {
        if (byte[0] == '\n') {
            return line;
        }
        line += byte[0];
    }
    return "";
}

std::uint16_t ServeProcess::ReadPort() {
    const std::string line = NextLine();
    std::smatch match;
    const std::regex expected(R"(kclinic serving on http://127\.0\.0\.1:(\d+) \(database: (.*)\))");
    if (!std::regex_match(line, match, expected)) {
        ADD_FAILURE() << "unexpected first line: \"" << line << "\"";
        return 0;
    }
    return static_cast<std::uint16_t>(std::stoi(match[1].str()));
}

int ServeProcess::StopWith(int signal) {
    kill(pid_, signal);
    for (int waited_ms = 0; waited_ms < 30000; waited_ms += 10) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            exited_ = true;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

// Not const, whatever clang-tidy says: reading consumes what the pipes held.
std::string ServeProcess::RestOfOutput() {  // NOLINT(readability-make-member-function-const)
    return ReadAll(out_) + ReadAll(err_);
}

CommandRun RunKclinic(const std::vector<std::string>& args, const std::string& input) {
    return RunProgram(KCLINIC_BINARY, args, input);
}

CommandRun RunProgram(const std::string& program, const std::vector<std::string>& args, const std::string& input) {
    std::array<int, 2> in_pipe{};
    std::array<int, 2> out_pipe{};
    std::array<int, 2> err_pipe{};
    if (pipe2(in_pipe.data(), O_CLOEXEC) != 0 || pipe2(out_pipe.data(), O_CLOEXEC) != 0 ||
        pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe failed";
        return {};
    }
    const pid_t pid = Spawn(program, args, in_pipe[0], out_pipe[1], err_pipe[1]);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    // Small inputs (a password) fit in the pipe's buffer, so writing all before reading cannot deadlock.
    if (!input.empty() && write(in_pipe[1], input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
        ADD_FAILURE() << "writing stdin failed";
    }
    close(in_pipe[1]);
    CommandRun run;
    run.out = ReadAll(out_pipe[0]);
    run.err = ReadAll(err_pipe[0]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

}  // namespace kclinic::cli::testing
