#include "adapters/clock/os_time_zones.hpp"

#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

namespace kclinic::adapters {

namespace {
constexpr std::string_view kField = "clinic.time_zone";
}  // namespace

Result<clinical::ClinicZone> OsTimeZones::Load(std::string_view name) const {
    const std::lock_guard lock(mutex_);
    if (const auto kept = loaded_.find(name); kept != loaded_.end()) {
        return kept->second;
    }
    ASSIGN_OR_RETURN(clinical::ClinicZone zone, Read(name));
    loaded_.emplace(std::string(name), zone);
    return zone;
}

Result<clinical::ClinicZone> OsTimeZones::Read(std::string_view name) const {
    // The name's shape is checked first, so that it can only name a file under the root ("..", "/" refused).
    RETURN_IF_ERROR(clinical::CheckZoneName(kField, name));
    const std::filesystem::path path = root_ / std::filesystem::path(name);
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        return InvalidArgument(std::string(kField), "unknown time zone \"" + std::string(name) +
                                                        "\": not in this server's IANA time zone database (" +
                                                        root_.string() + "), e.g. America/New_York or UTC");
    }
    std::ifstream file(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    if (!file.good() && !file.eof()) {
        return InvalidArgument(std::string(kField),
                               "time zone \"" + std::string(name) + "\": " + path.string() + " cannot be read");
    }
    return clinical::ParseTzif(kField, std::string(name), bytes);
}

}  // namespace kclinic::adapters
