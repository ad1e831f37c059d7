#include "adapters/clock/os_time_zones.hpp"

#include <gtest/gtest.h>

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace kclinic::adapters {
namespace {

TEST(OsTimeZonesTest, LoadsAnInstalledZone) {
    const OsTimeZones zones;
    const Result<clinical::ClinicZone> zone = zones.Load("America/New_York");
    ASSERT_TRUE(zone.ok()) << zone.error().ToString();
    EXPECT_EQ(zone->name(), "America/New_York");
    // 2026-07-15 00:30 UTC is 20:30 EDT on July 14.
    const clinical::TimePoint evening{std::chrono::sys_days{std::chrono::year{2026} / 7 / 15} +
                                      std::chrono::minutes{30}};
    EXPECT_EQ(zone->LocalDate(evening), std::chrono::sys_days{std::chrono::year{2026} / 7 / 14});
}

// The file events on one zone file since the last call, counted through inotify(7) (the kernel reports every open
// and read, whoever makes them).
class FileWatch {
public:
    explicit FileWatch(const std::string& path) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        if (fd_ >= 0) {
            watching_ = inotify_add_watch(fd_, path.c_str(), IN_OPEN | IN_ACCESS) >= 0;
        }
    }
    FileWatch(const FileWatch&) = delete;
    FileWatch& operator=(const FileWatch&) = delete;
    ~FileWatch() {
        if (fd_ >= 0) {
            close(fd_);
        }
    }

    [[nodiscard]] bool watching() const { return watching_; }

    int Events() const {
        int count = 0;
        alignas(inotify_event) std::array<char, 4096> buffer{};
        ssize_t size = 0;
        while ((size = read(fd_, buffer.data(), buffer.size())) > 0) {
            for (ssize_t at = 0; at < size;) {
                inotify_event event{};
                std::memcpy(&event, buffer.data() + at, sizeof event);
                ++count;
                at += static_cast<ssize_t>(sizeof(inotify_event) + event.len);
            }
        }
        return count;
    }

private:
    int fd_;
    bool watching_ = false;
};

// A zone's file is read once per process, by its first Load; later Loads, which the use cases make inside their
// store transactions, and every question the pure core asks of the zone read nothing. Pacific/Chatham is loaded by no
// other test, so its first Load here is the process's first.
TEST(OsTimeZonesTest, ReadsEachZoneFileOnceInItsFirstLoad) {
    const FileWatch watch("/usr/share/zoneinfo/Pacific/Chatham");
    ASSERT_TRUE(watch.watching());
    const OsTimeZones zones;
    ASSERT_TRUE(zones.Load("Pacific/Chatham").ok());
    EXPECT_GT(watch.Events(), 0) << "the first Load reads the zone's file";

    const Result<clinical::ClinicZone> again = zones.Load("Pacific/Chatham");
    ASSERT_TRUE(again.ok()) << again.error().ToString();
    const std::chrono::sys_days day{std::chrono::year{2026} / 9 / 27};  // Chatham's daylight time starts
    EXPECT_EQ(again->OffsetAt(clinical::TimePoint{day}), std::chrono::hours{13} + std::chrono::minutes{45});
    (void)again->DayOf(day);
    (void)again->AtLocal(day, std::chrono::hours{9});
    (void)again->LocalDate(clinical::TimePoint{day + std::chrono::days{400}});
    EXPECT_EQ(watch.Events(), 0) << "a later Load or a question read the file";
}

TEST(OsTimeZonesTest, RefusesWhatIsNotAnInstalledZone) {
    const OsTimeZones zones;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"Mars/Olympus_Mons", "unknown time zone \"Mars/Olympus_Mons\": not in this server's IANA time zone database"},
        {"America", "unknown time zone \"America\""},  // a directory, not a zone
        {"../../etc/passwd", "is not an IANA time zone name"},
        {"/etc/passwd", "is not an IANA time zone name"},
        {"zone.tab", "unknown time zone \"zone.tab\""},   // the database's index, not a zone
        {"right/America/New_York", "unknown time zone"},  // leap seconds: the record's clock counts none
        {"posix/America/New_York", "unknown time zone"},  // a copy of the zone under another name
    };
    for (const auto& [name, message] : cases) {
        const Result<clinical::ClinicZone> zone = zones.Load(name);
        ASSERT_FALSE(zone.ok()) << name << ": loaded";
        EXPECT_EQ(zone.error().code, ErrorCode::kInvalidArgument) << name;
        EXPECT_EQ(zone.error().field, "clinic.time_zone") << name;
        EXPECT_NE(zone.error().message.find(message), std::string::npos) << name << ": " << zone.error().message;
    }
}

}  // namespace
}  // namespace kclinic::adapters
