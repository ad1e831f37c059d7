#include "adapters/clock/os_time_zones.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
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

// A zone is read from its file once and kept: the use cases load it inside their store transactions, where no file
// I/O belongs. Shown by removing the file after the first load.
TEST(OsTimeZonesTest, ReadsEachZoneFileOnce) {
    const std::filesystem::path root = std::filesystem::temp_directory_path() / "kclinic-os-time-zones-test";
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "America");
    std::filesystem::copy_file("/usr/share/zoneinfo/America/New_York", root / "America" / "New_York");
    const OsTimeZones zones(root);
    ASSERT_TRUE(zones.Load("America/New_York").ok());
    std::filesystem::remove_all(root);
    const Result<clinical::ClinicZone> kept = zones.Load("America/New_York");
    ASSERT_TRUE(kept.ok()) << kept.error().ToString();
    EXPECT_EQ(kept->name(), "America/New_York");
    EXPECT_FALSE(zones.Load("Europe/Paris").ok());  // never read, and its file is gone with the root
}

TEST(OsTimeZonesTest, RefusesWhatIsNotAnInstalledZone) {
    const OsTimeZones zones;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"Mars/Olympus_Mons", "unknown time zone \"Mars/Olympus_Mons\": not in this server's IANA time zone database"},
        {"America", "unknown time zone \"America\""},  // a directory, not a zone
        {"../../etc/passwd", "is not an IANA time zone name"},
        {"/etc/passwd", "is not an IANA time zone name"},
        {"zone.tab", "is not a readable TZif file"},
        {"right/America/New_York", "leap seconds"},
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
