#include "adapters/clock/os_time_zones.hpp"

#include <gtest/gtest.h>

#include <chrono>
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
