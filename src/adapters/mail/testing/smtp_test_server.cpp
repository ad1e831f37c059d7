#include "adapters/mail/testing/smtp_test_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace kclinic::adapters::mail::testing {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

SmtpTestServer::SmtpTestServer(std::string directory, const Options& options) : directory_(std::move(directory)) {
    std::vector<std::string> args = {
        "/usr/bin/python3", KCLINIC_SMTP_TEST_SERVER, "--port", std::to_string(options.port), "--dir", directory_};
    if (options.refuse_rcpt) {
        args.emplace_back("--refuse-rcpt");
    }
    if (options.tls) {
        args.insert(args.end(), {"--tls-dir", directory_});
    }
    if (!options.auth.empty()) {
        args.insert(args.end(), {"--auth", options.auth});
    }
    std::array<int, 2> in_pipe{};
    std::array<int, 2> out_pipe{};
    if (pipe2(in_pipe.data(), O_CLOEXEC) != 0 || pipe2(out_pipe.data(), O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe failed";
        return;
    }
    // Its log (aiosmtpd reports each refused TLS handshake with a traceback) goes to a file beside the messages.
    const int log = open((directory_ + "/server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    pid_ = fork();
    if (pid_ == 0) {
        dup2(in_pipe[0], STDIN_FILENO);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        std::vector<char*> argv;
        argv.reserve(args.size() + 1);
        for (std::string& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(log);
    close(in_pipe[0]);
    close(out_pipe[1]);
    stdin_ = in_pipe[1];
    // "PORT <n>\n" once listening.
    std::string line;
    std::array<char, 1> byte{};
    pollfd fd{out_pipe[0], POLLIN, 0};
    while (poll(&fd, 1, 30000) > 0 && read(out_pipe[0], byte.data(), 1) == 1 && byte[0] != '\n') {
        line += byte[0];
    }
    close(out_pipe[0]);
    if (line.rfind("PORT ", 0) != 0) {
        ADD_FAILURE() << "the SMTP test server did not start: \"" << line << "\"";
        return;
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(5)));
}

SmtpTestServer::~SmtpTestServer() {
    if (pid_ <= 0) {
        return;
    }
    close(stdin_);
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
}

std::string SmtpTestServer::certificate_file() const {
    return directory_ + "/cert.pem";
}

std::vector<ReceivedMessage> SmtpTestServer::Received() const {
    std::vector<std::filesystem::path> envelopes;
    for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
        if (entry.path().extension() == ".json") {
            envelopes.push_back(entry.path());
        }
    }
    std::sort(envelopes.begin(), envelopes.end());
    std::vector<ReceivedMessage> received;
    for (const std::filesystem::path& envelope_path : envelopes) {
        const nlohmann::json envelope = nlohmann::json::parse(ReadFile(envelope_path));
        ReceivedMessage message;
        message.mail_from = envelope.at("mail_from").get<std::string>();
        message.rcpt_tos = envelope.at("rcpt_tos").get<std::vector<std::string>>();
        message.tls = envelope.at("tls").get<bool>();
        message.auth_login = envelope.at("auth_login").is_string() ? envelope.at("auth_login").get<std::string>() : "";
        std::filesystem::path data_path = envelope_path;
        message.data = ReadFile(data_path.replace_extension(".eml"));
        received.push_back(std::move(message));
    }
    return received;
}

std::vector<ReceivedMessage> SmtpTestServer::WaitFor(std::size_t count, int timeout_ms) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::vector<ReceivedMessage> received = Received();
    while (received.size() < count && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        received = Received();
    }
    return received;
}

TemporaryFolder::TemporaryFolder() {
    std::array<char, 32> folder{};
    std::snprintf(folder.data(), folder.size(), "/tmp/kclinic_mail_XXXXXX");
    EXPECT_NE(mkdtemp(folder.data()), nullptr);
    path_ = folder.data();
}

TemporaryFolder::~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace kclinic::adapters::mail::testing
