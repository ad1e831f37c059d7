#include "adapters/log/structured_log.hpp"

#include <ostream>
#include <string>
#include <utility>

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace kclinic::adapters::log {
namespace {

spdlog::level::level_enum SpdlogLevel(LogLevel level) {
    switch (level) {
        case LogLevel::kDebug:
            return spdlog::level::debug;
        case LogLevel::kInfo:
            return spdlog::level::info;
        case LogLevel::kWarning:
            return spdlog::level::warn;
        case LogLevel::kError:
            return spdlog::level::err;
        case LogLevel::kOff:
            return spdlog::level::off;
    }
    return spdlog::level::off;
}

// spdlog writes the time and the level; the message is the rest of the object's members. spdlog's level names
// (debug, info, warning, error) are LogLevel's, so a line's "level" is a name --log-level accepts.
constexpr std::string_view kPattern = R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})";

}  // namespace

class StructuredLog::Impl {
public:
    explicit Impl(std::shared_ptr<spdlog::sinks::sink> sink, LogLevel level) : logger_("kclinic", std::move(sink)) {
        logger_.set_formatter(std::make_unique<spdlog::pattern_formatter>(
            std::string(kPattern), spdlog::pattern_time_type::utc, std::string("\n")));
        logger_.set_level(SpdlogLevel(level));
        logger_.flush_on(spdlog::level::trace);  // every line, as it is written
    }

    spdlog::logger logger_;
};

std::shared_ptr<StructuredLog> StructuredLog::ToStderr(LogLevel level) {
    return std::shared_ptr<StructuredLog>(
        new StructuredLog(std::make_unique<Impl>(std::make_shared<spdlog::sinks::stderr_sink_mt>(), level)));
}

std::shared_ptr<StructuredLog> StructuredLog::ToStream(std::ostream& out, LogLevel level) {
    return std::shared_ptr<StructuredLog>(new StructuredLog(
        std::make_unique<Impl>(std::make_shared<spdlog::sinks::ostream_sink_mt>(out, /*force_flush=*/true), level)));
}

StructuredLog::StructuredLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StructuredLog::~StructuredLog() = default;

bool StructuredLog::Enabled(LogLevel level) const {
    return level != LogLevel::kOff && impl_->logger_.should_log(SpdlogLevel(level));
}

void StructuredLog::Write(LogLevel level, std::string_view event, const nlohmann::json& fields) const {
    if (!Enabled(level)) {
        return;
    }
    nlohmann::json members = fields.is_object() ? fields : nlohmann::json{{"value", fields}};
    std::string text = nlohmann::json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string line = "\"event\":" + text;
    members.erase("event");
    members.erase("time");
    members.erase("level");
    if (!members.empty()) {
        std::string rest = members.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        line += ",";
        line.append(rest, 1, rest.size() - 2);  // without the object's own braces
    }
    impl_->logger_.log(SpdlogLevel(level), spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace kclinic::adapters::log
