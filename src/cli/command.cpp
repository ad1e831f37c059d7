#include "cli/command.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "adapters/storage/open_store.hpp"

namespace kclinic::cli {

std::string DefaultDatabaseUrl() {
    const char* from_environment = std::getenv("KCLINIC_DB");
    return from_environment != nullptr && *from_environment != '\0'
               ? std::string(from_environment)
               : std::string(adapters::storage::kDefaultDatabaseUrl);
}

void AddCommonOptions(CLI::App& command, CommonOptions& options) {
    command.add_flag("--json", options.json, "Print one JSON object on stdout instead of text");
    command.add_option("--set", options.settings_overrides,
                       "Override a clinic setting for this run, NAME=VALUE, within its allowed bounds "
                       "(repeatable; see `kclinic settings`)");
}

Result<clinical::ClinicSettings> SettingsFrom(const CommonOptions& options) {
    clinical::ClinicSettings settings;
    for (const std::string& override_text : options.settings_overrides) {
        const auto equals = override_text.find('=');
        if (equals == std::string::npos || equals == 0) {
            return InvalidArgument("--set", "expected NAME=VALUE (got \"" + override_text + "\")");
        }
        Status status = clinical::SetSetting(settings, std::string_view(override_text).substr(0, equals),
                                             std::string_view(override_text).substr(equals + 1));
        if (!status.ok()) {
            Error error = status.error();
            error.field = "--set " + error.field;
            return error;
        }
    }
    return settings;
}

void AddDatabaseOptions(CLI::App& command, DatabaseOptions& options) {
    command.add_flag("--json", options.json, "Print one JSON object on stdout instead of text");
    command.add_option("--db", options.url,
                       "Database: sqlite:PATH or postgres://... (default $KCLINIC_DB, else "
                       "sqlite:kclinic.db)");
}

std::string OperatingSystemUser() {
    const char* login = getlogin();
    const char* user = login != nullptr ? login : std::getenv("USER");
    return user != nullptr ? user : "unknown";
}

Result<ListenAddress> ParseHostPort(std::string_view text, const std::string& flag, std::string_view example_port) {
    const std::string port(example_port);
    const Error error = InvalidArgument(flag, "expected HOST:PORT with an IP address, such as 127.0.0.1:" + port +
                                                  " or [::1]:" + port + " (got \"" + std::string(text) + "\")");
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return error;
    }
    std::string host(text.substr(0, colon));
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return error;
        }
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        return error;  // an IPv6 address needs its brackets, or the port cannot be told apart
    }
    if (host == "localhost") {
        host = "127.0.0.1";
    }
    const std::string_view port_text = text.substr(colon + 1);
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(port_text)) > 65535) {
        return error;
    }
    return ListenAddress{host, static_cast<std::uint16_t>(std::stoi(std::string(port_text)))};
}

Result<std::string> ReadInput(const std::string& path) {
    std::stringstream text;
    if (path == "-") {
        text << std::cin.rdbuf();
        return text.str();
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return Error{ErrorCode::kNotFound, "FILE", "cannot open \"" + path + "\""};
    }
    text << file.rdbuf();
    return text.str();
}

Result<std::string> ReadPassword(const std::string& email) {
    const bool terminal = isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal && tcgetattr(STDIN_FILENO, &saved) == 0) {
        std::cerr << "Password for " << email << ": " << std::flush;
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    std::string password;
    std::getline(std::cin, password);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << "\n";
    }
    if (!password.empty() && password.back() == '\r') {
        password.pop_back();
    }
    if (password.empty()) {
        return InvalidArgument("password", "is required: one line on standard input");
    }
    return password;
}

}  // namespace kclinic::cli
