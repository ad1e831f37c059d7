#include "adapters/log/structured_log.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::adapters::log {
namespace {

std::vector<nlohmann::json> Lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
        EXPECT_TRUE(parsed.is_object()) << "not one JSON object: " << line;
        lines.push_back(std::move(parsed));
    }
    return lines;
}

TEST(StructuredLogTest, EachLineIsOneJsonObjectWithTimeLevelEventAndTheFields) {
    std::ostringstream out;
    auto log = StructuredLog::ToStream(out, LogLevel::kDebug);
    log->Write(LogLevel::kInfo, "http.request", {{"status", 200}, {"route", "/api/v1/patients/{id}"}});
    log->Write(LogLevel::kWarning, "relay.disconnected");

    const std::vector<nlohmann::json> lines = Lines(out.str());
    ASSERT_EQ(lines.size(), 2U) << out.str();
    EXPECT_TRUE(
        std::regex_match(lines[0]["time"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << lines[0];
    EXPECT_EQ(lines[0]["level"], "info");
    EXPECT_EQ(lines[0]["event"], "http.request");
    EXPECT_EQ(lines[0]["status"], 200);
    EXPECT_EQ(lines[0]["route"], "/api/v1/patients/{id}");
    EXPECT_EQ(lines[1]["level"], "warning");
    EXPECT_EQ(lines[1].size(), 3U) << lines[1];
}

TEST(StructuredLogTest, TheLevelFiltersAndOffWritesNothing) {
    struct Case {
        LogLevel level;
        std::vector<std::string> written;
    };
    for (const Case& c : std::vector<Case>{{LogLevel::kDebug, {"debug", "info", "warning", "error"}},
                                           {LogLevel::kInfo, {"info", "warning", "error"}},
                                           {LogLevel::kWarning, {"warning", "error"}},
                                           {LogLevel::kError, {"error"}},
                                           {LogLevel::kOff, {}}}) {
        SCOPED_TRACE(kLogLevelNames.Name(c.level));
        std::ostringstream out;
        auto log = StructuredLog::ToStream(out, c.level);
        for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
            EXPECT_EQ(log->Enabled(level), level >= c.level && c.level != LogLevel::kOff);
            log->Write(level, "e");
        }
        std::vector<std::string> levels;
        for (const nlohmann::json& line : Lines(out.str())) {
            levels.push_back(line["level"].get<std::string>());
        }
        EXPECT_EQ(levels, c.written);
    }
}

TEST(StructuredLogTest, FieldsCannotForgeTheFrameAndBadUtf8IsReplaced) {
    std::ostringstream out;
    auto log = StructuredLog::ToStream(out, LogLevel::kInfo);
    log->Write(LogLevel::kInfo, "a\"b\n",
               {{"time", "forged"},
                {"level", "error"},
                {"event", "forged"},
                {"text", std::string("bad \xff byte\n\"quoted\"")}});
    const std::vector<nlohmann::json> lines = Lines(out.str());
    ASSERT_EQ(lines.size(), 1U) << out.str();  // the newlines inside stayed escaped
    EXPECT_NE(lines[0]["time"], "forged");
    EXPECT_EQ(lines[0]["level"], "info");
    EXPECT_EQ(lines[0]["event"], "a\"b\n");
    EXPECT_EQ(lines[0]["text"], "bad \xEF\xBF\xBD byte\n\"quoted\"");
}

TEST(StructuredLogTest, LinesFromManyThreadsNeverInterleave) {
    std::ostringstream out;
    auto log = StructuredLog::ToStream(out, LogLevel::kInfo);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&log, t] {
            for (int i = 0; i < 200; ++i) {
                log->Write(LogLevel::kInfo, "e", {{"thread", t}, {"i", i}, {"pad", std::string(100, 'x')}});
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(Lines(out.str()).size(), 800U);
}

TEST(StructuredLogTest, EveryLevelHasAName) {
    EXPECT_TRUE(kclinic::testing::UnnamedEnumerators(kLogLevelNames).empty());
}

}  // namespace
}  // namespace kclinic::adapters::log
