#pragma once

// The server's log for its operators: one JSON object per line (JSON Lines), so that journald, Loki or `jq` read it
// without a parser of our own:
//
//   {"time":"2026-12-07T17:40:00.123Z","level":"info","event":"http.request","request_id":"...","route":...}
//
// "time" is UTC with milliseconds, "level" one of LogLevel's names, "event" a stable dotted name (docs/operations.md
// lists them), and the rest the event's own fields. What goes in is the caller's choice and its responsibility: a
// patient's data, a path value, a query string, a body, a password or a token never does (docs/security.md, "Logs";
// a test runs a whole care pathway and searches the log for them).
//
// Thread-safety: Write may be called from any thread at once; lines never interleave. Each line is flushed as it is
// written, so a SIGKILL loses no line already written.

#include <iosfwd>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/enum_names.hpp"

namespace kclinic::adapters::log {

enum class LogLevel { kDebug, kInfo, kWarning, kError, kOff };

// "debug", "info", "warning", "error", "off": the names of --log-level and of each line's "level".
inline constexpr auto kLogLevelNames = MakeEnumNames<LogLevel>({{LogLevel::kDebug, "debug"},
                                                                {LogLevel::kInfo, "info"},
                                                                {LogLevel::kWarning, "warning"},
                                                                {LogLevel::kError, "error"},
                                                                {LogLevel::kOff, "off"}});

class StructuredLog {
public:
    // Lines at `level` and above to the process's stderr; kOff writes none.
    [[nodiscard]] static std::shared_ptr<StructuredLog> ToStderr(LogLevel level);
    // Lines at `level` and above to `out`, which must outlive the log (tests).
    [[nodiscard]] static std::shared_ptr<StructuredLog> ToStream(std::ostream& out, LogLevel level);

    ~StructuredLog();
    StructuredLog(const StructuredLog&) = delete;
    StructuredLog& operator=(const StructuredLog&) = delete;

    // Whether a line at `level` would be written: callers skip building the fields of one that would not.
    [[nodiscard]] bool Enabled(LogLevel level) const;
    // One line: `event` and the members of `fields` (a JSON object; anything else is written as {"value": fields}).
    // Text that is not valid UTF-8 is written with U+FFFD in place of the bad bytes rather than dropped.
    void Write(LogLevel level, std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) const;

private:
    class Impl;
    explicit StructuredLog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace kclinic::adapters::log
