#pragma once

// What every kclinic command returns: one JSON object for machines and the same content as text for people. The
// command does no printing itself, so on error nothing reaches stdout (docs/cli.md).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "adapters/json/clinical_json.hpp"
#include "base/result.hpp"
#include "clinical/settings.hpp"

namespace kclinic::cli {

struct CommandOutput {
    adapters::json::Json json;
    std::string text;  // ends with a newline
};

// A registered subcommand and the function that runs it once its options are parsed.
struct Command {
    CLI::App* app = nullptr;
    bool* json_output = nullptr;
    std::function<Result<CommandOutput>()> run;
};

// The --db default of every command that opens the clinic's database: $KCLINIC_DB when set and not empty, else
// sqlite:kclinic.db.
[[nodiscard]] std::string DefaultDatabaseUrl();

// Adds the options every clinical command shares: --json and --set NAME=VALUE (repeatable).
struct CommonOptions {
    bool json = false;
    std::vector<std::string> settings_overrides;
};
void AddCommonOptions(CLI::App& command, CommonOptions& options);

// The clinic settings for this run: the defaults with every --set applied in order. Error names the override.
[[nodiscard]] Result<clinical::ClinicSettings> SettingsFrom(const CommonOptions& options);

// The options every command over the clinic record shares: --json and --db URL.
struct DatabaseOptions {
    bool json = false;
    std::string url = DefaultDatabaseUrl();
};
void AddDatabaseOptions(CLI::App& command, DatabaseOptions& options);

// Who runs this kclinic: the login name, else $USER, else "unknown". The CLI acts, and is audited, as
// "cli:<this user>".
[[nodiscard]] std::string OperatingSystemUser();

// Reads the password of `email`: one line of standard input, its line ending dropped. On a terminal it asks on stderr
// and turns echo off while the line is typed; from a pipe it reads silently. Error kInvalidArgument "password" for an
// empty line.
[[nodiscard]] Result<std::string> ReadPassword(const std::string& email);

// Reads the file at `path`, or standard input when `path` is "-". Error kNotFound "FILE" when it cannot be opened.
[[nodiscard]] Result<std::string> ReadInput(const std::string& path);

// An address to listen on or connect to.
struct ListenAddress {
    std::string host;  // an IP address literal (localhost reads as 127.0.0.1); checked when bound or connected
    std::uint16_t port = 0;
};

// HOST:PORT with an IPv4 address, [IPv6]:PORT, or localhost:PORT (IPv4 loopback), given to `flag` (--listen, --mllp,
// --to); port 0 is taken (a listener's "any free port"). Errors: kInvalidArgument on `flag`, with an example using
// `example_port`.
[[nodiscard]] Result<ListenAddress> ParseHostPort(std::string_view text, const std::string& flag,
                                                  std::string_view example_port);

}  // namespace kclinic::cli
